"""The roles of DESIGN.md as Django groups, each with its permissions.

The table below is the single source: `sync_role_groups` (run after every migrate)
makes the groups match it.
"""

from django.db import models


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", "区残联管理员"
    DISTRICT_REVIEWER = "district_reviewer", "区残联审核员"
    TOWN_OFFICER = "town_officer", "镇(街)残联专干"
    CENTRE_STAFF = "centre_staff", "康园中心工作人员"
    LEADER = "leader", "领导"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


_REGISTRY_READ = [
    "registry.view_person",
    "registry.view_personevent",
    "registry.view_personal_data",
]
_REGISTRY_WRITE = [
    "registry.add_person",
    "registry.change_person",
    "registry.add_personevent",
    "registry.import_persons",
]

# Every role with a jurisdiction reads the figures of its area (a leader: of the district).
_TARGETS_READ = ["targets.view_indicatorvalue", "targets.view_target"]

_BENEFITS_READ = [
    "benefits.view_scheme",
    "benefits.view_rate",
    "benefits.view_application",
    "benefits.view_award",
    "benefits.view_payrollbatch",
    "benefits.view_eligibility",
]

_REHAB_READ = [
    "rehab.view_rehabitem",
    "rehab.view_provider",
    "rehab.view_needassessment",
    "rehab.view_servicerecord",
    "rehab.export_servicerecords",
]
_REHAB_WRITE = [
    "rehab.add_servicerecord",
    "rehab.void_servicerecord",
    "rehab.add_needassessment",
    "rehab.change_needassessment",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.DISTRICT_ADMIN: [
        *_REGISTRY_READ,
        *_REGISTRY_WRITE,
        "registry.reveal_identifiers",
        "registry.export_persons",
        "areas.view_area",
        "areas.add_area",
        "areas.change_area",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "canlian.view_auditentry",
        *_BENEFITS_READ,
        "benefits.add_scheme",
        "benefits.change_scheme",
        "benefits.add_rate",
        "benefits.change_rate",
        "benefits.change_award",
        "benefits.prepare_payroll",
        "benefits.export_payroll",
        "benefits.add_vehicle",
        "benefits.change_vehicle",
        "benefits.view_vehicle",
        *_REHAB_READ,
        *_REHAB_WRITE,
        "rehab.add_rehabitem",
        "rehab.change_rehabitem",
        "rehab.add_provider",
        "rehab.change_provider",
        *_TARGETS_READ,
        "targets.add_target",
        "targets.change_target",
        "targets.delete_target",
        "targets.refresh_indicators",
        "targets.view_indicatorrefresh",
    ],
    Role.DISTRICT_REVIEWER: [
        *_REGISTRY_READ,
        "registry.reveal_identifiers",
        "registry.export_persons",
        "areas.view_area",
        *_BENEFITS_READ,
        "benefits.decide_application",
        "benefits.approve_payroll",
        "benefits.export_payroll",
        "benefits.change_award",
        *_REHAB_READ,
        *_TARGETS_READ,
    ],
    Role.TOWN_OFFICER: [
        *_REGISTRY_READ,
        *_REGISTRY_WRITE,
        "registry.reveal_identifiers",
        "registry.export_persons",
        "areas.view_area",
        *_BENEFITS_READ,
        "benefits.add_application",
        "benefits.town_review_application",
        "benefits.view_vehicle",
        "benefits.add_vehicle",
        *_REHAB_READ,
        *_REHAB_WRITE,
        *_TARGETS_READ,
    ],
    Role.CENTRE_STAFF: [*_REGISTRY_READ, "areas.view_area"],
    # Leaders see figures and tables of counts, never a row per person, a name (not even
    # masked) or a note: without registry.view_personal_data the person list is a table of
    # counts, and every page of persons, applications or records answers 403. They keep
    # registry.view_person, which sets the area their counts and dashboards cover; they
    # export nothing and never write.
    Role.LEADER: [
        "registry.view_person",
        "areas.view_area",
        "benefits.view_scheme",
        "benefits.view_payrollbatch",
        "benefits.view_award",
        "rehab.view_rehabitem",
        "rehab.view_provider",
        "rehab.view_servicerecord",
        *_TARGETS_READ,
    ],
    # Reads the audit log and changes nothing (三员分立): no business data either.
    Role.AUDIT_ADMIN: ["canlian.view_auditentry"],
}


def sync_role_groups(sender=None, **kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    wanted = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    available = {
        f"{p.content_type.app_label}.{p.codename}": p for p in Permission.objects.select_related("content_type")
    }
    if not wanted <= set(available):
        return  # some app has not migrated yet; a later post_migrate finishes the job
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=Role(role).label)
        group.permissions.set([available[p] for p in perms])
