"""Mojibake: text decoded with the wrong codec, found span by span and decoded back.

Three kinds of damage, each repaired from the text alone:

* UTF-8 bytes decoded as a single-byte code page (CU101 Latin pages, CU102 cp1251): every
  multi-byte UTF-8 character turns into two to four characters of the code page, `’` into `â€™`
  or `вЂ™`. We look for runs of exactly such sequences with ftfy's codecs (``sloppy-windows-1252``
  maps every byte, so nothing is lost), decode each run on its own and keep the repair only when
  ftfy's badness measure or Cyrillic letter statistics say the result reads better. Working on
  spans, not whole texts, gives exact offsets and leaves every undamaged character alone (ftfy's
  ``fix_text`` would also uncurl quotes; we never do).
* Cyrillic text that went through the wrong Cyrillic code page (CU103): cp1251 bytes read as
  KOI8-R or cp866 and the reverse. All letters stay Cyrillic, so no generic fixer notices; each
  word is re-decoded through every plausible pair of code pages and kept only when Russian,
  Ukrainian or Bulgarian letter-bigram statistics (``cleanup/data/cyrillic_bigrams.json``) say
  the repair is a real word and the original is not.
* HTML character references left in plain text (CU104) or escaped twice (CU105). In HTML, XML
  and Markdown a single reference is markup, so only the twice-escaped ones are damage there.

>>> import cleanup
>>> cleanup.fix("Zelenskyyâ€™s [хГПЮХКЪ] visit", select={"mojibake"}).text
'Zelenskyy’s [Израиля] visit'
"""

from __future__ import annotations

import html
import json
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from itertools import pairwise

import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-* codecs)
from ftfy.badness import badness

from cleanup.detect import Context, make_finding, quote
from cleanup.findings import Finding

#: Code pages UTF-8 is wrongly decoded as, most common first (ftfy's list, cp1252 with latin-1).
UTF8_MISREADINGS = (
    "sloppy-windows-1252",
    "sloppy-windows-1251",
    "macroman",
    "sloppy-windows-1250",
    "iso-8859-2",
    "cp437",
    "sloppy-windows-1253",
    "sloppy-windows-1254",
    "sloppy-windows-1257",
)

#: Code page names as people know them, for messages.
DISPLAY_NAMES = {
    "sloppy-windows-1252": "Windows-1252",
    "latin-1": "Latin-1",
    "sloppy-windows-1251": "Windows-1251",
    "macroman": "Mac Roman",
    "sloppy-windows-1250": "Windows-1250",
    "iso-8859-2": "ISO-8859-2",
    "cp437": "DOS cp437",
    "sloppy-windows-1253": "Windows-1253",
    "sloppy-windows-1254": "Windows-1254",
    "sloppy-windows-1257": "Windows-1257",
    "windows-1251": "Windows-1251",
    "koi8-r": "KOI8-R",
    "koi8-u": "KOI8-U",
    "cp866": "DOS cp866",
}

#: Cyrillic code page mixups, as (what the bytes were, what they were read as).
CYRILLIC_MIXUPS = (
    ("windows-1251", "koi8-r"),
    ("windows-1251", "koi8-u"),
    ("windows-1251", "cp866"),
    ("koi8-r", "windows-1251"),
    ("koi8-u", "windows-1251"),
    ("cp866", "windows-1251"),
    ("koi8-r", "cp866"),
    ("cp866", "koi8-r"),
)

#: Any character a wrong decoding can produce: outside ASCII, or `&` of an HTML entity.
_CANDIDATE_CHAR = re.compile(r"[^\x00-\x25\x27-\x7f]")

#: Horizontal whitespace: damage separated only by it is one finding.
_GAP = r"[^\S\r\n]+"


@dataclass(frozen=True)
class _CodePage:
    """How one single-byte code page spells UTF-8: its characters by byte class, as regexes."""

    name: str
    byte_of: dict[str, int]
    sequence: re.Pattern[str]
    run: re.Pattern[str]


