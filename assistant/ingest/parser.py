"""Stage 2 of parsing: assemble classified blocks into whole, citable paragraphs.

Rules (general, not per document):
- page rules and footnote definitions never end a paragraph, so a paragraph split by a page break (with
  that page's footnotes in between) is joined back together;
- in a *numbered* document (most text blocks start "12." or sit under "Recommendation N"), unnumbered
  text, quoted blocks and lettered sub-items belong to the numbered paragraph before them, and text before
  the first numbered unit is front matter;
- in an unnumbered document every text block is a passage labelled by its section and ordinal, except
  continuations (mid-sentence breaks) and lists introduced by a colon;
- numbered items under a "Guideline N" / "Principle N" heading are cited as "Guideline N.k";
- table rows stay together with the table's title and header row;
- footnote definitions are attached to the nearest paragraph that carries their marker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.ingest.blocks import RE_LABEL, RE_SUBITEM_LINE, TERMINAL, Block, split_blocks
from assistant.models import Footnote, Passage

RE_LABELLED_HEADING = re.compile(r"^(Guideline|Principle|Recommendation)\s+(\d+(?:\.\d+)*)\b", re.I)
RE_BULLET = re.compile(r"^\s*[-•■]\s+")
HEADING_LEVEL_ROMAN, HEADING_LEVEL_LETTER, HEADING_LEVEL_PLAIN = 8, 9, 10


@dataclass
class _Draft:
    """A passage being assembled from one or more blocks."""

    label: str
    kind: str
    section: list[str]
    blocks: list[Block] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    sub_items: list[str] = field(default_factory=list)
    is_table: bool = False
    awaiting_text: bool = False

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def add(self, block: Block, text: str, sep: str) -> None:
        self.parts.append((sep if self.parts else "") + text)
        self.blocks.append(block)


@dataclass
class ParseResult:
    """Passages of one document plus what could not be placed (for the ingest report)."""

    passages: list[Passage]
    unattached_footnotes: list[str]
    front_matter: list[str]


def _is_numbered_document(blocks: list[Block]) -> bool:
    """Numbered paragraphs or labels make up a real share of the body (not a stray quoted list)."""
    units = sum(b.kind in ("numbered", "label") for b in blocks)
    body = units + sum(b.kind in ("text", "subitem", "table") for b in blocks)
    return units >= 3 and units / max(body, 1) >= 0.25


def _heading_level(block: Block) -> int:
    """Official section numbering wins over Markdown depth, which conversions get wrong."""
    markdown = block.level <= 7
    if re.match(r"^[IVXL]{1,5}\.\s", block.text):
        return 1 if markdown else HEADING_LEVEL_ROMAN
    if re.match(r"^([A-H]\.|\d+\.\d+)\s", block.text):
        return 2 if markdown else HEADING_LEVEL_LETTER
    if re.match(r"^\d+\.\s", block.text) and markdown:
        return 3  # "5. Female victims …" sub-headings replace each other
    return block.level if markdown else HEADING_LEVEL_PLAIN


def _starts_lowercase(text: str) -> bool:
    stripped = text.lstrip("*_“\"'‘( ")
    return bool(stripped) and stripped[0].islower()


class _Assembler:
    """Walks the blocks once, keeping the section stack and the paragraph being built."""

    def __init__(self, doc_id: str, numbered: bool) -> None:
        self.doc_id = doc_id
        self.numbered = numbered
        self.front = numbered
        self.stack: list[tuple[int, str]] = []
        self.cur: _Draft | None = None
        self.done: list[_Draft] = []
        self.front_matter: list[str] = []
        self.footnotes: list[Block] = []
        self.table_title = ""
        self.ordinals: dict[tuple[str, ...], int] = {}

    # -- section stack
    def section(self) -> list[str]:
        return [text for _, text in self.stack]

    def on_heading(self, block: Block) -> None:
        if block.text.lower().startswith("table"):
            self.close()
            self.table_title = block.text
            return
        if any(block.text.lower() == text.lower() for _, text in self.stack):
            return  # a heading repeated from the title page
        if self.cur and self.cur.awaiting_text:
            return  # nothing yet under "Recommendation N": keep waiting for its text
        self.close()
        level = _heading_level(block)
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, block.text))

    # -- drafts
    def close(self) -> None:
        if self.cur and self.cur.text.strip():
            self.done.append(self.cur)
        self.cur = None

    def start(self, label: str, kind: str, block: Block | None = None, text: str = "") -> _Draft:
        self.close()
        self.cur = _Draft(label, kind, self.section())
        if block is not None:
            self.cur.add(block, text, "")
        return self.cur

    def ordinal_label(self) -> str:
        key = tuple(self.section())
        self.ordinals[key] = self.ordinals.get(key, 0) + 1
        name = key[-1] if key else "Text"
        name = name if len(name) <= 70 else name[:67].rstrip() + "…"
        return f"§{name}, ¶{self.ordinals[key]}"

    def labelled_heading(self) -> tuple[str, str] | None:
        """("Guideline", "6") when the nearest heading is "Guideline 6: …"."""
        if self.stack and (m := RE_LABELLED_HEADING.match(self.stack[-1][1])):
            return m.group(1).title(), m.group(2)
        return None

    # -- block handlers
    def on_label(self, block: Block) -> None:
        self.front = False
        kind = block.label.split()[0].lower()
        self.start(block.label, kind).awaiting_text = True

    def on_numbered(self, block: Block) -> None:
        body = re.sub(r"^\s*\d{1,3}\.\s+", "", block.text, count=1)
        if self.numbered:
            self.front = False
            self.start(block.label, "para", block, body)
        elif parent := self.labelled_heading():
            name, number = parent
            self.start(f"{name} {number}.{block.label}", name.lower(), block, body)
        else:
            self.on_text(block)

    def on_subitem(self, block: Block) -> None:
        cur = self.cur
        if cur and not cur.is_table and (
            self.numbered or cur.sub_items or cur.text.rstrip().endswith(":")
        ):
            cur.add(block, block.text.lstrip("-•■ "), "\n")
            cur.sub_items += RE_SUBITEM_LINE.findall(block.raw)
        else:
            self.on_text(block)

    def on_table(self, block: Block) -> None:
        if self.cur and self.cur.is_table:
            self.cur.add(block, block.text, "\n")
            return
        title = self.table_title or "Table"
        draft = self.start(f"{self.ordinal_label()} ({title})", "ordinal")
        draft.is_table = True
        draft.parts.append(self.table_title) if self.table_title else None
        draft.add(block, block.text, "\n")
        self.table_title = ""

    def continues(self, block: Block) -> str | None:
        """The separator if ``block`` continues the current paragraph, else None."""
        cur = self.cur
        if cur is None:
            return None
        text = cur.text.rstrip()
        if cur.awaiting_text:
            return ""
        mid_sentence = not text.endswith(TERMINAL)
        if _starts_lowercase(block.text) or (mid_sentence and len(text) > 150 and not cur.is_table):
            return " " if mid_sentence else "\n"
        if cur.is_table:
            return None
        if self.numbered and cur.kind != "ordinal":
            return "\n"
        if text.endswith(":") or (RE_BULLET.match(block.raw) and RE_BULLET.match(cur.blocks[-1].raw)):
            return "\n"
        return None

    def on_text(self, block: Block) -> None:
        sep = self.continues(block)
        if sep is not None and self.cur is not None:
            self.cur.awaiting_text = False
            self.cur.add(block, block.text, sep)
        elif self.front:
            self.front_matter.append(block.text)
        else:
            self.start(self.ordinal_label(), "ordinal", block, block.text)

    def feed(self, block: Block) -> None:
        if block.kind == "footnote":
            self.footnotes.append(block)
        elif block.kind == "heading":
            # A "heading" that starts lowercase is a fragment of a paragraph cut by a page break.
            if self.cur and _starts_lowercase(block.text):
                self.on_text(block)
            else:
                self.on_heading(block)
        elif block.kind == "label":
            self.on_label(block)
        elif block.kind == "numbered":
            self.on_numbered(block)
        elif block.kind == "subitem":
            self.on_subitem(block)
        elif block.kind == "table":
            self.on_table(block)
        elif block.kind == "text":
            self.on_text(block)
        # "rule" and "page": a page break never ends a paragraph.


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "x"


def _passage_id(doc_id: str, draft: _Draft, seen: set[str]) -> str:
    if draft.kind == "para":
        base = f"{doc_id}:para-{draft.label}"
    elif draft.kind != "ordinal":
        base = f"{doc_id}:{_slug(draft.label)}"
    else:
        section = _slug(draft.section[-1]) if draft.section else "text"
        number = draft.label.rsplit("¶", 1)[-1].split()[0]
        base = f"{doc_id}:{section}:{number}"
    pid, n = base, 2
    while pid in seen:
        pid, n = f"{base}-{n}", n + 1
    seen.add(pid)
    return pid


def _to_passages(doc_id: str, drafts: list[_Draft]) -> list[Passage]:
    seen: set[str] = set()
    out = []
    for d in drafts:
        out.append(
            Passage(
                id=_passage_id(doc_id, d, seen),
                document_id=doc_id,
                section_path=d.section,
                label=d.label,
                label_kind=d.kind,  # type: ignore[arg-type]
                text=d.text.strip(),
                page=d.blocks[0].page if d.blocks else None,
                span=(d.blocks[0].start, d.blocks[-1].end) if d.blocks else (0, 0),
                sub_items=d.sub_items,
            )
        )
    return out


def _attach_footnotes(
    passages: list[Passage], markers: list[list[str]], footnotes: list[Block]
) -> list[str]:
    """Give each definition to the nearest passage (before it, else after) that cites its marker."""
    unattached = []
    for fn in footnotes:
        owners = [i for i, ms in enumerate(markers) if fn.label in ms]
        before = [i for i in owners if passages[i].span[0] < fn.start]
        after = [i for i in owners if passages[i].span[0] >= fn.start]
        target = before[-1] if before else (after[0] if after else None)
        if target is None:
            unattached.append(f"{fn.label} {fn.text[:60]}")
            continue
        passages[target].footnotes.append(Footnote(marker=fn.label, text=fn.text))
    return unattached


def parse_text(doc_id: str, source: str) -> ParseResult:
    """Parse one converted document into paragraph passages."""
    blocks = split_blocks(source)
    asm = _Assembler(doc_id, _is_numbered_document(blocks))
    for block in blocks:
        asm.feed(block)
    asm.close()
    drafts = [d for d in asm.done if d.text.strip() and not RE_LABEL.match(d.text.strip())]
    passages = _to_passages(doc_id, drafts)
    markers = [[m for b in d.blocks for m in b.markers] for d in drafts]
    unattached = _attach_footnotes(passages, markers, asm.footnotes)
    return ParseResult(passages, unattached, asm.front_matter)
