"""Markup syntaxes: which parts of a file are markup or code rather than prose, and the registry
of the syntaxes cleanup reads.

A `Syntax` says how to find a text's markup (`regions`: what is masked, and which of that is
code, where a directive shown as an example does not count), where its comments are (the only
places a ``cleanup:`` directive counts), whether a single HTML entity is markup rather than
damage, and whether its elements can declare their language (``lang="ru"``). `SYNTAXES` is the one registry: the file suffixes that choose a syntax, the
values `cleanup.check(syntax=...)` accepts and the CLI's choices all come from it. To add a
syntax, write its regions function and add one entry.

>>> syntax_for_path("docs/README.md").name, syntax_for_path("notes.txt").name
('markdown', 'plain')
>>> markup_regions("see `x` and <b>y</b>", "markdown")
([(4, 7), (12, 15), (16, 20)], [(4, 7)])
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePath

from cleanup.chars import URL
from cleanup.findings import line_starts

Regions = tuple[list[tuple[int, int]], list[tuple[int, int]]]

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

#: An HTML or XML comment, an unclosed one to the end: Markdown, HTML and XML's comment form.
HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)

#: An opening tag with a ``lang`` or ``xml:lang`` attribute.
LANG_ELEMENT = re.compile(
    r"<(?P<tag>[A-Za-z][\w:.-]*)\s[^<>]*?(?<![\w:-])(?:xml:)?lang\s*=\s*"
    r"(?P<quote>[\"']?)(?P<lang>[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)(?P=quote)[^<>]*?(?<!/)>"
)



Spans = list[tuple[int, int]]


@dataclass(frozen=True)
class Syntax:
    """One markup syntax: its name, the suffixes of its files and what markup means in it.

    ``comments`` finds the spans of a text that are comments in the syntax; None for a syntax
    without comments (plain text), where `cleanup.suppress` accepts only comment-like lines.
    ``is_code`` marks program source: there a homoglyph or an invisible character may be part
    of an identifier, so repairing it changes the program and is never a safe fix.
    """

    name: str
    suffixes: tuple[str, ...]
    regions: Callable[[str], Regions]
    entities_are_markup: bool = False
    declares_language: bool = False
    comments: Callable[[str], Spans] | None = None
    #: Source code: a character changed in an identifier or a string literal changes the
    #: program, so a fix that is safe in prose (removing a zero-width space) is not safe here.
    is_code: bool = False


def _no_regions(text: str) -> Regions:
    return [], []


def _html_comments(text: str) -> Spans:
    """``<!-- ... -->`` comments.

    >>> _html_comments("a <!-- cleanup: off --> b")
    [(2, 23)]
    """
    if "<!--" not in text:
        return []
    return [match.span() for match in HTML_COMMENT.finditer(text)]


def _html_document_regions(text: str) -> Regions:
    return _html_regions(text, literal_elements=True)


def _xml_document_regions(text: str) -> Regions:
    return _html_regions(text, literal_elements=False)


#: Every syntax cleanup reads, by name. ``plain`` is the default for unknown suffixes.
SYNTAXES: dict[str, Syntax] = {syntax.name: syntax for syntax in (
    Syntax("plain", (), _no_regions),
    Syntax("markdown", (".md", ".markdown", ".mdx"), lambda text: _markdown_regions(text),
           entities_are_markup=True, declares_language=True, comments=_html_comments),
    Syntax("html", (".html", ".htm", ".xhtml"), _html_document_regions,
           entities_are_markup=True, declares_language=True, comments=_html_comments),
    Syntax("xml", (".xml", ".svg"), _xml_document_regions,
           entities_are_markup=True, declares_language=True, comments=_html_comments),
    Syntax("rst", (".rst",), lambda text: _rest_regions(text),
           comments=lambda text: _rest_comments(text)),
    # Program source: its string literals and comments are checked as plain text; fixes that
    # would change an identifier or a literal are unsafe (directives as in plain text).
    Syntax("code", (".py", ".pyi", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".java", ".kt",
                    ".kts", ".scala", ".groovy", ".go", ".rs", ".c", ".h", ".cc", ".cpp", ".cxx",
                    ".hpp", ".hh", ".cs", ".fs", ".swift", ".m", ".mm", ".rb", ".php", ".pl",
                    ".pm", ".lua", ".r", ".jl", ".dart", ".ex", ".exs", ".erl", ".hs", ".ml",
                    ".clj", ".sh", ".bash", ".zsh", ".ps1", ".sql", ".vue", ".svelte"),
           _no_regions, is_code=True),
)}

_BY_SUFFIX = {suffix: syntax for syntax in SYNTAXES.values() for suffix in syntax.suffixes}


def syntax_for_path(path: str | PurePath) -> Syntax:
    """The syntax a file is read as, from its suffix; ``plain`` when unknown."""
    return _BY_SUFFIX.get(PurePath(str(path)).suffix.lower(), SYNTAXES["plain"])


def get_syntax(name: str) -> Syntax:
    """The registered syntax ``name``; a `ValueError` naming the known ones otherwise."""
    try:
        return SYNTAXES[name]
    except KeyError:
        raise ValueError(f"unknown syntax {name!r} (one of: {', '.join(SYNTAXES)})") from None


def markup_regions(text: str, syntax: str) -> Regions:
    """The spans of ``text`` that are markup, not prose, and among them those that are code.

    Returns ``(masked, literal)``, both sorted and merged: findings in ``masked`` are not
    reported, and directives in ``literal`` (code that shows a directive) do not count.
    """
    return get_syntax(syntax).regions(text)


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


def line_text(text: str, starts: Sequence[int], line: int) -> str:
    end = starts[line + 1] if line + 1 < len(starts) else len(text)
    return text[starts[line]:end].rstrip("\r\n")


def overlaps(regions: Sequence[tuple[int, int]], start: int, end: int) -> bool:
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
    lines = [line_text(text, starts, number) for number in range(len(starts))]
    literal: list[tuple[int, int]] = []
    markup: list[tuple[int, int]] = []

    def block_end(first: int, parent_indent: int) -> int:
        return _rest_block_end(lines, first, parent_indent)

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


def _rest_block_end(lines: Sequence[str], first: int, parent_indent: int) -> int:
    """The line after the indented block that follows line ``first``."""
    line = first + 1
    while line < len(lines):
        if lines[line].strip() and _indent(lines[line]) <= parent_indent:
            break
        line += 1
    while line - 1 > first and not lines[line - 1].strip():
        line -= 1
    return line


def _rest_comments(text: str) -> Spans:
    """reST comments: explicit markup (``..``) that is no directive (``name::``), target
    (``.. _x:``), footnote, citation (``.. [1]``) or substitution (``.. |x|``), with the
    indented block below it.

    >>> text = ".. note:: Prose.\\n\\n.. cleanup: off\\n   still the comment\\n\\nProse.\\n"
    >>> [text[start:end] for start, end in _rest_comments(text)]
    ['.. cleanup: off\\n   still the comment\\n']
    """
    if ".." not in text:
        return []
    starts = line_starts(text)
    lines = [line_text(text, starts, number) for number in range(len(starts))]
    comments = []
    for number, line in enumerate(lines):
        explicit = REST_EXPLICIT.match(line)
        if explicit is None:
            continue
        rest = explicit["rest"] or ""
        if "::" in rest or rest.startswith(("_", "[", "|")):
            continue
        end = _rest_block_end(lines, number, _indent(line))
        comments.append((starts[number], starts[end] if end < len(starts) else len(text)))
    return comments
