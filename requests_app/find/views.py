"""The search box on every page: a reference goes straight to its request (its page, or its status card for
whoever may not open it); anything else finds the customers this person may see and the services."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from catalogue.search import search_services

from ..models import ServiceRequest, access, reference_pattern

MAX_QUERY = 200


def _reference(text: str) -> str | None:
    return text.upper() if reference_pattern().fullmatch(text) else None


@login_required
def find(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    context = {"query": query, "customers": [], "services": [], "problem": None, "unknown_reference": None}
    if query:
        reference = _reference(query)
        if reference is not None:
            if ServiceRequest.objects.filter(reference=reference).exists():
                return redirect("requests:detail", reference=reference)
            context["unknown_reference"] = reference
        else:
            context["customers"], context["problem"] = access.find_customers(request.user, query, via="search",
                                                                             limit=10)
            context["services"] = search_services(query, limit=10)
    return render(request, "requests_app/find.html", context)
