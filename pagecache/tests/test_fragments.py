"""Kept pieces of pages: rendered once, rendered again as soon as what they show changes."""

import time
from unittest import mock

import pytest

import pagecache
from pagecache import schedule, versions


@pytest.fixture(autouse=True)
def _no_schedule():
    """No scheduled change unless a test makes one (the cache itself knows no model)."""
    with mock.patch.object(schedule, "_sources", []):
        yield


class Renders:
    """A render function that counts its calls and returns a new value each time."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return f"rendered {self.calls}"


def kept(render, *, pages=("shelf:1",), vary=()):
    return pagecache.cached_fragment("test", pages=list(pages), vary=vary, render=render)


def test_a_fragment_is_rendered_once_then_kept():
    render = Renders()

    assert kept(render) == "rendered 1"
    assert kept(render) == "rendered 1"
    assert render.calls == 1


def test_a_change_to_a_tag_it_shows_renders_it_again():
    render = Renders()
    kept(render, pages=["shelf:1", "/articles/knees/"])

    pagecache.invalidate(pages=["shelf:2"])  # something it does not show
    assert kept(render, pages=["shelf:1", "/articles/knees/"]) == "rendered 1"

    pagecache.invalidate(pages=["/articles/knees/"])
    assert kept(render, pages=["shelf:1", "/articles/knees/"]) == "rendered 2"

    pagecache.invalidate(pages=["shelf:1"])
    assert kept(render, pages=["shelf:1", "/articles/knees/"]) == "rendered 3"


def test_a_site_wide_change_renders_every_fragment_again():
    render = Renders()
    kept(render)

    pagecache.invalidate()

    assert kept(render) == "rendered 2"


def test_every_change_drops_it_when_the_whole_site_is_invalidated_at_once(settings):
    settings.PAGE_CACHE_WHOLE_SITE = True
    render = Renders()
    kept(render)

    pagecache.invalidate(pages=["something:else"])

    assert kept(render) == "rendered 2"


def test_other_inputs_keep_separate_copies():
    render = Renders()

    assert kept(render, vary=("en", True)) == "rendered 1"
    assert kept(render, vary=("en", False)) == "rendered 2"
    assert kept(render, vary=("en", True)) == "rendered 1"


def test_nothing_is_kept_past_the_next_scheduled_change():
    render = Renders()
    soon = time.time() + 1.5
    with mock.patch.object(schedule, "_sources", [lambda: mock.Mock(timestamp=lambda: soon)]):
        schedule.forget()
        kept(render)
        assert kept(render) == "rendered 1"
        time.sleep(max(0, soon - time.time()) + 0.1)
        assert kept(render) == "rendered 2"


def test_switched_off_every_request_renders_it(settings):
    settings.FRAGMENT_CACHE_SECONDS = 0
    render = Renders()

    kept(render)
    kept(render)

    assert render.calls == 2


def test_without_an_answer_from_the_shared_cache_nothing_is_kept():
    render = Renders()
    with (
        mock.patch.object(versions.cache, "get_many", return_value={}),
        mock.patch.object(versions.cache, "add", return_value=False),
    ):
        kept(render)
        kept(render)

    assert render.calls == 2


@pytest.mark.parametrize("max_age", [0, 600])
def test_a_next_change_already_passed_is_worked_out_again(max_age):
    later = time.time() + 3600
    sources = [lambda: mock.Mock(timestamp=lambda: later)]
    with mock.patch.object(schedule, "_sources", sources):
        schedule.cache.set(schedule.NEXT_CHANGE_KEY, time.time() - 5, 600)

        assert schedule.next_change_timestamp(max_age) == later


@pytest.fixture
def in_a_request():
    with versions.RequestVersions():
        yield


def test_the_pieces_of_one_page_read_each_version_once(in_a_request):
    with mock.patch.object(versions.cache, "get_many", wraps=versions.cache.get_many) as reads:
        kept(Renders(), pages=["shelf:1"])
        kept(Renders(), pages=["shelf:1"], vary=("other",))
        kept(Renders(), pages=["shelf:1", "shelf:2"])

    assert reads.call_count == 2  # shelf:1 with the site, then shelf:2 alone


def test_a_change_made_during_the_request_is_seen_at_once(in_a_request):
    render = Renders()
    kept(render)

    pagecache.invalidate(pages=["shelf:1"])

    assert kept(render) == "rendered 2"
