"""Comment POST throughput: 50 concurrent readers posting comments, each with its own CSRF pair.

Each client fetches the article page first (CSRF cookie plus the form's token), then posts
comments for a fixed time, one connection per request. The server under test runs with the
`RECAPTCHA_VERIFY` setting, so the reCAPTCHA check answers without leaving the
machine. The caller counts the rows stored afterwards: every accepted post must be a row.
"""

import re
import threading
import time
import urllib.parse
from collections import Counter

from bench.loopback import request

CLIENTS = 50
DURATION = 5  # seconds of posting
EMAIL_DOMAIN = "bench.invalid"
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_COOKIE = re.compile(r"csrftoken=([^;]+)")


def _client(number, port, article_path, post_path, stop_at, statuses, latencies, lock):
    status, set_cookie, page = request(port, "GET", article_path)
    cookie, token = _COOKIE.search(set_cookie), _TOKEN.search(page.decode())
    if status != 200 or not cookie or not token:
        with lock:
            statuses["no-form"] += 1
        return
    headers = {
        "Cookie": f"csrftoken={cookie.group(1)}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"http://127.0.0.1:{port}{article_path}",
    }
    sent = 0
    while time.monotonic() < stop_at:
        sent += 1
        form = {
            "csrfmiddlewaretoken": token.group(1),
            "name": f"Bench reader {number}",
            "email": f"reader{number}@{EMAIL_DOMAIN}",
            "body": f"Comment {sent} from bench reader {number}: thank you, this was clear and kind.",
            "captcha": "bench-token",
            "website": "",
        }
        started = time.monotonic()
        try:
            status, _cookie, _body = request(port, "POST", post_path, urllib.parse.urlencode(form), headers)
        except OSError:
            status = "error"
        with lock:
            statuses[status] += 1
            latencies.append(time.monotonic() - started)


def run(port, article_path, post_path, clients=CLIENTS, duration=DURATION):
    """{"posts_per_s", "accepted", "statuses", "p50_ms", "p99_ms"}; accepted = 302 answers."""
    statuses, latencies, lock = Counter(), [], threading.Lock()
    stop_at = time.monotonic() + duration
    threads = [
        threading.Thread(
            target=_client, args=(n, port, article_path, post_path, stop_at, statuses, latencies, lock), daemon=True
        )
        for n in range(clients)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 60)
    elapsed = time.monotonic() - started
    latencies.sort()

    def percentile(p):
        return round(latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000, 1) if latencies else None

    return {
        "clients": clients,
        "seconds": round(elapsed, 2),
        "accepted": statuses[302],
        "posts_per_s": round(statuses[302] / elapsed, 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items(), key=str)},
        "p50_ms": percentile(0.5),
        "p99_ms": percentile(0.99),
    }
