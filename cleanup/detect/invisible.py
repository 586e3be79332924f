"""Invisible characters: format and control characters a reader cannot see but programs do.

Zero-width spaces split words for search and tokenizers (CU501), soft hyphens left from
hyphenated layouts do the same (CU502), C0/C1 controls are never text (CU503), and bidi
embeddings, overrides and isolates make what a reader sees differ from what a program reads
(CU504, Trojan Source, CVE-2021-42574). Unusual spaces (no-break, thin, ideographic) are CU505,
off by default: a no-break space is correct in `10 000`, in `Fig. 3` and in French typography,
so flagging every one would alarm clean text.

Several of these characters have legitimate uses, and those stay silent: a zero-width joiner
inside an emoji sequence, a ZWJ or ZWNJ in Persian or Indic words, a BOM as a text's first
character, bidi marks and isolates in text that has right-to-left letters or is in a
right-to-left language, a form feed that starts a line of code, a soft hyphen in markup, a
character that the text a translation translates has too (a gettext `msgid` with `\x1f`), and
a C1 control that is part of mojibake (the mojibake detector owns it).

Clean text costs one regex search; only the hits are looked at.

>>> import cleanup
>>> [(f.rule, f.start, f.end) for f in cleanup.check("o\\u200b\\u200bf the plan", select={"CU5"})]
[('CU501', 1, 3)]
>>> cleanup.fix("withou\\u202et an agreement").text
'without an agreement'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache

from cleanup.detect import Context, make_finding, quote
from cleanup.findings import Finding

#: Every character any CU5xx rule may flag, in one class: the one search clean text pays for.
_CANDIDATES = re.compile(
    "["
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 controls but tab, LF, CR; DEL; C1 controls
    "\u00a0\u00ad"  # no-break space, soft hyphen
    "\u061c"  # arabic letter mark
    "\u1680\u180e"  # ogham space mark, mongolian vowel separator
    "\u2000-\u200f"  # en quad..hair space, zero width space/non-joiner/joiner, LRM, RLM
    "\u202a-\u202f"  # bidi embeddings and overrides, narrow no-break space
    "\u205f-\u2064"  # medium mathematical space, word joiner, invisible operators
    "\u2066-\u2069"  # bidi isolates
    "\u3000\ufeff"  # ideographic space, zero width no-break space (BOM)
    "\ufff9-\ufffb"  # interlinear annotation controls
    "\U000e0001\U000e0020-\U000e007f"  # tag characters: hidden ASCII ("ASCII smuggling")
    "]+"
)

_ASCII_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

#: An ANSI/VT100 control sequence: ESC [ parameters final-letter (colours, cursor moves).
_ANSI_SEQUENCE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u180e"
                        "\ufff9\ufffa\ufffb")
_JOINERS = frozenset("\u200c\u200d")
_BIDI_FORMATTING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BIDI_OVERRIDES = frozenset("\u202d\u202e")
_BIDI_MARKS = frozenset("\u200e\u200f\u061c")
_UNUSUAL_SPACES = frozenset("\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
                            "\u2008\u2009\u200a\u202f\u205f\u3000")
#: Controls that separate lines or pages: fixed to a line feed so words do not run together.
_LINE_BREAKING_CONTROLS = frozenset("\x0b\x0c\x1c\x1d\x1e\x1f")

#: Letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, NKo...): a text that has
#: them may use bidi marks and isolates legitimately.
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]")

#: Letters a joiner is never part of: Latin, Greek, Cyrillic, Armenian and their extensions.
_NON_JOINING_LETTER = re.compile(
    "[A-Za-z\u00c0-\u024f\u0370-\u058f\u1d00-\u1fff\u2c60-\u2c7f\ua640-\ua69f\ua720-\ua7ff"
    "\uab30-\uab6f\uff21-\uff3a\uff41-\uff5a]"
)

#: Scripts written without spaces, where U+200B marks where a line may break.
_NO_SPACES = re.compile("[\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff"
                        "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")

#: How often a finding of each rule was right on the real text measured (docs/safe-fixes.md):
#: soft hyphens are sometimes a hyphenation hint a translator meant, so CU502 is below 0.9.
_CONFIDENCE = {"CU501": 0.95, "CU502": 0.8, "CU503": 0.95, "CU504": 0.95, "CU505": 0.6}

_WHAT = {
    "CU501": "zero-width character",
    "CU502": "soft hyphen",
    "CU503": "control character",
    "CU504": "bidirectional control",
    "CU505": "unusual space",
}


def name_of(char: str) -> str:
    """A character as ruff names it: the escape and the Unicode name.

    >>> name_of("\\u200b")
    '`\\\\u200b` (ZERO WIDTH SPACE)'
    >>> name_of("\\x07")
    '`\\\\x07` (BELL)'
    """
    code = ord(char)
    if code < 0x100 and not char.isprintable():
        escape = f"\\x{code:02x}"
    else:
        escape = f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
    return f"`{escape}` ({_unicode_name(char)})"


#: Controls have no name in the Unicode database, only aliases; these are the ones seen in text.
_CONTROL_NAMES = {
    0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x0B: "LINE TABULATION",
    0x0C: "FORM FEED", 0x1A: "SUBSTITUTE", 0x1B: "ESCAPE", 0x7F: "DELETE",
    0x85: "NEXT LINE", 0x1C: "FILE SEPARATOR", 0x1D: "GROUP SEPARATOR",
    0x1E: "RECORD SEPARATOR", 0x1F: "UNIT SEPARATOR",
}


def _unicode_name(char: str) -> str:
    code = ord(char)
    if code in _CONTROL_NAMES:
        return _CONTROL_NAMES[code]
    name = unicodedata.name(char, "")
    if name:
        return name
    return "C1 CONTROL" if 0x80 <= code <= 0x9F else "CONTROL"


def _uses_joiners(char: str) -> bool:
    """Whether a joiner next to ``char`` can be meant: emoji, marks, letters of joining scripts.

    >>> _uses_joiners("\\U0001F469"), _uses_joiners("\\u0628"), _uses_joiners("a")
    (True, True, False)
    """
    if not char or char.isspace() or char.isascii():
        return False
    category = unicodedata.category(char)
    if category in ("So", "Sk", "Mn", "Mc", "Me") or char in "\ufe0f\u20e3":
        return True
    if ord(char) >= 0x1F000:  # emoji, modifiers and tags
        return True
    return category[0] == "L" and _NON_JOINING_LETTER.match(char) is None


def _in_emoji_tag_sequence(text: str, index: int) -> bool:
    """Whether the tag character at ``index`` belongs to a flag like 🏴 + `gbsct` + CANCEL TAG.

    Anywhere else tag characters are invisible ASCII, a way to hide instructions in text.

    >>> flag = "\\U0001F3F4\\U000E0067\\U000E0062\\U000E0073\\U000E0063\\U000E0074\\U000E007F"
    >>> _in_emoji_tag_sequence(flag, 3), _in_emoji_tag_sequence("a\\U000E0067", 1)
    (True, False)
    """
    start = index
    while start > 0 and "\U000e0020" <= text[start - 1] <= "\U000e007f":
        start -= 1
    return start > 0 and text[start - 1] == "\U0001f3f4"


def _classify(text: str, index: int, rtl: bool) -> str | None:
    """The rule a candidate character breaks at ``index``, or None when it is legitimate."""
    char = text[index]
    if char in _ZERO_WIDTH:
        if char == "\ufeff" and index == 0:
            return None  # a byte order mark where it belongs
        before = text[index - 1] if index > 0 else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if char in _JOINERS and (_uses_joiners(before) or (
                before in _JOINERS and _uses_joiners(text[index - 2:index - 1])
                and text[index - 2:index - 1] not in _JOINERS)):
            return None  # after a letter of a joining script, a mark (a virama) or an emoji,
            # or a joiner right after one (Malayalam writes ZWJ then ZWNJ after a virama);
            # after a space or punctuation a joiner joins nothing
        if char == "\u200b" and (_NO_SPACES.match(before) or _NO_SPACES.match(after)):
            return None  # a word-break hint in Thai, Khmer, Lao, Myanmar or CJK text
        return "CU501"
    if "\U000e0000" <= char <= "\U000e007f":
        return None if _in_emoji_tag_sequence(text, index) else "CU501"
    if char == "\u00ad":
        before = text[index - 1] if index > 0 else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if before.isalnum() or after.isalnum():
            return "CU502"
        return None
    if char in _BIDI_FORMATTING:
        if rtl and char not in _BIDI_OVERRIDES:
            return None
        return "CU504"
    if char in _BIDI_MARKS:
        return None if rtl else "CU504"
    if char in _UNUSUAL_SPACES:
        return _unusual_space_rule(text, index)
    code = ord(char)
    if code < 0x20 or code == 0x7F or 0x80 <= code <= 0x9F:
        return "CU503"
    return None


def _unusual_space_rule(text: str, index: int) -> str | None:
    """CU505 only where the space sits between two words of Latin letters (`the\\u00a0plan`).

    Digits (`10 000`), abbreviations (`Fig. 3`, `Mr. Smith`), punctuation (French `oui !`) and
    ideographic spaces in CJK text are typography, not damage.
    """
    char = text[index]
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    if char == "\u3000" and before and not before.isascii():
        return None
    if before.isalpha() and after.isalpha() and before.isascii() and after.isascii():
        # `Mr.\u00a0Smith` has a dot before the space; `World War\u00a0II` joins a numeral;
        # Polish and Czech bind a one-letter word to the next (`w\u00a0oknie`, `s\u00a0nimi`),
        # and a number or placeholder binds its unit (`%.1f\u00a0KiB`).
        word_before = _WORD_BEFORE.search(text, max(0, index - 20), index)
        word_after = _WORD_AFTER.match(text, index + 1)
        if word_before is None or word_after is None or len(word_before.group("word")) < 2 \
                or word_before.group("prefix") or _ROMAN_NUMERAL.fullmatch(word_after.group()):
            return None
        return "CU505"
    return None


_WORD_BEFORE = re.compile(r"(?P<prefix>[%\d][\w.]*)?(?<![A-Za-z])(?P<word>[A-Za-z]+)$")
_WORD_AFTER = re.compile(r"[A-Za-z]+")
_ROMAN_NUMERAL = re.compile(r"[IVXLCDM]+")


def _replacement(rule: str, run: str) -> str:
    """Removal, except where removing would glue words or lose a character's meaning."""
    if rule == "CU505":
        return " "
    if rule == "CU503" and any(char in _LINE_BREAKING_CONTROLS for char in run):
        return "\n"
    return ""


