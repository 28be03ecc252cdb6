"""The REST API for channels and integrations: the same services and selectors as the pages, no rules of its own.

Requests are addressed by reference. Reads show what the caller may see (others get 404, as on the pages);
every change is one domain operation, and a refusal comes back as `{"detail": ...}` with its status code.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from catalogue.models import Channel, Service
from teams.models import Site, Team, User

from . import selectors, services
from .errors import DomainError
from .filters import FigureFilter
from .models import Customer, Handoff, ServiceRequest, TimelineEvent


class NewestFirst(CursorPagination):
    ordering = ("-created_at", "-pk")


# --- what the API shows ---------------------------------------------------------------------------------------


class ServiceRef(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Service
        fields = ["code", "name"]


class TeamRef(serializers.ModelSerializer):
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
    timeline = TimelineEntry(many=True, read_only=True)
    handoffs = HandoffEntry(many=True, read_only=True)

    class Meta(RequestSummary.Meta):
        fields = [*RequestSummary.Meta.fields, "description", "resolution", "timeline", "handoffs"]


class CustomerDetail(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ["id", "kind", "name", "email", "phone", "business_id", "language"]


# --- what the API takes ---------------------------------------------------------------------------------------


class NewCustomer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Customer.Kind.choices, default=Customer.Kind.PERSON)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    business_id = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(choices=["fi", "sv", "en"], default="fi")


class Intake(serializers.Serializer):
    service = serializers.SlugRelatedField(slug_field="code", queryset=Service.objects.all(),
                                           error_messages={"does_not_exist": _("No service with the code {value}.")})
    channel = serializers.ChoiceField(choices=Channel.choices)
    subject = serializers.CharField(max_length=services.MAX_SUBJECT)
    description = serializers.CharField(max_length=services.MAX_TEXT, required=False, allow_blank=True, default="")
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all(), required=False)
    new_customer = NewCustomer(required=False)
    site = serializers.SlugRelatedField(slug_field="code", queryset=Site.objects.all(), required=False)

    def validate(self, data):
        if ("customer" in data) == ("new_customer" in data):
            raise ValidationError(_("Give either an existing customer's id or a new customer, not both."))
        return data


class Text(serializers.Serializer):
    text = serializers.CharField(max_length=services.MAX_TEXT)


class HandoffInput(serializers.Serializer):
    service = serializers.SlugRelatedField(slug_field="code", queryset=Service.objects.all())
    note = serializers.CharField(max_length=services.MAX_TEXT)


class AssignInput(serializers.Serializer):
    person = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.filter(is_active=True))


# --- endpoints ------------------------------------------------------------------------------------------------


def _refused(error: DomainError) -> Response:
    return Response({"detail": error.message}, status=error.status_code)


QUEUE_PARAMETERS = [
    OpenApiParameter(name, description=str(field.label))
    for name, field in FigureFilter.base_filters.items() if name != "sort"
] + [OpenApiParameter("team", description="Only this team's requests (its code)")]


@extend_schema_view(list=extend_schema(parameters=QUEUE_PARAMETERS))
class RequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Service requests the caller may see: their teams' work, their intakes and what they were assigned."""

    lookup_field = "reference"
    lookup_value_regex = r"[^/]+"
    pagination_class = NewestFirst

    def get_serializer_class(self):
        return RequestDetail if self.action == "retrieve" else RequestSummary

    def get_queryset(self):
        return ServiceRequest.objects.for_list().filter(
            pk__in=ServiceRequest.objects.visible_to(self.request.user).values("pk")
        )

    def filter_queryset(self, queryset):
        params = self.request.query_params.copy()
        params.pop("sort", None)  # the API pages newest first
        team_slug = params.pop("team", [None])[0]
        if team_slug:
            queryset = queryset.filter(team__slug=team_slug)
        filterset = FigureFilter(params, queryset=queryset, user=self.request.user)
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset.qs

    def get_object(self):
        try:
            return selectors.request_for_page(reference=self.kwargs["reference"], user=self.request.user)
        except ServiceRequest.DoesNotExist:
            raise Http404 from None

    def _answer(self, reference: str, code=status.HTTP_200_OK) -> Response:
        try:
            req = selectors.request_for_page(reference=reference, user=self.request.user)
        except ServiceRequest.DoesNotExist:
            # Handed to a team the caller is not in: the change is done, the request is no longer theirs to read.
            return Response({"reference": reference}, status=code)
        return Response(RequestDetail(req).data, status=code)

    def _run(self, operation, **arguments) -> Response:
        req = self.get_object()
        try:
            operation(request_id=req.pk, by=self.request.user, **arguments)
        except DomainError as error:
            return _refused(error)
        return self._answer(req.reference)

    def _with(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=Intake, responses={201: RequestDetail})
    def create(self, request):
        data = self._with(Intake)
        try:
            req = services.log_request(
                by=request.user, service_id=data["service"].pk, channel=data["channel"], subject=data["subject"],
                description=data["description"], customer_id=data["customer"].pk if "customer" in data else None,
                new_customer=data.get("new_customer"), site_id=data["site"].pk if "site" in data else None,
            )
        except DomainError as error:
            return _refused(error)
        return self._answer(req.reference, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=RequestDetail)
    @action(detail=True, methods=["post"])
    def claim(self, request, reference):
        return self._run(services.claim)

    @extend_schema(request=None, responses=RequestDetail)
    @action(detail=True, methods=["post"])
    def release(self, request, reference):
        return self._run(services.unclaim)

    @extend_schema(request=AssignInput, responses=RequestDetail)
    @action(detail=True, methods=["post"])
    def assign(self, request, reference):
        return self._run(services.assign, to_user_id=self._with(AssignInput)["person"].pk)

    @extend_schema(request=HandoffInput, responses=RequestDetail)
    @action(detail=True, methods=["post"], url_path="hand-off")
    def hand_off(self, request, reference):
        data = self._with(HandoffInput)
        return self._run(services.hand_off, to_service_id=data["service"].pk, note=data["note"])

    @extend_schema(request=Text, responses=RequestDetail)
    @action(detail=True, methods=["post"])
    def reply(self, request, reference):
        return self._run(services.reply, body=self._with(Text)["text"])

    @extend_schema(request=Text, responses=RequestDetail)
    @action(detail=True, methods=["post"])
    def note(self, request, reference):
        return self._run(services.add_note, text=self._with(Text)["text"])

    @extend_schema(request=None, responses=RequestDetail)
    @action(detail=True, methods=["post"])
    def wait(self, request, reference):
        return self._run(services.wait_for_customer)

    @extend_schema(request=None, responses=RequestDetail)
    @action(detail=True, methods=["post"])
    def resume(self, request, reference):
        return self._run(services.resume)

    @extend_schema(request=Text, responses=RequestDetail)
    @action(detail=True, methods=["post"])
    def resolve(self, request, reference):
        return self._run(services.resolve, resolution=self._with(Text)["text"])

    @extend_schema(request=Text, responses=RequestDetail)
    @action(detail=True, methods=["post"])
    def reopen(self, request, reference):
        return self._run(services.reopen, reason=self._with(Text)["text"])


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("q", description="Name, e-mail, phone or business ID", required=True)]))
class CustomerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Find customers, and read one customer's whole history across units, sites and channels."""

    serializer_class = CustomerDetail
    pagination_class = None

    def get_queryset(self):
        if self.action == "list":
            return selectors.find_customers(self.request.query_params.get("q", ""))
        return Customer.objects.filter(merged_into__isnull=True)

    @extend_schema(responses=RequestSummary(many=True))
    @action(detail=True, methods=["get"])
    def requests(self, request, pk):
        customer = self.get_object()
        paginator = NewestFirst()
        page = paginator.paginate_queryset(ServiceRequest.objects.for_list().filter(customer=customer), request, self)
        return paginator.get_paginated_response(RequestSummary(page, many=True).data)
