"""Hostile and odd input: questions that are empty, huge, full of control characters, in other
scripts, SQL-ish or shell-ish go through ``Assistant.ask`` and the CLI with a clear error or an
answer / refusal, never a traceback, and nothing is executed. ``tipguide add`` names and ids cannot
write outside the corpus, and the UI's export files are named by the server, not by the user.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from assistant.chat import Assistant
from assistant.cli import cli
from assistant.errors import BadQueryError
from assistant.index import build_index
from assistant.models import Answer
from assistant.settings import REPO_ROOT, Settings

BIN = Path(sys.executable).parent
CANARY = "/tmp/tipguide-hostile-canary"

BAD = {
    "empty": "",
    "whitespace": " \t\n\r  \u3000 ",
    "only_controls": "\x00\x01\x02\x1b\x7f\x0b\x0c",
    "huge": "trafficking " * 9000,  # ~100k characters
}
ODD = {
    "controls": "What is\x00 the non-\x1b[2Jpunishment\x07 principle?\x08",
    "arabic": "ما هو مبدأ عدم معاقبة ضحايا الاتجار بالأشخاص؟",
    "chinese": "什么是不惩罚人口贩运受害者的原则？",
    "cyrillic": "Что такое принцип ненаказания жертв торговли людьми?",
    "sql": "'; DROP TABLE passages;-- non-punishment of victims",
    "sql_union": "\" OR 1=1 UNION SELECT * FROM embeddings --",
    "shell": f"$(touch {CANARY}) non-punishment of victims",
    "backticks": f"`touch {CANARY}` ; rm -rf / ; victims of trafficking",
    "format": "{question} {sources} %s %(x)s {{0}} {0.__class__} victims",
    "html": "<script>alert(1)</script><img src=x onerror=alert(1)> victims",
    "rtl_override": "\u202evictims of trafficking\u202c protection",
    "emoji": "👩‍⚖️ victims 🔥 protection 🛂",
    "newlines": "victims\n\n\nof\r\ntrafficking\u2028protection",
}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("hostile") / "data"
    build_index(_settings(data))
    return data


@pytest.fixture(scope="module")
def assistant(data_dir: Path) -> Assistant:
    return Assistant.from_settings(_settings(data_dir))


def _settings(data: Path, **extra: Any) -> Settings:
    values: dict[str, Any] = {"data_dir": data, "embedder": "hash", **extra}
    return Settings(**values)


@pytest.fixture(autouse=True)
def no_canary() -> None:
    Path(CANARY).unlink(missing_ok=True)


@pytest.mark.parametrize("name", list(BAD))
def test_unusable_questions_raise_bad_query(assistant: Assistant, name: str) -> None:
    with pytest.raises(BadQueryError) as err:
        assistant.ask(BAD[name])
    message = str(err.value)
    assert message and "\n" not in message
    if name == "huge":
        assert "limit" in message or "keep it under" in message


@pytest.mark.parametrize("name", list(ODD))
def test_odd_questions_answer_or_refuse(assistant: Assistant, name: str) -> None:
    answer = assistant.ask(ODD[name])
    assert isinstance(answer, Answer)
    assert answer.refused or answer.citations
    known = set(assistant.retriever.passages)
    assert all(c.passage_id in known for c in answer.citations)
    assert "\x00" not in answer.question and "\x1b" not in answer.question
    assert not Path(CANARY).exists()


@pytest.mark.parametrize("command", ["ask", "search"])
@pytest.mark.parametrize("name", ["empty", "whitespace", "huge", "controls", "arabic", "sql", "shell"])
def test_cli_never_tracebacks(data_dir: Path, command: str, name: str) -> None:
    question = {**BAD, **ODD}[name]
    res = CliRunner().invoke(cli, ["--data-dir", str(data_dir), "--embedder", "hash", command, question])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert "Traceback" not in res.output
    if name in BAD:
        assert res.exit_code == 1
        assert res.output.startswith("error: ") and res.output.count("\n") == 1, res.output
    else:
        assert res.exit_code == 0, res.output
    assert not Path(CANARY).exists()


def test_cli_subprocess_shell_strings_are_inert(data_dir: Path) -> None:
    """Through a real process: the question is data, not a command."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIPGUIDE_")}
    env.update(TIPGUIDE_DATA_DIR=str(data_dir), TIPGUIDE_EMBEDDER="hash")
    for question in (ODD["shell"], ODD["backticks"], BAD["huge"]):
        out = subprocess.run([str(BIN / "tipguide"), "ask", question], env=env, capture_output=True,
                             text=True, timeout=120)
        assert "Traceback" not in out.stderr, out.stderr
        assert out.returncode in (0, 1)
    assert not Path(CANARY).exists()


