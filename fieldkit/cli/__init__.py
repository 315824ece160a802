"""The command line: the one composition root of fieldkit.

Each command group lives in a module of its own (store, forms, sync, the Lead); ``main`` builds
the command tree from them. Commands import ``sync`` and ``ui`` inside the handlers that need
them, so core commands start fast and never load Qt.
"""

from fieldkit.cli.main import main

__all__ = ["main"]
