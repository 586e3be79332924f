"""Never lose, corrupt or misplace a byte (issue 12, the file side): what `fix`, `check`,
baselines and corpus runs do with the files and faults real machines have.

Real files in temporary folders, the CLI as a subprocess where the CLI is the surface. Device
nodes are private ones made with `os.mknod` (as root), never a system path such as /dev/null.
"""

from __future__ import annotations

import ctypes
import errno
import gzip
import json
import os
import random
import re
import resource
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from cleanup.corpus import annotate_paths
from cleanup.files import TEMP_SUFFIX, AtomicFile, FileError, decode_document, write_atomic
from cleanup.run import RunOptions, fix_paths

ROOT = Path(__file__).resolve().parent.parent
FILES = ROOT / "fixtures" / "files"
ARTICLE = ROOT / "fixtures" / "washington-post-biden-netanyahu.en.txt"

DAMAGED = "The caf\u00c3\u00a9 owners went back to Washington .\n"
FIXED = "The caf\u00e9 owners went back to Washington.\n"

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_root = pytest.mark.skipif(not IS_ROOT, reason="device nodes and chown need root")


def run(*args: str | Path, cwd: Path, preexec_fn: Any = None,
        timeout: float = 300) -> subprocess.CompletedProcess[bytes]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("NO_COLOR", "FORCE_COLOR")}
    return subprocess.run([sys.executable, "-m", "cleanup", *map(str, args)], check=False,
                          cwd=cwd, capture_output=True, env=env, timeout=timeout,
                          preexec_fn=preexec_fn)


def one_line_error(result: subprocess.CompletedProcess[bytes], *fragments: str) -> str:
    """The run's stderr, asserted to be one-line errors (no traceback) naming ``fragments``."""
    stderr = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error: ")]
    assert errors, stderr
    for fragment in fragments:
        assert any(fragment in line for line in errors), stderr
    return stderr


def null_device(path: Path) -> Path:
    """A private character device that discards what is written (major 1, minor 3)."""
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return path


# --- 3: binary data after the first 8 KB -----------------------------------------------------

def self_extracting_installer() -> bytes:
    """A shell header of more than 8 KB (text to git and pre-commit) over a gzip payload."""
    header = "#!/bin/sh\n# Unpacks the payload below this script and installs it.\n"
    header += "".join(f'echo "step {n}: checking the system, please wait"\n'
                      for n in range(260))
    header += 'tail -n +267 "$0" | gunzip | tar -x\nexit 0\n'
    assert len(header) > 8192
    return header.encode() + gzip.compress(ARTICLE.read_bytes(), mtime=0)


def test_binary_data_after_the_first_8_kb_is_skipped_and_never_fixed(tmp_path: Path) -> None:
    installer = tmp_path / "install.sh"
    data = self_extracting_installer()
    installer.write_bytes(data)
    result = run("fix", "install.sh", cwd=tmp_path)
    assert installer.read_bytes() == data
    assert "install.sh: skipped: binary file" in result.stderr.decode()
    payload = data[data.index(b"\x1f\x8b"):]
    assert gzip.decompress(payload) == ARTICLE.read_bytes()


def test_a_file_mostly_invalid_utf8_full_of_control_bytes_is_binary() -> None:
    """No NUL at all (random bytes 1-255), but no encoding reads it and it is full of
    control bytes: binary. Text with a few stray bytes stays text."""
    noise = random.Random(12).randbytes(20_000).replace(b"\x00", b"\x01")
    header = self_extracting_installer()[:9000]
    assert decode_document(header + noise, "install.sh").binary
    stray = "Zelensky’s café — ".encode() + b"Krak\xf3w and \xe9t\xe9 in Washington ."
    assert not decode_document(stray, "notes.txt").binary


# --- 4: a change made while fix works ------------------------------------------------------

