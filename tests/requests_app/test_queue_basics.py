"""The team queue and the personal lists as the first flow needs them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from requests_app.intake import services as intake
from requests_app.models import Status
from requests_app.requests import services
from tests.factories import MembershipFactory, ServiceFactory, ServiceRequestFactory, TeamFactory

pytestmark = pytest.mark.django_db


def references(response):
    return [req.reference for req in response.context["page"]]


def test_the_queue_shows_the_teams_open_requests_next_deadline_first_as_the_charters_work(client, member, service):
    soon = timezone.now() + dt.timedelta(hours=1)
    later = ServiceRequestFactory(service=service, next_deadline_at=soon + dt.timedelta(hours=5))
    sooner = ServiceRequestFactory(service=service, next_deadline_at=soon)
    older, newer = ServiceRequestFactory(service=service), ServiceRequestFactory(service=service)  # none: last
    ServiceRequestFactory(service=service, status=Status.RESOLVED)
    ServiceRequestFactory()  # another team's
    client.force_login(member)

    response = client.get(reverse("requests:queue"))

    assert references(response) == [sooner.reference, later.reference, older.reference, newer.reference]
    assert references(client.get(reverse("requests:queue"), {"sort": "newest"}))[:2] == [newer.reference,
                                                                                          older.reference]


def test_the_queue_filters_by_status_service_and_unclaimed(client, member, service, team):
    other_service = ServiceFactory(owning_team=team)
    claimed = ServiceRequestFactory(service=service)
    services.claim(request_id=claimed.pk, by=member)
    unclaimed = ServiceRequestFactory(service=service)
    elsewhere = ServiceRequestFactory(service=other_service)
    resolved = ServiceRequestFactory(service=service, status=Status.RESOLVED)
    client.force_login(member)
    queue = reverse("requests:queue")

    assert references(client.get(queue, {"assignee": "none", "sort": "newest"})) == [elsewhere.reference,
                                                                                      unclaimed.reference]
    assert references(client.get(queue, {"service": other_service.pk})) == [elsewhere.reference]
    assert references(client.get(queue, {"status": "resolved"})) == [resolved.reference]
    assert references(client.get(queue, {"assignee": "me"})) == [claimed.reference]
    assert references(client.get(queue, {"assigned_to": member.pk})) == [claimed.reference]


def test_the_queue_filters_answer_htmx_with_the_table_alone(client, member, service):
    ServiceRequestFactory(service=service)
    client.force_login(member)
    response = client.get(reverse("requests:queue"), {"assignee": "none"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="queue-table"')
    assert "<html" not in html


def test_the_queue_pages_by_fifty_from_the_last_row_shown_and_back(client, member, service):
    made = ServiceRequestFactory.create_batch(51, service=service)
    client.force_login(member)
    first = client.get(reverse("requests:queue"))
    second = client.get(reverse("requests:queue"), {"after": first.context["page"].next_key})
    assert len(references(first)) == 50 and len(references(second)) == 1
    assert set(references(first)) | set(references(second)) == {req.reference for req in made}
    back = client.get(reverse("requests:queue"), {"before": second.context["page"].previous_key})
    assert references(back) == references(first)
    assert 'rel="next"' in first.content.decode() and 'rel="prev"' in second.content.decode()


def test_a_page_key_that_was_never_given_out_is_a_400(client, member, service):
    client.force_login(member)
    for key in ("yesterday", "2026-01-01T00:00:00~x", "2026-01-01T00:00:00~1"):
        response = client.get(reverse("requests:queue"), {"after": key})
        assert response.status_code == 400 and "does not exist" in response.content.decode()


def test_a_member_of_several_teams_picks_the_team_and_cannot_open_a_team_they_are_not_in(client, member):
    second = TeamFactory(name="Travel team")
    MembershipFactory(team=second, user=member)
    travel = ServiceRequestFactory(service=ServiceFactory(owning_team=second))
    client.force_login(member)

    assert references(client.get(reverse("requests:queue"), {"team": second.slug})) == [travel.reference]
    assert client.get(reverse("requests:queue"), {"team": TeamFactory().slug}).status_code == 404


def test_my_intakes_lists_what_i_took_in_with_status_and_who_handles_it(client, outsider, member, service):
    req = intake.log_request(by=outsider, service_id=service.pk, channel="phone", subject="Payslip",
                               new_customer={"name": "A"})
    services.claim(request_id=req.pk, by=member)
    services.resolve(request_id=req.pk, by=member, resolution="Sent again")
    ServiceRequestFactory(service=service)  # someone else's intake
    client.force_login(outsider)

    response = client.get(reverse("requests:my_intakes"))

    assert references(response) == [req.reference]
    html = response.content.decode()
    assert "Resolved" in html and str(member) in html


def test_my_work_lists_what_i_claimed_and_is_still_open(client, member, service):
    mine, done = ServiceRequestFactory(service=service), ServiceRequestFactory(service=service)
    for req in (mine, done):
        services.claim(request_id=req.pk, by=member)
    services.resolve(request_id=done.pk, by=member, resolution="Done")
    client.force_login(member)
    assert references(client.get(reverse("requests:my_work"))) == [mine.reference]


def test_unclaimed_and_ageing_shows_the_oldest_unclaimed_first(client, member, service):
    from django.utils import timezone

    now = timezone.now()
    oldest = ServiceRequestFactory(service=service, created_at=now - timezone.timedelta(days=5))
    older = ServiceRequestFactory(service=service, created_at=now - timezone.timedelta(days=2))
    ServiceRequestFactory(service=service, created_at=now - timezone.timedelta(hours=3))  # not ageing yet
    claimed = ServiceRequestFactory(service=service, created_at=now - timezone.timedelta(days=3))
    services.claim(request_id=claimed.pk, by=member)
    client.force_login(member)

    response = client.get(reverse("requests:queue"), {"assignee": "none", "older_than": 1, "sort": "oldest"})

    assert references(response) == [oldest.reference, older.reference]
    assert "Unclaimed and ageing" in response.content.decode()


def test_a_filter_value_that_makes_no_sense_is_a_400_with_the_reason(client, member, service):
    client.force_login(member)
    response = client.get(reverse("requests:queue"), {"older_than": "lots", "commitment": "sideways"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Some filters could not be used" in html and "Commitment" in html


def test_a_filter_that_matches_nothing_is_an_empty_page_not_an_error(client, member, service):
    ServiceRequestFactory(service=service)
    client.force_login(member)
    response = client.get(reverse("requests:queue"), {"q": "nothing like this"})
    assert response.status_code == 200
    assert "Nothing in the queue matches these filters." in response.content.decode()


def test_the_queue_holds_its_query_budget_whatever_the_filters(client, member, service, django_assert_max_num_queries):
    ServiceRequestFactory.create_batch(60, service=service)
    client.force_login(member)
    client.get(reverse("requests:queue"))  # the option lists are read once, then kept
    for params in ({}, {"sort": "deadline", "assignee": "none"}, {"service": service.pk, "q": "pay"},
                   {"status": "resolved", "sort": "oldest", "channel": "email", "created_after": "2026-01-01"}):
        with django_assert_max_num_queries(12):
            assert client.get(reverse("requests:queue"), params).status_code == 200


def test_ageing_in_working_days_counts_on_the_teams_calendar(client, member, service, team):
    from django.utils import timezone

    from requests_app.commitments.calendars import load_calendar
    from requests_app.commitments.deadlines import working_days_before

    cutoff = working_days_before(timezone.now(), 1, load_calendar(team=team))
    ageing = ServiceRequestFactory(service=service, created_at=cutoff - timezone.timedelta(minutes=5))
    ServiceRequestFactory(service=service, created_at=cutoff + timezone.timedelta(minutes=5))
    client.force_login(member)

    response = client.get(reverse("requests:queue"), {"assignee": "none", "older_than_working_days": 1})

    assert references(response) == [ageing.reference]
    bad = client.get(reverse("requests:queue"), {"older_than_working_days": "-1"})
    assert bad.status_code == 400


def test_every_teams_list_shows_what_and_where_of_others_and_everything_to_those_who_may_see_all(client, member,
                                                                                                   outsider):
    from django.contrib.auth.models import Permission

    other = ServiceRequestFactory(subject="Secret salary matter")
    mine = ServiceRequestFactory(service=ServiceFactory(owning_team=member.memberships.get().team),
                                 subject="Our own matter")
    client.force_login(member)
    page = client.get(reverse("requests:queue"), {"team": "all"}).content.decode()
    assert other.reference in page and "Secret salary matter" not in page and "another team" in page
    assert "Our own matter" in page and f'href="/requests/{mine.reference}/"' in page

    outsider.user_permissions.add(Permission.objects.get(codename="view_all_requests"))
    client.force_login(outsider)
    page = client.get(reverse("requests:queue"), {"team": "all"}).content.decode()
    assert "Secret salary matter" in page and f'href="/requests/{other.reference}/"' in page


def test_free_text_finds_the_customer_subject_or_reference(client, member, service):
    from tests.factories import CustomerFactory

    aino = ServiceRequestFactory(service=service, customer=CustomerFactory(name="Aino Virtanen"), subject="Pay")
    keys = ServiceRequestFactory(service=service, subject="Lost access card")
    client.force_login(member)
    assert references(client.get(reverse("requests:queue"), {"q": "virtanen"})) == [aino.reference]
    assert references(client.get(reverse("requests:queue"), {"q": "ACCESS card"})) == [keys.reference]
    assert references(client.get(reverse("requests:queue"), {"q": keys.reference.lower()})) == [keys.reference]


def test_four_filters_show_and_the_rest_wait_behind_more_filters_open_when_one_is_in_use(client, member, service):
    client.force_login(member)

    def split(page):
        main, _sep, more = page.partition('<details class="more-filters"')
        return main, more

    main, more = split(client.get(reverse("requests:queue")).content.decode())
    for name in ("q", "status", "assignee", "sort"):
        assert f'name="{name}"' in main
    for name in ("service", "channel", "created_after"):
        assert f'name="{name}"' in more and f'name="{name}"' not in main
    assert more.startswith(">")  # closed

    _main, more = split(client.get(reverse("requests:queue"), {"service": service.pk}).content.decode())
    assert more.startswith(" open>")


def test_queue_and_my_intakes_name_the_team_in_the_readers_language(client, member, outsider, team, service):
    team.name_fi, team.name_sv, team.name_en = "Palkkatiimi", "Löneteamet", ""
    team.save()
    intake.log_request(by=outsider, service_id=service.pk, channel="phone", subject="Pay", new_customer={"name": "Aino"})
    client.force_login(member)
    assert "<td>Löneteamet</td>" in client.get(reverse("requests:queue"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    client.force_login(outsider)
    mine = client.get(reverse("requests:my_intakes"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Palkkatiimi" in mine  # no English name: the Finnish one
