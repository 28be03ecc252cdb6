"""A phone call can leave a callback request: a number, a time the customer chose, and its own clock."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from requests_app.intake import services as intake_services
from requests_app.models import CallbackRequest, ClockKind, Event, RequestClock, ServiceRequest
from requests_app.requests import services
from servicedesk.errors import InvalidState
from tests.factories import CommitmentFactory

pytestmark = pytest.mark.django_db


def tomorrow():
    return timezone.localdate() + dt.timedelta(days=1)


def at(day, hour):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def intake(service, **overrides):
    data = {
        "service": service.pk, "channel": "callback", "subject": "Salary missing", "description": "",
        "customer_name": "Aino Virtanen", "customer_kind": "person", "customer_phone": "+358 40 765 4321",
        "callback_phone": "", "callback_day": tomorrow().isoformat(), "callback_from": "10:00",
        "callback_until": "12:00",
    }
    return data | overrides


@pytest.fixture
def callback_commitment(team):
    return CommitmentFactory(team=team, kind=ClockKind.CALLBACK, target_minutes=4 * 60, hours="calendar",
                             warn_percent=None)


def test_the_front_desk_records_a_callback_with_the_customers_number_and_window(
    client, outsider, service, callback_commitment
):
    client.force_login(outsider)
    response = client.post(reverse("requests:new"), intake(service))

    assert response.status_code == 302
    req = ServiceRequest.objects.get()
    callback = CallbackRequest.objects.get(request=req)
    assert callback.phone == "+358 40 765 4321"  # the customer's own number, since none other was given
    assert (callback.window_start, callback.window_end) == (at(tomorrow(), 10), at(tomorrow(), 12))
    clock = RequestClock.objects.get(request=req, kind=ClockKind.CALLBACK)
    assert clock.started_at == at(tomorrow(), 10) and clock.deadline_at == at(tomorrow(), 14)


@pytest.mark.parametrize("overrides, field, message", [
    ({"callback_day": ""}, "callback_day", "Give the day and the time"),
    ({"callback_from": ""}, "callback_from", "Give the day and the time"),
    ({"customer_phone": "", "callback_phone": ""}, "callback_phone", "Give the number to call back."),
])
def test_a_callback_without_a_number_or_a_time_is_refused_with_the_reason(
    client, outsider, service, overrides, field, message
):
    client.force_login(outsider)
    response = client.post(reverse("requests:new"), intake(service, **overrides))
    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]
    assert not ServiceRequest.objects.exists() and not CallbackRequest.objects.exists()


@pytest.mark.parametrize("overrides, message", [
    ({"callback_phone": "call me"}, "Give the number to call back"),
    ({"callback_from": "12:00", "callback_until": "10:00"}, "must end after it starts"),
    ({"callback_day": (timezone.localdate() - dt.timedelta(days=2)).isoformat()}, "already over"),
    ({"callback_day": (timezone.localdate() + dt.timedelta(days=30)).isoformat()}, "two weeks ahead"),
])
def test_the_domain_refuses_a_bad_number_or_window_and_the_form_says_why(client, outsider, service, overrides, message):
    client.force_login(outsider)
    response = client.post(reverse("requests:new"), intake(service, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_a_number_and_time_on_an_ordinary_request_are_refused_by_the_service(outsider, service):
    with pytest.raises(InvalidState, match="Only a callback request"):
        intake_services.log_request(by=outsider, service_id=service.pk, channel="phone", subject="x",
                             new_customer={"name": "A"},
                             callback={"phone": "040 1234567", "window_start": timezone.now(),
                                       "window_end": timezone.now() + dt.timedelta(hours=1)})
    assert not ServiceRequest.objects.exists()


@pytest.fixture
def callback_request(outsider, service, callback_commitment):
    now = timezone.now()
    return intake_services.log_request(
        by=outsider, service_id=service.pk, channel="callback", subject="Call me about my salary",
        new_customer={"name": "Aino Virtanen"},
        callback={"phone": "040 1234567", "window_start": now, "window_end": now + dt.timedelta(hours=2)},
    )


def test_a_member_sees_the_callback_and_marks_it_called_once(client, member, callback_request):
    client.force_login(member)
    page = client.get(reverse("requests:detail", args=[callback_request.reference])).content.decode()
    assert 'href="tel:040 1234567"' in page and "Called back" in page
    queue = client.get(reverse("requests:queue")).content.decode()
    assert "☎" in queue

    assert client.post(reverse("requests:called_back", args=[callback_request.reference])).status_code == 302
    callback_request.refresh_from_db()
    assert callback_request.callback.called_at is not None and callback_request.first_reply_at is not None
    assert RequestClock.objects.get(request=callback_request, kind=ClockKind.CALLBACK).met_at is not None
    assert callback_request.timeline.filter(kind=Event.CALLED_BACK).count() == 1

    again = client.post(reverse("requests:called_back", args=[callback_request.reference]))
    assert again.status_code == 409 and "already been called back" in again.content.decode()
    assert callback_request.timeline.filter(kind=Event.CALLED_BACK).count() == 1


def test_only_the_team_records_a_callback_and_not_on_a_resolved_request(client, member, other_member,
                                                                          callback_request):
    client.force_login(other_member)
    assert client.post(reverse("requests:called_back", args=[callback_request.reference])).status_code == 404
    services.resolve(request_id=callback_request.pk, by=member, resolution="Sorted by e-mail")
    client.force_login(member)
    response = client.post(reverse("requests:called_back", args=[callback_request.reference]))
    assert response.status_code == 409
    callback_request.refresh_from_db()
    assert callback_request.callback.called_at is None


def test_no_clock_of_a_callback_request_falls_due_before_the_window_the_customer_chose(
        client, outsider, service, team, callback_commitment):
    CommitmentFactory(team=team, kind=ClockKind.FIRST_REPLY, target_minutes=60, hours="calendar", warn_percent=None)
    client.force_login(outsider)
    assert client.post(reverse("requests:new"), intake(service)).status_code == 302
    clocks = {clock.kind: clock for clock in RequestClock.objects.filter(request=ServiceRequest.objects.get())}
    assert clocks[ClockKind.FIRST_REPLY].started_at == at(tomorrow(), 10)
    assert clocks[ClockKind.FIRST_REPLY].deadline_at == at(tomorrow(), 11)


@pytest.fixture
def booked_for_tomorrow(service, member):
    req = intake_services.log_request(
        by=member, service_id=service.pk, channel="callback", subject="Salary missing",
        new_customer={"name": "Aino Virtanen"},
        callback={"phone": "040 1234567", "window_start": at(tomorrow(), 10), "window_end": at(tomorrow(), 12)},
    )
    return req


def test_called_back_before_the_window_asks_to_confirm_and_is_taken_once_confirmed(client, member,
                                                                                   booked_for_tomorrow):
    url = reverse("requests:called_back", args=[booked_for_tomorrow.reference])
    client.force_login(member)
    page = client.get(reverse("requests:detail", args=[booked_for_tomorrow.reference])).content.decode()
    assert "I called before the time the customer asked for" in page

    refused = client.post(url)
    assert refused.status_code == 409 and "confirm that you called them before" in refused.content.decode()
    booked_for_tomorrow.refresh_from_db()
    assert booked_for_tomorrow.callback.called_at is None

    assert client.post(url, {"called_back-early": "on"}).status_code == 302
    booked_for_tomorrow.refresh_from_db()
    assert booked_for_tomorrow.callback.called_at is not None


@pytest.mark.parametrize("channel, taken", [("phone", False), ("desk", False), ("email", True), ("web", True),
                                            ("callback", False)])
def test_a_service_takes_requests_only_by_its_channels_with_a_clear_message(client, outsider, service, channel,
                                                                           taken):
    service.channels = ["email", "web"]
    service.save()
    client.force_login(outsider)
    data = intake(service, channel=channel)
    response = client.post(reverse("requests:new"), data)
    assert ServiceRequest.objects.exists() is taken
    if not taken:
        assert response.status_code in (400, 409)
        assert "is not taken in by" in response.content.decode() and "E-mail, Web form" in response.content.decode()


def test_a_callback_counts_as_a_phone_call_for_the_services_channels(member, service):
    service.channels = ["phone"]
    service.save()
    when = at(tomorrow(), 10)
    req = intake_services.log_request(
        by=member, service_id=service.pk, channel="callback", subject="Salary missing",
        new_customer={"name": "Aino Virtanen"},
        callback={"phone": "040 1234567", "window_start": when, "window_end": when + dt.timedelta(hours=2)})
    assert req.channel == "callback"
    with pytest.raises(InvalidState, match="is not taken in by"):
        intake_services.log_request(by=member, service_id=service.pk, channel="desk", subject="Salary missing",
                                    new_customer={"name": "Aino Virtanen"})
