"""Overflow prediction: what the deck will continue onto extra slides or set smaller."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import groupby

from builder.check.findings import Finding
from builder.render.slides.geometry import ASPECTS
from builder.source import LoadedLesson


def overflow(loaded: LoadedLesson, aspect: str = "16:9") -> Iterator[Finding]:
    """One finding per slide run that needs continuation slides or a smaller body size."""
    from builder.render.slides.master import layout_frames, map_layouts, open_master
    from builder.render.slides.plan import SlideFonts, plan_deck

    geometry = ASPECTS[aspect]
    prs = open_master(None, geometry)
    frames = {kind: layout_frames(layout) for kind, layout in map_layouts(prs).items()}
    slides = plan_deck(loaded.lesson, geometry, frames, SlideFonts())
    runs = groupby((s for s in slides if s.origin and s.body), key=lambda s: (s.origin, s.kind))
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
        elif planned[0].body.size < geometry.body_size and kind != "quote":
            yield Finding(
                loaded.source_map.locate(origin),
                "overflow",
                f"{what} is set at {planned[0].body.size:g} pt instead of "
                f"{geometry.body_size:g} pt to fit",
            )
