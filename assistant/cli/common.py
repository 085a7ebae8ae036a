"""Options and output helpers shared by every subcommand."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from pydantic import BaseModel

from assistant.text import terminal_safe

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M", bound=BaseModel)


def for_terminal(obj: M) -> M:
    """A copy of a model whose every string is ``terminal_safe``: stored text (documents, answers)
    must not drive the user's terminal with escape sequences."""
    return type(obj).model_validate(_clean(obj.model_dump()))


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return terminal_safe(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_clean(v) for v in value)
    return value


def settings_options(func: F) -> F:
    """Global flags that override ``TIPGUIDE_*`` environment variables."""
    options = [
        click.option("--data-dir", type=click.Path(path_type=Path), help="Index, passages, logs (TIPGUIDE_DATA_DIR)."),
        click.option("--corpus-dir", type=click.Path(path_type=Path), help="Documents + sources.toml (TIPGUIDE_CORPUS_DIR)."),
        click.option("--chroma-url", help="Use a Chroma server, e.g. http://127.0.0.1:8000 (TIPGUIDE_CHROMA_URL)."),
        click.option("--llm-base-url", help="OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1 (TIPGUIDE_LLM_BASE_URL)."),
        click.option("--llm", type=click.Choice(["local"]), help="Answer with the local chat model from the local-llm extra (TIPGUIDE_LLM)."),
        click.option("--llm-model", help="Model name on that server (TIPGUIDE_LLM_MODEL)."),
        click.option("--embedder", type=click.Choice(["minilm", "hash"]), help="Embedding model (TIPGUIDE_EMBEDDER)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def echo_json(obj: Any) -> None:
    """Print ``obj`` as UTF-8 JSON on stdout."""
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def fail(message: str, code: int = 1) -> None:
    """Print a one-line error on stderr and exit non-zero (no traceback)."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def clean_errors(func: F) -> F:
    """Turn the project's expected exceptions into one-line errors instead of tracebacks."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from assistant.errors import TipguideError

        try:
            return func(*args, **kwargs)
        except TipguideError as exc:
            fail(str(exc))

    return wrapper  # type: ignore[return-value]
