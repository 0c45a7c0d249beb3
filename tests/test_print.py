"""Print: escaped content, a fenced WeasyPrint, a theme that is a search path."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pydyf
import pytest
from pypdf import PdfReader

from builder.errors import RenderError, TemplateError
from builder.render.print.documents import render_pdf
from builder.render.print.pdf import _serialise_once, html_to_pdf
from builder.render.print.weasy import page_references_kept, sized_arrays_as_unsized
from builder.source import load_lesson
from builder.theme import BUILTIN, Theme
from tests.conftest import FIXTURES, PRINTED, pdf_text, run_lectern

CREATED = dt.datetime(2025, 1, 2, tzinfo=dt.UTC)
INJECTED = [
    '<img src="http://127.0.0.1/x"> 注入测试',
    '<link rel=attachment href="file:///etc/passwd">',
    "<style>body { display: none }</style>",
    "<script>alert(1)</script>",
    '<img src="http://127.0.0.1/q.png">问题',
]


@pytest.mark.parametrize("artifact", sorted(PRINTED))
def test_html_in_lesson_text_prints_as_text_and_fetches_nothing(artifact: str) -> None:
    loaded = load_lesson(FIXTURES / "injection")
    requests: list[str] = []
    pdf = render_pdf(loaded, Theme(), artifact, CREATED, requests=requests)
    text = pdf_text_of(pdf)
    assert INJECTED[0] in text
    if artifact == "handout.pdf":
        assert all(snippet in text for snippet in INJECTED[:4])
    # The fetcher records every URL WeasyPrint asks for: escaped text asks for none.
    assert requests == []


def test_fetcher_refuses_network_and_files_outside_the_lesson(tmp_path: Path) -> None:
    origin = tmp_path / "lesson.yaml"
    origin.write_text("")
    for html, reason in (
        ('<img src="http://127.0.0.1/x.png">', "never uses the network"),
        ('<link rel=stylesheet href="file:///etc/passwd">', "outside the lesson and theme"),
    ):
        requests: list[str] = []
        with pytest.raises(RenderError) as caught:
            html_to_pdf(
                html, [], allowed=(tmp_path,), identifier="t", requests=requests, origin=origin
            )
        assert reason in str(caught.value)
        assert len(requests) == 1


def test_missing_resource_is_a_build_error_not_a_log_line(tmp_path: Path) -> None:
    origin = tmp_path / "lesson.yaml"
    origin.write_text("")
    with pytest.raises(RenderError):
        html_to_pdf(
            '<img src="missing.png">', [], allowed=(tmp_path,), identifier="t", origin=origin
        )


def test_user_stylesheet_overrides_while_builtin_templates_apply(tmp_path: Path) -> None:
    theme = tmp_path / "templates" / "print"
    theme.mkdir(parents=True)
    (theme / "print.css").write_text(
        '@page { size: A5; margin: 15mm } html { font-family: "Noto Sans CJK SC" }'
    )
    lesson = tmp_path / "content" / "minimal"
    shutil.copytree(FIXTURES / "minimal", lesson)
    result = run_lectern("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    handout = PdfReader(tmp_path / "output" / "minimal" / "handout.pdf")
    width, height = (float(v) for v in handout.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (420, 595)  # A5, not the theme's A4
    assert "最小课程" in handout.pages[0].extract_text()  # the built-in template still ran
    default = run_lectern("build", FIXTURES / "minimal", "-o", tmp_path / "plain")
    assert default.returncode == 0
    plain = PdfReader(tmp_path / "plain" / "minimal" / "handout.pdf")
    assert round(float(plain.pages[0].mediabox.upper_right[0])) == 595  # A4


def test_misspelt_variable_in_user_template_names_template_and_line(tmp_path: Path) -> None:
    theme = tmp_path / "print"
    theme.mkdir()
    source = (BUILTIN / "print" / "questions.html").read_text(encoding="utf-8").splitlines()
    source.insert(5, "<p>{{ lesson.titel }}</p>")
    (theme / "questions.html").write_text("\n".join(source), encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        render_questions_with_theme(tmp_path)
    [problem] = caught.value.problems
    assert problem.location.file == theme / "questions.html"
    assert problem.location.line == 6
    assert "titel" in problem.message


def test_user_template_cannot_reach_python_internals(tmp_path: Path) -> None:
    theme = tmp_path / "print"
    theme.mkdir()
    (theme / "questions.html").write_text(
        "{{ lesson.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8"
    )
    with pytest.raises(TemplateError) as caught:
        render_questions_with_theme(tmp_path)
    assert "unsafe" in str(caught.value) or "__class__" in str(caught.value)


@pytest.mark.parametrize(("paper", "size"), [("A5", (420, 595)), ("Letter", (612, 792))])
def test_paper_size_is_selectable(tmp_path: Path, paper: str, size: tuple[int, int]) -> None:
    result = run_lectern("build", FIXTURES / "minimal", "-o", tmp_path, "--paper", paper)
    assert result.returncode == 0, result.stderr
    for name in PRINTED:
        page = PdfReader(tmp_path / "minimal" / name).pages[0]
        assert tuple(round(float(v)) for v in page.mediabox.upper_right) == size


def test_the_project_file_sets_the_paper_and_the_flag_wins(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "minimal", tmp_path / "content" / "minimal")
    (tmp_path / "lectern.yaml").write_text("paper: A5\n", encoding="utf-8")

    def handout_size(*flags: str) -> tuple[int, ...]:
        result = run_lectern("build", *flags, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        page = PdfReader(tmp_path / "output" / "minimal" / "handout.pdf").pages[0]
        return tuple(round(float(v)) for v in page.mediabox.upper_right)

    assert handout_size() == (420, 595)
    assert handout_size("--paper", "Letter") == (612, 792)
    # Run from elsewhere (a CI step), naming the project's content/: the same settings.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_lectern("build", tmp_path / "content", "-o", "out", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    page = PdfReader(elsewhere / "out" / "minimal" / "handout.pdf").pages[0]
    assert tuple(round(float(v)) for v in page.mediabox.upper_right) == (420, 595)


def test_participant_sheet_leaves_room_and_facilitator_sheet_keeps_time(built: Path) -> None:
    folder = built / "chongqing-governance"
    participant = pdf_text(folder / "questions.pdf")
    facilitator = pdf_text(folder / "questions-facilitator.pdf")
    lesson = load_lesson(FIXTURES.parent.parent / "content" / "chongqing-governance").lesson
    clock = lesson.lecture_minutes
    assert f"0:00–0:{clock:02d}" in facilitator
    for question in lesson.questions:
        assert f"{question.minutes}分钟" in participant
        start, clock = clock, clock + question.minutes
        assert f"{start // 60}:{start % 60:02d}–{clock // 60}:{clock % 60:02d}" in facilitator
        for hint in question.hints:
            assert hint.replace("**", "")[:12] in facilitator.replace("\n", "")
            assert hint.replace("**", "")[:12] not in participant.replace("\n", "")
    end = clock + lesson.closing.minutes
    assert f"{clock // 60}:{clock % 60:02d}–{end // 60}:{end % 60:02d} 总结" in facilitator
    assert end == lesson.duration


def render_questions_with_theme(folder: Path) -> bytes:
    """The minimal lesson's participant sheet, with folder as the user's theme."""
    theme = Theme.with_user_folder(folder)
    return render_pdf(load_lesson(FIXTURES / "minimal"), theme, "questions.pdf", CREATED)


def pdf_text_of(data: bytes) -> str:
    import io

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_streams_are_serialised_once_and_the_bytes_do_not_change() -> None:
    """pydyf hashes a PDF for its /ID by serialising it again: the streams' bytes are kept."""
    made: list[int] = []

    class Counted(pydyf.Stream):
        @property
        def data(self) -> bytes:
            made.append(id(self))
            return super().data

    def write(finisher) -> bytes:
        pdf = pydyf.PDF()
        for text in ("BT /F1 12 Tf (Lectern) Tj ET", "讲稿 " * 500):
            pdf.add_object(Counted([text.encode()], compress=True))
        finisher(None, pdf)
        out = io.BytesIO()
        pdf.write(out, identifier=b"lectern-test", compress=True)
        return out.getvalue()

    plain = write(lambda document, pdf: None)
    assert len(made) == 4  # each stream twice: written, then hashed for the /ID
    made.clear()
    assert write(_serialise_once) == plain
    assert len(made) == len(set(made)) == 2


