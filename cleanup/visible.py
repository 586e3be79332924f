"""Characters a reader cannot see or cannot tell apart, spelled out for the reports.

A zero-width space removed by `fix` leaves two lines that look identical, and `Gazа` with a
Cyrillic `а` looks like `Gaza`. The terminal snippets, the coloured diff and the HTML report
show such characters as marks instead: ``⟨U+200B⟩`` for an invisible character, and the
character with its code point and name for a look-alike (``⟨а U+0430 CYRILLIC SMALL LETTER A⟩``).
They also need the width a string takes in a terminal, where a CJK character is two columns
wide and a combining accent none, to put ``^^^`` under the right characters.

>>> mark("\\u200b"), mark("\\u200b", named=True)
('⟨U+200B⟩', '⟨U+200B ZERO WIDTH SPACE⟩')
>>> "Gaz" + mark("\\u0430", named=True)
'Gaz⟨а U+0430 CYRILLIC SMALL LETTER A⟩'
>>> width("漢字 ok"), width("e\\u0301")
(7, 1)
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def invisible_pattern() -> Any:
    """A pattern of the characters that print nothing, or nothing a reader can tell from a
    space: controls, format characters (zero-width, bidi, tags), line and paragraph
    separators, spaces other than the plain one, and noncharacters. The line structure (tab,
    LF, CR) and the plain space stay. Compiled on first use: start-up does not pay for it."""
    import regex

    return regex.compile(
        r"[[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Zs}\p{Noncharacter_Code_Point}]--[ \t\n\r]]",
        regex.V1)


def is_invisible(char: str) -> bool:
    """Whether ``char`` is a control, format or unusual space character a reader cannot see.

    >>> [is_invisible(c) for c in ("\\u200b", "\\u00a0", " ", "\\n", "a", "\\ufffe")]
    [True, True, False, False, False, True]
    """
    return invisible_pattern().match(char) is not None


@lru_cache(maxsize=4096)
def is_lookalike(char: str) -> bool:
    """Whether ``char`` is a non-ASCII letter that Unicode lists as confusable with a letter
    of another script (Cyrillic `а` and Latin `a`), per the table the mixed-script rule uses.

    >>> is_lookalike("\\u0430"), is_lookalike("a"), is_lookalike("ж")
    (True, False, False)
    """
    return not char.isascii() and char in _confusable_letters()


@lru_cache(maxsize=1)
def _confusable_letters() -> frozenset[str]:
    from cleanup.chars import confusables

    return frozenset(char for char, _target_script in confusables())


def char_name(char: str) -> str:
    """``U+0430 CYRILLIC SMALL LETTER A``: the code point and, where Unicode has one, the name."""
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def mark(char: str, *, named: bool = False) -> str:
    """A visible stand-in for ``char``: its code point (``named``: and its name) in ⟨⟩.

    A visible look-alike is shown itself too, so the reader sees which letter it is.
    """
    if named:
        shown = "" if is_invisible(char) else f"{char} "
        return f"⟨{shown}{char_name(char)}⟩"
    return f"⟨U+{ord(char):04X}⟩"


@lru_cache(maxsize=8192)
def char_width(char: str) -> int:
    """Terminal columns of one character: 2 for wide East Asian ones, 0 for combining marks
    and format characters, else 1."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width(text: str) -> int:
    """Terminal columns ``text`` takes (see `char_width`)."""
    if text.isascii():
        return len(text)
    return sum(char_width(char) for char in text)


__all__ = ["char_name", "char_width", "invisible_pattern", "is_invisible", "is_lookalike", "mark",
           "width"]
