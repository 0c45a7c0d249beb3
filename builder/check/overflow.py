"""Overflow prediction: what the deck will continue onto extra slides or set smaller."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby

from builder.check.findings import Finding
from builder.errors import Location
from builder.render.slides.geometry import BUILT_IN_DECK, DeckSetup
from builder.sourcemap import LoadedLesson


def overflow(loaded: LoadedLesson, setup: DeckSetup = BUILT_IN_DECK) -> Iterator[Finding]:
    """One finding per slide run that needs continuation slides or a smaller body size.

    The deck is planned exactly as the build will draw it (same master, layouts and
    typeface), so a finding names the continuation slides the lecturer will get.
    """
    from builder.render.slides.render import plan_lesson_deck

    plan = plan_lesson_deck(loaded, setup)
    where = Location(setup.template) if setup.template else loaded.source_map.locate(())
    for warning in plan.warnings:
        yield Finding(where, "template", warning)
    for slide in plan.slides:
        if slide.lost:
            yield Finding(
                loaded.source_map.locate(slide.origin),
                "overflow",
                f"{slide.kind} slide: does not fit even at the smallest size; in the notes "
                f"instead: {' / '.join(slide.lost)}",
            )
        labels = (*slide.labels, *(card.label for card in slide.cards))
        for label in (each for each in labels if each.cut):
            yield Finding(
                loaded.source_map.locate(slide.origin),
                "overflow",
                f"{slide.kind} slide: a label is cut to fit its box: {label.text}",
            )
    cut_footers = [f for s in plan.slides for f in s.footer if f.cut]
    if cut_footers:  # one footer, on every slide: said once
        yield Finding(
            where,
            "overflow",
            f"the footer is cut to fit its box on {len(cut_footers)} slides: {cut_footers[0].text}",
        )
    body_size = plan.geometry.body_size
    fitted = (s for s in plan.slides if s.origin and s.body and s.kind != "title")
    runs = groupby(fitted, key=lambda s: (s.origin, s.kind))
    for (origin, kind), group in runs:
        planned = list(group)
        what = f'{kind} slide "{planned[0].title}"' if planned[0].title else f"{kind} slide"
        if len(planned) > 1:
            extra = len(planned) - 1
            size = planned[0].body.size
            yield Finding(
                loaded.source_map.locate(origin),
                "overflow",
                f"{what} needs {extra} extra slide{'s' if extra > 1 else ''} at {size:g} pt",
            )
        elif planned[0].body.size < body_size and kind != "quote":
            yield Finding(
                loaded.source_map.locate(origin),
                "overflow",
                f"{what} is set at {planned[0].body.size:g} pt instead of {body_size:g} pt to fit",
            )
