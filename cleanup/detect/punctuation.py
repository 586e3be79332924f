"""Punctuation damage: unbalanced quotes and brackets, spaces before punctuation, doubled commas.

Machine translation and sentence splitting lose one quote of a pair (`in Gaza,” the newspaper
notes.` quotes nothing: its opening quote stayed in the source), put French spaces before `:`
and `?`, and leave `,,` where two segments were joined. Only the unambiguous repairs are
fixes: removing the space (CU404) and the second comma (CU405). A lost quote or bracket (CU401,
CU402, CU403) is only flagged: where it belonged is a guess. Guillemets and low quotes in
English text (CU406) have an unsafe fix to English quotes.

What is normal stays silent: apostrophes (`'90s`, `rock 'n' roll`, `Netanyahu’s`) are not
quotes, so a single `’` is only checked where it cannot be one (`ready,’ he said`); a quotation that runs over several paragraphs leaves
each but the last unclosed and opens the next with a quote; `...` and smileys (` :)`) keep their
space, and so do French text, code-like paragraphs, code spans and URLs. Quotes and brackets
balance within a paragraph (paragraphs are separated by blank lines).

>>> import cleanup
>>> text = "carried out in Gaza,” the newspaper notes . Then,, nothing."
>>> [(f.rule, f.start, f.text) for f in cleanup.check(text, select={"punctuation"})]
[('CU401', 20, '”'), ('CU404', 41, ' '), ('CU405', 48, ',,')]
>>> cleanup.fix(text).text
'carried out in Gaza,” the newspaper notes. Then, nothing.'
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from cleanup.detect import Context, make_finding, quote
from cleanup.findings import Finding

#: What each CU4xx rule looks at, one search each; clean text pays for these four searches.
_QUOTES_AND_BRACKETS = re.compile(r"[“”\"«»„()\[\]{}]")
#: Two characters, not `[ ]+[.]`: a pattern that starts with a run retries at every space.
_SPACE_BEFORE = re.compile(r"[ \t\u00a0\u202f\u2009][.,;:!?]")
_SPACES = " \t\u00a0\u202f\u2009"
_DOUBLED = re.compile(r",(?:[ \t]*,)+|;(?:[ \t]*;)+")  # `,,` and `, ,` (a segment lost)
_DOUBLED_HINTS = (",,", ";;", ", ,", "; ;")

#: A single closing quote that cannot be an apostrophe: after `,.!?` and before a space.
_SINGLE_CLOSER = re.compile(r"[,.!?]’(?=\s|$)")
#: A single opening quote: after a space or an opening mark, before a letter, and not the
#: misglyphed apostrophe of `‘em`, `‘n’`, `‘tis`, `‘cause`, `‘til`.
_SINGLE_OPENER = re.compile(
    r"(?:^|(?<=[\s(\[“\"—–]))‘(?!(?:em|n|tis|twas|cause|til)\b)(?=[^\W\d_])", re.MULTILINE
)

#: A blank line (a line with only spaces or tabs counts) separates paragraphs.
_PARAGRAPH_BREAK = re.compile(r"(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)")

#: Spans whose punctuation is syntax, not prose: code spans, URLs, and tags in markup files.
_CODE_SPAN = re.compile(
    r"``[^`\n]*``|`[^`\n]*`"  # a code span, reST's double-backquoted literal first
    r"|\"[^\s\"]\"|“[^\s”]”|'[^\s']'"  # one character in quotes: `"["`, `"a"`
    r"|^\.\. [^\n]*"  # a reST directive, comment or link target line
    r"|\\[\"()\[\]{}]"  # an escaped quote or bracket (`\]` in Markdown)
    # a URL, with the balanced parentheses of `wiki/Foo_(bar)` but not the `)` that ends a
    # Markdown link around it
    r"|\b(?:(?:https?|ftp)://|www\.)[^\s()<>\[\]\"]+(?:\([^\s()]*\)[^\s()<>\[\]\"]*)*",
    re.MULTILINE,
)

#: Signs that a paragraph is code or data rather than prose.
_CODE_LIKE = re.compile(
    r"```|\"\"\"|'''"  # a fenced code block, a Python docstring
    r"|[{}][ \t]*$|[)\]];[ \t]*$"  # a line ending in a brace or a statement: `f(x);`
    r"|==|!=|=>|&&|\|\||::"  # operators
    r"|\w\([rbfuRBFU]?[\"')]"  # a call: `f()`, `ValueError(f"...`
    r"|^[ \t]*(?:>>>|\$) "  # an interactive session or a shell prompt
    r"|^[ \t]*(?:def|class|import|return|function|var|let|const|#include)\b[^\n]*[=({:]",
    re.MULTILINE,
)

_OPENING_QUOTES = "“„«"
_CLOSING_QUOTES = "”»"
_QUOTES = "“”\"«»„"
_BRACKET_PAIRS = {")": "(", "]": "[", "}": "{"}
_OPENING_BRACKETS = "([{"

#: Characters after which a quote opens (besides whitespace) and before which one closes.
_BEFORE_OPENING = "([{—–-/" + _OPENING_QUOTES + "\""
_AFTER_CLOSING = ".,;:!?)]}—–…" + _CLOSING_QUOTES + "\""

#: A measurement before a double quote that means inches: `12"`, `5'10"`, `2.5"` (not `"re2"`).
_INCHES = re.compile(r"(?<![\w.])\d+(?:[.,/]\d+)?(?:['’]\d+)?$")

#: English quotes for the foreign styles of CU406, by role.
_ENGLISH_QUOTE = {"open": "“", "close": "”"}

#: Characters after which a space before punctuation is not a word's trailing space.
_NOT_BEFORE_SPACING = frozenset("([{“‘«„\"'-–—/.,;:!?…")

#: A list marker before an unmatched `)`: `1)`, `b)`, `iv)`.
_LIST_MARKER = re.compile(r"(?:^|(?<=\s))(?:\d{1,3}|[A-Za-z]|[ivxIVX]{1,4})$")

#: Emoticon eyes before a bracket (`:)`, `;-(`, `=]`); `8)` is too often `Windows 8)`.
_SMILEY_EYES = re.compile(r"[:;=]['-]?[()\[\]]*$")  # `:))` and `:((` too


@dataclass
class _Paragraph:
    """A paragraph: its extent, whether it is code, and the spans inside it that are syntax."""

    start: int
    end: int
    code_like: bool
    masked: list[tuple[int, int]]  # sorted and disjoint

    def is_masked(self, index: int) -> bool:
        position = bisect.bisect_right(self.masked, (index, 1 << 62)) - 1
        return position >= 0 and self.masked[position][0] <= index < self.masked[position][1]


@dataclass
class _Hits:
    """The candidates of one paragraph that need a closer look."""

    quotes: list[int] = field(default_factory=list)
    brackets: list[int] = field(default_factory=list)
    spacing: list[re.Match[str]] = field(default_factory=list)
    doubled: list[re.Match[str]] = field(default_factory=list)
    single_closers: list[int] = field(default_factory=list)


def _paragraph_bounds(text: str) -> list[int]:
    """Offsets where paragraphs start; a paragraph runs to the next start."""
    return [0] + [match.end() for match in _PARAGRAPH_BREAK.finditer(text)]


def _quote_role(text: str, index: int, start: int, end: int) -> str | None:
    """Whether the double quote at ``index`` opens or closes, from its neighbours and glyph.

    Context wins over the glyph where it is clear (`“text“` closes with a wrong glyph, German
    `„text“` closes with `“`); a straight quote after a digit is inches (`12"`), not a quote.

    >>> _quote_role('say "yes" now', 4, 0, 13), _quote_role('say "yes" now', 8, 0, 13)
    ('open', 'close')
    >>> _quote_role('a 12" pipe', 4, 0, 10) is None
    True
    """
    char = text[index]
    before = text[index - 1] if index > start else " "
    after = text[index + 1] if index + 1 < end else " "
    opens = before.isspace() or before in _BEFORE_OPENING
    closes = after.isspace() or after in _AFTER_CLOSING
    if char == '"':
        if before.isdigit() and _INCHES.search(text, max(start, index - 12), index):
            return None
        if opens and not closes:
            return "open"
        if closes and not opens:
            return "close"
        # `"--"`, `" "`: both sides fit either role; the quotes open so far decide.
        return "either" if opens and closes else None
    if before.isalnum() and after.isalpha():
        return None  # `Netanyahu”s`: an apostrophe of the wrong glyph, not a quote
    nominal = "open" if char in _OPENING_QUOTES else "close"
    if nominal == "open" and closes and not opens:
        return "close"
    if nominal == "close" and opens and not closes:
        return "open"
    if char == "”" and before.isdigit() and _INCHES.search(text, max(start, index - 12), index):
        return None  # 12” is inches
    return nominal


def find_punctuation(text: str, context: Context) -> Iterator[Finding]:
    """Flag CU401-CU406 in ``text``: balance per paragraph, spacing and doubling per hit.

    Most text has quotes and brackets, nearly all of them paired on one line: a check over
    their positions clears those, and only text that fails it is analysed paragraph by
    paragraph.

    >>> from cleanup.detect import Context
    >>> text = "The official said: “The envoy left."
    >>> [(f.rule, f.start) for f in find_punctuation(text, Context(text))]
    [('CU402', 19)]
    """
    quotes: list[int] = []
    brackets: list[int] = []
    for match in _QUOTES_AND_BRACKETS.finditer(text):
        (quotes if match.group() in _QUOTES else brackets).append(match.start())
    if quotes and _quotes_plainly_paired(text, quotes):
        quotes = []
    if brackets and _brackets_plainly_paired(text, brackets):
        brackets = []
    spacing = list(_SPACE_BEFORE.finditer(text))
    doubled = list(_DOUBLED.finditer(text)) if any(h in text for h in _DOUBLED_HINTS) else []
    singles = [m.end() - 1 for m in _SINGLE_CLOSER.finditer(text)] if "’" in text else []
    if not (quotes or brackets or spacing or doubled or singles):
        return
    bounds = _paragraph_bounds(text)
    hits: dict[int, _Hits] = defaultdict(_Hits)
    for index in quotes:
        hits[bisect.bisect_right(bounds, index) - 1].quotes.append(index)
    for index in brackets:
        hits[bisect.bisect_right(bounds, index) - 1].brackets.append(index)
    for match in spacing:
        hits[bisect.bisect_right(bounds, match.start()) - 1].spacing.append(match)
    for match in doubled:
        hits[bisect.bisect_right(bounds, match.start()) - 1].doubled.append(match)
    for index in singles:
        hits[bisect.bisect_right(bounds, index) - 1].single_closers.append(index)
    english: list[bool] = []

    def is_english() -> bool:
        if not english:
            english.append(_is_english(context))
        return english[0]

    for number in sorted(hits):
        found = hits[number]
        # In a long text one damaged paragraph sends all of them here: clear the plainly
        # paired ones again, paragraph by paragraph, before the costlier look at each.
        if found.quotes and _quotes_plainly_paired(text, found.quotes):
            found.quotes = []
        if found.brackets and _brackets_plainly_paired(text, found.brackets):
            found.brackets = []
        if not (found.quotes or found.brackets or found.spacing or found.doubled
                or found.single_closers):
            continue
        start = bounds[number]
        end = bounds[number + 1] if number + 1 < len(bounds) else len(text)
        paragraph = _paragraph(text, start, end, context.markup[0])
        if paragraph.code_like:
            continue
        # Characters lost in decoding (U+FFFD) may have been the missing quotes or brackets:
        # such a paragraph cannot be balanced.
        lost = text.find("\ufffd", start, end) >= 0
        paragraph_quotes = [] if lost else [i for i in found.quotes if not paragraph.is_masked(i)]
        if paragraph_quotes:
            continued = _next_paragraph_opens_quote(text, bounds, number)
            yield from _check_quotes(text, paragraph, paragraph_quotes, continued, is_english)
        if found.single_closers:
            yield from _check_single_closers(text, paragraph, found.single_closers)
        paragraph_brackets = [] if lost else [
            i for i in found.brackets if not paragraph.is_masked(i)]
        if paragraph_brackets:
            yield from _check_brackets(text, paragraph, paragraph_brackets)
        for match in found.doubled:
            finding = None if paragraph.is_masked(match.start()) else _doubled(text, match)
            if finding is not None:
                yield finding
        for match in found.spacing:
            if paragraph.is_masked(match.start()):
                continue
            finding = _space_before(text, match, paragraph)
            if finding is not None and _spacing_is_wrong(context, match.group()[-1]):
                yield finding


def _crosses_paragraph(text: str, start: int, end: int) -> bool:
    """Whether a blank line lies between ``start`` and ``end`` (cheap when no line break does)."""
    if text.find("\n", start, end) == -1 and text.find("\r", start, end) == -1:
        return False
    return _PARAGRAPH_BREAK.search(text, start, end) is not None


def _quotes_plainly_paired(text: str, positions: list[int]) -> bool:
    """Whether the double quotes alternate opening, closing, within paragraphs, so none is lost.

    >>> _quotes_plainly_paired("“a” and “b”", [0, 2, 8, 10])
    True
    >>> _quotes_plainly_paired("a,” b", [2])
    False
    """
    if len(positions) % 2:
        return False
    for number in range(0, len(positions), 2):
        opening, closing = positions[number], positions[number + 1]
        if text[opening] not in "“\"" or text[closing] not in "”\"":
            return False
        if text[opening] == '"' and text[opening + 1:opening + 2].isspace():
            return False
        if text[closing] == '"' and text[closing - 1].isspace():
            return False
        if _crosses_paragraph(text, opening, closing):
            return False
    return True


def _brackets_plainly_paired(text: str, positions: list[int]) -> bool:
    """Whether the brackets nest and pair within paragraphs, so none is lost.

    >>> _brackets_plainly_paired("(a [b]) c", [0, 3, 5, 6])
    True
    """
    stack: list[int] = []
    for index in positions:
        char = text[index]
        if char in _OPENING_BRACKETS:
            stack.append(index)
            continue
        if not stack or text[stack[-1]] != _BRACKET_PAIRS[char]:
            return False
        if _crosses_paragraph(text, stack.pop(), index):
            return False
    return not stack


def _paragraph(text: str, start: int, end: int, markup: list[tuple[int, int]]) -> _Paragraph:
    """The paragraph ``text[start:end]``; ``markup`` is the text's masked markup (sorted)."""
    masked = [m.span() for m in _CODE_SPAN.finditer(text, start, end)]
    first = bisect.bisect_right(markup, (start, len(text))) - 1
    for span in markup[max(first, 0):]:
        if span[0] >= end:
            break
        if span[1] > start:
            masked.append(span)
    merged: list[tuple[int, int]] = []
    for span in sorted(masked):
        if merged and span[0] <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], span[1]))
        else:
            merged.append(span)
    code_like = _CODE_LIKE.search(text, start, end) is not None or _is_indented_block(
        text[start:end])
    return _Paragraph(start, end, code_like, merged)


