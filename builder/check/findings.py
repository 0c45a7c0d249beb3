"""Findings and the walk over a lesson's text that every check shares."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.errors import Location
from builder.text.invisible import shown

if TYPE_CHECKING:  # the source module pulls in pydantic; a cached finding needs none of it
    from builder.source import LoadedLesson, Path_

# Fields that hold names, paths or codes rather than prose for readers.
NOT_PROSE = {"id", "src", "url", "language", "section", "kind", "lectern"}


@dataclass(frozen=True)
class Finding:
    """Something a lesson's readers or audience would notice, with where it is."""

    location: Location
    code: str
    message: str
    severity: str = "warning"

    def render(self) -> str:
        """Compiler style, the message in the reader's language where the catalog has it
        (the manifest keeps it in English, so artifacts do not depend on the locale)."""
        from builder.i18n import _

        field = f"{self.location.field}: " if self.location.field else ""
        return f"{self.location}: {self.severity}[{self.code}]: {field}{shown(_(self.message))}"

    @classmethod
    def from_json(cls, item: dict[str, Any]) -> Finding:
        location = Location(Path(item["file"]), item["line"], item["column"], item["field"])
        return cls(location, item["code"], item["message"], item["severity"])

    def as_json(self) -> dict[str, Any]:
        return {
            "file": str(self.location.file),
            "line": self.location.line,
            "column": self.location.column,
            "field": self.location.field,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
        }


def text_fields(loaded: LoadedLesson, *, prose_only: bool = False) -> Iterator[tuple[Path_, str]]:
    """Every text value of the lesson with its field path, in source order."""

    def walk(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
        if isinstance(value, dict):
            for key, item in value.items():
                if prose_only and key in NOT_PROSE:
                    continue
                yield from walk(item, (*path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield from walk(item, (*path, i))
        elif isinstance(value, str):
            yield path, value

    yield from walk(loaded.lesson.model_dump(exclude_defaults=False), ())


def locate(loaded: LoadedLesson, path: Path_, needle: str, start: int = 0) -> Location:
    """The location of needle as typed in the source, searched from the value at path.

    Values are found by the text the author typed, so the line and column point at the
    characters themselves, inside block scalars and quoted strings alike.
    """
    from builder.source import format_path

    base = loaded.source_map.locate(path)
    field = format_path(path) or None
    if base.line is None:
        return Location(loaded.path, field=field)
    lines = loaded.text.split("\n")
    offset = sum(len(line) + 1 for line in lines[: base.line - 1]) + (base.column or 1) - 1
    typed = _as_typed(needle)
    matches = typed.finditer(loaded.text, offset)
    for _ in range(start):
        next(matches, None)
    match = next(matches, None)
    if match is None:
        return Location(loaded.path, base.line, base.column, field)
    return location_at(loaded, match.start(), field)


def location_at(loaded: LoadedLesson, found: int, field: str | None = None) -> Location:
    """The location of the character at offset found of the lesson's source text."""
    line = loaded.text.count("\n", 0, found) + 1
    column = found - (loaded.text.rfind("\n", 0, found) + 1) + 1
    return Location(loaded.path, line, column, field)


_YAML_ESCAPES = {
    "\t": r"\\t",
    "\u00a0": r"\\_",
    "\u0085": r"\\N",
    "\u2028": r"\\L",
    "\u2029": r"\\P",
}


@functools.lru_cache(maxsize=1024)
def _as_typed(needle: str) -> re.Pattern[str]:
    """A pattern for needle as it may be typed in YAML: each character as itself or as an
    escape in a double-quoted value (``\\u202e``, ``\\x07``, ``\\_``), so a finding about an
    escaped character points at the escape, not at the start of the value."""
    parts = []
    for char in needle:
        code = ord(char)
        forms = [re.escape(char), rf"\\U(?i:{code:08x})"]
        if code <= 0xFFFF:
            forms.append(rf"\\u(?i:{code:04x})")
        if code <= 0xFF:
            forms.append(rf"\\x(?i:{code:02x})")
        if char in _YAML_ESCAPES:
            forms.append(_YAML_ESCAPES[char])
        parts.append("(?:" + "|".join(forms) + ")")
    return re.compile("".join(parts))


def locate_span(loaded: LoadedLesson, path: Path_, text: str, start: int, end: int) -> Location:
    """The location of text[start:end], a span of the value at path, in the source."""
    needle = text[start:end]
    return locate(loaded, path, needle, text.count(needle, 0, start))
