"""What the API shows and what it takes."""

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from catalogue.models import Channel, Service
from servicedesk.errors import MAX_TEXT
from teams.models import Site, Team, User

from ..intake.services import MAX_SUBJECT
from ..models import Attachment, Customer, Handoff, Message, ServiceRequest, TimelineEvent, access
from ..requests.services import ANSWER_CHANNELS, CONTACT_CHANNELS

# --- what the API shows ---------------------------------------------------------------------------------------


class ServiceRef(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Service
        fields = ["code", "name"]


class TeamRef(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)  # in the reader's language, as the service's

    class Meta:
        model = Team
        fields = ["slug", "name"]


class CustomerRef(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ["id", "name", "kind"]


class RequestSummary(serializers.ModelSerializer):
    service = ServiceRef(read_only=True)
    team = TeamRef(read_only=True)
    customer = CustomerRef(read_only=True)
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True)
    intake_owner = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ServiceRequest
        fields = [
            "reference", "subject", "status", "channel", "service", "team", "customer", "assignee", "intake_owner",
            "created_at", "first_reply_at", "resolved_at", "commitment_state", "next_deadline_at", "handoff_count",
            "customer_replied_at",
        ]


class TimelineEntry(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = TimelineEvent
        fields = ["kind", "created_at", "actor", "text"]


class HandoffEntry(serializers.ModelSerializer):
    from_service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    to_service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    from_team = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    to_team = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Handoff
        fields = ["created_at", "from_service", "to_service", "from_team", "to_team", "by", "note"]


class RequestDetail(RequestSummary):
    timeline = TimelineEntry(many=True, read_only=True, source="timeline_events")
    handoffs = HandoffEntry(many=True, read_only=True)

    class Meta(RequestSummary.Meta):
        fields = [*RequestSummary.Meta.fields, "description", "resolution", "timeline", "handoffs"]


class CustomerDetail(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ["id", "kind", "name", "email", "phone", "business_id", "language"]


# --- what the API takes ---------------------------------------------------------------------------------------


class Input(serializers.Serializer):
    # What the API takes: the named fields only. An unknown field is refused, never ignored: a misspelt one
    # would otherwise do nothing without a word. (A comment, not a docstring: the schema shows docstrings.)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise ValidationError({name: [_("Not a field of this operation.")] for name in unknown[:20]})
        return super().to_internal_value(data)


class VisibleCustomer(serializers.PrimaryKeyRelatedField):
    """A customer the caller may see (`access.visible_customers`); any other id is no such customer."""

    def get_queryset(self):
        return access.visible_customers(self.context["request"].user)


class NewCustomer(Input):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Customer.Kind.choices, default=Customer.Kind.PERSON)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    business_id = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(choices=["fi", "sv", "en"], default="fi")


class Intake(Input):
    service = serializers.SlugRelatedField(slug_field="code", queryset=Service.objects.select_related("owning_team"),
                                           error_messages={"does_not_exist": _("No service with the code {value}.")})
    channel = serializers.ChoiceField(choices=Channel.choices)
    subject = serializers.CharField(max_length=MAX_SUBJECT)
    description = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")
    customer = VisibleCustomer(queryset=Customer.objects.all(), required=False)
    new_customer = NewCustomer(required=False)
    site = serializers.SlugRelatedField(slug_field="code", queryset=Site.objects.all(), required=False)

    def validate(self, data):
        if ("customer" in data) == ("new_customer" in data):
            raise ValidationError(_("Give either an existing customer's id or a new customer, not both."))
        return data


class Text(Input):
    text = serializers.CharField(max_length=MAX_TEXT)


class HandoffInput(Input):
    service = serializers.SlugRelatedField(slug_field="code", queryset=Service.objects.all())
    note = serializers.CharField(max_length=MAX_TEXT)


class AssignInput(Input):
    person = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.filter(is_active=True))


# --- endpoints ------------------------------------------------------------------------------------------------


class FileEntry(serializers.ModelSerializer):
    """A file kept with a message; `download` is its address (for the people who may see the request). The
    request's reference comes in the context: every file listed is on the one request."""

    download = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "content_type", "size", "added_at", "download"]
        read_only_fields = fields

    def get_download(self, file) -> str:
        return reverse("requests:file", args=[self.context["reference"], file.pk])


class MessageEntry(serializers.ModelSerializer):
    """A message to or from the customer. `sent_at` is set only for a mail that left the desk. `files` are
    kept with it; `attachments` lists what a mail carried that was not kept, and why."""

    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    files = FileEntry(many=True, read_only=True)

    class Meta:
        model = Message
        fields = ["id", "direction", "channel", "purpose", "author", "body", "full_text", "files", "attachments",
                  "to_email", "created_at", "sent_at"]
        read_only_fields = fields


class CustomerMessageInput(Input):
    """What the customer said, told to the desk by phone, in person or by letter."""

    channel = serializers.ChoiceField(choices=[(c.value, c.label) for c in CONTACT_CHANNELS])
    text = serializers.CharField(max_length=MAX_TEXT)


class AnswerInput(Input):
    """An answer given without mail."""

    channel = serializers.ChoiceField(choices=[(c.value, c.label) for c in ANSWER_CHANNELS])
    text = serializers.CharField(max_length=MAX_TEXT)
