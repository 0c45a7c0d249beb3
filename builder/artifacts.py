"""The only writer of outputs: atomic files, a manifest with hashes, reproducible times.

A lesson's artifacts are all rendered to bytes before the first one is written; then
each is written to a temporary file in the same folder and flushed to disk, and only
when all are there are they renamed over the old ones, under a lock that makes two
builds of one lesson take turns. Renaming several files is not one step, so before the
first rename a commit record (``.lectern-commit``, the renames still to make) is put in
place: a build killed between renames leaves it, and the next Lectern process to read or
write the folder finishes the renames first. So a folder holds all of a build or none of
it, and the next build removes the temporaries a killed one left.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import io
import json
import os
import signal
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: builds of one lesson are not serialised there
    fcntl = None

from builder import __version__
from builder.errors import Location, OutputError, Problem


@dataclass(frozen=True)
class Artifact:
    """One rendered output file of a lesson."""

    name: str
    data: bytes


EARLIEST_STAMP = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
LATEST_STAMP = dt.datetime(2107, 12, 31, 23, 59, 58, tzinfo=dt.UTC)
"""The times a zip entry can hold (MS-DOS dates): a lesson dated outside them (a typo
such as 0999 or 2108) is stamped with the nearest, as is SOURCE_DATE_EPOCH."""


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH``, as every command reads it: None when unset or empty.

    One reading for all: it is in every artifact's key, so a build and a release given
    the same value agree on what is up to date. A value that is not a whole number of
    seconds is an error (as reproducible-builds.org asks), not silently the lesson date.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return None
    if not (epoch.isascii() and epoch.isdigit()):  # "²" is a digit to str.isdigit()
        raise OutputError(
            [
                Problem(
                    Location(Path("SOURCE_DATE_EPOCH")),
                    f"{epoch!r} is not a whole number of seconds since 1970-01-01 UTC "
                    "(unset it to date artifacts by their lesson)",
                )
            ]
        )
    return int(epoch)


def build_time(lesson_date: dt.date) -> dt.datetime:
    """The timestamp stamped into artifacts: ``SOURCE_DATE_EPOCH`` if set, else the lesson's date.

    Never the wall clock, so the same source gives the same bytes on every machine.
    """
    epoch = source_date_epoch()
    if epoch is not None:
        seconds = min(epoch, int(LATEST_STAMP.timestamp()))
        return _stampable(dt.datetime.fromtimestamp(seconds, tz=dt.UTC))
    return _stampable(dt.datetime.combine(lesson_date, dt.time(), tzinfo=dt.UTC))


def _stampable(moment: dt.datetime) -> dt.datetime:
    return min(max(moment, EARLIEST_STAMP), LATEST_STAMP)


def deterministic_zip(
    entries: list[tuple[str, bytes]], created: dt.datetime, comment: str = ""
) -> bytes:
    """A zip of entries, in the order given, each stamped with created and mode 644.

    Nothing of the machine (clock, time zone, umask, file order) reaches the bytes.
    """
    stamp = _stampable(created).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        target.comment = comment.encode("utf-8")
        for name, data in entries:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, data)
    return out.getvalue()


def write_atomic(path: Path, data: bytes) -> None:
    """Replace path with data so that readers see the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _stage(path, data)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _stage(path: Path, data: bytes) -> Path:
    """data in a hidden temporary file beside path (``.NAME.XXXX.tmp``), flushed to disk."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


MANIFEST = "manifest.json"
_WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
_WINDOWS_RESERVED |= {f"{device}{digit}" for device in ("COM", "LPT") for digit in "¹²³"}
UNSAFE_CHARACTERS = set('<>:"/\\|?*') | {chr(c) for c in range(32)} | {"\x7f"}
"""What Windows forbids in a file name, and control characters."""
LOCK = ".lock"
"""Held (``flock``) while a lesson's files are replaced, so concurrent builds take turns."""


