import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

# PostgreSQL: the document function, the triggers that keep articles_searchentry in step with every
# write to articles_article (save, bulk_create, update, delete), and a GIN index without a pending
# list, so a search never scans unmerged entries.
DOCUMENT_FUNCTION = """
CREATE OR REPLACE FUNCTION articles_search_document(title text, summary text, body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, COALESCE(summary, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, COALESCE(body, '')), 'C')
$$
"""
TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION articles_searchentry_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM articles_searchentry WHERE article_id = OLD.id;
        RETURN NULL;
    END IF;
    INSERT INTO articles_searchentry (article_id, status, publish_at, document)
    VALUES (NEW.id, NEW.status, NEW.publish_at, articles_search_document(NEW.title, NEW.summary, NEW.body))
    ON CONFLICT (article_id) DO UPDATE
        SET status = EXCLUDED.status, publish_at = EXCLUDED.publish_at, document = EXCLUDED.document
        WHERE (articles_searchentry.status, articles_searchentry.publish_at, articles_searchentry.document)
            IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.publish_at, EXCLUDED.document);
    RETURN NULL;
END
$$
"""
POSTGRES_FORWARD = [
    # Documents go out of line and uncompressed: the table stays a few pages, ranking skips decompression.
    "ALTER TABLE articles_searchentry SET (toast_tuple_target = 128)",
    "ALTER TABLE articles_searchentry ALTER COLUMN document SET STORAGE EXTERNAL",
    DOCUMENT_FUNCTION,
    TRIGGER_FUNCTION,
    "CREATE TRIGGER articles_searchentry_write AFTER INSERT OR UPDATE OF title, summary, body, status, publish_at "
    "ON articles_article FOR EACH ROW EXECUTE FUNCTION articles_searchentry_follow()",
    "CREATE TRIGGER articles_searchentry_delete AFTER DELETE ON articles_article "
    "FOR EACH ROW EXECUTE FUNCTION articles_searchentry_follow()",
    "INSERT INTO articles_searchentry (article_id, status, publish_at, document) "
    "SELECT id, status, publish_at, articles_search_document(title, summary, body) FROM articles_article",
    "CREATE INDEX article_search_entry_gin ON articles_searchentry USING gin (document) WITH (fastupdate = off)",
    "DROP INDEX IF EXISTS article_search_document_gin",
    "UPDATE articles_article SET search_document = NULL WHERE search_document IS NOT NULL",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS articles_searchentry_write ON articles_article",
    "DROP TRIGGER IF EXISTS articles_searchentry_delete ON articles_article",
    "DROP FUNCTION IF EXISTS articles_searchentry_follow()",
    "UPDATE articles_article SET search_document = articles_search_document(title, summary, body)",
    "DROP FUNCTION IF EXISTS articles_search_document(text, text, text)",
    "CREATE INDEX IF NOT EXISTS article_search_document_gin ON articles_article USING gin (search_document)",
]
# SQLite: what search filters and sorts candidates by, readable without the article's long row.
# articles/sqlite_search.py puts it back after a table rebuild.
SQLITE_FILTER_INDEX = (
    "CREATE INDEX IF NOT EXISTS article_search_filter_idx ON articles_article (id, status, publish_at)"
)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRES_FORWARD:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FILTER_INDEX)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRES_BACKWARD:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS article_search_filter_idx")


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_article_search_index")]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        editable=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("status", models.CharField(editable=False, max_length=10)),
                ("publish_at", models.DateTimeField(editable=False)),
                ("document", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
            ],
            options={"verbose_name_plural": "search entries"},
        ),
        migrations.RunPython(forward, backward),
    ]
