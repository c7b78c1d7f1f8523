"""The project's exceptions. Raised deep inside; turned into one line and an exit code by cli.py."""

from __future__ import annotations

from dataclasses import dataclass


class AttendanceReportsError(Exception):
    """Base class: every error a user can cause. Its str() is one line ending with a hint."""

    exit_code = 1


@dataclass
class Location:
    """Where in a file something is wrong. line and column are 1-based; 0 means unknown. line
    is the line as an editor numbers it; column is the field (the column a spreadsheet shows),
    never a character position."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        parts = [self.file]
        if self.line:
            parts.append(str(self.line))
            if self.column:
                parts.append(str(self.column))
        return ":".join(parts)


class DataError(AttendanceReportsError):
    """A data file is structurally wrong: FILE:LINE:COLUMN: what is wrong — what to do."""

    exit_code = 2

    def __init__(self, where: Location, problem: str, hint: str) -> None:
        self.where = where
        self.problem = problem
        self.hint = hint
        super().__init__(f"{where}: {problem} — {hint}")


class ConfigError(AttendanceReportsError):
    """A configuration file or option is wrong."""

    exit_code = 2


class RenderError(AttendanceReportsError):
    """A page or PDF could not be rendered."""

    exit_code = 1


class NoMatch(AttendanceReportsError):
    """A filter (--la, --year, …) matches nothing in the data: exit 1, naming what is there."""

    exit_code = 1
