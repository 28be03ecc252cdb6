"""The desk's tables, one module per room that owns them; everything is importable from here, as Django and
the migrations expect (`requests_app.models.Customer`)."""

from .audit import AuditEntry
from .commitments import (
    BreachReview,
    ClockKind,
    ClockState,
    Commitment,
    NotifyRole,
    OutcomeKind,
    RequestClock,
    TimerOutcome,
    default_breach_roles,
    default_warning_roles,
    validate_roles,
)
from .customers import Customer, MergeProposal
from .figures import DURATION_EDGES, DailyFigures, FiguresRefresh
from .files import Attachment
from .health import Heartbeat
from .inbox import InboundMail, Mailbox
from .notifications import Notification
from .public import RateCount, StatusLink, token_digest
from .requests import (
    HISTORY_COLUMNS,
    QUEUE_COLUMNS,
    CallbackRequest,
    CommitmentState,
    Contact,
    Event,
    Handoff,
    Message,
    ReferenceCounter,
    ServiceRequest,
    ServiceRequestQuerySet,
    Status,
    TimelineEvent,
    reference_pattern,
)

__all__ = [
    "AuditEntry", "MergeProposal",
    "Attachment", "RateCount", "StatusLink", "token_digest",
    "BreachReview", "CallbackRequest", "ClockKind", "ClockState", "Commitment", "CommitmentState", "Contact", "Customer",
    "DURATION_EDGES", "DailyFigures", "Event", "FiguresRefresh", "HISTORY_COLUMNS", "Handoff", "Heartbeat", "InboundMail", "Mailbox", "Message",
    "Notification", "NotifyRole", "OutcomeKind", "QUEUE_COLUMNS", "ReferenceCounter", "reference_pattern", "RequestClock",
    "ServiceRequest", "ServiceRequestQuerySet", "Status", "TimelineEvent", "TimerOutcome", "default_breach_roles",
    "default_warning_roles", "validate_roles",
]
