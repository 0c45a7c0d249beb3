"""Every input field, its artifacts: an edit rebuilds exactly the artifacts that show it.

The table is written from where each field is shown (the deck's slides and notes, the
print templates), not from the incremental keys; the model is walked so a field added
without a row fails here. Edits are made on a lesson that uses every field, built once;
each edit is then built over a copy of that build, incrementally, as a user's next
build would be. A slow test checks the table itself: a forced rebuild of each edit
changes the bytes of exactly the artifacts its row names.

The print documents share one cut of the CJK faces, made for every character the three
of them print (``render.print.fonts``): an edit that adds a character none of them
printed, or removes the last of one, rebuilds all three. The base lesson prints every
character the table's edits type (``PRINTED_ALREADY``), so each row sees only where
its field is shown; ``test_a_character_new_to_print_rebuilds_every_print_document``
sees the cut.
"""

from __future__ import annotations

import copy
import shutil
import typing
from pathlib import Path

import pytest
import yaml
from PIL import Image
from pydantic import BaseModel

from builder.model import Lesson
from builder.pipeline import build_lesson
from builder.settings import BuildOptions
from tests.conftest import run_lectern

S, H, Q, F = "slides.pptx", "handout.pdf", "questions.pdf", "questions-facilitator.pdf"
ALL = frozenset({S, H, Q, F})
PRINT = frozenset({H, Q, F})
NONE: frozenset[str] = frozenset()

BASE = {
    "series": "字段系列",
    "title": "字段课程",
    "subtitle": "副标题",
    "authors": [{"name": "主讲人", "affiliation": "某单位"}],
    "date": "2025-03-04",
    "language": "zh-CN",
    "duration": "40",
    "objectives": ["目标一"],
    "opening": {"lead": "开场白。", "quote": {"text": "开场引语。", "source": "某人"}},
    "sections": [
        {
            "id": "one",
            "title": "第一部分",
            "points": ["要点一"],
            "prose": "正文一。",
            "quotes": [{"text": "引语一。", "source": "出处一"}],
            "figures": [{"value": "26", "unit": "个", "label": "区"}],
            "images": [{"src": "a.png", "alt": "图的说明", "caption": "图注"}],
            "notes": "讲稿一。",
            "sections": [{"id": "inner", "title": "小节", "points": ["小节要点"]}],
        },
        {"id": "two", "title": "第二部分", "points": ["要点二"], "prose": "正文二。"},
    ],
    "questions": [
        {
            "prompt": "问题一？",
            "kind": "discussion",
            "minutes": "5",
            "hints": ["提示一"],
            "follow_up": ["追问一"],
            "section": "one",
        }
    ],
    "closing": {
        "summary": "小结。",
        "minutes": "3",
        "reading": [
            {"title": "书名", "author": "作者", "note": "推荐理由", "url": "https://example.org/a"}
        ],
    },
}

