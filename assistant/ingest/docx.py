"""DOCX loading straight from the WordprocessingML (what Word shows, not what a run API exposes):

- automatic numbering is recomputed from ``numbering.xml`` (formats, level text such as "(%2)",
  start values and overrides, style-linked numbering) and written out as literal "1." / "(a)";
- "1.<tab>text" typed by hand is a numbered paragraph (the tab becomes a space);
- hyperlink and field-result text is kept; tracked insertions are accepted and deletions dropped;
- real Word footnotes become ``<sup>N</sup>`` markers plus definitions the parser attaches;
- tables stay tables (tab-separated cells, one row per line); heading styles become ``#`` levels.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from assistant.ingest.notes import LoadNotes

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
RE_BARE_LETTER_TAB = re.compile(r"^\s*([a-z]|[ivx]{1,4})\t+")
RE_LEADING_MARKER_TAB = re.compile(r"^(\s*(?:\d{1,4}\.?|\(?[a-zA-Z]{1,4}[.)]|\([a-zA-Z]{1,4}\)|[•·▪■-]))\t+")


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _val(el: etree._Element | None, attr: str = "val") -> str | None:
    return None if el is None else el.get(_w(attr))


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1


@dataclass
class Numbering:
    """Word list definitions and the running counters of each list instance."""

    abstract: dict[str, dict[int, _Level]] = field(default_factory=dict)
    nums: dict[str, str] = field(default_factory=dict)
    overrides: dict[tuple[str, int], int] = field(default_factory=dict)
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def parse(cls, xml: bytes | None) -> Numbering:
        out = cls()
        if not xml:
            return out
        root = etree.fromstring(xml, _PARSER)
        for an in root.iterfind("w:abstractNum", NS):
            levels: dict[int, _Level] = {}
            for lvl in an.iterfind("w:lvl", NS):
                levels[int(lvl.get(_w("ilvl"), "0"))] = _Level(
                    fmt=_val(lvl.find("w:numFmt", NS)) or "decimal",
                    text=_val(lvl.find("w:lvlText", NS)) or "",
                    start=int(_val(lvl.find("w:start", NS)) or 1),
                )
            out.abstract[an.get(_w("abstractNumId"), "")] = levels
        for num in root.iterfind("w:num", NS):
            num_id = num.get(_w("numId"), "")
            out.nums[num_id] = _val(num.find("w:abstractNumId", NS)) or ""
            for ov in num.iterfind("w:lvlOverride", NS):
                start = _val(ov.find("w:startOverride", NS))
                if start is not None:
                    out.overrides[(num_id, int(ov.get(_w("ilvl"), "0")))] = int(start)
        return out

    def label(self, num_id: str, ilvl: int) -> str:
        """The next label of list ``num_id`` at level ``ilvl`` ("3.", "(b)", "ii)"), counting it."""
        levels = self.abstract.get(self.nums.get(num_id, ""), {})
        if num_id in ("", "0") or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        for lv in range(9):
            if lv > ilvl:
                counters[lv] = 0
        start = self.overrides.get((num_id, ilvl), levels[ilvl].start)
        counters[ilvl] = start if counters[ilvl] == 0 else counters[ilvl] + 1
        text = levels[ilvl].text
        if levels[ilvl].fmt == "bullet":
            return "•"
        for lv in range(ilvl + 1):
            level = levels.get(lv, _Level())
            value = counters[lv] or self.overrides.get((num_id, lv), level.start)
            text = text.replace(f"%{lv + 1}", _format(value, level.fmt))
        return text


def _format(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = ""
        while n > 0:
            n, r = divmod(n - 1, 26)
            s = chr(ord("a") + r) + s
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        s = _roman(n)
        return s if fmt == "upperRoman" else s.lower()
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + sym, n - value
    return out


@dataclass
class _Styles:
    """Paragraph styles: heading level and style-linked numbering, following ``basedOn``."""

    heading: dict[str, int] = field(default_factory=dict)
    numbering: dict[str, tuple[str, int]] = field(default_factory=dict)

    @classmethod
    def parse(cls, xml: bytes | None) -> _Styles:
        out = cls()
        if not xml:
            return out
        root = etree.fromstring(xml, _PARSER)
        based: dict[str, str] = {}
        for st in root.iterfind("w:style", NS):
            sid = st.get(_w("styleId"), "")
            name = (_val(st.find("w:name", NS)) or sid).lower()
            if m := re.fullmatch(r"heading\s*(\d)", name):
                out.heading[sid] = int(m.group(1))
            elif name == "title":
                out.heading[sid] = 1
            outline = _val(st.find("w:pPr/w:outlineLvl", NS))
            if outline is not None and sid not in out.heading and outline.isdigit() and int(outline) < 9:
                out.heading[sid] = int(outline) + 1
            num = st.find("w:pPr/w:numPr", NS)
            if num is not None:
                out.numbering[sid] = (_val(num.find("w:numId", NS)) or "",
                                      int(_val(num.find("w:ilvl", NS)) or 0))
            parent = _val(st.find("w:basedOn", NS))
            if parent:
                based[sid] = parent
        for sid, parent in based.items():
            seen = {sid}
            while parent and parent not in seen:
                seen.add(parent)
                if sid not in out.numbering and parent in out.numbering:
                    out.numbering[sid] = out.numbering[parent]
                parent = based.get(parent, "")
        return out


class _Reader:
    """Walks ``document.xml`` once, writing one block per paragraph or table."""

    def __init__(self, zf: zipfile.ZipFile, notes: LoadNotes) -> None:
        names = set(zf.namelist())

        def part(name: str) -> bytes | None:
            return zf.read(name) if name in names else None

        self.notes = notes
        self.numbering = Numbering.parse(part("word/numbering.xml"))
        self.styles = _Styles.parse(part("word/styles.xml"))
        self.footnote_text = _footnotes(part("word/footnotes.xml"))
        self.footnote_numbers: dict[str, int] = {}
        self.document = etree.fromstring(zf.read("word/document.xml"), _PARSER)

    def blocks(self) -> list[str]:
        body = self.document.find("w:body", NS)
        out: list[str] = []
        if body is not None:
            self._container(body, out)
        for fid, n in self.footnote_numbers.items():
            out.append(f"<sup>{n}</sup> {self.footnote_text.get(fid, '').strip()}")
        return [b for b in out if b.strip()]

    def _container(self, el: etree._Element, out: list[str]) -> None:
        for child in el:
            tag = etree.QName(child).localname
            if tag == "p":
                out.append(self._paragraph(child))
            elif tag == "tbl":
                out.append(self._table(child))
            elif tag in ("sdt", "customXml", "ins"):
                content = child.find("w:sdtContent", NS) if tag == "sdt" else child
                if content is not None:
                    self._container(content, out)

    def _paragraph(self, p: etree._Element) -> str:
        text = "".join(self._runs(p)).strip(" ")
        style = _val(p.find("w:pPr/w:pStyle", NS)) or ""
        level = self.styles.heading.get(style)
        outline = _val(p.find("w:pPr/w:outlineLvl", NS))
        if level is None and outline is not None and outline.isdigit() and int(outline) < 9:
            level = int(outline) + 1
        label = self._number(p, style)
        if label:
            self.notes.numbered_by_list_markup += 1
            text = f"{label} {text}" if label != "•" else f"• {text}"
        # A bare letter and a tab is the Council of Europe's sub-item "a": written "a)" so it reads as one.
        text = RE_BARE_LETTER_TAB.sub(r"\1) ", text)
        text = RE_LEADING_MARKER_TAB.sub(r"\1 ", text).replace("\t", " ")
        if level is not None and text.strip():
            return "#" * min(level, 6) + " " + " ".join(text.split())
        return text

    def _number(self, p: etree._Element, style: str) -> str:
        num = p.find("w:pPr/w:numPr", NS)
        if num is not None:
            num_id = _val(num.find("w:numId", NS)) or ""
            ilvl = int(_val(num.find("w:ilvl", NS)) or 0)
        elif style in self.styles.numbering:
            num_id, ilvl = self.styles.numbering[style]
        else:
            return ""
        return self.numbering.label(num_id, ilvl)

    def _runs(self, el: etree._Element) -> list[str]:
        """Visible text in document order: runs, hyperlinks, insertions, field results."""
        out: list[str] = []
        for child in el:
            tag = etree.QName(child).localname
            if tag == "r":
                out.append(self._run(child))
            elif tag == "del":
                self.notes.tracked_deletions += 1
            elif tag in ("hyperlink", "ins", "smartTag", "fldSimple", "sdt", "sdtContent", "customXml"):
                if tag == "ins":
                    self.notes.tracked_insertions += 1
                out += self._runs(child)
        return out

    def _run(self, r: etree._Element) -> str:
        superscript = _val(r.find("w:rPr/w:vertAlign", NS)) == "superscript"
        parts: list[str] = []
        for child in r:
            tag = etree.QName(child).localname
            if tag == "t":
                parts.append(child.text or "")
            elif tag == "tab":
                parts.append("\t")
            elif tag in ("br", "cr"):
                parts.append(" ")
            elif tag == "noBreakHyphen":
                parts.append("-")
            elif tag == "footnoteReference":
                fid = child.get(_w("id"), "")
                n = self.footnote_numbers.setdefault(fid, len(self.footnote_numbers) + 1)
                parts.append(f"<sup>{n}</sup>")
        text = "".join(parts)
        if superscript and re.fullmatch(r"\s*(\d{1,3}|[*†‡])\s*", text):
            return f"<sup>{text.strip()}</sup>"
        return text

    def _table(self, tbl: etree._Element) -> str:
        rows = []
        for tr in tbl.iterfind("w:tr", NS):
            cells = []
            for tc in tr.iterfind("w:tc", NS):
                paras = [" ".join("".join(self._runs(p)).split()) for p in tc.iterfind(".//w:p", NS)]
                cells.append(" ".join(x for x in paras if x))
            rows.append("\t".join(cells))
        return "\n".join(r for r in rows if r.strip())


def _footnotes(xml: bytes | None) -> dict[str, str]:
    if not xml:
        return {}
    root = etree.fromstring(xml, _PARSER)
    out = {}
    for fn in root.iterfind("w:footnote", NS):
        if fn.get(_w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        texts = []
        for p in fn.iterfind(".//w:p", NS):
            t = "".join(
                x.text or "" for x in p.iter(_w("t"))
                if not any(etree.QName(a).localname == "del" for a in x.iterancestors())
            )
            texts.append(t)
        out[fn.get(_w("id"), "")] = " ".join(" ".join(texts).split())
    return out


def load_docx(path: Path, notes: LoadNotes) -> str:
    """Parser-ready text of a DOCX file."""
    with zipfile.ZipFile(path) as zf:
        reader = _Reader(zf, notes)
        blocks = reader.blocks()
    notes.footnotes = len(reader.footnote_numbers)
    return "\n\n".join(blocks)
