"""A workshop's service point on its pages: the employment network's point by name; a
text kept from before the link, marked as not linked; none as a dash on the list and
nothing on the workshop's page."""

import re

from django.urls import reverse

from employment.models import ServicePoint


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_list_and_the_page_name_the_linked_point(login, users, workshop, members):
    workshop.service_point = ServicePoint.objects.get(code="JY02")
    workshop.save()
    client = login(users["admin"])
    assert "<td>就业平台</td>" in client.get(reverse("workshops:workshop_list")).content.decode()
    page = _text(client.get(reverse("workshops:workshop_detail", args=[workshop.pk])))
    assert "所属就业服务点：就业平台" in page


def test_a_text_from_before_the_link_is_marked_as_not_linked(login, users, workshop, members):
    workshop.service_point_note = "白沙街道就业服务站"
    workshop.save()
    client = login(users["admin"])
    assert "白沙街道就业服务站（未关联就业服务网点）" in _text(client.get(reverse("workshops:workshop_list")))
    page = _text(client.get(reverse("workshops:workshop_detail", args=[workshop.pk])))
    assert "所属就业服务点：白沙街道就业服务站（未关联就业服务网点）" in page


def test_a_workshop_without_a_point_shows_none(login, users, workshop, members):
    client = login(users["admin"])
    page = _text(client.get(reverse("workshops:workshop_detail", args=[workshop.pk])))
    assert "所属就业服务点" not in page
    listing = client.get(reverse("workshops:workshop_list")).content.decode()
    assert re.search(r"<td>白沙街道</td>\s*<td>—</td>", listing)
