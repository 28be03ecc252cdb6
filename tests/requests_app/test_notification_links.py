"""A notice leads to its request, from the list and from its mail, and is read once opened; it is worded in
Finnish, Swedish and English, read in the reader's language and mailed in the recipient's."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from requests_app.intake import services as intake
from requests_app.models import Notification
from requests_app.notifications import outbox
from requests_app.requests import services as desk
from tests.factories import ServiceFactory, ServiceRequestFactory, TeamFactory


@pytest.fixture
def notice(member, service):
    req = ServiceRequestFactory(service=service)
    return Notification.objects.create(recipient=member, request=req, title="First reply due soon",
                                       text="Answer the customer within the hour.", created_at=timezone.now())


@pytest.mark.django_db
def test_a_notice_on_the_list_links_to_its_request_and_opening_it_marks_it_read(client, member, notice):
    client.force_login(member)
    page = client.get(reverse("commitments:notifications")).content.decode()
    link = reverse("commitments:open", args=[notice.pk])
    assert f'href="{link}"' in page and notice.request.reference in page

    response = client.get(link)

    assert response.status_code == 302
    assert response["Location"] == reverse("requests:detail", args=[notice.request.reference])
    notice.refresh_from_db()
    assert notice.read_at is not None


@pytest.mark.django_db
def test_another_persons_notice_cannot_be_opened_and_stays_unread(client, other_member, notice):
    client.force_login(other_member)
    assert client.get(reverse("commitments:open", args=[notice.pk])).status_code == 404
    client.logout()
    response = client.get(reverse("commitments:open", args=[notice.pk]))
    assert response.status_code == 302 and "login" in response["Location"]
    notice.refresh_from_db()
    assert notice.read_at is None


@pytest.mark.django_db
def test_a_notice_mailed_carries_the_link_to_open_it_at_the_desks_public_address(settings, notice):
    settings.PUBLIC_BASE_URL = "https://desk.example.fi/"
    outbox.send_due_notifications()
    [sent] = mail.outbox
    assert f"https://desk.example.fi{reverse('commitments:open', args=[notice.pk])}" in sent.body


@pytest.mark.django_db
def test_the_read_filter_speaks_the_persons_language(client, member, notice):
    client.force_login(member)
    with override("sv"):
        page = client.get(reverse("commitments:notifications"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Olästa" in page and "Unknown" not in page


@pytest.mark.django_db
def test_a_notice_is_worded_in_every_language_read_in_the_readers_and_mailed_in_the_recipients(
        client, member, outsider, service):
    workstations = TeamFactory(name_fi="Työasematiimi", name_sv="Arbetsstationsteamet", name_en="Workstations team")
    laptops = ServiceFactory(owning_team=workstations)
    req = intake.log_request(by=outsider, service_id=service.pk, channel="phone", subject="Laptop",
                             new_customer={"name": "Aino"})
    desk.claim(request_id=req.pk, by=member)
    desk.hand_off(request_id=req.pk, by=member, to_service_id=laptops.pk, note="Not about pay.")

    [told] = Notification.objects.filter(recipient=outsider)
    assert (told.title_fi, told.title_sv, told.title_en) == (
        f"{req.reference} siirtyi tiimille Työasematiimi", f"{req.reference} flyttat till Arbetsstationsteamet",
        f"{req.reference} moved to Workstations team")
    assert told.text_fi == told.text_sv == told.text_en == "Not about pay."  # a person's words, as written
    client.force_login(outsider)
    page = client.get(reverse("commitments:notifications"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "flyttat till Arbetsstationsteamet" in page

    outsider.language = "sv"
    outsider.save()
    outbox.send_due_notifications()
    [sent] = mail.outbox
    assert sent.subject == told.title_sv


@pytest.mark.django_db
def test_a_notice_to_someone_whose_language_is_unknown_is_mailed_in_finnish(member, notice):
    notice.title_fi, notice.title_en = "Vastaa pian", "Answer soon"
    notice.save()
    outbox.send_due_notifications()
    assert [m.subject for m in mail.outbox] == ["Vastaa pian"]


@pytest.mark.django_db
def test_the_language_a_person_chooses_or_signs_in_with_is_kept_for_their_mail(client, member):
    client.force_login(member)
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    member.refresh_from_db()
    assert member.language == "sv"
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})  # no such language: kept as it was
    member.refresh_from_db()
    assert member.language == "sv"

    member.set_password("a long enough secret")
    member.save()
    client.logout()
    client.post(reverse("login"), {"username": member.username, "password": "a long enough secret"},
                HTTP_ACCEPT_LANGUAGE="fi")
    member.refresh_from_db()
    assert member.language == "fi"
