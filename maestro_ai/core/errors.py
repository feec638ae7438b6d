"""Errors a user can cause. Each message says what is wrong and how to fix it.

A message may name a setting, which reads differently in Python (`force=True`) and in the shell
(`--force`): such an error carries both wordings, and the CLI prints the shell one.

>>> err = OutputError("'out/a' already exists; pass force=True to replace it",
...                   shell="'out/a' already exists; pass --force to replace it")
>>> str(err), err.shell
("'out/a' already exists; pass force=True to replace it", "'out/a' already exists; pass --force to replace it")
"""
from __future__ import annotations

import difflib


class MaestroError(Exception):
    """Base class of every error caused by a request (bad input, unwritable folder, ...).

    The CLI prints the message in one line (its `shell` wording) and exits with status 2.

    >>> raise MaestroError("tempo 400 is out of range; use 30-300 BPM")
    Traceback (most recent call last):
    maestro_ai.core.errors.MaestroError: tempo 400 is out of range; use 30-300 BPM
    """

    def __init__(self, message: str, shell: str | None = None) -> None:
        super().__init__(message)
        self.shell = shell or message


class InvalidRequest(MaestroError):
    """A request value is invalid (unknown genre, tempo out of range, unreadable melody, ...)."""


class NotAllowed(InvalidRequest):
    """The acting artist may not do this: they do not own the work, or hold no grant that covers
    the use (the HTTP API answers 403)."""


class NotFound(InvalidRequest):
    """The request names something that is not there: no such work, grant or artist (404)."""


class Conflict(InvalidRequest):
    """The request clashes with what is already so: a grant already revoked (409)."""


class OutputError(MaestroError):
    """The output cannot be written, or would overwrite earlier work."""


def already_exists(what: str) -> OutputError:
    """The error for an output that exists and may be replaced only on request.

    >>> already_exists("'m.mid'").shell
    "'m.mid' already exists; pass --force to replace it"
    """
    return OutputError(f"{what} already exists; pass force=True to replace it",
                       shell=f"{what} already exists; pass --force to replace it")


def unknown_choice(kind: str, value: str, valid: list[str]) -> InvalidRequest:
    """Build the error for an unknown name, naming the closest valid ones.

    >>> str(unknown_choice("genre", "lofi", ["lofi-chill", "house"]))
    "unknown genre 'lofi'; did you mean 'lofi-chill'? Valid: house, lofi-chill"
    """
    valid = sorted(dict.fromkeys(valid))
    close = difflib.get_close_matches(value, valid, n=3, cutoff=0.4)
    if not close:
        close = [v for v in valid if value.lower() in v or v in value.lower()][:3] if value else []
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ";"
    return InvalidRequest(f"unknown {kind} {value!r}{hint} Valid: {', '.join(valid)}")
