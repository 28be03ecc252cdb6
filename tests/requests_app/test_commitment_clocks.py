"""Each clock state transition, driven through the domain services and the sweep (with `now` passed in)."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from catalogue.models import Channel
from requests_app.commitments import outcomes, timers
from requests_app.intake import services as intake
from requests_app.models import (
    ClockKind,
    ClockState,
    CommitmentState,
    Event,
    Notification,
    OutcomeKind,
    RequestClock,
    ServiceRequest,
    TimelineEvent,
    TimerOutcome,
)
from requests_app.notifications import outbox as notification_outbox
from requests_app.requests import services
from teams.models import Calendar, WorkingHours
from tests.factories import CommitmentFactory, MembershipFactory, UnitFactory, UserFactory

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)  # a Monday


def hours(n):
    return dt.timedelta(hours=n)


@pytest.fixture
def commitments(team):
    """First reply in 24 calendar hours (warn at 75 %), resolution in 5 days, escalate 8 h after a breach."""
    return {
        "first": CommitmentFactory(team=team, kind=ClockKind.FIRST_REPLY, target_minutes=24 * 60, warn_percent=75,
                                   escalate_after_minutes=8 * 60),
        "resolution": CommitmentFactory(team=team, kind=ClockKind.RESOLUTION, target_minutes=5 * 24 * 60,
                                        warn_percent=None, warn_minutes_before=None),
        "next": CommitmentFactory(team=team, kind=ClockKind.NEXT_REPLY, target_minutes=4 * 60, warn_percent=None),
        "callback": CommitmentFactory(team=team, kind=ClockKind.CALLBACK, target_minutes=2 * 60, warn_percent=None),
    }


def log(member, service, *, now=T0, channel=Channel.EMAIL, callback=None):
    if channel == Channel.CALLBACK and callback is None:
        callback = {"phone": "+358 40 123 4567", "window_start": now, "window_end": now + hours(2)}
    return intake.log_request(
        by=member, service_id=service.pk, channel=channel, subject="Salary missing",
        new_customer={"name": "Aino Asiakas", "email": "aino@example.com"}, now=now, callback=callback,
    )


def clock(req, kind):
    return RequestClock.objects.filter(request=req, kind=kind).latest("pk")


def events(req, kind):
    return list(TimelineEvent.objects.filter(request=req, kind=kind))


def test_logging_starts_first_reply_and_resolution_clocks(member, service, commitments):
    req = log(member, service)
    first, resolution = clock(req, ClockKind.FIRST_REPLY), clock(req, ClockKind.RESOLUTION)
    assert (first.deadline_at, first.warn_at, first.escalate_at) == (T0 + hours(24), T0 + hours(18), T0 + hours(32))
    assert resolution.deadline_at == T0 + hours(120)
    assert not RequestClock.objects.filter(request=req, kind=ClockKind.CALLBACK).exists()
    req.refresh_from_db()
    assert (req.commitment_state, req.next_deadline_at) == (CommitmentState.ON_TRACK, T0 + hours(24))


def test_a_callback_request_also_starts_the_callback_clock(member, service, commitments):
    req = log(member, service, channel=Channel.CALLBACK)
    assert clock(req, ClockKind.CALLBACK).deadline_at == T0 + hours(2)
    services.record_callback(request_id=req.pk, by=member, note="Called, explained the delay", now=T0 + hours(1))
    assert clock(req, ClockKind.CALLBACK).state == ClockState.MET
    assert clock(req, ClockKind.FIRST_REPLY).state == ClockState.MET


def test_a_callback_for_later_and_its_first_reply_are_due_counted_from_the_window_the_customer_chose(member, service, commitments):
    window = {"phone": "040 123 4567", "window_start": T0 + hours(20), "window_end": T0 + hours(22)}
    req = log(member, service, channel=Channel.CALLBACK, callback=window)
    callback_clock = clock(req, ClockKind.CALLBACK)
    assert (callback_clock.started_at, callback_clock.deadline_at) == (T0 + hours(20), T0 + hours(22))
    assert clock(req, ClockKind.FIRST_REPLY).started_at == T0 + hours(20)  # no reply due before the agreed call


def test_a_team_without_commitments_shows_no_commitment(member, service):
    req = log(member, service)
    req.refresh_from_db()
    assert req.commitment_state == CommitmentState.NONE
    assert not req.clocks.exists()


def test_a_service_commitment_beats_the_team_default(member, service, commitments):
    CommitmentFactory(team=None, service=service, kind=ClockKind.FIRST_REPLY, target_minutes=60, warn_percent=None)
    req = log(member, service)
    assert clock(req, ClockKind.FIRST_REPLY).deadline_at == T0 + hours(1)
    assert clock(req, ClockKind.RESOLUTION).deadline_at == T0 + hours(120)


def _calendar(name, opens, **kw):
    calendar = Calendar.objects.create(name=name, **kw)
    for day in range(5):
        WorkingHours.objects.create(calendar=calendar, weekday=day, opens=dt.time(opens), closes=dt.time(opens + 8))
    return calendar


def test_working_hours_come_from_the_team_calendar_then_the_site_then_the_shared_default(member, service, team):
    CommitmentFactory(team=team, kind=ClockKind.FIRST_REPLY, hours="working", target_minutes=60, warn_percent=None)
    saturday = dt.datetime(2026, 3, 7, 10, tzinfo=dt.timezone.utc)
    _calendar("Shared", 7, is_default=True)
    default_deadline = clock(log(member, service, now=saturday), ClockKind.FIRST_REPLY).deadline_at
    member.home_site.calendar = _calendar("Site", 9)
    member.home_site.save()
    site_deadline = clock(log(member, service, now=saturday), ClockKind.FIRST_REPLY).deadline_at
    team.calendar = _calendar("Team", 10)
    team.save()
    team_deadline = clock(log(member, service, now=saturday), ClockKind.FIRST_REPLY).deadline_at
    # Monday 9 March, opening + 1 h in Helsinki time (UTC+2): 7+1, 9+1, 10+1.
    assert default_deadline == dt.datetime(2026, 3, 9, 6, tzinfo=dt.timezone.utc)
    assert site_deadline == dt.datetime(2026, 3, 9, 8, tzinfo=dt.timezone.utc)
    assert team_deadline == dt.datetime(2026, 3, 9, 9, tzinfo=dt.timezone.utc)


def test_reply_in_time_meets_the_first_reply_once(member, service, commitments):
    req = log(member, service)
    services.reply(request_id=req.pk, by=member, body="We are on it.", now=T0 + hours(2))
    services.reply(request_id=req.pk, by=member, body="Still on it.", now=T0 + hours(3))
    first = clock(req, ClockKind.FIRST_REPLY)
    assert (first.state, first.met_at, first.next_check_at) == (ClockState.MET, T0 + hours(2), None)
    assert len(events(req, Event.COMMITMENT_MET)) == 1
    assert TimerOutcome.objects.filter(request=req, kind=OutcomeKind.MET).count() == 1
    assert not Notification.objects.exists()  # nobody was warned, so nobody needs telling
    req.refresh_from_db()
    assert (req.commitment_state, req.next_deadline_at) == (CommitmentState.ON_TRACK, T0 + hours(120))


def test_sweep_warns_once_at_the_warning_point(member, service, commitments, team):
    req = log(member, service)
    services.claim(request_id=req.pk, by=member, now=T0)
    assert timers.sweep(now=T0 + hours(17)).outcomes == 0
    assert timers.sweep(now=T0 + hours(18)).outcomes == 1
    assert timers.sweep(now=T0 + hours(18)).outcomes == 0
    assert timers.sweep(now=T0 + hours(19)).outcomes == 0
    assert len(events(req, Event.COMMITMENT_WARNING)) == 1
    assert list(Notification.objects.values_list("recipient", flat=True)) == [member.pk]
    req.refresh_from_db()
    assert req.commitment_state == CommitmentState.WARNING


def test_breach_tells_the_lead_then_escalation_tells_the_unit_manager(member, lead, service, commitments, team):
    manager = UserFactory()
    team.units.add(UnitFactory(manager=manager))
    req = log(member, service)
    services.claim(request_id=req.pk, by=member, now=T0)
    timers.sweep(now=T0 + hours(18))
    timers.sweep(now=T0 + hours(24))
    first = clock(req, ClockKind.FIRST_REPLY)
    assert (first.state, first.next_check_at) == (ClockState.BREACHED, T0 + hours(32))
    breach = Notification.objects.filter(outcome__kind=OutcomeKind.BREACH)
    assert set(breach.values_list("recipient", flat=True)) == {member.pk, lead.pk}
    req.refresh_from_db()
    assert (req.commitment_state, req.next_deadline_at) == (CommitmentState.BREACHED, T0 + hours(24))
    timers.sweep(now=T0 + hours(32))
    timers.sweep(now=T0 + hours(33))
    assert list(Notification.objects.filter(outcome__kind=OutcomeKind.ESCALATION).values_list(
        "recipient", flat=True)) == [manager.pk]
    assert len(events(req, Event.ESCALATED)) == 1
    assert clock(req, ClockKind.FIRST_REPLY).next_check_at is None
    # Replying late meets the clock, and tells everyone who heard of the breach; the list still says breached.
    services.reply(request_id=req.pk, by=member, body="Sorry for the wait.", now=T0 + hours(34))
    met = Notification.objects.filter(outcome__kind=OutcomeKind.MET)
    assert set(met.values_list("recipient", flat=True)) == {member.pk, lead.pk, manager.pk}
    assert "late" in met.first().title
    services.resolve(request_id=req.pk, by=member, resolution="Paid.", now=T0 + hours(35))
    req.refresh_from_db()
    assert req.commitment_state == CommitmentState.BREACHED


def test_after_hours_of_no_sweeps_the_missed_warning_is_recorded_once_before_the_breach_and_told_to_nobody(
        member, service, commitments):
    req = log(member, service)
    timers.sweep(now=T0 + hours(33))
    timers.sweep(now=T0 + hours(34))
    kinds = list(TimerOutcome.objects.filter(request=req, clock_kind="first_reply").order_by("pk")
                 .values_list("kind", flat=True))
    assert kinds == [OutcomeKind.WARNING, OutcomeKind.BREACH, OutcomeKind.ESCALATION]
    warning = events(req, Event.COMMITMENT_WARNING)
    assert len(warning) == 1 and "fell due while the timers were not running" in warning[0].text
    assert warning[0].pk < events(req, Event.COMMITMENT_BREACHED)[0].pk
    assert not Notification.objects.filter(outcome__kind=OutcomeKind.WARNING).exists()
    assert Notification.objects.filter(outcome__kind=OutcomeKind.BREACH).exists()


def test_unclaimed_request_warning_goes_to_the_whole_team(member, other_member, service, commitments, team):
    colleague = MembershipFactory(team=team).user
    log(member, service)
    timers.sweep(now=T0 + hours(18))
    assert set(Notification.objects.values_list("recipient", flat=True)) == {member.pk, colleague.pk}


def test_customer_message_starts_the_next_reply_clock_and_a_reply_meets_it(member, service, commitments):
    req = log(member, service)
    services.reply(request_id=req.pk, by=member, body="Which month?", now=T0 + hours(1))
    intake.record_customer_message(request_id=req.pk, body="February.", now=T0 + hours(2))
    intake.record_customer_message(request_id=req.pk, body="And March.", now=T0 + hours(3))
    next_reply = RequestClock.objects.get(request=req, kind=ClockKind.NEXT_REPLY)
    assert next_reply.deadline_at == T0 + hours(6)  # the oldest unanswered message sets the pace
    services.reply(request_id=req.pk, by=member, body="Both fixed.", now=T0 + hours(4))
    next_reply.refresh_from_db()
    assert next_reply.state == ClockState.MET
    intake.record_customer_message(request_id=req.pk, body="Thanks!", now=T0 + hours(5))
    assert RequestClock.objects.filter(request=req, kind=ClockKind.NEXT_REPLY).count() == 2


def test_waiting_for_the_customer_pauses_and_resuming_counts_what_was_left(member, service, commitments):
    req = log(member, service)
    services.wait_for_customer(request_id=req.pk, by=member, note="Asked for the payslip", now=T0 + hours(10))
    req.refresh_from_db()
    assert (req.status, req.commitment_state, req.next_deadline_at) == ("waiting", CommitmentState.PAUSED, None)
    assert timers.sweep(now=T0 + hours(40)).claimed == 0
    services.resume(request_id=req.pk, by=member, now=T0 + hours(40))
    first = clock(req, ClockKind.FIRST_REPLY)
    assert (first.state, first.deadline_at, first.warn_at) == (ClockState.RUNNING, T0 + hours(54), T0 + hours(48))
    assert first.paused_seconds == 30 * 3600
    assert len(events(req, Event.RESUMED)) == 1


def test_customer_message_ends_the_wait(member, service, commitments):
    req = log(member, service)
    services.wait_for_customer(request_id=req.pk, by=member, now=T0 + hours(10))
    intake.record_customer_message(request_id=req.pk, body="Here it is.", now=T0 + hours(12))
    req.refresh_from_db()
    assert req.status == "open"
    assert clock(req, ClockKind.FIRST_REPLY).deadline_at == T0 + hours(26)
    # The first reply is still due, so the customer's message starts no separate clock.
    assert not RequestClock.objects.filter(request=req, kind=ClockKind.NEXT_REPLY).exists()


def test_a_commitment_that_does_not_pause_keeps_counting_while_waiting(member, service, commitments):
    commitments["first"].pauses_when_waiting = False
    commitments["first"].save()
    req = log(member, service)
    services.wait_for_customer(request_id=req.pk, by=member, now=T0 + hours(1))
    timers.sweep(now=T0 + hours(24))
    assert clock(req, ClockKind.FIRST_REPLY).state == ClockState.BREACHED
    assert clock(req, ClockKind.RESOLUTION).state == ClockState.PAUSED


def test_waiting_twice_or_resuming_a_request_not_waiting_is_refused(member, outsider, service, commitments):
    from servicedesk.errors import InvalidState, NotAllowed

    req = log(member, service)
    with pytest.raises(InvalidState):
        services.resume(request_id=req.pk, by=member, now=T0)
    services.wait_for_customer(request_id=req.pk, by=member, now=T0)
    with pytest.raises(InvalidState):
        services.wait_for_customer(request_id=req.pk, by=member, now=T0)
    with pytest.raises(NotAllowed):
        services.resume(request_id=req.pk, by=outsider, now=T0)
    assert ServiceRequest.objects.get(pk=req.pk).status == "waiting"


def test_resolving_meets_every_clock_and_reopening_restarts_the_resolution_clock(member, service, commitments):
    req = log(member, service)
    services.resolve(request_id=req.pk, by=member, resolution="Paid.", now=T0 + hours(1))
    assert set(req.clocks.values_list("state", flat=True)) == {ClockState.MET}
    req.refresh_from_db()
    assert req.commitment_state == CommitmentState.MET
    services.reopen(request_id=req.pk, by=member, reason="Paid the wrong amount", now=T0 + hours(2))
    resolution = clock(req, ClockKind.RESOLUTION)
    assert (resolution.state, resolution.deadline_at) == (ClockState.RUNNING, T0 + hours(122))
    req.refresh_from_db()
    assert (req.commitment_state, req.next_deadline_at) == (CommitmentState.ON_TRACK, T0 + hours(122))


def test_recording_an_outcome_twice_writes_nothing_the_second_time(member, service, commitments):
    req = log(member, service)
    first = RequestClock.objects.select_related("request").get(request=req, kind=ClockKind.FIRST_REPLY)
    assert outcomes.record_outcomes([(first, OutcomeKind.WARNING)], now=T0) == 1
    assert outcomes.record_outcomes([(first, OutcomeKind.WARNING)], now=T0 + hours(1)) == 0
    assert len(events(req, Event.COMMITMENT_WARNING)) == 1


def test_each_notification_is_mailed_once(member, service, commitments):
    req = log(member, service)
    services.claim(request_id=req.pk, by=member, now=T0)
    timers.sweep(now=T0 + hours(18))
    assert notification_outbox.send_due_notifications() == (1, False)
    assert notification_outbox.send_due_notifications() == (0, False)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    assert req.reference in mail.outbox[0].subject
    assert Notification.objects.get().emailed_at is not None
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<notification-{Notification.objects.get().pk}@localhost>"


def test_a_notification_taken_by_a_sender_is_not_handed_out_again_until_its_lease_has_passed(
        member, service, commitments, settings):
    """The sender died after taking it: nobody mails it twice meanwhile, and it goes once the lease passes."""
    req = log(member, service)
    services.claim(request_id=req.pk, by=member, now=T0)
    timers.sweep(now=T0 + hours(18))
    taken = timezone.now()
    Notification.objects.update(mail_taken_at=taken)
    assert notification_outbox.send_due_notifications(now=taken + dt.timedelta(seconds=30)) == (0, False)
    lease = dt.timedelta(seconds=settings.MAIL_RETRY_FIRST_SECONDS + 1)
    assert notification_outbox.send_due_notifications(now=taken + lease) == (1, False)
    assert len(mail.outbox) == 1


def test_a_changed_commitment_applies_to_the_next_request_at_once(member, service, team):
    """Commitments are read through the cache: saving one clears it."""
    commitment = CommitmentFactory(team=team, kind=ClockKind.FIRST_REPLY, target_minutes=60, hours="calendar")

    def logged():
        req = intake.log_request(by=member, service_id=service.pk, channel="phone", subject="Payslip",
                                 new_customer={"name": "Aino"}, now=T0)
        return RequestClock.objects.get(request=req, kind=ClockKind.FIRST_REPLY).deadline_at

    assert logged() == T0 + hours(1)
    commitment.target_minutes = 120
    commitment.save()
    assert logged() == T0 + hours(2)
    commitment.delete()
    req = intake.log_request(by=member, service_id=service.pk, channel="phone", subject="Payslip",
                             new_customer={"name": "Aino"}, now=T0)
    assert not RequestClock.objects.filter(request=req).exists()


def test_a_timer_outcome_reads_in_the_readers_language_on_the_timeline(client, member, service, commitments):
    req = log(member, service)
    services.claim(request_id=req.pk, by=member, now=T0)
    timers.sweep(now=T0 + hours(18))
    [warning] = events(req, Event.COMMITMENT_WARNING)
    assert set(warning.data["texts"]) == {"fi", "sv", "en"}
    assert warning.data["texts"]["fi"] != warning.data["texts"]["en"]
    client.force_login(member)
    for language in ("fi", "sv", "en"):
        page = client.get(f"/requests/{req.reference}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert warning.data["texts"][language] in page.replace("<br>", "\n")
