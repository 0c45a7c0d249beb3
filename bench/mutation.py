"""Mutation score of the modules where a bug loses content or breaks a promise.

cosmic-ray makes the mutants; this script draws a fixed-seed sample of them and, for
each, runs only the tests that cover the mutated line (fastest first, stopping at the
first failure), all in a copy of the committed tree so the working tree is never
mutated:

    nice .venv/bin/python bench/mutation.py prepare [TESTS] [-k EXPR]  # copy, map, sample
    nice .venv/bin/python bench/mutation.py run      # cosmic-ray exec (hours of CPU)
    .venv/bin/python bench/mutation.py report        # score per module, and the survivors

``prepare`` copies ``git archive HEAD`` to ``.mutation/src``, runs the default suite
(or the TESTS named) there once under coverage with one context per test (subprocesses
included: builds run ``python -m builder``), and writes which tests cover which line.
A line covered while a shared (module- or session-scoped) fixture was set up counts for
every test that uses that fixture. ``--sample N --seed S`` keep N mutants drawn by
``random.Random(S)`` from all that cosmic-ray makes, the rest marked skipped. The
``mutation`` extra installs cosmic-ray and coverage: ``.venv/bin/pip install -e '.[mutation]'``.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from itertools import zip_longest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COSMIC_RAY = str(Path(sys.executable).parent / "cosmic-ray")
BUDGET = 90.0
"""Seconds of tests per mutant: on a shared 2-core machine a survivor cannot run hundreds
of builds. A mutant still alive when the budget is spent counts as a survivor (said in
its output), so the score is if anything too low."""
MODULES = [
    "builder/text",
    "builder/render/slides/plan.py",
    "builder/render/slides/fit.py",
    "builder/incremental.py",
    "builder/freshness.py",
    "builder/artifacts.py",
    "builder/check/injected.py",
    "builder/render/print/templating.py",
]
CONFIG = """[cosmic-ray]
module-path = {modules}
timeout = 300.0
excluded-modules = []
test-command = "{python} {script} test"

