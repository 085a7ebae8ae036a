"""The prompt builder: numbered source sentences, the question, and the reply schema.

A small model follows a narrow task far better than "answer with citations": it is shown the
most relevant sentences of the retrieved paragraphs, numbered ``[1]``, ``[2]``… and grouped under
their paragraph's citation, and asked to pick the numbers that answer and write one bottom-line
sentence, as JSON under a schema (a grammar on llama.cpp, guided decoding on vLLM). The system
prompt is fixed text; documents and the question only ever go in the user message, inside their
own tags, with our tag names defused so a document cannot close its block.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant import prompts
from assistant.answer.llm.budget import TokenBudget
from assistant.answer.llm.parser import Numbered
from assistant.models import AnswerSentence, Hit, Turn
from assistant.text import split_sentences

if TYPE_CHECKING:
    from langchain_core.messages import BaseMessage

HISTORY_TURNS = 6
HISTORY_TURN_TOKENS = 300
MIN_SENTENCE_WORDS = 4
_TAG = re.compile(r"</?\s*(?:source|question|conversation)\b", re.IGNORECASE)


@dataclass
class Prompt:
    """What one request sends: the numbered sentences kept, their text block, and the count."""

    numbered: list[Numbered]
    sources_text: str
    tokens: int = 0
    dropped: int = 0
    notes: list[str] = field(default_factory=list)


def neutralize(text: str) -> str:
    """Data text with our delimiter tags defused, so a document cannot close its ``<source>``."""
    return _TAG.sub(lambda m: m.group(0).replace("<", "‹"), text)


def candidate_sentences(hits: Sequence[Hit], limit: int) -> list[tuple[Hit, str]]:
    """Sentences of the hits in rank order (paragraph by paragraph), at most ``limit``."""
    from assistant.answer.extractive import RE_INSTRUCTION

    out: list[tuple[Hit, str]] = []
    for hit in hits:
        for sentence in split_sentences(hit.passage.text):
            # A sentence addressed to an AI is data, and never an answer: it is not offered.
            if len(sentence.split()) >= MIN_SENTENCE_WORDS and not RE_INSTRUCTION.search(sentence):
                out.append((hit, sentence))
                if len(out) >= limit:
                    return out
    return out


def from_selection(selected: Sequence[AnswerSentence], hits: Sequence[Hit]) -> list[tuple[Hit, str]]:
    """Query-focused sentences (the extractive selector's) paired with their hits, in hit order."""
    by_id = {h.passage.id: h for h in hits}
    rank = {h.passage.id: i for i, h in enumerate(hits)}
    pairs = [(by_id[s.citations[0]], s.text) for s in selected
             if s.citations and s.citations[0] in by_id]
    return sorted(pairs, key=lambda p: rank[p[0].passage.id])


def number(pairs: Sequence[tuple[Hit, str]]) -> list[Numbered]:
    """``[1]``, ``[2]``… in the order given."""
    return [Numbered(i + 1, text, hit) for i, (hit, text) in enumerate(pairs)]


def _groups(numbered: Sequence[Numbered]) -> list[list[Numbered]]:
    """Consecutive sentences of the same paragraph, together."""
    groups: list[list[Numbered]] = []
    for s in numbered:
        if groups and groups[-1][0].hit.passage.id == s.hit.passage.id:
            groups[-1].append(s)
        else:
            groups.append([s])
    return groups


def source_blocks(numbered: Sequence[Numbered]) -> list[str]:
    """One ``<source>`` block per paragraph: its citation, then its numbered sentences."""
    return ["\n".join(["<source>", neutralize(g[0].hit.citation),
                       *(f"[{s.n}] {neutralize(s.text)}" for s in g), "</source>"])
            for g in _groups(numbered)]


def user_prompt(question: str, sources_text: str, directory: Path | None = None) -> str:
    """The user message: numbered sources, then the question in its tags."""
    return prompts.render("answer", directory, sources=sources_text or "(no sources)",
                          question=neutralize(question.strip()))


def build(question: str, pairs: Sequence[tuple[Hit, str]], budget: TokenBudget,
          directory: Path | None = None) -> Prompt:
    """Numbered sentences within the context budget; whole paragraphs drop from the lowest rank."""
    system = prompts.render("system", directory)
    room = budget.room(system, user_prompt(question, "", directory))
    numbered = number(pairs)
    groups = _groups(numbered)
    fit = budget.fit([b + "\n\n" for b in source_blocks(numbered)], room)
    kept = [s for g in groups[:fit] for s in g]
    if len(kept) < len(numbered):
        kept = number([(s.hit, s.text) for s in kept])  # renumber: no gaps for the model
    text = "\n\n".join(source_blocks(kept))
    used = budget.count(system) + budget.count(user_prompt(question, text, directory))
    return Prompt(kept, text, used, dropped=len(numbered) - len(kept))


def messages(question: str, prompt: Prompt, directory: Path | None = None) -> list[BaseMessage]:
    """System rules + one user message holding the numbered sources and the question."""
    from langchain_core.messages import HumanMessage, SystemMessage

    return [SystemMessage(content=prompts.render("system", directory)),
            HumanMessage(content=user_prompt(question, prompt.sources_text, directory))]


def reply_schema(n_sources: int, max_quotes: int, max_chars: int = 400) -> dict[str, Any]:
    """JSON schema of the reply: quote numbers that exist, then one bottom-line sentence."""
    number_item: dict[str, Any] = {"type": "integer", "minimum": 1, "maximum": max(1, n_sources)}
    return {
        "type": "object",
        "properties": {
            "quotes": {"type": "array", "items": number_item, "maxItems": max_quotes},
            "answer": {"type": "string", "maxLength": max_chars},
        },
        "required": ["quotes", "answer"],
        "additionalProperties": False,
    }


def response_format(n_sources: int, max_quotes: int) -> dict[str, Any]:
    """The OpenAI-style ``response_format`` for the reply schema."""
    return {"type": "json_schema",
            "json_schema": {"name": "tipguide_answer", "strict": True,
                            "schema": reply_schema(n_sources, max_quotes)}}


def history_text(history: list[Turn], budget: TokenBudget) -> str:
    """The last turns as "User: …" / "Assistant: …" lines, each trimmed to a token budget."""
    lines = []
    for turn in history[-HISTORY_TURNS:]:
        who = "User" if turn.role == "user" else "Assistant"
        lines.append(f"{who}: {neutralize(budget.trim(turn.content.strip(), HISTORY_TURN_TOKENS))}")
    return "\n".join(lines)
