"""What the desk writes to a customer on its own: the acknowledgement of a new request and the resolution
notice, each in the customer's language."""

from django.utils.translation import gettext as _
from django.utils.translation import override

from ..models import ServiceRequest


def _promise(req: ServiceRequest, language: str) -> str:
    service = req.service
    return getattr(service, f"promise_{language}", "") or service.promise_fi or service.promise_en


def _service_name(req: ServiceRequest, language: str) -> str:
    service = req.service
    return getattr(service, f"name_{language}", "") or service.name_fi


def acknowledgement(req: ServiceRequest) -> str:
    language = req.customer.language
    with override(language):
        lines = [
            _("Hello,"),
            "",
            _("We have received your request and logged it as %(reference)s (%(service)s).")
            % {"reference": req.reference, "service": _service_name(req, language)},
        ]
        promise = _promise(req, language)
        if promise:
            lines += ["", _("Our promise: %(promise)s") % {"promise": promise}]
        lines += [
            "",
            _("To add anything, answer this message and keep %(reference)s in the subject.")
            % {"reference": req.reference},
            "",
            str(req.team),
        ]
    return "\n".join(lines)


def resolution_notice(req: ServiceRequest) -> str:
    with override(req.customer.language):
        lines = [
            _("Hello,"),
            "",
            _("Your request %(reference)s is resolved:") % {"reference": req.reference},
            "",
            req.resolution,
            "",
            _("If something is still missing, answer this message and keep %(reference)s in the subject.")
            % {"reference": req.reference},
            "",
            str(req.team),
        ]
    return "\n".join(lines)


def status_link(req: ServiceRequest) -> str:
    """The lost link, asked for again (the link itself is added as the mail leaves: it is never stored)."""
    with override(req.customer.language):
        return "\n".join([
            _("Hello,"),
            "",
            _("You asked for the link to your request %(reference)s (%(service)s) again. If it was not you, "
              "nothing needs doing: only this address receives it.")
            % {"reference": req.reference, "service": _service_name(req, req.customer.language)},
            "",
            str(req.team),
        ])


def status_link_line(url: str, language: str) -> str:
    with override(language):
        return _("Follow your request, read our answers and add to it here (keep the link to yourself): %(url)s") % {
            "url": url}
