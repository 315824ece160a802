"""The reception board's person panel: everything recorded about the person selected on the
board (age or date of birth, whether it is disputed, gender, language and interpreter, consent
and the route it leads to, health, screening, property, where they go next). The rules come
from ``forms``: the panel shows the route the person's record leads to, it never decides."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldkit import clock
from forms import PersonReceived
from forms.person_edit import MISTAKE, edit_person
from forms.rules import Route
from ui.controls import pressable
from ui.form_editor import SectionEditor

PANEL_FIELDS = [
    "age_group", "estimated_age", "date_of_birth", "age_disputed", "gender", "language",
    "interpreter_needed", "potential_victim", "consent", "medical_triage_needed",
    "welfare_notes", "screenings", "separated_from_controllers", "wants_support",
    "accommodation_needed", "accommodation_arranged", "property_items", "safe_contact_taken",
    "onward_destination", "registered_in_error",
]
"""The person's fields the panel edits (those the form has), in the order asked."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("PersonPanel", text)


def route_text(person: PersonReceived, as_of: Any) -> str:
    """The route the person's record leads to, in words (the rules are the form's)."""
    rules = person.obligations(as_of)
    if rules.treated_as_child:
        return _tr("Route: NRM as a child (no consent needed) and a MASH referral.")
    if rules.route is Route.NRM:
        return _tr("Route: NRM referral (the adult consented).")
    if rules.route is Route.DUTY_TO_NOTIFY and person.left_unasked():
        return _tr("Route: Duty to Notify, anonymous: the adult left before consenting to the "
                   "NRM.")
    if person.consent_not_informed() is not None:  # given, but before it was informed
        return _tr("Route: not decided yet: the consent recorded does not count until it is "
                   "informed; ask again once the NRM is explained.")
    if rules.route is Route.DUTY_TO_NOTIFY:
        return _tr("Route: Duty to Notify, anonymous (the adult did not consent).")
    return _tr("Route: not decided yet: explain the NRM with the booklet and record "
                     "the adult's decision.")


