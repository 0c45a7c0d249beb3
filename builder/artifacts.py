"""The only writer of outputs: atomic files, a manifest with hashes, reproducible times.

A lesson's artifacts are all rendered to bytes before the first one is written, and each
is written to a temporary file in the same folder, flushed to disk and renamed over the
old one. A failed or killed build therefore leaves every earlier artifact whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from builder import __version__
from builder.errors import Location, OutputError, Problem


@dataclass(frozen=True)
class Artifact:
    """One rendered output file of a lesson."""

    name: str
    data: bytes


def build_time(lesson_date: dt.date) -> dt.datetime:
    """The timestamp stamped into artifacts: ``SOURCE_DATE_EPOCH`` if set, else the lesson's date.

    Never the wall clock, so the same source gives the same bytes on every machine.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.combine(lesson_date, dt.time(), tzinfo=dt.UTC)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace path with data so that readers see the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


MANIFEST = "manifest.json"
_WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
_UNSAFE = set('<>:"/\\|?*') | {chr(c) for c in range(32)}


def safe_output_name(name: str) -> str:
    """name, if it is a folder name every operating system accepts; else a clear error.

    Output folders are named after lesson folders, and release zips are unpacked on
    Windows too: reserved device names, trailing dots or spaces and characters Windows
    forbids are refused rather than silently renamed.
    """
    stem = name.split(".")[0].upper()
    if (
        not name
        or name in (".", "..")
        or any(c in _UNSAFE for c in name)
        or name[-1] in ". "
        or stem in _WINDOWS_RESERVED
    ):
        raise OutputError(
            [
                Problem(
                    Location(Path(name)),
                    "lesson folder name is not a safe "
                    "output name on every system; rename the folder",
                )
            ]
        )
    return name


def read_manifest(folder: Path) -> dict:
    """The manifest of an earlier build in folder, or an empty one."""
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def reusable(folder: Path, manifest: dict, name: str, key: str) -> dict | None:
    """The manifest entry of artifact name if it was built from key and is intact on disk."""
    entry = next((a for a in manifest.get("artifacts", []) if a.get("name") == name), None)
    if entry is None or entry.get("key") != key:
        return None
    try:
        data = (folder / name).read_bytes()
    except OSError:
        return None
    return entry if hashlib.sha256(data).hexdigest() == entry.get("sha256") else None


def write_lesson(
    folder: Path,
    fresh: list[Artifact],
    *,
    keys: dict[str, str],
    kept: list[dict],
    source_hash: str,
    findings: list[dict],
    inputs: dict,
) -> Path:
    """Write a lesson's new artifacts, then its manifest (listing kept ones too)."""
    for artifact in fresh:
        write_atomic(folder / artifact.name, artifact.data)
    entries = kept + [
        {
            "name": a.name,
            "size": len(a.data),
            "sha256": hashlib.sha256(a.data).hexdigest(),
            "key": keys[a.name],
        }
        for a in fresh
    ]
    manifest = {
        "lectern": __version__,
        "source_sha256": source_hash,
        "artifacts": sorted(entries, key=lambda entry: entry["name"]),
        "findings_key": keys["findings"],
        "findings": findings,
        "inputs": inputs,
    }
    path = folder / MANIFEST
    write_atomic(path, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())
    return path
