"""The pages and API of mail both ways, as the people at the desk use them, and who may do what."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework.test import APIClient

from requests_app.inbox import services as inbox
from requests_app.intake import services as intake
from requests_app.models import Event, InboundMail, Mailbox, Message, ServiceRequest
from requests_app.requests import services
from tests.factories import UserFactory
from tests.mail.letters import letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def general(db):
    return Mailbox.objects.create(name="Kirjaamo", address="kirjaamo@example.org")


@pytest.fixture
def req(service, member):
    req = intake.log_request(by=member, service_id=service.pk, channel="phone", subject="Overtime missing",
                             new_customer={"name": "Aino", "email": "aino@example.com", "language": "fi"})
    services.claim(request_id=req.pk, by=member)
    return req


@pytest.fixture
def answered(req, member, general):
    reply = services.reply(request_id=req.pk, by=member, body="Which month?")
    inbox.take_mail(letter(text="November.\n\nOn Mon Desk wrote:\n> Which month?", in_reply_to=reply.mail_id),
                    mailbox_id=general.pk)
    return req


def test_the_queue_shows_customer_replied_and_filters_by_it(client, answered, member, service):
    quiet = intake.log_request(by=member, service_id=service.pk, channel="phone", subject="Quiet one",
                               new_customer={"name": "Eino"})
    client.force_login(member)
    page = client.get(reverse("requests:queue")).content.decode()
    assert "Customer replied" in page
    only = client.get(reverse("requests:queue"), {"customer_replied": "on"}).content.decode()
    assert answered.reference in only and quiet.reference not in only
    assert 'name="customer_replied" type="checkbox" value="on" checked' in only


def test_the_request_page_shows_the_conversation_folded_and_whole(client, answered, member):
    client.force_login(member)
    page = client.get(reverse("requests:detail", args=[answered.reference])).content.decode()
    assert "Conversation with the customer" in page and "November." in page
    assert "Whole message" in page and "&gt; Which month?" in page
    assert "Customer replied" in page


def test_an_answer_by_phone_from_the_page_is_recorded_and_never_called_sent(client, req, member):
    req.customer.email = ""  # a customer without an address, and so a request logged without one
    req.customer.save()
    ServiceRequest.objects.filter(pk=req.pk).update(reply_to="")
    client.force_login(member)
    page = client.get(reverse("requests:detail", args=[req.reference])).content.decode()
    assert "has no e-mail address" in page and 'id="reply_form"' not in page
    refused = client.post(reverse("requests:reply", args=[req.reference]), {"reply_form-text": "Mailed!"})
    assert refused.status_code == 409 and "no e-mail address" in refused.content.decode()

    response = client.post(reverse("requests:answer", args=[req.reference]),
                           {"answer_form-channel": "phone", "answer_form-text": "Paid on Friday."}, follow=True)
    assert "Answer recorded." in response.content.decode()
    answer = Message.objects.get(purpose="reply")
    assert answer.channel == "phone" and answer.sent_at is None
    shown = response.content.decode().split("Answered · Phone")[1].split("</li>")[0]
    assert "Paid on Friday." in shown and "sent" not in shown


def test_a_call_from_the_customer_is_recorded_from_the_page(client, req, member):
    client.force_login(member)
    response = client.post(reverse("requests:contact", args=[req.reference]),
                           {"contact_form-channel": "phone", "contact_form-text": "Asked about October."})
    assert response.status_code == 302
    assert req.timeline.filter(kind=Event.CUSTOMER_MESSAGE).count() == 1
    bad = client.post(reverse("requests:contact", args=[req.reference]),
                      {"contact_form-channel": "email", "contact_form-text": "x"})
    assert bad.status_code == 400 and req.timeline.filter(kind=Event.CUSTOMER_MESSAGE).count() == 1


def test_mail_to_sort_is_listed_and_sorted_with_the_catalogue_picker(client, general, service, outsider):
    mail = inbox.take_mail(letter(subject="Where is my salary?", text="Not paid."), mailbox_id=general.pk)
    client.force_login(outsider)
    listing = client.get(reverse("requests:mail_to_sort")).content.decode()
    assert "Where is my salary?" in listing
    page = client.get(reverse("requests:sort_mail", args=[mail.pk])).content.decode()
    assert "Not paid." in page and "catalogue/picker" in page
    missing = client.post(reverse("requests:sort_mail", args=[mail.pk]), {})
    assert missing.status_code == 400 and "Choose the service" in missing.content.decode()
    response = client.post(reverse("requests:sort_mail", args=[mail.pk]), {"service": service.pk})
    mail.refresh_from_db()
    assert response.status_code == 302 and response.url == reverse("requests:detail", args=[mail.request.reference])
    assert mail.request.intake_owner == outsider
    assert client.get(reverse("requests:sort_mail", args=[mail.pk])).status_code == 404


@pytest.fixture
def flagged(answered, general):
    return inbox.take_mail(letter(sender="mallory@example.net", subject=f"[{answered.reference}] new account"),
                           mailbox_id=general.pk)


def front_desk():
    """Front-line staff in no team (the intake owner of nothing here)."""
    return UserFactory()


def _people(member, other_member, outsider):
    admin = UserFactory()
    admin.user_permissions.add(Permission.objects.get(codename="manage_mail"))
    return {"owning team": member, "other team": other_member, "no team": outsider, "front desk": front_desk(),
            "mail administrator": admin, "anonymous": None}


# Who gets what (status code) on each page of mail both ways; 302 for anonymous is the sign-in page.
MATRIX = {
    "mail_to_sort": {"owning team": 200, "other team": 200, "no team": 200, "front desk": 200,
                     "mail administrator": 200, "anonymous": 302},
    "sort_mail": {"owning team": 200, "other team": 200, "no team": 200, "front desk": 200,
                  "mail administrator": 200, "anonymous": 302},
    "mail_set_aside": {"owning team": 403, "other team": 403, "no team": 403, "front desk": 403,
                       "mail administrator": 200, "anonymous": 403},
    "accept_mail": {"owning team": 302, "other team": 404, "no team": 404, "front desk": 404,
                    "mail administrator": 404, "anonymous": 302},
    "contact": {"owning team": 302, "other team": 404, "no team": 404, "front desk": 404,
                "mail administrator": 404, "anonymous": 302},
    "answer": {"owning team": 302, "other team": 404, "no team": 404, "front desk": 404,
               "mail administrator": 404, "anonymous": 302},
}


@pytest.mark.parametrize("page", MATRIX)
def test_who_may_open_each_mail_page(client, page, flagged, general, member, other_member, outsider):
    to_sort = inbox.take_mail(letter(subject="Sort me"), mailbox_id=general.pk)
    reference = flagged.request.reference
    for who, person in _people(member, other_member, outsider).items():
        client.logout()
        if person is not None:
            client.force_login(person)
        if page == "mail_to_sort" or page == "mail_set_aside":
            response = client.get(reverse(f"requests:{page}"))
        elif page == "sort_mail":
            response = client.get(reverse("requests:sort_mail", args=[to_sort.pk]))
        elif page == "accept_mail":
            response = client.post(reverse("requests:dismiss_mail", args=[flagged.pk]))
        elif page == "contact":
            response = client.post(reverse("requests:contact", args=[reference]),
                                   {"contact_form-channel": "phone", "contact_form-text": "Called."})
        else:
            response = client.post(reverse("requests:answer", args=[reference]),
                                   {"answer_form-channel": "phone", "answer_form-text": "Told."})
        assert response.status_code == MATRIX[page][who], f"{page} as {who}"


def test_a_mail_already_dismissed_cannot_be_decided_again(client, flagged, member):
    client.force_login(member)
    client.post(reverse("requests:dismiss_mail", args=[flagged.pk]))
    again = client.post(reverse("requests:accept_mail", args=[flagged.pk]))
    assert again.status_code == 409 and "already been dealt with" in again.content.decode()
    flagged.refresh_from_db()
    assert flagged.outcome == InboundMail.Outcome.DISMISSED


def test_the_set_aside_page_shows_the_reason(client, general):
    inbox.take_mail(b"Subject: nobody\r\n\r\nx", mailbox_id=general.pk)
    admin = UserFactory()
    admin.user_permissions.add(Permission.objects.get(codename="manage_mail"))
    client.force_login(admin)
    assert "No sender" in client.get(reverse("requests:mail_set_aside")).content.decode()


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_lists_the_conversation_and_records_customer_messages_and_answers(answered, member, other_member):
    api = api_as(member)
    url = reverse("api:request-messages", args=[answered.reference])
    listed = api.get(url).json()
    assert [(m["direction"], m["purpose"]) for m in listed] == [("out", "acknowledgement"), ("out", "reply"),
                                                                ("in", "reply")]
    created = api.post(url, {"channel": "letter", "text": "A letter came."}, format="json")
    assert created.status_code == 201 and created.json()["channel"] == "letter"
    assert api.post(url, {"channel": "email", "text": "x"}, format="json").status_code == 400
    answer = api.post(reverse("api:request-answer", args=[answered.reference]),
                      {"channel": "visit", "text": "Explained at the desk."}, format="json")
    assert answer.status_code == 200
    assert answered.messages.filter(channel="visit", direction="out").exists()
    assert api_as(other_member).get(url).status_code == 404
    assert APIClient().get(url).status_code in (401, 403)


def test_a_member_of_another_team_is_told_no_and_nothing_changes(answered, other_member):
    with pytest.raises(services.NotAllowed):
        services.record_answer(request_id=answered.pk, by=other_member, channel="phone", body="x")
    with pytest.raises(services.NotAllowed):
        intake.record_customer_message(request_id=answered.pk, by=other_member, channel="phone", body="x")
    assert not answered.messages.filter(author=other_member).exists()


def test_a_mails_attachments_become_files_on_the_request_and_markup_is_not_kept(client, req, member, other_member,
                                                                               general):
    reply = services.reply(request_id=req.pk, by=member, body="Send the receipt?")
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
    mail = inbox.take_mail(letter(text="Here.", in_reply_to=reply.mail_id, attachments=[
        ("receipt.html", b"<script>alert(1)</script>", "text/html"), ("scan.pdf", pdf, "application/pdf")]),
        mailbox_id=general.pk)
    (scan,) = mail.message.files.all()
    assert (scan.name, scan.content_type, scan.from_customer) == ("scan.pdf", "application/pdf", True)
    client.force_login(member)
    page = client.get(reverse("requests:detail", args=[req.reference])).content.decode()
    assert reverse("requests:file", args=[req.reference, scan.pk]) in page
    assert "receipt.html (not kept: receipt.html is not a kind of file the desk takes" in page
    response = client.get(reverse("requests:file", args=[req.reference, scan.pk]))
    assert b"".join(response.streaming_content) == pdf and response["X-Content-Type-Options"] == "nosniff"
    client.force_login(other_member)
    assert client.get(reverse("requests:file", args=[req.reference, scan.pk])).status_code == 404


def test_an_attachment_of_a_mail_kept_before_files_were_stored_still_downloads_only_as_a_download(
        client, req, member, other_member, general):
    reply = services.reply(request_id=req.pk, by=member, body="Send the receipt?")
    mail = inbox.take_mail(letter(text="Here.", in_reply_to=reply.mail_id, attachments=[
        ("receipt.html", b"<script>alert(1)</script>", "text/html"), ("scan.pdf", b"%PDF-1.4 x", "application/pdf")]),
        mailbox_id=general.pk)
    # As such a message was stored then: the attachments listed, their content only in the mail.
    Message.objects.filter(pk=mail.message.pk).update(attachments=[
        {"name": "receipt.html", "type": "text/html", "size": 25}, {"name": "scan.pdf", "type": "application/pdf",
                                                                     "size": 10}])
    url = reverse("requests:attachment", args=[req.reference, mail.message.pk, 0])
    client.force_login(member)
    assert url in client.get(reverse("requests:detail", args=[req.reference])).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response.content == b"<script>alert(1)</script>"
    assert response["Content-Type"] == "application/octet-stream" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith('attachment; filename="receipt.html"')
    assert client.get(reverse("requests:attachment", args=[req.reference, mail.message.pk, 1])).content == b"%PDF-1.4 x"
    assert client.get(reverse("requests:attachment", args=[req.reference, mail.message.pk, 2])).status_code == 404
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_a_request_that_came_in_by_mail_shows_how_it_came_where_an_intake_owner_would_be(client, member, service):
    box = Mailbox.objects.create(name="Palkat", address="palkat@example.org", service=service)
    mail = inbox.take_mail(letter(sender="ville@example.com", subject="Palkka puuttuu"), mailbox_id=box.pk)
    client.force_login(member)
    page = client.get(reverse("requests:detail", args=[mail.request.reference])).content.decode()
    assert "<dt>Intake owner</dt><dd>E-mail" in page
    history = client.get(reverse("requests:customer", args=[mail.request.customer_id])).content.decode()
    assert "None" not in history and "<td>E-mail</td><td>E-mail</td>" in history
    assert api_as(member).get(reverse("api:request-detail", args=[mail.request.reference])).json()[
        "intake_owner"] is None
