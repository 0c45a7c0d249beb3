"""``lectern check``'s findings and errors as CI systems read them.

- ``json``: Lectern's own, one object of findings and errors;
- ``sarif``: SARIF 2.1.0, which GitHub code scanning (and most other scanners' viewers)
  upload and show on the lines they name;
- ``github``: GitHub Actions workflow commands (``::warning file=…,line=…::…``), shown
  as annotations on the pull request's diff;
- ``gitlab``: GitLab's Code Quality report (a JSON list), shown in merge requests.

Paths are given relative to the working directory (the repository root in CI), with
forward slashes, as each of these systems matches them against the repository.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import quote

from builder import __version__
from builder.check.findings import Finding
from builder.errors import Problem

FORMATS = ("text", "json", "sarif", "github", "gitlab")
"""Every --format; "text" is printed by the command itself, as compiler messages."""

INFORMATION = "https://lectern.invalid/checks"

RULES = {
    "glyph": "A character a slide or print font lacks (an empty box when shown)",
    "injected": "Text spliced into copied text (spam, tracking tokens)",
    "invisible": "Zero-width, bidi-control or private-use characters",
    "typography": "Punctuation and spacing that Chinese typesetting does not use",
    "completeness": "A lesson missing what a session needs (questions, time, points)",
    "overflow": "Slide text that will be continued or set smaller",
    "error": "A lesson, template or setting that cannot be used",
}
"""What each finding code (and an error) means, for the rule lists of SARIF viewers."""


def _path(file: Path) -> str:
    """file relative to the working directory when it is below it, with forward slashes."""
    try:
        return file.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return file.as_posix()


def _items(findings: list[Finding], problems: list[Problem]) -> list[dict]:
    """Findings and errors alike: code, severity, message and where."""
    items = [
        {
            "code": f.code,
            "severity": f.severity,
            "message": f"{f.location.field}: {f.message}" if f.location.field else f.message,
            "file": _path(f.location.file),
            "line": f.location.line,
            "column": f.location.column,
        }
        for f in findings
    ]
    items += [
        {
            "code": "error",
            "severity": "error",
            "message": f"{p.location.field}: {p.message}" if p.location.field else p.message,
            "file": _path(p.location.file),
            "line": p.location.line,
            "column": p.location.column,
        }
        for p in problems
    ]
    seen: dict[tuple, int] = {}
    for item in items:
        same = (item["file"], item["code"], item["message"])
        item["occurrence"] = seen[same] = seen.get(same, -1) + 1
    return items


def report(output_format: str, findings: list[Finding], problems: list[Problem]) -> str:
    """The findings and errors in output_format (one of FORMATS but "text")."""
    if output_format == "json":
        return _json(findings, problems)
    items = _items(findings, problems)
    if output_format == "sarif":
        return json.dumps(_sarif(items), ensure_ascii=False, indent=2)
    if output_format == "github":
        return "\n".join(_annotation(item) for item in items)
    if output_format == "gitlab":
        return json.dumps([_code_quality(item) for item in items], ensure_ascii=False, indent=2)
    raise ValueError(output_format)


def _json(findings: list[Finding], problems: list[Problem]) -> str:
    return json.dumps(
        {
            "findings": [f.as_json() for f in findings],
            "errors": [
                {
                    "file": str(p.location.file),
                    "line": p.location.line,
                    "column": p.location.column,
                    "field": p.location.field,
                    "message": p.message,
                }
                for p in problems
            ],
        },
        ensure_ascii=False,
        indent=2,
    )


def _sarif(items: list[dict]) -> dict:
    codes = sorted({item["code"] for item in items} | set(RULES))
    results = []
    for item in items:
        location: dict = {
            "artifactLocation": {"uri": quote(item["file"]), "uriBaseId": "%SRCROOT%"}
        }
        if item["line"]:
            region = {"startLine": item["line"]}
            if item["column"]:
                region["startColumn"] = item["column"]
            location["region"] = region
        results.append(
            {
                "ruleId": item["code"],
                "ruleIndex": codes.index(item["code"]),
                "level": "error" if item["severity"] == "error" else "warning",
                "message": {"text": item["message"]},
                "locations": [{"physicalLocation": location}],
                "partialFingerprints": {"lectern/v1": _fingerprint(item)},
            }
        )
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "Lectern",
                        "version": __version__,
                        "informationUri": INFORMATION,
                        "rules": [
                            {
                                "id": code,
                                "shortDescription": {"text": RULES.get(code, code)},
                            }
                            for code in codes
                        ],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": Path.cwd().resolve().as_uri() + "/"}},
                "results": results,
            }
        ],
    }


def _fingerprint(item: dict) -> str:
    """The same finding keeps one identity from run to run (not its line: an edit above
    it moves it), so CI systems can tell new findings from old ones; the same message
    twice in one file is told apart by its place in reading order."""
    key = "\0".join((item["file"], item["code"], item["message"], str(item["occurrence"])))
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _escaped(text: str, *, in_property: bool = False) -> str:
    """Text as a workflow command carries it: %, CR and LF encoded (and in a property,
    ':' and ',', which separate properties)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if in_property else text


def _annotation(item: dict) -> str:
    command = "error" if item["severity"] == "error" else "warning"
    properties = [f"file={_escaped(item['file'], in_property=True)}"]
    if item["line"]:
        properties.append(f"line={item['line']}")
        if item["column"]:
            properties.append(f"col={item['column']}")
    properties.append(f"title={_escaped('lectern ' + item['code'], in_property=True)}")
    return f"::{command} {','.join(properties)}::{_escaped(item['message'])}"


def _code_quality(item: dict) -> dict:
    return {
        "description": item["message"],
        "check_name": item["code"],
        "fingerprint": _fingerprint(item),
        "severity": "major" if item["severity"] == "error" else "minor",
        "location": {"path": item["file"], "lines": {"begin": item["line"] or 1}},
    }