def test_a_file_changed_while_fix_works_on_it_keeps_the_change(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An editor saves the file between cleanup's read and its write (the fault is injected
    at that moment): the save survives, and the run says in one line why it did not write."""
    import cleanup.run

    target = tmp_path / "notes.txt"
    target.write_text(DAMAGED, encoding="utf-8")
    edited = DAMAGED + "A paragraph the author added meanwhile.\n"
    real_fix = cleanup.run.fix_document

    def fix_while_the_author_saves(*args: Any, **kwargs: Any) -> Any:
        outcome = real_fix(*args, **kwargs)
        target.write_text(edited, encoding="utf-8")
        return outcome

    monkeypatch.setattr(cleanup.run, "fix_document", fix_while_the_author_saves)
    result = fix_paths([str(target)], RunOptions(isolated=True))
    assert target.read_text(encoding="utf-8") == edited
    assert len(result.errors) == 1 and "changed while cleanup worked on it" in result.errors[0]
    assert "\n" not in result.errors[0] and result.exit_code() == 2
    assert sorted(os.listdir(tmp_path)) == ["notes.txt"]


def test_write_atomic_refuses_a_file_that_no_longer_holds_the_bytes_read(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_bytes(b"what the author saved last")
    with pytest.raises(FileError, match="changed while"):
        write_atomic(target, b"fixed", expected=b"what cleanup read")
    assert target.read_bytes() == b"what the author saved last"
    write_atomic(target, b"fixed", expected=b"what the author saved last")
    assert target.read_bytes() == b"fixed"


# --- 5: the file's identity ------------------------------------------------------------------

def test_fix_keeps_hard_links_together(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text(DAMAGED, encoding="utf-8")
    other = tmp_path / "same-notes.txt"
    os.link(target, other)
    inode = target.stat().st_ino
    result = run("fix", "notes.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == other.read_text(encoding="utf-8") == FIXED
    assert target.stat().st_ino == other.stat().st_ino == inode
    assert sorted(os.listdir(tmp_path)) == ["notes.txt", "same-notes.txt"]


def test_fix_keeps_extended_attributes(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text(DAMAGED, encoding="utf-8")
    try:
        os.setxattr(target, "user.origin", b"translated by hand")
    except OSError as error:
        if error.errno in (errno.ENOTSUP, errno.EPERM):
            pytest.skip(f"this file system refuses extended attributes: {error.strerror}")
        raise
    result = run("fix", "notes.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == FIXED
    assert os.getxattr(target, "user.origin") == b"translated by hand"


@needs_root
def test_fix_keeps_owner_and_group(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text(DAMAGED, encoding="utf-8")
    os.chown(target, 4321, 8765)
    target.chmod(0o664)
    result = run("fix", "notes.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    status = target.stat()
    assert target.read_text(encoding="utf-8") == FIXED
    assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) == (4321, 8765, 0o664)


def test_a_longer_content_is_written_into_a_hard_linked_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_bytes(b"short")
    os.link(target, tmp_path / "same-notes.txt")
    longer = ARTICLE.read_bytes()
    write_atomic(target, longer)
    assert target.read_bytes() == (tmp_path / "same-notes.txt").read_bytes() == longer
    assert sorted(os.listdir(tmp_path)) == ["notes.txt", "same-notes.txt"]


def _without_chown() -> None:
    """In the child: root without CAP_CHOWN, as a user who may not give files away."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(24, 0, 0, 0, 0) != 0:  # PR_CAPBSET_DROP, CAP_CHOWN
        raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@needs_root
def test_fix_keeps_an_owner_it_cannot_give_a_new_file_by_writing_in_place(
        tmp_path: Path) -> None:
    target = tmp_path / "notes.txt"
    target.write_text(DAMAGED, encoding="utf-8")
    os.chown(target, 4321, 8765)
    target.chmod(0o666)
    inode = target.stat().st_ino
    result = run("fix", "notes.txt", cwd=tmp_path, preexec_fn=_without_chown)
    assert result.returncode == 0, result.stderr
    status = target.stat()
    assert target.read_text(encoding="utf-8") == FIXED
    assert (status.st_uid, status.st_gid, status.st_ino) == (4321, 8765, inode)
    assert sorted(os.listdir(tmp_path)) == ["notes.txt"]


