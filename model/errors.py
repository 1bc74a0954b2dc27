"""The exceptions a user may see, one type per thing that can go wrong.

Every ``DigitpadError`` carries a message written for the user: the CLI prints it
as one line (exit code 2), the GUI shows it in a dialog, in the reader's
language: the message is a template with named values (``model.messages``), so
``raise ModelFileError("model file not found: {path}", path=path)`` reads the
same as before in English and is translated by the GUI. Anything else escaping
the core is a bug.
"""

from typing import Any

from model.messages import Message


class DigitpadError(Exception):
    """Base of the errors caused by input: bad data, bad files, bad settings.

    ``str(error)`` is the English text; ``error.message`` the ``Message`` that
    the GUI translates.
    """

    def __init__(self, template: str, /, **params: Any) -> None:
        self.message = (
            template
            if isinstance(template, Message) and not params
            else Message(template, **params)
        )
        super().__init__(self.message)

    @property
    def template(self) -> str:
        return self.message.template

    @property
    def params(self) -> dict[str, Any]:
        return self.message.params


class ConfigError(DigitpadError):
    """A training setting is out of range (epochs, batch size, lr, device...)."""


class DataMissingError(DigitpadError):
    """MNIST is not in the data folder and could not be downloaded."""


class ModelFileError(DigitpadError):
    """A model file is missing, empty, truncated, corrupt, foreign or unsafe."""


class ImageError(DigitpadError):
    """An image file could not be read as a picture."""


class TrainingDiverged(DigitpadError):
    """The loss became NaN or infinite; nothing was saved."""


class DataError(DigitpadError):
    """A data file is there but unreadable or malformed (wrong counts, shapes, labels)."""


class OutputError(DigitpadError):
    """A result cannot be written: a read-only folder, a path under a file, a full disk."""
