from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def forgive_a_typo_per_word(sender, connection, **kwargs):
    """Trigram candidates (`%>`) at the similarity the picker scores typos by, not pg_trgm's stricter 0.6:
    "nuohuos" is 0.5 from "nuohous"."""
    if connection.vendor == "postgresql":
        from .search import TYPO_SIMILARITY

        with connection.cursor() as cursor:
            cursor.execute(f"SET pg_trgm.word_similarity_threshold = {float(TYPO_SIMILARITY)}")


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Service catalogue")

    def ready(self):
        connection_created.connect(forgive_a_typo_per_word, dispatch_uid="catalogue-typo-threshold")
