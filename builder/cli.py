"""The ``lectern`` command. Commands are thin: parse options, call the pipeline, report.

Heavy imports (python-pptx, WeasyPrint) happen inside commands, so ``--help`` is instant.
A ``LecternError`` is the user's to fix: it is printed like a compiler message with exit
status 2 and no traceback. Anything else is Lectern's bug and keeps its traceback.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import click

from builder import __version__
from builder.artifacts import lesson_name
from builder.check.report import FORMATS as REPORT_FORMATS
from builder.errors import FindingsError, LecternError, printable
from builder.i18n import _, language_from, ngettext, speak_in_click, use
from builder.project import PROJECT_FILE, project_folder, project_settings
from builder.settings import SETTINGS, Kind, Output, Pairs, Setting, Switch


def _lang_flag(argv: list[str]) -> str | None:
    """The --lang given to lectern itself (before the command's name), if any."""
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if not arg.startswith("-"):
            return None
    return None


# Click takes the help texts when the commands below are defined, so the language is
# chosen first: from `lectern --lang zh`, else from the locale (LANG, LC_MESSAGES…).
use(language_from(os.environ, _lang_flag(sys.argv[1:])))
speak_in_click()


def _fail(error: LecternError) -> None:
    _report(error)
    sys.exit(error.exit_code)


def _ready_to_render() -> None:
    """Stop before anything is built where PDFs cannot be made (a WeasyPrint or pydyf
    Lectern does not support, a SOURCE_DATE_EPOCH that is not a number), and say so on
    every build when the machine would build the slow way: a missing library or an
    unusable cache is otherwise noticed only as a CI job that takes far longer."""
    from builder.artifacts import source_date_epoch
    from builder.cache import probe
    from builder.render.print.weasy import check_versions, slow_font_embedding

    try:
        check_versions()
        source_date_epoch()
    except LecternError as error:
        _fail(error)
    reason = slow_font_embedding()
    if reason:
        click.secho(
            _(
                "warning: {reason}: WeasyPrint embeds fonts with fontTools instead, about 14× "
                "slower for Chinese PDFs (./run build installs it)"
            ).format(reason=reason),
            fg="yellow",
            err=True,
        )
    reason = probe()
    if reason:
        click.secho(
            f"warning: the cache {reason}: building without it, which is slower",
            fg="yellow",
            err=True,
        )


def _lessons(lessons: tuple[Path, ...], options, shard: str | None = None) -> list[Path]:
    """The lesson files a command works on: those named (default: content/), each once,
    no two writing one output folder, and this CI job's share of them."""
    from builder.series import distinct_outputs, find_lessons
    from builder.series import shard as share

    return share(distinct_outputs(find_lessons(list(lessons)), options), shard)


def _check_shard(value: str | None) -> str | None:
    if value is None:
        return None
    index, _slash, count = value.partition("/")
    if not (index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise click.BadParameter(
            _("{value} is not I/N with 1 ≤ I ≤ N").format(value=repr(value)), param_hint="--shard"
        )
    return value


def _converted(kind: Kind):
    """A click callback giving a flag's value as the option holds it (``Kind.from_flag``)."""

    def convert(context, parameter, value):
        try:
            return kind.from_flag(value)
        except ValueError as why:
            raise click.BadParameter(str(why)) from None

    return convert


def _setting_flags(select: Callable[[Setting], bool]):
    """The click options of the settings select picks that a flag may set, as declared
    (``builder.settings``). A setting lectern.yaml may also hold defaults to None: the
    project file's value stands unless the flag is given."""
    options = []
    for declared in SETTINGS:
        if not (declared.as_flag and select(declared)):
            continue
        kind, help = declared.kind, declared.help
        default, shown = declared.default, not isinstance(kind, Switch)
        if declared.in_file:
            if default not in (None, (), False) and "[default:" not in help:
                help += f" [default: {default}]"
            default, shown = None, False
        options.append(
            click.option(
                *declared.flags,
                declared.name,
                type=kind.click_type(),
                default=str(default) if isinstance(default, Path) else default,
                show_default=shown,
                callback=_converted(kind),
                help=help,
                **kind.click_extra(),
            )
        )

    def apply(command):
        for option in reversed(options):
            command = option(command)
        return command

    return apply


def _dist_option(help: str):
    """release's and merge's -d/--dist: the folder the zips are written to."""
    return click.option(
        "-d",
        "--dist",
        type=click.Path(file_okay=False),
        default="dist",
        show_default=True,
        callback=_converted(Output()),
        help=help,
    )


def _shapes_the_deck(declared: Setting) -> bool:
    return any(fmt.deck for fmt in declared.shapes)


def _for_a_build(declared: Setting) -> bool:
    """What watch, serve and release take of build's flags: the output folder and what
    decides what is built, not --strict or --force."""
    return declared.recorded or isinstance(declared.kind, Output)


def with_settings(options, **flags):
    """options (from lectern.yaml) with each setting flag given on the command line: a
    flag wins over the project file (``--with`` adds to its list), an absent one (None)
    leaves it be."""
    kinds = {declared.name: declared.kind for declared in SETTINGS}
    given = {name: value for name, value in flags.items() if value is not None}
    return replace(
        options,
        **{
            name: kinds[name].combined(getattr(options, name), value)
            for name, value in given.items()
        },
    )


def _require_office(options) -> None:
    """Stop before building when an artifact asked for needs LibreOffice and there is none."""
    from builder.render.office.libreoffice import require_office

    if options.extras:
        try:
            require_office(", ".join(options.extras), Path("lectern"))
        except LecternError as error:
            _fail(error)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lectern")
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    expose_value=False,
    help="Language of messages [default: from LANG / LC_MESSAGES].",
)
def main() -> None:
    """Lectern: one lesson source in; slides, a handout and discussion sheets out."""


@main.command()
@click.argument("lessons", nargs=-1, type=click.Path(path_type=Path))
@_setting_flags(lambda declared: True)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    help="Processes rendering at once [default: cores; for one lesson, the idle ones].",
)
@click.option(
    "--shard",
    "shard_",
    metavar="I/N",
    callback=lambda c, p, v: _check_shard(v),
    help="Build only the I-th of N equal shares of the lessons (for CI matrices).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also list artifacts that were up to date.")
