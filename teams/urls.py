from django.urls import path

from . import views

app_name = "teams"

urlpatterns = [
    path("", views.team_list, name="list"),
    path("<slug:slug>/", views.team_page, name="detail"),
]
