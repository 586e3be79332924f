"""Punctuation damage: unbalanced quotes and brackets, spaces before punctuation, doubled commas.

Machine translation and sentence splitting lose one quote of a pair (`in Gaza,” the newspaper
notes.` quotes nothing: its opening quote stayed in the source), put spaces before `.` and `,`,
and leave `,,` where two segments were joined. Only the unambiguous repairs are fixes: removing
the space (CU404) and the second comma (CU405). A lost quote or bracket (CU401, CU402, CU403) is
only flagged: where it belonged is a guess. Quotation marks of another language's style (CU406)
have an unsafe fix to the document language's own.

Typography is the document language's, from a table (``cleanup/data/typography.toml``, described
in docs/punctuation.md): German closes `„…“` with `“`, Swedish writes `”…”`, Russian `«…»`,
French puts a space before `; : ! ?` and inside `« … »`. Where the language is unknown
(`Context.language` is None) or not in the table, what depends on it reports nothing: CU406
is silent and CU404 only reports the spaces no language of the table writes (before `.` and
`,`); balance (CU401-CU403) holds in every language.

What is normal stays silent: apostrophes (`'90s`, `rock 'n' roll`, `Netanyahu’s`) are not
quotes, so a single `’` is only checked where it cannot be one (`ready,’ he said`); a quotation
that runs over several paragraphs leaves each but the last unclosed and opens the next with a
quote; `...` and smileys (` :)`) keep their space; list markers (`2)`, `b)`, `क)`), half-open
intervals (`[0, 1)`), wiki links and templates (`[[`, `{{…}}`), code-like paragraphs, code
spans and URLs are not prose. Quotes and brackets balance within a paragraph (paragraphs are
separated by blank lines).

Every path is linear in the text: one pass of compiled regexes over the whole text, then work
proportional to the marks found, each looked at a bounded number of times.

>>> import cleanup
>>> text = "carried out in Gaza,” the newspaper notes . Then,, nothing."
>>> en = cleanup.Config(language="en")
>>> [(f.rule, f.start, f.text) for f in cleanup.check(text, select={"punctuation"}, config=en)]
[('CU401', 20, '”'), ('CU404', 41, ' '), ('CU405', 48, ',,')]
>>> cleanup.fix(text, config=en).text
'carried out in Gaza,” the newspaper notes. Then, nothing.'
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from cleanup.detect import Context, make_finding, quote
from cleanup.findings import Finding

# --- the typography table ----------------------------------------------------------------------


@dataclass(frozen=True)
class Typography:
    """One language's quotation marks and spacing, as ``typography.toml`` states them.

    >>> de = typography("de")
    >>> de.quotes[0], de.roles["„"], de.roles["“"], de.space_before
    ('„“', 'open', 'both', '')
    >>> typography("fr").space_before, typography(None) is None
    (';:!?', True)
    """

    codes: tuple[str, ...]
    quotes: tuple[str, ...]  # each pair as opening + closing mark, the preferred first
    space_before: str
    quote_space: str = ""
    #: mark -> "open", "close" or "both" (opens in one pair, closes in another).
    roles: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        for pair in self.quotes:
            for mark, role in zip(pair, ("open", "close"), strict=True):
                known = self.roles.get(mark)
                self.roles[mark] = role if known in (None, role) else "both"

    def preferred(self, role: str) -> str:
        """The language's first choice of mark for ``role`` (open or close)."""
        return self.quotes[0][0 if role == "open" else 1]


@cache
def _typography_table() -> dict[str, Typography]:
    data = resources.files("cleanup") / "data" / "typography.toml"
    table: dict[str, Typography] = {}
    for entry in tomllib.loads(data.read_text(encoding="utf-8"))["language"]:
        row = Typography(tuple(entry["codes"]), tuple(entry["quotes"]), entry["space-before"],
                         entry.get("quote-space", ""))
        for code in row.codes:
            table[code] = row
    return table


def typography(language: str | None) -> Typography | None:
    """The typography of ``language`` (a code, region subtags ignored); None when unknown."""
    if not language:
        return None
    return _typography_table().get(language.replace("_", "-").split("-")[0].lower())


@cache
def _spaced_somewhere() -> str:
    """The marks some language of the table puts a space before (`;:!?` in French): where the
    language is unknown, whitespace before the others (`.` and `,`) is still wrong."""
    return "".join(sorted({mark for row in _typography_table().values()
                           for mark in row.space_before}))


@cache
def typography_of_script(script: str) -> Typography | None:
    """What the languages of the table written in ``script`` agree on: every quotation mark
    any of them uses, and a space before a mark wherever one of them puts it.

    >>> latin = typography_of_script("Latin")
    >>> latin.space_before, "«" in latin.roles, typography_of_script("Thai") is None
    (';:!?', True, True)
    """
    from cleanup.language import scripts_of_language

    rows = [row for row in dict.fromkeys(_typography_table().values())
            if any(script in scripts_of_language(code) for code in row.codes)]
    if not rows:
        return None
    quotes = tuple(dict.fromkeys(pair for row in rows for pair in row.quotes))
    space_before = "".join(sorted({mark for row in rows for mark in row.space_before},
                                  key=".,;:!?".index))
    return Typography(tuple(code for row in rows for code in row.codes), quotes, space_before)


# --- character classes and patterns --------------------------------------------------------------