# field (as the model names it) -> (where the edit is made, the new value, what shows it)
TABLE: dict[str, tuple[tuple, object, frozenset[str]]] = {
    # Only one format version exists: writing it out changes nothing.
    "lectern": (("lectern",), "1", NONE),
    "title": (("title",), "新标题", ALL),
    # Print documents carry the subtitle (or the title) as their PDF subject.
    "subtitle": (("subtitle",), "新副标题", ALL),
    "series": (("series",), "新系列", ALL),
    # The authors' names are every PDF's author; affiliations are printed in the handout.
    "authors[].name": (("authors", 0, "name"), "新主讲人", ALL),
    "authors[].affiliation": (("authors", 0, "affiliation"), "新单位", frozenset({S, H})),
    # The date is shown on the title slide and handout, and stamps every file.
    "date": (("date",), "2025-03-05", ALL),
    "language": (("language",), "zh-TW", ALL),
    # The session's length and the wrap-up's minutes make the facilitator's timed plan.
    "duration": (("duration",), "45", frozenset({F})),
    "objectives": (("objectives", 0), "新目标", frozenset({S, H})),
    "opening.lead": (("opening", "lead"), "新开场白。", frozenset({S, H})),
    "opening.quote.text": (("opening", "quote", "text"), "新引语。", frozenset({S, H})),
    "opening.quote.source": (("opening", "quote", "source"), "新人", frozenset({S, H})),
    # Ids are shown nowhere; a question names one (questions[].section below).
    "sections[].id": (("sections", 1, "id"), "deux", NONE),
    # The facilitator's guide shows the title and points of the section a question is about.
    "sections[].title": (("sections", 0, "title"), "新部分", frozenset({S, H, F})),
    "sections[].points": (("sections", 0, "points", 0), "新要点", frozenset({S, H, F})),
    # Prose is the handout's text and the speaker notes' when a section has none.
    "sections[].prose": (("sections", 0, "prose"), "新正文。", frozenset({S, H})),
    "sections[].quotes[].text": (("sections", 0, "quotes", 0, "text"), "新引。", frozenset({S, H})),
    "sections[].quotes[].source": (
        ("sections", 0, "quotes", 0, "source"),
        "新出处",
        frozenset({S, H}),
    ),
    "sections[].figures[].value": (("sections", 0, "figures", 0, "value"), "27", frozenset({S, H})),
    "sections[].figures[].unit": (("sections", 0, "figures", 0, "unit"), "座", frozenset({S, H})),
    "sections[].figures[].label": (("sections", 0, "figures", 0, "label"), "县", frozenset({S, H})),
    "sections[].images[].src": (("sections", 0, "images", 0, "src"), "b.png", frozenset({S, H})),
    # Alt text is the picture's description in the deck and in the handout's PDF tags.
    "sections[].images[].alt": (("sections", 0, "images", 0, "alt"), "新说明", frozenset({S, H})),
    "sections[].images[].caption": (
        ("sections", 0, "images", 0, "caption"),
        "新图注",
        frozenset({S, H}),
    ),
    # Speaker notes are only in the deck.
    "sections[].notes": (("sections", 0, "notes"), "新讲稿。", frozenset({S})),
    "sections[].sections": (
        ("sections", 1, "sections"),
        [{"title": "新小节", "points": ["新小节要点"]}],
        frozenset({S, H}),
    ),
    "questions[].prompt": (("questions", 0, "prompt"), "新问题？", ALL - {H}),
    # The kind is the sheets' label (讨论, 反思…); the deck does not say it.
    "questions[].kind": (("questions", 0, "kind"), "reflection", frozenset({Q, F})),
    "questions[].minutes": (("questions", 0, "minutes"), "6", ALL - {H}),
    "questions[].hints": (("questions", 0, "hints", 0), "新提示", frozenset({S, F})),
    "questions[].follow_up": (("questions", 0, "follow_up", 0), "新追问", frozenset({S, F})),
    "questions[].section": (("questions", 0, "section"), "two", frozenset({F})),
    "closing.summary": (("closing", "summary"), "新小结。", frozenset({S, H})),
    "closing.minutes": (("closing", "minutes"), "4", frozenset({F})),
    "closing.reading[].title": (("closing", "reading", 0, "title"), "新书", frozenset({S, H})),
    "closing.reading[].author": (("closing", "reading", 0, "author"), "新作者", frozenset({S, H})),
    "closing.reading[].note": (("closing", "reading", 0, "note"), "新理由", frozenset({S, H})),
    "closing.reading[].url": (
        ("closing", "reading", 0, "url"),
        "https://example.org/b",
        frozenset({S, H}),
    ),
}

PRINTED_ALREADY = "".join(
    sorted(
        set(yaml.safe_dump([BASE, [value for _, value, _ in TABLE.values()]], allow_unicode=True))
        | set("反思学习体会")  # the sheets' and the deck's labels for "reflection"
    )
)
"""Every character of the base lesson and of the edits: printed by the base lesson as a
second objective (no row edits it), so no edit changes the characters the print
documents share their cut faces for."""
BASE["objectives"].append(PRINTED_ALREADY.strip())

# Inputs beside the lesson file: a picture's pixels, and the project's settings.
FILES: dict[str, frozenset[str]] = {
    "the image a.png": frozenset({S, H}),
    "lectern.yaml paper: A5": PRINT,
    "lectern.yaml aspect: 4:3": frozenset({S}),
}


def model_fields(model: type[BaseModel], prefix: str = "", seen: tuple = ()) -> list[str]:
    """Every field path of model: nested models are walked, a model inside itself is not."""
    paths = []
    for name, info in model.model_fields.items():
        path = prefix + name
        inner = _models(info.annotation)
        if not inner or inner in (*seen, model):
            paths.append(path)
            continue
        listed = typing.get_origin(info.annotation) is list
        paths += model_fields(inner, path + ("[]." if listed else "."), (*seen, model))
    return paths


