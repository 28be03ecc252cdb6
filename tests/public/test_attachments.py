"""Files on requests: checked from their content, kept through the storage API, handed out only as downloads
to the people who may see the request."""

import pytest
from django.core import mail as sent_mail
from django.urls import reverse

from requests_app.attachments.checks import Refused, check, clean_name
from requests_app.intake import services as intake
from requests_app.mail import outbox
from requests_app.models import Attachment, Event, Message
from requests_app.requests import services
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.public import files

pytestmark = pytest.mark.django_db
LIMIT = 10 * 1024 * 1024


def test_a_pdf_and_a_photo_are_taken_as_what_they_are():
    assert check("receipt.pdf", files.pdf(), max_bytes=LIMIT).content_type == "application/pdf"
    photo = check("IMG_2041.JPG", files.jpeg(), max_bytes=LIMIT)
    assert (photo.content_type, photo.name) == ("image/jpeg", "IMG_2041.JPG")
    assert check("notes.txt", "Hyvä päivä".encode(), max_bytes=LIMIT).content_type == "text/plain"


@pytest.mark.parametrize("name, content", [
    ("receipt.pdf", files.windows_program()),
    ("drawing.svg", files.SVG_WITH_SCRIPT),
    ("page.html", files.HTML_WITH_SCRIPT),
    ("page.txt", files.HTML_WITH_SCRIPT),
    ("archive.zip", b"PK\x03\x04" + b"\x00" * 40),
    ("binary.txt", b"\x00\x01\x02 not text"),
])
def test_executables_archives_and_markup_are_refused_whatever_their_name(name, content):
    with pytest.raises(Refused, match="not a kind of file"):
        check(name, content, max_bytes=LIMIT)


def test_a_file_too_large_or_empty_is_refused_with_its_name():
    with pytest.raises(Refused, match="scan.pdf is too large"):
        check("scan.pdf", files.pdf() + b"0" * 2000, max_bytes=1000)
    with pytest.raises(Refused, match="empty"):
        check("scan.pdf", b"", max_bytes=1000)


@pytest.mark.parametrize("given, kept", [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\aino\\kuitti.pdf", "kuitti.pdf"),
    ("evil\x00name\r\n.pdf", "evil_name_.pdf"),
    ("...", "file"),
])
def test_a_file_name_loses_its_path_parts_and_control_characters(given, kept):
    assert clean_name(given) == kept


def test_a_photo_named_pdf_gets_the_extension_of_what_it_is():
    assert check("kuitti.pdf", files.png(), max_bytes=LIMIT).name == "kuitti.pdf.png"


@pytest.fixture
def req(service, member):
    req = intake.log_request(by=member, service_id=service.pk, channel="phone", subject="Overtime missing",
                             new_customer={"name": "Aino", "email": "aino@example.com", "language": "en"})
    services.claim(request_id=req.pk, by=member)
    return req


def add_files(client, req, *uploads):
    return client.post(reverse("requests:add_files", args=[req.reference]),
                       {"files_form-attachments": list(uploads), "files_form-note": "Scanned letter"})


