"""Set-up: what lets officers send to the Lead, done in the app. Make the signed profile
officers import (then read its fingerprint to each of them by phone), enrol each officer's
laptop from the request file they give, and save the devices file an HTTPS inbox reads.

Every file and key is handled by the core (``sync.desk.setup``); this page only asks and shows.
File choosers are module functions, so tests choose the files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDir, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fieldkit.errors import FieldkitError
from fieldkit.store import Store
from sync import lead
from sync.desk import inbox, setup
from ui.controls import form_scroll, heading, named, pressable, wheel_only_when_focused
from ui.lead_profile import fingerprint_label, show_fingerprint
from ui.messages import error_text

NO_RULE = 0
"""A policy spin box at its lowest: the profile sets no rule (the device's own setting)."""
DIALOG = QFileDialog.Option.DontUseNativeDialog


def choose_profile_path(parent: QWidget) -> str | None:
    """Ask where to save the profile (replaced in tests)."""
    path, _ = QFileDialog.getSaveFileName(
        parent, parent.tr("Save the profile for officers"),
        str(Path(QDir.homePath()) / "lead-profile.json"),
        parent.tr("Lead profile (*.json)"), options=DIALOG)
    return path or None


def choose_request_file(parent: QWidget) -> str | None:
    """Ask for an officer's enrolment request file (replaced in tests)."""
    path, _ = QFileDialog.getOpenFileName(
        parent, parent.tr("Choose the officer's enrolment request"), QDir.homePath(),
        parent.tr("Enrolment request (*.json);;All files (*)"), options=DIALOG)
    return path or None


def choose_devices_path(parent: QWidget, suggested: str) -> str | None:
    """Ask where to save the devices file for the inbox (replaced in tests)."""
    path, _ = QFileDialog.getSaveFileName(
        parent, parent.tr("Save the devices file for the inbox"),
        suggested or str(Path(QDir.homePath()) / "devices.json"),
        parent.tr("Devices file (*.json)"), options=DIALOG)
    return path or None


def choose_shared_folder(parent: QWidget) -> str | None:
    """Ask for the shared folder officers' laptops write to (replaced in tests)."""
    path = QFileDialog.getExistingDirectory(
        parent, parent.tr("Choose the shared folder"), QDir.homePath(),
        QFileDialog.Option.ShowDirsOnly | DIALOG)
    return path or None


def choose_certificate(parent: QWidget) -> str | None:
    """Ask for the inbox's certificate file (replaced in tests)."""
    path, _ = QFileDialog.getOpenFileName(
        parent, parent.tr("Choose the inbox's certificate"), QDir.homePath(),
        parent.tr("Certificate (*.pem *.crt);;All files (*)"), options=DIALOG)
    return path or None


def confirm_replace(parent: QWidget, error: lead.DeviceAlreadyEnrolled) -> bool:
    """Ask before replacing an enrolled or revoked device's key (replaced in tests)."""
    state = (parent.tr("was revoked") if error.revoked
             else parent.tr("is already enrolled with a different key"))
    answer = QMessageBox.question(
        parent, parent.tr("Replace an enrolled device"),
        parent.tr("This laptop (device {device}) {state}. A new request for it may come from "
                  "the officer's reinstalled laptop, or from someone using a stolen laptop's "
                  "name.\n\nReplace it only if you have phoned the officer and they confirm "
                  "they made this request. Replace it now?").format(
            device=error.device_id, state=state),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def _explain(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label


def _message(name: str, parent: QWidget) -> QLabel:
    label = named(QLabel(parent), name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                  | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    return label


def _captioned(text: str, buddy: QWidget, parent: QWidget) -> QLabel:
    caption = QLabel(text, parent)
    caption.setBuddy(buddy)
    return caption


def _policy_box(name: str, suffix: str, high: int, parent: QWidget) -> QSpinBox:
    box = wheel_only_when_focused(named(QSpinBox(parent), name))  # in a scrolled page
    box.setRange(NO_RULE, high)
    box.setSuffix(suffix)
    box.setSpecialValueText(parent.tr("no council rule"))
    return box


def _line(parent: QWidget) -> QFrame:
    line = QFrame(parent)
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


class SetupPage(QWidget):
    """The profile for officers on the left; enrolling laptops and the devices file on the
    right."""

    enrolled = Signal()
    devicesFileSaved = Signal(str)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = form_scroll(self)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        content = QWidget(scroll)
        scroll.setWidget(content)
        page = QVBoxLayout(content)
        page.addWidget(heading(self.tr("Set up sending"), content, 2))
        page.addWidget(_explain(self.tr(
            "Officers' laptops send to you once they hold your profile and you have enrolled "
            "them. Make the profile once (and again whenever something in it changes); enrol "
            "each officer's laptop from the request file they give you."), content))
        columns = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        columns.addLayout(left, 11)
        columns.addSpacing(18)  # not setSpacing: the columns' own layouts would inherit it
        columns.addLayout(right, 9)
        page.addSpacing(6)
        page.addLayout(columns)
        page.addStretch(1)
        self._profile_section(content, left)
        left.addStretch(1)
        self._enrol_section(content, right)
        right.addSpacing(6)
        right.addWidget(_line(content))
        right.addSpacing(6)
        self._devices_section(content, right)
        right.addStretch(1)
        self._show_fingerprint(lead.newest_profile_fingerprint(store),
                               self.tr("Fingerprint of your newest profile:"))
        self.refresh()

    # -- 1. the profile ------------------------------------------------------------------

    def _profile_section(self, content: QWidget, column: QVBoxLayout) -> None:
        column.addWidget(heading(self.tr("1. The profile for officers"), content))
        column.addWidget(_explain(self.tr(
            "It says where officers' laptops send to and who can read what they send. It "
            "holds no secret: give the file to officers by e-mail or on a USB stick."),
                                  content))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.to_folder = named(QRadioButton(self.tr("Shared f&older"), content),
                               self.tr("Send to a shared folder"))
        self.to_inbox = named(QRadioButton(self.tr("HTTPS in&box"), content),
                              self.tr("Send to an HTTPS inbox"))
        self.to_folder.setChecked(True)
        group = QButtonGroup(content)
        group.addButton(self.to_folder)
        group.addButton(self.to_inbox)
        where = QHBoxLayout()
        where.addWidget(self.to_folder)
        where.addWidget(self.to_inbox)
        where.addStretch(1)
        form.addRow(self.tr("Records go to:"), where)
        self.folder = named(QLineEdit(content), self.tr("Shared folder, as officers' laptops "
                                                        "see it"))
        self.folder.setPlaceholderText(self.tr("for example /mnt/ms-share"))
        self.browse_folder = pressable(QPushButton(self.tr("Bro&wse…"), content),
                                   self.tr("Choose the shared folder"))
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse_folder)
        form.addRow(self.tr("Folder:"), row)
        self.inbox_url = named(QLineEdit(content), self.tr("Inbox address"))
        self.inbox_url.setPlaceholderText("https://inbox.council.example")
        form.addRow(_captioned(self.tr("Inbox &address:"), self.inbox_url, content),
                    self.inbox_url)
        self.certificate = named(QLineEdit(content),
                                 self.tr("Inbox certificate file (only for a certificate of "
                                         "the council's own)"))
        self.certificate.setPlaceholderText(self.tr("optional: the council's own certificate"))
        self.browse_certificate = pressable(QPushButton(self.tr("C&hoose…"), content),
                                        self.tr("Choose the inbox certificate file"))
        row = QHBoxLayout()
        row.addWidget(self.certificate, 1)
        row.addWidget(self.browse_certificate)
        form.addRow(_captioned(self.tr("Certificate (P&EM):"), self.certificate, content), row)
        defaults = self._defaults = setup.profile_defaults(self.store)
        self.council = named(QLineEdit(defaults.council, content), self.tr("Council"))
        self.lead_name = named(QLineEdit(defaults.lead_name, content), self.tr("Lead's name"))
        self.contact = named(QLineEdit(defaults.lead_contact, content),
                             self.tr("Lead's contact, phone or e-mail"))
        for field in (self.council, self.lead_name, self.contact):
            field.setMaxLength(lead.TEXT_LIMIT)
        form.addRow(_captioned(self.tr("&Council:"), self.council, content), self.council)
        form.addRow(_captioned(self.tr("Lead's &name:"), self.lead_name, content),
                    self.lead_name)
        form.addRow(_captioned(self.tr("Contact (&phone or e-mail):"), self.contact, content),
                    self.contact)
        self.retention = _policy_box(
            self.tr("Keep personal details of closed cases on laptops for, in days"),
            self.tr(" days"), lead.LIMITS["retention days"][1], content)
        self.auto_lock = _policy_box(self.tr("Lock laptops after this many idle minutes"),
                                     self.tr(" minutes idle"),
                                     lead.LIMITS["auto-lock minutes"][1], content)
        form.addRow(_captioned(self.tr("&Keep closed cases' personal details on laptops:"),
                               self.retention, content), _left(self.retention))
        form.addRow(_captioned(self.tr("Auto-&lock laptops after:"), self.auto_lock, content),
                    _left(self.auto_lock))
        self.recipients = named(QPlainTextEdit(content),
                                self.tr("Deputies' age keys, one a line (optional)"))
        self.recipients.setTabChangesFocus(True)
        self.recipients.setPlaceholderText(self.tr("optional: a deputy's key, age1…, one a "
                                                   "line"))
        self.recipients.setFixedHeight(self.recipients.fontMetrics().lineSpacing() * 3 + 14)
        form.addRow(_captioned(self.tr("Also readable b&y:"), self.recipients, content),
                    self.recipients)
        column.addLayout(form)
        # A new profile starts from the newest one issued: what is not changed is kept.
        self.folder.setText(defaults.folder)
        self.inbox_url.setText(defaults.inbox_url)
        if defaults.inbox_url:
            self.to_inbox.setChecked(True)
        if defaults.certificate_pem:
            self.certificate.setPlaceholderText(self.tr(
                "the certificate of your newest profile is kept: choose a file to change it"))
        self.retention.setValue(defaults.retention_days or 0)
        self.auto_lock.setValue(defaults.auto_lock_minutes or 0)
        self.recipients.setPlainText("\n".join(defaults.extra_recipients))
        self.make_button = pressable(QPushButton(self.tr("&Make the profile for officers…"),
                                             content),
                                 self.tr("Make the profile for officers"),
                                 self.tr("Sign a new profile and choose where to save it"))
        column.addLayout(_left(self.make_button))
        self.profile_message = _message(self.tr("Profile message"), content)
        column.addWidget(self.profile_message)
        self.fingerprint_caption = QLabel(content)
        column.addWidget(self.fingerprint_caption)
        self.fingerprint = fingerprint_label("", content)
        column.addWidget(self.fingerprint)
        self.read_it = heading(self.tr("Read this to each officer by phone when they import "
                                       "the profile."), content)
        column.addWidget(self.read_it)
        self.to_folder.toggled.connect(self._destination_chosen)
        # Choosing where records go (Alt+O, Alt+B) puts the cursor in that destination's box.
        self.to_folder.clicked.connect(self.folder.setFocus)
        self.to_inbox.clicked.connect(self.inbox_url.setFocus)
        self.browse_folder.clicked.connect(self._browse_folder)
        self.browse_certificate.clicked.connect(self._browse_certificate)
        self.make_button.clicked.connect(self.make_profile)
        self._destination_chosen()

    # -- 2. enrolling --------------------------------------------------------------------

    def _enrol_section(self, content: QWidget, column: QVBoxLayout) -> None:
        column.addWidget(heading(self.tr("2. Enrol each officer's laptop"), content))
        column.addWidget(_explain(self.tr(
            "After importing your profile, the officer saves an enrolment request (File > Lead "
            "profile… > Save enrolment request) and gives you the file. It holds their "
            "laptop's public key and their name, no case records. Check by phone that it is "
            "from them, then enrol it."), content))
        self.enrol_button = pressable(QPushButton(self.tr("Enrol a de&vice from its request…"),
                                              content),
                                  self.tr("Enrol a device from its request"),
                                  self.tr("Choose the enrolment request file an officer gave "
                                          "you"))
        column.addLayout(_left(self.enrol_button))
        self.enrol_message = _message(self.tr("Enrolment message"), content)
        column.addWidget(self.enrol_message)
        self.devices_count = named(QLabel(content), self.tr("Enrolled laptops"))
        self.devices_count.setWordWrap(True)
        column.addWidget(self.devices_count)
        self.enrol_button.clicked.connect(self.enrol_device)

    # -- 3. the devices file -------------------------------------------------------------

    def _devices_section(self, content: QWidget, column: QVBoxLayout) -> None:
        column.addWidget(heading(self.tr("3. The devices file (HTTPS inbox only)"), content))
        column.addWidget(_explain(self.tr(
            "An HTTPS inbox accepts uploads only from the laptops listed in this signed file. "
            "Save it after every enrolment and give it to the inbox (the file its --devices "
            "option names). Once saved here, it is rewritten by itself when you revoke a "
            "device on the Inbox tab. With a shared folder you do not need it."), content))
        self.devices_button = pressable(
            QPushButton(self.tr("Save the devices file for the inbo&x…"), content),
            self.tr("Save the devices file for the inbox"))
        column.addLayout(_left(self.devices_button))
        self.devices_message = _message(self.tr("Devices file message"), content)
        column.addWidget(self.devices_message)
        self.devices_button.clicked.connect(self.save_devices_file)

    # -- behaviour ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Show how many laptops are enrolled, and where the devices file was saved."""
        devices = inbox.device_activity(self.store)
        enrolled = sum(1 for d in devices if not d.revoked)
        revoked = len(devices) - enrolled
        self.devices_count.setText(
            self.tr("Laptops enrolled: {enrolled}; revoked: {revoked}. They are listed on the "
                    "Inbox tab, where a laptop can be revoked.").format(
                enrolled=enrolled, revoked=revoked))
        if not self.devices_message.text():
            saved = inbox.devices_file_path(self.store)
            self.devices_message.setText(
                self.tr("Last saved as {file}.").format(file=saved) if saved
                else self.tr("Not saved yet."))

    def _show_fingerprint(self, fingerprint: str | None, caption: str) -> None:
        for widget in (self.fingerprint_caption, self.fingerprint, self.read_it):
            widget.setVisible(fingerprint is not None)
        if fingerprint is not None:
            self.fingerprint_caption.setText(caption)
            show_fingerprint(self.fingerprint, fingerprint)

    @Slot()
    def _destination_chosen(self) -> None:
        folder = self.to_folder.isChecked()
        for widget in (self.folder, self.browse_folder):
            widget.setEnabled(folder)
        for widget in (self.inbox_url, self.certificate, self.browse_certificate):
            widget.setEnabled(not folder)

    @Slot()
    def _browse_folder(self) -> None:
        path = choose_shared_folder(self)
        if path:
            self.folder.setText(path)

    @Slot()
    def _browse_certificate(self) -> None:
        path = choose_certificate(self)
        if path:
            self.certificate.setText(path)

    @Slot()
    def make_profile(self) -> None:
        """Ask where to save, have the core sign and write the profile, show its fingerprint."""
        folder = self.to_folder.isChecked()
        if folder and not self.folder.text().strip():
            self.profile_message.setText(self.tr("Enter the shared folder first."))
            self.folder.setFocus()
            return
        if not folder and not self.inbox_url.text().strip():
            self.profile_message.setText(self.tr("Enter the inbox address first."))
            self.inbox_url.setFocus()
            return
        path = choose_profile_path(self)
        if not path:
            return
        certificate = self.certificate.text().strip()
        try:
            profile = setup.write_profile(
                self.store, Path(path), council=self.council.text().strip(),
                lead_name=self.lead_name.text().strip(), lead_contact=self.contact.text().strip(),
                folder=self.folder.text().strip() if folder else None,
                inbox_url=None if folder else self.inbox_url.text().strip(),
                inbox_certificate=Path(certificate) if certificate and not folder else None,
                extra_recipients=self.recipients.toPlainText().split(),
                retention_days=self.retention.value() or None,
                auto_lock_minutes=self.auto_lock.value() or None,
                kept_certificate=self._defaults.certificate_pem)
        except (FieldkitError, OSError) as error:
            self.profile_message.setText(error_text(error))
            self._show_fingerprint(lead.newest_profile_fingerprint(self.store),  # not made
                                   self.tr("Fingerprint of your newest profile:"))
            return
        self.profile_message.setText(self.tr(
            "Profile saved as {file}. Give this file to each officer.").format(file=path))
        self._show_fingerprint(profile.fingerprint(),
                               self.tr("Fingerprint of the profile just made:"))
        self.fingerprint.setFocus()

    @Slot()
    def enrol_device(self) -> None:
        """Choose a request file; the core checks it and enrols the laptop (or says why not)."""
        path = choose_request_file(self)
        if not path:
            return
        try:
            done = setup.enrol_from_file(self.store, Path(path))
        except lead.DeviceAlreadyEnrolled as error:
            if not confirm_replace(self, error):
                self.enrol_message.setText(self.tr(
                    "Not enrolled: device {device} {state}. Nothing was changed.").format(
                    device=error.device_id,
                    state=self.tr("was revoked") if error.revoked
                    else self.tr("is already enrolled with a different key")))
                return
            try:
                done = setup.enrol_from_file(self.store, Path(path), replace=True)
            except (FieldkitError, OSError) as again:
                self.enrol_message.setText(error_text(again))
                return
        except (FieldkitError, OSError) as error:
            self.enrol_message.setText(error_text(error))
            return
        who = self.tr("{officer} ({organisation}), laptop \"{laptop}\", device {device}").format(
            officer=done.device.officer, organisation=done.organisation,
            laptop=done.device_name, device=done.device.device_id)
        if done.outcome is lead.EnrolmentOutcome.UNCHANGED:
            self.enrol_message.setText(self.tr("Already enrolled: {who}. Nothing was changed.")
                                       .format(who=who))
            return
        verb = (self.tr("Replaced") if done.outcome is lead.EnrolmentOutcome.REPLACED
                else self.tr("Enrolled"))
        self.enrol_message.setText(self.tr(
            "{verb}: {who}. If officers send to an HTTPS inbox, save the devices file again "
            "(step 3).").format(verb=verb, who=who))
        self.devices_message.setText(self.tr(
            "A laptop was enrolled since the devices file was last saved: save it again for "
            "the inbox."))
        self.refresh()
        self.enrolled.emit()

    @Slot()
    def save_devices_file(self) -> None:
        """Ask where, then have the core write the signed devices file there."""
        path = choose_devices_path(self, inbox.devices_file_path(self.store))
        if not path:
            return
        try:
            allowed = setup.save_devices_file(self.store, Path(path))
        except (FieldkitError, OSError) as error:
            self.devices_message.setText(error_text(error))
            return
        may = (self.tr("1 laptop may upload") if allowed == 1
               else self.tr("{count} laptops may upload").format(count=allowed))
        self.devices_message.setText(self.tr(
            "Devices file saved as {file} ({may}). Give it to the inbox; revoking a device on "
            "the Inbox tab rewrites this file.").format(file=path, may=may))
        self.devicesFileSaved.emit(path)


def _left(widget: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(widget)
    row.addStretch(1)
    return row
