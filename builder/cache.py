"""Lectern's cache folder for what is slow to derive from installed fonts.

Entries are keyed by what they are derived from (a font file's path, size and time),
so a stale entry is never used; deleting the folder only costs speed.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def cache_folder(kind: str) -> Path:
    """``$XDG_CACHE_HOME/lectern/<kind>`` (``~/.cache`` by default)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lectern" / kind


def font_key(file: str | Path, index: int, version: str) -> str:
    """A key for what is derived from one face of an installed font file: its path, face
    index, size and time, and the version of the derivation."""
    stat = os.stat(file)
    source = f"{file}|{index}|{stat.st_size}|{stat.st_mtime_ns}|{version}"
    return hashlib.sha256(source.encode()).hexdigest()


def write_atomically(path: Path, data: bytes) -> bool:
    """Write a cache entry whole or not at all; False where the cache is not writable."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
    except OSError:
        return False
    return True
