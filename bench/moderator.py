"""A busy moderator: approves one new comment per second on a random article, until stopped.

Run by bench/busy_day.py beside the server, with the server's database and cache, so each
approval invalidates the page cache exactly as an approval in the admin does. Prints the number
of approvals on exit.
"""

import os
import random
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic_site.settings")


def main(interval):
    import django

    django.setup()
    from articles.models import Article
    from comments.models import Comment

    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    articles = list(Article.objects.published().only("pk", "slug"))
    chooser = random.Random(7)
    approvals = 0
    next_at = time.monotonic()
    while not stopping:
        article = chooser.choice(articles)
        comment = Comment.objects.create(
            article=article,
            name="Busy-day reader",
            email=f"reader{approvals}@bench.invalid",
            body="Thank you, the stretches helped.",
            status=Comment.Status.PENDING,
        )
        comment.status = Comment.Status.APPROVED
        comment.save()
        approvals += 1
        next_at += interval
        time.sleep(max(0.0, next_at - time.monotonic()))
    print(approvals, flush=True)


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0)
