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
* A binary file is skipped: a NUL byte anywhere (not only in the first 8000 bytes git looks
  at) unless the file is UTF-16, or bytes mostly invalid as UTF-8, that no legacy encoding
  reads, with many control bytes.
* Only regular files are read (`read_bytes`): a FIFO or a device named as a file is an error.
* `AtomicFile` (and `write_atomic` over it) is the one way cleanup writes a file: a private
  temporary file beside it, fsynced and renamed over the original with its mode, owner and
  extended attributes (or copied into it, to keep hard links); an interrupted write leaves
  the original intact and no temporary file.

Checking and fixing a document is the engine's (`cleanup.engine.check_document`,
`fix_document`); finding the files of a run is `cleanup.paths`'.

>>> document = decode_document(b"\\xef\\xbb\\xbfcaf\\xe9 , bar\\r\\n", "menu.txt")
>>> document.text, document.bom, document.invalid_runs
('caf\\ufffd , bar\\r\\n', b'\\xef\\xbb\\xbf', [(3, 4)])
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Self

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

#: How much of a file is sampled to recognize UTF-16 without a byte order mark.
BINARY_SNIFF_BYTES = 8000

#: Control bytes that text does not hold (tab, line ends, form feed and escape are text).
_CONTROL_BYTES = bytes([*range(0x01, 0x09), *range(0x0e, 0x1b), *range(0x1c, 0x20), 0x7f])

#: A file mostly invalid as UTF-8 that no legacy encoding reads is binary when at least one
#: byte in this many is a control byte (random data: one in nine); text with a few stray
#: bytes stays text, with its CU703 findings.
BINARY_CONTROL_SHARE = 50

#: An invalid byte as Python's ``surrogateescape`` decodes it: a lone low surrogate.
_INVALID_BYTE = re.compile("[\udc80-\udcff]")
_INVALID_BYTES = re.compile("[\udc80-\udcff]+")

#: Suffix of the temporary file a fix is written to before it replaces the original.
TEMP_SUFFIX = ".cleanup-tmp"

