"""Themes are a search path: the user's ``templates/`` folder first, the built-in theme after.

A user overrides one template or one stylesheet by putting a file of the same name in
their folder; everything they do not override comes from the built-in theme, which
ships inside the package as ``builder.builtin`` (the repository's ``templates/``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from importlib.resources import files
from pathlib import Path

from builder.errors import Location, Problem, TemplateError

BUILTIN = Path(str(files("builder.builtin")))


@dataclass(frozen=True)
class Theme:
    """Where templates and stylesheets are looked up, most specific folder first."""

    folders: tuple[Path, ...] = (BUILTIN,)

    @classmethod
    def with_user_folder(cls, folder: Path | None) -> Theme:
        if folder is None or folder.resolve() == BUILTIN.resolve():
            return cls()
        if not folder.is_dir():
            raise TemplateError([Problem(Location(folder), "template folder not found")])
        return cls((folder, BUILTIN))

    def find(self, name: str) -> Path:
        """The first file called name along the search path."""
        for folder in self.folders:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        raise TemplateError([Problem(Location(Path(name)), "not found in the theme")])

    @cached_property
    def fingerprint(self) -> str:
        """A hash of every theme file in use, so a theme edit invalidates what it renders."""
        digest = hashlib.sha256()
        for folder in self.folders:
            for path in sorted(folder.rglob("*")):
                if path.is_file() and path.suffix != ".pyc" and path.name != "__init__.py":
                    digest.update(str(path.relative_to(folder)).encode())
                    digest.update(path.read_bytes())
        return digest.hexdigest()
