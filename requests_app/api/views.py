"""The REST API for channels and integrations: the same services and selectors as the pages, no rules of its own.

Requests are addressed by reference. Reads show what the caller may see (others get 404, as on the pages);
every change is one domain operation, and a refusal comes back as `{"detail": ...}` with its status code.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from servicedesk.errors import DomainError
from teams.models import ApiToken

from ..customers import selectors as customer_selectors
from ..intake import services as intake
from ..models import AuditEntry, Customer, ServiceRequest, access
from ..queues.filters import FigureFilter
from ..requests import selectors, services
from .serializers import (
    AnswerInput,
    AssignInput,
    CustomerDetail,
    CustomerMessageInput,
    HandoffInput,
    Intake,
    MessageEntry,
    RequestDetail,
    RequestSummary,
    Text,
)


class NewestFirst(CursorPagination):
    ordering = ("-created_at", "-pk")


def _key_teams(request) -> set[int] | None:
    """The teams an integration's key is limited to; None when it is not limited (or no key is used)."""
    return request.auth.team_ids or None if isinstance(request.auth, ApiToken) else None


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
        requests = ServiceRequest.objects.for_list().filter(
            pk__in=access.openable_requests(self.request.user).values("pk")
        )
        teams = _key_teams(self.request)
        return requests if teams is None else requests.filter(team_id__in=teams)

    def _visible(self, reference: str) -> ServiceRequest:
        req = selectors.request_for_page(reference=reference, user=self.request.user)
        teams = _key_teams(self.request)
        if teams is not None and req.team_id not in teams:
            raise ServiceRequest.DoesNotExist
        return req

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
            return self._visible(self.kwargs["reference"])
        except ServiceRequest.DoesNotExist:
            raise Http404 from None

    def retrieve(self, request, reference):
        req = self.get_object()
        AuditEntry.record_request_read(req, by=request.user, via="api")
        return Response(RequestDetail(req).data)

    def _answer(self, reference: str, code=status.HTTP_200_OK) -> Response:
        try:
            req = self._visible(reference)
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
        serializer = serializer_class(data=self.request.data, context={"request": self.request})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=Intake, responses={201: RequestDetail})
    def create(self, request):
        data = self._with(Intake)
        try:
            req = intake.log_request(
                by=request.user, service_id=data["service"], channel=data["channel"], subject=data["subject"],
                description=data["description"], customer_id=data["customer"].pk if "customer" in data else None,
                new_customer=data.get("new_customer"), site_id=data["site"].pk if "site" in data else None,
            )
        except DomainError as error:
            return _refused(error)
        # The caller is the intake owner: no need to ask whether they may read it.
        created = selectors.request_for_page(reference=req.reference)
        return Response(RequestDetail(created).data, status=status.HTTP_201_CREATED)

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

    @extend_schema(request=AnswerInput, responses=RequestDetail)
    @action(detail=True, methods=["post"])
    def answer(self, request, reference):
        data = self._with(AnswerInput)
        return self._run(services.record_answer, channel=data["channel"], body=data["text"])

    @extend_schema(methods=["GET"], request=None, responses=MessageEntry(many=True))
    @extend_schema(methods=["POST"], request=CustomerMessageInput, responses={201: MessageEntry})
    @action(detail=True, methods=["get", "post"])
    def messages(self, request, reference):
        """The conversation with the customer; POST records a customer's message taken by phone, in person
        or by letter (which starts the reply clock)."""
        req = self.get_object()
        if request.method == "GET":
            AuditEntry.record_request_read(req, by=request.user, via="api", detail="messages")
            return Response(MessageEntry(req.messages.select_related("author").prefetch_related("files"), many=True,
                                         context={"reference": req.reference}).data)
        data = self._with(CustomerMessageInput)
        try:
            message = intake.record_customer_message(request_id=req.pk, by=request.user, channel=data["channel"],
                                                     body=data["text"])
        except DomainError as error:
            return _refused(error)
        return Response(MessageEntry(message, context={"reference": message.request.reference}).data,
                        status=status.HTTP_201_CREATED)

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


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter(
    "q", required=True, type={"type": "string", "minLength": 3, "pattern": "^\\s*[^\\s\x00][^\x00]+[^\\s\x00]\\s*$"},
    description="At least three letters of a name, or a whole e-mail address, phone number or business ID")]))
class CustomerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Find customers, and read one customer's whole history across units, sites and channels."""

    serializer_class = CustomerDetail
    pagination_class = None

    def get_queryset(self):
        # Customers without a reason to see them do not exist here: walking the ids gives 404 after 404.
        if getattr(self, "swagger_fake_view", False):  # the schema's generator, asking for the model
            return Customer.objects.none()
        if self.action == "list":
            try:
                return customer_selectors.find_customers(self.request.query_params.get("q", ""), self.request.user)
            except ValueError as error:
                raise ValidationError({"q": [str(error)]}) from None
        return access.visible_customers(self.request.user)

    def retrieve(self, request, pk):
        customer = self.get_object()
        AuditEntry.record(AuditEntry.Kind.READ_CUSTOMER, by=request.user, via="api", customer_id=customer.pk)
        return Response(CustomerDetail(customer).data)

    def list(self, request):
        found = list(self.get_queryset())
        AuditEntry.record_customers_read([customer.pk for customer in found], by=request.user, via="api")
        return Response(CustomerDetail(found, many=True).data)

    @extend_schema(responses=RequestSummary(many=True))
    @action(detail=True, methods=["get"])
    def requests(self, request, pk):
        customer = self.get_object()
        AuditEntry.record(AuditEntry.Kind.READ_CUSTOMER, by=request.user, via="api", customer_id=customer.pk,
                          detail="requests")
        paginator = NewestFirst()
        # Only the requests the caller may open: a list never shows what the request's page would refuse.
        requests = ServiceRequest.objects.for_list().filter(
            customer=customer, pk__in=access.openable_requests(request.user).values("pk"))
        page = paginator.paginate_queryset(requests, request, self)
        return paginator.get_paginated_response(RequestSummary(page, many=True).data)
