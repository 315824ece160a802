"""The frozen build's entry point: the same ``fieldkit`` command as the installed console
script (``fieldkit.cli:main``); with no command it starts the desktop app."""

import sys

from fieldkit.cli import main

if __name__ == "__main__":
    sys.exit(main())
