"""How Lectern's processes run: renders on a frame stack that is not mapped call by call."""

from __future__ import annotations

import resource
import subprocess
import sys
import threading

import pytest

from builder.process import roomy_stack
from tests.conftest import ROOT


def _dive(depth: int) -> int:
    return 0 if depth == 0 else 1 + _dive(depth - 1)


def _calls_at_every_depth() -> None:
    """Calls returning to every depth up to 400 frames, 50 times each: as WeasyPrint's
    layout loops do, some cross the edge of a chunk of CPython's frame stack each time."""
    for depth in range(1, 400):
        for _ in range(50):
            _dive(depth)


def _page_faults(function) -> int:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    function()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


@pytest.mark.skipif(
    sys.implementation.name != "cpython" or sys.version_info >= (3, 13),
    reason="CPython 3.13 and later keep a spare chunk themselves",
)
def test_deep_calls_on_a_roomy_stack_map_no_memory_call_by_call():
    _calls_at_every_depth()  # warm: whatever is allocated once is allocated now
    plain = _page_faults(_calls_at_every_depth)
    roomy = _page_faults(roomy_stack(_calls_at_every_depth))
    # Each crossing maps a fresh chunk and faults its first page in (~60,000 here).
    assert plain > 5_000
    assert roomy < plain / 50


def test_a_roomy_call_returns_and_raises_what_the_function_does():
    @roomy_stack
    def outer(n: int) -> int:
        return inner(n) + 1

    @roomy_stack
    def inner(n: int) -> int:  # already on the roomy stack: called directly
        if n < 0:
            raise ValueError(n)
        return _dive(n)

    assert outer(300) == 301
    with pytest.raises(ValueError):
        outer(-1)
    assert outer(5) == 6  # the failed call left nothing behind
    assert outer.__name__ == "outer"


ASK = "from builder.process import worker_context\nprint(worker_context().get_start_method())"
THREAD = (
    "import threading, time\nthreading.Thread(target=time.sleep, args=(5,), daemon=True).start()"
)


def _start_method(before: str) -> str:
    """How a worker would start in a fresh process that first ran before."""
    result = subprocess.run(
        [sys.executable, "-c", f"{before}\n{ASK}"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return result.stdout.strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked only on Linux")
def test_workers_are_forked_only_while_nothing_unsafe_to_copy_is_loaded():
    assert _start_method("") == "fork"  # how a build starts
    # A thread's locks, or WeasyPrint's font caches, would be copied mid-use: spawned.
    assert _start_method(THREAD) == "spawn"
    assert _start_method("import weasyprint") == "spawn"
    assert _start_method("import ctypes\nctypes.CDLL('libfontconfig.so.1')") == "spawn"


def test_a_render_that_fails_before_any_worker_starts_cancels_without_waiting():
    """The building process fails (a broken template) while the worker's artifact has not
    left the pool's queue: cancelling it runs its callback at once, in this thread, and
    the callback must not wait for the lock the cancel holds (it did: a build hung)."""
    from concurrent.futures import Future

    from builder.render.workers import Pending

    queued: list[Future] = []

    def submit(names: tuple[str, ...]) -> Future:
        queued.append(Future())  # never started, as in a pool still warming up
        return queued[-1]

    def render_here(names: tuple[str, ...]):
        raise ValueError(names)

    pending = Pending(("a", "b", "c"), render_here, shared=["a", "b"], submit=submit)
    pending.hand_out(1)
    ended = threading.Event()
    outcome: list[BaseException] = []

    def gather() -> None:
        try:
            pending.result()
        except BaseException as error:
            outcome.append(error)
        ended.set()

    threading.Thread(target=gather, daemon=True).start()
    assert ended.wait(10), "result() waited forever on its own lock"
    assert isinstance(outcome[0], ValueError)
    assert all(future.cancelled() for future in queued)
