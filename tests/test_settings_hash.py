"""The settings hash stamped on every answer covers the whole settings object and the prompts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.settings import HASH_EXCLUDED, REPO_ROOT, Settings


def _settings(**kw: object) -> Settings:
    return Settings.model_validate(kw)


def test_every_setting_changes_the_hash() -> None:
    base = _settings()
    for name in Settings.model_fields:
        if name in HASH_EXCLUDED:
            continue
        value = getattr(base, name)
        if isinstance(value, bool):
            changed = not value
        elif isinstance(value, int | float):
            changed = value + 1
        elif isinstance(value, str):
            changed = value + "x"
        else:
            continue
        assert base.with_overrides(**{name: changed}).answer_hash() != base.answer_hash(), name


def test_prompt_text_changes_the_hash_but_its_folder_does_not(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(REPO_ROOT / "prompts", a)
    shutil.copytree(REPO_ROOT / "prompts", b)
    assert _settings(prompts_dir=a).answer_hash() == _settings(prompts_dir=b).answer_hash()
    (b / "answer.txt").write_text((b / "answer.txt").read_text() + "\nBe brief.", encoding="utf-8")
    assert _settings(prompts_dir=a).answer_hash() != _settings(prompts_dir=b).answer_hash()


def test_the_api_key_itself_is_not_hashed() -> None:
    one, two = _settings(llm_api_key="secret-1"), _settings(llm_api_key="secret-2")
    assert one.answer_hash() == two.answer_hash() != _settings().answer_hash()


@pytest.mark.parametrize("getter", ["query_adapter_file", "fusion_file", "memory_file"])
def test_every_learned_files_bytes_are_hashed(getter: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The query adapter's, the learned fusion's and the question memory's weights change rankings."""
    weights = tmp_path / "weights"
    weights.write_bytes(b"one")
    monkeypatch.setattr(Settings, getter, lambda self: weights)
    before = _settings().answer_hash()
    weights.write_bytes(b"other")  # (another size: the digest is kept per size and modification time)
    assert _settings().answer_hash() != before


def test_the_question_memory_is_read_only_by_the_learned_fusion() -> None:
    """Its votes are a feature of the learned fusion: no fusion, no memory; and it can be switched off."""
    assert Settings(embedder="minilm").memory_file() is not None
    assert Settings(embedder="minilm", learned_fusion=False).memory_file() is None
    assert Settings(embedder="minilm", question_memory=False).memory_file() is None
    assert Settings(embedder="hash").memory_file() is None
    assert Settings(embedder="minilm", question_memory=False).answer_hash() != Settings(embedder="minilm").answer_hash()


def test_the_learned_fusion_is_used_only_with_the_adapter_it_was_learned_on() -> None:
    """It reads the adapted dense ranking: without the adapter (or switched off) fusion is by rank."""
    on = Settings(embedder="minilm")
    assert on.fusion_file() is not None and on.fusion_file().exists()  # type: ignore[union-attr]
    assert Settings(embedder="minilm", query_adapter=False).fusion_file() is None
    assert Settings(embedder="minilm", learned_fusion=False).fusion_file() is None
    assert Settings(embedder="hash").fusion_file() is None
