"""Every core error turned into the words an officer reads: the one place this happens.

The core's messages are precise but written for the command line (they mention commands and
file paths). Here each typed error becomes plain, translatable text saying what happened and
what to do; anything unexpected gets a calm general message and never a traceback.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication

from fieldkit import errors
from sync import errors as sync_errors


def _tr(text: str) -> str:
    return QCoreApplication.translate("Messages", text)


def error_text(error: BaseException) -> str:
    """The user-facing sentence(s) for ``error``."""
    if isinstance(error, errors.WrongPassphrase):
        return _tr("That passphrase did not unlock fieldkit. Check it and try again.")
    if isinstance(error, errors.StoreLocked):
        return _tr("fieldkit is locked. Unlock it to continue.")
    if isinstance(error, errors.KeyringUnavailable):
        return _tr(
            "This computer's keyring is not running, and fieldkit needs it to unlock. "
            "Log in to your desktop normally (so the keyring starts) and try again."
        )
    if isinstance(error, errors.DeviceSecretMissing):
        return _tr(
            "This computer's keyring no longer holds fieldkit's device secret (the records were "
            "copied from another computer, or the keyring was reset), so they cannot be opened "
            "here. Open fieldkit on the computer that created them, or ask "
            "your IT support to restore the keyring. Nothing has been changed."
        )
    if isinstance(error, errors.KeyringLocked):
        return _tr(
            "This computer's keyring is locked, so fieldkit cannot read its device secret. "
            "Unlock the keyring (log out and in again, or unlock it in your keyring manager) "
            "and try again. Your passphrase was not checked."
        )
    if isinstance(error, errors.RekeyUnfinished):
        return str(error)
    if isinstance(error, errors.DiskFull):
        return _tr(
            "The disk is full: {free} MB free, this needs about {need} MB. Nothing was saved "
            "and what you typed is still here. Free some space, then save again."
        ).format(free=errors.megabytes(error.free_bytes), need=errors.megabytes(error.need_bytes))
    if isinstance(error, errors.StoreUnreachable):
        return _tr(
            "fieldkit's records cannot be reached: their drive or folder is no longer there "
            "(a USB drive removed, or a network folder dropped). fieldkit has locked; nothing "
            "was half-written. Reconnect it, then unlock again."
        )
    if isinstance(error, errors.StoreReadOnly):
        return _tr(
            "fieldkit's records folder is read-only, so nothing can be saved there. Ask your IT "
            "support to make the folder writable again, then unlock. Nothing was changed."
        )
    if isinstance(error, errors.StoreInUse):
        return _tr(
            "These records are in use by another fieldkit (another window, or a command "
            "running). Close or lock the other one, then try again. Nothing was changed."
        )
    if isinstance(error, errors.KeyFileMismatch):
        return _tr(
            "fieldkit's key file does not open these records: it comes from another set of "
            "records, or from before the passphrase was changed. Put back this store's own key "
            "file (fieldkit.key). Nothing was overwritten."
        )
    if isinstance(error, errors.StoreFolderMissing):
        return _tr(
            "The store's folder {folder} cannot be found: is the drive plugged in? Plug it in "
            "(or connect the network folder), then press Retry. No new, empty store was made "
            "in its place."
        ).format(folder=str(error.folder))
    if isinstance(error, errors.StoreMissing):
        return _tr("There are no fieldkit records on this computer yet.")
    if isinstance(error, errors.StoreExists):
        return _tr("fieldkit records already exist here; a second set was not created.")
    if isinstance(error, errors.StoreCorrupt):
        return _tr(
            "fieldkit's records file is damaged or is not a fieldkit file. Nothing was "
            "overwritten. Contact your IT support before trying anything else."
        )
    if isinstance(error, errors.StoreTooNew):
        return _tr(
            "These records were saved by a newer version of fieldkit. Update fieldkit to "
            "open them. Nothing has been changed."
        )
    if isinstance(error, errors.AppendOnly):
        return _tr("Note entries cannot be changed or deleted. Add a correction instead.")
    if isinstance(error, errors.NotFound):
        return _tr("That record could not be found. It may have been removed.")
    sync_text = _sync_error_text(error) or _board_error_text(error)
    if sync_text is not None:
        return sync_text
    if isinstance(error, errors.InvalidInput):
        # The core names the field and the problem precisely; show it as it is.
        return str(error)
    if isinstance(error, errors.FieldkitError):
        return str(error)
    if isinstance(error, OSError):
        return _tr("A file could not be read or written: {detail}").format(
            detail=error.strerror or type(error).__name__
        )
    # Only the kind of error (never its words, which may hold a record's values): enough for
    # support to find the cause, nothing of anyone's data on screen or in a screenshot.
    return _tr("Something went wrong ({kind}) and the action was not completed. Nothing was "
               "lost.").format(kind=type(error).__name__)


def _board_error_text(error: BaseException) -> str | None:
    """Sharing the reception board: the core's modules are loaded only once sharing began."""
    access = sys.modules.get("sync.board_share.access")
    if access is not None and isinstance(error, access.NoDevicesFile):
        return _tr(
            "This laptop does not have the Lead's list of enrolled devices yet, so it cannot "
            "tell which laptops may share the board. Ask the Lead for the list and have it "
            "imported on this laptop, then try again. Nothing was shared.")
    client = sys.modules.get("sync.board_share.client")
    if client is not None and isinstance(error, client.PeerUnreachable):
        return _tr(
            "The sharing laptop cannot be reached. Check the address as it shows it, that it "
            "still shows \"Sharing\", and that both laptops are on the same network. Nothing "
            "was lost; try again.")
    if client is not None and isinstance(error, client.PeerRefused) \
            and "refused this one" in str(error):
        return _tr(
            "The sharing laptop refused this one. Check the join code with the coordinator "
            "(read it out again); a laptop not enrolled with your Lead, or no longer enrolled, "
            "cannot join. Nothing was shared.")
    return None


