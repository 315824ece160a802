"""The NRM tracker: what is due, soonest first (an overdue deadline reads OVERDUE, in bold),
and the form to record a decision or a step as it arrives."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.store import Store
from sync.desk.inbox import today_for_desk
from sync.desk.submission import submissions, waiting_items
from sync.desk.tracker import (
    EVENT_WORDS,
    AlreadyDecided,
    EventKind,
    Outcome,
    due_items,
    record_event,
)
from ui.controls import ask_no_by_default, enter_presses, heading, named, pressable
from ui.lead.models import DueModel
from ui.messages import error_text
from ui.table import record_table


def _key(case_id: str, person_reference: str) -> str:
    """A referral as one value for the combo box."""
    return f"{case_id}\t{person_reference}"


def confirm_correction(parent: QWidget, said: str) -> bool:
    """Ask whether a decision recorded again corrects the one recorded (No by default;
    replaced in tests)."""
    return ask_no_by_default(
        parent, parent.tr("Decision already recorded"),
        f"{said}\n\n" + parent.tr("Record it, correcting the decision recorded?"))


class TrackerPage(QWidget):
    """Due items above; recording a decision below."""

    changed = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("NRM tracker"), self, 2))
        self.model = DueModel(self)
        self.table = record_table(self.tr("What is due"), self.model, self)
        # A long "What" wraps in its column, so the State beside it stays on screen.
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(DueModel.WHAT, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.summary = named(QLabel(self), self.tr("Tracker summary"))
        layout.addWidget(self.summary)
        layout.addWidget(heading(self.tr("Record a decision"), self))
        form = QFormLayout()
        self.referral = named(QComboBox(self), self.tr("Referral"))
        self.kind = named(QComboBox(self), self.tr("What happened"))
        for kind in EventKind:
            if kind != EventKind.SUBMITTED:
                self.kind.addItem(EVENT_WORDS[kind], kind.value)
        self.outcome = named(QComboBox(self), self.tr("Outcome"))
        # A decision's outcome is chosen, never taken from a default: one slip recorded a
        # positive RG decision.
        self.outcome.addItem(self.tr("choose: positive or negative"), None)
        for outcome, words in ((Outcome.POSITIVE, self.tr("positive")),
                               (Outcome.NEGATIVE, self.tr("negative")),
                               (Outcome.NONE, self.tr("no outcome"))):
            self.outcome.addItem(words, outcome.value)
        self.on = named(QDateEdit(self), self.tr("Date of the decision"))
        self.on.setCalendarPopup(True)
        # Typed as day, month, year in figures (a month's name could not be typed), and never
        # after today (Up reached 2036).
        self.on.setDisplayFormat("dd/MM/yyyy")
        today = today_for_desk()
        self.on.setDate(QDate(today.year, today.month, today.day))
        self.on.setMaximumDate(QDate(today.year, today.month, today.day))
        self.record_button = pressable(QPushButton(self.tr("Re&cord"), self),
                                   self.tr("Record the decision"))
        form.addRow(self.tr("Referra&l"), self.referral)
        form.addRow(self.tr("&What happened"), self.kind)
        form.addRow(self.tr("&Outcome"), self.outcome)
        form.addRow(self.tr("Dat&e"), self.on)
        form.addRow("", self.record_button)
        layout.addLayout(form)
        self.message = named(QLabel(self), self.tr("Tracker message"))
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.kind.currentIndexChanged.connect(self._outcome_follows_kind)
        # Another referral's decision: its outcome is chosen afresh (it carried over).
        self.referral.currentIndexChanged.connect(lambda _i: self._unchosen())
        self.record_button.clicked.connect(self.record)
        enter_presses(self.on, self.record)  # Enter in the date records, as the button
        self.refresh()

    def refresh(self) -> None:
        """Reload what is due and the NRM referrals that can be recorded against."""
        today = today_for_desk()
        # Referrals not yet submitted first (the command line listed them; this did not).
        items = waiting_items(self.store) + due_items(self.store)
        self.model.set_items(items, today)
        overdue = sum(item.overdue(today) for item in items)
        deadlines = sum(item.to_act_on for item in items)
        opened = (self.tr("1 deadline or action") if deadlines == 1
                  else self.tr("%1 deadlines or actions").replace("%1", str(deadlines)))
        known = len(items) - deadlines
        also = ("" if known == 0 else self.tr(" Also 1 date to know.") if known == 1
                else self.tr(" Also %1 dates to know.").replace("%1", str(known)))
        self.summary.setText(self.tr("%1, %2 OVERDUE.").replace("%1", opened)
                             .replace("%2", str(overdue)) + also)
        keep = self.referral.currentData()
        self.referral.clear()
        # Submitted referrals first: a decision only comes for one the Home Office has.
        nrms = [sub for sub in submissions(self.store) if sub.referral.route == "nrm"]
        for sub in sorted(nrms, key=lambda sub: not sub.reference):
            officer = f", {sub.referral.officer}" if sub.referral.officer else ""
            self.referral.addItem(
                f"{sub.referral.case_reference} {sub.referral.person_reference}"
                + (f" ({sub.reference}{officer})" if sub.reference
                   else self.tr(" (not yet submitted%1)").replace("%1", officer)),
                _key(sub.referral.case_id, sub.referral.person_reference))
        if keep is not None:
            found = self.referral.findData(keep)
            self.referral.setCurrentIndex(max(found, 0))

    def choose(self, case_id: str, person_reference: str, kind: EventKind,
               outcome: Outcome) -> None:
        """Fill the form (keyboard users do the same with the boxes)."""
        self.referral.setCurrentIndex(self.referral.findData(_key(case_id, person_reference)))
        self.kind.setCurrentIndex(self.kind.findData(kind.value))
        self.outcome.setCurrentIndex(self.outcome.findData(outcome.value))

    @Slot()
    def _outcome_follows_kind(self) -> None:
        self._unchosen()

    def _unchosen(self) -> None:
        """The outcome as a new decision starts: to be chosen for a decision (positive or
        negative never carries over from the last one), none for anything else."""
        decision = self.kind.currentData() in ("rg", "cg", "reconsideration_outcome")
        self.outcome.setCurrentIndex(0 if decision
                                     else self.outcome.findData(Outcome.NONE.value))

    @Slot()
    def record(self) -> None:
        """Record the decision as a new version."""
        chosen = str(self.referral.currentData() or "").split("\t")
        if len(chosen) != 2:
            self.message.setText(self.tr("There is no NRM referral to record against yet."))
            return
        if self.outcome.currentData() is None:
            self.message.setText(self.tr("Choose the outcome of the decision: positive or "
                                         "negative."))
            self.outcome.setFocus()
            return
        when = self.on.date()
        correcting = False
        while True:
            try:
                record_event(self.store, chosen[0], chosen[1],
                             EventKind(self.kind.currentData()),
                             Outcome(self.outcome.currentData()),
                             date(when.year(), when.month(), when.day()), correcting=correcting)
                break
            except AlreadyDecided as asking:  # the core says why; the Lead decides
                if not confirm_correction(self, error_text(asking)):
                    self.message.setText(error_text(asking))
                    return
                correcting = True
            except Exception as error:  # every core error becomes words, never a traceback
                self.message.setText(error_text(error))
                return
        self.message.setText(self.tr("Recorded."))
        self.refresh()
        self._unchosen()  # the next decision's outcome is chosen afresh
        self.changed.emit()
