"""Draw the app icon's bitmaps from resources/icon.svg: icon.png (the window icon, 256 px) and
icon.ico (Windows: the executable, the installer and the Start-menu entry, 16 to 256 px).

Run after changing the SVG: ``.venv/bin/python packaging/make_icon.py``. Both files are
committed, so a build needs neither Qt's SVG renderer nor Pillow at build time."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def render(size: int) -> bytes:
    """The SVG drawn at ``size`` pixels square, as PNG bytes."""
    renderer = QSvgRenderer(str(RESOURCES / "icon.svg"))
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def main() -> int:
    """Write icon.png and icon.ico beside icon.svg."""
    QGuiApplication([sys.argv[0], "-platform", "offscreen"])
    png = render(256)
    (RESOURCES / "icon.png").write_bytes(png)
    Image.open(io.BytesIO(png)).save(RESOURCES / "icon.ico", sizes=ICO_SIZES)
    print(f"wrote {RESOURCES / 'icon.png'} and {RESOURCES / 'icon.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
