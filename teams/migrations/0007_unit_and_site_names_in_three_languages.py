"""Units' and sites' names in Finnish, Swedish and English, as teams' and services': the name written so far
becomes the Finnish one (required, and what readers fall back to)."""

from django.db import migrations, models

LANGUAGES = {"fi": "Finnish", "sv": "Swedish", "en": "English"}


def _name(language):
    return models.CharField(f"name ({LANGUAGES[language]})", max_length=150, blank=language != "fi")


class Migration(migrations.Migration):
    dependencies = [("teams", "0006_user_language")]

    operations = [
        *(operation for model in ("site", "unit") for operation in (
            migrations.RenameField(model, "name", "name_fi"),
            migrations.AlterField(model, "name_fi", _name("fi")),
            migrations.AddField(model, "name_sv", _name("sv")),
            migrations.AddField(model, "name_en", _name("en")),
            migrations.AlterModelOptions(model, {"ordering": ["name_fi"]}),
        )),
    ]
