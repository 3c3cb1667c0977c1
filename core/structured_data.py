"""schema.org JSON-LD printed safely: escaped like Django's `json_script`, so no text an editor
types can close the `<script>` element it is printed in."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

# The same escapes as django.utils.html.json_script: "<", ">" and "&" never appear raw.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data):
    """`data` as JSON that is safe inside a `<script type="application/ld+json">` element."""
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES))  # noqa: S308
