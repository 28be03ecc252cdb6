"""Mounted by the project at /commitments/ (namespace "commitments")."""

from django.urls import path

from . import commitment_views, notification_views

app_name = "commitments"

urlpatterns = [
    path("teams/<slug:slug>/", commitment_views.team_commitments, name="team"),
    path("teams/<slug:slug>/new/", commitment_views.commitment_form, name="new"),
    path("teams/<slug:slug>/<int:pk>/edit/", commitment_views.commitment_form, name="edit"),
    path("teams/<slug:slug>/<int:pk>/delete/", commitment_views.commitment_delete, name="delete"),
    path("teams/<slug:slug>/breaches/", commitment_views.breaches, name="breaches"),
    path("teams/<slug:slug>/breaches/<str:reference>/review/", commitment_views.breach_review, name="review"),
    path("notifications/", notification_views.notifications, name="notifications"),
    path("notifications/bell/", notification_views.bell, name="bell"),
    path("notifications/<int:pk>/read/", notification_views.mark_read, name="read"),
    path("notifications/read-all/", notification_views.mark_all_read, name="read_all"),
]
