"""Dropping stored pages when public content changes, on every instance at once.

Apps register what changes their pages in `AppConfig.ready()`; the cache knows no model. A
registration names the pages a change affects (`pages=`): paths (`"/articles/knees/"`, with every
keyed query of it: `?page=2`, `?before=40`), views by URL name (`"view:articles:home"`) and tags a
view recorded with `tag()`. Those tags' versions are bumped, now and again once the change is
committed (a page rendered from the old rows in between is dropped too), and other pages stay.
A registration without `pages` drops every page (the `SITE` tag), as settings shown on
every page need; `PAGE_CACHE_WHOLE_SITE` makes every change do that (the benchmark's baseline).
"""

import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from pagecache import schedule
from pagecache.policy import path_tag
from pagecache.storage import local_copies
from pagecache.versions import SITE, bump

logger = logging.getLogger(__name__)


def page_tags(pages):
    """The tags for `pages`: a path becomes its path tag, anything else is a tag already."""
    return [path_tag(page) if page.startswith("/") else page for page in pages if page]


def invalidate(pages=None):
    """Forget stored pages on every instance sharing the cache: those `pages` names, or all."""
    if pages is None or getattr(settings, "PAGE_CACHE_WHOLE_SITE", False):
        local_copies.clear()  # none of them can be served again
        bump([SITE])
    else:
        bump(page_tags(pages))
    schedule.forget()


def invalidate_after_commit(pages=None):
    """For changes made with `update()`, which sends no signal."""
    pages = None if pages is None else list(pages)
    transaction.on_commit(lambda: invalidate(pages))


def _invalidate_now_and_after_commit(pages):
    invalidate(pages)
    transaction.on_commit(lambda: invalidate(pages))


@dataclass(frozen=True)
class _Registration:
    when: object
    fields: tuple
    pages: object

    def affected(self, instance, previous):
        """The pages this change drops: a list (maybe empty), None for every page, or False when
        the change does not concern public pages at all."""
        if self.when is not None and not self.when(instance, previous):
            return False
        if self.pages is None:
            return None
        try:
            return list(self.pages(instance, previous))
        except Exception:  # noqa: BLE001 - a row that cannot be read back: drop everything rather than guess
            logger.warning("Page cache: cannot tell which pages %r shows; dropping every page", instance)
            return None


_registrations = defaultdict(list)


def _affected_pages(model, instance, previous):
    """The union of what every registration of `model` drops, or False when none applies."""
    pages, applies = [], False
    for registration in _registrations[model]:
        affected = registration.affected(instance, previous)
        if affected is False:
            continue
        if affected is None:
            return None
        applies = True
        pages += affected
    return pages if applies else False


def invalidate_on_change(model, *, when=None, fields=(), pages=None):
    """Each save or delete of `model` drops the stored pages that show it.

    With `when(instance, previous)`, only when it returns True; `previous` holds the saved values
    of `fields` before this save ({} for a new row or a delete), read with one query per save of
    this model only. `pages(instance, previous)` lists the paths, `"view:<url name>"`s and tags
    whose pages the change drops (an empty list drops none, yet still lets a scheduled change be
    seen on time); without it every page is dropped. A model may be registered more than once
    (by the app that owns it and by an app that shows it); each registration adds its pages.
    """
    first = not _registrations[model]
    _registrations[model].append(_Registration(when, tuple(fields), pages))
    if not first:
        return
    uid = f"pagecache:{model._meta.label}"

    def remember(sender, instance, **kwargs):
        fields = sorted({field for registration in _registrations[sender] for field in registration.fields})
        previous = {}
        if fields and instance.pk is not None:
            previous = sender._base_manager.filter(pk=instance.pk).values(*fields).first() or {}
        instance._page_cache_previous = previous

    def changed(sender, instance, **kwargs):
        affected = _affected_pages(sender, instance, getattr(instance, "_page_cache_previous", {}))
        if affected is not False:
            _invalidate_now_and_after_commit(affected)

    def deleted(sender, instance, **kwargs):
        affected = _affected_pages(sender, instance, {})
        if affected is not False:
            _invalidate_now_and_after_commit(affected)

    pre_save.connect(remember, sender=model, weak=False, dispatch_uid=f"{uid}:pre_save")
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:post_save")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"{uid}:post_delete")
