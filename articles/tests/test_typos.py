"""A typo fix may skip a new medical review only when it cannot change what a patient is told:
no number, unit or dose, no negation, no link or image, small edits to a few words."""

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from articles.typos import NEGATIONS, NUMBER_WORDS, UNIT_WORDS, Refusal, is_typo_only, typo_refusal

BODY = (
    "## Moving\n\nGentle walking helps most people with lower back pain.\n\n"
    "Take 10mg of the cream twice daily. Do not use it on broken skin.\n\n"
    "Read [our guide to stretching](https://clinic.example/stretching) before you start."
)


def content(**changes):
    """An approved revision's content, with `changes` on top."""
    return {
        "title": "Easing lower back pain",
        "slug": "easing-lower-back-pain",
        "category": 1,
        "summary": "What helps when your lower back hurts.",
        "body": BODY,
        "hero_image": "articles/back.jpg",
        "hero_alt": "A woman stretching on a mat",
        "author": 2,
        "reviewer": 3,
        "seo_title": "",
        "seo_description": "",
        **changes,
    }


def refusal_for(**changes):
    return typo_refusal(content(), content(**changes), max_words=3)


def body_with(old, new):
    assert old in BODY
    return BODY.replace(old, new)


# --- The findings: each of these went live unreviewed ------------------------------------------------


def test_a_dose_ten_times_larger_is_not_a_typo():
    assert refusal_for(body=body_with("10mg", "100mg")) == Refusal.NUMBER


def test_not_turned_into_now_is_not_a_typo():
    assert refusal_for(body=body_with("Do not use", "Do now use")) == Refusal.NEGATION
    assert refusal_for(body=body_with("skin.", "skin. Rest is not.")) is not None
    assert typo_refusal(content(body="Rest does not."), content(body="Rest does now."), max_words=3)


def test_a_link_to_another_domain_is_not_a_typo():
    assert refusal_for(body=body_with("https://clinic.example/", "https://clinic.exampel/")) == Refusal.LINK
    old, new = content(body="See [x](https://a.example/p)."), content(body="See [x](https://b.example/p).")
    assert typo_refusal(old, new, max_words=3) == Refusal.LINK


# --- What a typo fix is -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("most people", "most peolpe"),  # transposition
        ("lower back", "lowar back"),  # substitution
        ("stretching]", "strecthing]"),  # in a link's text
        ("Gentle walking", "Gentle walkng"),  # a missing letter
        ("broken skin.", "broken skin,"),  # punctuation
        ("Gentle walking", "gentle walking"),  # case
    ],
)
def test_a_slip_of_the_keys_is_a_typo(old, new):
    assert refusal_for(body=body_with(old, new)) is None


def test_a_typo_in_the_title_with_its_slug_is_one_fix():
    old = content(title="Easing lower back pian", slug="easing-lower-back-pian")
    new = content(title="Easing lower back pain", slug="easing-lower-back-pain")
    assert typo_refusal(old, new, max_words=1) is None


def test_fields_that_never_needed_a_review_are_not_looked_at():
    changed = content(category=7, body=body_with("Gentle", "Gentel"))
    assert typo_refusal(content(), changed, max_words=3) is None


def test_the_search_engine_texts_are_checked_like_the_text():
    """Readers see them as the page title and the description in search results and shares."""
    approved = content(seo_title="Easing back pain", seo_description="Take 50mg at night.")

    def refusal(**changes):
        return typo_refusal(approved, {**approved, **changes}, max_words=3)

    assert refusal(seo_title="Easing back pian") is None
    assert refusal(seo_description="Take 500mg at night.") == Refusal.NUMBER
    assert refusal(seo_title="Curing back pain") == Refusal.BIG_EDIT


@pytest.mark.parametrize("name", ["author", "reviewer"])
def test_a_change_of_who_is_credited_is_never_a_typo_fix(name):
    assert typo_refusal(content(), content(**{name: 99}), max_words=3) == Refusal.CREDIT


