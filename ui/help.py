"""The emergency panel (F2 from anywhere) and the Help menu's pages: a short guide to the
pathway, the keyboard shortcuts and who to call. Contacts come from the council's resources."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from fieldkit.resources import Contact, load_resources


def _contact_rows(contacts: list[Contact]) -> str:
    rows = []
    for contact in contacts:
        # Each number or address on its own line, never broken inside; a contact with none
        # yet says so quietly, not in the large type of a number to dial.
        lines = []
        if contact.phone:
            lines.append(f"<span style='font-size:15pt'><b>{html.escape(contact.phone)}</b>"
                         "</span>")
        if contact.email:
            lines.append(f"<span style='white-space:nowrap'>{html.escape(contact.email)}</span>")
        reach = "<br>".join(lines)
        cell = (f"<td>{reach}</td>" if reach else
                "<td style='color:#52606d'><i>No number recorded yet: ask the Modern Slavery "
                "Lead.</i></td>")
        rows.append(f"<tr><td><b>{html.escape(contact.name)}</b></td>{cell}</tr>"
                    f"<tr><td colspan='2' style='color:#52606d'>{html.escape(contact.notes)}"
                    "</td></tr>")
    return "<table cellspacing='6'>" + "".join(rows) + "</table>"


def emergency_html() -> str:
    """999 first, then the council's safeguarding numbers and the helpline."""
    contacts = load_resources().emergency_contacts()
    return ("<h2>If anyone is at immediate risk of serious harm: call 999 now.</h2>"
            "<p>Do not confront a potential perpetrator. Speak to a potential victim only alone "
            "and somewhere safe.</p>" + _contact_rows(contacts))


def contacts_html() -> str:
    """Every contact the council keeps, as the pathway uses them."""
    return "<h2>Who to call</h2>" + _contact_rows(list(load_resources().contacts.values()))


SHORTCUTS = (
    ("F2", "Emergency numbers (999 first)"),
    ("Ctrl+F", "Search everything: notes, forms, people, exhibits"),
    ("Ctrl+L", "Lock now (drafts are saved first)"),
    ("Ctrl+N", "New case (cases list); register an arrival (reception board)"),
    ("Enter", "Save a note with the time (visit); open the selected row"),
    ("Shift+Enter", "New line in a note"),
    ("Ctrl+E", "Correct the selected note (the original stays on record)"),
    ("Ctrl+S", "Save the form as a new version"),
    ("Ctrl+PgDown / Ctrl+PgUp", "Next / previous section of the NRM form"),
    ("Space / Delete", "Reception board: mark a step done / not needed"),
    ("F9", "Show or hide the pathway beside a case"),
    ("Alt+Left / Ctrl+Home",
     "Back / all cases (in a list or a text box, Ctrl+Home goes to its start)"),
    ("Ctrl+Shift+S", "Send this case to the Lead"),
    ("Ctrl+Shift+O", "The outbox"),
)


def shortcuts_html() -> str:
    """The keyboard shortcuts, as a table."""
    rows = "".join(f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>"
                   for k, v in SHORTCUTS)
    return f"<h2>Keyboard shortcuts</h2><table cellspacing='6'>{rows}</table>"


def guide_html() -> str:
    """A short guide to the Trading Standards pathway as fieldkit follows it."""
    return """<h2>The pathway, in short</h2>
<ol>
<li>Record the concern as a case and tell the Modern Slavery Lead.</li>
<li>Plan the visit (risk, partners, interpreters) on the visit's record; press
<b>Start visit now</b> when you arrive.</li>
<li>Write notes as you go: each is timed and can be corrected, never erased. Photos and
documents become numbered, hashed exhibits.</li>
<li>For each potential victim, open their form. A child (or possibly a child) always gets an
NRM referral and a MASH referral, without asking consent. An adult who consents gets an NRM
referral; one who does not gets an anonymous Duty to Notify, never both.</li>
<li>The pathway beside every case shows the next steps, with whom to call and which form.</li>
<li>Send the case to the Lead when you are back online; print the packs and the schedule of
notes and exhibits when they are needed.</li>
</ol>
<p>Immediate risk of serious harm to anyone: call 999 first (F2 shows every number).</p>"""


class InfoDialog(QDialog):
    """A page of help text with Close; Escape closes it."""

    def __init__(self, title: str, body: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(720, 560)
        layout = QVBoxLayout(self)
        self.text = QTextBrowser(self)
        self.text.setAccessibleName(title)
        self.text.setOpenExternalLinks(False)
        self.text.setHtml(body)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)
