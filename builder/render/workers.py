"""Where a lesson's artifacts are rendered: in this process, or shared with warm workers.

A single lesson's PDFs take most of its build (WeasyPrint lays out each document in
pure Python). With more than one core they are shared with worker processes, started
(forked where safe: ``process.worker_context``) as soon as a build starts, so they import
the renderers while this process loads and checks the lesson. The building process
renders the deck meanwhile, then takes whatever PDFs no worker has started yet: on two
cores that is one worker and the building process, not three processes contending for
two cores. ``lectern watch`` keeps its workers for its whole run, so a save is rendered
by processes whose renderers, fonts and templates are already loaded.

What a worker renders depends only on the lesson, theme and options it is given, so
the bytes are the same whichever process rendered an artifact.
"""

from __future__ import annotations

import sys
import threading
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

from builder.artifacts import Artifact
from builder.formats import FORMATS, render_lesson
from builder.process import worker_context, worker_started

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from builder.settings import BuildOptions
    from builder.sourcemap import LoadedLesson
    from builder.theme import Theme

LONGEST_FIRST = tuple(f.name for f in sorted(FORMATS, key=lambda f: -f.cost) if f.worker)
"""A worker that is free takes the first artifact of this order no one has started:
longest first, so the last to end is a short one. Formats no worker may render (the
deck) are always the building process's. Once it has drawn the deck, the building
process takes the longest left too, unless it has not loaded WeasyPrint yet (a cold
build: ~0.2 s before it can lay out a page), when it takes the shortest and leaves the
longer ones to the warm worker. Measured on a cold seed build (2 cores): the worker lays
out the handout while this process checks the lesson and draws the deck; this process
then takes the participants' sheet and the worker the guide, and the build ends ~15 ms
sooner than the other way round (0.91 s against 0.92 s, median of 10 pairs)."""


Render = Callable[[tuple[str, ...]], list[Artifact]]


