from django.urls import path

from . import views

urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("my/work/", views.my_work, name="my_work"),
    path("my/intakes/", views.my_intakes, name="my_intakes"),
    path("requests/<str:reference>/claim/", views.claim, name="claim"),
]
