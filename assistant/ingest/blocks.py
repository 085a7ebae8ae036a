"""Stage 1 of parsing: split converted text into classified blocks and clean their inline markup.

A *block* is a run of non-blank lines. Each gets a kind (heading, rule, footnote definition, numbered
paragraph, sub-item, label heading such as "Recommendation 13", table row, text) and keeps its character
span in the source so passages can report where they came from.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal[
    "heading", "rule", "footnote", "numbered", "subitem", "label", "table", "text", "page", "article"
]

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_TO_DIGIT = str.maketrans(SUPERSCRIPTS, "0123456789")

RE_RULE = re.compile(r"^\s*(-+|\*{3,}|_{3,})\s*$")
RE_MD_HEADING = re.compile(r"^\s*(#{1,6})\s+(.*)$")
RE_BOLD_LINE = re.compile(r"^\s*\*\*(.+?)\*\*\s*$", re.S)
RE_FOOTNOTE_DEF = re.compile(
    rf"^\s*(?:<sup>\s*(\d+|\*)\s*</sup>|([{SUPERSCRIPTS}]+)|\\(\*))\s+(\S.*)$", re.S
)
RE_NUMBERED = re.compile(r"^\s*(\d{1,4})\.\s+(\S.*)$", re.S)
# "(a) text", "(iv) text" and the Council of Europe's "a) text".
RE_SUBITEM = re.compile(r"^\s*(?:[-•■]\s*)?(?:\(([a-z]{1,4})\)|([a-z]{1,4})\))\s+(\S.*)$", re.S)
# "Article 6", "Article 6 Criminalization", "ARTICLE 4 – Definitions", "Article 12 bis. Title"
RE_ARTICLE = re.compile(
    r"^\s*(?:\*\*)?\s*(?:Article|ARTICLE|Art\.)\s+(\d{1,3}(?:\s?(?:bis|ter|quater|[a-z]))?)(?![\w(/.]\d)"
    r"\s*(?:\*\*)?\s*(?:[-–—:.]\s*)?(?:(?=[A-Z“\"‘\n])(.*))?$",
    re.S,
)
RE_LABEL = re.compile(
    r"^\s*(?:\*\*)?\s*(Recommendation|Guideline|Principle)\s+(\d+(?:\.\d+)*)\s*(?:\*\*)?\s*[:.]?\s*$",
    re.I,
)
RE_SECTION_HEADING = re.compile(r"^\s*(?:[IVXL]{1,5}|[A-H])\.\s+\S")
RE_BULLET_START = re.compile(r"^[-•■*]\s")
RE_SUBITEM_LINE = re.compile(r"^[ \t]*(?:[-•■][ \t]*)?(?:\(([a-z]{1,4})\)|([a-z]{1,4})\))[ \t]", re.M)
RE_SUP_MARKER = re.compile(r"<sup>\s*([^<]{1,6}?)\s*</sup>")
RE_UNICODE_MARKER = re.compile(rf"(?<=[\w.,;:)”\"’*])([{SUPERSCRIPTS}]+)")
RE_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)")
RE_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
RE_TAG = re.compile(r"<[^>]+>")
TERMINAL = (".", ":", ";", "?", "!", '"', "”", "’", ")", "]")
# A block that is nothing but web or mail addresses (a slide's footer, a page's "see also").
RE_LINKS_ONLY = re.compile(r"^\s*(?:(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.]+)"
                           r"(?:\s+(?:(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.]+))*\s*$")
# "(pursuant to General Assembly resolution 72/179 …)": a parenthesis standing alone, no sentence.
RE_PARENTHETICAL = re.compile(r"^\s*\((?P<body>[^()]*(?:\([^()]*\)[^()]*)*)\)\s*$", re.S)


@dataclass
class Block:
    """A classified run of lines with its span in the source and its page (when known)."""

    kind: BlockKind
    raw: str
    start: int
    end: int
    page: int | None = None
    level: int = 0
    label: str = ""
    markers: list[str] = field(default_factory=list)
    text: str = ""


def clean_inline(raw: str) -> tuple[str, list[str]]:
    """Strip markup from a block and return (clean text, footnote markers it carries)."""
    markers = [m.strip() for m in RE_SUP_MARKER.findall(raw)]
    text = RE_SUP_MARKER.sub("", raw)
    markers += [m.translate(_SUP_TO_DIGIT) for m in RE_UNICODE_MARKER.findall(text)]
    text = RE_UNICODE_MARKER.sub("", text)
    text = RE_MD_LINK.sub(r"\1", text)
    text = RE_AUTOLINK.sub(r"\1", text)
    text = re.sub(r"</p>\s*<p[^>]*>", "\n", text)
    text = re.sub(r"<li[^>]*>\s*■?\s*", "\n• ", text)
    text = RE_TAG.sub("", text)
    text = html.unescape(text)
    text = text.replace("\\*", "*").replace("\\_", "_").replace("\\\\", "\\")
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text, flags=re.S)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text, flags=re.S)
    text = re.sub(r"(?m)^[ \t]*[-•■][ \t]+(?=\([a-z]{1,4}\)|\([ivx]{1,5}\))", "", text)  # "- (b) …" items
    text = text.replace("\t", " | ")
    text = re.sub(r"[ \u00a0]*\n[ \u00a0]*", "\n", text)
    text = re.sub(r"[ \u00a0]{2,}", " ", text)
    return text.strip(), markers


def is_links_only(text: str) -> bool:
    """True for a block with no words of its own, only addresses ("https://www.unodc.org/…")."""
    return bool(RE_LINKS_ONLY.match(text))


def is_parenthetical(text: str) -> bool:
    """True for a block that is one parenthesis ending no sentence inside it — a title's
    qualifier ("(pursuant to resolution 72/179 …)", "(Vienna, 10–11 September 2020)")."""
    m = RE_PARENTHETICAL.match(text)
    return m is not None and not m.group("body").rstrip().endswith((".", "?", "!", ";", ":"))


def _heading_text(raw: str) -> str:
    md = RE_MD_HEADING.match(raw)
    body = md.group(2) if md else raw
    return " ".join(clean_inline(body)[0].split())


def _is_table(raw: str) -> bool:
    first = raw.lstrip()
    return "\t" in raw or first.startswith(("<b>", "<p>", "<table", "<tr"))


def _looks_like_plain_heading(raw: str) -> bool:
    """A short single line with no terminal punctuation, or "IV. Title" style, reads as a heading."""
    line = raw.strip()
    if "\n" in line or not line or line[0].islower() or RE_BULLET_START.match(line):
        return False
    if RE_SECTION_HEADING.match(line) and len(line) <= 200:
        return True
    if len(line) > 220:
        return False
    cleaned = clean_inline(line)[0]
    return not cleaned.endswith((*TERMINAL, ",")) and len(cleaned.split()) <= 30


def classify(raw: str) -> tuple[BlockKind, int, str]:
    """Return (kind, heading level, label) for one block of raw text."""
    stripped = raw.strip()
    if RE_RULE.match(stripped):
        return "rule", 0, ""
    if stripped == "\f":
        return "page", 0, ""
    if m := RE_LABEL.match(stripped):
        return "label", 0, f"{m.group(1).title()} {m.group(2)}"
    if number := article_number(stripped):
        md = RE_MD_HEADING.match(stripped)
        return "article", len(md.group(1)) if md else 8, number
    if m := RE_MD_HEADING.match(stripped):
        return "heading", len(m.group(1)), ""
    if RE_BOLD_LINE.match(stripped) and len(stripped) < 400:
        return "heading", 7, ""
    if m := RE_FOOTNOTE_DEF.match(stripped):
        return "footnote", 0, (m.group(1) or m.group(2) or m.group(3)).translate(_SUP_TO_DIGIT)
    if _is_table(stripped):
        return "table", 0, ""
    if m := RE_NUMBERED.match(stripped):
        return "numbered", 0, m.group(1)
    if m := RE_SUBITEM.match(stripped):
        return "subitem", 0, m.group(1) or m.group(2)
    if _looks_like_plain_heading(stripped):
        return "heading", 8, ""
    return "text", 0, ""


def article_number(raw: str) -> str:
    """"6" when ``raw`` is an article heading ("Article 6", "## Article 6 – Title", two lines of
    number and title), "" for a sentence that merely starts with "Article 6 of …"."""
    md = RE_MD_HEADING.match(raw)
    body = md.group(2) if md else raw
    body = body.strip()
    m = RE_ARTICLE.match(body)
    if not m or len(body) > 300 or body.count("\n") > 3:
        return ""
    title = (m.group(2) or "").strip()
    if title and (clean_inline(title)[0].rstrip().endswith((".", ";", ",")) and not md):
        return ""
    return " ".join(m.group(1).split())


def article_title(raw: str) -> str:
    """The title part of an article heading ("Criminalization" in "Article 6 Criminalization")."""
    md = RE_MD_HEADING.match(raw)
    body = (md.group(2) if md else raw).strip()
    m = RE_ARTICLE.match(body)
    return " ".join(clean_inline(m.group(2) or "")[0].split()) if m else ""


def _runs(source: str) -> list[tuple[str, int, int]]:
    """Blank-line separated runs of lines; a run whose every line is "N. …" is one item per line."""
    out = []
    for m in re.finditer(r"\f|[^\n\f]*\S[^\n\f]*(?:\n[^\n\f]*\S[^\n\f]*)*", source):
        lines = m.group(0).split("\n")
        if len(lines) > 1 and all(RE_NUMBERED.match(line) for line in lines):
            pos = m.start()
            for line in lines:
                out.append((line, pos, pos + len(line)))
                pos += len(line) + 1
        else:
            out.append((m.group(0), m.start(), m.end()))
    return out


def split_blocks(source: str) -> list[Block]:
    """Split text on blank lines (and form feeds, the PDF page separator) into classified blocks."""
    blocks: list[Block] = []
    page = 1 if "\f" in source else None
    for raw, start, end in _runs(source):
        if raw == "\f":
            page = (page or 1) + 1
            continue
        kind, level, label = classify(raw)
        block = Block(kind, raw, start, end, page, level, label)
        if kind in ("heading", "article"):
            block.text = _heading_text(raw) if kind == "heading" else " ".join(clean_inline(raw)[0].split())
        elif kind == "footnote":
            fm = RE_FOOTNOTE_DEF.match(raw.strip())
            block.text = clean_inline(fm.group(4) if fm else raw)[0]
        elif kind != "rule":
            block.text, block.markers = clean_inline(raw)
        blocks.append(block)
    _demote_cut_headings(blocks)
    return blocks


def _demote_cut_headings(blocks: list[Block]) -> None:
    """A short unpunctuated line whose next block goes on in lower case is the first line of a
    paragraph broken by a hard line break, not a heading."""
    for i, block in enumerate(blocks[:-1]):
        nxt = next((b for b in blocks[i + 1 :] if b.kind not in ("page", "footnote", "rule")), None)
        if block.kind == "heading" and block.level == 8 and nxt is not None and nxt.kind == "text" \
                and nxt.text[:1].islower() and not re.match(r"[a-z][\w+.-]*://|www\.", nxt.text):
            block.kind, block.level = "text", 0
            block.text, block.markers = clean_inline(block.raw)
