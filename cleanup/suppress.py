"""Inline suppression and markup masking: which findings a document itself says to leave alone.

Three things silence a finding after the detectors ran:

* a directive written in a comment of the document's syntax: ``<!-- -->`` in Markdown, HTML
  and XML, ``.. `` in reST (`cleanup.markup.Syntax.comments`). Plain text has no comments,
  so there a directive counts only on a comment-like line: alone on its line (``cleanup:
  off``, ``# cleanup: off``, ``<!-- cleanup: off -->``), or at the very end of a line after
  a comment opener that follows a space (``x = 1  # cleanup: ignore``, ``// ...``, ``-- ...``,
  ``; ...``, ``% ...``, ``/* ... */``). The same words in a string literal or in prose
  (``print("cleanup: off")``, "write cleanup: off to stop") are text, not a directive:


  - ``cleanup: ignore`` silences its line; ``cleanup: ignore[CU201,CU101]`` only those codes
    (kinds and code prefixes such as ``mojibake`` or ``CU1`` work too). A directive alone on
    its line (a reST comment always is) also silences the next non-blank line.
  - ``cleanup: off`` ... ``cleanup: on`` silences every line from one to the other (the end
    of the document when ``on`` never comes); ``cleanup: off[CU404]`` only those codes.
  - Bidi controls (CU504, Trojan Source) are silenced only by a directive that names CU504
    itself: a line that reorders code is never hidden by a general ``off`` or ``ignore``.

* markup that is not prose: in Markdown and reST, code (fenced, indented and inline), URLs and
  link targets, HTML tags and comments; in HTML and XML, tags, comments and the content of
  ``<script>``, ``<style>``, ``<pre>`` and ``<code>``. A page about mojibake that shows ``â€œ``
  in code is not damaged. Control and bidi characters and undecodable bytes stay reported
  even there: they are damage in code too (Trojan Source hides in code).

* a declared language: in HTML, XML and Markdown, a foreign fragment inside an element whose
  ``lang``/``xml:lang`` says it is in that language is there on purpose.

What is markup in each syntax is `cleanup.markup`'s business; single HTML entities in markup
syntaxes are the mojibake detector's. The engine passes the regions it computed once per text
(`Context.markup`), so nothing here parses markup twice.

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
from cleanup.markup import Regions, declared_languages, get_syntax, markup_regions
from cleanup.markup import line_text as _line_text
from cleanup.markup import overlaps as _overlaps

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

#: Line-comment openers of the languages plain text most often is: shell, Python, YAML and
#: TOML (``#``), C-like (``//``, ``/*``), SQL and Lua (``--``), INI and Lisp (``;``), TeX
#: (``%``), HTML (``<!--``); ``..`` (reST) only at the start of a line.
COMMENT_OPENERS = ("<!--", "/*", "//", "--", "#", ";", "%")

#: What may follow a directive on a comment-like line of plain text: a comment closer.
PLAIN_DIRECTIVE_END = re.compile(r"[ \t]*(?:\*/|-->)?[ \t]*")

#: Rules that only a directive naming them silences (not ``ALL``, a kind or a prefix).
NAMED_ONLY = frozenset({"CU504"})

@dataclass(frozen=True)
class Directive:
    """One ``cleanup:`` directive: its 0-based line, action, codes (None: all) and whether it
    stands alone on its line."""

    line: int
    action: str
    codes: frozenset[str] | None
    alone: bool


def filter_findings(text: str, findings: list[Finding], syntax: str,
                    regions: Regions | None = None,
                    declared: list[tuple[int, int, str]] | None = None) -> list[Finding]:
    """``findings`` without those the document silences or that lie in masked markup.

    ``regions`` and ``declared`` are the text's markup regions and declared languages when
    the caller has them already (`Context.markup`, `Context.declared_languages`).

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
    masked, literal = regions if regions is not None else markup_regions(text, syntax)
    if declared is None:
        declared = declared_languages(text) if get_syntax(syntax).declares_language else []
    if not has_directive and not masked and not declared:
        return findings
    starts = line_starts(text)
    directives = find_directives(text, starts, literal, syntax) if has_directive else []
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
    text: str, starts: Sequence[int] | None = None, skip: Sequence[tuple[int, int]] = (),
    syntax: str = "plain",
) -> list[Directive]:
    """Every ``cleanup:`` directive in a comment of ``text`` (a comment-like line in plain
    text), except those inside the ``skip`` regions.

    >>> [(d.line, d.action, sorted(d.codes or ()), d.alone)
    ...  for d in find_directives("a\\n<!-- cleanup: ignore[CU101, cu2] -->\\nb", syntax="html")]
    [(1, 'ignore', ['CU101', 'CU2'], True)]
    >>> find_directives('print("cleanup: off")'), len(find_directives("x  # cleanup: off"))
    ([], 1)
    """
    if DIRECTIVE_MARKER not in text:
        return []
    starts = line_starts(text) if starts is None else starts
    comments_of = get_syntax(syntax).comments
    comments = comments_of(text) if comments_of is not None else None
    directives = []
    for match in DIRECTIVE.finditer(text):
        if _overlaps(skip, match.start(), match.end()):
            continue
        line = bisect.bisect_right(starts, match.start()) - 1
        if comments is None:
            if not _on_comment_like_line(text, starts[line], match.start(), match.end()):
                continue
        elif not _inside(comments, match.start(), match.end()):
            continue
        codes = None
        if match["codes"] is not None:
            codes = frozenset(_normalize_selector(c) for c in match["codes"].split(",")
                              if c.strip())
        line_text = _line_text(text, starts, line)
        rest = line_text.replace(match[0], "", 1)
        alone = not COMMENT_PUNCTUATION.sub("", rest)
        directives.append(Directive(line, match["action"], codes, alone))
    return directives


def _on_comment_like_line(text: str, line_start: int, start: int, end: int) -> bool:
    """Whether the directive at ``start:end`` of plain text stands where a comment would:
    nothing after it on its line but a comment closer, and before it nothing, a comment
    opener, or code and then a space and a comment opener.

    >>> line = "x = 1  # cleanup: ignore"
    >>> _on_comment_like_line(line, 0, 9, len(line))
    True
    >>> line = 'print("# cleanup: ignore")'
    >>> _on_comment_like_line(line, 0, 9, len(line) - 2)
    False
    """
    line_end = text.find("\n", end)
    after = text[end:len(text) if line_end < 0 else line_end].rstrip("\r")
    if PLAIN_DIRECTIVE_END.fullmatch(after) is None:
        return False
    before = text[line_start:start].rstrip(" \t")
    if not before or before.lstrip(" \t") == "..":
        return True
    for opener in COMMENT_OPENERS:
        if before.endswith(opener):
            head = before[:-len(opener)]
            if len(opener) == 1:  # ``##``, ``;;``, ``%%``
                head = head.rstrip(opener)
            return not head.strip() or head[-1] in " \t"
    return False


def _inside(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies within one of the sorted ``spans``."""
    index = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= start and end <= spans[index][1]


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
    if finding.rule in NAMED_ONLY:
        return codes is not None and finding.rule in codes
    if codes is None:
        return True
    return any(code == finding.kind or code == "ALL" or finding.rule.startswith(code)
               for code in codes)


# --- markup -----------------------------------------------------------------------------------

