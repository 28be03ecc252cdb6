import pytest

from tests.mail.imap_server import ImapServer


@pytest.fixture(scope="session")
def imap_server():
    server = ImapServer()
    yield server
    server.stop()
