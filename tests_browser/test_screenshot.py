"""The person list as the README shows it: a dozen realistic persons, identifiers masked.

The picture is written to docs/screenshots/person-list.png only with CANLIAN_SCREENSHOTS=1,
so that an ordinary test run (CI) never rewrites the committed file.
"""

import os
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "screenshots" / "person-list.png"

DIED = date(2025, 11, 3)
# Invented persons. name, community, birth, sequence (odd: male), category, grade, phone, more
PERSONS = [
    ("陈建国", "baisha_a", "19560312", 131, 4, 2, "13902468135", {}),
    ("黄美玲", "baisha_a", "19720825", 242, 1, 1, "13726451190", {"economic_status": "dibao"}),
    ("梁志强", "baisha_a", "19890107", 353, 2, 3, "15913572468", {}),
    ("李秀英", "baisha_b", "19481119", 464, 4, 1, "0750-3952768", {"lives_alone": True, "economic_status": "tekun"}),
    ("吴家豪", "baisha_b", "20110604", 575, 5, 2, "", {"guardian_name": "吴振华", "guardian_phone": "13726458810"}),
    ("谭丽华", "baisha_b", "19650930", 686, 6, 3, "18826014457", {"economic_status": "near_dibao"}),
    ("区伟明", "hetang_a", "19780214", 717, 4, 4, "13631829075", {}),
    ("容少珍", "hetang_a", "19530721", 828, 7, 1, "0750-3701126", {"lives_alone": True}),
    ("张国华", "hetang_a", "19941203", 939, 3, 2, "17620538861", {}),
    ("何翠萍", "hetang_b", "19600418", 142, 1, 2, "13580247716", {"economic_status": "dibao"}),
    ("冯德胜", "hetang_b", "19470809", 251, 4, 3, "13802953364", {"status": "deceased", "status_date": DIED}),
    ("林晓敏", "hetang_b", "20050527", 362, 2, 4, "19875310842", {}),
]


@pytest.fixture
def district_persons(areas):
    return [
        make_person(
            areas[key],
            name=name,
            birth=birth,
            sequence=sequence,
            category=category,
            grade=grade,
            phone=phone,
            **extra,
        )
        for name, key, birth, sequence, category, grade, phone, extra in PERSONS
    ]


def test_person_list_screenshot(log_in, users, district_persons):
    admin = users["admin"]
    admin.last_name, admin.first_name = "周", "敏"
    admin.save(update_fields=["last_name", "first_name"])
    page = log_in("admin")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="持证残疾人").click()
    table = page.locator("#person-table")
    expect(table.get_by_text(f"共 {len(PERSONS)} 人")).to_be_visible()
    for person in district_persons:
        # Only masked identifiers appear in the list, never the full ID or phone.
        expect(table).not_to_contain_text(person.id_number)
        if person.phone:
            expect(table).not_to_contain_text(person.phone)
    expect(table.get_by_role("link")).to_have_count(len(PERSONS) + 4)  # names and sortable headers
    if os.environ.get("CANLIAN_SCREENSHOTS") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1366, "height": 640})  # the full page is as tall as its content
        page.evaluate("document.fonts.ready")
        page.screenshot(path=str(SCREENSHOT), full_page=True, animations="disabled")
