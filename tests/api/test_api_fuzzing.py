"""Schemathesis over the OpenAPI schema: generated calls to every operation, valid and not, by a signed-in
member of staff; not one may end in a server error."""

import base64

import pytest
import schemathesis
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from servicedesk.wsgi import application

# Schemathesis speaks to the desk in-process as http://localhost.
with override_settings(ALLOWED_HOSTS=["localhost"]):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def in_process():
    """Requests served in the test's own database connection, as Django's test client serves them."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def credentials(db, settings, member, service, in_process):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["localhost"]
    member.set_password("fuzz-pass")
    member.save()
    token = base64.b64encode(f"{member.username}:fuzz-pass".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_generated_call_to_any_operation_ends_in_a_server_error(case, credentials):
    case.call_and_validate(headers=credentials, checks=[not_a_server_error])
