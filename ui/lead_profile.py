"""Setting up sending to the Lead (File > Lead profile…): import the profile file the Modern
Slavery Lead gave the officer, after checking its fingerprint with the Lead by phone, then
save the enrolment request the Lead needs to accept this laptop.

Dialogs open with ``open()`` (window-modal, not a nested event loop), so the rest of the app
keeps running and tests drive them with the keyboard like any other window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDir, QSysInfo, Qt, Signal, Slot
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.atomicfile import write_atomic
from fieldkit.errors import FieldkitError
from fieldkit.officer import load_profile as load_officer_profile
from fieldkit.store import Store
from sync import device
from sync.profile import FolderDestination, LeadProfile
from ui.controls import heading, named, pressable
from ui.messages import error_text

MAX_PROFILE_FILE_BYTES = 1024 * 1024
"""A profile is a few kilobytes; anything far larger is not one (and is not read whole)."""


def pick_profile_file(parent: QWidget) -> str | None:
    """Ask for the Lead profile file (replaced in tests)."""
    path, _ = QFileDialog.getOpenFileName(
        parent, parent.tr("Choose the Lead profile file"), QDir.homePath(),
        parent.tr("Lead profile (*.json);;All files (*)"))
    return path or None


def pick_save_path(parent: QWidget, suggested: str) -> str | None:
    """Ask where to save the enrolment request (replaced in tests)."""
    path, _ = QFileDialog.getSaveFileName(
        parent, parent.tr("Save the enrolment request"), str(Path(QDir.homePath()) / suggested),
        parent.tr("Enrolment request (*.json)"))
    return path or None


def spaced_fingerprint(fingerprint: str) -> str:
    """"ABCD-EFGH-…" as groups with wide gaps, easy to read aloud and compare."""
    return "   ".join(fingerprint.split("-"))


def spoken_fingerprint(fingerprint: str) -> str:
    """One character at a time, groups apart: what a screen reader should say."""
    return ", ".join(" ".join(group) for group in fingerprint.split("-"))


def policy_text(profile: LeadProfile, parent: QWidget) -> str:
    """The council's device policy, in words."""
    parts = []
    if profile.policy.auto_lock_minutes:
        parts.append(parent.tr("fieldkit locks after {n} minutes without use").format(
            n=profile.policy.auto_lock_minutes))
    if profile.policy.retention_days:
        parts.append(parent.tr("personal details of a closed case are removed from this laptop "
                               "{n} days after it reached the Lead").format(
            n=profile.policy.retention_days))
    return "; ".join(parts) if parts else parent.tr("None")


def destination_words(profile: LeadProfile, parent: QWidget) -> str:
    """Where bundles travel."""
    if isinstance(profile.destination, FolderDestination):
        return parent.tr("Shared folder {path}").format(path=profile.destination.path)
    return parent.tr("Inbox {url}").format(url=profile.destination.url)


def show_fingerprint(label: QLabel, fingerprint: str) -> None:
    """Put ``fingerprint`` in a :func:`fingerprint_label`, spaced, and spoken a character at a
    time."""
    label.setText(spaced_fingerprint(fingerprint))
    label.setAccessibleDescription(spoken_fingerprint(fingerprint))


def fingerprint_label(fingerprint: str, parent: QWidget) -> QLabel:
    """The fingerprint in large, spaced, fixed-width characters."""
    label = QLabel(parent)
    font = QFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    font.setPointSizeF(max(label.font().pointSizeF(), 9.0) * 2.2)
    font.setBold(True)
    font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 125)
    label.setFont(font)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                  | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    label.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    label.setAccessibleName(parent.tr("Profile fingerprint"))
    show_fingerprint(label, fingerprint)
    label.setStyleSheet("QLabel { padding: 10px; border: 1px solid palette(mid); }")
    return label