def lesson_name(lesson_folder: Path) -> str:
    """A lesson's name, which names its output folder: its folder's, resolved (so
    ``some.yaml`` in the working directory is that directory's lesson, not one called "")."""
    return lesson_folder.resolve().name


def safe_output_name(name: str) -> str:
    """name, if it is a folder name every operating system accepts; else a clear error.

    Output folders are named after lesson folders, and release zips are unpacked on
    Windows too: reserved device names, trailing dots or spaces and characters Windows
    forbids are refused rather than silently renamed.
    """
    why = unsafe_because(name)
    if why:
        raise OutputError(
            [
                Problem(
                    Location(Path(name or ".")),
                    f"lesson folder name {name!r} {why}, so it cannot name an output folder "
                    "on every system; rename the lesson folder",
                )
            ]
        )
    return name


MAX_NAME_BYTES = 255
"""A name's length in UTF-8 bytes: what Linux and macOS file systems take for one name
(Windows takes 255 UTF-16 units, never fewer than this)."""


def unsafe_because(name: str) -> str | None:
    """Why name cannot name a file or folder on every system, or None when it can.

    The one rule for names Lectern makes: output folders, release zips, ``lectern new``.
    """
    if name in ("", ".", ".."):
        return "is not a folder name"
    size = len(name.encode("utf-8", "surrogateescape"))
    if size > MAX_NAME_BYTES:
        return f"is too long ({size} bytes in UTF-8; at most {MAX_NAME_BYTES})"
    bad = next((c for c in name if c in UNSAFE_CHARACTERS), None)
    if bad is not None:
        what = "a control character" if ord(bad) < 32 or bad == "\x7f" else repr(bad)
        return f"contains {what}, which Windows does not allow in names"
    if name[-1] in ". ":
        return "ends with a dot or a space, which Windows drops"
    stem = name.split(".")[0].rstrip(" ").upper()
    if stem in _WINDOWS_RESERVED:
        return f"is a reserved device name on Windows ({stem})"
    return None


def read_manifest(folder: Path) -> dict:
    """The manifest of an earlier build in folder, or an empty one (a build killed while
    renaming its files into place is finished first)."""
    if (folder / COMMIT).is_file():
        with _lesson_lock(folder):
            finish_commit(folder)
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
    settings: dict,
    dependencies: dict,
    inputs: dict,
) -> Path:
    """Write a lesson's new artifacts, then its manifest (listing kept ones too).

    The name is checked first, then one lesson's writes are serialised by a lock on
    ``folder/.lock`` (two builds at once: the last one wins, with whole files), stale
    temporaries of a killed build are removed, and the files are written in two phases:
    each to a flushed temporary, and only when all are on disk are they renamed into
    place, the manifest last. A failure or a kill while writing leaves each file whole.
    """
    safe_output_name(folder.name)
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
        "settings": settings,
        "dependencies": dependencies,
        "inputs": inputs,
    }
    path = folder / MANIFEST
    files = [(folder / a.name, a.data) for a in fresh]
    files.append((path, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()))
    try:
        with _made(folder), _lesson_lock(folder):
            finish_commit(folder)
            _remove_stale_temporaries(folder)
            replace_all(files)
    except OSError as error:
        raise OutputError([Problem(Location(folder), cannot_write(error))]) from None
    return path


def cannot_write(error: OSError) -> str:
    """An OSError from writing outputs, said as a message (which file, and why)."""
    reason = error.strerror or str(error)
    what = f" {Path(error.filename).name}" if error.filename else ""
    return f"cannot write{what}: {reason}"


COMMIT = ".lectern-commit"
"""The renames a writer has still to make, as JSON ``[[temporary, target], …]`` (names in
the folder); in place only between a write's first rename and its last."""


