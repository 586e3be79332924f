"""The HTML report: the damage highlighted in the text, one self-contained file.

Three front doors give the same view: ``cleanup check --format html PATH... > report.html``
(`render_check_report`), ``cleanup annotate ... --report report.html`` (`render_corpus_report`,
counts and a sample of findings per rule) and Jupyter, where `cleanup.Fixed` and `show` render
as the document view (`Highlighted`).

The document view is the text with each finding in a ``<mark>`` coloured by kind, carrying
``data-rule`` and ``data-kind``; its rule, kind and message show on hover and on keyboard focus
(every mark is focusable, and ``aria-describedby`` points screen readers at the message in the
findings list). Invisible characters are drawn as marks (``⟨U+200B⟩``), look-alike letters are
boxed, and a table and a marked-up copy of the text show what `cleanup fix` would change, with
unsafe fixes marked as not applied.

The file needs nothing but itself: the styles are inline, there is no script at all, and a
Content-Security-Policy allows no script, no network request and only the page's own style (by
its hash). The checked text is untrusted, so every piece of it is escaped; the output depends on
nothing but the input (no time, no random ids), so the same input gives the same bytes. A large
file shows its first `DOCUMENT_CHARS` characters and `FINDINGS_PER_DOCUMENT` findings, with a
note saying so.

>>> import cleanup
>>> view = cleanup.show("Hello , <b>world</b>")
>>> 'data-rule="CU404"' in view._repr_html_(), "<b>" in view._repr_html_()
(True, False)
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import html
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cleanup.edits import apply_edits
from cleanup.findings import Edit, FileFinding, Finding, line_column, line_starts
from cleanup.rules import KINDS, RULES
from cleanup.visible import char_name, invisible_pattern, is_lookalike

if TYPE_CHECKING:
    from cleanup.corpus.samples import CorpusSamples, Sample
    from cleanup.corpus.stats import Stats

#: Characters of a text shown in its document view; the findings list covers the rest.
DOCUMENT_CHARS = 100_000

#: Findings of one text shown (highlighted, listed and in the changes table).
FINDINGS_PER_DOCUMENT = 2_000

#: Characters of document view in a whole report; later files get their findings list only.
REPORT_CHARS = 2_000_000

#: Findings shown in a whole report (about a kilobyte of HTML each); later files get counts.
REPORT_FINDINGS = 10_000

#: Characters of text on each side of a finding shown out of its document.
CONTEXT_CHARS = 60

#: Background and underline colour of each kind (readable text on each background).
KIND_COLOURS = {
    "mojibake": ("#ffcdc7", "#c62828"),
    "invisible": ("#e0d4fa", "#5e35b1"),
    "lost_character": ("#d5d5d5", "#424242"),
    "mixed_script": ("#ffd8a1", "#e65100"),
    "translation": ("#fff3b0", "#9e7c00"),
    "foreign_fragment": ("#c6e2ff", "#1565c0"),
    "punctuation": ("#c5ecc8", "#2e7d32"),
    "name_variant": ("#f9c9e0", "#ad1457"),
}

#: What each kind means, for the legend.
KIND_NOTES = {
    "mojibake": "text decoded with the wrong codec",
    "invisible": "zero-width, control and bidi characters, odd spaces",
    "lost_character": "characters lost in decoding",
    "mixed_script": "look-alike letters of another script",
    "translation": "a translation that differs from its source where it must not",
    "foreign_fragment": "untranslated text in another language",
    "punctuation": "quotes, brackets and spacing",
    "name_variant": "one name spelled several ways",
}

_KIND_CSS = "".join(
    f".cleanup-report .k-{kind}{{background:{bg};border-bottom:2px solid {line}}}"
    for kind, (bg, line) in KIND_COLOURS.items())

#: The only style of every report, scoped to ``.cleanup-report`` so that it can sit in a
#: notebook. Tooltips are the ``data-tip`` attribute drawn by CSS on hover and focus.
CSS = (
    ".cleanup-report{font:15px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2328;"
    "background:#fff;max-width:72em;margin:0 auto;padding:1em 1.5em}"
    ".cleanup-report h1{font-size:1.6em;margin:.2em 0}"
    ".cleanup-report h2{font-size:1.25em;margin:1.6em 0 .4em;overflow-wrap:anywhere}"
    ".cleanup-report h3{font-size:1.05em;margin:1.2em 0 .4em}"
    ".cleanup-report .doc{white-space:pre-wrap;overflow-wrap:anywhere;"
    "font:16px/1.75 Georgia,'DejaVu Serif',serif;border:1px solid #d0d7de;border-radius:6px;"
    "padding:1em 1.2em;background:#fff}"
    ".cleanup-report mark{color:inherit;border-radius:2px;padding:0 1px}"
    ".cleanup-report mark.f{position:relative;cursor:help}"
    ".cleanup-report mark.f:focus{outline:2px solid #0969da;outline-offset:1px}"
    ".cleanup-report mark.f:hover::after,.cleanup-report mark.f:focus::after{"
    "content:attr(data-tip);position:absolute;left:0;top:calc(100% + 4px);z-index:10;"
    "width:max-content;max-width:min(34em,80vw);white-space:pre-wrap;text-align:left;"
    "background:#1f2328;color:#fff;padding:6px 9px;border-radius:5px;"
    "font:13px/1.45 system-ui,sans-serif;box-shadow:0 3px 10px rgba(0,0,0,.3);"
    "pointer-events:none}"
    ".cleanup-report mark.f:hover:has(mark.f:hover)::after{content:none}"
    + _KIND_CSS +
    ".cleanup-report .inv{font:11px/1 ui-monospace,monospace;color:#6639ba;background:#f3edff;"
    "border:1px solid #b9a2ec;border-radius:3px;padding:0 2px;margin:0 1px}"
    ".cleanup-report .alike{outline:2px dotted #e65100;outline-offset:1px}"
    ".cleanup-report .nl{color:#8c959f}"
    ".cleanup-report table{border-collapse:collapse;margin:.5em 0;width:100%}"
    ".cleanup-report th,.cleanup-report td{border-bottom:1px solid #d0d7de;padding:4px 8px;"
    "text-align:left;vertical-align:top}"
    ".cleanup-report td.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".cleanup-report td.ctx{white-space:pre-wrap;overflow-wrap:anywhere;"
    "font-family:Georgia,'DejaVu Serif',serif}"
    ".cleanup-report code{font:13px ui-monospace,'DejaVu Sans Mono',monospace}"
    ".cleanup-report .legend{display:flex;flex-wrap:wrap;gap:.4em 1.2em;padding:0;"
    "list-style:none}"
    ".cleanup-report .sw{display:inline-block;width:1.6em;height:1em;vertical-align:middle;"
    "margin-right:.35em;border-radius:2px}"
    ".cleanup-report .zero{color:#8c959f}"
    ".cleanup-report .note{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;"
    "padding:.5em .8em}"
    ".cleanup-report ol.findings li{margin:.2em 0}"
    ".cleanup-report del{background:#ffd7d5;text-decoration:line-through}"
    ".cleanup-report ins{background:#cdf5d3;text-decoration:none}"
    ".cleanup-report .unsafe{color:#9a6700}"
    ".cleanup-report meter{width:8em}"
    ".cleanup-report .muted{color:#59636e}"
)


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


#: No script, no request of any kind; only the report's own style, by its hash.
CSP = (f"default-src 'none'; style-src {_hash(CSS)}; img-src data:; base-uri 'none'; "
       "form-action 'none'")


def _escape(text: str, one_line: bool = False) -> str:
    """Text as HTML: escaped, each invisible character drawn as a ``⟨U+200B⟩`` mark;
    ``one_line`` draws line breaks as ``⏎`` (for text shown out of its document)."""
    escaped = invisible_pattern().sub(_invisible_mark, html.escape(text, quote=True))
    if one_line:
        escaped = _LINE_BREAK.sub('<span class="nl">⏎</span> ', escaped)
    return escaped


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _invisible_mark(match: object) -> str:
    char = match.group()  # type: ignore[attr-defined]
    return (f'<span class="inv" title="{html.escape(char_name(char))}">'
            f"⟨U+{ord(char):04X}⟩</span>")


def _escape_lookalikes(text: str, lookalikes: str, one_line: bool = False) -> str:
    """Like `_escape`, with each look-alike letter boxed and named."""
    if not lookalikes:
        return _escape(text, one_line)
    return "".join(
        f'<span class="alike" title="{html.escape(char_name(char))}">{_escape(char)}</span>'
        if char in lookalikes else _escape(char, one_line) for char in text)


def _escape_removed(old: str, new: str) -> str:
    """Text a fix replaces: escaped, invisible characters drawn, and each look-alike letter the
    fix swaps for another boxed, so that `Gazа` -> `Gaza` does not read as no change."""
    if len(old) != len(new):
        return _escape(old, True)
    swapped = "".join(a for a, b in zip(old, new, strict=True) if a != b and is_lookalike(a))
    return _escape_lookalikes(old, swapped, True)


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _visible_text(text: str, lookalikes: str = "") -> str:
    """A finding's text or replacement for a tooltip: invisible characters as ⟨U+200B⟩, the
    given look-alikes as ⟨а U+0430⟩."""
    shown = invisible_pattern().sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)
    for char in lookalikes:
        shown = shown.replace(char, f"⟨{char} U+{ord(char):04X}⟩")
    return shown


def _tip(finding: Finding) -> str:
    """The tooltip of a highlighted finding: rule, kind, severity, message and fix."""
    name = RULES[finding.rule].name if finding.rule in RULES else ""
    lines = [f"{finding.rule} {name} · {finding.kind} · {finding.severity}", finding.message]
    if finding.replacement is not None:
        before = _visible_text(finding.text, _lookalikes(finding))
        action = (f'remove "{before}"' if not finding.replacement else
                  f'"{before}" → "{_visible_text(finding.replacement)}"')
        lines.append(f"fix: {action}" if finding.safe else
                     f"unsafe fix (needs --unsafe-fixes): {action}")
    return "\n".join(lines)


def _lookalikes(finding: Finding) -> str:
    return str(finding.data.get("homoglyphs", "")) if finding.kind == "mixed_script" else ""


def _open_mark(finding: Finding, mark_id: str | None, message_id: str | None) -> str:
    ident = f' id="{mark_id}" tabindex="0"' if mark_id else ""
    described = f' aria-describedby="{message_id}"' if message_id else ""
    return (f'<mark class="f k-{_attr(finding.kind)}"{ident} data-rule="{_attr(finding.rule)}" '
            f'data-kind="{_attr(finding.kind)}" data-severity="{_attr(finding.severity)}"'
            f'{described} data-tip="{_attr(_tip(finding))}">')


#: Drawn for a finding with an empty span (something missing between two characters).
EMPTY_SPAN = "‸"


def highlight(text: str, findings: Sequence[Finding], *, ids: Sequence[str | None] | None = None,
              messages: Sequence[str | None] | None = None, offset: int = 0,
              one_line: bool = False) -> str:
    """``text`` as HTML with each finding in a ``<mark>``; overlapping findings are split so
    that the marks nest (the later pieces of a split mark carry no id).

    ``offset`` is where ``text`` starts in the text the findings' offsets count in; findings
    are clipped to ``text``. ``ids`` and ``messages`` give each finding's mark id and the id
    of its message (for ``aria-describedby``); ``one_line`` draws line breaks as ``⏎``.

    >>> print(highlight("a [b] c", [Finding("foreign_fragment", "CU201", 2, 5, "[b]", "m")]))
    ... # doctest: +ELLIPSIS
    a <mark class="f k-foreign_fragment" data-rule="CU201" ...>[b]</mark> c
    """
    end_of_text = offset + len(text)
    spans = []
    for index, finding in enumerate(findings):
        start, end = max(finding.start, offset), min(finding.end, end_of_text)
        if start > end or (start == end and finding.start != finding.end):
            continue
        spans.append((start, end, index))
    opening: dict[int, list[int]] = {}
    empty: dict[int, list[int]] = {}
    for start, end, index in spans:
        (empty if start == end else opening).setdefault(start, []).append(index)
    ends = {end for _, end, _ in spans}
    bounds = sorted({offset, end_of_text, *opening, *empty, *ends})
    out: list[str] = []
    stack: list[int] = []
    clipped_end = {index: end for _, end, index in spans}
    position = offset

    def segment(upto: int) -> str:
        piece = text[position - offset:upto - offset]
        alike = "".join(_lookalikes(findings[i]) for i in stack)
        return _escape_lookalikes(piece, alike, one_line)

    def tag(index: int, first: bool) -> str:
        return _open_mark(findings[index], ids[index] if ids and first else None,
                          messages[index] if messages else None)

    for bound in bounds:
        if bound > position:
            out.append(segment(bound))
            position = bound
        closing = [depth for depth, index in enumerate(stack) if clipped_end[index] <= bound]
        if closing:
            lowest = closing[0]
            reopen = [index for index in stack[lowest:] if clipped_end[index] > bound]
            out.append("</mark>" * (len(stack) - lowest))
            del stack[lowest:]
            for index in reopen:
                out.append(tag(index, first=False))
                stack.append(index)
        for index in empty.get(bound, ()):
            out.append(tag(index, first=True) + EMPTY_SPAN + "</mark>")
        for index in sorted(opening.get(bound, ()),
                            key=lambda i: (-clipped_end[i], findings[i].rule)):
            out.append(tag(index, first=True))
            stack.append(index)
    out.append("</mark>" * len(stack))
    return "".join(out)


def _context(text: str, finding: Finding, mark_id: str | None = None,
             message_id: str | None = None) -> str:
    """The finding highlighted within ``CONTEXT_CHARS`` of text on each side, on one line."""
    start = max(0, finding.start - CONTEXT_CHARS)
    end = min(len(text), finding.end + CONTEXT_CHARS)
    inner = highlight(text[start:end], [finding], ids=[mark_id], messages=[message_id],
                      offset=start, one_line=True)
    return ("…" if start > 0 else "") + inner + ("…" if end < len(text) else "")


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


# --- The changes `cleanup fix` makes ---------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One row of the before/after table: an edit and whether `cleanup fix` applies it."""

    start: int
    end: int
    replacement: str
    rule: str
    status: str  # "applied", "unsafe" (applied only with --unsafe-fixes), "refused"


