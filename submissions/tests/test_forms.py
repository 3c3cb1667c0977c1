"""The text fields every reader submission form shares."""

import pytest

from comments.forms import CommentForm
from topics.forms import TopicSuggestionForm

COMMENT = {"name": "Sam", "email": "sam@example.com", "body": "Thank you for the stretches."}
SUGGESTION = {"topic": "Sleep and sciatica"}


@pytest.mark.parametrize(
    ("form_class", "data", "field"),
    [
        (CommentForm, COMMENT, "name"),
        (TopicSuggestionForm, SUGGESTION, "topic"),
        (TopicSuggestionForm, SUGGESTION, "name"),
    ],
)
def test_one_line_fields_keep_single_spaces_between_words(form_class, data, field):
    form = form_class(data={**data, field: "  Sam \n\t  Reader\r\n "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data[field] == "Sam Reader"


@pytest.mark.parametrize(
    ("form_class", "data", "field", "message"),
    [
        (CommentForm, COMMENT, "name", "Please enter your name here."),
        (CommentForm, COMMENT, "body", "Please enter your comment!"),
        (TopicSuggestionForm, SUGGESTION, "topic", "Please tell us the topic you would like us to write about."),
    ],
)
def test_a_required_field_of_only_whitespace_is_empty(form_class, data, field, message):
    form = form_class(data={**data, field: " \n\t \u00a0"})
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_a_long_text_is_measured_after_its_spaces_are_collapsed():
    form = CommentForm(data={**COMMENT, "name": "Sam" + " " * 200 + "Reader"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Sam Reader"
