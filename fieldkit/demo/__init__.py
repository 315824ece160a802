"""A believable, wholly fictional operation for demonstrations, screenshots and tests: a visit
with notes and a correction, a photo exhibit, four workers and one of each form.

Every name, place and number here is invented.
"""

from __future__ import annotations

from fieldkit import cases, exhibits, notes
from fieldkit.demo.forms import add_demo_forms
from fieldkit.demo.scenario import (
    DEMO_ADDRESS,
    DEMO_CORRECTION,
    DEMO_NOTES,
    DEMO_PEOPLE,
    DEMO_PREMISES,
    DEMO_TITLE,
    demo_photo,
)
from fieldkit.records import Case
from fieldkit.store import Store

__all__ = [
    "DEMO_ADDRESS", "DEMO_CORRECTION", "DEMO_NOTES", "DEMO_PEOPLE", "DEMO_PREMISES",
    "DEMO_TITLE", "add_demo_forms", "create_demo_operation", "demo_photo",
]


def create_demo_operation(store: Store) -> Case:
    """Create the demo case: a visit with notes and a correction, a photo exhibit, four workers,
    and the forms an officer would have made for them."""
    case = cases.create_case(store, DEMO_TITLE)
    visit = cases.create_visit(store, case.id, DEMO_PREMISES, DEMO_ADDRESS)
    written = [notes.add_note(store, visit.id, text) for text in DEMO_NOTES]
    notes.correct_note(store, written[2].id, DEMO_CORRECTION)
    exhibits.add_exhibit(
        store, case.id, demo_photo(), "cabin-behind-wash-bay.png", visit_id=visit.id,
        description="Sleeping area in the portable cabin behind the wash bay", sensitive=False,
    )
    for reference, summary in DEMO_PEOPLE:
        cases.add_person(store, case.id, reference, visit_id=visit.id, summary=summary)
    add_demo_forms(store, case.id, visit.id)
    return case
