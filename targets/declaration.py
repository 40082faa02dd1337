"""What targets contributes: the dashboard, the targets and their permissions, and the
demo's targets and first figures. (The indicators are declared by the apps whose records
they count; targets computes and shows them.)"""

from django.core.management import call_command
from django.urls import reverse

from accounts.roles import Role
from canlian.declarations import AppDeclaration, DemoStep, NavEntry, ScopedUrl

# Every role with a jurisdiction reads the figures of its area (a leader: of the district).
READ = ("targets.view_indicatorvalue", "targets.view_target")


def seed(stdout, options: dict) -> None:
    call_command("seed_targets", split=True, stdout=stdout)
    call_command("refresh_indicators", stdout=stdout)


def _towns(world):
    return tuple(reverse("targets:town", args=[world.areas[key].code]) for key in ("baisha", "hetang"))


def _records(world):
    """The certified persons behind the home town's figure and the other town's."""
    import datetime

    year = datetime.date.today().year
    url = reverse("targets:records", args=["certified_persons"])
    return tuple(f"{url}?area={world.areas[key].code}&year={year}" for key in ("baisha", "hetang"))


def _centres(world):
    """The home town's centre (the centre staff's) and the other town's (care's scope world)."""
    return tuple(reverse("targets:centre", args=[getattr(world.care, key).centre.pk]) for key in ("home", "other"))


def _town_maps(world):
    """A town's community map (?town=), the home town's and the other town's."""
    url = reverse("targets:map")
    return tuple(f"{url}?town={world.areas[key].code}" for key in ("baisha", "hetang"))


def _targets_written() -> int:
    from targets.models import Target

    return Target.objects.count()


declaration = AppDeclaration(
    nav=(
        NavEntry("targets:dashboard", "目标与指标", "targets.view_indicatorvalue", 100),
        NavEntry("targets:map", "地图", "targets.view_indicatorvalue", 101),
    ),
    role_permissions={
        Role.DISTRICT_ADMIN: (
            *READ,
            "targets.add_target",
            "targets.change_target",
            "targets.delete_target",
            "targets.refresh_indicators",
            "targets.view_indicatorrefresh",
            "targets.view_trafficlight",
            "targets.add_trafficlight",
            "targets.change_trafficlight",
        ),
        Role.DISTRICT_REVIEWER: READ,
        Role.TOWN_OFFICER: READ,
        Role.LEADER: READ,
    },
    # Last: the figures are computed from every other app's demo records.
    demo=DemoStep(run=seed, order=90, after=("registry",)),
    urls={
        "targets:dashboard": ScopedUrl("targets.view_indicatorvalue"),
        "targets:town": ScopedUrl("targets.view_indicatorvalue", _towns),
        "targets:centre": ScopedUrl("care.view_institution", _centres),
        "targets:records": ScopedUrl(("targets.view_indicatorvalue", "registry.view_personal_data"), _records),
        "targets:map": ScopedUrl("targets.view_indicatorvalue", _town_maps),
        "targets:export": ScopedUrl("targets.view_indicatorvalue"),
        "targets:report": ScopedUrl("targets.view_indicatorvalue"),
        "targets:report_export": ScopedUrl("targets.view_indicatorvalue"),
        "targets:refresh": ScopedUrl("targets.refresh_indicators", method="POST", ok=302),
        "targets:targets_edit": ScopedUrl("targets.change_target"),
        "targets:targets_split": ScopedUrl("targets.change_target", method="POST", ok=302, written=_targets_written),
    },
    sqlite_tests=(
        "tests/test_indicator_values.py",
        "tests/test_refresh_idempotent.py",
        "tests/test_refresh_waiting.py",
        "tests/test_refresh_queue.py",
        "tests/test_seed_figures.py",
        "tests/test_refresh_part.py",
        "tests/test_refresh_first_months.py",
    ),
)
