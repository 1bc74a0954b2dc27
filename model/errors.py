"""The exceptions a user may see, one type per thing that can go wrong.

Every ``DigitpadError`` carries a message written for the user: the CLI prints it
as one line (exit code 2), the GUI shows it in a dialog. Anything else escaping
the core is a bug.
"""


class DigitpadError(Exception):
    """Base of the errors caused by input: bad data, bad files, bad settings."""


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