def build(
    lessons: tuple[Path, ...],
    jobs: int | None,
    shard_: str | None,
    quiet: bool,
    verbose: bool,
    **settings,
) -> None:
    """Build LESSONS (lesson folders or files; default: every lesson in content/)."""
    from builder.series import build as run_build

    _ready_to_render()
    options = with_settings(project_options(project_folder(lessons)), **settings)
    _require_office(options)
    try:
        paths = _lessons(lessons, options, shard_)
    except LecternError as error:
        _fail(error)
    alone = len(paths) == 1  # else a failed lesson's message must not speak for the others
    # On a terminal: a progress bar, then the warnings; in logs (CI): a line per artifact.
    interactive = sys.stderr.isatty() and not (quiet or verbose)
    outcomes, failures = [], []
    with (
        click.progressbar(length=len(paths), label="building", file=sys.stderr, show_pos=True)
        if interactive
        else contextlib.nullcontext()
    ) as bar:
        for outcome in run_build(paths, options, jobs=jobs):
            if bar is not None:
                bar.label = f"{printable(lesson_name(outcome.path.parent)):<24.24}"
                bar.update(1)
                outcomes.append(outcome)
            else:
                _print_outcome(outcome, quiet=quiet, verbose=verbose, alone=alone)
            if outcome.error is not None:
                failures.append(outcome.error)
    for outcome in outcomes:
        _print_outcome(outcome, quiet=True, verbose=False, alone=alone)
    if interactive:
        built = sum(len(o.result.artifacts) for o in outcomes if o.result)
        click.echo(
            _("{lessons} lessons: {built} artifacts built, {failed} failed").format(
                lessons=len(paths), built=built, failed=len(failures)
            ),
            err=True,
        )
    if failures:
        if not alone:
            click.echo(f"lectern: {_failed(len(failures), len(paths))}", err=True)
        sys.exit(max(error.exit_code for error in failures))


def _failed(failed: int, lessons: int) -> str:
    """What a build of several lessons did, when some failed: the others were written."""
    return ngettext(
        "{failed} lesson failed (nothing written for it); {built} built",
        "{failed} lessons failed (nothing written for them); {built} built",
        failed,
    ).format(failed=failed, built=lessons - failed)


def _print_outcome(outcome, *, quiet: bool, verbose: bool, alone: bool = True) -> None:
    if outcome.error is not None:
        _report(outcome.error, summary=alone)
    else:
        _print_result(outcome.result, quiet=quiet, verbose=verbose)


def project_options(project: Path = Path(".")):
    """Build options from lectern.yaml, if the project has one (command-line flags win)."""
    try:
        return project_settings(project)
    except LecternError as error:
        _fail(error)


