"""The reception board's table model: one row per person received, one column per step.

A real model with cached per-row status and targeted ``dataChanged``, so a board of 200 people
stays smooth. Every cell says its status in words; colour only repeats it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from forms import BoardStep, PersonReceived, ReceptionCentre, StepStatus, StepWait
from forms.choices import ConsentDecision
from forms.reception import ReferralForm
from ui.roles import STATE_ROLE

Index = QModelIndex | QPersistentModelIndex
STEPS = list(BoardStep)

# Marked for translation here, translated where shown (step_title) under one context.
STEP_TITLES = {
    BoardStep.ARRIVED: QT_TRANSLATE_NOOP("Board", "Arrived"),
    BoardStep.WELFARE: QT_TRANSLATE_NOOP("Board", "Welfare"),
    BoardStep.MEDICAL: QT_TRANSLATE_NOOP("Board", "Medical"),
    BoardStep.INTERPRETER: QT_TRANSLATE_NOOP("Board", "Interpreter"),
    BoardStep.SCREENED: QT_TRANSLATE_NOOP("Board", "Screened"),
    BoardStep.MASH: QT_TRANSLATE_NOOP("Board", "MASH"),
    BoardStep.NRM_EXPLAINED: QT_TRANSLATE_NOOP("Board", "NRM explained"),
    BoardStep.CONSENT: QT_TRANSLATE_NOOP("Board", "Consent"),
    BoardStep.NRM_OR_DTN: QT_TRANSLATE_NOOP("Board", "NRM / DtN"),
    BoardStep.SALVATION_ARMY: QT_TRANSLATE_NOOP("Board", "Salvation Army"),
    BoardStep.ACCOMMODATION: QT_TRANSLATE_NOOP("Board", "Accommodation"),
    BoardStep.PROPERTY: QT_TRANSLATE_NOOP("Board", "Property"),
    BoardStep.LEFT: QT_TRANSLATE_NOOP("Board", "Left"),
}


def step_title(step: BoardStep) -> str:
    """A board column's title, translated."""
    return QCoreApplication.translate("Board", str(STEP_TITLES[step]))

_COLOURS = {StepStatus.DONE: QColor("#cfe8cf"), StepStatus.WAITING: QColor("#ffe2a8"),
            StepStatus.NOT_NEEDED: QColor("#e6e6e6")}
