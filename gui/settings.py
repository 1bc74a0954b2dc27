"""Where the app remembers things between launches (window, tab, model, training form).

The file is Qt's INI format (``~/.config/digitpad/digitpad.ini``), but it is
read and written here, never by ``QSettings``: QSettings turns a value written
as ``@Variant(...PySide::PyObjectWrapper...)`` back into a Python object with
``pickle``, so a crafted file would run code the moment the app read its
settings. This reader knows only plain text, lists of text and ``@ByteArray``
(the window geometry); anything else is refused, noted in ``problems`` and
removed from the file. Typed getters range-check what they return, so a stale
or hand-edited value can never stop the app from starting.
"""

from __future__ import annotations

import logging
import math
import os
import re
import secrets
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

log = logging.getLogger(__name__)

GENERAL = "General"  # Qt's section for keys outside any group

# What a value may be once read: text, a list of text, bytes (geometry), or absent.
Value = str | list[str] | QByteArray | None
_REFUSED = object()  # a value in the file that we will not read

_SAFE_KEY_CHARS = re.compile(r"[A-Za-z0-9_.~ -]")
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_ESCAPES.update({c: c for c in "\"?'\\"})


def settings_path() -> Path:
    """The INI file's path; ``QSettings.setPath`` (tests, screenshots) moves it.

    Building a QSettings reads the file's raw text but parses no value; only
    ``fileName`` is used here.
    """
    qt = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "digitpad", "digitpad")
    return Path(qt.fileName())


def app_settings() -> Settings:
    """The user's settings (see ``settings_path``)."""
    return Settings(settings_path())


# -- Qt's INI syntax, the subset that plain values need ------------------------


def _unescape_key(key: str) -> str:
    def hex_code(match: re.Match[str]) -> str:
        return chr(int(match.group(1) or match.group(2), 16))

    key = re.sub(r"%U([0-9A-Fa-f]{4})|%([0-9A-Fa-f]{2})", hex_code, key)
    return key.replace("\\", "/")


def _escape_key(key: str) -> str:
    out = []
    for ch in key:
        if ch == "/":
            out.append("\\")
        elif _SAFE_KEY_CHARS.fullmatch(ch):
            out.append(ch)
        elif ord(ch) < 0x100:
            out.append(f"%{ord(ch):02X}")
        else:
            out.append(f"%U{ord(ch):04X}")
    return "".join(out)


def _split_value(text: str) -> tuple[list[str], bool]:
    """Qt's ``iniUnescapedStringList``: escapes, quotes, commas -> (parts, is_list)."""
    parts: list[str] = []
    current: list[str] = []
    quoted = in_quotes = is_list = False
    i = 0

    def skip_spaces(i: int) -> int:
        while i < len(text) and text[i] in " \t":
            i += 1
        return i

    def finish() -> None:
        value = "".join(current)
        parts.append(value if quoted else value.rstrip(" \t"))

    i = skip_spaces(0)
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            i += 2
            if nxt in _ESCAPES:
                current.append(_ESCAPES[nxt])
            elif nxt == "x":
                digits = re.match(r"[0-9A-Fa-f]+", text[i:])
                if digits:
                    current.append(chr(int(digits.group(0)[-4:], 16)))
                    i += digits.end()
            elif nxt in "01234567":
                digits = re.match(r"[0-7]*", text[i:])
                current.append(chr(int((nxt + digits.group(0))[-6:], 8) & 0xFFFF))  # type: ignore[union-attr]
                i += digits.end()  # type: ignore[union-attr]
        elif ch == "\\":
            i += 1
        elif ch == '"':
            quoted = True
            in_quotes = not in_quotes
            i += 1
            if not in_quotes:
                i = skip_spaces(i)
        elif ch == "," and not in_quotes:
            is_list = True
            finish()
            current = []
            quoted = False
            i = skip_spaces(i + 1)
        else:
            current.append(ch)
            i += 1
    finish()
    return parts, is_list


def _decode(text: str) -> object:
    """One part of a value -> str, QByteArray, None (``@Invalid()``) or ``_REFUSED``."""
    if not text.startswith("@"):
        return text
    if text.startswith("@@"):
        return text[1:]
    if text.startswith("@ByteArray(") and text.endswith(")"):
        try:
            return QByteArray(text[len("@ByteArray(") : -1].encode("latin-1"))
        except UnicodeEncodeError:
            return _REFUSED
    if text == "@Invalid()":
        return None
    return _REFUSED  # @Variant (pickled objects), @Rect, @DateTime...: not ours to read


def _parse_value(raw: str) -> object:
    parts, is_list = _split_value(raw)
    decoded = [_decode(p) for p in parts]
    if not is_list:
        return decoded[0]
    if any(d is _REFUSED or not isinstance(d, str) for d in decoded):
        return _REFUSED
    return decoded


