"""Bytes in, bytes out: a file's bytes into a `Document` the engine checks, and bytes back out.

Everything that is not text lives here, so that the detectors only ever see a ``str``:

* A UTF-8 byte order mark is kept aside and written back; it is never part of the checked text.
* Line ends (LF, CRLF, a lone CR), trailing spaces and a missing final newline are text like any
  other: `fix` changes only the spans of its edits, every other byte is copied from the input.
* Bytes that are not valid UTF-8 reach the detectors as one U+FFFD each (so offsets count them
  as one code point) and are reported as `lost_character` CU703; `fix` writes the original
  bytes back, because the character they stood for cannot be known.
* A file wholly in another encoding (cp1251, latin-1, UTF-16 with a BOM) is one CU106 finding
  for the file; `fix --unsafe-fixes` converts it to UTF-8. charset-normalizer names the
  encoding, and is imported only when a file is not UTF-8.
* A binary file (NUL bytes in its first 8000 bytes, as git decides, and not UTF-16) is skipped.
* Writes go to a temporary file in the same directory that is then renamed over the original,
  keeping its mode (`write_atomic`, the one way cleanup replaces a file): an interrupted write
  leaves the original intact and no temporary file.

Checking and fixing a document is the engine's (`cleanup.engine.check_document`,
`fix_document`); finding the files of a run is `cleanup.paths`'.

>>> document = decode_document(b"\\xef\\xbb\\xbfcaf\\xe9 , bar\\r\\n", "menu.txt")
>>> document.text, document.bom, document.invalid_runs
('caf\\ufffd , bar\\r\\n', b'\\xef\\xbb\\xbf', [(3, 4)])
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import tempfile
from pathlib import Path

from cleanup.document import Document

BOM_UTF8 = codecs.BOM_UTF8

#: Byte order marks of the Unicode encodings that are not UTF-8; UTF-32 first, because the
#: UTF-32-LE mark starts with the UTF-16-LE one.
UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: How much of a file is looked at for NUL bytes to call it binary (what git looks at).
BINARY_SNIFF_BYTES = 8000

#: An invalid byte as Python's ``surrogateescape`` decodes it: a lone low surrogate.
_INVALID_BYTE = re.compile("[\udc80-\udcff]")
_INVALID_BYTES = re.compile("[\udc80-\udcff]+")

#: Suffix of the temporary file a fix is written to before it replaces the original.
TEMP_SUFFIX = ".cleanup-tmp"


class FileError(Exception):
    """A file cleanup cannot read or write; the message is one line that names the file."""


def syntax_for(path: str | Path) -> str:
    """The syntax a file is checked as, from its extension; ``plain`` when unknown.

    >>> syntax_for("docs/README.md"), syntax_for("page.HTM"), syntax_for("notes.txt")
    ('markdown', 'html', 'plain')
    """
    from cleanup.markup import syntax_for_path

    return syntax_for_path(path).name


def read_bytes(path: Path) -> bytes:
    """A file's bytes, or a `FileError` that says in one line why they cannot be read."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise FileError(f"{path}: no such file or directory") from None
    except IsADirectoryError:
        raise FileError(f"{path}: is a directory") from None
    except OSError as error:
        raise FileError(f"{path}: cannot read: {error.strerror or error}") from None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """(text, codec) of BOM-less UTF-16 (every other byte NUL in ASCII-heavy text), else None."""
    if len(data) < 2 or len(data) % 2:
        return None
    sample = data[:BINARY_SNIFF_BYTES]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    for zeros, other, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= 0.6 * half and other == 0:
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                return None
    return None


#: Legacy encodings a non-UTF-8 file is guessed among, most widespread first. Short texts decode
#: equally well in several of them, and charset-normalizer then scores them alike: the earlier
#: one in this list wins the tie (a French cp1252 file is not read as Czech cp1250).
LEGACY_ENCODINGS = (
    "cp1252", "cp1251", "cp1250", "koi8_r", "cp1253", "cp1254", "cp1257", "cp1255", "cp1256",
    "cp866", "shift_jis", "gb18030", "big5", "euc_kr", "euc_jp", "mac_roman", "latin_1",
)


#: The legacy encodings that spend one byte on every character: the only candidates when no
#: two bytes above ASCII stand together (a double-byte encoding needs pairs of them).
SINGLE_BYTE_ENCODINGS = frozenset({
    "cp1252", "cp1251", "cp1250", "koi8_r", "cp1253", "cp1254", "cp1257", "cp1255", "cp1256",
    "cp866", "mac_roman", "latin_1",
})

_HIGH_PAIR = re.compile(rb"[\x80-\xff]{2}")


def _guess_encoding(data: bytes) -> str | None:
    """The legacy encoding charset-normalizer finds for bytes that are not UTF-8, or None.

    Text whose bytes above ASCII all stand alone (`Monday\x92s`) is in a single-byte code
    page: a double-byte encoding (Shift-JIS, GBK) would glue each of them to the ASCII letter
    after it. The candidates are tried in the fixed order of `LEGACY_ENCODINGS`, and ties go
    to the earlier one, so the same bytes always get the same answer.

    >>> _guess_encoding("Monday’s “new” menu".encode("cp1252"))
    'cp1252'
    """
    from charset_normalizer import from_bytes

    candidates = [encoding for encoding in LEGACY_ENCODINGS
                  if encoding in SINGLE_BYTE_ENCODINGS or _HIGH_PAIR.search(data)]
    results = list(from_bytes(data, cp_isolation=candidates))
    if not results:
        return None
    best = results[0]
    tied = {encoding for result in results
            if abs(result.chaos - best.chaos) < 1e-9
            and abs(result.coherence - best.coherence) < 1e-9
            for encoding in result.could_be_from_charset}
    known = [encoding for encoding in LEGACY_ENCODINGS if encoding in tied]
    return known[0] if known else str(best.encoding)


