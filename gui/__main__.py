"""``python -m gui`` does what the ``digitpad`` command does."""

import sys

from gui.launcher import main

sys.exit(main())