def test_the_word_limit_comes_from_the_settings(settings):
    three = body_with("Gentle walking helps", "Gentel walkign hepls")
    settings.ARTICLES_TYPO_MAX_WORDS = 3
    assert is_typo_only(content(), content(body=three))
    settings.ARTICLES_TYPO_MAX_WORDS = 2
    assert not is_typo_only(content(), content(body=three))


# --- Numbers, units and doses -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("10mg", "1Omg"),
        ("10mg", "10mcg"),
        ("twice daily", "twice weekly"),
        ("twice daily", "thrice daily"),
        ("twice", "twice"),  # unchanged: the control for the others
        ("most people", "most peoples"),  # control: a plural s is a small edit
    ],
)
def test_a_number_unit_or_frequency_change_needs_a_review(old, new):
    expected = None if old == new or "people" in old else Refusal.NUMBER
    assert refusal_for(body=body_with(old, new)) == expected


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Take 5 ml", "Take 5 mL"),
        ("Take 5 ml", "Take 5 mls"),
        ("use 1 tablet", "use 1 tablets"),
        ("about 20% of", "about 25% of"),
        ("once a day", "once a dya"),
        ("take one", "take oen"),
        ("up to 2 IU", "up to 2 iu"),
        ("the ½ dose", "the ¼ dose"),
        ("of 5 µg", "of 5 ug"),
        ("every 8 hours", "every 8 hour"),
        ("use it 2 times", "use it 2 tiems"),
    ],
)
def test_units_and_number_words_are_never_typo_fixed(old, new):
    assert typo_refusal(content(body=old), content(body=new), max_words=3) == Refusal.NUMBER


# --- Negations and opposites --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("do not use", "do nut use"),
        ("do not use", "do nto use"),
        ("never lift", "nevr lift"),
        ("don't lift", "dont lift"),
        ("don’t lift", "don't lift"),  # curly apostrophe
        ("DON’T lift", "DOWN lift"),
        ("you can lift", "you can't lift"),
        ("you cannot lift", "you cannon lift"),
        ("lift without help", "lift withut help"),
        ("avoid heat", "avoids heat"),
        ("stop the cream", "step the cream"),
        ("unless told", "unles told"),
        ("with none left", "with nome left"),
        ("nor heat", "for heat"),
        ("the neither case", "the either case"),
        ("all except you", "all accept you"),
        ("**Not** for children", "**Now** for children"),
        ("it isn’t safe", "it isnt safe"),
        ("it is safe", "it isn't safe"),
    ],
)
def test_a_negation_changed_added_or_removed_needs_a_review(old, new):
    assert typo_refusal(content(body=old), content(body=new), max_words=3) == Refusal.NEGATION


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("it is safe", "it is unsafe"),
        ("usually symptomatic", "usually asymptomatic"),
        ("increase the heat", "decrease the heat"),
        ("inhale slowly", "exhale slowly"),
        ("include stretching", "exclude stretching"),
        ("signs of hypertension", "signs of hypotension"),
        ("if dehydrated", "if hydrated"),
        ("a harmful habit", "a harmless habit"),
    ],
)
def test_a_word_turned_into_its_opposite_needs_a_review(old, new):
    assert typo_refusal(content(body=old), content(body=new), max_words=3) == Refusal.OPPOSITE


def test_a_negation_added_with_a_word_removed_elsewhere_needs_a_review():
    old = "Take it with food and rest."
    new = "Take it without food and rest"
    assert typo_refusal(content(body=old), content(body=new), max_words=3) == Refusal.NEGATION


