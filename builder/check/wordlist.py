"""The project's word list: terms the injected-text check must allow or must flag."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from builder.errors import Location, Problem, SourceError

if TYPE_CHECKING:
    from builder.sourcemap import LoadedLesson

WORDLIST = "wordlist.txt"
"""Beside the lesson folders: one term a line; "!term" flags a term, others are allowed."""
MAX_WORDLIST_BYTES = 1024 * 1024
"""A word list is a few hundred terms; read with a cap, as lesson files are."""


def word_list_paths(lesson_folder: Path) -> list[Path]:
    """Where word lists may be: the lesson's folder and the folder of all lessons."""
    return [lesson_folder / WORDLIST, lesson_folder.parent / WORDLIST]


def word_lists(loaded: LoadedLesson) -> tuple[set[str], set[str]]:
    """Allowed and flagged terms from the project's word lists, if it has any.

    A line that is blank once its "!" and spaces are gone allows or flags nothing (an
    empty term would be found between every two characters).
    """
    allowed, denied = set(), set()
    for path in word_list_paths(loaded.folder):
        for line in _read(path).splitlines():
            term = line.strip()
            if term.startswith("!"):
                if term[1:].strip():
                    denied.add(term[1:].strip())
            elif term and not term.startswith("#"):
                allowed.add(term)
    return allowed, denied


def _read(path: Path) -> str:
    """A word list's text ("" where there is none), read as lesson files are read: a
    regular file in its own folder, UTF-8, a GBK file named as such."""
    from builder.source import decode, read_capped

    try:
        raw, size = read_capped(path, MAX_WORDLIST_BYTES, outside=path.parent.name or "its folder")
    except (FileNotFoundError, IsADirectoryError):
        return ""
    if size > MAX_WORDLIST_BYTES:
        limit = MAX_WORDLIST_BYTES // (1024 * 1024)
        raise SourceError([Problem(Location(path), f"is larger than {limit} MB")])
    return decode(raw, path)