def _is_indented_block(paragraph: str) -> bool:
    """A paragraph whose every line is indented by four spaces or a tab: a code block.

    >>> _is_indented_block("    x = (1,\\n    2\\n"), _is_indented_block("Prose (open\\n")
    (True, False)
    """
    lines = [line for line in paragraph.splitlines() if line.strip()]
    return bool(lines) and all(line.startswith(("    ", "\t")) for line in lines)


def _is_english(context: Context) -> bool:
    """English text, where CU406 applies (German uses „“); an unknown language is not."""
    if context.script != "Latin":
        return False
    return context.language == "en"


def _spacing_is_wrong(context: Context, mark: str) -> bool:
    """Where CU404 applies: Latin-script text not known to be French.

    A configured language is trusted: only English gets CU404. A detected one may be None
    (unsure): no language puts a space before `.` or `,`, but French typography puts one
    before `;:!?`, so there a text of unknown language stays silent.
    """
    if context.script != "Latin":
        return False
    if context.config.language:
        return context.config.language == "en"
    return context.language != "fr" and (mark in ".," or context.language is not None)


def _next_paragraph_opens_quote(text: str, bounds: list[int], number: int) -> bool:
    """Whether the next paragraph starts with an opening quote (a quotation continuing)."""
    if number + 1 >= len(bounds):
        return False
    following = text[bounds[number + 1]:bounds[number + 1] + 20].lstrip()
    return bool(following) and following[0] in _OPENING_QUOTES + '"'


