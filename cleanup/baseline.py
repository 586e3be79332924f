"""Baselines: adopt cleanup on a repository full of old damage and fail only on new damage.

``cleanup check --write-baseline FILE`` records every current finding; ``--baseline FILE``
then reports only findings that are not in it. An entry matches a finding by rule, file,
flagged text and a hash of the text around it (a few words each side, whitespace collapsed),
never by line or offset, so it survives lines inserted above it and paragraphs rewrapped
around it. Entries carry a count: two identical old findings excuse two new ones, not three.

The file is JSON, versioned, sorted, one entry per line, so that it diffs well in review:

.. code-block:: json

    {
      "version": 1,
      "findings": [
        {"path": "docs/intro.md", "rule": "CU101", "text": "Ã©", "context": "3f1c...", "count": 1}
      ]
    }

>>> import tempfile
>>> from pathlib import Path
>>> from cleanup.findings import FileFinding, Finding
>>> def found(text):  # the CU101 finding on "Ã©" in text, as the CLI would locate it
...     start = text.index("Ã©")
...     finding = Finding("mojibake", "CU101", start, start + 2, "Ã©", 'mojibake "Ã©"')
...     return FileFinding(finding, "a.md", text.count("\\n", 0, start) + 1, 1, start, start)
>>> before = "Old cafÃ© here."
>>> with tempfile.TemporaryDirectory() as folder:
...     write_baseline(Path(folder) / "baseline.json", [found(before)], {"a.md": before})
...     baseline = load_baseline(Path(folder) / "baseline.json")
>>> after = "A new line above.\\nOld cafÃ© here."
>>> baseline.contains(found(after), after)
True
>>> baseline.contains(found(after), after)  # the one entry is used up
False
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from cleanup.files import FileError, read_bytes, write_atomic
from cleanup.findings import FileFinding

#: Bump when the entry key changes; an old baseline is then an error, not silently useless.
BASELINE_VERSION = 1

#: Code points of context on each side of a finding that go into its hash.
CONTEXT_CHARS = 24

_WHITESPACE = re.compile(r"\s+")

EntryKey = tuple[str, str, str, str]  # path, rule, text, context hash


class BaselineError(ValueError):
    """A baseline file that cannot be used; the message is one line naming the file."""


def context_hash(text: str, start: int, end: int) -> str:
    """A short hash of the words around ``text[start:end]`` on its line, blind to spacing.

    The context stops at the line's ends, so lines inserted or removed around a finding
    never change it.

    >>> context_hash("a  cafÃ© b", 7, 9) == context_hash("x\\na cafÃ© b", 8, 10)
    True
    """
    line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
    line_end = min((i for i in (text.find("\n", end), text.find("\r", end)) if i >= 0),
                   default=len(text))
    window = CONTEXT_CHARS * 3
    before = _WHITESPACE.sub(" ", text[max(line_start, start - window):start])[-CONTEXT_CHARS:]
    after = _WHITESPACE.sub(" ", text[end:min(line_end, end + window)])[:CONTEXT_CHARS]
    digest = hashlib.sha256(f"{before}\x00{after}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:16]


class Baseline:
    """The findings a baseline excuses, each with how many times it may still excuse one.

    `contains` uses up one entry each time it answers True, which is what makes counts work:
    ask once per finding.
    """

    def __init__(self, entries: Mapping[EntryKey, int], root: Path) -> None:
        self.root = root
        self._remaining: Counter[EntryKey] = Counter(entries)
        self._paths: dict[str, str] = {}

    def __len__(self) -> int:
        return sum(self._remaining.values())

    def contains(self, file_finding: FileFinding, text: str) -> bool:
        """Whether the baseline excuses this finding of the file whose decoded text is ``text``;
        if so, one matching entry is used up."""
        key = self._key(file_finding, text)
        if self._remaining[key] <= 0:
            return False
        self._remaining[key] -= 1
        return True

    def _key(self, file_finding: FileFinding, text: str) -> EntryKey:
        path = self._paths.get(file_finding.path)
        if path is None:
            path = self._paths[file_finding.path] = relative_path(file_finding.path, self.root)
        finding = file_finding.finding
        return (path, finding.rule, finding.text, context_hash(text, finding.start, finding.end))


def relative_path(path: str, root: Path) -> str:
    """``path`` relative to ``root`` with forward slashes, so the baseline works from any
    working directory and on any platform.

    >>> relative_path("docs/a.md", Path("."))
    'docs/a.md'
    """
    absolute = Path(path).resolve()
    try:
        relative = os.path.relpath(absolute, root.resolve())
    except ValueError:  # another drive on Windows
        return absolute.as_posix()
    return Path(relative).as_posix()


def baseline_entries(
    findings: Iterable[FileFinding], texts: Mapping[str, str], root: Path
) -> Counter[EntryKey]:
    """Count the findings by their baseline key."""
    counts: Counter[EntryKey] = Counter()
    paths: dict[str, str] = {}
    for file_finding in findings:
        if file_finding.path not in paths:
            paths[file_finding.path] = relative_path(file_finding.path, root)
        finding = file_finding.finding
        text = texts[file_finding.path]
        counts[(paths[file_finding.path], finding.rule, finding.text,
                context_hash(text, finding.start, finding.end))] += 1
    return counts


def write_baseline(path: Path, findings: list[FileFinding], texts: dict[str, str]) -> None:
    """Write every finding to the baseline file ``path`` (``texts``: path -> decoded text).

    Paths are stored relative to the baseline's folder; entries are sorted and one per line,
    so that a regenerated baseline diffs only where findings changed. Non-ASCII characters are
    escaped (``\\u00c3``): the flagged texts are damage, and the baseline file, a text file in
    the repository, must not be damaged itself when cleanup checks it.
    """
    path = Path(path)
    counts = baseline_entries(findings, texts, path.parent)
    entries = [
        "    " + json.dumps({"path": p, "rule": rule, "text": flagged, "context": context,
                             "count": count})
        for (p, rule, flagged, context), count in sorted(counts.items())
    ]
    document = "\n".join([
        "{",
        f'  "version": {BASELINE_VERSION},',
        '  "tool": "cleanup",',
        '  "findings": [' + ("" if entries else "]"),
        *([",\n".join(entries), "  ]"] if entries else []),
        "}",
        "",
    ])
    write_atomic(path, document.encode("utf-8"))


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file; anything wrong with it is a one-line `BaselineError`."""
    path = Path(path)
    try:
        data: Any = json.loads(read_bytes(path).decode("utf-8"))
    except FileError as error:
        reason = str(error).removeprefix(f"{path}: ").removeprefix("cannot read: ")
        raise BaselineError(f"{path}: cannot read baseline: {reason}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        message = str(error).splitlines()[0]
        raise BaselineError(f"{path}: not a valid baseline (invalid JSON: {message})") from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a cleanup baseline (no \"findings\" list)")
    if data.get("version") != BASELINE_VERSION:
        raise BaselineError(f"{path}: baseline version {data.get('version')!r} is not supported "
                            f"(expected {BASELINE_VERSION}); write it again with --write-baseline")
    entries: Counter[EntryKey] = Counter()
    for number, entry in enumerate(data["findings"], start=1):
        try:
            key = (entry["path"], entry["rule"], entry["text"], entry["context"])
            count = entry.get("count", 1)
        except (KeyError, TypeError, AttributeError):
            raise BaselineError(f"{path}: baseline entry {number} needs path, rule, text and "
                                "context") from None
        if not all(isinstance(part, str) for part in key) or not isinstance(count, int) \
                or isinstance(count, bool) or count < 1:
            raise BaselineError(f"{path}: baseline entry {number} is malformed")
        entries[key] += count
    return Baseline(entries, path.parent)
