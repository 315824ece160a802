"""Start-up hook of the test suite's own processes (the command line run as a subprocess): it
lets ``FIELDKIT_KDF_*`` make key derivation cheap so hundreds of stores can be made quickly.
Only processes whose PYTHONPATH names this folder run it; an installed fieldkit never does."""

import os

if os.environ.get("FIELDKIT_KDF_SECONDS") or os.environ.get("FIELDKIT_KDF_MEMORY_KIB"):
    from fieldkit.settings import allow_test_kdf

    allow_test_kdf()