def _message(rule: str, run: str, replacement: str) -> str:
    hidden = "".join(chr(ord(char) - 0xE0000) for char in run
                     if "\U000e0020" <= char <= "\U000e007e")
    if hidden:
        return f"tag characters hiding the text {quote(hidden)}: remove them"
    names = ", ".join(dict.fromkeys(name_of(char) for char in run))
    count = f"{len(run)} × " if len(run) > 1 and len(set(run)) == 1 else ""
    actions = {"": "remove it", " ": "replace it with a space",
               "\n": "replace it with a line break"}
    action = actions[replacement]
    what = _WHAT[rule] + ("s" if len(run) > 1 else "")
    return f"{what} {count}{names}: {action}"


@cache
def _non_ascii_candidates() -> frozenset[str]:
    """The non-ASCII characters `_CANDIDATES` matches, to test a text's few distinct ones."""
    blocks = (range(0x80, 0x3001), range(0xFE00, 0x10000), range(0xE0000, 0xE0080))
    return frozenset(chr(point) for block in blocks for point in block
                     if _CANDIDATES.match(chr(point)))


def find_invisible(text: str, context: Context) -> Iterator[Finding]:
    """Flag invisible and control characters (CU501-CU505); a run of one rule is one finding.

    >>> from cleanup.detect import Context
    >>> text = "survivo\\x07rs and the \\ufeffplan"
    >>> found = list(find_invisible(text, Context(text)))
    >>> [(f.rule, f.start, f.end) for f in found]
    [('CU503', 7, 8), ('CU501', 19, 20)]
    >>> print(found[1].message)
    zero-width character `\\ufeff` (ZERO WIDTH NO-BREAK SPACE): remove it
    """
    if _ASCII_CONTROLS.search(text) is None and (
            context.is_ascii or context.non_ascii.isdisjoint(_non_ascii_candidates())):
        return  # none of the characters this detector looks at occurs
    code, markup = context.syntax_spec.is_code, context.syntax_spec.entities_are_markup
    source = context.source
    rtl: bool | None = None
    for match in _CANDIDATES.finditer(text):
        if rtl is None:
            rtl = _RIGHT_TO_LEFT.search(text) is not None or (
                not context.non_ascii.isdisjoint(_BIDI_MARKS | _BIDI_FORMATTING)
                and context.language in _RIGHT_TO_LEFT_LANGUAGES)
        start, end = match.span()
        if source is not None and match.group() in source:
            continue  # the text this one translates has it too: the program's, not damage
        if end - start == 1:  # most runs are one character: no run to split
            rule = _classify(text, start, rtl)
            if rule is not None and not _legitimate_in(code, markup, text, start, rule):
                yield _finding(text, start, end, rule, code)
            continue
        run_start = None
        run_rule = None
        for index in range(start, end + 1):
            rule = _classify(text, index, rtl) if index < end else None
            if rule is not None and _legitimate_in(code, markup, text, index, rule):
                rule = None
            if rule != run_rule and run_rule is not None and run_start is not None:
                yield _finding(text, run_start, index, run_rule, code)
                run_start = None
            if rule is not None and rule != run_rule:
                run_start = index
            run_rule = rule


