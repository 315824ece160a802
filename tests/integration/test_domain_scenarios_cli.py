"""Domain scenarios through the real ``fieldkit`` command line: contemporaneous notes are never
erased (a correction is a new timed entry), exhibits get a reference and a hash when captured,
a Duty to Notify that names the person is refused, and every printed pack of the demo operation
is survivor-centred."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from fieldkit.demo import forms as demo_forms
from forms import nrm_to_dtn
from tests.conftest import Cli
from tests.unit.test_domain_scenarios import FOUND_ON
from tests.unit.test_pdf_tools import pdf_text, qpdf_check


def test_a_note_is_corrected_by_a_new_entry_and_the_original_stays(cli: Cli,
                                                                     tmp_path: Path) -> None:
    cli.ok("init")
    case_id = cli.ok("case", "new", "--title", "Operation Larch").last_line
    visit_id = cli.ok("visit", "new", "--case", case_id, "--premises", "Shine Car Wash",
                      "--address", "1 Test Road, Testville").last_line
    first = cli.ok("note", "add", "--visit", visit_id, "Four workers seen in the cabin").last_line
    cli.ok("note", "correct", "--entry", first, "Five workers seen in the cabin")
    listed = cli.ok("note", "list", "--visit", visit_id).out.splitlines()
    assert len(listed) == 2
    assert "[corrected later]" in listed[0] and "Four workers seen in the cabin" in listed[0]
    assert "[corrects 1]" in listed[1] and "Five workers seen in the cabin" in listed[1]
    times = [line.split()[1] for line in listed]
    assert all(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d", t) for t in times)  # each entry timed
    out = tmp_path / "pack"
    paths = cli.ok("export", "pdf", "--case", case_id, "--out", str(out)).out.split()
    text = pdf_text(Path(paths[0]).read_bytes())
    assert "Four workers seen in the cabin" in text and "Five workers seen in the cabin" in text


def test_exhibits_are_numbered_and_hashed_when_captured(cli: Cli, tmp_path: Path) -> None:
    cli.ok("init")
    case_id = cli.ok("case", "new", "--title", "Operation Rowan").last_line
    visit_id = cli.ok("visit", "new", "--case", case_id, "--premises", "Glow Nails",
                      "--address", "2 Test Road, Testville").last_line
    refs = []
    for number in (1, 2):
        photo = tmp_path / f"photo{number}.jpg"
        photo.write_bytes(f"fictional photo {number}".encode())
        line = cli.ok("exhibit", "add", "--visit", visit_id, "--description",
                      f"Mattresses, room {number}", str(photo)).out.splitlines()[0]
        ref, _label, digest = line.split()
        assert digest == hashlib.sha256(photo.read_bytes()).hexdigest()
        refs.append(ref)
    assert len(set(refs)) == 2
    listed = cli.ok("exhibit", "list", "--visit", visit_id).out
    assert all(ref in listed for ref in refs)


def test_a_duty_to_notify_naming_the_person_is_refused(cli: Cli, tmp_path: Path) -> None:
    draft = demo_forms.w2_nrm_draft(FOUND_ON)
    notice, _removed = nrm_to_dtn(draft)
    name = draft.potential_victim.given_names
    data = notice.model_dump(mode="json")
    data["account"] = f"{name} said the manager kept his passport."
    path = tmp_path / "dtn.json"
    path.write_text(json.dumps(data))
    result = cli("form", "check", str(path), "--kind", "dtn", "--names", name)
    assert result.code == 1 and "account" in result.out
    assert name not in result.out + result.err  # the message never repeats what was found
    data["account"] = "He said the manager kept his passport."
    path.write_text(json.dumps(data))
    cli.ok("form", "check", str(path), "--kind", "dtn", "--names", name)


def test_every_demo_pack_is_survivor_centred(cli: Cli, tmp_path: Path) -> None:
    """No "illegal" anywhere; "victim" only as "potential victim" or the Victim Care
    Contract, in every PDF the demo operation prints."""
    cli.ok("init")
    case_id = cli.ok("demo").last_line
    out = tmp_path / "pack"
    paths = [Path(p) for p in cli.ok("export", "pdf", "--case", case_id, "--out",
                                      str(out)).out.split()]
    assert paths
    bare = re.compile(r"(?<!potential )\bvictims?\b(?! care)", re.IGNORECASE)
    for path in paths:
        pdf = path.read_bytes()
        qpdf_check(pdf)
        text = pdf_text(pdf)
        assert not re.search(r"\billegal", text, re.IGNORECASE), path.name
        assert not bare.findall(text), (path.name, bare.findall(text))
