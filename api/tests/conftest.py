import json

import pytest
from django.test import Client

from api.services import token_create


class ApiClient:
    """A test client that sends one user's token and reads JSON."""

    def __init__(self, secret: str) -> None:
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        self.secret = secret

    def get(self, url, params=None):
        return self.client.get(url, params or {})

    def post(self, url, body=None):
        return self.client.post(url, json.dumps(body or {}), content_type="application/json")

    def patch(self, url, body=None):
        return self.client.patch(url, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def api_as(users, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api-tests"}}
    from django.core.cache import cache

    cache.clear()

    def make(role: str) -> ApiClient:
        _, secret = token_create(user=users[role], name="测试", days=30)
        return ApiClient(secret)

    return make


@pytest.fixture
def world(users, areas, person, other_person, settings, tmp_path):
    """The scope walk's world: the apps' own preparations (care makes the home person a
    member of the centre staff's institution)."""
    from types import SimpleNamespace

    from canlian.declarations import scope_worlds

    settings.MEDIA_ROOT = tmp_path
    world = SimpleNamespace(users=users, areas=areas, person=person, other_person=other_person)
    for prepare in scope_worlds():
        prepare(world)
    return world
