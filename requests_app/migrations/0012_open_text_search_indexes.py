"""Free-text search of the queue at a million requests.

Trigram indexes over open requests only: the queue searches open requests by default, and the whole-table
indexes matched a common surname in 30,000 rows of a million (25 ms) to keep the few hundred still open.

Finer statistics on the searched expressions: with the default sample the planner guessed a word found in
one subject of 27 to be ten times rarer, read all 7,000 matches through the trigram index and sorted them
(35-90 ms) instead of walking the team's newest requests until fifty matched (4 ms). With a thousand
histogram bins it tells a common word from a rare one and takes the right path for each.
"""

from django.db import migrations

OPEN_INDEXES = {
    "request_open_subject_trgm": "subject",
    "request_open_customer_name_trgm": "customer_name",
}
WHOLE_TABLE_INDEXES = ("request_subject_trgm", "request_customer_name_trgm")
SEARCHED = (*WHOLE_TABLE_INDEXES, *OPEN_INDEXES)
STATISTICS = 1000


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in OPEN_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON requests_app_servicerequest "
                              f"USING gin (upper({column}) gin_trgm_ops) WHERE NOT (status = 'resolved')")
    for name in SEARCHED:
        schema_editor.execute(f"ALTER INDEX {name} ALTER COLUMN 1 SET STATISTICS {STATISTICS}")
    schema_editor.execute("ANALYZE requests_app_servicerequest")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in WHOLE_TABLE_INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} ALTER COLUMN 1 SET STATISTICS -1")
    for name in OPEN_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    # ANALYZE in the transaction that set the statistics target still sampled with the old one.
    atomic = False

    dependencies = [
        ("requests_app", "0011_request_customer_name"),
    ]

    operations = [migrations.RunPython(create, drop)]
