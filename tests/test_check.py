"""`lectern check`: each check fires on what it should and stays quiet on what it should not."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from builder.check.run import check_lesson
from builder.source import load_lesson
from tests.conftest import ENGLISH, FIXTURES, SEED, run_lectern

LESSON = """\
title: {title}
authors:
  - name: 测试者
date: 2025-01-02
duration: {duration}
sections:
  - id: one
    title: 部分
    points:
      - 要点
    prose: |
      {prose}
questions:
  - prompt: 一个问题？
    minutes: 5
"""


def findings_for(tmp_path: Path, *, title="课程", prose="正文。", duration=20, extra=""):
    folder = tmp_path / "lesson"
    folder.mkdir(exist_ok=True)
    text = LESSON.format(title=title, prose=prose, duration=duration) + extra
    (folder / "lesson.yaml").write_text(text, encoding="utf-8")
    return check_lesson(load_lesson(folder))


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def test_raw_seed_text_is_flagged_at_each_injected_token() -> None:
    findings = [f for f in check_lesson(load_lesson(FIXTURES / "seed-raw")) if f.code == "injected"]
    spots = [(f.location.line, f.location.column, f.message.split("'")[1]) for f in findings]
    assert spots == [
        (3, 16, "(1635开云kaiyun)"),
        (9, 5, "开云kaiyun"),
        (19, 537, "开云kaiyun"),
    ]
    lines = (FIXTURES / "seed-raw" / "lesson.yaml").read_text(encoding="utf-8").split("\n")
    for line, column, token in spots:
        assert lines[line - 1][column - 1 :].startswith(token)


@pytest.mark.parametrize("lesson", [SEED, ENGLISH])
def test_cleaned_example_lessons_have_no_injected_or_invisible_text(lesson: Path) -> None:
    found = codes(check_lesson(load_lesson(lesson)))
    assert "injected" not in found
    assert "invisible" not in found
    assert "glyph" not in found
    assert "typography" not in found


@pytest.mark.parametrize(
    "prose",
    [
        "生成 PDF 文件",
        "国内生产总值（GDP）增长",
        "“1361”整体构架",
        "使用 Python 3 编写",
        "数字化（digital-governance framework）",
        "iPhone用户",
        "第2版",
    ],
)
def test_ordinary_latin_in_chinese_is_not_flagged(tmp_path: Path, prose: str) -> None:
    assert "injected" not in codes(findings_for(tmp_path, prose=prose))


@pytest.mark.parametrize(
    ("prose", "token"),
    [
        ("欢迎访问开云kaiyun体育", "开云kaiyun体育"),
        ("正文(1635开云kaiyun)继续", "(1635开云kaiyun)"),
        ("这里有bobtiyu广告", "bobtiyu"),
    ],
)
def test_spliced_tokens_are_flagged(tmp_path: Path, prose: str, token: str) -> None:
    [finding] = [f for f in findings_for(tmp_path, prose=prose) if f.code == "injected"]
    assert f"'{token}'" in finding.message
    assert finding.location.line == 12


def test_word_list_allows_and_flags_terms(tmp_path: Path) -> None:
    (tmp_path / "wordlist.txt").write_text("# project terms\nwechat\n!赌场\n", encoding="utf-8")
    found = findings_for(tmp_path, prose="关注wechat公众号，远离赌场。")
    injected = [f.message for f in found if f.code == "injected"]
    assert injected == ["'赌场' looks spliced into the text (web spam?)"]


# Written out from Unicode, not from the check: characters that draw nothing yet change
# what a text says, how it breaks or which way it runs.
INVISIBLE = {
    "\u200b": "zero-width",  # ZERO WIDTH SPACE
    "\u200c": "zero-width",  # ZERO WIDTH NON-JOINER
    "\u200d": "zero-width",  # ZERO WIDTH JOINER
    "\u2060": "zero-width",  # WORD JOINER
    "\ufeff": "zero-width",  # ZERO WIDTH NO-BREAK SPACE (a byte order mark inside text)
    "\u00ad": "zero-width",  # SOFT HYPHEN
    "\u200e": "bidi control",  # LEFT-TO-RIGHT MARK
    "\u200f": "bidi control",  # RIGHT-TO-LEFT MARK
    "\u061c": "bidi control",  # ARABIC LETTER MARK
    "\u202a": "bidi control",  # LEFT-TO-RIGHT EMBEDDING
    "\u202b": "bidi control",  # RIGHT-TO-LEFT EMBEDDING
    "\u202c": "bidi control",  # POP DIRECTIONAL FORMATTING
    "\u202d": "bidi control",  # LEFT-TO-RIGHT OVERRIDE
    "\u202e": "bidi control",  # RIGHT-TO-LEFT OVERRIDE
    "\u2066": "bidi control",  # LEFT-TO-RIGHT ISOLATE
    "\u2067": "bidi control",  # RIGHT-TO-LEFT ISOLATE
    "\u2068": "bidi control",  # FIRST STRONG ISOLATE
    "\u2069": "bidi control",  # POP DIRECTIONAL ISOLATE
    "\ue000": "private-use",  # first of the Private Use Area
    "\uf8ff": "private-use",  # last of it
    "\u180e": "zero-width",  # MONGOLIAN VOWEL SEPARATOR
    "\u3164": "Hangul filler",  # HANGUL FILLER
    "\u115f": "Hangul filler",  # HANGUL CHOSEONG FILLER
    "\u2028": "line separator",  # LINE SEPARATOR
    "\u2029": "paragraph separator",  # PARAGRAPH SEPARATOR
    "\u2061": "invisible operator",  # FUNCTION APPLICATION
    "\u2064": "invisible operator",  # INVISIBLE PLUS
    "\u206a": "deprecated format control",  # INHIBIT SYMMETRIC SWAPPING
    "\u206f": "deprecated format control",  # NOMINAL DIGIT SHAPES
    "\ufff9": "interlinear annotation",  # INTERLINEAR ANNOTATION ANCHOR
    "\ufffb": "interlinear annotation",  # INTERLINEAR ANNOTATION TERMINATOR
}


@pytest.mark.parametrize(("char", "kind"), list(INVISIBLE.items()))
def test_invisible_characters_are_flagged(tmp_path: Path, char: str, kind: str) -> None:
    escaped = json.dumps(f"正文{char}继续")
    [finding] = [f for f in findings_for(tmp_path, title=escaped) if f.code == "invisible"]
    assert kind in finding.message
    assert f"U+{ord(char):04X}" in finding.message


@pytest.mark.parametrize(
    ("prose", "message"),
    [
        ("中文,逗号", "half-width ','"),
        ("问题:冒号", "half-width ':'"),
        ("完了.再说", "half-width '.'"),
        ("好。。", "doubled punctuation '。。'"),
        ("“引号不配对", "unbalanced “”"),
        ("《书名", "unbalanced 《》"),
    ],
)
def test_typography_problems_are_flagged(tmp_path: Path, prose: str, message: str) -> None:
    found = [f.message for f in findings_for(tmp_path, prose=prose) if f.code == "typography"]
    assert any(message in m for m in found), found


@pytest.mark.parametrize(
    "prose", ["共1,031个", "增长3.5%", "“完整的引号”", "省略……", "破折号——", "（全角）"]
)
def test_correct_typography_is_not_flagged(tmp_path: Path, prose: str) -> None:
    assert "typography" not in codes(findings_for(tmp_path, prose=prose))


def test_mixed_cjk_latin_spacing_is_flagged_once_per_minority_spot(tmp_path: Path) -> None:
    found = findings_for(tmp_path, prose="用 PDF 和 HTML 输出，也用XML")
    spacing = [f for f in found if "space" in f.message]
    [finding] = spacing  # the one unspaced spot, 用XML, against four spaced ones
    assert "without a space" in finding.message
    assert (finding.location.line, finding.location.column) == (12, 24)


def test_completeness_findings(tmp_path: Path) -> None:
    found = findings_for(tmp_path, duration=4)
    assert any("take 5 minutes; the session has 4" in f.message for f in found)
    extra = "  - title: 只有正文\n    prose: 没有要点。\n"
    text = LESSON.format(title="课程", prose="正文。", duration=20).replace(
        "questions:", extra.replace("  - ", "  - ", 1) + "questions:"
    )
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "lesson.yaml").write_text(
        text.replace("questions:\n  - prompt: 一个问题？\n    minutes: 5\n", ""), encoding="utf-8"
    )
    messages = [f.message for f in check_lesson(load_lesson(folder))]
    assert "the lesson has no discussion questions" in messages
    assert 'section "只有正文" has prose but no slide points' in messages


def test_overflow_is_predicted_with_its_source_location() -> None:
    found = [f for f in check_lesson(load_lesson(FIXTURES / "stress")) if f.code == "overflow"]
    forty = [f for f in found if "四十个要点" in f.message]
    assert forty and "extra slides at 24 pt" in forty[0].message
    assert forty[0].location.field == "sections[0].sections[0].points"


def test_missing_glyph_names_character_code_point_and_place(tmp_path: Path) -> None:
    [finding] = [f for f in findings_for(tmp_path, prose="古文字𓀀在此") if f.code == "glyph"]
    assert "'𓀀' (U+13000)" in finding.message
    assert (finding.location.line, finding.location.column) == (12, 10)


def test_check_and_build_agree_on_characters_print_cannot_show(tmp_path: Path) -> None:
    """A character no installed face has stops the build: check says so as an error. One
    only the print faces lack is borrowed from another face: a warning naming it."""
    from builder.text.fontconfig import family_having

    if family_having("😀") is None:  # Debian's fonts-dejavu-core has it, as fontconfig does
        pytest.skip("no installed face has U+1F600")
    findings_for(tmp_path, prose="笑😀，生僻字𠀀。")
    lesson = tmp_path / "lesson"
    checked = run_lectern("check", lesson)
    assert checked.returncode == 2
    assert "error[glyph]: sections[0].prose: no print font has a glyph for '𠀀'" in checked.stdout
    assert "1 finding, 1 error" in checked.stderr
    assert (
        "'😀' (U+1F600): " in checked.stdout
        and "the print fonts lack it: it would print in '" in checked.stdout
    )
    built = run_lectern("build", lesson, "-o", tmp_path / "out")
    assert built.returncode == 2
    assert "no print font has a glyph for '𠀀' (U+20000)" in built.stderr
    # Speaker notes are never printed: there, the character is the slides' concern only.
    text = (lesson / "lesson.yaml").read_text(encoding="utf-8").replace("生僻字𠀀", "")
    (lesson / "lesson.yaml").write_text(
        text.replace("    prose: |", "    notes: 提示𠀀\n    prose: |"), encoding="utf-8"
    )
    assert run_lectern("check", lesson).returncode == 0
    assert run_lectern("build", lesson, "-o", tmp_path / "out").returncode == 0


def test_check_command_exit_codes_and_json(tmp_path: Path) -> None:
    clean = run_lectern("check", ENGLISH)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    raw = run_lectern("check", "--strict", FIXTURES / "seed-raw")
    assert raw.returncode == 1
    assert "lesson.yaml:3:16: warning[injected]: title: '(1635开云kaiyun)'" in raw.stdout
    broken = run_lectern("check", FIXTURES / "broken" / "misspelt")
    assert broken.returncode == 2
    report = json.loads(run_lectern("check", "--format", "json", FIXTURES / "seed-raw").stdout)
    assert {f["code"] for f in report["findings"]} >= {"injected", "typography"}


def test_strict_build_fails_on_findings_and_writes_nothing(tmp_path: Path) -> None:
    result = run_lectern("build", "--strict", FIXTURES / "seed-raw", "-o", tmp_path)
    assert result.returncode == 1
    assert "warning[injected]" in result.stderr
    assert not (tmp_path / "seed-raw").exists()
    lenient = run_lectern("build", FIXTURES / "seed-raw", "-o", tmp_path)
    assert lenient.returncode == 0
    assert "warning[injected]" in lenient.stderr


@pytest.mark.parametrize(
    ("project_file", "error"),
    [
        ("slide_template: missing.pptx\n", "missing.pptx"),
        ("slide_fonts: x\n", "unknown setting 'slide_fonts'"),
    ],
    ids=["missing-slide-master", "misspelt-setting"],
)
def test_a_broken_project_file_is_one_error_and_the_other_checks_still_run(
    tmp_path: Path, project_file: str, error: str
) -> None:
    for lesson in ("seed-raw", "minimal"):
        shutil.copytree(FIXTURES / lesson, tmp_path / "content" / lesson)
    (tmp_path / "lectern.yaml").write_text(project_file, encoding="utf-8")
    result = run_lectern("check", "--format", "json", cwd=tmp_path)
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert [e for e in report["errors"] if error in e["file"] + e["message"]] == report["errors"]
    assert len(report["errors"]) == 1  # once, not once per lesson
    assert {f["code"] for f in report["findings"]} >= {"injected", "typography"}


SPAM_CORPUS = Path(__file__).parent / "corpus" / "spam"


def corpus_lines(name: str) -> list[str]:
    lines = (SPAM_CORPUS / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def test_the_spam_detector_finds_every_shape_of_spliced_spam() -> None:
    """Recall on 48 pasted texts of eight shapes: each injected piece is found, as one
    finding that covers it (a domain whole, not its "www")."""
    from builder.check.injected import spliced_spans

    cases = corpus_lines("spam.txt")
    assert len(cases) >= 40
    missed = []
    for case in cases:
        text = case.replace("⟦", "").replace("⟧", "")
        start, end = case.index("⟦"), case.index("⟧") - 1
        spans = list(spliced_spans(text, set(), set()))
        covering = [s for s in spans if s[0] <= start and end <= s[1]]
        if len(spans) != 1 or not covering:
            missed.append((case, [text[a:b] for a, b in spans]))
    recall = 1 - len(missed) / len(cases)
    assert recall >= 0.95, missed


def test_the_spam_detector_leaves_ordinary_mixed_text_alone() -> None:
    from builder.check.injected import spliced_spans

    texts = corpus_lines("legit.txt")
    assert len(texts) >= 40
    flagged = {t: [t[a:b] for a, b in spliced_spans(t, set(), set())] for t in texts}
    assert {t: found for t, found in flagged.items() if found} == {}


def test_a_pasted_paragraph_of_half_width_marks_is_one_finding(tmp_path: Path) -> None:
    pasted = "第一句,第二句;第三句:第四句?第五句!" * 4  # 20 half-width marks
    found = findings_for(tmp_path, prose=pasted + "\n\n      另一段,也有一个。")
    typography = [f for f in found if f.code == "typography"]
    assert len(typography) == 2, [f.render() for f in typography]
    first, second = sorted(typography, key=lambda f: f.location.sort_key())
    assert "20 half-width marks" in first.message
    assert (first.location.line, first.location.column) == (12, 10)  # the first ',' typed
    assert "half-width ','" in second.message


def test_characters_without_a_glyph_are_one_finding_per_field(tmp_path: Path) -> None:
    found = [f for f in findings_for(tmp_path, prose="古文𠀀𠀁𠀂，又𓀀𓀁在此") if f.code == "glyph"]
    none, borrowed = sorted(found, key=lambda f: f.severity)  # error, then warning
    assert "no print font has a glyph for 3 characters" in none.message
    assert all(f"U+{code:04X}" in none.message for code in (0x20000, 0x20001, 0x20002))
    assert all(f"U+{code:04X}" in borrowed.message for code in (0x13000, 0x13001))


def test_an_escaped_character_is_located_at_its_escape(tmp_path: Path) -> None:
    [finding] = [
        f for f in findings_for(tmp_path, title='"第一课\\u202e正文"') if f.code == "invisible"
    ]
    assert (finding.location.line, finding.location.column) == (1, 12)


def test_messages_show_invisible_characters_by_their_code_points(tmp_path: Path) -> None:
    folder = tmp_path / "lesson"
    findings_for(tmp_path, title='"课程\\u202e\\u200b名"')
    result = run_lectern("check", folder)
    line = next(x for x in result.stdout.splitlines() if "invisible" in x)
    assert "<U+202E>" in line and "\u202e" not in result.stdout + result.stderr
    assert "\u200b" not in result.stdout + result.stderr


def test_without_the_cjk_fonts_one_message_says_what_to_install(tmp_path: Path) -> None:
    """A machine with Latin fonts only: one error naming the missing families and the
    package for each system, not one line per character the lesson uses."""
    from builder.text.fontconfig import match

    latin = Path(match("Noto Serif").file).parent
    assert not any(latin.glob("*CJK*"))
    config = tmp_path / "fonts.conf"
    config.write_text(
        f"<fontconfig><dir>{latin}</dir><cachedir>{tmp_path / 'fc'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    env = {"FONTCONFIG_FILE": str(config), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = run_lectern("build", SEED, "-o", tmp_path / "out", env=env)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1, result.stderr
    (error,) = errors
    assert "would print as empty boxes" in error and "'Noto Serif CJK SC'" in error
    for system, package in [
        ("Debian/Ubuntu", "fonts-noto-cjk"),
        ("Fedora", "google-noto-serif-cjk-fonts"),
        ("macOS", "font-noto-serif-cjk-sc"),
        ("Windows", "Noto Serif CJK SC from https://"),
    ]:
        assert f"{system}: " in error and package in error.split(f"{system}: ")[1]
    assert "lectern: 1 error; nothing was written" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_wrap_up_counts_in_the_session_length_at_its_edge(tmp_path: Path) -> None:
    """5 minutes of discussion and 3 of wrap-up fill 8; a session of 7 is short by one."""
    wrap_up = "closing:\n  minutes: 3\n"
    (tmp_path / "short").mkdir()
    (tmp_path / "enough").mkdir()
    short = findings_for(tmp_path / "short", duration=7, extra=wrap_up)
    assert any("take 8 minutes; the session has 7" in f.message for f in short)
    enough = findings_for(tmp_path / "enough", duration=8, extra=wrap_up)
    assert not any("the session has" in f.message for f in enough)


def test_typed_heading_numbers_are_removed_with_a_finding(tmp_path: Path) -> None:
    """`title: 一、从枫桥走来` would print "一、一、从枫桥走来" in the agenda and handout."""
    from builder.render.print.context import print_context
    from builder.render.slides.geometry import BUILT_IN_DECK
    from builder.render.slides.render import plan_lesson_deck

    folder = tmp_path / "lesson"
    folder.mkdir()
    text = LESSON.format(title="课程", prose="正文。", duration=20)
    text = text.replace("    title: 部分\n", "    title: 一、从枫桥走来\n")
    text = text.replace(
        "    prose: |", "    sections:\n      - title: （一）1.5亿人的城市\n    prose: |"
    )
    (folder / "lesson.yaml").write_text(text, encoding="utf-8")
    loaded = load_lesson(folder)
    found = [f for f in check_lesson(loaded) if f.code == "numbering"]
    assert [(f.location.line, f.location.column, f.location.field) for f in found] == [
        (8, 12, "sections[0].title"),
        (12, 16, "sections[0].sections[0].title"),
    ]
    assert "'一、'" in found[0].message and "'（一）'" in found[1].message
    part = loaded.lesson.sections[0]
    assert (part.title, part.sections[0].title) == ("从枫桥走来", "1.5亿人的城市")
    [item] = print_context(loaded.lesson)["sections"]
    assert item["number"] + item["title"] == "一、从枫桥走来"
    slides = plan_lesson_deck(loaded, BUILT_IN_DECK).slides
    agenda = next(s for s in slides if s.kind == "agenda")
    assert [p.text for p in agenda.body.paragraphs] == ["一、从枫桥走来"]


@pytest.mark.parametrize(
    "title", ["第一部分的标题", "2025 in review", "3.5亿人口的城市", "1361整体构架", "Python 3"]
)
def test_a_title_beginning_with_a_number_is_not_a_typed_heading_number(title: str) -> None:
    from builder.text.numbering import typed_number

    assert typed_number(title) == ""
