"""The ``lectern`` command. Commands are thin: parse options, call the pipeline, report.

Heavy imports (python-pptx, WeasyPrint) happen inside commands, so ``--help`` is instant.
A ``LecternError`` is the user's to fix: it is printed like a compiler message with exit
status 2 and no traceback. Anything else is Lectern's bug and keeps its traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from builder import __version__
from builder.errors import LecternError


def _fail(error: LecternError) -> None:
    for problem in error.problems:
        click.echo(problem.render(), err=True)
    count = len(error.problems)
    click.echo(f"lectern: {count} error{'s' if count != 1 else ''}; nothing was written", err=True)
    sys.exit(error.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lectern")
def main() -> None:
    """Lectern: one lesson source in; slides, a handout and discussion sheets out."""


@main.command()
@click.argument("lessons", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("output"),
    show_default=True,
    help="Folder that receives one sub-folder per lesson.",
)
@click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False),
    help="Your theme folder; its files override the built-in theme's.",
)
@click.option(
    "--slide-template",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A .pptx or .potx whose masters and layouts the deck uses.",
)
@click.option("--aspect", type=click.Choice(["16:9", "4:3"]), default="16:9", show_default=True)
@click.option(
    "--layout",
    "layouts",
    multiple=True,
    metavar="KIND=LAYOUT",
    help="Use the master's layout LAYOUT for KIND slides (see inspect-template).",
)
@click.option("--paper", type=click.Choice(["A4", "A5", "Letter"]), default="A4", show_default=True)
def build(
    lessons: tuple[Path, ...],
    output: Path,
    templates: Path | None,
    slide_template: Path | None,
    aspect: str,
    layouts: tuple[str, ...],
    paper: str,
) -> None:
    """Build LESSONS (lesson folders or files; default: every lesson in content/)."""
    from builder.pipeline import BuildOptions
    from builder.pipeline import build as run_build

    pairs = []
    for item in layouts:
        kind, _, name = item.partition("=")
        if not name:
            raise click.BadParameter(f"{item!r} is not KIND=LAYOUT", param_hint="--layout")
        pairs.append((kind.strip(), name.strip()))
    options = BuildOptions(
        output=output,
        templates=templates,
        slide_template=slide_template,
        aspect=aspect,
        paper=paper,
        layouts=tuple(pairs),
    )
    try:
        for result in run_build(list(lessons), options):
            for artifact in result.artifacts:
                click.echo(f"{result.folder / artifact.name}  ({len(artifact.data) / 1024:.0f} KB)")
    except LecternError as error:
        _fail(error)


@main.command("inspect-template")
@click.argument("template", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--layout", "layouts", multiple=True, metavar="KIND=LAYOUT")
def inspect_template(template: Path, layouts: tuple[str, ...]) -> None:
    """List a .pptx/.potx master's layouts and placeholders, and where each slide kind goes."""
    from builder.render.slides.master import describe_template

    overrides = dict(item.split("=", 1) for item in layouts if "=" in item)
    try:
        click.echo(describe_template(template, overrides))
    except LecternError as error:
        _fail(error)


@main.command()
def schema() -> None:
    """Print the JSON Schema of lesson files (for editor completion and validation)."""
    from builder.model import Lesson

    document = Lesson.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["$id"] = f"https://lectern.invalid/schema/lesson-{__version__}.json"
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


@main.command()
@click.argument("name")
@click.option(
    "--content",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("content"),
    show_default=True,
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
def new(name: str, content: Path, lang: str) -> None:
    """Create content/NAME/lesson.yaml from a starter lesson that builds as it stands."""
    from builder.scaffold import create_lesson

    try:
        path = create_lesson(content, name, lang)
    except LecternError as error:
        _fail(error)
    click.echo(f"created {path}; build it with: lectern build {path.parent}")
