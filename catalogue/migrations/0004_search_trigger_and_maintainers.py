"""PostgreSQL search machinery for services, and the catalogue maintainers' group.

The extensions, the trigger and the indexes exist only on PostgreSQL; on SQLite the search falls back
to matching in Python (catalogue/search.py), so those steps do nothing there.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

MAINTAINERS = "Catalogue maintainers"

CREATE_SQL = """
CREATE OR REPLACE FUNCTION catalogue_service_search_refresh() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('pg_catalog.finnish', coalesce(NEW.name_fi, '')), 'A')
        || setweight(to_tsvector('pg_catalog.swedish', coalesce(NEW.name_sv, '')), 'A')
        || setweight(to_tsvector('pg_catalog.english', coalesce(NEW.name_en, '')), 'A')
        || setweight(to_tsvector('pg_catalog.simple', concat_ws(' ', NEW.name_fi, NEW.name_sv, NEW.name_en)), 'A')
        || setweight(to_tsvector('pg_catalog.finnish', coalesce(NEW.keywords, '')), 'B')
        || setweight(to_tsvector('pg_catalog.swedish', coalesce(NEW.keywords, '')), 'B')
        || setweight(to_tsvector('pg_catalog.english', coalesce(NEW.keywords, '')), 'B')
        || setweight(to_tsvector('pg_catalog.simple', coalesce(NEW.keywords, '')), 'B')
        || setweight(to_tsvector('pg_catalog.finnish', coalesce(NEW.description_fi, '')), 'C')
        || setweight(to_tsvector('pg_catalog.swedish', coalesce(NEW.description_sv, '')), 'C')
        || setweight(to_tsvector('pg_catalog.english', coalesce(NEW.description_en, '')), 'C');
    NEW.search_text := lower(unaccent(concat_ws(' ', NEW.name_fi, NEW.name_sv, NEW.name_en, NEW.keywords)));
    RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS catalogue_service_search ON catalogue_service;
CREATE TRIGGER catalogue_service_search
    BEFORE INSERT OR UPDATE OF name_fi, name_sv, name_en, keywords, description_fi, description_sv, description_en
    ON catalogue_service FOR EACH ROW EXECUTE FUNCTION catalogue_service_search_refresh();

CREATE INDEX IF NOT EXISTS catalogue_service_search_vector ON catalogue_service USING gin (search_vector);
CREATE INDEX IF NOT EXISTS catalogue_service_search_trgm ON catalogue_service USING gin (search_text gin_trgm_ops);

UPDATE catalogue_service SET name_fi = name_fi;
"""

DROP_SQL = """
DROP INDEX IF EXISTS catalogue_service_search_trgm;
DROP INDEX IF EXISTS catalogue_service_search_vector;
DROP TRIGGER IF EXISTS catalogue_service_search ON catalogue_service;
DROP FUNCTION IF EXISTS catalogue_service_search_refresh();
"""


def create_search(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_SQL)


def drop_search(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


def create_maintainers(apps, schema_editor):
    # Permissions are normally made after migrate; the group needs its permission now.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="catalogue", model="service")
    permission, _ = Permission.objects.get_or_create(
        codename="maintain_catalogue", content_type=content_type,
        defaults={"name": "Can maintain the service catalogue"},
    )
    group, _ = Group.objects.get_or_create(name=MAINTAINERS)
    group.permissions.add(permission)


def remove_maintainers(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=MAINTAINERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0003_search_fields_and_maintainer_permission"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.RunPython(create_search, drop_search),
        migrations.RunPython(create_maintainers, remove_maintainers),
    ]
