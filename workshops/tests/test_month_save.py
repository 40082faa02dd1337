"""A workshop's month saved as a whole: new rows, corrections with their audit entry,
unchanged rows, and who may correct."""

import pytest
from django.core.exceptions import PermissionDenied

from canlian.models import AuditEntry
from workshops.models import WorkMonth
from workshops.services import Entry, month_save
from workshops.tests.conftest import LAST_MONTH

pytestmark = pytest.mark.django_db


def test_a_month_is_saved_for_every_member_at_once(workshop, members, users):
    entries = {m.person_id: Entry(20 + i, 80000 + i * 100) for i, m in enumerate(members)}
    saved = month_save(user=users["centre"], workshop=workshop, month=LAST_MONTH, entries=entries)
    assert (saved.created, saved.changed, saved.unchanged) == (3, 0, 0)
    rows = {w.person_id: (w.work_days, w.income_fen, w.area_code) for w in WorkMonth.objects.all()}
    assert rows == {m.person_id: (20 + i, 80000 + i * 100, m.person.area_id) for i, m in enumerate(members)}
    assert all(w.recorded_by == users["centre"] for w in WorkMonth.objects.all())


def test_saving_again_corrects_the_changed_rows_and_audits_them(workshop, members, users):
    entries = {m.person_id: Entry(20, 80000) for m in members}
    month_save(user=users["centre"], workshop=workshop, month=LAST_MONTH, entries=entries)
    entries[members[0].person_id] = Entry(18, 72000)
    saved = month_save(user=users["centre"], workshop=workshop, month=LAST_MONTH, entries=entries)
    assert saved.summary == "新登记 0 人，更正 1 人，未变 2 人"
    row = WorkMonth.objects.get(person=members[0].person)
    assert (row.work_days, row.income_fen, row.changed_by) == (18, 72000, users["centre"])
    entry = AuditEntry.objects.get(action="workshops.month.corrected")
    assert entry.data["changes"] == [{"person": members[0].person_id, "before": [20, 80000], "after": [18, 72000]}]


def test_a_day_within_the_month_is_normalised_to_the_month(workshop, members, users):
    day = LAST_MONTH.replace(day=15)
    month_save(user=users["admin"], workshop=workshop, month=day, entries={members[0].person_id: Entry(5, 100)})
    assert WorkMonth.objects.get().month == LAST_MONTH


def test_a_user_who_may_not_correct_cannot_change_a_saved_month(workshop, members, users):
    person = members[0].person_id
    month_save(user=users["admin"], workshop=workshop, month=LAST_MONTH, entries={person: Entry(20, 80000)})
    staff = users["centre"]
    staff.groups.first().permissions.remove(*staff.groups.first().permissions.filter(codename="change_workmonth"))
    staff = type(staff).objects.get(pk=staff.pk)
    with pytest.raises(PermissionDenied, match="更正车间月报"):
        month_save(user=staff, workshop=workshop, month=LAST_MONTH, entries={person: Entry(10, 80000)})
    assert WorkMonth.objects.get().work_days == 20
