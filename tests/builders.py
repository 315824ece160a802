"""Test helpers shared by several test files: a Lead and an enrolled officer's device sharing a
folder, with the demo operation sent and imported."""

from __future__ import annotations

from pathlib import Path

from fieldkit.demo import create_demo_operation
from fieldkit.settings import Settings
from fieldkit.store import Store
from sync import device, importer, lead
from sync.layout import bundle_path
from tests.conftest import PASSPHRASE

FAST = {"kdf_min_seconds": 0.001, "kdf_memory_kib": 8192}


class LeadAndDevice:
    """A Lead's store and one enrolled device's store, sharing ``share`` as the folder."""

    def __init__(self, root: Path, passphrase: str = PASSPHRASE) -> None:
        self.lead_settings = Settings(data_dir=root / "lead", **FAST)
        self.lead = Store.create(self.lead_settings, passphrase, officer="Lead Officer")
        self.device = Store.create(Settings(data_dir=root / "device", **FAST), passphrase,
                                   officer="Rowan Hallam")
        self.share = root / "share"
        self.share.mkdir()
        lead.init_lead(self.lead)
        issued, signed = lead.make_profile(self.lead, council="Example Council", lead_name="Lead",
                                      lead_contact="lead@council.example", folder=str(self.share))
        device.import_profile(self.device, signed,
                              expected_fingerprint=issued.fingerprint())
        lead.add_device(self.lead, device.enrolment_request(
            self.device, device_name="laptop", organisation="Trading Standards"))

    def send_demo(self, count: int = 1) -> list[str]:
        """Record the demo operation ``count`` times and drop each case's bundle in the share."""
        case_ids = []
        for _ in range(count):
            case = create_demo_operation(self.device)
            self.send(case.id)
            case_ids.append(case.id)
        return case_ids

    def send(self, case_id: str, sender: Store | None = None) -> str:
        """Seal the case's current state and deliver the bundle to the share folder (from the
        first device, or from ``sender``, another enrolled one)."""
        source = sender or self.device
        item = device.send_case(source, case_id)
        content = source.conn.execute(
            "SELECT content FROM outbox_content WHERE bundle_id = ?",
            (item.bundle_id,)).fetchone()[0]
        path = bundle_path(self.share, item.bundle_id)
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(bytes(content))
        return item.bundle_id

    def correct_first_persons_birth_date(self, case_id: str, born: str = "1992-06-12") -> None:
        """The officer corrects the date of birth on the case's first person's NRM (the demo's
        W1: 1994-03-12), marks it ready and sends the case again (not yet imported)."""
        import json

        from fieldkit import cases, documents

        person = cases.list_people(self.device, case_id)[0]
        [nrm] = [d for d in documents.list_documents(self.device, case_id, "nrm")
                 if d.person_id == person.id]
        data = json.loads(nrm.data)
        data["potential_victim"]["date_of_birth"] = born
        documents.save_document(self.device, case_id, "nrm", data, status="ready",
                                document_id=nrm.id)
        self.send(case_id)

    def enrol_another(self, root: Path, officer: str, device_name: str) -> Store:
        """Another laptop, enrolled with the same Lead (the caller locks it). Each laptop
        numbers its own cases, so its first demo case has the same reference as the first's."""
        other = Store.create(Settings(data_dir=root, **FAST), PASSPHRASE, officer=officer)
        issued, signed = lead.make_profile(
            self.lead, council="Example Council", lead_name="Lead",
            lead_contact="lead@council.example", folder=str(self.share))
        device.import_profile(other, signed, expected_fingerprint=issued.fingerprint())
        lead.add_device(self.lead, device.enrolment_request(
            other, device_name=device_name, organisation="Trading Standards"))
        return other

    def import_all(self) -> importer.ImportReport:
        """The Lead imports everything waiting in the share."""
        return importer.import_folder(self.lead, self.share)

    def withdrawn_after_submission(self) -> str:
        """A case whose person N1's NRM was recorded as submitted at the Lead, then the person
        withdrew consent: the laptop withdrew the NRM and sent a Duty to Notify instead (both
        versions imported). The case's id."""
        from fieldkit import cases, clock, consent_withdrawal, documents
        from fieldkit.demo.forms import w1_nrm
        from sync.desk import submission

        found = clock.today()
        case = cases.create_case(self.device, "Operation Willow")
        person = cases.add_person(self.device, case.id, "N1")
        data = w1_nrm(found).model_dump(mode="json")
        nrm = documents.save_document(self.device, case.id, "nrm", data, status="ready",
                                      person_id=person.id)
        self.send(case.id)
        self.import_all()
        submission.record_submission(self.lead, case.id, "N1", "NRM-500", found)
        data["consent"].update(decision="withdrawn", withdrawn_on=found.isoformat(),
                               withdrawal_how="by_phone")
        documents.save_document(self.device, case.id, "nrm", data, document_id=nrm.id)
        notice = consent_withdrawal.notice_after_withdrawal(self.device, nrm.id).notice
        documents.save_document(self.device, case.id, "dtn", notice.model_dump(mode="json"),
                                status="ready", person_id=person.id)
        self.send(case.id)
        self.import_all()
        return case.id

    def close(self) -> None:
        """Lock both stores."""
        self.lead.lock()
        self.device.lock()


def three_laptops_one_reference(root: Path) -> tuple[LeadAndDevice, list[str]]:
    """Rowan Hallam's first case, Sam Okafor's ("laptop 2") and one from Rowan's "spare laptop":
    all three FK-2026-0001 (each laptop numbers its own), imported, each W1 referral submitted
    so each has an RG decision due. The Lead's store stays open (the caller closes it)."""
    from fieldkit import clock
    from sync.desk import submission

    setup = LeadAndDevice(root)
    [rowans] = setup.send_demo(1)
    sam = setup.enrol_another(root / "sam", "Sam Okafor", "laptop 2")
    spare = setup.enrol_another(root / "spare", "Rowan Hallam", "spare laptop")
    try:
        sams = create_demo_operation(sam).id
        setup.send(sams, sam)
        spares = create_demo_operation(spare).id
        setup.send(spares, spare)
    finally:
        sam.lock()
        spare.lock()
    assert len(setup.import_all().imported) == 3
    for case_id in (rowans, sams, spares):
        submission.record_submission(setup.lead, case_id, "W1", "NRM-1", clock.today(),
                                     different_person=True)  # three copies of the demo
    return setup, [rowans, sams, spares]
