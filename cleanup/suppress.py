"""Inline suppression and markup masking: which findings a document itself says to leave alone.

Two things silence a finding after the detectors ran:

* a directive written in the document, in whatever comment the format has (``<!-- -->``,
  ``.. `` in reST, ``#``, ``//``) or in plain text:

  - ``cleanup: ignore`` silences its line; ``cleanup: ignore[CU201,CU101]`` only those codes
    (kinds and code prefixes such as ``mojibake`` or ``CU1`` work too). A directive alone on
    its line (a reST comment always is) also silences the next non-blank line.
  - ``cleanup: off`` ... ``cleanup: on`` silences every line from one to the other (the end
    of the document when ``on`` never comes); ``cleanup: off[CU404]`` only those codes.

* markup that is not prose: in Markdown and reST, code (fenced, indented and inline), URLs and
  link targets, HTML tags and comments; in HTML and XML, tags, comments and the content of
  ``<script>``, ``<style>``, ``<pre>`` and ``<code>``. A page about mojibake that shows ``â€œ``
  in code is not damaged. Control and bidi characters and undecodable bytes stay reported
  even there: they are damage in code too (Trojan Source hides in code).

* a declared language: in HTML, XML and Markdown, a foreign fragment inside an element whose
  ``lang``/``xml:lang`` says it is in that language is there on purpose.

Single HTML entities in markup syntaxes are the mojibake detector's business (it reads
``context.syntax``), not this module's.

Everything here is a pure function of the text, and costs one substring test on plain text
without directives, which is almost all text.

>>> from cleanup.findings import Finding
>>> text = "back to Washington . <!-- cleanup: ignore[CU404] -->\\nsee `cafÃ©`"
>>> findings = [Finding("punctuation", "CU404", 18, 19, " ", "space"),
...             Finding("mojibake", "CU101", 61, 63, "Ã©", "mojibake")]
>>> filter_findings(text, findings, "markdown")
[]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from cleanup.findings import Finding, line_starts

#: Rules whose damage matters inside code and markup too: hidden controls, bidi overrides and
#: bytes that are not text change what a program reads, wherever they are.
ALWAYS_CHECKED = frozenset({"CU106", "CU503", "CU504", "CU703"})

DIRECTIVE_MARKER = "cleanup:"

DIRECTIVE = re.compile(
    r"(?<![\w-])cleanup:[ \t]*"            # the marker, not part of a longer word
    r"(?P<action>ignore|off|on)\b"          # what to do
    r"(?:\[(?P<codes>[^\]\r\n]*)\])?"       # optionally, for which codes, kinds or prefixes
)

#: What may surround a directive on a line that holds nothing else: comment delimiters.
COMMENT_PUNCTUATION = re.compile(r"<!--|-->|\.\.|/\*|\*/|//|#|;|%|--|\s")

#: URLs in prose: a scheme or ``www.``, up to whitespace or a closing delimiter.
URL = re.compile(r"(?:\b(?:https?|ftp|file)://|\bmailto:|\bwww\.)[^\s<>\"'`]+")

#: HTML comments, processing instructions, CDATA delimiters, doctypes and tags. The content
#: of CDATA is text (translation memories keep their segments in it), so it stays checked.
HTML_MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)"                    # a comment, unclosed ones to the end
    r"|<!\[CDATA\[|\]\]>"                   # CDATA delimiters (XML)
    r"|<\?.*?\?>"                           # a processing instruction (XML)
    r"|<![A-Za-z][^>]*>"                    # a doctype
    r"|</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>",  # an opening, closing or empty tag
    re.DOTALL,
)

#: HTML elements whose content is code or data, not prose; only when they are closed, so that
#: prose that mentions a ``<pre>`` tag does not hide the rest of the page.
HTML_LITERAL_ELEMENT = re.compile(
    r"<(?P<tag>script|style|pre|code|kbd|samp)\b[^>]*>.*?</(?P=tag)\s*>",
    re.DOTALL | re.IGNORECASE,
)

#: A Markdown code span: a run of backticks, then anything up to a run of the same length,
#: never across a blank line.
MARKDOWN_CODE_SPAN = re.compile(
    r"(?<![`\\])(?P<ticks>`+)(?!`)(?:(?!\n[ \t]*\n).)*?(?<!`)(?P=ticks)(?!`)", re.DOTALL
)

#: Markdown link and image destinations ``](url "title")`` and reference definitions.
MARKDOWN_LINK_TARGET = re.compile(
    r"\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"
    r"|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*\S+.*$",
    re.MULTILINE,
)

#: Markdown autolinks ``<https://...>``.
MARKDOWN_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>")

#: reST inline literals, roles with their content, and ``<url>`` link targets in backticks.
REST_INLINE = re.compile(
    r"``(?:(?!\n[ \t]*\n).)+?``"            # ``inline literal``
    r"|:[\w.+-]+:`[^`]+`"                   # :role:`content`
    r"|<[^<>\s]+>(?=`_)",                   # `text <target>`_
    re.DOTALL,
)

#: reST explicit markup starts: ``.. name::`` directives, ``.. _target:``, comments.
REST_EXPLICIT = re.compile(r"^(?P<indent>[ \t]*)\.\.(?:[ \t]+(?P<rest>.*))?$")

#: reST directives whose content is code, data or math, not prose.
REST_LITERAL_DIRECTIVES = frozenset({
    "code", "code-block", "sourcecode", "literalinclude", "math", "raw", "highlight",
    "parsed-literal", "testcode", "testoutput", "doctest", "ipython",
})

#: reST directives whose argument, on the directive's own line, is prose.
REST_PROSE_DIRECTIVES = frozenset({
    "note", "warning", "tip", "important", "caution", "danger", "error", "hint", "attention",
    "admonition", "topic", "sidebar", "rubric", "seealso", "versionadded", "versionchanged",
    "deprecated", "todo",
})

#: Syntaxes whose elements can declare their language (``lang``, ``xml:lang``).
LANG_SYNTAXES = frozenset({"html", "xml", "markdown"})

#: An opening tag with a ``lang`` or ``xml:lang`` attribute.
LANG_ELEMENT = re.compile(
    r"<(?P<tag>[A-Za-z][\w:.-]*)\s[^<>]*?(?<![\w:-])(?:xml:)?lang\s*=\s*"
    r"(?P<quote>[\"']?)(?P<lang>[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)(?P=quote)[^<>]*?(?<!/)>"
)


@dataclass(frozen=True)
class Directive:
    """One ``cleanup:`` directive: its 0-based line, action, codes (None: all) and whether it
    stands alone on its line."""

    line: int
    action: str
    codes: frozenset[str] | None
    alone: bool


def filter_findings(text: str, findings: list[Finding], syntax: str) -> list[Finding]:
    """``findings`` without those the document silences or that lie in masked markup.

    >>> from cleanup.findings import Finding
    >>> found = [Finding("punctuation", "CU404", 3, 4, " ", 'space before "."')]
    >>> filter_findings("one . two", found, "plain") == found
    True
    >>> filter_findings("one . two  # cleanup: ignore", found, "plain")
    []
    """
    if not findings:
        return findings
    has_directive = DIRECTIVE_MARKER in text
    if syntax == "plain" and not has_directive:
        return findings
    masked, literal = markup_regions(text, syntax)
    declared = declared_languages(text) if syntax in LANG_SYNTAXES else []
    if not has_directive and not masked and not declared:
        return findings
    starts = line_starts(text)
    directives = find_directives(text, starts, literal) if has_directive else []
    silenced = _silenced_lines(text, starts, directives)
    kept = []
    for finding in findings:
        # Translation findings compare the markup itself with the source's: never masked.
        if finding.rule not in ALWAYS_CHECKED and finding.kind != "translation" and \
                _overlaps(masked, finding.start, finding.end):
            continue
        if declared and finding.kind == "foreign_fragment" and _declared_foreign(finding, declared):
            continue
        line = bisect.bisect_right(starts, finding.start) - 1
        if any(_matches(finding, codes) for codes in silenced.get(line, ())):
            continue
        kept.append(finding)
    return kept


def find_directives(
    text: str, starts: Sequence[int] | None = None, skip: Sequence[tuple[int, int]] = ()
) -> list[Directive]:
    """Every ``cleanup:`` directive of ``text``, except those inside the ``skip`` regions.

    >>> [(d.line, d.action, sorted(d.codes or ()), d.alone)
    ...  for d in find_directives("a\\n<!-- cleanup: ignore[CU101, cu2] -->\\nb")]
    [(1, 'ignore', ['CU101', 'CU2'], True)]
    """
    if DIRECTIVE_MARKER not in text:
        return []
    starts = line_starts(text) if starts is None else starts
    directives = []
    for match in DIRECTIVE.finditer(text):
        if _overlaps(skip, match.start(), match.end()):
            continue
        line = bisect.bisect_right(starts, match.start()) - 1
        codes = None
        if match["codes"] is not None:
            codes = frozenset(_normalize_selector(c) for c in match["codes"].split(",")
                              if c.strip())
        line_text = _line_text(text, starts, line)
        rest = line_text.replace(match[0], "", 1)
        alone = not COMMENT_PUNCTUATION.sub("", rest)
        directives.append(Directive(line, match["action"], codes, alone))
    return directives


def markup_regions(text: str, syntax: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The spans of ``text`` that are markup, not prose, and among them those that are code.

    Returns ``(masked, literal)``, both sorted and merged: findings in ``masked`` are not
    reported, and directives in ``literal`` (code that shows a directive) do not count.

    >>> markup_regions("see `x` and <b>y</b>", "markdown")
    ([(4, 7), (12, 15), (16, 20)], [(4, 7)])
    """
    if syntax == "markdown":
        return _markdown_regions(text)
    if syntax == "rst":
        return _rest_regions(text)
    if syntax in ("html", "xml"):
        return _html_regions(text, literal_elements=syntax == "html")
    return [], []


