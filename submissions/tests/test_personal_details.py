import pytest

from submissions.personal_details import (
    REDACTED,
    describe,
    find_personal_details,
    found_kinds,
    nhs_number_is_valid,
    redact,
)
from submissions.tests.personal_details_corpus import NEGATIVES, POSITIVES


@pytest.mark.parametrize(("text", "kind"), POSITIVES, ids=[text[:40] for text, _kind in POSITIVES])
def test_a_personal_detail_is_found_with_its_kind(text, kind):
    assert kind in found_kinds(find_personal_details(text))


@pytest.mark.parametrize("text", NEGATIVES, ids=[text[:40] for text in NEGATIVES])
def test_doses_times_years_and_spinal_levels_are_left_alone(text):
    assert find_personal_details(text) == []


def test_the_corpus_is_large_enough_to_mean_something():
    assert len(POSITIVES) >= 60
    assert len(NEGATIVES) >= 60


def test_the_nhs_check_digit_tells_a_number_from_ten_random_digits():
    assert nhs_number_is_valid("9434765919")
    assert not nhs_number_is_valid("9434765918")
    assert not nhs_number_is_valid("0000000000")


def test_redaction_replaces_each_span_and_keeps_the_rest():
    text = "Call 07700 900123 or email a@example.com about my L4-L5 disc."
    redacted, findings = redact(text)
    assert redacted == f"Call {REDACTED} or email {REDACTED} about my L4-L5 disc."
    assert [finding.kind for finding in findings] == ["phone", "email"]


def test_the_description_names_each_kind_once():
    findings = find_personal_details("07700 900123, 07700 900124 and DOB 1/2/1950")
    assert describe(findings) == "a phone number and a date of birth"
