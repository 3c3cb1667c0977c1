"""The benchmark databases: built from the demo clinic at 1,000 and 100,000 articles, on SQLite and
PostgreSQL, and rebuilt only when what shapes their rows changes. `make bench` and `make busyday`
both start here.
"""

import hashlib
import os
import secrets
import subprocess
import time
from pathlib import Path

from bench.wrk_runner import ROOT, WORK, fresh_cache_dir

PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG_URL = "postgres://postgres@127.0.0.1:5432/{name}"
SIZES = {"1k": 1000, "100k": 100_000}


def say(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def base_env(database_url, media_root):
    """The environment of a one-off tool (builder, probe, collectstatic) on one bench database:
    production settings, loopback hosts, no Redis, a cache of its own."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "PAGE_CACHE_SECONDS"}}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_HSTS_SECONDS="0",
        DATABASE_URL=database_url,
        DJANGO_MEDIA_ROOT=str(media_root),
        DJANGO_CACHE_DIR=str(fresh_cache_dir("tools")),
    )
    return env


def postgres_available():
    if os.environ.get("BENCH_SKIP_POSTGRES") == "1":
        return False
    try:
        import psycopg

        with psycopg.connect(PG_URL.format(name="postgres"), connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001 - any failure means "no PostgreSQL here"
        return False


def inputs_fingerprint():
    """Changes when anything that shapes the built rows changes (schema, demo content, builder)."""
    digest = hashlib.sha256()
    patterns = [
        "*/migrations/*.py",
        "articles/demo/**/*",
        "*/demo.py",
        "bench/build_db.py",
        "articles/richtext.py",
        "articles/sqlite_search.py",
    ]
    for pattern in patterns:
        for path in sorted(ROOT.glob(pattern)):
            if path.is_file():
                digest.update(path.read_bytes())
    return digest.hexdigest()


def database_targets(with_postgres):
    targets = []
    for size in SIZES:
        targets.append(("sqlite", size, f"sqlite:///{WORK / f'sqlite-{size}.sqlite3'}"))
    if with_postgres:
        for size in SIZES:
            targets.append(("postgres", size, PG_URL.format(name=f"clinic_bench_{size}")))
    return targets


def postgres_database_exists(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(PG_URL.format(name="postgres")) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def build_databases(targets):
    fingerprint = inputs_fingerprint()
    for backend, size, url in targets:
        stamp = WORK / f"{backend}-{size}.stamp"
        media = WORK / f"media-{backend}-{size}"
        exists = Path(url.removeprefix("sqlite://")).exists() if backend == "sqlite" else postgres_database_exists(url)
        fresh = exists and stamp.exists() and stamp.read_text() == fingerprint
        if fresh and os.environ.get("BENCH_REBUILD") != "1":
            say(f"{backend} {size}: reusing the database built from the same inputs")
            continue
        say(f"{backend} {size}: building {SIZES[size]:,} articles…")
        started = time.monotonic()
        stamp.unlink(missing_ok=True)
        subprocess.run(["rm", "-rf", str(media)], check=True)
        done = subprocess.run(
            [PYTHON, "bench/build_db.py", str(SIZES[size])],
            cwd=ROOT,
            env=base_env(url, media),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            raise SystemExit(f"Building {backend} {size} failed:\n{done.stderr[-3000:]}")
        say(f"{backend} {size}: {done.stdout.strip()} in {time.monotonic() - started:.0f}s")
        stamp.write_text(fingerprint)
