"""The public door: a visitor finds a service, sends a request with files, follows it by an unguessable
link and adds to it; floods, forgeries and bots get a clear answer and change nothing."""

import datetime as dt
import re

import pytest
from django.core import mail as sent_mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Channel
from requests_app.mail import outbox
from requests_app.models import (
    Attachment,
    ClockKind,
    Customer,
    DailyFigures,
    Message,
    RequestClock,
    ServiceRequest,
    StatusLink,
    TimelineEvent,
    token_digest,
)
from requests_app.requests import services as desk
from tests.factories import CommitmentFactory, CustomerGroupFactory, ServiceAreaFactory, ServiceFactory
from tests.public import files

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_window(settings):
    """Every count in one window, whatever the hour: a run that crossed a window's edge would count twice."""
    settings.PUBLIC_LIMIT_WINDOW_SECONDS = 10**10


@pytest.fixture
def permits(db):
    return ServiceAreaFactory(code="permits", name_en="Permits and licences", name_fi="Luvat")


@pytest.fixture
def public_service(team, permits):
    CommitmentFactory(team=team, kind=ClockKind.FIRST_REPLY, target_minutes=24 * 60)
    CommitmentFactory(team=team, kind=ClockKind.NEXT_REPLY, target_minutes=24 * 60)
    return ServiceFactory(code="parking-permit", owning_team=team, area=permits, public_web_form=True,
                          name_en="Resident parking permit", name_fi="Asukaspysäköintitunnus",
                          name_sv="Boendeparkeringstillstånd",
                          keywords="car parking street", promise_en="We decide within five working days.")


@pytest.fixture
def staff_only(team, permits):
    return ServiceFactory(code="payroll-fix", owning_team=team, area=permits, public_web_form=False,
                          name_en="Payroll correction")


def form(**changes):
    data = {"name": "Aino Virtanen", "email": "aino@example.com", "phone": "", "language": "sv",
            "subject": "Parking permit for a new car", "description": "I changed cars; the plate is ABC-123.",
            "website": ""}
    return data | changes


def submit(client, service, data=None, **extra):
    return client.post(reverse("public:service", args=[service.code]), data or form(), **extra)


