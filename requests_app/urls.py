from django.urls import path

from . import views

app_name = "requests"

urlpatterns = [
    path("requests/new/", views.new_request, name="new"),
    path("requests/<str:reference>/logged/", views.created, name="created"),
    path("queue/", views.queue, name="queue"),
    path("my/work/", views.my_work, name="my_work"),
    path("my/intakes/", views.my_intakes, name="my_intakes"),
    path("customers/", views.customers, name="customers"),
    path("customers/<int:pk>/", views.customer_page, name="customer"),
    path("customers/<int:pk>/merge/", views.merge_customer, name="merge_customer"),
    path("requests/<str:reference>/", views.detail, name="detail"),
    path("requests/<str:reference>/claim/", views.claim, name="claim"),
    path("requests/<str:reference>/reply/", views.reply, name="reply"),
    path("requests/<str:reference>/note/", views.add_note, name="note"),
    path("requests/<str:reference>/resolve/", views.resolve, name="resolve"),
    path("requests/<str:reference>/reopen/", views.reopen, name="reopen"),
    path("requests/<str:reference>/release/", views.unclaim, name="unclaim"),
    path("requests/<str:reference>/assign/", views.assign, name="assign"),
    path("requests/<str:reference>/hand-off/", views.hand_off, name="hand_off"),
    path("requests/<str:reference>/wait/", views.wait_for_customer, name="wait"),
    path("requests/<str:reference>/resume/", views.resume, name="resume"),
    path("requests/<str:reference>/called-back/", views.called_back, name="called_back"),
    path("requests/<str:reference>/replies/<int:message_id>/send/", views.send_again, name="send_again"),
]