def _check_quotes(text: str, paragraph: _Paragraph, quotes: list[int],
                  continued: bool, is_english: Callable[[], bool]) -> Iterator[Finding]:
    """Pair double quotes in order; report closers without openers and openers left open."""
    open_quotes: list[int] = []
    for index in quotes:
        role = _quote_role(text, index, paragraph.start, paragraph.end)
        if role is None:
            continue
        if role == "either":
            role = "close" if open_quotes else "open"
        char = text[index]
        if char != '"' and char != _ENGLISH_QUOTE[role] and is_english():
            yield from _foreign_style(text, index, role)
        if role == "open":
            open_quotes.append(index)
        elif open_quotes:
            open_quotes.pop()
        else:
            yield make_finding(
                "CU401", text, index, index + 1,
                f"closing quote {quote(text[index])} in {_around(text, index)} has no opening "
                "quote in its paragraph: add the opening quote where the quotation starts",
                confidence=0.85,
            )
    if continued:
        return  # a quotation running on into the next paragraph opens it with a quote
    for index in open_quotes:
        yield make_finding(
            "CU402", text, index, index + 1,
            f"opening quote {quote(text[index])} in {_around(text, index)} is never closed "
            "in its paragraph: add the closing quote where the quotation ends",
            confidence=0.8,
        )


