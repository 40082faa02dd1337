from canlian.models import AuditEntry
from conftest import make_person


def test_the_officer_lists_the_persons_of_their_town_only(api_as, person, other_person):
    response = api_as("officer").get("/api/persons")
    assert response.status_code == 200
    body = response.json()
    assert [p["id"] for p in body["items"]] == [person.pk]
    assert body["total"] == 1
    assert body["next_cursor"] is None


def test_the_list_masks_identifiers(api_as, person):
    row = api_as("officer").get("/api/persons").json()["items"][0]
    assert row["id_number"] != person.id_number
    assert row["id_number"].startswith(person.id_number[:6]) and "*" in row["id_number"]
    assert "*" in row["phone"]
    assert row["name"] == "陈建国"


def test_the_registry_filters_are_query_parameters(api_as, areas, person):
    make_person(areas["baisha_b"], name="王五", sequence=130, category=1, grade=1)
    api = api_as("officer")
    names = [p["name"] for p in api.get("/api/persons", {"category": 1}).json()["items"]]
    assert names == ["王五"]
    names = [p["name"] for p in api.get("/api/persons", {"community": areas["baisha_a"].code}).json()["items"]]
    assert names == ["陈建国"]
    assert [p["name"] for p in api.get("/api/persons", {"q": "陈"}).json()["items"]] == ["陈建国"]


def test_a_filter_the_page_would_refuse_is_a_chinese_400(api_as, areas, person):
    response = api_as("officer").get("/api/persons", {"town": areas["hetang"].code})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "town" in body["details"]
    assert "选择" in body["message"]


def test_a_person_of_another_town_is_404_as_a_missing_one(api_as, person, other_person):
    api = api_as("officer")
    assert api.get(f"/api/persons/{person.pk}").status_code == 200
    outside = api.get(f"/api/persons/{other_person.pk}")
    missing = api.get("/api/persons/999999")
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json() == {"code": "not_found", "message": "未找到该记录"}


def test_the_detail_is_masked_unless_revealed_and_the_reveal_is_logged(api_as, users, person):
    api = api_as("officer")
    masked = api.get(f"/api/persons/{person.pk}").json()
    assert masked["revealed"] is False
    assert masked["id_number"] != person.id_number
    assert masked["bank_account"] != person.bank_account
    assert not AuditEntry.objects.filter(action="registry.identifiers.revealed").exists()
    revealed = api.get(f"/api/persons/{person.pk}", {"reveal": 1}).json()
    assert revealed["revealed"] is True
    assert revealed["id_number"] == person.id_number
    assert revealed["certificate_number"] == person.certificate_number
    assert revealed["phone"] == person.phone
    assert revealed["bank_account"] == person.bank_account
    entry = AuditEntry.objects.get(action="registry.identifiers.revealed")
    assert entry.user == users["officer"]
    assert entry.person_id == person.pk
    assert entry.data == {"page": "api"}


def test_a_user_who_may_not_reveal_is_refused_and_nothing_is_logged(api_as, world, person):
    # Centre staff see their member (care's scope provider), masked, and may not reveal.
    api = api_as("centre")
    assert api.get(f"/api/persons/{person.pk}").json()["revealed"] is False
    response = api.get(f"/api/persons/{person.pk}", {"reveal": 1})
    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": "您没有查看完整证件号的权限"}
    assert not AuditEntry.objects.filter(action="registry.identifiers.revealed").exists()


def test_a_leader_reads_no_row_per_person(api_as, person):
    api = api_as("leader")
    for url in ("/api/persons", f"/api/persons/{person.pk}", f"/api/persons/{person.pk}/events"):
        response = api.get(url)
        assert response.status_code == 403, url
        assert response.json() == {"code": "forbidden", "message": "您只能查看统计数，不能查看人员明细"}


def test_a_list_reveals_no_one(api_as, person):
    response = api_as("officer").get("/api/persons", {"reveal": 1})
    assert response.status_code == 400
    assert response.json()["message"].startswith("列表不提供完整证件号")
    assert not AuditEntry.objects.filter(action="registry.identifiers.revealed").exists()


def test_the_audit_administrator_is_refused_plainly(api_as, person):
    response = api_as("auditor").get("/api/persons")
    assert response.json() == {"code": "forbidden", "message": "您没有此项操作的权限"}


def test_a_leader_reads_the_counts_of_every_town(api_as, person, other_person):
    body = api_as("leader").get("/api/persons/counts", {"by": "grade"}).json()
    assert body["by_label"] == "残疾等级"
    assert body["total"] == 2
    assert "陈建国" not in str(body)


def test_an_officer_counts_their_own_town_only(api_as, person, other_person):
    body = api_as("officer").get("/api/persons/counts").json()
    assert body["total"] == 1
    assert api_as("officer").get("/api/persons/counts", {"by": "name"}).status_code == 400
