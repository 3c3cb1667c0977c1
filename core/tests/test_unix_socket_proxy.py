"""gunicorn on a unix socket behind docs/nginx.conf: the socket is private, the reader's address known.

A real nginx and a real gunicorn, on loopback and in a temporary folder (as bench/cluster.py
runs them). Skipped only when nginx is not installed.
"""

import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection

from bench.loopback import free_port
from bench.nginx import checked_command, nginx_path, write_config

ROOT = Path(__file__).resolve().parents[2]
NGINX = nginx_path()

pytestmark = [
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install nginx)"),
    pytest.mark.django_db(transaction=True),
]


def database_url():
    """The test database, for the gunicorn process to share."""
    database = connection.settings_dict
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{database['NAME']}"
    return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


def wait_until(check, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} did not start in {timeout} s")


@pytest.fixture
def site_on_unix_socket():
    """nginx on a loopback port, in front of gunicorn on a unix socket in a folder anyone may write."""
    folder = Path(tempfile.mkdtemp(prefix="clinic-socket-"))
    folder.chmod(0o777)
    socket_path = folder / "gunicorn.sock"
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url(),
        "DJANGO_CACHE_DIR": str(folder / "cache"),
        "REDIS_URL": "",
        "LIMITS_REDIS_URL": "",
        "TRUSTED_PROXY_UNIX_SOCKET": "1",
        "TRUSTED_PROXIES": "",
        "GUNICORN_BIND": f"unix:{socket_path}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_ACCESS_LOG": str(folder / "access.log"),
        "DJANGO_REQUEST_LOG": "0",
    }
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "clinic_site.wsgi"]
    if os.geteuid() == 0:
        command[3:3] = ["--group", "nogroup"]
    log = (folder / "gunicorn.log").open("w")
    gunicorn = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    # As root, nginx's workers run as nobody: the socket's group lets them in, as DEPLOY.md says.
    user = "nobody nogroup" if os.geteuid() == 0 else None
    write_config(folder, port=port, web=[f"unix:{socket_path}"], store=f"127.0.0.1:{free_port()}", user=user)
    nginx = None
    try:
        wait_until(lambda: socket_path.exists() or gunicorn.poll() is not None, "gunicorn")
        assert gunicorn.poll() is None, (folder / "gunicorn.log").read_text()
        nginx = subprocess.Popen(  # noqa: S603
            checked_command(NGINX, folder),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"

        def answers():
            try:
                return requests.get(url + "/healthz/live", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        wait_until(answers, "nginx in front of gunicorn")
        yield url, socket_path
    finally:
        for process in (nginx, gunicorn):
            if process is not None:
                process.terminate()
                process.wait(20)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def sign_in(session, url, password):
    login = url + "/" + settings.ADMIN_URL + "login/"
    page = session.get(login, timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(
        login,
        data={"username": "moderator", "password": password, "csrfmiddlewaretoken": token, "next": "/"},
        allow_redirects=False,
        timeout=10,
    )


def test_the_socket_is_not_writable_by_other_users(site_on_unix_socket):
    _url, socket_path = site_on_unix_socket
    assert stat.S_IMODE(socket_path.stat().st_mode) == 0o660


def test_repeated_wrong_passwords_through_nginx_lock_the_account(site_on_unix_socket):
    url, _socket_path = site_on_unix_socket
    User.objects.create_user("moderator", password="correct horse battery", is_staff=True)
    session = requests.Session()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert sign_in(session, url, "wrong guess").status_code in (200, 429)

    response = sign_in(session, url, "correct horse battery")

    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.text
    # The failures were counted for the address nginx saw, passed on through the socket.
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}
