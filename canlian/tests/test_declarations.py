"""The apps' declarations give exactly what the central tables gave before they moved
(role permissions, navigation, indicators, the SQLite list), and a new declaration plugs in
without any other file."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.context_processors import navigation
from accounts.roles import ROLE_PERMISSIONS, Role, role_permissions
from canlian import declarations
from canlian.declarations import AppDeclaration, DemoStep, NavEntry
from targets.indicators import INDICATORS

# accounts/roles.py's table before the move (with the audit log's changes merged from main),
# each role's set written out.
BEFORE = {
    Role.DISTRICT_ADMIN: {
        "canlian.view_auditentry",
        "areas.add_area", "areas.change_area", "areas.view_area",
        "benefits.add_rate", "benefits.add_scheme", "benefits.add_vehicle", "benefits.change_award",
        "benefits.change_rate", "benefits.change_scheme", "benefits.change_vehicle", "benefits.export_payroll",
        "benefits.prepare_payroll", "benefits.view_application", "benefits.view_award",
        "benefits.view_eligibility", "benefits.view_payrollbatch", "benefits.view_rate", "benefits.view_scheme",
        "benefits.view_vehicle",
        "registry.add_person", "registry.add_personevent", "registry.change_person", "registry.export_persons",
        "registry.import_persons", "registry.reveal_identifiers", "registry.view_person",
        "registry.view_personal_data", "registry.view_personevent",
        "rehab.add_needassessment", "rehab.add_provider", "rehab.add_rehabitem", "rehab.add_servicerecord",
        "rehab.change_needassessment", "rehab.change_provider", "rehab.change_rehabitem",
        "rehab.export_servicerecords", "rehab.view_needassessment", "rehab.view_provider", "rehab.view_rehabitem",
        "rehab.view_servicerecord", "rehab.void_servicerecord",
        "targets.add_target", "targets.change_target", "targets.delete_target", "targets.refresh_indicators",
        "targets.view_indicatorrefresh", "targets.view_indicatorvalue", "targets.view_target",
        "targets.view_trafficlight", "targets.add_trafficlight", "targets.change_trafficlight",
    },
    Role.DISTRICT_REVIEWER: {
        "areas.view_area",
        "benefits.approve_payroll", "benefits.change_award", "benefits.decide_application",
        "benefits.export_payroll", "benefits.view_application", "benefits.view_award",
        "benefits.view_eligibility", "benefits.view_payrollbatch", "benefits.view_rate", "benefits.view_scheme",
        "registry.export_persons", "registry.reveal_identifiers", "registry.view_person",
        "registry.view_personal_data", "registry.view_personevent",
        "rehab.export_servicerecords", "rehab.view_needassessment", "rehab.view_provider", "rehab.view_rehabitem",
        "rehab.view_servicerecord",
        "targets.view_indicatorvalue", "targets.view_target",
    },
    Role.TOWN_OFFICER: {
        "areas.view_area",
        "benefits.add_application", "benefits.add_vehicle", "benefits.town_review_application",
        "benefits.view_application", "benefits.view_award", "benefits.view_eligibility",
        "benefits.view_payrollbatch", "benefits.view_rate", "benefits.view_scheme", "benefits.view_vehicle",
        "registry.add_person", "registry.add_personevent", "registry.change_person", "registry.export_persons",
        "registry.import_persons", "registry.reveal_identifiers", "registry.view_person",
        "registry.view_personal_data", "registry.view_personevent",
        "rehab.add_needassessment", "rehab.add_servicerecord", "rehab.change_needassessment",
        "rehab.export_servicerecords", "rehab.view_needassessment", "rehab.view_provider", "rehab.view_rehabitem",
        "rehab.view_servicerecord", "rehab.void_servicerecord",
        "targets.view_indicatorvalue", "targets.view_target",
    },
    Role.CENTRE_STAFF: {
        "areas.view_area", "registry.view_person", "registry.view_personal_data", "registry.view_personevent",
    },
    Role.LEADER: {
        "areas.view_area",
        "benefits.view_award", "benefits.view_payrollbatch", "benefits.view_scheme",
        "registry.view_person",
        "rehab.view_provider", "rehab.view_rehabitem", "rehab.view_servicerecord",
        "targets.view_indicatorvalue", "targets.view_target",
    },
    Role.AUDIT_ADMIN: {"canlian.view_auditentry"},
}  # fmt: skip

# What the moved apps declared since: rehab's child rehabilitation assistance (issue 13).
_CHILD_READ = {
    "rehab.view_child", "rehab.view_childassessment", "rehab.view_childapplication",
    "rehab.view_childrehabrecord", "rehab.view_childrehabstandard", "rehab.export_childapplications",
}  # fmt: skip
_CHILD_WRITE = {
    "rehab.add_child", "rehab.change_child", "rehab.add_childassessment", "rehab.change_childassessment",
    "rehab.add_childapplication", "rehab.add_childrehabrecord", "rehab.void_childrehabrecord",
}  # fmt: skip
# Issue 17 (三员分立): user administration moved from the district administrator to the
# system administrator; the audit administrator reads the security settings.
_USERS = {"accounts.add_user", "accounts.change_user", "accounts.view_user"}
# Change requests of key fields (registry.changes): asked by the towns and the district
# office, decided by the reviewer.
_CHANGES_ASK = {"registry.view_changerequest", "registry.add_changerequest"}
# The duplicates (issue 18): town officers settle their town's pairs, the district runs the check.
_DUPLICATES = {"registry.view_duplicatepair", "registry.change_duplicatepair", "registry.merge_persons"}
ADDED = {
    Role.SYSTEM_ADMIN: _USERS,
    Role.AUDIT_ADMIN: {"accounts.view_security_settings"},
    Role.DISTRICT_ADMIN: _CHILD_READ | _CHILD_WRITE | _CHANGES_ASK | _DUPLICATES | {
        "rehab.place_childapplication", "rehab.add_childrehabstandard", "rehab.change_childrehabstandard",
        "registry.check_duplicates",
    },
    Role.DISTRICT_REVIEWER: _CHILD_READ | _DUPLICATES | {
        "rehab.decide_childapplication", "rehab.place_childapplication", "registry.check_duplicates",
        "registry.view_changerequest", "registry.decide_changerequest",
    },
    Role.TOWN_OFFICER: _CHILD_READ | _CHILD_WRITE | _CHANGES_ASK | _DUPLICATES,
    # Outreach's counsellors see their clients' names, not the registry.
    Role.COUNSELLOR: {"registry.view_personal_data"},
}  # fmt: skip

NAV_BEFORE = [
    ("registry:person_list", "持证残疾人", "registry.view_person"),
    ("registry:persons_import", "数据导入", "registry.import_persons"),
    ("registry:comparison_import", "数据比对", "registry.import_persons"),
    ("benefits:application_list", "补贴申请", ("benefits.view_application", "registry.view_personal_data")),
    ("benefits:eligibility", "资格比对", "benefits.view_eligibility"),
    ("benefits:batch_list", "补贴发放", "benefits.view_payrollbatch"),
    ("benefits:grant_list", "其他资助", "benefits.view_award"),
    ("rehab:record_list", "康复服务", ("rehab.view_servicerecord", "registry.view_personal_data")),
    ("rehab:figures", "康复统计", "rehab.view_servicerecord"),
    ("targets:dashboard", "目标与指标", "targets.view_indicatorvalue"),
    ("audit:entry_list", "审计日志", "canlian.view_auditentry"),
]
NAV_NAMES = {name for name, _label, _perm in NAV_BEFORE}

INDICATORS_BEFORE = [
    "certified_persons",
    "living_recipients",
    "living_amount",
    "nursing_recipients",
    "nursing_amount",
    "fuel_recipients",
    "education_students",
    "insurance_insured",
    "basic_insurance_insured",
    "one_off_grants",
    "grants_amount",
    "rehab_person_times",
    "rehab_coverage",
]

SQLITE_BEFORE = {
    "benefits/tests/test_payroll.py",
    "benefits/tests/test_rules_table.py",
    "targets/tests/test_indicator_values.py",
    "targets/tests/test_refresh_idempotent.py",
    "targets/tests/test_refresh_waiting.py",
    "targets/tests/test_refresh_queue.py",
    "registry/tests/test_area_check_flush.py",
    "registry/tests/test_import_changes.py",
    "registry/tests/test_import_status_events.py",
    "rehab/tests/test_service_years.py",
    "rehab/tests/test_indicators.py",
}


# The apps whose contributions were moved into declarations. A later app adds entries of
# its own (that is what a declaration is for): these tests pin what the moved apps
# declare, and that a new app's additions leave it as it was, without naming the new app.
MOVED = ("areas", "accounts", "registry", "benefits", "rehab", "targets", "canlian")


def test_every_app_with_contributions_has_a_declaration_found_in_installed_order():
    found = [label for label in declarations.declarations() if label in MOVED]
    assert found == list(MOVED)


def test_the_moved_apps_role_permissions_are_exactly_the_old_table():
    got = {role: {perm for perm in perms if perm.split(".")[0] in MOVED} for role, perms in ROLE_PERMISSIONS.items()}
    assert {role: perms for role, perms in got.items() if perms} == {
        role: BEFORE.get(role, set()) | ADDED.get(role, set()) for role in {*BEFORE, *ADDED}
    }
    assert all(len(perms) == len(set(perms)) for perms in ROLE_PERMISSIONS.values())


def test_the_moved_apps_navigation_is_the_old_one_in_its_order():
    moved = [(e.url_name, e.label, e.permission) for e in declarations.navigation() if e.url_name in NAV_NAMES]
    assert moved == NAV_BEFORE


def test_the_moved_apps_indicators_are_the_old_ones_in_their_order():
    assert [key for key in INDICATORS if key in INDICATORS_BEFORE] == INDICATORS_BEFORE
    assert INDICATORS["rehab_coverage"].source == "rehab" and INDICATORS["living_amount"].is_money


def test_the_sqlite_list_holds_the_makefiles_old_one():
    out = StringIO()
    call_command("sqlite_tests", stdout=out)
    assert set(out.getvalue().split()) >= SQLITE_BEFORE


def test_the_demo_steps_run_registry_areas_benefits_rehab_then_targets():
    moved = [label for label, _ in declarations.demo_steps() if label in MOVED]
    assert moved == ["registry", "areas", "benefits", "rehab", "targets"]


@pytest.fixture
def with_app(monkeypatch):
    """A new app's declaration added to those discovered, as its module would be."""

    def add(label: str, declaration: AppDeclaration):
        monkeypatch.setattr(declarations, "_registry", {**declarations.declarations(), label: declaration})

    return add