#: Languages written right to left: their texts use directional marks even where a string has
#: no letter of their own (a date format `%d\u200f/%m\u200f/%Y` in an Arabic catalog).
_RIGHT_TO_LEFT_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv",
                                      "ckb", "azb", "arz", "ku"})


def _legitimate_in(code: bool, markup: bool, text: str, index: int, rule: str) -> bool:
    """Characters a syntax uses on purpose: a form feed that starts a line in source code (a
    page break, which PEP 8 allows), and a soft hyphen inside a word of HTML, XML or Markdown,
    where it is the author's hyphenation hint (German `Donau\u00addampf\u00adschiff`).

    >>> _legitimate_in(True, False, "x = 1\\n\\x0c\\n", 6, "CU503")
    True
    """
    if rule == "CU503" and code:
        return text[index] == "\x0c" and (index == 0 or text[index - 1] == "\n")
    return rule == "CU502" and markup


def _finding(text: str, start: int, end: int, rule: str, code: bool = False) -> Finding:
    """The finding of one run. In source code every fix but a bidi control's changes what the
    program is (an identifier, a string), so only bidi fixes stay safe there; a soft hyphen
    between a small and a capital letter may stand for a hyphen (`Сент\u00adБартелеми`), so
    dropping it is no certain fix either."""
    run = text[start:end]
    safe = not (code and rule != "CU504") and not (
        rule == "CU502" and text[start - 1:start].islower() and text[end:end + 1].isupper())
    if run.endswith("\x1b"):
        # A terminal colour code (`\x1b[31m`) goes as a whole: removing the escape alone
        # would leave `[31m` in the text.
        sequence = _ANSI_SEQUENCE.match(text, end - 1)
        if sequence:
            characters = [f"U+{ord(char):04X}" for char in dict.fromkeys(run)]
            end = sequence.end()
            return make_finding(
                rule, text, start, end,
                f"terminal escape sequence {quote(text[start:end])}: remove it",
                replacement="", confidence=_CONFIDENCE[rule], safe=safe, characters=characters,
            )
    # The same run makes the same finding but for its place: made once, then placed (a
    # zero-width space after every letter is 100,000 findings of one kind).
    model = _model_finding(rule, run, safe)
    return Finding(model.kind, model.rule, start, end, model.text, model.message,
                   model.replacement, model.safe, model.severity, model.confidence, model.data)


@lru_cache(maxsize=1024)
def _model_finding(rule: str, run: str, safe: bool) -> Finding:
    """A finding of ``run`` at offset 0 by ``rule``, for `_finding` to copy to its place."""
    replacement, message, characters = _described(rule, run)
    return make_finding(rule, run, 0, len(run), message, replacement=replacement,
                        confidence=_CONFIDENCE[rule], safe=safe, characters=list(characters))


@lru_cache(maxsize=1024)
def _described(rule: str, run: str) -> tuple[str, str, tuple[str, ...]]:
    """Replacement, message and code points of a run: the same few runs recur in a text
    (a zero-width space after every letter), so they are worded once."""
    replacement = _replacement(rule, run)
    characters = tuple(f"U+{ord(char):04X}" for char in dict.fromkeys(run))
    return replacement, _message(rule, run, replacement), characters
