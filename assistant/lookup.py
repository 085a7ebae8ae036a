"""Find passages by human reference ("CTOC/COP/WG.4/2022/2 para 12", "Recommendation 13",
"wg4-2022-2:para-16", "para. 16 (b)") or by an exact quote — used by ``show`` and the evaluator."""

from __future__ import annotations

import re

from assistant.models import Document, Passage
from assistant.text import normalize_space

RE_REF = re.compile(
    r"(?:,?\s*(?:para(?:graph)?s?\.?|¶)\s*(?P<para>\d{1,3})(?:\s*\((?P<sub>[a-z]{1,4})\))?"
    r"|\s*(?P<kind>Recommendation|Guideline|Principle)\s+(?P<num>\d+(?:\.\d+)*))\s*$",
    re.I,
)


def _match_document(docs: list[Document], name: str) -> list[Document]:
    name = normalize_space(name).rstrip(",")
    if not name:
        return docs
    exact = [d for d in docs if name in {normalize_space(d.id), normalize_space(d.symbol), normalize_space(d.short_title), normalize_space(d.title)}]
    return exact or [d for d in docs if name in normalize_space(d.title) or name in normalize_space(d.short_title)]


def find_passage(docs: list[Document], passages: list[Passage], ref: str) -> Passage | None:
    """The passage a reference names, or None. A bare passage id is accepted too."""
    ref = ref.strip()
    by_id = {p.id: p for p in passages}
    if ref in by_id:
        return by_id[ref]
    m = RE_REF.search(ref)
    if not m:
        return None
    candidates = {d.id for d in _match_document(docs, ref[: m.start()])}
    if m.group("para"):
        label, kinds = m.group("para"), {"para"}
    else:
        label, kinds = f"{m.group('kind').title()} {m.group('num')}", {m.group("kind").lower()}
    for p in passages:
        if p.document_id in candidates and p.label_kind in kinds and p.label == label:
            return p
    return None


def find_by_quote(passages: list[Passage], document_id: str | None, quote: str) -> Passage | None:
    """The passage whose text contains ``quote`` (whitespace- and case-insensitive)."""
    q = normalize_space(quote)
    if not q:
        return None
    for p in passages:
        if (document_id is None or p.document_id == document_id) and q in normalize_space(p.text):
            return p
    return None