def test_sized_arrays_are_made_as_unsized_ones_of_the_same_items() -> None:
    """WeasyPrint sizes a new array type per embedded font; cffi parses each new type."""
    import cffi

    ffi = cffi.FFI()
    ffi.cdef("typedef uint32_t hb_codepoint_t;")
    asked: list[str] = []
    new = ffi.new
    ffi.new = lambda cdecl, init=None: asked.append(cdecl) or new(cdecl, init)
    sized_arrays_as_unsized(ffi)

    for items in ([7, 3, 65535], list(range(1302))):
        array = ffi.new(f"hb_codepoint_t[{len(items)}]", items)
        assert list(array) == items
    assert asked == ["hb_codepoint_t[]"] * 2
    asked.clear()
    assert list(ffi.new("hb_codepoint_t[4]", [1, 2])) == [1, 2, 0, 0]  # not the same array
    assert ffi.new("int *")[0] == 0
    assert asked == ["hb_codepoint_t[4]", "int *"]
    assert ffi.sizeof(ffi.new("char[3]", b"abc")) == 3  # bytes keep their sized type
    assert asked[-1] == "char[3]"


def test_a_stylesheet_edited_between_documents_of_one_process_takes_effect(
    tmp_path: Path,
) -> None:
    """Stylesheets are kept parsed in a process (``lectern watch``), by their text."""
    theme_folder = tmp_path / "theme" / "print"
    theme_folder.mkdir(parents=True)
    sheet = theme_folder / "print.css"
    sheet.write_text((BUILTIN / "print" / "print.css").read_text(encoding="utf-8"), "utf-8")
    theme = Theme.with_user_folder(tmp_path / "theme")
    lesson = load_lesson(FIXTURES / "minimal")
    created = dt.datetime(2025, 1, 2, tzinfo=dt.UTC)

    def pages() -> int:
        return len(PdfReader(io.BytesIO(render_pdf(lesson, theme, "handout.pdf", created))).pages)

    before = pages()
    assert pages() == before
    sheet.write_text(sheet.read_text("utf-8") + "h2 { break-before: page; }", "utf-8")
    assert pages() > before


