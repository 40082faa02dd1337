"""What accounts contributes: the user administration of the district administrator. (Its
pages are the admin's, which the scope test leaves out.)"""

from accounts.roles import Role
from canlian.declarations import AppDeclaration

declaration = AppDeclaration(
    role_permissions={
        Role.DISTRICT_ADMIN: (
            "accounts.view_user",
            "accounts.add_user",
            "accounts.change_user",
        ),
    },
)
