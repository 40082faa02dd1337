"""What the platform itself contributes: the front door, which sends every signed-in user
on, and the audit log of the district administrator and the audit administrator."""

from accounts.roles import Role
from canlian.declarations import AppDeclaration, NavEntry, ScopedUrl

AUDIT = ("canlian.view_auditentry",)

declaration = AppDeclaration(
    nav=(NavEntry("audit:entry_list", "审计日志", "canlian.view_auditentry", 110),),
    role_permissions={Role.DISTRICT_ADMIN: AUDIT, Role.AUDIT_ADMIN: AUDIT},
    urls={
        "home": ScopedUrl(None, ok=302),
        "centre_home": ScopedUrl(None),
        "audit:entry_list": ScopedUrl("canlian.view_auditentry"),
        "audit:entry_export": ScopedUrl("canlian.view_auditentry"),
    },
)
