"""A person's status events read in Chinese: 正常 → 死亡, 低保 → 特困, 三级 → 二级, never the
codes the rules store (active, deceased, dibao, 3)."""

import datetime
import re

from django.urls import reverse

from registry.models import EventKind
from registry.services import person_event_record

D = datetime.date


def _events(users, person):
    officer = users["officer"]
    person_event_record(user=officer, person=person, kind=EventKind.ECONOMIC, date=D(2024, 1, 1), value="dibao")
    person_event_record(user=officer, person=person, kind=EventKind.ECONOMIC, date=D(2024, 6, 1), value="tekun")
    person_event_record(user=officer, person=person, kind=EventKind.GRADE, date=D(2024, 3, 1), value=3)
    person_event_record(user=officer, person=person, kind=EventKind.RENEWAL, date=D(2024, 4, 1), value=D(2030, 3, 31))
    person_event_record(user=officer, person=person, kind=EventKind.DEATH, date=D(2025, 1, 5))


def _rows(html: str) -> list[str]:
    table = html[html.index('id="h-events"') :].split("</table>")[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in table.split("<tr>")[2:]]


def test_the_person_page_names_old_and_new_values_in_chinese(login, users, person):
    _events(users, person)
    html = login(users["officer"]).get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    rows = _rows(html)
    assert [row.split(" 手工录入")[0] for row in rows] == [
        "2025-01-05 死亡 正常 死亡",
        "2024-06-01 经济状况变更 低保 特困",
        "2024-04-01 证件换发 长期 2030-03-31",
        "2024-03-01 等级变更 二级 三级",
        "2024-01-01 经济状况变更 无 低保",
    ]
    for code in ("active", "deceased", "dibao", "tekun", "none"):
        assert code not in " ".join(rows)


def test_the_admin_list_of_events_names_the_values_in_chinese(client, users, person, django_user_model):
    _events(users, person)
    superuser = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(superuser)
    html = client.get(reverse("admin:registry_personevent_changelist")).content.decode()
    assert "特困" in html and "三级" in html and ">deceased<" not in html and ">dibao<" not in html


def test_the_admin_page_of_one_event_names_the_values_in_chinese(client, users, person, django_user_model):
    _events(users, person)
    superuser = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(superuser)
    event = person.events.get(kind=EventKind.ECONOMIC, date=D(2024, 6, 1))
    html = client.get(reverse("admin:registry_personevent_change", args=[event.pk])).content.decode()
    main = html.split('id="content"')[1]
    assert "低保" in main and "特困" in main
    assert ">dibao<" not in main and ">tekun<" not in main and "dibao" not in main
