from django.urls import path

from . import views

urlpatterns = [
    path("requests/<str:reference>/", views.detail, name="detail"),
    path("requests/<str:reference>/reply/", views.reply, name="reply"),
    path("requests/<str:reference>/answer/", views.answer, name="answer"),
    path("requests/<str:reference>/note/", views.add_note, name="note"),
    path("requests/<str:reference>/resolve/", views.resolve, name="resolve"),
    path("requests/<str:reference>/reopen/", views.reopen, name="reopen"),
    path("requests/<str:reference>/release/", views.unclaim, name="unclaim"),
    path("requests/<str:reference>/assign/", views.assign, name="assign"),
    path("requests/<str:reference>/hand-off/", views.hand_off, name="hand_off"),
    path("requests/<str:reference>/wait/", views.wait_for_customer, name="wait"),
    path("requests/<str:reference>/resume/", views.resume, name="resume"),
    path("requests/<str:reference>/called-back/", views.called_back, name="called_back"),
    path("requests/<str:reference>/reply-address/", views.confirm_reply_address, name="confirm_reply_address"),
    path("requests/<str:reference>/replies/<int:message_id>/send/", views.send_again, name="send_again"),
    path("requests/<str:reference>/status-links/revoke/", views.revoke_links, name="revoke_links"),
    path("requests/<str:reference>/files/", views.add_files, name="add_files"),
    path("requests/<str:reference>/files/<int:file_id>/", views.attachment_file, name="file"),
]
