"""``fieldkit form check --ready`` refuses a date after today for something that has already
happened, as the store does (the command line checked without a "today", so a visit ending
next year passed there and not in the app)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from fieldkit import clock
from tests.conftest import Cli


def test_a_visit_ending_after_today_is_refused_naming_the_field(cli: Cli,
                                                                 tmp_path: Path) -> None:
    later = (clock.today() + timedelta(days=200)).isoformat()
    form = tmp_path / "visit.json"
    form.write_text(json.dumps({"ended_at": f"{later}T10:00"}))
    checked = cli("form", "check", str(form), "--kind", "visit", "--ready", passphrase=None)
    assert checked.code == 1
    assert "ended_at: End time cannot be in the future" in checked.out.splitlines()


def test_init_refuses_a_mistyped_work_email_or_phone(cli: Cli) -> None:
    """The officer's email and phone go on every NRM referral as the first responder's."""
    refused = cli("init", "--officer", "Rowan Hallam", "--email", "rowan.hallam@coventry",
                  "--phone", "024 7683 1234x")
    assert refused.code == 1
    assert refused.err.strip() == (
        "fieldkit: --email: Work email must be an email address, such as name@council.gov.uk. "
        "--phone: Work phone must be a phone number, such as 07700 900123.")
    assert not (cli.data_dir / "fieldkit.db").exists()
    cli.ok("init", "--officer", "Rowan Hallam", "--email", "rowan.hallam@coventry.gov.uk",
           "--phone", "024 7683 1234")
