import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from catalogue.models import Service, ServiceArea
from servicedesk.csvcells import safe_cell
from teams.models import Site, Team
from teams.selectors import unit_tree

from . import charts
from .board import build
from .scope import PERIODS, BadPeriod, parse_period, scope_for


@login_required
def dashboard(request, kind="org", key=None):
    """Any dashboard, for every member of staff: transparency is the point."""
    try:
        scope = scope_for(kind, key)
    except (LookupError, ObjectDoesNotExist):
        raise Http404(_("No such unit, site, service area, service or team.")) from None
    context = {"scope": scope, "kind": kind, "key": key, "periods": PERIODS,
               "chosen": request.GET.get("period") or "30d", "directory": _directory()}
    try:
        period = parse_period(request.GET, today=timezone.localdate())
    except BadPeriod as error:
        return render(request, "requests_app/dashboards/dashboard.html", context | {"error": str(error)}, status=400)
    board = build(scope, period)
    if request.GET.get("format") == "csv":
        return _csv(request, board)
    context |= {
        "board": board, "period": period, "previous": period.previous(),
        "incoming_chart": charts.columns(board.series, chart_id="incoming-caption"),
        "channel_chart": charts.rows([(row[0].value, row[1].value, row[1].link) for row in board.tables["channels"].rows],
                                     chart_id="channels-caption"),
        "backlog_chart": charts.rows(board.age_bands, chart_id="backlog-caption"),
        "kept_chart": charts.rows([(label, pct, url) for label, pct, _ok, _total, url in board.kept],
                                  chart_id="commitments-caption", suffix=" %"),
    }
    return render(request, "requests_app/dashboards/dashboard.html", context)


def _csv(request, board) -> HttpResponse:
    table = board.tables.get(request.GET.get("table", ""))
    if table is None:
        return HttpResponse(
            _("Name the table to export: %(tables)s.") % {"tables": ", ".join(board.tables)},
            status=400, content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = slugify(f"{board.scope.title}-{table.name}-{board.period.first}-{board.period.last}")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = csv.writer(response)
    for row in table.csv_rows():
        writer.writerow([safe_cell(cell) for cell in row])
    return response


def _directory() -> dict:
    return {
        "units": unit_tree(),
        "sites": Site.objects.order_by("name_fi"),
        "areas": ServiceArea.objects.order_by("position", "name_fi"),
        "teams": Team.objects.order_by("name_fi"),
        "services": Service.objects.offered().order_by("name_fi").only("code", "name_fi", "name_sv", "name_en"),
    }
