"""Trigram indexes over open requests only: the queue searches open requests by default, and the whole-table
indexes matched a common surname in 30,000 rows of a million (25 ms) to keep the few hundred still open."""

from django.db import migrations

INDEXES = {
    "request_open_subject_trgm": "subject",
    "request_open_customer_name_trgm": "customer_name",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, column in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON requests_app_servicerequest "
                                  f"USING gin (upper({column}) gin_trgm_ops) WHERE NOT (status = 'resolved')")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("requests_app", "0011_request_customer_name"),
    ]

    operations = [migrations.RunPython(create, drop)]
