"""The uncached article page against the static file, on one server, as `make bench` measures them.

    DATABASE_URL=sqlite:///bench/.work/sqlite-1k.sqlite3 python bench/misses.py [--rounds 2]

Starts the site as `make serve` does with PAGE_CACHE_SECONDS=0 (every request renders the page)
on a free loopback port, then alternates wrk runs of the static CSS file and the article with 50
comments, and prints each pair's req/s and their ratio. Needs a bench database (bench/build_db.py).
"""

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import ARTICLE  # noqa: E402
from bench.wrk_runner import clinic_server, stylesheet_path, warm, wrk  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    media = os.environ.get("DJANGO_MEDIA_ROOT", str(ROOT / "bench" / ".work" / "media-sqlite-1k"))
    with clinic_server("misses-uncached", url, media, PAGE_CACHE_SECONDS="0") as server:
        css = server.base_url + stylesheet_path(server.base_url)
        article = server.base_url + ARTICLE
        warm(article)
        for round_number in range(1, args.rounds + 1):
            static = wrk(css)
            page = wrk(article)
            print(
                f"round {round_number}: static {static.rps:,.0f} req/s, uncached article {page.rps:,.0f} req/s "
                f"(p50 {page.p50_ms:.1f} ms, {page.errors} errors): {page.rps / static.rps:.1%} of static",
                flush=True,
            )


if __name__ == "__main__":
    main()
