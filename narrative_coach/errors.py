"""Errors a person can act on.

Every failure the user can fix (a bad file, a missing speech, a full disk) is raised as a
`UserError`: one line saying what is wrong, one saying what to do. The command line turns it into
exit status 2; the window shows it in a dialog or banner. Anything else is a bug and is logged.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix. `hint` says what to do about it."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip() if self.hint else self.message


class Cancelled(Exception):
    """Long work stopped because the user asked it to."""
