"""The refusals every domain operation of every app raises, and the check every free text passes."""

from django.utils.translation import gettext as _

MAX_TEXT = 10_000


class DomainError(Exception):
    """A rule said no. The message is written for the person who tried."""

    status_code = 409

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAllowed(DomainError):
    status_code = 403


class InvalidState(DomainError):
    status_code = 409


class AlreadyClaimed(DomainError):
    status_code = 409

    def __init__(self, holder):
        super().__init__(_("Already claimed by %(holder)s.") % {"holder": holder})
        self.holder = holder


def require_text(text: str, what: str, limit: int = MAX_TEXT) -> str:
    """The text stripped; refused when empty or longer than `limit`."""
    text = (text or "").strip()
    if not text:
        raise InvalidState(_("%(what)s cannot be empty.") % {"what": what})
    if len(text) > limit:
        raise InvalidState(_("%(what)s is too long (at most %(limit)d characters).") % {"what": what, "limit": limit})
    return text