def _check_single_closers(text: str, paragraph: _Paragraph,
                          closers: list[int]) -> Iterator[Finding]:
    """CU401 for a single closing quote after punctuation (`ready,’ he said`) never opened.

    A `’` after a letter is an apostrophe as often as a quote (`officials’ plan`), so only
    the closers that cannot be apostrophes are checked, against the openers before them.
    """
    openers = [m.start() for m in _SINGLE_OPENER.finditer(text, paragraph.start, paragraph.end)]
    for closer in closers:
        if paragraph.is_masked(closer):
            continue
        before = [index for index in openers if index < closer]
        if before:
            openers.remove(before[-1])
            continue
        yield make_finding(
            "CU401", text, closer, closer + 1,
            f"closing quote {quote(text[closer])} in {_around(text, closer)} has no opening "
            "quote in its paragraph: add the opening quote where the quotation starts",
            confidence=0.7,
        )


def _foreign_style(text: str, index: int, role: str) -> Iterator[Finding]:
    """CU406: guillemets, low quotes and wrong-direction quotes in English text."""
    char = text[index]
    wanted = _ENGLISH_QUOTE[role]
    if char in ('"', wanted):
        return
    if char not in "«»„" and char not in "“”":
        return
    start, end = index, index + 1
    # `« oui »`: French spacing inside guillemets goes with them.
    if char in "«»":
        if role == "open" and end < len(text) and text[end] in " \u00a0\u202f\u2009":
            end += 1
        elif role == "close" and start > 0 and text[start - 1] in " \u00a0\u202f\u2009":
            start -= 1
    style = "guillemet" if char in "«»" else ("low quote" if char == "„" else
                                              "quote of the wrong direction")
    yield make_finding(
        "CU406", text, start, end,
        f"{style} {quote(text[start:end])} in English text: use {quote(wanted)}",
        replacement=wanted,
        confidence=0.9 if char in "«»„" else 0.7,
    )


