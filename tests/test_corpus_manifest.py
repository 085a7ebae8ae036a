"""The corpus manifest cannot be corrupted by input: control characters, parallel adds, the same
file twice, a document deleted after ``add``. Real ``tipguide`` processes where concurrency or the
one-line error matters; the hash embedder for the builds."""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from assistant.corpus import add_document, load_manifest
from assistant.index import build_index, current_version
from assistant.settings import REPO_ROOT, Settings
from tests.test_faults import BIN, assert_one_line_error, cli_env, run_cli

TEXT = "# Shelter\n\n1. States should provide safe shelter to victims of trafficking in {n}.\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A private copy of the real corpus (documents + sources.toml with its comments)."""
    dest = tmp_path / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", dest)
    return dest


def _env(corpus: Path) -> dict[str, str]:
    env = cli_env(corpus.parent / "data")
    env["TIPGUIDE_CORPUS_DIR"] = str(corpus)
    return env


def _doc(tmp_path: Path, name: str, n: object) -> Path:
    path = tmp_path / "in" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEXT.format(n=n), encoding="utf-8")
    return path


def test_control_character_in_title_is_refused_in_one_line(corpus: Path, tmp_path: Path) -> None:
    before = (corpus / "sources.toml").read_bytes()
    out = run_cli(["add", str(_doc(tmp_path, "a.md", 1)), "--title", "Bell\x07 report"], _env(corpus))
    assert out.returncode == 1
    assert_one_line_error(out.stderr, "--title", "control character", "'\\x07'")
    assert (corpus / "sources.toml").read_bytes() == before
    assert sorted(p.name for p in (corpus / "documents").iterdir()) == sorted(
        p.name for p in (REPO_ROOT / "corpus" / "documents").iterdir())


def test_control_character_in_file_name_is_added_cleanly(corpus: Path, tmp_path: Path) -> None:
    src = _doc(tmp_path, "esc\x1b[31mape\x07.md", 2)
    src.write_text(TEXT.format(n=2).replace("# Shelter\n\n", ""), encoding="utf-8")  # no title of its own
    out = run_cli(["add", str(src)], _env(corpus))
    assert out.returncode == 0, out.stderr
    doc = load_manifest(corpus)[-1]
    assert doc.title == "esc [31mape" and doc.file == f"documents/{doc.id}.md"
    out = run_cli(["passages", doc.id], _env(corpus))  # every command still works
    assert out.returncode == 0 and "safe shelter" in out.stdout, out.stderr


def test_manifest_written_by_a_toml_library_keeps_comments(corpus: Path, tmp_path: Path) -> None:
    before = (corpus / "sources.toml").read_text(encoding="utf-8")
    doc = add_document(corpus, _doc(tmp_path, "b.md", 3),
                       {"title": 'Quotes " and \\ backslashes ]] [[document]]', "symbol": "A/1"})
    after = (corpus / "sources.toml").read_text(encoding="utf-8")
    assert after.startswith(before.rstrip("\n"))  # nothing before the new entry changed
    entry = tomllib.loads(after)["document"][-1]
    assert entry["id"] == doc.id == "a-1" and entry["title"].startswith('Quotes " and \\')


def test_same_content_twice_is_refused(corpus: Path, tmp_path: Path) -> None:
    src = _doc(tmp_path, "c.md", 4)
    assert run_cli(["add", str(src), "--title", "First"], _env(corpus)).returncode == 0
    copy = tmp_path / "elsewhere.md"
    shutil.copyfile(src, copy)
    out = run_cli(["add", str(copy), "--title", "Second"], _env(corpus))
    assert out.returncode == 1
    assert_one_line_error(out.stderr, "already in the corpus as first")
    assert [d.id for d in load_manifest(corpus)].count("first") == 1
    assert not any(d.title == "Second" for d in load_manifest(corpus))


def test_eight_parallel_adds_with_one_title_serialise(corpus: Path, tmp_path: Path) -> None:
    srcs = [_doc(tmp_path, f"p{i}.md", f"region {i}") for i in range(8)]
    procs = [subprocess.Popen([str(BIN / "tipguide"), "add", str(s), "--title", "Same title"],
                              env=_env(corpus), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for s in srcs]
    results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    assert all(code == 0 for code, _, _ in results), results
    docs = load_manifest(corpus)  # parses, no duplicate id
    added = [d for d in docs if d.title == "Same title"]
    assert len(added) == 8 and len({d.id for d in added}) == 8
    texts = {(corpus / d.file).read_text(encoding="utf-8") for d in added}
    assert texts == {s.read_text(encoding="utf-8") for s in srcs}  # no file overwrote another
    printed = [out.split()[1] for _, out, _ in results]
    assert sorted(printed) == sorted(d.id for d in added)


def test_missing_document_fails_the_build_without_switching(corpus: Path, tmp_path: Path) -> None:
    settings = Settings(corpus_dir=corpus, data_dir=tmp_path / "data", embedder="hash")
    build_index(settings)
    live = current_version(settings)
    doc = add_document(corpus, _doc(tmp_path, "gone.md", 5), {"title": "Gone"})
    (corpus / doc.file).unlink()
    for _ in range(2):  # and again: never "up to date" over a broken corpus
        out = run_cli(["index"], _env(corpus))
        assert out.returncode == 1
        assert_one_line_error(out.stderr, "gone", "the index was not changed")
        assert current_version(settings) == live
    assert [d.name for d in (settings.index_dir / "versions").iterdir()] == [live]
