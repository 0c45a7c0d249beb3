"""Hostile input: every attack ends in a located error or a sanitised build, never in a
traceback, and never damages what an earlier good build wrote.

Most cases are real builds (``python -m builder``) of a lesson folder named ``minimal``
into an output folder that already holds a good build of ``tests/fixtures/minimal``: the
hostile build must exit with status 2 and a compiler-style message, and leave every
earlier file byte for byte. Large and binary inputs are made here, in ``tmp_path``
(sparse files, streamed zips, PNGs whose pixels are a few KB of zlib), not committed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import random
import re
import shutil
import signal
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from builder import source
from builder.errors import LecternError, SourceError, TemplateError
from tests.conftest import FIXTURES, ROOT, SEED, pdf_text, run_lectern

MINIMAL = (FIXTURES / "minimal" / "lesson.yaml").read_text(encoding="utf-8")
ARTIFACTS = {"slides.pptx", "handout.pdf", "questions.pdf", "questions-facilitator.pdf"}
LOCATED = r"minimal/lesson\.yaml:\d+:\d+: error: "
CREATED = dt.datetime(2025, 1, 2, tzinfo=dt.UTC)


# --- the earlier good build, and hostile lessons built over it -------------------------


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> Path:
    """An output folder holding one good build of the minimal lesson (made once)."""
    output = tmp_path_factory.mktemp("baseline")
    result = run_lectern("build", FIXTURES / "minimal", "--output", output)
    assert result.returncode == 0, result.stderr
    return output


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below folder (hidden ones too) by relative path, with its bytes."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


@dataclass
class Earlier:
    """A copy of the baseline output, and its bytes before the hostile build."""

    output: Path
    before: dict[str, bytes]

    def unchanged(self) -> bool:
        return snapshot(self.output) == self.before


@pytest.fixture
def earlier(tmp_path: Path, baseline: Path) -> Earlier:
    output = tmp_path / "output"
    shutil.copytree(baseline, output)
    return Earlier(output, snapshot(output))


def lesson(
    tmp_path: Path, text: str | bytes = MINIMAL, files: dict | None = None, name: str = "minimal"
) -> Path:
    """A lesson folder called name (by default the good lesson's name) with text and files.

    files maps a relative path to bytes, to None (a folder), or to a callable that makes
    the entry at the path it is given (a symbolic link, a sparse file).
    """
    folder = tmp_path / "src" / name
    folder.mkdir(parents=True)
    (folder / "lesson.yaml").write_bytes(text.encode() if isinstance(text, str) else text)
    for relative, content in (files or {}).items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            path.mkdir()
        elif callable(content):
            content(path)
        else:
            path.write_bytes(content)
    return folder


def build(folder: Path, earlier: Earlier, *options: str | Path) -> subprocess.CompletedProcess:
    return run_lectern("build", folder, "--output", earlier.output, *options)


def assert_refused(result: subprocess.CompletedProcess, earlier: Earlier, *patterns: str) -> None:
    """Exit status 2, no traceback, each pattern in the messages, earlier output intact."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    for pattern in patterns:
        assert re.search(pattern, result.stderr), (pattern, result.stderr)
    assert earlier.unchanged()


def assert_built(result: subprocess.CompletedProcess, earlier: Earlier) -> Path:
    """Exit status 0, no traceback, four artifacts that reopen, no stray files."""
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    folder = earlier.output / "minimal"
    assert {p.name for p in folder.iterdir()} == ARTIFACTS | {"manifest.json"}
    assert_artifacts_reopen(folder)
    return folder


def assert_artifacts_reopen(folder: Path) -> None:
    assert_valid(folder / "slides.pptx", (folder / "slides.pptx").read_bytes())
    for name in ARTIFACTS - {"slides.pptx"}:
        assert_valid(folder / name, (folder / name).read_bytes())


def assert_valid(path: Path, data: bytes) -> None:
    """data is a whole artifact of path's kind: a zip and deck that open, or a PDF."""
    if path.suffix == ".pptx":
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            assert package.testzip() is None
        assert len(Presentation(io.BytesIO(data)).slides) > 0
    elif path.suffix == ".pdf":
        assert len(PdfReader(io.BytesIO(data), strict=True).pages) > 0
    else:
        json.loads(data)


def with_field(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


# --- YAML -----------------------------------------------------------------------------


def test_alias_bomb_is_stopped_by_the_node_cap(tmp_path: Path, earlier: Earlier) -> None:
    # Nine levels of nine aliases: 9**9 (387 million) values once expanded.
    bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
    for level in range(1, 9):
        bomb += f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]\n"
    result = build(lesson(tmp_path, bomb + MINIMAL), earlier)
    assert_refused(result, earlier, LOCATED + r".*more than 200000 values \(an alias bomb\?\)")


@pytest.mark.parametrize("opening", ["[", "{a: ", "- "])
def test_deep_nesting_is_a_located_error(tmp_path: Path, earlier: Earlier, opening: str) -> None:
    if opening == "- ":  # block style: each level indented two more spaces
        deep = "\n" + "".join("  " * level + "-\n" for level in range(1, 200))
    else:
        deep = opening * 20_000
    result = build(lesson(tmp_path, MINIMAL + "extra: " + deep + "\n"), earlier)
    assert_refused(result, earlier, LOCATED + r".*nest")
    assert "RecursionError" not in result.stderr


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_deep_nesting_is_located_by_the_pure_python_loader_too(
    tmp_path: Path, monkeypatch, opening: str
) -> None:
    folder = lesson(tmp_path, MINIMAL + "extra: " + opening * 20_000 + "\n")
    for loader in (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        monkeypatch.setattr(source, "_Loader", loader)
        with pytest.raises(SourceError) as caught:
            source.load_lesson(folder)
        [problem] = caught.value.problems
        assert problem.location.line == 18, problem
        assert "nest" in problem.message


def test_python_tags_are_refused_and_never_run(tmp_path: Path, earlier: Earlier) -> None:
    proof = tmp_path / "pwned"
    text = with_field(
        MINIMAL, "title: 最小课程", f'title: !!python/object/apply:os.system ["touch {proof}"]'
    )
    text = with_field(text, "  - name: 测试者", "  - name: !!python/name:os.system ''")
    text += "closing: !custom {summary: x}\n"
    result = build(lesson(tmp_path, text), earlier)
    assert_refused(
        result,
        earlier,
        LOCATED + r"title: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not",
        LOCATED + r"authors\[0\]\.name: YAML tag .*python/name:os.system",
        LOCATED + r"closing: YAML tag '!custom' is not allowed",
    )
    assert "lectern: 3 errors" in result.stderr  # no second "expected text" per tag
    assert not proof.exists()


def test_a_5000_digit_number_is_a_located_error(tmp_path: Path, earlier: Earlier) -> None:
    # Python refuses int() of more than 4300 digits with ValueError; nothing may leak.
    text = with_field(MINIMAL, "duration: 20", "duration: " + "9" * 5000)
    text = with_field(text, "minutes: 5", "minutes: " + "1" * 5000)
    result = build(lesson(tmp_path, text), earlier)
    assert_refused(
        result,
        earlier,
        LOCATED + r"duration: number is far too large, got '9{20}",
        LOCATED + r"questions\[0\]\.minutes: number is far too large",
    )
    assert len(result.stderr) < 2000


def test_a_50_mb_lesson_file_is_refused_by_its_size(tmp_path: Path, earlier: Earlier) -> None:
    folder = lesson(tmp_path)
    with (folder / "lesson.yaml").open("r+b") as stream:
        stream.truncate(50 * 1024 * 1024)  # sparse: costs no disk and no time
    result = build(folder, earlier)
    assert_refused(
        result, earlier, r"minimal/lesson\.yaml: error: file is 52\.4 MB; .* at most 2 MB"
    )


@pytest.mark.parametrize("kind", ["fifo", "device", "loop"])
def test_the_loader_reads_only_a_regular_lesson_file(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "minimal"
    folder.mkdir()
    path = folder / "lesson.yaml"
    if kind == "fifo":
        os.mkfifo(path)  # reading it would wait forever
        expected = "is not a regular file"
    elif kind == "device":
        path.symlink_to("/dev/zero")  # reading it would never end
        expected = "is not a regular file"
    else:
        path.symlink_to(folder / "other.yaml")
        (folder / "other.yaml").symlink_to(path)
        expected = "a loop of links"
    with pytest.raises(SourceError) as caught:
        source.load_lesson(folder)
    [problem] = caught.value.problems
    assert problem.location.file in (path, folder)
    assert expected in problem.message
    assert str(problem)  # renders: no path in it loops


def test_a_lesson_file_linking_outside_its_folder_is_refused(
    tmp_path: Path, earlier: Earlier
) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text(with_field(MINIMAL, "最小课程", "别处的文件"), encoding="utf-8")
    folder = lesson(tmp_path)
    (folder / "lesson.yaml").unlink()
    (folder / "lesson.yaml").symlink_to(secret)
    result = build(folder, earlier)
    assert_refused(
        result, earlier, r"minimal/lesson\.yaml: error: is a link to a file outside the lesson"
    )


def test_a_gbk_file_is_refused_as_not_utf8(tmp_path: Path, earlier: Earlier) -> None:
    result = build(lesson(tmp_path, MINIMAL.encode("gbk")), earlier)
    assert_refused(
        result, earlier, LOCATED + r"file is not valid UTF-8 \(it looks like GBK/GB18030"
    )


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_bom_marked_files_build(tmp_path: Path, earlier: Earlier, encoding: str) -> None:
    data = MINIMAL.encode(encoding)
    assert data[:2] in (b"\xef\xbb", b"\xff\xfe", b"\xfe\xff")
    folder = assert_built(build(lesson(tmp_path, data), earlier), earlier)
    assert Presentation(folder / "slides.pptx").core_properties.title == "最小课程"
    assert "最小课程" in pdf_text(folder / "handout.pdf")


# --- text -----------------------------------------------------------------------------


def test_control_character_escapes_are_located(tmp_path: Path, earlier: Earlier) -> None:
    text = with_field(MINIMAL, "title: 最小课程", 'title: "铃\\a声"\nsubtitle: "换\\f页"')
    text = with_field(text, "      - 一个要点", '      - "要\\x07点"')
    result = build(lesson(tmp_path, text), earlier)
    assert_refused(
        result,
        earlier,
        LOCATED + r"title: control character U\+0007 is not allowed",
        LOCATED + r"subtitle: control character U\+000C is not allowed",
        LOCATED + r"sections\[0\]\.points\[0\]: control character U\+0007",
    )


@pytest.mark.parametrize(("raw", "code"), [("\x07", "U+0007"), ("\x0c", "U+000C")])
def test_raw_control_characters_are_located(
    tmp_path: Path, earlier: Earlier, raw: str, code: str
) -> None:
    text = with_field(MINIMAL, "一个要点", f"一个{raw}要点")
    result = build(lesson(tmp_path, text), earlier)
    # Line 11, column 11: after "      - 一个", counted in characters, not UTF-8 bytes.
    located = r"minimal/lesson\.yaml:11:11: error: control character "
    assert_refused(result, earlier, located + re.escape(code))


def test_crlf_line_endings_build_without_carriage_returns(tmp_path: Path, earlier: Earlier) -> None:
    text = with_field(MINIMAL, "      一段正文。\n", "      一段正文。\n\n      第二段。\n")
    folder = assert_built(build(lesson(tmp_path, text.replace("\n", "\r\n")), earlier), earlier)
    with zipfile.ZipFile(folder / "slides.pptx") as package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                data = package.read(name)
                assert b"_x000D_" not in data, name
                assert b"&#13;" not in data, name
                if name.startswith(("ppt/slides/", "ppt/notesSlides/")):
                    # python-pptx's own boilerplate parts end their XML declaration in
                    # CRLF; the parts holding the lesson's text must hold no CR at all.
                    assert b"\r" not in data, name
    notes = "\n".join(
        slide.notes_slide.notes_text_frame.text
        for slide in Presentation(folder / "slides.pptx").slides
        if slide.has_notes_slide
    )
    assert "第二段。" in notes


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\uFFFE", "\\uFFFF", "\\x85"])
def test_surrogate_and_noncharacter_escapes_are_located(
    tmp_path: Path, earlier: Earlier, escape: str
) -> None:
    text = with_field(MINIMAL, "title: 最小课程", f'title: "坏{escape}字"')
    result = build(lesson(tmp_path, text), earlier)
    # libyaml refuses a surrogate escape itself; everything else is the loader's message.
    assert_refused(result, earlier, LOCATED + r"(title: control character U\+[0-9A-F]{4}|.*escape)")


def test_a_300_character_word_builds(tmp_path: Path, earlier: Earlier) -> None:
    word = "https://example.org/" + "x" * 280
    chinese = "长" * 300
    text = with_field(MINIMAL, "一个要点", word)
    text = with_field(text, "一段正文。", chinese + "\n\n      " + word)
    folder = assert_built(build(lesson(tmp_path, text), earlier), earlier)
    handout = re.sub(r"\s+", "", pdf_text(folder / "handout.pdf"))
    assert word in handout
    assert chinese in handout
    texts = [
        re.sub(r"\s+", "", shape.text_frame.text)
        for slide in Presentation(folder / "slides.pptx").slides
        for shape in slide.shapes
        if shape.has_text_frame
    ]
    assert any(word in text for text in texts)


def test_a_list_of_10000_points_is_refused_by_the_list_cap(
    tmp_path: Path, earlier: Earlier
) -> None:
    points = "".join(f"      - 要点{i}\n" for i in range(10_000))
    text = with_field(MINIMAL, "      - 一个要点\n", points)
    result = build(lesson(tmp_path, text), earlier)
    assert_refused(
        result,
        earlier,
        LOCATED + r"sections\[0\]\.points: 10000 entries; a list may have at most 1000",
    )


# --- links ----------------------------------------------------------------------------


def test_unsafe_reading_links_are_refused(tmp_path: Path, earlier: Earlier) -> None:
    urls = [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/x",
    ]
    reading = "".join(f"    - title: 读物{i}\n      url: '{url}'\n" for i, url in enumerate(urls))
    result = build(lesson(tmp_path, MINIMAL + "closing:\n  reading:\n" + reading), earlier)
    assert_refused(
        result,
        earlier,
        *(
            LOCATED + rf"closing\.reading\[{i}\]\.url: a link is one web or mail address"
            for i in range(len(urls))
        ),
    )


# --- images ---------------------------------------------------------------------------


def picture(kind: str = "PNG", size: tuple[int, int] = (64, 48), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (180, 40, 40) if mode == "RGB" else 900).save(out, kind)
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of width×height pixels, all zero: kilobytes on disk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    compressor = zlib.compressobj(9)
    row = bytes(1 + (width + 7) // 8)  # filter byte + packed pixels
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def with_image(src: str) -> str:
    return with_field(
        MINIMAL,
        "      一段正文。\n",
        f"      一段正文。\n    images:\n      - src: '{src}'\n        alt: 示意图\n",
    )


def _outside(tmp_path: Path) -> Path:
    path = tmp_path / "src" / "outside.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(picture())
    return path


def _sparse(size: int):
    def make(path: Path) -> None:
        with path.open("wb") as stream:
            stream.write(b"\x89PNG\r\n\x1a\n")
            stream.truncate(size)

    return make


def _write(make):
    """A file maker writing the bytes make() returns (made when the test runs)."""
    return lambda path: path.write_bytes(make())


IMAGE_CASES = {
    "parent": ("../outside.png", {}, "points outside the lesson folder"),
    "absolute": ("{outside}", {}, "must be a path relative to the lesson folder"),
    "percent-encoded": ("%2e%2e/outside.png", {}, "points outside the lesson folder"),
    "symlink": ("pictures/x.png", {"pictures/x.png": "link"}, "points outside the lesson folder"),
    "folder": ("x.png", {"x.png": None}, "is not a regular file"),
    "null byte": ("x%00.png", {}, "contains a control character"),
    "too large": ("x.png", {"x.png": _sparse(21 * 1024 * 1024)}, "is larger than 20 MB"),
    "gif": ("x.png", {"x.png": _write(lambda: picture("GIF"))}, "is GIF; use PNG or JPEG"),
    "bmp": ("x.bmp", {"x.bmp": _write(lambda: picture("BMP"))}, "is BMP; use PNG or JPEG"),
    "bomb": (
        "x.png",
        {"x.png": _write(lambda: png_declaring(10_000, 10_000))},
        "is 10000×10000 pixels; at most 40 megapixels",
    ),
    "bigger bomb": (
        "x.png",
        {"x.png": _write(lambda: png_declaring(20_000, 20_000))},
        "is 20000×20000 pixels; at most 40 megapixels",
    ),
    "truncated": (
        "x.png",
        {"x.png": _write(lambda: picture(size=(400, 300))[:300])},
        "is not a readable PNG image",
    ),
    "truncated jpeg": (
        "x.jpg",
        {"x.jpg": _write(lambda: picture("JPEG", (400, 300))[:400])},
        "is not a readable JPEG image",
    ),
    "16-bit grey": (  # common from scientific cameras; WeasyPrint cannot write it
        "x.png",
        {"x.png": _write(lambda: picture(mode="I;16"))},
        "has 16-bit grey pixels, which a PDF cannot hold",
    ),
    "random bytes": (
        "x.png",
        {"x.png": _write(lambda: random.Random(7).randbytes(4096))},
        "is not a PNG or JPEG image",
    ),
    "random after a signature": (
        "x.png",
        {"x.png": _write(lambda: b"\x89PNG\r\n\x1a\n" + random.Random(8).randbytes(4096))},
        "is not a readable PNG image",
    ),
}


@pytest.mark.parametrize("case", IMAGE_CASES)
def test_unusable_images_are_refused_with_a_location(
    tmp_path: Path, earlier: Earlier, case: str
) -> None:
    src, files, expected = IMAGE_CASES[case]
    outside = _outside(tmp_path)
    src = src.format(outside=outside)
    files = {
        path: (lambda p: p.symlink_to(outside)) if content == "link" else content
        for path, content in files.items()
    }
    folder = lesson(tmp_path, with_image(src), files)
    if case.endswith("bomb"):
        assert (folder / "x.png").stat().st_size < 64 * 1024
    result = build(folder, earlier)
    assert_refused(
        result,
        earlier,
        LOCATED + re.escape(f"sections[0].images[0].src: image '{src}': {expected}"),
    )
    assert "DecompressionBomb" not in result.stderr  # no warning from Pillow either


def test_a_good_png_appears_in_slides_and_handout(tmp_path: Path, earlier: Earlier) -> None:
    folder = lesson(
        tmp_path, with_image("pictures/map.png"), {"pictures/map.png": picture(size=(400, 300))}
    )
    out = assert_built(build(folder, earlier), earlier)
    deck = Presentation(out / "slides.pptx")
    pictures = [
        s for slide in deck.slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]
    assert len(pictures) == 1
    assert pictures[0]._element.nvPicPr.cNvPr.get("descr") == "示意图"
    assert any(page.images for page in PdfReader(out / "handout.pdf").pages)


# --- templates ------------------------------------------------------------------------


def _zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)


def _pptx_members() -> dict[str, bytes]:
    return {"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<p/>"}


def _zip_bomb(path: Path) -> None:
    """A .pptx with a 300 MB member of zeros, streamed: about 1 MB on disk, no 300 MB in RAM."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for name, data in _pptx_members().items():
            package.writestr(name, data)
        with package.open("ppt/media/zeros.bin", "w", force_zip64=True) as member:
            block = bytes(1 << 20)
            for _ in range(300):
                member.write(block)


TEMPLATE_CASES = {
    "zip bomb": (_zip_bomb, r"template unpacks to more than 200 MB \(a zip bomb\?\)"),
    "parent member": (
        lambda p: _zip(p, {**_pptx_members(), "../evil": b"x"}),
        r"unsafe member name '\.\./evil'",
    ),
    "absolute member": (
        lambda p: _zip(p, {**_pptx_members(), "/etc/evil": b"x"}),
        r"unsafe member name '/etc/evil'",
    ),
    "windows member": (
        lambda p: _zip(p, {**_pptx_members(), "..\\evil": b"x"}),
        r"unsafe member name",
    ),
    "no presentation": (
        lambda p: _zip(p, {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
        r"not a PowerPoint presentation or template",
    ),
    "text file": (
        lambda p: p.write_text("not a deck\n", encoding="utf-8"),
        r"not a PowerPoint file \(not a zip package\)",
    ),
    "broken parts": (
        lambda p: _zip(p, _pptx_members()),
        r"cannot open",
    ),
    "picture linked by address": (
        lambda p: _zip(
            p,
            {
                **_pptx_members(),
                "ppt/slideLayouts/_rels/slideLayout1.xml.rels": b'<Relationships xmlns="http:'
                b'//schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r'
                b'Id9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationshi'
                b'ps/image" Target="http://attacker.invalid/logo.png" TargetMode="External"/>'
                b"</Relationships>",
            },
        ),
        r"ppt/slideLayouts/_rels/slideLayout1\.xml\.rels links to an outside file or address",
    ),
}


@pytest.mark.parametrize("case", TEMPLATE_CASES)
def test_hostile_slide_templates_are_refused(tmp_path: Path, earlier: Earlier, case: str) -> None:
    make, expected = TEMPLATE_CASES[case]
    template = tmp_path / "ours.pptx"
    make(template)
    assert template.stat().st_size < 4 * 1024 * 1024
    result = build(lesson(tmp_path), earlier, "--slide-template", template)
    assert_refused(result, earlier, r"ours\.pptx: error: " + expected)


@pytest.mark.parametrize("case", [c for c in TEMPLATE_CASES if c != "broken parts"])
def test_templates_are_refused_before_python_pptx_sees_them(
    tmp_path: Path, monkeypatch, case: str
) -> None:
    from builder.render.slides import master
    from builder.render.slides.geometry import DeckGeometry

    def never(*args, **kwargs):
        raise AssertionError("python-pptx was given an unchecked template")

    monkeypatch.setattr(master, "Presentation", never)
    template = tmp_path / "ours.pptx"
    TEMPLATE_CASES[case][0](template)
    with pytest.raises(TemplateError) as caught:
        master.open_master(template, DeckGeometry())
    assert re.search(TEMPLATE_CASES[case][1], str(caught.value))


def user_theme(tmp_path: Path, body: str, name: str = "questions.html") -> Path:
    theme = tmp_path / "theme"
    (theme / "print").mkdir(parents=True)
    (theme / "print" / name).write_text(body, encoding="utf-8")
    return theme


def render_questions(theme: Path) -> bytes:
    from builder.render.print.documents import render_pdf
    from builder.theme import Theme

    loaded = source.load_lesson(FIXTURES / "minimal")
    return render_pdf(loaded, Theme.with_user_folder(theme), "questions.pdf", CREATED)


@pytest.mark.parametrize(
    "expression",
    [
        "cycler.__init__.__globals__",
        "joiner.__init__.__globals__.os",
        "lipsum.__globals__['os']",
        "self.__init__.__globals__",
        "namespace.__init__.__globals__",
        "range.__self__",
        "lesson.__class__.__mro__[1].__subclasses__()",
        "'{0.__class__.__mro__}'.format(lesson)",
        "image_url.__globals__",
        "lesson.title.__class__.__base__",
    ],
)
def test_user_templates_cannot_reach_python_internals(tmp_path: Path, expression: str) -> None:
    theme = user_theme(tmp_path, "<p>\n{{ " + expression + " }}</p>")
    with pytest.raises(TemplateError) as caught:
        render_questions(theme)
    [problem] = caught.value.problems
    assert re.search("may not be|is undefined|no field|has no attribute", problem.message), problem
    assert problem.location.file == theme / "print" / "questions.html"
    assert problem.location.line == 2


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("{% for i in range(10**9) %}{% endfor %}", "MAX_RANGE"),
        ("{{ 10 ** (10 ** 10) }}", "too large for a template"),
        ("{{ 'x' * 10 ** 9 }}", "more than a template may build"),
        ("{{ lesson.sections * 10 ** 8 }}", "more than a template may build"),
        ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "calls itself without end"),
        ("{% include 'print/questions.html' %}", "calls itself without end"),
        ("{{ 1 / 0 }}", "ZeroDivisionError"),
        ("{{ lesson.sections[99] }}", "no element 99"),
        ("{{ image_url('../../../etc/passwd') }}", "points outside the lesson folder"),
        ("{% include '../../etc/passwd' %}", "template not found"),
    ],
)
def test_user_template_mistakes_and_excesses_are_located(
    tmp_path: Path, body: str, expected: str
) -> None:
    theme = user_theme(tmp_path, "<p>\n" + body)
    with pytest.raises(TemplateError) as caught:
        render_questions(theme)
    [problem] = caught.value.problems
    assert expected in problem.message, problem
    if "not found" not in expected:
        assert problem.location.file == theme / "print" / "questions.html"
        assert problem.location.line == 2


def test_a_template_that_never_ends_is_stopped(tmp_path: Path, monkeypatch) -> None:
    from builder.render.print import templating

    monkeypatch.setattr(templating, "RENDER_SECONDS", 0.5)
    loops = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    theme = user_theme(tmp_path, "<p>\n\n" + loops)
    with pytest.raises(TemplateError) as caught:
        render_questions(theme)
    [problem] = caught.value.problems
    assert "longer than 0.5 s" in problem.message
    assert problem.location.line == 3
    assert templating.RENDER_SECONDS == 0.5  # and the process's timer is free again:
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_template_linking_outside_the_theme_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    theme = user_theme(tmp_path, "{% include 'print/leak.html' %}")
    (theme / "print" / "leak.html").symlink_to(secret)
    with pytest.raises(TemplateError) as caught:
        render_questions(theme)
    assert "outside the theme" in str(caught.value)


def test_a_runaway_user_template_fails_the_build_cleanly(tmp_path: Path, earlier: Earlier) -> None:
    theme = user_theme(tmp_path, "<p>\n{% for i in range(10**9) %}{% endfor %}")
    result = build(lesson(tmp_path), earlier, "--templates", theme)
    assert_refused(result, earlier, r"theme/print/questions\.html:2: error: .*MAX_RANGE")


# --- outputs --------------------------------------------------------------------------


def start(*args: str | Path, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "builder", *map(str, args)],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def assert_each_file_old_or_new(folder: Path, old: dict, new: dict) -> None:
    """Every visible file is a whole old or a whole new version; hidden ones are scratch."""
    names = set()
    for path in folder.iterdir():
        if path.name.startswith("."):
            assert path.name in (".lock", ".lectern-commit") or path.name.endswith(".tmp")
            continue
        names.add(path.name)
        data = path.read_bytes()
        assert data in (old[path.name], new[path.name]), path.name
        assert_valid(path, data)
    assert names == set(old)


def test_sigkill_mid_build_leaves_the_previous_artifacts_whole(tmp_path: Path) -> None:
    stress = FIXTURES / "stress"
    out, reference = tmp_path / "out", tmp_path / "reference"
    newer = {"SOURCE_DATE_EPOCH": "1700000000"}
    made = run_lectern("build", stress, "-o", reference, env=newer)
    assert made.returncode == 0, made.stderr
    began = time.monotonic()
    made = run_lectern("build", stress, "-o", out)
    # How long a whole build takes here and now; kills are drawn from inside it, and one
    # that lands after the build has exited is not counted (nor waited for again).
    duration = time.monotonic() - began
    assert made.returncode == 0, made.stderr
    old, new = snapshot(out / "stress"), snapshot(reference / "stress")
    assert old["slides.pptx"] != new["slides.pptx"]
    moments, landed = random.Random(1729), 0
    for _ in range(20):
        process = start("build", stress, "-o", out, env=newer)
        time.sleep(moments.uniform(0.05, 0.95) * duration)
        process.send_signal(signal.SIGKILL)  # a no-op once the build has exited
        if process.wait(timeout=60) == -signal.SIGKILL:
            landed += 1
            assert_each_file_old_or_new(out / "stress", old, new)
        else:
            duration *= 0.8  # the machine got faster: draw from a shorter span
        if landed == 5:
            break
    assert landed == 5, "the kills kept landing after the build had exited"


def test_two_builds_into_one_folder_at_once_leave_one_whole_set(tmp_path: Path) -> None:
    out = tmp_path / "out"
    builds = [
        start("build", FIXTURES / "minimal", "-o", out, env={"SOURCE_DATE_EPOCH": epoch})
        for epoch in ("1700000000", "1710000000")
    ]
    for process in builds:
        assert process.wait(timeout=300) == 0, process.stderr.read()
    folder = out / "minimal"
    assert {p.name for p in folder.iterdir()} == ARTIFACTS | {"manifest.json"}
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["artifacts"]:
        data = (folder / entry["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["name"]
        assert_valid(folder / entry["name"], data)


@pytest.mark.parametrize(
    "name",
    [
        *("CON", "con", "Aux", "NUL.txt", "COM1", "lpt9", "a:b", "a<b", "what?", "a|b"),
        *("star*", "trailing.", "trailing ", "..", "tab\there", 'quote"d', "back\\slash"),
    ],
)
def test_unsafe_output_names_are_refused_with_a_reason(name: str) -> None:
    from builder.artifacts import safe_output_name

    with pytest.raises(LecternError) as caught:
        safe_output_name(name)
    [problem] = caught.value.problems
    assert repr(name) in problem.message
    assert "rename" in problem.message
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    "name", ["minimal", "chongqing-governance", "第一课", "lesson.v2", "CONSOLE", "com10", ".x"]
)
def test_ordinary_output_names_are_kept(name: str) -> None:
    from builder.artifacts import safe_output_name

    assert safe_output_name(name) == name


def test_a_lesson_folder_named_con_is_refused_before_anything_is_written(
    tmp_path: Path, earlier: Earlier
) -> None:
    result = build(lesson(tmp_path, name="CON"), earlier)
    assert_refused(result, earlier, r"error: .*'CON'.* reserved .*Windows.*rename")
    assert not (earlier.output / "CON").exists()


# --- any text at all ------------------------------------------------------------------

# Text a lesson may hold and Lectern must draw: invisible, bidirectional, combining,
# astral, markup-like and YAML-like pieces.
_AWKWARD = [
    "\u200b", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u202d", "\u2066", "\u2069",
    "\u200f", "\u2028", "\u2029", "\u0301", "\u0e33", "\t", "\n", "<b>", "</p><script>x</script>",
    "&amp;", "&#x41;", "**", "{{ x }}", "{% if %}", "'", '"', "\\", ": ", "- ", " #", "*a",
    "&a", "!!str ", "%", "`", "😀", "👩\u200d👩", "𠀀", "عربي", "一", "\ue000", "\U000e0001",
]  # fmt: skip
# What the loader must refuse (or YAML itself, for a lone surrogate escape).
_FORBIDDEN = [
    "\x00", "\x07", "\x0c", "\x1b", "\x7f", "\x85", "\r", "\ud800", "\udfff", "\ufffe", "\uffff",
]  # fmt: skip
_TEXT = st.lists(
    st.one_of(
        st.sampled_from(_AWKWARD),
        st.text(
            st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Co"), max_codepoint=0xFFFF),
            max_size=6,
        ),
    ),
    min_size=1,
    max_size=5,
).map("".join)


def _escaped(value: str) -> str:
    """value as a double-quoted YAML scalar in ASCII (YAML's \\U, not JSON's surrogate pairs)."""
    out = []
    for character in value:
        code = ord(character)
        if 32 <= code < 127 and character not in '"\\':
            out.append(character)
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def _yaml_text(value: str, style: int) -> str:
    """value as a YAML scalar: escaped ASCII, raw double-quoted, or a literal block."""
    if style == 0 or (style == 2 and not value.isprintable()):
        return _escaped(value)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _escaped(value)
    if style == 1:
        return json.dumps(value, ensure_ascii=False)
    return "|-\n" + "".join(f"        {line}\n" for line in value.split("\n"))


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    texts=st.lists(_TEXT, min_size=4, max_size=4),
    poison=st.one_of(st.none(), st.tuples(st.integers(0, 3), st.sampled_from(_FORBIDDEN))),
    style=st.integers(0, 2),
)
@example(texts=["", "a", "b", "c"], poison=(1, "\ud800"), style=0)
@example(texts=["a", "b", "c", "d"], poison=(2, "\ufffe"), style=1)
# Found by this test in CI: a paragraph separator after a space crashed WeasyPrint.
@example(texts=["\u200b", "\u200b", "\u200b", "\u200b\t\u2029\u200b"], poison=None, style=0)
@example(texts=["a\u2028b", "c", "x \u2029 y", "d"], poison=None, style=1)
def test_any_text_builds_or_fails_with_located_problems(
    tmp_path_factory, texts, poison, style
) -> None:
    from builder.render.workers import render_lesson
    from builder.settings import BuildOptions
    from builder.theme import Theme

    if poison is not None:
        field, character = poison
        texts[field] = (
            texts[field][: len(texts[field]) // 2]
            + character
            + texts[field][len(texts[field]) // 2 :]
        )
    title, point, prose, prompt = (_yaml_text(t, style) for t in texts)
    document = (
        f"title: {title}\nauthors:\n  - name: 作者\ndate: 2025-01-02\nduration: 30\n"
        f"sections:\n  - title: 部分\n    points:\n      - {point}\n    prose: {prose}\n"
        f"questions:\n  - prompt: {prompt}\n    minutes: 5\n"
    )
    folder = tmp_path_factory.mktemp("any") / "lesson"
    folder.mkdir()
    (folder / "lesson.yaml").write_text(document, encoding="utf-8")
    try:
        artifacts = render_lesson(source.load_lesson(folder), Theme(), BuildOptions())
    except LecternError as error:
        event(f"refused: {type(error).__name__}")
        assert error.problems
        for problem in error.problems:
            assert problem.location.file is not None
            if isinstance(error, SourceError):
                assert problem.location.line is not None, problem
        return
    event("built")
    assert {a.name for a in artifacts} == ARTIFACTS
    for artifact in artifacts:
        assert_valid(Path(artifact.name), artifact.data)


def test_awkward_but_legal_text_builds_and_reopens() -> None:
    """Invisible, bidirectional, combining and markup-like text is drawn, not refused."""
    from builder.render.workers import render_lesson
    from builder.settings import BuildOptions
    from builder.sourcemap import LoadedLesson
    from builder.theme import Theme

    odd = "\u202e<b>反</b>\u200b **粗**\ufeff &lt; {{ x }} عربي e\u0301 \u2066x\u2069"
    folder = FIXTURES / "minimal"
    loaded = source.load_lesson(folder)
    lesson = loaded.lesson.model_copy(update={"title": odd})
    loaded = LoadedLesson(lesson, loaded.path, loaded.source_map, loaded.text)
    artifacts = render_lesson(loaded, Theme(), BuildOptions())
    for artifact in artifacts:
        assert_valid(Path(artifact.name), artifact.data)
    deck = Presentation(io.BytesIO(artifacts[0].data))
    assert "<b>反</b>" in deck.slides[0].shapes.title.text


def test_a_theme_stylesheet_linking_outside_the_theme_is_not_read(tmp_path: Path) -> None:
    from builder.errors import RenderError

    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }", encoding="utf-8")
    theme = tmp_path / "theme"
    (theme / "print").mkdir(parents=True)
    (theme / "print" / "print.css").symlink_to(secret)
    with pytest.raises(RenderError) as caught:
        render_questions(theme)
    assert "not a file inside the theme folders" in str(caught.value)


def test_print_documents_read_no_fifo_even_inside_the_lesson(tmp_path: Path) -> None:
    from builder.errors import RenderError
    from builder.render.print.pdf import html_to_pdf

    origin = tmp_path / "lesson.yaml"
    origin.write_text("")
    os.mkfifo(tmp_path / "pipe.png")  # reading it would wait for a writer forever
    with pytest.raises(RenderError) as caught:
        html_to_pdf('<img src="pipe.png">', [], allowed=(tmp_path,), identifier="t", origin=origin)
    assert "not a regular file" in str(caught.value)


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_rebuild_never_reads_a_lesson_file_that_became_special(tmp_path: Path, kind: str):
    # The quick up-to-date test hashes recorded inputs before the loader sees them: it too
    # must refuse what is not a regular file, or a rebuild would hang or fill memory.
    folder = tmp_path / "minimal"
    shutil.copytree(FIXTURES / "minimal", folder)
    output = tmp_path / "output"
    assert run_lectern("build", folder, "-o", output).returncode == 0
    path = folder / "lesson.yaml"
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    result = run_lectern("build", folder, "-o", output)
    assert result.returncode == 2
    assert "is not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


# --- what a build says it did, and what it leaves -------------------------------------


def test_a_build_of_a_good_and_a_broken_lesson_says_which_was_written(tmp_path: Path) -> None:
    good = lesson(tmp_path, name="good")
    broken = lesson(tmp_path, MINIMAL + "titel: x\n", name="broken")
    result = run_lectern("build", good, broken, "-o", tmp_path / "o")
    assert result.returncode == 2
    assert "nothing was written\n" not in result.stderr
    assert "lectern: 1 lesson failed (nothing written for it); 1 built" in result.stderr
    assert {p.name for p in (tmp_path / "o" / "good").iterdir()} == ARTIFACTS | {"manifest.json"}
    assert not (tmp_path / "o" / "broken").exists()


def test_a_folder_in_the_manifests_place_stops_the_build_before_any_rename(
    tmp_path: Path,
) -> None:
    (tmp_path / "o" / "minimal" / "manifest.json").mkdir(parents=True)
    result = run_lectern("build", FIXTURES / "minimal", "-o", tmp_path / "o")
    assert result.returncode == 2
    assert "cannot write manifest.json: a folder is in its place" in result.stderr
    assert [p.name for p in (tmp_path / "o" / "minimal").iterdir()] == ["manifest.json"]


def test_a_failed_first_build_leaves_no_empty_output_folder(tmp_path: Path, monkeypatch) -> None:
    import errno

    from builder import artifacts
    from builder.errors import OutputError

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(artifacts, "_stage", full)
    folder = tmp_path / "o" / "deeper" / "minimal"
    with pytest.raises(OutputError, match="No space left"):
        artifacts.write_lesson(
            folder,
            [artifacts.Artifact("slides.pptx", b"x")],
            keys={"slides.pptx": "k", "findings": "f"},
            kept=[],
            source_hash="",
            findings=[],
            settings={},
            dependencies={},
            inputs={},
        )
    assert list(tmp_path.iterdir()) == []


def test_check_json_is_json_even_without_lessons(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    result = run_lectern("check", "--format", "json", cwd=tmp_path)
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert report["findings"] == []
    assert [e["message"] for e in report["errors"]] == ["no */lesson.yaml found"]


def test_an_empty_output_path_is_refused(tmp_path: Path) -> None:
    for command in (("build", "-o", ""), ("release", "-d", ""), ("watch", "-o", "")):
        result = run_lectern(*command, FIXTURES / "minimal", cwd=tmp_path)
        assert result.returncode == 2
        assert "is empty; name a folder" in result.stderr
    assert list(tmp_path.iterdir()) == []


# --- the word list is read like a lesson file -----------------------------------------


def _project_with_word_list(tmp_path: Path, word_list) -> Path:
    """A project whose content/ holds the minimal lesson and a wordlist.txt made by
    word_list (bytes, or a callable given the path)."""
    folder = tmp_path / "content" / "minimal"
    shutil.copytree(FIXTURES / "minimal", folder)
    path = tmp_path / "content" / "wordlist.txt"
    word_list(path) if callable(word_list) else path.write_bytes(word_list)
    return tmp_path


def test_a_gbk_word_list_is_a_located_error_in_check_and_build(tmp_path: Path) -> None:
    project = _project_with_word_list(tmp_path, "# 词表\n开云\n".encode("gbk"))
    message = "content/wordlist.txt:1:3: error: file is not valid UTF-8 (it looks like GBK"
    text = run_lectern("check", cwd=project)
    assert text.returncode == 2 and message in text.stderr, text.stderr
    report = json.loads(run_lectern("check", "--format", "json", cwd=project).stdout)
    [error] = report["errors"]
    assert (error["file"], error["line"], error["column"]) == ("content/wordlist.txt", 1, 3)
    built = run_lectern("build", cwd=project)
    assert built.returncode == 2 and message in built.stderr
    assert "Traceback" not in text.stderr + built.stderr


def test_a_word_list_linking_outside_its_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("开云\n", encoding="utf-8")
    project = _project_with_word_list(tmp_path / "p", lambda path: path.symlink_to(secret))
    result = run_lectern("check", cwd=project)
    assert result.returncode == 2
    assert "content/wordlist.txt: error: is a link to a file outside content" in result.stderr


def test_a_bare_bang_in_the_word_list_flags_nothing(tmp_path: Path) -> None:
    project = _project_with_word_list(tmp_path, b"!\n!   \n")
    result = run_lectern("check", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "spliced" not in result.stdout


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("CON", "reserved device name"),
        ("NUL.txt", "reserved device name"),
        ("ok.", "ends with a dot"),
        ("x" * 300, "is too long"),
        ("a/b", "contains '/'"),
    ],
)
def test_new_refuses_the_names_build_would_refuse(tmp_path: Path, name: str, reason: str) -> None:
    from builder.artifacts import unsafe_because

    result = run_lectern("new", name, cwd=tmp_path)
    assert result.returncode == 2
    assert reason in result.stderr and "Traceback" not in result.stderr
    assert reason in unsafe_because(name)  # the rule build applies, word for word
    assert not (tmp_path / "content").exists()


# --- lectern.yaml ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- a\n", "lectern.yaml:1:1: error: lectern.yaml must be a mapping of settings"),
        (
            "paper: A4\nslide_template: missing.potx\n",
            "lectern.yaml:2:17: error: slide_template: 'missing.potx' is not a file",
        ),
        ("templates: nope\n", "lectern.yaml:1:12: error: templates: 'nope' is not a folder"),
        ('aspect: "3:2"\n', "lectern.yaml:1:9: error: aspect: input should be '16:9' or '4:3'"),
        (None, "lectern.yaml: error: is a folder; it must be a file of settings"),
    ],
    ids=["list", "missing-master", "missing-theme", "bad-aspect", "folder"],
)
def test_project_file_problems_are_located_in_it_and_worded_like_lessons(
    tmp_path: Path, text: str | None, expected: str
) -> None:
    shutil.copytree(FIXTURES / "minimal", tmp_path / "content" / "minimal")
    if text is None:
        (tmp_path / "lectern.yaml").mkdir()
    else:
        (tmp_path / "lectern.yaml").write_text(text, encoding="utf-8")
    result = run_lectern("build", cwd=tmp_path)
    assert result.returncode == 2
    assert expected in result.stderr, result.stderr
    assert "Input should" not in result.stderr and "ProjectConfig" not in result.stderr
    assert not (tmp_path / "output").exists()


# --- names and signals on the command line --------------------------------------------


def test_a_lesson_file_not_named_lesson_yaml_is_named_after_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "unit-3"
    folder.mkdir()
    (folder / "some.yaml").write_text(MINIMAL, encoding="utf-8")
    result = run_lectern("build", "some.yaml", "-o", "out", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "\nunit-3: 4 built" in "\n" + result.stderr
    assert (folder / "out" / "unit-3" / "manifest.json").is_file()


def test_a_folder_name_with_a_newline_stays_on_one_error_line(tmp_path: Path) -> None:
    folder = lesson(tmp_path, name="a\nb")
    result = run_lectern("build", folder, "-o", tmp_path / "out")
    assert result.returncode == 2
    [line] = [line for line in result.stderr.splitlines() if "error:" in line]
    assert "'a\\nb'" in line and "control character" in line


# --- a theme's mistakes are the theme's -----------------------------------------------

_BUILTIN_PRINT = ROOT / "templates" / "print"


@pytest.mark.parametrize(
    ("name", "body", "located", "message"),
    [
        ("print.css", "@import url(http://example.com/x.css);\n", "print/print.css", "network"),
        ("print.css", None, "print/print.css", "Invalid or unsupported selector"),
        ("base.html", None, "print/base.html", 'Missing required "lang" attribute'),
        ("questions.html", None, "theme", "network"),
    ],
    ids=["css-import", "css-selector", "html-without-lang", "template-fetch"],
)
def test_theme_problems_are_located_in_the_theme_not_the_lesson(
    tmp_path: Path, name: str, body: str | None, located: str, message: str
) -> None:
    from builder.errors import RenderError

    builtin = (_BUILTIN_PRINT / name).read_text(encoding="utf-8")
    if body is None and name == "print.css":
        body = builtin + "\n}}}{{{\n"
    elif body is None and name == "base.html":
        body = re.sub(r"<html[^>]*>", "<html>", builtin)
    elif body is None:
        body = builtin.replace("{% block body %}", '{% block body %}<img src="http://x/y.png">')
        assert body != builtin
    theme = user_theme(tmp_path, body, name)
    with pytest.raises(RenderError) as caught:
        render_questions(theme)
    [problem] = caught.value.problems
    assert problem.location.file == (theme / located if located != "theme" else theme)
    assert message in problem.message
    assert "lesson.yaml" not in str(caught.value)


PERMISSIONS_APPLY = (
    ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
)
"""A command prefix under which file modes bind: root reads a folder whatever its mode,
unless it runs without the two capabilities that let it."""


@pytest.mark.parametrize("command", ["build", "check", "release"])
def test_an_unreadable_lesson_folder_is_an_error_and_nothing_is_packaged(
    tmp_path: Path, command: str
) -> None:
    project = tmp_path / "project"
    for lesson in (SEED, FIXTURES / "minimal"):
        shutil.copytree(lesson, project / "content" / lesson.name)
    locked = project / "content" / "minimal"
    locked.chmod(0)
    args = {"release": ["release", "-d", "dist"]}.get(command, [command])
    try:
        result = subprocess.run(
            [*PERMISSIONS_APPLY, sys.executable, "-m", "builder", *args],
            capture_output=True,
            text=True,
            cwd=project,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=300,
        )
    finally:
        locked.chmod(0o755)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "content/minimal: error: cannot be read" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "dist").exists() or not any((project / "dist").iterdir())
    assert not (project / "output").exists()


def _full_folder(folder: Path) -> None:
    """A folder on a file system with no room left (a tiny tmpfs, filled)."""
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(folder)])
    if mounted.returncode != 0:
        pytest.skip("mounting a small file system needs root")  # CI runs as root
    with contextlib.suppress(OSError), (folder / "filler").open("wb") as filler:
        filler.write(b"\0" * 65536)


CACHE_TROUBLES = {
    "full": lambda cache: _full_folder(cache),
    "a file in its place": lambda cache: cache.write_text("not a folder"),
    "read-only": lambda cache: (
        (cache / "lectern").mkdir(parents=True) or (cache / "lectern").chmod(0o555)
    ),
}


@pytest.mark.parametrize("trouble", sorted(CACHE_TROUBLES))
def test_an_unusable_cache_builds_without_it_and_says_so_once(
    tmp_path: Path, lesson_copy, trouble: str
) -> None:
    folder = lesson_copy(FIXTURES / "minimal")
    cache = tmp_path / "cache"
    CACHE_TROUBLES[trouble](cache)
    try:
        result = subprocess.run(
            [
                *PERMISSIONS_APPLY,
                sys.executable,
                "-m",
                "builder",
                "build",
                folder,
                "--output",
                tmp_path / "out",
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache)},
            timeout=300,
        )
    finally:
        if trouble == "full":
            subprocess.run(["umount", str(cache)])
        elif trouble == "read-only":
            (cache / "lectern").chmod(0o755)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.count("warning: the cache") == 1, result.stderr
    assert {p.name for p in (tmp_path / "out" / "minimal").iterdir()} >= ARTIFACTS


def test_damaged_cache_entries_are_misses(tmp_path: Path, lesson_copy) -> None:
    folder = lesson_copy(FIXTURES / "minimal")
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    first = run_lectern("build", folder, "--output", tmp_path / "first", env=env)
    assert first.returncode == 0, first.stderr
    entries = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert {p.parent.name for p in entries} >= {"fonts", "cut-fonts", "templates"}
    for number, entry in enumerate(entries):
        data = entry.read_bytes()
        entry.write_bytes(data[: len(data) // 2] if number % 2 else b"\x80garbage" + data[9:])
    again = run_lectern("build", folder, "--output", tmp_path / "again", env=env)
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    for name in ARTIFACTS:
        assert (tmp_path / "again" / "minimal" / name).read_bytes() == (
            tmp_path / "first" / "minimal" / name
        ).read_bytes(), name


def test_a_project_file_names_only_the_projects_own_files(tmp_path: Path) -> None:
    """lectern.yaml may come from a stranger's repository: a theme folder or slide master
    outside the project is refused (a theme at ".." could load any file beside the
    project into a PDF); the command line, the operator's, may still name one."""
    from pptx import Presentation

    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "minimal", project / "content" / "minimal")
    Presentation().save(tmp_path / "org.pptx")
    for text, expected in (
        ("templates: ..\n", "lectern.yaml:1:12: error: templates: '..' is outside the project"),
        (
            "slide_template: ../org.pptx\n",
            "lectern.yaml:1:17: error: slide_template: '../org.pptx' is outside the project",
        ),
    ):
        (project / "lectern.yaml").write_text(text, encoding="utf-8")
        result = run_lectern("build", cwd=project)
        assert result.returncode == 2
        assert expected in result.stderr, result.stderr
        assert not (project / "output").exists()
    (project / "lectern.yaml").unlink()
    result = run_lectern("build", "--slide-template", tmp_path / "org.pptx", cwd=project)
    assert result.returncode == 0, result.stderr