def _check_brackets(text: str, paragraph: _Paragraph,
                    brackets: list[int]) -> Iterator[Finding]:
    """Pair brackets with a stack; list markers (`1)`) and smileys (`:)`) are not brackets."""
    stack: list[int] = []
    unbalanced: list[int] = []
    for index in brackets:
        char = text[index]
        line_start = max(paragraph.start, text.rfind("\n", 0, index) + 1)
        before = text[max(line_start, index - 6):index]
        quoted_mark = index >= 2 and _BRACKET_PAIRS.get(char) == text[index - 2]  # `(;)`
        if _SMILEY_EYES.search(before) and not quoted_mark:
            # `(great :))`: the last bracket of a smiley's run may close an open one.
            last_of_run = text[index + 1:index + 2] != char
            closes_open = char in _BRACKET_PAIRS and any(
                text[i] == _BRACKET_PAIRS[char] for i in stack)
            if not (last_of_run and closes_open and before[-1:] == char):
                continue
        if char in _OPENING_BRACKETS:
            after = text[index + 1:index + 3]
            if after[:1] in (":", ";") and (len(after) < 2 or after[1].isspace()):
                continue  # `(:` smiley
            stack.append(index)
            continue
        partner = _BRACKET_PAIRS[char]
        depth = next((d for d in range(len(stack) - 1, -1, -1) if text[stack[d]] == partner),
                     None)
        if depth is None:
            word = text[max(line_start, index - 8):index]
            if char == ")" and (_LIST_MARKER.search(word) or _eyeless_smiley(text, index)):
                continue
            unbalanced.append(index)
            continue
        unbalanced.extend(stack[depth + 1:])
        del stack[depth:]
    unbalanced.extend(stack)
    for index in sorted(unbalanced):
        char = text[index]
        side = "opening" if char in _OPENING_BRACKETS else "closing"
        partner = {"(": ")", "[": "]", "{": "}"}.get(char) or _BRACKET_PAIRS[char]
        yield make_finding(
            "CU403", text, index, index + 1,
            f"{side} bracket {quote(char)} in {_around(text, index)} has no {quote(partner)} "
            "in its paragraph: add the missing bracket or delete this one",
            confidence=0.75,
        )


