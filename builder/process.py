"""How Lectern's processes start, spend their memory and end: workers forked where that
is safe, renders without the cyclic garbage collector, on a frame stack that is not
allocated and freed call by call, and an end without the interpreter's teardown.

Freeing every module and object of a process that loaded WeasyPrint, fontTools and
python-pptx takes ~0.2 s, for nothing: the process ends anyway. The command and its
worker processes both end this way once their exit handlers have run.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result")


@contextlib.contextmanager
def cycles_collected_after():
    """Run a render without Python's cyclic garbage collector; it collects afterwards.

    A render allocates hundreds of thousands of objects (WeasyPrint's boxes and styles),
    and every 700 allocations the collector scans the young ones, every so often all
    the process holds: measured, ~10 % of a warm process's CPU for three PDFs. Reference
    counting still frees at once what is not in a cycle; the cycles a render leaves
    are young, and the first collection after it frees them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _call(function, args, kwargs):
    return function(*args, **kwargs)


ROOM = 64_537
"""Slots of evaluation stack the roomy frame claims: CPython gives a frame that needs more
than its current chunk a new chunk of 16 KiB doubled until it holds the frame and 1,000
slots more, so (64,537 + 1,000) × 8 bytes takes a 1 MiB chunk with ~520 KB to spare:
room for thousands of frames below. Claimed, not touched: the pages are never written."""

try:
    _roomy_call = functools.update_wrapper(
        type(_call)(_call.__code__.replace(co_stacksize=ROOM), _call.__globals__), _call
    )
except (AttributeError, TypeError, ValueError):  # not CPython: frames live elsewhere
    _roomy_call = _call

_roomy = threading.local()


def roomy_stack(function: Callable[..., Result]) -> Callable[..., Result]:
    """function, run on a frame stack with room for every call it makes.

    CPython 3.11 and 3.12 keep the frames of Python calls in 16 KiB chunks, and a call
    that does not fit in the current chunk maps a new one, unmapped again when the call
    returns (cpython#142183, fixed in 3.13 and 3.14 by keeping one spare chunk).
    WeasyPrint lays out a line ~80 calls deep, in loops that cross a chunk's edge at the
    same depth again and again: measured, 13,000 mmap and munmap calls a lesson and
    ~10 % of a warm lesson's CPU. Called through a frame that claims a large evaluation
    stack (``ROOM``), everything below runs in one chunk allocated once.
    """

    @functools.wraps(function)
    def on_roomy_stack(*args, **kwargs) -> Result:
        if getattr(_roomy, "inside", False):  # already: another chunk would add nothing
            return function(*args, **kwargs)
        _roomy.inside = True
        try:
            return _roomy_call(function, args, kwargs)
        finally:
            _roomy.inside = False

    return on_roomy_stack


UNSAFE_TO_FORK = ("libpango", "libfontconfig", "libcairo", "libgobject")
"""Libraries whose state a forked child must not inherit: Pango's and fontconfig's font
caches and GObject's type system are not made to be copied mid-use (WeasyPrint uses
them). HarfBuzz and GLib, loaded to read their versions, hold nothing yet."""


def worker_context():
    """How worker processes start: forked where that is safe, else spawned.

    A spawned worker starts a new interpreter and imports everything again; a forked one
    starts from this process as it is: a cold build's worker is ready to render ~70 ms
    sooner, and the build ends ~40 ms sooner (0.91 s against 0.96 s, median of 12 pairs,
    2 cores). Forking is safe on Linux before any thread is started and before the
    libraries of ``UNSAFE_TO_FORK`` are loaded, which is how a build starts; ``lectern
    watch`` replacing a lost worker, or any other process, spawns.
    """
    import multiprocessing

    return multiprocessing.get_context("fork" if _fork_is_safe() else "spawn")


def _fork_is_safe() -> bool:
    if sys.platform != "linux" or "weasyprint" in sys.modules:
        return False
    try:
        # Threads a library started count too, not only Python's.
        alone = len(os.listdir("/proc/self/task")) == 1
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            mapped = maps.read()
    except OSError:
        return False
    return alone and not any(library in mapped for library in UNSAFE_TO_FORK)


def worker_started() -> None:
    """In a worker process, as it starts: it ends with the process that started it, and
    a forked worker is made like a spawned one.

    A worker must not outlive a building process that was killed: it would wait for work
    forever, holding the terminal's or a CI runner's output pipe open (a CI step, or a
    ``subprocess.run`` reading its output, would never end). It answers SIGTERM as a
    process does by default, not with the handler its parent set (``lectern watch``
    ends on SIGTERM as on ^C, and stops its workers itself). The exit
    handlers it registers (a renderer's temporary font folder) run when it stops, and
    then it ends (``end_process``): not those it inherited from its parent when forked
    (which would, say, remove the parent's temporary folders), nor the interpreter's
    teardown. A spawned worker would run its handlers as its interpreter exits, but a
    forked one ends with ``os._exit`` after multiprocessing's own finalizers, so they run
    as the last of those. Its status is 0 either way: a pool worker's errors go back with
    its tasks' results, and a worker that dies is noticed by its pool.
    """
    import atexit
    import multiprocessing
    import signal
    from multiprocessing.connection import wait
    from multiprocessing.util import Finalize

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    atexit.register(end_process, 0)  # first of its own: runs after them, before the rest
    Finalize(None, atexit._run_exitfuncs, exitpriority=-100)
    parent = multiprocessing.parent_process()
    if parent is not None:
        watch = lambda: (wait([parent.sentinel]), os._exit(1))  # noqa: E731
        threading.Thread(target=watch, daemon=True).start()


def end_process(code: int) -> None:
    """Flush output and end now, with status code."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader gone (lectern … | head)
            stream.flush()
    os._exit(code)
