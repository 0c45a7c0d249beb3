"""The format registry: each artifact is one entry, named nowhere else in builder/."""

from __future__ import annotations

from pathlib import Path

from builder.formats import FORMATS

PACKAGE = Path(__file__).resolve().parent.parent / "builder"


def test_each_artifact_file_name_is_written_in_one_module_only():
    for fmt in FORMATS:
        holders = [
            path.relative_to(PACKAGE.parent).as_posix()
            for path in sorted(PACKAGE.rglob("*.py"))
            if fmt.name in path.read_text(encoding="utf-8")
        ]
        assert holders == ["builder/formats.py"], fmt.name


def test_every_renderer_the_registry_names_can_be_called():
    for fmt in FORMATS:
        assert callable(fmt.load_renderer()), fmt.renderer


def test_what_asks_for_an_artifact_is_a_setting_and_what_it_is_made_from_comes_first():
    from builder.settings import SETTINGS

    names = [f.name for f in FORMATS]
    for fmt in FORMATS:
        if fmt.asked_by is not None:
            assert fmt.asked_by in {s.name for s in SETTINGS}, fmt.name
        if fmt.made_from is not None:
            assert names.index(fmt.made_from) < names.index(fmt.name), fmt.name


def test_the_booklet_comes_with_the_handout_only_when_asked_for():
    from builder.formats import render_lesson
    from builder.settings import BuildOptions
    from builder.source import load_lesson
    from builder.theme import Theme
    from tests.conftest import FIXTURES

    loaded = load_lesson(FIXTURES / "minimal")
    plain = render_lesson(loaded, Theme(), BuildOptions(), ("handout.pdf",))
    asked = render_lesson(loaded, Theme(), BuildOptions(booklet=True), ("handout.pdf",))
    alone = render_lesson(loaded, Theme(), BuildOptions(), ("handout-booklet.pdf",))
    assert [a.name for a in plain] == ["handout.pdf"]
    assert [a.name for a in asked] == ["handout.pdf", "handout-booklet.pdf"]
    assert [a.name for a in alone] == ["handout-booklet.pdf"]
    assert asked[1].data == alone[0].data
    assert asked[0].data == plain[0].data
