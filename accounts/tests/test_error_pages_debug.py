"""The demo runs with DEBUG: its users still get the project's Chinese 404 and 500 pages,
never Django's technical pages; the traceback goes to the console log only."""

import logging

import pytest
from django.urls import path, reverse

import canlian.urls


def boom(request):
    raise RuntimeError("secret detail of the failure")


urlpatterns = [path("boom/", boom), *canlian.urls.urlpatterns]


@pytest.fixture
def debug(settings):
    settings.DEBUG = True
    settings.ROOT_URLCONF = __name__


def test_an_unknown_address_shows_the_project_404_under_debug(debug, login, users):
    response = login(users["officer"]).get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404 and "找不到该页面或记录" in html and 'lang="zh-CN"' in html
    assert "Page not found" not in html and "URLconf" not in html


def test_a_missing_record_shows_the_project_404_under_debug(debug, login, users):
    response = login(users["officer"]).get(reverse("registry:person_detail", args=[999999]))
    html = response.content.decode()
    assert response.status_code == 404 and "不在您的管辖范围内" in html and "Page not found" not in html


def test_an_error_shows_the_project_500_and_logs_the_traceback_under_debug(debug, login, users, caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = login(users["officer"]).get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500 and "系统出错" in html
    assert "secret detail" not in html and "Traceback" not in html
    record = next(r for r in caplog.records if r.name == "django.request")
    assert record.exc_info[0] is RuntimeError and "/boom/" in record.getMessage()


def test_a_refusal_shows_the_project_403_under_debug(debug, login, users):
    response = login(users["leader"]).get(reverse("registry:person_create"))
    assert response.status_code == 403 and "没有权限" in response.content.decode()
