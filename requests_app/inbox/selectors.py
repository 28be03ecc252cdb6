from ..models import InboundMail

Outcome = InboundMail.Outcome


def mail_to_sort():
    return InboundMail.objects.filter(outcome=Outcome.TO_SORT).select_related("mailbox").order_by("received_at", "pk")


def mail_set_aside():
    return InboundMail.objects.filter(outcome=Outcome.SET_ASIDE).select_related("mailbox").order_by("-received_at")
