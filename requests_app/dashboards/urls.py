from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="org"),
    path("<str:kind>/<str:key>/", views.dashboard, name="scope"),
]
