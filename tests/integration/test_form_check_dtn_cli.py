"""``fieldkit form check --kind dtn --names ... --addresses ...``: the real command line checks a
Duty to Notify against the person's recorded names and addresses, as the store does, and never
prints what it found."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli


def test_a_dtn_is_checked_against_the_names_and_addresses_given(
    cli: Cli, tmp_path: Path
) -> None:
    """R-DTN-RECORDED-DETAILS: names separated by commas, addresses by semicolons (an address
    keeps its own commas); the notice fails with each field named and nothing repeated."""
    notice = tmp_path / "dtn.json"
    notice.write_text(json.dumps({
        "general_area": "Foleshill",
        "account": "Mica slept at Brookvale Works, Foleshill with four others.",
    }))
    # A named works is a specific place whether or not it was recorded (it was taken for a
    # general area), named without being echoed.
    plain = cli("form", "check", str(notice), "--kind", "dtn", passphrase=None)
    assert plain.code == 1 and plain.out.strip() == (
        "account: Anonymised account seems to contain an address: a Duty to Notify must not "
        "identify anyone, so remove it")
    found = cli("form", "check", str(notice), "--kind", "dtn", "--names", "Ana Pop,Mica",
                "--addresses", "Brookvale Works, Foleshill; Unit B", passphrase=None)
    assert found.code == 1
    assert found.out.strip().splitlines() == [
        "account: Anonymised account seems to contain a name and an address: a Duty to Notify "
        "must not identify anyone, so remove it"]
    assert "Mica" not in found.out + found.err and "Brookvale" not in found.out + found.err
    # Each option may be repeated; a blank one adds nothing.
    again = cli("form", "check", str(notice), "--kind", "dtn", "--names", "Ana Pop",
                "--names", " ", "--addresses", "Brookvale Works, Foleshill", passphrase=None)
    assert again.code == 1 and again.out.startswith("account: ")


def test_names_and_addresses_are_only_for_a_duty_to_notify(cli: Cli, tmp_path: Path) -> None:
    """The options make sense only for a Duty to Notify: anything else is refused in one line."""
    form = tmp_path / "visit.json"
    form.write_text("{}")
    refused = cli("form", "check", str(form), "--kind", "visit", "--names", "Ana",
                  passphrase=None)
    assert refused.code != 0 and refused.out == ""
    assert refused.err.strip().splitlines() == [
        "fieldkit: --names and --addresses are for checking a Duty to Notify (--kind dtn) or an "
        "intelligence report (--kind intel)."]
