"""`make audit`: pip-audit over the locked runtime dependencies (requirements.lock), against the
vulnerability database shipped in security/vulnerabilities/ (OSV records, one JSON file per
advisory, as in the OSV export of the PyPI ecosystem), served to pip-audit on loopback only.

With no database shipped, it says so plainly and exits 0 (a skip, not a pass); with
FIELDKIT_AUDIT_ONLINE=1 it asks the PyPI vulnerability service instead, and says so plainly when
that cannot be reached.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

REPO = Path(__file__).resolve().parents[1]
DATABASE = REPO / "security" / "vulnerabilities"
LOCK = REPO / "requirements.lock"


def load_database(folder: Path) -> list[dict[str, Any]]:
    """Every OSV record in ``folder`` (``*.json``)."""
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))]


def _in_range(version: Version, events: list[dict[str, str]]) -> bool:
    """OSV ECOSYSTEM range events, in order: introduced / fixed / last_affected."""
    affected = False
    for event in events:
        try:
            if "introduced" in event:
                start = event["introduced"]
                if start == "0" or version >= Version(start):
                    affected = True
            elif ("fixed" in event and version >= Version(event["fixed"])) or (
                    "last_affected" in event and version > Version(event["last_affected"])):
                affected = False
        except InvalidVersion:
            continue
    return affected


def affecting(records: list[dict[str, Any]], name: str, version: str) -> list[dict[str, Any]]:
    """The records that affect ``name`` at ``version`` (PyPI ecosystem)."""
    wanted = canonicalize_name(name)
    found = []
    for record in records:
        for affected in record.get("affected", []):
            package = affected.get("package", {})
            if package.get("ecosystem") != "PyPI" or canonicalize_name(
                    package.get("name", "")) != wanted:
                continue
            listed = version in affected.get("versions", [])
            ranged = any(_in_range(Version(version), r.get("events", []))
                         for r in affected.get("ranges", []) if r.get("type") == "ECOSYSTEM")
            if listed or ranged:
                found.append(record)
                break
    return found


def serve(records: list[dict[str, Any]]) -> ThreadingHTTPServer:
    """An OSV ``/v1/query`` answering from ``records``, on 127.0.0.1 only."""

    class Query(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            asked = json.loads(self.rfile.read(length) or b"{}")
            package = asked.get("package", {})
            vulns = affecting(records, package.get("name", ""), asked.get("version", ""))
            body = json.dumps({"vulns": vulns} if vulns else {}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Query)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def pip_audit(*service: str, lock: Path = LOCK) -> int:
    """Run pip-audit on the lock file without resolving or installing anything."""
    command = [sys.executable, "-m", "pip_audit", "--requirement", str(lock),
               "--disable-pip", "--progress-spinner", "off", *service]
    return subprocess.run(command, check=False).returncode


def main(database: Path = DATABASE, lock: Path = LOCK) -> int:
    """Audit; returns pip-audit's exit code (1 when something vulnerable is locked)."""
    records = load_database(database) if database.is_dir() else []
    if records:
        server = serve(records)
        try:
            url = f"http://127.0.0.1:{server.server_address[1]}/v1/query"
            print(f"make audit: {len(records)} advisories from {database.relative_to(REPO)}"
                  if database.is_relative_to(REPO) else f"make audit: {len(records)} advisories")
            return pip_audit("--vulnerability-service", "osv", "--osv-url", url, lock=lock)
        finally:
            server.shutdown()
    if os.environ.get("FIELDKIT_AUDIT_ONLINE") == "1":
        code = pip_audit("--vulnerability-service", "pypi", lock=lock)
        if code not in (0, 1):
            print("make audit: SKIPPED: the PyPI vulnerability service could not be reached; "
                  "nothing was audited.")
            return 0
        return code
    print("make audit: SKIPPED: no vulnerability database is shipped in "
          "security/vulnerabilities/ (OSV records for PyPI, one JSON file each), and "
          "FIELDKIT_AUDIT_ONLINE=1 was not given; nothing was audited.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*(Path(a) for a in sys.argv[1:3])))
