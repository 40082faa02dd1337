"""The person's timeline: every app's dated entries about one person, newest first.

Each app contributes through `timeline(person, user)` in its declaration; a provider reads
its records in a fixed number of queries (no query per entry), so the page's queries do not
grow with the person's history. The page shows the newest `LIMIT` entries of the chosen
kind, with a link to all of them.
"""

import datetime
from dataclasses import dataclass

from canlian import declarations
from canlian.declarations import TimelineEntry

LIMIT = 50


@dataclass(frozen=True)
class Timeline:
    entries: list[TimelineEntry]
    # Key, label and count of each kind this person has, in declaration order.
    kinds: list[tuple[str, str, int]]
    kind: str
    total: int  # entries of the chosen kind
    showing_all: bool

    @property
    def truncated(self) -> bool:
        return len(self.entries) < self.total


def person_timeline(person, user, *, kind: str = "", show_all: bool = False) -> Timeline:
    """The person's entries for `user` (who already may see the person: the page checked),
    of `kind` ("" for every kind), newest first; the newest LIMIT unless `show_all`."""
    everything = [entry for provider in declarations.timeline_providers() for entry in provider(person, user)]
    counts: dict[str, int] = {}
    for entry in everything:
        counts[entry.kind] = counts.get(entry.kind, 0) + 1
    labels = declarations.timeline_kinds()
    kinds = [(key, label, counts[key]) for key, label in labels.items() if key in counts]
    kind = kind if kind in counts else ""
    chosen = [e for e in everything if not kind or e.kind == kind]
    # Newest first; entries of one day keep their providers' order (sorted is stable).
    chosen.sort(key=lambda e: _day(e.date), reverse=True)
    return Timeline(
        entries=chosen if show_all else chosen[:LIMIT],
        kinds=kinds,
        kind=kind,
        total=len(chosen),
        showing_all=show_all,
    )


def _day(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value
