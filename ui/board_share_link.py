"""The reception board page's side of sharing with other laptops: the Sharing tab wired to
the window's ``BoardSharing``, the board refreshed when changes arrive (selection, scroll and
anything typed and not yet saved kept), changes made elsewhere announced in the status line and
to screen readers, and conflicts resolved. A part of ``ReceptionBoardPage``, kept apart."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDir, Slot
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QFileDialog, QLabel, QTableView, QTabWidget, QWidget

from fieldkit.errors import FieldkitError
from fieldkit.store import Store
from forms import PersonReceived
from sync.board_share.changes import REGISTRATION
from ui.board_share_panel import SharePanel, device_text, field_title, value_text
from ui.messages import error_text
from ui.person_panel import PersonPanel
from ui.reception_model import BoardFilter, ReceptionBoardModel

if TYPE_CHECKING:
    from sync.board_share.form_link import BoardView
    from ui.board_sharing import BoardSharing

MAX_DEVICES_FILE_BYTES = 4 * 1024 * 1024
"""A devices file lists a council's laptops: far under this; anything larger is not one."""


def pick_devices_file(parent: QWidget) -> str | None:
    """Ask for the Lead's devices file (replaced in tests)."""
    path, _ = QFileDialog.getOpenFileName(
        parent, parent.tr("Choose the Lead's devices file"), QDir.homePath(),
        parent.tr("Devices file (*.json);;All files (*)"))
    return path or None


