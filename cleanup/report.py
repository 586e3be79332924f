"""Output formats of findings located in files, and the registry the CLI picks them from.

Each format is one function from a list of `FileFinding` to a string, registered once in
`FORMATS`, so that the CLI only picks one by name and a test can call it directly. The text format is what a person reads in a
terminal (`path:line:col: CODE message`, the shape editors and CI logs turn into links); json and
jsonl carry the contract's fields in the contract's order; sarif is SARIF 2.1.0 for code
scanning; github is GitHub Actions workflow commands that annotate a pull request's lines.

>>> from cleanup.findings import Finding, FileFinding
>>> found = [FileFinding(Finding("punctuation", "CU404", 18, 19, " ", 'space before "."', "",
...          True, "info", 0.9), "news.txt", 2, 19, 20, 21)]
>>> print(render(found, "text"))
news.txt:2:19: CU404 space before "."
>>> print(render(found, "github"))
::notice file=news.txt,line=2,col=19,endLine=2,endColumn=20,title=CU404::space before "."
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cleanup.findings import FileFinding
from cleanup.rules import RULES, Rule

if TYPE_CHECKING:
    from cleanup.detect.names import NameGroup

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/cleanup-text/cleanup"

#: Our severities as SARIF levels and GitHub workflow command names.
SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
GITHUB_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}

#: ANSI colours of the text format, used only when writing to a terminal.
COLOURS = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m"}
BOLD, RESET = "\x1b[1m", "\x1b[0m"


def end_position(item: FileFinding) -> tuple[int, int]:
    """1-based line and column just past the finding, from its start and its text.

    >>> from cleanup.findings import Finding
    >>> f = Finding("invisible", "CU501", 3, 8, "a\\r\\nbc", "m")
    >>> end_position(FileFinding(f, "x", 1, 4, 3, 8))
    (2, 3)
    """
    text = item.finding.text
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(lines) == 1:
        return item.line, item.column + len(text)
    return item.line + len(lines) - 1, len(lines[-1]) + 1


def _sorted(findings: Iterable[FileFinding]) -> list[FileFinding]:
    return sorted(findings, key=lambda f: (f.path, f.finding.start, f.finding.end,
                                           f.finding.rule))


def format_text(findings: Sequence[FileFinding], colour: bool = False) -> str:
    """One line per finding: ``path:line:col: CODE message``."""
    lines = []
    for item in findings:
        finding = item.finding
        if colour:
            code = f"{COLOURS.get(finding.severity, '')}{BOLD}{finding.rule}{RESET}"
            lines.append(f"{BOLD}{item.path}{RESET}:{item.line}:{item.column}: {code} "
                         f"{finding.message}")
        else:
            lines.append(f"{item.path}:{item.line}:{item.column}: {finding.rule} "
                         f"{finding.message}")
    return "\n".join(lines)


def _dumps(value: Any, indent: int | None = None) -> str:
    """JSON text that is valid UTF-8 whatever it holds: a file name that is not UTF-8 reaches
    us with lone surrogates (``surrogateescape``), written as ``\\udcXX`` escapes, which
    Python's ``json.loads`` and ``os.fsencode`` turn back into the name's bytes.

    >>> _dumps({"path": "caf" + chr(0xDCE9) + ".txt"})
    '{"path": "caf\\\\udce9.txt"}'
    """
    import json  # only JSON and SARIF output need it: not on the start-up path of text output

    text = json.dumps(value, ensure_ascii=False, indent=indent, allow_nan=False)
    if text.isascii():
        return text
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


#: A lone surrogate: only inside a JSON string, where its escape is what stands for it.
_SURROGATE = re.compile("[\\ud800-\\udfff]")


def format_json(findings: Sequence[FileFinding]) -> str:
    """A JSON array of findings, each with the contract's keys in the contract's order."""
    return _dumps([item.to_dict() for item in findings], indent=2)


def format_jsonl(findings: Sequence[FileFinding]) -> str:
    """One JSON object per line, keys in the contract's order (stable: diffs stay small)."""
    return "\n".join(_dumps(item.to_dict()) for item in findings)


