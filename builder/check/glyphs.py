"""Glyph coverage: every character must have a glyph in the fonts that will draw it.

A missing glyph is drawn as an empty box ("tofu") by both python-pptx's clients and
WeasyPrint, without an error; this check is the only warning a lecturer gets.
"""

from __future__ import annotations

from collections.abc import Iterator

from builder.check.findings import Finding
from builder.render.print.coverage import NOT_PRINTED, named_characters, no_print_glyph
from builder.render.slides.geometry import BUILT_IN_DECK, DeckSetup
from builder.sourcemap import LoadedLesson, Path_, locate, text_fields
from builder.text.font_packages import how_to_install
from builder.text.fontconfig import family_having
from builder.text.measure import FontFace, covers, installed

PRINT_FACES = ("Noto Serif", "Noto Sans", "Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN")
"""The faces of the built-in print stylesheet, in any of which a character may be drawn."""


def missing_faces(chars: list[str], families: list[str]) -> str:
    """What the check says once, instead of once a character, when print faces are not
    installed and characters have no glyph anywhere: which, and how to install them."""
    shown = "".join(chars[:12]) + ("…" if len(chars) > 12 else "")
    named = ", ".join(f"'{f}'" for f in families)
    return (
        f"{len(chars)} character{'s' if len(chars) != 1 else ''} ({shown}) would print as "
        f"empty boxes: the print font{'s' if len(families) != 1 else ''} {named} "
        f"{'are' if len(families) != 1 else 'is'} not installed. "
        f"Install: {how_to_install(families)}"
    )


def glyphs(loaded: LoadedLesson, setup: DeckSetup = BUILT_IN_DECK) -> Iterator[Finding]:
    """Characters no slide or print face has, and faces that are not installed."""
    from builder.render.slides.plan import SlideFonts

    slide_face = SlideFonts.named(setup.font).measured
    print_faces = [FontFace(name) for name in PRINT_FACES]
    absent = [face.family for face in print_faces if not installed(face)]
    # A slide font the lecturer's computers have may be missing on the build machine:
    # the deck still names it, but its glyphs cannot be checked here.
    check_slides = installed(slide_face)
    if not check_slides and slide_face.family not in PRINT_FACES:  # else said just above
        yield Finding(
            loaded.source_map.locate(()),
            "glyph",
            f"slide font '{slide_face.family}' is not installed here: slides are fitted "
            "with cautious estimated widths and its glyphs are not checked (once it is "
            "installed, the next build uses it)",
        )
    reported: set[tuple[str, bool]] = set()  # a character once where printed, once where not
    # Where print faces are missing, the characters they would have drawn are said at once.
    unprintable: list[tuple[Path_, str]] = []
    borrowed_by: dict[str, list[tuple[Path_, str]]] = {}
    for path, text in text_fields(loaded):
        printed = path[-1] not in NOT_PRINTED
        missing: list[str] = []  # one finding per field, however many characters it lacks
        notes: dict[str, list[str]] = {}
        for char in dict.fromkeys(text):
            if char.isspace() or (char, printed) in reported:
                continue
            in_print = not printed or any(covers(face, char) for face in print_faces)
            # Where the print faces lack it, WeasyPrint borrows it from any installed face;
            # with none, the build stops rather than print an empty box (``documents``).
            borrowed = None if in_print else family_having(char)
            if not in_print and borrowed is None:
                reported.add((char, printed))
                if absent:
                    unprintable.append((path, char))
                else:
                    missing.append(char)
                continue
            said = []
            if check_slides and not covers(slide_face, char):
                said.append(
                    f"the slide font '{slide_face.family}' has none: an empty box on slides"
                )
            if borrowed is not None and absent:
                reported.add((char, printed))
                borrowed_by.setdefault(borrowed, []).append((path, char))
            elif borrowed is not None:
                said.append(f"the print fonts lack it: it would print in '{borrowed}'")
            if said:
                reported.add((char, printed))
                notes.setdefault("; ".join(said), []).append(char)
        if missing:
            yield Finding(
                locate(loaded, path, missing[0]), "glyph", no_print_glyph(*missing), "error"
            )
        for said, chars in notes.items():
            yield Finding(
                locate(loaded, path, chars[0]), "glyph", f"{named_characters(chars)}: {said}"
            )
    if unprintable:
        path, char = unprintable[0]
        chars = [c for _, c in unprintable]
        yield Finding(
            locate(loaded, path, char), "glyph", missing_faces(chars, absent), severity="error"
        )
    elif absent:
        yield Finding(
            loaded.source_map.locate(()),
            "glyph",
            f"print font{'s' if len(absent) != 1 else ''} {', '.join(map(repr, absent))} "
            f"not installed; text set in {'them' if len(absent) != 1 else 'it'} falls back to "
            f"other faces. Install: {how_to_install(absent)}",
        )
    for family, where in borrowed_by.items():
        path, char = where[0]
        chars = "".join(c for _, c in where[:12]) + ("…" if len(where) > 12 else "")
        yield Finding(
            locate(loaded, path, char),
            "glyph",
            f"{len(where)} characters ({chars}) would print in '{family}', not the theme's faces",
        )
