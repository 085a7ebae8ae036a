"""The one data model every pipeline stage takes and returns.

ingest -> ``Document`` + ``Passage``; index/retrieve -> ``Hit``; answer/verify -> ``Answer`` made of
``AnswerSentence`` and ``Citation``. Everything is a pydantic model so the CLI's ``--json`` output,
the evaluator's files and the UI all serialise the same shapes.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator

Support = Literal["supported", "weak", "unsupported"]
# How well a sentence answers the question (not whether its source says it: that is ``Support``).
Relevance = Literal["direct", "related", "background"]
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


LabelKind = Literal[
    "para", "recommendation", "guideline", "principle", "ordinal", "article", "preamble", "operative",
    "annex", "section", "front",
]
# The kinds of numbered item a user asks for by name, as a list ("list the recommendations")
ITEM_KINDS: tuple[LabelKind, ...] = ("recommendation", "guideline", "principle", "article")


class SubItem(BaseModel):
    """A lettered / roman sub-paragraph of a passage, citable on its own: "art. 6(1)(b)(ii)".

    ``label`` is the citation without the document name; ``span`` is where its text sits inside the
    passage text, so an answer sentence taken from it can cite it exactly."""

    path: list[str] = Field(default_factory=list, description='Markers from the top: ["b", "ii"]')
    label: str = ""
    text: str = ""
    span: tuple[int, int] = (0, 0)

    @property
    def marker(self) -> str:
        """The innermost marker ("ii" in art. 6(1)(b)(ii))."""
        return self.path[-1] if self.path else ""


class Passage(BaseModel):
    """A whole paragraph (the citation unit) under its native label or section ordinal.

    ``label`` is printed whole after the document name: "para. 12" for ``label_kind == "para"`` (whose
    label is the bare number, for stable ids), else the label itself ("art. 6(3)", "Guideline 9.3",
    "preamble, para. 2", "§Section title, ¶3"). It is never truncated."""

    id: str
    document_id: str
    section_path: list[str] = Field(default_factory=list)
    label: str
    label_kind: LabelKind = "para"
    text: str
    footnotes: list[Footnote] = Field(default_factory=list)
    page: int | None = None
    span: tuple[int, int] = (0, 0)
    sub_items: list[SubItem] = Field(
        default_factory=list, description="Sub-paragraphs such as (b) of para. 16, each citable"
    )

    @field_validator("sub_items", mode="before")
    @classmethod
    def _letters_to_sub_items(cls, value: object) -> object:
        """Passages written before sub-items had citations stored bare letters; read them too."""
        if isinstance(value, list):
            return [{"path": [v]} if isinstance(v, str) else v for v in value]
        return value

    @property
    def label_text(self) -> str:
        """The label as a citation prints it ("para. 12", "art. 6(3)", "Recommendation 13")."""
        return f"para. {self.label}" if self.label_kind in ("para", "operative") else self.label

    def to_json(self, citation: str) -> dict[str, object]:
        """The flat ``--json`` shape of a passage (``passages``, ``show``, and inside search hits)."""
        return {
            "passage_id": self.id,
            "document_id": self.document_id,
            "citation": citation,
            "label": self.label,
            "label_kind": self.label_kind,
            "section": self.section_path,
            "page": self.page,
            "span": list(self.span),
            "sub_items": [
                {"citation": self.sub_item_citation(citation, s), "label": s.label, "path": s.path,
                 "text": s.text}
                for s in self.sub_items
            ],
            "text": self.text,
            "footnotes": [f.model_dump() for f in self.footnotes],
        }

    def citation_label(self, doc: Document | None) -> str:
        """The human citation, e.g. "CTOC/COP/WG.4/2022/2, para. 12" or "Recommendation 13"."""
        name = doc.cite_name if doc else self.document_id
        return f"{name}, {self.label_text}"

    def sub_item_citation(self, citation: str, sub: SubItem) -> str:
        """The full citation of ``sub`` given this passage's full ``citation``."""
        if not sub.label:
            return citation
        if citation.endswith(self.label_text):
            return citation[: len(citation) - len(self.label_text)] + sub.label
        return f"{citation} {sub.label}"

    def sub_item_at(self, start: int, end: int) -> SubItem | None:
        """The innermost sub-item whose text holds the span [start, end) of the passage text."""
        best: SubItem | None = None
        for s in self.sub_items:
            if s.span[0] <= start and end <= s.span[1] and (
                best is None or s.span[1] - s.span[0] <= best.span[1] - best.span[0]
            ):
                best = s
        return best


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
    relevance: float = Field(default=0.0, description="0-1: how well the sentence answers the question")
    relevance_level: Relevance | None = Field(
        default=None,
        description="direct: answers the question; related: on the question's topic but not its answer; "
                    "background: context only. None where not assessed.")
    flags: list[str] = Field(default_factory=list, description=(
        "e.g. list_item (render as a list entry), new_paragraph (first sentence quoted from its "
        "paragraph), uncited"))
    pinpoints: dict[str, str] = Field(
        default_factory=dict,
        description='passage id -> the sub-item citation the sentence was taken from ("…, art. 6(3)(b)")',
    )


class Answer(BaseModel):
    """What ``Assistant.ask`` returns; also the ``--json`` answer object."""

    question: str
    standalone_question: str = ""
    answer: str
    refused: bool = False
    refusal_reason: str = ""
    refusal_kind: Literal["", "off_topic", "unknown_terms", "weak_match", "missing_detail", "model_declined",
                          "language", "small_talk"] = ""
    sentences: list[AnswerSentence] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    searched: list[dict[str, object]] = Field(default_factory=list)
    ranked: list[str] = Field(
        default_factory=list,
        description="passage ids in the order the answer's search ranked them (a follow-up's two searches "
                    "fused): what the evaluator scores retrieval on")
    mode: Mode = "extractive"
    notice: str = ""
    timings: dict[str, float] = Field(default_factory=dict)
    settings_hash: str = ""
    withdrawn: list[AnswerSentence] = Field(
        default_factory=list,
        description="LLM sentences that failed verification: shown apart, never as the answer")


class Draft(BaseModel):
    """An LLM answer while it streams: verified sentences with their support marks, withdrawn
    sentences, and the sentence being written (``pending``, plain text without chips)."""

    sentences: list[AnswerSentence] = Field(default_factory=list)
    withdrawn: list[AnswerSentence] = Field(default_factory=list)
    pending: str = ""
    numbers: dict[str, int] = Field(default_factory=dict, description="passage id -> chip number")


class Turn(BaseModel):
    """One message of a conversation history."""

    role: Literal["user", "assistant"]
    content: str
