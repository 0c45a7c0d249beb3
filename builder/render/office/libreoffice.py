"""LibreOffice, which renders a deck as PowerPoint would show it: find it, and convert.

A build converts with a fresh ``soffice --convert-to`` (about 4 s, most of it starting
LibreOffice). ``lectern serve`` keeps one LibreOffice running instead (``WarmOffice``),
driven over UNO by ``uno_bridge``, and starts a new one if it dies. Each conversion
happens in a private temporary folder that is removed afterwards; LibreOffice's
profile lives there too, so the user's own LibreOffice settings are never touched.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from builder.errors import Location, MissingToolError, Problem, RenderError
from builder.formats import SLIDES_PDF

INSTALL = (
    "LibreOffice is not installed (Debian: apt-get install libreoffice-impress-nogui "
    "python3-uno; elsewhere: libreoffice.org), so {what} cannot be rendered"
)
"""What to say when LibreOffice is missing; {what} names what needs it."""
CONVERT_SECONDS = 180
"""A deck that takes LibreOffice longer than this to convert is reported, not waited for."""
_UNO_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python")


def soffice() -> str | None:
    """The LibreOffice program on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_office(what: str, where: Path) -> str:
    """The LibreOffice program; a MissingToolError at where naming what needs it."""
    program = soffice()
    if program is None:
        raise MissingToolError([Problem(Location(where), INSTALL.format(what=what))])
    return program


@functools.cache
def uno_python() -> str | None:
    """A Python that can import LibreOffice's ``uno`` module (Lectern's rarely can)."""
    for candidate in (sys.executable, *_UNO_PYTHONS):
        if not Path(candidate).is_file():
            continue
        found = subprocess.run(
            [candidate, "-c", "import uno"], capture_output=True, timeout=60, check=False
        )
        if found.returncode == 0:
            return candidate
    return None


def _failed(where: Path, why: str) -> RenderError:
    return RenderError([Problem(Location(where), f"LibreOffice could not convert the deck: {why}")])


class ColdOffice:
    """A new LibreOffice for each conversion."""

    def to_pdf(self, deck: bytes, where: Path) -> bytes:
        """deck (.pptx bytes) as LibreOffice's PDF; where locates errors."""
        program = require_office(SLIDES_PDF.name, where)
        with tempfile.TemporaryDirectory(prefix="lectern-office-") as folder:
            source = Path(folder) / "deck.pptx"  # LibreOffice writes deck.pdf beside it
            source.write_bytes(deck)
            try:
                done = subprocess.run(
                    [
                        program,
                        f"-env:UserInstallation={Path(folder, 'profile').as_uri()}",
                        "--headless",
                        "--norestore",
                        "--convert-to",
                        "pdf",
                        "--outdir",
                        folder,
                        str(source),
                    ],
                    capture_output=True,
                    timeout=CONVERT_SECONDS,
                    check=False,
                    start_new_session=True,
                )
            except subprocess.TimeoutExpired:
                raise _failed(where, f"no answer in {CONVERT_SECONDS} s") from None
            target = source.with_suffix(".pdf")
            if not target.is_file():
                why = done.stderr.decode(errors="replace").strip() or f"exit {done.returncode}"
                raise _failed(where, why)
            return target.read_bytes()

    def close(self) -> None:
        pass