def _models(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _models(argument)
        if found is not None:
            return found
    return None


def test_the_table_has_a_row_for_every_field_of_the_lesson_model() -> None:
    fields = model_fields(Lesson)
    assert "sections[].figures[].unit" in fields and "closing.reading[].url" in fields
    assert sorted(TABLE) == sorted(fields)


def edited(path: tuple, value: object) -> dict:
    lesson = copy.deepcopy(BASE)
    target = lesson
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return lesson


def picture(path: Path, colour: tuple[int, int, int]) -> None:
    Image.new("RGB", (64, 48), colour).save(path)


def lesson_folder(root: Path, lesson: dict) -> Path:
    folder = root / "content" / "fields"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lesson.yaml").write_text(yaml.safe_dump(lesson, allow_unicode=True), "utf-8")
    picture(folder / "a.png", (200, 30, 30))
    picture(folder / "b.png", (30, 30, 200))
    return folder


@pytest.fixture(scope="module")
def base_build(tmp_path_factory) -> Path:
    """The base lesson built once (the working folder, holding content/ and output/)."""
    root = tmp_path_factory.mktemp("fields")
    lesson_folder(root, BASE)
    result = run_lectern("build", "content/fields", "-o", "output", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def rebuilt_after(base: Path, work: Path, change, *, cli: bool = False) -> frozenset[str]:
    """The artifacts an incremental build rebuilds after change(work) over the base build."""
    shutil.copytree(base, work)
    folder = work / "output" / "fields"
    before = {p.name: p.stat().st_ino for p in folder.iterdir()}
    change(work)
    if cli:  # settings in lectern.yaml are read by the command, from its working folder
        result = run_lectern("build", "content/fields", "-o", "output", cwd=work)
        assert result.returncode == 0, result.stderr
    else:
        build_lesson(work / "content" / "fields" / "lesson.yaml", BuildOptions(work / "output"))
    after = {p.name: p.stat().st_ino for p in folder.iterdir()}
    return frozenset(n for n in ALL if after[n] != before[n])


@pytest.fixture(autouse=True)
def _dated_by_the_lesson(monkeypatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.mark.parametrize("field", list(TABLE))
def test_an_edit_rebuilds_exactly_the_artifacts_that_show_the_field(
    base_build: Path, tmp_path: Path, field: str
) -> None:
    path, value, shown = TABLE[field]
    lesson = edited(path, value)
    rebuilt = rebuilt_after(base_build, tmp_path / "work", lambda w: lesson_folder(w, lesson))
    assert rebuilt == shown, f"{field}: rebuilt {sorted(rebuilt)}, shown in {sorted(shown)}"


def _file_edit(name: str):
    def change(work: Path) -> None:
        if name == "the image a.png":
            picture(work / "content" / "fields" / "a.png", (30, 200, 30))
        else:
            setting = name.removeprefix("lectern.yaml ")
            (work / "lectern.yaml").write_text(setting.replace(": ", ': "') + '"\n', "utf-8")

    return change


@pytest.mark.parametrize("name", list(FILES))
def test_an_edited_file_beside_the_lesson_rebuilds_exactly_what_uses_it(
    base_build: Path, tmp_path: Path, name: str
) -> None:
    rebuilt = rebuilt_after(base_build, tmp_path / "work", _file_edit(name), cli=True)
    assert rebuilt == FILES[name]


@pytest.mark.parametrize(
    ("path", "value", "rebuilt"),
    [
        # Only the handout and the deck show the summary; the new character is cut into
        # the faces the sheets print with too.
        (("closing", "summary"), "鑫。", ALL),
        # Speaker notes are not printed: the cut stays as it was.
        (("sections", 0, "notes"), "鑫。", frozenset({S})),
    ],
    ids=["printed", "not-printed"],
)
def test_a_character_new_to_print_rebuilds_every_print_document(
    base_build: Path, tmp_path: Path, path: tuple, value: str, rebuilt: frozenset[str]
) -> None:
    assert "鑫" not in PRINTED_ALREADY
    lesson = edited(path, value)
    work = tmp_path / "work"
    assert rebuilt_after(base_build, work, lambda w: lesson_folder(w, lesson)) == rebuilt
    # What the incremental build left is what a build from nothing makes.
    fresh = run_lectern("build", "content/fields", "-o", "fresh", cwd=work)
    assert fresh.returncode == 0, fresh.stderr
    for name in ALL:
        assert (work / "output/fields" / name).read_bytes() == (
            work / "fresh/fields" / name
        ).read_bytes(), name


@pytest.mark.slow
def test_the_table_says_where_each_field_is_shown(tmp_path: Path) -> None:
    """A forced rebuild of each edit changes the bytes of exactly the row's artifacts.

    Every build is made in the same folder: the handout's bytes depend on where the
    lesson folder is (noted in the closing note of issue #21)."""

    def build(lesson: dict) -> dict[str, bytes]:
        lesson_folder(tmp_path, lesson)
        result = run_lectern("build", "content/fields", "-o", "output", "--force", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        return {name: (tmp_path / "output" / "fields" / name).read_bytes() for name in ALL}

    base = build(BASE)
    wrong = {}
    for field, (path, value, shown) in TABLE.items():
        after = build(edited(path, value))
        changed = frozenset(n for n in ALL if after[n] != base[n])
        if changed != shown:
            wrong[field] = sorted(changed)
    assert not wrong, f"the bytes changed elsewhere than the table says: {wrong}"
