"""A real IMAP server for the tests: Debian's Dovecot with a throw-away configuration, on a loopback port,
with one account whose password is "secret" and mail kept in a temporary Maildir."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from imapclient import IMAPClient

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
PASSWORD = "secret"

CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = {root}/dovecot.log
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = 0
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ImapServer:
    def __init__(self):
        if not os.path.exists(DOVECOT):
            if os.environ.get("DESK_REQUIRE_IMAP"):
                raise RuntimeError("Dovecot is not installed, and DESK_REQUIRE_IMAP says the IMAP tests must run")
            pytest.skip("Dovecot (Debian's dovecot-imapd) is not installed")
        self.root = Path(tempfile.mkdtemp(prefix="desk-imap-", dir="/tmp"))
        self.root.chmod(0o755)
        if os.geteuid() == 0:
            internal, login, user = "dovecot", "dovenull", "dovecot"
        else:
            internal = login = user = pwd.getpwuid(os.geteuid()).pw_name
        for folder in ("run", "state", "home"):
            (self.root / folder).mkdir()
        shutil.chown(self.root / "home", user, user)
        self.port = _free_port()
        self.config = self.root / "dovecot.conf"
        self.config.write_text(CONFIG.format(root=self.root, internal=internal, login=login, user=user, group=user,
                                             password=PASSWORD, port=self.port))
        subprocess.run([DOVECOT, "-c", str(self.config)], check=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"Dovecot did not start: {(self.root / 'dovecot.log').read_text()}")

    def client(self, account: str) -> IMAPClient:
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=10)
        client.login(account, PASSWORD)
        return client

    def deliver(self, account: str, *messages: bytes, folder="INBOX") -> None:
        """Put mail into an account's folder, as a mail server's delivery would."""
        with self.client(account) as client:
            if not client.folder_exists(folder):
                client.create_folder(folder)
            for message in messages:
                client.append(folder, message)

    def stop(self) -> None:
        subprocess.run([DOVECOT, "-c", str(self.config), "stop"], check=False, capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)
