"""Reading a mail as it really is: any charset (broken ones too), HTML only, quoted history, signatures,
attachments, auto-replies and bounces. Pure: bytes in, a `ReadMail` out, or `Unreadable` with the reason."""

import dataclasses
import datetime as dt
import hashlib
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser, BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from html import unescape
from html.parser import HTMLParser

import nh3


class Unreadable(Exception):
    """The message cannot be taken in; the text says why, for the administrator."""


@dataclasses.dataclass
class ReadMail:
    mail_id: str
    from_address: str
    from_name: str
    subject: str
    sent_at: dt.datetime | None
    names: list[str]          # the Message-IDs it answers (In-Reply-To, then References)
    text: str                 # the new text, quoted history and signature folded away
    full_text: str
    html: str                 # the HTML part made safe, or ""
    attachments: list[dict]   # name, type, size
    attachments_left_out: int
    automatic: str            # why no one should answer it, or ""
    bounce: bool
    language: str             # from Content-Language when it is one the desk speaks, or ""
    contents: list[bytes] = dataclasses.field(default_factory=list, repr=False)  # of `attachments`, in order


MAX_ATTACHMENTS_LISTED = 100
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")


def read(raw: bytes, *, languages=("fi", "sv", "en")) -> ReadMail:
    try:
        msg = BytesParser(policy=policy.default).parsebytes(raw)
        return _read(msg, raw, languages)
    except Unreadable:
        raise
    except Exception as error:  # noqa: BLE001 - whatever a hostile or broken mail trips in the parser
        raise Unreadable(f"Malformed message: {error.__class__.__name__}: {error}"[:300]) from error


def _read(msg: EmailMessage, raw: bytes, languages) -> ReadMail:
    # Headers that need no decoding are read as they are: the parser's header classes cost more than the
    # rest of reading a mail. From and Subject (encoded words) go through them.
    plain = {}
    for name, value in msg.raw_items():
        plain.setdefault(name.lower(), " ".join(str(value).split()))
    senders = [(name, address) for name, address in getaddresses([_header(msg, "from")]) if "@" in address]
    if not senders:
        raise Unreadable("No sender: the From header is missing or holds no address.")
    from_name, from_address = senders[0]
    text, html, attachments, contents = _parts(msg)
    if not text and html:
        text = html_to_text(html)
    full_text = text.strip()
    folded = fold(full_text)
    language = plain.get("content-language", "").strip().lower()[:2]
    return ReadMail(
        mail_id=_mail_id(plain, raw),
        from_address=_clean(from_address, 254).lower(),
        from_name=_clean(from_name, 200),
        subject=_clean(_header(msg, "subject"), 200),
        sent_at=_date(plain),
        names=_names(plain),
        text=folded or full_text,
        full_text=full_text,
        html=nh3.clean(html, tags=SAFE_TAGS, link_rel="noopener noreferrer nofollow") if html else "",
        attachments=attachments[:MAX_ATTACHMENTS_LISTED],
        attachments_left_out=max(0, len(attachments) - MAX_ATTACHMENTS_LISTED),
        automatic=_automatic(plain),
        bounce=_bounce(msg, plain, from_address),
        language=language if language in languages else "",
        contents=contents[:MAX_ATTACHMENTS_LISTED],
    )


# No images: a remote image tells the sender when, and from where, the mail was read.
SAFE_TAGS = nh3.ALLOWED_TAGS - {"img"}


def _header(msg, name: str) -> str:
    """A header as text; a header the parser cannot make sense of is read as empty, not fatal."""
    try:
        value = msg.get(name)
    except Exception:  # noqa: BLE001 - malformed encoded words and the like
        return ""
    return str(value) if value is not None else ""


def _clean(value: str, limit: int) -> str:
    """One line: CR, LF and other control characters never reach a subject, a name or a header we send."""
    return " ".join(CONTROL.sub(" ", value or "").split())[:limit]


def _mail_id(plain: dict, raw: bytes) -> str:
    found = MESSAGE_ID.search(plain.get("message-id", ""))
    if found:
        return found.group(0)
    # No usable Message-ID: one made from the content, so the same mail read twice is still stored once.
    return f"<sha256-{hashlib.sha256(raw).hexdigest()}@no-message-id>"


def mail_id_of(raw: bytes) -> str:
    """The Message-ID `read` will find, from the headers alone (cheap: what keeping a mail once needs)."""
    try:
        headers = BytesHeaderParser(policy=policy.compat32).parsebytes(raw)
        value = " ".join(str(headers.get("message-id", "")).split())
    except Exception:  # noqa: BLE001 - a mail this broken is set aside when it is read
        value = ""
    return _mail_id({"message-id": value}, raw)


