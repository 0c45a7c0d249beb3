"""How Lectern's processes end: without the interpreter's teardown.

Freeing every module and object of a process that loaded WeasyPrint, fontTools and
python-pptx takes ~0.2 s, for nothing: the process ends anyway. The command and its
worker processes both end this way once their exit handlers have run.
"""

from __future__ import annotations

import contextlib
import os
import sys


def end_process(code: int) -> None:
    """Flush output and end now, with status code."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader gone (lectern … | head)
            stream.flush()
    os._exit(code)
