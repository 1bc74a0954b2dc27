"""The wheel carries everything the app needs at run time, and an install finds it.

Built for real from a copy of the tree (so the checkout gets no build/ or
egg-info), then opened as the zip it is. A module or asset that setuptools
leaves out would make an installed app open with "No model" or no icon.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    src = tmp_path_factory.mktemp("src")
    for name in ("model", "gui", "assets"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--quiet", "-w", str(out), str(src)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    (path,) = out.glob("digitpad-*.whl")
    with zipfile.ZipFile(path) as zf:
        yield zf


@pytest.fixture(scope="module")
def installed(wheel: zipfile.ZipFile, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed into a folder of its own, as pip lays it out."""
    site = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(site),
         str(wheel.filename)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    return site


def test_an_installed_wheel_finds_its_models_and_icon_outside_the_checkout(
    installed: Path, tmp_path: Path
) -> None:
    script = (
        "import model, sys\n"
        "from model.paths import assets_dir\n"
        "from model.checkpoints import load_model\n"
        "assert str(installed) in model.__file__, model.__file__\n"
        "assert (assets_dir() / 'icons' / 'digitpad.svg').is_file()\n"
        "assert (assets_dir() / 'translations' / 'digitpad_zh_CN.qm').is_file()\n"
        "from model.mnist_files import missing_files\n"
        "from model.paths import shipped_mnist_dir\n"
        "assert not missing_files(shipped_mnist_dir())\n"
        "from model.eval_sets import default_pen_data_dir\n"
        "assert default_pen_data_dir().name == 'unipen_1a_heldout.json.gz', default_pen_data_dir()\n"
        "assert default_pen_data_dir().is_file()\n"
        "loaded = load_model('cnn')\n"
        "print(assets_dir())\n"
        "print(loaded.path)\n"
        "print('torchvision' in sys.modules)\n"
    ).replace("installed", repr(str(installed)))
    env = {"PYTHONPATH": str(installed), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assets, model_path, torchvision_loaded = result.stdout.split()
    assert Path(assets) == installed / "digitpad_assets"
    assert Path(model_path).parent == installed / "digitpad_assets" / "models"
    assert torchvision_loaded == "False"  # loading a model never needs torchvision


def test_the_installed_app_speaks_chinese_under_a_chinese_locale(
    installed: Path, tmp_path: Path
) -> None:
    script = (
        "import gui\n"
        "assert str(installed) in gui.__file__, gui.__file__\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from gui.app import create_app\n"
        "app = create_app(['digitpad'])\n"
        "print(QCoreApplication.translate('MainWindow', '&Draw'))\n"
    ).replace("installed", repr(str(installed)))
    env = {
        "PYTHONPATH": str(installed),
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "zh_CN.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "绘图(&D)"


def test_the_wheel_holds_every_module(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for package in ("model", "gui"):
        for module in (ROOT / package).rglob("*.py"):
            if "__pycache__" in module.parts:
                continue
            assert module.relative_to(ROOT).as_posix() in names, module


def test_the_wheel_holds_models_cards_icons_and_translations(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assets = ROOT / "assets"
    expected = [
        *assets.glob("models/*.pt"),
        *assets.glob("models/*.md"),
        *assets.glob("icons/*"),
        *assets.glob("translations/*.qm"),
        *assets.glob("mnist/MNIST/raw/*.gz"),  # Personalize offline (model.paths)
        *assets.glob("mnist/*.md"),
    ]
    assert any(p.suffix == ".pt" for p in expected)
    assert sum(p.suffix == ".gz" for p in expected) == 4
    assert "digitpad_assets/translations/digitpad_zh_CN.qm" in names  # the Chinese GUI
    assert "digitpad_assets/translations/digitpad_en.qm" in names  # English plurals ("1 sample")
    for path in expected:
        assert f"digitpad_assets/{path.relative_to(assets).as_posix()}" in names, path


def test_the_wheel_has_a_licence_a_version_and_the_command(wheel: zipfile.ZipFile) -> None:
    from model import __version__

    names = wheel.namelist()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
    text = wheel.read(meta).decode()
    assert f"Version: {__version__}" in text
    assert "License-Expression: MIT" in text
    assert "](assets/" not in text  # no relative picture links on a package index
    entry = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "digitpad = gui.launcher:main" in wheel.read(entry).decode()
