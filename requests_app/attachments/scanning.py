"""The virus scanner: clamd, when settings.CLAMD names it ("host:port" or a socket path)."""

import socket
import struct

from django.conf import settings
from django.utils.translation import gettext as _

from .checks import Refused

CHUNK = 64 * 1024
TIMEOUT_SECONDS = 30


def scan(name: str, content: bytes) -> None:
    """Nothing when the file is clean or no scanner is set; Refused when it is not, or cannot be scanned
    now (a file nobody could check is not kept)."""
    if not settings.CLAMD:
        return
    try:
        answer = _instream(settings.CLAMD, content)
    except OSError:
        raise Refused(_("%(name)s could not be checked for viruses just now; try again in a moment.")
                      % {"name": name}) from None
    if answer.endswith("FOUND"):
        raise Refused(_("%(name)s holds a virus (%(found)s) and was not kept.")
                      % {"name": name, "found": answer.removeprefix("stream:").removesuffix("FOUND").strip()})
    if not answer.endswith("OK"):
        raise Refused(_("%(name)s could not be checked for viruses just now; try again in a moment.")
                      % {"name": name})


def _instream(address: str, content: bytes) -> str:
    # clamd's INSTREAM: the file in length-prefixed chunks, a zero length to end; one line back.
    if address.startswith("/"):
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target = address
    else:
        host, _colon, port = address.rpartition(":")
        connection = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        target = (host or "127.0.0.1", int(port))
    with connection:
        connection.settimeout(TIMEOUT_SECONDS)
        connection.connect(target)
        connection.sendall(b"zINSTREAM\0")
        for start in range(0, len(content), CHUNK):
            chunk = content[start:start + CHUNK]
            connection.sendall(struct.pack("!L", len(chunk)) + chunk)
        connection.sendall(struct.pack("!L", 0))
        answer = b""
        while not answer.endswith(b"\0"):
            data = connection.recv(4096)
            if not data:
                break
            answer += data
    return answer.rstrip(b"\0").decode("utf-8", "replace").strip()
