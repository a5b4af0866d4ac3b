"""Errors that end a run with exit status 2: bad input, never a bug.

Each carries the file (and line, where known) it is about, so the command line
can print one located line instead of a traceback.
"""

from __future__ import annotations

from pathlib import Path

from policycheck.textsafe import one_line

__all__ = ["ConfigError", "InputError", "PolicycheckError", "one_line"]


class PolicycheckError(Exception):
    """A usage, configuration or input error, shown as one line."""

    def __init__(self, message: str, file: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return where + one_line(self.message)


class ConfigError(PolicycheckError):
    """The TOML table or a command-line option is wrong."""


class InputError(PolicycheckError):
    """A needs.json, a source file or a project folder cannot be read."""