def test_fix_refuses_a_read_only_file(tmp_path: Path) -> None:
    """Decided from the mode bits: as root, os.access says every file is writable."""
    target = tmp_path / "notes.txt"
    target.write_text(DAMAGED, encoding="utf-8")
    target.chmod(0o444)
    result = run("fix", "notes.txt", cwd=tmp_path)
    assert result.returncode == 2
    one_line_error(result, "notes.txt: read-only (mode 0444)")
    assert target.read_text(encoding="utf-8") == DAMAGED
    assert stat.S_IMODE(target.stat().st_mode) == 0o444
    assert sorted(os.listdir(tmp_path)) == ["notes.txt"]


# --- 6: outputs that are not regular files ---------------------------------------------------

@needs_root
def test_write_baseline_to_a_device_writes_through_it_and_keeps_the_device(
        tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text(DAMAGED, encoding="utf-8")
    device = null_device(tmp_path / "null")
    result = run("check", "--write-baseline", "null", "notes.txt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(device.lstat().st_mode)
    assert device.lstat().st_rdev == os.makedev(1, 3)
    assert sorted(os.listdir(tmp_path)) == ["notes.txt", "null"]


@needs_root
def test_annotate_stats_to_a_device_writes_through_it_and_keeps_the_device(
        tmp_path: Path) -> None:
    (tmp_path / "in.jsonl").write_text(json.dumps({"text": DAMAGED}) + "\n", encoding="utf-8")
    device = null_device(tmp_path / "null")
    result = run("annotate", "in.jsonl", "out.jsonl", "--workers", "1", "--stats", "null",
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(device.lstat().st_mode)
    assert sorted(os.listdir(tmp_path)) == ["in.jsonl", "null", "out.jsonl"]


def test_an_output_that_is_a_folder_is_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "in.jsonl").write_text(json.dumps({"text": DAMAGED}) + "\n", encoding="utf-8")
    (tmp_path / "stats").mkdir()
    result = run("annotate", "in.jsonl", "out.jsonl", "--workers", "1", "--stats", "stats",
                 cwd=tmp_path)
    assert result.returncode == 2
    one_line_error(result, "stats: a directory, not a regular file")
    assert (tmp_path / "stats").is_dir()


# --- 11: one-line errors instead of tracebacks and hangs --------------------------------------

def test_a_symlink_loop_in_a_walked_folder_is_no_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "notes.txt").write_text(DAMAGED, encoding="utf-8")
    (folder / "a").symlink_to("b")
    (folder / "b").symlink_to("a")
    result = run("check", "--format", "jsonl", "docs", cwd=tmp_path)
    assert "Traceback" not in result.stderr.decode()
    assert result.returncode == 1
    assert {json.loads(line)["path"] for line in result.stdout.decode().splitlines()} == \
        {"docs/notes.txt"}


def _without_dac_override() -> None:
    """In the child: drop root's power to enter any folder (CAP_DAC_OVERRIDE and
    CAP_DAC_READ_SEARCH leave the bounding set, so the exec'd process does not get them)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_a_folder_that_cannot_be_entered_is_one_line_and_the_rest_is_checked(
        tmp_path: Path) -> None:
    (tmp_path / "docs" / "locked").mkdir(parents=True)
    (tmp_path / "docs" / "notes.txt").write_text(DAMAGED, encoding="utf-8")
    (tmp_path / "docs" / "locked" / "secret.txt").write_text(DAMAGED, encoding="utf-8")
    (tmp_path / "docs" / "locked").chmod(0)
    preexec = _without_dac_override if IS_ROOT else None
    try:
        result = run("check", "--format", "jsonl", "docs", cwd=tmp_path, preexec_fn=preexec)
    finally:
        (tmp_path / "docs" / "locked").chmod(0o755)
    assert result.returncode == 2
    one_line_error(result, "docs/locked: cannot list: Permission denied")
    assert {json.loads(line)["path"] for line in result.stdout.decode().splitlines()} == \
        {"docs/notes.txt"}


def _special_file(kind: str, path: Path) -> Path:
    if kind == "fifo":
        os.mkfifo(path)
    else:  # /dev/zero's numbers: reads never end
        if not IS_ROOT:
            pytest.skip("os.mknod of a device needs root")
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 5))
    return path


def _bounded_memory() -> None:
    """The old code read /dev/zero until MemoryError: keep that from eating the machine."""
    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


@pytest.mark.parametrize(("kind", "shown"), [("fifo", "a FIFO"),
                                             ("zero", "a character device")])
def test_a_fifo_or_an_endless_device_as_a_path_is_a_one_line_error(
        tmp_path: Path, kind: str, shown: str) -> None:
    _special_file(kind, tmp_path / "input.txt")
    result = run("check", "input.txt", cwd=tmp_path, preexec_fn=_bounded_memory, timeout=120)
    assert result.returncode == 2
    one_line_error(result, f"input.txt: {shown}, not a regular file")


@pytest.mark.parametrize(("kind", "shown"), [("fifo", "a FIFO"),
                                             ("zero", "a character device")])
def test_a_fifo_or_an_endless_device_as_config_is_a_one_line_error(
        tmp_path: Path, kind: str, shown: str) -> None:
    (tmp_path / "notes.txt").write_text(DAMAGED, encoding="utf-8")
    _special_file(kind, tmp_path / "cleanup.toml")
    result = run("check", "--config", "cleanup.toml", "notes.txt", cwd=tmp_path,
                 preexec_fn=_bounded_memory, timeout=120)
    assert result.returncode == 2
    one_line_error(result, f"cleanup.toml: config file is {shown}, not a regular file")


NON_UTF8_NAME = b"caf\xe9 notes.txt"


def _non_utf8_named_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), NON_UTF8_NAME), "wb") as out:
        out.write(DAMAGED.encode())
    return folder


def test_sarif_with_a_file_name_that_is_not_utf8_is_valid_and_names_its_bytes(
        tmp_path: Path) -> None:
    _non_utf8_named_folder(tmp_path)
    result = run("check", "--format", "sarif", "docs", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    sarif = json.loads(result.stdout.decode("utf-8"))
    uris = {found["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for found in sarif["runs"][0]["results"]}
    assert uris == {"docs/caf%E9%20notes.txt"}


@pytest.mark.parametrize("output_format", ["json", "jsonl"])
def test_json_with_a_file_name_that_is_not_utf8_is_valid_utf8_and_round_trips(
        tmp_path: Path, output_format: str) -> None:
    _non_utf8_named_folder(tmp_path)
    result = run("check", "--format", output_format, "docs", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    text = result.stdout.decode("utf-8")  # strict: raises on invalid UTF-8
    findings = json.loads(text) if output_format == "json" else [
        json.loads(line) for line in text.splitlines()]
    assert findings
    assert {os.fsencode(found["path"]) for found in findings} == {b"docs/" + NON_UTF8_NAME}


# --- 14: never write outside the named folders -----------------------------------------------

def test_fix_of_a_folder_never_writes_through_a_symlink_to_a_file_outside_it(
        tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text(DAMAGED, encoding="utf-8")
    repository = tmp_path / "repository"
    repository.mkdir()
    (repository / "notes.txt").write_text(DAMAGED, encoding="utf-8")
    (repository / "link.txt").symlink_to(outside)
    result = run("fix", "repository", cwd=tmp_path)
    assert "Traceback" not in result.stderr.decode()
    assert outside.read_text(encoding="utf-8") == DAMAGED
    assert (repository / "link.txt").is_symlink()
    assert (repository / "notes.txt").read_text(encoding="utf-8") == FIXED


# --- 15: corpus temporary files -------------------------------------------------------------

def test_corpus_outputs_never_write_through_a_link_planted_in_their_folder(
        tmp_path: Path) -> None:
    """Another user who can write the output folder plants links where a run's temporary
    files would go; the run must create its own files and leave the links' targets alone."""
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"text": DAMAGED}) + "\n", encoding="utf-8")
    shared = tmp_path / "shared"
    shared.mkdir()
    victim = tmp_path / "victim.conf"
    victim.write_text("precious\n", encoding="utf-8")
    for name in ("stats.json", "report.html"):
        for pid in {os.getpid(), os.getppid()}:
            (shared / f".{name}.{pid}{TEMP_SUFFIX}").symlink_to(victim)
    summary = annotate_paths(str(source), str(tmp_path / "out.jsonl"), workers=1,
                             progress=False, stats_path=str(shared / "stats.json"),
                             report_path=str(shared / "report.html"))
    assert summary.exit_code == 0
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert json.loads((shared / "stats.json").read_text(encoding="utf-8"))["records"] == 1
    assert (shared / "report.html").read_text(encoding="utf-8").startswith("<!")


