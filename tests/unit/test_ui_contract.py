"""ui/ only shows and asks: no SQL, no meta table, no clock of its own, no page attributes set
from outside. Checked on the source text, so a new screen cannot slip back into old habits."""

from __future__ import annotations

import re
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"

FORBIDDEN = {
    r"\.execute\(": "runs SQL",
    r"executemany\(": "runs SQL",
    r"\.conn\b": "touches the database connection",
    r"\.meta\(": "reads the store's meta table",
    r"set_meta\(": "writes the store's meta table",
    r"date\.today\(\)": "reads the clock (use fieldkit.clock)",
    r"datetime\.now\(": "reads the clock (use fieldkit.clock)",
    r"# type: ignore\[attr-defined\]": "sets attributes on widgets from outside",
    r'setProperty\("wired"': "marks widgets instead of wiring them once",
}


def test_ui_runs_no_sql_and_reads_no_clock() -> None:
    found = []
    for path in sorted(UI.rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for pattern, why in FORBIDDEN.items():
                if re.search(pattern, line):
                    found.append(f"{path.relative_to(UI.parent)}:{number} {why}")
    assert found == []


def test_no_test_hook_or_screenshot_code_ships_in_ui() -> None:
    names = {path.name for path in UI.rglob("*.py")}
    assert "test_hook.py" not in names and "screenshots.py" not in names
    for path in UI.rglob("*.py"):
        assert "FIELDKIT_UI_TEST_HOOK" not in path.read_text(), path


def test_item_roles_are_defined_once() -> None:
    defined = [path.name for path in UI.rglob("*.py")
               if re.search(r"^\w+_ROLE = ", path.read_text(), re.M)]
    assert defined == ["roles.py"]