def test_a_pdfs_page_references_follow_the_pages_added() -> None:
    import pydyf

    page_references_kept()
    pdf = pydyf.PDF()
    assert pdf.page_references == ()
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = pdf.page_references
    assert first == (f"{pdf.objects[-1].number} 0 R".encode(),)
    assert pdf.page_references is first  # kept, not built again
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(pdf.page_references) == 2 and pdf.page_references[0] == first[0]


def test_a_character_no_print_font_has_fails_the_build_where_it_is_typed(tmp_path: Path) -> None:
    lesson = tmp_path / "content" / "minimal"
    shutil.copytree(FIXTURES / "minimal", lesson)
    text = (lesson / "lesson.yaml").read_text(encoding="utf-8")
    text = text.replace("prompt: 一个问题？", "prompt: 一个\U0010fffd问题？")
    (lesson / "lesson.yaml").write_text(
        text.replace("一段正文。", "一段\U0010fffc正文。"), encoding="utf-8"
    )
    result = run_lectern("build", lesson, "-o", tmp_path / "out")
    assert result.returncode == 2
    # Every such character at once, in reading order, though renders stop at the first.
    assert result.stderr.index("U+10FFFC") < result.stderr.index("U+10FFFD")
    assert "lectern: 2 errors; nothing was written" in result.stderr
    assert (
        "lesson.yaml:15:15: error: questions[0].prompt: no print font has a glyph for "
        "'<U+10FFFD>' (U+10FFFD): it would print as an empty box"
    ) in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "minimal").exists()