def _escape_github(value: str, *, property_value: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(findings: Sequence[FileFinding]) -> str:
    """GitHub Actions workflow commands: each finding annotates its line in a pull request."""
    lines = []
    for item in findings:
        finding = item.finding
        end_line, end_column = end_position(item)
        command = GITHUB_COMMANDS.get(finding.severity, "warning")
        lines.append(
            f"::{command} file={_escape_github(item.path, property_value=True)},"
            f"line={item.line},col={item.column},endLine={end_line},endColumn={end_column},"
            f"title={finding.rule}::{_escape_github(finding.message)}"
        )
    return "\n".join(lines)


def _uri(path: str) -> str:
    """A path as a SARIF artifact URI: relative paths stay relative, with forward slashes."""
    from pathlib import Path, PurePath
    from urllib.parse import quote

    if path == "-":
        return "stdin"
    if PurePath(path).is_absolute():
        return Path(path).as_uri()
    # A name that is not UTF-8 is percent-encoded byte by byte, as file URIs are.
    return quote(os.fsencode(PurePath(path).as_posix()))


def _first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text


def sarif_rule(rule: Rule) -> dict[str, Any]:
    """A rule as a SARIF ``reportingDescriptor``, with its docs as help."""
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _first_sentence(rule.summary)},
        "fullDescription": {"text": f"{rule.summary} {rule.why}"},
        "help": {"text": rule.docs(), "markdown": rule.docs()},
        "defaultConfiguration": {"level": SARIF_LEVELS[rule.severity]},
        "properties": {"kind": rule.kind, "fix": rule.fix,
                       "tags": [rule.kind]},
    }


def _region(item: FileFinding) -> dict[str, Any]:
    end_line, end_column = end_position(item)
    return {
        "startLine": item.line,
        "startColumn": item.column,
        "endLine": end_line,
        "endColumn": end_column,
        "charOffset": item.finding.start,
        "charLength": item.finding.end - item.finding.start,
        "byteOffset": item.byte_start,
        "byteLength": item.byte_end - item.byte_start,
    }


def format_sarif(findings: Sequence[FileFinding], version: str | None = None) -> str:
    """A SARIF 2.1.0 log with one run: the rule table as metadata, findings as results.

    Columns and character offsets count Unicode code points (``columnKind``), as everywhere in
    cleanup. A finding with a replacement carries it as a SARIF fix.
    """
    if version is None:
        from cleanup import __version__ as version
    codes = list(RULES)
    results = []
    for item in findings:
        finding = item.finding
        uri = _uri(item.path)
        region = _region(item)
        result: dict[str, Any] = {
            "ruleId": finding.rule,
            "ruleIndex": codes.index(finding.rule) if finding.rule in RULES else -1,
            "level": SARIF_LEVELS.get(finding.severity, "warning"),
            "message": {"text": finding.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": uri},
                "region": region,
            }}],
            "properties": {"kind": finding.kind, "confidence": round(finding.confidence, 4),
                           "safe": finding.safe, "data": finding.data},
        }
        if finding.replacement is not None:
            safety = "safe" if finding.safe else "unsafe, needs --unsafe-fixes"
            result["fixes"] = [{
                "description": {"text": f"replace {_dumps(finding.text)}"
                                        f" with {_dumps(finding.replacement)}"
                                        f" ({safety})"},
                "artifactChanges": [{
                    "artifactLocation": {"uri": uri},
                    "replacements": [{
                        "deletedRegion": {key: region[key] for key in (
                            "startLine", "startColumn", "endLine", "endColumn",
                            "charOffset", "charLength")},
                        "insertedContent": {"text": finding.replacement},
                    }],
                }],
            }]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "cleanup",
                "version": version,
                "semanticVersion": version,
                "informationUri": INFORMATION_URI,
                "rules": [sarif_rule(rule) for rule in RULES.values()],
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    return _dumps(log, indent=2)


def format_full(findings: Sequence[FileFinding], texts: Mapping[str, str] | None = None,
                colour: bool = False) -> str:
    """Each finding with its source line and ``^^^`` under it (`cleanup.terminal`)."""
    from cleanup.terminal import format_full as full

    return full(findings, texts, colour)


def format_html(findings: Sequence[FileFinding], texts: Mapping[str, str] | None = None) -> str:
    """A self-contained HTML page with the damage highlighted (`cleanup.html_report`)."""
    from cleanup.html_report import render_check_report

    return render_check_report(findings, texts)


@dataclass(frozen=True)
class Format:
    """One output format: how it renders findings, and how the CLI treats it.

    ``render`` takes the findings sorted by path and position, the checked texts by path (for
    formats that show the source) and whether to colour. ``for_people`` formats get colour on
    a terminal, a summary line and progress notes; ``always_prints`` formats print a document
    even when there is nothing in it (an empty JSON array, an empty SARIF log).
    """

    name: str
    summary: str
    render: Callable[[Sequence[FileFinding], Mapping[str, str] | None, bool], str]
    for_people: bool = False
    always_prints: bool = False