def _report(error: LecternError, *, summary: bool = True, outcome: str | None = None) -> None:
    """Print error's problems, then (with summary) their count and what became of the
    outputs; a command that goes on to other lessons says what it did at its end."""
    outcome = outcome or _("nothing was written")
    if isinstance(error, FindingsError):
        for finding in error.findings:
            click.echo(finding.render(), err=True)
        if summary:
            count = len(error.findings)
            click.echo(
                _("lectern: {count} findings with --strict; {outcome}").format(
                    count=count, outcome=outcome
                ),
                err=True,
            )
        return
    for problem in error.problems:
        click.echo(problem.render(), err=True)
    count = len(error.problems)
    if summary:
        message = ngettext(
            "lectern: {count} error; {outcome}", "lectern: {count} errors; {outcome}", count
        )
        click.echo(message.format(count=count, outcome=outcome), err=True)


def _print_result(result, *, quiet: bool, verbose: bool) -> None:
    for finding in result.findings:
        click.echo(finding.render(), err=True)
    if quiet:
        return
    for artifact in result.artifacts:
        where = printable(str(result.folder / artifact.name))
        click.echo(f"{where}  ({len(artifact.data) / 1024:.0f} KB)")
    if verbose:
        for name in result.kept:
            click.echo(_("{name}  (unchanged)").format(name=printable(str(result.folder / name))))
    click.echo(
        _("{lesson}: {built} built, {kept} unchanged in {seconds:.2f} s").format(
            lesson=printable(result.lesson),
            built=len(result.artifacts),
            kept=len(result.kept),
            seconds=result.seconds,
        ),
        err=True,
    )


@main.command()
@click.argument("lessons", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Exit 1 when there are findings.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(REPORT_FORMATS),
    default="text",
    show_default=True,
    help="json: Lectern's own; sarif: SARIF 2.1.0 (GitHub code scanning); github: "
    "workflow annotations; gitlab: a Code Quality report.",
)
@_setting_flags(_shapes_the_deck)
def check(lessons: tuple[Path, ...], strict: bool, output_format: str, **deck_flags) -> None:
    """Report what readers and audiences would notice: tofu, spam, overflow, typography.

    Overflow is predicted on the deck as `lectern build` would set it: the slide
    master, layouts and typeface of lectern.yaml and of these flags.

    Exit status: 0 clean (or findings without --strict), 1 findings with --strict,
    2 a lesson that cannot be read or built.
    """
    from builder.check.run import check_lesson
    from builder.render.slides.render import open_deck
    from builder.series import find_lessons
    from builder.settings import BuildOptions
    from builder.source import load_lesson

    findings, problems = [], []
    # A broken lectern.yaml or slide master is reported once, and every check that does
    # not need it still runs: overflow is predicted only on the deck the build would use.
    try:
        options = project_settings(project_folder(lessons))
    except LecternError as error:
        problems += error.problems
        options = BuildOptions()
    deck = with_settings(options, **deck_flags).deck
    try:
        open_deck(deck)
        predict = True
    except LecternError as error:
        problems += error.problems
        predict = False
    try:
        paths = find_lessons(list(lessons))
    except LecternError as error:  # reported with the rest: --format json always prints JSON
        problems += error.problems
        paths = []
    for path in paths:
        try:
            findings += check_lesson(load_lesson(path), deck, predict_overflow=predict)
        except LecternError as error:
            problems += error.problems
    problems = list(dict.fromkeys(problems))  # what lessons share (wordlist.txt) is said once
    refused = [f for f in findings if f.severity == "error"]
    if output_format != "text":
        from builder.check.report import report

        click.echo(report(output_format, findings, problems))
    else:
        for finding in findings:
            click.echo(finding.render())
        for problem in problems:
            click.echo(problem.render(), err=True)
        # Findings the build would refuse (error[glyph]) are counted as errors.
        errors, warnings = len(problems) + len(refused), len(findings) - len(refused)
        click.echo(
            _("lectern: {counts}").format(
                counts=_(", ").join(
                    (
                        ngettext("{count} lesson", "{count} lessons", len(paths)).format(
                            count=len(paths)
                        ),
                        ngettext("{count} finding", "{count} findings", warnings).format(
                            count=warnings
                        ),
                        ngettext("{count} error", "{count} errors", errors).format(count=errors),
                    )
                )
            ),
            err=True,
        )
    if problems or refused:
        sys.exit(2)
    if findings and strict:
        sys.exit(1)