def declared_languages(text: str) -> list[tuple[int, int, str]]:
    """The content spans of elements that declare their language, with the language's
    primary subtag, outermost first: ``<span lang="ru">...</span>`` -> ``(start, end, "ru")``.

    >>> declared_languages('<p lang="en-GB">The <i xml:lang="ru">Израиля</i></p>')
    [(16, 48, 'en'), (37, 44, 'ru')]
    """
    if "lang" not in text:
        return []
    spans = []
    for match in LANG_ELEMENT.finditer(text):
        tag = re.escape(match["tag"])
        depth, end = 1, len(text)
        for other in re.finditer(rf"<(/?){tag}(?:\s[^<>]*)?(?<!/)>", text[match.end():]):
            depth += -1 if other[1] else 1
            if depth == 0:
                end = match.end() + other.start()
                break
        language = re.split(r"[-_]", match["lang"])[0].lower()
        spans.append((match.end(), end, language))
    return sorted(spans, key=lambda span: (span[0], -span[1]))


def _declared_foreign(finding: Finding, declared: list[tuple[int, int, str]]) -> bool:
    """Whether the document itself declares the foreign fragment's language, so that the
    fragment is there on purpose. The innermost element around the fragment must declare

    * the language the detector found, or
    * for a fragment in another script than the document's (CU201), a language written in
      that script: close languages (Ukrainian and Russian) are easily told apart by the
      author, not always by a detector, or
    * a language different from the element around it (a French quotation marked
      ``lang="fr"`` inside an English ``<html lang="en">``).

    A fragment inside an element that declares the document's own language is still damage.
    """
    around = [(start, end, language) for start, end, language in declared
              if start <= finding.start and finding.end <= end]
    if not around:
        return False
    around.sort(key=lambda span: span[1] - span[0])
    language = around[0][2]
    found = str(finding.data.get("lang", "")).split("-")[0].lower()
    if language == found:
        return True
    if finding.rule == "CU201" and finding.data.get("script"):
        from cleanup.language import scripts_of_language

        if finding.data["script"] in scripts_of_language(language):
            return True
    return len(around) > 1 and around[1][2] != language