def test_a_temporary_file_is_created_private_and_fresh(tmp_path: Path) -> None:
    target = tmp_path / "shard.jsonl"
    with AtomicFile(target) as out:
        out.write(b"{}\n")
        temporary = [p for p in tmp_path.iterdir() if p.name.endswith(TEMP_SUFFIX)]
        assert len(temporary) == 1 and temporary[0].name.startswith(".shard.jsonl.")
        assert stat.S_IMODE(temporary[0].lstat().st_mode) == 0o600
    assert target.read_bytes() == b"{}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()
    assert os.listdir(tmp_path) == ["shard.jsonl"]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# --- also: failed writes, NaN, leftovers ------------------------------------------------------

def test_a_failed_write_reports_the_file_as_it_is_not_as_fixed(tmp_path: Path) -> None:
    """The child may not write files over 4 KiB (RLIMIT_FSIZE), so the write fails part-way."""
    target = tmp_path / "big.txt"
    original = (DAMAGED * 200).encode()
    target.write_bytes(original)

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    result = run("fix", "--format", "json", "big.txt", cwd=tmp_path, preexec_fn=limit_file_size)
    assert result.returncode == 2
    one_line_error(result, "big.txt: cannot write: File too large")
    assert target.read_bytes() == original
    rules = [found["rule"] for found in json.loads(result.stdout.decode())]
    assert rules.count("CU101") == 200  # what the file still holds, not what a fix would leave
    text = run("fix", "big.txt", cwd=tmp_path, preexec_fn=limit_file_size)
    assert "Fixed" not in text.stderr.decode() and "All clear" not in text.stderr.decode()


