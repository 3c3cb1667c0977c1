"""`make clustertest`: the cluster of `make cluster`, driven through nginx, proving what scale-out promises.

1. an edit, an approval and a publish made through one instance show on the next anonymous request
   to every instance;
2. a login made through one instance works on the others;
3. an upload through one instance is served through another, from object storage;
4. rate limits and votes count per real reader across instances: nginx appends the address it
   saw to X-Forwarded-For, forged X-Forwarded-For / X-Real-IP / Forwarded headers change nothing
   (readers connect from their own loopback addresses, 127.0.0.2 and up; nginx is 127.0.0.1);
5. `kill -9` of one instance during 2,000 comment posts from 50 readers: every post answered with a
   redirect is stored exactly once, none twice, the surviving instances answer no 5xx, nginx stops
   sending to the dead one within 5 s, and the instance rejoins once restarted;
6. the cluster's Redis restarted mid-run: no 5xx beyond the seconds it is down, nothing lost, the
   page cache refills;
7. mail goes through the task workers (one beside each instance) to a local SMTP server: a comment
   posted through nginx produces its moderator notice exactly once, whichever worker takes it, and
   `kill -9` of one instance's worker in the middle of a batch loses no notice; only the one in
   flight at the kill may arrive again, under its own Message-ID.

Loopback only, bounded in count and time (a few minutes); reCAPTCHA answers from
bench/fake_recaptcha.py. Exits non-zero when a check fails. Figures go to .cache/cluster/clustertest/.
"""

import base64
import http.client
import json
import os
import re
import signal
import sys
import threading
import time
import urllib.parse
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pyotp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.loopback import free_port  # noqa: E402
from bench.smtp_sink import SmtpSink  # noqa: E402
from cluster.harness import Cluster, say  # noqa: E402

MAIL_BATCH = 30  # notices posted around the killing of one worker
MAIL_DELAY = 0.3  # seconds the SMTP server takes per message while mail is checked: a batch takes a while
LOAD_CLIENTS = 50
LOAD_POSTS = 2000
RATE_LIMIT = 45  # per reader and window: above the 40 posts each load reader sends
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORGED = {
    "X-Forwarded-For": "198.51.100.{n}",
    "X-Real-IP": "198.51.100.{n}",
    "Forwarded": "for=198.51.100.{n}",
}
results = []


def check(name, passed, detail):
    results.append({"check": name, "passed": bool(passed), "detail": detail})
    say(f"{'PASS' if passed else 'FAIL'}  {name}: {detail}")


# --- HTTP with a chosen source address (each reader its own loopback address) -------------------


class Reader:
    """A browser-like client: its own source address, its cookies, no keep-alive."""

    def __init__(self, base_url, address="127.0.0.1"):
        parsed = urllib.parse.urlsplit(base_url)
        self.host, self.port, self.address = parsed.hostname, parsed.port, address
        self.cookies = {}

    def request(self, method, path, *, form=None, body=None, headers=None, timeout=30):
        headers = {"Connection": "close", "Host": f"{self.host}:{self.port}", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout, source_address=(self.address, 0))
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, dict(response.getheaders()), content
        finally:
            connection.close()

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def token(self, path):
        status, _headers, content = self.get(path)
        match = TOKEN.search(content.decode())
        if status != 200 or not match:
            raise RuntimeError(f"no form on {path} ({status})")
        return match.group(1)

    def post(self, path, form, *, form_page=None, **kwargs):
        form = {"csrfmiddlewaretoken": self.token(form_page or path), **form}
        return self.request("POST", path, form=form, **kwargs)


