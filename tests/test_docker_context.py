"""The image is built from the checkout, minus everything local or secret (`.dockerignore`).

Matched as Docker matches: patterns are relative to the checkout, `*` and `?` stay within one
folder, `**` spans any number, a matched folder takes everything under it, `!` takes a path back,
and the last pattern that matches decides.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _pattern_regex(pattern):
    parts = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            parts.append("(?:.*/)?")
            index += 3
            continue
        if pattern.startswith("**", index):
            parts.append(".*")
            index += 2
            continue
        parts.append({"*": "[^/]*", "?": "[^/]"}.get(char, re.escape(char)))
        index += 1
    return re.compile("".join(parts) + r"\Z")


def dockerignore_rules():
    rules = []
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keep = line.startswith("!")
        pattern = line.removeprefix("!").strip().strip("/")
        rules.append((keep, _pattern_regex(pattern)))
    return rules


def left_out_of_the_image(path, rules):
    """Whether `path` stays out of the build context: it or a folder above it is excluded."""
    folders = path.split("/")
    candidates = ["/".join(folders[: depth + 1]) for depth in range(len(folders))]
    excluded = False
    for keep, regex in rules:
        if any(regex.match(candidate) for candidate in candidates):
            excluded = not keep
    return excluded


LEFT_OUT = [
    ".env",
    ".env.production",
    ".env.local",
    "db.sqlite3",
    "db.sqlite3-wal",
    "db.sqlite3-shm",
    "bench/.work/bench.sqlite3",
    "media/articles/hero.jpg",
    "backup-archives/clinic-backup-20260101T000000Z.tar",
    "elsewhere/clinic-backup-20260101T000000Z.tar",
    ".venv/bin/python",
    ".git/config",
    ".cache/django/pages/1.djcache",
    "staticfiles/css/site.css",
    "artifacts/screenshots/home.png",
    ".dev-secret-key",
]
KEPT = [
    ".env.example",
    "manage.py",
    "requirements.txt",
    "gunicorn.conf.py",
    "clinic_site/settings.py",
    "backups/jobs.py",
    "backups/management/commands/backup.py",
    "static/css/site.css",
    "templates/base.html",
    "core/management/commands/seed_demo.py",
]


@pytest.mark.parametrize("path", LEFT_OUT)
def test_local_and_secret_files_stay_out_of_the_image(path):
    assert left_out_of_the_image(path, dockerignore_rules())


@pytest.mark.parametrize("path", KEPT)
def test_the_code_goes_into_the_image(path):
    assert not left_out_of_the_image(path, dockerignore_rules())


def test_the_matcher_reads_patterns_as_docker_does():
    rules = [(False, _pattern_regex("a/*.txt")), (True, _pattern_regex("a/keep.txt")), (False, _pattern_regex("**/x"))]
    assert left_out_of_the_image("a/b.txt", rules)
    assert not left_out_of_the_image("a/keep.txt", rules)
    assert not left_out_of_the_image("a/b/c.txt", rules)
    assert left_out_of_the_image("x/inside", rules) and left_out_of_the_image("deep/down/x", rules)
