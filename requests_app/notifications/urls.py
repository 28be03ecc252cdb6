from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/bell/", views.bell, name="bell"),
    path("notifications/<int:pk>/", views.open_notification, name="open"),
    path("notifications/<int:pk>/read/", views.mark_read, name="read"),
    path("notifications/read-all/", views.mark_all_read, name="read_all"),
]