_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


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
    """A regular file's bytes, or a `FileError` that says in one line why they cannot be read.

    Anything else named as a file is refused before a byte is read: a FIFO would wait for a
    writer forever, ``/dev/zero`` would be read until memory runs out. Standard input is
    read as ``-``.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | _O_CLOEXEC | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise FileError(f"{path}: no such file or directory") from None
    except IsADirectoryError:
        raise FileError(f"{path}: is a directory") from None
    except OSError as error:
        raise FileError(f"{path}: cannot read: {error.strerror or error}") from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        if stat.S_ISDIR(mode):
            raise FileError(f"{path}: is a directory")
        raise FileError(f"{path}: {file_kind(mode)}, not a regular file; not read "
                        "(use `-` to read standard input)")
    with os.fdopen(descriptor, "rb") as handle:
        try:
            return handle.read()
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
    elif not assume_utf8:
        for mark, codec in UNICODE_BOMS:
            if data.startswith(mark):
                try:
                    text = data.decode(codec)
                except UnicodeDecodeError:
                    break
                return Document(path, bom + data, text, text, encoding=codec, syntax=syntax)
    # A NUL anywhere: text has none, but binary payloads appended to a text header (a
    # self-extracting installer) start beyond any sniffed prefix.
    if not assume_utf8 and b"\x00" in data:
        utf16 = None if bom else _utf16_without_bom(data)
        if utf16 is None:
            return Document(path, bom + data, "", "", syntax=syntax, binary=True)
        return Document(path, data, utf16[0], utf16[0], encoding=utf16[1], syntax=syntax)
    assume_utf8 = assume_utf8 or bool(bom)
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
        # Mostly invalid, full of control bytes, and no encoding reads it: binary data.
        controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
        if controls * BINARY_CONTROL_SHARE >= len(data):
            return Document(path, data, "", "", syntax=syntax, binary=True)
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


class AtomicFile:
    """The new content of ``path``, written beside it and put in place by `commit`, so that
    nothing ever sees half of it and a failure leaves the old content and no temporary file.

    The one way cleanup writes a file (a fixed file, a baseline, a corpus shard, its stats):

    * The content goes to a private temporary file in the target's folder, created as
      `tempfile.mkstemp` does (a random name, ``O_EXCL``, no symlink followed, mode 0600), so
      another user who can write the folder cannot make the write land elsewhere. Its name
      starts with ``.`` and ends with `TEMP_SUFFIX`; folder walks skip such files, so one left
      by a hard kill is never checked.
    * `commit` fsyncs it and, for an existing file, carries over what makes the file itself:
      mode, owner and group, extended attributes (where ACLs and security labels live), then
      renames it over the file and fsyncs the folder. When a rename cannot keep that identity
      (the file has other hard links, or its owner or an attribute cannot be set on a new
      file), the new content is copied into the existing file instead, after reserving the
      space it needs; should that copy still fail, the temporary file is kept and named.
    * ``expected``: the bytes the caller read. `commit` reads the file again first and refuses
      to replace it when it changed meanwhile (an editor saved it while cleanup worked).
    * A read-only file (no write permission in its mode) is refused, never replaced.
    * A target that exists and is not a regular file is never renamed over: a character
      device (``/dev/null``) or a FIFO is written in place, anything else is refused.
    * ``follow_symlinks=False`` refuses a target that is a symbolic link (for files found by
      walking a folder: what a link points to may lie outside it); by default the file a
      link points to is replaced and the link kept.

    Every failure is a `FileError` whose message is one line naming ``path``.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "notes.txt"
    >>> with AtomicFile(target) as out:
    ...     out.write(b"new ")
    ...     out.write(b"content")
    >>> target.read_bytes(), sorted(p.name for p in target.parent.iterdir())
    (b'new content', ['notes.txt'])
    """

    def __init__(self, path: str | os.PathLike[str], *, expected: bytes | None = None,
                 follow_symlinks: bool = True) -> None:
        self.path = Path(path)
        self.expected = expected
        self._target = (os.path.realpath(path) if follow_symlinks
                        else os.path.abspath(path))
        self._file: BinaryIO | None = None
        self._temporary: str | None = None  # None: a stream written in place
        self._done = False
        with self._errors():
            existing = self._existing()
            if existing is not None and not stat.S_ISREG(existing.st_mode):
                self._file = os.fdopen(self._open_stream(existing), "wb")
                return
            directory, name = os.path.split(self._target)
            stem = os.fsdecode(os.fsencode(name)[:200])  # names have at most 255 bytes
            descriptor, self._temporary = tempfile.mkstemp(
                dir=directory, prefix=f".{stem}.", suffix=TEMP_SUFFIX)
            self._file = os.fdopen(descriptor, "w+b")

    @property
    def handle(self) -> BinaryIO:
        """The open file the content goes to, for writers that stream (gzip, Parquet)."""
        assert self._file is not None
        return self._file

    def write(self, data: bytes) -> None:
        with self._errors():
            self.handle.write(data)

    def commit(self) -> None:
        """Put the new content in place (see the class docstring); then nothing is left over."""
        if self._done:
            return
        with self._errors():
            self.handle.flush()
            if self._temporary is not None:
                _fsync(self.handle.fileno())
                self._replace()
            self.handle.close()
        self._done = True

    def abort(self) -> None:
        """Drop the new content: the target keeps what it had, the temporary file goes."""
        self._done = True
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()
        if self._temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._temporary)
            self._temporary = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()

    def _existing(self) -> os.stat_result | None:
        """The target's status, or None when it does not exist; a `FileError` when it must
        not be written: a symbolic link not to follow, a read-only file, a directory..."""
        try:
            status = os.lstat(self._target)
        except FileNotFoundError:
            return None
        mode = status.st_mode
        if stat.S_ISREG(mode):
            # By the mode bits, not only os.access: root may write anything, but a file
            # nobody may write is one its owner wants left alone.
            if not stat.S_IMODE(mode) & 0o222 or not os.access(self._target, os.W_OK):
                raise FileError(f"{self.path}: read-only (mode {stat.S_IMODE(mode):04o}); "
                                "not written")
            return status
        if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
            return status
        raise FileError(f"{self.path}: {file_kind(mode)}, not a regular file; not written")

    def _open_stream(self, status: os.stat_result) -> int:
        """Open a device or a FIFO for writing in place; a FIFO nobody reads is an error,
        not a wait."""
        flags = os.O_WRONLY | _O_CLOEXEC | getattr(os, "O_NOCTTY", 0)
        if not stat.S_ISFIFO(status.st_mode):
            return os.open(self._target, flags)
        try:
            descriptor = os.open(self._target, flags | getattr(os, "O_NONBLOCK", 0))
        except OSError as error:
            if error.errno == errno.ENXIO:
                raise FileError(f"{self.path}: a FIFO that no process reads; not written"
                                ) from None
            raise
        os.set_blocking(descriptor, True)
        return descriptor

    def _replace(self) -> None:
        """Move the complete, fsynced temporary file's content into the target."""
        assert self._temporary is not None
        descriptor = self.handle.fileno()
        if self.expected is not None and _current_bytes(self._target) != self.expected:
            raise FileError(f"{self.path}: changed while cleanup worked on it; not written "
                            "(run cleanup again)")
        existing = self._existing()
        if existing is None:
            umask = os.umask(0o022)
            os.umask(umask)
            _chmod(descriptor, self._temporary, 0o666 & ~umask)
        elif existing.st_nlink > 1 or not _carry_identity(self._target, descriptor,
                                                          self._temporary, existing):
            self._copy_into_target()
            return
        os.replace(self._temporary, self._target)
        self._temporary = None
        _fsync_directory(os.path.dirname(self._target))

    def _copy_into_target(self) -> None:
        """Write the new content over the existing file, which keeps its inode (so its hard
        links, owner and attributes). The space is reserved first, so that a full disk fails
        before a byte is overwritten; the temporary file goes only once the copy is on disk."""
        assert self._temporary is not None
        size = self.handle.seek(0, os.SEEK_END)
        self.handle.seek(0)
        target = os.open(self._target, os.O_WRONLY | _O_CLOEXEC | _O_NOFOLLOW)
        with os.fdopen(target, "wb") as out:
            if size and hasattr(os, "posix_fallocate"):
                before = os.fstat(target).st_size
                try:
                    os.posix_fallocate(target, 0, size)
                except OSError as error:
                    os.ftruncate(target, before)  # what a failed reservation may have added
                    if error.errno not in (errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
                        raise
            try:
                shutil.copyfileobj(self.handle, out)
                out.flush()
                os.ftruncate(target, size)
                _fsync(target)
            except OSError as error:
                kept, self._temporary = self._temporary, None  # the only complete copy
                raise FileError(f"{self.path}: cannot write: {error.strerror or error}; its "
                                f"new content is in {kept}") from None
        os.unlink(self._temporary)
        self._temporary = None

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """On any failure, `abort`; an `OSError` becomes a one-line `FileError`."""
        try:
            yield
        except OSError as error:
            self.abort()
            raise FileError(f"{self.path}: cannot write: {error.strerror or error}") from None
        except BaseException:
            self.abort()
            raise


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, for messages.

    >>> file_kind(stat.S_IFIFO), file_kind(stat.S_IFDIR)
    ('a FIFO', 'a directory')
    """
    kinds = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symbolic link"))
    return next((name for test, name in kinds if test(mode)), "a special file")


def _chmod(descriptor: int, path: str, mode: int) -> None:
    """Set an open file's mode (by its name where ``fchmod`` is missing: Windows)."""
    if hasattr(os, "fchmod"):
        os.fchmod(descriptor, mode)
    else:
        os.chmod(path, mode)


def _fsync(descriptor: int) -> None:
    try:
        os.fsync(descriptor)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP):  # a file system without fsync
            raise


