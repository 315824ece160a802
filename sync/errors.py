"""Typed errors raised by ``sync``. Messages are plain English; they carry ids, never personal data.

Every class derives from :class:`fieldkit.errors.FieldkitError`, so the command line and the
desktop app translate them in the same single place as the core's errors.
"""

from __future__ import annotations

from fieldkit.errors import FieldkitError


class SyncError(FieldkitError):
    """Base of every error ``sync`` raises on purpose."""


class ProfileTampered(SyncError):
    """A Lead profile whose signature does not verify, or that is not a Lead profile at all."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"The Lead profile cannot be trusted: {detail}. Nothing was changed.")
        self.detail = detail


class InsecureDestination(SyncError):
    """A plain ``http://`` inbox address for a host other than this machine."""

    def __init__(self) -> None:
        super().__init__(
            "The inbox address uses plain http:// to another machine; bundles may only travel "
            "over https:// (plain http is allowed for this machine only, for testing)."
        )


class EnrolmentRejected(SyncError):
    """An enrolment request that is damaged, forged or made against another profile."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"The enrolment request was refused: {detail}.")
        self.detail = detail


class DevicesFileTampered(SyncError):
    """An enrolled devices file that is not signed by the Lead's key."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"The enrolled devices file cannot be trusted: {detail}.")
        self.detail = detail


class BundleRejected(SyncError):
    """A bundle that failed any check; nothing from it may be used."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"Bundle rejected: {reason}.")
        self.reason = reason


class ReceiptRejected(SyncError):
    """An import receipt that is damaged or not signed by the Lead."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"Import receipt ignored: {detail}.")
        self.detail = detail


class TransportError(SyncError):
    """A bundle was not delivered. ``retryable`` says whether sending it again later may work;
    ``code`` and ``params`` are what the outbox keeps (the app words them, not the store)."""

    retryable: bool = False
    code: str = "transport_failed"

    @property
    def params(self) -> dict[str, str | int]:
        """The details the code's words need (no personal data: ids, statuses, reasons)."""
        return {}


class DestinationUnavailable(TransportError):
    """The destination could not be reached or failed on its side; try again later."""

    retryable = True
    code = "destination_unavailable"

    def __init__(self, detail: str) -> None:
        super().__init__(f"The destination is not available just now ({detail}). Will retry.")
        self.detail = detail

    @property
    def params(self) -> dict[str, str | int]:
        return {"detail": self.detail}


class DeliveryConflict(TransportError):
    """The destination already holds a different bundle under the same id."""

    code = "delivery_conflict"

    def __init__(self, bundle_id: str) -> None:
        super().__init__(
            f"The destination already holds a different bundle with id {bundle_id}. "
            "It was not overwritten; this bundle needs a new id."
        )
        self.bundle_id = bundle_id


class DeliveryUnauthorised(TransportError):
    """The inbox did not accept this request (401): it gives one answer for every reason, so
    the device was revoked or not enrolled, or (most often) the device's clock is wrong."""

    code = "delivery_unauthorised"

    def __init__(self) -> None:
        super().__init__(
            "The inbox did not accept this device's request. Check this device's date and "
            "time, then try again; if it still fails, this device may not be enrolled or was "
            "revoked: contact your Modern Slavery Lead."
        )


class DeviceNotEnrolled(TransportError):
    """The inbox does not know this device, or the Lead has revoked it (403)."""

    code = "device_not_enrolled"

    def __init__(self, device_id: str) -> None:
        super().__init__(
            f"The inbox does not accept device {device_id}: it is not enrolled or was revoked. "
            "Contact your Modern Slavery Lead."
        )
        self.device_id = device_id


class BundleTooLargeForDestination(TransportError):
    """The destination refuses bundles this large (413)."""

    code = "bundle_too_large"

    def __init__(self, bundle_id: str) -> None:
        super().__init__(f"Bundle {bundle_id} is larger than the destination accepts.")
        self.bundle_id = bundle_id


class DeliveryRefused(TransportError):
    """Any other definite refusal by the destination (a 4xx not covered above)."""

    code = "delivery_refused"

    def __init__(self, status: int) -> None:
        super().__init__(f"The destination refused the bundle (HTTP {status}).")
        self.status = status

    @property
    def params(self) -> dict[str, str | int]:
        return {"status": self.status}
