from django.apps import AppConfig


class TopicsConfig(AppConfig):
    name = "topics"
    verbose_name = "Topic suggestions"

    def ready(self):
        import pagecache
        from articles.models import Article
        from submissions.privacy import register_address_hash_purge
        from topics.models import TopicSuggestion
        from topics.votes import VOTE_COOKIE, votes_purge_report

        # The board shows planned and published suggestions: a change into or out of those drops it.
        shown = {TopicSuggestion.Status.PLANNED, TopicSuggestion.Status.PUBLISHED}
        board = ["view:topics:board"]
        pagecache.invalidate_on_change(
            TopicSuggestion,
            fields=["status"],
            when=lambda suggestion, previous: bool(shown & {suggestion.status, previous.get("status")}),
            pages=lambda suggestion, previous: board,
        )
        # The board marks the topics this browser asked for: a request carrying the vote cookie
        # (sent only to /topics/ pages) is rendered for its reader alone.
        pagecache.bypass(cookies=[VOTE_COOKIE.name])
        # Published topics link to the article that answers them.
        pagecache.invalidate_on_change(Article, pages=lambda article, previous: board)
        register_address_hash_purge(votes_purge_report)