# ----------------------------------------------------------------------------- path traversal
@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    dest = tmp_path / "box" / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", dest)
    for p in dest.rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o644)
    return dest


def _files_outside(root: Path, before: set[Path]) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()} - before


def _add(corpus: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--corpus-dir", str(corpus), "--data-dir", str(corpus.parent / "data"),
                                    "add", *args])


@pytest.mark.parametrize("extra", [
    ["--id", "../../x"],
    ["--id", "/etc/cron.d/evil"],
    ["--id", "..\\..\\x"],
    ["--title", "../../../../tmp/evil", "--symbol", "../../E/2002/68"],
    ["--id", "....//....//x"],
])
def test_add_cannot_escape_corpus(corpus: Path, tmp_path: Path, extra: list[str]) -> None:
    src = tmp_path / "in" / "../in/good.md"
    src.parent.mkdir(parents=True, exist_ok=True)
    src.write_text("# Protection\n\n1. States shall protect victims of trafficking in persons.\n")
    before = {p for p in tmp_path.rglob("*") if p.is_file()}
    res = _add(corpus, str(src), *extra)
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    new = _files_outside(tmp_path, before)
    docs_dir = (corpus / "documents").resolve()
    assert all(p.resolve().parent == docs_dir for p in new), new
    if res.exit_code == 0:
        entry = tomllib.loads((corpus / "sources.toml").read_text())["document"][-1]
        assert "/" not in entry["id"] and ".." not in entry["id"] and "\\" not in entry["id"]
        assert (corpus / entry["file"]).resolve().parent == docs_dir


@pytest.mark.parametrize("name", ["passwd", "x.md/..", "evil.exe"])
def test_add_rejects_unsupported_or_missing(corpus: Path, name: str) -> None:
    res = _add(corpus, f"../../../../etc/{name}")
    assert res.exit_code == 1 and res.output.startswith("error: "), res.output
    assert "Traceback" not in res.output


def test_add_metadata_cannot_inject_manifest_entries(corpus: Path, tmp_path: Path) -> None:
    src = tmp_path / "doc.md"
    src.write_text("# Protection\n\n1. States shall protect victims of trafficking in persons.\n")
    before = (corpus / "sources.toml").read_text()
    evil = 'x"\nfile = "/etc/passwd"\n[[document]]\nid = "injected'
    res = _add(corpus, str(src), "--title", evil, "--url", 'u"]] = 1\n[x]')
    # A newline is a control character: refused in one line, nothing written.
    assert res.exit_code == 1 and "control character" in res.output, res.output
    assert (corpus / "sources.toml").read_text() == before
    res = _add(corpus, str(src), "--title", 'x" file = "/etc/passwd" [[document]] id = "injected',
               "--url", 'u"]] = 1 [x]')
    assert res.exit_code == 0, res.output
    docs = tomllib.loads((corpus / "sources.toml").read_text())["document"]
    assert not any(d["id"] == "injected" for d in docs)
    assert all(not d["file"].startswith("/") for d in docs)
    assert docs[-1]["title"].startswith('x" file')


def test_export_names_are_chosen_by_the_server(assistant: Assistant) -> None:
    from ui.app import ChatHandlers
    from ui.conversation import Exchange

    answer = assistant.ask("non-punishment of victims ../../../etc/passwd")
    update, _status = ChatHandlers(assistant).export("md", [Exchange("../../../../tmp/pwn.md", answer)])
    path = Path(update["value"])
    assert path.name.startswith("tipguide-conversation-") and path.suffix == ".md"
    assert path.parent.name.startswith("tipguide-export-")
    assert path.resolve().parent.parent == Path(os.environ.get("TMPDIR", "/tmp")).resolve()
    shutil.rmtree(path.parent)
