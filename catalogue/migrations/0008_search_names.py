"""A second, small search vector for services: names and keywords alone, so the picker can find and rank
candidates without reading long descriptions; and a GiST trigram index to read the nearest spellings of a
word first (PostgreSQL only, as in 0004)."""

import importlib

import django.contrib.postgres.search
from django.db import migrations

CREATE_SQL = """
CREATE OR REPLACE FUNCTION catalogue_service_search_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_names :=
        setweight(to_tsvector('pg_catalog.finnish', coalesce(NEW.name_fi, '')), 'A')
        || setweight(to_tsvector('pg_catalog.swedish', coalesce(NEW.name_sv, '')), 'A')
        || setweight(to_tsvector('pg_catalog.english', coalesce(NEW.name_en, '')), 'A')
        || setweight(to_tsvector('pg_catalog.simple', concat_ws(' ', NEW.name_fi, NEW.name_sv, NEW.name_en)), 'A')
        || setweight(to_tsvector('pg_catalog.finnish', coalesce(NEW.keywords, '')), 'B')
        || setweight(to_tsvector('pg_catalog.swedish', coalesce(NEW.keywords, '')), 'B')
        || setweight(to_tsvector('pg_catalog.english', coalesce(NEW.keywords, '')), 'B')
        || setweight(to_tsvector('pg_catalog.simple', coalesce(NEW.keywords, '')), 'B');
    NEW.search_vector := NEW.search_names
        || setweight(to_tsvector('pg_catalog.finnish', coalesce(NEW.description_fi, '')), 'C')
        || setweight(to_tsvector('pg_catalog.swedish', coalesce(NEW.description_sv, '')), 'C')
        || setweight(to_tsvector('pg_catalog.english', coalesce(NEW.description_en, '')), 'C');
    NEW.search_text := lower(unaccent(concat_ws(' ', NEW.name_fi, NEW.name_sv, NEW.name_en, NEW.keywords)));
    RETURN NEW;
END
$$;

CREATE INDEX IF NOT EXISTS catalogue_service_search_names ON catalogue_service USING gin (search_names);
-- Nearest spellings first (ORDER BY ... <<-> LIMIT): GIN cannot order, GiST can; the GIN one has no use left.
CREATE INDEX IF NOT EXISTS catalogue_service_search_trgm_gist ON catalogue_service USING gist (search_text gist_trgm_ops);
DROP INDEX IF EXISTS catalogue_service_search_trgm;
UPDATE catalogue_service SET name_fi = name_fi;
"""

DROP_SQL = "DROP INDEX IF EXISTS catalogue_service_search_names; DROP INDEX IF EXISTS catalogue_service_search_trgm_gist;"
# Going back: the trigger as 0004 made it, which does not write the field about to be removed.
PREVIOUS_SQL = importlib.import_module("catalogue.migrations.0004_search_trigger_and_maintainers").CREATE_SQL


def create_search(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL)


def drop_search(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)
        schema_editor.execute(PREVIOUS_SQL)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0007_description_limit")]

    operations = [
        migrations.AddField(
            model_name="service",
            name="search_names",
            field=django.contrib.postgres.search.SearchVectorField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(create_search, drop_search),
    ]
