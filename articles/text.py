"""How article texts are compared: line ends are no difference, and a slip of the keys counts as
the few edits it is. Shared by the medical review (what changed), the typo rule and the search's
"Did you mean"; it imports nothing, so any of them may use it."""


def unix_line_ends(text):
    """`text` with every line ended by LF. Browsers send a textarea's lines ended by CRLF, and texts
    kept before the form made them plain may still have them: a field nobody touched must compare
    equal to its revision and keep its medical approval."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if isinstance(text, str) else text


def edit_distance(a, b, most):
    """Letters to add, drop, change or swap (neighbours) to turn `a` into `b` (Damerau-Levenshtein,
    each swap counted once), or `most + 1` once it is certain to be more than `most`. Only a band of
    width `most` around the diagonal is computed, so a long word costs little."""
    beyond = most + 1
    if abs(len(a) - len(b)) > most:
        return beyond
    before, previous = {}, {j: j for j in range(min(len(b), most) + 1)}
    for i in range(1, len(a) + 1):
        current = {}
        for j in range(max(0, i - most), min(len(b), i + most) + 1):
            if j == 0:
                current[0] = i
                continue
            cost = a[i - 1] != b[j - 1]
            value = min(previous.get(j, beyond) + 1, current.get(j - 1, beyond) + 1, previous.get(j - 1, beyond) + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, before.get(j - 2, beyond) + 1)
            current[j] = min(value, beyond)
        if min(current.values()) > most:
            return beyond
        before, previous = previous, current
    return previous.get(len(b), beyond)
