"""Series builds: incremental, parallel, sharded, watched, released, and reproducible."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ENGLISH, FIXTURES, PRINTED, ROOT, SEED, run_lectern


def lesson_project(tmp_path: Path, *lessons: Path) -> Path:
    """A project folder with content/ holding copies of lessons."""
    for lesson in lessons:
        shutil.copytree(lesson, tmp_path / "content" / lesson.name)
    return tmp_path


def built_and_kept(result: subprocess.CompletedProcess) -> tuple[set[str], set[str]]:
    built, kept = set(), set()
    for line in result.stdout.splitlines():
        name = Path(line.split("  (")[0]).name
        (kept if line.endswith("(unchanged)") else built).add(name)
    return built, kept


def test_editing_one_question_rebuilds_only_what_shows_questions(tmp_path: Path) -> None:
    project = lesson_project(tmp_path, FIXTURES / "minimal")
    first = run_lectern("build", "-v", cwd=project)
    assert first.returncode == 0, first.stderr
    assert built_and_kept(first)[0] == {
        "slides.pptx",
        "handout.pdf",
        "questions.pdf",
        "questions-facilitator.pdf",
    }
    lesson = project / "content" / "minimal" / "lesson.yaml"
    # No character new to the print documents (a new one rebuilds them all: they share
    # their cut faces, tests/test_incremental_fields.py).
    lesson.write_text(
        lesson.read_text(encoding="utf-8").replace("一个问题？", "一个一个问题？"), encoding="utf-8"
    )
    second = run_lectern("build", "-v", cwd=project)
    assert second.returncode == 0, second.stderr
    built, kept = built_and_kept(second)
    assert built == {"slides.pptx", "questions.pdf", "questions-facilitator.pdf"}
    assert kept == {"handout.pdf"}
    third = run_lectern("build", "-v", cwd=project)
    assert built_and_kept(third) == (
        set(),
        {"slides.pptx", "handout.pdf", "questions.pdf", "questions-facilitator.pdf"},
    )


@pytest.mark.parametrize("settings", [None, "paper: A5\nslide_font: Noto Sans CJK SC\n"])
def test_noop_build_settles_without_importing_a_renderer(tmp_path: Path, settings) -> None:
    """Nor pydantic, with a lectern.yaml: its settings, once valid, are kept in the cache."""
    project = lesson_project(tmp_path, FIXTURES / "minimal", ENGLISH)
    if settings:
        (project / "lectern.yaml").write_text(settings, encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    assert run_lectern("build", cwd=project, env=env).returncode == 0
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "builder", "build", "-v"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0
    assert "4 unchanged" in result.stdout + result.stderr
    imported = [
        line.split("|")[-1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    ]
    assert imported, "no import times recorded"
    for heavy in ("weasyprint", "pptx", "pydantic", "fontTools"):
        assert not [name for name in imported if name.startswith(heavy)], heavy
    assert result.stdout.count("(unchanged)") == 8


def test_deleted_or_damaged_artifact_is_rebuilt(tmp_path: Path) -> None:
    project = lesson_project(tmp_path, FIXTURES / "minimal")
    assert run_lectern("build", cwd=project).returncode == 0
    handout = project / "output" / "minimal" / "handout.pdf"
    handout.write_bytes(b"damaged")
    result = run_lectern("build", "-v", cwd=project)
    assert built_and_kept(result)[0] == {"handout.pdf"}
    assert handout.read_bytes().startswith(b"%PDF")


def test_parallel_build_gives_the_same_bytes_as_serial(tmp_path: Path) -> None:
    project = lesson_project(tmp_path, FIXTURES / "minimal", ENGLISH)
    serial = run_lectern("build", "-j", "1", "-o", "serial", cwd=project)
    parallel = run_lectern("build", "-j", "2", "-o", "parallel", cwd=project)
    assert serial.returncode == parallel.returncode == 0
    for lesson in ("minimal", "open-source-licences"):
        a = json.loads((project / "serial" / lesson / "manifest.json").read_text())
        b = json.loads((project / "parallel" / lesson / "manifest.json").read_text())
        assert a == b


def test_a_folder_of_lessons_names_every_lesson_in_it(tmp_path: Path) -> None:
    """`lectern build content` builds what `lectern build` builds, as a user would expect."""
    from builder.series import find_lessons

    project = lesson_project(tmp_path, FIXTURES / "minimal", ENGLISH)
    content = project / "content"
    expected = [content / name / "lesson.yaml" for name in ("minimal", "open-source-licences")]
    assert find_lessons([content]) == find_lessons([], content) == expected
    assert find_lessons([content / "minimal"]) == expected[:1]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert find_lessons([empty]) == [empty / "lesson.yaml"]  # reported as no such lesson


def test_shards_split_a_series_without_overlap(tmp_path: Path) -> None:
    project = lesson_project(tmp_path, FIXTURES / "minimal", ENGLISH, SEED)
    seen = []
    for shard in ("1/2", "2/2"):
        result = run_lectern("build", "--shard", shard, "-o", f"out-{shard[0]}", cwd=project)
        assert result.returncode == 0, result.stderr
        seen.append({p.name for p in (project / f"out-{shard[0]}").iterdir()})
    assert seen[0].isdisjoint(seen[1])
    assert seen[0] | seen[1] == {"minimal", "open-source-licences", "chongqing-governance"}
    bad = run_lectern("build", "--shard", "3/2", cwd=project)
    assert bad.returncode == 2
    assert "is not I/N" in bad.stderr


@pytest.mark.needs("faketime")
def test_builds_under_different_clocks_and_zones_are_byte_identical(tmp_path: Path) -> None:
    manifests = []
    for clock, zone in (("2020-01-01 00:00:00", "UTC"), ("2031-07-15 13:45:00", "Asia/Shanghai")):
        out = tmp_path / zone.replace("/", "-")
        result = subprocess.run(
            [
                "faketime",
                clock,
                sys.executable,
                "-m",
                "builder",
                "build",
                str(FIXTURES / "minimal"),
                "-o",
                str(out),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "TZ": zone},
        )
        assert result.returncode == 0, result.stderr
        manifests.append(json.loads((out / "minimal" / "manifest.json").read_text()))
    assert manifests[0]["artifacts"] == manifests[1]["artifacts"]


def test_release_zips_are_reproducible_per_series(tmp_path: Path) -> None:
    project = lesson_project(tmp_path, FIXTURES / "minimal", ENGLISH)
    (tmp_path / "other-machine" / "fonts" / "more").mkdir(parents=True)  # other fonts
    digests = []
    for name, env in (
        ("a", {"TZ": "UTC"}),
        ("b", {"TZ": "America/New_York", "XDG_DATA_HOME": str(tmp_path / "other-machine")}),
    ):
        result = run_lectern(
            "release", "-o", f"out-{name}", "-d", f"dist-{name}", cwd=project, env=env
        )
        assert result.returncode == 0, result.stderr
        zips = sorted((project / f"dist-{name}").iterdir())
        digests.append({p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in zips})
    assert digests[0] == digests[1]
    assert set(digests[0]) == {"lessons.zip", "Research Software Practice.zip"}
    with zipfile.ZipFile(project / "dist-a" / "lessons.zip") as bundle:
        assert sorted(bundle.namelist()) == [
            "minimal/handout.pdf",
            "minimal/manifest.json",
            "minimal/questions-facilitator.pdf",
            "minimal/questions.pdf",
            "minimal/slides.pptx",
        ]


class _Lines:
    """A process's output lines, read on a thread so waiting can time out."""

    def __init__(self, process: subprocess.Popen) -> None:
        import queue
        import threading

        self.queue: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, args=(process,), daemon=True).start()

    def _read(self, process: subprocess.Popen) -> None:
        for line in process.stdout:
            self.queue.put(line.rstrip())

    def wait_for(self, needle: str, seconds: float = 90) -> None:
        import queue

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self.queue.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                break
            self.seen.append(line)
            if needle in line:
                return
        raise AssertionError(f"{needle!r} not seen in watch output:\n" + "\n".join(self.seen))


