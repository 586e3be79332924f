"""Corpus runs: annotate JSON Lines and Parquet files in bounded memory, locally or on Ray.

`annotate_paths` (in `cleanup.corpus.annotate`) is what ``cleanup annotate INPUT OUTPUT``
calls; `cleanup.corpus.executor` holds the registry of where the per-batch code runs. This
package's names load on first use, so that the CLI can list the executors without importing
the corpus machinery.
"""

from __future__ import annotations

from typing import Any

_EXPORTS = {
    "CorpusError": "cleanup.corpus.io",
    "Interrupted": "cleanup.corpus.annotate",
    "Stats": "cleanup.corpus.stats",
    "merge_stats": "cleanup.corpus.stats",
    "Summary": "cleanup.corpus.annotate",
    "annotate_paths": "cleanup.corpus.annotate",
}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'cleanup.corpus' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_EXPORTS[name]), name)


__all__ = ["CorpusError", "Interrupted", "Stats", "Summary", "annotate_paths", "merge_stats"]
