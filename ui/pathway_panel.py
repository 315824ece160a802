"""The pathway panel: beside every case, the next steps of the council's pathways for what has
been recorded so far, each with its contact number or form, ticked off as they are done."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QLabel, QListView, QSizePolicy, QVBoxLayout, QWidget

from fieldkit import cases
from fieldkit.store import Store
from ui.controls import heading, named
from ui.roles import STEP_ROLE

# The pathways (their YAML and the form models) are loaded once the panel shows a case: the
# panel is built, empty, with the cases list at unlock.
if TYPE_CHECKING:
    from fieldkit.pathway import CaseFacts, CasePlan, PathwayStep


def breakable(address: str) -> str:
    """``address`` with invisible break points after "@" and each dot, so it wraps."""
    return address.replace("@", "@\u200b").replace(".", ".\u200b")


class PathwayPanel(QWidget):
    """Next steps for the open case (or one person in it); ticking a step records it done."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.case_id: str | None = None
        self._live: dict[str, dict[str, Any]] = {}
        self.plan: CasePlan | None = None
        self.setMinimumWidth(240)
        self.setMaximumWidth(330)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(heading(self.tr("Pathway: next steps"), self))
        self.scope = named(QComboBox(self), self.tr("Pathway for"))
        layout.addWidget(self.scope)
        self.next_label = QLabel(self)
        self.next_label.setWordWrap(True)
        self.next_label.setTextFormat(Qt.TextFormat.RichText)
        self.next_label.setAccessibleName(self.tr("Next steps"))
        self.next_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.next_label)
        self.model = QStandardItemModel(self)
        # A flat list (pathway titles as headings) rather than a tree: list views wrap long
        # step text reliably, tree views elide it.
        self.tree = named(QListView(self), self.tr("Pathway steps"),
                          self.tr("Space ticks a step as done"))
        self.tree.setModel(self.model)
        self.tree.setWordWrap(True)
        self.tree.setUniformItemSizes(False)
        self.tree.setSpacing(1)
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Heights worked out again when the width changes (the scroll bar comes and goes),
        # and never an ellipsis: a step laid out for a wider list lost its last line to one
        # ("4. Visit the premises of concern…." with its "Form: Premises visit" cut off).
        self.tree.setResizeMode(QListView.ResizeMode.Adjust)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        layout.addWidget(self.tree, 1)
        self.scope.currentIndexChanged.connect(lambda _i: self.refresh())
        self.model.itemChanged.connect(self._ticked)

    def set_case(self, case_id: str | None, force: bool = False) -> None:
        """Show the pathway for ``case_id`` (None hides the content)."""
        if case_id == self.case_id and not force:
            return
        self.case_id = case_id
        self.scope.blockSignals(True)
        self.scope.clear()
        if case_id is not None and self._store.is_open:
            from fieldkit.pathway import CASE_SCOPE

            self.scope.addItem(self.tr("The whole case"), CASE_SCOPE)
            for person in cases.list_people(self._store, case_id):
                self.scope.addItem(self.tr("Person {reference}").format(
                    reference=person.reference), person.id)
        self.scope.blockSignals(False)
        self.refresh()

    def show_whole_case(self) -> None:
        """Follow the whole case again (a person's form was closed)."""
        if self.scope.count() and self.scope.currentIndex() != 0:
            self.scope.setCurrentIndex(0)  # refreshes

    def show_person(self, person_id: str, live: dict[str, Any] | None = None) -> None:
        """Follow one person, using the form being edited for the facts when given."""
        if live is not None:
            self._live[person_id] = live
        index = self.scope.findData(person_id)
        if index < 0 and self.case_id is not None:
            self.set_case(self.case_id, force=True)
            index = self.scope.findData(person_id)
        if index >= 0 and index != self.scope.currentIndex():
            self.scope.setCurrentIndex(index)  # refreshes
        else:
            self.refresh()

    def facts(self) -> CaseFacts | None:
        """The facts the shown plan was made from."""
        if self.case_id is None or not self._store.is_open:
            return None
        from fieldkit.pathway import CASE_SCOPE, case_facts, person_facts

        scope = self.scope.currentData() or CASE_SCOPE
        if scope == CASE_SCOPE:
            return case_facts(self._store, self.case_id)
        return person_facts(self._store, self.case_id, scope, self._live.get(scope))

    @Slot()
    def refresh(self) -> None:
        """Recompute the plan and show it."""
        facts = self.facts()
        # Where the officer was: rebuilt, the list went back to the top with no step chosen,
        # so Down, Space (tick), Down, Space ticked the first steps again (untick).
        current = self.tree.currentIndex()
        kept_step = current.data(STEP_ROLE) if current.isValid() else None
        kept_row = current.row() if current.isValid() else -1
        scrolled = self.tree.verticalScrollBar().value()
        self.model.blockSignals(True)
        self.model.clear()
        if facts is None:
            self.plan = None
        else:
            from fieldkit.pathway import plan_case

            self.plan = plan_case(facts)
        if self.plan is not None:
            for pathway in self.plan.pathways:
                head = QStandardItem(pathway.title)
                head.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = head.font()
                font.setBold(True)
                head.setFont(font)
                self.model.appendRow(head)
                for step in pathway.steps:
                    self.model.appendRow(self._step_item(step))
        self.model.blockSignals(False)
        self.model.layoutChanged.emit()
        self._back_to(kept_step, kept_row, scrolled)
        self._show_next()

    def _back_to(self, step_id: Any, row: int, scrolled: int) -> None:
        """The same step chosen again after a rebuild (else the same row), scrolled as it was."""
        if row < 0 or self.model.rowCount() == 0:
            return
        found = next((r for r in range(self.model.rowCount())
                      if step_id is not None
                      and self.model.item(r).data(STEP_ROLE) == step_id), None)
        target = found if found is not None else min(row, self.model.rowCount() - 1)
        self.tree.setCurrentIndex(self.model.index(target, 0))
        self.tree.verticalScrollBar().setValue(scrolled)

    def _step_item(self, step: PathwayStep) -> QStandardItem:
        number = f"{step.number}. " if step.number else ""
        lines = [f"{number}{step.text}"]
        if step.urgent:
            lines[0] = self.tr("URGENT: {text}").format(text=lines[0])
        shown = list(lines)
        for contact in step.contacts:
            reach = " · ".join(x for x in (contact.phone, contact.email) if x)
            line = self.tr("Contact: {name} {reach}").format(name=contact.name,
                                                            reach=reach).strip()
            lines.append(line)
            # An address has no space to wrap at: the narrow panel cut it off. Shown with
            # break points after "@" and each dot (read and copied without them).
            shown.append(line.replace(contact.email, breakable(contact.email))
                         if contact.email else line)
        if step.form_title:
            lines.append(self.tr("Form: {form}").format(form=step.form_title))
            shown.append(lines[-1])
        waits = self.plan.waits_for(step.id) if self.plan is not None else []
        if waits:
            lines.append(self.tr("Waits for: {steps}").format(
                steps="; ".join(first.text for first in waits)))
            shown.append(lines[-1])
        item = QStandardItem("\n".join(shown))
        item.setData("\n".join(lines), Qt.ItemDataRole.AccessibleTextRole)
        item.setEditable(False)
        item.setCheckable(True)
        if waits:  # shown, readable, but not to be ticked until what comes first is done
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if step.done else Qt.CheckState.Unchecked)
        item.setData(step.id, STEP_ROLE)
        item.setToolTip("\n".join(lines))
        return item

    def _show_next(self) -> None:
        if self.plan is None:
            self.next_label.setText("")
            return
        steps = self.plan.next_steps()[:3]
        if not steps:
            self.next_label.setText(self.tr("Every step shown is done."))
            return
        rows = []
        for step in steps:
            phone = next((c.phone for c in step.contacts if c.phone), "")
            text = html.escape(step.text + (f" ({phone})" if phone else ""))
            rows.append(f"<li>{'<b>' if step.urgent else ''}{text}"
                        f"{'</b>' if step.urgent else ''}</li>")
        self.next_label.setText(self.tr("<b>Next:</b>") + "<ul>" + "".join(rows) + "</ul>")

    def step_ids(self) -> list[str]:
        """Ids of every step shown (for tests and the screen reader summary)."""
        return [str(self.model.item(row).data(STEP_ROLE)) for row in range(self.model.rowCount())
                if self.model.item(row).data(STEP_ROLE) is not None]

    def _ticked(self, item: QStandardItem) -> None:
        step_id = item.data(STEP_ROLE)
        if step_id is None or self.case_id is None:
            return
        from fieldkit.pathway import CASE_SCOPE, set_tick

        scope = self.scope.currentData() or CASE_SCOPE
        set_tick(self._store, self.case_id, scope, str(step_id),
                  item.checkState() == Qt.CheckState.Checked)
        # Not from inside the model's own signal: rebuilding it here would pull the item away.
        QTimer.singleShot(0, self.refresh)
