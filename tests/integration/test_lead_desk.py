"""The Lead's desk end to end: the demo operation is recorded three times on an officer's
device, sent and imported through the real command line; then the Lead reads, exports, records
a submission and decisions, lists what is due and writes the quarterly report. The CSV's
figures equal counts made directly from the imported records, small counts are withheld, and
the PDF holds every section and none of the demo people's personal data."""

from __future__ import annotations

import csv
import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest

from fieldkit import clock
from fieldkit.clock import parse_stamp
from fieldkit.settings import Settings
from fieldkit.store import Store
from sync.desk.figures import Quarter
from sync.desk.report import CSV_MARKER
from tests.conftest import FAST_KDF, PASSPHRASE, Cli
from tests.unit.test_pdf_tools import pdf_text, qpdf_check

DESTINATIONS = {"modern_slavery_lead": "Council's Modern Slavery Lead",
                "mash": "Multi-Agency Safeguarding Hub (MASH)",
                "salvation_army": "Salvation Army (victim care contract)"}
DEMO_PERSONAL_DATA = (
    "Andrei", "Dobrescu", "Florin", "Mateescu", "Luca", "1994", "1988", "12 March", "2 July",
    "07700 900123", "07700 900456", "07700", "Lockhurst", "CV6 5PD", "CV6 5AH",
    "210 Foleshill Road", "Unit 4", "Rowan Hallam", "Kam",
)


@dataclass
class Desk:
    """The Lead's data folder after the import, and a runner for the desk commands."""

    lead: Cli
    case_ids: list[str]
    tmp: Path

    def __call__(self, *args: str) -> tuple[int, str, str]:
        """Run the real ``fieldkit lead ARGS`` command."""
        done = self.lead("lead", *args)
        return done.code, done.out, done.err

    def ok(self, *args: str) -> str:
        code, out, err = self(*args)
        assert code == 0, err
        return out

    def refused(self, *args: str) -> str:
        code, out, err = self(*args)
        assert code != 0 and out == ""
        # (a warning, such as no keyring, may come first; the error itself is one line)
        lines = [line for line in err.strip().splitlines()
                 if not line.startswith("fieldkit: warning:")]
        assert len(lines) == 1, err
        return lines[0]

    def store(self) -> Store:
        return Store.open(Settings(data_dir=self.lead.data_dir), PASSPHRASE)


# The tests share one desk (set up once, about 50 commands) and build on each other in order
# (the decisions recorded are reported later): under `make test` they stay in one process.
pytestmark = pytest.mark.xdist_group("lead_desk")


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    tmp = tmp_path_factory.mktemp("desk")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIELDKIT_")}
    env.update(FAST_KDF)
    lead, device = Cli(tmp / "lead", env), Cli(tmp / "device", env)
    share = tmp / "share"
    share.mkdir()
    lead.ok("init", "--officer", "Lead Officer")
    lead.ok("lead", "init")
    profile = tmp / "profile.json"
    shown = lead.ok("lead", "profile", "--out", str(profile), "--folder", str(share)).out
    fingerprint = shown.split("Fingerprint: ")[1].split()[0]
    device.ok("init", "--officer", "Rowan Hallam")
    request = tmp / "request.json"
    device.ok("device", "enrol", "--lead-profile", str(profile), "--out", str(request),
              "--fingerprint", fingerprint)
    lead.ok("lead", "devices", "add", str(request))
    case_ids = []
    for _ in range(3):
        case_ids.append(device.ok("demo").last_line)
        device.ok("send", "--case", case_ids[-1])
    device.ok("sync")
    assert "Imported 3," in lead.ok("lead", "import", "--from", str(share)).out
    yield Desk(lead, case_ids, tmp)


def test_show_prints_the_case_as_received(desk: Desk) -> None:
    out = desk.ok("show", "--case", desk.case_ids[0])
    for expected in ("W1 [NRM referral: not yet submitted]", "W2 [Duty to Notify",
                     "NRM referral (W1): ready", "[correction of entry 3]",
                     "[corrected by entry 6]", " image/png 169 bytes",
                     "Versions received:", "first received:"):
        assert expected in out
    by_reference = desk.ok("show", "--case", out.split()[1].rstrip(":"))
    assert by_reference == out
    assert "No case received with id" in desk.refused("show", "--case", "FK-1999-9999")


