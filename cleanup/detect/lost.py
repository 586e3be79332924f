"""Lost characters: places where a decoder or a narrow charset threw a character away.

Two traces are left behind. A decoder that meets bytes it cannot read puts U+FFFD REPLACEMENT
CHARACTER in their place (CU701); a conversion to a charset that has no code for a letter
(`Kraków` to ASCII or latin-1) writes `?` instead (CU702: `Krak?w`). Neither can be repaired from
the text alone, so these findings carry no replacement: they tell a person where to go back to
the source.

A `?` is only a lost character when letters stand on both sides of it, or numbers where it was
a dash (`2023?2024`): `Really?` and `?` at a word's end are questions, and a `?` inside a URL,
a path or a query string (`page?id=3`) is syntax.

>>> import cleanup
>>> found = cleanup.check("Krak?w and S\\ufffd\\ufffdo Paulo", select={"lost_character"})
>>> [(f.rule, f.start, f.text) for f in found]
[('CU702', 4, '?'), ('CU701', 12, '\\ufffd\\ufffd')]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from cleanup.detect import Context, quote
from cleanup.findings import Finding

#: A run of U+FFFD, one finding however long it is; runs separated only by spaces are one
#: garbled fragment (a whole phrase of another script lost), so one finding too.
_REPLACEMENT_RUN = re.compile(r"\ufffd+(?:[ \t]+\ufffd+)*")

#: `?` (one to three) with a letter right before and right after it. Only letters of scripts
#: that separate words with spaces: in Chinese or Japanese `好?我` is a question mark. Between
#: numbers, `2023?2024` and `64?56` are a lost dash; `3?4` is too short to tell.
_LETTER = re.compile("[A-Za-z\u00c0-\u024f\u0370-\u058f\u1e00-\u1fff]")
_NUMBER_BEFORE = re.compile(r"\d+$")
_NUMBER_AFTER = re.compile(r"\d+")
#: Runs of `?`: the search starts at a literal, so text without `?` is skipped at C speed.
_QUESTION_RUN = re.compile(r"\?+")

#: Whole words of another script written to ASCII come out as `?` runs: two or more such words
#: in a row (`?????? ? ???`), or one of four letters or more alone in brackets (`[???????]`,
#: like an untranslated fragment). A single `???` or `(???)` is left alone: it is doubt as
#: often as a lost word.
_QUESTION_WORDS = re.compile(
    r"(?<![^\s(\[«“\"])(?P<run>\?{3,}(?:[ \t]+\?+)*[ \t]+\?{2,})(?![^\s)\].,;:!”\"»])"
    r"|(?<=[(\[])(?P<bracketed>\?{4,}(?:[ \t]+\?+)*|\?{3,}(?:[ \t]+\?+)+)(?=[)\]])"
)

#: The whitespace-delimited token around a hit, to tell words from URLs, paths and code.
_TOKEN_START = re.compile(r"\S*$")
_TOKEN_END = re.compile(r"\S*")

#: Signs that a token is a URL, a path, a query string or code rather than a word.
_NOT_A_WORD = re.compile(r"://|^www\.|[/\\=&%@#<>{}()\[\]|`]")

#: Punctuation around a word that does not make it code or a URL: what opens it, what closes
#: it. A bracket anywhere else (`[!]FIELD?VALUE`) is syntax.
_OPENING = "\"'(“‘«["
_CLOSING = ".,;:!?\"')”’»]"
_EDGE_PUNCTUATION = _OPENING + _CLOSING

#: Characters of context shown on each side of the flagged span in messages.
_CONTEXT = 12


def _word_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The whitespace-delimited token that contains ``text[start:end]``."""
    before = _TOKEN_START.search(text, max(0, start - 200), start)
    after = _TOKEN_END.match(text, end)
    token_start = before.start() if before else start
    token_end = after.end() if after else end
    return token_start, token_end


def _shown(text: str, start: int, end: int) -> str:
    """The flagged span in its word, for messages: `"Krak?w"`."""
    token_start, token_end = _word_around(text, start, end)
    token_start = max(token_start, start - _CONTEXT)
    token_end = min(token_end, end + _CONTEXT)
    return quote(text[token_start:token_end].strip(_EDGE_PUNCTUATION))


def _between_letters_or_numbers(text: str, start: int, end: int) -> bool:
    """Whether the `?` run ``text[start:end]`` sits inside a word or between two numbers.

    >>> _between_letters_or_numbers("Krak?w", 4, 5), _between_letters_or_numbers("Why? No", 3, 4)
    (True, False)
    >>> _between_letters_or_numbers("64?56", 2, 3), _between_letters_or_numbers("3?4", 1, 2)
    (True, False)
    """
    if start == 0 or end == len(text):
        return False
    before, after = text[start - 1], text[end]
    if _LETTER.match(before) and _LETTER.match(after):
        return end - start <= 3
    if end - start == 1 and before.isdigit() and after.isdigit():
        digits_before = _NUMBER_BEFORE.search(text, max(0, start - 8), start)
        digits_after = _NUMBER_AFTER.match(text, end)
        return max(len(digits_before.group()) if digits_before else 0,
                   len(digits_after.group()) if digits_after else 0) >= 2
    return False


