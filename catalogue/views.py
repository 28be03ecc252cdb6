"""Catalogue pages: thin views over catalogue.filters, selectors and services."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from servicedesk.errors import DomainError
from teams.models import Unit

from . import exporting, importing, selectors, services
from .filters import CoverageFilter, ServiceFilter, UnitTaskFilter
from .forms import CustomerGroupForm, ImportForm, ServiceAreaForm, ServiceForm, UnitTaskForm
from .models import CatalogueChange, CustomerGroup, Service, ServiceArea, UnitTask
from .permissions import can_maintain
from .search import picker_choices

PAGE_SIZE = 50
LIST_LIMIT = 100


def maintainer_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not can_maintain(request.user):
            raise PermissionDenied(_("Only catalogue maintainers can change the catalogue."))
        return view(request, *args, **kwargs)

    return wrapper


def _htmx_aware(response):
    patch_vary_headers(response, ["HX-Request"])
    return response


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- browsing -----------------------------------------------------------------------------------------

@login_required
@require_GET
def index(request):
    filterset = ServiceFilter(
        request.GET,
        queryset=Service.objects.select_related("area", "owning_team").defer(*Service.SEARCH_FIELDS)
        .order_by("area__position", "area__name_fi", "name_fi"),
    )
    page = _page(request, filterset.qs)
    context = {"filter": filterset, "page": page, "searching": bool(request.GET.get("q"))}
    if request.htmx:
        return _htmx_aware(render(request, "catalogue/index.html#results", context))
    offered = Q(services__retired_at__isnull=True)
    context.update(
        areas=ServiceArea.objects.annotate(offered=Count("services", filter=offered)),
        customer_groups=CustomerGroup.objects.annotate(offered=Count("services", filter=offered)),
        can_maintain=can_maintain(request.user),
    )
    return _htmx_aware(render(request, "catalogue/index.html", context))


@login_required
@require_GET
def service_detail(request, code):
    service = get_object_or_404(
        Service.objects.select_related("area", "owning_team").prefetch_related(
            "customer_groups", "contributing_units",
            Prefetch("unit_tasks", queryset=UnitTask.objects.select_related("unit").order_by("unit__name_fi", "name")),
        ),
        code=code,
    )
    history = CatalogueChange.objects.filter(service=service).select_related("changed_by")[:50]
    return render(request, "catalogue/service_detail.html", {
        "service": service,
        "workload": selectors.service_workload(service),
        "history": history,
        "can_maintain": can_maintain(request.user),
    })


@login_required
@require_GET
def coverage(request):
    filterset = CoverageFilter(request.GET, queryset=UnitTask.objects.all())
    unit = filterset.form.cleaned_data.get("unit") if filterset.is_valid() else None
    rows = selectors.coverage_by_unit()
    if unit is not None:
        inside = set(unit.descendant_ids())
        rows = [row for row in rows if row.unit.pk in inside]
    gaps = selectors.services_missing_owner_or_promise(unit)
    uncontributed = selectors.services_without_contributors()
    return render(request, "catalogue/coverage.html", {
        "filter": filterset,
        "unit": unit,
        "rows": rows,
        "unmapped": _page(request, selectors.unmapped_tasks(unit)),
        "gaps": gaps[:LIST_LIMIT], "gaps_count": gaps.count(),
        "uncontributed": uncontributed[:LIST_LIMIT], "uncontributed_count": uncontributed.count(),
        "can_maintain": can_maintain(request.user),
    })


@login_required
@require_GET
def picker(request):
    """The intake form's service picker: the best matches as radio buttons named `service`; when nothing
    fits, the service areas to browse; `area` lists one area's services."""
    return _htmx_aware(render(request, "catalogue/_picker_results.html", {
        **picker_choices(request.GET.get("q", ""), request.GET.get("area", "")),
        "multiple": request.GET.get("multiple") == "1",
        "selected": request.GET.getlist("service") or request.GET.getlist("services"),
    }))


# --- maintaining --------------------------------------------------------------------------------------

def _run(form, operation, **kwargs):
    """Call a catalogue operation with the form's values; its refusals become form errors."""
    try:
        return operation(**kwargs)
    except ValidationError as error:
        form.add_error(None, error if hasattr(error, "error_dict") else error.messages)
    except DomainError as error:
        form.add_error(None, error.message)
    return None


def _form_page(request, template, form, status=200, **context):
    context = {"form": form, "can_maintain": can_maintain(request.user), **context}
    return render(request, template, context, status=400 if form.errors else status)


