"""SQL queries per page, counted in-process with Django's test client against a bench database.

Run by bench/run.py with DATABASE_URL set and PAGE_CACHE_SECONDS=0 (every page is built from
the database). Each page is requested once to warm the process-wide caches (site settings,
navigation), as a running server has them warm, then counted on a second request.
Prints one JSON object: {path: {"status": int, "queries": int}}.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings")


def main(paths):
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()  # lets the test client run outside a test runner
    client = Client()
    results = {}
    for path in paths:
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        results[path] = {"status": response.status_code, "queries": len(captured.captured_queries)}
    print(json.dumps(results))


def count_bench_comments(domain):
    """Rows the comment POST benchmark stored, by status; then removes them so the database stays as built."""
    import django

    django.setup()
    from django.db.models import Count

    from comments.models import Comment

    rows = Comment.objects.filter(email__endswith=f"@{domain}")
    by_status = dict(rows.values_list("status").annotate(n=Count("id")).order_by())
    rows.delete()
    print(json.dumps({"stored": sum(by_status.values()), "by_status": by_status}))


if __name__ == "__main__":
    if sys.argv[1] == "--count-bench-comments":
        count_bench_comments(sys.argv[2])
    else:
        main(sys.argv[1:])