def _names(plain: dict) -> list[str]:
    names = []
    for header in ("in-reply-to", "references"):
        for found in MESSAGE_ID.findall(plain.get(header, "")):
            if found not in names:
                names.append(found)
    return names[:50]


def _date(plain: dict) -> dt.datetime | None:
    try:
        sent = parsedate_to_datetime(plain.get("date", ""))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return sent if sent.tzinfo else None


def _is_attachment(part) -> bool:
    return bool(_filename(part)) or part.get_content_disposition() == "attachment" or not (
        part.get_content_type().startswith("text/"))


def attachment(raw: bytes, number: int) -> tuple[str, bytes] | None:
    """The `number`th attachment of a mail (as `read` lists them): its name and content, or None."""
    try:
        msg = BytesParser(policy=policy.default).parsebytes(raw)
        parts = [part for part in msg.walk() if not part.is_multipart() and _is_attachment(part)]
        if not 0 <= number < min(len(parts), MAX_ATTACHMENTS_LISTED):
            return None
        part = parts[number]
        name = _clean(_filename(part) or part.get_content_type().replace("/", "."), 200)
        return name, part.get_payload(decode=True) or b""
    except Exception:  # noqa: BLE001 - a mail that was read once reads again; anything else is "not there"
        return None


def _parts(msg) -> tuple[str, str, list[dict], list[bytes]]:
    text = html = ""
    attachments, contents = [], []
    for part in msg.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        if _is_attachment(part):
            payload = part.get_payload(decode=True) or b""
            attachments.append({"name": _clean(_filename(part) or kind.replace("/", "."), 200), "type": kind,
                                "size": len(payload)})
            contents.append(payload)
        elif kind == "text/plain" and not text:
            text = _decoded(part)
        elif kind == "text/html" and not html:
            html = _decoded(part)
    return text, html, attachments, contents


def _filename(part) -> str:
    try:
        return part.get_filename() or ""
    except Exception:  # noqa: BLE001 - a broken RFC 2231 parameter names nothing
        return ""


def _decoded(part) -> str:
    """The text of a part in whatever charset it claims; an unknown or lying charset falls back to UTF-8,
    then to Windows-1252, which maps every byte: no mail is refused for its encoding."""
    payload = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    for encoding in (charset, "utf-8"):
        try:
            return _lines(payload.decode(encoding))
        except (LookupError, UnicodeDecodeError):
            continue
    return _lines(payload.decode("cp1252", errors="replace"))


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


class _TextOfHtml(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol"}
    SKIP = {"script", "style", "head", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.out.append("\n")
        if tag == "blockquote":
            self.out.append("> ")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(data)


def html_to_text(html: str) -> str:
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in unescape("".join(parser.out)).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


ATTRIBUTION = re.compile(
    r"^(On .{4,200} wrote:|.{4,200} (kirjoitti|skrev|wrote)( \S+)?:|Den .{4,200} skrev .{0,200}:)\s*$",
    re.IGNORECASE,
)
FORWARD_HEADERS = re.compile(
    r"^(-{2,}\s*(Original Message|Alkuperäinen viesti|Ursprungligt meddelande|Forwarded message)\s*-{2,}"
    r"|(From|Lähettäjä|Från):\s.+)$",
    re.IGNORECASE,
)


def fold(text: str) -> str:
    """The new part of a mail: up to the signature delimiter, an attribution line ("On ... wrote:",
    "... kirjoitti:", "... skrev:"), a forwarded-message header, or the quoted lines that end it."""
    lines = text.splitlines()
    cut = len(lines)
    for number, line in enumerate(lines):
        stripped = line.strip()
        if line.rstrip() == "--" or line == "-- " or ATTRIBUTION.match(stripped) or (
            FORWARD_HEADERS.match(stripped) and number > 0
        ):
            cut = number
            break
    kept = lines[:cut]
    # Quoted lines at the end ("> ..."): history, however it was introduced.
    while kept and (not kept[-1].strip() or kept[-1].lstrip().startswith(">")):
        kept.pop()
    return "\n".join(kept).strip()


AUTO_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}


def _automatic(plain: dict) -> str:
    auto_submitted = plain.get("auto-submitted", "").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return _clean(f"Auto-Submitted: {auto_submitted}", 100)
    for header in ("x-autoreply", "x-autorespond", "x-auto-response"):
        if plain.get(header):
            return header.title()
    precedence = plain.get("precedence", "").strip().lower()
    if precedence in AUTO_PRECEDENCE:
        return f"Precedence: {precedence}"
    if plain.get("list-id") or plain.get("list-unsubscribe"):
        return "Mailing list"
    return ""


def _bounce(msg, plain: dict, from_address: str) -> bool:
    if msg.get_content_type() == "multipart/report":
        return True
    local = from_address.partition("@")[0].lower()
    return local in {"mailer-daemon", "postmaster"} or plain.get("return-path", "").strip() == "<>"
