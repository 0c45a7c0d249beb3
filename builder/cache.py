"""Lectern's cache folder for what is slow to derive from installed fonts and themes.

Entries are keyed by what they are derived from (a font file's path, size and time),
so a stale entry is never used; deleting the folder only costs speed. The cache is never
needed: an entry that cannot be read, or does not match the checksum written with it, is
a miss, and one that cannot be written is skipped. A cache folder that cannot be used at
all (a full disk, a read-only or missing home, a file where the folder should be) is
found once, before a build starts, and said in one warning; the build then runs without
it (``LECTERN_NO_CACHE``, which worker processes inherit).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from builder.artifacts import write_atomic

DISABLED = "LECTERN_NO_CACHE"
"""Set (to anything) to build without the cache; set by ``probe`` when it is unusable."""
_DIGEST = 32


def cache_folder(kind: str) -> Path:
    """``$XDG_CACHE_HOME/lectern/<kind>`` (``~/.cache`` by default)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lectern" / kind


def enabled() -> bool:
    return not os.environ.get(DISABLED)


def probe() -> str | None:
    """Why the cache cannot be used, or None: writes, reads back and removes a small
    entry. Where it cannot, the rest of this process and its workers build without it."""
    if not enabled():
        return None
    folder = cache_folder("probe")
    entry = folder / f"{os.getpid()}.probe"
    data = os.urandom(4096)  # a page: a disk with less room than this is full for us
    try:
        folder.mkdir(parents=True, exist_ok=True)
        entry.write_bytes(data)
        if entry.read_bytes() != data:
            raise OSError(0, "what was written reads back differently")
        entry.unlink()
    except OSError as error:
        os.environ[DISABLED] = "1"
        return f"{cache_folder('')} cannot be used ({error.strerror or error})"
    return None


def font_key(file: str | Path, index: int, version: str) -> str:
    """A key for what is derived from one face of an installed font file: its path, face
    index, size and time, and the version of the derivation."""
    stat = os.stat(file)
    source = f"{file}|{index}|{stat.st_size}|{stat.st_mtime_ns}|{version}"
    return hashlib.sha256(source.encode()).hexdigest()


def read_entry(path: Path) -> bytes | None:
    """A cache entry's bytes, or None where it is missing, unreadable or damaged."""
    if not enabled():
        return None
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    data, digest = blob[:-_DIGEST], blob[-_DIGEST:]
    if len(blob) < _DIGEST or hashlib.sha256(data).digest() != digest:
        return None
    return data


def write_entry(path: Path, data: bytes) -> bool:
    """Write a cache entry whole or not at all (``artifacts.write_atomic``), with its
    checksum; False where the cache is disabled or cannot be written."""
    if not enabled():
        return False
    try:
        write_atomic(path, data + hashlib.sha256(data).digest())
    except OSError:
        return False
    return True
