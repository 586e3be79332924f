"""Bytes in, bytes out: reading files into text the detectors can check, and writing fixes back.

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
  keeping its mode: an interrupted write leaves the original intact and no temporary file.

>>> document = decode_document(b"\\xef\\xbb\\xbfcaf\\xe9 , bar\\r\\n", "menu.txt")
>>> document.text, document.bom, document.invalid_runs
('caf\\ufffd , bar\\r\\n', b'\\xef\\xbb\\xbf', [(3, 4)])
>>> located = document.locate(check_document(document, Config(select=["CU703"])))
>>> [(f.finding.rule, f.byte_start, f.line, f.column) for f in located]
[('CU703', 6, 1, 4)]
"""

from __future__ import annotations

import bisect
import codecs
import dataclasses
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cleanup.config import Config
from cleanup.detect import make_finding, quote
from cleanup.findings import Edit, FileFinding, Finding, line_column, line_starts
from cleanup.rules import select_rules

if TYPE_CHECKING:
    import pathspec

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

#: File name extensions -> the syntax `cleanup.check` is told the text is in.
SYNTAX_BY_SUFFIX = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xml": "xml",
    ".svg": "xml",
    ".rst": "rst",
}

#: Directories that are never walked into, whatever the ignore files say.
ALWAYS_SKIPPED_DIRS = frozenset({".git", ".hg", ".svn"})

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
    return SYNTAX_BY_SUFFIX.get(Path(str(path)).suffix.lower(), "plain")


