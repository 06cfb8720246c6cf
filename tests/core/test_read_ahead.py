"""Cache reads fetched ahead in one round trip (core/read_ahead.py): each fetched value serves
one read, as the cache would have answered it then; everything else asks the cache."""

from django.core.cache import cache

from core import read_ahead


def test_keys_fetched_together_are_each_read_once_from_the_fetch(cache_reads):  # type: ignore[no-untyped-def]
    cache.set("token", "a token")
    cache.set("count", 0)  # a falsy value is a value
    with read_ahead.fetched_ahead(["token", "answer", "count", "token"]):
        assert cache_reads == [["token", "answer", "count"]]
        assert read_ahead.get("token") == "a token"
        assert read_ahead.get("answer") is None  # not in the cache when fetched
        assert read_ahead.get("count") == 0
        assert len(cache_reads) == 1
        cache.set("answer", "stored since")
        assert read_ahead.get("answer") == "stored since"  # a second read asks the cache
        assert read_ahead.get("other") is None  # so does a key not fetched ahead
    assert cache_reads[1:] == [["answer"], ["other"]]
    assert read_ahead.get("token") == "a token"  # and any read after the block
    assert cache_reads[-1] == ["token"]


def test_nothing_to_fetch_asks_nothing(cache_reads):  # type: ignore[no-untyped-def]
    with read_ahead.fetched_ahead([]):
        assert read_ahead.get("token") is None
    assert cache_reads == [["token"]]
