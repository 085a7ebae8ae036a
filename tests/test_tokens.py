"""tiktoken works offline from the BPE files shipped on PyPI, verified by sha256."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import tokens


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A new cache folder, with every in-process cache of encodings forgotten."""
    import tiktoken.load
    import tiktoken.registry

    monkeypatch.setattr(tokens, "_ready", None)
    monkeypatch.setattr(tokens, "_installed", set())
    monkeypatch.delenv("TIKTOKEN_CACHE_DIR", raising=False)  # restored after the test
    monkeypatch.setattr(tiktoken.registry, "ENCODINGS", {})
    tokens.encoding.cache_clear()

    def no_download(blobpath: str) -> bytes:
        raise AssertionError(f"tiktoken tried to download {blobpath}")

    monkeypatch.setattr(tiktoken.load, "read_file", no_download)
    yield tmp_path / "tiktoken"
    tokens.encoding.cache_clear()


def test_cache_is_filled_under_tiktoken_names(fresh_cache: Path) -> None:
    folder = tokens.ensure_cache(fresh_cache)
    expected = tokens.expected_files()
    for name in ("cl100k_base", "o200k_base"):
        url, sha = expected[name]
        path = folder / hashlib.sha1(url.encode()).hexdigest()
        assert path.exists(), name
        assert hashlib.sha256(path.read_bytes()).hexdigest() == sha


def test_encodings_load_with_network_blocked(fresh_cache: Path) -> None:
    import tiktoken

    tokens.ensure_cache(fresh_cache)
    assert tokens.encoding().encode("hello world") == [15339, 1917]
    assert tokens.count_tokens("hello world") == 2
    assert tiktoken.get_encoding("o200k_base").encode("hello world") == [24912, 2375]
    assert tiktoken.encoding_for_model("gpt-4o-mini").name == "o200k_base"
    assert tokens.encoding_name_for_model("gemma-3-270m") == "cl100k_base"
    assert tokens.encoding_name_for_model("gpt-4o-mini") == "o200k_base"


def test_a_model_whose_file_is_missing_falls_back_to_cl100k(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tokens._shipped_files
    monkeypatch.setattr(tokens, "_shipped_files",
                        lambda name: [] if name == "o200k_base" else real(name))
    tokens.ensure_cache(fresh_cache)
    assert tokens.encoding_name_for_model("gpt-4o-mini") == "cl100k_base"
    assert tokens.count_tokens("hello world") == 2


def test_a_file_with_the_wrong_hash_is_refused(fresh_cache: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    bogus = tmp_path / "cl100k_base.tiktoken"
    bogus.write_bytes(b"not a bpe file")
    monkeypatch.setattr(tokens, "_shipped_files", lambda name: [bogus])
    with pytest.raises(RuntimeError, match="no verified cl100k_base"):
        tokens.ensure_cache(fresh_cache)
    assert not any(fresh_cache.iterdir())


def test_special_token_text_is_counted_as_text() -> None:
    assert tokens.count_tokens("<|endoftext|>") > 1


def test_fit_count_keeps_whole_leading_items() -> None:
    texts = ["one two three. " * 10, "four five. " * 10, "six. " * 100]
    first = tokens.count_tokens(texts[0])
    both = first + tokens.count_tokens(texts[1])
    assert tokens.fit_count(texts, both) == 2
    assert tokens.fit_count(texts, both - 1) == 1
    assert tokens.fit_count(texts, first - 1) == 0


def test_trim_cuts_at_a_sentence_end_and_says_so() -> None:
    text = "First sentence here. Second sentence is here. Third one is much longer than the rest."
    cut = tokens.trim_to_budget(text, 12)
    assert cut == "First sentence here. Second sentence is here." + tokens.TRUNCATION_MARK
    assert tokens.count_tokens(cut) <= 12
    assert tokens.trim_to_budget(text, 1000) == text
    assert tokens.trim_to_budget(text, 1) == ""


def test_trim_without_sentence_end_cuts_at_a_word_visibly() -> None:
    cut = tokens.trim_to_budget("alpha beta gamma delta epsilon zeta eta theta", 6)
    assert cut.endswith(tokens.TRUNCATION_MARK)
    assert cut.startswith("alpha beta")
    assert tokens.count_tokens(cut) <= 6
