"""What ``lectern import`` found and guessed, as it prints it: the tree of parts and
points, the quotations and figures, what was taken out and what was drafted."""

from __future__ import annotations

from builder.i18n import _
from builder.importers.lesson import Drafted
from builder.importers.script import Script
from builder.text.numbering import heading_number


def describe(script: Script, drafted: Drafted) -> list[str]:
    data = drafted.data
    lines = [_("title: {title}").format(title=data["title"])]
    if "series" in data:
        lines.append(_("series: {series}").format(series=data["series"]))
    lead = data.get("opening", {}).get("lead")
    if lead:
        lines.append(_("opening: {count} paragraphs").format(count=lead.count("\n\n") + 1))
    for i, part in enumerate(data["sections"]):
        lines.append(f"{heading_number((i + 1,), True)}{part['title']}")
        for j, point in enumerate(part.get("sections", [])):
            lines.append(f"  {heading_number((i + 1, j + 1), True)}{point['title']}")
    lines.append(
        _("{quotes} quotations, {figures} figures: {listed}").format(
            quotes=len(drafted.quotes),
            figures=len(drafted.figures),
            listed="、".join(f"{f['value']}{f['unit']}{f['label']}" for f in drafted.figures),
        )
    )
    for quote in drafted.quotes:
        lines.append(f"  “{quote['text'][:20]}…”——{quote['source']}")
    for removed in script.removed:
        lines.append(
            _("removed {where}: {text} ({why})").format(
                where=removed.where, text=repr(removed.text), why=removed.why
            )
        )
    lines.append(
        _(
            "drafted, to rewrite: slide points, duration {minutes} min, {questions} questions, "
            "date, speaker"
        ).format(minutes=data["duration"], questions=len(data["questions"]))
    )
    return lines
