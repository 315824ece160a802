"""The "Print pack" action: a PDF pack of a person's forms for the NRM submission.

PDF rendering belongs to the core (``fieldkit.pdf``, written separately). Until it exists the
button stays disabled and says why; :func:`print_pack` is the one place to wire it up.
"""

from __future__ import annotations

import importlib.util

from fieldkit.store import Store


def pdf_available() -> bool:
    """True once the core can render PDF packs."""
    try:
        return importlib.util.find_spec("fieldkit.pdf") is not None
    except (ImportError, ValueError):
        return False


def print_pack(store: Store, case_id: str, person_id: str) -> str:
    """Render the person's pack and return where it was written.

    Not wired yet: the PDF module's interface is not settled (see docs/ui.md).
    """
    raise NotImplementedError("The PDF pack is not available in this version yet.")
