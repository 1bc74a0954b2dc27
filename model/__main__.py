"""``python -m model`` runs the headless CLI (``digitpad`` without the GUI)."""

import sys

from model.cli import ignore_signals_until_exit, main

code = main()
ignore_signals_until_exit()
sys.exit(code)
