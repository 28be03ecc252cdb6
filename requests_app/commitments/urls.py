from django.urls import path

from . import views

urlpatterns = [
    path("teams/<slug:slug>/", views.team_commitments, name="team"),
    path("teams/<slug:slug>/new/", views.commitment_form, name="new"),
    path("teams/<slug:slug>/<int:pk>/edit/", views.commitment_form, name="edit"),
    path("teams/<slug:slug>/<int:pk>/delete/", views.commitment_delete, name="delete"),
    path("teams/<slug:slug>/breaches/", views.breaches, name="breaches"),
    path("teams/<slug:slug>/breaches/<str:reference>/review/", views.breach_review, name="review"),
]