class SharedBoard:
    """Sharing for the reception board page (a mixin: the page holds the widgets)."""

    _store: Store
    _case_id: str
    _sharing: BoardSharing | None
    _view: BoardView
    _quiet: bool
    _cut_off: bool
    _resuming: bool
    share_panel: SharePanel
    shared_status: QLabel
    message: QLabel
    model: ReceptionBoardModel
    proxy: BoardFilter
    table: QTableView
    panel: PersonPanel
    tabs: QTabWidget

    if TYPE_CHECKING:  # provided by the page (a QWidget); declared for the type checker only
        def tr(self, sourceText: str, disambiguation: str | None = None,
               n: int = -1) -> str: ...

        def _adopt(self, document_id: str) -> None: ...

        def _show_summary(self) -> None: ...

        def centre(self) -> Any: ...

    def _wire_sharing(self) -> None:
        sharing, panel = self._sharing, self.share_panel
        self._resuming = False
        panel.devicesFileRequested.connect(self.import_devices_file)
        if sharing is None:
            panel.setEnabled(False)
            return
        panel.shareRequested.connect(lambda: sharing.share(self._case_id))
        panel.stopRequested.connect(sharing.stop_sharing)
        panel.joinRequested.connect(
            lambda address, code: sharing.join(self._case_id, address, code))
        panel.resolveRequested.connect(self.resolve)
        panel.newReferenceRequested.connect(self.give_new_reference)
        panel.lookRequested.connect(sharing.look_for_boards)
        sharing.boardsFound.connect(self._boards_found)
        sharing.lookingFailed.connect(self._looking_failed)
        sharing.sharingChanged.connect(self._sharing_changed)
        sharing.joined.connect(self._joined)
        sharing.failed.connect(self._sharing_failed)
        sharing.reported.connect(self._reported)
        if sharing.case_id == self._case_id:
            panel.show_sharing(sharing.sharing)
        if sharing.resume(self._case_id):  # shared when the laptop locked: again, and said
            self._resuming = True
            panel.state.setText(self.tr("Sharing this board again since unlocking…"))
        if self._view.shared:
            sharing.follow(self._case_id)
            self._show_conflicts()

    @Slot()
    def import_devices_file(self) -> None:
        """Import the Lead's signed list of enrolled laptops from a file the officer chooses,
        and say what it holds, or why it was refused."""
        from sync.board_share import access

        path = pick_devices_file(self.share_panel)
        if path is None:
            return
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_DEVICES_FILE_BYTES + 1)
        except OSError as error:
            self.share_panel.devices_state.setText(self.tr(
                "The file {path} could not be read ({why}); nothing was imported.").format(
                path=path, why=error.strerror or type(error).__name__))
            return
        if len(data) > MAX_DEVICES_FILE_BYTES:
            self.share_panel.devices_state.setText(self.tr(
                "The file {path} is far larger than a devices file, so it is not one; nothing "
                "was imported.").format(path=path))
            return
        try:
            listing = access.import_devices_file(self._store, data)
        except FieldkitError as error:
            self.share_panel.devices_state.setText(self.tr(
                "The devices file was not imported. {why}").format(why=error_text(error)))
            return
        active = sum(1 for d in listing.devices if not d.revoked)
        self.share_panel.devices_state.setText(self.tr(
            "The Lead's devices file was imported (issued at {issued}). Laptops enrolled: "
            "{active}; revoked: {revoked}.").format(
            active=active, revoked=len(listing.devices) - active,
            issued=value_text(listing.issued)))

    @Slot(object)
    def _boards_found(self, found: list[Any]) -> None:
        """Offer the boards found that this laptop may join, each named by the officer of the
        laptop sharing it, from the Lead's devices file (nothing personal is announced)."""
        from sync.board_share import access

        if not self._store.is_open:
            return
        offered = access.boards_to_offer(self._store, found)
        self.share_panel.show_found([(f"{b.address}:{b.port}", b.officer)
                                     for b in offered.boards], offered.set_aside)

    @Slot(object)
    def _looking_failed(self, error: BaseException) -> None:
        self.share_panel.show_looking_failed(self.tr(
            "This laptop could not look for boards on the network ({why}). Ask the sharing "
            "laptop for its address and type it below.").format(
            why=error.strerror if isinstance(error, OSError) and error.strerror
            else error_text(error)))

    def _mine(self) -> bool:
        return self._sharing is not None and self._sharing.case_id == self._case_id

    @Slot(object)
    def _sharing_changed(self, sharing: Any) -> None:
        if sharing is not None and not self._mine():
            return
        self.share_panel.show_sharing(sharing)
        if sharing is None:
            self.share_panel.state.setText(self.tr(
                "Not sharing. What this laptop recorded stays here and in the case."))
            return
        if self._resuming:
            self._resuming = False
            self.share_panel.state.setText(self.tr(
                "Sharing this board again since unlocking, with the same join code; laptops "
                "that joined carry on exchanging."))
            self.announce(self.tr(
                "This board is shared again since unlocking (same join code). To stop, see "
                "3. Sharing (Alt+G)."))
        else:
            self.share_panel.state.setText(self.tr(
                "Sharing. Other laptops join with the address and code above; changes are "
                "exchanged every few seconds."))
        self.refresh_board()

    @Slot(str)
    def _joined(self, case_id: str) -> None:
        if case_id != self._case_id:
            return
        self.share_panel.join_code.clear()  # read out once; not left on screen
        self.share_panel.state.setText(self.tr(
            "Joined. This laptop now holds the whole board; changes are exchanged every few "
            "seconds, and kept here when the network drops."))
        self.refresh_board()

    @Slot(object)
    def _sharing_failed(self, error: BaseException) -> None:
        self.share_panel.state.setText(error_text(error))
        if self._resuming:  # said on the board too: the officer expected sharing to go on
            self._resuming = False
            self.announce(self.tr("This board could not be shared again since unlocking. "
                                  "{why}").format(why=error_text(error)))

    @Slot(object)
    def _reported(self, report: Any) -> None:
        if not self._mine() or not self._store.is_open:
            return
        self.share_panel.show_peers(report.peers)
        self.share_panel.show_conflicts(list(report.conflicts))
        if report.unreachable:
            self._cut_off = True
            self.share_panel.state.setText(self.tr(
                "{problem} What is recorded here is kept and exchanged once the other laptop "
                "is back.").format(problem=report.unreachable[0]))
        elif self._cut_off:
            self._cut_off = False
            self.share_panel.state.setText(self.tr("Exchanging with the other laptops again."))
        if report.written is not None and report.written.case_id == self._case_id:
            self._adopt(report.written.id)
        if report.arrivals or report.written is not None:
            self.refresh_board()
        if report.arrivals:
            self.announce(" ".join(self.tr("{officer} changed {ref}: {fields}.").format(
                officer=a.officer, ref=a.person,
                fields=", ".join(field_title(f).lower() for f in a.fields[:4])
                + (self.tr(" and more") if len(a.fields) > 4 else ""))
                for a in report.arrivals[-3:]))
        self._show_conflict_count(len(report.conflicts))

    def refresh_board(self) -> None:
        """Show the merged board, keeping what the officer typed and has not saved (and the
        selection and scroll)."""
        from sync.board_share import form_link

        try:
            self._view, local = form_link.refresh(self._store, self._case_id, self._view,
                                                  self.centre())
        except FieldkitError as error:
            self.message.setText(error_text(error))
            return
        self._show_people(local.people)
        self._show_conflicts()

    def _show_people(self, people: list[PersonReceived]) -> None:
        current = self.table.currentIndex()
        source = self.proxy.mapToSource(current) if current.isValid() else current
        scroll = (self.table.verticalScrollBar().value(),
                  self.table.horizontalScrollBar().value())
        self._quiet = True  # news from other laptops is not an unsaved change of this one
        try:
            changed = self.model.update_people(people)
        finally:
            self._quiet = False
        self.table.verticalScrollBar().setValue(scroll[0])
        self.table.horizontalScrollBar().setValue(scroll[1])
        if source.isValid() and source.row() in changed:
            self.panel.refresh_person(self.model.person(source.row()))
        if source.isValid():
            self.panel.show_child_route(self._view.child_route.get(
                self.model.person(source.row()).reference))
        self._show_summary()

    def _show_conflicts(self) -> None:
        from sync.board_share import form_link

        found = form_link.conflicts(self._store, self._case_id, self.model.as_of)
        self.share_panel.show_conflicts(found)
        self._show_conflict_count(len(found))

    def _show_conflict_count(self, count: int) -> None:
        text = "" if not count else self.tr(
            "1 conflict to resolve: see 3. Sharing (Alt+G).") if count == 1 else self.tr(
            "{n} conflicts to resolve: see 3. Sharing (Alt+G).").format(n=count)
        if self.message.text().endswith("(Alt+G).") or text:
            self.message.setText(text)

    def announce(self, text: str) -> None:
        """Say what changed elsewhere in the status line, and to screen readers, politely."""
        self.shared_status.setText(text)
        self.shared_status.setAccessibleDescription(text)
        event = QAccessibleAnnouncementEvent(self.shared_status, text)
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Polite)
        QAccessible.updateAccessibility(event)

    @Slot(str, str, str)
    def resolve(self, reference: str, field: str, clock_text: str) -> None:
        """Settle a conflict with the value chosen, then show the board as it now stands."""
        from sync.board_share import form_link

        try:
            written = form_link.resolve(self._store, self._case_id, reference, field,
                                        clock_text)
        except FieldkitError as error:
            self.share_panel.state.setText(error_text(error))
            return
        if written is not None:
            self._adopt(written.id)
        self.refresh_board()
        done = self.tr("Resolved: {ref} kept as one person.").format(ref=reference) \
            if field == REGISTRATION else self.tr("Resolved: {ref} {field}.").format(
            ref=reference, field=field_title(field).lower())
        self.share_panel.state.setText(done)
        self.announce(done)
        if self._sharing is not None:
            self._sharing.exchange_now()


    @Slot(str, bool)
    def decide_age(self, reference: str, adult: bool) -> None:
        """Record the decision on the age of a person the child rule keeps on the child route,
        then show the board as it now stands."""
        from sync.board_share import form_link

        try:
            written = form_link.decide_age(self._store, self._case_id, reference, adult)
        except FieldkitError as error:
            self.panel.problem.setText(error_text(error))
            return
        if written is not None:
            self._adopt(written.id)
        self.refresh_board()
        done = (self.tr("Recorded: {ref}'s age was decided: an adult.") if adult else
                self.tr("Recorded: {ref}'s age was decided: a child.")).format(ref=reference)
        self.message.setText(done)
        self.announce(done)
        if self._sharing is not None:
            self._sharing.exchange_now()

    @Slot(str, str, str)
    def give_new_reference(self, reference: str, device_id: str, new_reference: str) -> None:
        """A reference registered on two laptops: the person registered on ``device_id``
        becomes ``new_reference`` (the other keeps ``reference``), then the board is shown."""
        from sync.board_share import form_link

        try:
            written = form_link.give_new_reference(self._store, self._case_id, reference,
                                                   device_id, new_reference)
        except FieldkitError as error:
            self.share_panel.state.setText(error_text(error))
            return
        if written is not None:
            self._adopt(written.id)
        self.refresh_board()
        done = self.tr("Resolved: the person registered as {ref} on {device} is now "
                       "{new}.").format(ref=reference, device=device_text(device_id),
                                        new=new_reference.strip())
        self.share_panel.state.setText(done)
        self.announce(done)
        if self._sharing is not None:
            self._sharing.exchange_now()
