"""Taking a file in (checked and scanned) and keeping checked files on a request."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from ..models import Attachment, Message, ServiceRequest
from .checks import Checked, check
from .scanning import scan


def accept(name: str, content: bytes) -> Checked:
    """A file as the desk takes it, from an upload or a mail: checked from its content within the size
    limit, then scanned. Refused (with the reason) otherwise."""
    file = check(name, content, max_bytes=settings.ATTACHMENT_MAX_BYTES)
    scan(file.name, file.content)
    return file


@transaction.atomic(savepoint=False)
def keep(req: ServiceRequest, files: list[Checked], *, now, message: Message | None = None, by=None,
         from_customer: bool = False) -> list[Attachment]:
    """The files on the request (helper: inside the caller's operation, which records the event). The
    content goes to storage first; a rolled-back operation leaves an unnamed file there, never a row
    without its file."""
    kept = []
    for checked in files:
        attachment = Attachment(
            request=req, message=message, name=checked.name, content_type=checked.content_type,
            size=checked.size, sha256=checked.sha256, added_by=by, from_customer=from_customer, added_at=now,
        )
        attachment.file.save(checked.name, ContentFile(checked.content), save=False)
        kept.append(attachment)
    Attachment.objects.bulk_create(kept)
    return kept


def described(files) -> list[dict]:
    """What a timeline event says of the files: names and sizes."""
    return [{"name": file.name, "size": file.size} for file in files]
