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

    def send(self, case_id: str) -> str:
        """Seal the case's current state and deliver the bundle to the share folder."""
        item = device.send_case(self.device, case_id)
        content = self.device.conn.execute(
            "SELECT content FROM outbox_content WHERE bundle_id = ?",
            (item.bundle_id,)).fetchone()[0]
        path = bundle_path(self.share, item.bundle_id)
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(bytes(content))
        return item.bundle_id

    def import_all(self) -> importer.ImportReport:
        """The Lead imports everything waiting in the share."""
        return importer.import_folder(self.lead, self.share)

    def close(self) -> None:
        """Lock both stores."""
        self.lead.lock()
        self.device.lock()