@main.command()
@click.argument("lessons", nargs=-1, type=click.Path(path_type=Path))
@_setting_flags(_for_a_build)
def watch(lessons: tuple[Path, ...], **settings) -> None:
    """Rebuild LESSONS whenever they, the theme, the slide master or lectern.yaml change;
    ^C stops."""
    import signal

    from builder.watch import watch as run_watch

    project = project_folder(lessons)
    # A broken lectern.yaml stops it at the start.
    options = with_settings(project_options(project), **settings)
    _require_office(options)
    try:
        paths = _lessons(lessons, options)
    except LecternError as error:
        _fail(error)
    # A service manager or `timeout` stops a watch with SIGTERM: end as ^C does, so the
    # renderers' worker processes are shut down and their semaphores released (else
    # multiprocessing's resource tracker reports them as leaked).
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    _ready_to_render()
    click.echo(f"watching {len(paths)} lesson{'s' if len(paths) != 1 else ''}; ^C stops")
    from builder.render.office.libreoffice import kept_warm

    try:
        with kept_warm():  # --with artifacts: one LibreOffice for every save, started once
            run_watch(
                paths,
                lambda: with_settings(project_settings(project), **settings),
                lambda line: click.echo(line) or sys.stdout.flush(),
                jobs=os.cpu_count() or 1,
                project_file=project / PROJECT_FILE,
            )
    except KeyboardInterrupt:
        click.echo("stopped")


