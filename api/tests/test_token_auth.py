import datetime

from django.test import Client
from django.utils import timezone

from api.models import ApiToken

UNAUTHORIZED = {"code": "unauthorized", "message": "未提供有效的接口令牌，或令牌已过期、已撤销"}


def test_no_token_is_a_json_401_not_a_login_redirect(db):
    response = Client().get("/api/persons")
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_session_without_a_token_is_not_enough(client, users):
    client.force_login(users["officer"])
    assert client.get("/api/persons").status_code == 401


def test_a_wrong_token_is_401(db):
    response = Client(HTTP_AUTHORIZATION="Bearer 12345678_not-a-token").get("/api/persons")
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


def test_an_expired_token_is_401(api_as, users):
    api = api_as("officer")
    assert api.get("/api/persons").status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert api.get("/api/persons").status_code == 401


def test_a_deactivated_users_token_is_401(api_as, users):
    api = api_as("officer")
    users["officer"].is_active = False
    users["officer"].save()
    assert api.get("/api/persons").status_code == 401


def test_a_token_notes_when_it_was_last_used(api_as):
    api = api_as("officer")
    token = ApiToken.objects.get()
    assert token.last_used_at is None
    api.get("/api/persons")
    token.refresh_from_db()
    assert token.last_used_at is not None
    first = token.last_used_at
    api.get("/api/persons")  # within the minute: not written again
    token.refresh_from_db()
    assert token.last_used_at == first
