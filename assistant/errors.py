"""Exceptions users see as one-line messages (the CLI and UI print them without a traceback), and
who each message is for.

An ``OperatorError`` is something only whoever runs the service can fix (a missing or damaged
index, a server that is down, a full disk): its message names the path and the command. The CLI's
user *is* the operator and sees it; the web UI's users are officials, who see ``USER_UNAVAILABLE``
while the server log gets the message and the cause (``log_failure``).
"""

from __future__ import annotations

import logging

USER_UNAVAILABLE = ("The library is being updated or is temporarily unavailable. "
                    "Please try again in a minute.")
USER_GENERIC = "Something went wrong on our side. Please try again in a minute."


class TipguideError(Exception):
    """Base class: an expected failure with a message that says what to do."""


class OperatorError(TipguideError):
    """A failure only the operator can fix; end users get a plain sentence instead."""


class IndexMissingError(OperatorError):
    """No index has been built yet."""


class IndexCorruptError(OperatorError):
    """The index on disk cannot be read; the remedy is ``tipguide index --rebuild``."""


class IndexWriteError(OperatorError):
    """A build could not write (disk full, read-only, permissions); the previous index serves."""


class IndexBusyError(OperatorError):
    """Another process is building the index."""


class BackendUnavailableError(OperatorError):
    """A configured server (Chroma, LLM) cannot be reached."""


class BadQueryError(TipguideError):
    """The question or query is empty, too long or otherwise unusable."""


def for_user(exc: BaseException) -> str:
    """What an end user of the web UI reads about ``exc``: their own input's problem verbatim,
    anything else as a plain sentence without paths or commands."""
    if isinstance(exc, OperatorError):
        return USER_UNAVAILABLE
    if isinstance(exc, TipguideError):
        return str(exc)
    return USER_GENERIC


def log_failure(logger: logging.Logger, what: str, exc: BaseException) -> None:
    """Record a failed request for the operator: the cause and its remedy on one line, with the
    traceback only for unexpected errors (bugs)."""
    if isinstance(exc, BadQueryError):
        logger.info("%s refused: %s", what, exc)
    elif isinstance(exc, TipguideError):
        logger.error("%s failed: %s: %s", what, type(exc).__name__, exc)
    else:
        logger.error("%s failed with an unexpected error", what, exc_info=exc)
