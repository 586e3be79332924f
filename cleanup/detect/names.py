"""Placeholder: the names detector is being written."""

from collections.abc import Iterator

from cleanup.config import Config
from cleanup.detect import Context
from cleanup.findings import Finding


def find_name_variants(text: str, context: Context) -> Iterator[Finding]:
    return iter(())


class CorpusNames:
    def __init__(self, config: Config) -> None:
        self.config = config

    def add(self, index: int, text: str) -> None:
        pass

    def findings(self) -> Iterator[tuple[int, Finding]]:
        return iter(())
