"""schemathesis against the API's own OpenAPI schema, a bounded number of examples a route:
no answer is a 500, every status and body is one the schema declares. Skipped where
schemathesis is not installed (it is a dev dependency: `schemathesis>=4,<5`)."""

import pytest

schemathesis = pytest.importorskip("schemathesis")

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.main import api  # noqa: E402
from api.services import token_create  # noqa: E402

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = WSGIHandler()
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def secret(users, person, other_person, settings):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    settings.API_RATE_PER_MINUTE = 1_000_000
    settings.ALLOWED_HOSTS = ["*"]
    # The requests run in the test's transaction: as Django's test client does, keep the
    # handler from closing the connection after each one.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield token_create(user=users["officer"], name="fuzz", days=1)[1]
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_route_fails_or_answers_outside_its_schema(case, secret):
    response = case.call(headers={"Authorization": f"Bearer {secret}"})
    case.validate_response(response, checks=CHECKS)