#: Double quotation marks, CJK corner quotes, and brackets (ASCII, full-width and CJK).
_MARKS = re.compile(r"[\"“”„«»「」『』()\[\]{}（）［］｛｝【】〔〕《》〈〉]")
_QUOTES = frozenset("\"“”„«»「」『』")
#: bracket -> (its pair's number, opens): full-width `（` pairs with `)` and `）` alike.
_BRACKETS: dict[str, tuple[int, bool]] = {
    mark: (number, side == 0)
    for number, pair in enumerate(("()", "[]", "{}", "（）", "［］", "｛｝", "【】", "〔〕", "《》",
                                   "〈〉"))
    for side, mark in enumerate(pair)
}
_BRACKETS.update({"（": (0, True), "）": (0, False), "［": (1, True), "］": (1, False),
                  "｛": (2, True), "｝": (2, False)})
_PARTNER = {"(": ")", "[": "]", "{": "}", "（": "）", "［": "］", "｛": "｝", "【": "】",
            "〔": "〕", "《": "》", "〈": "〉", ")": "(", "]": "[", "}": "{", "）": "（",
            "］": "［", "｝": "｛", "】": "【", "〕": "〔", "》": "《", "〉": "〈"}
#: Where the mark alone says its role, whatever the language: CJK corner quotes, the low `„`.
_FIXED_ROLES = {"„": "open", "「": "open", "『": "open", "」": "close", "』": "close"}
#: The glyph's usual role where neither the language nor the neighbours decide it.
_NOMINAL_ROLES = {"“": "open", "«": "open", "”": "close", "»": "close", **_FIXED_ROLES}

#: `,,` typed for the low opening quote `„` (Romanian, Polish, Russian keyboards without it).
_LOW_COMMAS = re.compile(r"(?:^|(?<=[\s(\[—–-])),,(?=[^\W\d_])", re.MULTILINE)

#: Two characters, not `[ ]+[.]`: a pattern that starts with a run retries at every space.
_SPACE_BEFORE = re.compile(r"[ \t\u00a0\u202f\u2009][.,;:!?]")
#: `_SPACE_BEFORE` found from its punctuation, which prose has fewer of than spaces: whether
#: the text has any, before looking for each from its space.
_SPACE_BEFORE_HINT = re.compile(r"[.,;:!?](?<=[ \t\u00a0\u202f\u2009][.,;:!?])")
_SPACES = " \t\u00a0\u202f\u2009"
_PUNCTUATION_RUN = re.compile(r"[.,;:!?]+")
_DOUBLED = re.compile(r",(?:[ \t]*,)+|;(?:[ \t]*;)+")  # `,,` and `, ,` (a segment lost)

#: A single closing quote that cannot be an apostrophe: after `,.!?` and before a space.
_SINGLE_CLOSER = re.compile(r"[,.!?]’(?=\s|$)")
#: A single opening quote: after a space or an opening mark, before a letter, and not the
#: misglyphed apostrophe of `‘em`, `‘n’`, `‘tis`, `‘cause`, `‘til`. Which marks open single
#: quotes closed by `’` is the language's (`‘` in English, `’` in Swedish, `‚` in Polish).
_SINGLE_OPENER = r"(?:^|(?<=[\s(\[“\"—–«„]))[{marks}](?!(?:em|n|tis|twas|cause|til)\b)(?=[^\W\d_])"

#: A blank line (a line with only spaces or tabs counts) separates paragraphs.
_PARAGRAPH_BREAK = re.compile(r"(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)")

#: Spans whose punctuation is syntax, not prose. Each alternative looks behind for its first
#: character after one class has matched it: a pattern that begins with one character class
#: lets `re` skip to candidate characters, where alternatives that begin otherwise (`\b`, `^`)
#: make it try all of them at every position, four times slower on prose.
_NOT_PROSE = re.compile(
    r"[`\"“'.\\hfw{}\[\]()]"
    r"(?:(?<=`)`[^`\n]*``|(?<=`)[^`\n]*`"  # a code span, reST's double-backquoted literal first
    r"|(?<=\")[^\s\"]\"|(?<=“)[^\s”]”|(?<=')[^\s']'"  # one character in quotes: `"["`, `"a"`
    r"|(?<=^\.)\. [^\n]*"  # a reST directive, comment or link target line
    r"|(?<=\\)[\"()\[\]{}]"  # an escaped quote or bracket (`\]` in Markdown)
    # a URL (at a word's start), with the balanced parentheses of `wiki/Foo_(bar)` but not
    # the `)` that ends a Markdown link around it
    r"|(?<!\w.)(?:(?<=h)ttps?://|(?<=f)tp://|(?<=w)ww\.)"
    r"[^\s()<>\[\]\"]+(?:\([^\s()]*\)[^\s()<>\[\]\"]*)*"
    # wiki and template markup: a whole template or tag on one line, and the doubled brackets
    # that open and close links and templates even where extraction cut their other half
    r"|(?<=\{)\{[^{}\n]*\}\}|(?<=\{)%[^\n]*?%\}"
    r"|(?<![\[\]{}].)(?:(?<=\[)\[|(?<=\])\]|(?<=\{)\{|(?<=\})\})(?![\[\]{}])"
    # a half-open or closed interval of numbers or variables: `[0, 1)`, `(-∞, x]`
    r"|(?<=[\[(])[ \t]*[-+−]?(?:\d+(?:[.,]\d+)?|∞|[A-Za-z]\w?)[ \t]*[,;][ \t]*"
    r"[-+−]?(?:\d+(?:[.,]\d+)?|∞|[A-Za-z]\w?)[ \t]*[\])])",
    re.MULTILINE,
)

