"""Benchmark: how long Lectern takes to build lessons on this machine. Prints figures.

    .venv/bin/python bench/build.py [LESSON]

Reports the cold build of a lesson in a fresh process (import included), the time of
each artifact in a warm process, and peak memory. Tests never assert times; this does
not assert anything either: it measures.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "content" / "chongqing-governance"


def cold_build(lesson: Path) -> float:
    with tempfile.TemporaryDirectory() as output:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "builder", "build", str(lesson), "-o", output],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        return time.perf_counter() - start


def warm_artifacts(lesson: Path, rounds: int = 3) -> dict[str, float]:
    from builder.artifacts import build_time
    from builder.render.print.documents import render_pdf
    from builder.render.slides.render import render_slides
    from builder.source import load_lesson
    from builder.theme import Theme

    theme = Theme()
    best: dict[str, float] = {}
    for _ in range(rounds):
        start = time.perf_counter()
        loaded = load_lesson(lesson)
        created = build_time(loaded.lesson.date)
        timings = {"load": time.perf_counter() - start}
        start = time.perf_counter()
        render_slides(loaded, created)
        timings["slides.pptx"] = time.perf_counter() - start
        for name in ("handout.pdf", "questions.pdf", "questions-facilitator.pdf"):
            start = time.perf_counter()
            render_pdf(loaded, theme, name, created)
            timings[name] = time.perf_counter() - start
        for key, value in timings.items():
            best[key] = min(best.get(key, value), value)
    return best


def main() -> None:
    lesson = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    sys.path.insert(0, str(ROOT))
    colds = [cold_build(lesson) for _ in range(3)]
    print(f"lesson: {lesson.relative_to(ROOT) if lesson.is_relative_to(ROOT) else lesson}")
    print(
        f"cold build, four artifacts, fresh process: best {min(colds):.2f} s "
        f"(runs: {', '.join(f'{c:.2f}' for c in colds)})"
    )
    warm = warm_artifacts(lesson)
    for name, seconds in warm.items():
        print(f"  warm {name:<28} {seconds * 1000:7.0f} ms")
    print(f"  warm total {sum(warm.values()):.2f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the warm process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
