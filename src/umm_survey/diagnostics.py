"""Problems a user can cause, reported as ``path:line:col: severity: message``.

Every stage reports user-caused problems as :class:`Diagnostic` values instead of raising,
so that one run can list all of them. Only programming errors raise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one file; line and column are 1-based."""

    path: str
    line: int
    col: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"


def error(path: str, line: int, col: int, message: str) -> Diagnostic:
    return Diagnostic(path, line, col, "error", message)


def warning(path: str, line: int, col: int, message: str) -> Diagnostic:
    return Diagnostic(path, line, col, "warning", message)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def format_all(diagnostics: Iterable[Diagnostic]) -> str:
    """Sorted, de-duplicated, one per line."""
    return "\n".join(str(d) for d in sorted(set(diagnostics)))


class DataError(Exception):
    """Raised by a stage that cannot go on because the data has errors.

    It carries the diagnostics; the CLI prints them and exits 1 without a traceback.
    """

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(set(diagnostics))
        super().__init__(format_all(self.diagnostics))