def test_export_writes_the_packs_from_what_was_received(desk: Desk) -> None:
    out = desk.tmp / "packs"
    listed = desk.ok("export", "pdf", "--case", desk.case_ids[0], "--out", str(out))
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 9 and sorted(Path(line).name for line in listed.split()) == names
    assert oct(out.stat().st_mode & 0o777) == "0o700"
    for path in out.iterdir():
        assert oct(path.stat().st_mode & 0o777) == "0o600"
        qpdf_check(path.read_bytes())
    nrm = next(p for p in out.iterdir() if p.name.endswith("-nrm-1.pdf"))
    assert "National Referral Mechanism" in pdf_text(nrm.read_bytes())


def test_submission_decisions_and_what_is_due(desk: Desk) -> None:
    case = desk.case_ids[0]
    today = clock.today()
    due = desk.ok("due", "--today", today.isoformat())
    assert "W1 NRM referral not yet submitted (waiting 0 days)" in due
    assert "W2 Duty to Notify not yet submitted" in due
    assert "before any decision" in desk.refused(
        "decision", "--case", case, "--person", "W1", "--kind", "rg", "--outcome", "negative",
        "--date", today.isoformat())
    desk.ok("submitted", "--case", case, "--person", "W1", "--nrm-reference", "NRM-2026-00042",
            "--date", today.isoformat())
    desk.ok("submitted", "--case", case, "--person", "W2", "--nrm-reference", "DTN-2026-0007",
            "--date", today.isoformat())
    reference = desk.ok("show", "--case", case).split()[1].rstrip(":")
    lines = desk.ok("due", "--today", today.isoformat()).splitlines()
    # Each case reference with who sent it (each laptop numbers its own cases).
    assert not any(f"{reference} (Rowan Hallam) W1 NRM referral not yet" in line
                   for line in lines)
    assert not any(f"{reference} (Rowan Hallam) W2 Duty to Notify not yet" in line
                   for line in lines)
    assert f"{reference} (Rowan Hallam) W1 RG decision expected by" in " ".join(lines)
    desk.ok("decision", "--case", case, "--person", "W1", "--kind", "rg", "--outcome",
            "negative", "--date", today.isoformat())
    lines = desk.ok("due", "--today", today.isoformat()).splitlines()
    deadline = [line for line in lines if "Reconsideration deadline" in line]
    assert len(deadline) == 1
    assert deadline[0].split()[0] == date.fromordinal(today.toordinal() + 30).isoformat()
    later = date.fromordinal(today.toordinal() + 31).isoformat()
    overdue = desk.ok("due", "--today", later).splitlines()
    overdue_line = next(line for line in overdue if "Reconsideration deadline" in line)
    ends = date.fromordinal(today.toordinal() + 30).isoformat()
    assert overdue_line.endswith(f"W1 Reconsideration deadline {ends} (OVERDUE)")
    assert "Duty to Notify, not an NRM" in desk.refused(
        "decision", "--case", case, "--person", "W2", "--kind", "rg", "--outcome", "positive",
        "--date", today.isoformat())


@pytest.mark.parametrize(("args", "words"), [
    (("submitted", "--case", "X", "--person", "W1", "--nrm-reference", "R", "--date",
      "31/01/2026"), "not a date written YYYY-MM-DD"),
    (("decision", "--case", "FK-1999-0001", "--person", "W1", "--kind", "rg", "--outcome",
      "negative", "--date", "2026-01-31"), "No case received"),
    (("due", "--today", "tomorrow"), "--today 'tomorrow' is not a date"),
    (("report", "--quarter", "2026Q5", "--csv", "/tmp/x.csv"), "not like 2026Q4"),
])
def test_bad_input_gets_one_line(desk: Desk, args: tuple[str, ...], words: str) -> None:
    assert words in desk.refused(*args)


def test_a_decision_without_an_outcome_and_a_future_date_are_refused(desk: Desk) -> None:
    case = desk.case_ids[1]
    today = clock.today()
    desk.ok("submitted", "--case", case, "--person", "W1", "--nrm-reference", "NRM-2",
            "--date", today.isoformat(), "--different-person")  # the demo's W1 again
    assert "needs its outcome: positive or negative" in desk.refused(
        "decision", "--case", case, "--person", "W1", "--kind", "rg", "--outcome", "none",
        "--date", today.isoformat())
    assert "is in the future" in desk.refused(
        "decision", "--case", case, "--person", "W1", "--kind", "rg", "--outcome", "positive",
        "--date", date.fromordinal(today.toordinal() + 2).isoformat())
    assert "No person in case" in desk.refused(
        "submitted", "--case", case, "--person", "W9", "--nrm-reference", "R", "--date",
        today.isoformat())


