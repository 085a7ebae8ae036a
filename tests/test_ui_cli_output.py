"""CLI output is safe for the terminal: escape sequences and control characters in stored text
(documents, answers) are stripped from ``show``, ``passages``, ``search`` and ``ask`` output, so a
poisoned document cannot recolour, retitle or rewrite the user's terminal."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.settings import REPO_ROOT
from assistant.text import terminal_safe

# What a hostile document might carry: colour, clear screen, window title (OSC), an OSC 8 hyperlink,
# a bell, backspaces that hide text, an 8-bit CSI, and a right-to-left override.
NASTY = ("\x1b[31mred\x1b[0m \x1b[2J\x1b]0;pwned\x07 \x1b]8;;http://evil.example\x1b\\link"
         "\x1b]8;;\x1b\\ bell\x07 back\x08\x08 csi8\x9b31m rlo\u202eevil")
DOC = f"""# Axolotl warden guidance {NASTY}

## I. Duties

1. Axolotl wardens must report forced labour at axolotl hatcheries {NASTY} to the labour inspectorate.

2. Axolotl wardens keep a register of every hatchery visit and of what they saw there.
"""
MANIFEST = """
[[document]]
id = "axolotl"
file = "documents/axolotl.md"
title = "Axolotl warden guidance \\u001b[31mred"
short_title = "Axolotl guidance"
symbol = "AXO/1"
body = "Axolotl Office"
type = "test"
date = "2024-02-01"
language = "en"
url = ""
"""


def test_terminal_safe_removes_sequences_and_controls() -> None:
    out = terminal_safe(NASTY + "\nline two\tcol")
    assert "\x1b" not in out and "\x07" not in out and "\x08" not in out and "\x9b" not in out
    assert "\u202e" not in out and "pwned" not in out and "http://evil.example" not in out
    assert out.startswith("red ") and "link" in out and "\nline two\tcol" in out


@pytest.fixture(scope="module")
def corpus_args(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    root = tmp_path_factory.mktemp("cli-escapes")
    corpus = root / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", corpus)
    (corpus / "documents" / "axolotl.md").write_text(DOC, encoding="utf-8")
    with (corpus / "sources.toml").open("a", encoding="utf-8") as fh:
        fh.write(MANIFEST)
    args = ["--corpus-dir", str(corpus), "--data-dir", str(root / "data"), "--embedder", "hash"]
    _run([*args, "index"])  # every command below reads the live index version
    return args


def _run(args: list[str]) -> str:
    from assistant.cli import cli

    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return str(result.output)


@pytest.mark.parametrize("command", [
    ["show", "<first passage of axolotl>"],
    ["passages", "axolotl"],
    ["search", "What must axolotl wardens report at axolotl hatcheries?"],
    ["ask", "What must axolotl wardens report at axolotl hatcheries?"],
])
def test_cli_output_carries_no_escape_sequences(corpus_args: list[str], command: list[str]) -> None:
    if command[0] == "show":  # by id: the label depends on how the parser reads the document
        listed = json.loads(_run([*corpus_args, "passages", "axolotl", "--json"]))
        command = ["show", listed[0]["passage_id"]]
    out = _run([*corpus_args, *command])
    assert "xolotl" in out, out  # the poisoned passage was printed…
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out and "\u202e" not in out
    assert "pwned" not in out  # …without its escape sequences


def test_a_batch_keeps_going_past_a_question_that_fails(corpus_args: list[str], tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """An internal fault on one question of `ask --questions` is recorded on its row; the questions
    after it are still answered, and the command exits non-zero saying how many failed."""
    from assistant.chat import Assistant
    from assistant.cli import cli

    real_ask = Assistant.ask

    def ask(self, question, *args, **kwargs):  # type: ignore[no-untyped-def]
        if question == "boom":
            raise AttributeError("'NoneType' object has no attribute 'lower'")
        return real_ask(self, question, *args, **kwargs)

    monkeypatch.setattr(Assistant, "ask", ask)
    questions, out = tmp_path / "q.jsonl", tmp_path / "a.jsonl"
    questions.write_text("".join(json.dumps({"id": i, "question": q}) + "\n" for i, q in
                                 enumerate(["What must axolotl wardens report?", "boom", "Who keeps a register?"])))
    result = CliRunner().invoke(cli, [*corpus_args, "ask", "--questions", str(questions), "--out", str(out)])
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert result.exit_code == 1 and "1 of 3 questions failed" in result.output
    assert [r["id"] for r in rows] == [0, 1, 2]
    assert "error" not in rows[0] and rows[0]["answer"] and rows[2]["answer"]
    assert rows[1]["error"].startswith("internal error (AttributeError")
