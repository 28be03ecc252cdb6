"""Finding a service by the words a customer uses."""

from django.db.models import Q

from .models import Service


def search_services(query: str, *, limit: int = 10, offered_only: bool = True) -> list[Service]:
    words = [w for w in (query or "").split() if w][:8]
    qs = Service.objects.select_related("area", "owning_team")
    if offered_only:
        qs = qs.offered()
    for word in words:
        qs = qs.filter(
            Q(name_fi__icontains=word) | Q(name_sv__icontains=word) | Q(name_en__icontains=word)
            | Q(description_fi__icontains=word) | Q(description_en__icontains=word)
            | Q(description_sv__icontains=word) | Q(keywords__icontains=word)
        )
    return list(qs[:limit])