class _FormFields(HTMLParser):
    """The fields of every form with method=post, in order (an admin page also has a logout form)."""

    def __init__(self):
        super().__init__()
        self.forms, self.in_form, self.select, self.textarea = [], False, None, None

    @property
    def fields(self):
        return self.forms[-1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self.in_form = True
            self.forms.append([])
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "file", "button"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")))
        elif tag == "select" and name:
            self.select = [name, None, None]
        elif tag == "option" and self.select is not None:
            if self.select[2] is None:
                self.select[2] = attrs.get("value", "")
            if "selected" in attrs:
                self.select[1] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "select" and self.select is not None:
            name, chosen, _first = self.select
            self.fields.append((name, chosen if chosen is not None else ""))
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append(tuple(self.textarea))
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data


def form_fields(html):
    """The fields of the page's largest POST form (the change form), with their current values."""
    parser = _FormFields()
    parser.feed(html)
    return max(parser.forms, key=len) if parser.forms else []


def multipart(fields, files):
    boundary = "clustertest-boundary-7d1e"
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def admin_login(reader):
    """The password, then the authenticator's code (the cluster runs as production: second factor required)."""
    status, headers, _ = reader.post(
        "/admin/login/?next=/admin/", {"username": "clustertest", "password": PASSWORD, "next": "/admin/"}
    )
    if status != 302:
        return False
    status, headers, _ = reader.post("/admin/security/verify/", {"code": AUTHENTICATOR.now(), "next": "/admin/"})
    return status == 302 and headers.get("Location") == "/admin/"


def admin_action(reader, changelist, action, pk):
    return reader.post(changelist, {"action": action, "_selected_action": str(pk), "index": "0", "select_across": "0"})


# --- The checks -------------------------------------------------------------------------------

PASSWORD = "clustertest-" + os.urandom(6).hex()
# The staff login's authenticator app, set up in main() with this key.
AUTHENTICATOR = pyotp.TOTP(pyotp.random_base32())


def page_on_every_instance(cluster, path):
    """The page as the next anonymous reader of each instance sees it (and whether it was a hit)."""
    pages = []
    for number in range(cluster.count):
        status, headers, content = Reader(cluster.instance_url(number)).get(path)
        pages.append((status, headers.get("X-Page-Cache", "-"), content.decode()))
    return pages


def warm_everywhere(cluster, path):
    for _ in range(2):
        page_on_every_instance(cluster, path)


def check_changes_show_everywhere(cluster, models):
    Article, Comment, _SiteSettings = models["Article"], models["Comment"], models["SiteSettings"]
    article = Article.objects.published().order_by("-publish_at").first()
    staff = Reader(cluster.instance_url(0))
    check("login through web1", admin_login(staff), "admin login answered with a redirect")

    # An edit: the clinic's name in site settings, through web1's admin change form.
    warm_everywhere(cluster, "/")
    hits = [cache for _s, cache, _c in page_on_every_instance(cluster, "/")]
    status, _h, content = staff.get("/admin/core/sitesettings/1/change/")
    fields = [(k, v) for k, v in form_fields(content.decode()) if k != "clinic_name"]
    new_name = f"Riverside Pain Clinic {int(time.time())}"
    body = urllib.parse.urlencode([*fields, ("clinic_name", new_name), ("_save", "Save")])
    status, _h, _c = staff.request(
        "POST",
        "/admin/core/sitesettings/1/change/",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    shown = [new_name in page for _s, _cache, page in page_on_every_instance(cluster, "/")]
    check("an edit shows on every instance", status == 302 and all(shown), f"cached before {hits}; shown {shown}")

    # An approval: a pending comment approved through web1's admin action.
    path = article.get_absolute_url()
    comment = Comment.objects.create(
        article=article,
        name="Cluster reader",
        email="reader@cluster.invalid",
        body=f"Approved across the cluster {time.time()}",
        status=Comment.Status.PENDING,
    )
    warm_everywhere(cluster, path)
    status, _h, _c = admin_action(staff, "/admin/comments/comment/", "approve", comment.pk)
    shown = [comment.body in page for _s, _cache, page in page_on_every_instance(cluster, path)]
    check("an approval shows on every instance", status == 302 and all(shown), f"shown {shown}")

    # A publish: a medically approved draft published through web1's admin action.
    draft = _draft_like(Article, article)
    _approve(draft)
    warm_everywhere(cluster, "/")
    status, _h, _c = admin_action(staff, "/admin/articles/article/", "publish", draft.pk)
    shown = [draft.title in page for _s, _cache, page in page_on_every_instance(cluster, "/")]
    check("a publish shows on every instance", status == 302 and all(shown), f"shown on the home page {shown}")
    return staff


def _draft_like(Article, article):
    stamp = int(time.time())
    return Article.objects.create(
        title=f"Pacing on a flare day {stamp}",
        slug=f"pacing-on-a-flare-day-{stamp}",
        summary="Pacing through a flare, one small step at a time.",
        body="## Pacing\n\nSmall steps, rests before you need them.",
        category=article.category,
        author=article.author,
        reviewer=article.reviewer,
        status=Article.Status.DRAFT,
    )


def _approve(article):
    """Submit the draft and approve it as a second person, as the clinic's review requires."""
    from django.contrib.auth.models import User

    from articles import review
    from articles.models import Clinician

    editor = User.objects.get(username="clustertest")
    reviewer, _created = User.objects.get_or_create(
        username=f"clustertest-reviewer-{article.reviewer_id}", defaults={"is_staff": True, "is_superuser": True}
    )
    # Only a named reviewer with a login that may approve can be asked; the demo's have none here.
    Clinician.objects.filter(pk=article.reviewer_id, user=None).update(user=reviewer)
    review.review_submit(article=article, user=editor)
    review.review_approve(article=article, revision=review.history_of(article).first(), user=reviewer)


def check_login_everywhere(cluster, staff):
    answers = []
    for number in range(1, cluster.count):
        other = Reader(cluster.instance_url(number))
        other.cookies = dict(staff.cookies)
        status, _h, content = other.get("/admin/")
        answers.append(status == 200 and "Log out" in content.decode())
    check("a login through web1 works on the others", all(answers), f"admin index on web2, web3: {answers}")


def check_upload(cluster, staff, models):
    Clinician = models["Clinician"]
    clinician = Clinician.objects.order_by("pk").first()
    url = f"/admin/articles/clinician/{clinician.pk}/change/"
    status, _h, content = staff.get(url)
    fields = [(k, v) for k, v in form_fields(content.decode()) if k not in ("photo-clear",)]
    fields.append(("_save", "Save"))
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (900, 900), (90, 140, 200)).save(buffer, "JPEG")
    body, content_type = multipart(fields, {"photo": ("cluster-portrait.jpg", buffer.getvalue(), "image/jpeg")})
    status, _h, answer = staff.request("POST", url, body=body, headers={"Content-Type": content_type})
    form_errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', answer.decode(), re.S)
    clinician.refresh_from_db()
    # The server names the stored file (random, never the upload's name): look for that name.
    stem = Path(clinician.photo.name).stem if clinician.photo else "(nothing stored)"
    stored = bool(clinician.photo) and clinician.photo.storage.exists(clinician.photo.name)
    # Through web3 (anonymous), then the image itself through nginx's /media/ from the bucket.
    _s, _h, page = Reader(cluster.instance_url(2)).get(clinician.get_absolute_url())
    sources = re.findall(rf'src="(http://127\.0\.0\.1:\d+/media/[^"]*{re.escape(stem)}[^"]*)"', page.decode())
    served = None
    if sources:
        media = urllib.parse.urlsplit(sources[0])
        served = Reader(f"http://127.0.0.1:{media.port}").get(media.path)
    from django.conf import settings

    local = Path(settings.MEDIA_ROOT) / clinician.photo.name
    passed = (
        status == 302
        and stored
        and served is not None
        and served[0] == 200
        and served[1].get("Content-Type", "").startswith("image/")
        and not local.exists()
    )
    detail = (
        f"upload answered {status} {form_errors[:3]}; in the bucket: {stored}; "
        f"web3's page links {len(sources)} image(s) of the upload under /media/; "
        f"fetched through nginx: {served[0] if served else None} {served[1].get('Content-Type') if served else ''}"
    )
    check("an upload through web1 is served through web3 from object storage", passed, detail)


def check_rate_limits_and_votes(cluster, models):
    Article, _Comment = models["Article"], models["Comment"]
    TopicSuggestion, TopicVote = models["TopicSuggestion"], models["TopicVote"]
    article = Article.objects.published().order_by("publish_at").first()
    path, post_path = article.get_absolute_url(), f"/comments/{article.slug}/"
    reader = Reader(cluster.url, "127.0.0.2")
    statuses = Counter()
    for n in range(RATE_LIMIT + 1):
        forged = {header: value.format(n=n % 250) for header, value in FORGED.items()}
        form = {
            "name": "Spoofing reader",
            "email": f"spoof{n}@cluster.invalid",
            "body": f"Post {n} from one reader behind many forged addresses.",
            "captcha": "t",
            "website": "",
        }
        status, _h, _c = reader.post(post_path, form, form_page=path, headers=forged)
        statuses[status] += 1
    other_status, _h, _c = Reader(cluster.url, "127.0.0.3").post(
        post_path,
        {
            "name": "Other reader",
            "email": "other@cluster.invalid",
            "body": "A different reader.",
            "captcha": "t",
            "website": "",
        },
        form_page=path,
    )
    passed = statuses[302] == RATE_LIMIT and statuses[429] == 1 and other_status == 302
    check(
        "rate limits count per real reader across instances, forged headers ignored",
        passed,
        f"one reader, {RATE_LIMIT + 1} posts with forged headers: {dict(statuses)}; another reader: {other_status}",
    )

    suggestion = TopicSuggestion.objects.filter(status=TopicSuggestion.Status.PLANNED).first()
    if suggestion is None:
        suggestion = TopicSuggestion.objects.create(
            topic="Sleeping with back pain",
            name="Clinic",
            email="clinic@cluster.invalid",
            status=TopicSuggestion.Status.PLANNED,
        )
    before = TopicVote.objects.filter(suggestion=suggestion).count()
    for n in range(3):  # the same reader, fresh cookies each time, forged headers, any instance
        voter = Reader(cluster.url, "127.0.0.4")
        forged = {header: value.format(n=n + 10) for header, value in FORGED.items()}
        voter.post(f"/topics/{suggestion.pk}/vote/", {}, form_page="/topics/", headers=forged)
    Reader(cluster.url, "127.0.0.5").post(f"/topics/{suggestion.pk}/vote/", {}, form_page="/topics/")
    added = TopicVote.objects.filter(suggestion=suggestion).count() - before
    check("votes count once per real reader across instances", added == 2, f"4 votes from 2 readers added {added}")


def check_mail_through_workers(cluster, models, sink):
    Article, SiteSettings, OutgoingEmail = models["Article"], models["SiteSettings"], models["OutgoingEmail"]
    site = SiteSettings.load()
    site.moderator_emails = "desk@cluster.invalid"
    site.save()
    article = Article.objects.published().order_by("publish_at").last()
    path, post_path = article.get_absolute_url(), f"/comments/{article.slug}/"
    found = re.compile(r"mailcheck-\d+")

    def notices():
        return sink.copies(lambda recipient, subject, body: (found.search(body) or [None])[0])

    def post(reader, number):
        form = {
            "name": "Mail check",
            "email": f"mail{number}@cluster.invalid",
            "body": f"mailcheck-{number}: a question for the desk.",
            "captcha": "t",
            "website": "",
        }
        return reader.post(post_path, form, form_page=path)[0]

    def wait_for_notices(count, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len([k for k in notices() if k]) < count:
            time.sleep(0.2)

    status = post(Reader(cluster.url, "127.0.2.1"), 0)
    wait_for_notices(1, 30)
    time.sleep(3)  # time for a second copy to show up, if one were coming
    copies = notices().get("mailcheck-0", 0)
    email = OutgoingEmail.objects.filter(body__contains="mailcheck-0").first()
    worker = "?"
    if email is not None:
        from django_tasks_db.models import DBTaskResult

        job = DBTaskResult.objects.filter(id=email.task_id).first()
        worker = ",".join(job.worker_ids) if job else "?"
    check(
        "a comment posted through nginx produces its moderator notice exactly once",
        status == 302 and copies == 1,
        f"post answered {status}; the notice arrived {copies} time(s), sent by {worker}",
    )

    reader, statuses = Reader(cluster.url, "127.0.2.2"), Counter()

    def post_batch():
        for number in range(1, MAIL_BATCH + 1):
            statuses[post(reader, number)] += 1

    poster = threading.Thread(target=post_batch)
    poster.start()
    wait_for_notices(1 + MAIL_BATCH // 4, 60)
    cluster.kill_worker(0)  # SIGKILL, in the middle of the batch: posts still coming, notices still going
    at_kill = len([k for k in notices() if k]) - 1
    poster.join()
    arrived = len([k for k in notices() if k]) - 1
    wait_for_notices(1 + MAIL_BATCH, 120)
    time.sleep(3)
    counts = notices()
    batch = {f"mailcheck-{n}": counts.get(f"mailcheck-{n}", 0) for n in range(1, MAIL_BATCH + 1)}
    missing = [k for k, v in batch.items() if v == 0]
    doubled = [k for k, v in batch.items() if v > 1]
    # The queue's guarantee: only the email the worker was killed with, if the mail server had
    # accepted it before its row was marked sent, comes again, under its own Message-ID.
    ids = {}
    for _recipient, _subject, body, message_id in list(sink.messages):
        key = (found.search(body) or [None])[0]
        ids.setdefault(key, set()).add(message_id)
    resent_as_itself = len(doubled) <= 1 and all(batch[k] == 2 and len(ids[k]) == 1 for k in doubled)
    check(
        "killing one instance's worker mid-batch loses no notice; only the one in flight may come again, as itself",
        statuses[302] == MAIL_BATCH and not missing and resent_as_itself and 0 < at_kill < MAIL_BATCH,
        f"{dict(statuses)} posts; {at_kill} notices had arrived when worker1 was killed, {arrived} when posting "
        f"ended; afterwards missing {missing or 'none'}, twice {doubled or 'none'} (as itself: {resent_as_itself})",
    )
    sink.delay = 0
    cluster.start_worker(0)


def _nginx_log(cluster):
    lines = []
    for line in (cluster.dir / "access.log").read_text().splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            continue
    return lines


def check_instance_death(cluster, models):
    Article, Comment = models["Article"], models["Comment"]
    article = Article.objects.published().order_by("publish_at")[1]
    path, post_path = article.get_absolute_url(), f"/comments/{article.slug}/"
    dead_port = cluster.web_ports[1]
    outcomes, lock = [], threading.Lock()
    per_client = LOAD_POSTS // LOAD_CLIENTS
    sent = Counter()

    def client(number):
        reader = Reader(cluster.url, f"127.0.1.{number + 1}")
        token = None
        for n in range(per_client):
            marker = f"load-{number}-{n}"
            try:
                if token is None:
                    token = reader.token(path)
                status, headers, _c = reader.request(
                    "POST",
                    post_path,
                    form={
                        "csrfmiddlewaretoken": token,
                        "name": f"Load reader {number}",
                        "email": f"load{number}@cluster.invalid",
                        "body": f"{marker}: thank you for this clear page.",
                        "captcha": "t",
                        "website": "",
                    },
                )
            except OSError as error:
                status, _headers = f"error {type(error).__name__}", {}
                token = None
            with lock:
                outcomes.append((marker, status, time.time()))
                sent["done"] += 1

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(LOAD_CLIENTS)]
    started = time.time()
    for thread in threads:
        thread.start()
    while sent["done"] < LOAD_POSTS // 4:
        time.sleep(0.05)
    killed_at = time.time()
    cluster.kill_instance(1)
    say(f"kill -9 web2 after {sent['done']} posts")
    for thread in threads:
        thread.join(timeout=300)
    finished = time.time()

    redirected = [marker for marker, status, _t in outcomes if status == 302]
    stored = Counter(
        body.split(":", 1)[0]
        for body in Comment.objects.filter(article=article, body__startswith="load-").values_list("body", flat=True)
    )
    missing = [m for m in redirected if stored[m] != 1]
    twice = [m for m, count in stored.items() if count > 1]
    statuses = Counter(str(status) for _m, status, _t in outcomes)

    log = [line for line in _nginx_log(cluster) if started <= _epoch(line) <= finished]
    survivors = {f"127.0.0.1:{port}" for n, port in enumerate(cluster.web_ports) if n != 1}
    survivor_5xx = 0
    dead_attempts = []
    for line in log:
        addresses = [a.strip() for a in line.get("upstream", "").split(",")]
        codes = [c.strip() for c in line.get("upstream_status", "").split(",")]
        for address, code in zip(addresses, codes, strict=False):
            if address in survivors and code.startswith("5"):
                survivor_5xx += 1
            if address == f"127.0.0.1:{dead_port}" and _epoch(line) >= killed_at:
                dead_attempts.append(_epoch(line) - killed_at)
    # nginx marks the dead instance down after one failure (the burst: requests already on their
    # way), then tries it once per fail_timeout (5 s); more than that would be sending to it.
    dead_attempts.sort()
    burst = dead_attempts[:1]
    for attempt in dead_attempts[1:]:
        if attempt - burst[-1] > 1:
            break
        burst.append(attempt)
    last_burst = burst[-1] if burst else 0.0
    probes = dead_attempts[len(burst) :]
    allowed_probes = int((finished - killed_at) / 5) + 1
    passed = (
        not missing
        and not twice
        and survivor_5xx == 0
        and last_burst <= 5
        and len(probes) <= allowed_probes
        and statuses["302"] > 0
    )
    check(
        f"kill -9 of web2 during {LOAD_POSTS} posts from {LOAD_CLIENTS} readers",
        passed,
        f"answers {dict(statuses)} in {finished - started:.1f} s; redirected {len(redirected)}, every one stored once: "
        f"{not missing} (missing {len(missing)}); stored twice: {len(twice)}; 5xx from survivors: {survivor_5xx}; "
        f"nginx's attempts on the dead instance: {len(burst)} within {last_burst:.2f} s of the kill, "
        f"then {len(probes)} probe(s) in {finished - killed_at:.0f} s (at most one per 5 s)",
    )
    figures = {
        "statuses": dict(statuses),
        "redirected": len(redirected),
        "missing": len(missing),
        "twice": len(twice),
        "survivor_5xx": survivor_5xx,
        "last_burst_s": round(last_burst, 2),
    }

    cluster.start_instance(1)
    rejoined_at = time.time()
    served = 0
    for _ in range(100):
        Reader(cluster.url).get("/healthz")
        time.sleep(0.1)
    for line in _nginx_log(cluster):
        if _epoch(line) >= rejoined_at and line.get("upstream", "").endswith(f":{dead_port}") and line["status"] == 200:
            served += 1
    check(
        "the restarted instance rejoins",
        served > 0,
        f"web2 answered {served} of 100 requests within ~10 s of restarting",
    )
    return figures


def _epoch(line):
    return float(line.get("msec", 0))


def check_redis_restart(cluster, models):
    Article, Comment = models["Article"], models["Comment"]
    article = Article.objects.published().order_by("publish_at")[2]
    path, post_path = article.get_absolute_url(), f"/comments/{article.slug}/"
    outcomes, lock, stop = [], threading.Lock(), threading.Event()

    def reader_loop(number):
        reader = Reader(cluster.url, f"127.0.2.{number + 1}")
        while not stop.is_set():
            try:
                status, _h, _c = reader.get(path)
            except OSError:
                status = "error"
            with lock:
                outcomes.append(("GET", None, status, time.time()))

    def poster_loop(number):
        reader = Reader(cluster.url, f"127.0.3.{number + 1}")
        n = 0
        while not stop.is_set():
            marker = f"redis-{number}-{n}"
            n += 1
            try:
                status, _h, _c = reader.post(
                    post_path,
                    {
                        "name": "Reader",
                        "email": f"redis{number}@cluster.invalid",
                        "body": f"{marker}: still here.",
                        "captcha": "t",
                        "website": "",
                    },
                    form_page=path,
                )
            except (OSError, RuntimeError):
                status = "error"
            with lock:
                outcomes.append(("POST", marker, status, time.time()))
            time.sleep(0.2)

    threads = [threading.Thread(target=reader_loop, args=(n,), daemon=True) for n in range(8)]
    threads += [threading.Thread(target=poster_loop, args=(n,), daemon=True) for n in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(4)
    down_at = time.time()
    cluster.restart_redis(down_seconds=3)
    up_at = time.time()
    time.sleep(5)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    errors_outside = [o for o in outcomes if str(o[2]).startswith("5") and not (down_at <= o[3] <= up_at + 1)]
    errors_during = [o for o in outcomes if str(o[2]).startswith("5") and down_at <= o[3] <= up_at + 1]
    redirected = [o[1] for o in outcomes if o[0] == "POST" and o[2] == 302]
    stored = {
        body.split(":", 1)[0]
        for body in Comment.objects.filter(article=article, body__startswith="redis-").values_list("body", flat=True)
    }
    lost = [m for m in redirected if m not in stored]
    Reader(cluster.url).get(path)
    refilled = [Reader(cluster.url).get(path)[1].get("X-Page-Cache") for _ in range(6)]
    passed = not errors_outside and not lost and "hit" in refilled
    check(
        "Redis restarted mid-run",
        passed,
        f"{len(outcomes)} requests; down {up_at - down_at:.1f} s; 5xx while down {len(errors_during)}, "
        f"outside {len(errors_outside)}; posts redirected {len(redirected)}, lost {len(lost)}; "
        f"cache after restart: {refilled}",
    )


def main():
    started = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the cluster on the way out
    smtp_port = free_port()
    cluster = Cluster(
        "clustertest",
        database="clinic_clustertest",
        fresh_database=True,
        env={
            "SUBMISSIONS_RATE_LIMIT": str(RATE_LIMIT),
            "SUBMISSIONS_RATE_WINDOW_SECONDS": "3600",
            # Mail to the local SMTP server below; a killed worker's email is queued again within seconds.
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "MAIL_STALE_SECONDS": "5",
            "MAIL_SWEEP_SECONDS": "2",
            "SCHEDULER_TICK_SECONDS": "1",
        },
    )
    with SmtpSink(smtp_port, delay=MAIL_DELAY) as sink, cluster:
        os.environ.update(cluster.env())
        os.environ["DJANGO_SETTINGS_MODULE"] = "clinic_site.settings"
        import django

        django.setup()
        from django.contrib.auth.models import User

        from articles.models import Article, Clinician
        from comments.models import Comment
        from core.models import OutgoingEmail, SiteSettings
        from topics.models import TopicSuggestion, TopicVote

        models = {
            "Article": Article,
            "Comment": Comment,
            "SiteSettings": SiteSettings,
            "Clinician": Clinician,
            "TopicSuggestion": TopicSuggestion,
            "TopicVote": TopicVote,
            "OutgoingEmail": OutgoingEmail,
        }
        from django_otp.plugins.otp_totp.models import TOTPDevice

        staff_user = User.objects.create_superuser("clustertest", "staff@cluster.invalid", PASSWORD)
        key = base64.b32decode(AUTHENTICATOR.secret).hex()
        TOTPDevice.objects.create(user=staff_user, name="Authenticator app", key=key, confirmed=True)
        say(f"cluster up at {cluster.url} after {time.monotonic() - started:.0f} s")
        staff = check_changes_show_everywhere(cluster, models)
        check_login_everywhere(cluster, staff)
        check_upload(cluster, staff, models)
        check_rate_limits_and_votes(cluster, models)
        check_mail_through_workers(cluster, models, sink)
        check_instance_death(cluster, models)
        check_redis_restart(cluster, models)
    failed = [r for r in results if not r["passed"]]
    (cluster.dir / "results.json").write_text(json.dumps(results, indent=2))
    say(f"{len(results) - len(failed)} of {len(results)} checks passed in {time.monotonic() - started:.0f} s")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