def changes(text: str, findings: Sequence[Finding], edits: Sequence[Edit] | None = None
            ) -> list[Change]:
    """What `cleanup fix` changes: ``edits`` when known (a `Fixed`), else the findings' safe
    fixes applied as `cleanup.edits` applies them; plus the unsafe fixes it leaves out.

    >>> found = [Finding("punctuation", "CU404", 1, 2, " ", "m", "", True),
    ...          Finding("name_variant", "CU301", 3, 6, "Jon", "m", "John", False)]
    >>> [(c.rule, c.status) for c in changes("a ,Jon", found)]
    [('CU404', 'applied'), ('CU301', 'unsafe')]
    """
    if edits is None:
        proposed = [Edit(f.start, f.end, f.replacement, f.rule) for f in findings
                    if f.safe and f.replacement is not None]
        _, applied, refused = apply_edits(text, proposed)
    else:
        applied, refused = list(edits), []
    rows = [Change(e.start, e.end, e.replacement, e.rule, "applied") for e in applied]
    rows += [Change(e.start, e.end, e.replacement, e.rule, "refused") for e in refused]
    taken = sorted((e.start, e.end) for e in applied)  # disjoint, so ends are sorted too
    ends = [end for _, end in taken]
    for finding in findings:
        if finding.replacement is None or finding.safe:
            continue
        # the first applied edit ending after the finding starts is the only one to overlap
        after = bisect.bisect_right(ends, finding.start)
        if after < len(taken) and taken[after][0] < finding.end or any(
                start == finding.start for start, _ in taken[max(after - 1, 0):after + 1]):
            continue
        rows.append(Change(finding.start, finding.end, finding.replacement, finding.rule,
                           "unsafe"))
    rows.sort(key=lambda c: (c.start, c.end, c.rule))
    return rows