# --- directives -------------------------------------------------------------------------------

def _silenced_lines(
    text: str, starts: Sequence[int], directives: list[Directive]
) -> dict[int, list[frozenset[str] | None]]:
    """0-based line -> the code sets silenced there (None in the list: every code)."""
    silenced: dict[int, list[frozenset[str] | None]] = {}
    last_line = len(starts) - 1
    open_blocks: list[tuple[int, frozenset[str] | None]] = []

    def silence(first: int, last: int, codes: frozenset[str] | None) -> None:
        for line in range(first, last + 1):
            silenced.setdefault(line, []).append(codes)

    for directive in directives:
        if directive.action == "ignore":
            silence(directive.line, directive.line, directive.codes)
            if directive.alone:
                following = _next_non_blank_line(text, starts, directive.line)
                if following is not None:
                    silence(following, following, directive.codes)
        elif directive.action == "off":
            open_blocks.append((directive.line, directive.codes))
        else:  # on: closes every open block, including its own line
            for first, codes in open_blocks:
                silence(first, directive.line, codes)
            open_blocks = []
    for first, codes in open_blocks:
        silence(first, last_line, codes)
    return silenced


def _line_text(text: str, starts: Sequence[int], line: int) -> str:
    end = starts[line + 1] if line + 1 < len(starts) else len(text)
    return text[starts[line]:end].rstrip("\r\n")