def _strict_json(text: str) -> Any:
    def refuse(constant: str) -> Any:
        raise ValueError(f"{constant} in JSON output")
    return json.loads(text, parse_constant=refuse)


def test_nan_and_infinity_never_reach_json_output(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "Hello , world", "score": NaN}\n'
                      '{"text": "Fine text.", "weight": -Infinity}\n'
                      '{"text": "Hello , again", "score": 0.5}\n', encoding="utf-8")
    result = run("annotate", "in.jsonl", "out.jsonl", "--workers", "1", cwd=tmp_path)
    assert result.returncode == 1  # two records went to the errors file
    output = [_strict_json(line) for line in
              (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    errors = [_strict_json(line) for line in
              (tmp_path / "out.jsonl.errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [record["score"] for record in output] == [0.5]
    assert [(error["line"], error["reason"]) for error in errors] == [
        (1, "invalid JSON: NaN is not a JSON value"),
        (2, "invalid JSON: -Infinity is not a JSON value")]


def test_a_temporary_file_left_by_a_hard_kill_is_not_checked(tmp_path: Path) -> None:
    """What a `fix` killed between writing its temporary file and renaming it leaves."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "notes.txt").write_text(FIXED, encoding="utf-8")
    descriptor, _ = tempfile.mkstemp(dir=folder, prefix=".notes.txt.", suffix=TEMP_SUFFIX)
    os.write(descriptor, DAMAGED.encode())
    os.close(descriptor)
    result = run("check", "docs", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert TEMP_SUFFIX not in result.stdout.decode()


# --- issue 10: one way to write a file ---------------------------------------------------------

def test_only_files_py_creates_temporary_files_or_renames_files_into_place() -> None:
    writers = re.compile(r"\bos\.(replace|rename)\(|\btempfile\.mk|\.replace\(tmp|"
                         r"\bwrite_bytes\(|\bwrite_text\(")
    found = []
    for path in sorted((ROOT / "cleanup").rglob("*.py")):
        if path.name == "files.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if writers.search(line) and ">>>" not in line and "..." not in line:
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
