"""Running the CLI in-process and checking its one-line errors, for the CLI tests."""

from __future__ import annotations

import pytest

from model.cli import main


def run_cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    """``digitpad ARGS...`` in this process: exit code, stdout, stderr."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str, phrase: str) -> None:
    """The CLI's contract for bad input: one line, "digitpad: error: ...", no traceback."""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("digitpad: error: "), err
    assert phrase in lines[0] and "Traceback" not in err, err
