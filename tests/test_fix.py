"""lectern fix: safe typographic corrections in place, and nothing else."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

from builder.check.run import check_lesson
from builder.source import load_lesson
from tests.conftest import FIXTURES, run_lectern


def without_punctuation_and_spaces(text: str) -> str:
    return "".join(
        c for c in text if not c.isspace() and not unicodedata.category(c).startswith("P")
    )


def typography(folder: Path) -> list:
    return [f for f in check_lesson(load_lesson(folder)) if f.code == "typography"]


def test_fix_on_the_raw_seed_leaves_no_typography_finding_and_only_punctuation_changed(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "seed-raw"
    shutil.copytree(FIXTURES / "seed-raw", folder)
    before = (folder / "lesson.yaml").read_text(encoding="utf-8")
    assert len(typography(folder)) >= 5  # one per paragraph, each naming its count
    result = run_lectern("fix", folder)
    assert result.returncode == 0, result.stderr
    after = (folder / "lesson.yaml").read_text(encoding="utf-8")
    assert typography(folder) == []
    assert after != before
    assert without_punctuation_and_spaces(after) == without_punctuation_and_spaces(before)
    # Comments, order and layout: the same lines, each changed only in its punctuation.
    assert len(after.split("\n")) == len(before.split("\n"))
    assert after.split("\n")[:2] == before.split("\n")[:2]
    assert "1031个乡镇（街道）" in after and "七一客户端微党课（1635开云kaiyun）" in after


def test_diff_shows_the_corrections_and_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "seed-raw"
    shutil.copytree(FIXTURES / "seed-raw", folder)
    before = (folder / "lesson.yaml").read_bytes()
    result = run_lectern("fix", "--diff", folder)
    assert result.returncode == 0
    assert (folder / "lesson.yaml").read_bytes() == before
    assert "-  - 开云kaiyun本课目的:广大" in result.stdout
    assert "+  - 开云kaiyun本课目的：广大" in result.stdout


def lesson_with(tmp_path: Path, old: str, new: str) -> Path:
    text = (FIXTURES / "minimal" / "lesson.yaml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "lesson.yaml").write_text(text.replace(old, new), encoding="utf-8")
    return tmp_path


def test_straight_quotes_and_mixed_spacing_are_corrected(tmp_path: Path) -> None:
    folder = lesson_with(
        tmp_path,
        "      一段正文。",
        '      他说"要用 Python 3写好代码"。又用了Linux和Git，还有 SQL 与PDF等等...',
    )
    result = run_lectern("fix", folder)
    assert result.returncode == 0, result.stderr
    prose = load_lesson(folder).lesson.sections[0].prose
    assert prose == "他说“要用Python 3写好代码”。又用了Linux和Git，还有SQL与PDF等等……"
    assert typography(folder) == []


def test_the_file_keeps_its_byte_order_mark_line_ends_and_quoting(tmp_path: Path) -> None:
    folder = lesson_with(tmp_path, "prompt: 一个问题？", "prompt: '问题:怎么办?'  # 注释")
    path = folder / "lesson.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert run_lectern("fix", folder).returncode == 0
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == raw.count(b"\n")
    assert "prompt: '问题：怎么办？'  # 注释\r\n" in raw.decode("utf-8-sig")


def test_an_english_lesson_and_ids_are_left_alone(tmp_path: Path) -> None:
    folder = lesson_with(tmp_path, "title: 最小课程", "title: 最小课程\nlanguage: en")
    before = (folder / "lesson.yaml").read_bytes()
    result = run_lectern("fix", folder)
    assert result.returncode == 0
    assert (folder / "lesson.yaml").read_bytes() == before
    assert "0 corrections made" in result.stderr
