"""Need-to-know: a customer's contact details and a request's content only for those serving the customer,
held as a matrix of people against every customer page, list, search and API answer; search oracles and
id walking give nothing; merging is for the front desk and data protection, and can be undone."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from requests_app.customers import services as customer_services
from requests_app.models import Customer, Event, Notification, ServiceRequest
from requests_app.requests import services
from servicedesk.errors import InvalidState, NotAllowed
from tests.factories import CustomerFactory, ServiceFactory, ServiceRequestFactory, TeamFactory

pytestmark = pytest.mark.django_db
EMAIL = "aino.virtanen@example.org"


@pytest.fixture
def case(team, member, other_member, outsider, front_desk, data_protection, service):
    """Aino's request is the Payroll team's; another team holds nothing of hers."""
    aino = CustomerFactory(name="Aino Virtanen", email=EMAIL, phone="+358 40 765 4321")
    req = ServiceRequestFactory(customer=aino, service=service, subject="Overtime for October missing")
    return {"aino": aino, "req": req, "people": {
        "owning team": member, "other team": other_member, "no team": outsider, "front desk": front_desk,
        "data protection": data_protection, "intake owner": req.intake_owner,
    }}


SEES = {"owning team": True, "other team": False, "no team": False, "front desk": True, "data protection": True,
        "intake owner": True}


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("who", SEES)
def test_who_may_see_a_customer_on_every_page_search_and_endpoint(client, case, who):
    person, aino = case["people"][who], case["aino"]
    client.force_login(person)
    page = client.get(reverse("requests:customer", args=[aino.pk]))
    found = client.get(reverse("requests:customers"), {"q": EMAIL})
    api = api_as(person)
    detail = api.get(reverse("api:customer-detail", args=[aino.pk]))
    listed = api.get(reverse("api:customer-list"), {"q": "Aino"})
    history = api.get(reverse("api:customer-requests", args=[aino.pk]))

    if SEES[who]:
        assert page.status_code == 200 and EMAIL in page.content.decode()
        assert list(found.context["customers"]) == [aino]
        assert detail.status_code == 200 and detail.json()["email"] == EMAIL
        assert [row["id"] for row in listed.json()] == [aino.pk]
        assert history.status_code == 200
    else:
        assert page.status_code == 404 and EMAIL not in page.content.decode()
        assert list(found.context["customers"]) == []
        assert detail.status_code == 404 and EMAIL not in detail.content.decode()
        assert listed.json() == []
        assert history.status_code == 404


def test_anonymous_people_get_nothing(client, case):
    aino = case["aino"]
    assert client.get(reverse("requests:customer", args=[aino.pk])).status_code == 302
    assert APIClient().get(reverse("api:customer-detail", args=[aino.pk])).status_code == 401


def test_walking_customer_ids_gives_nothing_to_someone_without_a_reason(client, case, other_member):
    CustomerFactory.create_batch(5)
    client.force_login(other_member)
    api = api_as(other_member)
    for pk in Customer.objects.values_list("pk", flat=True):
        assert client.get(reverse("requests:customer", args=[pk])).status_code == 404
        assert api.get(reverse("api:customer-detail", args=[pk])).status_code == 404
    assert client.get(reverse("requests:customer", args=[999999])).status_code == 404


def test_the_front_desk_sees_the_customer_but_not_the_subject_of_a_request_it_may_not_open(client, case, front_desk):
    client.force_login(front_desk)
    html = client.get(reverse("requests:customer", args=[case["aino"].pk])).content.decode()
    assert case["req"].reference in html and "Salary payment" in html  # what and where
    assert "Overtime for October" not in html and "(another team&#x27;s request)" in html
    rows = api_as(front_desk).get(reverse("api:customer-requests", args=[case["aino"].pk])).json()["results"]
    assert rows == []  # the API lists only the requests one may open


def test_a_team_that_handed_a_request_on_still_sees_its_customer(client, case, member):
    elsewhere = ServiceFactory(owning_team=TeamFactory())
    services.hand_off(request_id=case["req"].pk, by=member, to_service_id=elsewhere.pk, note="Not ours.")
    client.force_login(member)
    assert client.get(reverse("requests:customer", args=[case["aino"].pk])).status_code == 200


def test_the_queue_search_matches_hidden_subjects_and_names_for_nobody(client, case, other_member, member):
    """A prefix typed into the search of every team's requests must not tell which hidden row it belongs to."""
    for who, expected in ((other_member, []), (member, [case["req"].reference])):
        client.force_login(who)
        for text in ("Overtime for Oct", "Aino Virt"):
            page = client.get(reverse("requests:queue"), {"team": "all", "q": text})
            assert [row.reference for row in page.context["page"]] == expected, (who, text)
    # A reference is no secret: its row shows what and where only.
    client.force_login(other_member)
    page = client.get(reverse("requests:queue"), {"team": "all", "q": case["req"].reference})
    assert [row.reference for row in page.context["page"]] == [case["req"].reference]
    assert "Overtime" not in page.content.decode() and "Aino" not in page.content.decode()


@pytest.mark.parametrize("query", ["", "a", "ai", "  ai  "])
def test_a_customer_search_asks_for_three_letters_or_a_whole_identifier(client, case, front_desk, query):
    client.force_login(front_desk)
    page = client.get(reverse("requests:customers"), {"q": query})
    assert list(page.context["customers"]) == []
    if query.strip():
        assert "at least three letters" in page.content.decode()
        assert api_as(front_desk).get(reverse("api:customer-list"), {"q": query}).status_code == 400


