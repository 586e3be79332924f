"""Placeholder: the scripts detector is being written."""

from collections.abc import Iterator

from cleanup.detect import Context
from cleanup.findings import Finding


def find_mixed_script_words(text: str, context: Context) -> Iterator[Finding]:
    return iter(())
