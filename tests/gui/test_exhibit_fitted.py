"""A picture is decoded no larger than the space it is shown in: the Lead's viewer blew
pictures up four times (cropped at 1366x768), and a 4000x3000 phone photo took the Lead's app
from 205 to 958 MB."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage

from ui.exhibit_viewer import fitted_image


def _jpeg(width: int, height: int) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#4a7a9c"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPEG", 70)
    buffer.close()
    return bytes(data.data())


def test_a_phone_photo_is_decoded_to_the_size_shown(qapp) -> None:  # type: ignore[no-untyped-def]
    shown = fitted_image(_jpeg(4000, 3000), 900, 600)
    assert (shown.width(), shown.height()) == (800, 600)  # its shape kept, inside the box


def test_a_small_picture_is_not_blown_up(qapp) -> None:  # type: ignore[no-untyped-def]
    shown = fitted_image(_jpeg(320, 200), 900, 600)
    assert (shown.width(), shown.height()) == (320, 200)


def test_bytes_that_are_no_picture_give_a_null_image(qapp) -> None:  # type: ignore[no-untyped-def]
    assert fitted_image(b"not a picture", 900, 600).isNull()
