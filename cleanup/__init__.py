"""cleanup: find and repair the damage text picks up in machine translation, decoding and copy-paste.

>>> import cleanup
>>> fixed = cleanup.fix("The newspaper says cafÃ© owners left .")
>>> fixed.text
'The newspaper says café owners left.'
>>> [(f.rule, f.text) for f in fixed.findings]
[('CU101', 'Ã©'), ('CU404', ' ')]
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from cleanup.config import Config, ConfigError
from cleanup.engine import annotate_batch, check, check_corpus, fix
from cleanup.findings import Edit, Finding, Fixed

if TYPE_CHECKING:
    from cleanup.html_report import show

__version__ = "0.1.0"

__all__ = [
    "Config",
    "ConfigError",
    "Edit",
    "Finding",
    "Fixed",
    "__version__",
    "annotate_batch",
    "check",
    "check_corpus",
    "fix",
    "show",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str) -> Any:
    """`show` (the highlighted view for Jupyter) loads on first use: the CLI never needs it."""
    if name == "show":
        from cleanup.html_report import show

        return show
    raise AttributeError(f"module 'cleanup' has no attribute {name!r}")
