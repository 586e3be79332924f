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
from typing import TYPE_CHECKING

from cleanup.config import Config, ConfigError
from cleanup.engine import annotate_batch, check, check_corpus, fix
from cleanup.files import FileError
from cleanup.findings import Edit, FileFinding, Finding
from cleanup.fixed import Fixed
from cleanup.run import check_file, fix_file

if TYPE_CHECKING:
    from collections.abc import Iterable

    from cleanup.html_report import Highlighted

__version__ = "0.1.0"

__all__ = [
    "Config",
    "ConfigError",
    "Edit",
    "FileError",
    "FileFinding",
    "Finding",
    "Fixed",
    "__version__",
    "annotate_batch",
    "check",
    "check_corpus",
    "check_file",
    "fix",
    "fix_file",
    "show",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())


def show(text: str, findings: Iterable[Finding] | None = None, *,
         select: Iterable[str] | None = None, config: Config | None = None,
         title: str = "text") -> Highlighted:
    """``text`` with its findings highlighted, for Jupyter (or ``.to_html()`` for a file).

    Without ``findings``, ``text`` is checked first (with ``select`` and ``config``). The
    HTML report's code loads on first use: the CLI never needs it.

    >>> "[Израиля]</mark>" in show("He said [Израиля] today.")._repr_html_()
    True
    """
    from cleanup.html_report import Highlighted

    if findings is None:
        findings = check(text, select, config)
    return Highlighted(text, tuple(findings), title=title)
