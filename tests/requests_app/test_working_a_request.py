"""Replying, noting, resolving and reopening: each one change, one timeline event, or a refusal that changes nothing."""

import pytest
from django.core import mail
from django.urls import reverse

from requests_app.mail.tasks import deliver_message
from requests_app.models import Event, Message, Status
from requests_app.requests import services
from servicedesk.errors import InvalidState, NotAllowed
from tests.factories import CustomerFactory, ServiceRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def req(service, member):
    req = ServiceRequestFactory(service=service, customer=CustomerFactory(email="aino@example.org"))
    services.claim(request_id=req.pk, by=member)
    return req


def kinds(req):
    return list(req.timeline.values_list("kind", flat=True))


def test_a_reply_is_kept_recorded_and_mailed_with_the_reference_in_the_subject(req, member, team):
    team.email = "payroll@example.org"
    team.save()

    message = services.reply(request_id=req.pk, by=member, body="We are on it.")
    deliver_message(message.pk)

    req.refresh_from_db()
    assert req.first_reply_at == message.created_at
    assert kinds(req)[-1] == Event.REPLIED
    [sent] = mail.outbox
    assert req.reference in sent.subject
    assert sent.to == ["aino@example.org"] and sent.reply_to == ["payroll@example.org"]
    assert sent.body == "We are on it."
    message.refresh_from_db()
    assert message.sent_at is not None


def test_a_message_is_mailed_once_however_often_delivery_runs(req, member):
    message = services.reply(request_id=req.pk, by=member, body="Once.")
    deliver_message(message.pk)
    deliver_message(message.pk)
    assert len(mail.outbox) == 1


def test_the_first_reply_time_stays_at_the_first_reply(req, member):
    first = services.reply(request_id=req.pk, by=member, body="One")
    services.reply(request_id=req.pk, by=member, body="Two")
    req.refresh_from_db()
    assert req.first_reply_at == first.created_at


def test_a_note_is_internal_and_the_intake_owner_may_add_one(req, member):
    services.add_note(request_id=req.pk, by=member, text="Checked the hours.")
    services.add_note(request_id=req.pk, by=req.intake_owner, text="Customer called again.")
    assert kinds(req)[-2:] == [Event.NOTED, Event.NOTED]
    assert not Message.objects.exists()


def test_resolving_records_the_resolution_and_reopening_brings_it_back(req, member):
    services.resolve(request_id=req.pk, by=member, resolution="Paid in December.")
    req.refresh_from_db()
    assert (req.status, req.resolution) == (Status.RESOLVED, "Paid in December.")
    assert req.resolved_at is not None

    services.reopen(request_id=req.pk, by=req.intake_owner, reason="Customer says it was not paid.")
    req.refresh_from_db()
    assert (req.status, req.resolved_at) == (Status.OPEN, None)
    assert kinds(req)[-2:] == [Event.RESOLVED, Event.REOPENED]


@pytest.mark.parametrize(
    ("operation", "arguments"),
    [
        (services.reply, {"body": "Too late"}),
        (services.resolve, {"resolution": "Again"}),
    ],
)
def test_a_resolved_request_takes_no_reply_and_no_second_resolution(req, member, operation, arguments):
    services.resolve(request_id=req.pk, by=member, resolution="Done")
    before = kinds(req)
    with pytest.raises(InvalidState, match="already resolved"):
        operation(request_id=req.pk, by=member, **arguments)
    assert kinds(req) == before


def test_an_open_request_cannot_be_reopened(req, member):
    with pytest.raises(InvalidState, match="not resolved"):
        services.reopen(request_id=req.pk, by=member, reason="Why")


@pytest.mark.parametrize(
    ("operation", "arguments"),
    [
        (services.reply, {"body": "Hello"}),
        (services.resolve, {"resolution": "Done"}),
        (services.add_note, {"text": "Hmm"}),
    ],
)
def test_people_outside_the_team_cannot_work_the_request(req, other_member, operation, arguments):
    before = kinds(req)
    with pytest.raises(NotAllowed):
        operation(request_id=req.pk, by=other_member, **arguments)
    assert kinds(req) == before


