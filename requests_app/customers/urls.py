from django.urls import path

from . import views

urlpatterns = [
    path("customers/", views.customers, name="customers"),
    path("customers/<int:pk>/", views.customer_page, name="customer"),
    path("customers/<int:pk>/merge/", views.merge_customer, name="merge_customer"),
    path("customers/<int:pk>/unmerge/", views.unmerge_customer, name="unmerge_customer"),
    path("customers/merges/<int:proposal_id>/approve/", views.approve_merge, name="approve_merge"),
    path("customers/<int:pk>/export/", views.customer_export, name="customer_export"),
    path("customers/<int:pk>/erase/", views.customer_erase, name="customer_erase"),
]
