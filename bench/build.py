"""Benchmark: Lectern's build times and memory on this machine, beside a peer pipeline.

    .venv/bin/pip install -e '.[bench]'      # pypandoc-binary, for the peer pipeline
    .venv/bin/python bench/build.py [--lessons 50] [--only cold,series] [--pairs 5]

Prints, in one run: a cold build of the seed lesson (four artifacts, fresh process)
against pandoc Markdown → .pptx plus pandoc → HTML → WeasyPrint for two PDFs, run in
alternating pairs (the machine may be shared: each pair sees the same load, and the
load average is printed with the figures); a no-op
build of content/; a one-question edit (fresh process, warm in one process, and warm as
`lectern watch` runs, with its worker processes, retyping known words and adding new
characters);
a 10× longer lesson; a series of generated lessons serially and in parallel, with a
worker's peak memory after 5 and after all lessons, and against the peer pipeline run
over the same lessons in one warm process. Nothing is asserted: it measures.
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


PEER_SERIES = r"""
import sys, pathlib, pypandoc, weasyprint
for source in sorted(pathlib.Path(sys.argv[1]).glob("*.md")):
    md, out = source.read_text(encoding="utf-8"), pathlib.Path(sys.argv[2]) / source.stem
    out.mkdir(parents=True, exist_ok=True)
    pypandoc.convert_text(md, "pptx", format="md", outputfile=str(out / "slides.pptx"))
    for name in ("handout", "questions"):
        html = pypandoc.convert_text(md, "html", format="md", extra_args=["--standalone",
                                     "--metadata", "title=lesson"])
        weasyprint.HTML(string=html).write_pdf(out / f"{name}.pdf")
"""
"""The peer over many lessons in one process: WeasyPrint imported once, kept warm."""


def load() -> str:
    """The load average, as `uptime` prints it: what the figures were measured under."""
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


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


def have_peer() -> bool:
    try:
        import pypandoc  # noqa: F401
    except ImportError:
        return False
    return True


def peer(lesson_dir: Path, work: Path) -> float:
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
from builder.render.print.engine import weasyprint
weasyprint()
print(time.perf_counter() - started)
"""


def weasyprint_floor() -> tuple[float, float]:
    """What no build of the seed lesson's PDFs can go below: importing WeasyPrint in a
    fresh process, and the CPU time WeasyPrint takes to render the three PDFs in a warm
    one (their fonts cut, their stylesheet parsed: the best of three)."""
    from builder.formats import PRINTED, render_lesson
    from builder.pipeline import theme_for
    from builder.settings import BuildOptions
    from builder.source import load_lesson

    done = subprocess.run(
        [sys.executable, "-c", FLOOR], check=True, capture_output=True, text=True, cwd=ROOT
    )
    importing = float(done.stdout)
    loaded = load_lesson(SEED)
    options = BuildOptions()
    theme = theme_for(loaded.folder, options)
    pdfs = tuple(f.name for f in PRINTED if f.made_from is None)  # not the --with ones
    render_lesson(loaded, theme, options, pdfs)

    def render() -> float:
        started = time.process_time()
        render_lesson(loaded, theme, options, pdfs)
        return time.process_time() - started

    return importing, min(render() for _ in range(3))


PHRASES = r"""
import sys, time
from pathlib import Path
from builder.source import load_lesson
lesson = load_lesson(Path(sys.argv[1])).lesson
sections = [section for part in lesson.sections for _, section in part.walk()]
texts = [s.title for s in sections] + [p for s in sections for p in s.points]
texts += [q.prompt for q in lesson.questions]
started = time.perf_counter()
from builder.text.phrases import inner_places
inner_places("预热")
loaded = time.perf_counter()
for text in texts:
    inner_places(text)
done = time.perf_counter()
print(loaded - started, done - loaded, len(texts))
"""


