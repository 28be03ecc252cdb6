"""A notice leads to its request, from the list and from its mail, and is read once opened."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from requests_app.models import Notification
from requests_app.notifications import outbox
from tests.factories import ServiceRequestFactory


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
