"""The busy day: readers spread over 1,000 articles while a moderator approves a comment a second.

32 connections (wrk with a Lua script) request article pages with a Zipf-like popularity (the
article of rank r is asked for in proportion to 1/r), while bench/moderator.py approves one new
comment per second on a random article. Measured twice on the same server set-up and database:
with every change dropping every page (`PAGE_CACHE_WHOLE_SITE=1`, the old behaviour) and with
invalidation by page. The hit rate comes from the `X-Page-Cache` header of every answer; the
static file is measured in the same run as the ceiling, through the same script.

Run alone with `python bench/busy_day.py` (after `make bench` has built the SQLite database), or as
part of `make bench`.
"""

import json
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.databases import PYTHON, base_env, build_databases, database_targets  # noqa: E402
from bench.wrk_runner import (  # noqa: E402
    CONNECTIONS,
    RESULTS,
    ROOT,
    THREADS,
    WORK,
    clinic_server,
    ensure_wrk,
    parse_wrk,
    stylesheet_path,
)

DURATION = 10  # seconds of reading while the moderator works
ZIPF_EXPONENT = 1.0
BUDGETS = {"hit_rate": 0.95, "static_share": 0.60}

LUA = """
local paths = {%(paths)s}
local cumulative = {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  hits, misses, other = 0, 0, 0
  local total = 0
  for rank = 1, #paths do
    total = total + 1 / rank ^ %(exponent)s
    cumulative[rank] = total
  end
  for rank = 1, #paths do cumulative[rank] = cumulative[rank] / total end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) %% 100000)
end

request = function()
  local x, low, high = math.random(), 1, #paths
  while low < high do
    local middle = math.floor((low + high) / 2)
    if cumulative[middle] < x then low = middle + 1 else high = middle end
  end
  return wrk.format("GET", paths[low])
end

response = function(status, headers, body)
  local state = headers["X-Page-Cache"]
  if state == "hit" then hits = hits + 1 elseif state == "miss" then misses = misses + 1 else other = other + 1 end
end

done = function(summary, latency, requests)
  local h, m, o = 0, 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits"); m = m + thread:get("misses"); o = o + thread:get("other")
  end
  io.write(string.format("PAGECACHE hits=%%d misses=%%d other=%%d\\n", h, m, o))
end
"""


def say(message):
    print(f"[{time.strftime('%H:%M:%S')}] busy day: {message}", flush=True)


def article_paths(base_url):
    """Every article page, from the sitemap, in a fixed shuffled popularity order."""
    with urllib.request.urlopen(base_url + "/sitemap.xml", timeout=60) as response:
        sitemap = response.read().decode()
    paths = sorted({re.sub(r"^https?://[^/]+", "", url) for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)})
    paths = [path for path in paths if path.startswith("/articles/")]
    random.Random(42).shuffle(paths)
    return paths


def warm(base_url, paths):
    def fetch(path):
        with urllib.request.urlopen(base_url + path, timeout=60) as response:
            response.read()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(fetch, paths))


def drive(server, paths, duration):
    """wrk with the Lua script over `paths` for `duration` s: its figures and the hit counts."""
    script = Path(tempfile.mkdtemp(prefix="busy-day-")) / "zipf.lua"
    script.write_text(LUA % {"paths": ",".join(json.dumps(path) for path in paths), "exponent": ZIPF_EXPONENT})
    command = [ensure_wrk(), f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    command += ["-H", "Connection: close", "-s", str(script), server.base_url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60, check=False)
    figures = parse_wrk(done.stdout).as_dict()
    counts = re.search(r"PAGECACHE hits=(\d+) misses=(\d+) other=(\d+)", done.stdout)
    hits, misses, other = (int(n) for n in counts.groups()) if counts else (0, 0, 0)
    answered = hits + misses + other
    figures.update(hits=hits, misses=misses, other=other, hit_rate=hits / answered if answered else 0.0)
    return figures


def read_while_moderating(server, paths, env, cache_dir):
    moderator_env = {**env, "DJANGO_CACHE_DIR": str(cache_dir)}
    moderator = subprocess.Popen(
        [PYTHON, "bench/moderator.py", "1"], cwd=ROOT, env=moderator_env, stdout=subprocess.PIPE, text=True
    )
    try:
        figures = drive(server, paths, DURATION)
    finally:
        moderator.send_signal(signal.SIGTERM)
        approvals = moderator.communicate(timeout=30)[0].strip()
    figures["approvals"] = int(approvals or 0)
    return figures


def measure(database_url, media_root, static_path, env):
    """{mode: figures} for the whole-site generation and for invalidation by page."""
    results = {}
    for mode, whole_site in (("whole-site generation", "1"), ("by page", "0")):
        name = f"busy-day-{'site' if whole_site == '1' else 'page'}"
        extra = {
            "PAGE_CACHE_WHOLE_SITE": whole_site,
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        }
        with clinic_server(name, database_url, media_root, **extra) as server:
            paths = article_paths(server.base_url)
            say(f"{mode}: warming {len(paths)} article pages")
            warm(server.base_url, paths)
            # The ceiling through the same Lua script (same client-side cost per request).
            drive(server, [static_path], 1)
            static = max((drive(server, [static_path], 4) for _ in range(2)), key=lambda run: run["rps"])
            say(f"{mode}: {DURATION} s of Zipf reads at {CONNECTIONS} connections, one approval per second")
            figures = read_while_moderating(server, paths, {**env, **extra}, WORK / "cache" / name)
            figures["static_rps"] = static["rps"]
            figures["static_share"] = figures["rps"] / static["rps"] if static["rps"] else 0.0
            figures["articles"] = len(paths)
            results[mode] = figures
    return results


def markdown(results):
    lines = [
        "| invalidation | req/s | of static | hit rate | p50 ms | p99 ms | approvals | static req/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for mode, f in results.items():
        lines.append(
            f"| {mode} | {f['rps']:,.0f} | {f['static_share']:.0%} | {f['hit_rate']:.1%} | {f['p50_ms']:.1f} | "
            f"{f['p99_ms']:.1f} | {f['approvals']} | {f['static_rps']:,.0f} |"
        )
    figures = results.get("by page")
    if figures:
        met = figures["hit_rate"] >= BUDGETS["hit_rate"] and figures["static_share"] >= BUDGETS["static_share"]
        lines += [
            "",
            f"Budget (by page): hit rate ≥ {BUDGETS['hit_rate']:.0%} and ≥ {BUDGETS['static_share']:.0%} of the "
            f"static file's req/s: {'met' if met else '**not met**'}.",
        ]
    return "\n".join(lines) + "\n"


def main():
    WORK.mkdir(parents=True, exist_ok=True)
    url = next(url for backend, size, url in database_targets(False) if size == "1k")
    build_databases([("sqlite", "1k", url)])
    media = WORK / "media-sqlite-1k"
    env = base_env(url, media)
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    with clinic_server("busy-day-probe", url, media) as server:
        static_path = stylesheet_path(server.base_url)
    results = measure(url, media, static_path, env)
    print(markdown(results))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "busy_day.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