class ReceptionBoardModel(QAbstractTableModel):
    """People received (rows) by board step (columns after the reference)."""

    REFERENCE = 0

    def __init__(self, centre: ReceptionCentre, as_of: date, parent: Any = None) -> None:
        super().__init__(parent)
        self._centre = centre
        self._people: list[PersonReceived] = list(centre.people)
        self._as_of = as_of
        self._boards = [p.board(as_of) for p in self._people]
        self._status_text = {StepStatus.DONE: self.tr("✓ Done"),
                             StepStatus.WAITING: self.tr("… Waiting"),
                             StepStatus.NOT_NEEDED: self.tr("– Not needed")}

    # -- reading ------------------------------------------------------------------------------

    def centre(self) -> ReceptionCentre:
        """The whole centre with the people as they are on the board now."""
        return self._centre.model_copy(update={"people": list(self._people)})

    def set_centre_details(self, centre: ReceptionCentre) -> None:
        """Take the centre's own details (venue, checklist); keep the board's people. A new
        date for the centre is the date the rules read ages on from now (it was only read
        when the board opened)."""
        self._centre = centre
        if centre.held_on is not None and centre.held_on != self._as_of:
            self.beginResetModel()
            self._as_of = centre.held_on
            self._boards = [person.board(self._as_of) for person in self._people]
            self.endResetModel()

    def status_texts(self) -> list[str]:
        """Every word a cell can show (to size the columns)."""
        return [*self._status_text.values(), self.tr("✓ Refused"), self.tr("! NRM due"),
                self.tr("! DtN due"), self.tr("! Ask again")]

    @property
    def as_of(self) -> date:
        """The date the age rules are applied on (the centre's date)."""
        return self._as_of

    def person(self, row: int) -> PersonReceived:
        """The person in ``row``."""
        return self._people[row]

    def status(self, row: int, step: BoardStep) -> StepStatus:
        """One cell's status."""
        return self._boards[row][step]

    def counts(self) -> dict[BoardStep, tuple[int, int]]:
        """(done, waiting) for every step (no one waits for "Left": done is who left)."""
        result = {step: (0, 0) for step in STEPS}
        for person, board in zip(self._people, self._boards, strict=True):
            still_waiting = set(person.waiting_for(self._as_of))  # after leaving: MASH, NRM/DtN
            for step, status in board.items():
                done, waiting = result[step]
                result[step] = (done + (status is StepStatus.DONE),
                                waiting + (step in still_waiting))
        return result

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._people)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else 1 + len(STEPS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if column == self.REFERENCE:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                person = self._people[row]
                return (self.tr("{ref} (registered by mistake)").format(ref=person.reference)
                        if person.no_one else person.reference)
            return None
        step = STEPS[column - 1]
        status = self._boards[row][step]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell_text(self._people[row], step, status)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._cell_text(self._people[row], step, status)
            moment = self._moment(self._people[row], step, status)
            if moment is not None and moment.date() != self._as_of:
                text += f" on {moment.day} {moment:%b}"
            return f"{step_title(step)}: {text}"
        if role == Qt.ItemDataRole.ToolTipRole:
            moment = self._moment(self._people[row], step, status)
            if moment is not None:
                return self.tr("{step} at {time} on {day}").format(
                    step=step_title(step), time=f"{moment:%H:%M}",
                    day=f"{moment.day} {moment:%b %Y}")
        if role == Qt.ItemDataRole.BackgroundRole:  # left before it: no longer waited for
            return QBrush(_COLOURS[StepStatus.NOT_NEEDED if self._people[row].left_before(
                step, status) else status])
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#111111"))
        if role == STATE_ROLE:
            return status.value
        return None

    @staticmethod
    def _moment(person: PersonReceived, step: BoardStep, status: StepStatus) -> datetime | None:
        """When a person arrived or left, as the centre's clock reads it (else None)."""
        if status is not StepStatus.DONE:
            return None
        moment = {BoardStep.ARRIVED: person.arrived_at,
                  BoardStep.LEFT: person.departed_at}.get(step)
        if moment is None:
            return None
        return moment.astimezone() if moment.tzinfo is not None else moment

    def _cell_text(self, person: PersonReceived, step: BoardStep, status: StepStatus) -> str:
        if person.left_before(step, status):
            return self.tr("· Left before")  # as the header counts it: not waiting
        if step is BoardStep.CONSENT and status is StepStatus.WAITING \
                and person.consent_not_informed() is not None:
            return self.tr("! Ask again")  # given before it was informed: it does not count
        if step is BoardStep.CONSENT and status is StepStatus.DONE:
            return self.tr("✓ Given") if person.consent is ConsentDecision.GIVEN \
                else self.tr("✓ Refused")
        if step is BoardStep.LEFT and status is StepStatus.WAITING:
            return self.tr("· Still here")
        moment = self._moment(person, step, status)
        if moment is not None:  # when they arrived or left: the time (a coordinator orders
            # arrivals by it; after midnight every row read "5 Dec"); its day in the tooltip
            return f"✓ {moment:%H:%M}"
        if step is BoardStep.NRM_OR_DTN and status is StepStatus.WAITING:
            due = person.form_due_instead(self._as_of)
            if due is ReferralForm.NRM:
                return self.tr("! NRM due")  # a DtN was made; the person now needs an NRM
            if due is ReferralForm.DUTY_TO_NOTIFY:
                return self.tr("! DtN due")
        if step is BoardStep.NRM_OR_DTN and status is StepStatus.DONE:
            return self.tr("✓ DtN") if person.referral_form is ReferralForm.DUTY_TO_NOTIFY \
                else self.tr("✓ NRM")
        return self._status_text[status]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical and role in (
                Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            # The reference in the row header stays in view when the board scrolls sideways.
            if section >= len(self._people):
                return None
            person = self._people[section]
            return self.tr("{ref} (mistake)").format(ref=person.reference) if person.no_one \
                else person.reference
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == self.REFERENCE:
            return self.tr("Reference")
        step = STEPS[section - 1]
        done, waiting = self.counts()[step]
        # Two-word titles take two lines so every column fits a 1366-pixel screen.
        title = step_title(step).replace(" ", "\n", 1)
        if step is BoardStep.LEFT:  # its own count: who left, not who "waits" to leave
            return self.tr("{step}\n{n} left").format(step=title, n=done)
        return self.tr("{step}\n{n} waiting").format(step=title, n=waiting)

    # -- changing -----------------------------------------------------------------------------

    def next_reference(self) -> str:
        """A suggested reference for the next person: R001, R002, ..."""
        return self.centre().next_reference()

    def add_person(self, reference: str, now: datetime) -> int:
        """Register a person on arrival (no name needed); returns the new row. Raises
        ValueError naming what is wrong with the reference."""
        reference = self.centre().check_new_reference(reference)
        row = len(self._people)
        self.beginInsertRows(QModelIndex(), row, row)
        person = PersonReceived(reference=reference, arrived_at=now)
        self._people.append(person)
        self._boards.append(person.board(self._as_of))
        self.endInsertRows()
        self._counts_changed()
        return row

    def set_person(self, row: int, person: PersonReceived) -> None:
        """Replace one person's record; only that row is repainted."""
        self._people[row] = person
        self._boards[row] = person.board(self._as_of)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(STEPS)))
        self._counts_changed()

    def update_people(self, people: list[PersonReceived]) -> list[int]:
        """Show ``people`` (those already here first, in their rows): only rows whose record
        changed are repainted and new people added at the end, so selection and scroll stay.
        Returns the rows that changed."""
        changed: list[int] = []
        for row, person in enumerate(people[:len(self._people)]):
            if person != self._people[row]:
                self._people[row] = person
                self._boards[row] = person.board(self._as_of)
                changed.append(row)
        for row in changed:
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(STEPS)))
        extra = people[len(self._people):]
        if extra:
            first = len(self._people)
            self.beginInsertRows(QModelIndex(), first, first + len(extra) - 1)
            self._people.extend(extra)
            self._boards.extend(person.board(self._as_of) for person in extra)
            self.endInsertRows()
            changed.extend(range(first, first + len(extra)))
        if changed:
            self._counts_changed()
        return changed

    def _counts_changed(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 1, len(STEPS))

    def toggle(self, row: int, step: BoardStep, now: datetime) -> StepWait | None:
        """Space on a cell: the person's record decides what that means; returns why
        nothing changed, if the step must wait."""
        waiting = self._people[row].step_waits(step, self._as_of)
        if waiting is None:
            self.set_person(row, self._people[row].toggle_step(step, now, self._as_of))
        return waiting

    def mark_not_needed(self, row: int, step: BoardStep) -> bool:
        """Delete on a cell: say the step is not needed, where that is a choice."""
        person = self._people[row].mark_not_needed(step)
        if person is None:
            return False
        self.set_person(row, person)
        return True


class BoardFilter(QSortFilterProxyModel):
    """Shows everyone, or only the people waiting for one step, or those still at the centre."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._waiting_for: BoardStep | None = None
        self._still_here = False

    def show_waiting_for(self, step: BoardStep | None, still_here: bool = False) -> None:
        """Filter to people waiting for ``step`` (None: everyone), or still at the centre."""
        self.beginFilterChange()
        self._waiting_for, self._still_here = step, still_here
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, ReceptionBoardModel):
            return True
        if self._still_here and model.status(row, BoardStep.LEFT) is StepStatus.DONE:
            return False
        return self._waiting_for is None or \
            self._waiting_for in model.person(row).waiting_for(model.as_of)
