"""Mailboxes read over IMAP from a real server (Dovecot), a mail server's pipe and a Maildir."""

import datetime as dt
import itertools
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from requests_app.inbox import fetching
from requests_app.models import InboundMail, Mailbox, ServiceRequest
from tests.mail.letters import letter

ROOT = Path(__file__).resolve().parents[2]
_accounts = itertools.count(1)


@pytest.fixture
def account():
    """A fresh IMAP account (each its own Maildir) for each test."""
    return f"desk{next(_accounts)}-{id(object())}@example.org"


@pytest.fixture
def mailbox(imap_server, account, service, monkeypatch):
    monkeypatch.setenv("TEST_IMAP_PASSWORD", "secret")
    return Mailbox.objects.create(name="Palkat", address=account, service=service, host="127.0.0.1",
                                  port=imap_server.port, use_ssl=False, username=account,
                                  password_env="TEST_IMAP_PASSWORD")


def test_new_mail_is_taken_once_however_often_the_mailbox_is_read(imap_server, mailbox, account):
    imap_server.deliver(account, letter(subject="First"), letter(subject="Second"))
    assert fetching.fetch_mailbox(mailbox.pk) == 2
    assert fetching.fetch_mailbox(mailbox.pk) == 0
    imap_server.deliver(account, letter(subject="Third"))
    assert fetching.fetch_mailbox(mailbox.pk) == 1

    assert sorted(ServiceRequest.objects.values_list("subject", flat=True)) == ["First", "Second", "Third"]
    mailbox.refresh_from_db()
    assert mailbox.last_uid == 3 and mailbox.uidvalidity and mailbox.last_error == ""


def test_a_rebuilt_folder_is_read_again_and_what_was_taken_is_not_stored_twice(imap_server, mailbox, account):
    raw = letter(subject="Only once")
    imap_server.deliver(account, raw)
    fetching.fetch_mailbox(mailbox.pk)
    # The folder's UIDVALIDITY changes (as when a mailbox is restored): the desk starts from the beginning.
    Mailbox.objects.filter(pk=mailbox.pk).update(uidvalidity=1)
    assert fetching.fetch_mailbox(mailbox.pk) == 1
    assert InboundMail.objects.count() == 1 and ServiceRequest.objects.count() == 1


def test_a_bad_message_never_blocks_its_mailbox(imap_server, mailbox, account):
    imap_server.deliver(account, b"Subject: no sender\r\n\r\nwho?\r\n", letter(subject="After it"))
    assert fetching.fetch_mailbox(mailbox.pk) == 2
    outcomes = dict(InboundMail.objects.values_list("subject", "outcome"))
    assert InboundMail.objects.filter(outcome="set_aside").count() == 1
    assert outcomes["After it"] == "new_request"


def test_a_mailbox_that_cannot_be_read_says_why_and_holds_nothing(imap_server, mailbox, monkeypatch):
    monkeypatch.setenv("TEST_IMAP_PASSWORD", "wrong")
    assert fetching.fetch_mailbox(mailbox.pk) == 0
    mailbox.refresh_from_db()
    assert "LoginError" in mailbox.last_error or "authentication" in mailbox.last_error.lower()
    assert mailbox.fetching_until is None


def test_a_mailbox_held_by_another_reader_is_left_alone(imap_server, mailbox, account):
    imap_server.deliver(account, letter(subject="Later"))
    Mailbox.objects.filter(pk=mailbox.pk).update(fetching_until=timezone.now() + dt.timedelta(minutes=1))
    assert fetching.fetch_mailbox(mailbox.pk) == 0
    Mailbox.objects.filter(pk=mailbox.pk).update(fetching_until=timezone.now() - dt.timedelta(seconds=1))
    assert fetching.fetch_mailbox(mailbox.pk) == 1


def test_a_mail_server_pipes_one_message_into_receive_mail(transactional_db, service, tmp_path):
    box = Mailbox.objects.create(name="Palkat", address="palkat@example.org", service=service)
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("the command runs in its own process, which needs a shared database")
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    result = subprocess.run(
        [sys.executable, "manage.py", "receive_mail", "--mailbox", box.address], input=letter(subject="Piped"),
        cwd=ROOT, capture_output=True, env={"PATH": "/usr/bin:/bin", "DATABASE_URL": url, "SECRET_KEY": "x",
                                            "DEBUG": "1", "HOME": str(tmp_path)}, timeout=60)
    assert result.returncode == 0, result.stderr.decode()
    assert ServiceRequest.objects.get().subject == "Piped"


def test_receive_mail_takes_a_maildir_and_moves_what_it_took_to_cur(db, service, tmp_path):
    Mailbox.objects.create(name="Palkat", address="palkat@example.org", service=service)
    for folder in ("new", "cur", "tmp"):
        (tmp_path / folder).mkdir()
    (tmp_path / "new" / "1.mail").write_bytes(letter(subject="From the Maildir"))
    (tmp_path / "new" / "2.mail").write_bytes(letter(subject="And another"))
    call_command("receive_mail", "--mailbox", "palkat@example.org", "--maildir", str(tmp_path))
    assert ServiceRequest.objects.count() == 2
    assert not list((tmp_path / "new").iterdir()) and len(list((tmp_path / "cur").iterdir())) == 2
    # Taken again (the process died before moving them): still stored once.
    for file in (tmp_path / "cur").iterdir():
        file.rename(tmp_path / "new" / file.name)
    call_command("receive_mail", "--maildir", str(tmp_path))
    assert ServiceRequest.objects.count() == 2


def test_receive_mail_names_an_unknown_mailbox_and_a_folder_that_is_no_maildir(db, tmp_path):
    with pytest.raises(CommandError, match="No mailbox"):
        call_command("receive_mail", "--mailbox", "nobody@example.org")
    with pytest.raises(CommandError, match="not a Maildir"):
        call_command("receive_mail", "--maildir", str(tmp_path))


def test_mailboxes_are_managed_from_the_command_line_without_their_password(db, service, capsys):
    call_command("mailbox", "add", "Palkat@Example.org", "--service", service.code, "--host", "imap.example.org",
                 "--user", "palkat", "--password-env", "PALKAT_IMAP_PASSWORD")
    box = Mailbox.objects.get()
    assert (box.address, box.service, box.port, box.use_ssl, box.password_env) == (
        "palkat@example.org", service, 993, True, "PALKAT_IMAP_PASSWORD")
    call_command("mailbox", "change", "palkat@example.org", "--no-tls")
    box.refresh_from_db()
    assert box.port == 143 and not box.use_ssl
    with pytest.raises(CommandError, match="already a mailbox"):
        call_command("mailbox", "add", "palkat@example.org")
    with pytest.raises(CommandError, match="No service"):
        call_command("mailbox", "change", "palkat@example.org", "--service", "no-such-service")
    with pytest.raises(CommandError, match="not an e-mail address"):
        call_command("mailbox", "add", "not-an-address")
    call_command("mailbox", "off", "palkat@example.org")
    call_command("mailbox", "list")
    assert "palkat@example.org (off)" in capsys.readouterr().out


def test_the_doctor_names_a_mailbox_that_cannot_be_read(imap_server, mailbox, monkeypatch, capsys):
    monkeypatch.setenv("TEST_IMAP_PASSWORD", "wrong")
    fetching.fetch_mailbox(mailbox.pk)
    with pytest.raises(CommandError):
        call_command("doctor")
    out = capsys.readouterr().out
    assert f"mailbox {mailbox.address}" in out and "Cannot be read" in out
