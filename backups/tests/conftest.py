"""Fixtures for backup tests: empty databases and media folders to restore into, and a test database
that other threads can write to while a backup runs.

Restore targets are real databases of their own: a SQLite file, or a PostgreSQL database created
for the test and dropped after it, on the server the test database lives on.
"""

import contextlib
import sqlite3
import uuid

import psycopg
import pytest
from django.core.files.storage import FileSystemStorage
from django.db import connection, connections

from backups.snapshot import sqlite_settings, temporary_connection
from backups.tests.databases import as_default

POSTGRES = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


def postgres_reachable():
    try:
        with psycopg.connect(**POSTGRES, dbname="postgres", connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@contextlib.contextmanager
def postgres_database(server):
    """A new, empty PostgreSQL database on `server` (a dict of host, port, user, password), dropped after."""
    name = f"clinic_bk_{uuid.uuid4().hex[:10]}"
    admin = {key: value for key, value in server.items() if value}
    with psycopg.connect(**admin, dbname="postgres", autocommit=True) as control:
        control.execute(f'CREATE DATABASE "{name}"')
    settings_dict = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": server.get("user", ""),
        "PASSWORD": server.get("password", ""),
        "HOST": server.get("host", ""),
        "PORT": str(server.get("port", "")),
    }
    try:
        with temporary_connection(settings_dict) as target:
            yield target
    finally:
        with psycopg.connect(**admin, dbname="postgres", autocommit=True) as control:
            control.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def default_postgres_server():
    settings_dict = connections["default"].settings_dict
    return {
        "host": settings_dict["HOST"],
        "port": settings_dict["PORT"],
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"],
    }


@pytest.fixture
def empty_database(transactional_db, tmp_path):
    """A new, empty database of the same kind as the test database, under an alias of its own."""
    if connection.vendor == "postgresql":
        with postgres_database(default_postgres_server()) as target:
            yield target
    else:
        with temporary_connection(sqlite_settings(tmp_path / "restored.sqlite3")) as target:
            yield target


@pytest.fixture
def postgres_target(transactional_db):
    if not postgres_reachable():
        pytest.skip("PostgreSQL is not reachable at 127.0.0.1:5432 (user postgres): the SQLite-to-PostgreSQL restore")
    with postgres_database(POSTGRES) as target:
        yield target


@pytest.fixture
def empty_media(tmp_path):
    return FileSystemStorage(location=tmp_path / "restored-media")


@pytest.fixture
def shared_default(transactional_db, tmp_path):
    """Make the test database one every thread can write to at once, for this test; yields a context
    manager each thread enters first.

    On SQLite the test database lives in memory, where concurrent writers fail instead of waiting;
    it is copied to a file (WAL, as the site runs) that the test's threads open as their default.
    On PostgreSQL every thread simply opens its own connection to the test database.
    """
    if connection.vendor != "sqlite":
        yield contextlib.nullcontext
        return
    path = tmp_path / "site.sqlite3"
    copy = sqlite3.connect(path)
    connection.ensure_connection()
    connection.connection.backup(copy)
    copy.close()
    settings_dict = {**connection.settings_dict, "NAME": str(path)}
    with as_default(settings_dict):
        yield lambda: as_default(settings_dict)


@pytest.fixture
def comments_open_to_all(settings):
    """Comments pass the CAPTCHA (the `google` fixture answers as a confident human) and are
    published at once, from any number of posts per address."""
    settings.RECAPTCHA_PUBLIC_KEY = "test-site-key"
    settings.RECAPTCHA_PRIVATE_KEY = "test-secret-key"
    settings.RECAPTCHA_CONFIGURED = True
    settings.RECAPTCHA_EXPECTED_HOSTNAMES = ["testserver"]
    settings.SUBMISSIONS_AUTO_APPROVE = True
    settings.SUBMISSIONS_RATE_LIMIT = 10**9
    settings.COMMENTS_THREADS_PER_PAGE = 1000
