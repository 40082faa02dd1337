"""`audit_write` records an entry inside the caller's transaction, only for known actions;
`access_log_write` files reveals, exports and imports under the app that wrote them; the
access log's old rows are carried over by accounts' data migration."""

import importlib

import pytest
from django.db import transaction

from accounts.models import AccessLog
from accounts.services import access_log_write
from canlian.audit import ACTIONS, audit_write
from canlian.models import AuditEntry


def test_an_entry_names_its_object_its_person_and_its_data(users, person):
    entry = audit_write(action="registry.identifiers.revealed", user=users["officer"], obj=person, data={"a": 1})
    entry.refresh_from_db()
    assert (entry.user, entry.content_type.model, entry.object_id) == (users["officer"], "person", str(person.pk))
    assert entry.person_id == person.pk and entry.data == {"a": 1}
    assert entry.action_label == "查看完整证件号"


def test_an_unknown_action_is_refused(users):
    with pytest.raises(ValueError, match="unregistered audit action"):
        audit_write(action="benefits.batch.aproved", user=users["admin"])
    assert not AuditEntry.objects.exists()


def test_an_entry_rolls_back_with_the_change_it_records(users):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_write(action="targets.target.changed", user=users["admin"], data={"year": 2026})
        raise RuntimeError
    assert not AuditEntry.objects.exists()


def test_every_app_registered_its_actions_with_a_chinese_label():
    for action in ["registry.identifiers.revealed", "benefits.batch.approved", "rehab.record.voided", "areas.import"]:
        assert ACTIONS[action]
    assert all(key.count(".") >= 1 and label for key, label in ACTIONS.items())


def _defined_in(module: str, source: str, **names):
    """A function whose frames say they belong to `module`, as code of that app would."""
    namespace = {"__name__": module, **names}
    exec(source, namespace)  # noqa: S102 - fixed source, for the frames' module name only
    return namespace["call"]


def test_the_access_log_files_a_reveal_on_the_person(users, person):
    reveal = access_log_write(user=users["officer"], action=AccessLog.Action.REVEAL, person=person)
    assert (reveal.action, reveal.person_id, reveal.object_id) == (
        "registry.identifiers.revealed",
        person.pk,
        str(person.pk),
    )


def test_the_access_log_files_an_export_under_the_app_that_asked_for_it(users):
    # The export framework (canlian) writes the log for a page of rehab: rehab's export.
    framework = _defined_in(
        "canlian.exporting",
        "def call(user):\n    return write(user=user, action='export', rows=3)",
        write=access_log_write,
    )
    page = _defined_in("rehab.views", "def call(user):\n    return framework(user)", framework=framework)
    entry = page(users["officer"])
    assert (entry.action, entry.data) == ("rehab.export", {"rows": 3})
    direct = _defined_in(
        "benefits.award_import", "def call(user):\n    return write(user=user, action='import')", write=access_log_write
    )
    assert direct(users["admin"]).action == "benefits.import"


@pytest.mark.parametrize(
    ("action", "detail", "expected"),
    [
        ("reveal", {}, "registry.identifiers.revealed"),
        ("import", {"file": "a.xlsx", "created": 1}, "registry.import"),
        ("import", {"kind": "events"}, "registry.import"),
        ("import", {"kind": "awards"}, "benefits.import"),
        ("export", {"filters": {"grade": "1"}, "rows": 1, "revealed": True}, "registry.export"),
        ("export", {"what": "rehab_records", "rows": 1}, "rehab.export"),
        ("export", {"export": "indicators", "year": 2026, "rows": 5}, "targets.export"),
        ("export", {"filters": {"export": "eligibility"}, "rows": 2}, "benefits.export"),
        ("export", {"filters": {"export": "bank_file"}, "rows": 2}, "benefits.export"),
        ("export", {"list": "insurance", "date": "2024-06-01", "rows": 4}, "benefits.export"),
    ],
)
def test_the_migration_files_each_old_access_row_under_its_action(action, detail, expected):
    migration = importlib.import_module("accounts.migrations.0003_accesslog_to_audit")

    class Row:
        pass

    row = Row()
    row.action, row.detail = action, detail
    assert migration._action(row) == expected
    assert expected in ACTIONS
