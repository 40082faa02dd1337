"""What areas contributes: every role with a jurisdiction reads the area tree; the district
administrator edits it."""

from accounts.roles import Role
from canlian.declarations import AppDeclaration

READ = ("areas.view_area",)

declaration = AppDeclaration(
    role_permissions={
        Role.DISTRICT_ADMIN: (*READ, "areas.add_area", "areas.change_area"),
        Role.DISTRICT_REVIEWER: READ,
        Role.TOWN_OFFICER: READ,
        Role.CENTRE_STAFF: READ,
        Role.LEADER: READ,
    },
)
