"""Comment POSTs while the mail server is slow: readers must not wait for it.

The site as `make serve` runs it (gunicorn and one task worker) on a fresh SQLite database with the
demo content, 16 connections posting comments for a while, each comment queuing a moderator notice.
Twice: with a local SMTP server that takes 10 s per message, and with one that answers at once.
Prints p50/p99 of the POSTs in each case, and how many notices had arrived by the end of the posting
and a little later. No asserts on time: `python bench/mail_queue.py`.
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import comment_load  # noqa: E402
from bench.databases import base_env, say  # noqa: E402
from bench.loopback import free_port  # noqa: E402
from bench.smtp_sink import SmtpSink  # noqa: E402
from bench.wrk_runner import ROOT, clinic_server  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python")
CLIENTS = 16
SECONDS = 15
SLOW_SMTP_SECONDS = 10.0


def prepare(database_url, media):
    env = base_env(database_url, media)
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    script = (
        "from core.models import SiteSettings; s = SiteSettings.load(); "
        "s.moderator_emails = 'desk@bench.invalid'; s.save(); "
        "from articles.models import Article; print(Article.objects.published().first().get_absolute_url())"
    )
    done = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip().splitlines()[-1]


def measure(name, database_url, media, article, smtp_delay):
    port = free_port()
    env = {
        "RECAPTCHA_VERIFY": "bench.fake_recaptcha.submit",
        "RECAPTCHA_PUBLIC_KEY": "bench-public-key",
        "RECAPTCHA_PRIVATE_KEY": "bench-private-key",
        "SUBMISSIONS_RATE_LIMIT": "1000000",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_TIMEOUT": str(int(SLOW_SMTP_SECONDS) + 5),
    }
    slug = article.strip("/").rsplit("/", 1)[1]
    with SmtpSink(port, delay=smtp_delay) as sink, clinic_server(name, database_url, media, **env) as server:
        figures = comment_load.run(server.port, article, f"/comments/{slug}/", clients=CLIENTS, duration=SECONDS)
        figures["notices_when_posting_ended"] = sink.count()
        time.sleep(5)
        figures["notices_5s_later"] = sink.count()
    return figures


def main():
    folder = Path(tempfile.mkdtemp(prefix="mail-queue-bench-"))
    database_url = f"sqlite:///{folder / 'bench.sqlite3'}"
    media = folder / "media"
    say(f"fresh database with the demo content in {folder}")
    article = prepare(database_url, media)
    rows = []
    for name, delay in (("smtp-10s", SLOW_SMTP_SECONDS), ("smtp-instant", 0.0)):
        say(f"{name}: {CLIENTS} connections posting comments for {SECONDS} s")
        figures = measure(f"mail-{name}", database_url, media, article, delay)
        rows.append((name, figures))
    print()
    print(f"{'SMTP':<14} {'posts':>6} {'posts/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'mail at end':>12} {'+5 s':>6}")
    for name, f in rows:
        print(
            f"{name:<14} {f['accepted']:>6} {f['posts_per_s']:>8} {f['p50_ms']:>8} {f['p99_ms']:>8} "
            f"{f['notices_when_posting_ended']:>12} {f['notices_5s_later']:>6}"
        )
    print(f"statuses: {[(name, f['statuses']) for name, f in rows]}")


if __name__ == "__main__":
    main()
