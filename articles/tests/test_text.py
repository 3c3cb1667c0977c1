"""Texts compare as a reader reads them: line ends are no change, and each slip of the keys is one edit."""

from hypothesis import given
from hypothesis import strategies as st

from articles.text import edit_distance, unix_line_ends

LETTERS = st.text(alphabet="abcde", max_size=9)


def full_distance(a, b):
    """Damerau-Levenshtein distance with swaps of neighbours counted once, computed in full."""
    rows = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


@given(LETTERS, LETTERS, st.integers(min_value=0, max_value=4))
def test_the_distance_is_exact_up_to_the_limit_and_just_beyond_it_after(a, b, most):
    assert edit_distance(a, b, most) == min(full_distance(a, b), most + 1)


def test_a_swap_of_neighbours_is_one_slip():
    assert edit_distance("peolpe", "people", 2) == 1
    assert edit_distance("walking", "running", 2) == 3


def test_line_ends_from_a_browser_or_an_old_text_read_as_plain_ones():
    assert unix_line_ends("One\r\nTwo\rThree\n") == "One\nTwo\nThree\n"
    assert unix_line_ends(None) is None
