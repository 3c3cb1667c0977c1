"""Dropping stored pages when public content changes, on every instance at once.

Apps register what changes their pages in `AppConfig.ready()`; the cache knows no model. Every
key carries one generation counter in the shared cache: a registered change bumps it, now and
again once the change is committed (a page rendered from the old rows in between is dropped too).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from pagecache import store


def invalidate():
    """Forget every stored page, on every instance sharing the cache."""
    store.bump_generation()


def invalidate_after_commit():
    """For changes made with `update()`, which sends no signal."""
    transaction.on_commit(invalidate)


def _invalidate_now_and_after_commit():
    invalidate()
    transaction.on_commit(invalidate)


def invalidate_on_change(model, *, when=None, fields=()):
    """Each save or delete of `model` drops the stored pages.

    With `when(instance, previous)`, only when it returns True; `previous` holds the saved values
    of `fields` before this save ({} for a new row or a delete), read with one query per save of
    this model only.
    """
    uid = f"pagecache:{model._meta.label}"

    def remember(sender, instance, **kwargs):
        previous = {}
        if fields and instance.pk is not None:
            previous = sender._base_manager.filter(pk=instance.pk).values(*fields).first() or {}
        instance._page_cache_previous = previous

    def changed(sender, instance, **kwargs):
        previous = getattr(instance, "_page_cache_previous", {})
        if when is None or when(instance, previous):
            _invalidate_now_and_after_commit()

    def deleted(sender, instance, **kwargs):
        if when is None or when(instance, {}):
            _invalidate_now_and_after_commit()

    if fields:
        pre_save.connect(remember, sender=model, weak=False, dispatch_uid=f"{uid}:pre_save")
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:post_save")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"{uid}:post_delete")
