from django.apps import AppConfig
from django.urls import reverse


def thread_pages(article_slugs):
    """The pages that show an article's comments: the article and its pages of earlier comments."""
    for slug in dict.fromkeys(article_slugs):
        if slug:
            yield reverse("articles:detail", kwargs={"slug": slug})
            yield reverse("comments:earlier", kwargs={"slug": slug})


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self):
        import pagecache
        from articles.models import Article
        from comments.held import HELD_COOKIE
        from comments.models import Comment
        from comments.reports import reports_purge_report
        from comments.threads import thread_tag
        from submissions.privacy import register_address_hash_purge

        # A comment shows on its article's pages while it is approved: a change into or out of that
        # state drops those pages and the article's kept threads, and no list (none shows comment
        # counts).
        approved = Comment.Status.APPROVED
        pagecache.invalidate_on_change(
            Comment,
            fields=["status"],
            when=lambda comment, previous: approved in (comment.status, previous.get("status")),
            pages=lambda comment, previous: [*thread_pages([comment.article.slug]), thread_tag(comment.article_id)],
        )
        # The pages of earlier comments repeat the article's title and address.
        pagecache.invalidate_on_change(
            Article, fields=["slug"], pages=lambda article, previous: thread_pages([article.slug, previous.get("slug")])
        )
        # A reply form, and a reader's own comments awaiting moderation, are one reader's: those
        # pages are rendered for them alone.
        pagecache.bypass(parameters=["reply_to"], cookies=[HELD_COOKIE.name])
        # Who reported a comment is known only by an address hash, purged with the others.
        register_address_hash_purge(reports_purge_report)
