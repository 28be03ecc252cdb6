from django.urls import path

from . import views

app_name = "catalogue"

urlpatterns = [
    path("", views.index, name="index"),
    path("picker/", views.picker, name="picker"),
    path("coverage/", views.coverage, name="coverage"),
    path("services/new/", views.service_edit, name="service_new"),
    path("services/<slug:code>/", views.service_detail, name="service"),
    path("services/<slug:code>/edit/", views.service_edit, name="service_edit"),
    path("services/<slug:code>/retire/", views.service_retire, name="service_retire"),
    path("areas/new/", views.area_edit, name="area_new"),
    path("areas/<slug:code>/edit/", views.area_edit, name="area_edit"),
    path("customer-groups/new/", views.group_edit, name="group_new"),
    path("customer-groups/<slug:code>/edit/", views.group_edit, name="group_edit"),
    path("import/", views.import_page, name="import"),
    path("export/", views.export, name="export"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/new/", views.task_edit, name="task_new"),
    path("tasks/<slug:code>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<slug:code>/remove/", views.task_remove, name="task_remove"),
]
