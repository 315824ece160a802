"""Files the officer asks for (PDF packs, schedules) leave the encrypted store here, and only
here: the audit trail records the export first, then each file is written whole or not at all,
readable by the officer alone (0600). The command line and the app both call these."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fieldkit.atomicfile import make_private_dir, write_atomic
from fieldkit.cases import get_case
from fieldkit.errors import InvalidInput
from fieldkit.store import Store

PRIVATE = 0o600


def export_file(store: Store, target: Path, content: bytes, *, record_kind: str,
                record_id: str, action: str = "export.pdf") -> Path:
    """Audit that ``record_kind``/``record_id`` left the store, then write ``content`` to
    ``target`` atomically with mode 0600. Nothing is written if the audit cannot be."""
    target = target.expanduser()
    if not target.parent.is_dir():
        raise InvalidInput(f"Folder {target.parent} does not exist.")
    if target.is_dir():
        raise InvalidInput(f"{target} is a folder; choose a file name.")
    with store.transaction():
        store.audit(action, record_kind, record_id)
    write_atomic(target, content, mode=PRIVATE)
    return target


def export_case_pdfs(store: Store, case_id: str, out: Path,
                     written: Callable[[Path], None] | None = None) -> list[Path]:
    """Every PDF of a case into the folder ``out`` (created private if missing): audited once
    before the first file, each file atomic and 0600. Returns the paths, in order."""
    from fieldkit.pdf import plan_case_pdfs, render_planned

    out = out.expanduser()
    if out.exists() and not out.is_dir():
        raise InvalidInput(f"--out {out} is not a folder.")
    case = get_case(store, case_id)
    plan = plan_case_pdfs(store, case.id)
    if not plan:
        return []
    if not out.exists():
        make_private_dir(out)
    with store.transaction():
        store.audit("export.pdf", "case", case.id)
    paths = []
    for planned in plan:
        target = out / planned.name
        write_atomic(target, render_planned(store, case.reference, planned), mode=PRIVATE)
        paths.append(target)
        if written is not None:
            written(target)
    return paths
