"""Freeze a case into the records and exhibit bytes a bundle carries."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from fieldkit import cases, documents, exhibits, notes
from fieldkit.store import Store
from sync.board_share.held import all_changes, shared_board
from sync.payload import record_id_of


def freeze_case(store: Store, case_id: str) -> tuple[list[dict[str, Any]], dict[str, bytes]]:
    """Every record of the case as it is now, and its exhibits' bytes by SHA-256."""
    case = cases.get_case(store, case_id)
    records: list[dict[str, Any]] = [{"type": "case", **dataclasses.asdict(case)}]
    for visit in cases.list_visits(store, case_id):
        records.append({"type": "visit", **dataclasses.asdict(visit)})
        for entry in notes.list_notes(store, visit.id):
            records.append({"type": "note", **dataclasses.asdict(entry)})
    for person in cases.list_people(store, case_id):
        records.append({"type": "person", **dataclasses.asdict(person)})
    attachments: dict[str, bytes] = {}
    for exhibit in exhibits.list_exhibits(store, case_id):
        records.append({"type": "exhibit", **dataclasses.asdict(exhibit)})
        attachments[exhibit.sha256] = exhibits.exhibit_content(store, exhibit.id)
    for document in documents.list_documents(store, case_id):
        fields = dataclasses.asdict(document)
        fields["data"] = json.loads(document.data)
        records.append({"type": "form", **fields})
    board = shared_board(store, case_id)
    if board is not None:  # every device's changes to the shared reception board
        for change in all_changes(store, board):
            records.append({"type": "board_change", "id": record_id_of(change.hlc),
                            "case_id": case_id, "change": change.model_dump(mode="json")})
    # The printed packs travel too, so the Lead sees exactly what the officer could print.
    # Imported here: reportlab is only needed when sealing, not to start the app.
    from fieldkit.pdf import render_case_pdfs

    for name, pdf in render_case_pdfs(store, case_id).items():
        digest = hashlib.sha256(pdf).hexdigest()
        attachments[digest] = pdf
        records.append({"type": "pdf", "id": name.removesuffix(".pdf"), "case_id": case_id,
                        "name": name, "sha256": digest, "size": len(pdf)})
    return records, attachments
