"""A form saved by an earlier release, before a format check existed (a safe phone number
written as words, a postcode not known), is never refused when read back: the officer's NRM pack
still prints, listing what to correct; the case still seals and syncs; the Lead imports it with
the details as the officer typed them. Saving it again asks for the correction."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import forms.contact
from fieldkit import documents
from fieldkit.demo import create_demo_operation
from fieldkit.errors import InvalidInput
from fieldkit.pdf.case import render_document
from sync import importer
from tests.builders import LeadAndDevice
from tests.unit.test_pdf_tools import pdf_text


def test_a_form_saved_before_the_phone_and_postcode_checks_still_prints_and_syncs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """R-FORM-CONTACT-DETAILS: the format checks refuse only what is typed now."""
    pair = LeadAndDevice(tmp_path)
    try:
        case = create_demo_operation(pair.device)
        nrm = next(d for d in documents.list_documents(pair.device, case.id, "nrm")
                   if d.status == "ready")
        data = json.loads(nrm.data)
        contact = data["potential_victim"]["safe_contact"]
        contact["phone"], contact["postcode"] = "ring the front desk", "unknown"
        with monkeypatch.context() as earlier_release:  # no phone or postcode checks yet
            earlier_release.setattr(forms.contact, "is_phone_number", lambda text: True)
            earlier_release.setattr(forms.contact, "uk_postcode", lambda text: text)
            documents.save_document(pair.device, case.id, "nrm", data, status="ready",
                                    document_id=nrm.id)

        name, pdf = render_document(pair.device, nrm.id)
        text = " ".join(pdf_text(pdf).split())
        assert "ring the front desk" in text
        assert "safe phone number must be a phone number" in text  # the pack's checklist

        bundle_id = pair.send(case.id)
        report = pair.import_all()
        assert report.imported == [bundle_id] and not report.rejected
        held = importer.current_records(pair.lead, case.id)
        forms_held = [r for r in held if r.get("type") == "form" and r.get("id") == nrm.id]
        assert forms_held[0]["data"]["potential_victim"]["safe_contact"]["phone"] == (
            "ring the front desk")

        with pytest.raises(InvalidInput, match="safe phone number must be a phone number"):
            documents.save_document(pair.device, case.id, "nrm", data, status="ready",
                                    document_id=nrm.id)
        contact["phone"], contact["postcode"] = "07700 900123", "cv1 5ah"
        saved = documents.save_document(pair.device, case.id, "nrm", data, status="ready",
                                        document_id=nrm.id)
        assert json.loads(saved.data)["potential_victim"]["safe_contact"]["postcode"] == (
            "CV1 5AH")
        assert name.endswith(".pdf")
    finally:
        pair.close()