[cosmic-ray.distributor]
name = "local"
"""
COVERAGE = """[run]
parallel = true
data_file = {data}
context = ${{MUTATION_CONTEXT-}}
source = builder
"""


def targets(src: Path) -> list[Path]:
    """Every module file the mutants are made in, relative to src."""
    files: list[Path] = []
    for name in MODULES:
        path = src / name
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return [f.relative_to(src) for f in files]


# -- prepare ------------------------------------------------------------------------------


def prepare(work: Path, sample: int, seed: int, tests: list[str]) -> None:
    if work.exists():
        shutil.rmtree(work)
    src, pristine = work / "src", work / "pristine"
    for folder in (src, pristine):
        folder.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    # The built-in theme is the package builder.builtin only once installed; in the copy it
    # must be the copy's templates/, not the installed checkout's.
    (src / "builder" / "builtin").symlink_to(Path("..") / "templates")
    coverage_map(work, src, tests)
    config = work / "cosmic-ray.toml"
    config.write_text(
        CONFIG.format(
            modules=json.dumps(MODULES),
            python=sys.executable,
            script=src / "bench" / "mutation.py",
        )
    )
    session = work / "session.sqlite"
    subprocess.run(
        [COSMIC_RAY, "init", str(config), str(session)],
        cwd=src,
        check=True,
    )
    draw(session, sample, seed)


def coverage_map(work: Path, src: Path, tests: list[str]) -> None:
    """Run the default suite once under coverage; write which tests cover which line."""
    rc = work / "coverage.ini"
    rc.write_text(COVERAGE.format(data=work / "coverage" / "data"))
    (work / "coverage").mkdir()
    env = {
        **os.environ,
        "COVERAGE_PROCESS_START": str(rc),
        "MUTATION_TESTS": str(work / "coverage"),
        "PYTHONPATH": f"{src}:{src / 'bench'}",
    }
    pytest = [sys.executable, "-m", "pytest", "-q", "-n", "2", "-m", "not slow", "-p", "mutation"]
    subprocess.run(
        [*pytest, *tests],
        cwd=src,
        env=env,
        check=False,  # a test that fails here is left out of the map, said below
    )
    import coverage

    combiner = coverage.Coverage(config_file=str(rc), data_file=str(work / "coverage" / "data"))
    combiner.combine(keep=False)
    combiner.save()
    data = combiner.get_data()
    tests: dict[str, dict] = {}
    for part in (work / "coverage").glob("tests-*.json"):
        tests.update(json.loads(part.read_text()))
    lines: dict[str, dict[int, list[str]]] = {}
    for relative in targets(src):
        measured = data.contexts_by_lineno(str(src / relative))
        lines[str(relative)] = {n: sorted(set(c) - {""}) for n, c in measured.items()}
    (work / "map.json").write_text(json.dumps({"tests": tests, "lines": lines}))
    failed = [n for n, t in tests.items() if not t["passed"]]
    print(f"coverage map: {len(tests)} tests, {len(failed)} failing (left out): {failed}")


def draw(session: Path, sample: int, seed: int) -> None:
    """Keep sample mutants, drawn with random.Random(seed) from all, skip the rest."""
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    with use_db(str(session), WorkDB.Mode.open) as db:
        jobs = sorted(item.job_id for item in db.work_items)
        kept = set(random.Random(seed).sample(jobs, min(sample, len(jobs))))
        skipped = [job for job in jobs if job not in kept]
        db.set_multiple_results(
            skipped, WorkResult(output="not drawn", worker_outcome=WorkerOutcome.SKIPPED)
        )
    print(f"{len(jobs)} mutants made, {len(kept)} drawn (random.Random({seed}).sample)")


# -- the pytest plugin: one coverage context per test ----------------------------------


def _switch(context: str) -> None:
    import coverage

    os.environ["MUTATION_CONTEXT"] = context  # subprocesses start with it (COVERAGE rc)
    current = coverage.Coverage.current()
    if current is not None:
        current.switch_context(context)


_RECORD: dict[str, dict] = {}


def pytest_runtest_setup(item) -> None:
    shared = sorted(
        f"{d.scope}:{d.baseid if d.scope == 'module' else ''}:{name}"
        for name, defs in item._fixtureinfo.name2fixturedefs.items()
        for d in defs[-1:]
        if d.scope != "function"
    )
    _RECORD[item.nodeid] = {"shared": shared, "began": time.monotonic(), "passed": True}
    _switch(f"setup|{item.nodeid}")


def pytest_runtest_call(item) -> None:
    _switch(item.nodeid)


def pytest_runtest_teardown(item) -> None:
    _switch(item.nodeid)


def pytest_runtest_logreport(report) -> None:
    record = _RECORD.get(report.nodeid)
    if record is not None and report.failed:
        record["passed"] = False
    if record is not None and report.when == "teardown":
        record["seconds"] = time.monotonic() - record.pop("began")
        _switch("")


def pytest_sessionfinish(session) -> None:
    folder = os.environ.get("MUTATION_TESTS")
    if folder:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        Path(folder, f"tests-{worker}.json").write_text(json.dumps(_RECORD))


# -- test one mutant -------------------------------------------------------------------


def mutated_lines(src: Path, pristine: Path) -> tuple[str, set[int]] | None:
    """The module cosmic-ray changed and its changed lines (numbered as in the original)."""
    for relative in targets(pristine):
        before = (pristine / relative).read_text().splitlines()
        after = (src / relative).read_text().splitlines()
        if before == after:
            continue
        changed: set[int] = set()
        for tag, i1, i2, _, _ in difflib.SequenceMatcher(a=before, b=after).get_opcodes():
            if tag != "equal":
                changed.update(range(i1 + 1, max(i2, i1 + 1) + 1))
        return str(relative), changed
    return None


def covering_tests(work: Path, module: str, changed: set[int]) -> list[str]:
    """The tests that ran a changed line, fastest first."""
    index = json.loads((work / "map.json").read_text())
    tests, lines = index["tests"], index["lines"].get(module, {})
    chosen: set[str] = set()
    for number in changed:
        for context in lines.get(str(number), []):
            if context.startswith("setup|"):
                first = context.removeprefix("setup|")
                shared = set(tests.get(first, {}).get("shared", []))
                chosen.add(first)
                chosen.update(n for n, t in tests.items() if shared & set(t["shared"]))
            else:
                chosen.add(context)
    runnable = sorted(
        (n for n in chosen if tests.get(n, {}).get("passed")),
        key=lambda n: tests[n].get("seconds", 0.0),
    )
    # Round robin over test functions, fastest first: the 20 cases of one parametrized
    # test do not crowd out every other test of the line.
    by_function: dict[str, list[str]] = defaultdict(list)
    for name in runnable:
        by_function[name.split("[")[0]].append(name)
    rounds = zip_longest(*by_function.values())
    return [name for round_ in rounds for name in round_ if name]


def run_covering_tests(work: Path) -> int:
    src = work / "src"
    found = mutated_lines(src, work / "pristine")
    if found is None:
        print("no change found: the mutant is the original")
        return 0
    module, changed = found
    chosen = covering_tests(work, module, changed)
    print(f"{module}:{sorted(changed)}: {len(chosen)} covering tests")
    if not chosen:
        return 0  # no test runs the line: survived
    listing = work / "selected.txt"
    listing.write_text("\n".join(chosen))
    env = {**os.environ, "PYTHONPATH": str(src)}
    env.pop("COVERAGE_PROCESS_START", None)
    pytest = [sys.executable, "-m", "pytest", "-xq", "-p", "no:cacheprovider", "-p", "no:xdist"]
    try:
        result = subprocess.run([*pytest, *chosen], cwd=src, env=env, timeout=BUDGET)
    except subprocess.TimeoutExpired:
        print(f"budget of {BUDGET:.0f} s spent: counted as survived")
        return 0
    return 0 if result.returncode in (0, 5) else 1


# -- report ----------------------------------------------------------------------------


def report(work: Path) -> None:
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import TestOutcome, WorkerOutcome

    per_module: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    survivors = []
    with use_db(str(work / "session.sqlite"), WorkDB.Mode.open) as db:
        for item, result in db.completed_work_items:
            if result.worker_outcome == WorkerOutcome.SKIPPED:
                continue
            mutation = item.mutations[0]
            module = str(mutation.module_path)
            if result.worker_outcome != WorkerOutcome.NORMAL:
                per_module[module][result.worker_outcome.value] += 1
                continue
            per_module[module][result.test_outcome.value] += 1
            if result.test_outcome == TestOutcome.SURVIVED:
                why = "budget spent" if "budget of" in (result.output or "") else ""
                why = why or ("no test covers it" if " 0 covering tests" in result.output else "")
                survivors.append(
                    f"{module}:{mutation.start_pos[0]} {mutation.operator_name}"
                    f" #{mutation.occurrence} ({item.job_id}) {why}"
                )
            elif (result.output or "").strip() == "timeout":
                per_module[module]["killed by cosmic-ray's timeout"] += 1
    total_killed = total = 0
    for module in sorted(per_module):
        counts = per_module[module]
        killed, survived = counts["killed"], counts["survived"]
        total_killed, total = total_killed + killed, total + killed + survived
        score = killed / (killed + survived) if killed + survived else 1.0
        extra = {k: v for k, v in counts.items() if k not in ("killed", "survived")}
        print(f"{module:45} {killed:4} killed {survived:4} survived  {score:6.1%}  {extra or ''}")
    if total:
        print(f"{'all':45} {total_killed:4} of {total} killed  {total_killed / total:6.1%}")
    print("survivors:", *survivors, sep="\n  ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["prepare", "run", "test", "report"])
    parser.add_argument("--work", type=Path, default=None, help="default: .mutation/")
    parser.add_argument("--sample", type=int, default=250)
    parser.add_argument("--seed", type=int, default=2126)
    parser.add_argument("tests", nargs="*", help="prepare: the tests to map (default: all)")
    parser.add_argument("--keyword", "-k", help="prepare: only the tests pytest -k selects")
    args = parser.parse_intermixed_args()
    # The test command runs inside the copy, whose bench/ is one level below the work dir.
    here = ROOT.parent if ROOT.name == "src" and ROOT.parent.name == ".mutation" else ROOT
    work = args.work or (here if here.name == ".mutation" else here / ".mutation")
    if args.command == "prepare":
        chosen = [*args.tests, *(["-k", args.keyword] if args.keyword else [])]
        prepare(work, args.sample, args.seed, chosen)
    elif args.command == "run":
        sys.exit(
            subprocess.run(
                [COSMIC_RAY, "exec", str(work / "cosmic-ray.toml"), str(work / "session.sqlite")],
                cwd=work / "src",
            ).returncode
        )
    elif args.command == "test":
        sys.exit(run_covering_tests(work))
    else:
        report(work)


if __name__ == "__main__":
    main()
