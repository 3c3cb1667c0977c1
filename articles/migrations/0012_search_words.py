from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

# PostgreSQL: the words of an article (lower case, unstemmed, letters only), and triggers that count
# in how many published articles each word appears, on every write to articles_article. A GIN
# trigram index finds the words that look like a misspelt one.
WORDS_FUNCTION = """
CREATE OR REPLACE FUNCTION articles_search_words(title text, summary text, body text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT COALESCE(array_agg(word ORDER BY word), '{}') FROM unnest(tsvector_to_array(to_tsvector(
        'simple'::regconfig, COALESCE(title, '') || ' ' || COALESCE(summary, '') || ' ' || COALESCE(body, '')
    ))) AS word
    WHERE word ~ '^[[:alpha:]]{3,40}$'
$$
"""
TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION articles_searchword_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_words text[];
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'published' THEN
        old_words := articles_search_words(OLD.title, OLD.summary, OLD.body);
        UPDATE articles_searchword SET articles = articles - 1 WHERE word = ANY(old_words);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'published' THEN
        INSERT INTO articles_searchword (word, articles)
        SELECT word, 1 FROM unnest(articles_search_words(NEW.title, NEW.summary, NEW.body)) AS word
        ON CONFLICT (word) DO UPDATE SET articles = articles_searchword.articles + 1;
    END IF;
    IF old_words IS NOT NULL THEN
        DELETE FROM articles_searchword WHERE articles <= 0 AND word = ANY(old_words);
    END IF;
    RETURN NULL;
END
$$
"""
POSTGRES_FORWARD = [
    WORDS_FUNCTION,
    TRIGGER_FUNCTION,
    "CREATE TRIGGER articles_searchword_insert AFTER INSERT ON articles_article FOR EACH ROW "
    "WHEN (NEW.status = 'published') EXECUTE FUNCTION articles_searchword_follow()",
    "CREATE TRIGGER articles_searchword_update AFTER UPDATE OF title, summary, body, status ON articles_article "
    "FOR EACH ROW WHEN ((OLD.status = 'published' OR NEW.status = 'published') AND "
    "(OLD.title, OLD.summary, OLD.body, OLD.status) IS DISTINCT FROM (NEW.title, NEW.summary, NEW.body, NEW.status)) "
    "EXECUTE FUNCTION articles_searchword_follow()",
    "CREATE TRIGGER articles_searchword_delete AFTER DELETE ON articles_article FOR EACH ROW "
    "WHEN (OLD.status = 'published') EXECUTE FUNCTION articles_searchword_follow()",
    "INSERT INTO articles_searchword (word, articles) SELECT word, COUNT(*) FROM articles_article, "
    "unnest(articles_search_words(title, summary, body)) AS word WHERE status = 'published' GROUP BY word",
    "CREATE INDEX article_search_word_trgm ON articles_searchword USING gin (word gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS articles_searchword_insert ON articles_article",
    "DROP TRIGGER IF EXISTS articles_searchword_update ON articles_article",
    "DROP TRIGGER IF EXISTS articles_searchword_delete ON articles_article",
    "DROP FUNCTION IF EXISTS articles_searchword_follow()",
    "DROP FUNCTION IF EXISTS articles_search_words(text, text, text)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_BACKWARD:
            schema_editor.execute(statement)


class PostgresTrigramExtension(TrigramExtension):
    """pg_trgm on PostgreSQL; nothing on other databases, both ways (Django's own operation skips
    other databases going forwards only)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_images_beside_review")]

    operations = [
        PostgresTrigramExtension(),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("word", models.CharField(editable=False, max_length=40, primary_key=True, serialize=False)),
                ("articles", models.PositiveIntegerField(editable=False)),
            ],
        ),
        migrations.RunPython(forward, backward),
    ]
