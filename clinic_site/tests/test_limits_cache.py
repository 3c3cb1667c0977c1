"""Rate limits and lockout notices get a cache of their own, apart from cached pages."""

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def caches_under(**environment):
    env = {key: value for key, value in os.environ.items() if not key.endswith("REDIS_URL")}
    env.update(environment, DJANGO_SETTINGS_MODULE="clinic_site.settings")
    script = "import json; from django.conf import settings; print(json.dumps(settings.CACHES))"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(result.stdout)


def test_with_redis_limits_use_the_next_database_of_the_same_server():
    caches = caches_under(REDIS_URL="redis://cache.internal:6379/3")
    assert caches["pages"]["LOCATION"] == "redis://cache.internal:6379/3"
    assert caches["limits"]["LOCATION"] == "redis://cache.internal:6379/4"
    assert caches["limits"]["TIMEOUT"] > 0


def test_a_limits_redis_of_its_own_can_be_named():
    caches = caches_under(REDIS_URL="redis://cache.internal:6379/0", LIMITS_REDIS_URL="redis://limits.internal:6379/0")
    assert caches["limits"]["LOCATION"] == "redis://limits.internal:6379/0"


def test_without_redis_limits_have_a_folder_of_their_own(tmp_path):
    caches = caches_under(DJANGO_CACHE_DIR=str(tmp_path))
    assert caches["limits"]["LOCATION"] == str(tmp_path / "limits")
    assert caches["limits"]["LOCATION"] not in (caches["default"]["LOCATION"], caches["pages"]["LOCATION"])
    assert caches["limits"]["TIMEOUT"] > 0
