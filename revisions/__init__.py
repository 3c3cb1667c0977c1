"""Every saved version of a model's content, kept for history, comparison and revert.

A small model of our own rather than django-reversion: articles keep their LIVE content on the
article row (so public queries, feeds, the sitemap and the search index never change shape) and
hold unpublished changes as revisions that never touch that row. django-reversion records what a
save wrote to the row, which is the opposite of a draft that must not reach the row until it is
medically approved. Apps register the fields that make up their content in `AppConfig.ready()`;
this app knows nothing of articles or products.
"""

from revisions.content import Beside, apply_content, content_of, register, registered_fields, revision_create

__all__ = ["Beside", "apply_content", "content_of", "register", "registered_fields", "revision_create"]
