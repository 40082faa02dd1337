"""The duplicates pages: the list (masked IDs, the user's scope), the compare page, merge
and not-duplicate by their forms, the on-demand check as a background job."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from canlian.models import AuditEntry, Job
from conftest import make_person
from registry.identifiers import mask_id
from registry.models import DuplicatePair, Status
from rehab.models import NeedAssessment


@pytest.fixture
def twin(areas, person):
    return make_person(areas["baisha_b"], name=person.name, sequence=321)


@pytest.fixture
def pair(person, twin):
    now = timezone.now()
    return DuplicatePair.objects.create(person_a=person, person_b=twin, reasons=1, found_at=now, seen_at=now)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_list_shows_the_pairs_with_masked_ids_and_reasons(users, pair, person):
    page = _client(users["officer"]).get(reverse("registry:duplicate_list")).content.decode()
    assert mask_id(person.id_number) in page
    assert person.id_number not in page
    assert "姓名和出生日期相同，身份证号不同" in page
    assert reverse("registry:duplicate_compare", args=[pair.pk]) in page
    assert "立即检查全区" not in page  # the check reads every town: the district's


def test_the_compare_page_shows_both_persons_and_their_records(users, pair, person, twin):
    NeedAssessment.objects.create(
        person=twin,
        area_code=twin.area_id,
        year=2025,
        has_need=True,
        assessed_on="2025-04-01",
        assessed_by=users["admin"],
    )
    page = _client(users["officer"]).get(reverse("registry:duplicate_compare", args=[pair.pk])).content.decode()
    assert mask_id(twin.id_number) in page and mask_id(person.id_number) in page
    assert '<th scope="row">康复需求评估</th><td>0 条</td><td>1 条</td>' in page
    assert 'name="kept"' in page


def test_merging_through_the_page_keeps_the_chosen_person(users, pair, person, twin):
    response = _client(users["officer"]).post(reverse("registry:duplicate_merge", args=[pair.pk]), {"kept": twin.pk})
    assert response.status_code == 302 and response.url == reverse("registry:person_detail", args=[twin.pk])
    person.refresh_from_db()
    assert (person.status, person.merged_into_id) == (Status.MERGED, twin.pk)


def test_a_merge_without_a_choice_is_refused_on_the_page(users, pair):
    response = _client(users["officer"]).post(reverse("registry:duplicate_merge", args=[pair.pk]), {})
    assert response.status_code == 400
    assert "请选择保留哪一位人员" in response.content.decode()
    assert DuplicatePair.objects.get().decision == "open"


def test_not_a_duplicate_through_the_page_is_audited_and_leaves_the_open_list(users, pair):
    client = _client(users["officer"])
    assert client.post(reverse("registry:duplicate_dismiss", args=[pair.pk])).status_code == 302
    assert DuplicatePair.objects.get().decision == "not_duplicate"
    assert AuditEntry.objects.filter(action="registry.duplicates.dismissed").count() == 1
    page = client.get(reverse("registry:duplicate_list")).content.decode()
    assert reverse("registry:duplicate_compare", args=[pair.pk]) not in page


def test_another_towns_officer_does_not_see_the_pair(users, pair):
    client = _client(users["other_officer"])
    assert client.get(reverse("registry:duplicate_compare", args=[pair.pk])).status_code == 404
    assert (
        reverse("registry:duplicate_compare", args=[pair.pk])
        not in client.get(reverse("registry:duplicate_list")).content.decode()
    )


def test_the_reviewer_runs_the_check_as_a_job_and_reads_its_outcome(users, person, twin):
    client = _client(users["reviewer"])
    response = client.post(reverse("registry:duplicate_check"))
    job = Job.objects.get(kind="registry.duplicates")
    assert response.url == reverse("registry:duplicate_job", args=[job.pk])
    assert (job.state, job.report["open"], job.processed, job.total) == ("done", 1, 4, 4)
    assert "待核实 1 对" in client.get(response.url).content.decode()
    assert AuditEntry.objects.filter(action="registry.duplicates.checked", user=users["reviewer"]).exists()


def test_the_work_list_shows_an_open_pair_to_the_officer(users, pair):
    page = _client(users["officer"]).get(reverse("worklist:kind", args=["duplicates"])).content.decode()
    assert "疑似重复登记" in page
    assert reverse("registry:duplicate_compare", args=[pair.pk]) in page


def test_the_merged_persons_page_points_at_the_kept_one(users, pair, person, twin):
    client = _client(users["officer"])
    client.post(reverse("registry:duplicate_merge", args=[pair.pk]), {"kept": person.pk})
    page = client.get(reverse("registry:person_detail", args=[twin.pk])).content.decode()
    assert "这是一条重复登记，已合并到" in page
    assert reverse("registry:person_detail", args=[person.pk]) in page
