"""The core never imports Qt or gui (napari's rule): checked in a fresh interpreter."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

MODEL = Path(__file__).parents[2] / "model"

PROBE = """
import sys
import model.cli, model.training, model.preprocess, model.checkpoints, model.evaluation
code = model.cli.main(["train", "--data", sys.argv[1], "--epochs", "1", "--out", sys.argv[2], "--json"])
assert code == 0, code
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "gui", "pyqtgraph"))
print("QT_MODULES", loaded)
"""


def test_core_and_cli_train_load_no_qt(test_data: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(test_data), str(tmp_path / "m.pt")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "QT_MODULES []" in result.stdout
    assert (tmp_path / "m.pt").is_file()


def test_no_module_in_model_imports_qt_or_gui() -> None:
    for path in MODEL.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in ("PySide6", "PyQt6", "gui", "pyqtgraph"), (
                    f"{path.name} imports {name}"
                )


def test_preprocessing_and_config_load_without_torch() -> None:
    """The GUI preprocesses and builds configs before torch has finished importing."""
    probe = "import sys, model.preprocess, model.config, model.events, model.paths; print('torch' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
