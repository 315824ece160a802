"""The schedule of notes and exhibits: from the command line, for the demo case, every note and
exhibit is on it with hashes that match the files, every page is marked, and it closes with the
audit trail's head."""

from __future__ import annotations

import hashlib
import re
import stat
from pathlib import Path

from fieldkit import cases, exhibits, notes
from fieldkit.settings import Settings
from fieldkit.store import Store
from tests.conftest import PASSPHRASE, Cli
from tests.unit.test_pdf_tools import pdf_text, qpdf_check


def test_the_schedule_lists_every_note_and_exhibit_of_the_demo(cli: Cli, tmp_path: Path) -> None:
    cli.ok("init", "--officer", "Rowan Hallam")
    case_id = cli.ok("demo").last_line
    visit_id = cli.ok("visit", "list", "--case", case_id).out.split()[0]
    listed = cli.ok("exhibit", "list", "--visit", visit_id).out.strip().splitlines()
    out = tmp_path / "schedule"
    path = Path(cli.ok("export", "schedule", "--case", case_id, "--out", str(out)).last_line)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    pdf = path.read_bytes()
    qpdf_check(pdf)
    text = pdf_text(pdf)
    flat = " ".join(text.split())
    settings = Settings(data_dir=cli.data_dir, kdf_min_seconds=0.001, kdf_memory_kib=8192)
    with Store.open(settings, PASSPHRASE) as store:
        case = cases.get_case(store, case_id)
        entries = notes.list_notes(store, visit_id)
        items = exhibits.list_exhibits(store, case_id)
        head = store.conn.execute(
            "SELECT seq, hash FROM audit_events WHERE action = 'export.schedule' "
            "ORDER BY seq DESC LIMIT 1").fetchone()
        for entry in entries:
            assert " ".join(entry.text.split())[:60] in flat, entry.seq
        for item in items:
            content = exhibits.exhibit_content(store, item.id)
            assert hashlib.sha256(content).hexdigest() == item.sha256
            assert item.sha256 in flat.replace(" ", "") or item.sha256 in text.replace("\n", "")
            assert item.exhibit_ref in flat and "Rowan Hallam" in flat
    # The listing commands put the id first, as case list does.
    assert listed and all(line.split()[0] == item.id for line, item in zip(listed, items,
                                                                             strict=True))
    assert "RH/1" in listed[0]
    pages = int(re.findall(r"Page \d+ of (\d+)", text)[0])
    assert text.count("OFFICIAL-SENSITIVE") >= pages
    assert f"Page {pages} of {pages}" in text
    for heading in ("Notes", "Exhibits", "Form versions", "Audit trail"):
        assert heading in text
    assert "Corrected by entry" in flat and "Corrects entry" in flat
    assert "NRM referral 1" in flat and "Ready" in flat and "Draft" in flat
    # The closing line carries the audit head as it was when printed (the export's own event).
    assert f"whole up to event {head[0]}" in flat
    assert head[1] in text.replace("\n", "")
    assert case.reference in text
