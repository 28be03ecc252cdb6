from django.utils.translation import gettext as _


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