@pytest.mark.parametrize(
    ("operation", "arguments"),
    [
        (services.reply, {"body": "  "}),
        (services.add_note, {"text": ""}),
        (services.resolve, {"resolution": "x" * 10_001}),
    ],
)
def test_empty_or_oversized_text_is_refused(req, member, operation, arguments):
    before = kinds(req)
    with pytest.raises(InvalidState):
        operation(request_id=req.pk, by=member, **arguments)
    assert kinds(req) == before
    req.refresh_from_db()
    assert req.status == Status.OPEN


def test_the_request_page_shows_the_timeline_and_the_forms_for_the_team(client, req, member):
    services.add_note(request_id=req.pk, by=member, text="Checked the hours.")
    client.force_login(member)

    page = client.get(reverse("requests:detail", args=[req.reference])).content.decode()

    assert "Checked the hours." in page
    for button in ("Send reply", "Add note", "Resolve"):
        assert button in page


def test_the_request_page_works_the_request_and_says_so(client, req, member):
    client.force_login(member)
    url = reverse("requests:reply", args=[req.reference])

    response = client.post(url, {"reply_form-text": "We are on it."}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("requests:detail", args=[req.reference])
    assert "Reply sent to the customer." in response.content.decode()
    assert Message.objects.get().body == "We are on it."


def test_an_empty_reply_from_the_page_is_a_400_that_changes_nothing(client, req, member):
    client.force_login(member)
    response = client.post(reverse("requests:reply", args=[req.reference]), {"reply_form-text": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Message.objects.exists()


def test_resolving_twice_from_the_page_is_a_409_with_the_reason(client, req, member):
    client.force_login(member)
    url = reverse("requests:resolve", args=[req.reference])
    client.post(url, {"resolve_form-text": "Done"})

    response = client.post(url, {"resolve_form-text": "Done again"})

    assert response.status_code == 409
    assert f"Request {req.reference} is already resolved." in response.content.decode()
    assert req.timeline.filter(kind=Event.RESOLVED).count() == 1


def test_a_reply_to_a_resolved_request_from_the_page_is_a_409_that_sends_nothing(client, req, member):
    services.resolve(request_id=req.pk, by=member, resolution="Done")
    client.force_login(member)
    response = client.post(reverse("requests:reply", args=[req.reference]), {"reply_form-text": "My answer"})
    assert response.status_code == 409
    assert "already resolved" in response.content.decode()
    assert not Message.objects.filter(purpose=Message.Purpose.REPLY).exists()


def test_an_oversized_note_is_a_400_that_keeps_what_was_written(client, req, member):
    client.force_login(member)
    text = "Long note " * 1001
    response = client.post(reverse("requests:note", args=[req.reference]), {"note_form-text": text})
    assert response.status_code == 400
    assert "Ensure this value has at most 10000 characters" in response.content.decode()
    assert text.strip() in response.content.decode()
    assert not req.timeline.filter(kind=Event.NOTED).exists()


def test_outside_the_team_the_page_refuses_to_work_the_request(client, service, member, other_member):
    req = ServiceRequestFactory(service=service, intake_owner=other_member)
    client.force_login(other_member)

    response = client.post(reverse("requests:resolve", args=[req.reference]), {"resolve_form-text": "Done"})

    assert response.status_code == 403
    req.refresh_from_db()
    assert req.status == Status.NEW


def test_working_a_request_needs_post(client, req, member):
    client.force_login(member)
    assert client.get(reverse("requests:resolve", args=[req.reference])).status_code == 405


def test_an_unknown_reference_is_a_404(client, member):
    client.force_login(member)
    assert client.get(reverse("requests:detail", args=["SD-1999-000001"])).status_code == 404
    assert client.post(reverse("requests:claim", args=["SD-1999-000001"])).status_code == 404
