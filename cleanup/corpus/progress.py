"""Progress of a corpus run on stderr: a rich bar on a terminal, plain log lines elsewhere.

Progress is measured in bytes on disk (compressed bytes for gzip), so the ETA holds for
mixed inputs; records/s and MB/s (uncompressed) are shown beside it. In CI logs and pipes a bar
would be noise, so a line is printed every `LOG_EVERY` seconds instead.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from typing import Any, TextIO

from cleanup.corpus.io import BatchResult, Shard
from cleanup.corpus.stats import human_bytes

#: Seconds between two plain progress lines when stderr is not a terminal.
LOG_EVERY = 10.0


class Progress:
    """Reports a run's progress; ``enabled=False`` reports nothing."""

    def __init__(self, shards: Sequence[Shard], *, enabled: bool = True,
                 stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and bool(shards)
        self.total = sum(shard.source.stat().st_size for shard in shards)
        self.done_bytes = 0
        self.records = 0
        self.text_bytes = 0
        self.started = time.perf_counter()
        self.last_log = self.started
        self._bar: Any = None
        self._task: Any = None
        if self.enabled and self.stream.isatty():
            self._start_bar(len(shards))

    def _start_bar(self, files: int) -> None:
        try:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                TextColumn,
                TimeRemainingColumn,
            )
            from rich.progress import (
                Progress as Bar,
            )
        except ImportError:
            return
        self._bar = Bar(
            TextColumn(f"annotating {files} file{'s' if files != 1 else ''}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=Console(file=self.stream),
            transient=True,
        )
        self._task = self._bar.add_task("annotate", total=self.total or None, rate="")
        self._bar.start()

    def _rates(self) -> str:
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        return (f"{self.records:,} records, {self.records / elapsed:,.0f} records/s, "
                f"{human_bytes(self.text_bytes / elapsed)}/s")

    def advance(self, result: BatchResult) -> None:
        if not self.enabled:
            return
        self.done_bytes += result.disk_bytes
        self.records += result.stats.records
        self.text_bytes += result.stats.bytes
        if self._bar is not None:
            self._bar.update(self._task, completed=self.done_bytes, rate=self._rates())
            return
        now = time.perf_counter()
        if now - self.last_log >= LOG_EVERY:
            self.last_log = now
            print(f"cleanup annotate: {self._rates()}, {self._eta(now)}", file=self.stream,
                  flush=True)

    def _eta(self, now: float) -> str:
        if not self.total or not self.done_bytes:
            return "ETA unknown"
        share = min(self.done_bytes / self.total, 1.0)
        remaining = (now - self.started) * (1 - share) / max(share, 1e-9)
        return f"{share:.0%} of {human_bytes(self.total)}, ETA {remaining:.0f} s"

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