@main.command()
@click.argument("lessons", nargs=-1, type=click.Path(path_type=Path))
@_setting_flags(_for_a_build)
@click.option("--port", type=click.IntRange(0, 65535), default=8017, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but this machine's is shown a warning.",
)
def serve(lessons: tuple[Path, ...], port: int, host: str, **settings) -> None:
    """Show LESSONS in the browser, slides and pages as built, updated on every save; ^C
    stops."""
    import signal

    from builder.serve.run import serve as run_serve

    if host not in ("127.0.0.1", "localhost", "::1"):
        click.secho(
            f"warning: listening on {host}: anyone who can reach it sees these lessons' "
            "outputs (requests must still name this machine as their Host)",
            fg="yellow",
            err=True,
        )
    project = project_folder(lessons)
    options = with_settings(project_options(project), **settings)
    try:
        paths = _lessons(lessons, options)
    except LecternError as error:
        _fail(error)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    _ready_to_render()
    say = lambda line: click.echo(line) or sys.stdout.flush()  # noqa: E731
    try:
        run_serve(
            paths,
            lambda: with_settings(project_settings(project), **settings),
            say,
            host=host,
            port=port,
            project_file=project / PROJECT_FILE,
            jobs=os.cpu_count() or 1,
            listening=lambda url: say(f"serving {len(paths)} lesson(s) at {url}; ^C stops"),
        )
    except OSError as error:
        click.echo(f"lectern: cannot listen on {host}:{port}: {error.strerror}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo("stopped")


@main.command()
@click.argument("lessons", nargs=-1, type=click.Path(path_type=Path))
@_setting_flags(_for_a_build)
@_dist_option("Where the zips go.")
@click.option(
    "--shard",
    metavar="I/N",
    callback=lambda c, p, v: _check_shard(v),
    help="Release only the I-th of N shares of the lessons, as build --shard builds them, "
    "into zips named for the shard; `lectern merge` joins them.",
)
def release(lessons: tuple[Path, ...], dist: Path, shard: str | None, **settings) -> None:
    """Build LESSONS and package one reproducible zip per lesson series.

    It takes build's settings (these flags and lectern.yaml), builds what is not up to
    date with them, and refuses outputs made with other settings.
    """
    from builder.release import package, refuse_other_settings, refuse_unzippable
    from builder.series import build as run_build
    from builder.series import shard as share

    _ready_to_render()
    options = with_settings(project_options(project_folder(lessons)), **settings)
    _require_office(options)
    try:
        everyone = _lessons(lessons, options)
        paths = share(everyone, shard)
        refuse_unzippable(everyone)
        refuse_other_settings(paths, options)
    except LecternError as error:
        _fail(error)
    outcomes = list(run_build(paths, options, jobs=None))
    failures = [o.error for o in outcomes if o.error is not None]
    alone = len(paths) == 1
    for error in failures:
        _report(error, summary=alone, outcome="nothing was written; no zip was made")
    if failures:
        if not alone:
            click.echo(f"lectern: {_failed(len(failures), len(paths))}; no zip was made", err=True)
        sys.exit(max(error.exit_code for error in failures))
    try:
        made = package(sorted(o.path for o in outcomes), options, dist, shard, everyone)
    except LecternError as error:
        _report(error, outcome="no zip was made")
        sys.exit(error.exit_code)
    for path in made:
        click.echo(f"{printable(str(path))}  ({path.stat().st_size / 1024:.0f} KB)")


@main.command()
@click.argument("zips", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@_dist_option("Where the merged zips go.")
def merge(zips: tuple[Path, ...], dist: Path) -> None:
    """Join the zips of every shard of `lectern release --shard I/N` into one zip per
    series, byte for byte the zips an unsharded release writes."""
    from builder.release import merge as join

    try:
        made = join(list(zips), dist)
    except LecternError as error:
        _report(error, outcome="no zip was made")
        sys.exit(error.exit_code)
    for path in made:
        click.echo(f"{printable(str(path))}  ({path.stat().st_size / 1024:.0f} KB)")


@main.command("inspect-template")
@click.argument("template", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--layout",
    "layouts",
    multiple=True,
    metavar="KIND=LAYOUT",
    callback=_converted(Pairs("KIND=LAYOUT")),
)
def inspect_template(template: Path, layouts: tuple[tuple[str, str], ...] | None) -> None:
    """List a .pptx/.potx master's layouts and placeholders, and where each slide kind goes."""
    from builder.render.slides.master import describe_template

    try:
        click.echo(describe_template(template, dict(layouts or ())))
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
    import shlex

    click.echo(f"created {path}; build it with: lectern build {shlex.quote(str(path.parent))}")


@main.command("import")
@click.argument("script", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    help="Lesson folder to write [default: content/ and the script's name].",
)
@click.option("--force", is_flag=True, help="Replace a lesson.yaml that is already there.")
def import_(script: Path, output: Path | None, force: bool) -> None:
    """Make a lesson from a script you already have (.txt, .md, .docx, .pptx)."""
    from builder.importers import import_script

    try:
        path, found = import_script(script, output or Path("content") / script.stem, force=force)
    except LecternError as error:
        _fail(error)
    for line in found:
        click.echo(line)
    click.echo(
        _("wrote {path}; build it with: lectern build {folder}").format(
            path=printable(str(path)), folder=printable(str(path.parent))
        )
    )


@main.command()
@click.argument("lessons", nargs=-1, type=click.Path(path_type=Path))
@click.option("--diff", "show_diff", is_flag=True, help="Show the corrections; change nothing.")
def fix(lessons: tuple[Path, ...], show_diff: bool) -> None:
    """Make the safe typographic corrections in LESSONS' files (punctuation, quotes,
    CJK–Latin spacing), keeping comments and layout."""
    from builder.fix import fix_lesson, write_fixed
    from builder.series import find_lessons

    problems, total = [], 0
    try:
        paths = find_lessons(list(lessons))
    except LecternError as error:
        _fail(error)
    for path in paths:
        try:
            fixed = fix_lesson(path)
        except LecternError as error:
            problems += error.problems
            continue
        total += fixed.count
        if show_diff:
            click.echo(fixed.diff(), nl=False)
        elif fixed.count:
            write_fixed(fixed)
            click.echo(
                ngettext(
                    "{path}: {count} correction", "{path}: {count} corrections", fixed.count
                ).format(path=printable(str(fixed.path)), count=fixed.count)
            )
    for problem in problems:
        click.echo(problem.render(), err=True)
    summary = (
        ngettext("{count} correction to make", "{count} corrections to make", total)
        if show_diff
        else ngettext("{count} correction made", "{count} corrections made", total)
    )
    click.echo("lectern: " + summary.format(count=total), err=True)
    if problems:
        sys.exit(2)


def _translate_help(group: click.Group) -> None:
    """Show the commands' and options' help in the chosen language: the English texts,
    written beside the code they describe, are the catalog's message ids."""
    for command in (group, *group.commands.values()):
        if command.help:
            command.help = _(inspect.cleandoc(command.help))
        for param in command.params:
            if getattr(param, "help", None):
                param.help = _(param.help)


_translate_help(main)


def run() -> None:
    """The ``lectern`` program: main(), then an exit that skips the interpreter's teardown
    (``process``). Exit handlers still run first; nothing is left unwritten, because
    artifacts are written and renamed into place before a command returns.
    """
    import atexit

    from builder.process import end_process, roomy_stack

    try:
        roomy_stack(main)()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        if isinstance(stop.code, str):
            print(stop.code, file=sys.stderr)
    atexit._run_exitfuncs()  # what a normal exit runs first (worker shutdown, temp folders)
    end_process(code)