def _sync_error_text(error: BaseException) -> str | None:
    """Sending to the Lead: the core's messages name commands; these say what to do here."""
    from sync import device as sync_device  # imported when needed: it pulls in the bundle code

    if isinstance(error, sync_device.NotEnrolled):
        return _tr(
            "This laptop is not set up to send to your Modern Slavery Lead yet. Choose "
            "Lead > Lead profile… (also in the File menu) and import the profile file your "
            "Lead gave you."
        )
    if isinstance(error, sync_device.ProfileReplaced):
        return _tr(
            "This profile was signed by a different Lead than the one this laptop already "
            "trusts, so it was not imported. Check with your Modern Slavery Lead before going on."
        )
    if isinstance(error, sync_errors.ProfileTampered):
        return _tr(
            "This Lead profile cannot be trusted: it has been changed or damaged, or it is not "
            "a Lead profile. Nothing was changed. Ask your Modern Slavery Lead to send it again."
        )
    if isinstance(error, sync_errors.InsecureDestination):
        return _tr(
            "This Lead profile would send records over an unprotected (http://) connection, so "
            "it was not imported. Ask your Modern Slavery Lead for a corrected profile."
        )
    if isinstance(error, sync_errors.EnrolmentRejected):
        return _tr(
            "This enrolment request cannot be trusted: it was changed or damaged after the "
            "officer saved it, or it is not an enrolment request. Nobody was enrolled. Ask the "
            "officer to save a new one (Lead > Lead profile… > Save enrolment request) and "
            "give it to you again."
        )
    if isinstance(error, sync_errors.DestinationUnavailable):
        return _tr(
            "The Lead's inbox could not be reached just now. fieldkit keeps what is waiting "
            "and tries again by itself."
        )
    if isinstance(error, sync_errors.DeviceNotEnrolled):
        return _tr(
            "The Lead's inbox does not accept this laptop yet (or no longer does). Give your "
            "Modern Slavery Lead your enrolment request, or ask them to check it."
        )
    if isinstance(error, sync_errors.DeliveryUnauthorised):
        return _tr(
            "The Lead's inbox refused this laptop's request as out of date. Check that this "
            "laptop's date and time are right, then try again."
        )
    return None


def outbox_error_text(code: str, params: dict[str, str | int]) -> str:
    """The last error an outbox item recorded, as a code with parameters, in words."""
    if code == "destination_unavailable":
        return _tr("The Lead could not be reached ({detail}). fieldkit will try again by "
                   "itself.").format(detail=params.get("detail", ""))
    if code == "delivery_conflict":
        return _tr("The Lead already holds a different bundle with this id. Send the case "
                   "again to make a new bundle.")
    if code == "delivery_unauthorised":
        return _tr("The Lead's inbox did not accept this laptop's request. Check this "
                   "laptop's date and time; if it still fails, this laptop may not be enrolled "
                   "or was revoked: contact your Modern Slavery Lead.")
    if code == "device_not_enrolled":
        return _tr("The Lead's inbox does not accept this laptop (not enrolled, or revoked). "
                   "Contact your Modern Slavery Lead.")
    if code == "bundle_too_large":
        return _tr("This bundle is larger than the Lead's inbox accepts. Contact your Modern "
                   "Slavery Lead.")
    if code == "delivery_refused":
        return _tr("The Lead's inbox refused the bundle (HTTP {status}).").format(
            status=params.get("status", "?"))
    if code == "lead_got_other_copy":
        return _tr("The copy the Lead received was damaged on its way, so this bundle is "
                   "sent again. Nothing needs doing.")
    if code == "lead_never_got_it":
        return _tr("The bundle was removed from the shared folder before the Lead imported "
                   "it, so it is sent again. Nothing needs doing.")
    if code == "lead_rejected":
        reason = str(params.get("reason", "")) or _tr("no reason given")
        return _tr("The Lead could not import this bundle: {reason}").format(reason=reason)
    return _tr("The bundle could not be sent. fieldkit will try again by itself.")


def no_keyring_warning() -> str:
    """Shown at first run and unlock when no system keyring protects the device secret."""
    return _tr(
        "No system keyring is available on this computer, so your passphrase alone will "
        "protect these records. Use a long passphrase: four or more unrelated words."
    )
