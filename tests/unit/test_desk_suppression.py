"""Small-number suppression: every count from 1 to 4 is withheld, and where a block has a total
no withheld cell can be worked back from the total and the cells shown."""

from __future__ import annotations

from itertools import product

import pytest

from fieldkit.errors import InvalidInput
from sync.desk.figures import SMALLEST_SHOWN, Cell, FigureGroup, Quarter, suppress


def group_of(parts: list[int]) -> FigureGroup:
    rows = {f"part {i}": [count] for i, count in enumerate(parts)}
    rows["Total"] = [sum(parts)]
    return FigureGroup("g", "A group", rows, has_total=True)


def cannot_be_worked_back(cells: dict[str, list[Cell]]) -> bool:
    *parts, total = cells.values()
    if total[0].withheld:
        return True
    withheld = [part[0].count for part in parts if part[0].withheld]
    # Never one alone, and never so little together that the total pins them (two cells
    # known to be 1 to 4 that hold 2 between them are 1 each).
    return len(withheld) != 1 and (not withheld or sum(withheld) >= SMALLEST_SHOWN)


@pytest.mark.parametrize("parts", list(product([0, 1, 2, 4, 5, 9], repeat=3)))
def test_every_small_count_is_withheld_and_totals_give_nothing_away(parts: tuple[int, ...]) -> None:
    cells = suppress(group_of(list(parts)), 1)
    for name, row in cells.items():
        count = row[0].count
        if 0 < count < SMALLEST_SHOWN:
            assert row[0].withheld == "small", name
        if count == 0 or count >= SMALLEST_SHOWN:
            assert row[0].withheld in ("", "secondary"), name
    assert cannot_be_worked_back(cells)


def test_two_small_cells_whose_sum_the_total_gives_are_not_given_away() -> None:
    """Adult 1, child 1, Duty to Notify 10, total 12: both small cells were withheld, but 12
    less 10 is 2 between two cells of 1 to 4: each is 1."""
    cells = suppress(group_of([1, 1, 10]), 1)
    assert cannot_be_worked_back(cells)
    assert [row[0].withheld for row in cells.values()] == ["small", "small", "secondary", ""]


def test_the_second_cell_withheld_is_the_smallest_non_zero_one() -> None:
    cells = suppress(group_of([3, 0, 12, 7]), 1)
    assert [row[0].withheld for row in cells.values()] == ["small", "", "", "secondary", ""]


def test_zeros_stay_shown_when_the_total_is_itself_withheld() -> None:
    cells = suppress(group_of([3, 0]), 1)
    assert [row[0].withheld for row in cells.values()] == ["small", "", "small"]
    cells = suppress(group_of([3, 0, 8]), 1)
    assert [row[0].withheld for row in cells.values()] == ["small", "", "secondary", ""]


def test_groups_without_a_total_withhold_only_small_counts() -> None:
    group = FigureGroup("g", "Types", {"a": [3, 0, 6], "b": [5, 1, 0]})
    cells = suppress(group, 3)
    assert [c.withheld for c in cells["a"]] == ["small", "", ""]
    assert [c.withheld for c in cells["b"]] == ["", "small", ""]


def test_quarters_parse_and_count_back_over_the_year_end() -> None:
    quarter = Quarter.parse("2026Q1")
    assert [str(quarter.before(n)) for n in range(5)] == \
        ["2026Q1", "2025Q4", "2025Q3", "2025Q2", "2025Q1"]
    for bad in ("2026Q5", "2026-Q1", "Q1 2026", ""):
        with pytest.raises(InvalidInput, match="not like 2026Q4"):
            Quarter.parse(bad)
