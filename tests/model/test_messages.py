"""The core's messages: English text for the CLI, a template and values for the GUI."""

from __future__ import annotations

import ast
import pickle
import string
from pathlib import Path

import pytest

from model.checkpoints import load_model
from model.errors import DigitpadError, ModelFileError
from model.events import DataProgress
from model.messages import CALLS, Message, message_calls, templates


def test_a_message_is_its_english_text() -> None:
    message = Message("Added {count:,} samples of yours", count=12345)
    assert message == "Added 12,345 samples of yours"
    assert isinstance(message, str)
    assert message.template == "Added {count:,} samples of yours"
    assert message.params == {"count": 12345}
    assert f"{message}…" == "Added 12,345 samples of yours…"


def test_a_message_without_values_is_taken_literally() -> None:
    assert Message("a {brace} stays") == "a {brace} stays"


def test_a_message_crosses_processes_whole() -> None:
    """Events carry messages; pickling keeps the template and values, not only the text."""
    message = Message("{path} is not a usable digitpad model: {why}", path="m.pt", why=Message("x"))
    event = pickle.loads(pickle.dumps(DataProgress(message, 1, 2)))
    assert event.message == message
    assert event.message.template == message.template
    assert event.message.params["why"].template == "x"


def test_an_error_reads_as_before_and_keeps_its_template(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.pt"
    damaged.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ModelFileError) as caught:
        load_model(damaged)
    error = caught.value
    assert (
        str(error) == f"{damaged} is not a usable digitpad model: the file is truncated or corrupt"
    )
    assert error.template == "{path} is not a usable digitpad model: {why}"
    assert error.params["path"] == damaged
    assert error.params["why"].template == "the file is truncated or corrupt"


def test_an_error_may_be_given_a_message() -> None:
    message = Message("model file not found: {path}", path="x.pt")
    error = DigitpadError(message)
    assert error.message is message
    assert str(error) == "model file not found: x.pt"


def _fields(template: str) -> list[tuple[str, str | None, str]]:
    return [
        (name, conversion, spec)
        for _, name, spec, conversion in string.Formatter().parse(template)
        if name is not None
    ]


def test_every_core_message_is_a_template_not_a_finished_text() -> None:
    """An f-string (or a sum of strings) would reach the GUI already English: no template.

    The first argument of a message, an error or a progress event is a string
    constant (the template), a name or a call holding a ``Message``.
    """
    finished = []
    for path, call in message_calls():
        if not call.args:
            continue
        first = call.args[0]
        if isinstance(first, ast.JoinedStr | ast.BinOp) or (
            isinstance(first, ast.Call) and ast.unparse(first.func).endswith("format")
        ):
            finished.append(f"{path.name}:{call.lineno}: {ast.unparse(first)[:60]}")
        elif isinstance(first, ast.Constant) and "{" in str(first.value) and not call.keywords:
            finished.append(f"{path.name}:{call.lineno}: braces but no values")
    assert not finished, finished


def test_templates_name_their_values_on_one_line() -> None:
    found = templates()
    assert "{path} is not a usable digitpad model: {why}" in found
    assert "Downloaded MNIST" in found  # a progress event's fixed text
    for template in found:
        assert "\n" not in template, template
        assert all(name for name, _, _ in _fields(template)), f"positional field: {template}"


def test_the_calls_cover_every_error_a_user_sees() -> None:
    import model.library  # noqa: F401  (LibraryError)
    from model import errors

    def subclasses(cls: type) -> set[str]:
        names = set()
        for sub in cls.__subclasses__():
            names |= {sub.__name__, *subclasses(sub)}
        return names

    assert subclasses(errors.DigitpadError) <= CALLS


def test_a_card_s_data_set_written_by_our_code_becomes_a_message() -> None:
    from model.checkpoints import dataset_text
    from model.pen_training import PEN_DATASET

    pen = dataset_text(PEN_DATASET)
    assert pen == PEN_DATASET
    assert pen.template == "MNIST + real pen digits (UNIPEN 1a: {collections})"
    mine = dataset_text(f"{PEN_DATASET} + 42 samples of the user's handwriting")
    assert mine == f"{PEN_DATASET} + 42 samples of the user's handwriting"
    assert mine.params == {"base": pen, "count": 42}
    assert not isinstance(dataset_text("EMNIST digits"), Message)  # someone else's words
