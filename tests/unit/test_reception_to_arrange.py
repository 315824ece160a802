"""The board prompts the coordinator for what the people here need and the set-up does not
record (a walk found a person needing a Vietnamese interpreter with only Romanian booked, and
children on the board with children's services not present, neither flagged)."""

from __future__ import annotations

from datetime import date, datetime

from forms import PersonReceived, ReceptionCentre
from forms.choices import Agency

DAY = date(2026, 5, 14)
AT = datetime(2026, 5, 14, 7, 0)


def _centre(*people: PersonReceived, **setup: object) -> ReceptionCentre:
    return ReceptionCentre.model_validate({
        "operation": "Operation Harrier", "held_on": DAY.isoformat(),
        "people": [p.model_dump(mode="json") for p in people], **setup})


def test_a_language_needed_and_not_booked_is_prompted_with_who_needs_it() -> None:
    centre = _centre(
        PersonReceived(reference="R001", arrived_at=AT, age_group="adult", language="ron",
                       interpreter_needed=True),
        PersonReceived(reference="R002", arrived_at=AT, age_group="adult", language="vie",
                       interpreter_needed=True),
        PersonReceived(reference="R003", arrived_at=AT, age_group="adult", language="vie",
                       interpreter_needed=True),
        PersonReceived(reference="R004", arrived_at=AT, age_group="adult", language="sqi",
                       interpreter_needed=False),
        interpreters=[{"language": "ron", "count": 1}, {"language": "sqi", "count": 0}])
    assert centre.to_arrange(DAY) == [
        "Vietnamese interpreter needed (R002, R003): none is booked in the set-up"]


def test_someone_who_left_needs_no_interpreter_here() -> None:
    centre = _centre(PersonReceived(reference="R001", arrived_at=AT, age_group="adult",
                                    language="vie", interpreter_needed=True, departed_at=AT))
    assert centre.to_arrange(DAY) == []


def test_a_child_or_possibly_a_child_here_asks_for_childrens_services() -> None:
    child = PersonReceived(reference="R004", arrived_at=AT, age_group="child")
    unsure = PersonReceived(reference="R005", arrived_at=AT)  # not sure: possibly a child
    adult = PersonReceived(reference="R006", arrived_at=AT, age_group="adult")
    prompts = _centre(child, unsure, adult).to_arrange(DAY)
    assert prompts == ["A child, or possibly a child, is here (R004, R005): children's "
                       "services are not recorded as present; call the MASH"]
    referred = child.model_copy(update={"mash_referred_at": AT})
    assert _centre(referred, adult).to_arrange(DAY) == [
        "A child, or possibly a child, is here (R004): children's services are not recorded "
        "as present"]  # the MASH was called already
    present = _centre(child, adult, agencies_present=[Agency.CHILDRENS_SERVICES.value])
    assert present.to_arrange(DAY) == []
    assert _centre(adult).to_arrange(DAY) == []


def test_the_pathway_waits_as_the_board_does_for_consent_not_yet_informed() -> None:
    """The board said "Ask again" (consent recorded before the NRM was explained) while the
    pathway, reading the consent as recorded, already gave the NRM route."""
    from datetime import timedelta

    from fieldkit.pathway import facts_from_person
    from forms.choices import ConsentDecision

    early = PersonReceived(reference="R001", arrived_at=AT, age_group="adult",
                           consent="given", consent_recorded_at=AT,
                           nrm_explained_at=AT + timedelta(minutes=15))
    assert early.decision() is ConsentDecision.NOT_ASKED
    assert facts_from_person(early, as_of=DAY).consent is ConsentDecision.NOT_ASKED
    informed = early.model_copy(update={"consent_recorded_at": AT + timedelta(minutes=20)})
    assert facts_from_person(informed, as_of=DAY).consent is ConsentDecision.GIVEN
