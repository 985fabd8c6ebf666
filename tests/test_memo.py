"""The process-wide memo behind the dashboard's cached reads: kept values, ttl, size bound and clearing."""

import threading

import pytest

from dashboard import memo


def counting():
    calls = []

    def compute(value):
        def run():
            calls.append(value)
            return value * 10

        return run

    return calls, compute


def test_a_value_is_computed_once_and_shared_as_it_is():
    kept = memo.Memo("test-shared", ttl=None, max_entries=4)
    first = kept.get(("url", "key"), lambda: {"figures": [1, 2]})
    assert kept.get(("url", "key"), lambda: {"figures": []}) is first


def test_an_old_value_is_computed_again(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(memo.time, "monotonic", lambda: clock[0])
    kept = memo.Memo("test-ttl", ttl=60, max_entries=4)
    calls, compute = counting()
    assert kept.get("a", compute(1)) == 10
    clock[0] = 159.9
    assert kept.get("a", compute(2)) == 10
    clock[0] = 160.0
    assert kept.get("a", compute(3)) == 30
    assert calls == [1, 3]


def test_the_least_recently_used_value_goes_first():
    kept = memo.Memo("test-size", ttl=None, max_entries=2)
    calls, compute = counting()
    kept.get("a", compute(1))
    kept.get("b", compute(2))
    kept.get("a", compute(9))  # used again: "b" is now the oldest
    kept.get("c", compute(3))
    assert len(kept) == 2
    kept.get("a", compute(9))
    kept.get("b", compute(4))
    assert calls == [1, 2, 3, 4]


def test_clear_forgets_every_value():
    kept = memo.Memo("test-clear", ttl=5, max_entries=2)
    kept.get(1, lambda: 1)
    kept.get(2, lambda: 2)
    kept.clear()
    assert len(kept) == 0
    assert kept.get(1, lambda: 10) == 10


def test_an_error_keeps_nothing():
    kept = memo.Memo("test-error", ttl=None, max_entries=2)

    def fail():
        raise OSError("database not reachable")

    with pytest.raises(OSError, match="not reachable"):
        kept.get("a", fail)
    assert len(kept) == 0
    assert kept.get("a", lambda: "read") == "read"


def test_sessions_asking_at_once_all_get_a_value():
    kept = memo.Memo("test-threads", ttl=None, max_entries=64)
    results = []

    def ask(i):
        results.append(kept.get(i % 8, lambda i=i: i % 8))

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(64)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == sorted(i % 8 for i in range(64))
    assert len(kept) == 8
