"""gunicorn settings for `make serve`, the container and production.

Sync workers, one per CPU: on small machines more workers than cores only adds context
switches (measured on 2 cores: 2 workers beat 4). Override with WEB_CONCURRENCY.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", max(2, multiprocessing.cpu_count())))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 2
# Workers are recycled now and then to bound any slow leak. Not every few seconds: a new worker
# starts with an empty in-memory page cache, a new database connection and cold template caches,
# and under load (1,000+ requests/s per worker) 5,000 requests was a recycle every 4 s.
max_requests = 100_000
max_requests_jitter = 10_000
# Load Django once in the master: a worker recycled by max_requests is then a cheap fork, not a
# second-long boot that stalls the requests queued on it (bench/: p99 spikes of 0.3-1.3 s under load).
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# A unix socket (GUNICORN_BIND=unix:/run/clinic/gunicorn.sock) is created read-write for this user
# and its group only (0660), whatever folder it is in: the site trusts whoever writes to it as its
# proxy (TRUSTED_PROXY_UNIX_SOCKET), so no other user of the machine may. Put nginx in the group.
umask = 0o117
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 (heartbeat files in RAM)
# gunicorn's control socket defaults to one path per user, which a second instance on the same
# machine takes over (and deletes on exit). Off unless GUNICORN_CONTROL_SOCKET gives this
# instance a path of its own.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip() or None
control_socket_disable = control_socket is None
if control_socket is None:
    del control_socket
