from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _

from ..models import access
from . import selectors
from .forms import AuditFilter


@login_required
def audit_log(request):
    """Who read whose data and who changed what: for the data-protection role alone."""
    if not access.protects_data(request.user):
        raise PermissionDenied(_("The audit log is for the data-protection role."))
    form = AuditFilter(request.GET or None)
    entries, status = [], 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        entries = selectors.search(**(form.cleaned_data if form.is_bound else {}))
    more = len(entries) == selectors.PAGE
    query = request.GET.copy()
    if more:
        query["before"] = entries[-1].pk
    return render(request, "requests_app/audit.html", {
        "form": form, "entries": entries, "next_query": query.urlencode() if more else "",
    }, status=status)
