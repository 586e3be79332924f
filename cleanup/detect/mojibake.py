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
  word is re-decoded through every pair of code pages and kept only when the repair is a real
  Russian, Ukrainian or Bulgarian word and the original is not: a common word of the project's
  lexicon, or better letter bigrams (``cleanup/data/cyrillic_bigrams.json``), with rules on
  letter case (the pairs swap it). A line with clear damage is repaired as a whole.
* HTML character references left in plain text (CU104) or escaped twice (CU105). In HTML, XML
  and Markdown a single reference is markup, so only the twice-escaped ones are damage there.

>>> import cleanup
>>> cleanup.fix("Zelenskyyâ€™s [хГПЮХКЪ] visit", select={"mojibake"}).text
'Zelenskyy’s [Израиля] visit'
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise

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
    "windows-1252": "Windows-1252",
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



# --- Cheap on clean text: ftfy, code pages and patterns only where damage may be -------------
#
# Most text is clean, and clean text with curly quotes, dashes and accented names is not ASCII.
# One precompiled search (`_damage_gate`) tells such text apart before anything costly: ftfy
# (about 40 ms to import), the nine code page patterns (about 50 ms to compile) and the
# document's script are only paid for by text that holds a sequence some wrong decoding makes.


@cache
def _ftfy_badness() -> Callable[[str], int]:
    """ftfy's badness measure, imported on first use; also registers ftfy's codecs
    (``utf-8-variants``, ``sloppy-windows-*``)."""
    import ftfy.bad_codecs  # noqa: F401
    from ftfy.badness import badness as ftfy_badness

    return ftfy_badness


@lru_cache(maxsize=4096)
def badness(text: str) -> int:
    """How much ``text`` looks like mojibake, by ftfy's measure (ftfy is imported on first use).
    Cached: text dense with damage asks about the same few spans again and again.

    >>> badness("Zelenskyy’s") < badness("Zelenskyyâ€™s")
    True
    """
    return _ftfy_badness()(text)


def _decode_byte(byte: int, name: str) -> str:
    """Byte ``byte`` as code page ``name`` reads it. ftfy's ``sloppy-*`` pages read the bytes a
    Windows page leaves undefined as Latin-1 does; computed here from the standard codecs, so
    that building patterns needs no ftfy.

    >>> _decode_byte(0x92, "sloppy-windows-1252"), _decode_byte(0x81, "sloppy-windows-1252")
    ('’', '\\x81')
    """
    if name.startswith("sloppy-"):
        char = bytes([byte]).decode(name.removeprefix("sloppy-"), errors="replace")
        return chr(byte) if char == "\ufffd" else char
    return bytes([byte]).decode(name, errors="replace")


@cache
def _bytes_of(name: str) -> dict[str, int]:
    """The byte each character of code page ``name`` stands for (bytes 80-FF)."""
    byte_of: dict[str, int] = {}
    for byte in range(0x80, 0x100):
        char = _decode_byte(byte, name)
        if char != "\ufffd" and len(char) == 1:
            byte_of.setdefault(char, byte)
    if name == "sloppy-windows-1252":
        # Latin-1 leaves C1 controls where cp1252 has punctuation: read both the same way.
        for byte in range(0x80, 0xA0):
            byte_of.setdefault(chr(byte), byte)
    return byte_of


def _chars_of(name: str, *bytes_: int, low: int = 0, high: int = -1) -> list[str]:
    """Characters of code page ``name`` for the bytes ``bytes_`` and the range low-high."""
    return sorted(c for c, b in _bytes_of(name).items() if b in bytes_ or low <= b <= high)


#: Cyrillic letters and box drawing: every word a Cyrillic code page mixup repairs has one.
_CYRILLIC_OR_BOX = "\u0400-\u04ff\u2500-\u259f"
#: C1 control characters: bytes 80-9F decoded as Latin-1 where another code page was meant.
_C1 = "\x80-\x9f"


@lru_cache(maxsize=64)
def _damage_gate(pages: tuple[str, ...] = UTF8_MISREADINGS) -> re.Pattern[str]:
    """One search that finds every place a UTF-8 misreading through one of ``pages`` could
    start, and almost nothing in clean text: a C1 control, or a UTF-8 lead byte as the code
    page spells it followed by what a run of that page needs next (a continuation byte, a `?`
    or U+FFFD for lost bytes, a space for a lost no-break space). It is a superset of the
    start of every run `_code_page` matches: a lone accented letter (`Kraków`) or curly quote
    does not open it. The pattern starts with one character class, so the regex engine skips
    clean text at C speed; the rest is checked by lookaround only at those characters, and a
    match is that one character, where a run may start. Only
    the pages whose lead characters a text has are asked (`_pages_in`): Russian text, whose
    letters are all leads of cp1251, pays for no other page.

    >>> gate = _damage_gate()
    >>> [bool(gate.search(t)) for t in ("“Kraków”, São Paulo — fine…", "Zelenskyyâ€™s", "cafÃ©")]
    [False, True, True]
    """
    first = set(_C1_CHARS)
    checks = [f"(?<=[{_C1}])"]
    letter_next = "(?=[^\\W\\d_])"
    for name in pages:
        leads = _chars_of(name, low=0xC2, high=0xF4)
        first.update(leads)
        lead = _char_class(leads)
        cont = _char_class([*_chars_of(name, low=0x80, high=0xBF), "\ufffd"])
        checks += [
            f"(?<={lead})(?={cont})",
            f"(?<={_char_class(_chars_of(name, low=0xE0, high=0xEF))})(?=\\?)",
            (f"(?<={_char_class(_chars_of(name, 0xC2, 0xC3, 0xC5, 0xCE, 0xD0, 0xD9))})"
             f"(?= {lead})"),
            f"(?<={_char_class(_chars_of(name, 0xF0, low=0xE0, high=0xE3))})(?= {cont})",
            f"(?<={_char_class(_chars_of(name, 0xC2, 0xC5, 0xCE))})(?= {letter_next})",
        ]
    # A lost no-break space after `Ã` (cp1252) or `Г` (cp1251), and `Â?`, `Ã?` (lost bytes).
    if "sloppy-windows-1252" in pages:
        checks += ["(?<=Ã)(?= )", "(?<=[ÂÃ])(?=\\?)"]
    if "sloppy-windows-1251" in pages:
        checks += ["(?<=Г)(?= )"]
    first_class = "".join(map(re.escape, sorted(first)))
    return re.compile(f"[{first_class}](?:{'|'.join(checks)})")


@cache
def _lead_chars(name: str) -> frozenset[str]:
    """The characters code page ``name`` has for UTF-8 lead bytes (C2-F4)."""
    return frozenset(_chars_of(name, low=0xC2, high=0xF4))


def _pages_in(characters: frozenset[str]) -> tuple[str, ...]:
    """The code pages whose UTF-8 lead characters occur among ``characters``: a run of any
    other page cannot start in the text. One set intersection, then the few leads found.

    >>> _pages_in(frozenset("Привет"))
    ('sloppy-windows-1251',)
    """
    table = _pages_of_leads()
    mask = 0
    for char in characters & table.keys():
        mask |= table[char]
    return _pages_of_mask(mask)


@cache
def _pages_of_leads() -> dict[str, int]:
    """Each UTF-8 lead character of any code page -> the bit mask of the pages it leads in."""
    table: dict[str, int] = {}
    for index, name in enumerate(UTF8_MISREADINGS):
        for char in _lead_chars(name):
            table[char] = table.get(char, 0) | 1 << index
    return table


@lru_cache(maxsize=512)
def _pages_of_mask(mask: int) -> tuple[str, ...]:
    return tuple(name for index, name in enumerate(UTF8_MISREADINGS) if mask >> index & 1)


_C1_CHARS = "".join(map(chr, range(0x80, 0xA0)))

#: The characters after which a space can go on with damage: what the code pages have for the
#: UTF-8 lead bytes of a lost no-break space (C2, C3, C5, CE, D0, D9, E0-E3, F0), and `Ã`, `Г`.
#: Spelled out so that `_rough_gate` needs no code page tables.
_SPACE_LEADS = ("¬·ÂÃÅÎÐÙßàáâãðĀāĂăąĆćĐđĞğĪįĹŁŒŕŠšŮŸΒΓΕΞΠΩΰαβγπВГЕОРЩабвгр–‚„‡√≈≡┘├┬┼╨╬"
                "\uf8ff")


@cache
def _rough_gate() -> re.Pattern[str]:
    """A coarser `_damage_gate` that compiles in a fraction of a millisecond: a non-ASCII
    character followed by another, by `?`, or by a space where `_SPACE_LEADS` allow it, or a
    C1 control. Clean text with lone curly quotes, dashes and
    accented letters passes neither; text that passes it is searched by `_damage_gate`.

    >>> leads = {c for name in UTF8_MISREADINGS for c in _chars_of(
    ...     name, 0xC2, 0xC3, 0xC5, 0xCE, 0xD0, 0xD9, 0xF0, low=0xE0, high=0xE3)}
    >>> leads | set("ÃГ") == set(_SPACE_LEADS)
    True
    >>> [bool(_rough_gate().search(t)) for t in ("“We are ready,” he said", "’” – “", "Ã©")]
    [False, True, True]
    """
    return re.compile(f"[^\\x00-\\x7f](?:[^\\x00-\\x3e@-\\x7f]|(?<=[{_C1}])"
                      f"|(?<=[{re.escape(_SPACE_LEADS)}]) )")