def test_the_team_adds_files_to_a_request_and_downloads_them_as_attachments(client, req, member, attachment_files):
    client.force_login(member)
    response = add_files(client, req, files.upload("letter.pdf", files.pdf()), files.upload("photo.png", files.png()))
    assert response.status_code == 302
    kept = list(req.files.order_by("name"))
    assert [(f.name, f.content_type, f.added_by) for f in kept] == [
        ("letter.pdf", "application/pdf", member), ("photo.png", "image/png", member)]
    assert req.timeline.filter(kind=Event.FILES_ADDED).count() == 1
    # Stored under a name of the desk's own, in the attachments storage.
    assert all(f.file.name.startswith(f"requests/{req.pk}/") and "letter" not in f.file.name for f in kept)
    assert len(list(attachment_files.rglob("*"))) >= 2

    download = client.get(reverse("requests:file", args=[req.reference, kept[0].pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == files.pdf()
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;") and "letter.pdf" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    page = client.get(reverse("requests:detail", args=[req.reference])).content.decode()
    assert "letter.pdf" in page and "Add the files" in page


def test_a_refused_file_changes_nothing_and_says_why(client, req, member):
    client.force_login(member)
    response = add_files(client, req, files.upload("invoice.pdf", files.windows_program()),
                         files.upload("photo.png", files.png()))
    assert response.status_code == 400
    assert "invoice.pdf is not a kind of file the desk takes" in response.content.decode()
    assert not Attachment.objects.exists()
    assert not req.timeline.filter(kind=Event.FILES_ADDED).exists()


def test_too_many_files_at_once_are_refused(client, req, member, settings):
    settings.ATTACHMENT_MAX_COUNT = 2
    client.force_login(member)
    response = add_files(client, req, *[files.upload(f"p{n}.png", files.png()) for n in range(3)])
    assert response.status_code == 400 and "At most 2 files at once." in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_body_larger_than_the_limit_is_refused_before_it_is_read(client, req, member):
    client.force_login(member)
    response = client.generic("POST", reverse("requests:add_files", args=[req.reference]), b"x",
                              content_type="multipart/form-data; boundary=xyz", CONTENT_LENGTH=str(100 * 1024 * 1024))
    assert response.status_code == 413
    assert "more than the desk takes at once" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_reply_carries_its_files_to_the_customer(req, member):
    from requests_app.attachments.checks import check as checked

    reply = services.reply(request_id=req.pk, by=member, body="The decision is attached.",
                           files=[checked("decision.pdf", files.pdf(), max_bytes=LIMIT)])
    assert [f.name for f in reply.files.all()] == ["decision.pdf"]
    assert outbox.deliver(reply.pk)
    (letter,) = [m for m in sent_mail.outbox if "decision" in m.body]
    assert letter.attachments == [("decision.pdf", files.pdf(), "application/pdf")]


def test_a_customers_letter_recorded_at_the_desk_keeps_its_scans(client, req, member):
    client.force_login(member)
    response = client.post(reverse("requests:contact", args=[req.reference]), {
        "contact_form-channel": "letter", "contact_form-text": "The signed form.",
        "contact_form-attachments": [files.upload("form.pdf", files.pdf())]})
    assert response.status_code == 302
    message = Message.objects.get(request=req, direction="in")
    (scan,) = message.files.all()
    assert scan.from_customer and scan.added_by == member


@pytest.fixture
def people(req, member, service):
    """Who asks for a file: the owning team, another team, no team, the front desk that took it in, nobody."""
    front_desk = MembershipFactory(team=TeamFactory(name="Front desk")).user
    req.intake_owner = front_desk
    req.save(update_fields=["intake_owner"])
    return {"owning team": member, "other team": MembershipFactory(team=TeamFactory(name="IT")).user,
            "no team": UserFactory(), "front desk": front_desk, "anonymous": None}


@pytest.mark.parametrize("who, allowed", [
    ("owning team", True), ("other team", False), ("no team", False), ("front desk", True), ("anonymous", False),
])
def test_who_may_download_and_add_a_requests_files(client, req, people, who, allowed):
    services.attach_files(request_id=req.pk, by=people["owning team"],
                          files=[check("letter.pdf", files.pdf(), max_bytes=LIMIT)])
    file = req.files.get()
    if people[who]:
        client.force_login(people[who])
    download = client.get(reverse("requests:file", args=[req.reference, file.pk]))
    assert download.status_code == (200 if allowed else 404)
    added = add_files(client, req, files.upload("more.pdf", files.pdf()))
    if who == "anonymous":
        assert added.status_code == 302 and "/login/" in added["Location"]
    else:
        assert added.status_code == (302 if allowed else 404)
    assert req.files.count() == (2 if allowed else 1)


def test_a_file_of_another_request_is_not_found_through_this_one(client, req, member, service):
    other = intake.log_request(by=member, service_id=service.pk, channel="phone", subject="Other",
                               new_customer={"name": "Eino"})
    services.attach_files(request_id=other.pk, by=member, files=[check("x.pdf", files.pdf(), max_bytes=LIMIT)])
    client.force_login(member)
    assert client.get(reverse("requests:file", args=[req.reference, other.files.get().pk])).status_code == 404


def test_the_api_lists_a_messages_files_with_their_download_address(req, member):
    from rest_framework.test import APIClient

    reply = services.reply(request_id=req.pk, by=member, body="Attached.",
                           files=[check("decision.pdf", files.pdf(), max_bytes=LIMIT)])
    api = APIClient()
    api.force_authenticate(member)
    entries = api.get(reverse("api:request-messages", args=[req.reference])).json()
    (entry,) = [e for e in entries if e["id"] == reply.pk]
    (file,) = entry["files"]
    assert (file["name"], file["content_type"]) == ("decision.pdf", "application/pdf")
    assert file["download"] == reverse("requests:file", args=[req.reference, reply.files.get().pk])
