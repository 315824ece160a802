"""A person's NRM referral, guided in the Home Office online form's order, following the rules:
a child gets an NRM and a MASH referral with no consent asked; an adult who does not consent
gets an anonymous Duty to Notify, with the identifying fields hidden and then removed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fieldkit import cases, documents, prefill
from fieldkit.consent_withdrawal import notice_after_withdrawal
from fieldkit.drafts import DraftKind, DraftOwner
from fieldkit.errors import FieldkitError
from fieldkit.export import export_file
from fieldkit.records import Person
from fieldkit.store import Store
from forms import NrmReferral
from forms.rules import Route
from ui import nrm_sections as rules
from ui import print_pack
from ui.controls import ask_no_by_default, focus_by_key, form_scroll, heading, named, pressable
from ui.drafts import DraftSaver
from ui.form_editor import SectionEditor
from ui.messages import error_text
from ui.page import Page
from ui.problems import ProblemList
from ui.save_state import SaveState
from ui.worker import Worker


def _mid_sentence(words: str) -> str:
    """``words`` inside a sentence ("with the person's name, ... removed", not "with The")."""
    return words[:1].lower() + words[1:]


def confirm_replace_nrm(parent: QWidget, reference: str, version: int) -> bool:
    """Ask before a Duty to Notify replaces an NRM referral marked ready (replaced in tests):
    one consent choice changed by mistake must not withdraw it and clear who the person is."""
    return ask_no_by_default(
        parent, parent.tr("Replace the NRM referral"),
        parent.tr("{reference}'s NRM referral is marked ready (version {version}). Saving a "
                  "Duty to Notify instead withdraws it: it will not be printed or sent to the "
                  "Lead, and the details that identify {reference} are cleared from this form "
                  "(every version of the NRM stays in the case's record). Save the Duty to "
                  "Notify?").format(reference=reference, version=version))


def confirm_replace_dtn(parent: QWidget, reference: str) -> bool:
    """Ask before an NRM referral replaces a Duty to Notify marked ready (the adult consents
    now; replaced in tests): the notice may already have been sent."""
    return ask_no_by_default(
        parent, parent.tr("Replace the Duty to Notify"),
        parent.tr("{reference}'s Duty to Notify is marked ready. Saving an NRM referral "
                  "withdraws it: it will not be printed or sent to the Lead again (every "
                  "version stays in the case's record; if it was already submitted, the Lead "
                  "still counts it). Save the NRM referral?").format(reference=reference))


class PersonFormPage(Page):
    """The guided NRM / Duty to Notify form for one person."""

    changedRoute = Signal()
    factsChanged = Signal()

    def __init__(
        self, store: Store, person: Person, worker: Worker, parent: QWidget | None = None
    ) -> None:
        super().__init__(person.case_id, parent)
        self._refused = False
        self._store, self.person, self._worker = store, person, worker
        self.route: Route | None = None
        self.child = False
        self._base: dict[str, Any] = {}
        self._doc_ids: dict[str, str] = {}
        layout = QVBoxLayout(self)
        self.heading = heading("", self, 2)
        layout.addWidget(self.heading)
        self.banner = QLabel(self)
        self.banner.setObjectName("rulesBanner")
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName(self.tr("What the rules require"))
        self.banner.setStyleSheet("#rulesBanner { border: 2px solid #2b5797; padding: 6px; }")
        layout.addWidget(self.banner)
        body = QHBoxLayout()
        layout.addLayout(body, 1)

        side = QVBoxLayout()
        self.meter = named(QProgressBar(self), self.tr("Completeness"))
        self.meter.setRange(0, 100)
        self.meter.setFormat(self.tr("%p% complete"))
        self.meter.setTextVisible(True)
        self.meter.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.meter.setMinimumHeight(24)  # room for its words above the bar's chunk
        side.addWidget(self.meter)
        self.nav = named(QListWidget(self), self.tr("Form sections"),
                         self.tr("Ctrl+Page Down and Ctrl+Page Up move between sections"))
        self.nav.setMaximumWidth(230)
        side.addWidget(self.nav, 1)
        body.addLayout(side)

        centre = QVBoxLayout()
        self.pages = QStackedWidget(self)
        self.editors: dict[str, SectionEditor] = {}
        for section in rules.SECTIONS:
            editor = SectionEditor(NrmReferral, self, only=list(section.fields))
            scroll = form_scroll(self)
            scroll.setWidget(editor)
            self.pages.addWidget(scroll)
            self.editors[section.key] = editor
            self.nav.addItem(self.tr(section.title))
        centre.addWidget(self.pages, 3)
        self.removed = QLabel(self)
        self.removed.setWordWrap(True)
        self.removed.setAccessibleName(self.tr("Details that will be removed"))
        centre.addWidget(self.removed)
        self.problems = ProblemList(self)
        self.problems.setMaximumHeight(120)
        centre.addWidget(self.problems, 1)
        buttons = QHBoxLayout()
        self.save_button = pressable(QPushButton(self.tr("&Save (Ctrl+S)"), self), self.tr("Save"))
        self.ready_button = pressable(QPushButton(self.tr("Mark read&y"), self),
                                      self.tr("Mark ready"))
        self.print_button = pressable(QPushButton(self.tr("&Print pack"), self),
                                      self.tr("Print pack"))
        if not print_pack.pdf_available():
            self.print_button.setEnabled(False)
            self.print_button.setToolTip(self.tr("The PDF pack is not available in this "
                                                 "version yet."))
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Form message"))
        for button in (self.save_button, self.ready_button, self.print_button):
            buttons.addWidget(button)
        buttons.addWidget(self.message, 1)
        centre.addLayout(buttons)
        self.save_state = SaveState(self)
        centre.addWidget(self.save_state)
        body.addLayout(centre, 1)

        self.draft = DraftSaver(
            store, DraftOwner(DraftKind.PERSON_FORM, person.case_id, person_id=person.id),
            self.form_data, self)
        self.draft.saved.connect(lambda _key: self.save_state.saved_draft())
        self._recheck = QTimer(self)
        self._recheck.setSingleShot(True)
        self._recheck.setInterval(250)
        self._recheck.timeout.connect(self.apply_rules)
        self._load()
        for editor in self.editors.values():
            editor.changed.connect(self._changed)
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.problems.goTo.connect(self.go_to)
        self.save_button.clicked.connect(lambda: self.save("draft"))
        self.ready_button.clicked.connect(lambda: self.save("ready"))
        self.print_button.clicked.connect(self._print)
        QShortcut(QKeySequence.StandardKey.Save, self, lambda: self.save("draft"))
        QShortcut(QKeySequence(self.tr("Ctrl+PgDown")), self, lambda: self.step_section(1))
        QShortcut(QKeySequence(self.tr("Ctrl+PgUp")), self, lambda: self.step_section(-1))
        self.nav.setCurrentRow(0)
        self.apply_rules()

    # -- loading and data ---------------------------------------------------------------------

    def place(self) -> tuple[str, ...]:
        """How to reopen this screen after unlocking."""
        return ("person", self.person.id)

    def _load(self) -> None:
        data: dict[str, Any] | None = None
        for doc in documents.list_documents(self._store, self.person.case_id):
            if doc.person_id == self.person.id and doc.kind in ("nrm", "dtn"):
                self._doc_ids[doc.kind] = doc.id
                loaded = json.loads(doc.data)
                data = loaded if doc.kind == "nrm" else rules.form_from_dtn(loaded)
        draft = self.draft.load()
        if draft is not None:
            data = draft
        if data is None:
            data = prefill.new_nrm(self._store, self.person)
        self.set_form_data(data)

    def set_form_data(self, data: dict[str, Any]) -> None:
        """Show ``data`` in every section (fields no section shows are kept)."""
        self._base = dict(data)
        for editor in self.editors.values():
            editor.set_value(data)

    def form_data(self) -> dict[str, Any]:
        """The whole NRM form as typed."""
        data = dict(self._base)
        for editor in self.editors.values():
            data.update(editor.field_values())
        return data

    def editor(self, section: str) -> SectionEditor:
        """The editor of a section (by key, e.g. ``victim``)."""
        return self.editors[section]

    # -- the rules ----------------------------------------------------------------------------

    @Slot()
    def _changed(self) -> None:
        self.draft.touch()
        self.save_state.changed()
        self._recheck.start()
        if self._refused:  # why a save was refused goes once the form changes (the problems
            self._refused = False  # list beside it says what is still wrong, live)
            self.message.clear()

    @Slot()
    def apply_rules(self) -> None:
        """Show what the rules require, hide what must not be asked or kept, recheck."""
        self._recheck.stop()
        data = self.form_data()
        nrm = rules.read_nrm(data)
        found = rules.rules_for(nrm or rules.read_valid_parts(data))
        route = found.route if found else self.route
        child = found.treated_as_child if found else self.child
        changed = (route, child) != (self.route, self.child)
        self.route, self.child = route, child
        dtn = route is Route.DUTY_TO_NOTIFY
        self._set_section_hidden("consent", child)
        for key in rules.HIDDEN_FOR_DTN_SECTIONS:
            self._set_section_hidden(key, dtn)
        for editor in self.editors.values():
            for path in rules.HIDDEN_FOR_DTN_FIELDS:
                editor.set_visible(path, not dtn)
        self._show_banner(found, nrm is not None and nrm.consent_not_informed())
        removed = rules.dtn_for(nrm) if dtn and nrm is not None else None
        self.removed.setVisible(bool(removed and removed[1]))
        if removed and removed[1]:
            self.removed.setText(self.tr("When you save the Duty to Notify these are removed: "
                                         "{items}.").format(items="; ".join(removed[1])))
        problems = rules.problems_for(data, route)
        self.problems.show_problems(problems)
        self.meter.setValue(rules.completeness(data, route))
        if changed:
            self.changedRoute.emit()
        self.factsChanged.emit()

    def _set_section_hidden(self, key: str, hidden: bool) -> None:
        row = [s.key for s in rules.SECTIONS].index(key)
        self.nav.item(row).setHidden(hidden)
        if hidden and self.nav.currentRow() == row:
            self.step_section(1)

    def _show_banner(self, found: Any, not_informed: bool = False) -> None:
        reference = self.person.reference
        if self.child:
            title = self.tr("{reference}: NRM referral (child)").format(reference=reference)
            text = self.tr(
                "Treated as a child: an NRM referral is always made and consent is not asked. "
                "Contact the Multi-Agency Safeguarding Hub (MASH) first, then make the NRM "
                "referral.")
            if found is not None and found.transition_to_adulthood:
                text += " " + self.tr("Within 6 months of turning 18: also follow the "
                                      "Transition to Adulthood pathway.")
        elif self.route is Route.DUTY_TO_NOTIFY:
            title = self.tr("{reference}: Duty to Notify").format(reference=reference)
            text = self.tr(
                "An adult who does not consent: make an anonymous Duty to Notify instead of an "
                "NRM referral. It must not identify the person, so name, date of birth, "
                "contact details and addresses are hidden and are removed when you save.")
        elif self.route is Route.NRM:
            title = self.tr("{reference}: NRM referral").format(reference=reference)
            text = self.tr("An adult who consents: make an NRM referral. If you can, complete "
                           "it together with the person, in a language they understand.")
        elif not_informed:  # the core's word: consent given, but not in their language
            title = self.tr("{reference}: NRM referral").format(reference=reference)
            text = self.tr(
                "Consent is recorded as given, but not in a language the person understands "
                "(see the problems below): it does not count yet. Explain the NRM again, with "
                "the interpreter they need, and record their decision.")
        else:
            title = self.tr("{reference}: NRM referral").format(reference=reference)
            text = self.tr(
                "Explain the NRM with the Explanatory Booklet and record the person's decision "
                "under Consent. With consent: NRM referral. Without: Duty to Notify.")
        self.heading.setText(title)
        self.banner.setText(text)

    # -- moving around ------------------------------------------------------------------------

    def step_section(self, step: int) -> None:
        """Go to the next (or previous) visible section, the cursor in its first field
        (wherever it was before: typing then always lands in the section shown)."""
        row = self.nav.currentRow()
        for _ in range(self.nav.count()):
            row = (row + step) % self.nav.count()
            if not self.nav.item(row).isHidden():
                self.nav.setCurrentRow(row)
                self._focus_section_start(rules.SECTIONS[row].key)
                return

    def _focus_section_start(self, key: str) -> None:
        editor = self.editors[key]
        for name in editor.fields:
            widget = editor.widget_at(name)
            if widget is not None and widget.isVisibleTo(editor) and widget.isEnabled():
                focus_by_key(widget)
                return

    def show_section(self, key: str) -> None:
        """Show one section by key."""
        self.nav.setCurrentRow([s.key for s in rules.SECTIONS].index(key))

    @Slot(str)
    def go_to(self, field: str) -> None:
        """Show the section holding ``field`` and put the cursor in it."""
        key = rules.section_of(field)
        self.show_section(key)
        widget = self.editors[key].widget_at(field)
        if widget is not None:
            focus_by_key(widget)

    @property
    def title(self) -> str:
        """Where the officer is, in words: the person and the form their route calls for."""
        form = (self.tr("Duty to Notify") if self.route is Route.DUTY_TO_NOTIFY
                else self.tr("NRM referral"))
        return self.tr("{reference}: {form}").format(reference=self.person.reference, form=form)

    # -- saving -------------------------------------------------------------------------------

    def save(self, status: str) -> None:
        """Save the NRM referral, or for a non-consenting adult the Duty to Notify."""
        self.apply_rules()
        data = self.form_data()
        try:
            withdrawn = (data.get("consent") or {}).get("decision") == "withdrawn"
            if withdrawn and self.route is Route.DUTY_TO_NOTIFY:
                self._save_withdrawal(data, status)
            elif self.route is Route.DUTY_TO_NOTIFY:
                self._save_dtn(data, status)
            else:
                replaced = documents.replaced_on_saving(self._store, self.person.case_id,
                                                        self.person.id, "nrm")
                if replaced is not None and replaced.status == "ready" \
                        and not confirm_replace_dtn(self, self.person.reference):
                    self.message.setText(self.tr("Not saved: the Duty to Notify marked ready "
                                                 "is kept. Check the consent decision."))
                    return
                saved = documents.save_document(
                    self._store, self.person.case_id, "nrm", data, status=status,
                    document_id=self._doc_ids.get("nrm"), person_id=self.person.id)
                self._doc_ids["nrm"] = saved.id
                self.draft.discard()
                self.save_state.saved()
                if status == "ready":
                    self.message.setText(self.tr(
                        "NRM referral marked ready (version {n}).").format(n=saved.version))
                else:
                    self.message.setText(self.tr(
                        "NRM referral saved as a draft (version {n}).").format(n=saved.version))
        except FieldkitError as error:
            self.message.setText(error_text(error))
            self._refused = True

    def _save_withdrawal(self, data: dict[str, Any], status: str) -> None:
        """Consent withdrawn: the NRM is saved with the withdrawal (when and how), which takes
        it out of sending at once; then the anonymised Duty to Notify the core prepared from it
        is saved in its place."""
        nrm = documents.save_document(
            self._store, self.person.case_id, "nrm", data, status="draft",
            document_id=self._doc_ids.get("nrm"), person_id=self.person.id)
        self._doc_ids["nrm"] = nrm.id
        prepared = notice_after_withdrawal(self._store, nrm.id)
        saved = documents.save_document(
            self._store, self.person.case_id, "dtn", prepared.notice.model_dump(mode="json"),
            status=status, document_id=self._doc_ids.get("dtn"), person_id=self.person.id)
        self._doc_ids["dtn"] = saved.id
        self.set_form_data(rules.anonymised(data, prepared.notice))
        self.draft.touch()
        self.draft.flush()
        self.apply_rules()
        self.save_state.saved()
        self.message.setText(self.tr(
            "Consent withdrawn: the NRM will not be sent; a Duty to Notify was saved instead "
            "(version {n}), with {removed} removed.").format(
                n=saved.version, removed=_mid_sentence(", ".join(prepared.removed))
                or self.tr("nothing")))

    def _save_dtn(self, data: dict[str, Any], status: str) -> None:
        nrm = rules.read_nrm(data)
        made = rules.dtn_for(nrm) if nrm is not None else None
        if made is None:
            self.message.setText(self.tr("Fix the problems listed first."))
            return
        notice, _removed = made
        replaced = documents.replaced_on_saving(self._store, self.person.case_id,
                                                self.person.id, "dtn")
        if replaced is not None and replaced.status == "ready" \
                and not confirm_replace_nrm(self, self.person.reference, replaced.version):
            self.message.setText(self.tr("Not saved: the NRM referral marked ready is kept. "
                                         "Check the consent decision."))
            return
        saved = documents.save_document(
            self._store, self.person.case_id, "dtn", notice.model_dump(mode="json"),
            status=status, document_id=self._doc_ids.get("dtn"), person_id=self.person.id)
        self._doc_ids["dtn"] = saved.id
        # The working copy keeps only what the notice keeps: identifying details are gone.
        self.set_form_data(rules.anonymised(data, notice))
        self.draft.touch()
        self.draft.flush()
        self.apply_rules()
        self.save_state.saved()  # after the working copy is kept: one state shown, the true one
        if status == "ready":
            self.message.setText(self.tr(
                "Duty to Notify marked ready (version {n}); identifying details removed.")
                .format(n=saved.version))
        else:
            self.message.setText(self.tr(
                "Duty to Notify saved as a draft (version {n}); identifying details removed.")
                .format(n=saved.version))

    @Slot()
    def _print(self) -> None:
        """Render the pack on a worker (it can take a few seconds) and write it where asked."""
        data = self.form_data()
        nrm = rules.read_nrm(data)
        if nrm is None:
            self.message.setText(self.tr("Fix the problems listed first."))
            return
        kind, content = "nrm", data
        if self.route is Route.DUTY_TO_NOTIFY:
            made = rules.dtn_for(nrm)
            if made is None:
                return
            kind, content = "dtn", made[0].model_dump(mode="json")
        reference = cases.get_case(self._store, self.person.case_id).reference
        # The suggested name never carries the person's reference (it may be a name).
        path = print_pack.choose_pack_path(self, f"{reference}-{kind}-pack.pdf")
        if not path:
            return
        self.print_button.setEnabled(False)
        self.message.setText(self.tr("Making the pack…"))
        self._worker.run(
            lambda: print_pack.render_pack(kind, content, reference, self.person.reference),
            lambda pdf: self._printed(path, pdf), self._print_failed)

    def _printed(self, path: str, pdf: bytes) -> None:
        """Rendered: the core audits the export, then writes the file whole (0600)."""
        self.print_button.setEnabled(True)
        try:
            written = export_file(self._store, Path(path), pdf, record_kind="person",
                                  record_id=self.person.id)
        except (FieldkitError, OSError) as error:
            self._print_failed(error)
            return
        self.message.setText(self.tr("Pack saved to {path}. It is not encrypted.").format(
            path=str(written)))

    def _print_failed(self, error: BaseException) -> None:
        self.print_button.setEnabled(True)
        self.message.setText(error_text(error))

    def flush_drafts(self) -> None:
        """Write the pending draft now."""
        self.draft.flush()

    def as_of(self) -> date:
        """The date the age rules use for this form."""
        return rules.as_of(rules.read_nrm(self.form_data()))
