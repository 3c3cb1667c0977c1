"""`make cluster`: the production topology on one machine, on loopback and free ports.

    nginx (docs/nginx.conf) ─┬─ gunicorn web1 ─┐
                             ├─ gunicorn web2 ─┼─ PostgreSQL (127.0.0.1:5432, a database of its own)
                             ├─ gunicorn web3 ─┤  Redis (its own, no persistence)
                             └─ /media/ ───────┴─ S3-compatible object store (moto's server)
    worker1, worker2, worker3 (manage.py run_worker, one beside each instance, on the same database)

Everything runs as this user in `.cache/cluster/<name>/`: nginx with `-p DIR -c DIR/nginx.conf`,
each instance with its own port and log. `python cluster/harness.py` starts it, prints the address
and stops everything it started on Ctrl+C. cluster/clustertest.py drives the same class.
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.loopback import free_port  # noqa: E402
from bench.nginx import checked_command, nginx_path, write_config  # noqa: E402

BIN = ROOT / ".venv" / "bin"
BUCKET = "clinic-media"
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def say(message):
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {message}", flush=True)


def wait_for(check, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: BLE001, S110 - not up yet
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up within {timeout} s")


def http_ok(url, timeout=2):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def ensure_nginx():
    """nginx's path; installs Debian's package when missing and we are root."""
    path = nginx_path()
    if not path and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "nginx"], env=env, check=False)
        path = nginx_path()
    if not path:
        raise SystemExit("make cluster needs nginx: please run `sudo apt-get install nginx` and try again.")
    return path


class Process:
    """One process this cluster started, in a session of its own so it stops with its children."""

    def __init__(self, name, command, *, env, log):
        self.name, self.command, self.env, self.log = name, command, env, log
        self.popen = None

    def start(self):
        with open(self.log, "ab") as log:
            self.popen = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    @property
    def alive(self):
        return self.popen is not None and self.popen.poll() is None

    def kill(self):
        """SIGKILL to the whole process group: the master and its workers die at once."""
        if self.alive:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)

    def stop(self, timeout=20):
        if not self.alive:
            return
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()


class Cluster:
    def __init__(self, name="cluster", *, database="clinic_cluster", fresh_database=False, instances=3, env=None):
        self.dir = ROOT / ".cache" / "cluster" / name
        self.database = database
        self.fresh_database = fresh_database
        self.count = instances
        self.extra_env = env or {}
        self.processes = {}
        self.nginx_port = free_port()
        self.redis_port = free_port()
        self.store_port = free_port()
        self.web_ports = [free_port() for _ in range(instances)]
        self.secret_key = secrets.token_urlsafe(50)

    # --- Addresses -----------------------------------------------------------------

    @property
    def url(self):
        return f"http://127.0.0.1:{self.nginx_port}"

    def instance_url(self, number):
        return f"http://127.0.0.1:{self.web_ports[number]}"

    @property
    def database_url(self):
        return f"postgres://postgres@127.0.0.1:5432/{self.database}"

    # --- Environment: the same variables as compose.yaml --------------------------------

    def env(self, instance=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_", "PAGE_CACHE_"))}
        env.update(
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=self.secret_key,
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_SECURE_COOKIES="0",
            DJANGO_HSTS_SECONDS="0",
            DATABASE_URL=self.database_url,
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            TRUSTED_PROXIES="127.0.0.1",
            DJANGO_USE_X_FORWARDED_PORT="1",
            AWS_STORAGE_BUCKET_NAME=BUCKET,
            AWS_S3_ENDPOINT_URL=f"http://127.0.0.1:{self.store_port}",
            AWS_S3_REGION_NAME="us-east-1",
            AWS_S3_CUSTOM_DOMAIN=f"127.0.0.1:{self.nginx_port}/media",
            AWS_S3_URL_PROTOCOL="http:",
            AWS_ACCESS_KEY_ID="cluster",
            AWS_SECRET_ACCESS_KEY="cluster-secret",  # noqa: S106 - the local object store accepts any key
            # Loopback only: reCAPTCHA answers from bench/fake_recaptcha.py, never from Google.
            RECAPTCHA_VERIFY="bench.fake_recaptcha.submit",
            RECAPTCHA_PUBLIC_KEY="cluster-public-key",
            RECAPTCHA_PRIVATE_KEY="cluster-private-key",
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            WEB_CONCURRENCY="2",
            GUNICORN_ACCESS_LOG="/dev/null",  # the site's own JSON line per request is the log
        )
        if instance is not None:
            env.update(INSTANCE_NAME=f"web{instance + 1}", GUNICORN_BIND=f"127.0.0.1:{self.web_ports[instance]}")
        env.update(self.extra_env)
        return env

    def manage(self, *args, check=True):
        return subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT,
            env=self.env(),
            check=check,
            capture_output=True,
            text=True,
        )

    # --- Pieces ------------------------------------------------------------------------

    def _start(self, name, command, env=None):
        self.processes[name] = Process(name, command, env=env or self.env(), log=self.dir / f"{name}.log").start()
        return self.processes[name]

    def start_redis(self):
        command = [
            "redis-server",
            "--port",
            str(self.redis_port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        self._start("redis", command)
        wait_for(lambda: socket.create_connection(("127.0.0.1", self.redis_port), timeout=1).close() or True, "Redis")

    def start_object_store(self):
        self._start("objectstore", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.store_port)])
        wait_for(lambda: http_ok(f"http://127.0.0.1:{self.store_port}/moto-api/"), "the object store")
        import boto3

        client = boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{self.store_port}",
            aws_access_key_id="cluster",
            aws_secret_access_key="cluster-secret",  # noqa: S106
            region_name="us-east-1",
        )
        client.create_bucket(Bucket=BUCKET)
        # Media is public, as a real media bucket behind a CDN is: anyone may read an object.
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}
            ],
        }
        client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))

    def prepare_database(self):
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as connection:
            exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.database]).fetchone()
            if exists and self.fresh_database:
                connection.execute(f'DROP DATABASE "{self.database}" WITH (FORCE)')
                exists = None
            if not exists:
                connection.execute(f'CREATE DATABASE "{self.database}"')
        self.manage("migrate", "--noinput")
        self.manage("seed_demo")
        self.manage("collectstatic", "--noinput", "-v0")

    def start_instance(self, number):
        name = f"web{number + 1}"
        command = [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "clinic_site.wsgi"]
        self._start(name, command, env=self.env(number))
        wait_for(lambda: http_ok(self.instance_url(number) + "/healthz/ready"), name, timeout=90)

    def kill_instance(self, number):
        self.processes[f"web{number + 1}"].kill()

    def start_worker(self, number):
        """The task worker beside instance `number`: its jobs (mail, periodic work) come from the shared database."""
        name = f"worker{number + 1}"
        command = [str(BIN / "python"), "manage.py", "run_worker", "--no-reload", "--worker-id", name]
        return self._start(name, command, env=self.env(number))

    def kill_worker(self, number):
        self.processes[f"worker{number + 1}"].kill()

    def restart_redis(self, down_seconds=2.0):
        self.processes["redis"].kill()
        time.sleep(down_seconds)
        self.start_redis()

    def start_nginx(self):
        web = [f"127.0.0.1:{port}" for port in self.web_ports]
        write_config(self.dir, port=self.nginx_port, web=web, store=f"127.0.0.1:{self.store_port}")
        self._start("nginx", checked_command(ensure_nginx(), self.dir))
        wait_for(lambda: http_ok(self.url + "/healthz/ready"), "nginx")

    # --- The whole --------------------------------------------------------------------

    def start(self):
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)
        try:
            say("Redis")
            self.start_redis()
            say("object store")
            self.start_object_store()
            say(f"PostgreSQL database {self.database}: migrate, demo content, static files")
            self.prepare_database()
            for number in range(self.count):
                say(f"web{number + 1} on {self.instance_url(number)}, and its task worker")
                self.start_worker(number)
                self.start_instance(number)
            say("nginx")
            self.start_nginx()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        for name in reversed(list(self.processes)):
            self.processes[name].stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main():
    cluster = Cluster()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with cluster:
        password = secrets.token_urlsafe(12)
        cluster.manage(
            "shell",
            "-c",
            "from django.contrib.auth.models import User; "
            "u, _ = User.objects.get_or_create(username='admin'); u.is_staff = u.is_superuser = True; "
            f"u.set_password('{password}'); u.save()",
        )
        print(f"\nThe clinic site runs at {cluster.url}/ (nginx in front of {cluster.count} instances, a worker each).")
        print(f"Admin: {cluster.url}/admin/  user admin, password {password}")
        print(f"Instances: {', '.join(cluster.instance_url(n) for n in range(cluster.count))}")
        print(f"Logs: {cluster.dir}/  Ctrl+C stops everything.\n", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("\nStopping…", flush=True)


if __name__ == "__main__":
    main()
