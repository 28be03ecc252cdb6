"""Customer history across every unit, site and channel; finding customers; merging duplicates."""

import pytest
from django.urls import reverse

from requests_app.customers import services as customer_services
from requests_app.intake import services as intake
from requests_app.models import Customer, Event, ServiceRequest
from requests_app.requests import services
from servicedesk.errors import InvalidState
from tests.factories import (
    CustomerFactory,
    MembershipFactory,
    ServiceFactory,
    ServiceRequestFactory,
    SiteFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db


def test_the_customer_page_lists_every_request_with_whom_when_and_what_is_open(client, front_desk, service):
    aino = CustomerFactory(name="Aino Virtanen")
    payroll = ServiceRequestFactory(customer=aino, service=service, channel="phone", intake_site=SiteFactory(name="Oulu"))
    keys = ServiceRequestFactory(customer=aino, service=ServiceFactory(owning_team=TeamFactory(), name_en="Keys"),
                                 channel="email", status="resolved")
    ServiceRequestFactory()  # someone else's
    client.force_login(front_desk)

    response = client.get(reverse("requests:customer", args=[aino.pk]))

    html = response.content.decode()
    assert [r.reference for r in response.context["page"]] == [keys.reference, payroll.reference]
    assert [r.reference for r in response.context["open_requests"]] == [payroll.reference]
    assert "Oulu" in html and "Keys" in html and "Salary payment" in html
    summary = response.context["summary"]
    assert (summary.total, summary.open) == (2, 1)
    assert sorted(summary.services) == [("Keys", 1), ("Salary payment", 1)]
    assert sorted(summary.channels) == [("E-mail", 1), ("Phone", 1)]


def test_the_history_shows_every_team_a_handed_off_request_went_through(client, member, team, outsider, service,
                                                                       front_desk, django_assert_max_num_queries):
    laptops = ServiceFactory(owning_team=TeamFactory(name="Workstations team"), name_en="Laptop")
    keys = ServiceFactory(owning_team=TeamFactory(name="Facilities team"), name_en="Keys")
    req = intake.log_request(by=outsider, service_id=service.pk, channel="phone", subject="Laptop and salary",
                               new_customer={"name": "Aino Virtanen"})
    services.hand_off(request_id=req.pk, by=member, to_service_id=laptops.pk, note="The laptop is broken.")
    services.hand_off(request_id=req.pk, by=MembershipFactory(team=laptops.owning_team).user,
                      to_service_id=keys.pk, note="It was the locker key.")
    ServiceRequestFactory(customer=req.customer, service=service, status="resolved")  # never moved
    client.force_login(front_desk)

    # 13, the role's permissions (two), the rule, the requests one may open, the audit entry, the merges
    # waiting for approval, and the heartbeats for the staff banner (cached ten seconds)
    with django_assert_max_num_queries(20):
        html = client.get(reverse("requests:customer", args=[req.customer_id])).content.decode()

    route = "Handed off: Payroll team → Workstations team → Facilities team"
    assert html.count(route) == 2  # open now, and in the whole history
    assert html.count("Handed off:") == 2


def test_a_long_history_is_paged_and_counted_whole(client, front_desk, service):
    aino = CustomerFactory(name="Aino Virtanen")
    made = ServiceRequestFactory.create_batch(120, customer=aino, service=service, status="resolved")
    ServiceRequestFactory(customer=aino, service=service)  # the one still open
    client.force_login(front_desk)
    url = reverse("requests:customer", args=[aino.pk])

    first = client.get(url)
    assert len(first.context["page"]) == 50 and first.context["summary"].total == 121
    seen, page = [], first.context["page"]
    while True:
        seen += [r.reference for r in page]
        if not page.has_next:
            break
        page = client.get(url, {"after": page.next_key}).context["page"]
    assert len(seen) == 121 == len(set(seen))
    assert {r.reference for r in made} < set(seen)
    assert client.get(url, {"after": "nonsense"}).status_code == 400


@pytest.mark.parametrize("field", ["name", "email", "phone", "business_id"])
def test_the_front_desk_finds_customers_by_name_email_phone_or_business_id(client, front_desk, field):
    wanted = CustomerFactory(name="Kivi Rakennus Oy", email="info@kivi.example", phone="+358 40 1234567",
                             business_id="1234567-8")
    CustomerFactory(name="Someone Else")
    query = {"name": "kivi", "email": "info@kivi.example", "phone": "0401234567", "business_id": "1234567-8"}[field]
    client.force_login(front_desk)

    response = client.get(reverse("requests:customers"), {"q": query})

    assert list(response.context["customers"]) == [wanted]


def test_merging_joins_histories_records_it_and_leads_the_old_record_to_the_survivor(client, front_desk, service):
    survivor = CustomerFactory(name="Aino Virtanen", email="aino@example.org")
    duplicate = CustomerFactory(name="Aino Virtanen", email="", phone="+358 40 111 2222")
    survivor.phone = duplicate.phone
    survivor.save()
    old = ServiceRequestFactory(customer=duplicate, service=service)
    client.force_login(front_desk)

    page = client.get(reverse("requests:customer", args=[survivor.pk]))
    assert duplicate in page.context["duplicates"]
    client.post(reverse("requests:merge_customer", args=[survivor.pk]), {"duplicate": duplicate.pk})

    old.refresh_from_db()
    duplicate.refresh_from_db()
    assert old.customer == survivor and old.customer_name == survivor.name  # the queue finds it by the new name
    assert (duplicate.merged_into, duplicate.merged_by) == (survivor, front_desk)
    assert old.timeline.filter(kind=Event.CUSTOMER_MERGED).count() == 1
    merged = old.timeline.get(kind=Event.CUSTOMER_MERGED)
    assert set(merged.data["texts"]) == {"fi", "sv", "en"} and len(set(merged.data["texts"].values())) == 3
    followed = client.get(reverse("requests:customer", args=[duplicate.pk]), follow=True)
    assert followed.context["customer"] == survivor
    assert "Aino Virtanen" in followed.content.decode() and duplicate in followed.context["merged_from"]


def test_merging_into_itself_or_an_already_merged_record_is_refused(front_desk):
    first, second = CustomerFactory(email="same@example.org"), CustomerFactory(email="SAME@example.org")
    with pytest.raises(InvalidState, match="itself"):
        customer_services.merge_customers(by=front_desk, duplicate_id=first.pk, survivor_id=first.pk)
    customer_services.merge_customers(by=front_desk, duplicate_id=first.pk, survivor_id=second.pk)
    with pytest.raises(InvalidState, match="already merged"):
        customer_services.merge_customers(by=front_desk, duplicate_id=second.pk, survivor_id=first.pk)


def test_a_bad_merge_from_the_page_says_why_and_changes_nothing(client, front_desk):
    customer = CustomerFactory()
    client.force_login(front_desk)
    for data, status in [({"duplicate": "abc"}, 400), ({"duplicate": customer.pk}, 409), ({"duplicate": 999999}, 409)]:
        response = client.post(reverse("requests:merge_customer", args=[customer.pk]), data)
        assert response.status_code == status
    assert not Customer.objects.filter(merged_into__isnull=False).exists()
    assert not ServiceRequest.objects.exists()
