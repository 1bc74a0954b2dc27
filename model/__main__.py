"""``python -m model`` runs the headless CLI (``digitpad`` without the GUI)."""

import sys

from model.cli import main

sys.exit(main())
