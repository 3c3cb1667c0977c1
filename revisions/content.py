"""What a model's content is (its registered fields), as plain JSON, and how to put it back."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, models, transaction
from django.db.models import Max

_registry = {}
_beside = {}


@dataclass(frozen=True)
class Beside:
    """Content kept beside a model's own fields, such as the rows of a related model readers see
    with it: `read(obj)` gives it as plain JSON; with a `label`, comparisons show it as `text(value)`."""

    name: str
    read: Callable
    label: str = ""
    text: Callable = str


def register(model, *, fields, beside=()):
    """Keep revisions of `fields` of `model` (names as on the model, in the order shown), and of
    each `Beside` piece of content, under its name."""
    _registry[model._meta.label_lower] = list(fields)
    _beside[model._meta.label_lower] = list(beside)


def registered_fields(model):
    return [model._meta.get_field(name) for name in _registry[model._meta.label_lower]]


def registered_beside(model):
    return _beside.get(model._meta.label_lower, [])


def _stored(field, value):
    if isinstance(field, models.FileField):
        return value.name if value else ""
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def content_of(obj):
    """The object's content as it is in memory (saved or not), ready for a JSON field."""
    content = {field.name: _stored(field, field.value_from_object(obj)) for field in registered_fields(type(obj))}
    for piece in registered_beside(type(obj)):
        content[piece.name] = piece.read(obj)
    return content


def commit_files(obj):
    """Store files uploaded into the object but not saved yet (a draft that never saves its row
    still needs its new image in storage, under the name its revision keeps)."""
    for field in registered_fields(type(obj)):
        if isinstance(field, models.FileField):
            file = getattr(obj, field.name)
            if file and not file._committed:
                file.save(file.name, file.file, save=False)


def apply_content(obj, content):
    """Set the object's fields from `content` (in memory; the caller saves if it wants to). Content
    kept beside the fields is the app's to put back where it belongs."""
    for field in registered_fields(type(obj)):
        if field.name not in content:
            continue
        value = content[field.name]
        if field.is_relation:
            setattr(obj, field.attname, value)
        elif isinstance(field, models.FileField):
            setattr(obj, field.name, value or "")
        else:
            setattr(obj, field.name, field.to_python(value))
    return obj


def revision_create(*, obj, user=None, message="", content=None, reverted_from=None, skip_unchanged=True):
    """Store `content` (default: the object's current content) as its next revision.

    With `skip_unchanged`, a save that changed nothing adds no revision and returns the latest.
    """
    from django.contrib.contenttypes.models import ContentType

    from revisions.models import Revision

    if content is None:
        commit_files(obj)
        content = content_of(obj)
    history = Revision.objects.for_object(obj)
    latest = history.first()
    if skip_unchanged and latest is not None and latest.content == content and reverted_from is None:
        return latest
    for _attempt in range(3):
        number = (history.aggregate(top=Max("number"))["top"] or 0) + 1
        try:
            with transaction.atomic():
                return Revision.objects.create(
                    content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
                    object_id=obj.pk,
                    number=number,
                    content=content,
                    message=message[:200],
                    created_by=user if user is not None and user.is_authenticated else None,
                    reverted_from=reverted_from,
                )
        except IntegrityError:
            continue  # another save took this number at the same moment
    raise IntegrityError("Could not number the revision.")
