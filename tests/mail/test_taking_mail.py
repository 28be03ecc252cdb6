"""Mail into the desk: joined to its request, opened as a new one, sorted by a person, or set aside; once
each, and never answered when a machine wrote it."""

import datetime as dt

import pytest
from django.utils import timezone

from requests_app.inbox import services as inbox
from requests_app.intake import services as intake
from requests_app.models import (
    ClockKind,
    ClockState,
    Customer,
    Event,
    InboundMail,
    Mailbox,
    Message,
    RequestClock,
    ServiceRequest,
    Status,
)
from requests_app.requests import services
from tests.factories import CommitmentFactory, CustomerFactory
from tests.mail.letters import letter

Outcome = InboundMail.Outcome
T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.timezone.utc)  # a Monday


@pytest.fixture
def general(db):
    return Mailbox.objects.create(name="Kirjaamo", address="kirjaamo@example.org")


@pytest.fixture
def payroll_box(service):
    return Mailbox.objects.create(name="Palkat", address="palkat@example.org", service=service)


@pytest.fixture
def reply_clock(team):
    return CommitmentFactory(team=team, kind=ClockKind.NEXT_REPLY, target_minutes=24 * 60, hours="calendar")


@pytest.fixture
def answered(service, member, reply_clock):
    """A request the team has answered by mail: the customer's answer to that mail should find it."""
    req = intake.log_request(by=member, service_id=service.pk, channel="phone", subject="Overtime missing",
                             new_customer={"name": "Aino", "email": "aino@example.com", "language": "en"}, now=T0)
    services.claim(request_id=req.pk, by=member, now=T0)
    reply = services.reply(request_id=req.pk, by=member, body="Which month?", now=T0 + dt.timedelta(hours=1))
    return req, reply


def test_an_answer_to_the_desks_reply_joins_its_request_and_starts_the_24_hour_clock(answered, general):
    req, reply = answered
    at = T0 + dt.timedelta(hours=2)
    mail = inbox.take_mail(letter(subject="Re: Overtime missing", text="November.\n\nOn Mon Desk wrote:\n> Which month?",
                                  in_reply_to=reply.mail_id), mailbox_id=general.pk, now=at)

    assert mail.outcome == Outcome.JOINED and mail.request_id == req.pk
    message = mail.message
    assert message.direction == "in" and message.body == "November." and "Which month?" in message.full_text
    req.refresh_from_db()
    assert req.customer_replied_at == at
    clock = RequestClock.objects.get(request=req, kind=ClockKind.NEXT_REPLY)
    assert clock.state == ClockState.RUNNING and clock.deadline_at == at + dt.timedelta(hours=24)
    assert req.timeline.filter(kind=Event.CUSTOMER_MESSAGE).count() == 1


def test_the_same_mail_read_twice_is_stored_once(answered, general):
    req, reply = answered
    raw = letter(text="November.", in_reply_to=reply.mail_id)
    first = inbox.take_mail(raw, mailbox_id=general.pk, now=T0 + dt.timedelta(hours=2))
    again = inbox.take_mail(raw, mailbox_id=general.pk, now=T0 + dt.timedelta(hours=3))
    assert again.pk == first.pk
    assert InboundMail.objects.count() == 1
    assert req.messages.filter(direction="in").count() == 1


def test_a_reference_in_the_subject_from_the_customer_joins_and_from_a_stranger_is_flagged(answered, general):
    req, _reply = answered
    joined = inbox.take_mail(letter(sender="AINO@example.com", subject=f"About {req.reference.lower()}"),
                             mailbox_id=general.pk, now=T0 + dt.timedelta(hours=2))
    assert joined.outcome == Outcome.JOINED

    forged = inbox.take_mail(letter(sender="mallory@example.net", subject=f"[{req.reference}] change my account"),
                             mailbox_id=general.pk, now=T0 + dt.timedelta(hours=3))
    assert forged.outcome == Outcome.FLAGGED and forged.request_id == req.pk and forged.message is None
    assert req.messages.filter(direction="in").count() == 1


def test_an_organisation_customer_writes_from_any_address_of_its_domain(service, member, general):
    customer = CustomerFactory(kind=Customer.Kind.ORGANISATION, email="info@firma.fi")
    req = intake.log_request(by=member, service_id=service.pk, channel="desk", subject="Invoice", customer_id=customer.pk)
    mail = inbox.take_mail(letter(sender="pekka@firma.fi", subject=f"Re: [{req.reference}] Invoice"),
                           mailbox_id=general.pk)
    assert mail.outcome == Outcome.JOINED


def test_new_mail_to_a_teams_mailbox_opens_a_request_for_its_service_and_acknowledges_it(payroll_box, service):
    mail = inbox.take_mail(letter(sender="ville@example.com", name="Ville", subject="Palkka puuttuu",
                                  text="Palkkani ei tullut.", headers={"Content-Language": "fi"}),
                           mailbox_id=payroll_box.pk)
    assert mail.outcome == Outcome.NEW_REQUEST
    req = mail.request
    assert req.service == service and req.channel == "email" and req.intake_owner is None
    assert req.customer.email == "ville@example.com" and req.customer.language == "fi"
    assert req.description == "Palkkani ei tullut."
    ack = req.messages.get(direction="out")
    assert ack.purpose == Message.Purpose.ACKNOWLEDGEMENT and req.reference in ack.body
    assert "Vastaamme 24 tunnin kuluessa." in ack.body  # the promise, in the customer's language