def _char_class(chars: list[str]) -> str:
    return "[" + "".join(re.escape(c) for c in chars) + "]"


@cache
def _code_page(name: str) -> _CodePage:
    """Character classes of ``name`` for UTF-8 lead and continuation bytes, built once."""
    byte_of: dict[str, int] = {}
    for byte in range(0x80, 0x100):
        char = bytes([byte]).decode(name, errors="replace")
        if char != "\ufffd" and len(char) == 1:
            byte_of.setdefault(char, byte)
    if name == "sloppy-windows-1252":
        # Latin-1 leaves C1 controls where cp1252 has punctuation: read both the same way.
        for byte in range(0x80, 0xA0):
            byte_of.setdefault(chr(byte), byte)

    def chars(low: int, high: int) -> list[str]:
        return sorted(c for c, b in byte_of.items() if low <= b <= high)

    cont = _char_class(chars(0x80, 0xBF))
    lead2, lead3, lead4 = (_char_class(chars(0xC2, 0xDF)), _char_class(chars(0xE0, 0xEF)),
                           _char_class(chars(0xF0, 0xF4)))
    one = f"(?:{lead2}{cont}|{lead3}{cont}{{2}}|{lead4}{cont}{{3}})"
    # A no-break space (byte A0, the second byte of `à` and Cyrillic `Р`) is often turned into
    # a plain space on the way: accept it after a lead byte when more damage follows at once.
    sequence = f"(?:{one}|{lead2} (?={one}))"
    run = f"{sequence}+(?:{_GAP}{sequence}+)*"
    return _CodePage(name, byte_of, re.compile(sequence), re.compile(run))


def _decode_utf8_run(run: str, page: _CodePage) -> str | None:
    """Decode a run of UTF-8 sequences spelled in ``page``; None when a sequence is invalid."""
    out: list[str] = []
    position = 0
    for match in page.sequence.finditer(run):
        out.append(run[position:match.start()])
        data = bytes(0xA0 if c == " " else page.byte_of[c] for c in match.group())
        try:
            out.append(data.decode("utf-8"))
        except UnicodeDecodeError:
            return None
        position = match.end()
    out.append(run[position:])
    return "".join(out)


def _chain_name(page: str, span: str) -> str:
    if page == "sloppy-windows-1252" and all(ord(c) < 0x100 for c in span):
        return "latin-1"
    return page


# --- Cyrillic letter statistics ------------------------------------------------------------


@cache
def _bigram_log_probs() -> dict[str, tuple[dict[str, float], float]]:
    """Per language: log P(next letter | letter) for bigrams seen, and the log-prob of others."""
    raw = json.loads(files("cleanup").joinpath("data", "cyrillic_bigrams.json").read_text("utf-8"))
    models: dict[str, tuple[dict[str, float], float]] = {}
    for language, counts in raw["languages"].items():
        totals: dict[str, int] = {}
        for gram, count in counts.items():
            totals[gram[0]] = totals.get(gram[0], 0) + count
        log_probs = {gram: math.log(count / totals[gram[0]]) for gram, count in counts.items()}
        models[language] = (log_probs, math.log(1e-5))
    return models


