"""The submission rules' settings are named SUBMISSIONS_*: they govern comments and topic
suggestions alike. The old COMMENTS_* names still work for one release, with a warning."""

import importlib.util
import warnings

import pytest
from django.conf import settings
from django.core.checks import run_checks

from submissions import policy
from submissions.captcha import CaptchaResult
from submissions.conf import RENAMED, check_old_names, submission_setting

SETTINGS_FILE = settings.BASE_DIR / "clinic_site" / "settings.py"


def load_settings(monkeypatch, **environ):
    """clinic_site/settings.py evaluated afresh under `environ` (the live settings stay as they are)."""
    for name in RENAMED.values():
        monkeypatch.delenv(name, raising=False)
    for name in RENAMED:
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_rule_for_all_submissions_is_named_for_submissions():
    for new, old in RENAMED.items():
        assert new.startswith("SUBMISSIONS_") and old == "COMMENTS_" + new.removeprefix("SUBMISSIONS_")
        assert hasattr(settings, new)
        assert not hasattr(settings, old), f"{old} is still defined"
    assert len(RENAMED) == 9


def test_settings_only_comments_have_keep_their_comments_names():
    assert hasattr(settings, "COMMENTS_THREADS_PER_PAGE")
    assert hasattr(settings, "COMMENTS_CLOSE_AFTER_DAYS")


def test_the_new_environment_variable_sets_the_rule(monkeypatch):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        module = load_settings(monkeypatch, SUBMISSIONS_RATE_LIMIT="7", SUBMISSIONS_SPAM_BELOW="0.25")
    assert module.SUBMISSIONS_RATE_LIMIT == 7
    assert module.SUBMISSIONS_SPAM_BELOW == 0.25


def test_an_old_environment_variable_still_takes_effect_and_warns(monkeypatch):
    with pytest.warns(DeprecationWarning, match="COMMENTS_RATE_LIMIT.*SUBMISSIONS_RATE_LIMIT"):
        module = load_settings(monkeypatch, COMMENTS_RATE_LIMIT="7")
    assert module.SUBMISSIONS_RATE_LIMIT == 7


@pytest.mark.parametrize(("new", "old"), sorted(RENAMED.items()))
def test_each_old_environment_variable_still_reads(monkeypatch, new, old):
    value = "1" if "AUTO_APPROVE" in new or "TRUST" in new else "0.5" if "BELOW" in new or "FROM" in new else "11"
    with pytest.warns(DeprecationWarning, match=new):
        module = load_settings(monkeypatch, **{old: value})
    assert getattr(module, new) == type(getattr(settings, new))(value)


def test_the_new_environment_variable_wins_when_both_are_set(monkeypatch):
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        module = load_settings(monkeypatch, SUBMISSIONS_IP_RETENTION_DAYS="14", COMMENTS_IP_RETENTION_DAYS="365")
    assert module.SUBMISSIONS_IP_RETENTION_DAYS == 14


def test_an_old_name_left_in_a_settings_module_is_obeyed_with_a_warning(settings):
    settings.COMMENTS_AUTO_APPROVE = True
    settings.SUBMISSIONS_AUTO_APPROVE = False
    with pytest.warns(DeprecationWarning, match="COMMENTS_AUTO_APPROVE.*SUBMISSIONS_AUTO_APPROVE"):
        assert submission_setting("SUBMISSIONS_AUTO_APPROVE") is True


@pytest.mark.django_db
def test_the_policy_follows_the_new_name(settings):
    settings.SUBMISSIONS_AUTO_APPROVE = True
    decision = policy.decide(captcha=CaptchaResult(score=0.9, action="comment", hostname_ok=True), text="Thanks")
    assert decision.status == policy.Status.APPROVED


def test_the_system_check_names_an_old_environment_variable_still_set(monkeypatch):
    monkeypatch.setenv("COMMENTS_RATE_LIMIT", "7")
    [warning] = check_old_names(None)
    assert warning.id == "submissions.W001"
    assert "COMMENTS_RATE_LIMIT" in warning.msg and "SUBMISSIONS_RATE_LIMIT" in warning.hint


def test_the_system_check_names_an_old_setting_still_set(settings, monkeypatch):
    for name in RENAMED.values():
        monkeypatch.delenv(name, raising=False)
    settings.COMMENTS_MAX_LINKS = 4
    [warning] = check_old_names(None)
    assert "setting COMMENTS_MAX_LINKS" in warning.msg and "SUBMISSIONS_MAX_LINKS" in warning.hint


def test_the_system_check_is_quiet_without_old_names(monkeypatch):
    for name in RENAMED.values():
        monkeypatch.delenv(name, raising=False)
    assert check_old_names(None) == []
    assert "submissions.W001" not in [message.id for message in run_checks()]
