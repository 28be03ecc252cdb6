"""Safe defaults: a Content-Security-Policy that runs no inline script, nothing with personal data kept by a
cache, sessions that end with the working day, the admin and the API's description closed, the client's
address read only as far back as the configured proxies, HTTPS settings from the environment."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.urls import reverse

from servicedesk.admin import DeskAdminSite
from servicedesk.client import client_address
from tests.factories import PASSWORD, ServiceRequestFactory, UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\s(on[a-z]+|hx-on[:\w-]*)=", re.I)


def staff_pages(req):
    return [reverse("requests:queue"), reverse("requests:detail", args=[req.reference]), reverse("requests:new"),
            reverse("dashboards:org"), reverse("catalogue:index"), reverse("teams:list"),
            reverse("requests:customer", args=[req.customer_id])]


def test_every_page_has_a_policy_that_runs_no_inline_script_and_holds_none(client, member, service):
    req = ServiceRequestFactory(service=service, team=service.owning_team)
    client.force_login(member)
    for url in [*staff_pages(req), reverse("public:index"), reverse("login")]:
        if url == reverse("login"):
            client.logout()
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        script_src = re.search(r"script-src ([^;]*)", policy).group(1)
        assert script_src.split() == ["'self'"], (url, policy)
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), (url, INLINE_SCRIPT.search(html).group(0))
        assert not INLINE_HANDLER.search(html), (url, INLINE_HANDLER.search(html).group(0))


def test_the_api_documentation_runs_under_the_same_policy(client, member):
    client.force_login(member)
    html = client.get(reverse("api-docs")).content.decode()
    assert not INLINE_SCRIPT.search(html)
    script = re.search(r'<script src="([^"]*swagger-ui-init[^"]*|[^"]*\?script[^"]*)"', html)
    assert script, "Swagger UI's start-up script is a file of its own"


def test_pages_and_api_answers_with_personal_data_are_never_stored_by_a_cache(client, member, service):
    req = ServiceRequestFactory(service=service, team=service.owning_team)
    client.force_login(member)
    for url in [reverse("requests:detail", args=[req.reference]), reverse("requests:customer", args=[req.customer_id]),
                reverse("api:request-detail", args=[req.reference])]:
        assert client.get(url)["Cache-Control"] == "no-store", url


def test_a_session_ends_after_a_working_day_by_default(client, member):
    assert django_settings.SESSION_COOKIE_AGE == 8 * 3600
    client.post(reverse("login"), {"username": member.username, "password": PASSWORD})
    assert client.cookies["sessionid"]["max-age"] == 8 * 3600


def test_the_admin_is_not_served_unless_turned_on_and_then_only_to_superusers(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get("/admin/").status_code == 404
    staff = RequestFactory().get("/admin/")
    staff.user = UserFactory(is_staff=True)
    assert not DeskAdminSite().has_permission(staff)
    staff.user = UserFactory(is_staff=True, is_superuser=True)
    assert DeskAdminSite().has_permission(staff)


def test_the_api_schema_and_documentation_are_for_the_signed_in(client, member, settings):
    settings.API_DOCS_PUBLIC = False
    assert client.get(reverse("api-schema")).status_code in (401, 403)
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 302 and docs["Location"].startswith(reverse("login"))
    client.force_login(member)
    assert client.get(reverse("api-schema")).status_code == 200
    assert client.get(reverse("api-docs")).status_code == 200
    settings.API_DOCS_PUBLIC = True
    client.logout()
    assert client.get(reverse("api-schema")).status_code == 200


@pytest.mark.parametrize("count, forwarded, expected", [
    (0, "203.0.113.9", "10.0.0.1"),                      # no proxy configured: the header is anyone's to write
    (1, "203.0.113.9", "203.0.113.9"),
    (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),          # what the client wrote itself is never read
    (2, "6.6.6.6, 203.0.113.9, 10.1.1.1", "203.0.113.9"),
    (2, "203.0.113.9", "10.0.0.1"),                      # fewer entries than proxies: the connection's own
])
def test_the_client_address_is_read_only_as_far_back_as_the_trusted_proxies(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_behind_a_proxy_the_login_lock_holds_per_client_not_per_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT, settings.AXES_FAILURE_LIMIT = 1, 3
    aino = UserFactory(username="aino")

    def log_in(password, address):
        return client.post(reverse("login"), {"username": "aino", "password": password},
                           REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR=address)

    for _ in range(3):
        log_in("guess", "203.0.113.9")
    assert log_in(PASSWORD, "203.0.113.9").status_code == 429
    assert log_in(PASSWORD, "198.51.100.7").status_code == 302  # the same proxy, another client
    assert aino.pk == int(client.session["_auth_user_id"])


PRODUCTION = {
    "DEBUG": "0", "SECRET_KEY": "a-production-secret-" + "x7Kq" * 12, "ALLOWED_HOSTS": "desk.example.fi",
    "CSRF_TRUSTED_ORIGINS": "https://desk.example.fi", "SECURE_SSL_REDIRECT": "1", "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_PRELOAD": "1", "SECURE_PROXY_SSL": "1", "TRUSTED_PROXY_COUNT": "1",
}


def test_the_deployment_check_passes_with_the_production_settings_of_the_readme():
    environment = {k: v for k, v in os.environ.items() 
                   if not k.startswith(("SECURE_", "DESK_ADMIN", "API_DOCS", "DJANGO_ALLOW_ASYNC_UNSAFE"))}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=environment | PRODUCTION, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    readme = (ROOT / "README.md").read_text()
    for name in PRODUCTION:
        assert f"`{name}`" in readme, name