def decode_document(data: bytes, path: str = "-", *, assume_utf8: bool = False) -> Document:
    """Classify and decode a file's bytes: UTF-8 (with invalid bytes kept), another encoding,
    or binary. ``assume_utf8`` skips the guess (for bytes that cleanup itself wrote).

    >>> decode_document("Привет, мир".encode("cp1251"), "ru.txt").encoding
    'cp1251'
    >>> decode_document(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00", "logo.png").binary
    True
    """
    syntax = syntax_for(path)
    bom = b""
    if data.startswith(BOM_UTF8):
        bom, data = BOM_UTF8, data[len(BOM_UTF8):]
        assume_utf8 = True
    elif not assume_utf8:
        for mark, codec in UNICODE_BOMS:
            if data.startswith(mark):
                try:
                    text = data.decode(codec)
                except UnicodeDecodeError:
                    break
                return Document(path, bom + data, text, text, encoding=codec, syntax=syntax)
        if b"\x00" in data[:BINARY_SNIFF_BYTES]:
            utf16 = _utf16_without_bom(data)
            if utf16 is None:
                return Document(path, data, "", "", syntax=syntax, binary=True)
            return Document(path, data, utf16[0], utf16[0], encoding=utf16[1], syntax=syntax)
    raw = data.decode("utf-8", "surrogateescape")
    if raw.isascii() or not _has_surrogates(raw):
        return Document(path, bom + data, raw, raw, bom=bom, syntax=syntax)
    invalid_runs = _surrogate_runs(raw)
    if not assume_utf8 and not _reads_as_utf8(raw):
        encoding = _guess_encoding(data)
        if encoding is not None:
            try:
                text = data.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                pass
            else:
                return Document(path, data, text, text, encoding=_codec_name(encoding),
                                syntax=syntax)
    text = _INVALID_BYTE.sub("\ufffd", raw)
    return Document(path, bom + data, text, raw, bom=bom, invalid_runs=invalid_runs,
                    syntax=syntax)


def _reads_as_utf8(raw: str) -> bool:
    """Whether bytes with invalid UTF-8 in them (``raw``: decoded with ``surrogateescape``) are
    UTF-8 with stray bytes rather than a file in a legacy encoding.

    A legacy file has no valid multi-byte UTF-8 sequence at all (a single-byte code page
    almost never spells one), or only ones that decode to characters no text has there: a
    double-byte encoding (Shift-JIS, GBK) read as UTF-8 yields isolated letters of random
    scripts and controls between the invalid bytes. In UTF-8 with stray bytes, most valid
    characters sit in words of their own script (`café`, `Привет`, `日本語`) or are
    punctuation beside text. So it is UTF-8 when at least half of its valid non-ASCII
    characters read so: a few stray bytes never turn `café` into Shift-JIS `cafﾃｩ`.

    >>> _reads_as_utf8(b"Le\\x93\\x94 caf\\xc3\\xa9.".decode("utf-8", "surrogateescape"))
    True
    >>> _reads_as_utf8("我们在北京见面".encode("gbk").decode("utf-8", "surrogateescape"))
    False
    """
    fitting = valid = 0
    for match in _VALID_NON_ASCII.finditer(raw):
        valid += 1
        fitting += _fits(raw, match.start())
    return valid > 0 and fitting * 2 >= valid


#: A character above ASCII that is not an invalid byte (a lone surrogate).
_VALID_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")

#: Scripts whose characters are written next to each other's: Chinese, Japanese, Korean.
_EAST_ASIAN = frozenset({"Han", "Hiragana", "Katakana", "Hangul"})


def _fits(raw: str, index: int) -> bool:
    """Whether the valid character at ``index`` reads as text: a letter beside a letter of its
    script (a Latin one beside an ASCII letter too), or punctuation beside valid text."""
    import unicodedata

    from cleanup.chars import script_of

    char = raw[index]
    neighbours = [raw[i] for i in (index - 1, index + 1)
                  if 0 <= i < len(raw) and not "\udc80" <= raw[i] <= "\udcff"]
    category = unicodedata.category(char)
    if category[0] == "L":
        script = script_of(char)
        if script is None:
            return False
        for other in neighbours:
            if not other.isalpha():
                continue
            theirs = script_of(other)
            if theirs == script or (script == "Latin" and other.isascii()) or (
                    script in _EAST_ASIAN and theirs in _EAST_ASIAN):
                return True
        return False
    punctuation = ("\u00a0" <= char <= "\u00bf" or "\u2010" <= char <= "\u205e"
                   or "\u3000" <= char <= "\u303f" or "\uff01" <= char <= "\uff65")
    return punctuation and bool(neighbours)


def _codec_name(encoding: str) -> str:
    """A codec's canonical Python name (``cp1251``, ``koi8-r``)."""
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _surrogate_runs(raw: str) -> list[tuple[int, int]]:
    """Runs of lone surrogates (invalid bytes under ``surrogateescape``), as (start, end)."""
    return [match.span() for match in _INVALID_BYTES.finditer(raw)]


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path``'s content with ``data``: a temporary file in the same directory,
    renamed over the original, keeping its mode. On any failure the original is untouched
    and the temporary file is removed.
    """
    target = Path(os.path.realpath(path))
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
        descriptor, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
    except OSError as error:
        raise FileError(f"{path}: cannot write: {error.strerror or error}") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise FileError(f"{path}: cannot write: {error.strerror or error}") from None
        raise


__all__ = [
    "FileError",
    "decode_document",
    "read_bytes",
    "syntax_for",
    "write_atomic",
]
