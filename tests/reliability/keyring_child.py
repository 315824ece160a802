"""Child process for the keyring tests, run inside its own D-Bus session and GNOME Keyring (so
locking or stopping that keyring touches nothing else). Makes a store that uses the keyring,
then locks the keyring (``locked``) or stops the Secret Service (``gone``) mid-session, keeps
working, locks the store and unlocks it again. Prints one line per fact for the parent."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from fieldkit import cases, notes
from fieldkit.errors import FieldkitError
from fieldkit.settings import Settings
from fieldkit.store import Store

PASSPHRASE = "correct horse battery staple"


def secret_service_pid() -> int:
    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    bus = DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus",
                      interface="org.freedesktop.DBus")
    with open_dbus_connection(bus="SESSION") as connection:
        reply = connection.send_and_get_reply(new_method_call(
            bus, "GetConnectionUnixProcessID", "s", ("org.freedesktop.secrets",)))
    return int(reply.body[0])


def main() -> None:
    scenario, folder = sys.argv[1], Path(sys.argv[2])
    settings = Settings(data_dir=folder, kdf_min_seconds=0.001, kdf_memory_kib=8192)
    store = Store.create(settings, PASSPHRASE, officer="Officer Test")
    print(f"fact: device secret {store.uses_device_secret}", flush=True)
    visit = cases.create_visit(store, cases.create_case(store, "Operation Keyring").id,
                               "Canal Yard", "Canal Side")
    notes.add_note(store, visit.id, "Before the keyring changed")
    if scenario == "locked":
        import secretstorage

        connection = secretstorage.dbus_init()
        secretstorage.get_default_collection(connection).lock()
    else:
        os.kill(secret_service_pid(), signal.SIGTERM)  # the keyring daemon this session started
    notes.add_note(store, visit.id, "After the keyring changed")
    print(f"fact: saved {len(notes.list_notes(store, visit.id))}", flush=True)
    store.lock()
    try:
        Store.open(settings, PASSPHRASE).lock()
        print("fact: unlock opened", flush=True)
    except FieldkitError as error:
        print(f"fact: unlock refused {type(error).__name__}: {error}", flush=True)


if __name__ == "__main__":
    main()
