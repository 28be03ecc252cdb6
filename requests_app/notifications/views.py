"""In-app notifications: the bell (polled by htmx), the list, and marking them read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from ..models import Notification
from . import services
from .filters import NotificationFilter


@login_required
def bell(request):
    return render(request, "requests_app/commitments/_bell.html", {
        "unread": Notification.objects.filter(recipient=request.user, read_at__isnull=True).count(),
    })


@login_required
@vary_on_headers("HX-Request")
def notifications(request):
    mine = Notification.objects.filter(recipient=request.user).select_related("request").only(
        *Notification.WORDING, "created_at", "read_at", "request__reference")
    filterset = NotificationFilter(request.GET or None, queryset=mine)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    template = "requests_app/commitments/notifications.html"
    if request.htmx:
        template += "#notification-list"
    return render(request, template, {"filter": filterset, "page": page})


@login_required
@require_POST
def mark_read(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_notifications_read(by=request.user, notification_ids=[notification.pk])
    if request.htmx:
        notification.refresh_from_db()
        response = render(request, "requests_app/commitments/notifications.html#notification-row",
                          {"notification": notification})
        response["HX-Trigger"] = "notificationsChanged"
        return response
    return redirect("commitments:notifications")


@login_required
def open_notification(request, pk):
    """A notice's link (on the list and in its mail): read now, and on to its request."""
    notification = get_object_or_404(Notification.objects.select_related("request").only("request__reference"),
                                     pk=pk, recipient=request.user)
    services.mark_notifications_read(by=request.user, notification_ids=[notification.pk])
    return redirect("requests:detail", reference=notification.request.reference)


@login_required
@require_POST
def mark_all_read(request):
    services.mark_notifications_read(by=request.user)
    return redirect("commitments:notifications")
