"""Values survive the trip through an archive's JSON exactly, whatever the field."""

import json
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import models

from backups.snapshot import encode


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (models.DateTimeField(), datetime(2026, 3, 8, 6, 59, 59, 123456, tzinfo=UTC)),
        (models.DateField(), date(2024, 2, 29)),
        (models.TimeField(), time(23, 59, 59, 999999)),
        (models.DurationField(), timedelta(days=3, microseconds=7)),
        (models.DecimalField(max_digits=8, decimal_places=2), Decimal("19.90")),
        (models.FloatField(), 0.1 + 0.2),
        (models.UUIDField(), uuid.UUID("12345678-1234-5678-1234-567812345678")),
        (models.BinaryField(), bytes(range(256))),
        (models.JSONField(), {"toc": [{"title": "Heat or ice?", "level": 2}], "score": 0.95, "none": None}),
        (models.JSONField(), "a JSON string, not an object"),
        (models.BooleanField(), False),
        (models.TextField(), "Ünïcode ✓ and a\nnew line"),
        (models.IntegerField(null=True), None),
    ],
    ids=lambda item: type(item).__name__ if isinstance(item, models.Field) else "",
)
def test_a_value_comes_back_from_json_as_it_was(field, value):
    assert field.to_python(json.loads(json.dumps(encode(value)))) == value
