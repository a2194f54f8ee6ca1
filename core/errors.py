"""The one error that reaches users: what went wrong, where, and what to do next."""

from __future__ import annotations


class ReportError(Exception):
    """A file or question that cannot be handled; `where` names it, `hint` says what to do."""

    def __init__(self, message: str, hint: str = "", where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.where = where

    def __str__(self) -> str:
        head = f"{self.where}: {self.message}" if self.where else self.message
        return f"{head} ({self.hint})" if self.hint else head
