"""Bad input gets a clear answer and never a server error: hostile values in every page's query parameters
and path parts, by a signed-in member of staff."""

from urllib.parse import quote

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from requests_app.intake import services as intake

# A lone surrogate as a client sends it: bytes that are not UTF-8 (the test client cannot encode it itself).
SURROGATE = "\ud800"


def query(parameter, value) -> str:
    encoded = "%ED%A0%80" if value == SURROGATE else quote(value, safe="")
    return f"{parameter}={encoded}"


def path_part(value) -> str:
    return "%ED%A0%80" if value == SURROGATE else quote(value, safe="")


HOSTILE = {
    "nul": "a\x00b",
    "overflow": "1e20",
    "huge_int": "9" * 40,
    "negative": "-1",
    "year_1": "0001-01-01",
    "year_9999": "9999-12-31",
    "surrogate": SURROGATE,
    "megabyte": "x" * 1_000_000,
    "nested": "[" * 500 + "]" * 500,
    "not_a_date": "2026-02-30",
}

QUEUE_PARAMETERS = ["q", "status", "assignee", "assigned_to", "commitment", "service", "area", "customer_group",
                    "site", "channel", "older_than", "older_than_working_days", "created_after", "created_before",
                    "sort", "team", "unit", "in_team", "newer_than", "replied", "resolved_after",
                    "resolved_before", "clock", "breached_after", "breached_before", "handoff_from", "handoff_to",
                    "handed_off_after", "handed_off_before", "after", "before", "customer_replied"]
PAGES = {
    "requests:queue": QUEUE_PARAMETERS,
    "requests:my_work": ["after", "before"],
    "requests:my_intakes": ["after", "before"],
    "requests:customers": ["q"],
    "dashboards:org": ["period", "from", "to", "format", "table"],
    "catalogue:index": ["q", "area", "group", "team", "status", "page", "channel"],
    "commitments:notifications": ["unread", "page"],
    "teams:list": ["q"],
    "requests:mail_to_sort": ["page"],
    "requests:mail_set_aside": ["page"],
    "public:index": ["q", "area", "group"],
    "public:promises": ["page"],
}


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_no_query_parameter_of_any_page_turns_a_hostile_value_into_a_server_error(client, member, service, value):
    member.user_permissions.add(Permission.objects.get(codename="manage_mail"))  # the set-aside page too
    client.force_login(member)
    for name, parameters in PAGES.items():
        url = reverse(name)
        for parameter in parameters:
            extra = "&period=custom" if name.startswith("dashboards") and parameter in ("from", "to") else ""
            response = client.get(f"{url}?{query(parameter, value)}{extra}")
            assert response.status_code < 500, (name, parameter)


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_no_path_part_turns_a_hostile_value_into_a_server_error(client, member, service, team, value):
    client.force_login(member)
    req = intake.log_request(by=member, service_id=service.pk, channel="phone", subject="Payslip",
                             new_customer={"name": "Aino"})
    value = path_part(value)
    paths = [f"/requests/{value}/", f"/customers/{value}/", f"/dashboards/team/{value}/",
             f"/dashboards/{value}/{value}/", f"/teams/{value}/", f"/commitments/teams/{value}/breaches/",
             f"/commitments/teams/{team.slug}/breaches/{value}/review/", f"/catalogue/services/{value}/",
             f"/requests/{req.reference}/replies/{value}/send/", f"/api/v1/requests/{value}/",
             f"/mail/to-sort/{value}/", f"/requests/{req.reference}/messages/{value}/attachments/{value}/",
             f"/api/v1/requests/{value}/messages/", f"/requests/{req.reference}/files/{value}/",
             f"/public/services/{value}/", f"/public/status/{value}/", f"/public/status/{value}/files/{value}/"]
    for path in paths:
        assert client.get(path).status_code < 500, path
    for path in [f"/public/services/{value}/", f"/public/status/{value}/messages/", "/public/status/lost/"]:
        assert client.post(path, {"text": value, "reference": value, "email": value}).status_code < 500, path


def test_a_nul_character_is_refused_with_400_and_a_reason(client, member, service):
    client.force_login(member)
    response = client.get(reverse("requests:queue"), {"q": "Ai\x00no"})
    assert response.status_code == 400 and b"NUL character" in response.content
    response = client.post("/api/v1/requests/", data='{"subject": "a\\u0000b"}', content_type="application/json")
    assert response.status_code == 400


def test_a_lone_surrogate_in_json_is_refused_by_the_api(client, member, service):
    client.force_login(member)
    body = '{"service": %d, "channel": "phone\\ud800", "subject": "x\\ud800", "new_customer": {"name": "A"}}'
    response = client.post("/api/v1/requests/", data=body % service.pk, content_type="application/json")
    assert response.status_code == 400


def test_missing_pages_are_the_desk_s_own_in_the_reader_s_language(client, member):
    client.force_login(member)
    response = client.get("/no/such/page/")
    assert response.status_code == 404 and "There is nothing here" in response.content.decode()
    client.cookies["django_language"] = "fi"
    page = client.get("/no/such/page/").content.decode()
    assert "Palvelupiste" in page and "Ei löytynyt" in page


def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")


def test_deeply_nested_json_is_refused_by_the_api(client, member, service):
    client.force_login(member)
    for body in ('{"subject": ' + "[" * 100_000 + "]" * 100_000 + "}", '{"a": ' + "[" * 40 + "]" * 40 + "}"):
        response = client.post("/api/v1/requests/", data=body, content_type="application/json")
        assert response.status_code == 400 and "nested too deeply" in response.json()["detail"]


def test_a_staff_form_without_its_csrf_token_gets_the_clear_page_in_the_staff_layout(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/login/", {"username": "someone", "password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "reload the page" in page and 'href="/static/css/desk.css"' in page
