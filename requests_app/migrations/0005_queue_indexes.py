from django.db import migrations, models

# Free-text search in the queue and among customers matches inside words ("virt" finds Virtanen), which a
# B-tree cannot serve: trigram GIN indexes on the upper-cased text, the form Django's icontains compares.
# PostgreSQL only; the embedded desk on SQLite searches its few rows directly.
TRIGRAM_INDEXES = {
    "request_subject_trgm": "requests_app_servicerequest USING gin (upper(subject) gin_trgm_ops)",
    "customer_name_trgm": "requests_app_customer USING gin (upper(name) gin_trgm_ops)",
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, target in TRIGRAM_INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in TRIGRAM_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("catalogue", "0004_search_trigger_and_maintainers"),  # the pg_trgm extension
        ("requests_app", "0004_customer_merge_record"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="servicerequest",
            index=models.Index(condition=models.Q(("status", "resolved"), _negated=True), fields=["team", "created_at"],
                               name="request_open_created"),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