def _eyeless_smiley(text: str, index: int) -> bool:
    """A `)` that ends a sentence right after a word, `!` or `?`: the smiley without eyes.

    Russian internet writing closes a cheerful sentence with `)` or `))`, and machine
    translation carries it over: `ask questions!)`, `tell us about your own)`. A closing
    bracket after a number or before more text (`Standing, 2011).`) is still a bracket.

    >>> _eyeless_smiley("ask me anything)", 15), _eyeless_smiley("Standing, 2011).", 14)
    (True, False)
    """
    run_end = index
    while run_end < len(text) and text[run_end] == ")":
        run_end += 1
    previous = text[index - 1:index]
    at_end = run_end == len(text) or text[run_end] in "\r\n" or (
        text[run_end].isspace() and text[run_end + 1:run_end + 2].isupper())
    return at_end and (previous.isalpha() or previous in "!?)")


def _space_before(text: str, match: re.Match[str], paragraph: _Paragraph) -> Finding | None:
    """CU404 on the whitespace of `Washington .`, unless the punctuation is not a sentence's."""
    end = match.end() - 1  # the whitespace run ends where the punctuation mark starts
    start = match.start()
    while start > paragraph.start and text[start - 1] in _SPACES:
        start -= 1
    if start == paragraph.start or text[start - 1] in "\r\n":
        return None  # indentation, a line that starts with punctuation
    before = text[start - 1]
    if before in _NOT_BEFORE_SPACING:
        return None  # `( .`, `: ,`, `— ?`: not a word's trailing space
    run = re.match(r"[.,;:!?]+", text[end:end + 8])
    assert run is not None
    marks = run.group()
    if marks.startswith(".."):
        return None  # an ellipsis keeps its space
    after_index = end + len(marks)
    after = text[after_index] if after_index < len(text) else " "
    if not (after.isspace() or after in "”’\"»"):
        return None  # `.mp3`, `:)`, `,5`: not sentence punctuation
    if marks[0] == ":":
        if before.isdigit() and text[after_index + 1:after_index + 2].isdigit():
            return None  # a score or ratio, `3 : 1`
        if end - start > 1 or "  :" in text[paragraph.start:paragraph.end]:
            return None  # `name     : value`, columns aligned on their colons
    shown = text[max(paragraph.start, start - 12):after_index]
    return make_finding(
        "CU404", text, start, end,
        f"space before {quote(marks[0])} in {quote(shown.lstrip())}: remove the space",
        replacement="",
        confidence=0.9,
    )


def _doubled(text: str, match: re.Match[str]) -> Finding | None:
    """CU405 on `,,`, `;;` or `, ,` after a word and before a space; `,,quote''` and CSV stay."""
    start, end = match.span()
    if start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "”’\"»)]"):
        return None
    if end < len(text) and not text[end].isspace():
        return None
    mark = text[start]
    return make_finding(
        "CU405", text, start, end,
        f"doubled {'comma' if mark == ',' else 'semicolon'} {quote(text[start:end])} in "
        f"{_around(text, start)}: keep one",
        replacement=mark,
        confidence=0.95,
    )


def _around(text: str, index: int, width: int = 16) -> str:
    """A short quoted excerpt of the line around ``index`` for messages.

    >>> _around("first line\\nthe ambassador to,, explain the decision", 28)
    '"…he ambassador to,, explain the d…"'
    """
    line_start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
    line_end = min((i for i in (text.find("\n", index), text.find("\r", index)) if i != -1),
                   default=len(text))
    start = max(line_start, index - width)
    end = min(line_end, index + width)
    excerpt = " ".join(text[start:end].split())
    return quote(("…" if start > line_start else "") + excerpt + ("…" if end < line_end else ""))
