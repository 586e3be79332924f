"""The legacy-encoding guess of `cleanup check` and `cleanup fix --unsafe-fixes`, at the CLI.

A file that is not valid UTF-8 is either UTF-8 with a few stray bytes (kept, reported as
CU703) or a file wholly in a legacy encoding (one CU106, converted by `--unsafe-fixes`).
Mistaking the first for the second corrupts the file on conversion, so it must never happen,
and the same bytes must get the same answer on every run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str | Path, cwd: Path, seed: str = "0") -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    return subprocess.run([sys.executable, "-m", "cleanup", *map(str, args)], cwd=cwd,
                          capture_output=True, check=False, env=env)


def rules(result: subprocess.CompletedProcess[bytes]) -> list[str]:
    return [json.loads(line)["rule"] for line in result.stdout.decode().splitlines()]


#: UTF-8 text with cp1252 bytes pasted in: the valid `é`, `ж`, `日` must stay what they are.
UTF8_WITH_STRAY_BYTES = [
    b"Le\x93\x94 caf\xc3\xa9.\n",  # was taken for Shift-JIS: `cafﾃｩ`
    b"caf\xc3\xa9 \x93\x94\n",  # was taken for cp866: `caf├й`
    b"The caf\xc3\xa9 opened on Monday\x92s morning and the \x93new\x94 menu.\n",  # Mac Roman
    "Он сказал: «Всё хорошо»".encode() + b"\x92\x92\n",
    "東京で会いましょう".encode() + b"\x81\x93\n",
]


@pytest.mark.parametrize("data", UTF8_WITH_STRAY_BYTES)
def test_utf8_with_a_few_stray_bytes_is_never_taken_for_a_legacy_encoding(
        tmp_path: Path, data: bytes) -> None:
    (tmp_path / "notes.txt").write_bytes(data)
    found = rules(cli("check", "--format", "jsonl", "--select", "mojibake,lost_character",
                      "notes.txt", cwd=tmp_path))
    assert "CU106" not in found
    assert "CU703" in found
    cli("fix", "--unsafe-fixes", "--select", "mojibake,lost_character", "notes.txt",
        cwd=tmp_path)
    assert (tmp_path / "notes.txt").read_bytes() == data  # stray bytes are kept, nothing converted


LEGACY_FILES = {
    "fr.txt": "Le café est fermé, dit-il : « à demain ».\n".encode("cp1252"),
    "ru.txt": "Привет, мир! Как дела? Всё хорошо.\n".encode("cp1251"),
    "ja.txt": "東京で会いましょう。明日は雨です。\n".encode("shift_jis"),
    "zh.txt": "我们在北京见面，然后一起去吃饭。\n".encode("gbk"),
    "mixed.txt": UTF8_WITH_STRAY_BYTES[0],
}


def test_the_encoding_guess_is_the_same_on_every_run(tmp_path: Path) -> None:
    for name, data in LEGACY_FILES.items():
        (tmp_path / name).write_bytes(data)
    names = sorted(LEGACY_FILES)
    first = cli("check", "--format", "jsonl", *names, cwd=tmp_path, seed="1").stdout
    second = cli("check", "--format", "jsonl", *names, cwd=tmp_path, seed="2").stdout
    assert first == second
    assert rules(cli("check", "--format", "jsonl", "fr.txt", "ru.txt", "ja.txt", "zh.txt",
                     cwd=tmp_path)) == ["CU106"] * 4
    fixed = []
    for seed in ("1", "2"):
        copy = tmp_path / f"run{seed}"
        copy.mkdir()
        for name, data in LEGACY_FILES.items():
            (copy / name).write_bytes(data)
        cli("fix", "--unsafe-fixes", *names, cwd=copy, seed=seed)
        fixed.append({name: (copy / name).read_bytes() for name in names})
    assert fixed[0] == fixed[1]
    assert fixed[0]["ru.txt"].decode() == "Привет, мир! Как дела? Всё хорошо.\n"
    assert fixed[0]["ja.txt"].decode() == "東京で会いましょう。明日は雨です。\n"
    # A second run over the converted files changes nothing more.
    cli("fix", "--unsafe-fixes", *names, cwd=tmp_path / "run1", seed="3")
    assert {name: (tmp_path / "run1" / name).read_bytes() for name in names} == fixed[0]
