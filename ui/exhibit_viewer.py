"""An exhibit shown inside fieldkit, never through a temporary file: photos scaled to the
window, PDFs rendered page by page in memory (pdfium), text as text. The hash taken at capture
is checked before anything is shown."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fieldkit.records import Exhibit
from ui.controls import local_time

MAX_PAGES = 50
"""A long PDF shows its first pages; the rest are in the exported file."""


def fitted_image(content: bytes, width: int, height: int) -> QImage:
    """A picture decoded no larger than ``width`` x ``height`` (its shape kept; a smaller one
    at its own size): a 4000x3000 phone photo is decoded straight to the size shown, never
    whole and then blown up (the Lead's app grew from 205 to 958 MB). A null image when the
    bytes are not a picture Qt reads."""
    data = QByteArray(content)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)  # a phone's rotation
    size = reader.size()
    if size.isValid() and (size.width() > width or size.height() > height):
        reader.setScaledSize(size.scaled(max(1, width), max(1, height),
                                         Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    buffer.close()
    return image


def pdf_pages(content: bytes, width: int = 1000) -> list[QImage]:
    """The pages of a PDF as images, rendered in memory at about ``width`` pixels wide."""
    import pypdfium2

    document = pypdfium2.PdfDocument(content)
    try:
        pages = []
        for index in range(min(len(document), MAX_PAGES)):
            page = document[index]
            scale = width / max(page.get_width(), 1.0)
            bitmap = page.render(scale=scale, rev_byteorder=True)
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_RGBA8888 if bitmap.n_channels == 4
                           else QImage.Format.Format_RGB888)
            pages.append(image.copy())  # own the pixels before pdfium frees its buffer
        return pages
    finally:
        document.close()


class ExhibitViewer(QDialog):
    """One exhibit, read-only, with its reference, description and hash; Escape closes."""

    def __init__(self, exhibit: Exhibit, content: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Exhibit {ref}").format(ref=exhibit.exhibit_ref))
        self.resize(980, 700)
        layout = QVBoxLayout(self)
        about = QLabel(self.tr("{ref}: {description}\nCaptured {when}. SHA-256 {hash} "
                               "(checked now: it matches).").format(
            ref=exhibit.exhibit_ref, description=exhibit.description or exhibit.filename,
            when=local_time(exhibit.captured_at, with_zone=True), hash=exhibit.sha256), self)
        about.setWordWrap(True)
        about.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(about)
        self.kind = "other"
        body: QWidget
        if exhibit.media_type.startswith("image/"):
            image = fitted_image(content, 900, 4000)
            body = self._images([image]) if not image.isNull() else self._unknown()
            self.kind = "image" if not image.isNull() else "other"
        elif exhibit.media_type == "application/pdf":
            try:
                body = self._images(pdf_pages(content))
                self.kind = "pdf"
            except Exception:  # a damaged PDF: say so rather than fail
                body = self._unknown()
        elif exhibit.media_type.startswith("text/"):
            text = QPlainTextEdit(self)
            text.setReadOnly(True)
            text.setPlainText(content.decode("utf-8", errors="replace"))
            body = text
            self.kind = "text"
        else:
            body = self._unknown()
        body.setAccessibleName(self.tr("Exhibit contents"))
        layout.addWidget(body, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _images(self, images: list[QImage]) -> QWidget:
        scroll = QScrollArea(self)
        inner = QWidget(scroll)
        column = QVBoxLayout(inner)
        self.pages: list[QLabel] = []
        for image in images:
            label = QLabel(inner)
            label.setPixmap(QPixmap.fromImage(image).scaledToWidth(
                min(900, max(1, image.width())), Qt.TransformationMode.SmoothTransformation))
            column.addWidget(label)
            self.pages.append(label)
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        return scroll

    def _unknown(self) -> QWidget:
        label = QLabel(self.tr("fieldkit cannot show this kind of file. It is kept, encrypted, "
                               "with its hash; print the schedule or export the case to "
                               "use it elsewhere."), self)
        label.setWordWrap(True)
        return label
