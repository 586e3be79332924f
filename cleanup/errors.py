"""The errors cleanup raises for what its user gave it, each a one-line message.

Apart from the modules that raise them, so that a module low in the house (an optional
dependency's check, a file reader) can raise a config error without importing the config.
"""

from __future__ import annotations


class ConfigError(ValueError):
    """A config value or file that cleanup cannot use; the message names file and line."""


__all__ = ["ConfigError"]
