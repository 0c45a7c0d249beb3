"""How Lectern's processes spend their memory and end: renders without the cyclic
garbage collector, and an end without the interpreter's teardown.

Freeing every module and object of a process that loaded WeasyPrint, fontTools and
python-pptx takes ~0.2 s, for nothing: the process ends anyway. The command and its
worker processes both end this way once their exit handlers have run.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys


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


def end_process(code: int) -> None:
    """Flush output and end now, with status code."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader gone (lectern … | head)
            stream.flush()
    os._exit(code)