def _next_non_blank_line(text: str, starts: Sequence[int], line: int) -> int | None:
    for following in range(line + 1, len(starts)):
        if _line_text(text, starts, following).strip():
            return following
    return None


def _normalize_selector(selector: str) -> str:
    """Codes and ``ALL`` in upper case, kinds as they are: ``cu101`` -> ``CU101``."""
    selector = selector.strip()
    if selector[:2].upper() == "CU" or selector.upper() == "ALL":
        return selector.upper()
    return selector


def _matches(finding: Finding, codes: frozenset[str] | None) -> bool:
    if codes is None:
        return True
    return any(code == finding.kind or code == "ALL" or finding.rule.startswith(code)
               for code in codes)


# --- markup -----------------------------------------------------------------------------------

def _overlaps(regions: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` (a point when empty) touches one of the sorted ``regions``."""
    if not regions:
        return False
    index = bisect.bisect_right(regions, (start, float("inf"))) - 1
    for region_start, region_end in regions[max(index, 0):index + 2]:
        if start == end and region_start <= start < region_end:
            return True
        if start < region_end and region_start < end:
            return True
    return False


def _merge(regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(r for r in regions if r[1] > r[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _html_regions(
    text: str, offset: int = 0, *, literal_elements: bool = True
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Tags and comments; with ``literal_elements``, also the content of ``<pre>``, ``<code>``...
    (HTML's, not XML's: an XML ``<code>`` element may well hold prose)."""
    if "<" not in text:
        return [], []
    literal = [(m.start() + offset, m.end() + offset)
               for m in HTML_LITERAL_ELEMENT.finditer(text)] if literal_elements else []
    tags = [(m.start() + offset, m.end() + offset) for m in HTML_MARKUP.finditer(text)]
    return _merge(literal + tags), _merge(literal)


def _markdown_regions(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Code blocks come from a CommonMark parser (lists and indentation are subtle), the
    inline markup from the patterns above, over the text outside code blocks."""
    if not any(mark in text for mark in ("`", "~~~", "    ", "\t", "<", "://", "www.", "](",
                                         "]:", "mailto:")):
        return [], []
    starts = line_starts(text)
    literal: list[tuple[int, int]] = []
    markup: list[tuple[int, int]] = []
    needs_blocks = any(mark in text for mark in ("```", "~~~", "    ", "\t", "<"))
    if needs_blocks:
        from markdown_it import MarkdownIt

        for token in MarkdownIt("commonmark").parse(text):
            if token.map is None or token.type not in ("fence", "code_block", "html_block"):
                continue
            first, last = token.map
            start = starts[first]
            end = starts[last] if last < len(starts) else len(text)
            if token.type == "html_block":
                block_markup, block_literal = _html_regions(text[start:end], start)
                markup += block_markup
                literal += block_literal
            else:
                literal.append((start, end))
    literal = _merge(literal)
    prose = _gaps(text, literal)
    for start, end in prose:
        chunk = text[start:end]
        spans = [(m.start(), m.end()) for m in MARKDOWN_CODE_SPAN.finditer(chunk)]
        literal += [(span_start + start, span_end + start) for span_start, span_end in spans]
        # Markup shown in code spans (`<pre>`, `](x)`) is not markup: blank it out first.
        if spans:
            pieces, position = [], 0
            for span_start, span_end in spans:
                pieces += [chunk[position:span_start], " " * (span_end - span_start)]
                position = span_end
            chunk = "".join(pieces) + chunk[position:]
        for pattern in (MARKDOWN_LINK_TARGET, MARKDOWN_AUTOLINK, URL):
            markup += [(m.start() + start, m.end() + start) for m in pattern.finditer(chunk)]
        if "<" in chunk:
            chunk_markup, chunk_literal = _html_regions(chunk, start)
            markup += chunk_markup
            literal += chunk_literal
    literal = _merge(literal)
    return _merge(literal + markup), literal


