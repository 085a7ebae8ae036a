"""Prompts live as text files in ``prompts/``; this module loads them by name and fills them in.

A placeholder is ``{name}`` (lower-case identifier). Rendering is strict: a placeholder without a
value and a value without a placeholder both raise, so a renamed placeholder cannot silently drop
the sources or the question. Substitution is a single pass, so a value that itself contains
``{question}`` (a prompt-injection attempt, or just a document about templates) is inserted
verbatim, never expanded.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from assistant.settings import Settings

PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
PROMPT_NAMES = ("system", "answer", "condense")


class PromptError(ValueError):
    """A prompt file is missing or was rendered with the wrong placeholders."""


def prompts_dir(settings: Settings | None = None) -> Path:
    """The folder prompts are read from: ``settings.prompts_dir`` (default the repo's)."""
    # **{}: mypy reads Field(positional default) in Settings as required arguments.
    return (settings or Settings(**{})).prompts_dir


@lru_cache(maxsize=32)
def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise PromptError(f"prompt file not found: {path}") from exc


def load(name: str, directory: Path | None = None) -> str:
    """The raw text of prompt ``name`` (``prompts/<name>.txt``)."""
    if not re.fullmatch(r"[a-z_]+", name):
        raise PromptError(f"bad prompt name: {name!r}")
    return _read((directory or prompts_dir()) / f"{name}.txt")


def load_lines(name: str, directory: Path | None = None) -> list[str]:
    """The lines of a list kept as a prompt file (``prompts/<name>.txt``): blank lines and "#"
    comments left out."""
    return [line.strip() for line in load(name, directory).splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def placeholders(template: str) -> set[str]:
    """The placeholder names a template uses."""
    return set(PLACEHOLDER.findall(template))


def fill(template: str, values: dict[str, str]) -> str:
    """Substitute ``values`` into ``template``; missing or extra names raise ``PromptError``."""
    wanted = placeholders(template)
    missing = wanted - values.keys()
    extra = values.keys() - wanted
    if missing or extra:
        raise PromptError(f"placeholders missing={sorted(missing)} extra={sorted(extra)}")
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def render(name: str, directory: Path | None = None, **values: str) -> str:
    """Load prompt ``name`` and fill it; the text is stripped of trailing whitespace."""
    return fill(load(name, directory), values).strip()


def static_text(name: str, directory: Path | None = None) -> str:
    """The prompt with placeholders removed: the fixed wording an answer must never echo."""
    return PLACEHOLDER.sub(" ", load(name, directory))
