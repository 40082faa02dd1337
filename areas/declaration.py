"""What areas contributes: every role with a jurisdiction reads the area tree; the district
administrator edits it. The demo loads approximate boundaries of the six towns (the map)."""

from pathlib import Path

from django.core.management import call_command

from accounts.roles import Role
from canlian.declarations import AppDeclaration, DemoStep

READ = ("areas.view_area",)

# Hand-drawn outlines of Pengjiang's six towns/streets around Jiangmen's real position:
# a sketch for the demo's map, loaded as approximate (the page says so), not survey data.
DEMO_BOUNDARIES = Path(__file__).resolve().parent / "demo_boundaries.geojson"


def seed(stdout, options: dict) -> None:
    call_command("import_areas", geojson=str(DEMO_BOUNDARIES), approximate=True, stdout=stdout)


declaration = AppDeclaration(
    role_permissions={
        Role.DISTRICT_ADMIN: (*READ, "areas.add_area", "areas.change_area"),
        Role.DISTRICT_REVIEWER: READ,
        Role.TOWN_OFFICER: READ,
        Role.CENTRE_STAFF: READ,
        Role.LEADER: READ,
    },
    # After the registry's step, which loads the communities a real file may outline too.
    demo=DemoStep(run=seed, order=5, after=("registry",)),
)
