"""``python -m model`` runs the headless CLI (``digitpad`` without the GUI)."""

import os
import sys

try:
    from model.cli import exit_process, main
except KeyboardInterrupt:  # Ctrl+C while Python was still starting up
    print("digitpad: interrupted", file=sys.stderr)
    os._exit(130)

exit_process(main())