# --- Links ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("see <https://a.example/p>", "see <https://b.example/p>"),
        ("see https://a.example/p today", "see https://b.example/p today"),
        ("see www.clinic.example/p", "see www.clinik.example/p"),
        ('see <a href="https://a.example/p">this</a>', 'see <a href="https://a.example/q">this</a>'),
        ("see [this][one]\n\n[one]: https://a.example/p", "see [this][one]\n\n[one]: https://b.example/p"),
        ("see [this][one]", "see [this][onr]"),
        ("see [clinic]\n\n[clinic]: https://a.example", "see [clinik]\n\n[clinic]: https://a.example"),
        ("call clinic.example today", "call clinik.example today"),
        ("mail help@clinic.example today", "mail help@clinik.example today"),
        ("mail <help@clinic.example>", "mail <help@clinik.example>"),
    ],
)
def test_a_changed_link_target_needs_a_review(old, new):
    assert typo_refusal(content(body=old), content(body=new), max_words=3) == Refusal.LINK


# --- Images -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"hero_image": "articles/other.jpg"},
        {"hero_image": ""},
        {"hero_alt": "A woman strecthing on a mat"},
        {"body": BODY + "\n\n[image:4]"},
        {"body": BODY.replace("## Moving", "## Moving\n\n![A mat](/media/mat.jpg)")},
        {"images": [{"image": "articles/figures/a.jpg", "alt": "A mat", "caption": "A mat"}]},
        {"figure_caption": "Stretching"},
    ],
)
def test_any_image_change_needs_a_review(changes):
    assert refusal_for(**changes) == Refusal.IMAGE


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("[image:4]", "[image:5]"),
        ("![A mat](/media/mat.jpg)", "![A man](/media/mat.jpg)"),
        ('<img src="/a.jpg" alt="A mat">', '<img src="/a.jpg" alt="A man">'),
        ("<figure>x<figcaption>Mat</figcaption></figure>", "<figure>x<figcaption>Map</figcaption></figure>"),
    ],
)
def test_an_image_in_the_text_is_never_typo_fixed(old, new):
    assert typo_refusal(content(body=f"Look.\n\n{old}"), content(body=f"Look.\n\n{new}"), max_words=3) == Refusal.IMAGE


def test_in_text_images_in_the_content_are_compared_as_they_are():
    images = [{"id": 1, "image": "articles/figures/a.jpg", "alt": "A mat", "caption": "Stretching"}]
    recaptioned = [{**images[0], "caption": "Strecthing"}]
    assert typo_refusal(content(images=images), content(images=images), max_words=3) is None
    assert typo_refusal(content(images=images), content(images=recaptioned), max_words=3) == Refusal.IMAGE


# --- Size of the edit ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("Gentle walking", "Gentle running", Refusal.BIG_EDIT),  # three letters
        ("most people", "most adults", Refusal.BIG_EDIT),  # a different word
        ("with lower", "with upper", Refusal.BIG_EDIT),
        ("the cream", "the crema", None),  # one transposition
        ("on broken", "in broken", Refusal.BIG_EDIT),  # one letter is a third of a two-letter word
        ("the cream", "teh cream", None),
        ("most people", "most people and", Refusal.WORDS_MOVED),
        ("Gentle walking", "Walking gentle", Refusal.BIG_EDIT),
        ("Gentle walking", "Gentlewalking", Refusal.WORDS_MOVED),
    ],
)
def test_each_changed_word_is_a_small_edit_and_the_words_line_up(old, new, expected):
    assert refusal_for(body=body_with(old, new)) == expected


def test_more_words_than_the_limit_is_not_a_typo_fix():
    three = body_with("Gentle walking helps", "Gentel walkign hepls")
    four = body_with("Gentle walking helps most people", "Gentel walkign hepls most peolpe")
    assert typo_refusal(content(), content(body=three), max_words=3) is None
    assert typo_refusal(content(), content(body=four), max_words=3) == Refusal.TOO_MANY_WORDS
    split = content(title="Easing lowre back pain", summary="What hepls when your lower back hurts.")
    assert typo_refusal(content(), split, max_words=1) == Refusal.TOO_MANY_WORDS


