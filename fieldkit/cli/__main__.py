"""``python -m fieldkit.cli``: the same entry point as the ``fieldkit`` console script."""

import sys

from fieldkit.cli.main import main

sys.exit(main())
