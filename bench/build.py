"""Benchmark: Lectern's build times and memory on this machine, beside a peer pipeline.

    .venv/bin/pip install -e '.[bench]'      # pypandoc-binary, for the peer pipeline
    .venv/bin/python bench/build.py [--lessons 50]

Prints, in one run: a cold build of the seed lesson (four artifacts, fresh process)
against pandoc Markdown → .pptx plus pandoc → HTML → WeasyPrint for two PDFs; a no-op
build of content/; a one-question edit (fresh process, warm in one process, and warm as
`lectern watch` runs, with its worker processes, retyping known words and adding new
characters);
a 10× longer lesson; a series of generated lessons serially and in parallel, with a
worker's peak memory after 5 and after all lessons. Nothing is asserted: it measures.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "content" / "chongqing-governance"
sys.path.insert(0, str(ROOT))

PEER = r"""
import sys, pypandoc, weasyprint
md, out = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
pypandoc.convert_text(md, "pptx", format="md", outputfile=out + "/slides.pptx")
for name in ("handout", "questions"):
    html = pypandoc.convert_text(md, "html", format="md", extra_args=["--standalone",
                                 "--metadata", "title=lesson"])
    weasyprint.HTML(string=html).write_pdf(out + f"/{name}.pdf")
"""


def lectern(*args: str | Path, cwd: Path = ROOT) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "builder", *map(str, args)], check=True, capture_output=True, cwd=cwd
    )
    return time.perf_counter() - started


def best_of(runs: int, measure) -> float:
    return statistics.median(measure() for _ in range(runs))


def markdown(lesson_dir: Path) -> str:
    """The seed lesson as the Markdown a pandoc user would keep: same words, no structure."""
    from builder.source import load_lesson
    from builder.text.inline import paragraphs

    lesson = load_lesson(lesson_dir).lesson
    out = [f"# {lesson.title}", ""]
    for depth, section in lesson.all_sections():
        out += [f"{'#' * (depth + 1)} {section.title}", ""]
        out += [f"- {p}" for p in section.points] + [""]
        out += [f"{p}\n" for p in paragraphs(section.prose)]
        out += [f"> {q.text}\n" for q in section.quotes]
    out += ["# 讨论题", ""] + [f"1. {q.prompt} ({q.minutes} 分钟)" for q in lesson.questions]
    return "\n".join(out)


def peer(lesson_dir: Path, work: Path) -> float | None:
    try:
        import pypandoc  # noqa: F401
    except ImportError:
        return None
    source = work / "lesson.md"
    source.write_text(markdown(lesson_dir), encoding="utf-8")
    out = work / "peer"
    out.mkdir(exist_ok=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", PEER, str(source), str(out)], check=True, capture_output=True
    )
    return time.perf_counter() - started


def longer(lesson_dir: Path, target: Path, times: int) -> Path:
    """A copy of the lesson with its parts repeated times over."""
    import yaml

    data = yaml.load(
        (lesson_dir / "lesson.yaml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader
    )
    parts = data["sections"]
    data["sections"] = []
    for i in range(times):
        for part in parts:
            copy = {**part, "title": f"{part['title']}（{i + 1}）"}
            copy.pop("id", None)
            copy["sections"] = [
                {k: v for k, v in s.items() if k != "id"} for s in part.get("sections", [])
            ]
            data["sections"].append(copy)
    for question in data.get("questions", []):
        question.pop("section", None)
    target.mkdir(parents=True)
    (target / "lesson.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


def series(count: int, content: Path) -> list[Path]:
    """count lessons made from the seed, each with its own title (so nothing is shared)."""
    text = (SEED / "lesson.yaml").read_text(encoding="utf-8")
    paths = []
    for i in range(count):
        folder = content / f"lesson-{i:03d}"
        folder.mkdir(parents=True)
        (folder / "lesson.yaml").write_text(
            text.replace("title: 重庆探索", f"title: 第{i + 1}讲 重庆探索", 1), encoding="utf-8"
        )
        paths.append(folder)
    return paths


FLOOR = r"""
import sys, time
started = time.perf_counter()
from builder.render.print.weasy import load_weasyprint
load_weasyprint()
print(time.perf_counter() - started)
"""


def weasyprint_floor() -> tuple[float, float]:
    """What no build of the seed lesson's PDFs can go below: importing WeasyPrint in a
    fresh process, and the CPU time WeasyPrint takes to render the three PDFs in a warm
    one (their fonts cut, their stylesheet parsed: the best of three)."""
    from builder.pipeline import ARTIFACTS, BuildOptions, render_lesson, theme_for
    from builder.source import load_lesson

    done = subprocess.run(
        [sys.executable, "-c", FLOOR], check=True, capture_output=True, text=True, cwd=ROOT
    )
    importing = float(done.stdout)
    loaded = load_lesson(SEED)
    options = BuildOptions()
    theme = theme_for(loaded.folder, options)
    render_lesson(loaded, theme, options, ARTIFACTS[1:])

    def render() -> float:
        started = time.process_time()
        render_lesson(loaded, theme, options, ARTIFACTS[1:])
        return time.process_time() - started

    return importing, min(render() for _ in range(3))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lessons", type=int, default=50)
    count = parser.parse_args().lessons
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        out = work / "out"
        cold = best_of(3, lambda: lectern("build", SEED, "-o", out, "--force"))
        one_process = best_of(3, lambda: lectern("build", SEED, "-o", out, "--force", "-j", "1"))
        peer_time = peer(SEED, work)
        print(f"cold build, seed lesson, 4 artifacts:   {cold:6.2f} s   ({os.cpu_count()} cores)")
        print(f"cold build, one process (-j 1):         {one_process:6.2f} s")
        if peer_time is None:
            print("peer pipeline:                          skipped (pip install pypandoc-binary)")
        else:
            print(
                f"peer pipeline (pandoc + WeasyPrint, 3): {peer_time:6.2f} s   "
                f"ratio {cold / peer_time:.2f} (target ≤ 0.45)"
            )
        importing, laying_out = weasyprint_floor()
        floor = importing + laying_out / (os.cpu_count() or 1)
        print(
            f"  floor: importing WeasyPrint {importing:.2f} s + its warm layout of the 3 PDFs "
            f"{laying_out:.2f} s CPU over {os.cpu_count()} cores = {floor:.2f} s"
            + (f", ratio {floor / peer_time:.2f}" if peer_time else "")
        )

        shutil.copytree(ROOT / "content", work / "content")
        lectern("build", cwd=work)
        noop = best_of(5, lambda: lectern("build", cwd=work))
        print(
            f"no-op build of content/:                {noop:6.2f} s   "
            f"{noop / cold:.2f} × cold (targets ≤ 0.2 s, ≤ 0.1 ×)"
        )

        lesson = work / "content" / "chongqing-governance" / "lesson.yaml"
        original = lesson.read_text(encoding="utf-8")
        edited = original.replace("  - prompt: ", "  - prompt: （改）", 1)
        lesson.write_text(edited, encoding="utf-8")
        edit = lectern("build", cwd=work)
        print(f"one-question edit, fresh process:       {edit:6.2f} s")

        from builder.pipeline import BuildOptions, build_lesson
        from builder.render.workers import Renderers
        from builder.source import load_lesson

        options = BuildOptions(output=work / "warm")
        build_lesson(lesson, options)  # warm: renderers imported, fonts loaded
        lesson.write_text(original, encoding="utf-8")
        started = time.perf_counter()
        result = build_lesson(lesson, options)
        warm = time.perf_counter() - started
        print(
            f"one-question edit, warm, one process:   {warm:6.2f} s   "
            f"rebuilt {', '.join(a.name for a in result.artifacts)}"
        )
        # As `lectern watch` runs, workers kept warm. Two kinds of save: one retyping words
        # the sheets already have (their fonts stay as cut), and one adding a character
        # the lesson never had, so the print faces are cut afresh (a cache of its own).
        user_cache = os.environ.get("XDG_CACHE_HOME")
        os.environ["XDG_CACHE_HOME"] = str(work / "cache")
        title = load_lesson(lesson).lesson.title
        known = [title[i : i + 2] for i in range(0, 14, 2)]
        with Renderers(os.cpu_count() or 1) as renderers:
            watched = BuildOptions(output=work / "watch")
            build_lesson(lesson, watched, renderers)

            def saves(prefixes) -> list[float]:
                timings = []
                for prefix in prefixes:
                    lesson.write_text(
                        original.replace("  - prompt: ", f"  - prompt: {prefix}", 1),
                        encoding="utf-8",
                    )
                    started = time.perf_counter()
                    build_lesson(lesson, watched, renderers)
                    timings.append(time.perf_counter() - started)
                return timings

            retyped, new_chars = saves(known), saves("鑫淼犇骉羴焱垚")
        if user_cache is None:
            del os.environ["XDG_CACHE_HOME"]
        else:
            os.environ["XDG_CACHE_HOME"] = user_cache
        lesson.write_text(original, encoding="utf-8")
        workers = f"1 + {(os.cpu_count() or 1) - 1} warm processes"
        print(
            f"one-question edit, warm (watch):        {statistics.median(retyped):6.2f} s   "
            f"median of {len(retyped)} saves of known words; {workers} (target ≤ 0.5 s)"
        )
        print(
            f"  … adding a new character each save:   {statistics.median(new_chars):6.2f} s   "
            f"median of {len(new_chars)}; print faces cut afresh"
        )

        ten = longer(SEED, work / "ten" / "seed-x10", 10)
        ten_time = best_of(3, lambda: lectern("build", ten, "-o", out, "--force"))
        print(
            f"10× lesson, cold:                       {ten_time:6.2f} s   "
            f"{ten_time / cold:.2f} × the 1× lesson (target ≤ 2.5 ×)"
        )

        lessons = series(count, work / "series" / "content")
        started = time.perf_counter()
        memory = {}
        for i, path in enumerate(lessons, 1):
            build_lesson(path / "lesson.yaml", BuildOptions(output=work / "serial", force=True))
            if i in (5, count):
                memory[i] = rss_mb()
        serial = time.perf_counter() - started
        parallel = lectern(
            "build", "-j", str(os.cpu_count() or 2), "-o", work / "parallel", cwd=work / "series"
        )
        print(f"{count} lessons, serial (one warm process): {serial:6.2f} s")
        print(
            f"{count} lessons, parallel ({os.cpu_count()} workers):     {parallel:6.2f} s   "
            f"speed-up {serial / parallel:.2f} × (target ≥ 1.6 ×)"
        )
        print(
            f"peak RSS after 5 lessons {memory.get(5, 0):.0f} MB, after {count} "
            f"{memory.get(count, 0):.0f} MB (target: within 20 %)"
        )


if __name__ == "__main__":
    main()
