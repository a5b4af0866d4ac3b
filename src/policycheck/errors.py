"""Errors that end a run with exit status 2: bad input, never a bug.

Each carries the file (and line, where known) it is about, so the command line
can print one located line instead of a traceback. Its message is an English
template marked ``N_()`` with its parameters (as a finding's is), shown in the
reader's language by :meth:`PolicycheckError.text`; ``str()`` is the English.
"""

from __future__ import annotations

from pathlib import Path

from policycheck.findings import Message, Param
from policycheck.i18n import Translate
from policycheck.textsafe import one_line

__all__ = ["ConfigError", "InputError", "PolicycheckError", "one_line"]


class PolicycheckError(Exception):
    """A usage, configuration or input error, shown as one line.

    ``message`` is a template (an English msgid marked ``N_()``) filled with
    ``params``; without params it is shown as it is (translated when it is a msgid).
    """

    def __init__(
        self,
        message: str | Message,
        file: str | Path | None = None,
        line: int | None = None,
        **params: Param,
    ):
        self.template = (
            message if isinstance(message, Message) else Message(message, tuple(params.items()))
        )
        self.message = self.template.render()
        super().__init__(self.message)
        self.file = str(file) if file is not None else None
        self.line = line

    def __str__(self) -> str:
        return self.text()

    def text(self, translate: Translate | None = None) -> str:
        """The located line, its message in the language of ``translate`` (English
        when None)."""
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        message = self.message if translate is None else self.template.render(translate)
        return where + one_line(message)


class ConfigError(PolicycheckError):
    """The TOML table or a command-line option is wrong."""


class InputError(PolicycheckError):
    """A needs.json, a source file or a project folder cannot be read."""