#: The doubled brackets of wiki links and of templates, exactly two (a run of `[` is no link).
_WIKI_LINK = re.compile(r"(?<![\[\]])(?:\[\[|\]\])(?![\[\]])")
_WIKI_TEMPLATE = re.compile(r"(?<![{}])(?:\{\{|\}\})(?![{}])")

#: Signs that a paragraph is code or data rather than prose, begun with one character class
#: as `_NOT_PROSE` is (a call's `\w(` is found at its parenthesis, so a paragraph's first
#: character must be no word character, as one after a paragraph break is not).
_CODE_LIKE = re.compile(
    r"[`\"'{}()\]=!&|:]"
    r"(?:(?<=`)``|(?<=\")\"\"|(?<=')''"  # a fenced code block, a Python docstring
    r"|(?<=[{}])[ \t]*$|(?<=[)\]]);[ \t]*$"  # a line ending in a brace or a statement: `f(x);`
    r"|(?<==)[=>]|(?<=!)=|(?<=&)&|(?<=\|)\||(?<=:):"  # operators: == => != && || ::
    r"|(?<=\w\()[rbfuRBFU]?[\"')])",  # a call: `f()`, `ValueError(f"...`
    re.MULTILINE,
)
#: A line of code: an interactive session or a shell prompt, a definition or a statement.
_CODE_LINE = (r"[ \t]*(?:>>>|\$) "
              r"|[ \t]*(?:def|class|import|return|function|var|let|const|#include)\b[^\n]*[=({:]")
#: `_CODE_LINE` at a line's start after the first: found from its newline, a literal.
_CODE_LINE_AFTER_NEWLINE = re.compile(rf"\n(?:{_CODE_LINE})")
_CODE_LINE_AT_START = re.compile(_CODE_LINE)


