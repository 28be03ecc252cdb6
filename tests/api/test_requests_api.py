"""The API works requests through the same operations as the pages: same rules, same refusals, same events."""

import base64
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from rest_framework.test import APIClient

from requests_app.intake import services as intake
from requests_app.models import Event, Handoff, ServiceRequest, Status
from requests_app.requests import services
from tests.factories import PASSWORD, ServiceFactory, TeamFactory

pytestmark = pytest.mark.django_db


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(name, *args):
    return reverse(f"api:{name}", args=args)


@pytest.fixture
def logged(service, outsider):
    return intake.log_request(by=outsider, service_id=service.pk, channel="phone", subject="Overtime missing",
                                new_customer={"name": "Aino Virtanen", "email": "aino@example.org"})


def test_anyone_on_staff_logs_a_request_and_becomes_its_intake_owner(service, outsider):
    response = api_as(outsider).post(url("request-list"), {
        "service": service.code, "channel": "email", "subject": "Payslip missing",
        "new_customer": {"name": "Aino Virtanen", "email": "aino@example.org"},
    }, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"].startswith("SD-") and body["team"]["slug"] == service.owning_team.slug
    assert body["intake_owner"] == outsider.username and body["timeline"][0]["kind"] == Event.LOGGED
    assert ServiceRequest.objects.get(reference=body["reference"]).customer.email == "aino@example.org"


@pytest.mark.parametrize("payload, field", [
    ({"channel": "email", "subject": "x", "new_customer": {"name": "A"}}, "service"),
    ({"service": "{service}", "channel": "pigeon", "subject": "x", "new_customer": {"name": "A"}}, "channel"),
    ({"service": "{service}", "channel": "email", "subject": "", "new_customer": {"name": "A"}}, "subject"),
    ({"service": "{service}", "channel": "email", "subject": "x"}, "non_field_errors"),
    ({"service": "{service}", "channel": "email", "subject": "x", "new_customer": {"name": "A", "email": "nope"}},
     "new_customer"),
])
def test_bad_intake_gets_a_clear_error_and_logs_nothing(service, outsider, payload, field):
    if payload.get("service") == "{service}":
        payload = payload | {"service": service.code}
    response = api_as(outsider).post(url("request-list"), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not ServiceRequest.objects.exists()


def test_naming_a_service_that_does_not_exist_is_404_and_logs_nothing(outsider):
    response = api_as(outsider).post(url("request-list"), {
        "service": "no-such-service", "channel": "email", "subject": "x", "new_customer": {"name": "A"}})
    assert response.status_code == 404
    assert "No service with the code no-such-service." in response.json()["detail"]
    assert not ServiceRequest.objects.exists()


def test_an_unknown_field_is_refused_not_ignored(service, outsider):
    response = api_as(outsider).post(url("request-list"), {
        "service": service.code, "channel": "email", "subject": "x", "new_customer": {"name": "A"},
        "priority": "urgent"})
    assert response.status_code == 400 and response.json()["priority"] == ["Not a field of this operation."]
    assert not ServiceRequest.objects.exists()


def test_a_retired_service_is_refused_by_the_domain_rule(service, outsider):
    from django.utils import timezone

    service.retired_at = timezone.now()
    service.save()
    response = api_as(outsider).post(url("request-list"), {
        "service": service.code, "channel": "email", "subject": "x", "new_customer": {"name": "A"}}, format="json")
    assert response.status_code == 409 and "retired" in response.json()["detail"]
    assert not ServiceRequest.objects.exists()


def test_a_member_claims_replies_and_resolves_and_each_step_is_on_the_timeline(logged, member):
    client = api_as(member)
    assert client.post(url("request-claim", logged.reference)).json()["assignee"] == member.username
    assert client.post(url("request-reply", logged.reference), {"text": "We pay it on Friday."}).status_code == 200
    body = client.post(url("request-resolve", logged.reference), {"text": "Paid."}).json()

    assert body["status"] == Status.RESOLVED
    kinds = [entry["kind"] for entry in body["timeline"]]
    assert kinds[:1] == [Event.LOGGED] and {Event.CLAIMED, Event.REPLIED, Event.RESOLVED} <= set(kinds)


def test_a_second_claim_is_refused_and_names_the_holder(logged, member, lead):
    api_as(member).post(url("request-claim", logged.reference))
    response = api_as(lead).post(url("request-claim", logged.reference))
    assert response.status_code == 409 and str(member) in response.json()["detail"]


def test_people_outside_the_team_cannot_see_or_work_the_request(logged, other_member):
    client = api_as(other_member)
    assert client.get(url("request-detail", logged.reference)).status_code == 404
    assert client.post(url("request-claim", logged.reference)).status_code == 404
    assert client.get(url("request-list")).json()["results"] == []
    logged.refresh_from_db()
    assert logged.assignee is None


def test_the_intake_owner_follows_the_request_but_cannot_claim_it(logged, outsider):
    client = api_as(outsider)
    assert client.get(url("request-detail", logged.reference)).json()["reference"] == logged.reference
    response = client.post(url("request-claim", logged.reference))
    assert response.status_code == 403
    logged.refresh_from_db()
    assert logged.assignee is None


def test_a_hand_off_needs_a_note_and_moves_the_request_with_it(logged, member):
    target = ServiceFactory(owning_team=TeamFactory(name="IT accounts team"))
    client = api_as(member)
    refused = client.post(url("request-hand-off", logged.reference), {"service": target.code, "note": ""})
    assert refused.status_code == 400 and "note" in refused.json()
    assert not Handoff.objects.exists()

    response = client.post(url("request-hand-off", logged.reference), {"service": target.code, "note": "IT owns it"})
    assert response.status_code == 200
    logged.refresh_from_db()
    assert logged.team == target.owning_team and Handoff.objects.get().note == "IT owns it"


def test_a_reply_to_a_resolved_request_is_refused_and_changes_nothing(logged, member):
    services.resolve(request_id=logged.pk, by=member, resolution="Done")
    before = logged.timeline.count()
    response = api_as(member).post(url("request-reply", logged.reference), {"text": "One more thing"})
    assert response.status_code == 409 and "already resolved" in response.json()["detail"]
    assert logged.timeline.count() == before


def test_a_lead_assigns_only_to_members(logged, lead, member, outsider):
    client = api_as(lead)
    refused = client.post(url("request-assign", logged.reference), {"person": outsider.username})
    assert refused.status_code == 409 and "only to its members" in refused.json()["detail"]
    assert api_as(member).post(url("request-assign", logged.reference), {"person": member.username}).status_code == 403
    assert client.post(url("request-assign", logged.reference), {"person": member.username}).json()["assignee"] == (
        member.username)


def test_the_list_takes_the_queue_filters_and_rejects_nonsense(logged, member, service):
    client = api_as(member)
    rows = client.get(url("request-list"), {"assignee": "none", "channel": "phone"}).json()["results"]
    assert [row["reference"] for row in rows] == [logged.reference]
    assert client.get(url("request-list"), {"channel": "email"}).json()["results"] == []
    bad = client.get(url("request-list"), {"commitment": "sideways"})
    assert bad.status_code == 400 and "commitment" in bad.json()


def test_customers_are_found_and_their_history_is_listed(logged, member):
    client = api_as(member)
    [found] = client.get(url("customer-list"), {"q": "virtanen"}).json()
    assert found["name"] == "Aino Virtanen"
    history = client.get(url("customer-requests", found["id"])).json()["results"]
    assert [row["reference"] for row in history] == [logged.reference]


def test_services_are_found_by_the_customers_words(service, outsider):
    client = api_as(outsider)
    found = client.get(url("service-list"), {"q": "salary"}).json()
    assert [row["code"] for row in found] == [service.code]
    assert client.get(url("service-detail", service.code)).json()["owning_team"] == service.owning_team.slug
    assert client.get(url("service-detail", "no-such")).status_code == 404


def test_the_api_takes_basic_auth_only_where_it_is_turned_on(service, member, settings):
    assert APIClient().get(url("request-list")).status_code == 401
    client = APIClient()
    token = base64.b64encode(f"{member.username}:{PASSWORD}".encode()).decode()
    client.credentials(HTTP_AUTHORIZATION=f"Basic {token}")
    assert client.get(url("request-list")).status_code == 401
    settings.API_BASIC_AUTH = True
    assert client.get(url("request-list")).status_code == 200


def test_the_openapi_schema_describes_every_endpoint(client, member):
    client.force_login(member)
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/v1/requests/{reference}/hand-off/" in paths and "/api/v1/services/" in paths
    # Every operation names the refusals it can give, in the one shape they come in.
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert {"400", "401", "403", "404", "409"} <= set(operation["responses"]), (method, path)
    assert schema["components"]["schemas"]["Refusal"]["properties"]["detail"] == {"type": "string"}


def test_a_customer_search_needs_something_to_search_for(member):
    response = api_as(member).get(url("customer-list"))
    assert response.status_code == 400 and "q" in response.json()


def test_the_api_documentation_is_served_by_the_desk_itself(client, member):
    client.force_login(member)

    html = client.get(reverse("api-docs")).content.decode()

    assert '<html lang="en">' in html
    bundle = re.search(r'<script src="/static/([^"]+swagger-ui-bundle\.js)"', html).group(1)
    assert finders.find(bundle)  # one of the desk's static files: no CDN needed on a closed network
