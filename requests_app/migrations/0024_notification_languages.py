"""A notification's title and text in Finnish, Swedish and English: what was stored so far becomes the
Finnish text, which readers fall back to."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0023_merge_proposals")]

    operations = [
        migrations.RenameField("notification", "title", "title_fi"),
        migrations.RenameField("notification", "text", "text_fi"),
        *(migrations.AddField("notification", f"title_{language}",
                              models.CharField(max_length=200, blank=True, default="", db_default=""))
          for language in ("sv", "en")),
        *(migrations.AddField("notification", f"text_{language}", models.TextField(blank=True, default="", db_default=""))
          for language in ("sv", "en")),
    ]
