"""`make loadtest`: 10,000 comments and topic suggestions from 50 concurrent clients, nothing lost.

For each database (a fresh SQLite file in bench/.work/, then the PostgreSQL database
`clinic_load` on 127.0.0.1:5432) the script starts the production-style server (`bin/serve`:
DEBUG off, gunicorn, SKIP_SEED=1) on a free loopback port, twice:

1. a short phase with the default rate limit, where most submissions must get a clean 429
   (every client posts from 127.0.0.1, so they share one address);
2. the main phase with SUBMISSIONS_RATE_LIMIT raised, 10,000 submissions in all.

Each client fetches the form page first (CSRF cookie and token), then posts; every submission
carries a unique marker. Afterwards the database is searched for every marker: each one must be
stored exactly once when the server acknowledged it (302), and not at all when it answered 429.
The server log must hold no "database is locked" and no server error. The figures are printed
and written to bench/results/loadtest.md. Each phase is bounded in time (--minutes).

The reCAPTCHA check is answered inside the server by bench/loadtest_fake.py (no network).
"""

import argparse
import http.client
import os
import queue
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.loopback import free_port, request  # noqa: E402

WORK = ROOT / "bench" / ".work"
RESULTS = ROOT / "bench" / "results" / "loadtest.md"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG_ADMIN_URL = os.environ.get("LOADTEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_DATABASE = "clinic_load"
ARTICLE_SLUG = "load-test-article"
ARTICLE_PATH = f"/articles/{ARTICLE_SLUG}/"
COMMENT_POST = f"/comments/{ARTICLE_SLUG}/"
TOPICS_PATH = "/topics/"
TOPIC_POST = "/topics/suggest/"
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_COOKIE = re.compile(r"csrftoken=([^;]+)")

SETUP_ARTICLE = f"""
from datetime import timedelta
from django.utils import timezone
from articles.models import Article, Category, Clinician
category, _ = Category.objects.get_or_create(slug="load", defaults={{"name": "Load"}})
author, _ = Clinician.objects.get_or_create(slug="dr-load", defaults={{"name": "Dr Load"}})
Article.objects.get_or_create(slug="{ARTICLE_SLUG}", defaults=dict(
    title="Load test article", category=category, author=author, summary="For the load test.",
    body="## Section\\n\\nText.", status="published", publish_at=timezone.now() - timedelta(hours=1)))
"""


def say(message):
    print(f"[loadtest {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


# --- Databases ------------------------------------------------------------------------------


class Sqlite:
    name = "SQLite"

    def __init__(self):
        self.path = WORK / "loadtest.sqlite3"
        self.url = f"sqlite:///{self.path}"

    def reset(self):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def rows(self, sql):
        with sqlite3.connect(self.path) as connection:
            return connection.execute(sql).fetchall()


class Postgres:
    name = "PostgreSQL"
    url = f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}"

    def reset(self):
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{PG_DATABASE}"')

    def rows(self, sql):
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://", 1)) as connection:
            return connection.execute(sql).fetchall()


# --- The server -----------------------------------------------------------------------------


def server_env(database, port, *, rate_limit, log_name):
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "SKIP_SEED": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": str(WORK / f"{log_name}-access.log"),
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_MEDIA_ROOT": str(WORK / "media"),
        "DJANGO_CACHE_DIR": str(WORK / f"cache-{log_name}"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        # Bench only: reCAPTCHA answered in-process by bench/loadtest_fake.py, never by Google.
        "RECAPTCHA_VERIFY": "bench.loadtest_fake.submit",
        "RECAPTCHA_PUBLIC_KEY": "loadtest-public-key",
        "RECAPTCHA_PRIVATE_KEY": "loadtest-private-key",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    if rate_limit is None:
        env.pop("SUBMISSIONS_RATE_LIMIT", None)
    else:
        env["SUBMISSIONS_RATE_LIMIT"] = str(rate_limit)
    return env


def prepare(database):
    env = server_env(database, 0, rate_limit=None, log_name="prepare")
    for command in (["migrate", "--noinput", "--verbosity", "0"], ["shell", "-c", SETUP_ARTICLE]):
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)


@contextmanager
def serving(database, *, rate_limit, log_name):
    port = free_port()
    shutil.rmtree(WORK / f"cache-{log_name}", ignore_errors=True)  # no counters or pages from an earlier run
    log_path = WORK / f"{log_name}-server.log"
    env = server_env(database, port, rate_limit=rate_limit, log_name=log_name)
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            ["bash", "bin/serve"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped; see {log_path}")
            try:
                if request(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start in 120 s; see {log_path}")
            time.sleep(0.5)
        yield port, log_path
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


# --- Clients --------------------------------------------------------------------------------


def form_pair(port, path):
    """The CSRF cookie and the form's token from a form page."""
    status, set_cookie, page = request(port, "GET", path)
    cookie, token = _COOKIE.search(set_cookie), _TOKEN.search(page.decode("utf-8", "replace"))
    if status != 200 or not cookie or not token:
        raise RuntimeError(f"GET {path} gave {status} without a CSRF cookie and token")
    return cookie.group(1), token.group(1)


def submission(kind, marker, number):
    if kind == "comment":
        return COMMENT_POST, {
            "name": f"Load reader {number % 97}",
            "email": f"reader{number}@loadtest.invalid",
            "body": f"{marker} Gentle stretching every morning eased my back; thank you for the clear article.",
            "captcha": "bench:comment",
            "website": "",
        }
    return TOPIC_POST, {
        "topic": f"{marker} sleeping well with back pain",
        "details": "Which positions and pillows help?",
        "email": f"reader{number}@loadtest.invalid",
        "captcha": "bench:suggest_topic",
        "website": "",
    }


def client(port, jobs, outcomes, lock, stop_at):
    pairs = {}
    while time.monotonic() < stop_at:
        try:
            kind, marker, number = jobs.get_nowait()
        except queue.Empty:
            return
        page = ARTICLE_PATH if kind == "comment" else TOPICS_PATH
        path, form = submission(kind, marker, number)
        answer = None
        for _attempt in range(2):
            try:
                if page not in pairs:
                    pairs[page] = form_pair(port, page)
                cookie, token = pairs[page]
                status, _cookie, body = request(
                    port,
                    "POST",
                    path,
                    urllib.parse.urlencode({"csrfmiddlewaretoken": token, **form}),
                    {"Cookie": f"csrftoken={cookie}", "Content-Type": "application/x-www-form-urlencoded"},
                )
            except (OSError, RuntimeError, http.client.HTTPException) as error:
                answer = f"no answer ({type(error).__name__})"
                break
            # A clean 429 is the form page again with the "try again in N minutes" message.
            answer = status if status != 429 or b"try again in" in body else "429 without its message"
            if status != 403:
                break
            pairs.pop(page, None)  # a stale CSRF pair: fetch the form again, once
        with lock:
            outcomes[marker] = (kind, answer)


def run_phase(port, *, total, clients, minutes, run_id):
    jobs = queue.Queue()
    for number in range(total):
        kind = "comment" if number % 2 == 0 else "topic"
        jobs.put((kind, f"LT{run_id}-{kind[0]}{number:05d}", number))
    outcomes, lock = {}, threading.Lock()
    started = time.monotonic()
    stop_at = started + minutes * 60
    threads = [
        threading.Thread(target=client, args=(port, jobs, outcomes, lock, stop_at), daemon=True) for _ in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1, stop_at - time.monotonic() + 90))
    elapsed = time.monotonic() - started
    with lock:
        return dict(outcomes), elapsed, jobs.qsize()


def stored_markers(database, run_id):
    prefix = f"LT{run_id}-"
    rows = database.rows(f"SELECT body FROM comments_comment WHERE body LIKE '{prefix}%'")  # noqa: S608
    rows += database.rows(f"SELECT topic FROM comments_topicsuggestion WHERE topic LIKE '{prefix}%'")  # noqa: S608
    return Counter(text.split()[0] for (text,) in rows)


def tally(database, run_id, outcomes, elapsed, unsent, log_path):
    stored = stored_markers(database, run_id)
    answers = Counter()
    figures = Counter(sent=len(outcomes), unsent=unsent)
    for marker, (_kind, answer) in outcomes.items():
        copies = stored.get(marker, 0)
        answers[answer] += 1
        if answer == 302:
            figures["acknowledged"] += 1
            figures["stored exactly once" if copies == 1 else ("lost" if copies == 0 else "duplicated")] += 1
        elif answer == 429:
            figures["answered 429"] += 1
            if copies:
                figures["stored despite 429"] += 1
        elif isinstance(answer, int) and answer >= 500:
            figures["5xx"] += 1
        else:
            figures["other answer"] += 1
    figures["stored without an answer"] = sum(1 for marker in stored if marker not in outcomes)
    log = log_path.read_text(errors="replace")
    figures["database is locked"] = log.count("database is locked")
    figures["server errors in log"] = log.count("Internal Server Error")
    figures["seconds"] = round(elapsed, 1)
    figures["per second"] = round(len(outcomes) / elapsed, 1) if elapsed else 0
    figures["answers"] = dict(sorted(answers.items(), key=str))
    return figures


def passed(figures, *, expect_429):
    clean = (
        figures["lost"] == 0
        and figures["duplicated"] == 0
        and figures["5xx"] == 0
        and figures["stored despite 429"] == 0
        and figures["database is locked"] == 0
        and figures["server errors in log"] == 0
        and figures["other answer"] == 0
        and figures["unsent"] == 0
    )
    return clean and (figures["answered 429"] > 0 if expect_429 else True)


def run_database(database, args, run_id):
    say(f"{database.name}: fresh database")
    database.reset()
    prepare(database)
    results = {}
    say(f"{database.name}: default rate limit, {args.limit_total} submissions from {args.limit_clients} clients")
    with serving(database, rate_limit=None, log_name=f"{database.name.lower()}-limit") as (port, log_path):
        outcomes, elapsed, unsent = run_phase(
            port, total=args.limit_total, clients=args.limit_clients, minutes=args.minutes, run_id=f"{run_id}L"
        )
    results["default limit"] = tally(database, f"{run_id}L", outcomes, elapsed, unsent, log_path)
    say(f"{database.name}: {results['default limit']}")
    say(f"{database.name}: raised limit, {args.total} submissions from {args.clients} clients")
    with serving(database, rate_limit=10**9, log_name=f"{database.name.lower()}-main") as (port, log_path):
        outcomes, elapsed, unsent = run_phase(
            port, total=args.total, clients=args.clients, minutes=args.minutes, run_id=f"{run_id}M"
        )
    results["main"] = tally(database, f"{run_id}M", outcomes, elapsed, unsent, log_path)
    say(f"{database.name}: {results['main']}")
    return results


ROWS = [
    "sent",
    "acknowledged",
    "stored exactly once",
    "answered 429",
    "lost",
    "duplicated",
    "stored despite 429",
    "5xx",
    "other answer",
    "unsent",
    "stored without an answer",
    "database is locked",
    "server errors in log",
    "seconds",
    "per second",
]


def report(all_results, args, ok):
    columns = [(db, phase) for db, phases in all_results.items() for phase in phases]
    lines = [
        "# Load without loss (`make loadtest`)",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores: comments and topic suggestions "
        f"(half each) from concurrent clients to `bin/serve` (gunicorn, DEBUG off) on 127.0.0.1. Main phase: "
        f"{args.total} submissions from {args.clients} clients with SUBMISSIONS_RATE_LIMIT raised; limit phase: "
        f"{args.limit_total} submissions from {args.limit_clients} clients with the default limit (all from one "
        "address, so most must be answered 429). Each phase bounded to "
        f"{args.minutes} minutes.",
        "",
        "| figure | " + " | ".join(f"{db}, {phase}" for db, phase in columns) + " |",
        "| --- | " + " | ".join("---:" for _ in columns) + " |",
    ]
    for row in ROWS:
        lines.append(
            f"| {row} | " + " | ".join(str(all_results[db][phase].get(row, 0)) for db, phase in columns) + " |"
        )
    lines.append(
        "| HTTP answers | " + " | ".join(str(all_results[db][phase]["answers"]) for db, phase in columns) + " |"
    )
    lines += ["", f"Result: {'PASS' if ok else 'FAIL'} (0 lost, 0 duplicated, 0 5xx, 0 'database is locked')."]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--total", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--limit-total", type=int, default=300)
    parser.add_argument("--limit-clients", type=int, default=10)
    parser.add_argument("--minutes", type=float, default=10, help="upper bound for each phase")
    args = parser.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    run_id = datetime.now(UTC).strftime("%H%M%S")
    chosen = {"sqlite": Sqlite, "postgres": Postgres}
    all_results, ok = {}, True
    for name in [item.strip() for item in args.databases.split(",") if item.strip()]:
        database = chosen[name]()
        results = run_database(database, args, run_id)
        all_results[database.name] = results
        ok = ok and passed(results["main"], expect_429=False) and passed(results["default limit"], expect_429=True)
    text = report(all_results, args, ok)
    RESULTS.write_text(text)
    print(text)
    say(f"written to {RESULTS.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
