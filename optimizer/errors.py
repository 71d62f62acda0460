"""Errors the optimizer raises, each carrying what a user needs to fix the input."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as a spreadsheet user would find it.

    ``row`` is the spreadsheet row (the header is row 1, the first data row is
    row 2); ``None`` when the problem is about a whole file or table.
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class InputError(ValueError):
    """The input is invalid. ``problems`` lists every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self.describe())

    def describe(self, limit: int | None = None) -> str:
        shown = self.problems if limit is None else self.problems[:limit]
        lines = [f"{len(self.problems)} problem(s) in the input:"]
        lines += [f"  {p}" for p in shown]
        if limit is not None and len(self.problems) > limit:
            lines.append(f"  ... and {len(self.problems) - limit} more")
        return "\n".join(lines)


class InfeasibleError(RuntimeError):
    """No portfolio satisfies every limit and rule. `table` holds the smallest relaxation
    that would make one possible (constraint, scope, year, need, limit, short, unit, message)."""

    def __init__(self, message: str, table=None):
        super().__init__(message)
        self.table = table


class NoSolutionError(RuntimeError):
    """The time limit ended before any portfolio was found."""


class ProblemCollector:
    """Collects problems so that all of them are reported together."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(file, row, column, message))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)

    def __bool__(self) -> bool:
        return bool(self.problems)


# pydantic's wording, said as a planner would read it
PYDANTIC_MESSAGES = {
    "missing": lambda e: "a value is required",
    "greater_than_equal": lambda e: f"must be at least {e['ctx']['ge']}, got {e['input']}",
    "greater_than": lambda e: f"must be more than {e['ctx']['gt']}, got {e['input']}",
    "less_than_equal": lambda e: f"must be at most {e['ctx']['le']}, got {e['input']}",
    "less_than": lambda e: f"must be less than {e['ctx']['lt']}, got {e['input']}",
    "literal_error": lambda e: f"must be one of {e['ctx']['expected']}, got {e['input']!r}",
}


def pydantic_message(err: dict) -> str:
    fn = PYDANTIC_MESSAGES.get(err["type"])
    return fn(err) if fn else err["msg"].removeprefix("Value error, ")