def test_a_returning_customer_is_matched_by_address(payroll_box):
    known = CustomerFactory(email="ville@example.com")
    mail = inbox.take_mail(letter(sender="Ville@Example.com", subject="Again"), mailbox_id=payroll_box.pk)
    assert mail.request.customer == known


def test_no_acknowledgement_when_the_service_says_so(payroll_box, service):
    service.acknowledge_by_mail = False
    service.save()
    mail = inbox.take_mail(letter(subject="Hello"), mailbox_id=payroll_box.pk)
    assert not mail.request.messages.filter(direction="out").exists()


def test_mail_to_the_general_address_waits_and_whoever_sorts_it_becomes_its_intake_owner(general, service, outsider):
    mail = inbox.take_mail(letter(subject="Where is my salary?"), mailbox_id=general.pk)
    assert mail.outcome == Outcome.TO_SORT and mail.request is None

    req = inbox.sort_mail(mail_pk=mail.pk, by=outsider, service_id=service.pk)
    assert req.intake_owner == outsider and req.team == service.owning_team and req.channel == "email"
    mail.refresh_from_db()
    assert mail.outcome == Outcome.SORTED and mail.request == req and mail.message.request == req
    with pytest.raises(inbox.InvalidState):
        inbox.sort_mail(mail_pk=mail.pk, by=outsider, service_id=service.pk)


@pytest.mark.parametrize("headers, sender, outcome", [
    ({"Auto-Submitted": "auto-replied"}, "aino@example.com", Outcome.AUTOMATIC),
    ({"Precedence": "junk"}, "aino@example.com", Outcome.AUTOMATIC),
    ({}, "mailer-daemon@mx.example.com", Outcome.BOUNCE),
    ({}, "kirjaamo@example.org", Outcome.OWN),
])
def test_machines_are_recorded_and_never_answered_nor_start_a_clock(answered, general, headers, sender, outcome):
    req, reply = answered
    mail = inbox.take_mail(letter(sender=sender, headers=headers, in_reply_to=reply.mail_id), mailbox_id=general.pk)
    assert mail.outcome == outcome and mail.request_id == req.pk and mail.message is None
    assert not RequestClock.objects.filter(request=req, kind=ClockKind.NEXT_REPLY).exists()
    assert not req.messages.filter(direction="in").exists()


def test_two_auto_responders_answering_each_other_make_no_mail(payroll_box):
    for n in range(3):
        inbox.take_mail(letter(subject=f"Out of office {n}", headers={"Auto-Submitted": "auto-replied"}),
                        mailbox_id=payroll_box.pk)
    assert not ServiceRequest.objects.exists() and not Message.objects.exists()


def test_unreadable_and_oversized_mail_is_set_aside_with_the_reason_and_the_mailbox_moves_on(general, settings):
    settings.MAIL_MAX_BYTES = 10_000
    nobody = inbox.take_mail(b"Subject: who\r\n\r\nno sender", mailbox_id=general.pk, uid=7)
    large = inbox.take_mail(letter(text="x" * 20_000), mailbox_id=general.pk, uid=8)
    assert nobody.outcome == large.outcome == Outcome.SET_ASIDE
    assert "No sender" in nobody.reason and "Too large" in large.reason
    general.refresh_from_db()
    assert general.last_uid == 8


def test_a_message_on_a_request_resolved_lately_reopens_it_and_long_ago_opens_a_linked_follow_up(answered, general,
                                                                                                member):
    req, reply = answered
    services.resolve(request_id=req.pk, by=member, resolution="Paid.", now=T0 + dt.timedelta(days=1))
    inbox.take_mail(letter(text="Not paid after all.", in_reply_to=reply.mail_id), mailbox_id=general.pk,
                    now=T0 + dt.timedelta(days=3))
    req.refresh_from_db()
    assert req.status == Status.OPEN and req.timeline.filter(kind=Event.REOPENED).exists()

    services.resolve(request_id=req.pk, by=member, resolution="Paid now.", now=T0 + dt.timedelta(days=4))
    later = T0 + dt.timedelta(days=4 + req.team.reopen_days + 1)
    mail = inbox.take_mail(letter(text="Again missing.", in_reply_to=reply.mail_id), mailbox_id=general.pk, now=later)
    req.refresh_from_db()
    assert req.status == Status.RESOLVED
    follow_up = mail.request
    assert follow_up.follow_up_of == req and follow_up.service_id == req.service_id
    assert follow_up.customer_id == req.customer_id and follow_up.messages.filter(direction="in").count() == 1