def _fsync_directory(directory: str) -> None:
    """Make a rename in ``directory`` durable (where folders can be opened: not Windows)."""
    try:
        descriptor = os.open(directory or ".", os.O_RDONLY | _O_CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _current_bytes(path: str) -> bytes | None:
    """A regular file's bytes now (None when it is gone or no longer a regular file)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | _O_CLOEXEC | _O_NOFOLLOW
                             | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        return handle.read()


def _carry_identity(target: str, descriptor: int, temporary: str,
                    existing: os.stat_result) -> bool:
    """Give the new file (``temporary``, open as ``descriptor``) the owner, group, mode and
    extended attributes of ``target``; False when one of them cannot be set on a new file."""
    own = os.fstat(descriptor)
    if (own.st_uid, own.st_gid) != (existing.st_uid, existing.st_gid):
        try:
            os.fchown(descriptor, existing.st_uid, existing.st_gid)
        except PermissionError:
            return False
    _chmod(descriptor, temporary, stat.S_IMODE(existing.st_mode))  # after chown (clears setuid)
    if not hasattr(os, "listxattr"):
        return True
    try:
        names = os.listxattr(target, follow_symlinks=False)
    except OSError:  # a file system without extended attributes
        return True
    for name in names:
        try:
            value = os.getxattr(target, name, follow_symlinks=False)
            try:
                if os.getxattr(descriptor, name) == value:
                    continue
            except OSError:
                pass
            os.setxattr(descriptor, name, value)
        except OSError:
            return False
    return True


def write_atomic(path: str | os.PathLike[str], data: bytes, *, expected: bytes | None = None,
                 follow_symlinks: bool = True) -> None:
    """Replace ``path``'s content with ``data`` through an `AtomicFile` (see there): the file
    keeps its mode, owner, attributes and hard links; on any failure it is untouched and no
    temporary file is left. ``expected``: refuse when the file no longer holds these bytes.
    """
    with AtomicFile(path, expected=expected, follow_symlinks=follow_symlinks) as out:
        out.write(data)


__all__ = [
    "AtomicFile",
    "FileError",
    "decode_document",
    "file_kind",
    "read_bytes",
    "syntax_for",
    "write_atomic",
]
