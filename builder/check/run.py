"""check_lesson(): every content check over one lesson, findings in source order."""

from __future__ import annotations

from pathlib import Path

from builder.check.completeness import completeness
from builder.check.findings import Finding
from builder.check.glyphs import glyphs
from builder.check.injected import invisible, spliced
from builder.check.overflow import overflow
from builder.check.typography import typography
from builder.source import LoadedLesson

WORDLIST = "wordlist.txt"
"""Beside the lesson folders: one term a line; "!term" flags a term, others are allowed."""


def word_lists(loaded: LoadedLesson) -> tuple[set[str], set[str]]:
    """Allowed and flagged terms from the project's word list, if it has one."""
    allowed, denied = set(), set()
    for folder in (loaded.folder, loaded.folder.parent):
        path = Path(folder) / WORDLIST
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                term = line.strip()
                if term.startswith("!"):
                    denied.add(term[1:].strip())
                elif term and not term.startswith("#"):
                    allowed.add(term)
    return allowed, denied


def check_lesson(loaded: LoadedLesson, aspect: str = "16:9") -> list[Finding]:
    """All findings for a lesson, ordered by where they are in its file."""
    allowed, denied = word_lists(loaded)
    findings = [
        *invisible(loaded),
        *spliced(loaded, allowed, denied),
        *typography(loaded),
        *completeness(loaded),
        *glyphs(loaded),
        *overflow(loaded, aspect),
    ]
    return sorted(findings, key=lambda f: (f.location.line or 0, f.location.column or 0, f.code))