def _is_code_like(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` (a paragraph: ``start`` is a line's) has a sign of code.

    >>> _is_code_like("x = f(1);\\n", 0, 10), _is_code_like("He said (twice).", 0, 16)
    (True, False)
    """
    return (_CODE_LIKE.search(text, start, end) is not None
            or _CODE_LINE_AFTER_NEWLINE.search(text, start, end) is not None
            or ((start == 0 or text[start - 1] == "\n")
                and _CODE_LINE_AT_START.match(text, start, end) is not None))


#: Characters after which a quote opens (besides whitespace) and before which one closes.
_BEFORE_OPENING = frozenset("([{—–-/“„«「『\"（［【《〈：")
_AFTER_CLOSING = frozenset(".,;:!?)]}—–…”»」』\"）］】》〉，。：；！？、")
#: Invisible format characters a neighbour is looked for behind (`‍"ජේම්ස්ටවුන්"`).
_FORMAT = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")

#: A measurement before a double quote that means inches: `12"`, `5'10"`, `2.5"` (not `"re2"`).
_INCHES = re.compile(r"(?<![\w.])\d+(?:[.,/]\d+)?(?:['’]\d+)?$")

#: Characters after which a space before punctuation is not a word's trailing space.
_NOT_BEFORE_SPACING = frozenset("([{“‘«„\"'-–—/.,;:!?…")

#: A list marker before an unmatched `)`: `1)`, `2.1)`, `b)`, `iv)`, `क)` (one letter of any
#: script), after the start of a line or a space.
_LIST_MARKER = re.compile(r"(?:^|(?<=\s))(?:\d{1,3}(?:\.\d{1,3})*|[^\W\d_][\u0900-\u0dff]?"
                          r"|[ivxIVX]{1,4})$", re.MULTILINE)

#: Emoticon eyes before a run of brackets (`:)`, `;-(`, `=]`, `:))`); `8)` is too often
#: `Windows 8)`.
_SMILEY_EYES = re.compile(r"[:;=]['-]?$")
_BRACKET_RUN = re.compile(r"[()\[\]{}（）［］｛｝【】〔〕《》〈〉]+")
_SAME_RUN = {mark: re.compile(re.escape(mark) + "+") for mark in "()[]{}（）［］｛｝【】〔〕《》〈〉"}


@dataclass
class _Paragraph:
    """A paragraph: its extent, whether it is code, and the spans inside it that are syntax."""

    start: int
    end: int
    code_like: bool
    masked: list[tuple[int, int]]  # sorted and disjoint
    _aligned: bool | None = None
    _wiki: dict[bool, bool] = field(default_factory=dict)

    def prose(self, positions: list[int]) -> list[int]:
        """The positions (sorted) that are not masked, in one walk over both lists."""
        if not self.masked:
            return positions
        kept = []
        spans = iter(self.masked)
        span = next(spans, None)
        for index in positions:
            while span is not None and span[1] <= index:
                span = next(spans, None)
            if span is None or index < span[0]:
                kept.append(index)
        return kept

    def is_masked(self, index: int) -> bool:
        position = bisect.bisect_right(self.masked, (index, 1 << 62)) - 1
        return position >= 0 and self.masked[position][0] <= index < self.masked[position][1]

    def has_wiki_markup(self, text: str, bracket: str) -> bool:
        """Whether wiki links (`[[…]]`) or templates (`{{…}}`) are in the paragraph: then its
        square brackets or braces are what is left of markup, not prose (`[[Alfred Dreyfus,`
        where extraction cut the link, `[[罗湖]` where translation mangled it)."""
        square = bracket in "[]"
        if square not in self._wiki:
            pattern = _WIKI_LINK if square else _WIKI_TEMPLATE
            self._wiki[square] = pattern.search(text, self.start, self.end) is not None
        return self._wiki[square]

    def aligned_colons(self, text: str) -> bool:
        """Whether the paragraph aligns columns on colons (`name     : value`)."""
        if self._aligned is None:
            self._aligned = text.find("  :", self.start, self.end) >= 0
        return self._aligned


class _Paragraphs:
    """The paragraphs of a text, found once and looked at lazily, each at most once."""

    def __init__(self, text: str, markup: list[tuple[int, int]]) -> None:
        self.text = text
        self.markup = markup
        has_break = "\n" in text or "\r" in text
        self.bounds = [0] + ([m.end() for m in _PARAGRAPH_BREAK.finditer(text)]
                             if has_break else [])
        self._built: dict[int, _Paragraph] = {}

    def group(self, positions: list[int]) -> dict[int, list[int]]:
        """Sorted positions grouped by paragraph number."""
        if len(self.bounds) == 1:
            return {0: positions} if positions else {}
        groups: dict[int, list[int]] = defaultdict(list)
        for index in positions:
            groups[self.number(index)].append(index)
        return groups

    def number(self, index: int) -> int:
        return bisect.bisect_right(self.bounds, index) - 1

    def extent(self, number: int) -> tuple[int, int]:
        end = self.bounds[number + 1] if number + 1 < len(self.bounds) else len(self.text)
        return self.bounds[number], end

    def get(self, number: int) -> _Paragraph:
        paragraph = self._built.get(number)
        if paragraph is None:
            paragraph = self._built[number] = _paragraph(self.text, *self.extent(number),
                                                         self.markup)
        return paragraph

    def next_opens_quote(self, number: int) -> bool:
        """Whether the next paragraph starts with an opening quote (a quotation continuing)."""
        if number + 1 >= len(self.bounds):
            return False
        start = self.bounds[number + 1]
        following = self.text[start:start + 20].lstrip()
        return bool(following) and (following[0] in "“„«\"‘‚»”「『" or following[:2] == ",,")


def find_punctuation(text: str, context: Context) -> Iterator[Finding]:
    """Flag CU401-CU406 in ``text``: balance per paragraph, spacing and doubling per hit.

    Most text has quotes and brackets, nearly all of them paired on one line: a check over
    their positions clears those, and only the paragraphs that fail it are looked at closely.

    >>> from cleanup.detect import Context
    >>> text = "The official said: “The envoy left."
    >>> [(f.rule, f.start) for f in find_punctuation(text, Context(text))]
    [('CU402', 19)]
    """
    quotes: list[int] = []
    brackets: list[int] = []
    for match in _MARKS.finditer(text):
        (quotes if match.group() in _QUOTES else brackets).append(match.start())
    low_commas = ([m.start() for m in _LOW_COMMAS.finditer(text)] if ",," in text else [])
    if low_commas:
        quotes = sorted(quotes + low_commas)
    spacing = list(_SPACE_BEFORE.finditer(text)) if _SPACE_BEFORE_HINT.search(text) else []
    doubled = (list(_DOUBLED.finditer(text))
               if ",," in text or ";;" in text or ", ," in text or "; ;" in text else [])
    singles = [m.end() - 1 for m in _SINGLE_CLOSER.finditer(text)] if "’" in text else []
    if not (quotes or brackets or spacing or doubled or singles):
        return
    paragraphs = _Paragraphs(text, context.markup[0])
    glyphs = _Glyphs(text, frozenset(low_commas))
    if quotes and _quotes_plainly_paired(glyphs, paragraphs, quotes):
        quotes = []
    if brackets and _brackets_plainly_paired(text, paragraphs, brackets):
        brackets = []
    if not (quotes or brackets or spacing or doubled or singles):
        return
    language = _LanguageTypography(context, paragraphs)
    hits: dict[int, dict[str, list[int]]] = defaultdict(dict)
    for name, positions in (("quotes", quotes), ("brackets", brackets), ("singles", singles)):
        for number, members in paragraphs.group(positions).items():
            hits[number][name] = members
    found: list[Finding] = []
    for number in sorted(hits):
        paragraph = paragraphs.get(number)
        if paragraph.code_like:
            continue
        # Characters lost in decoding (U+FFFD) may have been the missing quotes or brackets:
        # such a paragraph cannot be balanced.
        lost = text.find("\ufffd", paragraph.start, paragraph.end) >= 0
        marks = hits[number]
        # In a long text one damaged paragraph sends all of them here: clear the plainly
        # paired ones again, paragraph by paragraph, before the closer look at each.
        paragraph_quotes = marks.get("quotes", [])
        if lost or paragraph_quotes is not quotes and _quotes_plainly_paired(
                glyphs, paragraphs, paragraph_quotes):
            paragraph_quotes = []
        paragraph_quotes = paragraph.prose(paragraph_quotes)
        if paragraph_quotes:
            found.extend(_check_quotes(glyphs, paragraph, paragraph_quotes,
                                       paragraphs.next_opens_quote(number), language))
        if marks.get("singles"):
            found.extend(_check_single_closers(text, paragraph, marks["singles"], language))
        paragraph_brackets = marks.get("brackets", [])
        if lost or paragraph_brackets is not brackets and _brackets_plainly_paired(
                text, paragraphs, paragraph_brackets):
            paragraph_brackets = []
        paragraph_brackets = paragraph.prose(paragraph_brackets)
        if paragraph_brackets and (paragraph.has_wiki_markup(text, "[")
                                   or paragraph.has_wiki_markup(text, "{")):
            paragraph_brackets = [i for i in paragraph_brackets if not (
                text[i] in "[]{}" and paragraph.has_wiki_markup(text, text[i]))]
        if paragraph_brackets:
            found.extend(_check_brackets(text, paragraph, paragraph_brackets))
    for match in doubled:
        paragraph = paragraphs.get(paragraphs.number(match.start()))
        if not paragraph.code_like and not paragraph.is_masked(match.start()):
            finding = _doubled(text, match)
            if finding is not None:
                found.append(finding)
    for match in spacing:
        paragraph = paragraphs.get(paragraphs.number(match.start()))
        if paragraph.code_like or paragraph.is_masked(match.start()):
            continue
        rules = language.of(paragraph)
        spaced = rules.space_before if rules is not None else _spaced_somewhere()
        if match.group()[-1] not in spaced:
            finding = _space_before(text, match, paragraph)
            if finding is not None:
                found.append(finding)
    yield from sorted(found, key=lambda f: (f.start, f.end, f.rule))


class _LanguageTypography:
    """The typography that applies to each paragraph, looked up only when a rule needs it:
    finding the language may run a model, which text without candidates never pays for.

    A paragraph written in a script its document's language does not use (English prose left
    in a Russian page, a Russian paragraph in a page of English code) gets what every language
    of the table written in that script agrees on (`typography_of_script`), not the document
    language's rules.
    """

    def __init__(self, context: Context, paragraphs: _Paragraphs) -> None:
        self.context = context
        self.paragraphs = paragraphs
        self._language: str | None | bool = False
        self._by_paragraph: dict[int, Typography | None] = {}

    def of(self, paragraph: _Paragraph) -> Typography | None:
        if self._language is False:
            self._language = self.context.language
        language = self._language
        assert not isinstance(language, bool)
        rules = typography(language)
        if rules is None or language is None:
            return None  # the language is unknown: its typography is too
        number = self.paragraphs.number(paragraph.start)
        if number not in self._by_paragraph:
            from cleanup.language import dominant_script, scripts_of_language

            script = (self.context.script if len(self.paragraphs.bounds) == 1
                      else dominant_script(self.context.text[paragraph.start:paragraph.end]))
            if script not in scripts_of_language(language):
                rules = typography_of_script(script)
            self._by_paragraph[number] = rules
        return self._by_paragraph[number]


class _Glyphs:
    """The text's quotation marks, with `,,` standing for the low quote `„` it replaces."""

    def __init__(self, text: str, low_commas: frozenset[int]) -> None:
        self.text = text
        self.low_commas = low_commas

    def mark(self, index: int) -> str:
        return "„" if index in self.low_commas else self.text[index]

    def width(self, index: int) -> int:
        return 2 if index in self.low_commas else 1


def _quotes_plainly_paired(glyphs: _Glyphs, paragraphs: _Paragraphs,
                           positions: list[int]) -> bool:
    """Whether the double quotes alternate `“` or `"` opening and `”` or `"` closing, within
    paragraphs, so that none is lost and none is of a foreign style.

    >>> text = "“a” and “b”"
    >>> _quotes_plainly_paired(_Glyphs(text, frozenset()), _Paragraphs(text, []), [0, 2, 8, 10])
    True
    >>> text = "a,” b"
    >>> _quotes_plainly_paired(_Glyphs(text, frozenset()), _Paragraphs(text, []), [2])
    False
    """
    if len(positions) % 2:
        return False
    text = glyphs.text
    single = len(paragraphs.bounds) == 1
    for number in range(0, len(positions), 2):
        opening, closing = positions[number], positions[number + 1]
        if glyphs.mark(opening) not in "“\"" or glyphs.mark(closing) not in "”\"":
            return False
        if text[opening] == '"' and text[opening + 1:opening + 2].isspace():
            return False
        if text[closing] == '"' and text[closing - 1].isspace():
            return False
        if not single and paragraphs.number(opening) != paragraphs.number(closing):
            return False
    return True


def _brackets_plainly_paired(text: str, paragraphs: _Paragraphs, positions: list[int]) -> bool:
    """Whether the brackets nest and pair within paragraphs, so none is lost.

    >>> text = "(a [b]) c（d)"
    >>> _brackets_plainly_paired(text, _Paragraphs(text, []), [0, 3, 5, 6, 9, 11])
    True
    """
    stack: list[int] = []
    single = len(paragraphs.bounds) == 1
    for index in positions:
        kind, opens = _BRACKETS[text[index]]
        if opens:
            stack.append(index)
            continue
        if not stack or _BRACKETS[text[stack[-1]]][0] != kind:
            return False
        opening = stack.pop()
        if not single and paragraphs.number(opening) != paragraphs.number(index):
            return False
    return not stack


def _paragraph(text: str, start: int, end: int, markup: list[tuple[int, int]]) -> _Paragraph:
    """The paragraph ``text[start:end]``; ``markup`` is the text's masked markup (sorted)."""
    masked = [m.span() for m in _NOT_PROSE.finditer(text, start, end)]
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
    code_like = _is_code_like(text, start, end) or _is_indented_block(
        text, start, end)
    return _Paragraph(start, end, code_like, merged)


def _is_indented_block(text: str, start: int, end: int) -> bool:
    """A paragraph whose every line is indented by four spaces or a tab: a code block.

    >>> _is_indented_block("    x = (1,\\n    2\\n", 0, 17), _is_indented_block("Prose (\\n", 0, 8)
    (True, False)
    """
    if text[start:start + 1] not in (" ", "\t"):
        return False  # most paragraphs: the first line is not indented
    lines = [line for line in text[start:end].splitlines() if line.strip()]
    return bool(lines) and all(line.startswith(("    ", "\t")) for line in lines)


def _neighbours(text: str, index: int, width: int, start: int, end: int) -> tuple[str, str]:
    """The characters before and after the mark at ``index``, looking past invisible format
    characters; a space stands for the paragraph's edges."""
    before_index = index - 1
    while before_index >= start and text[before_index] in _FORMAT and before_index > index - 4:
        before_index -= 1
    after_index = index + width
    while after_index < end and text[after_index] in _FORMAT and after_index < index + 4:
        after_index += 1
    before = text[before_index] if before_index >= start else " "
    after = text[after_index] if after_index < end else " "
    return before, after


def _quote_role(glyphs: _Glyphs, index: int, start: int, end: int,
                roles: dict[str, str] | None) -> str | None:
    """Whether the double quote at ``index`` opens or closes, from its neighbours, the language
    and its glyph, in that order.

    The neighbours win where they are clear (`“text“` closes with a wrong glyph, German
    `„text“` closes with `“`); where they are not (`«Ромашка»и`), the language's table says
    what the mark does, then the mark's usual role. A straight quote after a digit is inches
    (`12"`), not a quote; one right before punctuation closes (`Tränen ".`).

    >>> text = 'say "yes" now'
    >>> g = _Glyphs(text, frozenset())
    >>> _quote_role(g, 4, 0, 13, None), _quote_role(g, 8, 0, 13, None)
    ('open', 'close')
    >>> _quote_role(_Glyphs('a 12" pipe', frozenset()), 4, 0, 10, None) is None
    True
    """
    text = glyphs.text
    char = glyphs.mark(index)
    before, after = _neighbours(text, index, glyphs.width(index), start, end)
    opens = before.isspace() or before in _BEFORE_OPENING
    closes = after.isspace() or after in _AFTER_CLOSING
    if char == '"':
        if before.isdigit() and _INCHES.search(text, max(start, index - 12), index):
            return None
        if opens and not closes:
            return "open"
        if closes and not opens:
            return "close"
        if opens and closes:
            # `"--"`, `" "`: the quotes open so far decide, but a quote never opens right
            # before a sentence's punctuation.
            return "close" if after in ".,;:!?…" else "either"
        return None
    if char in "“”" and before.isalnum() and after.isalpha() and before < "\u0530" > after:
        # `Netanyahu”s`: an apostrophe of the wrong glyph, not a quote (in Latin, Greek or
        # Cyrillic words: Chinese quotes touch the characters around them, `的“短语”`)
        return None
    if char in _FIXED_ROLES:
        return _FIXED_ROLES[char]
    if opens and not closes:
        return "open"
    if closes and not opens:
        if char == "”" and before.isdigit() and _INCHES.search(
                text, max(start, index - 12), index):
            return None  # 12” is inches
        return "close"
    role = (roles or {}).get(char, "both")
    return role if role != "both" else _NOMINAL_ROLES[char]


def _runs(text: str, indices: list[int], widths: dict[int, int] | None = None
          ) -> list[tuple[int, int]]:
    """Spans covering ``indices`` (sorted), one per run separated only by whitespace.

    >>> _runs("[[ [ x [", [0, 1, 3, 7])
    [(0, 4), (7, 8)]
    """
    spans: list[list[int]] = []
    for index in indices:
        end = index + widths.get(index, 1) if widths else index + 1
        if spans and (spans[-1][1] == index or text[spans[-1][1]:index].isspace()):
            spans[-1][1] = end
        else:
            spans.append([index, end])
    return [(start, end) for start, end in spans]


def _marks_phrase(text: str, start: int, end: int, side: str, noun: str) -> str:
    """`closing quote "”"` for one mark, `3 closing quotes "”””"` for a run."""
    shown = quote(text[start:min(end, start + 61)])
    if end - start == 1:
        return f"{side} {noun} {shown}"
    count = len("".join(text[start:end].split()))
    return f"{side} {noun} {shown}" if count == 1 else f"{count} {side} {noun}s {shown}"


def _check_quotes(glyphs: _Glyphs, paragraph: _Paragraph, quotes: list[int],
                  continued: bool, language: _LanguageTypography) -> Iterator[Finding]:
    """Pair double quotes in order; report closers without openers and openers left open."""
    text = glyphs.text
    open_quotes: list[int] = []
    unmatched: list[int] = []
    # Straight quotes are every language's: only other marks need the language's table.
    rules = language.of(paragraph) if any(text[i] != '"' for i in quotes) else None
    roles = rules.roles if rules is not None else None
    for index in quotes:
        role = _quote_role(glyphs, index, paragraph.start, paragraph.end, roles)
        if role is None:
            continue
        if role == "either":
            role = "close" if open_quotes else "open"
        if rules is not None:
            yield from _foreign_style(glyphs, index, role, rules)
        if role == "open":
            open_quotes.append(index)
        elif open_quotes:
            open_quotes.pop()
        else:
            unmatched.append(index)
    widths = {i: 2 for i in glyphs.low_commas}
    for start, end in _runs(text, unmatched, widths):
        yield make_finding(
            "CU401", text, start, end,
            f"{_marks_phrase(text, start, end, 'closing', 'quote')} in {_around(text, start)} "
            "has no opening quote in its paragraph: add the opening quote where the quotation "
            "starts",
            confidence=0.85,
        )
    if continued:
        return  # a quotation running on into the next paragraph opens it with a quote
    for start, end in _runs(text, open_quotes, widths):
        yield make_finding(
            "CU402", text, start, end,
            f"{_marks_phrase(text, start, end, 'opening', 'quote')} in {_around(text, start)} "
            "is never closed in its paragraph: add the closing quote where the quotation ends",
            confidence=0.8,
        )


def _check_single_closers(text: str, paragraph: _Paragraph, closers: list[int],
                          language: _LanguageTypography) -> Iterator[Finding]:
    """CU401 for a single closing quote after punctuation (`ready,’ he said`) never opened.

    A `’` after a letter is an apostrophe as often as a quote (`officials’ plan`), so only
    the closers that cannot be apostrophes are checked, against the openers before them.
    Which marks open such a quote is the language's: `‘` in English, `‚` in Polish, `’`
    itself in Swedish and Finnish; all of them when the language is unknown.
    """
    rules = language.of(paragraph)
    pairs = rules.quotes if rules is not None else ("‘’", "‚’", "’’")
    marks = "".join(sorted({pair[0] for pair in pairs if pair[1] == "’"}))
    if not marks:
        return
    openers = [m.start() for m in _single_opener(marks).finditer(
        text, paragraph.start, paragraph.end)]
    events = sorted([(i, True) for i in openers] + [(i, False) for i in closers
                                                    if not paragraph.is_masked(i)])
    depth = 0
    unmatched: list[int] = []
    for index, opens in events:
        if opens:
            depth += 1
        elif depth:
            depth -= 1
        else:
            unmatched.append(index)
    for start, end in _runs(text, unmatched):
        yield make_finding(
            "CU401", text, start, end,
            f"closing quote {quote(text[start:end])} in {_around(text, start)} has no opening "
            "quote in its paragraph: add the opening quote where the quotation starts",
            confidence=0.7,
        )


@cache
def _single_opener(marks: str) -> re.Pattern[str]:
    return re.compile(_SINGLE_OPENER.format(marks=re.escape(marks)), re.MULTILINE)


def _foreign_style(glyphs: _Glyphs, index: int, role: str,
                   rules: Typography) -> Iterator[Finding]:
    """CU406: a quotation mark the document's language does not use (guillemets or `„` in
    English, `「` in Russian). Which way a mark of the language's own faces is not judged:
    `”…”` is Swedish, `„…“` German, and both are typed in many other languages."""
    char = glyphs.mark(index)
    if char == '"' or char in rules.roles:
        return
    text = glyphs.text
    wanted = rules.preferred(role)
    start, end = index, index + glyphs.width(index)
    # `« oui »`: French spacing inside guillemets goes with them.
    if char in "«»":
        if role == "open" and end < len(text) and text[end] in _SPACES:
            end += 1
        elif role == "close" and start > 0 and text[start - 1] in _SPACES:
            start -= 1
    if rules.quote_space:
        wanted = wanted + rules.quote_space if role == "open" else rules.quote_space + wanted
    style = {"«": "guillemet", "»": "guillemet", "„": "low quote"}.get(char, "quotation mark")
    yield make_finding(
        "CU406", text, start, end,
        f"{style} {quote(text[start:end])} is not a quotation mark of the document's "
        f"language: use {quote(wanted)}",
        replacement=wanted,
        confidence=0.9,
    )


def _check_brackets(text: str, paragraph: _Paragraph, brackets: list[int]) -> Iterator[Finding]:
    """Pair brackets with a stack; list markers (`1)`) and smileys (`:)`) are not brackets.

    Linear: each bracket is pushed and popped at most once, how many of each kind are open is
    counted (a closer without an opener of its kind is known without a search), and what
    precedes a run of brackets (`:-)))`) is looked at once for the whole run.
    """
    stack: list[int] = []
    open_kinds: defaultdict[int, int] = defaultdict(int)
    unbalanced: list[int] = []
    run = (-1, -1)  # the run of brackets the current one belongs to
    run_of_eyes = False  # whether that run follows smiley eyes (`:`, `;-`, `=`)
    same = (-1, -1)  # the run of the same bracket the current one belongs to
    position = 0
    while position < len(brackets):
        index = brackets[position]
        position += 1
        char = text[index]
        kind, opens = _BRACKETS[char]
        if index >= run[1]:
            found = _BRACKET_RUN.match(text, index, paragraph.end)
            run = (index, found.end() if found else index + 1)
            run_of_eyes = _SMILEY_EYES.search(text, max(paragraph.start, index - 2),
                                              index) is not None
        if index >= same[1]:
            found = _SAME_RUN[char].match(text, index, run[1])
            same = (index, found.end() if found else index + 1)
            # A run of one bracket (`[[[[`) is decided alike for all but its last: take those
            # in one step when none of them is masked.
            inner = same[1] - index - 1
            if (opens and inner > 1 and not run_of_eyes and position + inner <= len(brackets)
                    and brackets[position + inner - 1] == index + inner
                    and not (char == "(" and _eyeless_smiley(text, *same))):
                stack.extend(range(index, index + inner))
                open_kinds[kind] += inner
                position += inner - 1
                continue
        # A smiley's brackets (`:-)`, `:((`) are no brackets, but the last of the run may close
        # an open one (`(great :))`); `(;)` quotes a mark.
        quoted_mark = index >= 2 and _PARTNER.get(char) == text[index - 2]
        if run_of_eyes and not quoted_mark and not (
                index + 1 == run[1] and index > run[0] and not opens
                and open_kinds[kind] > 0 and text[index - 1] == char):
            continue
        if opens:
            after = text[index + 1:index + 3]
            if after[:1] in (":", ";") and (len(after) < 2 or after[1].isspace()):
                continue  # `(:` smiley
            if char == "(" and _eyeless_smiley(text, *same):
                continue
            stack.append(index)
            open_kinds[kind] += 1
            continue
        if not open_kinds[kind]:
            if char in ")）" and _LIST_MARKER.search(
                    text, max(paragraph.start, index - 8), index):
                continue
            if char == ")" and _eyeless_smiley(text, *same):
                continue
            unbalanced.append(index)
            continue
        while True:  # pop to the nearest opener of this kind; those above it are unclosed
            opening = stack.pop()
            open_kinds[_BRACKETS[opening_char := text[opening]][0]] -= 1
            if _BRACKETS[opening_char][0] == kind:
                break
            unbalanced.append(opening)
    unbalanced.extend(stack)
    unbalanced.sort()
    for start, end in _runs(text, unbalanced):
        char = text[start]
        side = "opening" if _BRACKETS[char][1] else "closing"
        yield make_finding(
            "CU403", text, start, end,
            f"{_marks_phrase(text, start, end, side, 'bracket')} in {_around(text, start)} "
            f"has no {quote(_PARTNER[char])} in its paragraph: add the missing bracket or "
            "delete this one",
            confidence=0.75,
        )


def _eyeless_smiley(text: str, run_start: int, run_end: int) -> bool:
    """A run of `)` or `(` that ends a sentence after a word, `!` or `?`: a smiley without eyes.

    Russian internet writing closes a cheerful sentence with `)` or `))` and a sad one with
    `(`, often after a space, and machine translation carries them over: `ask questions!)`,
    `tell us about your own)`, `что делать )`, `идеи? (`. A bracket after a number or before
    more text of the sentence (`Standing, 2011).`) is still a bracket.

    >>> _eyeless_smiley("ask me anything)", 15, 16), _eyeless_smiley("Standing, 2011).", 14, 15)
    (True, False)
    >>> _eyeless_smiley("Есть идеи? ( Нет.", 11, 12), _eyeless_smiley("Что делать(. Ну", 10, 11)
    (True, True)
    """
    previous = text[run_start - 1:run_start]
    if previous == " ":
        previous = text[run_start - 2:run_start - 1]
    if text[run_end:run_end + 1] in (".", "!", "?") and text[run_start] == "(":
        run_end += 1  # `Что делать(.`: a sad face before the full stop
    at_end = run_end == len(text) or text[run_end] in "\r\n" or (
        text[run_end].isspace() and text[run_end + 1:run_end + 2].isupper())
    return at_end and (previous.isalpha() or previous in "!?)(")


def _space_before(text: str, match: re.Match[str], paragraph: _Paragraph) -> Finding | None:
    """CU404 on the whitespace of `Washington .`, unless the punctuation is not a sentence's."""
    end = match.end() - 1  # the whitespace run ends where the punctuation mark starts
    start = match.start()
    while start > paragraph.start and text[start - 1] in _SPACES and start > end - 64:
        start -= 1
    if start == paragraph.start or text[start - 1] in "\r\n" or text[start - 1] in _SPACES:
        return None  # indentation, a line that starts with punctuation, a column
    before = text[start - 1]
    if before in _NOT_BEFORE_SPACING:
        return None  # `( .`, `: ,`, `— ?`: not a word's trailing space
    run = _PUNCTUATION_RUN.match(text, end, end + 8)
    assert run is not None
    marks = run.group()
    if marks.startswith(".."):
        return None  # an ellipsis keeps its space
    if len(marks) > 1 and marks[0] in ",;:" and marks[1] == marks[0]:
        return None  # `::`, `;;`: a separator or doubled punctuation (CU405), not a sentence's
    after_index = end + len(marks)
    after = text[after_index] if after_index < len(text) else " "
    if not (after.isspace() or after in "”’\"»」』"):
        return None  # `.mp3`, `:)`, `,5`: not sentence punctuation
    if marks == "." and text[after_index:after_index + 2] == " .":
        return None  # a spaced ellipsis `. . .`
    if marks[0] == ":":
        if before.isdigit() and text[after_index + 1:after_index + 2].isdigit():
            return None  # a score or ratio, `3 : 1`
        if end - start > 1 or paragraph.aligned_colons(text):
            return None  # `name     : value`, columns aligned on their colons
    shown = text[max(paragraph.start, start - 12):after_index]
    # After a code span or emphasis (`` `temp1` , ``, `*такими же* ,`) the space may be the
    # writer's way of keeping markup apart from punctuation: the fix is offered, not made.
    beside_markup = before in _MARKUP_CLOSERS
    return make_finding(
        "CU404", text, start, end,
        f"space before {quote(marks[0])} in {quote(shown.lstrip())}: remove the space",
        replacement="",
        confidence=0.8 if beside_markup else 0.9,
        safe=False if beside_markup else None,
    )


#: What closes inline markup: a code span, emphasis.
_MARKUP_CLOSERS = frozenset("`*_")


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
    """A short quoted excerpt of the line around ``index`` for messages (bounded work: only
    ``width`` characters either side are looked at).

    >>> _around("first line\\nthe ambassador to,, explain the decision", 28)
    '"…he ambassador to,, explain the d…"'
    """
    low = max(0, index - width)
    high = min(len(text), index + width)
    line_start = max(text.rfind("\n", low, index), text.rfind("\r", low, index)) + 1
    breaks = [i for i in (text.find("\n", index, high), text.find("\r", index, high)) if i != -1]
    line_end = min(breaks, default=high)
    start = max(line_start, low)
    end = line_end
    excerpt = " ".join(text[start:end].split())
    before = "…" if start > 0 and text[start - 1] not in "\r\n" else ""
    after = "…" if end < len(text) and text[end] not in "\r\n" else ""
    return quote(before + excerpt + after)