def _may_be_damaged(text: str, pages: tuple[str, ...] = UTF8_MISREADINGS) -> bool:
    """Whether ``text`` (not ASCII) has a place where UTF-8 read through one of ``pages`` (or
    as Latin-1, for C1 controls) may have left damage."""
    rough = _rough_gate().search(text)
    return rough is not None and _damage_gate(pages).search(text, rough.start()) is not None

@dataclass(frozen=True)
class _CodePage:
    """How one single-byte code page spells UTF-8: its characters by byte class, as regexes."""

    name: str
    byte_of: dict[str, int]
    lead_chars: frozenset[str]
    run: re.Pattern[str]


def _char_class(chars: list[str]) -> str:
    return "[" + "".join(re.escape(c) for c in chars) + "]"


@cache
def _code_page(name: str) -> _CodePage:
    """Character classes of ``name`` for UTF-8 lead and continuation bytes, built once.

    A run is one or more UTF-8 sequences, possibly separated by horizontal whitespace. Two
    kinds of loss are read back, as ftfy does: a continuation byte shown as U+FFFD (a byte the
    decoder had no character for), and byte A0 (no-break space) turned into a plain space, which
    we accept where a sequence goes on after it.
    """
    byte_of = _bytes_of(name)

    def chars(low: int, high: int) -> list[str]:
        return sorted(c for c, b in byte_of.items() if low <= b <= high)

    lead2, lead3, lead4 = (_char_class(chars(0xC2, 0xDF)), _char_class(chars(0xE0, 0xEF)),
                           _char_class(chars(0xF0, 0xF4)))
    any_lead = _char_class(chars(0xC2, 0xF4))
    cont = f"(?:{_char_class(chars(0x80, 0xBF))}|\ufffd)"
    # A space where a sequence needs byte A0 (no-break space) is a lost A0, but only after the
    # lead bytes whose A0 sequences are common characters (ftfy's ALTERED_UTF8_RE): C2 A0
    # no-break space, C3 A0 `à`, C5 A0 `Š`, CE A0 `Π`, D0 A0 `Р`, D9 A0 `٠`, and E0-E3, F0.
    # At the end of a sequence, only where another sequence follows at once.
    lead2_a0 = _char_class([c for c, b in byte_of.items() if b in (0xC2, 0xC3, 0xC5, 0xCE,
                                                                    0xD0, 0xD9)])
    lead3_a0 = _char_class(chars(0xE0, 0xE3))
    lead4_a0 = _char_class(chars(0xF0, 0xF0))
    then = f"(?={any_lead})"
    with_lost_a0 = (f"{lead2_a0} {then}|{lead3_a0} {cont}|{lead3_a0}{cont} {then}"
                    f"|{lead4_a0}(?: {cont}{cont}|{cont} {cont}|{cont}{cont} {then})")
    # Where bytes were lost to a `?`, a three-byte sequence keeps its other two (`â€?`).
    lossy = f"{lead3}(?:{cont}\\?|\\?{cont})"
    if name == "sloppy-windows-1252":  # and `Ã?` for `Ã` + a lost byte, before more damage
        lossy += f"|[ÂÃ]\\?(?={any_lead})"
    # `Š` and `Π` (C5 A0, CE A0) whose no-break space became a space before the next letter,
    # and the no-break space itself (C2 A0) after no letter (`MISUTÂ AJIKKO` is a word in
    # capitals).
    before_letter = _char_class([c for c, b in byte_of.items() if b in (0xC5, 0xCE)])
    nbsp_lead = _char_class([c for c, b in byte_of.items() if b == 0xC2])
    sequence = (f"(?:{lead2}{cont}|{lead3}{cont}{{2}}|{lead4}{cont}{{3}}|{with_lost_a0}|{lossy}"
                f"|{before_letter} (?=[^\\W\\d_])|(?<![^\\W\\d_]){nbsp_lead} (?=[^\\W\\d_]))")
    # `à` is C3 A0; when its no-break space became a space, `Ã` (cp1252) or `Г` (cp1251)
    # stands alone before a space (ftfy's A_GRAVE_WORD_RE): only after lowercase or no
    # letter, since capitals end words in `Ã` (IRMÃ) and `Г` (ЛГ).
    # Portuguese contracts `à` with what follows (`às`, `àquele`, `àquilo`): there the space
    # is the lost A0 itself, not a space after the word `à`.
    if name == "sloppy-windows-1252":
        sequence = (f"(?:{sequence}|(?<![^\\W\\d_a-zß-ÿ])Ã"
                    f"(?: (?=s |quel|quil)| (?= )|(?= )))")
    elif name == "sloppy-windows-1251":
        sequence = f"(?:{sequence}|(?<![^\\W\\d_a-z])Г(?: (?= )|(?= )))"
    run = f"{sequence}+(?:[ \\t]+{sequence}+)*"
    return _CodePage(name, byte_of, frozenset(chars(0xC2, 0xF4)), re.compile(run))


def _decode_utf8_run(run: str, page: _CodePage) -> str | None:
    """Decode a run of UTF-8 sequences spelled in ``page``; None when it is not valid UTF-8.

    A U+FFFD inside a sequence stands for lost bytes: the sequence decodes to U+FFFD. A lone
    `Ã` before a space lost its no-break space. Surrogate pairs of CESU-8 decode as one
    character (ftfy's ``utf-8-variants`` codec).
    """
    data = bytearray()
    i = 0
    while i < len(run):
        char = run[i]
        if char in page.lead_chars:
            lead = page.byte_of[char]
            length = 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
            sequence = run[i:i + length]
            if "\ufffd" in sequence or "?" in sequence:
                data += "\ufffd".encode()
            elif len(sequence) < length:
                data += bytes([lead, 0xA0])  # `Ã` whose no-break space became a space
                length = 1
            else:
                for c in sequence:
                    if c == " ":
                        data.append(0xA0)
                    elif c in page.byte_of:
                        data.append(page.byte_of[c])
                    else:
                        return None
            i += length
        elif char in " \t":
            data += char.encode()
            i += 1
        else:
            return None
    _ftfy_badness()  # registers ftfy's utf-8-variants codec
    try:
        return bytes(data).decode("utf-8-variants")
    except UnicodeDecodeError:
        return None


def _chain_name(page: str, span: str) -> str:
    if page == "sloppy-windows-1252" and all(ord(c) < 0x100 for c in span):
        return "latin-1"
    return page


# --- Cyrillic letter statistics ------------------------------------------------------------


@cache
def _bigram_log_probs() -> dict[str, tuple[dict[str, float], float]]:
    """Per language: log P(next letter | letter) for bigrams seen, and the log-prob of others."""
    import json
    from importlib.resources import files

    raw = json.loads(files("cleanup").joinpath("data", "cyrillic_bigrams.json").read_text("utf-8"))
    models: dict[str, tuple[dict[str, float], float]] = {}
    for language, counts in raw["languages"].items():
        totals: dict[str, int] = {}
        for gram, count in counts.items():
            totals[gram[0]] = totals.get(gram[0], 0) + count
        log_probs = {gram: math.log(count / totals[gram[0]]) for gram, count in counts.items()}
        models[language] = (log_probs, math.log(1e-5))
    return models


@lru_cache(maxsize=8192)
def word_frequency(word: str) -> int:
    """How common ``word`` is in Russian, Ukrainian or Bulgarian: Zipf x 10, 0 when unknown.

    From the project's wordfreq lexicon (`cleanup/data/lexicon-cyrillic.tsv.gz`, built by
    `scripts/build_lexicons.py`), the one `cleanup.language` keeps for every detector.

    >>> word_frequency("Израиля") >= 30 > word_frequency("хГПЮХКЪ")
    True
    """
    from cleanup.language import lexicon

    best = 0
    for item in lexicon("cyrillic").entry(word.lower()).split():
        language, _, value = item.partition(":")
        if language in ("ru", "uk", "bg") and value.isdigit():
            best = max(best, int(value))
    return best


#: A word at least this common (Zipf 3: about once per 100,000 words) is a real word.
COMMON = 30
#: Letter bigram score (`cyrillic_word_score`) below which a well-formed word is unlike any
#: Russian, Ukrainian or Bulgarian word: about 5% of the real words of five letters and more
#: in Russian and Ukrainian text score lower (MLQE-PE sources, system message catalogs), and
#: 80% of those words garbled through KOI8-R and cp1251.
UNLIKE_ANY_WORD = -4.0
#: A word less common than this (or unknown) is no evidence of real text.
RARE = 20


