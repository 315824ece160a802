"""The sans font every PDF uses: DejaVu Sans or Arial when the system has them (wide coverage of
the scripts people write their names in), else Bitstream Vera, which ships inside reportlab so a
frozen build always has a font to embed."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import reportlab
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

SANS = "FieldkitSans"
SANS_BOLD = "FieldkitSans-Bold"
SANS_ITALIC = "FieldkitSans-Italic"
SANS_BOLD_ITALIC = "FieldkitSans-BoldItalic"
MONO = "Courier"  # a hash is plain ASCII; the standard font needs no embedding


@dataclass(frozen=True)
class FontFamily:
    """The four files of one sans family."""

    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path

    def exists(self) -> bool:
        """True when all four files are present."""
        return all(p.is_file() for p in (self.regular, self.bold, self.italic, self.bold_italic))


def _candidates() -> list[FontFamily]:
    dejavu = Path("/usr/share/fonts/truetype/dejavu")
    windows = Path("C:/Windows/Fonts")
    mac = Path("/System/Library/Fonts/Supplemental")
    vera = Path(reportlab.__file__).parent / "fonts"
    return [
        FontFamily(dejavu / "DejaVuSans.ttf", dejavu / "DejaVuSans-Bold.ttf",
                   dejavu / "DejaVuSans-Oblique.ttf", dejavu / "DejaVuSans-BoldOblique.ttf"),
        FontFamily(windows / "arial.ttf", windows / "arialbd.ttf", windows / "ariali.ttf",
                   windows / "arialbi.ttf"),
        FontFamily(mac / "Arial.ttf", mac / "Arial Bold.ttf", mac / "Arial Italic.ttf",
                   mac / "Arial Bold Italic.ttf"),
        FontFamily(vera / "Vera.ttf", vera / "VeraBd.ttf", vera / "VeraIt.ttf",
                   vera / "VeraBI.ttf"),
    ]


@cache
def register_fonts() -> str:
    """Register the sans family with reportlab once per process; returns the regular font name.

    Bold and italic are mapped so ``<b>`` and ``<i>`` in paragraphs use the embedded faces."""
    family = next(f for f in _candidates() if f.exists())
    for name, path in ((SANS, family.regular), (SANS_BOLD, family.bold),
                       (SANS_ITALIC, family.italic), (SANS_BOLD_ITALIC, family.bold_italic)):
        pdfmetrics.registerFont(TTFont(name, str(path)))
    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS_ITALIC)
    addMapping(SANS, 1, 1, SANS_BOLD_ITALIC)
    return SANS
