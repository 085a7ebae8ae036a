"""The one data model every pipeline stage takes and returns.

ingest -> ``Document`` + ``Passage``; index/retrieve -> ``Hit``; answer/verify -> ``Answer`` made of
``AnswerSentence`` and ``Citation``. Everything is a pydantic model so the CLI's ``--json`` output,
the evaluator's files and the UI all serialise the same shapes.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Support = Literal["supported", "weak", "unsupported"]
Mode = Literal["extractive", "llm"]


class Document(BaseModel):
    """One source document as described by the corpus manifest."""

    id: str
    file: str
    title: str
    short_title: str = ""
    symbol: str = ""
    body: str = ""
    type: str = ""
    date: str = ""
    language: str = "en"
    url: str = ""

    @property
    def year(self) -> int | None:
        """The year of ``date`` (``YYYY`` or ``YYYY-MM-DD``), if any."""
        return int(self.date[:4]) if self.date[:4].isdigit() else None

    @property
    def cite_name(self) -> str:
        """What a brief puts before "para. N": the UN symbol, else the short title."""
        return self.symbol or self.short_title or self.title


class Footnote(BaseModel):
    """A footnote definition attached to the passage that cites it."""

    marker: str
    text: str


class Passage(BaseModel):
    """A whole paragraph (the citation unit) under its native label or section ordinal."""

    id: str
    document_id: str
    section_path: list[str] = Field(default_factory=list)
    label: str
    label_kind: Literal["para", "recommendation", "guideline", "principle", "ordinal"] = "para"
    text: str
    footnotes: list[Footnote] = Field(default_factory=list)
    page: int | None = None
    span: tuple[int, int] = (0, 0)
    sub_items: list[str] = Field(
        default_factory=list, description="Letters of sub-items such as 'b' in para. 16 (b)"
    )

    def to_json(self, citation: str) -> dict[str, object]:
        """The flat ``--json`` shape of a passage (``passages``, ``show``, and inside search hits)."""
        return {
            "passage_id": self.id,
            "document_id": self.document_id,
            "citation": citation,
            "label": self.label,
            "section": self.section_path,
            "page": self.page,
            "span": list(self.span),
            "sub_items": self.sub_items,
            "text": self.text,
            "footnotes": [f.model_dump() for f in self.footnotes],
        }

    def citation_label(self, doc: Document | None) -> str:
        """The human citation, e.g. "CTOC/COP/WG.4/2022/2, para. 12" or "Recommendation 13"."""
        name = doc.cite_name if doc else self.document_id
        if self.label_kind == "para":
            return f"{name}, para. {self.label}"
        if self.label_kind == "ordinal":
            return f"{name}, {self.label}"
        return f"{name}, {self.label}"


class Filters(BaseModel):
    """Restrictions on what retrieval may return; empty lists mean no restriction."""

    documents: list[str] = Field(default_factory=list)
    bodies: list[str] = Field(default_factory=list)
    types: list[str] = Field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None

    def is_empty(self) -> bool:
        """True when nothing is filtered."""
        return not (self.documents or self.bodies or self.types or self.year_from or self.year_to)


class Hit(BaseModel):
    """A retrieved passage with the score of each retriever and the fused score."""

    passage: Passage
    citation: str
    score: float
    bm25: float | None = None
    dense: float | None = None
    bm25_rank: int | None = None
    dense_rank: int | None = None

    def to_json(self) -> dict[str, object]:
        """The flat object ``tipguide search --json`` prints."""
        return {
            **self.passage.to_json(self.citation),
            "score": round(self.score, 6),
            "scores": {
                "bm25": self.bm25,
                "dense": self.dense,
                "bm25_rank": self.bm25_rank,
                "dense_rank": self.dense_rank,
            },
        }


class Citation(BaseModel):
    """A cited passage, shown whole, with the label a human reads."""

    n: int = Field(description="1-based number of the chip shown in the answer: [n]")
    passage_id: str
    document_id: str
    citation: str
    text: str
    footnotes: list[Footnote] = Field(default_factory=list)
    url: str = ""
    title: str = ""
    symbol: str = ""
    body: str = ""
    type: str = ""
    date: str = ""
    section: list[str] = Field(default_factory=list)


class AnswerSentence(BaseModel):
    """One sentence of an answer, the passages it cites and how well they support it."""

    text: str
    citations: list[str] = Field(default_factory=list, description="passage ids")
    support: Support = "unsupported"
    support_score: float = 0.0
    flags: list[str] = Field(default_factory=list)


class Answer(BaseModel):
    """What ``Assistant.ask`` returns; also the ``--json`` answer object."""

    question: str
    standalone_question: str = ""
    answer: str
    refused: bool = False
    refusal_reason: str = ""
    sentences: list[AnswerSentence] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    searched: list[dict[str, object]] = Field(default_factory=list)
    mode: Mode = "extractive"
    notice: str = ""
    timings: dict[str, float] = Field(default_factory=dict)
    settings_hash: str = ""


class Turn(BaseModel):
    """One message of a conversation history."""

    role: Literal["user", "assistant"]
    content: str
