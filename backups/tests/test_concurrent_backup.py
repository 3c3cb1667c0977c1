"""A backup taken while twenty readers post comments holds every comment the site acknowledged before
the backup started, and no comment half-written; the restored site shows them on the article page."""

import threading
import time

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.urls import reverse

from articles.tests.factories import make_article
from backups.jobs import backup_create, backup_restore
from backups.tests.databases import as_default

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("comments_open_to_all")]

CLIENTS = 20
MOST_POSTS_PER_CLIENT = 25


class Readers:
    """Twenty clients posting through the real comment view, each on its own thread and connection."""

    def __init__(self, article, use_shared_database):
        self.url = reverse("comments:post", kwargs={"slug": article.slug})
        self.use_shared_database = use_shared_database
        self.acknowledged, self.sent, self.failures = [], set(), []
        self.lock, self.stop = threading.Lock(), threading.Event()
        self.threads = [threading.Thread(target=self.post, args=(number,)) for number in range(CLIENTS)]

    def post(self, number):
        try:
            with self.use_shared_database():
                client = Client()
                for n in range(MOST_POSTS_PER_CLIENT):
                    if self.stop.is_set():
                        break
                    body = f"Reader {number} says thank you, note {n}."
                    with self.lock:
                        self.sent.add(body)
                    data = {"name": f"Reader {number}", "email": f"reader{number}@example.com", "body": body}
                    response = client.post(self.url, {**data, "captcha": "token", "website": ""})
                    if response.status_code != 302:
                        raise AssertionError(f"{response.status_code} for {body}")
                    with self.lock:
                        self.acknowledged.append(body)
        except Exception as error:  # noqa: BLE001 (reported by the test, not lost in the thread)
            self.failures.append(error)
        finally:
            connections.close_all()

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def wait_for(self, count, timeout=30):
        deadline = time.monotonic() + timeout
        while len(self.acknowledged) < count and time.monotonic() < deadline:
            time.sleep(0.01)

    def acknowledged_so_far(self):
        with self.lock:
            return set(self.acknowledged)


def test_a_backup_during_comment_posting_keeps_every_acknowledged_comment(
    shared_default, tmp_path, empty_database, empty_media
):
    article = make_article(title="Pacing your day", slug="pacing-your-day")
    with Readers(article, shared_default) as readers:
        readers.wait_for(CLIENTS)
        before_backup = readers.acknowledged_so_far()
        archive = backup_create(output=tmp_path / "during-posting.tar").path
        acknowledged_during = len(readers.acknowledged) - len(before_backup)
    assert not readers.failures, readers.failures[:3]
    assert len(before_backup) >= CLIENTS

    backup_restore(path=archive, using=empty_database.alias, storage=empty_media)
    Comment = apps.get_model("comments", "Comment")
    restored = list(Comment.objects.using(empty_database.alias).filter(article_id=article.pk))
    bodies = {comment.body for comment in restored}
    assert before_backup <= bodies, f"lost {len(before_backup - bodies)} acknowledged comments"
    assert bodies <= readers.sent
    assert len(bodies) == len(restored)
    assert all(comment.name and comment.email and comment.status == "approved" for comment in restored)
    print(f"{len(before_backup)} acknowledged before the backup, {acknowledged_during} while it ran")

    call_command("check", databases=[empty_database.alias])
    with as_default(empty_database.settings_dict):
        page = Client().get(article.get_absolute_url())
    assert page.status_code == 200
    shown = {body for body in readers.sent if body in page.content.decode()}
    assert shown == bodies
