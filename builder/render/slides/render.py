"""Lesson + slide master → .pptx bytes: open the master, plan and fit, then draw."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from pptx.util import Emu

from builder.render.slides.deck import DeckWriter
from builder.render.slides.geometry import (
    ASPECTS,
    BUILT_IN_DECK,
    DeckGeometry,
    DeckSetup,
    LayoutFrames,
)
from builder.render.slides.layouts import map_layouts
from builder.render.slides.look import with_looks
from builder.render.slides.master import open_master, read_template, set_theme_fonts
from builder.render.slides.palette import theme_of
from builder.render.slides.plan import PlannedSlide, SlideFonts, plan_deck
from builder.sourcemap import LoadedLesson

if TYPE_CHECKING:
    from builder.formats import Job


@dataclass(frozen=True)
class DeckPlan:
    """A lesson's deck, planned and fitted on its slide master, not yet drawn."""

    presentation: object
    """The master opened as a python-pptx presentation with no slides."""
    geometry: DeckGeometry
    layouts: dict
    """Slide kind → the master's layout it is drawn on."""
    frames: dict[str, LayoutFrames]
    """Slide kind → where that layout puts its title, body and footer."""
    fonts: SlideFonts
    slides: list[PlannedSlide]
    warnings: tuple[str, ...] = ()
    """What the overflow check reports about the master itself (``template_warnings``)."""


def open_deck(setup: DeckSetup) -> tuple[object, DeckGeometry, dict]:
    """The slide master opened, its geometry, and the layout each slide kind is drawn on;
    a TemplateError names what is wrong with a master or a layout mapping."""
    geometry = ASPECTS[setup.aspect or "16:9"]
    prs = open_master(setup.template, geometry)
    if setup.template is not None:
        geometry = replace(geometry, width=Emu(prs.slide_width).pt, height=Emu(prs.slide_height).pt)
    mapping = map_layouts(prs, geometry, dict(setup.layouts), setup.template)
    if setup.template is not None:
        mapping = with_looks(mapping, geometry)
    return prs, geometry, mapping


def plan_lesson_deck(loaded: LoadedLesson, setup: DeckSetup) -> DeckPlan:
    """The deck as it will be drawn: the overflow check reads this, the renderer draws it.

    The last plan is handed to ``render_slides`` when it draws the same lesson object on
    the same master (a build checks, then draws, in one process), rather than the master
    opened and the pictures measured again; drawing consumes it (it adds to the master).
    """
    plan = _planned(loaded, setup)
    _last_plan["plan"] = (loaded, setup, plan)
    return plan


_last_plan: dict[str, tuple[LoadedLesson, DeckSetup, DeckPlan]] = {}


def _planned(loaded: LoadedLesson, setup: DeckSetup) -> DeckPlan:
    prs, geometry, mapping = open_deck(setup)
    frames = {kind: frames for kind, (_, frames) in mapping.items()}
    fonts = SlideFonts.named(setup.font)
    if setup.template is not None and setup.font is None:
        theme = theme_of(mapping["points"][0].slide_master)
        fonts = SlideFonts.of_theme(theme.major.latin, theme.minor.latin)
    slides = plan_deck(loaded.lesson, geometry, frames, fonts, picture_aspects(loaded))
    layouts = {kind: layout for kind, (layout, _) in mapping.items()}
    return DeckPlan(
        prs, geometry, layouts, frames, fonts, slides, template_warnings(setup, frames, geometry)
    )


def picture_aspects(loaded: LoadedLesson) -> dict[str, float]:
    """Each picture's width over its height, by its ``src``: the planner places it."""
    from builder.assets import aspect_ratio, resolve_asset

    return {
        image.src: aspect_ratio(resolve_asset(image.src, loaded.folder))
        for _, section in loaded.lesson.all_sections()
        for image in section.images
    }


def template_warnings(
    setup: DeckSetup, frames: dict[str, LayoutFrames], geometry: DeckGeometry
) -> tuple[str, ...]:
    """What an organisation's master does not do as asked: an --aspect it does not have,
    its own colours that do not read on its own backgrounds."""
    warnings = []
    if setup.template is not None and setup.aspect is not None:
        asked = ASPECTS[setup.aspect]
        if abs(asked.width / asked.height - geometry.width / geometry.height) > 0.01:
            warnings.append(
                f"--aspect {setup.aspect} ({asked.width:g} × {asked.height:g} pt) does not "
                f"match the slide template's {geometry.width:g} × {geometry.height:g} pt: "
                "the deck keeps the template's size"
            )
    looks = (frame.look for frame in frames.values() if frame.look is not None)
    warnings += dict.fromkeys(w for look in looks for w in look.warnings)
    return tuple(warnings)


def render_slides(
    loaded: LoadedLesson, created: dt.datetime, setup: DeckSetup = BUILT_IN_DECK
) -> bytes:
    """The lesson's deck as .pptx bytes: planned and fitted first, then drawn."""
    last = _last_plan.pop("plan", None)
    if last is not None and last[0] is loaded and last[1] == setup:
        plan = last[2]
    else:
        plan = _planned(loaded, setup)
    template = setup.template
    if template is None:
        set_theme_fonts(plan.presentation, plan.fonts.latin, plan.fonts.east_asian)
    writer = DeckWriter(
        loaded.lesson,
        plan.geometry,
        plan.fonts,
        plan.presentation,
        plan.layouts,
        plan.frames,
        loaded.folder,
        builtin=template is None,
        master_key=("built-in", setup.aspect)
        if template is None
        else (str(template.resolve()), read_template(template)[1]),
    )
    for number, slide in enumerate(plan.slides, start=1):
        writer.add(slide, number)
    return writer.save(created)


def render_deck(job: Job) -> bytes:
    """The deck as the format registry renders it: set up as the build's options say."""
    return render_slides(job.loaded, job.created, job.options.deck)
