"""Lists in a person (screenings, property items) merged item by item.

Two devices that each add an item to the same list while apart both keep their item: the list
is merged against the value both edits started from (the values their changes replaced), as a
three-way merge. Items have no identity of their own, so an item is its whole content: an edit
of an item is its old content removed and its new content added. Two devices removing (or
editing) the same item differently is a conflict, shown for the coordinator to resolve; so is
anything that cannot be traced back to one common starting value. The result depends only on
the set of changes, like the rest of the merge.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from sync.board_share.changes import BoardChange


def _key(item: Any) -> str:
    return json.dumps(item, sort_keys=True, separators=(",", ":"))


def merged_list(heads: Sequence[BoardChange], by_clock: Mapping[str, BoardChange]
                ) -> list[Any] | None:
    """The list made by merging ``heads`` (the field's current values, in clock order) item by
    item, or None when they cannot be merged safely (a conflict)."""
    return _value(tuple(sorted(heads, key=lambda change: change.hlc)), by_clock, depth=0)


def _value(heads: tuple[BoardChange, ...], by_clock: Mapping[str, BoardChange],
           depth: int) -> list[Any] | None:
    if len(heads) == 1:
        value = heads[0].decoded()
        return value if isinstance(value, list) else None
    if depth > 50:  # a long chain of merges on merges: call it a conflict rather than recurse
        return None
    starts = {head.supersedes for head in heads}
    if len(starts) != 1:
        return None  # the edits did not start from one common value
    (start,) = starts
    if not start:
        base: list[Any] | None = []
    elif all(clock in by_clock for clock in start):
        base = _value(tuple(sorted((by_clock[c] for c in start), key=lambda c: c.hlc)),
                      by_clock, depth + 1)
    else:
        base = None
    if base is None:
        return None
    values = [head.decoded() for head in heads]
    if not all(isinstance(value, list) for value in values):
        return None
    return three_way(base, values)


def three_way(base: list[Any], edited: Sequence[list[Any]]) -> list[Any] | None:
    """Each of ``edited`` is ``base`` with items removed and added on one device: the list with
    every device's removals and additions, or None if two devices removed or changed the same
    item differently."""
    before = Counter(_key(item) for item in base)
    removed: list[Counter[str]] = []
    added: list[Counter[str]] = []
    for value in edited:
        after = Counter(_key(item) for item in value)
        removed.append(before - after)
        added.append(after - before)
    for i in range(len(edited)):
        for j in range(i + 1, len(edited)):
            if removed[i] & removed[j] and (added[i] != added[j] or removed[i] != removed[j]):
                return None  # the same item taken away or changed on two devices, differently
    gone: Counter[str] = Counter()
    for each in removed:
        gone |= each
    merged: list[Any] = []
    for item in base:
        key = _key(item)
        if gone[key]:
            gone[key] -= 1
            continue
        merged.append(item)
    wanted: Counter[str] = Counter()
    for each in added:
        wanted |= each  # the same item added on two devices is kept once
    for value in edited:
        for item in value:
            key = _key(item)
            if wanted[key]:
                wanted[key] -= 1
                merged.append(item)
    return merged