def _is_question_mark_for_letter(text: str, start: int, end: int) -> bool:
    """Whether the `?` run at ``start`` stands for lost letters rather than for syntax.

    >>> _is_question_mark_for_letter("Krak?w", 4, 5)
    True
    >>> _is_question_mark_for_letter("see page?id=3", 8, 9)
    False
    >>> _is_question_mark_for_letter("Really?Yes", 6, 7)
    False
    """
    token_start, token_end = _word_around(text, start, end)
    token = text[token_start:token_end].lstrip(_OPENING).rstrip(_CLOSING)  # `(Krak?w),`
    if _NOT_A_WORD.search(token):
        return False
    before, after = text[start - 1], text[end]
    # `today?The`: a question with its space lost, not a letter lost inside a word.
    return not (before.islower() and after.isupper()) and not (
        end - start == 1 and _words_on_both_sides(text, start, end))


def _words_on_both_sides(text: str, start: int, end: int) -> bool:
    """Whether the letters before the `?` at ``start`` end a known word and the letters after
    it begin one (`смотрите?вы`): a question whose space was lost, as the language's lexicon
    tells (cleanup's lexicons: 19 Latin-script and 4 Cyrillic languages), not a letter lost
    inside one word (`Krak?w`: no `Krak`; `S?o`: no word of one letter).

    >>> _words_on_both_sides("вы смотрите?вы не", 11, 12), _words_on_both_sides("Krak?w", 4, 5)
    (True, False)
    """
    from cleanup.language import word_frequencies

    head = _LETTERS_BEFORE.search(text, max(0, start - 40), start)
    tail = _LETTERS_AFTER.match(text, end)
    return all(word is not None and len(word.group()) >= 2
               and max(word_frequencies(word.group()).values(), default=0.0) >= _KNOWN_WORD
               for word in (head, tail))


_LETTERS_BEFORE = re.compile(r"[^\W\d_]+$")
_LETTERS_AFTER = re.compile(r"[^\W\d_]+")
#: Zipf frequency from which a word is known: about once per 100,000 words.
_KNOWN_WORD = 3.0


def _within(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies inside one of the sorted, disjoint ``spans``."""
    index = bisect.bisect_right(spans, (start, 1 << 62)) - 1
    return index >= 0 and spans[index][0] <= start and end <= spans[index][1]


def find_lost_characters(text: str, context: Context) -> Iterator[Finding]:
    """Flag U+FFFD runs (CU701) and `?` standing for a letter (CU702); neither is fixable.

    >>> from cleanup.detect import Context
    >>> text = "the S\\ufffdo Paulo office"
    >>> [(f.rule, f.start, f.end) for f in find_lost_characters(text, Context(text))]
    [('CU701', 5, 6)]
    """
    from cleanup.detect import make_finding

    # Clean text costs two substring searches.
    if "\ufffd" not in text and "?" not in text:
        return
    if "\ufffd" in text:
        invalid = context.invalid_spans
        for match in _REPLACEMENT_RUN.finditer(text):
            start, end = match.span()
            if invalid and _within(invalid, start, end):
                continue  # they stand for bytes of the file that are not UTF-8: CU703's
            count = match.group().count("\ufffd")
            what = "character" if count == 1 else f"{count} characters"
            yield make_finding(
                "CU701", text, start, end,
                f"replacement character U+FFFD in {_shown(text, start, end)}: {what} lost in "
                "decoding; recover the text from its source",
                confidence=1.0,
                count=count,
            )
    if "?" in text:
        for match in _QUESTION_RUN.finditer(text):
            start, end = match.span()
            if not _between_letters_or_numbers(text, start, end):
                continue
            if not _is_question_mark_for_letter(text, start, end):
                continue
            yield make_finding(
                "CU702", text, start, end,
                f"`?` in the word {_shown(text, start, end)} stands for a character a "
                "narrow charset could not encode; recover the word from its source",
                confidence=0.8,
            )
        if "??" in text:
            for match in _QUESTION_WORDS.finditer(text):
                start, end = match.span("run" if match.group("run") else "bracketed")
                yield make_finding(
                    "CU702", text, start, end,
                    f"{quote(text[start:end])}: whole words lost to `?` by a conversion to a "
                    "narrow charset (text in another script); recover them from the source",
                    confidence=0.85,
                )
