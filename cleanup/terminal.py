"""Findings and diffs for people at a terminal: source snippets and a diff that shows the unseen.

`format_full` is the ``full`` output format (ruff's name): each finding's line of source with
``^^^`` under the span, invisible characters and look-alikes spelled out (`cleanup.visible`)
and columns counted as a terminal counts them, so carets stay under CJK text. A long line (a
paragraph is one line in prose) is cut to a window around the span.

`colour_diff` colours a unified diff for a terminal and spells out the invisible and look-alike
characters a change adds or removes, which otherwise show as two identical lines;
`unseen_changes` says the same in notes, for a diff that must stay a valid patch.

>>> from cleanup.findings import FileFinding, Finding
>>> text = "the Gaz\\u0430 Strip\\n"
>>> finding = Finding("mixed_script", "CU601", 4, 8, "Gaz\\u0430", 'mixed-script word', "Gaza",
...                   True, "error", 0.95, {"homoglyphs": "\\u0430"})
>>> print(format_full([FileFinding(finding, "a.txt", 1, 5, 4, 9)], {"a.txt": text}))
a.txt:1:5: CU601 [*] mixed-script word
  |
1 | the Gaz⟨а U+0430 CYRILLIC SMALL LETTER A⟩ Strip
  |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ CU601
  |
  = fix: replace "Gaz⟨а U+0430 CYRILLIC SMALL LETTER A⟩" with "Gaza"
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Mapping, Sequence

from cleanup.findings import FileFinding, Finding, line_starts
from cleanup.visible import (
    char_width,
    invisible_pattern,
    is_invisible,
    is_lookalike,
    mark,
    width,
)

#: Display columns of the source part of a snippet before a long line is cut around the span.
SNIPPET_COLUMNS = 100

#: Columns a tab takes in a snippet (as ruff shows them), so that carets line up.
TAB_WIDTH = 4

#: Lines longer than this are not compared character by character in a diff.
DIFF_COMPARE_CHARS = 5_000

#: ANSI styles; used only when the caller says the output is a colour terminal.
STYLES = {"error": "\x1b[31m", "warning": "\x1b[33m", "info": "\x1b[36m",
          "gutter": "\x1b[1;34m", "mark": "\x1b[35m", "bold": "\x1b[1m",
          "removed": "\x1b[31m", "added": "\x1b[32m", "hunk": "\x1b[36m",
          "changed": "\x1b[7m"}
RESET = "\x1b[0m"
ELLIPSIS = "…"


def _style(text: str, name: str, colour: bool) -> str:
    return f"{STYLES[name]}{text}{RESET}" if colour and text else text


def _shown(char: str, lookalikes: str) -> str:
    """How one source character is printed in a snippet."""
    if char == "\t":
        return " " * TAB_WIDTH
    if is_invisible(char) or char in lookalikes:
        return mark(char, named=True)
    return char


def _visible(text: str, lookalikes: str = "") -> str:
    return "".join(_shown(char, lookalikes) for char in text)


def _line_bounds(text: str, starts: list[int], line: int) -> tuple[int, int]:
    """Start and end (before the line break) of 1-based ``line``."""
    begin = starts[line - 1]
    end = starts[line] if line < len(starts) else len(text)
    while end > begin and text[end - 1] in "\r\n":
        end -= 1
    return begin, end


def snippet(text: str, finding: Finding, *, starts: list[int] | None = None,
            columns: int = SNIPPET_COLUMNS) -> tuple[int, str, int, int]:
    """(line number, the line as printed, caret column, caret count) for ``finding``.

    Columns are display columns from the start of the printed line. A span that runs past its
    line is underlined to the line's end.

    >>> snippet("漢字 [Израиля] x\\n", Finding("foreign_fragment", "CU201", 3, 12, "", ""))
    (1, '漢字 [Израиля] x', 5, 9)
    """
    starts = starts if starts is not None else line_starts(text)
    line = bisect.bisect_right(starts, finding.start)
    begin, end = _line_bounds(text, starts, line)
    lookalikes = str(finding.data.get("homoglyphs", "")) if finding.kind == "mixed_script" else ""
    source = text[begin:end]
    if lookalikes or "\t" in source or invisible_pattern().search(source):
        pieces = [_shown(char, lookalikes) for char in source]
        widths = [width(piece) for piece in pieces]
    else:  # the common line: every character printed as it is
        pieces = list(source)
        widths = [1] * len(pieces) if source.isascii() else [char_width(c) for c in pieces]
    first = min(finding.start, end) - begin
    last = max(first, min(finding.end, end) - begin)  # exclusive, in pieces
    left, right = 0, len(pieces)
    if sum(widths) > columns:
        span = sum(widths[first:last])
        budget = max(columns - span, 0)
        left, right = first, last
        spare_left = budget // 2
        while left > 0 and widths[left - 1] <= spare_left:
            left -= 1
            spare_left -= widths[left]
        spare_right = budget // 2 + spare_left
        if span > columns:  # a span wider than the window: show its beginning
            right, shown = first, 0
            while right < last and shown + widths[right] <= columns:
                shown += widths[right]
                right += 1
        while right < len(pieces) and widths[right] <= spare_right:
            spare_right -= widths[right]
            right += 1
    prefix = ELLIPSIS if left > 0 else ""
    suffix = ELLIPSIS if right < len(pieces) else ""
    printed = prefix + "".join(pieces[left:right]) + suffix
    caret_column = len(prefix) + sum(widths[left:first])
    carets = max(1, sum(widths[first:min(last, right)]))
    return line, printed, caret_column, carets


def _fix_line(finding: Finding) -> str | None:
    if finding.replacement is None:
        return None
    lookalikes = str(finding.data.get("homoglyphs", "")) if finding.kind == "mixed_script" else ""
    before = _visible(finding.text, lookalikes)
    action = (f'remove "{before}"' if finding.replacement == ""
              else f'replace "{before}" with "{_visible(finding.replacement)}"')
    return (f"fix: {action}" if finding.safe
            else f"unsafe fix (needs --unsafe-fixes): {action}")


def format_full(findings: Sequence[FileFinding], texts: Mapping[str, str] | None = None,
                colour: bool = False) -> str:
    """Each finding as its header line, its source line and ``^^^`` under the span.

    ``texts`` maps each path to the text that was checked; a finding whose text is not there
    gets its header line only. ``[*]`` marks findings `cleanup fix` repairs by default.
    """
    texts = texts or {}
    blocks = []
    starts_of: dict[str, list[int]] = {}
    for item in findings:
        finding = item.finding
        severity = finding.severity if finding.severity in STYLES else "warning"
        code = (f"{STYLES[severity]}{STYLES['bold']}{finding.rule}{RESET}" if colour
                else finding.rule)
        fixable = "[*] " if finding.safe and finding.replacement is not None else ""
        lines = [(f"{_style(item.path, 'bold', colour)}:{item.line}:{item.column}: {code} "
                 f"{fixable}{finding.message}")]
        text = texts.get(item.path)
        if text is not None and finding.end <= len(text):
            if item.path not in starts_of:
                starts_of[item.path] = line_starts(text)
            starts = starts_of[item.path]
            number, printed, column, carets = snippet(text, finding, starts=starts)
            gutter = " " * len(str(number))
            bar = _style(f"{gutter} |", "gutter", colour)
            if colour:
                printed = re.sub("⟨[^⟩]*⟩", lambda m: _style(m.group(), "mark", True), printed)
            lines += [bar,
                      f"{_style(f'{number} |', 'gutter', colour)} {printed}",
                      (f"{bar} {' ' * column}{_style('^' * carets, severity, colour)} "
                      f"{_style(finding.rule, severity, colour)}"),
                      bar]
            fix = _fix_line(finding)
            if fix:
                lines.append(f"{gutter} {_style('=', 'gutter', colour)} {fix}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


# --- Diffs --------------------------------------------------------------------------------------

_HUNK = re.compile(r"^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def _split_end(line: str) -> tuple[str, str]:
    body = line.rstrip("\r\n")
    return body, line[len(body):]


def _changes(before: str, after: str) -> list[tuple[str, int, int, int, int]]:
    if len(before) > DIFF_COMPARE_CHARS or len(after) > DIFF_COMPARE_CHARS:
        return [("replace", 0, len(before), 0, len(after))]
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return [op for op in matcher.get_opcodes() if op[0] != "equal"]


def _looks_the_same(before: str, after: str) -> bool:
    """Whether a reader sees no difference: only invisible characters or look-alikes changed."""
    if before == after:
        return False
    for _, i1, i2, j1, j2 in _changes(before, after):
        old = [c for c in before[i1:i2] if not is_invisible(c)]
        new = [c for c in after[j1:j2] if not is_invisible(c)]
        if len(old) != len(new) or not all(a == b or is_lookalike(a) or is_lookalike(b)
                                           for a, b in zip(old, new, strict=True)):
            return False
    return True


def _hunks_start(lines: list[str]) -> int:
    """Index of the first hunk header: the lines before it are the file headers."""
    return next((i for i, line in enumerate(lines) if line.startswith("@@")), len(lines))


def _pairs(lines: list[str]) -> dict[int, int]:
    """Index of each ``-`` line -> index of the ``+`` line it became, within each change block."""
    pairs: dict[int, int] = {}
    index = _hunks_start(lines)
    while index < len(lines):
        if not lines[index].startswith("-"):
            index += 1
            continue
        removed_from = index
        while index < len(lines) and lines[index].startswith("-"):
            index += 1
        added_from = index
        while index < len(lines) and lines[index].startswith("+"):
            index += 1
        for offset in range(min(added_from - removed_from, index - added_from)):
            pairs[removed_from + offset] = added_from + offset
    return pairs


def _highlight(line: str, spans: list[tuple[int, int]], base: str) -> str:
    """One diff line coloured ``base``, its changed spans reversed, unseen characters marked."""
    sign, (body, end) = line[0], _split_end(line[1:])
    out = [STYLES[base], sign]
    position = 0
    for start, stop in spans:
        out.append(body[position:start])
        changed = "".join(mark(c, named=True) if is_invisible(c) or is_lookalike(c) else c
                          for c in body[start:stop])
        out.append(f"{STYLES['changed']}{changed or ' '}{RESET}{STYLES[base]}"
                   if stop > start else "")
        position = stop
    out.append(body[position:])
    return "".join(out) + RESET + end


def colour_diff(diff: str) -> str:
    """A unified diff coloured for a terminal: removed lines red, added green, and within a
    changed line the changed characters reversed, invisible ones and look-alikes spelled out.

    >>> diff = "--- a/x\\n+++ b/x\\n@@ -1 +1 @@\\n-o\\u200bf\\n+of\\n"
    >>> colour_diff(diff).splitlines()[3]
    '\\x1b[31m-o\\x1b[7m⟨U+200B ZERO WIDTH SPACE⟩\\x1b[0m\\x1b[31mf\\x1b[0m'
    """
    lines = diff.splitlines(keepends=True)
    pairs = _pairs(lines)
    partner = {added: removed for removed, added in pairs.items()}
    headers = _hunks_start(lines)
    out = []
    for index, line in enumerate(lines):
        if index < headers:
            body, end = _split_end(line)
            out.append(_style(body, "bold", True) + end)
        elif line.startswith("@@"):
            body, end = _split_end(line)
            out.append(_style(body, "hunk", True) + end)
        elif line.startswith("-") and index in pairs:
            before, after = _split_end(line[1:])[0], _split_end(lines[pairs[index]][1:])[0]
            out.append(_highlight(line, [(i1, i2) for _, i1, i2, _, _ in
                                         _changes(before, after)], "removed"))
        elif line.startswith("+") and index in partner:
            before, after = _split_end(lines[partner[index]][1:])[0], _split_end(line[1:])[0]
            out.append(_highlight(line, [(j1, j2) for _, _, _, j1, j2 in
                                         _changes(before, after)], "added"))
        elif line.startswith(("-", "+")):
            body, end = _split_end(line)
            out.append(_style(body, "removed" if line[0] == "-" else "added", True) + end)
        else:
            out.append(line)
    return "".join(out)


def unseen_changes(diff: str, path: str) -> list[str]:
    """Notes for changed lines that look the same before and after: ``path:line: ...``.

    Only invisible characters or look-alikes changed there, so the diff's two lines read alike.

    >>> unseen_changes("--- a/x\\n+++ b/x\\n@@ -3 +3 @@\\n-Gaz\\u0430\\n+Gaza\\n", "x")
    ['x:3: looks unchanged, but replaces ⟨а U+0430 CYRILLIC SMALL LETTER A⟩ with "a"']
    """
    lines = diff.splitlines(keepends=True)
    pairs = _pairs(lines)
    headers = _hunks_start(lines)
    notes = []
    old_line = 0
    for index, line in enumerate(lines):
        hunk = _HUNK.match(line)
        if hunk:
            old_line = int(hunk.group(1))
            continue
        if index < headers:
            continue
        if index in pairs:
            before, after = _split_end(line[1:])[0], _split_end(lines[pairs[index]][1:])[0]
            if _looks_the_same(before, after):
                notes.append(f"{path}:{old_line}: looks unchanged, but "
                             f"{_describe(before, after)}")
        if line.startswith(("-", " ")):
            old_line += 1
    return notes


def _describe(before: str, after: str) -> str:
    parts = []
    for tag, i1, i2, j1, j2 in _changes(before, after):
        old = "".join(mark(c, named=True) if is_invisible(c) or is_lookalike(c) else c
                      for c in before[i1:i2])
        new = _visible(after[j1:j2])
        if tag == "delete":
            parts.append(f"removes {old}")
        elif tag == "insert":
            parts.append(f"inserts {new}")
        else:
            parts.append(f'replaces {old} with "{new}"')
    return "; ".join(parts)


__all__ = ["colour_diff", "format_full", "snippet", "unseen_changes"]
