"""Submitting: each referral's answers in the Home Office online form's order, a copy button
beside each, and the fields to record the reference and the submission date."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from fieldkit.store import Store
from sync.desk.inbox import today_for_desk
from sync.desk.submission import (
    AlreadySubmitted,
    PossibleDuplicate,
    Submission,
    changed_since_submitted,
    record_submission,
    referral_sections,
    submissions,
)
from ui.clipboard import copy_text
from ui.controls import enter_presses, heading, named, pressable, wrapping
from ui.lead.models import day_words
from ui.messages import error_text


class SubmissionPage(QWidget):
    """Referrals on the left (not yet submitted first); the chosen one's answers on the right."""

    changed = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._shown: list[Submission] = []
        self.copy_buttons: list[QPushButton] = []
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Submitting"), self, 2))
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.referrals = wrapping(named(QListWidget(split), self.tr("Referrals to submit")))
        self.referrals.setSpacing(3)
        right = QWidget(split)
        column = QVBoxLayout(right)
        record = QHBoxLayout()
        self.reference = named(QLineEdit(right), self.tr("Reference the Home Office gave"))
        self.reference.setPlaceholderText(self.tr("NRM or Duty to Notify reference"))
        self.sent_on = named(QDateEdit(right), self.tr("Date submitted"))
        self.sent_on.setCalendarPopup(True)
        self.sent_on.setDisplayFormat("d MMMM yyyy")
        self.record_button = pressable(QPushButton(self.tr("Record su&bmission"), right),
                                   self.tr("Record the reference and date"))
        caption = QLabel(self.tr("Refere&nce"), right)
        caption.setBuddy(self.reference)
        for widget in (caption, self.reference, self.sent_on, self.record_button):
            record.addWidget(widget)
        column.addLayout(record)
        self.message = named(QLabel(right), self.tr("Submission message"))
        self._said_for: tuple[str, str] | None = None  # the referral the message is about
        self.message.setWordWrap(True)
        column.addWidget(self.message)
        self.answers_area = QScrollArea(right)
        self.answers_area.setWidgetResizable(True)
        column.addWidget(self.answers_area, 1)
        split.setSizes([360, 1000])
        layout.addWidget(split, 1)
        self.referrals.currentRowChanged.connect(self._show)
        self.record_button.clicked.connect(self.record)
        self.reference.returnPressed.connect(self.record)  # Enter records, as the button
        enter_presses(self.sent_on, self.record)
        self.refresh()

    def refresh(self) -> None:
        """Reload the list, keeping the same referral selected while it is still to submit (not
        the same row: one just recorded moves down the list, and the next reference typed must
        not land on another person's); when new referrals came in (an import) and that one is
        submitted already, the first still to submit is selected, its details shown."""
        chosen = self.current()
        keep = self.referrals.currentRow()
        before = {(sub.referral.case_id, sub.referral.person_id)
                  for sub in self._shown}
        today = today_for_desk()
        self._shown = submissions(self.store)
        self.referrals.blockSignals(True)
        self.referrals.clear()
        for sub in self._shown:
            route = self.tr("Duty to Notify") if sub.referral.route == "dtn" else \
                self.tr("NRM referral")
            state = (self.tr("submitted %1, %2").replace("%1", day_words(sub.submitted_on))
                     .replace("%2", sub.reference) if sub.submitted_on else
                     self._waiting(sub.waiting_days(today)))
            officer = f" ({sub.referral.officer})" if sub.referral.officer else ""
            if sub.referral.draft:  # not marked ready by the officer: check with them first
                route = self.tr("%1, the officer's DRAFT").replace("%1", route)
            self.referrals.addItem(f"{sub.referral.case_reference} {sub.referral.person_reference}"
                                   f" - {route}{officer}\n{state}")
        self.referrals.blockSignals(False)
        if self._shown:
            same = [row for row, sub in enumerate(self._shown) if chosen is not None
                    and (sub.referral.case_id, sub.referral.person_id)
                    == (chosen.referral.case_id, chosen.referral.person_id)]
            waiting = [row for row, sub in enumerate(self._shown) if sub.submitted_on is None]
            arrived = {(sub.referral.case_id, sub.referral.person_id) for sub in self._shown} \
                - before
            if same and self._shown[same[0]].submitted_on is not None and arrived and waiting:
                same = waiting[:1]  # new ones came in: the first still to submit
            self.referrals.setCurrentRow(same[0] if same else waiting[0] if waiting
                                         else min(max(keep, 0), len(self._shown) - 1))
            self._show(self.referrals.currentRow())

    def _waiting(self, days: int) -> str:
        if days == 1:
            return self.tr("NOT YET SUBMITTED, waiting 1 day")
        return self.tr("NOT YET SUBMITTED, waiting %1 days").replace("%1", str(days))

    def select(self, case_reference: str, person_reference: str) -> None:
        """Show one referral."""
        for row, sub in enumerate(self._shown):
            if (sub.referral.case_reference, sub.referral.person_reference) == \
                    (case_reference, person_reference):
                self.referrals.setCurrentRow(row)
                return

    @Slot(int)
    def _show(self, row: int) -> None:
        if row < 0 or row >= len(self._shown):
            return
        sub = self._shown[row]
        if self.message.text() and self._said_for != (sub.referral.case_id,
                                                      sub.referral.person_reference):
            self.message.clear()  # "Submission recorded." was another referral's
        today = today_for_desk()
        chosen = sub.submitted_on or today
        self.sent_on.setDate(QDate(chosen.year, chosen.month, chosen.day))
        self.reference.setText(sub.reference)
        body = QWidget(self.answers_area)
        grid = QGridLayout(body)
        self.copy_buttons = []
        line = 0
        self.changed_note = named(QLabel(body), self.tr("Changed since it was submitted"))
        self.changed_note.setWordWrap(True)
        self.changed_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                             | Qt.TextInteractionFlag.TextSelectableByMouse)
        changed = changed_since_submitted(self.store, sub.referral.case_id,
                                          sub.referral.person_reference)
        if changed and sub.submitted_on is not None:
            # The officer changed answers after the submission: the Home Office has the
            # earlier ones (they were shown under "submitted" with no word).
            self.changed_note.setText(
                self.tr("Changed since it was submitted on %1: the Home Office has the earlier "
                        "answers, so tell the Single Competent Authority. %2")
                .replace("%1", day_words(sub.submitted_on))
                .replace("%2", " ".join(
                    self.tr("%1: was %2, now %3.").replace("%1", c.question)
                    .replace("%2", c.was or self.tr("(blank)"))
                    .replace("%3", c.now or self.tr("(blank)")) for c in changed)))
            self.changed_note.setStyleSheet("QLabel { color: #8a1c1c; font-weight: bold; }")
            grid.addWidget(self.changed_note, line, 0, 1, 3)
            line += 1
        else:
            self.changed_note.hide()
        for section in referral_sections(self.store, sub.referral.case_id,
                                         sub.referral.person_reference):
            grid.addWidget(heading(section.title, body), line, 0, 1, 3)
            line += 1
            for answer in section.answers:
                question = QLabel(answer.question, body)
                question.setWordWrap(True)
                shown = named(QLabel(answer.answer or self.tr("(blank)"), body), answer.question)
                shown.setWordWrap(True)
                shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                              | Qt.TextInteractionFlag.TextSelectableByMouse)
                button = pressable(QPushButton(self.tr("Copy"), body),
                               self.tr("Copy: %1").replace("%1", answer.question))
                button.setEnabled(bool(answer.answer))
                button.clicked.connect(lambda _=False, text=answer.answer: self.copy(text))
                self.copy_buttons.append(button)
                grid.addWidget(question, line, 0)
                grid.addWidget(shown, line, 1)
                grid.addWidget(button, line, 2)
                line += 1
        grid.setColumnStretch(1, 1)
        self.answers_area.setWidget(body)

    def copy(self, text: str) -> None:
        """Put one answer on the clipboard (wiped again when fieldkit locks)."""
        copy_text(text)
        sub = self.current()
        self._said_for = (sub.referral.case_id, sub.referral.person_reference) if sub else None
        self.message.setText(self.tr("Copied. Paste it into the online form."))

    def current(self) -> Submission | None:
        """The referral shown."""
        row = self.referrals.currentRow()
        return self._shown[row] if 0 <= row < len(self._shown) else None

    @Slot()
    def record(self) -> None:
        """Record the reference and the date for the referral shown."""
        sub = self.current()
        if sub is None:
            return
        when = self.sent_on.date()
        on = date(when.year(), when.month(), when.day())
        allowed: dict[str, bool] = {}
        self._said_for = (sub.referral.case_id, sub.referral.person_reference)
        while True:
            try:
                record_submission(self.store, sub.referral.case_id,
                                  sub.referral.person_reference, self.reference.text(), on,
                                  **allowed)
                break
            except (AlreadySubmitted, PossibleDuplicate) as asking:
                # The core says why; the Lead decides (a correction, or two people).
                question = (self.tr("Record it again, correcting the submission recorded?")
                            if isinstance(asking, AlreadySubmitted) else
                            self.tr("Record it all the same, as a different person?"))
                asked = QMessageBox.question(
                    self, self.tr("Submission"), f"{error_text(asking)}\n\n{question}",
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                    QMessageBox.StandardButton.No)
                if asked != QMessageBox.StandardButton.Yes:
                    self.message.setText(error_text(asking))
                    return
                allowed["correcting" if isinstance(asking, AlreadySubmitted)
                        else "different_person"] = True
            except Exception as error:  # every core error becomes words, never a traceback
                self.message.setText(error_text(error))
                return
        self.message.setText(self.tr("Submission recorded."))
        self.refresh()
        self.changed.emit()
