"""A small process-wide cache for the reads every page run makes, keyed by plain values.

Streamlit's ``st.cache_data`` and ``st.cache_resource`` hash every argument with their own hasher,
which costs a few tenths of a millisecond a call; a page run asks a dozen times (the engine, the
load status, each chart), and that added up to more than drawing the page. The keys here are
tuples of strings, dates and numbers that the caller builds, so a lookup is one dictionary access.

Like ``st.cache_resource``, a value is shared as it is between sessions: callers must not change it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class Memo(Generic[Value]):
    """Values by key, each kept for ``ttl`` seconds (None: until cleared), the ``max_entries`` most recently used.

    >>> squares = Memo("squares", ttl=None, max_entries=2)
    >>> squares.get(3, lambda: 3 * 3)
    9
    >>> squares.get(3, lambda: 0)  # kept: not computed again
    9
    """

    def __init__(self, name: str, *, ttl: float | None, max_entries: int) -> None:
        self.name = name
        self.ttl = ttl
        self.max_entries = max_entries
        self._values: OrderedDict[Hashable, tuple[float, Value]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], Value]) -> Value:
        """The value kept for ``key``, or ``compute()`` kept and returned when there is none or it is too old."""
        now = time.monotonic()
        with self._lock:
            kept = self._values.get(key)
            if kept is not None and (self.ttl is None or now - kept[0] < self.ttl):
                self._values.move_to_end(key)
                return kept[1]
        # Computed outside the lock: a slow read for one key never holds up the others. Two sessions
        # asking for the same new key at once may both compute it; the values are equal.
        value = compute()
        with self._lock:
            self._values[key] = (now, value)
            self._values.move_to_end(key)
            while len(self._values) > self.max_entries:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)