def test_an_intake_through_the_api_cannot_borrow_a_customer_it_may_not_see(case, other_member, service):
    answer = api_as(other_member).post(reverse("api:request-list"), {
        "service": service.code, "channel": "phone", "subject": "Help", "customer": case["aino"].pk}, format="json")
    assert answer.status_code in (400, 404) and EMAIL not in answer.content.decode()
    assert ServiceRequest.objects.count() == 1


def test_only_the_front_desk_and_data_protection_merge_and_only_records_that_share_an_identifier(case, member,
                                                                                                   front_desk):
    same_phone = CustomerFactory(name="A. Virtanen", email="", phone=case["aino"].phone)
    stranger = CustomerFactory(name="Aino Virtanen", email="other@example.org")
    with pytest.raises(NotAllowed):
        customer_services.merge_customers(by=member, duplicate_id=same_phone.pk, survivor_id=case["aino"].pk)
    with pytest.raises(InvalidState, match="share no"):
        customer_services.merge_customers(by=front_desk, duplicate_id=stranger.pk, survivor_id=case["aino"].pk)
    assert not Customer.objects.filter(merged_into__isnull=False).exists()
    customer_services.merge_customers(by=front_desk, duplicate_id=same_phone.pk, survivor_id=case["aino"].pk)
    assert Customer.objects.get(pk=same_phone.pk).merged_into_id == case["aino"].pk


def test_a_merge_is_undone_and_each_record_has_its_own_requests_again(client, case, front_desk, data_protection,
                                                                      member):
    aino = case["aino"]
    duplicate = CustomerFactory(name="Aino V.", email=EMAIL.upper())
    came_with = ServiceRequestFactory(customer=duplicate, service=case["req"].service)
    customer_services.merge_customers(by=front_desk, duplicate_id=duplicate.pk, survivor_id=aino.pk)
    logged_since = ServiceRequestFactory(customer=aino, service=case["req"].service)

    client.force_login(member)
    refused = client.post(reverse("requests:unmerge_customer", args=[duplicate.pk]))
    assert refused.status_code == 403 and Customer.objects.get(pk=duplicate.pk).merged_into_id == aino.pk

    client.force_login(data_protection)
    client.post(reverse("requests:unmerge_customer", args=[duplicate.pk]))

    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None
    assert ServiceRequest.objects.get(pk=came_with.pk).customer_id == duplicate.pk
    assert ServiceRequest.objects.get(pk=came_with.pk).customer_name == "Aino V."
    assert {r.customer_id for r in ServiceRequest.objects.filter(pk__in=[case["req"].pk, logged_since.pk])} == {aino.pk}
    assert came_with.timeline.filter(kind=Event.CUSTOMER_UNMERGED).count() == 1
    with pytest.raises(InvalidState):
        customer_services.unmerge_customer(by=data_protection, duplicate_id=duplicate.pk)


def test_people_without_the_role_see_no_merge_controls(client, case, member):
    client.force_login(member)
    page = client.get(reverse("requests:customer", args=[case["aino"].pk]))
    assert page.status_code == 200 and "Merge a duplicate" not in page.content.decode()


def test_after_a_merge_replies_go_to_the_address_the_request_was_logged_with_until_the_team_confirms(
        client, front_desk, member, lead, service):
    """A merge into a record carrying someone else's address must not send the team's next reply there."""
    logged = CustomerFactory(name="Aino Virtanen", email="aino@example.org", phone="+358 40 765 4321")
    other = CustomerFactory(name="A. Virtanen", email="intruder@example.org", phone=logged.phone)
    req = ServiceRequestFactory(customer=logged, service=service)
    customer_services.merge_customers(by=front_desk, duplicate_id=logged.pk, survivor_id=other.pk)

    told = Notification.objects.filter(request=req)
    assert [n.recipient_id for n in told] == [lead.pk] and "merged" in told[0].title
    message = services.reply(request_id=req.pk, by=member, body="Your overtime is paid.")
    assert message.to_email == "aino@example.org"

    client.force_login(member)
    page = client.get(reverse("requests:detail", args=[req.reference])).content.decode()
    assert "Send replies to intruder@example.org" in page
    client.post(reverse("requests:confirm_reply_address", args=[req.reference]))
    assert services.reply(request_id=req.pk, by=member, body="One more thing.").to_email == "intruder@example.org"
    assert req.timeline.filter(kind=Event.REPLY_ADDRESS_CHANGED).count() == 1


def test_records_that_share_no_identifier_are_merged_only_with_a_second_persons_approval(client, case, front_desk,
                                                                                          data_protection):
    aino, stranger = case["aino"], CustomerFactory(name="Aino Virtanen", email="aino.v@elsewhere.example")
    req = ServiceRequestFactory(customer=stranger, service=case["req"].service)
    client.force_login(front_desk)
    client.post(reverse("requests:merge_customer", args=[aino.pk]), {"duplicate": stranger.pk})
    assert ServiceRequest.objects.get(pk=req.pk).customer_id == stranger.pk  # proposed, not merged
    [proposal] = client.get(reverse("requests:customer", args=[aino.pk])).context["proposals"]

    assert client.post(reverse("requests:approve_merge", args=[proposal.pk])).status_code == 403  # not one's own
    client.force_login(data_protection)
    client.post(reverse("requests:approve_merge", args=[proposal.pk]))

    assert ServiceRequest.objects.get(pk=req.pk).customer_id == aino.pk
    proposal.refresh_from_db()
    assert (proposal.approved_by, proposal.proposed_by) == (data_protection, front_desk)
    assert client.post(reverse("requests:approve_merge", args=[proposal.pk])).status_code == 409  # once
