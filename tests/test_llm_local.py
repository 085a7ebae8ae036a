"""The local model's assembly from part packages: order, sha256 check, clear errors."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from assistant.answer.llm.local import MODELS, LocalModel, assemble, model_spec, part_path
from assistant.errors import BackendUnavailableError


@pytest.fixture
def parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Two importable-looking packages holding one part each (never imported, only located)."""
    chunks = [b"GGUF-first-half-", b"second-half"]
    for i, chunk in enumerate(chunks, 1):
        pkg = tmp_path / "site" / f"fake_part{i}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("raise RuntimeError('imported!')\n")
        (pkg / "data" / f"part{i}.bin").write_bytes(chunk)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    return chunks


def spec(sha: str) -> LocalModel:
    return LocalModel(name="fake", file_name="fake.gguf", sha256=sha, install="pip install fake",
                      parts=(("fake_part1", "data/part1.bin"), ("fake_part2", "data/part2.bin")))


def test_parts_are_joined_in_order_and_checked(parts: list[bytes], tmp_path: Path) -> None:
    sha = hashlib.sha256(b"".join(parts)).hexdigest()
    out = assemble(spec(sha), tmp_path / "models")
    assert out.read_bytes() == b"".join(parts)
    assert "fake_part1" not in sys.modules  # located, never imported
    assert assemble(spec(sha), tmp_path / "models") == out  # reused


def test_a_wrong_hash_leaves_no_model_behind(parts: list[bytes], tmp_path: Path) -> None:
    with pytest.raises(BackendUnavailableError, match="sha256"):
        assemble(spec("0" * 64), tmp_path / "models")
    assert list((tmp_path / "models").iterdir()) == []


def test_missing_parts_say_what_to_install(tmp_path: Path) -> None:
    missing = LocalModel(name="nope", file_name="n.gguf", sha256="0" * 64, install="pip install x",
                         parts=(("no_such_package_here", "data/p.bin"),))
    with pytest.raises(BackendUnavailableError, match="pip install x"):
        assemble(missing, tmp_path)
    with pytest.raises(BackendUnavailableError, match="choose one of"):
        model_spec("gpt-17")


def test_registered_models_point_at_real_files_when_installed() -> None:
    for model in MODELS.values():
        try:
            paths = [part_path(pkg, rel) for pkg, rel in model.parts]
        except FileNotFoundError:
            continue  # that model's optional packages are not installed here
        assert all(p.stat().st_size > 1_000_000 for p in paths)


def test_a_bad_llm_setting_is_one_line(tmp_path: object) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "TIPGUIDE_LLM": "ollama"}
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "ask", "x"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and out.stderr.strip() == "error: TIPGUIDE_LLM: Input should be '' or 'local'"