class WarmOffice:
    """One LibreOffice kept running between conversions, restarted when it dies.

    Falls back to a cold conversion when no Python here can drive LibreOffice (python3-uno
    missing). Conversions take turns: LibreOffice converts one document at a time anyway.
    """

    def __init__(self, converted: Callable[[Path, bytes], None] | None = None) -> None:
        self._converted = converted
        self._lock = threading.Lock()
        self._made: Path | None = None
        self._bridge: subprocess.Popen | None = None
        self._count = 0

    @property
    def warm(self) -> bool:
        """Whether conversions go to a running LibreOffice (python3-uno is installed)."""
        return uno_python() is not None

    @property
    def _folder(self) -> Path:
        """The private temporary folder, made at the first conversion (a watch that
        converts nothing makes none)."""
        if self._made is None:
            self._made = Path(tempfile.mkdtemp(prefix="lectern-office-"))
        return self._made

    @property
    def process_group(self) -> int | None:
        """The process group of the running LibreOffice and its bridge, if one runs."""
        bridge = self._bridge
        return bridge.pid if bridge is not None and bridge.poll() is None else None

    def start(self) -> None:
        """Start LibreOffice now, so the first save does not wait for it."""
        if soffice() and self.warm:
            with self._lock:
                self._ensure()

    def _ensure(self) -> subprocess.Popen:
        if self._bridge is not None and self._bridge.poll() is None:
            return self._bridge
        self._stop()
        self._count += 1
        bridge = subprocess.Popen(
            [
                uno_python() or sys.executable,
                str(Path(__file__).with_name("uno_bridge.py")),
                soffice() or "soffice",
                str(self._folder / "profile"),
                f"lectern-{os.getpid()}-{self._count}",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,  # its soffice is ended with it, and ^C reaches neither
        )
        if not self._read(bridge).get("ready"):
            self._bridge = bridge
            self._stop()
            raise OSError("LibreOffice did not start")
        self._bridge = bridge
        return bridge

    @staticmethod
    def _read(bridge: subprocess.Popen) -> dict:
        line = bridge.stdout.readline() if bridge.stdout else ""
        return json.loads(line) if line.strip() else {}

    def to_pdf(self, deck: bytes, where: Path) -> bytes:
        """deck (.pptx bytes) as LibreOffice's PDF; where locates errors."""
        require_office("slides", where)
        pdf = self._warm_pdf(deck, where) if self.warm else ColdOffice().to_pdf(deck, where)
        if self._converted:
            self._converted(where, pdf)
        return pdf

    def _warm_pdf(self, deck: bytes, where: Path) -> bytes:
        with self._lock:
            for attempt in (1, 2):  # a LibreOffice that died is started again, once
                try:
                    return self._convert(deck, where)
                except (OSError, ValueError):
                    self._stop()
                    if attempt == 2:
                        raise _failed(where, "LibreOffice stopped while converting") from None
        raise AssertionError("unreachable")

    def _convert(self, deck: bytes, where: Path) -> bytes:
        bridge = self._ensure()
        source, target = self._folder / "deck.pptx", self._folder / "deck.pdf"
        source.write_bytes(deck)
        target.unlink(missing_ok=True)
        assert bridge.stdin is not None
        bridge.stdin.write(json.dumps({"in": str(source), "out": str(target)}) + "\n")
        bridge.stdin.flush()
        answer = self._read(bridge)
        if "error" in answer:
            raise _failed(where, answer["error"])
        if not answer.get("ok") or not target.is_file():
            raise OSError("no answer from LibreOffice")
        return target.read_bytes()

    def _stop(self) -> None:
        bridge, self._bridge = self._bridge, None
        if bridge is None:
            return
        with contextlib.suppress(OSError, ValueError):
            bridge.stdin.close()  # the bridge ends its LibreOffice when its input ends
        with contextlib.suppress(subprocess.TimeoutExpired):
            bridge.wait(10)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(bridge.pid, signal.SIGKILL)  # and whatever of LibreOffice is left
        bridge.wait()

    def close(self) -> None:
        with self._lock:
            self._stop()
        if self._made is not None:
            shutil.rmtree(self._made, ignore_errors=True)


_office: ColdOffice | WarmOffice = ColdOffice()


def office() -> ColdOffice | WarmOffice:
    """The LibreOffice this process converts with: cold, unless ``kept_warm``."""
    return _office


@contextlib.contextmanager
def kept_warm(converted: Callable[[Path, bytes], None] | None = None) -> Iterator[WarmOffice]:
    """One LibreOffice kept running for every conversion of this process, until the end;
    converted hears of each PDF as LibreOffice made it, with the lesson file it is of
    (``lectern serve`` shows the slides before the build's print documents are done)."""
    global _office
    warm = WarmOffice(converted)
    previous, _office = _office, warm
    try:
        yield warm
    finally:
        _office = previous
        warm.close()
