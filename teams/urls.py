from django.urls import path

from . import views

app_name = "teams"

urlpatterns = [
    path("", views.team_list, name="list"),
    path("units/", views.unit_tree, name="units"),
    path("<slug:slug>/", views.team_page, name="detail"),
    path("<slug:slug>/charter/", views.charter, name="charter"),
    path("<slug:slug>/members/add/", views.add_member, name="add_member"),
    path("<slug:slug>/members/<int:user_id>/role/", views.change_role, name="change_role"),
    path("<slug:slug>/members/<int:user_id>/remove/", views.remove_member, name="remove_member"),
]