def _is_cyrillic_letter(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff" and char.isalpha()


@lru_cache(maxsize=65536)  # per distinct word: bounded, whatever the corpus
def cyrillic_word_score(word: str) -> float:
    """How much ``word`` looks like a Russian, Ukrainian or Bulgarian word: mean log-probability
    of its letter bigrams under the best of the three languages, minus a penalty for each
    lowercase-to-uppercase switch inside it (wrong code pages swap letter case).

    >>> cyrillic_word_score("Израиля") > -3 > cyrillic_word_score("хГПЮХКЪ")
    True
    """
    letters = word.lower()
    case_switches = sum(1 for a, b in pairwise(word) if a.islower() and b.isupper())
    grams = [a + b for a, b in zip(" " + letters, letters + " ", strict=True)]
    best = -math.inf
    for log_probs, unseen in _bigram_log_probs().values():
        total = sum(log_probs.get(gram, unseen) for gram in grams)
        best = max(best, total / len(grams))
    return best - 2.0 * case_switches / max(len(word), 1)


# --- UTF-8 read as a single-byte code page (CU101, CU102) ----------------------------------


@lru_cache(maxsize=8192)
def _unlikely_char(char: str) -> bool:
    """Characters a real decoding almost never yields: controls, unassigned, private use."""
    category = unicodedata.category(char)
    if category in ("Cn", "Co", "Cs"):
        return True
    if category == "Cc" and char not in "\t\n\r":
        return True
    # Scripts and letters decoding garbage lands on, which real text of today hardly uses.
    return any(low <= char <= high for low, high in _RARE_RANGES)


#: Syriac to Samaritan, Cyrillic Supplement, Mongolian, and the long s `ſ`.
_RARE_RANGES = (("\u0700", "\u08ff"), ("\u0500", "\u052f"), ("\u1800", "\u18af"),
                ("\u017f", "\u017f"))


def _oddness(text: str, unusual_letters: frozenset[str] = frozenset(),
             quotes_join: bool = False) -> int:
    """How unlike written text ``text`` is, in the ways mojibake shows: symbols and punctuation
    but quotes and dashes inside words (`g√¢teaux`), box drawing and C1 controls anywhere, lowercase-to-uppercase
    switches inside words (`ÄŒeÅ¡tina`), letters of two scripts meeting inside a word
    (`ΓÇô`, `оᒺкт`), and ``unusual_letters``: letters the document's language does not write.
    With ``quotes_join``, quotes and dashes inside a word are no oddity (Turkish `“full”ün`).

    One pass over the characters with their facts looked up once each (`_facts`): long runs of
    mojibake are measured in linear time at a few dictionary lookups a character.

    >>> _oddness("g√¢teaux"), _oddness("gâteaux"), _oddness("об’єкт"), _oddness("оᒺкт")
    (4, 0, 0, 4)
    """
    score = 0
    for token in text.split():
        facts = [_facts(c) for c in token]
        letters = [i for i, fact in enumerate(facts) if fact[0]]
        first, last = (letters[0], letters[-1]) if letters else (0, 0)
        previous: tuple[bool, bool, bool, str | None, bool, bool, bool] | None = None
        for i, fact in enumerate(facts):
            _, _, upper, script, symbol, control, joining = fact
            symbol = symbol and not (quotes_join and joining)
            char = token[i]
            box_by_letter = "\u2500" <= char <= "\u259f" and (
                (i > 0 and facts[i - 1][0]) or (i + 1 < len(facts) and facts[i + 1][0]))
            if control or box_by_letter or (symbol and first < i < last) \
                    or char in unusual_letters:
                score += 2
            if previous is not None:
                if previous[1] and upper:  # `iPhone` switches case, hardly ever to non-ASCII
                    score += 1 if char.isascii() else 2
                if previous[3] and script and previous[3] != script:
                    score += 2
            previous = fact
    return score


@lru_cache(maxsize=8192)
def _facts(char: str) -> tuple[bool, bool, bool, str | None, bool, bool, bool]:
    """(letter, lowercase, uppercase, script of a letter or non-ASCII digit, a symbol that is
    odd inside a word, a C1 control, a quote or dash) of one character, for `_oddness`."""
    alpha = char.isalpha()
    script = _letter_script(char) if alpha or (char.isdigit() and not char.isascii()) else None
    category = unicodedata.category(char)
    symbol = (not char.isalnum() and char not in "'’-‐.·\ufffd" and category[0] != "M")
    return (alpha, char.islower(), char.isupper(), script, symbol, "\x80" <= char <= "\x9f",
            category in ("Pi", "Pf", "Pd"))


def _script_switches(token: str, script: str = "") -> int:
    """How often two letters of different scripts meet inside ``token``: never in a real word
    (Chinese and Japanese characters count as one script), often where a code page spelled
    part of a word (`ΓÇô` is cp437 for `–`) or a repair decoded half a word (`оᒺкт`).

    >>> _script_switches("Zelenskyy’s"), _script_switches("Иммутабельны黗обязательно")
    (0, 2)
    """
    scripts = [_facts(c)[3] for c in token]
    lenient = _GREEK_IN_LATIN if script == "Latin" else frozenset()
    return sum(1 for a, b in pairwise(scripts) if a and b and a != b
               and not (a in lenient and b in lenient))


#: Latin text writes Greek letters inside its words (`10μs`, `IL2Rγc`, `β-blocker`).
_GREEK_IN_LATIN = frozenset({"LATIN", "GREEK"})


@lru_cache(maxsize=4096)
def _letter_script(char: str) -> str:
    """The script of a letter or mark, from the first word of its Unicode name (`LATIN`,
    `CYRILLIC`, `CANADIAN`...), with the letters below U+0250 all Latin (`ª`, `µ`) and
    Chinese characters and kana one script (`Han`); cheap, and enough to tell scripts apart.

    >>> _letter_script("é"), _letter_script("ж"), _letter_script("黗"), _letter_script("ᒺ")
    ('LATIN', 'CYRILLIC', 'Han', 'CANADIAN')
    """
    if char < "\u0250":
        return "LATIN"
    script = unicodedata.name(char, "?").split()[0]
    return "Han" if script in _HAN_NAMES else script


#: First words of the Unicode names of Chinese characters and Japanese kana.
_HAN_NAMES = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH", "IDEOGRAPHIC"})


def _scripts(text: str) -> set[str]:
    return {_letter_script(c) for c in set(text) if c.isalpha()}


#: Symbols a code page has that real text never puts right after a letter, though UTF-8
#: continuation bytes spell them there all the time.
_NEVER_AFTER_A_LETTER = frozenset("€‚ƒ„†‡ˆ‰‹•˜›¤¦¬¯±¶¸¼½¾¢£¥§„Ÿ") | frozenset(
    chr(c) for c in range(0x80, 0xA0))


def _decodes_whole_word(word: str, page: _CodePage) -> bool:
    """Whether every box-drawing character of ``word`` belongs to a run that decodes to
    plausible text: true of a word read as cp437 (`╨┐╤Ç╨░╨▓╨╕╨╗╤î╨╜╨╛`), not of line art."""
    covered: set[int] = set()
    for match in page.run.finditer(word):
        decoded = _decode_utf8_run(match.group(), page)
        if decoded is None or any(map(_unlikely_char, set(decoded))):
            return False
        covered.update(range(*match.span()))
    return all(i in covered for i, c in enumerate(word) if "\u2500" <= c <= "\u259f")


@dataclass(frozen=True)
class Reader:
    """What a repair is judged against: the document's main script, and the letters of the
    code pages that its language does not write (Serbian `ђ` in Russian text, but not in
    Serbian)."""

    script: str = "Latin"
    unusual_letters: frozenset[str] = frozenset()

    @classmethod
    def of(cls, context: Context) -> Reader:
        """The reader of ``context``'s document: its language is asked only for Cyrillic text,
        where it decides which Cyrillic letters are its own."""
        script = context.script
        language = context.language if not context.non_ascii.isdisjoint(
            _NOT_RUSSIAN_OR_UKRAINIAN) else None  # the language only decides about these
        own = _OWN_CYRILLIC_LETTERS.get(language or "", "")
        return cls(script, frozenset(c for c in _NOT_RUSSIAN_OR_UKRAINIAN if c not in own))


#: Letters of `_NOT_RUSSIAN_OR_UKRAINIAN` that a Cyrillic language writes.
_OWN_CYRILLIC_LETTERS = {"sr": "ЂђЋћЏџЈјЉљЊњ", "mk": "ЃѓЌќЅѕЏџЈјЉљЊњ", "be": "Ўў", "uz": "Ўў"}


@lru_cache(maxsize=8192)
def _ordinary(char: str, script: str) -> bool:
    """Whether ``char`` is what a text in ``script`` is made of: ASCII, punctuation and
    symbols (but modifiers and digits of other scripts), the Latin letters of living languages (Latin-1,
    Latin Extended-A, Romanian, Vietnamese, Pinyin), Greek letters in Latin text (`μs`,
    `IL2Rγc`), and the letters and marks of the document's own script. A repair to anything
    else (a Chinese character in Russian text, a modifier letter) needs clear damage.

    >>> [_ordinary(c, "Cyrillic") for c in "’é€ж✔黗ʰ"], _ordinary("Ȇ", "Latin")
    ([True, True, True, True, True, False, False], False)
    """
    if char.isascii() or char.isspace():
        return True
    if char.isalpha() or unicodedata.category(char)[0] == "M":
        if char < "\u0180" or char in _LIVING_LATIN or "\u1ea0" <= char <= "\u1ef9":
            return True
        own = _letter_script(_SCRIPT_SAMPLE.get(script, "a"))
        letter_script = _letter_script(char)
        return letter_script != "LATIN" and letter_script in (
            (own, "GREEK") if script == "Latin" else (own,))
    return unicodedata.category(char) not in ("Cn", "Co", "Lm", "Sk", "Nd")


#: Letters beyond Latin Extended-A that living languages write: Romanian `ș ț`, Vietnamese
#: `ơ ư` (with U+1EA0-U+1EF9), Pinyin tone marks.
_LIVING_LATIN = frozenset("ȘșȚțƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜ")


#: One letter of each script a document can have, to compare scripts by `_letter_script`.
_SCRIPT_SAMPLE = {"Latin": "a", "Cyrillic": "ж", "Greek": "λ", "Han": "中", "Hiragana": "あ",
                  "Katakana": "ア", "Arabic": "ب", "Hebrew": "א", "Hangul": "한",
                  "Armenian": "ա", "Georgian": "ა", "Devanagari": "क", "Thai": "ก"}


def _word_around(text: str, start: int, end: int) -> tuple[str, str]:
    """The rest of the whitespace-delimited word around ``text[start:end]``: what stands before
    and after it, at most `_WORD_REACH` characters each way (so that a huge line without spaces
    costs no more per span than a word)."""
    head = text[max(start - _WORD_REACH, 0):start]
    tail = text[end:end + _WORD_REACH]
    cut = _LAST_SPACE.search(head)
    before = head[cut.end():] if cut else head
    match = _FIRST_SPACE.search(tail)
    after = tail[:match.start()] if match else tail
    return before, after


_WORD_REACH = 32
_LETTER = re.compile(r"[^\W\d_]")
_LAST_SPACE = re.compile(r"\s(?=\S*\Z)")
_FIRST_SPACE = re.compile(r"\s")


def _evidence(span: str, repaired: str, page: str, text: str, start: int, end: int,
              reader: Reader = Reader(), consistent: bool = True) -> str | None:
    """``"strong"`` when ``repaired`` clearly reads better than ``span`` in its context,
    ``"weak"`` when it is a plausible decoding that needs clear damage of the same code page on
    its line to be believed, None when it is not what the span once was. ``consistent`` says
    whether every non-ASCII character of the span's line belongs to a run of this code page,
    as when the whole line was read with it.

    The bar (docs/safe-fixes.md): the span reads wrong in the document and its repair reads
    right there. Clear damage is in the span itself (a symbol no word has after a letter,
    symbols or a capital inside a word, a letter the language does not write). Without it, a
    repair is never believed when it glues a letter of another script into a word (`оᒺкт`),
    brings in a character the document's script does not use (`К°` is no `ʰ`), or reads
    well-formed Cyrillic as cp1251 in Cyrillic text (`В React`, `в «`); and on a line that was
    not read with this code page as a whole (`»Zeitstempel«` is no Mac Roman) it is weak.
    """
    left, right = text[max(start - 1, 0):start], text[end:end + 1]
    before, after = _word_around(text, start, end)
    around = "" if page != "sloppy-windows-1251" else "".join(  # only cp1251 asks
        _LETTER.findall(text, max(start - 20, 0), start) + _LETTER.findall(text, end, end + 20))
    return _judged(span, repaired, page, left, right, before, after, around, reader, consistent)


@lru_cache(maxsize=4096)
def _judged(span: str, repaired: str, page: str, left: str, right: str, before: str, after: str,
            around: str, reader: Reader, consistent: bool) -> str | None:
    """`_evidence` once the span's context is read: the character on each side, the rest of
    its word, the letters within 20 characters. Cached: a document repeats its damage."""
    if any(map(_unlikely_char, set(repaired))):
        return None
    if repaired.isspace() and left.isupper():
        return None  # `Â` ending a word in capitals, then a no-break space: MISUTÂ AJIKKO
    if len(_scripts(repaired)) > max(2, len(_scripts(span))) or badness(
            repaired.replace("\ufffd", "")) > 1:
        return None  # decoding hopeless garble yields a salad of scripts, or more garble
        # (U+FFFD is no garble: it stands for bytes lost before we saw the text)
    if any("\u2500" <= c <= "\u259f" for c in span) and not _decodes_whole_word(
            before + span + after, _code_page(page)):
        return None  # line art (`├┤a┼┐a┼┐a`), not text read as cp437
    if "?" in span and not any(c in _NEVER_AFTER_A_LETTER for c in span):
        return None  # a `?` counts as a lost byte only beside a symbol no word has: `â€?` is
        # lossy UTF-8, `откуда?»` and `café?»` are questions
    was, now = before + span + after, before + repaired + after
    odd_drop = _oddness(was, reader.unusual_letters) - _oddness(now, reader.unusual_letters)
    if " " in span:  # reading a space as a lost no-break space joins two tokens into one, so
        odd_drop = min(odd_drop, 1)  # oddness within tokens is no longer comparable
    bad_drop = badness(left + span + right) - badness(left + repaired + right)
    never_after_letter = not left.isupper() and any(
        a.isalpha() and b in _NEVER_AFTER_A_LETTER for a, b in pairwise(left + span))
    clear_in_any_language = never_after_letter or bad_drop >= 2 or _oddness(
        left + span, quotes_join=True) >= 2
    clear = clear_in_any_language or _oddness(left + span, reader.unusual_letters,
                                               quotes_join=True) >= 2
    glues_scripts = _script_switches(now, reader.script) > _script_switches(was, reader.script)
    in_cyrillic = page == "sloppy-windows-1251" and (
        reader.script == "Cyrillic" or sum(map(_is_cyrillic_letter, around)) * 2 >= len(around) > 0)
    if not clear:
        if in_cyrillic:
            # Well-formed Cyrillic in Cyrillic text (`В React`, `в «`, `Рўйхат`) is UTF-8 read
            # as cp1251 only on a line read so as a whole, beside clear damage (`т.Рє.`).
            return "weak" if consistent else None
        if not consistent and (glues_scripts or not all(
                _ordinary(c, reader.script) for c in set(repaired))):
            return None  # `об’єкт` is no `оᒺкт`, `К°` no `ʰ`, `»Ü` no `Ȇ`
    evidence = _strength(span, repaired, page, around, left, right, bad_drop, odd_drop,
                         never_after_letter)
    if evidence == "strong" and (
            not clear and "\ufffd" in repaired and ("\ufffd" in span or "?" in span)
            or not consistent and not (badness(span) or _oddness(span, reader.unusual_letters))
            or clear and not clear_in_any_language and (
                in_cyrillic or any(map(_is_cyrillic_letter, before + after)))):
        return "weak"  # a lone letter beside lost bytes (`Ă�frica`), a pair that is only bad
        # in its word on a line of mixed provenance (`– DrÃ¥ber`, as ftfy judges it), or
        # Cyrillic whose only oddity is a letter of another Cyrillic language (`Рўйхат` is
        # Uzbek, `померај` Serbian): believed only beside clear damage of the same code page
    return evidence


def _strength(span: str, repaired: str, page: str, around: str, left: str, right: str,
              bad_drop: int, odd_drop: int, never_after_letter: bool) -> str | None:
    """The evidence for a repair that passed `_evidence`'s bars: strong, weak or none.
    ``around`` holds the letters within 20 characters of the span."""
    if bad_drop > 0 or odd_drop >= 2:
        return "strong"
    if span[0] in "√‚¬ƒ≈·" and (left.isalpha() or right.isalpha()):
        return "strong"  # Mac Roman's commonest UTF-8 leads glued to a word: `√òresund`,
        # `profiter‚Ä¶`; alone they are math (`√π`)
    if any("\u2500" <= c <= "\u259f" for c in span):
        return "strong"  # box drawing that decodes with its whole word (`┬╜` for `½`)
    if never_after_letter:
        return "strong"  # `Ñ€` for `р`: no word has `€` after a letter (leetspeak in capitals
        # does: `SÉ¡`, `MÄ£ÄM`)
    if page != "sloppy-windows-1251":
        return "weak" if odd_drop >= 0 else None
    # cp1251 spells UTF-8 with Cyrillic letters, which ftfy's measure does not suspect, and real
    # Cyrillic text spells UTF-8 sequences too (`Её`, `В»`): no weak evidence here.
    letters = [c for c in repaired if c.isalpha()]
    if letters and sum(map(_is_cyrillic_letter, letters)) >= len(letters) / 2:
        words = re.findall(r"\w+", repaired)
        garbled = re.findall(r"\w+", span)
        if not words or not garbled:
            return None
        gain = (sum(map(cyrillic_word_score, words)) / len(words)
                - sum(map(cyrillic_word_score, garbled)) / len(garbled))
        return "strong" if gain > 1.5 else None
    if any(_is_cyrillic_letter(c) for c in repaired):
        return None
    if all(unicodedata.category(c).startswith("M") for c in repaired):
        return None  # a lone combining mark: `Н©` is more likely KOI8 for `Нї`
    # The repair is Latin letters or punctuation: ask for a symbol no Cyrillic word contains,
    # or Latin letters glued on; in a Latin sentence, it is plausible (`Г` for `à`).
    # A space read as a lost no-break space is an assumption: a Cyrillic capital glued to Latin
    # letters before a space (`ЕХАМРLЕ in`), or before a no-break space (`В React`), is a word
    # as often as `Š` read as cp1251.
    glued_to_latin = not any(c.isspace() for c in span) and any(
        c.isalnum() and not _is_cyrillic_letter(c) for c in left + right)
    odd_symbol = any(not c.isalpha() and c not in "«»№–—…“”„’‘'" for c in span
                     if not c.isspace())
    if glued_to_latin or odd_symbol:
        return "strong"
    latin_around = sum(map(_is_cyrillic_letter, around)) * 2 < len(around)
    if latin_around and any(c in _NOT_RUSSIAN_OR_UKRAINIAN or not (c.isalpha() or c.isspace())
                            for c in span):
        return "strong"  # `Гј` for `ü`: `ј` is Serbian; `В«` for `«`: Russian puts a space
        # after `В`; neither is Latin-script prose
    return "weak" if latin_around else None


#: Cyrillic letters of cp1251 that Russian, Ukrainian and Bulgarian never use (Serbian and
#: Macedonian ones), but UTF-8 continuation bytes spell all the time.
_NOT_RUSSIAN_OR_UKRAINIAN = frozenset("ЂђЃѓЉљЊњЌќЋћЏџЈјЅѕЎў")


def _repair_utf8(span: str, first_page: _CodePage,
                 script: str = "Latin") -> tuple[str, list[str]] | None:
    """`_decoded_utf8` of a run through a code page (cached by its name)."""
    decoded = _decoded_utf8(span, first_page.name, script)
    return None if decoded is None else (decoded[0], list(decoded[1]))


@lru_cache(maxsize=4096)
def _decoded_utf8(span: str, first_name: str, script: str) -> tuple[str, tuple[str, ...]] | None:
    """Decode ``span`` back to what it was, repeatedly for text encoded twice or more: again
    while what a decoding gave is odd (`ÃƒÂ©` gives `Ã©`, then `é`) or decodes to characters
    of the document's ``script`` (`»Ü` is no Mac Roman `Ȇ`); never as cp1251 when it reads
    as Cyrillic (`Ð’Â\u00a0` gives `В\u00a0`, a Russian preposition and its no-break
    space, which is no cp1251 for a lost one)."""
    first_page = _code_page(first_name)
    decoded = _decode_utf8_run(span, first_page)
    if decoded is None or decoded == span:
        return None
    chain = ["utf-8", _chain_name(first_name, span)]
    current = decoded
    for _ in range(3):
        odd = _oddness(current)
        for name in UTF8_MISREADINGS:
            page = _code_page(name)
            if not page.run.fullmatch(current):
                continue
            again = _decode_utf8_run(current, page)
            if (again is not None and again != current
                    and not any(map(_unlikely_char, set(again)))
                    and (odd >= 2 or name != "sloppy-windows-1251" and all(
                        _ordinary(c, script) for c in set(again)))
                    and badness(again) <= badness(current)
                    and _oddness(again) <= odd):
                chain[:0] = ["utf-8", _chain_name(name, current)]
                current = again
                break
        else:
            break
    return current, tuple(chain)


def _non_ascii_count(text: str) -> int:
    """How many characters of ``text`` are not ASCII, counted in C."""
    return len(text) - len(text.encode("ascii", "ignore"))


def _foreign_characters(line: str, script: str) -> int:
    """How many characters of ``line`` are neither ASCII nor `_own_letter`s: each distinct
    character is judged once and only the few foreign ones are counted, in C (a Russian
    line is hundreds of its own letters).

    >>> _foreign_characters("Он сказал: «да» — и ушёл", "Cyrillic")
    3
    """
    return sum(line.count(char) for char in frozenset(line).difference(_ASCII)
               if not _own_letter(char, script))


_ASCII = frozenset(map(chr, range(128)))


def _own_letter(char: str, script: str) -> bool:
    """Whether ``char`` is a letter a text in ``script`` writes (see `_ordinary`)."""
    return char.isalpha() and _ordinary(char, script)


def _own_letters(text: str, script: str) -> int:
    """How many characters of ``text`` are `_own_letter`s (`Ã` in `Ã¤` is one)."""
    return sum(1 for c in text if not c.isascii() and _own_letter(c, script))


def _quoted(fragment: str) -> str:
    """`quote` of a fragment that may be a whole file long: it shows 60 characters at most, so
    only those are escaped."""
    return quote(fragment[:61])


def _utf8_finding(text: str, start: int, end: int, replacement: str,
                  chain: list[str], evidence: str) -> Finding:
    code = "CU102" if "sloppy-windows-1251" in chain[1::2] else "CU101"
    encodings = " then ".join(DISPLAY_NAMES.get(c, c) for c in chain[1::2])
    confidence = 0.99 if end - start > 2 else 0.95
    return make_finding(
        code, text, start, end,
        f"UTF-8 read as {encodings}: {_quoted(text[start:end])} should be "
        f"{_quoted(replacement)}",
        replacement=replacement,
        confidence=confidence if evidence == "strong" else confidence - 0.15,
        encoding_chain=chain,
    )




def _repairs_help(text: str, findings: list[Finding]) -> list[Finding]:
    """The repairs that explain what they touch. Hopeless garble (`ã†â€™ãƒâ€ ã¢â‚¬â„¢`) has
    pieces that decode, but decoding them explains nothing: a word with characters outside
    its repairs that is still bad by ftfy's measure once repaired keeps none of them, and
    repairs that together leave the text worse by that measure are all dropped. ftfy
    leaves such text alone, and so do we."""
    words: list[tuple[int, int, list[Finding]]] = []  # the words repairs touch, merged
    for finding in sorted(findings, key=lambda f: f.start):
        before, after = _word_around(text, finding.start, finding.end)
        start, end = finding.start - len(before), finding.end + len(after)
        if words and start < words[-1][1]:
            words[-1] = (words[-1][0], max(end, words[-1][1]), words[-1][2] + [finding])
        else:
            words.append((start, end, [finding]))
    kept: list[Finding] = []
    for start, end, group in words:
        outside = _non_ascii_count(text[start:end]) - sum(
            _non_ascii_count(f.text) for f in group)
        if not outside or not badness(_applied(text, start, end, group).replace("\ufffd", "")):
            kept.extend(group)
    bad_before = badness(text)
    if not kept or bad_before == 0:
        return kept  # cp1251 spelling Cyrillic: ftfy's measure sees nothing either way
    repaired = _applied(text, 0, len(text), kept)
    return kept if badness(repaired.replace("\ufffd", "")) <= bad_before else []


def _applied(text: str, start: int, end: int, findings: list[Finding]) -> str:
    """``text[start:end]`` with the replacements of ``findings`` (sorted, disjoint, inside it),
    built in one pass.

    >>> found = list(find_mojibake("cafÃ© au lait", Context("cafÃ© au lait")))
    >>> _applied("cafÃ© au lait", 0, 13, found)
    'café au lait'
    """
    pieces, position = [], start
    for finding in findings:
        pieces += [text[position:finding.start], finding.replacement or ""]
        position = finding.end
    pieces.append(text[position:end])
    return "".join(pieces)


def _lines_to_search(text: str, pages: tuple[str, ...] = UTF8_MISREADINGS
                     ) -> list[tuple[int, int]]:
    """Where code page runs can be: on every line where `_damage_gate` matches, from its first
    match to the line's end (a run starts where the gate matches). Runs never hold a line break,
    and what their lookaheads ask for (a space, a letter, a lead byte) is no line break either,
    so searching these stretches finds the same runs as searching the whole text, at a fraction
    of the cost in long documents.

    >>> _lines_to_search("clean “line”\\nZelenskyyâ€™s\\nclean")
    [(22, 26)]
    """
    gate = _damage_gate(pages)
    lines: list[tuple[int, int]] = []
    position = 0
    while (match := gate.search(text, position)) is not None:
        end = text.find("\n", match.start())
        end = len(text) if end < 0 else end
        lines.append((match.start(), end))
        position = end + 1
    return lines


class _Taken:
    """Disjoint spans already explained, for overlap tests in logarithmic time: a text dense
    with damage has thousands of them.

    >>> taken = _Taken([(2, 5)])
    >>> taken.overlaps(4, 6), taken.overlaps(5, 7)
    (True, False)
    """

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in sorted(spans):
            self.add(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.starts, end)  # spans starting before ``end``
        return index > 0 and self.ends[index - 1] > start

    def contains(self, start: int, end: int) -> bool:
        """Whether one longer span holds all of ``[start, end)``."""
        index = bisect.bisect_right(self.starts, start)
        return index > 0 and self.ends[index - 1] >= end and (
            self.ends[index - 1] - self.starts[index - 1] > end - start)

    def add(self, start: int, end: int) -> None:
        index = bisect.bisect_left(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, end)


def _find_utf8_misreadings(text: str, taken: _Taken, reader: Reader = Reader(),
                           pages: tuple[str, ...] = UTF8_MISREADINGS) -> Iterator[Finding]:
    """Runs of UTF-8 spelled in a code page, then C1 controls left by a Latin-1 reading.

    A run that reads only a little better (`ÄŒ` for `Č`) is repaired when its line also holds
    clear damage of the same code page, as ftfy's whole-text decoding would; one line with
    damage never makes the rest of a file suspect.
    """
    candidates: list[tuple[Finding, bool, int, int]] = []  # finding, strong, page, line
    strong_per_page: dict[tuple[int, int], int] = {}  # (page, line) -> strong findings
    # Runs start where the gate matches, so each page is only tried there, anchored: text
    # whose every letter is a lead of some page (Russian in cp1251) costs one search.
    starts = [match.start() for match in _damage_gate(pages).finditer(text)]
    newlines = [match.start() for match in re.finditer("\n", text)] if starts else []
    non_ascii: dict[int, int] = {}  # line -> its non-ASCII characters
    strong_runs: list[_Taken] = []  # per code page: a run inside a longer one never wins
    for index, name in enumerate(UTF8_MISREADINGS):
        if name not in pages:
            continue
        page = _code_page(name)
        strong_here = _Taken()
        runs_by_line: dict[int, list[re.Match[str]]] = {}
        reached = 0
        for position in starts:
            if position < reached or text[position] not in page.lead_chars:
                continue
            match = page.run.match(text, position)
            if match is not None:
                reached = match.end()
                runs_by_line.setdefault(bisect.bisect_left(newlines, position), []).append(match)
        for line, runs in runs_by_line.items():
            if line not in non_ascii:
                line_start = newlines[line - 1] + 1 if line else 0
                line_end = newlines[line] if line < len(newlines) else len(text)
                non_ascii[line] = _foreign_characters(text[line_start:line_end], reader.script)
            # A letter of the text's own alphabet (`ß`, `ț`) beside the run says nothing of
            # the line's provenance; punctuation does (`–` would read `â€“` with the rest).
            consistent = sum(_non_ascii_count(m.group()) - _own_letters(m.group(), reader.script)
                             for m in runs) == non_ascii[line]
            for match in runs:
                start, end = match.span()
                if taken.overlaps(start, end) or any(
                        other.contains(start, end) for other in strong_runs):
                    continue
                repaired = _repair_utf8(match.group(), page, reader.script)
                if repaired is None:
                    continue
                replacement, chain = repaired
                evidence = _evidence(match.group(), replacement, name, text, start, end, reader,
                                     consistent)
                if evidence is not None:
                    finding = _utf8_finding(text, start, end, replacement, chain, evidence)
                    candidates.append((finding, evidence == "strong", index, line))
                    if evidence == "strong":
                        strong_per_page[index, line] = strong_per_page.get((index, line), 0) + 1
                        strong_here.add(start, end)
        strong_runs.append(strong_here)
    # Clear evidence first, then the longer run, then the code page with more clear evidence
    # on this line (Windows-1250 and ISO-8859-2 spell many sequences alike).
    candidates.sort(key=lambda c: (not c[1], c[0].start - c[0].end,
                                   -strong_per_page.get((c[2], c[3]), 0), c[2]))
    chosen: list[Finding] = []
    occupied = _Taken()
    for finding, strong, index, line in candidates:
        if not strong and not strong_per_page.get((index, line)):
            continue
        if taken.overlaps(finding.start, finding.end) or occupied.overlaps(finding.start,
                                                                           finding.end):
            continue
        chosen.append(finding)
        occupied.add(finding.start, finding.end)
    chosen = _repairs_help(text, chosen) if chosen else chosen
    for finding in chosen:
        taken.add(finding.start, finding.end)
    yield from sorted(chosen, key=lambda f: f.start)
    for match in re.finditer(f"[{_C1}]+", text):
        start, end = match.span()
        if taken.overlaps(start, end):
            continue
        repair = _repair_c1(text, start, end, reader)
        if repair is None:
            continue  # a control character, not a character of another code page (CU503)
        meant, replacement = repair
        taken.add(start, end)
        yield make_finding(
            "CU101", text, start, end,
            f"{DISPLAY_NAMES.get(meant, meant)} read as Latin-1: {_quoted(match.group())} "
            f"should be {_quoted(replacement)}",
            replacement=replacement, confidence=0.9, encoding_chain=[meant, "latin-1"],
        )


def _repair_c1(text: str, start: int, end: int, reader: Reader) -> tuple[str, str] | None:
    """(code page, repair) of the C1 controls ``text[start:end]``, when what that code page has
    for them fits the word better than nothing: `Călă\x83toriile` is no `CălăÉtoriile` and
    `americana\x83` no `americanaƒ`; such controls are junk to remove (CU503).

    >>> _repair_c1("Ahu\x92s office", 3, 4, Reader()), _repair_c1("Călă\x83toriile", 4, 5, Reader())
    (('windows-1252', '’'), None)
    """
    meant = _c1_code_page(text, start, end)
    try:
        replacement = text[start:end].encode("latin-1").decode(meant)
    except UnicodeDecodeError:
        return None
    before, after = _word_around(text, start, end)
    if not all(_ordinary(c, reader.script) for c in set(replacement)) or _oddness(
            before + replacement + after, reader.unusual_letters) > _oddness(before + after):
        return None
    return meant, replacement


#: What follows an apostrophe inside a word (`it’s`, `don’t`, `we’ll`) and what comes before
#: one (`l’homme`, `d’après`, `qu’il`): where a C1 control between letters is cp1252's `’`.
_AFTER_APOSTROPHE = re.compile(r"(?:s|t|d|m|ll|re|ve)(?![^\W\d_])", re.IGNORECASE)
_BEFORE_APOSTROPHE = re.compile(r"(?<![^\W\d_])(?:[cdjlmnst]|qu)$", re.IGNORECASE)


def _c1_code_page(text: str, start: int, end: int) -> str:
    """The code page whose bytes the C1 controls ``text[start:end]`` are, read as Latin-1.

    Between two letters, Mac Roman's letters (`tur\x92stico`, `í`) unless cp1252's
    apostrophe fits the word (`Netanyahu\x92s`, `l\x92homme`); elsewhere cp1252 punctuation,
    as Web browsers read it (`\x93quoted\x94`).

    >>> [_c1_code_page(t, 3, 4) for t in ("tur\x92stico", "Ahu\x92s office", "see\x93 x")]
    ['macroman', 'windows-1252', 'windows-1252']
    """
    if not (text[start - 1:start].isalpha() and text[end:end + 1].isalpha()):
        return "windows-1252"
    if text[start:end] in ("\x91", "\x92") and (
            _AFTER_APOSTROPHE.match(text, end) or _BEFORE_APOSTROPHE.search(text, 0, start)):
        return "windows-1252"
    return "macroman"


# --- Cyrillic code page mixups (CU103) -----------------------------------------------------


@cache
def _mixup_word_pattern() -> re.Pattern[str]:
    """A word as a Cyrillic code page mixup spells it: Cyrillic letters, and the box drawing,
    symbols and no-break space that KOI8 and cp866 have where cp1251 has letters (cp866 shows
    cp1251 `я` as a no-break space, `ы` as `√`, `ь` as `№`)."""
    chars = set()
    for _, read_as in CYRILLIC_MIXUPS:
        for byte in range(0x80, 0x100):
            char = bytes([byte]).decode(read_as, errors="replace")
            if char.isalpha() and not _is_cyrillic_letter(char):
                continue
            if char not in _PUNCTUATION and (char == "\xa0" or not char.isspace()):
                chars.add(char)
    word = _char_class(sorted(chars)) + "+"
    return re.compile(rf"(?<![^\W\d_]){word}(?![^\W\d_])")


#: Quotes a garbled word may have been glued to (as `strip` takes them).
_QUOTES_GLUED = "«»“”„‘’‚"
#: Punctuation Cyrillic text uses in its own right, never part of a garbled word.
_PUNCTUATION = frozenset(_QUOTES_GLUED + "–—…•\ufffd\u00ad")


@dataclass(frozen=True)
class WordRepair:
    """A word re-decoded through a pair of Cyrillic code pages, and how much better it reads."""

    repaired: str
    was: str
    read_as: str
    gain: float

    @property
    def letters(self) -> str:
        """The repaired word without the quotes it was glued to (`группу»`)."""
        return self.repaired.strip(_QUOTES_GLUED)

    @property
    def known(self) -> bool:
        """The repair is a common word of its own."""
        return word_frequency(self.letters) >= COMMON


@lru_cache(maxsize=65536)  # per distinct word: bounded, whatever the corpus
def _repair_cyrillic_word(word: str) -> WordRepair | None:
    """The best re-decoding of ``word`` through a pair of code pages, if any reads better.

    Real words (most words) stop at the first test: they already read as Cyrillic and their
    case is sound, so no re-decoding could gain enough. A quote the word was glued to comes
    back as a quote (`ЦПСООС╩` is `группу»` read as KOI8-R); the letters are what is judged.
    """
    letters_only = all(map(_is_cyrillic_letter, word))
    original_score = cyrillic_word_score(word)
    if letters_only and _valid_case(word) and (
            word_frequency(word) >= COMMON):
        return None
    best: WordRepair | None = None
    for was, read_as in CYRILLIC_MIXUPS:
        try:
            repaired = word.encode(read_as).decode(was)
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        letters = repaired.strip(_QUOTES_GLUED)
        if repaired == word or not letters or not all(map(_is_cyrillic_letter, letters)):
            continue
        gain = cyrillic_word_score(letters) - original_score
        candidate = WordRepair(repaired, was, read_as, gain)
        if (gain > 0 or candidate.known) and (
                best is None or (candidate.known, gain) > (best.known, best.gain)):
            best = candidate
    return best


def _valid_case(word: str) -> bool:
    """Words are lowercase, Capitalized or ALL CAPS; wrong Cyrillic code pages swap case."""
    return word.islower() or word.isupper() or (word[:1].isupper() and word[1:].islower())


@cache
def _capitals_turn_lowercase(was: str, read_as: str) -> bool:
    """Whether capitals garbled through this pair come out as lowercase letters (KOI8 and
    cp1251 read as each other, KOI8 read as cp866), so that a garbled lowercase word had
    capitals; cp1251 read as cp866 keeps lowercase lowercase and turns capitals to box drawing.
    """
    garbled = "АБВГДЕЖЗИЙКЛМНОП".encode(was).decode(read_as)
    return sum(c.islower() for c in garbled) * 2 > len(garbled)


def _clearly_garbled(word: str, repair: WordRepair, foreign: bool) -> bool:
    """Whether ``word`` alone is evidence enough: rules measured on the 13,937 words of real
    Russian in the MLQE-PE sources (none repaired) and on the same words garbled through every
    code page pair (most repaired). ``foreign`` says Cyrillic is not the document's script, where
    a garbled fragment cannot hide among good words and a lower bar is safe.

    KOI8 and cp1251 swap letter case, so case says much: `хГПЮХКЪ` (Израиля) has a case no word
    has, `ЙМНОЙХ` (кнопки) looks like an acronym, and a lowercase word like `уюлюя` (ХАМАС) can
    only come from capitals, which real text rarely has.

    A well-formed word (letters only, in a case words have) is garbled only when its letters
    are unlike any Russian, Ukrainian or Bulgarian word (`уюлюя`, `ЙМНОЙХ`), never when they
    read like one (Kazakh `керек` is no garbled `ЛЕТЕЛ`, `наг` no `эру`); in Cyrillic text its
    repair must also be a common word, or capitals become small letters as whole lines of
    small letters garbled do (`хрюкнет` is a rare word, not a garbled `ИТАЛОЕФ`).
    The other words of a line read wrong follow (`_accept_lines_read_wrong`).
    """
    repaired, gain = repair.repaired, repair.gain
    if not _valid_case(repaired) or not any(
            _is_cyrillic_letter(c) or "\u2500" <= c <= "\u259f" for c in word):
        return False
    odd_case = not _valid_case(word) or not all(map(_is_cyrillic_letter, word))
    swaps_case = _capitals_turn_lowercase(repair.was, repair.read_as)
    lowercase_garbled = swaps_case and word.isupper()  # how lowercase text comes out: `ЛТЕУФПЧ`
    if not odd_case and (len(word) < 5 or cyrillic_word_score(word) > UNLIKE_ANY_WORD
                         or not (foreign or repair.known or lowercase_garbled)):
        return False
    if repair.known and word_frequency(word) < RARE:  # `ЙМНОЙХ` is no word, `кнопки` is
        if odd_case:
            return len(word) >= 2
        if word.islower() and swaps_case:
            return foreign and len(word) >= 5
        if word.isupper() and len(word) <= 4:  # acronyms: РПЦ, ЕГЭ, МБОУ
            return foreign and len(word) == 4 and word_frequency(repaired) >= 40
        return len(word) >= 3
    score = cyrillic_word_score(repaired)
    if len(word) < 3:
        return False
    if odd_case:
        return gain > 1.0 and score > -4.0
    if word.isupper() and len(word) <= 4:
        return False
    if foreign:
        return len(word) >= 5 and gain > 1.2 and score > -3.3
    return len(word) >= 6 and gain > 1.6 and score > -3.3


def _repair_through(word: str, was: str, read_as: str) -> WordRepair | None:
    """``word`` re-decoded through one given pair of code pages, unless that reads clearly worse
    (short words score about the same either way: `ВРН` and `что`; real words lose 3 and more)."""
    try:
        repaired = word.encode(read_as).decode(was)
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    if repaired == word or not all(map(_is_cyrillic_letter, repaired)) \
            or not _valid_case(repaired):
        return None
    gain = cyrillic_word_score(repaired) - cyrillic_word_score(word)
    return WordRepair(repaired, was, read_as, gain) if gain > -0.75 else None


def _line_numbers(text: str, words: list[re.Match[str]]) -> list[int]:
    """The line of each of ``words`` (in text order), counted in one sweep."""
    numbers, line, position = [], 0, 0
    for match in words:
        line += text.count("\n", position, match.start())
        position = match.start()
        numbers.append(line)
    return numbers


def _drop_lone_words(words: list[re.Match[str]], accepted: set[int], line_of: list[int]) -> None:
    """Forget a well-formed word accepted as garbled (`текущ`, Bulgarian) when it is the only
    one on its line and most other Cyrillic words there read worse through its pair of code
    pages: a line read through the wrong code pages is garbled throughout, while one
    odd-looking word among good ones is a word the statistics do not know. A word in a case
    no word has (`пПХБЕР`) is evidence enough alone, and so is a word with no other Cyrillic
    word on its line (`[уюлюя]`)."""
    by_line: dict[int, list[int]] = {}
    for i, line in enumerate(line_of):
        by_line.setdefault(line, []).append(i)
    for line, members in by_line.items():
        mine = [i for i in members if i in accepted]
        if len(mine) != 1:
            continue
        i = mine[0]
        word = words[i].group()
        if not (_valid_case(word) and all(map(_is_cyrillic_letter, word))):
            continue
        pair = _repair_cyrillic_word(word)
        others = [words[j].group() for j in members
                  if j != i and any(map(_is_cyrillic_letter, words[j].group()))]
        if pair is None or not others:
            continue
        better = sum(r is not None and r.gain > 0 for r in (
            _repair_through(other, pair.was, pair.read_as) for other in others))
        if better * 2 < len(others):
            accepted.discard(i)


def _accept_lines_read_wrong(words: list[re.Match[str]], repairs: dict[int, WordRepair],
                             accepted: set[int], line_of: list[int]) -> None:
    """A line with a word clearly garbled through one pair of code pages, where a third of its
    words are that clear or most read better through the same pair, was read wrong as a
    whole: then every word of it that reads better through that pair is repaired too, short
    words (`Й` for `к`) and capitals (`МЕ` for `не`) included. Real words read much worse
    through a wrong pair, so one odd word among good ones never repairs its line. Adds to
    ``repairs`` and ``accepted``."""
    lines: dict[int, list[int]] = {}
    for i, line in enumerate(line_of):
        lines.setdefault(line, []).append(i)
    for members in lines.values():
        long_words = [i for i in members if len(words[i].group()) >= 3]
        clear: dict[tuple[str, str], int] = {}
        for i in members:
            if i in accepted:
                pair = (repairs[i].was, repairs[i].read_as)
                clear[pair] = clear.get(pair, 0) + 1
        if not clear:
            continue
        pair, count = max(clear.items(), key=lambda item: item[1])
        if count * 3 < len(long_words):
            through = (_repair_through(words[i].group(), *pair) for i in long_words)
            if sum(r is not None and r.gain > 0 for r in through) * 2 < len(long_words):
                continue
        for i in members:
            if i in accepted and (repairs[i].was, repairs[i].read_as) == pair:
                continue
            word = words[i].group()
            if not any(map(_is_cyrillic_letter, word)) and not any(
                    "\u2500" <= c <= "\u259f" for c in word):
                continue  # `©` or `≈` alone is a symbol; `┬` alone is cp866 for `В`
            repair = _repair_through(word, *pair)
            if repair is not None:
                repairs[i] = repair
                accepted.add(i)


def _find_cyrillic_mixups(text: str, foreign: bool,
                          lines: list[tuple[int, int]] | None = None) -> Iterator[Finding]:
    """Words re-decoded, then grouped: damaged words separated only by whitespace are one run.

    A word too short to judge alone is repaired when a whitespace-separated neighbour that went
    through the same code pages is. ``lines`` (start, end) limits the search to those lines.
    """
    pattern = _mixup_word_pattern()
    words = list(pattern.finditer(text)) if lines is None else [
        match for start, end in lines for match in pattern.finditer(text, start, end)]
    repairs: dict[int, WordRepair] = {}
    for i, match in enumerate(words):
        repair = _repair_cyrillic_word(match.group())
        if repair is not None:
            repairs[i] = repair
    accepted = {i for i, r in repairs.items() if _clearly_garbled(words[i].group(), r, foreign)}
    line_of = _line_numbers(text, words)
    _drop_lone_words(words, accepted, line_of)

    def joined(i: int, j: int) -> bool:
        """Words i < j are neighbours separated by whitespace only, read the same wrong way."""
        gap = text[words[i].end():words[j].start()]
        return (j == i + 1 and bool(gap) and gap.isspace() and "\n" not in gap
                and i in repairs and j in repairs
                and (repairs[i].was, repairs[i].read_as) == (repairs[j].was, repairs[j].read_as))

    _accept_lines_read_wrong(words, repairs, accepted, line_of)
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
        pieces, position = [], start
        for i in group:
            pieces += [text[position:words[i].start()], repairs[i].repaired]
            position = words[i].end()
        replacement = "".join(pieces)
        first = repairs[group[0]]
        gain = sum(repairs[i].gain for i in group) / len(group)
        yield make_finding(
            "CU103", text, start, end,
            f"{DISPLAY_NAMES[first.was]} Cyrillic read as {DISPLAY_NAMES[first.read_as]}: "
            f"{_quoted(text[start:end])} should be {_quoted(replacement)}",
            replacement=replacement,
            confidence=round(min(0.99, 0.6 + gain / 10), 3),
            encoding_chain=[first.was, first.read_as],
        )


# --- HTML character references (CU104, CU105) ----------------------------------------------

_ENTITY = (r"&(?P<escapes>(?:amp;)*)(?P<reference>[A-Za-z][A-Za-z0-9]{1,31};|#[0-9]{1,7};"
           r"|#[xX][0-9A-Fa-f]{1,6};)")

@cache
def _exported_names() -> frozenset[str]:
    """The named references exporters and scrapers leave: HTML 4's, and XML's `&apos;`."""
    import html.entities

    return frozenset([*html.entities.name2codepoint, "apos"])


#: An HTML or XML tag, opening or closing; and one that ends right before a position.
_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>")
_TAG_BEFORE = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>$")


def _find_entities(text: str, markup: bool, source: str | None = None) -> Iterator[Finding]:
    """HTML references in ``text``; ``markup`` when the syntax makes one level of them markup.
    A reference that the text's ``source`` (what it translates) has too is the source's
    escaping kept on purpose (`&lt;Less/Greater&gt;` in a catalog of an XML file's strings,
    or a message about entities), not damage of the translation; one right inside a tag
    (`Windows<sup>&#xAE;</sup>`) is markup whatever the file."""
    import html
    import html.entities

    for match in re.finditer(_ENTITY, text):
        reference = "&" + match.group("reference")
        if not reference.startswith("&#") and reference[1:-1] not in _exported_names():
            continue  # not a name exporters leave (`&notanentity;` is not `&not`; HTML5's
            # `&map;` is more likely a typo of `&amp;` than a `↦`)
        decoded = html.unescape(reference)
        if decoded == reference or any(map(_unlikely_char, set(decoded))) or (
                decoded == "\ufffd" and reference.lower() not in ("&#65533;", "&#xfffd;")):
            continue  # `&#0;`, `&#xD800;`: references to no character are not repairs
        escapes = match.group("escapes").count("amp;")
        span = match.group()
        if source is not None and span in source:
            continue
        if escapes == 0 and reference == "&amp;" and markup:
            continue
        if escapes == 0 and (_TAG_BEFORE.search(text, max(0, match.start() - 200),
                                                match.start()) or _TAG.match(text, match.end())):
            continue  # inside an element (`Windows<sup>&#xAE;</sup>`): markup in any file
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
    entities = "&" in text
    pages: tuple[str, ...] = ()
    cyrillic = not context.is_ascii and _CYRILLIC_OR_BOX_LETTER.search(text) is not None
    # Text of few distinct letters (Cyrillic, whose every letter leads in cp1251) asks its
    # pages first; text of many (Chinese) searches for any page first, at C speed.
    damaged = not context.is_ascii and (cyrillic or _may_be_damaged(text))
    if damaged:  # only the pages whose leads the text has
        pages = _pages_in(context.non_ascii)
        if "sloppy-windows-1251" in pages and context.script == "Cyrillic" and \
                _CP1251_TRACE.search(text) is None:
            pages = tuple(name for name in pages if name != "sloppy-windows-1251")
        damaged = _may_be_damaged(text, pages)
    if not entities and not damaged and not cyrillic:
        return  # clean text: one search, no ftfy, no code pages
    findings: list[Finding] = []
    if entities:
        findings.extend(_find_entities(text, context.syntax_spec.entities_are_markup,
                                       context.source))
    if damaged or cyrillic:
        reader = Reader.of(context)
        taken = _Taken((f.start, f.end) for f in findings)
        candidates = list(_find_utf8_misreadings(text, taken, reader, pages)) if damaged else []
        if cyrillic:
            foreign = reader.script != "Cyrillic"
            # In Cyrillic text only lines with a trace of a mixup are read word by word.
            lines = None if foreign else _lines_with(_MIXUP_CLUES, text)
            if lines is None or lines:
                candidates += _find_cyrillic_mixups(text, foreign, lines)
        # Two readings of one span: the longer damaged run explains more, so it wins.
        candidates.sort(key=lambda f: (f.start - f.end, f.start))
        explained = _Taken((f.start, f.end) for f in findings)
        for finding in candidates:
            if not explained.overlaps(finding.start, finding.end):
                findings.append(finding)
                explained.add(finding.start, finding.end)
    findings.sort(key=lambda f: f.sort_key)
    yield from findings


#: What UTF-8 read as cp1251 leaves in Cyrillic text and real Cyrillic text hardly has: `Р` or
#: `С` (the lead of every Cyrillic letter) after a letter inside a word (`РџСЂРёРІРµС‚`), or a
#: lead (`В`-`я`) before a continuation that is neither a letter those languages write after a
#: letter (`ё`, `і`...) nor punctuation that closes a word (`»`, `…`, `—`, a no-break space):
#: `вЂ` for General Punctuation, `ОµО№` for Greek, `гЃ‚` for kana. In Cyrillic text, whose
#: every letter is a cp1251 lead, cp1251 is searched only where this is found.
_CP1251_CONTINUATIONS = "ЂЃ‚ѓ„†‡€‰Љ‹ЊЌЋЏђ‘“•™љ›њќћџ¤¦§©«¬\xad®°±µ¶·№ЅѕЈ"
_CP1251_TRACE = re.compile(  # each alternative starts with its rarer character, then looks back
    # (one class first, so that `re` skips to candidates)
    f"[РС{_CP1251_CONTINUATIONS}]"
    f"(?:(?<=[^\\W\\d_][РС])|(?<=[В-Яа-у][{_CP1251_CONTINUATIONS}]))")

#: Cyrillic letters and box drawing: a text with none of them has no code page mixup.
_CYRILLIC_OR_BOX_LETTER = re.compile(f"[{_CYRILLIC_OR_BOX}]")


#: Traces a Cyrillic code page mixup leaves on a line of Cyrillic text, found at C speed: a
#: small letter before a capital inside a word (`пПХБЕР`: KOI8 and cp1251 swap case), box
#: drawing or a symbol beside a letter (cp866: `╠ш`, `чєёЄЁ│`), or two words in capitals
#: (small letters garbled through KOI8: `ОН ДЮММШЛ`). Real Cyrillic lines rarely have any.
_MIXUP_CLUES = re.compile(  # each alternative starts with its rarer character, and all of
    # them with one class (so that `re` skips to candidates), looked behind for after it
    "[А-ЯЁЀ-ЏҐ\u2500-\u259f√№¤■∙·°]"
    "(?:(?<=[а-яёђ-џґ][А-ЯЁЀ-ЏҐ])"
    "|(?<=[\u2500-\u259f√№¤■∙·°])(?:(?=[\u0400-\u04ff])|(?<=[\u0400-\u04ff].))"
    "|(?<=[А-ЯЁЀ-ЏҐ])[А-ЯЁЀ-ЏҐ]+[ \t]+[А-ЯЁЀ-ЏҐ]{2,})")


def _lines_with(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """The lines of ``text`` where ``pattern`` matches, as (start, end), in one sweep.

    >>> _lines_with(re.compile("x"), "a\\nbx\\nc\\nx")
    [(2, 4), (7, 8)]
    """
    lines: list[tuple[int, int]] = []
    position = 0
    while (match := pattern.search(text, position)) is not None:
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        end = len(text) if end < 0 else end
        lines.append((start, end))
        position = end + 1
    return lines