def phrase_cost() -> tuple[float, float, int]:
    """What breaking between phrases costs a build: loading BudouX in a fresh process, and
    finding the phrases of every title, point and question of the seed lesson."""
    done = subprocess.run(
        [sys.executable, "-c", PHRASES, str(SEED)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    loading, finding, count = done.stdout.split()
    return float(loading), float(finding), int(count)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lessons", type=int, default=50)
    parser.add_argument("--pairs", type=int, default=5, help="cold builds, each beside a peer run")
    parser.add_argument("--only", help="comma-separated: cold, noop, edit, long, series")
    arguments = parser.parse_args()
    count = arguments.lessons
    parts = set(arguments.only.split(",")) if arguments.only else None
    if not have_peer():
        print("peer pipeline: pip install -e '.[bench]' (pypandoc-binary)")
        return
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        out = work / "out"
        if parts is None or "cold" in parts:
            cold_builds(work, out, arguments.pairs)
        if parts is None or "series" in parts:
            series_builds(work, count, serial=parts is None)
        if parts is not None and not parts & {"noop", "edit", "long"}:
            return
        cold = best_of(3, lambda: lectern("build", SEED, "-o", out, "--force"))

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

        from builder.pipeline import build_lesson
        from builder.render.workers import Renderers
        from builder.settings import BuildOptions
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


def cold_builds(work: Path, out: Path, pairs: int) -> None:
    """Cold builds of the seed lesson, each beside a peer run, alternating."""
    lectern("build", SEED, "-o", out, "--force")  # the user's caches (cut fonts) filled
    timings = []
    for _ in range(pairs):
        timings.append((lectern("build", SEED, "-o", out, "--force"), peer(SEED, work)))
    ours = statistics.median(t for t, _ in timings)
    theirs = statistics.median(p for _, p in timings)
    ratio = statistics.median(t / p for t, p in timings)
    one_process = lectern("build", SEED, "-o", out, "--force", "-j", "1")
    print(f"load average: {load()}  ({os.cpu_count()} cores)")
    print(f"cold build, seed lesson, 4 artifacts:   {ours:6.2f} s   median of {pairs}")
    print(f"peer pipeline (pandoc + WeasyPrint, 3): {theirs:6.2f} s   median, run in pairs")
    print(f"  ratio, median of the pairs: {ratio:.2f} (target ≤ 1.0)")
    print(f"cold build, one process (-j 1):         {one_process:6.2f} s")
    loading, finding, texts = phrase_cost()
    print(
        f"phrases (BudouX), fresh process:        {loading * 1000:6.1f} ms to load, "
        f"{finding * 1000:.1f} ms for the seed's {texts} titles, points and questions"
    )
    importing, laying_out = weasyprint_floor()
    floor = importing + laying_out / (os.cpu_count() or 1)
    print(
        f"  floor: importing WeasyPrint {importing:.2f} s + its warm layout of the 3 PDFs "
        f"{laying_out:.2f} s CPU over {os.cpu_count()} cores = {floor:.2f} s, "
        f"ratio {floor / theirs:.2f}"
    )


def series_builds(work: Path, count: int, serial: bool) -> None:
    """count lessons on every core, against the peer over the same lessons in one warm
    process (and, with serial, against Lectern in one warm process)."""
    from builder.pipeline import build_lesson
    from builder.settings import BuildOptions

    folder = work / "series"
    lessons = series(count, folder / "content")
    if serial:
        started = time.perf_counter()
        memory = {}
        for i, path in enumerate(lessons, 1):
            build_lesson(path / "lesson.yaml", BuildOptions(output=work / "serial", force=True))
            if i in (5, count):
                memory[i] = rss_mb()
        alone = time.perf_counter() - started
    sources = folder / "markdown"
    sources.mkdir()
    for path in lessons:
        (sources / f"{path.name}.md").write_text(markdown(path), encoding="utf-8")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", PEER_SERIES, str(sources), str(work / "peer-series")],
        check=True,
        capture_output=True,
    )
    peer_series = time.perf_counter() - started
    parallel = lectern("build", "-j", str(os.cpu_count() or 2), "-o", work / "parallel", cwd=folder)
    print(f"load average: {load()}")
    print(f"{count} lessons, peer in one warm process:  {peer_series:6.2f} s")
    print(
        f"{count} lessons, parallel ({os.cpu_count()} workers):     {parallel:6.2f} s   "
        f"throughput {peer_series / parallel:.2f} × the peer's (target ≥ 1.2 ×)"
    )
    if serial:
        print(f"{count} lessons, serial (one warm process): {alone:6.2f} s")
        print(f"  speed-up of parallel {alone / parallel:.2f} × (target ≥ 1.6 ×)")
        print(
            f"peak RSS after 5 lessons {memory.get(5, 0):.0f} MB, after {count} "
            f"{memory.get(count, 0):.0f} MB (target: within 20 %)"
        )


if __name__ == "__main__":
    main()
