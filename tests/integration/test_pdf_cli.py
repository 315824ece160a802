"""The real command line: ``fieldkit export pdf`` writes every PDF of the demo case where asked
(and nowhere else), and ``fieldkit form check`` reports each problem by field."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from fieldkit import audit
from fieldkit.settings import Settings
from fieldkit.store import Store
from tests.conftest import PASSPHRASE, Cli
from tests.unit.test_pdf_tools import pdf_text, qpdf_check

KINDS_IN_DEMO = ("visit", "nrm", "dtn", "reception", "intel", "referral")


def test_demo_then_export_pdf_writes_every_pdf(cli: Cli, tmp_path: Path) -> None:
    cli.ok("init")
    case_id = cli.ok("demo").last_line
    out = tmp_path / "printed" / "pack"
    result = cli.ok("export", "pdf", "--case", case_id, "--out", str(out))
    paths = [Path(line) for line in result.out.strip().splitlines()]
    assert sorted(paths) == sorted(out.iterdir())  # every file printed, nothing else written
    assert len(paths) == 9
    assert {path.name.split("-")[3] for path in paths} == set(KINDS_IN_DEMO)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    for path in paths:
        assert path.suffix == ".pdf"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        qpdf_check(path.read_bytes())
    text = pdf_text(next(p for p in paths if p.name.endswith("-nrm-1.pdf")).read_bytes())
    assert "Andrei" in text and "Checklist before submission" in text
    again = cli.ok("export", "pdf", "--case", case_id, "--out", str(out))
    assert again.out == result.out and sorted(out.iterdir()) == sorted(paths)
    assert "Audit trail whole" in cli.ok("audit", "verify").out
    with Store.open(Settings(data_dir=cli.data_dir), PASSPHRASE) as store:
        exports = [e for e in audit.events(store.conn) if e.action == "export.pdf"]
    assert [(e.record_kind, e.record_id) for e in exports] == [("case", case_id)] * 2


def test_export_pdf_errors(cli: Cli, tmp_path: Path) -> None:
    cli.ok("init")
    missing = cli("export", "pdf", "--case", "no-such-case", "--out", str(tmp_path / "x"))
    assert missing.code == 1 and "No case" in missing.err
    assert not (tmp_path / "x").exists()
    case_id = cli.ok("case", "new", "--title", "Operation Empty").last_line
    a_file = tmp_path / "file.txt"
    a_file.write_text("not a folder")
    clash = cli("export", "pdf", "--case", case_id, "--out", str(a_file))
    assert clash.code == 1 and "not a folder" in clash.err
    empty = cli.ok("export", "pdf", "--case", case_id, "--out", str(tmp_path / "y"))
    assert empty.out == "" and "no visits or forms" in empty.err


def test_form_check_valid_and_invalid(cli: Cli, tmp_path: Path) -> None:
    good = tmp_path / "intel.json"
    good.write_text(json.dumps({
        "subject_type": "business", "subject": "Car wash, Testville", "sanitised_text": "Seen.",
        "source_evaluation": "2", "intelligence_assessment": "B", "handling_code": "P",
        "destination": "trading_standards_idb", "recorded_by": "Officer Test",
    }))
    ok = cli("form", "check", str(good), "--kind", "intel", "--ready", passphrase=None)
    assert ok.code == 0 and "complete and ready" in ok.out

    bad = tmp_path / "nrm.json"
    bad.write_text(json.dumps({
        "where_found": {"encountered_on": "31st of May"},
        "potential_victim": {"gender": "robot", "estimated_age": 200},
        "colour": "blue",
    }))
    result = cli("form", "check", str(bad), "--kind", "nrm", passphrase=None)
    assert result.code == 1
    lines = result.out.strip().splitlines()
    assert len(lines) == 4
    by_field = dict(line.split(": ", 1) for line in lines)
    assert set(by_field) == {"where_found.encountered_on", "potential_victim.gender",
                             "potential_victim.estimated_age", "colour"}
    assert "must be a date" in by_field["where_found.encountered_on"]
    assert "gender must be one of: Female, Male" in by_field["potential_victim.gender"]
    assert "3 problems" not in result.err and "4 problems" in result.err

    draft = tmp_path / "draft.json"
    draft.write_text("{}")
    assert cli("form", "check", str(draft), "--kind", "nrm", passphrase=None).code == 0
    not_ready = cli("form", "check", str(draft), "--kind", "nrm", "--ready", passphrase=None)
    assert not_ready.code == 1
    assert "where_found.encountered_on: Date the person was found is needed" in not_ready.out

    garbled = tmp_path / "garbled.json"
    garbled.write_text("{not json")
    unreadable = cli("form", "check", str(garbled), "--kind", "dtn", passphrase=None)
    assert unreadable.code == 1 and "not valid JSON" in unreadable.out
    gone = cli("form", "check", str(tmp_path / "nope.json"), "--kind", "dtn", passphrase=None)
    assert gone.code == 1 and "cannot be read" in gone.err
