from django.urls import path

from . import views

urlpatterns = [
    path("requests/new/", views.new_request, name="new"),
    path("requests/new/customers/", views.customer_matches, name="intake_customers"),
    path("requests/<str:reference>/logged/", views.created, name="created"),
    path("requests/<str:reference>/contact/", views.record_contact, name="contact"),
]
