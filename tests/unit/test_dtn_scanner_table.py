"""Issue 10, item 3: every row of the scanner table in docs/security.md, caught or knowingly
not caught, is run here against forms.identifying (the table is read from the document)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from forms.identifying import IdentifyingKind, find_identifying_text

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
AS_OF = date(2026, 3, 1)


def _rows() -> list[tuple[str, str, str]]:
    text = DOC.read_text(encoding="utf-8")
    table = text.split("<!-- scanner-table:start -->")[1].split("<!-- scanner-table:end -->")[0]
    rows = []
    for line in table.strip().splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        rows.append((cells[0].strip("`"), cells[1], cells[2]))
    return rows


ROWS = _rows()


def test_the_table_has_both_caught_and_knowingly_missed_rows() -> None:
    results = [result for _, _, result in ROWS]
    assert sum(r.startswith("not caught") for r in results) >= 5
    assert {r for r in results if not r.startswith("not caught")} == {k.value for k in
                                                                       IdentifyingKind}


@pytest.mark.parametrize(("text", "recorded", "result"), ROWS, ids=[r[0] for r in ROWS])
def test_each_row_of_the_table(text: str, recorded: str, result: str) -> None:
    names: list[str] = []
    addresses: list[str] = []
    if recorded:
        kind, _, value = recorded.partition(": ")
        (names if kind == "name" else addresses).append(value)
    sentence = f"She said {text} to us."
    found = find_identifying_text(sentence, names, addresses, AS_OF)
    if result.startswith("not caught"):
        assert found == [], [sentence[f.start:f.end] for f in found]
        return
    assert [f.kind.value for f in found] == [result]
    start = sentence.index(text)
    # The whole detail is covered, whatever its spelling ("tel" may stay: it says nothing).
    covered = "".join(sentence[f.start:f.end] for f in found)
    assert re.sub(r"^tel", "", text) in covered or covered in text
    assert found[0].start >= start - 1