class PersonPanel(QWidget):
    """Edits the selected person; ``personChanged`` carries the new record, ``openForm`` asks
    for the person's NRM or Duty to Notify."""

    personChanged = Signal(object)  # PersonReceived
    openForm = Signal(str)  # the reference
    ageDecided = Signal(str, bool)  # the reference; True: an adult, False: a child

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel(self.tr("Select a person on the board to see their details."),
                              self)
        self.heading.setAccessibleName(self.tr("Person details"))
        layout.addWidget(self.heading)
        self.route = QLabel(self)
        self.route.setWordWrap(True)
        self.route.setAccessibleName(self.tr("Route"))
        layout.addWidget(self.route)
        fields = [f for f in PANEL_FIELDS if f in PersonReceived.model_fields]
        self.editor = SectionEditor(PersonReceived, self, only=fields)
        # Under the consent question when the rules need no consent (a child): why it is off.
        self.consent_note = QLabel(self.tr(
            "A child, or possibly a child (an age disputed or not sure), needs no consent: "
            "always referred to the NRM, and to the MASH."), self.editor)
        self.consent_note.setWordWrap(True)
        self.consent_note.setAccessibleName(self.tr("Consent not needed"))
        # Beside it, read-only: when the decision was recorded (the core stamps it).
        self.consent_time = QLabel(self.editor)
        self.consent_time.setAccessibleName(self.tr("Consent decision recorded at"))
        form = self.editor.form
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if item is not None and item.widget() is self.editor.fields.get("consent"):
                form.insertRow(row + 1, "", self.consent_time)
                form.insertRow(row + 2, "", self.consent_note)
                break
        self.details_scroll = QScrollArea(self)
        self.details_scroll.setWidgetResizable(True)
        self.details_scroll.setWidget(self.editor)
        layout.addWidget(self.details_scroll, 1)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName(self.tr("Person problems"))
        layout.addWidget(self.problem)
        self.problem.hide()
        self.child_route = QLabel(self)
        self.child_route.setWordWrap(True)
        self.child_route.setAccessibleName(self.tr("Kept on the child route"))
        self.child_route.setStyleSheet("QLabel { border: 2px solid #b35900; padding: 6px; }")
        layout.addWidget(self.child_route)
        decide = QHBoxLayout()
        self.decided_adult = pressable(QPushButton(self.tr("Age decided: an a&dult"), self),
                                       self.tr("Record that their age was decided: an adult"))
        self.decided_child = pressable(
            QPushButton(self.tr("Age decided: a child (&under 18)"), self),
            self.tr("Record that their age was decided: under 18"))
        decide.addWidget(self.decided_adult)
        decide.addWidget(self.decided_child)
        decide.addStretch(1)
        self.show_child_route(None)
        self.decided_adult.clicked.connect(lambda: self._decided(True))
        self.decided_child.clicked.connect(lambda: self._decided(False))
        self.form_button = pressable(QPushButton(self.tr("Open NRM / Duty to &Notify form"), self),
                                     self.tr("Open this person's NRM or Duty to Notify form"))
        decide.addWidget(self.form_button)  # one row with the age buttons: more fields show
        layout.addLayout(decide)
        self._person: PersonReceived | None = None
        self._as_of: Any = None
        self._typed_problem = ""
        self.editor.changed.connect(self._edited)
        self.form_button.clicked.connect(
            lambda: self.openForm.emit(self._person.reference) if self._person else None)
        self.show_person(None, None)

    def focus_first(self) -> None:
        """Put the cursor in the first of the person's details."""
        first = self.editor.widget_at(next(iter(self.editor.fields)))
        if first is not None:
            first.setFocus()
            self.details_scroll.ensureWidgetVisible(first)

    def typed_problem(self) -> str:
        """What is wrong with what was typed for the person shown and is not in their record
        ("Person R002: Date of birth must be a date ..."), or "" when everything typed is."""
        if not self._typed_problem or self._person is None:
            return ""
        return self.tr("Person {ref}: {problem}").format(ref=self._person.reference,
                                                         problem=self._typed_problem)

    def show_person(self, person: PersonReceived | None, as_of: Any) -> None:
        """Show ``person`` (None: nobody selected); what was typed and not valid is dropped
        (ask :meth:`typed_problem` first)."""
        self._person, self._as_of = person, as_of
        self._typed_problem = ""
        self.setEnabled(person is not None)
        for widget in (self.editor, self.form_button):  # no one's values shown for nobody
            widget.setVisible(person is not None)
        if person is None:
            self.heading.setText(self.tr("Select a person on the board to see their details."))
            self.route.clear()
            return
        self.heading.setText(self.tr("Person {ref}").format(ref=person.reference))
        self.editor.blockSignals(True)
        self.editor.set_value(person.model_dump(mode="json"))
        self.editor.blockSignals(False)
        self._show_rules(person)
        self._say_problem("")

    def _say_problem(self, text: str) -> None:
        """What is wrong with what was typed; the line takes no room when nothing is."""
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def _show_rules(self, person: PersonReceived) -> None:
        """The route, what the rules still ask, and whether consent is asked at all (the
        rules are the form's: a child is never asked)."""
        text = route_text(person, self._as_of)
        missing = person.rule_problems(self._as_of)
        if missing:  # the rules' words, e.g. the NRM explained before consent counts
            text += "\n" + self.tr("Not complete yet: ") + " ".join(
                problem.message.rstrip(".") + "." for problem in missing)
        self.route.setText(text)
        asked = person.obligations(self._as_of).ask_consent
        consent = self.editor.fields.get("consent")
        if consent is not None:
            consent.setEnabled(asked)
        self.consent_note.setVisible(not asked)
        at = person.consent_recorded_at
        if at is None or not asked:  # none while not asked (the core clears it)
            self.consent_time.clear()
        else:
            self.consent_time.setText(self.tr("Decision recorded at {time}").format(
                time=f"{at:%H:%M}"))
        self.consent_time.setVisible(bool(self.consent_time.text()))

    def show_child_route(self, recorded: tuple[Any, ...] | None) -> None:
        """Say why the selected person is kept on the child route on a shared board (each of
        ``recorded``, a ``form_link.ValueSet``, recorded them as under 18 or possibly), and
        offer to record the decision on their age; None: they are not kept there."""
        held = bool(recorded)
        for widget in (self.child_route, self.decided_adult, self.decided_child):
            widget.setVisible(held)
        if not recorded:
            self.child_route.clear()
            return
        from ui.board_share_panel import field_title, value_text, when_text

        said = "; ".join(self.tr("{officer} recorded “{field}: {value}” at {at}").format(
            officer=v.officer, field=field_title(v.field), value=value_text(v.value),
            at=when_text(v.at)) for v in recorded)
        self.child_route.setText(self.tr(
            "Kept on the child route: recorded as under 18, or possibly, on a laptop sharing "
            "this board ({said}). They are treated as a child until their age is decided, for "
            "example by an age assessment; then record the decision.").format(said=said))

    def _decided(self, adult: bool) -> None:
        if self._person is not None:
            self.ageDecided.emit(self._person.reference, adult)

    def refresh_person(self, person: PersonReceived) -> None:
        """Show the selected person's record again after changes arrived from another laptop
        (what the officer typed is already in it): the field being typed in keeps focus and
        its cursor."""
        if person == self._person:
            return
        focus = QApplication.focusWidget()
        cursor = focus.cursorPosition() if isinstance(focus, QLineEdit) else -1
        self.show_person(person, self._as_of)
        if isinstance(focus, QLineEdit) and cursor >= 0:
            focus.setCursorPosition(min(cursor, len(focus.text())))

    def _edited(self) -> None:
        if self._person is None:
            return
        # The core merges the edit (every valid field kept, though another is not valid) and
        # stamps the time of a new consent decision.
        edit = edit_person(self._person, self.editor.field_values(), clock.local_now())
        person = edit.person
        # Every field wrong, in the plain words the forms use ("Date of birth must be a date
        # (for example 31/05/2024 or 2024-05-31)"), never pydantic's own.
        # A refused "registered by mistake" tick is said, but is no typed value left to
        # correct (the box is cleared): it must not stop the board being saved or printed.
        self._typed_problem = " ".join(problem.message.rstrip(".") + "."
                                       for problem in edit.problems if problem.field != MISTAKE)
        self._say_problem(" ".join(problem.message.rstrip(".") + "."
                                   for problem in edit.problems))
        mistake = self.editor.fields.get(MISTAKE)
        if mistake is not None and any(p.field == MISTAKE for p in edit.problems):
            # The core did not keep the tick (or took it off): the box shows the record.
            mistake.blockSignals(True)
            mistake.set_value(person.registered_in_error)
            mistake.blockSignals(False)
        if edit.problems and person == self._person:
            return  # nothing valid changed
        self._person = person
        self._show_rules(person)
        self.personChanged.emit(person)
