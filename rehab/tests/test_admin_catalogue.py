"""The catalogue and the providers are local data that the district administrator edits in
the admin (with history); items are switched off, never deleted; assessments and records
are read-only there."""

from django.urls import reverse

from rehab.models import Provider, RehabItem


def _staff(users, key="admin"):
    user = users[key]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_the_administrator_adds_an_item_and_switches_one_off(login, users):
    client = login(_staff(users))
    response = client.post(
        reverse("admin:rehab_rehabitem_add"),
        {"code": "KF33", "name": "吞咽功能训练", "kind": "physical", "is_active": "on"},
    )
    assert response.status_code == 302 and RehabItem.objects.filter(code="KF33", is_active=True).exists()
    item = RehabItem.objects.get(code="KF01")
    response = client.post(
        reverse("admin:rehab_rehabitem_change", args=[item.pk]), {"code": "KF01", "name": item.name, "kind": item.kind}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert not item.is_active
    assert item.history.latest().history_user == users["admin"]


def test_the_administrator_adds_a_provider(login, users, areas):
    client = login(_staff(users))
    data = {"name": "白沙街道社区康复站", "area": areas["baisha"].code, "is_active": "on"}
    assert client.post(reverse("admin:rehab_provider_add"), data).status_code == 302
    assert Provider.objects.get().area == areas["baisha"]


def test_items_are_not_deleted_and_records_are_read_only(login, users, person, record_for):
    client = login(_staff(users))
    item = RehabItem.objects.get(code="KF01")
    assert client.get(reverse("admin:rehab_rehabitem_delete", args=[item.pk])).status_code == 403
    record = record_for(person)
    assert client.get(reverse("admin:rehab_servicerecord_changelist")).status_code == 200
    change = reverse("admin:rehab_servicerecord_change", args=[record.pk])
    assert client.get(change).status_code == 200  # shown, read-only
    assert client.post(change, {"sessions": "99"}).status_code == 403
    assert client.get(reverse("admin:rehab_servicerecord_add")).status_code == 403


def test_a_town_officer_cannot_edit_the_catalogue(login, users):
    client = login(_staff(users, "officer"))
    # Not even into the admin, staff or not: it is the district and system administrators'.
    response = client.get(reverse("admin:rehab_rehabitem_add"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
