"""What accounts contributes: the user administration of the system administrator (its
pages are the admin's, which the scope test leaves out), each user's own password page, and
the security settings page of the audit administrator.

三员分立 (GB/T 22239-2019): the system administrator (系统管理员) manages users, roles and
lockouts and sees no business data; the audit administrator (审计管理员) reads the audit log
and the security settings and changes nothing; the business roles manage no users."""

from accounts.roles import Role
from canlian.declarations import AppDeclaration, NavEntry, ScopedUrl

declaration = AppDeclaration(
    nav=(NavEntry("accounts:security", "安全设置", "accounts.view_security_settings", 95),),
    role_permissions={
        Role.SYSTEM_ADMIN: (
            "accounts.view_user",
            "accounts.add_user",
            "accounts.change_user",
            "auth.view_group",
            # Unlocking a locked-out user name or address (django-axes' admin).
            "axes.view_accessattempt",
            "axes.delete_accessattempt",
        ),
        Role.AUDIT_ADMIN: ("accounts.view_security_settings",),
    },
    urls={
        "accounts:password_change": ScopedUrl(None),
        "accounts:security": ScopedUrl("accounts.view_security_settings"),
    },
)
