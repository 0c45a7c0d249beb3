"""The project's word list: terms the injected-text check must allow or must flag."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from builder.source import LoadedLesson

WORDLIST = "wordlist.txt"
"""Beside the lesson folders: one term a line; "!term" flags a term, others are allowed."""


def word_list_paths(lesson_folder: Path) -> list[Path]:
    """Where word lists may be: the lesson's folder and the folder of all lessons."""
    return [lesson_folder / WORDLIST, lesson_folder.parent / WORDLIST]


def word_lists(loaded: LoadedLesson) -> tuple[set[str], set[str]]:
    """Allowed and flagged terms from the project's word lists, if it has any."""
    allowed, denied = set(), set()
    for path in word_list_paths(loaded.folder):
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                term = line.strip()
                if term.startswith("!"):
                    denied.add(term[1:].strip())
                elif term and not term.startswith("#"):
                    allowed.add(term)
    return allowed, denied
