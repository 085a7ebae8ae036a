"""Stage 2 of parsing: assemble classified blocks into whole, citable paragraphs.

Rules (general, not per document; the units and their labels are described in ``structure``):
- page rules and footnote definitions never end a paragraph, so a paragraph split by a page break (with
  that page's footnotes in between) is joined back together;
- in a *numbered* document (numbered paragraphs, articles or labels make up a real share of the body),
  unnumbered text, quoted blocks and lettered sub-items belong to the numbered paragraph before them,
  and text before the first unit is front matter — except a preamble, whose paragraphs are units;
- in an *article-structured* document (three or more "Article N" headings), an article's numbered
  paragraphs are "art. N(k)" and its unnumbered text "art. N"; the Council of Europe's "1 Text"
  (number without a full stop) counts when it is the article's next paragraph number;
- numbered items under a "Guideline N" / "Principle N" heading are cited as "Guideline N.k", the text
  before them as "Guideline N"; numbered paragraphs that restart at 1 under a heading naming
  "Principles" are "Principle N";
- in an unnumbered document every text block is a passage labelled by its section and ordinal, except
  continuations (mid-sentence breaks) and lists introduced by a colon;
- sub-items "(a)", "a)", "(i)" stay inside their paragraph and are recorded with their own citation;
- table rows stay together with the table's title and header row;
- footnote definitions are attached to the nearest paragraph that carries their marker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.ingest.blocks import (
    RE_LABEL,
    RE_SUBITEM_LINE,
    TERMINAL,
    Block,
    article_title,
    is_links_only,
    is_parenthetical,
    split_blocks,
)
from assistant.ingest.metadata import ReadMetadata
from assistant.ingest.notes import LoadNotes
from assistant.ingest.structure import (
    RE_PLURAL_PRINCIPLES,
    SubItemLevels,
    article_label,
    is_preamble_closing,
    is_preamble_opening,
    slug,
    sub_item_label,
)
from assistant.models import Footnote, Passage, SubItem
from assistant.text import RE_DOC_SYMBOL, RE_JOB_NUMBER, RE_SERIES_LINE

RE_LABELLED_HEADING = re.compile(r"^(Guideline|Principle|Recommendation)\s+(\d+(?:\.\d+)*)\b", re.I)
RE_BULLET = re.compile(r"^\s*[-•■]\s+")
RE_ANNEX = re.compile(r"^\s*annex(?:\s+([IVXLC]{1,6}|\d{1,2}))?\s*$", re.I)
RE_PLURAL_OTHER = re.compile(r"\b(?:guidelines|recommendations)\b", re.I)
RE_COE_NUMBERED = re.compile(r"^\s*(\d{1,3})\s+(?=[A-Z“\"‘(])")
HEADING_LEVEL_ROMAN, HEADING_LEVEL_LETTER, HEADING_LEVEL_PLAIN = 8, 9, 10


@dataclass
class _Draft:
    """A passage being assembled from one or more blocks."""

    label: str
    kind: str
    section: list[str]
    blocks: list[Block] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    sub_items: list[SubItem] = field(default_factory=list)
    levels: SubItemLevels = field(default_factory=SubItemLevels)
    is_table: bool = False
    awaiting_text: bool = False
    ident: str = ""

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def add(self, block: Block, text: str, sep: str) -> None:
        self.parts.append((sep if self.parts else "") + text)
        self.blocks.append(block)

    def add_sub_items(self, text: str) -> None:
        """Record the sub-items that start lines of ``text`` (just appended) with their offsets."""
        base = len(self.text) - len(text)
        for m in RE_SUBITEM_LINE.finditer(text):
            path = self.levels.place(m.group(1) or m.group(2))
            self.sub_items.append(SubItem(path=path, label=sub_item_label(_label_text(self), self.kind, path),
                                          span=(base + m.start(), base + m.start())))


def _label_text(d: _Draft) -> str:
    return f"para. {d.label}" if d.kind in ("para", "operative") else d.label


@dataclass
class ParseResult:
    """Passages of one document plus what could not be placed (for the ingest report)."""

    passages: list[Passage]
    unattached_footnotes: list[str]
    front_matter: list[str]
    headings: list[str] = field(default_factory=list)
    notes: LoadNotes = field(default_factory=LoadNotes)
    metadata: ReadMetadata = field(default_factory=ReadMetadata)  # what the file says it is


def _article_structured(blocks: list[Block]) -> bool:
    """Three or more distinct "Article N" headings in increasing order: a treaty, not a quotation."""
    runs: list[list[int]] = [[]]
    for b in blocks:
        if b.kind in ("heading", "text") and RE_ANNEX.match(b.text):
            runs.append([])  # each annex numbers its articles afresh
        elif b.kind == "article":
            runs[-1].append(int(re.match(r"\d+", b.label).group(0)))  # type: ignore[union-attr]
    distinct = {n for run in runs for n in run}
    return len(distinct) >= 3 and all(run == sorted(run) for run in runs)


def _several_annexes(blocks: list[Block]) -> bool:
    """Two or more "Annex I", "Annex II" headings: units are cited with their annex. (One annex at the
    top is the document itself — its symbol already says "annex III".)"""
    names = {m.group(1) for b in blocks if b.kind in ("heading", "text") and (m := RE_ANNEX.match(b.text))}
    return len(names) >= 2


def _is_numbered_document(blocks: list[Block], articles: bool) -> bool:
    """Numbered paragraphs or labels make up a real share of the body (not a stray quoted list)."""
    kinds = ("numbered", "label", "article") if articles else ("numbered", "label")
    units = sum(b.kind in kinds for b in blocks)
    body = units + sum(b.kind in ("text", "subitem", "table") for b in blocks)
    # By count, or by length: a few long numbered paragraphs after a long list of contents lines.
    unit_chars = sum(len(b.text) for b in blocks if b.kind in kinds)
    body_chars = unit_chars + sum(len(b.text) for b in blocks if b.kind in ("text", "subitem", "table"))
    return units >= 3 and (units / max(body, 1) >= 0.25 or unit_chars / max(body_chars, 1) >= 0.5)


def _heading_level(block: Block) -> int:
    """Official section numbering wins over Markdown depth, which conversions get wrong."""
    markdown = block.level <= 7
    if re.match(r"^(?:(?:Part|Chapter)\s+[IVXL\d]+|[IVXL]{1,5}\.)\s", block.text, re.I):
        return 1 if markdown else HEADING_LEVEL_ROMAN
    if re.match(r"^([A-H]\.|\d+\.\d+)\s", block.text):
        return 2 if markdown else HEADING_LEVEL_LETTER
    if re.match(r"^\d+\.\s", block.text) and markdown:
        return 3  # "5. Female victims …" sub-headings replace each other
    return block.level if markdown else HEADING_LEVEL_PLAIN


def _starts_lowercase(text: str) -> bool:
    stripped = text.lstrip("*_“\"'‘( ")
    return bool(stripped) and stripped[0].islower()


@dataclass
class _Unit:
    """The unit heading the following paragraphs belong to: Article N, Guideline N, Principle N."""

    kind: str
    number: str
    title: str = ""
    paragraphs: int = 0
    text_seen: bool = False


class _Assembler:
    """Walks the blocks once, keeping the section stack and the paragraph being built."""

    def __init__(self, doc_id: str, numbered: bool, articles: bool, annexes: bool = False) -> None:
        self.doc_id = doc_id
        self.annexes = annexes
        self.numbered = numbered
        self.articles = articles
        self.front = numbered
        self.preamble = 0  # preambular paragraphs so far; -1 once the preamble is over
        self.stack: list[tuple[int, str]] = []
        self.unit: _Unit | None = None
        self.cur: _Draft | None = None
        self.done: list[_Draft] = []
        self.front_matter: list[str] = []
        self.headings: list[str] = []
        self.footnotes: list[Block] = []
        self.table_title = ""
        self.ordinals: dict[tuple[str, ...], int] = {}
        self.principles: dict[str, int] = {}
        self.principles_context = ""  # the latest heading naming "Principles", until another kind
        self.annex = ""  # "annex II" while inside one of several annexes
        self.opening: list[Block] = []  # the title page: lines before the first passage
        self.cover_ended = False  # an address line at the foot of the cover was passed

    # -- section stack
    def section(self) -> list[str]:
        out = [text for _, text in self.stack]
        if self.unit and self.unit.kind == "article":
            out.append(f"Article {self.unit.number}" + (f" – {self.unit.title}" if self.unit.title else ""))
        return out

    def on_heading(self, block: Block) -> None:
        self.headings.append(block.text)
        if block.text.lower().startswith("table"):
            self.close()
            self.table_title = block.text
            return
        if self.unit and not self.unit.title and not self.unit.text_seen \
                and not RE_LABELLED_HEADING.match(block.text) and _heading_level(block) > 2:
            self.unit.title = block.text  # "Article 6" / "Guideline 1" then its title on a line of its own
            return
        if any(block.text.lower() == text.lower() for _, text in self.stack):
            return  # a heading repeated from the title page
        if self.cur and self.cur.awaiting_text:
            self.on_text(block)  # nothing yet under "Recommendation N": the line is its text
            return
        self.close()
        if block.text.strip().lower() == "preamble" and self.preamble == 0:
            self.preamble = max(self.preamble, 0)
            self.front = False
            self._preamble_on = True
        level = _heading_level(block)
        if self.unit and (self.unit.kind != "article" or level <= HEADING_LEVEL_ROMAN or level <= 2):
            self.unit = None
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, block.text))
        if m := RE_LABELLED_HEADING.match(block.text):
            self.unit = _Unit(m.group(1).lower(), m.group(2))
        if RE_LABELLED_HEADING.match(block.text) or RE_PLURAL_OTHER.search(block.text):
            self.principles_context = ""  # "Recommended Guidelines …", "Guideline 1: …"
        elif RE_PLURAL_PRINCIPLES.search(block.text):
            self.principles_context = block.text

    _preamble_on = False

    def on_article(self, block: Block) -> None:
        if not self.articles:
            block.text = block.text
            self.on_heading(block)
            return
        self.headings.append(block.text)
        self.close()
        self.end_preamble()
        self.front = False
        self.unit = _Unit("article", block.label, article_title(block.raw))

    def end_preamble(self) -> None:
        if self._preamble_on:
            self._preamble_on = False
            self.preamble = -1

    # -- drafts
    def close(self) -> None:
        if self.cur and self.cur.text.strip():
            self.done.append(self.cur)
        self.cur = None

    def start(self, label: str, kind: str, block: Block | None = None, text: str = "") -> _Draft:
        self.close()
        if self.annex and kind != "ordinal":
            # "annex II, art. 6(3)": a document with several annexes numbers each one afresh.
            label = f"{self.annex}, {'para. ' + label if kind in ('para', 'operative') else label}"
            kind = "annex" if kind in ("para", "operative") else kind
        self.cur = _Draft(label, kind, self.section())
        if block is not None:
            self.cur.add(block, text, "")
            self.cur.add_sub_items(text)
        return self.cur

    def ordinal_label(self) -> str:
        key = tuple(self.section())
        self.ordinals[key] = self.ordinals.get(key, 0) + 1
        name = key[-1] if key else "Text"
        return f"§{name}, ¶{self.ordinals[key]}"

    def labelled_heading(self) -> tuple[str, str] | None:
        """("Guideline", "6") when the nearest heading is "Guideline 6: …"."""
        if self.stack and (m := RE_LABELLED_HEADING.match(self.stack[-1][1])):
            return m.group(1).title(), m.group(2)
        return None

    # -- block handlers
    def on_label(self, block: Block) -> None:
        self.front = False
        self.end_preamble()
        kind, number = block.label.split()[0].lower(), block.label.split()[1]
        self.start(block.label, kind).awaiting_text = True
        # "Guideline 9" on a line of its own: its numbered measures are "Guideline 9.k".
        self.unit = _Unit(kind, number, text_seen=True) if kind in ("guideline", "principle") else None

    def on_numbered(self, block: Block, number: str | None = None, body: str | None = None) -> None:
        number = number or block.label
        body = body if body is not None else re.sub(r"^\s*\d{1,4}\.\s+", "", block.text, count=1)
        unit = self.unit
        if unit and unit.kind == "article":
            unit.paragraphs, unit.text_seen = int(number), True
            self.start(article_label(unit.number, number), "article", block, body).ident = \
                f"art-{slug(unit.number)}-{number}"
        elif (unit and unit.kind in ("guideline", "principle")) or (not self.numbered and self.labelled_heading()):
            name = unit.kind.title() if unit else self.labelled_heading()[0]  # type: ignore[index]
            num = unit.number if unit else self.labelled_heading()[1]  # type: ignore[index]
            self.front = False
            self.start(f"{name} {num}.{number}", name.lower(), block, body)
        elif (principle := self.principle_heading(number)) is not None:
            self.front = False
            self.end_preamble()
            self.start(f"Principle {number}", "principle", block, body)
            self.principles[principle] = int(number)
        elif self.numbered:
            self.front = False
            self.end_preamble()
            self.start(number, "operative" if self.preamble else "para", block, body)
        else:
            self.on_text(block)

    def principle_heading(self, number: str) -> str | None:
        """The heading naming "Principles" whose numbering (restarting at 1) this paragraph continues
        — also under the sub-headings that follow it ("The primacy of human rights")."""
        text = self.principles_context
        if not text:
            return None
        last = self.principles.get(text)
        if (last is None and number == "1") or (last is not None and int(number) == last + 1):
            return text
        return None

    def bare_letter_item(self, block: Block) -> bool:
        """The Council of Europe's bare "a", "b" items: the letter that comes next in the current
        paragraph (the first one only after a colon), so "a State Party…" is not taken for one."""
        m = re.match(r"^\s*([a-z])\s+[“\"‘A-Za-z]", block.text)
        cur = self.cur
        if not m or cur is None or cur.is_table:
            return False
        letters = [s.path[0] for s in cur.sub_items if len(s.path[0]) == 1]
        if not letters:
            return m.group(1) == "a" and cur.text.rstrip().endswith(":")
        return ord(m.group(1)) == ord(letters[-1]) + 1

    def on_subitem(self, block: Block) -> None:
        cur = self.cur
        if cur is None and self.unit and self.unit.kind == "article":
            self.on_text(block)
            return
        if cur and not cur.is_table and (
            self.numbered or self.articles or cur.sub_items or cur.text.rstrip().endswith(":")
        ):
            text = block.text.lstrip("-•■ ")
            cur.add(block, text, "\n")
            cur.add_sub_items(text)
        else:
            self.on_text(block)

    def on_table(self, block: Block) -> None:
        if self.cur and self.cur.is_table:
            self.cur.add(block, block.text, "\n")
            return
        if self.front:
            self.front_matter.append(block.text)  # a masthead laid out as a table
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
        if cur.kind == "preamble":
            return (" " if mid_sentence else "\n") if _starts_lowercase(block.text) else None
        if _starts_lowercase(block.text) or (mid_sentence and len(text) > 150 and not cur.is_table):
            return " " if mid_sentence else "\n"
        if cur.is_table:
            return None
        if cur.kind == "article" or (self.numbered and cur.kind != "ordinal"):
            return "\n"
        if text.endswith(":") or (RE_BULLET.match(block.raw) and RE_BULLET.match(cur.blocks[-1].raw)):
            return "\n"
        return None

    def on_text(self, block: Block) -> None:
        if is_links_only(block.text):
            # a slide's or page's address line cites nothing, and ends the cover it is the foot of
            self.front_matter.append(block.text)
            self.cover_ended = True
            return
        unit = self.unit
        if unit and unit.kind == "article" and (m := RE_COE_NUMBERED.match(block.text)) \
                and int(m.group(1)) == unit.paragraphs + 1:
            self.on_numbered(block, m.group(1), block.text[m.end():])
            return
        if self.bare_letter_item(block):
            block.text = re.sub(r"^\s*([a-z])\s+", r"\1) ", block.text, count=1)
            self.on_subitem(block)
            return
        if self.preamble == 0 and (self.front or self._preamble_on) and is_preamble_opening(block.text):
            # The enacting formula ("The General Assembly,") opens the preamble but is not one of its
            # numbered paragraphs: it is kept as the unnumbered passage "preamble".
            self._preamble_on, self.front = True, False
            self.start("preamble", "preamble", block, block.text).ident = "preamble"
            return
        sep = self.continues(block)
        if sep is not None and self.cur is not None:
            self.cur.awaiting_text = False
            self.cur.add(block, block.text, sep)
            self.cur.add_sub_items(block.text)
        elif self._preamble_on and is_preamble_closing(block.text):
            self.start("preamble", "preamble", block, block.text).ident = "preamble-closing"
            self.end_preamble()
        elif self._preamble_on:
            self.preamble += 1
            self.start(f"preamble, para. {self.preamble}", "preamble", block, block.text).ident = \
                f"preamble-{self.preamble}"
        elif unit and (unit.kind == "article" or not unit.text_seen):
            unit.text_seen = True
            label = article_label(unit.number) if unit.kind == "article" else f"{unit.kind.title()} {unit.number}"
            self.front = False
            draft = self.start(label, unit.kind, block, block.text)
            draft.ident = f"art-{slug(unit.number)}" if unit.kind == "article" else ""
        elif self.front or (not self.done and self.cur is None and is_parenthetical(block.text)):
            # a parenthesis qualifying the title, before any paragraph, is the cover's
            # (``_title_page``), not the first section's paragraph 1
            self.front_matter.append(block.text)
        else:
            self.start(self.ordinal_label(), "ordinal", block, block.text)

    def on_annex(self, number: str) -> None:
        """ "Annex II": what follows is numbered afresh (its own preamble, articles, paragraphs)."""
        self.close()
        self.annex = f"annex {number}".strip()
        self.stack = [(1, self.annex.capitalize())]
        self.unit, self.front, self._preamble_on, self.preamble = None, False, False, 0
        self.principles, self.principles_context = {}, ""

    def feed(self, block: Block) -> None:
        if self.cur is None and not self.done and not self.cover_ended and block.kind in ("heading", "text"):
            self.opening.append(block)
        if self.annexes and block.kind in ("heading", "text") and (m := RE_ANNEX.match(block.text)):
            self.on_annex(m.group(1) or "")
            return
        if block.kind == "footnote":
            self.footnotes.append(block)
        elif block.kind == "heading":
            # A "heading" that starts lowercase is a fragment of a paragraph cut by a page break.
            if self.cur and _starts_lowercase(block.text):
                self.on_text(block)
            else:
                if self._preamble_on and (_heading_level(block) <= HEADING_LEVEL_ROMAN or block.level <= 2):
                    self.end_preamble()
                self.on_heading(block)
        elif block.kind == "article":
            self.on_article(block)
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


def _passage_id(doc_id: str, draft: _Draft, seen: set[str]) -> str:
    annex = re.match(r"annex [\w]+, ", draft.label)
    if draft.ident:
        base = f"{doc_id}:{slug(annex.group(0)) + '-' if annex else ''}{draft.ident}"
    elif draft.kind in ("para", "operative"):
        base = f"{doc_id}:para-{draft.label}"
    elif draft.kind != "ordinal":
        base = f"{doc_id}:{slug(draft.label)}"
    else:
        section = slug(draft.section[-1]) if draft.section else "text"
        number = draft.label.rsplit("¶", 1)[-1].split()[0]
        base = f"{doc_id}:{section}:{number}"
    pid, n = base, 2
    while pid in seen:
        pid, n = f"{base}-{n}", n + 1
    seen.add(pid)
    return pid


def _finish_sub_items(draft: _Draft, text: str, shift: int) -> list[SubItem]:
    """Each sub-item runs to the next one at its level or above (so (b) holds its (i), (ii))."""
    items = draft.sub_items
    out = []
    for i, s in enumerate(items):
        start = max(s.span[0] - shift, 0)
        end = len(text)
        for later in items[i + 1 :]:
            if len(later.path) <= len(s.path):
                end = later.span[0] - shift
                break
        body = text[start:end].rstrip()
        out.append(s.model_copy(update={"span": (start, start + len(body)), "text": body}))
    return out


def _to_passages(doc_id: str, drafts: list[_Draft]) -> list[Passage]:
    seen: set[str] = set()
    out = []
    for d in drafts:
        raw = d.text
        text = raw.strip()
        shift = len(raw) - len(raw.lstrip())
        out.append(
            Passage(
                id=_passage_id(doc_id, d, seen),
                document_id=doc_id,
                section_path=d.section,
                label=d.label,
                label_kind=d.kind,  # type: ignore[arg-type]
                text=text,
                page=d.blocks[0].page if d.blocks else None,
                span=(d.blocks[0].start, d.blocks[-1].end) if d.blocks else (0, 0),
                sub_items=_finish_sub_items(d, text, shift),
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


RE_CONTENTS = re.compile(r"^(table of )?contents\b")


def _print_furniture(block: Block, furniture: frozenset[str]) -> bool:
    """A cover line that is the print run's, not the document's: its symbol, a job number, a
    publication series, a running header."""
    text = block.text.strip()
    return any(rx.match(text) for rx in (RE_DOC_SYMBOL, RE_JOB_NUMBER, RE_SERIES_LINE)) \
        or " ".join(text.split()).lower() in furniture


def _title_page(asm: _Assembler, drafts: list[_Draft], furniture: frozenset[str] = frozenset()) -> _Draft | None:
    """The lines before the first passage — date, issuing office, author, meeting, title — as one
    citable "title page" passage, so that what only a cover states ("25 April 2023", "Vienna, 29 and
    30 June 2022") is not lost. Lines the first passage already carries (it started with them, or
    they are its section headings) are not repeated; one line alone is just the title."""
    first = {id(b) for d in drafts[:1] for b in d.blocks}
    own = {h.lower() for d in drafts[:1] for h in d.section}
    lines: list[Block] = []
    seen = set(own)
    previous: Block | None = None
    for b in asm.opening:
        key = " ".join(b.text.split()).lower()
        if RE_CONTENTS.match(key):
            break  # a table of contents follows the cover: page numbers and headings, not text
        qualifier = is_parenthetical(b.text)
        if qualifier and previous is not None and all(b is not previous for b in lines) \
                and not _print_furniture(previous, furniture):
            lines.append(previous)  # "(pursuant to resolution …)" reads with the title it qualifies
        previous = b
        if (_starts_lowercase(b.text.strip()) and not qualifier) or id(b) in first or key in seen:
            continue  # a page's tag line ("report"), or a line the cover repeats in bold
        if _print_furniture(b, furniture):
            continue  # the symbol (every citation carries it), a print-run number, a running header
        if key:
            lines.append(b)
            seen.add(key)
    if len(lines) < 2 or not drafts:
        return None  # headings alone are not a document (``IngestError``: no paragraphs)
    draft = _Draft("title page", "front", [])
    for b in lines:
        # a cover's lines stay lines; a parenthesis broken across two is one qualifier
        draft.add(b, " ".join(b.text.split()) if is_parenthetical(b.text) else b.text.strip(), "\n")
    draft.ident = "title-page"
    placed = {b.text for b in lines}
    asm.front_matter = [t for t in asm.front_matter if t not in placed]
    return draft


def parse_text(doc_id: str, source: str, furniture: frozenset[str] = frozenset()) -> ParseResult:
    """Parse one converted document into paragraph passages. ``furniture``: lines the loader found
    to be running headers or the document's symbol, kept off the title page (lower case)."""
    blocks = split_blocks(source)
    articles = _article_structured(blocks)
    asm = _Assembler(doc_id, _is_numbered_document(blocks, articles), articles, _several_annexes(blocks))
    for block in blocks:
        asm.feed(block)
    asm.close()
    drafts = [d for d in asm.done if d.text.strip() and not RE_LABEL.match(d.text.strip())]
    title_page = _title_page(asm, drafts, furniture)
    if title_page is not None:
        drafts.insert(0, title_page)
    passages = _to_passages(doc_id, drafts)
    markers = [[m for b in d.blocks for m in b.markers] for d in drafts]
    unattached = _attach_footnotes(passages, markers, asm.footnotes)
    return ParseResult(passages, unattached, asm.front_matter, asm.headings)
