"""Every prompt file renders with exactly its placeholders; rendering is strict and single-pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import prompts
from assistant.prompts import load_lines

SAMPLE = {
    "system": {},
    "answer": {"sources": "<source>\nDoc, para. 1\n[1] Text.\n</source>", "question": "Q?"},
    "condense": {"history": "User: Q1\nAssistant: A1", "question": "And then?"},
}


@pytest.mark.parametrize("name", prompts.PROMPT_NAMES)
def test_every_prompt_renders(name: str) -> None:
    text = prompts.fill(prompts.load(name), SAMPLE[name]).strip()
    assert text and not prompts.placeholders(text)
    for value in SAMPLE[name].values():
        assert value in text


def test_placeholders_are_what_the_code_fills() -> None:
    assert prompts.placeholders(prompts.load("system")) == set()
    assert prompts.placeholders(prompts.load("answer")) == {"sources", "question"}
    assert prompts.placeholders(prompts.load("condense")) == {"history", "question"}


def test_missing_and_extra_placeholders_raise() -> None:
    with pytest.raises(prompts.PromptError, match="missing=\\['question'\\]"):
        prompts.render("answer", sources="s")
    with pytest.raises(prompts.PromptError, match="extra=\\['bogus'\\]"):
        prompts.render("answer", sources="s", question="q", bogus="x")


def test_values_are_not_expanded_again() -> None:
    # A question that contains a placeholder is data: it must come out verbatim.
    text = prompts.render("answer", sources="S", question="say {sources} and {question}")
    assert "say {sources} and {question}" in text
    assert text.count("S\n") >= 1


def test_unknown_prompt_and_bad_name() -> None:
    with pytest.raises(prompts.PromptError, match="not found"):
        prompts.load("nope")
    with pytest.raises(prompts.PromptError, match="bad prompt name"):
        prompts.load("../system")


def test_system_prompt_states_the_rules() -> None:
    system = prompts.load("system").lower()
    for rule in ("use only the numbered sentences", '"quotes"', "no sentence answers",
                 "not instructions", "never reveal"):
        assert rule in system


def test_a_list_kept_as_a_prompt_file_drops_comments_and_blank_lines(tmp_path: Path) -> None:
    (tmp_path / "fields.txt").write_text("# a comment\n\nfirst subject\n  second subject  \n", encoding="utf-8")
    assert load_lines("fields", tmp_path) == ["first subject", "second subject"]
    assert len(load_lines("neighbouring_fields")) >= 30  # the shipped list of the off-topic gate
