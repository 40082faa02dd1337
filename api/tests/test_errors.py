import json

import pytest

from api import persons

INTERNAL = {"code": "server_error", "message": "服务器内部错误，请稍后再试或联系系统管理员"}


@pytest.mark.parametrize("debug", [True, False])
def test_an_exception_is_a_json_500_without_a_traceback(api_as, person, monkeypatch, settings, debug):
    settings.DEBUG = debug

    def broken(request):
        raise RuntimeError("secret detail of the failure")

    monkeypatch.setattr(persons, "filtered_persons", broken)
    response = api_as("officer").get("/api/persons")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == INTERNAL
    text = response.content.decode()
    assert "Traceback" not in text and "secret detail" not in text and "RuntimeError" not in text


def test_a_malformed_parameter_is_a_json_422_with_a_chinese_message(api_as):
    response = api_as("officer").get("/api/persons", {"category": "abc"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_request"
    assert body["message"] == "请求参数格式有误"
    assert body["details"][0]["loc"][-1] == "category"


def test_a_malformed_body_is_a_json_error(api_as):
    api = api_as("officer")
    response = api.client.post("/api/persons", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"code": "invalid", "message": "请求参数有误"}


def test_a_body_over_the_limit_is_refused_before_it_is_read(api_as, settings):
    settings.API_MAX_BODY_BYTES = 1024
    api = api_as("officer")
    response = api.client.post("/api/persons", json.dumps({"name": "x" * 2000}), content_type="application/json")
    assert response.status_code == 413
    assert response.json() == {"code": "too_large", "message": "请求内容不能超过 1 KB"}


def test_a_token_over_its_rate_is_429_until_the_next_minute(api_as, settings):
    settings.API_RATE_PER_MINUTE = 3
    api = api_as("officer")
    other = api_as("other_officer")
    assert [api.get("/api/persons").status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get("/api/persons")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert "每个令牌每分钟最多 3 次" in refused.json()["message"]
    assert 1 <= int(refused["Retry-After"]) <= 60
    # The limit is the token's: another token is not slowed by it.
    assert other.get("/api/persons").status_code == 200


def test_an_address_no_route_has_is_a_json_404(db):
    from django.test import Client

    for method in ("get", "post", "patch"):
        response = getattr(Client(enforce_csrf_checks=True), method)("/api/persons/not-a-number")
        assert response.status_code == 404, method
        assert response.json()["code"] == "not_found"


def test_a_method_a_route_does_not_take_is_405(api_as):
    response = api_as("officer").client.delete("/api/persons")
    assert response.status_code == 405
    assert response.json() == {"code": "method_not_allowed", "message": "不支持该请求方法"}
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}
