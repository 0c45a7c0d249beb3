"""Findings: what a check reports, located, and how a build keeps them in its manifest."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.errors import Location
from builder.text.invisible import shown


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
