"""A user changes their own password on a page."""

from django.urls import reverse

from canlian.models import AuditEntry
from conftest import PASSWORD

URL = reverse("accounts:password_change")
NEW = "Kite-river-pencil-47"


def test_every_signed_in_user_has_the_page_linked_from_the_header(login, users):
    html = login(users["leader"]).get(reverse("registry:person_list")).content.decode()
    assert f'href="{URL}"' in html
    assert "原密码" in login(users["leader"]).get(URL).content.decode()


def test_a_user_changes_their_password_stays_signed_in_and_the_change_is_audited(client, users):
    client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    response = client.post(URL, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302 and response.url == reverse("home")
    users["officer"].refresh_from_db()
    assert users["officer"].check_password(NEW)
    assert client.get(reverse("registry:person_list")).status_code == 200
    entry = AuditEntry.objects.get(action="accounts.password.changed")
    assert entry.user == users["officer"] and entry.object_id == str(users["officer"].pk)


def test_a_wrong_old_password_changes_nothing(login, users):
    response = login(users["officer"]).post(URL, {"old_password": "not-it", "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 200 and "原密码不正确" in response.content.decode()
    users["officer"].refresh_from_db()
    assert users["officer"].check_password(PASSWORD)
    assert not AuditEntry.objects.filter(action="accounts.password.changed").exists()


def test_a_password_like_the_user_name_is_refused_with_the_reason(login, areas):
    from accounts.roles import Role
    from accounts.services import user_create

    baisha = user_create(username="baisha", password=PASSWORD, role=Role.TOWN_OFFICER, area=areas["baisha"])
    response = login(baisha).post(
        URL, {"old_password": PASSWORD, "new_password1": "baisha2026", "new_password2": "baisha2026"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "太相似" in html and 'aria-invalid="true"' in html
    baisha.refresh_from_db()
    assert baisha.check_password(PASSWORD)


def test_the_new_password_typed_twice_must_match(login, users):
    response = login(users["officer"]).post(
        URL, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW + "x"}
    )
    assert "两次输入的新密码不一致" in response.content.decode()


def test_the_other_sessions_of_the_user_end(client, users, django_user_model):
    from django.test import Client

    other = Client()
    other.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    client.post(URL, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert other.get(reverse("registry:person_list")).status_code == 302
