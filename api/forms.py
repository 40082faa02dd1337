from django import forms
from django.conf import settings


class TokenForm(forms.Form):
    name = forms.CharField(
        label="用途",
        max_length=60,
        help_text="例如：区数据中心同步",
        error_messages={"required": "请填写令牌用途", "max_length": "令牌用途不能超过 60 个字"},
    )
    days = forms.IntegerField(
        label="有效天数",
        initial=90,
        min_value=1,
        max_value=settings.API_TOKEN_MAX_DAYS,
        error_messages={
            "required": "请填写有效天数",
            "invalid": "有效天数应为整数",
            "min_value": "有效天数至少 1 天",
            "max_value": f"有效天数不能超过 {settings.API_TOKEN_MAX_DAYS} 天",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
