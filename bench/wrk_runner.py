"""Start a server the way `make serve` does, wait for it, drive it with wrk, stop it.

Everything stays on 127.0.0.1 and every wrk run is bounded to a few seconds. wrk comes from
Debian (`apt-get install wrk`); keep-alive piles connections onto one sync worker, so each
request opens its own connection (`Connection: close`), as TOOLING.md advises.
"""

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.loopback import free_port
from bench.weigh import asset_urls

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
RESULTS = ROOT / "bench" / "results"
CONNECTIONS = 32
THREADS = 2
DURATION = 4  # seconds per measured run
WARMUP = 1  # seconds of unmeasured load first (fills caches, wakes workers)
REPEATS = 2  # measured runs per page; the best is kept


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # socket errors plus non-2xx/3xx answers

    def as_dict(self):
        return asdict(self)


def ensure_wrk():
    """wrk's path; installs Debian's package when missing and we are root, else explains."""
    path = shutil.which("wrk")
    if path:
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing: installing Debian's package (apt-get install -y wrk)…", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, check=False)
        if not shutil.which("wrk"):
            subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
            subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, check=False)
        path = shutil.which("wrk")
    if not path:
        raise SystemExit("make bench needs wrk: please run `sudo apt-get install wrk` and try again.")
    return path


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text):
    match = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text)
    return float(match.group(1)) * _UNITS[match.group(2)] if match else float("nan")


def parse_wrk(output):
    rps = re.search(r"Requests/sec:\s+([0-9.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    total = re.search(r"(\d+) requests in", output)
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors += int(non_2xx.group(1)) if non_2xx else 0
    return WrkResult(
        rps=float(rps.group(1)) if rps else 0.0,
        p50_ms=_ms(p50.group(1)) if p50 else float("nan"),
        p99_ms=_ms(p99.group(1)) if p99 else float("nan"),
        requests=int(total.group(1)) if total else 0,
        errors=errors,
    )


def wrk(url, *, headers=(), duration=DURATION, warmup=WARMUP, repeats=REPEATS):
    """Requests/s and latency percentiles for `url` at 32 connections: the best of `repeats` runs.

    The best run is the one least disturbed by other work on the machine; every page, the static
    ceiling and the peer are measured the same way.
    """
    base = [ensure_wrk(), f"-t{THREADS}", f"-c{CONNECTIONS}", "--latency", "--timeout", "5s"]
    for header in ("Connection: close", *headers):
        base += ["-H", header]
    if warmup:
        subprocess.run([*base, f"-d{warmup}s", url], capture_output=True, text=True, timeout=warmup + 30, check=False)
    runs = []
    for _ in range(repeats):
        done = subprocess.run([*base, f"-d{duration}s", url], capture_output=True, text=True, timeout=duration + 30)
        runs.append(parse_wrk(done.stdout))
    return max(runs, key=lambda run: run.rps)


class Server:
    """A gunicorn server started by a command; `with Server(...) as server:` stops it at the end."""

    def __init__(self, name, command, *, env, cwd, port, health_path="/healthz", health_headers=None):
        self.name, self.command, self.env, self.cwd, self.port = name, command, env, cwd, port
        self.health_path, self.health_headers = health_path, health_headers or {}
        self.process = None
        self.log_path = WORK / "logs" / f"{name}.log"

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        # A new session, so the server and its workers can be stopped together by this id only.
        self.process = subprocess.Popen(
            self.command, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        self._wait_healthy()
        return self

    def _wait_healthy(self, timeout=120):
        deadline = time.monotonic() + timeout
        request = urllib.request.Request(self.base_url + self.health_path, headers=self.health_headers)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} stopped while starting; see {self.log_path}")
            try:
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        self.__exit__(None, None, None)
        raise RuntimeError(f"{self.name} did not answer {self.health_path} within {timeout}s; see {self.log_path}")

    def __exit__(self, *exc):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # gunicorn's master stops its workers
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def fresh_cache_dir(name):
    """An empty file cache for one server: pages, navigation and settings never leak between databases."""
    path = WORK / "cache" / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def clinic_server(name, database_url, media_root, **extra_env):
    """Exactly what `make serve` runs (bin/serve), on a free loopback port, without seeding."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_DEBUG", "PAGE_CACHE_SECONDS"}}
    env.update(
        SKIP_SEED="1",
        DATABASE_URL=database_url,
        DJANGO_MEDIA_ROOT=str(media_root),
        DJANGO_CACHE_DIR=str(fresh_cache_dir(name)),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        # The access log stays on, as in production, but goes to the run's log file.
        **extra_env,
    )
    return Server(name, ["bash", "bin/serve"], env=env, cwd=ROOT, port=port)


def stylesheet_path(base_url):
    """The path of the site's stylesheet: the static file every page is measured against."""
    html = urllib.request.urlopen(base_url + "/", timeout=30).read().decode()
    css = [url for url in asset_urls(base_url + "/", html) if url.endswith(".css")]
    return css[0].removeprefix(base_url) if css else None


def warm(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    for _ in range(3):
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
