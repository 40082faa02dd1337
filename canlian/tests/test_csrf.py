"""CSRF on every form and htmx request: no view of the site is exempt but the API's (token
authentication in a header, no cookie to ride on); an htmx POST carries the token from the
page's `hx-headers` and is refused without it, as a form is."""

import html
import re

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from canlian.models import AuditEntry

HX_HEADERS = re.compile(r"<body[^>]*hx-headers='([^']*)'")


def _views(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def test_no_view_is_csrf_exempt_but_the_apis():
    exempt = [route for route, view in _views(get_resolver().url_patterns) if getattr(view, "csrf_exempt", False)]
    assert exempt and all(route.startswith("api/") for route in exempt), exempt


def _client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_an_htmx_post_without_the_token_is_refused_and_logs_nothing(users, person):
    response = _client(users["admin"]).post(reverse("registry:person_reveal", args=[person.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    assert not AuditEntry.objects.exists()


def test_an_htmx_post_with_the_pages_token_header_is_taken(users, person):
    client = _client(users["admin"])
    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    headers = html.unescape(HX_HEADERS.search(page)[1])
    token = re.search(r'"X-CSRFToken": "([^"]+)"', headers)[1]
    response = client.post(
        reverse("registry:person_reveal", args=[person.pk]), HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200 and person.id_number in response.content.decode()
    assert AuditEntry.objects.get().action == "registry.identifiers.revealed"
