from django.db import migrations

INDEX = "article_search_document_gin"


def create_search_index(apps, schema_editor):
    """A GIN index over the stored search document, and the documents of existing rows.

    PostgreSQL only: SQLite has no full-text engine here and searches with a plain match.
    """
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON articles_article USING gin (search_document)")
    schema_editor.execute(
        "UPDATE articles_article SET search_document = "
        "setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A') || "
        "setweight(to_tsvector('english'::regconfig, COALESCE(summary, '')), 'B') || "
        "setweight(to_tsvector('english'::regconfig, COALESCE(body, '')), 'C')"
    )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_article_search_document")]

    operations = [migrations.RunPython(create_search_index, drop_search_index)]
