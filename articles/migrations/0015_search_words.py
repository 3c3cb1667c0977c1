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
# Statement-level triggers with transition tables: a bulk write (100,000 articles in batches) adds
# each word's count once per statement instead of once per article. Counts that fall to zero are
# dropped; lookups read only words still in use. Rows whose text and status did not change (an update
# of another column) cost a join of the updated rows and nothing more.
TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION articles_searchword_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO articles_searchword (word, articles)
        SELECT word, COUNT(*) FROM new_rows, unnest(articles_search_words(title, summary, body)) AS word
        WHERE status = 'published' GROUP BY word ORDER BY word
        ON CONFLICT (word) DO UPDATE SET articles = articles_searchword.articles + EXCLUDED.articles;
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        PERFORM 1 FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
        WHERE (o.title, o.summary, o.body, o.status) IS DISTINCT FROM (n.title, n.summary, n.body, n.status)
        LIMIT 1;
        IF NOT FOUND THEN
            RETURN NULL;
        END IF;
        WITH changed AS (
            SELECT o.title AS old_title, o.summary AS old_summary, o.body AS old_body, o.status AS old_status,
                n.title, n.summary, n.body, n.status
            FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
            WHERE (o.title, o.summary, o.body, o.status) IS DISTINCT FROM (n.title, n.summary, n.body, n.status)
        ), delta AS (
            SELECT word, -1 AS change FROM changed, unnest(articles_search_words(old_title, old_summary, old_body))
                AS word WHERE old_status = 'published'
            UNION ALL
            SELECT word, 1 FROM changed, unnest(articles_search_words(title, summary, body)) AS word
            WHERE status = 'published'
        ), summed AS (
            SELECT word, SUM(change) AS change FROM delta GROUP BY word HAVING SUM(change) <> 0
        ), lowered AS (
            UPDATE articles_searchword AS known SET articles = known.articles + summed.change
            FROM summed WHERE known.word = summed.word AND summed.change < 0
        )
        INSERT INTO articles_searchword (word, articles)
        SELECT word, change FROM summed WHERE change > 0 ORDER BY word
        ON CONFLICT (word) DO UPDATE SET articles = articles_searchword.articles + EXCLUDED.articles;
    ELSE
        UPDATE articles_searchword AS known SET articles = known.articles - gone.articles
        FROM (
            SELECT word, COUNT(*) AS articles FROM old_rows, unnest(articles_search_words(title, summary, body))
                AS word WHERE status = 'published' GROUP BY word
        ) AS gone
        WHERE known.word = gone.word;
    END IF;
    DELETE FROM articles_searchword WHERE articles <= 0;
    RETURN NULL;
END
$$
"""
POSTGRES_FORWARD = [
    WORDS_FUNCTION,
    TRIGGER_FUNCTION,
    "CREATE TRIGGER articles_searchword_insert AFTER INSERT ON articles_article REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION articles_searchword_follow()",
    "CREATE TRIGGER articles_searchword_update AFTER UPDATE ON articles_article "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION articles_searchword_follow()",
    "CREATE TRIGGER articles_searchword_delete AFTER DELETE ON articles_article REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION articles_searchword_follow()",
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
    dependencies = [("articles", "0014_article_revised_at")]

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
