"""Staff sign in with the organisation's account (OpenID Connect, against a real provider on a loopback
port); their groups decide their teams and roles; local accounts still work; a forged return gets nothing."""

import re
import socket
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from requests_app.models import access
from teams.models import Membership, TeamChange, User
from tests.factories import PASSWORD, MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def payroll(db):
    return TeamFactory(slug="payroll", name="Payroll team")


def sign_in(client, provider, password="provider-pass-1"):
    """The desk sends the browser to the provider; the person signs in there; the provider sends them back."""
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302 and start["Location"].startswith(provider)
    browser = requests.Session()
    login = browser.get(start["Location"], timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    back = browser.post(login.url, {"csrfmiddlewaretoken": token, "username": "aino.virtanen", "password": password,
                                    "next": parse_qs(urlsplit(login.url).query)["next"][0]},
                        headers={"Referer": login.url}, allow_redirects=False, timeout=10)
    while back.status_code == 302 and not back.headers["Location"].startswith("http://testserver"):
        back = browser.get(requests.compat.urljoin(back.url, back.headers["Location"]), allow_redirects=False, timeout=10)
    assert back.status_code == 302, (back.status_code, back.url, back.text[:2000])
    returned = urlsplit(back.headers["Location"])
    return client.get(returned.path + "?" + returned.query)


def test_signing_in_with_the_organisations_account_lands_in_the_right_team_and_role(client, provider, payroll):
    answer = sign_in(client, provider)

    assert answer.status_code == 302 and answer["Location"] == reverse("home")
    aino = User.objects.get(username="aino.virtanen")
    assert (aino.first_name, aino.email) == ("Aino", "aino.virtanen@example.org")
    assert int(client.session["_auth_user_id"]) == aino.pk
    assert Membership.objects.get(user=aino, team=payroll).role == Membership.Role.LEAD
    assert aino.has_perm(access.DATA_PROTECTION) and not aino.has_perm(access.FRONT_DESK)
    assert TeamChange.objects.get(team=payroll, person=aino).actor is None


def test_the_next_sign_in_follows_the_provider_and_leaves_unmapped_teams_alone(client, provider, payroll):
    aino = UserFactory(username="aino.virtanen")
    MembershipFactory(team=payroll, user=aino, role=Membership.Role.MEMBER)
    elsewhere = MembershipFactory(user=aino).team  # a team the map does not name: the desk's own business
    access.role_group(access.FRONT_DESK).user_set.add(aino)  # the provider no longer says so

    sign_in(client, provider)

    assert Membership.objects.get(user=aino, team=payroll).role == Membership.Role.LEAD
    assert Membership.objects.filter(user=aino, team=elsewhere).exists()
    aino = User.objects.get(pk=aino.pk)
    assert not aino.has_perm(access.FRONT_DESK) and aino.has_perm(access.DATA_PROTECTION)


def test_a_return_that_did_not_start_here_signs_nobody_in(client, provider, payroll):
    answer = client.get(reverse("oidc_authentication_callback"), {"code": "made-up", "state": "made-up"})
    assert answer.status_code == 302 and "_auth_user_id" not in client.session
    assert not User.objects.filter(username="aino.virtanen").exists()


def test_local_accounts_still_sign_in_beside_the_organisations(client, provider, member):
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with the organisation" in page
    assert client.post(reverse("login"), {"username": member.username, "password": PASSWORD}).status_code == 302


def test_without_a_provider_there_is_no_such_sign_in(client, settings):
    settings.OIDC_ENABLED = False
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert "Sign in with the organisation" not in client.get(reverse("login")).content.decode()


def test_the_settings_for_a_provider_are_read_from_its_discovery_document(provider, settings):
    out = StringIO()
    call_command("oidc_endpoints", f"{provider}/o/", stdout=out)
    assert dict(line.split("=", 1) for line in out.getvalue().splitlines()) == {
        "OIDC_AUTHORIZATION_ENDPOINT": settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        "OIDC_TOKEN_ENDPOINT": settings.OIDC_OP_TOKEN_ENDPOINT,
        "OIDC_USERINFO_ENDPOINT": settings.OIDC_OP_USER_ENDPOINT,
        "OIDC_JWKS_ENDPOINT": settings.OIDC_OP_JWKS_ENDPOINT,
    }


def test_an_address_that_is_no_provider_is_refused_in_words(provider, settings):
    settings.OIDC_TIMEOUT = 5
    with pytest.raises(CommandError, match="Could not read .*/login/.well-known/openid-configuration: 404"):
        call_command("oidc_endpoints", f"{provider}/login/")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        nobody = probe.getsockname()[1]
    with pytest.raises(CommandError, match="Could not read"):
        call_command("oidc_endpoints", f"http://127.0.0.1:{nobody}/realms/city")
