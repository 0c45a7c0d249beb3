"""Organisation templates: real masters from public repositories (tests/corpus/templates).

Every one of them maps each slide kind to a layout by what the layout holds, whatever
language its names are in, and builds both example lessons without a --layout flag.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pptx import Presentation

from builder.render.slides.geometry import DeckSetup
from builder.render.slides.layouts import frames_for, layout_shape
from builder.render.slides.render import open_deck, render_slides
from builder.source import load_lesson
from tests.conftest import ENGLISH, SEED

CORPUS = Path(__file__).resolve().parent / "corpus" / "templates"
TEMPLATES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".pptx", ".potx"))
CREATED = dt.datetime(2024, 3, 1, tzinfo=dt.UTC)


def test_the_corpus_is_varied_as_the_issue_asks() -> None:
    sizes, names, kinds = set(), [], set()
    for template in TEMPLATES:
        prs, geometry, _ = open_deck(DeckSetup(template=template))
        sizes.add(round(geometry.width / geometry.height, 2))
        names += [layout.name for layout in prs.slide_layouts]
        kinds.add(template.suffix)
        assert template.stat().st_size < 2_000_000
    assert len(TEMPLATES) >= 10
    assert {1.78, 1.33} <= sizes
    assert kinds == {".pptx", ".potx"}
    assert any("標題" in name for name in names)  # Chinese
    assert any("Título" in name for name in names) and any("Titel" in name for name in names)
    assert any(len(Presentation(io.BytesIO(_package(t))).slide_layouts) <= 4 for t in TEMPLATES)
    assert "SOURCES.md" in {p.name for p in CORPUS.iterdir()}


def _package(template: Path) -> bytes:
    from builder.render.slides.master import read_template

    return read_template(template)[0]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.stem)
def test_kinds_map_by_layout_type_not_by_name(template: Path) -> None:
    """Where a master has PowerPoint's title-and-content layout (type obj), points go there,
    whatever it is called; where it has a title-only one, figures go there."""
    prs, geometry, mapping = open_deck(DeckSetup(template=template))
    types = {layout._element.get("type") for layout in prs.slide_layouts}
    chosen = {kind: layout._element.get("type") for kind, (layout, _) in mapping.items()}
    if "obj" in types:
        assert chosen["points"] == "obj"
    title_only = [x for x in prs.slide_layouts if x._element.get("type") == "titleOnly"]
    if any(frames_for(layout_shape(layout), "figures", geometry) for layout in title_only):
        assert chosen["figures"] == "titleOnly"  # unless its title sits too low for a body
    if "title" in types:
        assert chosen["title"] == "title"
    for _, frames in mapping.values():  # no box of negative or nil size reaches the deck
        assert frames.title.width > 0 and frames.body.height > 0 and frames.body.width > 0


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.stem)
def test_both_lessons_build_on_every_template_without_a_layout_flag(template: Path) -> None:
    for lesson in (SEED, ENGLISH):
        deck = render_slides(load_lesson(lesson), CREATED, DeckSetup(template=template))
        assert len(Presentation(io.BytesIO(deck)).slides) > 10