def test_a_new_apps_nav_entry_shows_where_its_order_puts_it(rf, users, with_app):
    with_app("care", AppDeclaration(nav=(NavEntry("registry:person_export", "康园中心", "registry.view_person", 35),)))
    request = rf.get("/")
    request.user = users["officer"]
    labels = [item["label"] for item in navigation(request)["nav_items"]]
    assert labels[:8] == [
        "我的待办",
        "持证残疾人",
        "家庭户",
        "数据导入",
        "数据比对",
        "变更申请",
        "疑似重复",
        "康园中心",
    ]


def test_a_new_apps_role_permissions_join_the_role(with_app):
    # What the other apps give centre staff (the moved apps' BEFORE, and e.g. workshops').
    others = {
        perm
        for label, declaration in declarations.declarations().items()
        if label != "care"
        for perm in declaration.role_permissions.get(Role.CENTRE_STAFF, ())
    }
    assert others >= BEFORE[Role.CENTRE_STAFF]
    with_app("care", AppDeclaration(role_permissions={Role.CENTRE_STAFF: ("care.view_member",)}))
    assert set(role_permissions()[Role.CENTRE_STAFF]) == others | {"care.view_member"}


def test_seed_demo_all_runs_each_step_after_those_it_names(with_app, monkeypatch):
    ran = []
    fake = {
        "late": AppDeclaration(demo=DemoStep(run=lambda out, o: ran.append("late"), order=1, after=("early",))),
        "early": AppDeclaration(demo=DemoStep(run=lambda out, o: ran.append(("early", o["persons"])), order=5)),
        "other": AppDeclaration(demo=DemoStep(run=lambda out, o: ran.append("other"), order=3)),
    }
    monkeypatch.setattr(declarations, "_registry", fake)
    call_command("seed_demo", "--all", "--persons", "7", stdout=StringIO())
    assert ran == ["other", ("early", 7), "late"]


def test_a_step_waiting_on_itself_is_refused(monkeypatch):
    step = DemoStep(run=lambda out, o: None, order=1, after=("a",))
    monkeypatch.setattr(declarations, "_registry", {"a": AppDeclaration(demo=step)})
    with pytest.raises(ValueError, match="循环依赖"):
        declarations.demo_steps()