@dataclass
class Document:
    """A file's bytes and the text the detectors check, with what it takes to map back.

    ``text`` is what `cleanup.check` sees: the file without its UTF-8 BOM, with each invalid
    byte as U+FFFD. ``raw`` is the same text with each invalid byte as a lone surrogate
    (Python's ``surrogateescape``), so ``raw`` encodes back to the exact input bytes and has the
    same length as ``text``. For a file in another encoding, ``encoding`` names it and ``text``
    is its content decoded: that is what `fix --unsafe-fixes` converts to and then checks.
    """

    path: str
    data: bytes
    text: str
    raw: str
    bom: bytes = b""
    encoding: str = "utf-8"
    invalid_runs: list[tuple[int, int]] = field(default_factory=list)
    syntax: str = "plain"
    binary: bool = False

    @property
    def is_utf8(self) -> bool:
        return self.encoding == "utf-8"

    def byte_offsets(self, offsets: Iterable[int]) -> dict[int, int]:
        """Code point offsets of ``text`` -> byte offsets into the file, for many at once."""
        result: dict[int, int] = {}
        position, byte_position = 0, len(self.bom)
        for offset in sorted(set(offsets)):
            byte_position += len(self.raw[position:offset].encode("utf-8", "surrogateescape"))
            position = offset
            result[offset] = byte_position
        return result

    def locate(self, findings: Iterable[Finding]) -> list[FileFinding]:
        """Add the file-level fields of the contract: path, line, column and byte offsets."""
        findings = list(findings)
        starts = line_starts(self.text) if findings else []
        if self.is_utf8:
            bytes_at = self.byte_offsets([f.start for f in findings] + [f.end for f in findings])
        else:  # the file-level CU106 finding: offsets into the file as it is, i.e. its start
            bytes_at = {f.start: 0 for f in findings} | {f.end: 0 for f in findings}
        located = []
        for finding in findings:
            line, column = line_column(starts, finding.start)
            located.append(FileFinding(finding, self.path, line, column,
                                       bytes_at[finding.start], bytes_at[finding.end]))
        return located

    def touches_invalid_bytes(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` contains a character that stands for an invalid byte."""
        index = bisect.bisect_right(self.invalid_runs, (start, len(self.text) + 1)) - 1
        for run_start, run_end in self.invalid_runs[max(index, 0):]:
            if run_start >= end:
                return False
            if run_end > start:
                return True
        return False

    def encode(self, edits: Sequence[Edit]) -> bytes:
        """The file's bytes with ``edits`` (sorted, disjoint, offsets of ``text``) applied.

        Bytes outside the edits are copied exactly: invalid bytes, line ends, the BOM.
        """
        pieces = [self.bom]
        position = 0
        for edit in edits:
            pieces.append(self.raw[position:edit.start].encode("utf-8", "surrogateescape"))
            pieces.append(edit.replacement.encode("utf-8", "surrogatepass"))
            position = edit.end
        pieces.append(self.raw[position:].encode("utf-8", "surrogateescape"))
        return b"".join(pieces)


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


def _guess_encoding(data: bytes) -> str | None:
    """The legacy encoding charset-normalizer finds for bytes that are not UTF-8, or None."""
    from charset_normalizer import from_bytes

    results = list(from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)))
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
    invalid = sum(end - start for start, end in invalid_runs)
    valid_non_ascii = len(raw) - len(raw.encode("ascii", "ignore")) - invalid
    # Mostly invalid: a file in a legacy encoding, where a UTF-8 file with a few stray bytes
    # still has more real non-ASCII characters than invalid bytes.
    if not assume_utf8 and invalid > valid_non_ascii:
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


def _word_around(text: str, start: int, end: int) -> str:
    """The text around ``start:end`` up to whitespace on each side, for a message."""
    left = start
    while left > 0 and not text[left - 1].isspace() and start - left < 30:
        left -= 1
    right = end
    while right < len(text) and not text[right].isspace() and right - end < 30:
        right += 1
    return text[left:right]


def _file_findings(document: Document, config: Config) -> list[Finding]:
    """The findings only a file has: its invalid bytes (CU703) or its encoding (CU106)."""
    codes = {rule.code for rule in select_rules(config.select, config.ignore)}
    findings: list[Finding] = []
    if not document.is_utf8 and "CU106" in codes:
        sample = " ".join(document.text.split())[:40]
        findings.append(make_finding(
            "CU106", document.text, 0, 0,
            f"file is encoded as {document.encoding}, not UTF-8 ({quote(sample)}); "
            "`cleanup fix --unsafe-fixes` converts it to UTF-8",
            encoding=document.encoding,
        ))
    if "CU703" in codes:
        for start, end in document.invalid_runs:
            hex_bytes = document.raw[start:end].encode("utf-8", "surrogateescape").hex()
            shown = " ".join(f"0x{hex_bytes[i:i + 2].upper()}" for i in range(0, len(hex_bytes), 2))
            noun = "byte" if end - start == 1 else "bytes"
            findings.append(make_finding(
                "CU703", document.text, start, end,
                f"invalid UTF-8 {noun} {shown} in {quote(_word_around(document.text, start, end))}"
                ": kept unchanged; recover the lost character from the source",
                bytes=hex_bytes,
            ))
    return findings


def check_document(document: Document, config: Config | None = None) -> list[Finding]:
    """Every finding on a file: the text's, plus its invalid bytes or its foreign encoding.

    A file in another encoding is reported once, as CU106 (its text is checked once `fix
    --unsafe-fixes` has converted it). Invalid bytes are CU703 runs, not U+FFFD (CU701).
    """
    from cleanup.engine import _apply_config, check

    config = config or Config()
    extra = _file_findings(document, config)
    if not document.is_utf8:
        return _apply_config(extra, config)
    from cleanup.formats.segmented import check_file  # translation files: segment by segment

    findings = []
    segmented = check_file(document.text, document.path, config)
    for finding in check(document.text, config=config, syntax=document.syntax) \
            if segmented is None else segmented:
        if not document.touches_invalid_bytes(finding.start, finding.end):
            findings.append(finding)
        elif finding.rule == "CU701" and _inside_invalid(document, finding.start, finding.end):
            continue  # the U+FFFD stands for an invalid byte: that is CU703's finding
        else:  # `fix` keeps invalid bytes, so it cannot apply a repair over one
            findings.append(dataclasses.replace(finding, replacement=None, safe=False))
    if extra:
        extra = _suppressed(document, extra)
    return _apply_config(findings + extra, config)


def _inside_invalid(document: Document, start: int, end: int) -> bool:
    """Whether every character of ``start:end`` stands for an invalid byte."""
    return all(0xDC80 <= ord(ch) <= 0xDCFF for ch in document.raw[start:end])


def _suppressed(document: Document, findings: list[Finding]) -> list[Finding]:
    """Inline `cleanup: ignore` directives also apply to the file-level findings."""
    try:
        from cleanup.suppress import filter_findings
    except ImportError:  # pragma: no cover - the suppression module is optional
        return findings
    return filter_findings(document.text, findings, document.syntax)


@dataclass(frozen=True)
class FixOutcome:
    """What fixing one file produced: its new bytes and the findings left in them."""

    document: Document
    data: bytes
    remaining: list[Finding]
    applied: list[Edit]
    converted: bool

    @property
    def changed(self) -> bool:
        return self.data != self.document.data

    @property
    def fixed_document(self) -> Document:
        return decode_document(self.data, self.document.path, assume_utf8=True)


def fix_document(document: Document, config: Config | None = None,
                 unsafe_fixes: bool = False) -> FixOutcome:
    """Fix a file: apply the engine's edits to its text and write every other byte back as is.

    Edits that would touch an invalid byte are left out (the byte must survive). A file in
    another encoding is converted to UTF-8 only with ``unsafe_fixes``, then fixed.

    >>> doc = decode_document(b"\\xef\\xbb\\xbfa\\xff b\\r\\n", "x.txt")
    >>> fix_document(doc).data == doc.data
    True
    """
    from cleanup.engine import fix

    config = config or Config()
    unsafe_fixes = unsafe_fixes or config.unsafe_fixes
    converted = False
    if not document.is_utf8:
        if not unsafe_fixes:
            return FixOutcome(document, document.data, check_document(document, config), [],
                              False)
        converted = True
        document = Document(document.path, document.data, document.text,
                            document.text, syntax=document.syntax)
    from cleanup.formats.segmented import fix_file  # translation files: segment by segment

    fixed = fix_file(document.text, document.path, config, unsafe_fixes) or fix(
        document.text, config=config, unsafe_fixes=unsafe_fixes, syntax=document.syntax)
    applied = [edit for edit in fixed.edits
               if not document.touches_invalid_bytes(edit.start, edit.end)]
    data = document.encode(applied)
    fixed_document = decode_document(data, document.path, assume_utf8=True)
    remaining = check_document(fixed_document, config)
    return FixOutcome(document, data, remaining, applied, converted)


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


# --- Finding the files to check ---------------------------------------------------------------


def _gitignore_spec(directory: Path) -> pathspec.GitIgnoreSpec | None:
    ignore_file = directory / ".gitignore"
    if not ignore_file.is_file():
        return None
    import pathspec

    try:
        lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _repository_root(directory: Path) -> Path | None:
    for folder in (directory, *directory.parents):
        if (folder / ".git").exists():
            return folder
    return None


@dataclass
class _IgnoreStack:
    """The `.gitignore` files in force in a directory, shallowest first, with their base."""

    specs: list[tuple[Path, Any]] = field(default_factory=list)

    def ignored(self, path: Path, is_dir: bool) -> bool:
        verdict = False
        for base, spec in self.specs:
            try:
                relative = path.relative_to(base).as_posix()
            except ValueError:
                continue
            result = spec.check_file(relative + "/" if is_dir else relative)
            if result.include is not None:
                verdict = result.include
        return verdict


def walk_directory(top: Path) -> Iterator[Path]:
    """Every file under ``top``, sorted, skipping `.git` and what `.gitignore` files ignore.

    The `.gitignore` files between the repository root and ``top`` count too, as in git.
    """
    top_resolved = top.resolve()
    stack = _IgnoreStack()
    root = _repository_root(top_resolved)
    if root is not None:
        for folder in reversed(top_resolved.parents):
            if folder == root or root in folder.parents:
                spec = _gitignore_spec(folder)
                if spec is not None:
                    stack.specs.append((folder, spec))
    yield from _walk(top, top_resolved, stack)


def _walk(directory: Path, resolved: Path, stack: _IgnoreStack) -> Iterator[Path]:
    spec = _gitignore_spec(resolved)
    if spec is not None:
        stack = _IgnoreStack([*stack.specs, (resolved, spec)])
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError as error:
        raise FileError(f"{directory}: cannot list: {error.strerror or error}") from None
    for entry in entries:
        is_dir = entry.is_dir(follow_symlinks=False)
        if is_dir and entry.name in ALWAYS_SKIPPED_DIRS:
            continue
        if stack.ignored(resolved / entry.name, is_dir):
            continue
        if is_dir:
            yield from _walk(Path(entry.path), resolved / entry.name, stack)
        elif entry.is_file():
            yield Path(entry.path)


class PathFilter:
    """The config's `exclude` and `per-file-ignores` globs, relative to the config's folder.

    Globs are gitignore-style, as in typos and ruff: ``build/``, ``*.min.js``, ``docs/**/*.md``.
    They apply to files named on the command line too (what pre-commit passes).

    >>> rules = PathFilter(Config(exclude=["vendor/"], per_file_ignores={"*.md": ["CU404"]}),
    ...                    Path("/repo"))
    >>> rules.excluded(Path("/repo/vendor/lib.txt")), rules.ignored_codes(Path("/repo/a.md"))
    (True, ('CU404',))
    """

    def __init__(self, config: Config, base: Path) -> None:
        self.base = base
        self._exclude = self._spec(config.exclude) if config.exclude else None
        self._per_file = [(self._spec([glob]), codes)
                          for glob, codes in config.per_file_ignores.items()]

    @staticmethod
    def _spec(patterns: Iterable[str]) -> Any:
        import pathspec

        return pathspec.GitIgnoreSpec.from_lines(list(patterns))

    def _relative(self, path: Path) -> str | None:
        absolute = Path(os.path.abspath(path))
        try:
            return absolute.relative_to(self.base).as_posix()
        except ValueError:
            return None

    def excluded(self, path: Path) -> bool:
        if self._exclude is None:
            return False
        relative = self._relative(path)
        return relative is not None and bool(self._exclude.match_file(relative))

    def ignored_codes(self, path: Path) -> tuple[str, ...]:
        relative = self._relative(path)
        if relative is None:
            return ()
        codes: list[str] = []
        for spec, globs_codes in self._per_file:
            if spec.match_file(relative):
                codes.extend(globs_codes)
        return tuple(codes)


__all__ = [
    "Document",
    "FileError",
    "FixOutcome",
    "PathFilter",
    "check_document",
    "decode_document",
    "fix_document",
    "read_bytes",
    "syntax_for",
    "walk_directory",
    "write_atomic",
]
