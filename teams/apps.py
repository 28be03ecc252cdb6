from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _


def remember_the_sign_in_language(sender, request, user, **kwargs):
    from .services import remember_language

    remember_language(user, getattr(request, "LANGUAGE_CODE", ""))


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("Organisation and teams")

    def ready(self):
        user_logged_in.connect(remember_the_sign_in_language, dispatch_uid="teams-sign-in-language")