_STATUS = {
    "applied": "applied by <code>cleanup fix</code>",
    "unsafe": '<span class="unsafe">not applied: unsafe, needs <code>--unsafe-fixes</code>'
              "</span>",
    "refused": '<span class="unsafe">not applied: overlaps a fix that wins</span>',
}


def _changes_table(text: str, rows: Sequence[Change], starts: list[int]) -> str:
    body = []
    for row in rows[:FINDINGS_PER_DOCUMENT]:
        line, column = line_column(starts, row.start)
        before_ctx = text[max(0, row.start - CONTEXT_CHARS // 2):row.start]
        after_ctx = text[row.end:row.end + CONTEXT_CHARS // 2]
        removed = _escape_removed(text[row.start:row.end], row.replacement)
        old = f"<del>{removed or EMPTY_SPAN}</del>"
        new = f"<ins>{_escape(row.replacement, True) or EMPTY_SPAN}</ins>"
        before_ctx, after_ctx = _escape(before_ctx, True), _escape(after_ctx, True)
        body.append(
            f"<tr><td>{line}:{column}</td><td><code>{_attr(row.rule)}</code></td>"
            f'<td class="ctx">{before_ctx}{old}{after_ctx}</td>'
            f'<td class="ctx">{before_ctx}{new}{after_ctx}</td>'
            f"<td>{_STATUS[row.status]}</td></tr>")
    more = (f'<p class="note">The table shows the first {FINDINGS_PER_DOCUMENT:,} of '
            f"{len(rows):,} changes.</p>" if len(rows) > FINDINGS_PER_DOCUMENT else "")
    return ("<table class=\"changes\"><thead><tr><th>Line:col</th><th>Rule</th><th>Before</th>"
            "<th>After</th><th>Fix</th></tr></thead><tbody>" + "".join(body)
            + "</tbody></table>" + more)


def _fixed_text(text: str, rows: Sequence[Change], limit: int) -> str:
    """The text after the applied changes, each shown as deleted and inserted text."""
    out = []
    position = 0
    for row in rows:
        if row.status != "applied" or row.start >= limit:
            continue
        out.append(_escape(text[position:row.start]))
        out.append(f"<del>{_escape_removed(text[row.start:row.end], row.replacement)}</del>"
                   f"<ins>{_escape(row.replacement)}</ins>")
        position = row.end
    out.append(_escape(text[position:max(position, limit)]))
    return "".join(out)


# --- The document view -----------------------------------------------------------------------


def document_section(name: str, text: str, findings: Sequence[Finding], *, prefix: str,
                     edits: Sequence[Edit] | None = None, show_text: bool = True,
                     heading: str = "h2", most: int = FINDINGS_PER_DOCUMENT) -> str:
    """One text's view: the highlighted text, its findings and what `cleanup fix` changes.

    Ids start with ``prefix`` (unique in the page): marks are ``{prefix}-s{n}``, messages
    ``{prefix}-m{n}``, list items ``{prefix}-f{n}``, in the order of the findings. At most
    ``most`` findings are shown.
    """
    findings = sorted(findings, key=lambda f: f.sort_key)
    shown = findings[:most]
    limit = min(len(text), DOCUMENT_CHARS) if show_text else 0
    mark_ids = [f"{prefix}-s{n}" for n in range(1, len(shown) + 1)]
    message_ids = [f"{prefix}-m{n}" for n in range(1, len(shown) + 1)]
    kinds = Counter(f.kind for f in findings)
    parts = [f'<section class="document" id="{prefix}">',
             f"<{heading}>{_escape(name)}</{heading}>",
             "<p>" + (", ".join(f'<span class="sw k-{kind}"></span>{kinds[kind]:,} {kind}'
                                for kind in KINDS if kinds[kind])
                      or "No findings.") + "</p>"]
    def in_doc(finding: Finding) -> bool:
        return finding.start < limit or (show_text and finding.start == limit == len(text))

    if show_text:
        in_view = [i for i, f in enumerate(shown) if in_doc(f)]
        parts.append('<div class="doc" dir="auto">' + highlight(
            text[:limit], [shown[i] for i in in_view], ids=[mark_ids[i] for i in in_view],
            messages=[message_ids[i] for i in in_view]) + "</div>")
        if limit < len(text):
            parts.append(f'<p class="note">The text is {len(text):,} characters long: the view '
                         f"shows the first {limit:,}. The findings below include the rest, each "
                         "in its context.</p>")
    else:
        parts.append('<p class="note">The report is already large, so this text is not '
                     "shown: its findings are listed in their context.</p>")
    if len(findings) > len(shown):
        parts.append(f'<p class="note">This text has {len(findings):,} findings: the report '
                     f"shows the first {len(shown):,}.</p>")
    if not shown:
        rules = Counter(f.rule for f in findings)
        parts.append("<p>" + ", ".join(f"<code>{_attr(code)}</code> {count:,}"
                                       for code, count in sorted(rules.items())) + "</p>")
    starts = line_starts(text)
    if shown:
        items = []
        for n, finding in enumerate(shown, start=1):
            line, column = line_column(starts, finding.start)
            where = (f'<a href="#{prefix}-s{n}">{line}:{column}</a>' if in_doc(finding)
                     else f"{line}:{column}")
            context = ("" if in_doc(finding) else
                       f'<br><span class="ctx">{_context(text, finding, mark_ids[n - 1])}</span>')
            fix = ""
            if finding.replacement is not None:
                fix = (" <span>[fixable]</span>" if finding.safe else
                       ' <span class="unsafe">[unsafe fix]</span>')
            items.append(
                f'<li id="{prefix}-f{n}">{where} <span class="sw k-{_attr(finding.kind)}">'
                f'</span><code>{_attr(finding.rule)}</code> <span id="{message_ids[n - 1]}">'
                f"{_escape(finding.message)}</span>{fix}{context}</li>")
        parts.append(f"<h3>Findings</h3><ol class=\"findings\">{''.join(items)}</ol>")
    rows = changes(text, shown, edits)
    if rows:
        applied = sum(1 for row in rows if row.status == "applied")
        parts.append(f"<h3>What <code>cleanup fix</code> changes</h3><p>{_plural(applied, 'change')}"
                     f" applied, {_plural(len(rows) - applied, 'other')} left as they are.</p>")
        parts.append(_changes_table(text, rows, starts))
        if applied and show_text:
            parts.append('<details><summary>The text after <code>cleanup fix</code>, changes '
                         'marked</summary><div class="doc" dir="auto">'
                         + _fixed_text(text, rows, limit) + "</div></details>")
    parts.append("</section>")
    return "\n".join(parts)


def legend(counts: Mapping[str, int] | None = None) -> str:
    """The colour of each kind, with its count when ``counts`` is given."""
    items = []
    for kind in KINDS:
        count = counts.get(kind, 0) if counts is not None else None
        label = f"{kind} ({count:,})" if count is not None else kind
        muted = ' class="zero"' if count == 0 else ""
        items.append(f'<li{muted}><span class="sw k-{kind}"></span><strong>{label}</strong> '
                     f'<span class="muted">{KIND_NOTES[kind]}</span></li>')
    return f'<ul class="legend" aria-label="Kinds of damage">{"".join(items)}</ul>'


def page(title: str, body: str) -> str:
    """A whole HTML document around ``body``: inline style, the strict CSP, no script."""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            f'<main class="cleanup-report">\n{body}\n</main>\n</body>\n</html>\n')


def _footer() -> str:
    from cleanup import __version__

    return (f'<footer class="muted"><p>cleanup {__version__}. Hover over or tab to a '
            "highlight to see its rule and message; <code>cleanup rules CODE</code> explains a "
            "rule.</p></footer>")


def _rule_table(counts: Counter[str], links: Mapping[str, str], extra: str = "",
                extra_values: Mapping[str, str] | None = None) -> str:
    rows = []
    top = max(counts.values(), default=1)
    for code, count in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])):
        rule = RULES.get(code)
        link = links.get(code)
        shown_code = (f'<a href="#{link}"><code>{_attr(code)}</code></a>' if link
                      else f"<code>{_attr(code)}</code>")
        kind = rule.kind if rule else ""
        rows.append(
            f'<tr id="summary-{_attr(code)}"><td>{shown_code}</td>'
            f"<td>{_attr(rule.name if rule else '')}</td>"
            f'<td><span class="sw k-{kind}"></span>{kind}</td><td class="n">{count:,}</td>'
            f'<td><meter min="0" max="{top}" value="{count}"></meter></td>'
            f"<td>{rule.fix if rule else ''}</td>"
            + (f'<td class="n">{(extra_values or {}).get(code, "")}</td>' if extra else "")
            + "</tr>")
    return ("<table><thead><tr><th>Rule</th><th>Name</th><th>Kind</th><th>Findings</th>"
            "<th></th><th>Fix</th>" + (f"<th>{extra}</th>" if extra else "")
            + "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


# --- `cleanup check --format html` -----------------------------------------------------------


def render_check_report(findings: Sequence[FileFinding], texts: Mapping[str, str] | None = None
                        ) -> str:
    """The report of a `cleanup check` run: a summary, then each file's document view.

    ``texts`` maps each checked path to its text (files without findings count as clean); a
    finding whose file's text is not given is listed without its document view.
    """
    texts = dict(texts or {})
    by_path: dict[str, list[Finding]] = {}
    for item in findings:
        by_path.setdefault(item.path, []).append(item.finding)
    paths = sorted(set(texts) | set(by_path))
    damaged = [path for path in paths if by_path.get(path)]
    clean = [path for path in paths if not by_path.get(path)]
    total = sum(len(found) for found in by_path.values())
    rule_counts = Counter(item.finding.rule for item in findings)
    kind_counts = Counter(item.finding.kind for item in findings)
    prefixes = {path: f"d{n}" for n, path in enumerate(damaged, start=1)}
    first_of: dict[str, str] = {}
    budget = REPORT_FINDINGS
    for path in damaged:
        most = min(FINDINGS_PER_DOCUMENT, budget)
        budget -= min(most, len(by_path[path]))
        ordered = sorted(by_path[path], key=lambda f: f.sort_key)[:most]
        for n, finding in enumerate(ordered, start=1):
            first_of.setdefault(finding.rule, f"{prefixes[path]}-f{n}")
    body = ['<header id="summary"><h1>cleanup report</h1>',
            (f"<p>{_plural(total, 'finding')} in {len(damaged):,} of "
            f"{_plural(len(paths), 'file')} checked.</p></header>"),
            legend(kind_counts)]
    if rule_counts:
        body.append("<h2>Findings per rule</h2>" + _rule_table(rule_counts, first_of))
        items = "".join(f'<li><a href="#{prefixes[p]}">{_escape(p)}</a> '
                        f"({_plural(len(by_path[p]), 'finding')})</li>" for p in damaged)
        body.append(f"<h2>Files with findings</h2><ul>{items}</ul>")
    if clean:
        items = "".join(f"<li>{_escape(p)}</li>" for p in clean)
        body.append(f"<details><summary>{_plural(len(clean), 'file')} without findings"
                    f"</summary><ul>{items}</ul></details>")
    chars, shown = REPORT_CHARS, REPORT_FINDINGS
    for path in damaged:
        most = min(FINDINGS_PER_DOCUMENT, shown)
        shown -= min(most, len(by_path[path]))
        text = texts.get(path)
        if text is None:
            body.append(_findings_without_text(path, by_path[path], prefixes[path], most))
            continue
        body.append(document_section(path, text, by_path[path], prefix=prefixes[path],
                                     show_text=chars > 0 and most > 0, most=most))
        chars -= min(len(text), DOCUMENT_CHARS)
    body.append(_footer())
    return page("cleanup report", "\n".join(body))


def _findings_without_text(path: str, findings: Sequence[Finding], prefix: str,
                           most: int) -> str:
    items = "".join(
        f'<li id="{prefix}-f{n}"><code>{_attr(f.rule)}</code> {_escape(f.message)}</li>'
        for n, f in enumerate(sorted(findings, key=lambda f: f.sort_key)[:most], start=1))
    return (f'<section class="document" id="{prefix}"><h2>{_escape(path)}</h2>'
            f'<ol class="findings">{items}</ol></section>')


# --- Jupyter and the library ------------------------------------------------------------------


@dataclass(frozen=True)
class Highlighted:
    """A text and its findings, shown as the report's document view in Jupyter.

    ``edits`` are the edits `cleanup.fix` applied, when known; without them the view shows
    the findings' safe fixes as `cleanup fix` would apply them.
    """

    text: str
    findings: tuple[Finding, ...]
    edits: tuple[Edit, ...] | None = None
    title: str = "text"

    def _repr_html_(self) -> str:
        digest = hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        counts = Counter(f.kind for f in self.findings)
        return (f'<div class="cleanup-report"><style>{CSS}</style>'
                + legend(counts)
                + document_section(self.title, self.text, self.findings, prefix=f"c{digest}",
                                   edits=self.edits, heading="h3")
                + "</div>")

    def to_html(self) -> str:
        """The view as a whole HTML page, to save or open in a browser."""
        counts = Counter(f.kind for f in self.findings)
        return page(f"cleanup: {self.title}", legend(counts) + document_section(
            self.title, self.text, self.findings, prefix="d1", edits=self.edits) + _footer())


# --- `cleanup annotate --report` -------------------------------------------------------------


def _sample_item(sample: Sample, prefix: str) -> str:
    finding = Finding(sample.kind, sample.rule, len(sample.before),
                      len(sample.before) + len(sample.text), sample.text, sample.message,
                      sample.replacement, sample.safe, sample.severity)
    text = sample.before + sample.text + sample.after
    inner = highlight(text, [finding], ids=[f"{prefix}-s"], messages=[f"{prefix}-m"],
                      one_line=True)
    where = (f"dropped: {_escape(sample.source)} line {sample.record:,}" if sample.dropped
             else f"{_escape(sample.output)} record {sample.record:,}")
    if sample.record_id is not None:
        where += f" (id {_escape(sample.record_id)})"
    return (f'<li id="{prefix}"><span class="muted">{where}</span><br>'
            f'<span class="ctx">{"…" if sample.cut_before else ""}{inner}'
            f'{"…" if sample.cut_after else ""}</span><br>'
            f'<span id="{prefix}-m">'
            f"{_escape(sample.message)}</span></li>")


def render_corpus_report(stats: Stats, samples: CorpusSamples, *, input: str, output: str,
                         skipped_shards: int = 0) -> str:
    """The report of a corpus run: counts per kind and rule, records affected, and each rule's
    sampled findings in context; the summary links to the samples and back.

    Shards a resumed run skipped count in the totals but give no samples (their records are
    not read again); a note says so.
    """
    notes = [(f"{skipped_shards:,} shards completed by an earlier run were skipped: they count "
             "in the totals, but the samples come from this run's shards only.")
             ] if skipped_shards else []
    rule_counts = Counter(stats.findings_by_rule)
    kind_counts: Counter[str] = Counter()
    for code, count in rule_counts.items():
        kind_counts[RULES[code].kind if code in RULES else "unknown"] += count
    share = stats.records_affected / stats.annotated if stats.annotated else 0.0
    rows = [("records read", f"{stats.records:,}"), ("records annotated", f"{stats.annotated:,}"),
            ("records that could not be read", f"{stats.errors:,}"),
            *([("records dropped (--drop-if)", f"{stats.dropped:,}")] if stats.dropped else []),
            ("records affected", f"{stats.records_affected:,} ({share:.1%} of annotated)"),
            ("findings", f"{stats.findings:,}"), ("text read", f"{stats.bytes:,} bytes"),
            ("files", f"{stats.files:,}")]
    body = ['<header id="summary"><h1>cleanup corpus report</h1>',
            (f"<p>Input <code>{_escape(input)}</code>, annotated into "
            f"<code>{_escape(output)}</code>.</p></header>"),
            "<table><tbody>" + "".join(f"<tr><th>{label}</th><td class=\"n\">{value}</td></tr>"
                                       for label, value in rows) + "</tbody></table>"]
    body.extend(f'<p class="note">{_escape(note)}</p>' for note in notes)
    body.append("<h2>Findings per kind</h2>" + legend(kind_counts))
    if rule_counts:
        links = {code: f"rule-{code}" for code in samples.by_rule}
        shown = {code: f"{len(samples.by_rule.get(code, ())):,}" for code in rule_counts}
        body.append("<h2>Findings per rule</h2>"
                    + _rule_table(rule_counts, links, "Samples", shown))
        body.append(f"<h2>Samples</h2><p>The first {samples.per_rule:,} findings of each rule "
                    "in input order, with the text around them.</p>")
    for code in sorted(samples.by_rule, key=lambda c: (-rule_counts.get(c, 0), c)):
        rule = RULES.get(code)
        items = "".join(_sample_item(sample, f"rule-{code}-{n}")
                        for n, sample in enumerate(samples.by_rule[code], start=1))
        title = f"{code} {rule.name}" if rule else code
        body.append(f'<section id="rule-{_attr(code)}"><h3>{_escape(title)} '
                    f"({_plural(rule_counts.get(code, 0), 'finding')})</h3>"
                    f'<p><a href="#summary-{_attr(code)}">back to the summary</a></p>'
                    f'<ol class="findings">{items}</ol></section>')
    body.append(_footer())
    return page("cleanup corpus report", "\n".join(body))


__all__ = ["CSP", "Highlighted", "changes", "document_section", "highlight", "page",
           "render_check_report", "render_corpus_report"]
