"""The article page as it goes over the wire, and what compressing it costs a cached hit.

    python bench/wire.py            # a fresh demo clinic on a temporary SQLite database
    DATABASE_URL=sqlite:///bench/.work/sqlite-1k.sqlite3 python bench/wire.py --path /articles/bench-comments-50/

Starts the site as `make serve` does on a free loopback port, then prints, in one run: the
article's HTML in bytes as sent plain, gzipped (a stored page's hit) and with Brotli (a page
rendered fresh); and the req/s of the static CSS file and of the cached article, both asked for
with `Accept-Encoding: gzip` as a browser asks, plus the cached article asked for plain, with
their ratios. `make bench` runs `measure` on its cached server and checks `BUDGETS`.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path
from subprocess import DEVNULL

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.databases import base_env  # noqa: E402
from bench.wrk_runner import clinic_server, stylesheet_path, warm, wrk  # noqa: E402

DEMO_ARTICLE = "/articles/interventional-treatments-lower-back-pain/"
BUDGETS = {
    "wire_bytes": 10 * 1024,  # the article's HTML, gzipped, on the wire
    "compressed_cached_share": 0.75,  # the cached article, gzipped, against the static file, gzipped
}
GZIP = "Accept-Encoding: gzip"


def _size(url, encoding):
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=30) as response:
        return len(response.read()), response.headers.get("Content-Encoding", "")


def measure(base_url, article_path, static_path):
    """{"bytes": {...}, "rps": {...}, "shares": {...}} for the article at `article_path`."""
    article, static = base_url + article_path, base_url + static_path
    fresh_br = _size(article + "?fresh=1", "br")  # an ignored parameter: still the cached copy
    warm(article)
    sizes = {"plain": _size(article, "identity"), "gzip": _size(article, "gzip"), "br": fresh_br}
    rps = {
        "static CSS (gzip)": wrk(static, headers=[GZIP]).rps,
        "article cached (gzip)": wrk(article, headers=[GZIP]).rps,
        "article cached (plain)": wrk(article).rps,
    }
    ceiling = rps["static CSS (gzip)"] or 1.0
    return {
        "bytes": {name: {"bytes": size, "encoding": encoding} for name, (size, encoding) in sizes.items()},
        "rps": rps,
        "shares": {name: value / ceiling for name, value in rps.items() if not name.startswith("static")},
    }


def checks(figures, label=""):
    """[(budget, measured, met)] for the two budgets this script measures."""
    wire = figures["bytes"]["gzip"]["bytes"]
    share = figures["shares"]["article cached (gzip)"]
    return [
        (f"{label}article HTML ≤ 10 KB on the wire (gzip)", f"{wire / 1024:.1f} KB", wire <= BUDGETS["wire_bytes"]),
        (
            f"{label}cached article, gzipped, ≥ {BUDGETS['compressed_cached_share']:.0%} of static req/s (gzip)",
            f"{share:.0%}",
            share >= BUDGETS["compressed_cached_share"],
        ),
    ]


def report(figures):
    for name, size in figures["bytes"].items():
        print(f"article HTML {name:>5}: {size['bytes']:>7,} bytes (Content-Encoding: {size['encoding'] or '-'})")
    for name, value in figures["rps"].items():
        share = figures["shares"].get(name)
        print(f"{name:<24} {value:>8,.0f} req/s" + (f"  {share:.0%} of static" if share is not None else ""))
    for budget, measured, met in checks(figures):
        print(f"{'met' if met else 'NOT MET'}: {budget}: {measured}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--path", default=DEMO_ARTICLE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="clinic-wire-") as folder:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder}/demo.sqlite3"
        media = os.environ.get("DJANGO_MEDIA_ROOT", f"{folder}/media")
        if not os.environ.get("DATABASE_URL"):
            env = base_env(url, media)
            for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
                subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, stdout=DEVNULL)
        with clinic_server("wire", url, media) as server:
            report(measure(server.base_url, args.path, stylesheet_path(server.base_url)))


if __name__ == "__main__":
    main()
