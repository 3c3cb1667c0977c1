"""Helpers for backup tests: every model's rows, to compare two databases, and another database as the default."""

import contextlib

from django.apps import apps
from django.db import connections
from django.db.utils import load_backend


def every_model():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if not model._meta.proxy and model._meta.managed and not model._meta.swapped
    ]


def rows(model, using):
    columns = [field.attname for field in model._meta.concrete_fields]
    return list(model._base_manager.using(using).order_by("pk").values_list(*columns))


@contextlib.contextmanager
def as_default(settings_dict):
    """Make another database this thread's default connection for the block: the site's code (views,
    commands, `Model.objects`) then reads and writes it unchanged."""
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper({**settings_dict}, "default")
    original = connections["default"]
    connections["default"] = wrapper
    try:
        yield wrapper
    finally:
        connections["default"] = original
        wrapper.close()


def holds_rows(model, connection, **lookups):
    """Whether the target holds rows of the model (matching `lookups`). A failed restore leaves the tables its
    migrations made on SQLite, and none on PostgreSQL, where the migrations are rolled back with the rows."""
    if model._meta.db_table not in connection.introspection.table_names():
        return False
    return model._base_manager.using(connection.alias).filter(**lookups).exists()
