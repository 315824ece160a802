"""The Lead's figures count the referrals a reception board records as made (a walk found
three NRMs and two MASH referrals ticked on the board, with no form for them, missing from the
Dashboard and the quarterly report), once per person: not again when the case also holds the
person's NRM or Duty to Notify, or a record of their MASH referral."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

from fieldkit import cases, clock, documents
from fieldkit.clock import utc_now
from fieldkit.demo.forms import w1_nrm
from forms import PersonReceived, ReceptionCentre
from forms.choices import ReferralDestination, label
from sync.desk.figures import Quarter, quarter_figures
from tests.builders import LeadAndDevice


def test_board_referrals_are_counted_once_per_person(tmp_path: Path) -> None:
    setup = LeadAndDevice(tmp_path)
    try:
        today = clock.today()
        at = datetime.combine(today, time(10, 0))
        case = cases.create_case(setup.device, "Operation Hazel reception")
        for reference in ("R001", "R002", "R003", "R004", "R005"):
            cases.add_person(setup.device, case.id, reference)
        people = [
            # R001: an adult who consented, NRM made at the centre (by the police): no form.
            PersonReceived(reference="R001", arrived_at=at, age_group="adult", gender="female",
                           consent="given", nrm_explained_at=at, referral_form="nrm",
                           referral_form_done_at=at),
            # R002: the same, and the officer's NRM form for them is held and ready.
            PersonReceived(reference="R002", arrived_at=at, age_group="adult", gender="male",
                           consent="given", nrm_explained_at=at, referral_form="nrm",
                           referral_form_done_at=at),
            # R003: refused consent: a Duty to Notify made, no form.
            PersonReceived(reference="R003", arrived_at=at, age_group="adult", gender="male",
                           consent="refused", nrm_explained_at=at, referral_form="dtn",
                           referral_form_done_at=at),
            # R004: a child: MASH, then the NRM, both recorded on the board only.
            PersonReceived(reference="R004", arrived_at=at, age_group="child",
                           mash_referred_at=at, referral_form="nrm", referral_form_done_at=at),
            # R005: possibly a child, MASH referred, a referral record to the MASH held too.
            PersonReceived(reference="R005", arrived_at=at, mash_referred_at=at),
        ]
        board = ReceptionCentre(operation="Operation Hazel", held_on=today, people=people)
        documents.save_document(setup.device, case.id, "reception", board.model_dump(mode="json"))
        r002 = cases.person_by_reference(setup.device, case.id, "R002")
        r005 = cases.person_by_reference(setup.device, case.id, "R005")
        assert r002 is not None and r005 is not None
        documents.save_document(setup.device, case.id, "nrm",
                                w1_nrm(today).model_dump(mode="json"), status="ready",
                                person_id=r002.id)
        documents.save_document(setup.device, case.id, "referral", {
            "destination": "mash", "made_at": utc_now().replace(microsecond=0).isoformat(),
            "made_by": "Rowan Hallam", "method": "phone"}, status="ready", person_id=r005.id)
        setup.send(case.id)
        assert setup.import_all().imported

        figures = quarter_figures(setup.lead, Quarter.of(today))
        counted = {(group.key, name): row[-1] for group in figures.groups
                   for name, row in group.rows.items()}
        assert counted[("referrals", "NRM referral, adult")] == 2  # R001 (board), R002 (form)
        assert counted[("referrals", "Duty to Notify, adult")] == 1  # R003
        assert counted[("referrals", "NRM referral, child")] == 1  # R004
        assert counted[("referrals", "Total")] == 4
        assert counted[("gender", "Female")] == 1 and counted[("gender", "Not recorded")] == 1
        assert counted[("nationality", "Not known")] == 3  # the board holds no nationality
        mash = label(ReferralDestination.MASH)
        assert counted[("destinations", mash)] == 2  # R004 (board), R005 (its record)
        assert counted[("destinations", "Total")] == 2
    finally:
        setup.close()