def _escape_text(text: str) -> str:
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\x{ord(ch):x}")
        else:
            out.append(ch)
    escaped = "".join(out)
    needs_quotes = text != text.strip(" \t") or any(c in text for c in ",;=#\"'") or text == ""
    return f'"{escaped}"' if needs_quotes and text else escaped


def _format_scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, QByteArray | bytes | bytearray):
        data = bytes(value.data() if isinstance(value, QByteArray) else value)
        return "@ByteArray(" + "".join(f"\\x{b:x}" for b in data) + ")"
    if isinstance(value, str):
        return _escape_text("@" + value if value.startswith("@") else value)
    raise TypeError(f"settings hold only text, numbers, booleans and lists, not {type(value)}")


def _format_value(value: object) -> str:
    if isinstance(value, list | tuple):
        items = [str(v) for v in value]
        if not items:
            return "@Invalid()"
        if len(items) == 1:
            return _format_scalar(items[0])
        return ", ".join(_format_scalar(v) if v else '""' for v in items)
    return _format_scalar(value)


def parse_ini(text: str) -> tuple[dict[str, object], list[str]]:
    """Raw INI text -> ({"group/key": value}, refused keys). Executes nothing."""
    values: dict[str, object] = {}
    refused: list[str] = []
    section = ""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        while line.endswith("\\") and not line.endswith("\\\\") and i < len(lines):
            line = line[:-1] + lines[i]  # Qt's line continuation
            i += 1
        stripped = line.strip()
        if not stripped or stripped[0] in ";#":
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            section = _unescape_key(stripped[1:-1].strip())
            if section.lower() == GENERAL.lower():
                section = ""
            elif section.startswith("%General"):
                section = section[1:]
            continue
        key, sep, raw = line.partition("=")
        if not sep:
            continue
        name = _unescape_key(key.strip())
        full = f"{section}/{name}" if section else name
        value = _parse_value(raw)
        if value is _REFUSED:
            refused.append(full)
        elif value is not None:
            values[full] = value
    return values, refused


def format_ini(values: dict[str, object]) -> str:
    sections: dict[str, list[str]] = {}
    for full in sorted(values):
        group, _, name = full.rpartition("/") if "/" in full else ("", "", full)
        if "/" in group:  # a/b/c: section a, key b\c (Qt's own layout)
            group, _, rest = group.partition("/")
            name = f"{rest}/{name}"
        sections.setdefault(group, []).append(f"{_escape_key(name)}={_format_value(values[full])}")
    blocks = []
    for group in sorted(sections, key=lambda g: (g != "", g)):
        title = GENERAL if group == "" else _escape_key(group)
        if group == GENERAL:
            title = "%General"
        blocks.append(f"[{title}]\n" + "\n".join(sections[group]) + "\n")
    return "\n".join(blocks)


# -- the settings object ------------------------------------------------------------


