"""The demo operation's fictional facts: the premises, the notes, the workers, a generated photo.

Every name, place and number here is invented."""

from __future__ import annotations

import struct
import zlib

DEMO_TITLE = "Operation Larkspur: hand car wash, Foleshill Road"
DEMO_PREMISES = "Shine Bright Hand Car Wash"
DEMO_ADDRESS = "Unit 4, 210 Foleshill Road, Coventry CV6 5AH"

DEMO_NOTES = [
    "Arrived with PC 4411 Dunmore and GLAA officer Reyes. Six workers in the yard, "
    "none wearing gloves or boots despite chemical cleaners in use.",
    "Manager (gave name as 'Kam') answered every question put to the workers and "
    "stood close by. Workers looked to him before replying.",
    "Portable cabin behind the jet-wash bay: four mattresses on the floor, clothes "
    "drying on a line, a two-ring hob. Appears to be lived in.",
    "Spoke alone with worker W2 in the GLAA van, with a Romanian interpreter by "
    "phone. Says passport is 'kept safe' by the boss; pays £50 a week for the cabin.",
    "Worker W3 appears young, says he is 17. Did not want to talk near the manager.",
]
DEMO_CORRECTION = (
    "Portable cabin behind the jet-wash bay: five mattresses on the floor (not four: "
    "one was stood against the wall), clothes drying on a line, a two-ring hob."
)
DEMO_PEOPLE = [
    ("W1", "Adult man, Romanian speaker; agreed to an NRM referral after the booklet."),
    ("W2", "Adult man, Romanian speaker; does not want an NRM referral (Duty to Notify)."),
    ("W3", "Says he is 17; child safeguarding: MASH referral, NRM without consent."),
    ("W4", "Adult man, Albanian speaker; declined to talk today, contact details taken."),
]


def demo_photo(width: int = 96, height: int = 64) -> bytes:
    """A small generated PNG standing in for a photo (a grey yard under a blue sky)."""
    rows = []
    for y in range(height):
        colour = (90, 140, 200) if y < height // 3 else (120, 120, 115)
        rows.append(b"\x00" + bytes(colour) * width)
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
