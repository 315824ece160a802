"""The "Print pack" action: a PDF of a person's NRM referral (or Duty to Notify) to take to
the submission. Rendering is the core's (``fieldkit.pdf``) and runs on a worker thread."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QGridLayout, QLabel, QWidget

from forms import DutyToNotify, NrmReferral


def pdf_available() -> bool:
    """True when the core can render PDF packs."""
    try:
        return importlib.util.find_spec("fieldkit.pdf.nrm") is not None
    except (ImportError, ValueError):
        return False


def choose_pack_path(parent: QWidget, suggested: str, what: str = "") -> str:
    """Ask where to write the PDF (an empty string when cancelled); ``what`` names it in the
    title ("the visit report"; the pack by default). Tests replace this. The dialog is wide
    enough for its title (the warning that the PDF is not encrypted) to be read whole at
    1366x768."""
    dialog = QFileDialog(
        parent, parent.tr("Save %1 (the PDF is not encrypted: keep it on a secure drive and "
                          "delete it once used)").replace("%1", what or parent.tr("the pack")),
        str(Path.home() / suggested), parent.tr("PDF (*.pdf)"))
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix("pdf")
    dialog.resize(960, 520)
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return ""
    return str(dialog.selectedFiles()[0])


def render_pack(kind: str, data: dict[str, object], case_reference: str,
                person_reference: str = "") -> bytes:
    """The PDF bytes of an ``nrm`` or ``dtn`` form (slow: call through the worker); an NRM
    pack names the person's reference, a Duty to Notify never does (it is anonymous)."""
    if kind == "dtn":
        from fieldkit.pdf.dtn import render_dtn

        return render_dtn(DutyToNotify.model_validate(data), case_reference)
    from fieldkit.pdf.nrm import render_nrm_pack

    return render_nrm_pack(NrmReferral.model_validate(data), case_reference,
                           person_reference=person_reference)


def choose_folder(parent: QWidget, title: str, warning: str = "") -> str:
    """Ask for a folder to write PDFs into (an empty string when cancelled), with ``warning``
    shown in full inside the dialog (a window title is cut short). Tests replace this."""
    dialog = folder_dialog(parent, title, warning)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return ""
    chosen = dialog.selectedFiles()
    return chosen[0] if chosen else ""


def folder_dialog(parent: QWidget, title: str, warning: str = "") -> QFileDialog:
    """Qt's own folder chooser (not the desktop's), ``warning`` in a line of its own above
    its buttons."""
    dialog = QFileDialog(parent, title, str(Path.home()))
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    layout = dialog.layout()
    if warning and isinstance(layout, QGridLayout):
        label = QLabel(warning, dialog)
        label.setWordWrap(True)
        label.setAccessibleName(warning)
        layout.addWidget(label, layout.rowCount(), 0, 1, layout.columnCount())
    return dialog
