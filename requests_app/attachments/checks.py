"""What an uploaded file is, read from its content; the name it may be offered under. Pure: bytes in, a
`Checked` out, or `Refused` with a reason a person can act on."""

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import filetype
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# What a customer or a colleague sends to a public office: documents, scans, photos, plain text. Read from
# the first bytes; an executable named "receipt.pdf" is an executable. Archives are refused (they hide what
# is inside them), and so is every kind of markup, which a browser would run.
ACCEPTED = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/heic": "heic",
    "image/tiff": "tif",
    "image/bmp": "bmp",
    "application/rtf": "rtf",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "text/plain": "txt",
}
TEXT_NAMES = {"txt", "csv", "tsv", "log", "md"}
# Text a browser or an office program would take for markup or script, wherever it stands in the file.
MARKUP = re.compile(rb"<\s*(?:script|html|svg|body|iframe|object|embed|\?xml|!doctype)|javascript:", re.IGNORECASE)
UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


class Refused(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Checked:
    name: str
    content_type: str
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def check(name: str, content: bytes, *, max_bytes: int) -> Checked:
    """The file, if it may be kept: within the size, of a kind on the list, its name made safe."""
    shown = clean_name(name)
    if not content:
        raise Refused(_("%(name)s is empty.") % {"name": shown})
    if len(content) > max_bytes:
        raise Refused(_("%(name)s is too large (at most %(limit)s).")
                      % {"name": shown, "limit": filesizeformat(max_bytes)})
    kind = kind_of(content)
    if kind not in ACCEPTED:
        raise Refused(_("%(name)s is not a kind of file the desk takes: send a PDF, a photo, an office "
                        "document or plain text.") % {"name": shown})
    return Checked(name=with_extension(shown, kind), content_type=kind, content=content)


def kind_of(content: bytes) -> str | None:
    """The content type the bytes show, or None. Text only when it is text and holds no markup."""
    found = filetype.guess_mime(content[:8192])
    if found:
        return found
    if b"\x00" in content or MARKUP.search(content):
        return None
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "text/plain"


def clean_name(name: str) -> str:
    """The last part of whatever path the name carries, without control characters or path signs."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = UNSAFE_NAME.sub("_", name).strip(" ._") or "file"
    if len(name) > 120:
        stem, dot, extension = name.rpartition(".")
        name = (stem[:110] + dot + extension[:9]) if dot and len(extension) < 10 else name[:120]
    return name


def with_extension(name: str, kind: str) -> str:
    """The name with an extension that says what the file is, so the program that opens it agrees."""
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    expected = ACCEPTED[kind]
    if kind == "text/plain" and extension in TEXT_NAMES:
        return name
    if extension == expected or (expected, extension) in {("jpg", "jpeg"), ("tif", "tiff")}:
        return name
    return f"{name}.{expected}"
