"""The pages a user has for their own account."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.shortcuts import render
from django.urls import reverse_lazy

from accounts.forms import PasswordChangeForm
from accounts.selectors import security_overview
from canlian.audit import audit_write


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password; the session stays signed in (Django updates its hash),
    the user's other sessions end."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            audit_write(action="accounts.password.changed", user=self.request.user, obj=self.request.user)
        messages.success(self.request, "密码已修改。")
        return response


@permission_required("accounts.view_security_settings", raise_exception=True)
def security_settings(request):
    """The security settings in force and the accounts they protect, for the audit
    administrator: read only (审计管理员 changes nothing)."""
    return render(request, "accounts/security_settings.html", security_overview())
