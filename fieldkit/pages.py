"""How SQLCipher seals each page of a store's database: the page HMAC.

SQLCipher encrypts every page (AES-256-CBC, a fresh IV each time it is written) and seals it
with an HMAC, so a page changed on disk is refused. SQLCipher 4 seals with HMAC-SHA512 by
default; HMAC-SHA256 is as strong for this job (a 256-bit key and a 256-bit tag) and, on
processors with SHA extensions (AMD since 2017, Intel laptops since 2019-2020), costs less:
about a tenth of a note's CPU on the benchmark machine (``bench/README.md``, "Stop 28"). On
processors without them SHA-512 is the faster of the two. So a new store is sealed with
whichever of the two this machine hashes faster (timed when the store is made, a millisecond
or two, with Python's SHA-256 and SHA-512 over page-sized blocks: a stand-in for SQLCipher's
own HMACs, which use the same instructions), and its key file says which
(``fieldkit.keyfile``, format 2). Stores made before keep HMAC-SHA512 (format 1 key files name
none). Every connection to a store's database, or to a backup of it, is opened with what its
key file says; a re-key keeps the seal (``fieldkit.storefiles.NEW_SEALED_KEY_NAME``)."""

from __future__ import annotations

import hashlib
import time
from typing import Any, Literal, get_args

PageHmac = Literal["HMAC_SHA256", "HMAC_SHA512"]

_PAGE = bytes(4096)


def fastest_page_hmac(rounds: int = 5, pages: int = 32) -> PageHmac:
    """The seal this machine computes faster over database pages: HMAC-SHA256 or HMAC-SHA512
    (the best of ``rounds`` alternating timings of each; a tie goes to SHA-256)."""
    best = {"sha256": float("inf"), "sha512": float("inf")}
    for _ in range(rounds):
        for name in best:
            digest = getattr(hashlib, name)
            started = time.perf_counter()
            for _ in range(pages):
                digest(_PAGE).digest()
            best[name] = min(best[name], time.perf_counter() - started)
    return "HMAC_SHA256" if best["sha256"] <= best["sha512"] else "HMAC_SHA512"


def seal_pages_with(conn: Any, page_hmac: PageHmac | None) -> None:
    """Set ``page_hmac`` on a connection just keyed, before any page is read or written
    (``None``: SQLCipher's default, HMAC-SHA512, as stores made before were sealed)."""
    if page_hmac is None:
        return
    if page_hmac not in get_args(PageHmac):  # never text from elsewhere in a PRAGMA
        raise ValueError(f"unknown page seal {page_hmac!r}")
    conn.execute(f"PRAGMA cipher_hmac_algorithm = {page_hmac}")