class Settings:
    """A QSettings look-alike (``value``, ``setValue``, groups) over a file we parse.

    Every ``setValue``/``remove`` re-reads the file, applies the change and
    replaces the file (temp file + ``os.replace``), so several instances in
    one process never lose each other's changes. ``problems`` lists, for the
    user, what was refused and dropped since this instance was made.
    """

    def __init__(self, path: Path | str) -> None:
        self._path = Path(path)
        self._group: list[str] = []
        self.problems: list[str] = []
        self._values = self._read()

    # QSettings-compatible basics ------------------------------------------------

    def fileName(self) -> str:
        return str(self._path)

    def beginGroup(self, prefix: str) -> None:
        self._group.append(prefix.strip("/"))

    def endGroup(self) -> None:
        if self._group:
            self._group.pop()

    def group(self) -> str:
        return "/".join(self._group)

    def _key(self, key: str) -> str:
        return "/".join([*self._group, key.strip("/")])

    def childKeys(self) -> list[str]:
        prefix = self.group() + "/" if self._group else ""
        return sorted(
            k[len(prefix) :]
            for k in self._values
            if k.startswith(prefix) and "/" not in k[len(prefix) :]
        )

    def allKeys(self) -> list[str]:
        prefix = self.group() + "/" if self._group else ""
        return sorted(k[len(prefix) :] for k in self._values if k.startswith(prefix))

    def contains(self, key: str) -> bool:
        return self._key(key) in self._values

    def value(self, key: str, defaultValue: object = None, type: object = None) -> object:
        """Text, a list of text or a QByteArray, as QSettings gives from an INI file.

        ``type`` (int, float, bool, str, list) converts, returning ``defaultValue``
        when the stored text does not convert.
        """
        raw = self._values.get(self._key(key))
        if raw is None:
            return defaultValue
        if type is None:
            return raw
        converted = _convert(raw, type)
        return defaultValue if converted is None else converted

    def setValue(self, key: str, value: object) -> None:
        _format_value(value)  # refuse objects we could not read back, before writing
        self._update({self._key(key): _plain(value)}, ())

    def remove(self, key: str) -> None:
        full = self._key(key)
        gone = [k for k in self._values if k == full or k.startswith(full + "/")]
        self._update({}, gone or [full])

    def sync(self) -> None:
        """Nothing to flush: every change is written when it is made."""

    # typed, range-checked reads -----------------------------------------------

    def get_str(self, key: str, default: str, choices: Sequence[str] | None = None) -> str:
        raw = self._values.get(self._key(key))
        if raw is None:
            return default
        if not isinstance(raw, str) or (choices is not None and raw not in choices):
            return self.refuse(key, raw, default)
        return raw

    def get_int(self, key: str, default: int, minimum: int, maximum: int) -> int:
        raw = self._values.get(self._key(key))
        if raw is None:
            return default
        value = _convert(raw, int)
        if not isinstance(value, int) or not minimum <= value <= maximum:
            return self.refuse(key, raw, default, f"{minimum}..{maximum}")
        return value

    def get_float(self, key: str, default: float, minimum: float, maximum: float) -> float:
        raw = self._values.get(self._key(key))
        if raw is None:
            return default
        value = _convert(raw, float)
        if not isinstance(value, float) or not minimum <= value <= maximum:
            return self.refuse(key, raw, default, f"{minimum:g}..{maximum:g}")
        return value

    def get_bool(self, key: str, default: bool) -> bool:
        raw = self._values.get(self._key(key))
        if raw is None:
            return default
        value = _convert(raw, bool)
        if not isinstance(value, bool):
            return self.refuse(key, raw, default)
        return value

    def get_str_list(self, key: str, limit: int = 100) -> list[str]:
        raw = self._values.get(self._key(key))
        if raw is None:
            return []
        items = [raw] if isinstance(raw, str) else raw  # one item is written as plain text
        if not isinstance(items, list) or len(items) > limit:
            return self.refuse(key, raw, [])
        return [s for s in items if s]

    def get_bytes(self, key: str, limit: int = 1 << 16) -> QByteArray | None:
        raw = self._values.get(self._key(key))
        if raw is None:
            return None
        if not isinstance(raw, QByteArray) or raw.size() > limit:
            return self.refuse(key, raw, None)
        return raw

    def refuse(self, key: str, raw: object, default: object, expected: str = "") -> object:
        """Drop a bad value from the file, note why for the user, return ``default``."""
        shown = raw if isinstance(raw, str | list) else type(raw).__name__
        why = f" (expected {expected})" if expected else ""
        self._note(f"{self._key(key)} = {shown!r} is not usable{why}; the default is used")
        self._update({}, [self._key(key)])
        return default

    # file access ----------------------------------------------------------------

    def _note(self, message: str) -> None:
        log.warning("settings: %s", message)
        self.problems.append(message)

    def _read(self) -> dict[str, object]:
        try:
            text = self._path.read_bytes().decode("utf-8", errors="replace")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            self._note(f"cannot read {self._path}: {exc.strerror or exc}")
            return {}
        values, refused = parse_ini(text)
        if refused:
            for key in refused:
                self._note(f"{key} holds a serialized object, which is never read; it was removed")
            self._write(values)
        return values

    def _update(self, changes: dict[str, object], removals: Sequence[str]) -> None:
        current, _ = parse_ini(self._raw_text())  # another instance may have written
        current.update(changes)
        for key in removals:
            current.pop(key, None)
        self._values = current
        self._write(current)

    def _raw_text(self) -> str:
        try:
            return self._path.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            return ""

    def _write(self, values: dict[str, object]) -> None:
        """Temp file + rename: a crash leaves the old file or the new one.

        No fsync: losing the last few settings to a power cut is acceptable, a
        stutter while the pen slider moves is not.
        """
        tmp = self._path.with_name(f".{self._path.name}.{secrets.token_hex(6)}.tmp")
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(format_ini(values), encoding="utf-8")
            os.replace(tmp, self._path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            log.warning("settings: cannot write %s: %s", self._path, exc)


def _plain(value: object) -> object:
    if isinstance(value, tuple):
        return [str(v) for v in value]
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, bytes | bytearray):
        return QByteArray(bytes(value))
    if isinstance(value, QByteArray):
        return QByteArray(value)
    return _format_scalar(value) if not isinstance(value, str) else value


def _convert(raw: object, kind: object) -> object:
    """Stored text -> ``kind``; None when it does not convert (or is not finite)."""
    if kind is list:
        return [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else None
    if kind is QByteArray:
        return raw if isinstance(raw, QByteArray) else None
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if kind is str:
        return raw
    if kind is bool:
        lowered = text.lower()
        return True if lowered in ("true", "1") else False if lowered in ("false", "0") else None
    if kind is int:
        if not re.fullmatch(r"[+-]?\d{1,30}", text):
            return None
        return int(text)
    if kind is float:
        try:
            value = float(text)
        except ValueError:
            return None
        return value if math.isfinite(value) else None
    return None
