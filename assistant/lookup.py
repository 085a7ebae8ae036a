"""Find passages by human reference or by an exact quote — used by ``show`` and the evaluator.

References are read the way lawyers write them: "CTOC/COP/WG.4/2022/2 para 12", "para. 16 (b)",
"Recommendation 13", "E/2002/68/Add.1, Guideline 9.3" (or "Guideline 9, para. 3"), "Principle 4",
"A/RES/55/25, annex II, art. 6(3)(b)" (or "article 6, paragraph 3 (b)"), "CETS No. 197, Art. 4 e)",
"preamble, para. 2", "CTOC/COP/WG.4/2022/2, title page", or a bare passage id ("wg4-2022-2:para-16").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.models import Document, Passage, SubItem
from assistant.text import normalize_space

_SUBS = r"(?P<subs>(?:\s*\(?[a-z]{1,4}\))*)"
_REF = (
    r"(?:,?\s*(?P<pre>preamble|pmbl\.?|preambular)\s*,?\s*(?:para(?:graph)?s?\.?|¶)\s*(?P<pnum>\d{1,3})"
    r"|,?\s*\b(?:art(?:icle)?s?\.?)\s*(?P<art>\d{1,3}(?:\s?(?:bis|ter|quater))?)"
    r"(?:\s*\((?P<apara>\d{1,3})\)|\s*,?\s*(?:para(?:graph)?\.?|§)\s*(?P<apara2>\d{1,3}))?" + _SUBS.replace("subs", "asubs") +
    r"|,?\s*(?:para(?:graph)?s?\.?|¶)\s*(?P<para>\d{1,4})" + _SUBS +
    # (a bare "cover" only ends a typed reference: "does it cover disciplinary action?" is a verb)
    r"|,?\s*\b(?P<cover>title\s+page|cover\s+page|cover(?=\s*$))"
    r"|\s*(?P<kind>Recommendation|Guideline|Principle)\s+(?P<num>\d+)"
    r"(?:\.(?P<k>\d+)|\s*,\s*(?:para(?:graph)?\.?|measure)\s*(?P<k2>\d+))?" + _SUBS.replace("subs", "lsubs") +
    r")"
)
RE_REF = re.compile(_REF + r"\s*$", re.I)  # a reference that ends what is typed ("… para 12")
RE_REF_IN_TEXT = re.compile(_REF + r"(?![\w.]*\d)", re.I)  # one inside a question ("what does para 12 say")


RE_ANNEX_REF = re.compile(r",?\s*annex\s+([IVXLC]{1,6}|\d{1,2})\s*,?\s*$", re.I)


@dataclass
class Found:
    """A passage and, when the reference names one, the sub-item inside it."""

    passage: Passage
    sub_item: SubItem | None = None


def _match_document(docs: list[Document], name: str) -> list[Document]:
    name = normalize_space(name).rstrip(",").strip()
    if not name:
        return docs
    fields = [(d, [normalize_space(x) for x in (d.id, d.symbol, d.short_title, d.title) if x]) for d in docs]
    exact = [d for d, names in fields if name in names]
    if exact:
        return exact
    # "A/RES/55/25" for a document whose symbol is "A/RES/55/25, annex III", and the reverse.
    prefix = [d for d, names in fields if any(n.startswith(name) or name.startswith(n) for n in names)]
    return prefix or [d for d in docs if name in normalize_space(d.title) or name in normalize_space(d.short_title)]


def _path(subs: str | None) -> list[str]:
    return re.findall(r"[a-z]{1,4}", (subs or "").lower())


def _targets(m: re.Match[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """Candidate (label_kind, label) pairs the reference names, and the sub-item path."""
    if m.group("pnum"):
        return [("preamble", f"preamble, para. {m.group('pnum')}")], []
    if m.group("cover"):
        return [("front", "title page")], []
    if m.group("art"):
        number = " ".join(m.group("art").split())
        para = m.group("apara") or m.group("apara2")
        if para:
            return [("article", f"art. {number}({para})")], _path(m.group("asubs"))
        return [("article", f"art. {number}"), ("article", f"art. {number}(1)")], _path(m.group("asubs"))
    if m.group("para"):
        return [("para", m.group("para")), ("operative", m.group("para"))], _path(m.group("subs"))
    kind = m.group("kind").title()
    k = m.group("k") or m.group("k2")
    label = f"{kind} {m.group('num')}" + (f".{k}" if k else "")
    return [(kind.lower(), label)], _path(m.group("lsubs"))


def find_reference(docs: list[Document], passages: list[Passage], ref: str) -> Found | None:
    """The passage (and sub-item) a reference names, or None. A bare passage id is accepted too."""
    ref = ref.strip()
    by_id = {p.id: p for p in passages}
    if ref in by_id:
        return Found(by_id[ref])
    m = RE_REF.search(ref)
    if not m:
        return None
    head = ref[: m.start()]
    annex = RE_ANNEX_REF.search(head)
    if annex:  # "A/RES/55/25, annex II, art. 6": the annex is part of the label when the file has several
        head = head[: annex.start()]
    candidates = {d.id for d in _match_document(docs, head)}
    targets, path = _targets(m)
    if annex:
        name = f"annex {annex.group(1)}"
        with_annex = [("annex" if k in ("para", "operative") else k,
                       f"{name}, {'para. ' + label if k in ('para', 'operative') else label}") for k, label in targets]
        targets = with_annex + targets
    for kind, label in targets:
        for p in passages:
            if p.document_id in candidates and p.label_kind == kind and p.label == label:
                if not path:
                    return Found(p)
                sub = next((s for s in p.sub_items if s.path == path), None)
                if sub is not None:
                    return Found(p, sub)
    return None


def referenced_in(text: str, passages: list[Passage], named: list[str]) -> list[Passage]:
    """The passages a question refers to by their label ("what does para 12 of the 2022 paper say",
    "Recommendation 13", "Guideline 6.2"): in the documents the question names (``named``), else
    where only one document has that label — an ambiguous "para 3" of no named document is none."""
    out: list[Passage] = []
    for m in RE_REF_IN_TEXT.finditer(text):
        targets, _ = _targets(m)
        found = [p for kind, label in targets for p in passages if p.label_kind == kind and p.label == label]
        if named:
            found = [p for p in found if p.document_id in named]
        first = {p.document_id: p for p in reversed(found)}  # a document's first match ("art. 6" before "art. 6(1)")
        if len(first) == 1 or (named and first):
            out += [p for p in first.values() if p not in out]
    return out


def find_passage(docs: list[Document], passages: list[Passage], ref: str) -> Passage | None:
    """The passage a reference names (the whole paragraph, also for a sub-item), or None."""
    found = find_reference(docs, passages, ref)
    return found.passage if found else None


def find_by_quote(passages: list[Passage], document_id: str | None, quote: str) -> Passage | None:
    """The passage whose text contains ``quote`` (whitespace- and case-insensitive)."""
    q = normalize_space(quote)
    if not q:
        return None
    for p in passages:
        if (document_id is None or p.document_id == document_id) and q in normalize_space(p.text):
            return p
    return None
