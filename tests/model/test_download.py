"""The MNIST download path, for real, against an HTTP server on loopback.

torchvision's MNIST class lists the mirrors and the files' MD5s; pointing them at
a local server that serves our subset gzipped runs our whole download code with
no internet: scratch folder, torchvision's fetch and MD5 check, extraction, rename.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from torchvision.datasets import MNIST

from model.data import load_mnist
from model.errors import DataMissingError
from model.events import DataProgress
from model.mnist_files import RAW_FILES, raw_folder


@pytest.fixture
def mirror(tmp_path: Path, test_data: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    served = tmp_path / "mirror"
    served.mkdir()
    resources = []
    for name in RAW_FILES:
        packed = gzip.compress((raw_folder(test_data) / name).read_bytes())
        (served / f"{name}.gz").write_bytes(packed)
        resources.append((f"{name}.gz", hashlib.md5(packed).hexdigest()))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    monkeypatch.setattr(MNIST, "mirrors", [url])
    monkeypatch.setattr(MNIST, "resources", resources)
    yield url
    server.shutdown()
    thread.join()
    server.server_close()


def test_download_fills_the_folder_with_progress(mirror: str, tmp_path: Path) -> None:
    root = tmp_path / "fresh"
    events: list[DataProgress] = []
    data = load_mnist(root, download=True, progress=events.append)
    assert (len(data.train), len(data.test)) == (4000, 1000)
    assert sorted(p.name for p in raw_folder(root).iterdir()) == sorted(RAW_FILES)
    downloads = [e for e in events if e.message.startswith("Downloading")]
    assert [e.done for e in downloads] == [0, 1, 2, 3] and downloads[0].total == 4


def test_a_corrupt_download_leaves_nothing_behind(
    mirror: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = [(name, "0" * 32) for name, _ in MNIST.resources]  # every MD5 check fails
    monkeypatch.setattr(MNIST, "resources", bad)
    root = tmp_path / "fresh"
    with pytest.raises(DataMissingError, match="download failed: the downloaded file was damaged"):
        load_mnist(root, download=True)
    assert not root.exists()  # no empty MNIST/raw left behind either
