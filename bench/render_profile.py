"""Time and profile uncached renders of one page in-process (no server, no network).

Run with a bench database, as bench/run.py's servers see it:

    DATABASE_URL=sqlite:///bench/.work/sqlite-1k.sqlite3 DJANGO_MEDIA_ROOT=bench/.work/media-sqlite-1k \\
        python bench/render_profile.py /articles/bench-comments-50/ [--requests 300] [--profile 40]

The page cache is off (PAGE_CACHE_SECONDS=0) and DEBUG is off. A few requests warm the
process-wide caches first, as on a running server. Prints the mean milliseconds per request
through the WSGI handler (wall clock and this process's CPU time: on a busy machine the latter
moves less) and, with --profile N, the N costliest functions by cumulative time
in milliseconds per request.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings")
os.environ["PAGE_CACHE_SECONDS"] = "0"
os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("DJANGO_SECRET_KEY", "render-profile-only")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")


def environ_for(path):
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    args = parser.parse_args()

    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()

    def request():
        status = []
        response = application(environ_for(args.path), lambda s, h, *a: status.append(s))
        body = b"".join(response)
        response.close()  # as a WSGI server does: sends request_finished
        if not status[0].startswith("200"):
            raise SystemExit(f"{args.path} answered {status[0]}")
        return body

    for _ in range(20):
        body = request()
    started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(args.requests):
        request()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(
        f"{args.path}: {elapsed / args.requests * 1000:.2f} ms per uncached request, "
        f"{cpu / args.requests * 1000:.2f} ms of CPU ({len(body):,} bytes)"
    )

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            request()
        profiler.disable()
        stats = pstats.Stats(profiler)
        rows = []
        for (filename, line, name), (_cc, _nc, _tt, cumulative, _callers) in stats.stats.items():
            rows.append((cumulative, f"{Path(filename).name}:{line}({name})"))
        rows.sort(reverse=True)
        print(f"costliest functions, cumulative ms per request (under cProfile, {args.requests} requests):")
        for cumulative, where in rows[: args.profile]:
            print(f"{cumulative / args.requests * 1000:8.2f}  {where}")


if __name__ == "__main__":
    main()
