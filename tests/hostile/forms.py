"""Sending one corpus case through one form field, and what the form must have done with it."""

from urllib.parse import quote

REFUSED = object()


def form_body(data, field=None, case=None):
    """An x-www-form-urlencoded body: `data` with `field` replaced by the case's raw bytes."""
    pairs = [(name, quote(str(value), safe="")) for name, value in data.items() if name != field]
    if field is not None:
        pairs.append((field, case.encoded()))
    return "&".join(f"{name}={value}" for name, value in pairs)


def post_case(client, url, data, field, case, **extra):
    return client.post(
        url, data=form_body(data, field, case), content_type="application/x-www-form-urlencoded", **extra
    )


def _text_field(value, *, max_length, required, collapse):
    """Django's CharField (strip, null-character and length checks) plus our whitespace rule."""
    stripped = value.strip()
    if "\x00" in stripped or len(stripped) > max_length or (required and not stripped):
        return REFUSED
    cleaned = " ".join(stripped.split()) if collapse else stripped
    if required and not cleaned:
        return REFUSED
    return cleaned


def expected_line(value, *, max_length, required=True):
    """A one-line field (name, topic): kept with its runs of whitespace made single spaces."""
    return _text_field(value, max_length=max_length, required=required, collapse=True)


def expected_text(value, *, max_length, required=True):
    """A multi-line field (comment, details): kept as sent, only trimmed at both ends."""
    return _text_field(value, max_length=max_length, required=required, collapse=False)


def assert_kept_or_refused(response, stored, expected, *, what):
    """Never a 5xx; a refusal is a 4xx with the form's error summary; a success stored exactly `expected`."""
    assert response.status_code < 500, f"{what}: server error {response.status_code}"
    if expected is REFUSED:
        assert 400 <= response.status_code < 500, f"{what}: expected a refusal, got {response.status_code}"
        assert stored is None, f"{what}: a refused submission was stored"
        assert b"error-summary" in response.content, f"{what}: refusal without a visible error"
    else:
        assert response.status_code == 302, f"{what}: expected it kept, got {response.status_code}"
        assert stored is not None, f"{what}: acknowledged but not stored"
        assert stored == expected, f"{what}: stored {stored!r} instead of {expected!r}"
