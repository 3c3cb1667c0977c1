"""The file cache used without Redis: Django's, with each key's file name worked out once."""

from core.cache import FileCache


def test_it_reads_writes_counts_and_forgets_like_djangos_file_cache(tmp_path):
    cache = FileCache(str(tmp_path), {"KEY_PREFIX": "clinic"})
    other_process = FileCache(str(tmp_path), {"KEY_PREFIX": "clinic"})
    cache.set("page-cache:changes", 5, None)
    assert other_process.get("page-cache:changes") == 5
    other_process.incr("page-cache:changes")
    assert cache.get("page-cache:changes") == 6
    assert cache.add("page-cache:changes", 1) is False
    cache.delete("page-cache:changes")
    assert other_process.get("page-cache:changes") is None
    assert cache.get_many(["a", "b"]) == {}


def test_names_are_the_same_as_djangos_and_bounded(tmp_path):
    from django.core.cache.backends.filebased import FileBasedCache

    cache, django_cache = FileCache(str(tmp_path), {}), FileBasedCache(str(tmp_path), {})
    for number in range(FileCache._MAX_NAMES + 10):
        assert cache._key_to_file(f"key-{number}") == django_cache._key_to_file(f"key-{number}")
    assert cache._key_to_file("key-1", version=2) == django_cache._key_to_file("key-1", version=2)
    assert len(cache._names) <= FileCache._MAX_NAMES