def _is_cyrillic_letter(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff" and char.isalpha()


@cache
def cyrillic_word_score(word: str) -> float:
    """How much ``word`` looks like a Russian, Ukrainian or Bulgarian word: mean log-probability
    of its letter bigrams under the best of the three languages, minus a penalty for each
    lowercase-to-uppercase switch inside it (wrong code pages swap letter case).

    >>> cyrillic_word_score("Израиля") > -3 > cyrillic_word_score("хГПЮХКЪ")
    True
    """
    letters = word.lower()
    case_switches = sum(1 for a, b in pairwise(word) if a.islower() and b.isupper())
    grams = [a + b for a, b in zip(" " + letters, letters + " ")]
    best = -math.inf
    for log_probs, unseen in _bigram_log_probs().values():
        total = sum(log_probs.get(gram, unseen) for gram in grams)
        best = max(best, total / len(grams))
    return best - 2.0 * case_switches / max(len(word), 1)


# --- UTF-8 read as a single-byte code page (CU101, CU102) ----------------------------------


def _unlikely_char(char: str) -> bool:
    """Characters a real decoding almost never yields: controls, unassigned, private use."""
    category = unicodedata.category(char)
    if category in ("Cn", "Co", "Cs") or char == "\ufffd":
        return True
    if category == "Cc" and char not in "\t\n\r":
        return True
    return "\u0700" <= char <= "\u08ff"  # Syriac, Thaana, NKo, Samaritan: never from mojibake


def _reads_better(span: str, repaired: str, page: str, left: str, right: str) -> bool:
    """Whether ``repaired`` is what ``span`` once was, judged in its context."""
    if any(_unlikely_char(c) for c in repaired):
        return False
    if badness(left + span + right) > badness(left + repaired + right):
        return True
    if page != "sloppy-windows-1251":
        return False
    # cp1251 spells UTF-8 with Cyrillic letters, which ftfy's measure does not suspect.
    letters = [c for c in repaired if c.isalpha()]
    if letters and sum(map(_is_cyrillic_letter, letters)) >= len(letters) / 2:
        words = re.findall(r"\w+", repaired)
        garbled = re.findall(r"\w+", span)
        if not words or not garbled:
            return False
        gain = (sum(map(cyrillic_word_score, words)) / len(words)
                - sum(map(cyrillic_word_score, garbled)) / len(garbled))
        return gain > 1.5
    if any(_is_cyrillic_letter(c) for c in repaired):
        return False
    if all(unicodedata.category(c).startswith("M") for c in repaired):
        return False  # a lone combining mark: `Н©` is more likely KOI8 for `Нї`
    # The repair is Latin letters or punctuation. Real Cyrillic text spells such pairs too
    # (`Её`, `В»`), so ask for a symbol that no Cyrillic word contains, or Latin letters glued on.
    glued_to_latin = any(c.isalpha() and not _is_cyrillic_letter(c) for c in left + right)
    odd_symbol = any(not c.isalpha() and c not in "«»№–—…“”„" for c in span if not c.isspace())
    return glued_to_latin or odd_symbol


def _repair_utf8(span: str, left: str, right: str) -> tuple[str, list[str]] | None:
    """Decode ``span`` back to what it was, repeatedly for text encoded twice or more."""
    chain: list[str] = []
    current = span
    for _ in range(3):
        for name in UTF8_MISREADINGS:
            page = _code_page(name)
            if not page.run.fullmatch(current):
                continue
            decoded = _decode_utf8_run(current, page)
            if decoded is not None and decoded != current:
                chain[:0] = ["utf-8", _chain_name(name, current)]
                current = decoded
                break
        else:
            break
    if not chain or not _reads_better(span, current, chain[1], left, right):
        return None
    return current, chain


def _find_utf8_misreadings(text: str, taken: list[tuple[int, int]]) -> Iterator[Finding]:
    for name in UTF8_MISREADINGS:
        page = _code_page(name)
        for match in page.run.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            left, right = text[max(start - 1, 0):start], text[end:end + 1]
            repaired = _repair_utf8(match.group(), left, right)
            if repaired is None:
                continue
            replacement, chain = repaired
            code = "CU102" if chain[1] == "sloppy-windows-1251" else "CU101"
            taken.append((start, end))
            encodings = " then ".join(DISPLAY_NAMES.get(c, c) for c in chain[1::2])
            yield make_finding(
                code, text, start, end,
                f"UTF-8 read as {encodings}: {quote(match.group())} should be "
                f"{quote(replacement)}",
                replacement=replacement,
                confidence=0.99 if end - start > 2 else 0.95,
                encoding_chain=chain,
            )


# --- Cyrillic code page mixups (CU103) -----------------------------------------------------


@cache
def _mixup_word_pattern() -> re.Pattern[str]:
    """A word as a Cyrillic code page mixup spells it: Cyrillic letters and the box drawing and
    symbols KOI8 and cp866 have where cp1251 has letters."""
    chars = set()
    for _, read_as in CYRILLIC_MIXUPS:
        for byte in range(0x80, 0x100):
            char = bytes([byte]).decode(read_as, errors="replace")
            if char.isalpha() or unicodedata.category(char) == "So" or char in "©°²·÷∙√≈≤≥⌠⌡":
                chars.add(char)
    chars = {c for c in chars if c.isalpha() and _is_cyrillic_letter(c) or not c.isalpha()}
    word = _char_class(sorted(chars)) + "+"
    return re.compile(rf"(?<![^\W\d_]){word}(?![^\W\d_])")


@dataclass(frozen=True)
class WordRepair:
    """A word re-decoded through a pair of Cyrillic code pages, and how much better it reads."""

    repaired: str
    was: str
    read_as: str
    gain: float


@cache
def _repair_cyrillic_word(word: str) -> WordRepair | None:
    """The best re-decoding of ``word`` through a pair of code pages, if any reads better.

    Real words (most words) stop at the first test: they already read as Cyrillic and their
    case is sound, so no re-decoding could gain enough.
    """
    letters_only = all(map(_is_cyrillic_letter, word))
    original_score = cyrillic_word_score(word) if letters_only else -12.0
    if letters_only and _valid_case(word) and original_score > -2.4:
        return None
    best: WordRepair | None = None
    for was, read_as in CYRILLIC_MIXUPS:
        try:
            repaired = word.encode(read_as).decode(was)
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if repaired == word or not all(map(_is_cyrillic_letter, repaired)):
            continue
        gain = cyrillic_word_score(repaired) - original_score
        if gain > 0 and (best is None or gain > best.gain):
            best = WordRepair(repaired, was, read_as, gain)
    return best


def _valid_case(word: str) -> bool:
    """Words are lowercase, Capitalized or ALL CAPS; wrong Cyrillic code pages swap case."""
    return word.islower() or word.isupper() or (word[:1].isupper() and word[1:].islower())


def _clearly_garbled(word: str, repaired: str, gain: float, foreign: bool) -> bool:
    """Whether ``word`` alone is evidence enough: thresholds measured on the 13,937 words of real
    Russian in the MLQE-PE sources (none repaired) and on the same words garbled through every
    code page pair (most repaired). ``foreign`` says Cyrillic is not the document's script, where
    a garbled fragment cannot hide among good words and a lower bar is safe."""
    score = cyrillic_word_score(repaired)
    if len(word) < 3 or not _valid_case(repaired):
        return False
    if not _valid_case(word):
        return gain > 1.0 and score > -3.8
    if word.isupper() and len(word) <= 4:
        return False  # acronyms: РПЦ, ЕГЭ
    if foreign:
        return len(word) >= 5 and gain > 1.2 and score > -3.3
    return len(word) >= 6 and gain > 1.6 and score > -3.3


def _find_cyrillic_mixups(text: str, foreign: bool) -> Iterator[Finding]:
    """Words re-decoded, then grouped: damaged words separated only by whitespace are one run.

    A word too short to judge alone is repaired when a whitespace-separated neighbour that went
    through the same code pages is.
    """
    words = list(_mixup_word_pattern().finditer(text))
    repairs: dict[int, WordRepair] = {}
    for i, match in enumerate(words):
        repair = _repair_cyrillic_word(match.group())
        if repair is not None:
            repairs[i] = repair
    accepted = {i for i, r in repairs.items()
                if _clearly_garbled(words[i].group(), r.repaired, r.gain, foreign)}

    def joined(i: int, j: int) -> bool:
        """Words i < j are neighbours separated by whitespace only, read the same wrong way."""
        gap = text[words[i].end():words[j].start()]
        return (j == i + 1 and bool(gap) and gap.isspace() and "\n" not in gap
                and i in repairs and j in repairs
                and (repairs[i].was, repairs[i].read_as) == (repairs[j].was, repairs[j].read_as))

    changed = True
    while changed:
        changed = False
        for i in sorted(set(repairs) - accepted):
            if (i - 1 in accepted and joined(i - 1, i)) or (i + 1 in accepted and joined(i, i + 1)):
                accepted.add(i)
                changed = True
    groups: list[list[int]] = []
    for i in sorted(accepted):
        if groups and groups[-1][-1] == i - 1 and joined(i - 1, i):
            groups[-1].append(i)
        else:
            groups.append([i])
    for group in groups:
        start, end = words[group[0]].start(), words[group[-1]].end()
        replacement = text[start:end]
        for i in reversed(group):
            replacement = (replacement[:words[i].start() - start] + repairs[i].repaired
                           + replacement[words[i].end() - start:])
        first = repairs[group[0]]
        gain = sum(repairs[i].gain for i in group) / len(group)
        yield make_finding(
            "CU103", text, start, end,
            f"{DISPLAY_NAMES[first.was]} Cyrillic read as {DISPLAY_NAMES[first.read_as]}: "
            f"{quote(text[start:end])} should be {quote(replacement)}",
            replacement=replacement,
            confidence=round(min(0.99, 0.6 + gain / 10), 3),
            encoding_chain=[first.was, first.read_as],
        )


# --- HTML character references (CU104, CU105) ----------------------------------------------

_ENTITY = re.compile(
    r"&(?P<escapes>(?:amp;)*)(?P<reference>[A-Za-z][A-Za-z0-9]{1,31};|#[0-9]{1,7};"
    r"|#[xX][0-9A-Fa-f]{1,6};)"
)

#: Syntaxes in which one level of escaping is markup, not damage.
MARKUP_SYNTAXES = frozenset({"html", "xml", "markdown"})


def _find_entities(text: str, syntax: str) -> Iterator[Finding]:
    markup = syntax in MARKUP_SYNTAXES
    for match in _ENTITY.finditer(text):
        reference = "&" + match.group("reference")
        decoded = html.unescape(reference)
        if decoded == reference or _unlikely_char(decoded[0]):
            continue  # not a reference HTML knows
        escapes = match.group("escapes").count("amp;")
        span = match.group()
        if escapes == 0 and reference == "&amp;" and markup:
            continue
        if escapes >= 1:
            # Escaped twice: in markup one level is meant, so undo the extra ones only.
            replacement = reference if markup else decoded
            yield make_finding(
                "CU105", text, match.start(), match.end(),
                f"HTML entity escaped {escapes + 1} times: {quote(span)} should be "
                f"{quote(replacement)}",
                replacement=replacement, confidence=0.98,
            )
        elif not markup:
            yield make_finding(
                "CU104", text, match.start(), match.end(),
                f"HTML entity in plain text: {quote(span)} should be {quote(decoded)}",
                replacement=decoded, confidence=0.9,
            )


def find_mojibake(text: str, context: Context) -> Iterator[Finding]:
    """Every span of ``text`` decoded with the wrong codec, with the text it once was.

    >>> from cleanup.detect import Context
    >>> text = "cafÃ© &amp;quot;"
    >>> [(f.rule, f.text, f.replacement) for f in find_mojibake(text, Context(text))]
    [('CU101', 'Ã©', 'é'), ('CU105', '&amp;quot;', '"')]
    """
    if context.is_ascii and "&" not in text:
        return
    if not _CANDIDATE_CHAR.search(text):
        return
    findings: list[Finding] = []
    if "&" in text:
        findings.extend(_find_entities(text, context.syntax))
    if not context.is_ascii:
        taken = [(f.start, f.end) for f in findings]
        candidates = list(_find_utf8_misreadings(text, taken))
        candidates += _find_cyrillic_mixups(text, foreign=context.script != "Cyrillic")
        # Two readings of one span: the longer damaged run explains more, so it wins.
        candidates.sort(key=lambda f: (f.start - f.end, f.start))
        for finding in candidates:
            if not any(f.start < finding.end and finding.start < f.end for f in findings):
                findings.append(finding)
    findings.sort(key=lambda f: f.sort_key)
    yield from findings
