"""Every kind's page of the work list, and the whole list, opened by every role with a line of
every kind in both towns: a role has the kinds its permissions give (403 on another's), and
each page shows the persons of the role's own scope, never one of the other town (the
scope walk opens one kind's page; this opens them all)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from benefits.models import Application, PayrollBatch, Scheme
from canlian.declarations import permitted, work_kinds
from canlian.scoping import is_district_user
from canlian.tests.test_scope_walk import AREA_SCOPE, ROLES
from canlian.worklist import Worklist
from registry.identifiers import mask_id
from rehab.models import NeedAssessment

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def every_kind(users, person, other_person):
    """For each town's person: a certificate ending in ten days, an application of each step
    (first review, notice ended, district review) and this year's unmet rehabilitation need;
    and a draft batch of the district."""
    schemes = {code: Scheme.objects.get(code=code) for code in ("living", "nursing", "education")}
    for p in (person, other_person):
        p.certificate_valid_until = TODAY + 10 * DAY
        p.save(update_fields=["certificate_valid_until"])
        common = {"person": p, "area_code": p.area_id, "applicant": "self", "submitted_by": users["admin"]}
        Application.objects.create(scheme=schemes["living"], applied_on=TODAY - 20 * DAY, **common)
        Application.objects.create(
            scheme=schemes["nursing"],
            applied_on=TODAY - 20 * DAY,
            state=Application.State.NOTICE,
            notice_until=TODAY - DAY,
            **common,
        )
        Application.objects.create(
            scheme=schemes["education"],
            applied_on=TODAY - 30 * DAY,
            state=Application.State.DISTRICT_REVIEW,
            notice_until=TODAY - 5 * DAY,
            **common,
        )
        NeedAssessment.objects.create(
            person=p,
            area_code=p.area_id,
            year=TODAY.year,
            has_need=True,
            kinds=["physical"],
            assessed_on=TODAY,
            assessed_by=users["admin"],
        )
    PayrollBatch.objects.create(
        scheme=schemes["living"], month=TODAY.replace(day=1), prepared_by=users["admin"], generated_at=timezone.now()
    )
    return {"home": person, "other": other_person}


# Whose persons each role's work list shows with this fixture: a counsellor's scope is the
# cases they serve, and the fixture gives them none.
PERSONS_SEEN = {**AREA_SCOPE, "counsellor": set()}


def _has(user, kind) -> bool:
    return permitted(user, kind.permission) and (kind.key != "batch_approval" or is_district_user(user))


def _secrets(person) -> tuple[str, ...]:
    return (person.name, person.id_number, mask_id(person.id_number), person.certificate_number)


def test_every_kinds_page_answers_each_role_and_shows_its_own_scope_only(users, every_kind):
    failures = []
    kinds = work_kinds()
    assert {k.key for k in kinds} >= {
        "town_review",
        "notice_ended",
        "district_review",
        "batch_approval",
        "certificate_renewal",
        "rehab_unserved",
    }
    for role in ROLES:
        user = users[role]
        client = Client()
        client.force_login(user)
        mine = [k for k in kinds if _has(user, k)]
        pages = [(None, reverse("worklist:list"))] + [(k, reverse("worklist:kind", args=[k.key])) for k in kinds]
        for kind, url in pages:
            want = 200 if (mine if kind is None else kind in mine) else 403
            response = client.get(url)
            if response.status_code != want:
                failures.append(f"{url} as {role}: {response.status_code}, expected {want}")
                continue
            body = response.content.decode()
            for town, p in every_kind.items():
                seen = [s for s in _secrets(p) if s in body]
                if town not in PERSONS_SEEN[role] and seen:
                    failures.append(f"{url} as {role} shows the other town's person: {seen}")
                # Every page of a kind of this fixture lists both towns' persons (the batch: none).
                shows_persons = (kind is None and any(k.key in BUILT for k in mine)) or (
                    kind is not None and kind.key in BUILT and kind.key != "batch_approval"
                )
                if want == 200 and shows_persons and town in PERSONS_SEEN[role] and p.name not in body:
                    failures.append(f"{url} as {role} misses {p.name} of its own scope")
        if mine:
            counts = {c.kind.key: c.total for c in Worklist(user, TODAY).counts}
            expected_each = len(AREA_SCOPE[role])
            for key, total in counts.items():
                if key in BUILT and total != (1 if key == "batch_approval" else expected_each):
                    failures.append(f"{role}: {total} lines of {key}")
    assert not failures, "\n".join(failures)


def test_who_has_which_kinds(users):
    mine = {role: [k.key for k in work_kinds() if _has(users[role], k)] for role in ROLES}
    assert {role: [k for k in keys if k in BUILT] for role, keys in mine.items()} == {
        "admin": ["certificate_renewal", "rehab_unserved"],
        "reviewer": ["district_review", "batch_approval"],
        "officer": ["town_review", "notice_ended", "certificate_renewal", "rehab_unserved"],
        "other_officer": ["town_review", "notice_ended", "certificate_renewal", "rehab_unserved"],
        "centre": [],
        "leader": [],
        "auditor": [],
        "counsellor": [],
        "sysadmin": [],
    }


# The kinds of the apps this test was written with; other apps' kinds are theirs to test.
BUILT = {"town_review", "notice_ended", "district_review", "batch_approval", "certificate_renewal", "rehab_unserved"}
