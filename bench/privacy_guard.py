"""Precision and recall of the personal-details guard (submissions.personal_details) on its corpus.

A positive counts as found when the guard reports its kind; a negative is a false alarm when the
guard reports anything. Also prints the time per text. Run: `.venv/bin/python bench/privacy_guard.py`.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from submissions.personal_details import find_personal_details, found_kinds  # noqa: E402
from submissions.tests.personal_details_corpus import NEGATIVES, POSITIVES  # noqa: E402


def measure():
    started = time.perf_counter()
    found = sum(kind in found_kinds(find_personal_details(text)) for text, kind in POSITIVES)
    flagged_positives = sum(bool(find_personal_details(text)) for text, _kind in POSITIVES)
    false_alarms = [text for text in NEGATIVES if find_personal_details(text)]
    elapsed = time.perf_counter() - started
    texts = len(POSITIVES) * 2 + len(NEGATIVES)
    flagged = flagged_positives + len(false_alarms)
    return {
        "positives": len(POSITIVES),
        "negatives": len(NEGATIVES),
        "recall": found / len(POSITIVES),
        "precision": flagged_positives / flagged if flagged else 1.0,
        "false_alarms": false_alarms,
        "microseconds_per_text": elapsed / texts * 1e6,
    }


def markdown(result):
    """Lines for bench/results/latest.md (make bench)."""
    return (
        f"On {result['positives']} texts with personal details and {result['negatives']} without: "
        f"recall {result['recall']:.3f}, precision {result['precision']:.3f}, "
        f"{result['microseconds_per_text']:.0f} µs per text."
    )


def main():
    result = measure()
    print(f"corpus: {result['positives']} positives, {result['negatives']} negatives")
    print(f"recall:    {result['recall']:.3f}")
    print(f"precision: {result['precision']:.3f}")
    print(f"time:      {result['microseconds_per_text']:.0f} µs per text")
    for text in result["false_alarms"]:
        print(f"false alarm: {text}")


if __name__ == "__main__":
    main()
