import re

from api.models import ApiToken
from api.services import token_digest
from canlian.models import AuditEntry


def test_a_user_creates_a_token_and_sees_its_secret_once(client, users):
    client.force_login(users["officer"])
    response = client.post("/tokens/", {"name": "区数据中心同步", "days": 30})
    assert response.status_code == 200
    assert "no-store" in {part.strip() for part in response["Cache-Control"].split(",")}
    secret = re.search(r'id="new-token" type="text" value="([^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=users["officer"])
    # Stored as a digest only: the secret is nowhere in the row.
    assert token.digest == token_digest(secret)
    assert secret not in (token.digest, token.prefix, token.name)
    assert secret.startswith(token.prefix)
    assert AuditEntry.objects.filter(action="api.token.created", user=users["officer"]).count() == 1
    listed = client.get("/tokens/").content.decode()
    assert secret not in listed
    assert f"{token.prefix}…" in listed
    assert "区数据中心同步" in listed and "从未使用" in listed and "有效" in listed


def test_a_wrong_expiry_is_refused_with_a_chinese_message(client, users):
    client.force_login(users["officer"])
    response = client.post("/tokens/", {"name": "x", "days": 9999})
    assert response.status_code == 400
    assert "有效天数不能超过 365 天" in response.content.decode()
    response = client.post("/tokens/", {"name": "", "days": 30})
    assert "请填写令牌用途" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_user_revokes_their_own_token_and_no_one_elses(client, users, api_as):
    api = api_as("officer")
    token = ApiToken.objects.get(user=users["officer"])
    client.force_login(users["other_officer"])
    assert client.post(f"/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    client.force_login(users["officer"])
    assert client.post(f"/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "已撤销" in client.get("/tokens/").content.decode()
    assert AuditEntry.objects.filter(action="api.token.revoked").count() == 1
    assert api.get("/api/persons").status_code == 401


def test_a_user_holds_a_bounded_number_of_tokens(client, users, settings):
    settings.API_TOKENS_PER_USER = 2
    client.force_login(users["officer"])
    for _ in range(2):
        client.post("/tokens/", {"name": "x", "days": 30})
    response = client.post("/tokens/", {"name": "x", "days": 30})
    assert "每位用户最多 2 个有效令牌" in response.content.decode()
    assert ApiToken.objects.count() == 2
