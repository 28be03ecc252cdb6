from django.urls import path

from . import views

urlpatterns = [
    path("mail/to-sort/", views.mail_to_sort, name="mail_to_sort"),
    path("mail/to-sort/<int:pk>/", views.sort_one, name="sort_mail"),
    path("mail/<int:pk>/accept/", views.accept_mail, name="accept_mail"),
    path("mail/<int:pk>/dismiss/", views.dismiss_mail, name="dismiss_mail"),
    path("mail/set-aside/", views.set_aside, name="mail_set_aside"),
    path("requests/<str:reference>/messages/<int:message_id>/attachments/<int:number>/", views.attachment,
         name="attachment"),
]
