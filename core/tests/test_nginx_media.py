"""The documented proxy (docs/nginx.conf) serves uploads as images only, whatever the bucket says.

nginx runs unprivileged on a loopback port with the site's own file, its object store replaced by
a tiny server that answers every key with a PNG-and-HTML polyglot typed `text/html`, as a bucket
would keep an object stored with the type its uploader sent.
"""

import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.loopback import free_port
from bench.nginx import checked_command, nginx_path, write_config
from core.tests.hostile_images import SCRIPT, html_polyglot

NGINX = nginx_path()
CSP = "default-src 'none'; img-src 'self'; sandbox"

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed")


class HostileBucket(BaseHTTPRequestHandler):
    """Every key is the polyglot, stored as `text/html` with a cookie, like an object uploaded raw."""

    body = html_polyglot().read()
    asked = []

    def do_GET(self):
        self.asked.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Set-Cookie", "bucket=1")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture
def bucket():
    server = ThreadingHTTPServer(("127.0.0.1", 0), HostileBucket)
    HostileBucket.asked = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def proxy(tmp_path, bucket):
    """nginx with docs/nginx.conf, on loopback addresses; yields its base URL."""
    port = free_port()
    write_config(tmp_path, port=port, web=[f"127.0.0.1:{free_port()}"], store=f"127.0.0.1:{bucket.server_address[1]}")
    command = checked_command(NGINX, tmp_path)
    process = subprocess.Popen(command, stderr=subprocess.PIPE)  # noqa: S603
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(url, method="GET"):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=5) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_a_file_named_as_a_page_is_not_found_and_never_asked_of_the_bucket(proxy):
    for path in ("/media/x.html", "/media/articles/x.html", "/media/x.svg", "/media/x", "/media/a.png.html"):
        status, headers, body = fetch(proxy + path)
        assert status == 404, path
        assert SCRIPT not in body
    assert HostileBucket.asked == []


def test_an_image_comes_with_its_own_type_nosniff_and_a_policy_that_runs_nothing(proxy):
    status, headers, body = fetch(proxy + "/media/articles/a.png")
    assert status == 200
    assert headers.get_all("Content-Type") == ["image/png"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == CSP
    assert headers["Set-Cookie"] is None
    assert HostileBucket.asked == ["/clinic-media/articles/a.png"]


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/media/p/a.JPG", "image/jpeg"), ("/media/p/a.jpeg", "image/jpeg"), ("/media/p/a-480.webp", "image/webp")],
)
def test_each_image_extension_gets_its_type(proxy, path, content_type):
    status, headers, _body = fetch(proxy + path)
    assert (status, headers.get_all("Content-Type")) == (200, [content_type])


def test_uploads_cannot_be_written_through_the_proxy(proxy):
    status, _headers, _body = fetch(proxy + "/media/articles/a.png", method="DELETE")
    assert status == 403


@pytest.mark.browser
def test_chromium_runs_no_script_from_an_upload_opened_through_the_proxy(proxy, page):
    """The polyglot's script sets the title when a browser runs it as a page."""
    for path in ("/media/x.html", "/media/articles/a.png"):
        page.goto(proxy + path)
        assert page.title() != "ran", path
        assert page.evaluate("document.scripts.length") == 0, path