def _gaps(text: str, regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``text`` outside the sorted, merged ``regions``."""
    gaps, position = [], 0
    for start, end in regions:
        if start > position:
            gaps.append((position, start))
        position = max(position, end)
    if position < len(text):
        gaps.append((position, len(text)))
    return gaps


def _indent(line: str) -> int:
    return len(line.expandtabs(8)) - len(line.expandtabs(8).lstrip(" "))


def _rest_regions(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Literal blocks (after ``::``), code-like directives, comments and targets by their
    indentation; inline literals, roles and URLs by pattern."""
    starts = line_starts(text)
    lines = [_line_text(text, starts, number) for number in range(len(starts))]
    literal: list[tuple[int, int]] = []
    markup: list[tuple[int, int]] = []

    def block_end(first: int, parent_indent: int) -> int:
        """The line after the indented block that follows line ``first``."""
        line = first + 1
        while line < len(lines):
            if lines[line].strip() and _indent(lines[line]) <= parent_indent:
                break
            line += 1
        while line - 1 > first and not lines[line - 1].strip():
            line -= 1
        return line

    def span(first: int, last: int) -> tuple[int, int]:
        return starts[first], (starts[last] if last < len(starts) else len(text))

    number = 0
    while number < len(lines):
        line = lines[number]
        explicit = REST_EXPLICIT.match(line)
        if explicit:
            indent = _indent(line)
            rest = explicit["rest"] or ""
            name = rest.split("::", 1)[0].strip().lower() if "::" in rest else None
            end = block_end(number, indent)
            if rest.startswith("["):  # a footnote or citation: its text is prose
                number += 1
                continue
            if name is None:  # a comment or a link target: nothing a reader sees
                markup.append(span(number, end))
            elif name in REST_LITERAL_DIRECTIVES:
                literal.append(span(number, end))
            else:  # `.. note:: text`: the directive is markup, its text (here or below) prose
                directive_end = starts[number] + line.index("::") + 2
                if name not in REST_PROSE_DIRECTIVES:  # `.. image:: path`: so is the argument
                    directive_end = starts[number] + len(line)
                markup.append((starts[number], directive_end))
                number += 1
                continue
            number = end
            continue
        if line.rstrip().endswith("::") and not line.strip().startswith(".."):
            following = number + 1
            while following < len(lines) and not lines[following].strip():
                following += 1
            if following < len(lines) and _indent(lines[following]) > _indent(line):
                end = block_end(following - 1, _indent(line))
                literal.append(span(following, end))
                number = end
                continue
        number += 1
    literal = _merge(literal)
    for start, end in _gaps(text, _merge(literal + markup)):
        chunk = text[start:end]
        literal += [(m.start() + start, m.end() + start) for m in REST_INLINE.finditer(chunk)]
        markup += [(m.start() + start, m.end() + start) for m in URL.finditer(chunk)]
    literal = _merge(literal)
    return _merge(literal + markup), literal
