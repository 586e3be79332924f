"""File-level damage (CU106, CU703): what only a file's bytes show, not its text.

A file wholly in another encoding (cp1251, latin-1, UTF-16) is one CU106 finding, zero-width at
the file's start, never one per character: converting it is one decision about the whole file,
and an unsafe one, since the encoding is a guess. Bytes of a UTF-8 file that are not valid UTF-8
are CU703, one finding per run; they reach the other detectors as U+FFFD and are written back
unchanged. `cleanup.files` decodes the bytes; the engine hands this detector what it found
(`Context.encoding`, `Context.invalid_bytes`). Checking a string finds nothing here.

>>> from cleanup.detect import Context
>>> text = "caf\\ufffd au lait"
>>> context = Context(text, invalid_bytes=((3, 4, b"\\xe9"),))
>>> [(f.rule, f.start, f.data["bytes"]) for f in find_file_damage(text, context)]
[('CU703', 3, 'e9')]
"""

from __future__ import annotations

from collections.abc import Iterator

from cleanup.detect import Context, make_finding, quote
from cleanup.findings import Finding


def find_file_damage(text: str, context: Context) -> Iterator[Finding]:
    """CU106 for a file in another encoding, else CU703 for each run of invalid bytes."""
    if context.encoding != "utf-8":
        sample = " ".join(text.split())[:40]
        yield make_finding(
            "CU106", text, 0, 0,
            f"file is encoded as {context.encoding}, not UTF-8 ({quote(sample)}); "
            "`cleanup fix --unsafe-fixes` converts it to UTF-8",
            encoding=context.encoding,
        )
        return
    for start, end, data in context.invalid_bytes:
        shown = " ".join(f"0x{byte:02X}" for byte in data)
        noun = "byte" if len(data) == 1 else "bytes"
        yield make_finding(
            "CU703", text, start, end,
            f"invalid UTF-8 {noun} {shown} in {quote(_word_around(text, start, end))}"
            ": kept unchanged; recover the lost character from the source",
            bytes=data.hex(),
        )


def _word_around(text: str, start: int, end: int) -> str:
    """The text around ``start:end`` up to whitespace on each side, for a message."""
    left = start
    while left > 0 and not text[left - 1].isspace() and start - left < 30:
        left -= 1
    right = end
    while right < len(text) and not text[right].isspace() and right - end < 30:
        right += 1
    return text[left:right]