def test_the_title_and_slug_are_checked_like_the_text():
    assert refusal_for(title="Easing lower back pains") is None
    assert refusal_for(title="Easing upper back pain") == Refusal.BIG_EDIT
    assert refusal_for(title="Not easing lower back pain") == Refusal.NEGATION
    assert refusal_for(slug="easing-lower-back-pain-2") == Refusal.NUMBER
    assert refusal_for(slug="easing-upper-back-pain") == Refusal.BIG_EDIT


def test_a_very_long_word_costs_little():
    old, new = "a" * 100_000, "a" * 50_000 + "b" + "a" * 49_999
    assert typo_refusal(content(body=old), content(body=new), max_words=3) is None
    assert typo_refusal(content(body=old), content(body="b" * 100_000), max_words=3) == Refusal.BIG_EDIT


# --- Properties over generated edits ------------------------------------------------------------------

EXAMPLES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SPECIAL = NEGATIONS | UNIT_WORDS | NUMBER_WORDS
LETTERS = "abcdefghijklmnopqrstuvwxyz"

plain_word = st.text(alphabet=LETTERS, min_size=1, max_size=12).filter(lambda w: w not in SPECIAL)
long_word = st.text(alphabet=LETTERS, min_size=5, max_size=12).filter(lambda w: w not in SPECIAL)
number = st.one_of(
    st.integers(0, 5000).map(str),
    st.sampled_from(["10mg", "2.5", "1-2", "50%", "(3)", "24h", "x2", "1/2", "12,5", "v2"]),
)
host = st.builds(
    ".".join, st.tuples(st.text(LETTERS, min_size=1, max_size=10), st.text(LETTERS, min_size=2, max_size=6))
)
separator = st.sampled_from([" ", " ", " ", "\n", "\n\n", ", ", ". "])
CONTRACTIONS = {"don't", "don’t", "doesn't", "isn’t", "can't", "won't"}
negation = st.sampled_from(sorted(NEGATIONS | CONTRACTIONS | {"do not"})).flatmap(
    lambda w: st.sampled_from([w, w.upper(), w.capitalize(), f"**{w}**", f"{w},"])
)


@st.composite
def text(draw, words=plain_word, min_size=1):
    pieces = draw(st.lists(words, min_size=min_size, max_size=30))
    out = ""
    for piece in pieces:
        out += piece + draw(separator)
    return out.strip()


@st.composite
def article(draw, body=None):
    return content(
        title=draw(text(min_size=1)),
        slug="-".join(draw(st.lists(plain_word, min_size=1, max_size=6))),
        summary=draw(text()),
        body=draw(body if body is not None else text(st.one_of(plain_word, plain_word, number, negation))),
    )


TEXT_FIELDS = ["title", "summary", "body"]


@given(data=st.data())
@EXAMPLES
def test_any_edit_that_changes_a_digit_is_never_typo_only(data):
    old = data.draw(article(body=text(st.one_of(plain_word, number, negation), min_size=1)))
    name = data.draw(st.sampled_from([*TEXT_FIELDS, "slug", "hero_alt"]))
    value = old[name]
    digits = [i for i, char in enumerate(value) if char.isdigit()]
    how = data.draw(st.sampled_from(["insert", "replace", "delete"] if digits else ["insert"]))
    if how == "insert":
        at = data.draw(st.integers(0, len(value)))
        new_value = value[:at] + data.draw(st.sampled_from("0123456789")) + value[at:]
    else:
        at = data.draw(st.sampled_from(digits))
        replacement = (
            "" if how == "delete" else data.draw(st.sampled_from("0123456789").filter(lambda d: d != value[at]))
        )
        new_value = value[:at] + replacement + value[at + 1 :]
    assert not is_typo_only(old, {**old, name: new_value}, max_words=100)


