"""`make test` is the one command a change must pass: it runs every check the project promises."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def recipe(target):
    """The commands of `target` in the Makefile, in order, with the bin folder left out."""
    text = (ROOT / "Makefile").read_text()
    body = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", text, re.MULTILINE)
    assert body, f"no {target} target in the Makefile"
    return [line.strip().replace("$(BIN)/", "") for line in body.group(1).splitlines()]


def test_make_test_checks_lint_and_format_before_the_suite():
    commands = recipe("test")

    assert "ruff check ." in commands
    assert "ruff format --check ." in commands
    suite = next(index for index, command in enumerate(commands) if "pytest" in command)
    assert commands.index("ruff check .") < commands.index("ruff format --check .") < suite