def _edit_named(request, model, form_class, code, *, create, update, id_argument, template, saved_message):
    """Create or edit a service area or a customer group: the form validates, the service records the change."""
    obj = get_object_or_404(model, code=code) if code else None
    form = form_class(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        if obj is None:
            saved = _run(form, create, by=request.user, **form.cleaned_data)
        else:
            saved = _run(form, update, by=request.user, **{id_argument: obj.pk}, **form.cleaned_data)
        if saved:
            messages.success(request, saved_message % {"name": saved.name})
            return saved, None
    return None, _form_page(request, template, form, obj=obj)


@maintainer_required
def area_edit(request, code=None):
    saved, page = _edit_named(request, ServiceArea, ServiceAreaForm, code, create=services.create_area,
                              update=services.update_area, id_argument="area_id", template="catalogue/area_form.html",
                              saved_message=_("Service area %(name)s saved."))
    return page or redirect(f"{reverse('catalogue:index')}?area={saved.code}")


@maintainer_required
def group_edit(request, code=None):
    saved, page = _edit_named(request, CustomerGroup, CustomerGroupForm, code, create=services.create_customer_group,
                              update=services.update_customer_group, id_argument="group_id",
                              template="catalogue/group_form.html", saved_message=_("Customer group %(name)s saved."))
    return page or redirect(f"{reverse('catalogue:index')}?customer_group={saved.code}")


@maintainer_required
def service_edit(request, code=None):
    service = get_object_or_404(Service, code=code) if code else None
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        if service is None:
            saved = _run(form, services.create_service, by=request.user, **form.cleaned_data)
        else:
            saved = _run(form, services.update_service, by=request.user, service_id=service.pk, **form.cleaned_data)
        if saved:
            messages.success(request, _("Service %(name)s saved.") % {"name": saved.name})
            return redirect(saved)
    return _form_page(request, "catalogue/service_form.html", form, service=service)


@maintainer_required
@require_POST
def service_retire(request, code):
    service = get_object_or_404(Service, code=code)
    operation = services.reinstate_service if request.POST.get("reinstate") else services.retire_service
    try:
        operation(by=request.user, service_id=service.pk)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(service)
    messages.success(request, _("Saved."))
    return redirect(service)


@login_required
@require_GET
def task_list(request):
    filterset = UnitTaskFilter(
        request.GET,
        queryset=UnitTask.objects.select_related("unit").prefetch_related(
            Prefetch("services", queryset=Service.objects.only("code", "name_fi", "name_sv", "name_en", "retired_at"))
        ).order_by("unit__name_fi", "name"),
    )
    context = {"filter": filterset, "page": _page(request, filterset.qs), "can_maintain": can_maintain(request.user)}
    if request.htmx:
        return _htmx_aware(render(request, "catalogue/task_list.html#rows", context))
    return _htmx_aware(render(request, "catalogue/task_list.html", context))


@maintainer_required
def task_edit(request, code=None):
    task = get_object_or_404(UnitTask, code=code) if code else None
    initial = {}
    if task is None and request.GET.get("unit"):
        initial["unit"] = Unit.objects.filter(code=request.GET["unit"]).first()
    form = UnitTaskForm(request.POST or None, instance=task, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if task is None:
            saved = _run(form, services.create_unit_task, by=request.user, **data)
        else:
            saved = _run(form, services.update_unit_task, by=request.user, task_id=task.pk, **data)
        if saved:
            messages.success(request, _("Task %(name)s saved.") % {"name": saved.name})
            return redirect(f"{reverse('catalogue:tasks')}?unit={saved.unit.code}")
    current = task.services.all() if task else Service.objects.none()
    if form.is_bound:
        current = Service.objects.filter(pk__in=[s for s in request.POST.getlist("services") if s.isdigit()])
    return _form_page(request, "catalogue/task_form.html", form, task=task, current_services=current)


@maintainer_required
@require_POST
def task_remove(request, code):
    task = get_object_or_404(UnitTask.objects.select_related("unit"), code=code)
    unit_code = task.unit.code
    try:
        services.remove_unit_task(by=request.user, task_id=task.pk)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Task %(name)s removed.") % {"name": task.name})
    return redirect(f"{reverse('catalogue:tasks')}?unit={unit_code}")


# --- import and export --------------------------------------------------------------------------------

MAX_UPLOAD = 50 * 1024 * 1024


@maintainer_required
def import_page(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 400 if form.is_bound and not form.is_valid() else 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", _("The file is larger than 50 MB."))
            status = 400
        else:
            report = importing.import_file(upload.read(), filename=upload.name, by=request.user,
                                           dry_run=not form.cleaned_data["apply"])
            status = 200 if report.ok else 400
    return render(request, "catalogue/import.html", {"form": form, "report": report, "can_maintain": True},
                  status=status)


@login_required
@require_GET
def export(request):
    kind = request.GET.get("format", "json")
    if kind not in ("json", "csv"):
        return HttpResponse(_("Choose json or csv."), status=400, content_type="text/plain; charset=utf-8")
    body = exporting.export_json() if kind == "json" else exporting.export_csv()
    content_type = "application/ld+json; charset=utf-8" if kind == "json" else "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="catalogue.{kind}"'
    return response
