"""Translation damage: a translation compared with its source (kind `translation`, CU8xx).

Runs only where the source is known: the segments of gettext catalogs and XLIFF files, and
parallel corpora (``cleanup annotate --source-field``); ``context.source`` is None elsewhere and
this detector yields nothing. What a program reads in a message must survive translation:
placeholders, markup, numbers, addresses, edge whitespace and escapes (the tests of
translate-toolkit's ``pofilter`` that catch real breakage), and a translation must be in the
target language (an untranslated message, or a run of words copied from the source).

Each check is written against the false alarms real catalogs are full of: named and numbered
placeholders may be reordered; ICU plural and select branches differ by language and are
compared by their arguments only; digits of other scripts and other group separators are the
same number, and a small number may be written as a word; a URL may be localized by its
language code; languages written without spaces may drop a trailing space after full-width
punctuation; names, identifiers and one-word strings are often kept untranslated on purpose.
Only edge whitespace is fixed (restoring the source's is safe); nothing else can be decided
from the two texts.

>>> from cleanup.config import Config
>>> context = Context("Enregistrer %(nom)s", Config(language="fr"), source="Save %(name)s")
>>> [(f.rule, f.text) for f in find_translation_damage(context.text, context)]
[('CU803', '%(nom)s'), ('CU803', 'Enregistrer %(nom)s')]
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import regex

from cleanup.detect import Context, make_finding, quote
from cleanup.findings import Finding

# --- What a program reads in a message --------------------------------------------------------

#: printf conversions: ``%s``, ``%5.2f``, ``%(name)s``, ``%1$s``, boost::format's ``%1%``;
#: ``%%`` is a literal percent.
#: No space flag: ``100 % of`` is prose, not ``% o``.
PRINTF = re.compile(
    r"%(?:%|(?P<boost>[1-9]\d*)%|(?:(?P<position>[1-9]\d*)\$|\((?P<key>[^()\s]+)\))?"
    r"(?P<spec>[-+#0']*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|ll|I64|I32|[hlLqjzZtI])?"
    r"[diouxXeEfFgGaAcspn@]))"
)

#: URLs (up to whitespace, quotes and brackets; trailing sentence punctuation is not part).
URL = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"'`()\[\]{}]+(?<![.,;:!?])")
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?<![.-])")

#: HTML/XML tags (and XLIFF inline elements): name, whether closing, and an ``id`` if any.
TAG = re.compile(r"<(?P<closing>/?)(?P<name>[A-Za-z][\w:.-]*)(?P<attributes>(?:\s[^<>]*?)?)/?>")
TAG_ID = re.compile(r"""\bid\s*=\s*(?:"([^"]*)"|'([^']*)')""")

