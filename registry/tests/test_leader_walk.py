"""A leader walks every page they can reach from the home page, following each link (and
each export it offers), and then tries the pages of one person, application or record by
address. No response may hold a person's name, even masked (陈**), a piece of an ID or
certificate number, a phone or account, or a free-text note: a leader reads figures and
tables of counts, never a row per person."""

import datetime
import html as html_lib
import io
import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from benefits.grants import grant_project_create
from benefits.models import Award, Scheme
from benefits.payroll import payroll_approve, payroll_generate
from benefits.services import application_submit, application_town_review
from conftest import make_person
from registry.identifiers import mask_id, mask_name
from registry.models import EventKind
from registry.presenters import mask_certificate
from registry.services import person_event_record
from rehab.models import Provider, RehabItem
from rehab.services import need_assess, service_record

TODAY = datetime.date.today()
NOTES = ["家中困难情况说明", "初审退回缺户口簿", "屋顶翻修防漏", "民政死亡名单核对", "家属陪同训练", "复评需辅具"]
HREF = re.compile(r'(?:href|hx-get)="([^"#]*)"')
SKIP = ("/admin", "/static", "/logout", "/login")
MAX_PAGES = 400


@pytest.fixture
def world(users, areas, person, other_person):
    """Persons of both towns with everything a leader's pages could show of them."""
    poor = make_person(areas["baisha_b"], name="王低保", sequence=201, economic_status="dibao", grade=3)
    officer, admin = users["officer"], users["admin"]
    living = Scheme.objects.get(code="living")
    for who in (poor, person):
        Award.objects.create(
            person=who, scheme=living, area_code=who.area_id, start_month=datetime.date(2021, 1, 1),
            source=Award.Source.IMPORT,
        )  # fmt: skip
    batch = payroll_generate(scheme=living, month=datetime.date(2021, 3, 1), user=admin)
    payroll_approve(batch=batch, user=users["reviewer"], version=batch.version)
    Award.objects.create(
        person=person, scheme=Scheme.objects.get(code="education"), area_code=person.area_id, variant="大学",
        start_month=datetime.date(TODAY.year, 1, 1), source=Award.Source.IMPORT,
    )  # fmt: skip
    application_submit(
        user=officer, person=poor, scheme=Scheme.objects.get(code="nursing"), applied_on=TODAY,
        applicant="self", note=NOTES[0],
    )  # fmt: skip
    returned = application_submit(
        user=officer, person=person, scheme=Scheme.objects.get(code="nursing"), applied_on=TODAY, applicant="self"
    )
    application_town_review(user=officer, application=returned, approve=False, reason=NOTES[1])
    repair = application_submit(
        user=officer, person=person, scheme=Scheme.objects.get(code="house_repair"), applied_on=TODAY,
        applicant="self",
    )  # fmt: skip
    grant_project_create(user=officer, application=repair, description=NOTES[2], budget_fen=100000)
    died = make_person(areas["hetang_b"], name="赵已故", sequence=203)
    person_event_record(user=users["other_officer"], person=died, kind=EventKind.DEATH, date=TODAY, reason=NOTES[3])
    provider = Provider.objects.create(name="蓬江区残疾人康复中心", area=areas["baisha"])
    service_record(
        user=officer, person=person, item=RehabItem.objects.get(code="KF09"), provider=provider,
        served_on=TODAY - datetime.timedelta(days=3), sessions=2, note=NOTES[4],
    )  # fmt: skip
    need_assess(
        user=officer, person=poor, year=TODAY.year, has_need=True, kinds=["physical"], assessed_on=TODAY,
        note=NOTES[5],
    )  # fmt: skip
    return [person, other_person, poor, died]


def _secrets(persons) -> list[str]:
    """What must not show: names full and masked, each ID and certificate number full,
    masked and in pieces (birth date; the last eight, the last four after the masked part),
    phone, account and address. Four digits alone would match a year on a figures page."""
    secrets = list(NOTES)
    for p in persons:
        number = p.id_number
        secrets += [p.name, mask_name(p.name), number, number[6:14], number[-8:], "*" + number[-4:]]
        secrets += [p.certificate_number, mask_id(number), mask_certificate(p.certificate_number)]
    return [*secrets, "13812345678", "*5678", "6228480012345678", "白沙大道1号"]


def _text(response) -> str:
    if response.streaming:
        data = b"".join(response.streaming_content)
        if data[:2] == b"PK":  # a workbook: its cells
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            return str([book.get_sheet_by_name(name).to_python() for name in book.sheet_names])
        return data.decode()
    return response.content.decode()


def _links(url: str, text: str) -> list[str]:
    links = []
    for href in HREF.findall(text):
        parts = urlsplit(urljoin("http://testserver" + url, html_lib.unescape(href)))
        if parts.netloc == "testserver" and not parts.path.startswith(SKIP):
            links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


def _walk(client, start: list[str]) -> dict[str, tuple[int, str]]:
    seen: dict[str, tuple[int, str]] = {}
    queue = list(start)
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        text = _text(response)
        seen[url] = (response.status_code, text)
        if response.status_code in (301, 302):
            queue.append(response["Location"])
        elif response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            queue += _links(url, text)
    return seen


def test_a_leader_sees_no_person_anywhere(login, users, world):
    person = world[0]
    application = person.applications.first()
    by_address = [
        reverse("registry:person_detail", args=[person.pk]),
        reverse("registry:person_edit", args=[person.pk]),
        reverse("registry:person_export"),
        reverse("benefits:application_list"),
        reverse("benefits:application_detail", args=[application.pk]),
        reverse("benefits:grant_projects"),
        reverse("benefits:grant_enrolment_export", args=["insurance"]),
        reverse("rehab:record_list"),
        reverse("rehab:record_export"),
    ]
    pages = _walk(login(users["leader"]), ["/", *by_address])
    assert len(pages) < MAX_PAGES, "the walk did not end"
    secrets = _secrets(world)
    for url, (status, text) in pages.items():
        assert status < 500, url
        leaked = [secret for secret in secrets if secret in text]
        assert not leaked, f"{url} shows {leaked}"
    for url in by_address:
        assert pages[url][0] == 403, url
    # The walk reached the figures: the count tables, the dashboards, the payroll's totals.
    reached = {url for url, (status, _) in pages.items() if status == 200}
    for page in ("/persons/?by=grade", "/targets/towns/", "/rehab/", "/summary/", "/grants/education/"):
        assert any(page in url for url in reached), page
