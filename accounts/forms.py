from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from canlian.forms import bootstrap_styled


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。",
        "inactive": "该账号已停用，请联系区残联管理员。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """A user's change of their own password: the old one, the new one twice, checked by
    the password validators (settings.AUTH_PASSWORD_VALIDATORS)."""

    error_messages = {
        "password_incorrect": "原密码不正确。",
        "password_mismatch": "两次输入的新密码不一致。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "原密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "再次输入新密码"
        self.fields["new_password1"].help_text = (
            f"至少 {password_min_length()} 位；不能是常见密码，不能与用户名或姓名相近，不能全是数字，"
            "也不能只是单位名称、地名加数字。"
        )
        self.fields["new_password2"].help_text = ""
        bootstrap_styled(self)

    def clean(self):
        cleaned = super().clean()
        new = cleaned.get("new_password1")
        if new and new == cleaned.get("old_password") and "new_password2" not in self.errors:
            self.add_error("new_password2", ValidationError("新密码不能与原密码相同。", code="password_unchanged"))
        return cleaned


def password_min_length() -> int:
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, password_validation.MinimumLengthValidator):
            return validator.min_length
    return 0