def test_a_reply_to_a_customer_without_e_mail_is_refused_and_an_answer_by_phone_is_recorded_as_such(
        service, member, reply_clock):
    req = intake.log_request(by=member, service_id=service.pk, channel="phone", subject="Payslip",
                             new_customer={"name": "Eino", "phone": "+358401234567"}, now=T0)
    services.claim(request_id=req.pk, by=member, now=T0)
    with pytest.raises(services.InvalidState, match="no e-mail address"):
        services.reply(request_id=req.pk, by=member, body="Sent!", now=T0)
    assert not Message.objects.exists()
    assert not req.timeline.filter(kind=Event.REPLIED).exists()

    intake.record_customer_message(request_id=req.pk, by=member, channel="phone", body="Called: which month?",
                                   now=T0 + dt.timedelta(hours=1))
    clock = RequestClock.objects.get(request=req, kind=ClockKind.NEXT_REPLY)
    assert clock.state == ClockState.RUNNING
    answer = services.record_answer(request_id=req.pk, by=member, channel="phone", body="November, paid Friday.",
                                    now=T0 + dt.timedelta(hours=2))
    assert answer.channel == "phone" and answer.sent_at is None and not answer.is_undelivered
    clock.refresh_from_db()
    assert clock.state == ClockState.MET
    req.refresh_from_db()
    assert req.customer_replied_at is None and req.first_reply_at == T0 + dt.timedelta(hours=2)
    assert req.timeline.filter(kind=Event.ANSWERED).count() == 1


def test_a_contact_by_mail_cannot_be_claimed_by_staff_and_outsiders_cannot_record_contacts(service, member, outsider):
    req = intake.log_request(by=member, service_id=service.pk, channel="phone", subject="Payslip",
                             new_customer={"name": "Eino"})
    with pytest.raises(services.InvalidState):
        intake.record_customer_message(request_id=req.pk, by=member, channel="email", body="I wrote")
    with pytest.raises(services.NotAllowed):
        intake.record_customer_message(request_id=req.pk, by=outsider, channel="phone", body="I called")


def test_accepting_a_flagged_mail_adds_it_and_only_the_team_decides(answered, general, member, other_member):
    req, _reply = answered
    forged = inbox.take_mail(letter(sender="colleague@example.net", subject=f"[{req.reference}] for Aino"),
                             mailbox_id=general.pk, now=timezone.now())
    with pytest.raises(services.NotAllowed):
        inbox.accept_flagged(mail_pk=forged.pk, by=other_member)
    message = inbox.accept_flagged(mail_pk=forged.pk, by=member)
    assert message.request == req
    forged.refresh_from_db()
    assert forged.outcome == Outcome.ACCEPTED


def test_an_answer_kept_before_its_question_was_read_still_finds_the_request_the_question_opened(payroll_box):
    question = letter(subject="Salary missing", mail_id="<question@example.com>")
    answer = letter(subject="Re: Salary missing", text="And the payslip too.", in_reply_to="<question@example.com>")
    kept_question = inbox.stage_mail(question, mailbox=payroll_box)
    kept_answer = inbox.stage_mail(answer, mailbox=payroll_box)
    inbox.route_mail(kept_answer.pk)  # the answer's worker got there first
    kept_question.refresh_from_db()
    kept_answer.refresh_from_db()
    assert kept_question.outcome == Outcome.NEW_REQUEST
    assert kept_answer.outcome == Outcome.JOINED and kept_answer.request == kept_question.request
    assert inbox.route_mail(kept_question.pk) is None  # read once


def test_mail_kept_but_never_read_is_read_by_the_next_fetch(payroll_box):
    kept = inbox.stage_mail(letter(subject="Lost task"), mailbox=payroll_box, now=T0)
    assert inbox.route_waiting(older_than=dt.timedelta(minutes=2), now=T0 + dt.timedelta(minutes=1)) == 0
    assert inbox.route_waiting(older_than=dt.timedelta(minutes=2), now=T0 + dt.timedelta(minutes=3)) == 1
    kept.refresh_from_db()
    assert kept.outcome == Outcome.NEW_REQUEST


def test_two_kept_mails_naming_each_other_are_each_read_once(payroll_box):
    one = inbox.stage_mail(letter(subject="One", mail_id="<one@example.com>", in_reply_to="<two@example.com>"),
                           mailbox=payroll_box)
    two = inbox.stage_mail(letter(subject="Two", mail_id="<two@example.com>", in_reply_to="<one@example.com>"),
                           mailbox=payroll_box)
    inbox.route_mail(one.pk)
    one.refresh_from_db()
    two.refresh_from_db()
    assert {one.outcome, two.outcome} == {Outcome.NEW_REQUEST, Outcome.JOINED}
    assert one.request == two.request


def test_a_mail_claiming_the_message_id_of_the_desks_own_mail_is_set_aside_and_changes_nothing(answered, general):
    req, reply = answered
    forged = inbox.take_mail(letter(subject=f"Re: [{req.reference}]", mail_id=reply.mail_id, in_reply_to=reply.mail_id),
                             mailbox_id=general.pk)
    assert forged.outcome == Outcome.SET_ASIDE and "Message-ID" in forged.reason
    assert not req.messages.filter(direction="in").exists()
    assert not RequestClock.objects.filter(request=req, kind=ClockKind.NEXT_REPLY).exists()