def idle_cores() -> int:
    """How many cores no other process is running on now (Linux; elsewhere: all others).

    A worker for one lesson's PDFs pays for a process and a WeasyPrint import (~0.35 s of
    CPU) to gain a core; on a machine whose cores are all busy (a shared CI runner) it
    gains none, and the build takes longer than in one process: measured here under a
    load of 30 on 2 cores, 10.4 s against 9.0 s, and 2.07 s against 1.56 s of CPU. The
    kernel's count of runnable tasks says so at once, unlike the load averages.
    """
    import os

    cores = os.cpu_count() or 1
    try:
        with open("/proc/loadavg", encoding="ascii") as stream:
            running = int(stream.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return cores - 1
    return max(0, cores - (running - 1))  # this process is one of the running


class Pending:
    """Artifacts being rendered; ``result()`` waits for them, in the order asked for."""

    def __init__(
        self,
        names: tuple[str, ...],
        render_here: Render,
        shared: list[str] | None = None,
        submit: Callable[[tuple[str, ...]], Future] | None = None,
        on_lost_worker: Callable[[], None] = lambda: None,
    ):
        self._names = names
        self._on_lost_worker = on_lost_worker
        self._render_here = render_here
        self._shared = deque(shared or [])  # artifacts not yet taken, longest first
        self._here = tuple(n for n in names if n not in self._shared)
        self._submit = submit
        self._lock = threading.Lock()
        self._futures: list[tuple[str, Future]] = []
        self._cancelled = False

    def hand_out(self, count: int) -> None:
        """Give up to count artifacts to workers now; each finished one takes the next."""
        for _ in range(count):
            self._hand_out_next()

    def _hand_out_next(self, done: Future | None = None) -> None:
        with self._lock:
            if not self._shared or self._cancelled or (done and done.cancelled()):
                return
            try:
                future = self._submit((self._shared[0],))
            except RuntimeError:  # the pool is shutting down (^C) or lost a worker
                return
            self._futures.append((self._shared.popleft(), future))
        future.add_done_callback(self._hand_out_next)

    def _take_next(self) -> str | None:
        with self._lock:
            if not self._shared:
                return None
            warm = "weasyprint" in sys.modules
            return self._shared.popleft() if warm else self._shared.pop()

    def result(self) -> list[Artifact]:
        try:
            return self._gather()
        except BaseException:  # a render failed: stop handing out the rest
            self.cancel()
            raise

    def _gather(self) -> list[Artifact]:
        from concurrent.futures.process import BrokenProcessPool

        rendered = {a.name: a for a in self._render_here(self._here)}
        while (name := self._take_next()) is not None:
            rendered.update((a.name, a) for a in self._render_here((name,)))
        with self._lock:
            futures = list(self._futures)
        for name, future in futures:
            try:
                rendered.update((a.name, a) for a in future.result())
            except BrokenProcessPool:  # a worker died (killed, out of memory): render here
                self._on_lost_worker()
                rendered.update((a.name, a) for a in self._render_here((name,)))
        # What comes with an artifact asked for (the handout's booklet) follows the rest.
        extra = [artifact for name, artifact in rendered.items() if name not in self._names]
        return [rendered[name] for name in self._names if name in rendered] + extra

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            self._shared.clear()
            futures = [future for _, future in self._futures]
        # Outside the lock: cancelling a future no worker has started runs its callbacks
        # at once, here, and the callback (``_hand_out_next``) takes the lock itself.
        for future in futures:
            future.cancel()


class Renderers:
    """Renders in this process (jobs ≤ 1), or with jobs − 1 worker processes beside it."""

    def __init__(self, jobs: int = 1) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._workers = min(jobs - 1, len(LONGEST_FIRST))  # the building process renders too
        self._lost = False
        self._start_workers()

    def _start_workers(self) -> None:
        if self._workers >= 1:
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(
                max_workers=self._workers,
                mp_context=worker_context(),
                initializer=_serve_parent,
            )
            # One warm-up per worker starts them all now, not at the first artifact.
            for _ in range(self._workers):
                self._pool.submit(_warm)

    def start(
        self,
        loaded: LoadedLesson,
        theme: Theme,
        options: BuildOptions,
        names: tuple[str, ...],
    ) -> Pending:
        def render_here(subset: tuple[str, ...]) -> list[Artifact]:
            return render_lesson(loaded, theme, options, subset) if subset else []

        if self._lost:  # a worker died in an earlier build (watch goes on): start afresh
            self.close()
            self._lost = False
            self._start_workers()
        if self._pool is None:
            return Pending(names, render_here)
        pool = self._pool
        shared = [n for n in LONGEST_FIRST if n in names]
        printed = _printed(loaded, theme, options) if shared else None
        pending = Pending(
            names,
            render_here,
            shared=shared,
            submit=lambda subset: pool.submit(_render, loaded, theme, options, subset, printed),
            on_lost_worker=lambda: setattr(self, "_lost", True),
        )
        pending.hand_out(self._workers)
        return pending

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Renderers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve_parent() -> None:
    """Tie a worker's life to the building process's (``process.worker_started``: it
    ends with it, and without the interpreter's teardown).

    ^C in a terminal reaches every process of the group: the building process stops
    its workers itself, so they ignore it (no traceback from each).
    """
    import signal

    worker_started()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _printed(loaded: LoadedLesson, theme: Theme, options: BuildOptions):
    """The lesson's print documents as HTML, as this process set them for the artifacts'
    keys: a worker lays them out rather than set all three again."""
    from builder.artifacts import build_time
    from builder.render.print.documents import printed_lesson

    return printed_lesson(loaded, theme, build_time(loaded.lesson.date), options.print)


def _render(loaded, theme, options, names: tuple[str, ...], printed) -> list[Artifact]:
    """A worker's task: the named artifacts, the print documents' HTML taken as given."""
    from builder.render.print.documents import keep_printed

    if printed is not None:
        keep_printed(printed)
    return render_lesson(loaded, theme, options, names)


def _warm() -> None:
    """Load the print renderer and its fonts, so a worker's first PDF is not its slowest."""
    from builder.render.print.documents import render_print  # noqa: F401
    from builder.render.print.fonts import document_fonts

    document_fonts()