# --- the quarterly report ------------------------------------------------------------------

def _direct_counts(store: Store, quarter: Quarter) -> dict[tuple[str, str], int]:
    """Counts for the quarter straight from the imported records (not through the desk)."""
    def day(stamp: str) -> date:
        return parse_stamp(stamp).date()

    counted: Counter[tuple[str, str]] = Counter()
    # A referral or notification counts once made: the officer marked it ready, or the Lead
    # recorded it as submitted (an NRM's submission makes its person's Duty to Notify, sent
    # after consent was withdrawn, count too). A draft is not a referral.
    submitted = {(str(case_id), str(person_id), str(route)) for case_id, person_id, route in
                 store.conn.execute("SELECT case_id, person_id, route FROM "
                                    "lead_referral_events WHERE kind = 'submitted'")}
    rows = store.conn.execute(
        "SELECT case_id, record_type, data FROM lead_records WHERE current = 1").fetchall()
    for case_id, kind, raw in rows:
        data = json.loads(raw)
        made = data.get("status") == "ready" or any(
            (case_id, data.get("person_id"), route) in submitted
            for route in {"nrm": ("nrm",), "dtn": ("dtn", "nrm")}.get(data.get("kind"), ()))
        if kind == "case" and Quarter.of(day(data["created_at"])) == quarter:
            counted[("Concerns, visits and people", "Concerns raised")] += 1
        if kind == "visit" and Quarter.of(day(data["created_at"])) == quarter:
            counted[("Concerns, visits and people", "Premises visits")] += 1
        if kind == "person" and Quarter.of(day(data["created_at"])) == quarter:
            counted[("Concerns, visits and people", "People encountered")] += 1
        if kind != "form":
            continue
        form = data["data"]
        group = "NRM referrals and Duty to Notify notifications"
        person: dict[str, object] = {}
        if data["kind"] == "nrm" and made and Quarter.of(
                date.fromisoformat(form["where_found"]["encountered_on"])) == quarter:
            age = form["where_found"]["age_group"]
            counted[(group, f"NRM referral, {age}")] += 1
            person = {"gender": form["potential_victim"]["gender"],
                      "nation": (form["potential_victim"]["nationalities"] or [None])[0],
                      "types": form["exploitation"]["types"]}
        if data["kind"] == "dtn" and made and Quarter.of(
                date.fromisoformat(form["encountered_on"])) == quarter:
            counted[(group, "Duty to Notify, adult")] += 1
            person = {"gender": form["gender"], "nation": form["nationality"],
                      "types": form["exploitation_types"]}
        if person:
            counted[(group, "Total")] += 1
            counted[("Gender", str(person["gender"]).capitalize())] += 1
            counted[("Gender", "Total")] += 1
            counted[("Nationality (first given)", {"RO": "Romania"}[str(person["nation"])])] += 1
            counted[("Nationality (first given)", "Total")] += 1
            for kind in person["types"]:  # type: ignore[attr-defined]
                counted[("Exploitation types", str(kind).capitalize())] += 1
        if data["kind"] == "reception" and Quarter.of(
                date.fromisoformat(form["held_on"])) == quarter:
            counted[("Concerns, visits and people", "Reception centres")] += 1
        if data["kind"] == "referral" and made and Quarter.of(
                datetime.fromisoformat(form["made_at"]).date()) == quarter:
            counted[("Referrals made, by destination", "Total")] += 1
            counted[("Referrals made, by destination", DESTINATIONS[form["destination"]])] += 1
    decided = store.conn.execute(
        "SELECT kind, outcome, happened_on FROM lead_referral_events e WHERE seq = "
        "(SELECT MAX(seq) FROM lead_referral_events x WHERE x.case_id = e.case_id AND "
        "x.person_id = e.person_id AND x.kind = e.kind)").fetchall()
    for kind, outcome, on in decided:
        if kind == "rg" and Quarter.of(date.fromisoformat(on)) == quarter:
            counted[("Reasonable grounds (RG) decisions", outcome.capitalize())] += 1
            counted[("Reasonable grounds (RG) decisions", "Total")] += 1
    return counted


