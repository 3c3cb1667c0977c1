from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Comments"

    def ready(self):
        import pagecache
        from comments.held import HELD_COOKIE
        from comments.models import Comment

        # A comment shows on public pages while it is approved: a change into or out of that state
        # drops the stored pages.
        approved = Comment.Status.APPROVED
        pagecache.invalidate_on_change(
            Comment,
            fields=["status"],
            when=lambda comment, previous: approved in (comment.status, previous.get("status")),
        )
        # A reply form, and a reader's own comments awaiting moderation, are one reader's: those
        # pages are rendered for them alone.
        pagecache.bypass(parameters=["reply_to"], cookies=[HELD_COOKIE])
