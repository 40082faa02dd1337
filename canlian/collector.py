"""Python's cyclic garbage collector paused for a bulk job that builds a large heap.

An import holds a whole workbook (100,000 rows of cells) and a parsed row for each, and
builds them one small container at a time. CPython 3.11's collector runs a full
collection each time the long-lived objects grow by a quarter, and a full collection walks
every one of them: over one import it walks the growing heap again and again (at 10^6, 1 s
of a 6 s import; docs/performance.md, fix 16). The import itself makes no reference cycles
that must be freed before it ends: its objects are freed by their reference counts as
usual, and whatever cyclic garbage other code made meanwhile is collected once the
collector runs again.

The collector is a switch of the whole process. A pause ends where it began: a pause that
found the collector already off (another thread's pause, or the embedding program's
choice) leaves it off, so two concurrent pauses end with the collector as it was before.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Usable as a decorator: `@collector_paused()`."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