@given(data=st.data())
@EXAMPLES
def test_inserting_removing_or_replacing_a_negation_is_never_typo_only(data):
    old = data.draw(article(body=text(st.one_of(plain_word, plain_word, negation), min_size=2)))
    name = data.draw(st.sampled_from(TEXT_FIELDS))
    words = old[name].split(" ")
    at = data.draw(st.integers(0, len(words) - 1))
    how = data.draw(st.sampled_from(["insert", "replace", "remove", "swap"]))
    if how == "insert":
        words.insert(at, data.draw(negation))
    elif how == "replace":
        assume(not _negated(words[at]))
        words[at] = data.draw(negation)
    else:
        negated = [i for i, word in enumerate(words) if " " not in word and _negated(word)]
        assume(negated)
        at = data.draw(st.sampled_from(negated))
        if how == "remove":
            del words[at]
        else:
            words[at] = data.draw(plain_word)
    new = {**old, name: " ".join(words)}
    assume(new[name] != old[name])
    assert not is_typo_only(old, new, max_words=100)


def _negated(word):
    return word.strip("*,").lower().replace("’", "'") in NEGATIONS | {w.replace("’", "'") for w in CONTRACTIONS}


LINK_FORMS = [
    "[{text}](https://{host}/{path})",
    "<https://{host}/{path}>",
    "https://{host}/{path}",
    "http://{host}",
    '<a href="https://{host}/{path}">{text}</a>',
    "[{text}][ref]\n\n[ref]: https://{host}/{path}",
    "www.{host}/{path}",
]


@given(
    data=st.data(),
    form=st.sampled_from(LINK_FORMS),
    old_host=host,
    new_host=host,
    path=st.text(LETTERS + "0123456789/-", max_size=20),
)
@EXAMPLES
def test_changing_a_link_host_is_never_typo_only(data, form, old_host, new_host, path):
    assume(old_host != new_host)
    before, after = data.draw(text()), data.draw(text())
    link_text = data.draw(plain_word)
    old = data.draw(article())
    old["body"] = f"{before} {form.format(host=old_host, path=path, text=link_text)} {after}"
    new = {**old, "body": f"{before} {form.format(host=new_host, path=path, text=link_text)} {after}"}
    assert not is_typo_only(old, new, max_words=100)


def _slip(draw, word):
    """The word with one adjacent transposition or one letter replaced."""
    at = draw(st.integers(0, len(word) - 1))
    if draw(st.booleans()) and at < len(word) - 1 and word[at] != word[at + 1]:
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    letter = draw(st.sampled_from(LETTERS).filter(lambda c: c != word[at]))
    return word[:at] + letter + word[at + 1 :]


@given(data=st.data())
@EXAMPLES
def test_one_slip_in_a_long_plain_word_is_typo_only(data):
    old = data.draw(article(body=text(st.one_of(plain_word, number, negation))))
    name = data.draw(st.sampled_from(TEXT_FIELDS))
    word = data.draw(long_word)
    typo = _slip(data.draw, word)
    assume(typo not in SPECIAL)
    around = text(st.one_of(plain_word, number, negation))
    before, after = data.draw(around), data.draw(around)
    old[name] = f"{before} {typo} {after}"
    new = {**old, name: f"{before} {word} {after}"}
    assert is_typo_only(old, new, max_words=1), typo_refusal(old, new, max_words=1)


@given(data=st.data(), max_words=st.integers(0, 5))
@EXAMPLES
def test_more_words_changed_than_the_limit_is_never_typo_only(data, max_words):
    words = data.draw(st.lists(long_word, min_size=max_words + 1, max_size=max_words + 8))
    old = data.draw(article())
    old["body"] = " ".join(words)
    changed = data.draw(
        st.lists(st.integers(0, len(words) - 1), min_size=max_words + 1, max_size=len(words), unique=True)
    )
    fixed = list(words)
    for at in changed:
        fixed[at] = _slip(data.draw, words[at])
    assert not is_typo_only(old, {**old, "body": " ".join(fixed)}, max_words=max_words)