def _watch(project: Path) -> tuple[subprocess.Popen, _Lines]:
    """`lectern watch` started in project, with its output read line by line."""
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "builder", "watch"],
        cwd=project,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    return process, _Lines(process)


def test_watch_survives_a_broken_save_and_recovers(tmp_path: Path) -> None:
    project = lesson_project(tmp_path, FIXTURES / "minimal")
    lesson = project / "content" / "minimal" / "lesson.yaml"
    good = lesson.read_text(encoding="utf-8")
    process, lines = _watch(project)
    try:
        lines.wait_for("minimal: start:")
        lesson.write_text(good.replace("title: 最小课程", "title: [broken"), encoding="utf-8")
        lines.wait_for("not built")
        assert any("lesson.yaml:" in line and "YAML syntax error" in line for line in lines.seen)
        lesson.write_text(good.replace("一个要点", "改过的要点"), encoding="utf-8")
        lines.wait_for("minimal: changed lesson.yaml: slides.pptx, handout.pdf")
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert process.returncode is not None


def test_watch_follows_the_project_file_and_the_slide_master(tmp_path: Path) -> None:
    """What every lesson shares changes the build of every lesson, while watch runs."""
    from pptx import Presentation
    from pypdf import PdfReader

    from builder.theme import BUILTIN

    project = lesson_project(tmp_path, FIXTURES / "minimal")
    Presentation().save(project / "org.pptx")
    stylesheet = project / "templates" / "print" / "print.css"  # the project's own theme
    stylesheet.parent.mkdir(parents=True)
    shutil.copy(BUILTIN / "print" / "print.css", stylesheet)
    settings = project / "lectern.yaml"
    settings.write_text("slide_template: org.pptx\n", encoding="utf-8")
    handout = project / "output" / "minimal" / "handout.pdf"
    process, lines = _watch(project)
    try:
        lines.wait_for("minimal: start:")
        settings.write_text("slide_template: org.pptx\npaper: A5\n", encoding="utf-8")
        lines.wait_for("minimal: changed lectern.yaml: handout.pdf")
        assert round(float(PdfReader(handout).pages[0].mediabox.width)) == 420
        settings.write_text("slide_template: org.pptx\npaper: B6\n", encoding="utf-8")
        lines.wait_for("lectern.yaml: not applied; waiting for the next save")
        assert any("lectern.yaml:2:8: error: paper:" in line for line in lines.seen)
        template = Presentation(project / "org.pptx")
        template.slide_width = template.slide_height  # a square master: the deck changes
        template.save(project / "org.pptx")
        lines.wait_for("minimal: changed org.pptx: slides.pptx")
        with stylesheet.open("a", encoding="utf-8") as css:
            css.write("\nh1 { letter-spacing: 0.1em }\n")
        lines.wait_for("minimal: changed print.css: handout.pdf")
    finally:
        process.terminate()
        process.wait(timeout=30)
    deck = Presentation(project / "output" / "minimal" / "slides.pptx")
    assert deck.slide_width == deck.slide_height


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process parents from /proc")
def test_watch_workers_end_when_watch_is_killed(tmp_path: Path) -> None:
    """A killed watch must not leave renderer workers holding the terminal's pipes."""
    process, lines = _watch(lesson_project(tmp_path, FIXTURES / "minimal"))
    try:
        lines.wait_for("minimal: start:")
        children = _children(process.pid)
    finally:
        process.kill()
        process.wait(timeout=30)
    if (os.cpu_count() or 1) > 1:
        assert children, "watch on several cores renders with worker processes"
    deadline = time.monotonic() + 20
    while any(map(_alive, children)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_alive, children))


