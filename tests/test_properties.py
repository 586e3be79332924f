"""The finding contract's invariants, on generated text that the detectors actually fire on.

DESIGN.md promises: `Fixed.edits` are sorted, disjoint, in offsets of the original and rebuild
`Fixed.text` in one pass; `fix` is idempotent; the offset maps follow the edits; `check` is
deterministic; and through the file layer every byte outside the edits survives (a BOM, CRLF,
invalid UTF-8). Random characters alone rarely make damage, so the text is built from pieces of
the damage cleanup looks for: mojibake made by really mis-decoding words, entities, homoglyphs,
controls, invisible and bidi characters, quotes, brackets and stray spaces, between plain words.

`make test` runs a few thousand examples; `make fuzz` (``CLEANUP_FUZZ=1``) at least 100,000 of
the fix property, and the session ends with the number of examples that ran.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

from conftest import FIX_EXAMPLES, SIDE_EXAMPLES, count_example
from hypothesis import given, settings
from hypothesis import strategies as st

import cleanup
from cleanup.edits import is_disjoint
from cleanup.engine import fix_document
from cleanup.files import decode_document

WORDS = ["the", "city", "Gaza", "said", "office", "Washington", "talks", "ended", "on", "I",
         "a", "is", "Netanyahu", "Haniyeh", "Haniya", "John", "Feiner", "Finer", "Biden",
         "Friday", "it's", "don't", "2024", "42", "e.g.", "U.S.", "x", "A"]
FOREIGN_WORDS = ["Израиля", "Газа", "вода", "сказал", "он", "Ιστορία", "και", "Straße", "café",
                 "naïve", "Zürich", "señor", "日本", "中文", "עברית", "عربى"]
#: Words whose UTF-8 bytes are mis-decoded to make mojibake, and the codecs that do it.
MOJIBAKE_SOURCES = ["café", "naïve", "’", "“quoted”", "—", "Израиля", "Москва", "Zürich",
                    "€5", "…", "señor", "Ä", "é"]
MOJIBAKE_CODECS = ["cp1252", "latin-1", "cp1251", "mac_roman", "koi8_r", "cp437"]
DAMAGE = [
    # homoglyphs and single letters of other scripts
    "а", "е", "о", "р", "с", "х", "ο", "α", "Α", "і",
    # quotes, brackets, dashes
    "“", "”", "‘", "’", "«", "»", "„", "(", ")", "[", "]", "{", "}", "—", "–", "-", "'", '"',
    # C0 and C1 controls
    "\x00", "\x07", "\x08", "\x1b", "\x0b", "\x0c", "\t", "\x7f", "\x85", "\x92", "\x9d",
    # zero-width, bidi and format characters, soft hyphen, odd spaces
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202a", "\u202b", "\u202c", "\u202d",
    "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u00ad", "\u00a0",
    "\u2009", "\u3000",
    # lost characters
    "\ufffd", "?", "??",
    # mojibake as it is met, and entities
    "Ã©", "â€™", "â€œ", "â€", "Ð˜", "Ð·", "вЂ™", "вЂњ", "Ã¼", "Ã", "&amp;", "&#8217;", "&quot;",
    "&lt;", "&nbsp;", "&amp;quot;", "&#x2019;", "&amp;#8217;",
    # stray spaces and doubled punctuation
    " ,", " .", " !", " ?", " ;", " :", ",,", "..", "!!", ".", ",", ";", ":", "!",
]
SPACES = [" ", " ", " ", "  ", "\n", "\r\n", "\r", "\n\n"]


def _misdecode(word: str, codec: str, twice: bool) -> str:
    data = word.encode("utf-8")
    text = data.decode(codec, errors="replace")
    if twice:
        text = text.encode("utf-8").decode(codec, errors="replace")
    return text


mojibake = st.builds(_misdecode, st.sampled_from(MOJIBAKE_SOURCES),
                     st.sampled_from(MOJIBAKE_CODECS), st.booleans())
piece = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(DAMAGE),
    st.sampled_from(SPACES),
    st.sampled_from(FOREIGN_WORDS),
    mojibake,
    st.characters(exclude_categories=["Cs"]),  # anything else, now and then
)
damaged_text = st.lists(piece, max_size=40).map("".join)

#: Configurations that reach every fix: the defaults, unsafe fixes, each foreign policy.
CONFIGS = [None, cleanup.Config(unsafe_fixes=True),
           *(cleanup.Config(unsafe_fixes=True, foreign_policy=policy)
             for policy in ("drop", "transliterate", "gloss"))]
configs = st.sampled_from(CONFIGS)
syntaxes = st.sampled_from(["plain", "plain", "markdown", "html"])


def rebuild(text: str, edits: list[cleanup.Edit]) -> str:
    pieces, position = [], 0
    for edit in edits:
        pieces += [text[position:edit.start], edit.replacement]
        position = edit.end
    return "".join(pieces) + text[position:]


@settings(max_examples=FIX_EXAMPLES)
@given(damaged_text, configs, syntaxes)
def test_fix_edits_rebuild_the_text_and_fixing_again_changes_nothing(text, config,
                                                                     syntax) -> None:
    count_example()
    fixed = cleanup.fix(text, config=config, syntax=syntax)
    edits = fixed.edits
    assert is_disjoint(edits), edits
    assert all(0 <= e.start <= e.end <= len(text) for e in edits)
    assert all(text[e.start:e.end] != e.replacement for e in edits)
    assert rebuild(text, edits) == fixed.text
    assert cleanup.fix(fixed.text, config=config, syntax=syntax).text == fixed.text


@settings(max_examples=SIDE_EXAMPLES)
@given(damaged_text)
def test_offset_maps_follow_the_edits(text) -> None:
    count_example()
    fixed = cleanup.fix(text, config=CONFIGS[1])
    to_fixed = [fixed.to_fixed(i) for i in range(len(text) + 1)]
    to_original = [fixed.to_original(j) for j in range(len(fixed.text) + 1)]
    assert to_fixed == sorted(to_fixed) and to_original == sorted(to_original)
    assert 0 <= to_fixed[0] and to_fixed[-1] <= len(fixed.text)
    assert 0 <= to_original[0] and to_original[-1] <= len(text)
    inside, inserted_at, deleted_up_to = set(), set(), set()
    position = 0  # where the edit's replacement starts in the fixed text
    previous_end = 0
    for edit in fixed.edits:
        position += edit.start - previous_end
        inside.update(range(edit.start, edit.end))
        if edit.start == edit.end:
            inserted_at.add(edit.start)
        if not edit.replacement:
            deleted_up_to.add(edit.end)
        # Offsets in a replaced span map to the start of its replacement, and back.
        assert all(to_fixed[i] == position for i in range(edit.start, edit.end))
        assert all(to_original[j] == edit.start
                   for j in range(position + 1, position + len(edit.replacement)))
        position += len(edit.replacement)
        previous_end = edit.end
    for i, character in enumerate(text):  # a kept character is where the maps say
        if i in inside or i in inserted_at:
            continue
        assert fixed.text[to_fixed[i]] == character
        if i not in deleted_up_to:
            assert to_original[to_fixed[i]] == i


@settings(max_examples=SIDE_EXAMPLES)
@given(damaged_text, syntaxes)
def test_check_gives_the_same_findings_twice(text, syntax) -> None:
    count_example()
    first = [f.to_dict() for f in cleanup.check(text, syntax=syntax)]
    assert first == [f.to_dict() for f in cleanup.check(text, syntax=syntax)]
    for finding in first:
        assert text[finding["start"]:finding["end"]] == finding["text"]


INVALID_BYTES = [b"\xff", b"\xfe", b"\xc3", b"\xe2\x80", b"\x80", b"\xed\xa0\x80", b"\xc0\xaf",
                 b"\xf4\x90\x80\x80", b"\xe9"]


@st.composite
def file_bytes(draw: st.DrawFn) -> bytes:
    """A file: an optional BOM, damaged text with mixed line ends, and some invalid bytes."""
    parts = [b"\xef\xbb\xbf"] if draw(st.booleans()) else []
    for text in draw(st.lists(st.one_of(piece.map(str), st.sampled_from(["\r\n", "\r"])),
                              max_size=30)):
        parts.append(text.encode("utf-8"))
        if draw(st.integers(0, 9)) == 0:
            parts.append(draw(st.sampled_from(INVALID_BYTES)))
    return b"".join(parts)


@settings(max_examples=SIDE_EXAMPLES)
@given(file_bytes(), st.sampled_from(["notes.txt", "page.md", "page.html"]), st.booleans())
def test_fixing_a_file_changes_only_the_bytes_of_its_edits(data, name, unsafe) -> None:
    count_example()
    document = decode_document(data, name)
    if document.binary:  # skipped by every caller (fix_document would give b"")
        return
    outcome = fix_document(document, unsafe_fixes=unsafe)
    if not document.is_utf8:  # one file-level finding; converted only with unsafe fixes
        if not unsafe:
            assert outcome.data == data
        return
    assert is_disjoint(outcome.applied)
    # The output is the input's bytes between the edits, with each edit's replacement between.
    at = document.byte_offsets([o for e in outcome.applied for o in (e.start, e.end)])
    expected, position = [], 0
    for edit in outcome.applied:
        assert not document.touches_invalid_bytes(edit.start, edit.end)
        expected += [data[position:at[edit.start]], edit.replacement.encode("utf-8")]
        position = at[edit.end]
    assert outcome.data == b"".join(expected) + data[position:]
    assert outcome.data.startswith(document.bom)


def test_check_gives_the_same_findings_in_fresh_processes() -> None:
    """Hash randomisation changes the order of sets between processes: findings must not."""
    generate = random.Random(12).choice
    texts = ["".join(generate(WORDS + DAMAGE + SPACES + FOREIGN_WORDS) for _ in range(30))
             for _ in range(40)]
    script = ("import cleanup, json, sys\n"
              "texts = json.load(sys.stdin)\n"
              "print(json.dumps([[f.to_dict() for f in cleanup.check(t)] for t in texts]))\n")
    here = [[f.to_dict() for f in cleanup.check(text)] for text in texts]
    for seed in ("1", "2"):
        result = subprocess.run([sys.executable, "-c", script], input=json.dumps(texts),
                                capture_output=True, text=True, check=True,
                                env={**os.environ, "PYTHONHASHSEED": seed})
        assert json.loads(result.stdout) == json.loads(json.dumps(here))
