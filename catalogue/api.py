"""The catalogue through the API: find a service by the customer's words, read its promise and owner."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from .models import Service
from .search import search_services


class ServiceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owning_team = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    promise = serializers.CharField(read_only=True)
    matched_language = serializers.SerializerMethodField(
        help_text="In a search: the language of the name the words matched (fi, sv or en) when it is not the "
                  "name shown, as when a Swedish word finds a service listed by its Finnish name; otherwise null.")

    class Meta:
        model = Service
        fields = ["code", "name", "name_fi", "name_sv", "name_en", "area", "owning_team", "promise", "channels",
                  "public_web_form", "retired_at", "matched_language"]

    def get_matched_language(self, service) -> str | None:
        return getattr(service, "matched_language", None) if getattr(service, "matched_name", "") else None


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("q", description="The customer's words; without it, every offered service by name")]))
class ServiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Services of the catalogue; a search returns the best matches first (at most 20)."""

    serializer_class = ServiceSerializer
    lookup_field = "code"
    pagination_class = None

    def get_queryset(self):
        return Service.objects.select_related("area", "owning_team").defer(*Service.SEARCH_FIELDS)

    def list(self, request, *args, **kwargs):
        query = request.query_params.get("q", "").strip()
        found = search_services(query, limit=20) if query else self.get_queryset().offered().order_by("name_fi")
        return Response(self.get_serializer(found, many=True).data)