#: Every output format, by the name `--format` takes. To add one, write its function and add
#: one entry: the CLI's choices and help come from here.
FORMATS: dict[str, Format] = {f.name: f for f in (
    Format("text", "`path:line:col: CODE message`, the shape editors and CI logs link",
           lambda found, texts, colour: format_text(found, colour), for_people=True),
    Format("full", "each finding with its source line and `^^^` under it, invisible and "
           "look-alike characters spelled out", format_full, for_people=True),
    Format("json", "a JSON array of findings, the contract's keys in order",
           lambda found, texts, colour: format_json(found), always_prints=True),
    Format("jsonl", "one finding per line (JSON Lines)",
           lambda found, texts, colour: format_jsonl(found)),
    Format("sarif", "SARIF 2.1.0, for code scanning",
           lambda found, texts, colour: format_sarif(found), always_prints=True),
    Format("github", "GitHub Actions workflow commands that annotate a pull request",
           lambda found, texts, colour: format_github(found)),
    Format("html", "one self-contained HTML page with the damage highlighted",
           lambda found, texts, colour: format_html(found, texts), always_prints=True),
)}


def render(findings: Iterable[FileFinding], output_format: str = "text", *,
           colour: bool = False, texts: Mapping[str, str] | None = None) -> str:
    """The findings in one of `FORMATS`, sorted by path and position (empty string if none,
    except for the formats that always print a document). ``texts`` (path -> the checked
    text) gives the formats that show the source what they show."""
    return FORMATS[output_format].render(_sorted(findings), texts, colour)


def statistics(findings: Iterable[FileFinding], output_format: str = "text") -> str:
    """A count per rule, most frequent first, as ruff's ``--statistics`` prints it.

    ``[*]`` marks rules whose findings `cleanup fix` repairs by default.

    >>> from cleanup.findings import Finding
    >>> f = Finding("punctuation", "CU404", 4, 5, " ", "m", "", True, "info")
    >>> print(statistics([FileFinding(f, "a", 1, 5, 4, 5)] * 2))
        2  CU404  [*] space-before-punctuation
    """
    counts = Counter(item.finding.rule for item in findings)
    fixable = {item.finding.rule for item in findings if item.finding.safe}
    rows = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    if output_format in ("json", "jsonl", "sarif"):
        return _dumps([{"code": code, "name": RULES[code].name if code in RULES else code,
                        "count": count, "fixable": code in fixable} for code, count in rows],
                      indent=2)
    width = max((len(str(count)) for count in counts.values()), default=1)
    return "\n".join(
        f"{count:>{max(width, 5)}}  {code}  {'[*]' if code in fixable else '   '} "
        f"{RULES[code].name if code in RULES else ''}".rstrip()
        for code, count in rows
    )


def summary(findings: Sequence[FileFinding], files: int, unsafe_fixes: bool = False) -> str:
    """One line for people at the end of the text format: how many, and what `fix` would do.

    >>> summary([], 3)
    'All clear: no findings in 3 files.'
    """
    if not findings:
        return f"All clear: no findings in {files} file{'s' if files != 1 else ''}."
    safe = sum(1 for item in findings if item.finding.safe)
    unsafe = sum(1 for item in findings
                 if item.finding.replacement is not None and not item.finding.safe)
    paths = len({item.path for item in findings})
    line = (f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''} in {paths} "
            f"file{'s' if paths != 1 else ''}")
    notes = []
    if safe or (unsafe and unsafe_fixes):
        fixable = safe + (unsafe if unsafe_fixes else 0)
        notes.append(f"{fixable} fixable with `cleanup fix"
                     f"{' --unsafe-fixes' if unsafe_fixes else ''}`")
    if unsafe and not unsafe_fixes:
        notes.append(f"{unsafe} hidden fix{'es' if unsafe != 1 else ''} can be enabled with "
                     "`--unsafe-fixes`")
    return line + (f" ({', '.join(notes)})" if notes else "") + "."


def format_name_groups(groups: Sequence[NameGroup], max_places: int = 3) -> str:
    """The groups as a plain-text table: canonical, variant, count, where it occurs.

    >>> from cleanup.detect.names import name_groups
    >>> print(format_name_groups(name_groups([("a.txt", "Dmitry Peskov said. Dmitri Peskov said."
    ...                                       " Dmitry Peskov left.")])))
    canonical      variant        count  where
    Dmitry Peskov  Dmitry Peskov      2  a.txt:1:1, a.txt:1:41
                   Dmitri Peskov      1  a.txt:1:21
    """
    if not groups:
        return "no name variants found"
    rows = [("canonical", "variant", "count", "where")]
    for group in groups:
        for number, variant in enumerate(group.variants):
            places = [f"{source}:{line}:{column}" for source, line, column in variant.where]
            if len(places) > max_places:
                places = [*places[:max_places], f"… {len(places) - max_places} more"]
            label = group.canonical + (" (configured)" if group.configured else "")
            rows.append((label if number == 0 else "", variant.spelling + (
                " (surname)" if variant.surname_only else ""), str(variant.count),
                ", ".join(places)))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:>{max(widths[2], 5)}}  "
             f"{row[3]}".rstrip() for row in rows]
    return "\n".join(lines)


__all__ = ["FORMATS", "Format", "end_position", "format_name_groups", "format_sarif", "render",
           "statistics", "summary"]