def _fault_point(point: str) -> None:
    """For tests: ``LECTERN_FAULT_AT=<point>`` kills this process there with SIGKILL, as a
    crash, an OOM kill or a power cut would (``tests/test_all_or_none.py``)."""
    if os.environ.get("LECTERN_FAULT_AT") == point:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def replace_all(files: list[tuple[Path, bytes]]) -> None:
    """Replace every path (all in one folder) with its data, all or none: stage each file,
    record the renames to make, then rename them all into place; on failure remove what
    is staged. A kill between renames is finished by ``finish_commit``.

    A target that cannot be replaced by a file (a folder in its place) is found before
    anything is staged, so a failure never leaves some files new and others old.
    """
    folders = {path.parent for path, _ in files}
    if len(folders) > 1:
        raise ValueError(f"one folder at a time, not {sorted(map(str, folders))}")
    for path, _ in files:
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "a folder is in its place", str(path))
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            staged.append((_stage(path, data), path))
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    if not staged:
        return
    folder = staged[0][1].parent
    _fault_point("before-first-rename")
    renames = [[temporary.name, path.name] for temporary, path in staged]
    os.replace(_stage(folder / COMMIT, json.dumps(renames).encode()), folder / COMMIT)
    _sync(folder)  # the record is on disk before any file it names is replaced
    for i, (temporary, path) in enumerate(staged):
        os.replace(temporary, path)
        if i == 0 and len(staged) > 1:
            _fault_point("between-renames")
    _fault_point("after-last-rename")
    (folder / COMMIT).unlink()
    _sync(folder)


def finish_commit(folder: Path) -> None:
    """Make the renames a killed writer left recorded in folder, then drop the record.

    Only called holding the folder's lock; a record that cannot be read is dropped (it
    is written whole or not at all, so only a hand-made one can be unreadable).
    """
    record = folder / COMMIT
    try:
        renames = json.loads(record.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return
    except (OSError, ValueError):
        renames = []
    for temporary, target in renames if isinstance(renames, list) else []:
        names = {str(temporary), str(target)}
        if any(Path(name).name != name or name in ("", ".", "..") for name in names):
            continue  # only names inside this folder
        if (folder / temporary).is_file() and not (folder / temporary).is_symlink():
            os.replace(folder / temporary, folder / target)
    record.unlink(missing_ok=True)
    _sync(folder)


def _sync(folder: Path) -> None:
    """Make the renames in folder durable, where folders can be synced."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


@contextlib.contextmanager
def _made(folder: Path):
    """folder, made with its parents if missing, and removed again (if still empty) when
    what is written into it fails: a failed first build leaves no empty folders behind."""
    missing = []
    for parent in (folder, *folder.parents):
        if parent.exists() or parent.is_symlink():
            break
        missing.append(parent)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        yield folder
    except BaseException:
        for made in missing:  # deepest first
            with contextlib.suppress(OSError):
                made.rmdir()
        raise


def write_all(folder: Path, files: list[tuple[Path, bytes]]) -> None:
    """Write files (all inside folder) all or none; an OSError becomes a located error."""
    try:
        with _made(folder):
            finish_commit(folder)
            replace_all(files)
    except OSError as error:
        raise OutputError([Problem(Location(folder), cannot_write(error))]) from None


def _remove_stale_temporaries(folder: Path) -> None:
    """Temporaries a killed build left behind (only ever called holding the lesson's lock)."""
    for path in folder.glob(".*.tmp"):
        if path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)


@contextlib.contextmanager
def _lesson_lock(folder: Path):
    """An exclusive ``flock`` on ``folder/.lock``, removed again when released.

    The lock file is deleted by its holder, so a waiter may wake up holding the lock of a
    file that is gone: it checks that the path still names the file it locked, else
    tries again with the new one.
    """
    if fcntl is None:
        yield
        return
    path = folder / LOCK
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            current = os.path.samestat(os.fstat(descriptor), os.stat(path))
        except FileNotFoundError:
            current = False
        except BaseException:
            os.close(descriptor)
            raise
        if current:
            break
        os.close(descriptor)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(descriptor)
