"""A team's name, description and charter in Finnish, Swedish and English, like services: what was written
so far becomes the Finnish text (Finnish is required, and what readers fall back to)."""

from django.db import migrations, models

TEXTS = {
    "name": "name", "description": "description", "charter_roles": "roles", "charter_rules": "rules",
    "charter_decisions": "what a member may decide alone",
}
LANGUAGES = {"fi": "Finnish", "sv": "Swedish", "en": "English"}


def _field(base, language):
    verbose = f"{TEXTS[base]} ({LANGUAGES[language]})"
    if base == "name":
        return models.CharField(verbose, max_length=150, blank=language != "fi")
    return models.TextField(verbose, blank=True)


class Migration(migrations.Migration):
    dependencies = [("teams", "0004_api_tokens")]

    operations = [
        *(migrations.RenameField("team", base, f"{base}_fi") for base in TEXTS),
        *(migrations.AlterField("team", f"{base}_fi", _field(base, "fi")) for base in TEXTS),
        *(migrations.AddField("team", f"{base}_{language}", _field(base, language))
          for base in TEXTS for language in ("sv", "en")),
        migrations.AlterModelOptions("team", {"ordering": ["name_fi"]}),
    ]