def test_the_public_catalogue_lists_only_services_open_to_the_web_form(client, public_service, staff_only):
    page = client.get(reverse("public:index"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Resident parking permit" in text and "Permits and licences" in text
    assert "Payroll correction" not in text
    assert "Payroll correction" not in client.get(reverse("public:index"), {"q": "payroll"}).content.decode()
    assert client.get(reverse("public:service", args=[staff_only.code])).status_code == 404


def test_a_visitor_finds_a_service_by_words_area_and_group(client, public_service, permits):
    group = CustomerGroupFactory(code="residents", name_en="Residents")
    public_service.customer_groups.add(group)
    found = client.get(reverse("public:index"), {"q": "parking"}).content.decode()
    assert "1 service found" in found and "Resident parking permit" in found
    by_group = client.get(reverse("public:index"), {"area": "permits", "group": "residents"}).content.decode()
    assert "Resident parking permit" in by_group
    other_group = CustomerGroupFactory(code="companies")
    assert "Resident parking permit" not in client.get(reverse("public:index"), {"group": other_group.code}).content.decode()


def test_an_unknown_area_in_the_address_is_said_and_everything_shown(client, public_service):
    page = client.get(reverse("public:index"), {"area": "no-such-area"})
    assert page.status_code == 400 and "There is no such service area" in page.content.decode()
    assert "Resident parking permit" in page.content.decode()


def test_the_public_pages_speak_the_visitors_language(client, public_service):
    page = client.get(reverse("public:service", args=[public_service.code]), HTTP_ACCEPT_LANGUAGE="sv")
    assert '<html lang="sv">' in page.content.decode() and "Boendeparkeringstillstånd" in page.content.decode()


def test_a_request_from_the_web_form_reaches_the_team_with_its_files_and_a_status_link(client, public_service, team):
    response = submit(client, public_service, form() | {
        "attachments": [files.upload("kuitti.pdf", files.pdf()), files.upload("auto.jpg", files.jpeg())]})
    assert response.status_code == 302
    req = ServiceRequest.objects.get()
    assert (req.channel, req.intake_owner, req.team, req.service) == (Channel.WEB, None, team, public_service)
    assert req.customer.language == "sv" and req.customer.email == "aino@example.com"
    assert sorted((f.name, f.from_customer) for f in req.files.all()) == [("auto.jpg", True), ("kuitti.pdf", True)]
    assert req.clocks.filter(kind=ClockKind.FIRST_REPLY).exists()

    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    assert StatusLink.objects.get(request=req).digest == token_digest(token) != token
    status = client.get(response["Location"]).content.decode()
    assert f"your request is {req.reference}" in status and "We decide within five working days." in status
    assert "kuitti.pdf" in status

    # Acknowledged by mail, in the customer's language, with a link of its own that opens the same page.
    (ack,) = Message.objects.filter(request=req, purpose=Message.Purpose.ACKNOWLEDGEMENT)
    assert outbox.deliver(ack.pk)
    (letter,) = sent_mail.outbox
    link = re.search(r"https?://\S+/public/status/(\S+)/", letter.body)
    assert link and client.get(reverse("public:status", args=[link.group(1)])).status_code == 200
    # No token is kept in the clear: not in the message, not in the timeline.
    for text in [*Message.objects.values_list("body", flat=True), *TimelineEvent.objects.values_list("text", flat=True)]:
        assert token not in text and link.group(1) not in text


def test_the_staff_pages_show_a_web_request_as_coming_from_the_web_form(client, public_service, member):
    submit(client, public_service)
    req = ServiceRequest.objects.get()
    client.force_login(member)
    page = client.get(reverse("requests:detail", args=[req.reference])).content.decode()
    assert re.search(r"Intake owner</dt><dd>Web form", page)


def test_the_form_needs_a_way_to_answer_and_says_so(client, public_service):
    response = submit(client, public_service, form(email="", phone=""))
    assert response.status_code == 400
    assert "Give an e-mail address or a phone number" in response.content.decode()
    assert not ServiceRequest.objects.exists() and not Customer.objects.exists()


def test_a_bot_that_fills_the_hidden_field_gets_nothing_written(client, public_service):
    response = submit(client, public_service, form(website="http://spam.example"))
    assert response.status_code == 400 and "The form could not be sent." in response.content.decode()
    assert not ServiceRequest.objects.exists() and not Customer.objects.exists()


def test_a_known_address_gets_the_same_answer_as_a_new_one(client, public_service):
    Customer.objects.create(name="Aino", email="aino@example.com")
    pages = []
    for email in ("aino@example.com", "someone.new@example.com"):
        response = submit(client, public_service, form(email=email))
        assert response.status_code == 302
        pages.append(client.get(response["Location"]).content.decode())
    reference = re.compile(r"SD-\d{4}-\d{6}|name=\"csrfmiddlewaretoken\" value=\"[^\"]+\"|/public/status/[^/]+/|<time.*?</time>|\(\d+ hours? \d+ minutes? left\)|\(\d+ \w+ left\)")
    assert reference.sub("", pages[0]).replace("aino@", "someone.new@") == reference.sub("", pages[1])


def test_a_flood_from_one_address_is_held_back_and_nothing_beyond_the_limit_is_written(client, public_service, settings):
    settings.PUBLIC_LIMIT_PER_ADDRESS = 5
    settings.PUBLIC_LIMIT_PER_EMAIL = 1000
    answers = [submit(client, public_service, form(email=f"a{n}@example.com")).status_code for n in range(60)]
    assert answers[:5] == [302] * 5 and set(answers[5:]) == {429}
    assert ServiceRequest.objects.count() == 5
    held = submit(client, public_service)
    assert held["Retry-After"] and "Nothing you sent just now was saved." in held.content.decode()
    # Another address is not held back.
    assert submit(client, public_service, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_one_email_address_is_held_back_whatever_address_it_comes_from(client, public_service, settings):
    settings.PUBLIC_LIMIT_PER_EMAIL = 2
    answers = [submit(client, public_service, form(email="Flood@Example.com"), REMOTE_ADDR=f"10.0.1.{n}").status_code
               for n in range(5)]
    assert answers == [302, 302, 429, 429, 429]
    assert ServiceRequest.objects.count() == 2


def test_a_post_without_its_csrf_token_or_with_a_wrong_one_is_refused_with_a_clear_page(public_service):
    strict = Client(enforce_csrf_checks=True)
    strict.get(reverse("public:service", args=[public_service.code]))  # the form, and its cookie
    for data in (form(), form(csrfmiddlewaretoken="x" * 64)):
        response = submit(strict, public_service, data)
        assert response.status_code == 403
        assert "reload the page" in response.content.decode()
    assert not ServiceRequest.objects.exists()


@pytest.mark.slow
def test_ten_thousand_submissions_from_one_address_in_a_minute_write_only_what_the_limit_allows(
        client, public_service, settings):
    settings.PUBLIC_LIMIT_PER_EMAIL = 10**6
    answers = {}
    started = timezone.now()
    for n in range(10_000):
        status = submit(client, public_service, form(email=f"bot{n}@example.com")).status_code
        answers[status] = answers.get(status, 0) + 1
        if (timezone.now() - started).total_seconds() > 300:  # bounded in time as in count
            break
    assert answers[302] == settings.PUBLIC_LIMIT_PER_ADDRESS
    assert set(answers) == {302, 429}
    assert ServiceRequest.objects.count() == Customer.objects.count() == settings.PUBLIC_LIMIT_PER_ADDRESS


@pytest.fixture
def sent(client, public_service):
    response = submit(client, public_service, form() | {"attachments": [files.upload("kuitti.pdf", files.pdf())]})
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    return ServiceRequest.objects.get(), token


@pytest.mark.parametrize("mangle", [
    lambda token, ref: token[:-1],                # cut short
    lambda token, ref: token[:-1] + ("A" if token[-1] != "A" else "B"),  # one letter changed
    lambda token, ref: "x" * 43,                   # made up
    lambda token, ref: ref,                        # the reference alone
    lambda token, ref: token + "/../" + token,     # path games
])
def test_a_forged_truncated_or_guessed_link_opens_nothing(client, sent, mangle):
    req, token = sent
    assert client.get(f"/public/status/{mangle(token, req.reference)}/").status_code == 404
    assert client.post(f"/public/status/{mangle(token, req.reference)}/messages/", {"text": "hi"}).status_code == 404


def test_a_link_the_team_revoked_opens_nothing_and_the_customer_can_get_a_new_one(client, sent, member):
    req, token = sent
    client.force_login(member)
    assert client.post(reverse("requests:revoke_links", args=[req.reference])).status_code == 302
    client.logout()
    assert client.get(reverse("public:status", args=[token])).status_code == 404

    asked = client.post(reverse("public:lost_link"), {"reference": req.reference.lower(), "email": "AINO@example.com"})
    assert asked.status_code == 302
    (new_link,) = Message.objects.filter(purpose=Message.Purpose.STATUS_LINK)
    outbox.deliver(new_link.pk)
    token = re.search(r"/public/status/(\S+)/", sent_mail.outbox[-1].body).group(1)
    assert client.get(reverse("public:status", args=[token])).status_code == 200


def test_a_lost_link_answer_never_tells_whether_the_address_is_known(client, sent):
    req, _token = sent
    right = client.post(reverse("public:lost_link"), {"reference": req.reference, "email": "aino@example.com"},
                        follow=True)
    wrong = client.post(reverse("public:lost_link"), {"reference": req.reference, "email": "eve@example.com"},
                        follow=True)
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert right.status_code == wrong.status_code == 200
    assert token.sub(b"", right.content) == token.sub(b"", wrong.content)
    assert Message.objects.filter(purpose=Message.Purpose.STATUS_LINK).count() == 1


def test_the_status_page_shows_answers_and_own_messages_never_notes_or_staff_names(client, sent, member, settings):
    req, token = sent
    desk.claim(request_id=req.pk, by=member)
    desk.add_note(request_id=req.pk, by=member, text="Internal: check the car register.")
    desk.reply(request_id=req.pk, by=member, body="Please send the registration certificate.")
    page = client.get(reverse("public:status", args=[token])).content.decode()
    assert "Please send the registration certificate." in page
    assert "check the car register" not in page
    assert member.get_full_name() not in page and req.team.name in page
    settings.PUBLIC_SHOW_STAFF_NAMES = True
    assert member.get_full_name() in client.get(reverse("public:status", args=[token])).content.decode()


def test_a_message_on_the_status_page_is_a_customer_message_that_starts_the_24_hour_clock(client, sent, member):
    req, token = sent
    desk.claim(request_id=req.pk, by=member)
    desk.reply(request_id=req.pk, by=member, body="Which car?")
    desk.wait_for_customer(request_id=req.pk, by=member)
    response = client.post(reverse("public:status_message", args=[token]), {
        "text": "The new one, ABC-123.", "attachments": [files.upload("rekisteriote.pdf", files.pdf())]})
    assert response.status_code == 302
    req.refresh_from_db()
    message = req.messages.get(direction=Message.Direction.INCOMING)
    assert (message.channel, message.body, req.status) == ("web", "The new one, ABC-123.", "open")
    assert req.customer_replied_at == message.created_at
    clock = RequestClock.objects.get(request=req, kind=ClockKind.NEXT_REPLY)
    assert clock.deadline_at - message.created_at == dt.timedelta(hours=24)
    (scan,) = message.files.all()
    assert scan.name == "rekisteriote.pdf" and scan.from_customer

    client.force_login(member)
    page = client.get(reverse("requests:detail", args=[req.reference])).content.decode()
    assert "The new one, ABC-123." in page and "rekisteriote.pdf" in page
    assert client.get(reverse("requests:file", args=[req.reference, scan.pk])).status_code == 200


def test_a_message_after_the_reopen_window_opens_a_follow_up_with_its_own_link(client, sent, member):
    req, token = sent
    long_ago = timezone.now() - dt.timedelta(days=60)
    desk.claim(request_id=req.pk, by=member, now=long_ago)
    desk.resolve(request_id=req.pk, by=member, resolution="Permit sent.", now=long_ago)
    response = client.post(reverse("public:status_message", args=[token]), {"text": "It expired; a new one?"})
    follow_up = ServiceRequest.objects.get(follow_up_of=req)
    assert follow_up.channel == Channel.WEB
    assert "It expired" in client.get(response["Location"]).content.decode()
    assert follow_up.reference in client.get(response["Location"]).content.decode()


def test_the_customer_downloads_their_files_and_the_teams_answers_but_never_the_teams_own_files(client, sent, member):
    from requests_app.attachments.checks import check

    req, token = sent
    desk.claim(request_id=req.pk, by=member)
    reply = desk.reply(request_id=req.pk, by=member, body="Your permit.",
                       files=[check("permit.pdf", files.pdf(), max_bytes=10**6)])
    internal = desk.attach_files(request_id=req.pk, by=member, files=[check("register.pdf", files.pdf(), max_bytes=10**6)])
    theirs = req.files.get(name="kuitti.pdf")
    ours = reply.files.get()
    for file, status in [(theirs, 200), (ours, 200), (internal[0], 404)]:
        response = client.get(reverse("public:status_file", args=[token, file.pk]))
        assert response.status_code == status
    download = client.get(reverse("public:status_file", args=[token, ours.pk]))
    assert download["Content-Disposition"].startswith("attachment;") and download["X-Content-Type-Options"] == "nosniff"
    page = client.get(reverse("public:status", args=[token])).content.decode()
    assert "permit.pdf" in page and "register.pdf" not in page


def test_a_bad_file_on_the_public_form_is_refused_and_nothing_is_written(client, public_service):
    response = submit(client, public_service, form() | {
        "attachments": [files.upload("kuitti.pdf", files.windows_program()), files.upload("a.svg", files.SVG_WITH_SCRIPT)]})
    assert response.status_code == 400
    text = response.content.decode()
    assert "kuitti.pdf is not a kind of file" in text and "a.svg is not a kind of file" in text
    assert not ServiceRequest.objects.exists() and not Attachment.objects.exists()


def test_the_promise_pages_show_how_often_each_promise_was_kept(client, public_service, team):
    today = timezone.localdate()
    DailyFigures.objects.create(day=today - dt.timedelta(days=3), grain="team", team=team, service=public_service,
                                kept_first_reply=45, missed_first_reply=3, kept_resolution=2)
    DailyFigures.objects.create(day=today - dt.timedelta(days=200), grain="team", team=team, service=public_service,
                                missed_first_reply=500)
    page = client.get(reverse("public:promises")).content.decode()
    assert "Resident parking permit" in page and "94 % (47 of 50)" in page
    service_page = client.get(reverse("public:service", args=[public_service.code])).content.decode()
    assert "we kept 94 % of our promises (47 of 50)" in service_page


def test_the_limit_counts_each_window_afresh(settings):
    from requests_app.public.services import allow

    settings.PUBLIC_LIMIT_WINDOW_SECONDS = 600
    start = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC)
    assert [allow("address:10.1.1.1", limit=2, now=start + dt.timedelta(seconds=s)) for s in (0, 10, 599)] == [
        True, True, False]
    assert allow("address:10.1.1.1", limit=2, now=start + dt.timedelta(seconds=600))
    assert allow("address:10.1.1.2", limit=2, now=start)
