"""Files attached to requests and their messages, kept through Django's storage API."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _

from .requests import Message, ServiceRequest


class _AttachmentStorage(LazyObject):
    # The "attachments" storage of settings.STORAGES (the file system by default, object storage when set),
    # looked up when first used rather than when the models load, and again if the setting changes.
    def _setup(self):
        # Made from the setting itself: looking it up in `storages` would fix every alias's configuration
        # when the models load, before a test or a benchmark could change STORAGES.
        self._wrapped = storages.create_storage(settings.STORAGES["attachments"])


_storage = _AttachmentStorage()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        _storage._wrapped = empty


def attachment_storage():
    return _storage


def attachment_path(attachment: "Attachment", name: str) -> str:
    # Never the uploader's name: a random one, under the request, so no two files meet and no name reaches a path.
    return f"requests/{attachment.request_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file on a request: added by staff, by the customer on the web, or with a message (either way)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="files")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, null=True, blank=True, related_name="files")
    file = models.FileField(storage=attachment_storage, upload_to=attachment_path, max_length=200)
    # The name shown and offered on download (cleaned); the type read from the content, never the name.
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    from_customer = models.BooleanField(default=False)
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def added_by_label(self) -> str:
        return _("Customer") if self.from_customer else str(self.added_by or "")
