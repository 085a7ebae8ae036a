"""Exceptions users see as one-line messages (the CLI and UI print them without a traceback)."""

from __future__ import annotations


class TipguideError(Exception):
    """Base class: an expected failure with a message that says what to do."""


class IndexMissingError(TipguideError):
    """No index has been built yet."""


class IndexCorruptError(TipguideError):
    """The index on disk cannot be read; the remedy is ``tipguide index --rebuild``."""


class IndexBusyError(TipguideError):
    """Another process is building the index."""


class BackendUnavailableError(TipguideError):
    """A configured server (Chroma, LLM) cannot be reached."""


class BadQueryError(TipguideError):
    """The question or query is empty, too long or otherwise unusable."""