def _left(widget: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(widget)
    row.addStretch(1)
    return row


class FingerprintDialog(QDialog):
    """Shows who a profile is from and its fingerprint; Accept only once the Lead confirms it."""

    def __init__(self, profile: LeadProfile, parent: QWidget | None = None,
                 changes: list[str] | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.setWindowTitle(self.tr("Check the Lead profile"))
        self.setAccessibleName(self.tr("Check the Lead profile"))
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Check this profile with your Lead"), self, 2))
        form = QFormLayout()
        self.council = QLabel(profile.council, self)
        self.council.setAccessibleName(self.tr("Council"))
        self.lead = QLabel(f"{profile.lead_name} ({profile.lead_contact})", self)
        self.lead.setAccessibleName(self.tr("Modern Slavery Lead"))
        where = QLabel(destination_words(profile, self), self)
        where.setAccessibleName(self.tr("Records go to"))
        where.setWordWrap(True)
        policy = QLabel(policy_text(profile, self), self)
        policy.setAccessibleName(self.tr("Council policy"))
        policy.setWordWrap(True)
        form.addRow(self.tr("Council:"), self.council)
        form.addRow(self.tr("Modern Slavery Lead:"), self.lead)
        form.addRow(self.tr("Records go to:"), where)
        form.addRow(self.tr("Council policy:"), policy)
        self.changes = QLabel("\n".join(f"• {change}" for change in changes or []), self)
        self.changes.setAccessibleName(self.tr("What this update changes"))
        self.changes.setWordWrap(True)
        if changes:  # an update of the profile already held: what it changes, before accepting
            form.addRow(self.tr("This update changes:"), self.changes)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Fingerprint:"), self))
        self.fingerprint = fingerprint_label(profile.fingerprint(), self)
        layout.addWidget(self.fingerprint)
        instruction = heading(self.tr("Read this to your Modern Slavery Lead by phone and check "
                                      "it matches"), self)
        layout.addWidget(instruction)
        warning = QLabel(self.tr("Accept only if every character matches what your Lead has. "
                                 "If anything differs, choose Cancel and tell your Lead: the "
                                 "file may not be theirs."), self)
        warning.setWordWrap(True)
        layout.addWidget(warning)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.accept_button = pressable(QPushButton(self.tr("&Accept"), self),
                                       self.tr("Accept: the fingerprint matches"))
        self.cancel_button = pressable(QPushButton(self.tr("Cancel"), self), self.tr("Cancel"))
        # Enter alone must not accept: the officer has to choose Accept on purpose.
        self.accept_button.setAutoDefault(False)
        self.cancel_button.setDefault(True)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self.accept_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(self.reject)
        self.fingerprint.setFocus()


class LeadProfileDialog(QDialog):
    """File > Lead profile…: the profile this laptop trusts, importing one, and enrolment."""

    profileImported = Signal(object)  # LeadProfile

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.confirm: FingerprintDialog | None = None
        self.setWindowTitle(self.tr("Lead profile"))
        self.setAccessibleName(self.tr("Lead profile"))
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Sending to your Modern Slavery Lead"), self, 2))
        self.current = QLabel(self)
        self.current.setWordWrap(True)
        self.current.setAccessibleName(self.tr("Current Lead profile"))
        layout.addWidget(self.current)
        self.fingerprint = QLabel(self)
        self.fingerprint.setAccessibleName(self.tr("Profile fingerprint"))
        layout.addWidget(self.fingerprint)
        self.import_button = pressable(QPushButton(self.tr("&Import profile file…"), self),
                                       self.tr("Import profile file"),
                                       self.tr("Choose the profile file your Lead gave you"))
        layout.addLayout(_left(self.import_button))

        layout.addWidget(heading(self.tr("Enrolment request"), self))
        explain = QLabel(self.tr("After importing the profile, save an enrolment request and "
                                 "give the file to your Lead. It holds this laptop's public "
                                 "key and your name, no case records."), self)
        explain.setWordWrap(True)
        layout.addWidget(explain)
        form = QFormLayout()
        self.device_name = named(QLineEdit(QSysInfo.machineHostName() or "laptop", self),
                                 self.tr("This laptop's name"))
        self.organisation = named(QLineEdit(self), self.tr("Your organisation"))
        officer = load_officer_profile(store)
        if officer is not None:
            self.organisation.setText(officer.organisation)
        device_caption = QLabel(self.tr("&Laptop name:"), self)
        device_caption.setBuddy(self.device_name)
        organisation_caption = QLabel(self.tr("&Organisation:"), self)
        organisation_caption.setBuddy(self.organisation)
        self.device_name.setMaxLength(200)
        self.organisation.setMaxLength(200)
        form.addRow(device_caption, self.device_name)
        form.addRow(organisation_caption, self.organisation)
        layout.addLayout(form)
        self.save_button = pressable(QPushButton(self.tr("&Save enrolment request…"), self),
                                     self.tr("Save enrolment request"))
        layout.addLayout(_left(self.save_button))
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Lead profile message"))
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        close_row = QHBoxLayout()
        close_row.addStretch(1)
        self.close_button = pressable(QPushButton(self.tr("Close"), self), self.tr("Close"))
        close_row.addWidget(self.close_button)
        layout.addLayout(close_row)
        self.import_button.clicked.connect(self.import_file)
        self.save_button.clicked.connect(self.save_enrolment)
        self.close_button.clicked.connect(self.accept)
        self.refresh()

    def refresh(self) -> None:
        """Show the profile this laptop trusts (if any)."""
        profile = device.current_profile(self._store) if self._store.is_open else None
        if profile is None:
            self.current.setText(self.tr("This laptop has no Lead profile yet. Your Modern "
                                         "Slavery Lead gives you a profile file; import it "
                                         "here, then check its fingerprint with them by "
                                         "phone."))
            self.fingerprint.clear()
            self.fingerprint.hide()
            self.save_button.setEnabled(False)
            self.import_button.setFocus()
        else:
            self.current.setText(self.tr("Records go to {lead} ({council}). {where}.").format(
                lead=profile.lead_name, council=profile.council,
                where=destination_words(profile, self)))
            self.fingerprint.setText(self.tr("Fingerprint: {fingerprint}").format(
                fingerprint=spaced_fingerprint(profile.fingerprint())))
            self.fingerprint.show()
            self.save_button.setEnabled(True)

    @Slot()
    def import_file(self) -> None:
        """Choose a profile file, check it, and show its fingerprint to confirm."""
        path = pick_profile_file(self)
        if not path:
            return
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_PROFILE_FILE_BYTES + 1)
            update = device.preview_profile(self._store, data)
        except (FieldkitError, OSError) as error:
            self.message.setText(error_text(error))
            return
        self.message.clear()
        if self.confirm is not None:
            self.confirm.deleteLater()
        profile = update.profile
        self.confirm = FingerprintDialog(profile, self, list(update.changes))
        self.confirm.accepted.connect(lambda: self._accepted(data, profile.fingerprint()))
        self.confirm.rejected.connect(self._cancelled)
        self.confirm.open()

    def _accepted(self, data: bytes, confirmed_fingerprint: str) -> None:
        self.activateWindow()  # back to this dialog (some window managers leave focus nowhere)
        try:
            profile = device.import_profile(self._store, data,
                                            expected_fingerprint=confirmed_fingerprint)
        except FieldkitError as error:
            self.message.setText(error_text(error))
            return
        self.refresh()
        self.message.setText(self.tr("Lead profile imported. Next, save an enrolment request "
                                     "and give it to your Lead."))
        self.save_button.setFocus()
        self.profileImported.emit(profile)

    def _cancelled(self) -> None:
        self.activateWindow()
        self.message.setText(self.tr("Not imported. Nothing was changed."))
        self.import_button.setFocus()

    @Slot()
    def save_enrolment(self) -> None:
        """Write the signed enrolment request to a file the officer chooses."""
        name = self.device_name.text().strip()
        organisation = self.organisation.text().strip()
        if not name or not organisation:
            self.message.setText(self.tr("Enter this laptop's name and your organisation first."))
            (self.device_name if not name else self.organisation).setFocus()
            return
        path = pick_save_path(self, "enrol-request.json")
        if not path:
            return
        try:
            data = device.enrolment_request(self._store, device_name=name,
                                            organisation=organisation)
            write_atomic(Path(path), data)
        except (FieldkitError, OSError, ValueError) as error:
            self.message.setText(error_text(error))
            return
        self.message.setText(self.tr("Enrolment request saved as {file}. Give this file to your "
                                     "Modern Slavery Lead; it holds no case records.").format(
            file=Path(path).name))
