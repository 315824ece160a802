"""First run: choose a role, fill in the officer profile, set the passphrase, create the store."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit import keys, store_place
from fieldkit.officer import OfficerProfile, passphrase_strength, save_profile
from fieldkit.settings import Settings
from fieldkit.store import Store
from ui.controls import form_scroll, heading, named, pressable
from ui.messages import error_text, no_keyring_warning
from ui.worker import Worker

MIN_PASSPHRASE = 8


def create_store_and_key(
    settings: Settings, passphrase: str, profile: OfficerProfile, role: str, *,
    replacing_removed: bool = False,
) -> keys.Unwrapped:
    """Create the store and return its key, all on a worker thread (``replacing_removed``:
    the officer said the store that could not be found was removed on purpose).

    The store's connection belongs to the thread that opened it, so the new store is locked
    here and reopened on the GUI thread with the returned key (no second derivation).
    """
    if replacing_removed:
        store_place.start_again(settings)
    store, unwrapped = Store.create_with_key(settings, passphrase, officer=profile.name)
    try:
        save_profile(store, profile, role)
    finally:
        store.lock()
    return unwrapped


class FirstRunPage(QWidget):
    """The set-up screen shown when there is no store yet. Emits ``keyReady(Unwrapped)``."""

    keyReady = Signal(object)

    def __init__(self, settings: Settings, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._worker = worker
        outer = QVBoxLayout(self)
        scroll = form_scroll(self)
        body = QWidget()
        scroll.setWidget(body)
        outer.addWidget(scroll)
        layout = QVBoxLayout(body)
        layout.addWidget(heading(self.tr("Set up fieldkit"), body, 1))
        self.replacing_removed = False
        self.replacing_notice = QLabel(body)
        self.replacing_notice.setWordWrap(True)
        self.replacing_notice.setAccessibleName(self.tr("Starting again"))
        self.replacing_notice.setStyleSheet(
            "QLabel { border: 2px solid #b35900; padding: 6px; }")
        self.replacing_notice.setVisible(False)
        layout.addWidget(self.replacing_notice)
        layout.addWidget(QLabel(self.tr(
            "Your records are kept encrypted on this computer. Nothing leaves it until you "
            "send it to your Modern Slavery Lead."), body))

        role_box = QGroupBox(self.tr("How will you use fieldkit?"), body)
        role_layout = QHBoxLayout(role_box)
        self.field_officer = named(
            QRadioButton(self.tr("Fiel&d officer"), role_box), self.tr("Role: field officer"))
        self.lead = named(
            QRadioButton(self.tr("Modern &Slavery Lead"), role_box),
            self.tr("Role: Modern Slavery Lead"))
        self.field_officer.setChecked(True)
        self._roles = QButtonGroup(self)
        for button in (self.field_officer, self.lead):
            self._roles.addButton(button)
            role_layout.addWidget(button)
        layout.addWidget(role_box)

        profile_box = QGroupBox(self.tr("About you"), body)
        form = QFormLayout(profile_box)
        self.name = self._line(self.tr("Your name"), form, self.tr("&Name"))
        self.organisation = self._line(
            self.tr("Organisation"), form, self.tr("&Organisation"),
            self.tr("e.g. Coventry City Council Trading Standards"))
        self.job_role = self._line(
            self.tr("Job title"), form, self.tr("&Job title"),
            self.tr("e.g. Trading Standards Officer"))
        self.first_responder = named(
            QCheckBox(self.tr("I am a first responder for the NRM"), profile_box),
            self.tr("First responder"),
            self.tr("Council officers are statutory first responders."))
        self.first_responder.setChecked(True)
        form.addRow("", self.first_responder)
        self.email = self._line(self.tr("Work email"), form, self.tr("Work &email"))
        self.phone = self._line(self.tr("Work phone"), form, self.tr("Work &phone"))
        self.exhibit_prefix = self._line(
            self.tr("Exhibit prefix"), form, self.tr("E&xhibit prefix"),
            self.tr("Your initials unless your force uses another (RH gives RH/1, RH/2)"))
        layout.addWidget(profile_box)

        secret_box = QGroupBox(self.tr("Passphrase"), body)
        secret = QFormLayout(secret_box)
        self.passphrase = self._line(
            self.tr("Passphrase"), secret, self.tr("P&assphrase"),
            self.tr("Four or more unrelated words"))
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = self._line(self.tr("Repeat passphrase"), secret, self.tr("&Repeat it"))
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.strength = named(QProgressBar(secret_box), self.tr("Passphrase strength"))
        self.strength.setRange(0, 4)
        self.strength.setTextVisible(False)
        self.strength_label = QLabel(secret_box)
        row = QHBoxLayout()
        row.addWidget(self.strength, 1)
        row.addWidget(self.strength_label, 1)
        secret.addRow(self.tr("Strength"), row)
        layout.addWidget(secret_box)

        self.keyring_warning = QLabel(no_keyring_warning(), body)
        self.keyring_warning.setWordWrap(True)
        self.keyring_warning.setAccessibleName(self.tr("Keyring warning"))
        self.keyring_warning.setStyleSheet("QLabel { border: 2px solid #b35900; padding: 6px; }")
        self.keyring_warning.setVisible(not keys.keyring_available())
        layout.addWidget(self.keyring_warning)

        self.problem = QLabel(body)
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName(self.tr("Problem"))
        layout.addWidget(self.problem)
        self.create_button = pressable(
            QPushButton(self.tr("&Create encrypted records"), body), self.tr("Create"))
        self.create_button.setDefault(True)
        layout.addWidget(self.create_button)
        layout.addStretch(1)

        self.passphrase.textChanged.connect(self._show_strength)
        self.create_button.clicked.connect(self.submit)
        self.repeat.returnPressed.connect(self.submit)
        self.repeat.editingFinished.connect(self._repeat_left)
        for box in (self.name, self.passphrase, self.repeat):
            box.textChanged.connect(self._typed)
        self._show_strength("")

    def start_again(self) -> None:
        """Set up a new, empty store where one could not be found, the officer having said it
        was removed on purpose (the folder is forgotten only when the new store is made)."""
        self.replacing_removed = True
        self.replacing_notice.setText(self.tr(
            "fieldkit's records in {folder} could not be found and you said they were removed "
            "on purpose. A new, empty store will be made there. If they are on a drive that "
            "is not plugged in, close fieldkit now, plug it in and start fieldkit again.").format(
            folder=self._settings.data_dir))
        self.replacing_notice.setVisible(True)

    def _line(self, name: str, form: QFormLayout, label: str, hint: str = "") -> QLineEdit:
        edit = named(QLineEdit(), name)
        edit.setPlaceholderText(hint)
        caption = QLabel(label)
        caption.setBuddy(edit)
        form.addRow(caption, edit)
        return edit

    @Slot(str)
    def _show_strength(self, text: str) -> None:
        score = passphrase_strength(text)
        words = [self.tr("Very weak"), self.tr("Weak"), self.tr("Fair"), self.tr("Good"),
                 self.tr("Strong")]
        self.strength.setValue(score)
        self.strength_label.setText(self.tr("Strength: {level}").format(level=words[score]))

    def profile(self) -> OfficerProfile:
        """The profile as typed."""
        return OfficerProfile(
            name=self.name.text().strip(),
            organisation=self.organisation.text().strip(),
            role=self.job_role.text().strip(),
            first_responder=self.first_responder.isChecked(),
            email=self.email.text().strip(),
            phone=self.phone.text().strip(),
            exhibit_prefix=self.exhibit_prefix.text().strip(),
        )

    def role(self) -> str:
        """``lead`` or ``field_officer``."""
        return "lead" if self.lead.isChecked() else "field_officer"

    def _problem(self) -> tuple[str, QLineEdit | None]:
        """What is wrong, and the box to put right (the cursor goes there)."""
        if not self.name.text().strip():
            return self.tr("Please enter your name."), self.name
        contact = self.profile().contact_problems()
        if "email" in contact:
            return contact["email"], self.email
        if "phone" in contact:
            return contact["phone"], self.phone
        passphrase = self.passphrase.text()
        if len(passphrase) < MIN_PASSPHRASE:
            return self.tr("The passphrase is too short: use at least 8 characters "
                           "(a few words is best)."), self.passphrase
        if passphrase_strength(passphrase) < 1:
            return self.tr("The passphrase is too easy to guess. Add more words."), \
                self.passphrase
        if self.repeat.text() != passphrase:
            return self.tr("The two passphrases are not the same: type it again in "
                           "\"Repeat it\"."), self.repeat
        return "", None

    @Slot()
    def _typed(self) -> None:
        """A problem said is taken back once the officer changes what it was about (it stayed
        under "Strength: Strong" after the passphrase was put right)."""
        if self.create_button.isEnabled():
            self.problem.clear()

    @Slot()
    def _repeat_left(self) -> None:
        """Leaving "Repeat it" typed differently says so at once, not only at Create."""
        if self.repeat.text() and self.repeat.text() != self.passphrase.text():
            self.problem.setText(self.tr("The two passphrases are not the same: type it again "
                                         "in \"Repeat it\"."))

    @Slot()
    def submit(self) -> None:
        """Check the entries and create the store on a worker thread."""
        problem, where = self._problem()
        self.problem.setText(problem)
        if where is not None:
            where.setFocus(Qt.FocusReason.OtherFocusReason)
            where.selectAll()
        if problem or not self.create_button.isEnabled():
            return
        self.create_button.setEnabled(False)
        self.problem.setText(self.tr("Creating your encrypted records…"))
        settings, passphrase = self._settings, self.passphrase.text()
        profile, role, replacing = self.profile(), self.role(), self.replacing_removed
        self._worker.run(
            lambda: create_store_and_key(settings, passphrase, profile, role,
                                         replacing_removed=replacing),
            self._created, self._failed)

    def _created(self, unwrapped: keys.Unwrapped) -> None:
        self.passphrase.clear()
        self.repeat.clear()
        self.problem.clear()
        self.keyReady.emit(unwrapped)

    def _failed(self, error: BaseException) -> None:
        self.create_button.setEnabled(True)
        self.problem.setText(error_text(error))
