"""``lectern serve`` in a real browser: every slide of the seed lesson shown, a question
edited and its slide redrawn, a broken save shown above the last good preview, and the
preview back once it is mended. Screenshots are kept in the test's folder (and copied to
$LECTERN_SCREENSHOTS when set) to be looked at."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pptx import Presentation

from tests.browser import chromium, error_shown, serving, slides, slides_changed, wait_until
from tests.conftest import SEED

NAME = SEED.name
QUESTION = "结合本单位、本社区的工作实际"
EDITED = "结合本单位、本街道的工作实际"
MINUTES = "    minutes: 4\n"  # the first question's


def _shoot(driver, folder: Path, name: str, target: str | None = None) -> None:
    if target:
        driver.execute_script(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'start'})", target
        )
    path = folder / f"{name}.png"
    driver.save_screenshot(str(path))
    keep = os.environ.get("LECTERN_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, keep)


def _slide_showing(deck: Path, text: str) -> int | None:
    """The number of the deck's slide that shows text, or None."""
    for number, slide in enumerate(Presentation(deck).slides, 1):
        if any(shape.has_text_frame and text in shape.text_frame.text for shape in slide.shapes):
            return number
    return None


@pytest.mark.needs("soffice", "chromium", "chromedriver")
def test_a_save_redraws_its_slide_a_broken_save_shows_its_error_and_a_fix_returns(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(SEED, project / "content" / NAME)
    lesson = project / "content" / NAME / "lesson.yaml"
    source = lesson.read_text(encoding="utf-8")
    assert source.count(QUESTION) == 1
    assert source.index(MINUTES) > source.index(QUESTION)
    deck = project / "out" / NAME / "slides.pptx"
    with serving(project) as address, chromium() as driver:
        driver.get(address)
        before = wait_until(lambda: slides(driver), 60)
        assert len(before) == len(Presentation(deck).slides)
        _shoot(driver, tmp_path, "1-opened")

        question_slide = _slide_showing(deck, QUESTION)
        assert question_slide is not None
        lesson.write_text(source.replace(QUESTION, EDITED), encoding="utf-8")
        changed = wait_until(lambda: slides_changed(driver, before), 120)
        assert question_slide in changed
        assert 1 not in changed  # the title slide is as it was: not reloaded
        # The page shows the slides as soon as LibreOffice has drawn them, before the
        # build has written the deck: wait for it.
        assert wait_until(lambda: _slide_showing(deck, EDITED), 120) == question_slide
        edited = slides(driver)
        figure = f'[data-kind="slides"] figure:nth-child({question_slide})'
        _shoot(driver, tmp_path, "2-edited", figure)

        broken = source.replace(QUESTION, EDITED).replace(MINUTES, "    minutes: four\n", 1)
        lesson.write_text(broken, encoding="utf-8")
        # (A poll may catch the file half written, and show that error first.)
        error = wait_until(
            lambda: "minutes" in (error_shown(driver) or "") and error_shown(driver), 120
        )
        line = broken[: broken.index("minutes: four")].count("\n") + 1
        assert f"lesson.yaml:{line}:14: error: questions[0].minutes:" in error
        assert slides(driver) == edited  # the last good preview stays below the error
        _shoot(driver, tmp_path, "3-broken", ".lesson")

        lesson.write_text(source.replace(QUESTION, EDITED), encoding="utf-8")
        wait_until(lambda: error_shown(driver) is None, 120)
        assert wait_until(lambda: slides(driver), 60) == edited
        _shoot(driver, tmp_path, "4-mended", ".lesson")
