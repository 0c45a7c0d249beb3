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


def write_lesson(folder: Path, artifacts: list[Artifact], source_hash: str) -> Path:
    """Write a lesson's artifacts and its manifest into folder; return the manifest path."""
    for artifact in artifacts:
        write_atomic(folder / artifact.name, artifact.data)
    manifest = {
        "lectern": __version__,
        "source_sha256": source_hash,
        "artifacts": [
            {"name": a.name, "size": len(a.data), "sha256": hashlib.sha256(a.data).hexdigest()}
            for a in sorted(artifacts, key=lambda a: a.name)
        ],
    }
    path = folder / "manifest.json"
    write_atomic(path, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())
    return path
