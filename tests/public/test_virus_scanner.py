"""The virus scanner hook, against a real clamd (Debian's clamav-daemon) with a signature file of the tests'
own: the EICAR test string, which every scanner knows and which harms nothing."""

import hashlib
import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.urls import reverse

from requests_app.intake import services as intake
from requests_app.models import Attachment
from tests.public import files

CLAMD = Path("/usr/sbin/clamd")
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def clamd(tmp_path_factory):
    if not CLAMD.exists():
        if os.environ.get("DESK_REQUIRE_CLAMD"):
            pytest.fail("clamd is not installed (apt-get install clamav-daemon)")
        pytest.skip("clamd is not installed (apt-get install clamav-daemon)")
    home = tmp_path_factory.mktemp("clamd")
    (home / "db").mkdir()
    (home / "db" / "desk.hdb").write_text(f"{hashlib.md5(EICAR).hexdigest()}:{len(EICAR)}:Desk.Test.Eicar\n")
    port = free_port()
    (home / "clamd.conf").write_text(f"Foreground yes\nDatabaseDirectory {home / 'db'}\nTCPSocket {port}\n"
                                     f"TCPAddr 127.0.0.1\nLogFile {home / 'clamd.log'}\n")
    process = subprocess.Popen([str(CLAMD), "-c", str(home / "clamd.conf")], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("clamd did not start")
    yield f"127.0.0.1:{port}"
    process.terminate()
    process.wait(10)


@pytest.fixture
def req(service, member):
    return intake.log_request(by=member, service_id=service.pk, channel="phone", subject="Receipts",
                              new_customer={"name": "Aino"})


def add(client, req, *uploads):
    return client.post(reverse("requests:add_files", args=[req.reference]), {"files_form-attachments": list(uploads)})


@pytest.mark.django_db
def test_a_clean_file_is_kept_and_one_with_a_virus_is_refused_by_name(client, req, member, clamd, settings):
    settings.CLAMD = clamd
    client.force_login(member)
    assert add(client, req, files.upload("receipt.pdf", files.pdf())).status_code == 302
    refused = add(client, req, files.upload("notes.txt", EICAR), files.upload("photo.png", files.png()))
    assert refused.status_code == 400
    assert "notes.txt holds a virus (Desk.Test.Eicar" in refused.content.decode()
    assert list(Attachment.objects.values_list("name", flat=True)) == ["receipt.pdf"]


@pytest.mark.django_db
def test_a_scanner_that_cannot_be_reached_keeps_nothing_unscanned(client, req, member, settings):
    settings.CLAMD = f"127.0.0.1:{free_port()}"  # nothing listens there
    client.force_login(member)
    refused = add(client, req, files.upload("receipt.pdf", files.pdf()))
    assert refused.status_code == 400
    assert "could not be checked for viruses just now" in refused.content.decode()
    assert not Attachment.objects.exists()
