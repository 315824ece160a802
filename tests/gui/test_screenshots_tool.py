"""`make screenshots` drives the real app through every main screen: run here so it cannot rot
(its Lead part had stopped at a submission the tracker refuses, then at a modal question)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools import screenshots


@pytest.mark.timeout(300)
def test_every_screenshot_is_taken(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    written = screenshots.take(tmp_path) + screenshots.take_lead_desk(tmp_path)
    names = {path.name for path in written}
    assert {"13-reception-board.png", "33-lead-submission.png", "34-lead-tracker.png",
            "35-lead-dashboard.png", "36-lead-setup.png"} <= names
    for path in written:
        assert path.read_bytes().startswith(b"\x89PNG"), path