#: Markdown link targets ``[text](target)`` and code spans (backtick runs).
MARKDOWN_LINK = re.compile(r"\[[^\]\n]*\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
CODE_SPAN = re.compile(r"(?<!`)(?P<ticks>`+)(?!`)(?P<code>.+?)(?<!`)(?P=ticks)(?!`)", re.DOTALL)
#: A reST role before a backtick span (``:ref:`x```) or a link suffix after it (```x <u>`_``):
#: such spans hold translatable text, not code.
REST_ROLE_BEFORE = re.compile(r":[\w.+-]+:$")

#: Numbers as written in any script's digits, with group separators and a decimal part; also
#: inside words (``base64``, ``أساس64``), since a number glued to a word is still a number.
NUMBER = re.compile(r"(?<!\d[.,])\d+(?:[.,'’\u00a0\u202f\u2009 ]\d{3})*(?:[.,]\d+)?(?!\d)")
#: Unmatched numbers up to this are not reported alone: they are often written as words.
SMALL_NUMBER = 12

#: Words of prose (letters with inner apostrophes or hyphens), for the untranslated checks.
WORD = regex.compile(r"\p{L}[\p{L}\p{M}]*(?:['’-][\p{L}\p{M}]+)*")

#: Languages written without spaces between words or sentences.
NO_SPACE_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my", "bo"})
FULL_WIDTH_PUNCTUATION = re.compile(r"[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u0e2f\u0e46]$")

#: A language code inside a URL (``/en/``, ``/pt-br/``, ``?lang=en``, ``//fr.example.org``):
#: a URL localized for the translation's readers differs from the source's only there.
URL_LANGUAGE = re.compile(r"(?<=[/=])[a-z]{2}(?:[-_][A-Za-z]{2,4})?(?=[/&#.]|$)")


@dataclass(frozen=True)
class Token:
    """One thing a program reads in a message: its comparison key and its span."""

    key: str
    start: int
    end: int


# --- Extracting tokens --------------------------------------------------------------------------


def _inside(spans: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def printf_tokens(text: str, masked: Iterable[tuple[int, int]] = ()) -> list[Token]:
    """printf placeholders, keyed so that named and numbered ones may be reordered.

    >>> [t.key for t in printf_tokens("%s of %d, %(name)s, %2$s, 100%%")]
    ['1$s', '2$d', '(name)s', '2$s']
    """
    masked = list(masked)
    tokens: list[Token] = []
    plain = 0
    for match in PRINTF.finditer(text):
        if _inside(masked, *match.span()):
            continue
        spec = match.group("spec")
        if match.group("boost") is not None:
            key = f"{match.group('boost')}%"
        elif spec is None:  # %%
            continue
        elif match.group("key") is not None:
            key = f"({match.group('key')}){spec}"
        elif match.group("position") is not None:
            key = f"{match.group('position')}${spec}"
        else:
            plain += 1
            key = f"{plain}${spec}"
        tokens.append(Token(key, *match.span()))
    return tokens


_FIELD_NAME = re.compile(r"\s*([^\W\d][\w.\[\]-]*|\d+|)\s*")
_ICU_TYPE = re.compile(r",\s*(\w+)\s*")
_ICU_SELECTOR = re.compile(r"\s*(offset:\s*\d+|=?[\w-]+)\s*")
_MUSTACHE = re.compile(r"\{\{\s*[A-Za-z_][\w.]*\s*\}\}")


def _closing_brace(text: str, start: int) -> int | None:
    """The offset after the brace that closes the one at ``start``, or None."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index + 1
    return None


def brace_tokens(text: str) -> tuple[list[Token], list[Token]]:
    """Python ``str.format`` and ICU MessageFormat arguments: (top-level, inside ICU branches).

    Top-level arguments are compared as a multiset; arguments inside plural and select
    branches as a set, because each language has its own number of branches.

    >>> top, nested = brace_tokens("{0} and {name!r:>4}, {n, plural, one {# {x}} other {{x}}}")
    >>> [t.key for t in top], sorted({t.key for t in nested})
    (['{0}', '{name!r:>4}', '{n, plural}'], ['{x}'])
    """
    top: list[Token] = []
    nested: list[Token] = []
    _scan_braces(text, 0, len(text), top, nested, inside_icu=False)
    return top, nested


def _scan_braces(text: str, start: int, end: int, found: list[Token], nested: list[Token],
                 inside_icu: bool) -> None:
    index = start
    while index < end:
        brace = text.find("{", index, end)
        if brace < 0:
            return
        if not inside_icu:
            mustache = _MUSTACHE.match(text, brace, end)
            if mustache:
                key = "{{" + mustache.group()[2:-2].strip() + "}}"
                found.append(Token(key, *mustache.span()))
                index = mustache.end()
                continue
            if text.startswith("{{", brace):  # a literal brace in str.format
                index = brace + 2
                continue
        name = _FIELD_NAME.match(text, brace + 1, end)
        after = name.end() if name else brace + 1
        close = _closing_brace(text, brace)
        if name is None or close is None or close > end or after >= end:
            index = brace + 1
            continue
        following = text[after]
        if following == "}":  # keyed as written: `{ name }` is not `{name}` to str.format
            found.append(Token(text[brace:after + 1], brace, after + 1))
            index = after + 1
        elif following in "!:" and name.group(1) is not None:
            found.append(Token(text[brace:close], brace, close))
            index = close
        elif following == "," and name.group(1):
            kind = _ICU_TYPE.match(text, after, end)
            if kind is None:
                index = brace + 1
                continue
            found.append(Token(f"{{{name.group(1)}, {kind.group(1)}}}", brace, close))
            if kind.group(1) in ("plural", "select", "selectordinal"):
                _scan_branches(text, kind.end(), close - 1, nested)
            index = close
        else:
            index = brace + 1


def _scan_branches(text: str, start: int, end: int, nested: list[Token]) -> None:
    """The arguments inside ``, one {...} other {...}`` of an ICU plural or select."""
    index = start
    if text.startswith(",", index):
        index += 1
    while index < end:
        selector = _ICU_SELECTOR.match(text, index, end)
        if selector is None:
            return
        index = selector.end()
        if not text.startswith("{", index):
            if selector.group(1).startswith("offset"):
                continue
            return
        close = _closing_brace(text, index)
        if close is None or close > end + 1:
            return
        _scan_braces(text, index + 1, close - 1, nested, nested, inside_icu=True)
        index = close


def tag_tokens(text: str) -> list[Token]:
    """HTML/XML tags, keyed by name, closing slash and ``id`` (not attribute text).

    >>> [t.key for t in tag_tokens('Click <a href="x">here</a><br/><x id="1"/>')]
    ['<a>', '</a>', '<br>', '<x id=1>']
    """
    tokens = []
    for match in TAG.finditer(text):
        identifier = TAG_ID.search(match.group("attributes") or "")
        suffix = f" id={identifier.group(1) or identifier.group(2)}" if identifier else ""
        key = f"<{match.group('closing')}{match.group('name').lower()}{suffix}>"
        tokens.append(Token(key, *match.span()))
    return tokens


def code_tokens(text: str) -> list[Token]:
    """Markdown code spans and link targets (reST roles and links hold text: not compared).

    >>> [t.key for t in code_tokens("Run `make test`, see [docs](https://x.org) and :ref:`Intro`")]
    ['`make test`', '](https://x.org)']
    """
    tokens = []
    for match in CODE_SPAN.finditer(text):
        code = match.group("code")
        if REST_ROLE_BEFORE.search(text, 0, match.start()) or text.startswith("_", match.end()) \
                or re.search(r"<[^<>]+>\s*$", code):
            continue
        tokens.append(Token(f"`{code.strip()}`", *match.span()))
    for match in MARKDOWN_LINK.finditer(text):
        tokens.append(Token(f"]({match.group('target')})", *match.span("target")))
    return tokens


def address_tokens(text: str) -> list[Token]:
    """URLs and e-mail addresses; a language code in a URL is keyed as ``<lang>``.

    >>> [t.key for t in address_tokens("see https://docs.example.org/fr/intro.")]
    ['https://docs.example.org/<lang>/intro']
    """
    tokens = []
    for match in URL.finditer(text):
        tokens.append(Token(URL_LANGUAGE.sub("<lang>", match.group()), *match.span()))
    urls = [(t.start, t.end) for t in tokens]
    for match in EMAIL.finditer(text):
        if not _inside(urls, *match.span()):
            tokens.append(Token(match.group().lower(), *match.span()))
    return tokens


def _number_key(number: str) -> str:
    """A number's digits in ASCII, whatever its script and separators (``١٬٠٠٠`` -> ``1000``)."""
    return "".join(str(unicodedata.decimal(char)) for char in number if char.isdecimal())


def number_tokens(text: str, masked: Iterable[tuple[int, int]]) -> list[Token]:
    """Numbers outside placeholders, addresses and markup, keyed by their digits.

    >>> [t.key for t in number_tokens("1 000,5 km, ٣ and v2", [])]
    ['10005', '3', '2']
    """
    masked = list(masked)
    return [Token(_number_key(match.group()), *match.span()) for match in NUMBER.finditer(text)
            if not _inside(masked, *match.span()) and _number_key(match.group())]


# --- Comparing ------------------------------------------------------------------------------


def _unmatched(source: list[Token], target: list[Token]) -> tuple[list[Token], list[Token]]:
    """(source tokens the target lacks, target tokens the source lacks), as multisets."""
    available = Counter(token.key for token in source)
    extra = []
    for token in target:
        if available[token.key] > 0:
            available[token.key] -= 1
        else:
            extra.append(token)
    needed = Counter(token.key for token in target)
    missing = []
    for token in source:
        if needed[token.key] > 0:
            needed[token.key] -= 1
        else:
            missing.append(token)
    return missing, extra


def _listing(tokens: Iterable[Token], source: str) -> str:
    shown = []
    for token in tokens:
        written = source[token.start:token.end]
        if written not in shown:
            shown.append(written)
    return ", ".join(quote(item, 40) for item in shown[:4]) + (" ..." if len(shown) > 4 else "")


def _mismatches(code: str, what: str, text: str, source: str, source_tokens: list[Token],
                target_tokens: list[Token], *, confidence: float = 0.9,
                report_missing: bool = True) -> Iterator[Finding]:
    """One finding per target token the source lacks, one on the whole text for the missing."""
    missing, extra = _unmatched(source_tokens, target_tokens)
    for token in extra:
        hint = f"; the source has {_listing(missing, source)}" if missing else ""
        yield make_finding(code, text, token.start, token.end,
                           f"{what} {quote(text[token.start:token.end])} is not in the "
                           f"source{hint}", confidence=confidence, source=source)
    if missing and report_missing:
        yield make_finding(code, text, 0, len(text),
                           f"{what} {_listing(missing, source)} of the source "
                           f"{'is' if len(missing) == 1 else 'are'} missing from the "
                           "translation", confidence=confidence, source=source,
                           missing=[source[t.start:t.end] for t in missing])


# --- The checks -----------------------------------------------------------------------------


def _edge(text: str, leading: bool) -> tuple[int, int]:
    """The span of ``text``'s leading (or trailing) whitespace."""
    if leading:
        stripped = len(text) - len(text.lstrip())
        return 0, stripped
    return len(text.rstrip()), len(text)


def _describe_whitespace(space: str) -> str:
    if not space:
        return "nothing"
    names = {" ": "space", "\n": "line break", "\t": "tab", "\r": "carriage return",
             "\u00a0": "no-break space"}
    counted = Counter(names.get(char, f"U+{ord(char):04X}") for char in space)
    return ", ".join(f"{n} {name}{'s' if n > 1 else ''}" if n > 1 else f"a {name}"
                     for name, n in counted.items())


def edge_whitespace(text: str, source: str, context: Context) -> Iterator[Finding]:
    """CU808: leading and trailing whitespace that differs from the source's."""
    if not text.strip() or not source.strip():
        return
    for leading in (True, False):
        start, end = _edge(text, leading)
        source_start, source_end = _edge(source, leading)
        ours, theirs = text[start:end], source[source_start:source_end]
        if ours == theirs:
            continue
        if context.syntax == "xml" and ("\n" in ours or "\n" in theirs):
            continue  # line breaks around XML text are layout
        if not leading and not ours and theirs.strip(" ") == "" and \
                context.language in NO_SPACE_LANGUAGES and \
                FULL_WIDTH_PUNCTUATION.search(text):
            continue  # "名前：" for "Name: ": the full-width colon holds the space
        side = "leading" if leading else "trailing"
        # Whitespace the translation lost is restored safely: a dropped trailing space glues
        # two messages together at run time. Whitespace it has and the source lacks may be the
        # target language's typography (a Persian no-break space): removing it is unsafe.
        lost = len(ours) < len(theirs) and (theirs.endswith(ours) if leading
                                            else theirs.startswith(ours))
        yield make_finding(
            "CU808", text, start, end,
            f"{side} whitespace differs from the source: the source "
            f"{'starts' if leading else 'ends'} with {_describe_whitespace(theirs)}, the "
            f"translation with {_describe_whitespace(ours)}; use the source's",
            replacement=theirs, confidence=0.95, safe=lost, source=source, expected=theirs)


def _interior_count(text: str, char: str) -> int:
    return text.strip().count(char)


def newlines_and_escapes(text: str, source: str, context: Context) -> Iterator[Finding]:
    """CU809 (line breaks inside the text) and CU810 (backslash sequences)."""
    if context.syntax != "xml":
        for char, name in (("\n", "line feed"), ("\r", "carriage return")):
            ours, theirs = _interior_count(text, char), _interior_count(source, char)
            if ours != theirs:
                yield make_finding(
                    "CU809", text, 0, len(text),
                    f"the translation has {ours} {name}{'s' if ours != 1 else ''} inside it, "
                    f"the source {theirs}", confidence=0.8, source=source)
                break
    escape = re.compile(r"\\.?", re.DOTALL)
    yield from _mismatches("CU810", "backslash sequence", text, source,
                           [Token(m.group(), *m.span()) for m in escape.finditer(source)],
                           [Token(m.group(), *m.span()) for m in escape.finditer(text)],
                           confidence=0.85)


def _masks(text: str, tokens: Iterable[Token]) -> list[tuple[int, int]]:
    return [(token.start, token.end) for token in tokens]


def _mask_text(text: str, spans: Iterable[tuple[int, int]]) -> str:
    pieces = list(text)
    for start, end in spans:
        pieces[start:end] = [" "] * (end - start)
    return "".join(pieces)


def _brackets(text: str, masked: list[tuple[int, int]]) -> Counter[str]:
    plain = _mask_text(text, masked)
    return Counter(char for char in plain if char in "()[]{}")


def brackets(text: str, source: str, source_masks: list[tuple[int, int]],
             target_masks: list[tuple[int, int]]) -> Iterator[Finding]:
    """CU811: a bracket pair the source keeps balanced and the translation does not.

    A translation may drop or add whole bracketed asides when it rewords a sentence; only a
    lone bracket is damage.
    """
    theirs, ours = _brackets(source, source_masks), _brackets(text, target_masks)
    differing = [f"{opening}{closing}: {ours[opening]} opening, {ours[closing]} closing"
                 for opening, closing in ("()", "[]", "{}")
                 if theirs[opening] == theirs[closing] and ours[opening] != ours[closing]]
    if differing:
        yield make_finding("CU811", text, 0, len(text),
                           "the source's brackets are balanced, the translation's are not ("
                           f"{'; '.join(differing)})", confidence=0.7, source=source)


def numbers(text: str, source: str, source_masks: list[tuple[int, int]],
            target_masks: list[tuple[int, int]]) -> Iterator[Finding]:
    """CU806: numbers that differ; a lone small unmatched number may be a word."""
    missing, extra = _unmatched(number_tokens(source, source_masks),
                                number_tokens(text, target_masks))

    def small(token: Token) -> bool:
        return len(token.key) <= 2 and int(token.key) <= SMALL_NUMBER

    if not (missing and extra):  # no substitution: small numbers may be written as words
        missing = [t for t in missing if not small(t)]
        extra = [t for t in extra if not small(t)]
    for token in extra:
        hint = f"; the source has {_listing(missing, source)}" if missing else ""
        yield make_finding("CU806", text, token.start, token.end,
                           f"number {quote(text[token.start:token.end])} is not in the "
                           f"source{hint}", confidence=0.8, source=source)
    if missing and not extra:
        yield make_finding("CU806", text, 0, len(text),
                           f"number {_listing(missing, source)} of the source "
                           f"{'is' if len(missing) == 1 else 'are'} missing from the "
                           "translation", confidence=0.7, source=source,
                           missing=[source[t.start:t.end] for t in missing])


# --- Untranslated text ----------------------------------------------------------------------


def _words(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]


def _is_prose(words: list[str], text: str) -> bool:
    """Whether words read as prose, not as names, identifiers or a label of one word."""
    lowercase = [w for w in words if w[0].islower() and len(w) >= 2]
    sentence = bool(re.search(r"[.!?:]\s*$", text.strip()))
    return len(words) >= 2 and (len(lowercase) >= 2 or (sentence and len(lowercase) >= 1))


def _scripts(text: str) -> set[str]:
    from cleanup.language import script_of

    return {script for char in text if char.isalpha()
            for script in [script_of(char)] if script is not None}


def _language_of(text: str) -> str | None:
    """The language of a source nobody named, when it has words enough to tell."""
    if len(_words(text)) < 3:
        return None
    from cleanup.language import document_language, dominant_script

    return document_language(text, dominant_script(text))


def _in_source_language(words: list[str], source_language: str, language: str) -> bool:
    """Whether Latin-script words are nearly all words of the source language, not the
    target's (both must be languages the lexicons know)."""
    from cleanup.language import LATIN_LEXICON_LANGUAGES, word_frequencies

    if source_language not in LATIN_LEXICON_LANGUAGES or language not in \
            LATIN_LEXICON_LANGUAGES or len(words) < 4:
        return False
    theirs = ours = 0
    for word in words:
        frequencies = word_frequencies(word)
        source_zipf = frequencies.get(source_language, 0.0)
        target_zipf = frequencies.get(language, 0.0)
        if source_zipf >= 2.5 and source_zipf - target_zipf >= 1.5:
            theirs += 1
        elif target_zipf >= source_zipf and target_zipf > 0:
            ours += 1
    return theirs >= 0.75 * len(words) and ours <= 1


def untranslated(text: str, source: str, context: Context, target_masks: list[tuple[int, int]],
                 source_masks: list[tuple[int, int]]) -> Iterator[Finding]:
    """CU801 (the whole message) and CU802 (runs of words copied from the source)."""
    from cleanup.language import language_name, scripts_of_language

    if context.config.language and context.config.language == context.source_language:
        return  # a catalog in the source's own language (en_GB from en)
    plain, plain_source = _mask_text(text, target_masks), _mask_text(source, source_masks)
    words = _words(plain)
    source_words = _words(plain_source)
    names = [w for _, _, w in words]
    if " ".join(text.split()) == " ".join(source.split()):
        if _is_prose(names, plain):
            yield make_finding("CU801", text, 0, len(text),
                               f"the translation is the source unchanged: {quote(text)}",
                               confidence=0.9, source=source, untranslated="unchanged")
        return
    if not words or not _is_prose(names, plain):
        return
    language = context.language
    source_language = context.source_language or _language_of(source)
    if language and language == source_language:
        return
    own_scripts = scripts_of_language(language) if language else frozenset()
    if language and "Latin" not in own_scripts:
        found = _scripts(plain)
        source_scripts = _scripts(plain_source) or {"Latin"}
        if found and found <= source_scripts and not found & own_scripts:
            yield make_finding("CU801", text, 0, len(text),
                               f"the translation is not in {language_name(language)} but in "
                               f"the source's script: {quote(text)}", confidence=0.85,
                               source=source, untranslated="source-language")
            return
    elif language and source_language and _in_source_language(names, source_language,
                                                               language):
        yield make_finding("CU801", text, 0, len(text),
                           f"the translation is in {language_name(source_language)}, not "
                           f"{language_name(language)}: {quote(text)}", confidence=0.8,
                           source=source, untranslated="source-language")
        return
    yield from _copied_runs(text, source, words, source_words, source_language, language)


#: Where a run of copied words stops: the end of a sentence or clause.
_RUN_BREAK = re.compile(r"[.!?;:]\s")


def _leans_to_source(word: str, source_language: str | None, language: str | None) -> bool:
    """Whether a word is a word of the source language and not of the translation's (words
    both languages share, `in`, `media`, `parameter`, are not evidence of a copy). Without
    lexicons for both languages every word counts."""
    from cleanup.language import LATIN_LEXICON_LANGUAGES, word_frequencies

    if source_language not in LATIN_LEXICON_LANGUAGES or \
            language not in LATIN_LEXICON_LANGUAGES:
        return True
    frequencies = word_frequencies(word)
    theirs, ours = frequencies.get(source_language, 0.0), frequencies.get(language, 0.0)
    return theirs >= 2.0 and theirs - ours >= 1.0


def _copied_runs(text: str, source: str, words: list[tuple[int, int, str]],
                 source_words: list[tuple[int, int, str]], source_language: str | None,
                 language: str | None) -> Iterator[Finding]:
    """Runs of three or more consecutive words of the translation found in the source, with
    at least two words of the source's language, one of them lowercase (names and words both
    languages share are not evidence of an untranslated copy)."""
    lowered = [w.lower() for _, _, w in source_words]
    positions: dict[tuple[str, ...], list[int]] = {}
    for index in range(len(lowered) - 2):
        positions.setdefault(tuple(lowered[index:index + 3]), []).append(index)
    ours = [w.lower() for _, _, w in words]
    joined = [index + 1 < len(words) and not _RUN_BREAK.search(text, words[index][1],
                                                               words[index + 1][0])
              for index in range(len(words))]
    index = 0
    while index <= len(ours) - 3:
        best_length, best_at = 0, -1
        for at in positions.get(tuple(ours[index:index + 3]), []):
            length = 1
            while index + length < len(ours) and at + length < len(lowered) and \
                    ours[index + length] == lowered[at + length] and joined[index + length - 1]:
                length += 1
            if length >= 3 and length > best_length:
                best_length, best_at = length, at
        run = [w for _, _, w in words[index:index + best_length]]
        evidence = [w for w in run if len(w) >= 2 and not w.isupper()
                    and _leans_to_source(w, source_language, language)]
        lowercase = any(w[0].islower() for w in evidence)
        if best_length and len(evidence) >= 2 and lowercase and best_length < len(words):
            start, end = words[index][0], words[index + best_length - 1][1]
            yield make_finding(
                "CU802", text, start, end,
                f"{quote(text[start:end])} is copied from the source untranslated",
                confidence=0.8, source=source, in_source=True,
                source_start=source_words[best_at][0],
                source_end=source_words[best_at + best_length - 1][1])
            index += best_length
        else:
            index += 1


# --- The detector ---------------------------------------------------------------------------


def find_translation_damage(text: str, context: Context) -> Iterator[Finding]:
    """Every difference between a translation and its source that breaks or loses something.

    >>> from cleanup.config import Config
    >>> context = Context("Nom :", Config(language="fr"), source="Name: ")
    >>> [(f.rule, f.start, f.replacement) for f in find_translation_damage("Nom :", context)]
    [('CU808', 5, ' ')]
    """
    source = context.source
    if source is None or not text.strip():
        return
    source_printf, target_printf = printf_tokens(source), printf_tokens(text)
    (source_braces, source_nested), (target_braces, target_nested) = (
        brace_tokens(source), brace_tokens(text))
    source_addresses = address_tokens(source)
    target_addresses = address_tokens(text)
    source_addresses_spans = _masks(source, source_addresses)
    target_addresses_spans = _masks(text, target_addresses)
    source_printf = [t for t in source_printf if not _inside(source_addresses_spans,
                                                             t.start, t.end)]
    target_printf = [t for t in target_printf if not _inside(target_addresses_spans,
                                                             t.start, t.end)]
    source_markup = tag_tokens(source) + code_tokens(source)
    target_markup = tag_tokens(text) + code_tokens(text)
    yield from _mismatches("CU803", "placeholder", text, source, source_printf, target_printf)
    yield from _mismatches("CU804", "placeholder", text, source, source_braces, target_braces)
    nested_missing = {t.key for t in source_nested} - {t.key for t in target_nested}
    for token in target_nested:
        if token.key not in {t.key for t in source_nested} | {t.key for t in source_braces}:
            yield make_finding("CU804", text, token.start, token.end,
                               f"placeholder {quote(token.key)} is not in the source",
                               confidence=0.9, source=source)
    if nested_missing - {t.key for t in target_braces}:
        yield make_finding("CU804", text, 0, len(text),
                           f"placeholder {', '.join(sorted(nested_missing))} of the source's "
                           "plural or select branches is missing from the translation",
                           confidence=0.8, source=source)
    yield from _mismatches("CU805", "markup", text, source, source_markup, target_markup,
                           confidence=0.8)
    yield from _mismatches("CU807", "address", text, source, source_addresses,
                           target_addresses, confidence=0.85)
    source_masks = _masks(source, [*source_printf, *source_braces, *source_nested,
                                   *source_markup, *source_addresses])
    target_masks = _masks(text, [*target_printf, *target_braces, *target_nested,
                                 *target_markup, *target_addresses])
    yield from numbers(text, source, source_masks, target_masks)
    yield from edge_whitespace(text, source, context)
    yield from newlines_and_escapes(text, source, context)
    yield from brackets(text, source, source_masks, target_masks)
    yield from untranslated(text, source, context, target_masks, source_masks)


def copied_from_source(finding: Finding, source: str) -> bool:
    """Whether a foreign-fragment finding on a translation is text copied from its source.

    Such a fragment is a name, an identifier or code kept on purpose (`JSON Web Token` in a
    Russian message), or, when it is prose, CU802's finding: `check` drops it when a source
    is given.

    >>> from cleanup.findings import Finding
    >>> copied_from_source(Finding("foreign_fragment", "CU202", 0, 12, "Token header", ""),
    ...                    "Invalid token header.")
    True
    """
    if finding.kind != "foreign_fragment":
        return False
    core = finding.text.strip(" \t\n[](){}\"'«»“”„").casefold()
    return bool(core) and core in source.casefold()


__all__ = ["brace_tokens", "copied_from_source", "find_translation_damage", "printf_tokens"]