def test_the_quarterly_report(desk: Desk) -> None:
    quarter = Quarter.of(clock.today())
    pdf_path, csv_path = desk.tmp / "report.pdf", desk.tmp / "report.csv"
    desk.ok("report", "--quarter", str(quarter), "--pdf", str(pdf_path), "--csv", str(csv_path))
    rows = list(csv.reader(csv_path.read_text().splitlines()))
    assert rows[0] == ["group", "figure", *(str(quarter.before(n)) for n in range(4, -1, -1))]
    published = {(r[0], r[1]): r[2:] for r in rows[1:]}
    with desk.store() as store:
        direct = _direct_counts(store, quarter)
    assert direct[("Concerns, visits and people", "People encountered")] == 12
    # Each demo case: W1's NRM and W2's Duty to Notify marked ready, W3's NRM a draft (not
    # yet a referral, so not counted, nor is W3 in the gender, nationality or type counts).
    assert direct[("NRM referrals and Duty to Notify notifications", "Total")] == 6
    assert direct[("NRM referrals and Duty to Notify notifications", "NRM referral, child")] == 0
    assert published[("NRM referrals and Duty to Notify notifications",
                      "NRM referral, child")][-1] == "0"
    assert direct[("Reasonable grounds (RG) decisions", "Negative")] == 1
    assert direct[("Gender", "Male")] == 6 and direct[("Exploitation types", "Labour")] == 6
    assert direct[("Referrals made, by destination", "Total")] == 9
    for key, count in direct.items():
        shown = published[key][-1]
        if 0 < count < 5:
            assert shown == CSV_MARKER, key
        elif shown != CSV_MARKER:
            assert int(shown) == count, key
    for key, cells in published.items():
        for cell in cells[:-1]:
            assert cell == "0", key  # nothing was recorded in the four quarters before
        assert cells[-1] == CSV_MARKER or not 0 < int(cells[-1]) < 5, key
    groups: dict[str, list[str]] = {}
    for (group, _), cells in published.items():
        groups.setdefault(group, []).append(cells[-1])
    for group, cells in groups.items():
        names = [figure for (g, figure) in published if g == group]
        if names[-1] == "Total" and cells[-1] != CSV_MARKER:
            assert sum(cell == CSV_MARKER for cell in cells[:-1]) != 1, group
    pdf = pdf_path.read_bytes()
    qpdf_check(pdf)
    text = pdf_text(pdf)
    for section in ("Summary", "How to read these figures", "Concerns, visits and people",
                    "NRM referrals and Duty to Notify notifications", "Exploitation types",
                    "Nationality", "Gender", "Referrals made, by destination",
                    "SERAC discussions", "Reasonable grounds (RG) decisions",
                    "Conclusive grounds (CG) decisions", "Reconsiderations", "Open deadlines",
                    "fewer than 5", "OFFICIAL-SENSITIVE"):
        assert section in text, section
    assert "Reconsideration deadline" in text and "W1" in text
    # The officer who sent a case is named only beside its reference in the open deadlines
    # (each laptop numbers its own cases); nothing about a potential victim is printed.
    opened = text.split("Open deadlines", 1)[1]
    rows = re.findall(r"\d{1,2} \w+ \d{4} FK-\d{4}-\d{4} Rowan Hallam W\d ", opened)
    assert rows and text.count("Rowan Hallam") == len(rows)
    for personal in DEMO_PERSONAL_DATA:
        assert personal not in text.replace(" Rowan Hallam W", " W"), personal
    assert oct(pdf_path.stat().st_mode & 0o777) == "0o600"


def test_a_draft_nrm_counts_once_the_lead_records_it_submitted(desk: Desk) -> None:
    """W3's NRM is still the officer's draft; once the Lead records it as submitted the
    referral was made: the dashboard and the report count it (and W3's gender and types)."""
    from sync.desk.report import dashboard

    quarter = Quarter.of(clock.today())
    group = "NRM referrals and Duty to Notify notifications"

    def shown() -> dict[tuple[str, str], int]:
        with desk.store() as store:
            return {(block.title, name): counts[-1] for block in dashboard(store, quarter)
                    for name, counts in block.rows}

    before = shown()
    assert before[(group, "NRM referral, child")] == 0
    desk.ok("submitted", "--case", desk.case_ids[2], "--person", "W3", "--nrm-reference",
            "NRM-2026-00077", "--date", clock.today().isoformat())
    after = shown()
    assert after[(group, "NRM referral, child")] == 1
    assert after[(group, "Total")] == before[(group, "Total")] + 1
    assert after[("Gender", "Male")] == before[("Gender", "Male")] + 1
    with desk.store() as store:
        direct = _direct_counts(store, quarter)
    assert direct[(group, "Total")] == 7
    for key, count in direct.items():
        assert after[key] == count, key
