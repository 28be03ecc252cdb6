from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("services/<str:code>/", views.service, name="service"),
    path("promises/", views.promises, name="promises"),
    path("status/lost/", views.lost_link, name="lost_link"),
    path("status/<str:token>/", views.status, name="status"),
    path("status/<str:token>/messages/", views.status_message, name="status_message"),
    path("status/<str:token>/files/<int:file_id>/", views.status_file, name="status_file"),
]