def test_series_workers_end_when_the_build_is_killed(tmp_path: Path) -> None:
    """A killed build of many lessons must not leave its workers waiting for work and
    holding the terminal's or a CI runner's output pipe open."""
    project = lesson_project(tmp_path, FIXTURES / "minimal", ENGLISH)
    process = subprocess.Popen(
        [sys.executable, "-m", "builder", "build", "-j", "2"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while len(children := _children(process.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        process.kill()
        process.wait(timeout=30)
    assert len(children) >= 2, "two lessons on two workers (and whatever else it ran)"
    deadline = time.monotonic() + 20
    while any(map(_alive, children)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_alive, children))


def test_one_lesson_shared_with_workers_gives_the_same_bytes(tmp_path: Path) -> None:
    temp = tmp_path / "temp"  # where each process keeps its cut-down fonts while it runs
    temp.mkdir()
    alone = run_lectern(
        "build", SEED, "-o", tmp_path / "alone", "-j", "1", env={"TMPDIR": str(temp)}
    )
    shared = run_lectern(
        "build", SEED, "-o", tmp_path / "shared", "-j", "4", env={"TMPDIR": str(temp)}
    )
    assert alone.returncode == 0 and shared.returncode == 0, alone.stderr + shared.stderr
    # Workers skip the interpreter's teardown when they stop, but not their clean-up.
    assert list(temp.iterdir()) == []
    for name in ("slides.pptx", "handout.pdf", "questions.pdf", "questions-facilitator.pdf"):
        one = (tmp_path / "alone" / SEED.name / name).read_bytes()
        other = (tmp_path / "shared" / SEED.name / name).read_bytes()
        assert one == other, name


def test_a_worker_that_dies_is_replaced_and_its_pdf_rendered_anyway(tmp_path: Path) -> None:
    """Out of memory or killed, a lost worker costs time, never an artifact or the watch."""
    import signal

    from builder.pipeline import build_lesson
    from builder.render.workers import Renderers
    from builder.settings import BuildOptions

    lesson = FIXTURES / "minimal" / "lesson.yaml"
    with Renderers(2) as renderers:
        for pid in list(renderers._pool._processes):  # the test kills them
            os.kill(pid, signal.SIGKILL)
        options = BuildOptions(output=tmp_path / "first", force=True)
        first = build_lesson(lesson, options, renderers)
        assert [a.name for a in first.artifacts] == ["slides.pptx", *PRINTED]
        again = build_lesson(lesson, BuildOptions(output=tmp_path / "again"), renderers)
        assert [a.name for a in again.artifacts] == ["slides.pptx", *PRINTED]
    for name in ["slides.pptx", *PRINTED]:
        assert (tmp_path / "first" / "minimal" / name).read_bytes() == (
            tmp_path / "again" / "minimal" / name
        ).read_bytes()


def _with_series(folder: Path, series: str | None) -> None:
    lesson = folder / "lesson.yaml"
    lines = [
        line
        for line in lesson.read_text(encoding="utf-8").splitlines(keepends=True)
        if not line.startswith("series:")
    ]
    if series is not None:
        lines.insert(1, f"series: {json.dumps(series, ensure_ascii=False)}\n")
    lesson.write_text("".join(lines), encoding="utf-8")


def test_release_zip_names_are_safe_short_and_distinct(tmp_path: Path) -> None:
    from builder.release import series_name

    long = "系" * 100  # 300 bytes: more than a file name may hold with its temporary's parts
    series = [long, "CON", "...", None, "a:b", "ab", "lessons", "微党课"]
    names = [series_name(s) for s in series]
    assert len({name.casefold() for name in names}) == len(series)
    assert names[3] == "lessons" and names[5] == "ab" and names[7] == "微党课"
    assert all(len(f".{name}.zip.xxxxxxxx.tmp".encode()) <= 255 for name in names)
    # The same in every process (CI shards name their zips apart): no salted hash.
    elsewhere = subprocess.run(
        [
            sys.executable,
            "-c",
            "from builder.release import series_name; print(series_name('系' * 100))",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "1"},
    )
    assert elsewhere.stdout.strip() == names[0]
    project = tmp_path
    for index, name in enumerate(series[:5]):
        shutil.copytree(FIXTURES / "minimal", project / "content" / f"l{index}")
        _with_series(project / "content" / f"l{index}", name)
    result = run_lectern("release", "-d", "dist", cwd=project)
    assert result.returncode == 0, result.stderr
    zips = sorted(p.name for p in (project / "dist").iterdir())
    assert len(zips) == 5
    assert "CON.zip" not in zips and "lessons.zip" in zips
    assert all(not name.startswith(".") for name in zips)


def test_a_release_that_cannot_write_one_zip_writes_none(tmp_path: Path) -> None:
    project = lesson_project(tmp_path, FIXTURES / "minimal", ENGLISH)
    (project / "dist" / "lessons.zip").mkdir(parents=True)  # in the way of one zip
    result = run_lectern("release", "-d", "dist", cwd=project)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "lessons.zip: a folder is in its place" in result.stderr
    assert "no zip was made" in result.stderr
    assert sorted(p.name for p in (project / "dist").iterdir()) == ["lessons.zip"]


def test_two_lessons_with_one_folder_name_are_refused_before_building(tmp_path: Path) -> None:
    for parent in ("a", "b"):
        shutil.copytree(FIXTURES / "minimal", tmp_path / parent / "x")
    for command in (("build", "-o", "out"), ("release", "-o", "out", "-d", "dist")):
        result = run_lectern(*command, "a/x", "b/x", cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert "Warning" not in result.stderr and "Traceback" not in result.stderr
        assert "b/x/lesson.yaml: error: this lesson and a/x/lesson.yaml" in result.stderr
        assert "both be written to out/x" in result.stderr
        assert not (tmp_path / "out").exists() and not (tmp_path / "dist").exists()
    # The same lesson named twice is one lesson, built once.
    again = run_lectern("build", "-o", "out", "a/x", "a/x/lesson.yaml", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stderr.count("x: 4 built") == 1
    # Folders whose names differ in letter case only are one folder on Windows and macOS.
    shutil.copytree(FIXTURES / "minimal", tmp_path / "b" / "X")
    cased = run_lectern("build", "-o", "cased", "a/x", "b/X", cwd=tmp_path)
    assert cased.returncode == 2, cased.stderr
    assert "b/X/lesson.yaml: error: this lesson and a/x/lesson.yaml" in cased.stderr
    assert "cased/X (one folder on Windows and macOS" in cased.stderr
    assert not (tmp_path / "cased").exists()
    shutil.copytree(FIXTURES / "minimal", tmp_path / "a" / "caf\u00e9")  # é, and e + ´
    shutil.copytree(FIXTURES / "minimal", tmp_path / "b" / "cafe\u0301")
    accented = run_lectern("build", "-o", "out", "a/caf\u00e9", "b/cafe\u0301", cwd=tmp_path)
    assert accented.returncode == 2 and "stores accented letters one way" in accented.stderr


def test_watch_stopped_by_sigterm_ends_its_workers_cleanly(tmp_path: Path) -> None:
    import queue

    project = lesson_project(tmp_path, FIXTURES / "minimal")
    process, lines = _watch(project)
    try:
        lines.wait_for("minimal: start:")
        process.terminate()  # as a service manager or `timeout` stops it
        lines.wait_for("stopped")
        process.wait(timeout=30)
    finally:
        process.kill()
    time.sleep(1)  # multiprocessing's resource tracker would complain a moment later
    with contextlib.suppress(queue.Empty):
        while True:
            lines.seen.append(lines.queue.get_nowait())
    output = "\n".join(lines.seen)
    assert "leaked" not in output and "Traceback" not in output, output


def series_project(tmp_path: Path, count: int, series: str = "微党课") -> Path:
    """A project of count lessons of one series, made from the minimal lesson."""
    text = (FIXTURES / "minimal" / "lesson.yaml").read_text(encoding="utf-8")
    for i in range(1, count + 1):
        folder = tmp_path / "content" / f"lesson-{i}"
        folder.mkdir(parents=True)
        (folder / "lesson.yaml").write_text(
            text.replace("title: 最小课程", f"title: 第{i}讲\nseries: {series}"),
            encoding="utf-8",
        )
    return tmp_path


def zipped_lessons(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as bundle:
        return {name.split("/")[0] for name in bundle.namelist()}


def test_a_series_released_in_two_shards_has_each_lesson_once_and_merges_whole(
    tmp_path: Path,
) -> None:
    project = series_project(tmp_path, 3)
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    shards = []
    for index in (1, 2):
        result = run_lectern(
            "release", "--shard", f"{index}/2", "-d", f"dist-{index}", cwd=project, env=env
        )
        assert result.returncode == 0, result.stderr
        shards.append(sorted((project / f"dist-{index}").iterdir()))
    names = [{path.name for path in zips} for zips in shards]
    assert not names[0] & names[1]  # no two CI jobs upload a zip of the same name
    held = [lesson for zips in shards for path in zips for lesson in zipped_lessons(path)]
    assert sorted(held) == ["lesson-1", "lesson-2", "lesson-3"]  # each exactly once

    one_shard = run_lectern("merge", *shards[0], "-d", "merged", cwd=project)
    assert one_shard.returncode == 2
    assert "no shard zip holds lesson-2" in one_shard.stderr
    assert not (project / "merged").exists()

    merged = run_lectern("merge", *shards[0], *shards[1], "-d", "merged", cwd=project)
    assert merged.returncode == 0, merged.stderr
    whole = run_lectern("release", "-d", "whole", cwd=project, env=env)
    assert whole.returncode == 0, whole.stderr
    assert [p.name for p in (project / "merged").iterdir()] == ["微党课.zip"]
    assert (project / "merged" / "微党课.zip").read_bytes() == (
        project / "whole" / "微党课.zip"
    ).read_bytes()


def test_release_takes_builds_settings_and_refuses_outputs_made_with_others(
    tmp_path: Path,
) -> None:
    from pypdf import PdfReader

    project = lesson_project(tmp_path, FIXTURES / "minimal")
    built = run_lectern("build", "--paper", "A5", cwd=project)
    assert built.returncode == 0, built.stderr

    handout_written = (project / "output" / "minimal" / "handout.pdf").stat().st_mtime_ns
    released = run_lectern("release", "--paper", "A5", "-d", "dist", cwd=project)
    assert released.returncode == 0, released.stderr
    assert (project / "output" / "minimal" / "handout.pdf").stat().st_mtime_ns == handout_written
    with zipfile.ZipFile(project / "dist" / "lessons.zip") as bundle:
        handout = PdfReader(io.BytesIO(bundle.read("minimal/handout.pdf")))
        manifest = json.loads(bundle.read("minimal/manifest.json"))
    width, height = handout.pages[0].mediabox.width, handout.pages[0].mediabox.height
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (148, 210)  # A5, in mm
    assert manifest["settings"]["paper"] == "A5"

    for args, env, named in (
        ((), {}, 'paper "A5" (this release: "A4")'),
        (("--paper", "A5"), {"SOURCE_DATE_EPOCH": "1700000000"}, "source_date_epoch null"),
    ):
        refused = run_lectern("release", *args, "-d", "dist-2", cwd=project, env=env)
        assert refused.returncode == 2
        assert "built with other settings: " in refused.stderr and named in refused.stderr
        assert not (project / "dist-2").exists()


def test_source_date_epoch_is_read_alike_by_build_and_release(tmp_path: Path) -> None:
    project = lesson_project(tmp_path, FIXTURES / "minimal")
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    assert run_lectern("build", cwd=project, env=env).returncode == 0
    handout = project / "output" / "minimal" / "handout.pdf"
    written = handout.stat().st_mtime_ns
    released = run_lectern("release", "-d", "dist", cwd=project, env=env)
    assert released.returncode == 0, released.stderr
    assert handout.stat().st_mtime_ns == written  # the build's outputs, not rebuilt
    with zipfile.ZipFile(project / "dist" / "lessons.zip") as bundle:
        assert {info.date_time[:3] for info in bundle.infolist()} == {(2023, 11, 14)}
    for command in (("build",), ("release", "-d", "dist-2")):
        refused = run_lectern(*command, cwd=project, env={"SOURCE_DATE_EPOCH": "tomorrow"})
        assert refused.returncode == 2
        assert "SOURCE_DATE_EPOCH: error: 'tomorrow' is not a whole number of seconds" in (
            refused.stderr
        )
        assert "Traceback" not in refused.stderr
    assert not (project / "dist-2").exists()
