"""The peer: Wagtail's demo site ("bakerydemo") under our gunicorn settings, on the same machine.

Nothing of it enters this repository. Its source comes from `PEER_SOURCE`: a git URL or a folder
holding a clone of the public wagtail/bakerydemo repository (bare or not). Its packages come from
PyPI into a virtualenv under ~/.cache/clinic-bench, kept between runs. Without `PEER_SOURCE` the
peer is skipped with a message; the rest of the benchmark runs as usual.

Commit: the newest bakerydemo commit whose requirements still accept Django 5.2 (the next one,
49cda62, moves to Django 6.0, which needs Python 3.12; this machine has 3.11). Its Wagtail is 7.2.
django-tasks is held at 0.8.1 because 0.9 fails on Python 3.11.7 when loading the demo data.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from bench.loopback import free_port
from bench.wrk_runner import ROOT, Server

COMMIT = "3c7e3af"
PEER_SOURCE = os.environ.get("PEER_SOURCE", "").strip()
CACHE = Path(os.environ.get("CLINIC_BENCH_CACHE", Path.home() / ".cache" / "clinic-bench"))
VENV = CACHE / "wagtail-venv"
SOURCE = CACHE / f"bakerydemo-{COMMIT}"
DATABASE = SOURCE / "bench.sqlite3"
EXTRA_PACKAGES = ["gunicorn==27.0.1", "whitenoise==6.6.0", "django-tasks==0.8.1"]
BLOG_PATH = "/blog/wild-yeast/"
STATIC_PATH_HINT = "css/main.css"
# Its production settings redirect plain HTTP to HTTPS and trust this header from the proxy.
HEADERS = {"X-Forwarded-Proto": "https"}
PYTHON = VENV / "bin" / "python"
SECRET = "bench-only-secret-key-for-the-wagtail-peer-0123456789abcdefghijklmnop"  # noqa: S105


def _env():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS"))}
    env.update(
        DJANGO_SETTINGS_MODULE="bakerydemo.settings.production",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DATABASE_URL=f"sqlite:///{DATABASE}",
        PYTHONPATH=str(SOURCE),
    )
    return env


def _run(args, **kwargs):
    return subprocess.run(args, cwd=SOURCE, env=_env(), check=True, capture_output=True, text=True, **kwargs)


def _git_dir():
    """The peer's git directory: the folder given (bare, or its .git), or a bare clone of the URL."""
    folder = Path(PEER_SOURCE).expanduser()
    if folder.is_dir():
        return folder / ".git" if (folder / ".git").is_dir() else folder
    clone = CACHE / "bakerydemo.git"
    if not clone.exists():
        subprocess.run(["git", "clone", "--bare", "--quiet", PEER_SOURCE, str(clone)], check=True)
    return clone


def setup(log=print):
    """Prepare the peer once (venv, source, demo data, static files); None or why it is skipped."""
    stamp = CACHE / f"peer-{COMMIT}.ready"
    if stamp.exists() and PYTHON.exists() and DATABASE.exists():
        return None
    if not PEER_SOURCE:
        return "PEER_SOURCE is not set (a git URL or folder of wagtail/bakerydemo)"
    log(f"Preparing the Wagtail peer in {CACHE} (first run only, a few minutes)…")
    CACHE.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(SOURCE, ignore_errors=True)
    SOURCE.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "--git-dir", str(_git_dir()), "archive", COMMIT], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(SOURCE)], input=archive, check=True)
    if not PYTHON.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run(
        [str(PYTHON), "-m", "pip", "install", "--quiet", "-r", str(SOURCE / "requirements" / "base.txt"),
         *EXTRA_PACKAGES],
        check=True,
    )  # fmt: skip
    _run([str(PYTHON), "manage.py", "migrate", "--noinput", "-v0"])
    _run([str(PYTHON), "manage.py", "load_initial_data"])
    _run([str(PYTHON), "manage.py", "collectstatic", "--noinput", "-v0"])
    stamp.write_text(COMMIT)
    return None


def server():
    """Its gunicorn, with our gunicorn.conf.py (2 sync workers, same timeouts and logging)."""
    port = free_port()
    env = {**_env(), "GUNICORN_BIND": f"127.0.0.1:{port}"}
    command = [str(VENV / "bin" / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py"), "bakerydemo.wsgi"]
    return Server("wagtail-peer", command, env=env, cwd=SOURCE, port=port, health_path=BLOG_PATH,
                  health_headers=HEADERS)  # fmt: skip


_QUERY_COUNT = """
import django, json
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
setup_test_environment()
client = Client(HTTP_X_FORWARDED_PROTO="https")
client.get(PATH)
with CaptureQueriesContext(connection) as captured:
    response = client.get(PATH)
print(json.dumps({"status": response.status_code, "queries": len(captured.captured_queries)}))
"""


def query_count(path=BLOG_PATH):
    """Queries for one warm request to the peer's page, counted the way probe.py counts ours."""
    done = _run([str(PYTHON), "-c", f"PATH = {path!r}\n{_QUERY_COUNT}"])
    return json.loads(done.stdout.strip().splitlines()[-1])
