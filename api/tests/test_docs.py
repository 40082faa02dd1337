import re

from django.test import Client


def test_the_docs_page_loads_only_bundled_assets(client, users):
    client.force_login(users["officer"])
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert "/static/ninja/swagger-ui-bundle.js" in sources
    assert "/static/ninja/swagger-ui.css" in sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]


def test_the_bundled_assets_are_there(client, users):
    from django.contrib.staticfiles import finders

    for name in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css", "ninja/swagger-ui-init.js"):
        assert finders.find(name), name


def test_the_schema_lists_the_routes_for_a_signed_in_user(client, users):
    assert Client().get("/api/openapi.json").status_code == 302  # to the login page
    client.force_login(users["officer"])
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "残联服务管理平台 数据接口"
    for path in (
        "/api/persons",
        "/api/persons/{person_id}",
        "/api/awards",
        "/api/applications",
        "/api/payroll-batches",
        "/api/indicators",
        "/api/rehab/records",
    ):
        assert path in schema["paths"], path
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
