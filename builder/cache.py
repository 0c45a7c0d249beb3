"""Lectern's cache folder for what is slow to derive from installed fonts.

Entries are keyed by what they are derived from (a font file's path, size and time),
so a stale entry is never used; deleting the folder only costs speed.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_folder(kind: str) -> Path:
    """``$XDG_CACHE_HOME/lectern/<kind>`` (``~/.cache`` by default)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lectern" / kind


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
