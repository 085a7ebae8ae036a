"""Render a structured instrument (treaty, resolution, report, principles and guidelines) as the PDF,
DOCX and HTML a user would have, in the layout conventions of UN and Council of Europe documents, so
``check_citations.py`` can be run on layouts the development set does not have.

An instrument is a list of items:
    ("title", text) | ("heading", text) | ("article", number, title) | ("preamble", text)
    ("para", number or None, text) | ("sub", marker, text) | ("subsub", marker, text)
Footnotes: "^n" after a word in a paragraph, with the note text in ``notes[n]``.
The texts are written for these fixtures in the style of the instruments; they are not UN texts.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path

from tests.docxmaker import footnote_ref, make_docx, para
from tests.pdfmaker import LayoutPdf

Item = tuple[str, ...]


@dataclass
class Instrument:
    """One document and how it is laid out."""

    stem: str
    symbol: str
    title: str
    items: list[Item]
    checks: list[tuple[str, str]]
    notes: dict[str, str] = field(default_factory=dict)
    coe: bool = False  # Council of Europe style: "Article 4 – Title", "1 Text", "a) item"
    columns: int = 1
    footer: str = "{n}/{total}"
    job_number: str = ""
    body: str = "United Nations"
    kind: str = "treaty"


def _sub_marker(inst: Instrument, marker: str) -> str:
    return f"{marker})" if inst.coe else f"({marker})"


def _num(inst: Instrument, number: str) -> str:
    return f"{number}" if inst.coe else f"{number}."


# ----------------------------------------------------------------------------- PDF
def render_pdf(inst: Instrument, path: Path) -> Path:
    doc = LayoutPdf(header=inst.symbol.split(",")[0], footer=inst.footer, job_number=inst.job_number,
                    columns=inst.columns)
    for item in inst.items:
        kind = item[0]
        if kind == "title":
            doc.heading(item[1], 14, full_width=True)
        elif kind == "heading":
            doc.heading(item[1], 11.5, centred=not inst.coe)
        elif kind == "article":
            if inst.coe:
                doc.heading(f"Article {item[1]} – {item[2]}", 10, centred=False)
            else:
                doc.heading(f"Article {item[1]}", 10)
                doc.heading(item[2], 10, bold=False)
        elif kind == "preamble":
            doc.paragraph(item[1], first=18, notes=_notes(inst))
        elif kind == "para":
            text = f"{_num(inst, item[1])} {item[2]}" if item[1] else item[2]
            doc.paragraph(text, notes=_notes(inst), hyphenate=True)
        elif kind == "sub":
            doc.paragraph(f"{_sub_marker(inst, item[1])} {item[2]}", indent=22, notes=_notes(inst))
        elif kind == "subsub":
            doc.paragraph(f"{_sub_marker(inst, item[1])} {item[2]}", indent=40, notes=_notes(inst))
    return doc.save(path)


def _notes(inst: Instrument) -> list[tuple[str, str]]:
    return list(inst.notes.items())


# ----------------------------------------------------------------------------- DOCX
def _docx_runs(text: str, notes: dict[str, int]) -> list[str]:
    out: list[str] = []
    for word in text.split(" "):
        if "^" in word:
            word, marker = word.split("^", 1)
            out += [word, footnote_ref(notes.setdefault(marker, len(notes) + 1))]
            out.append(" ")
        else:
            out.append(word + " ")
    out[-1] = out[-1].rstrip()
    return [o for o in out if o]


def render_docx(inst: Instrument, path: Path) -> Path:
    ids: dict[str, int] = {}
    body: list[str] = []
    for item in inst.items:
        kind = item[0]
        if kind == "title":
            body.append(para(item[1], style="Title"))
        elif kind == "heading":
            body.append(para(item[1], style="Heading1"))
        elif kind == "article":
            if inst.coe:
                body.append(para(f"Article {item[1]} – {item[2]}", style="Heading2"))
            else:
                body += [para(f"Article {item[1]}", style="Heading2"), para(item[2], style="Heading3")]
        elif kind in ("preamble",):
            body.append(para(*_docx_runs(item[1], ids)))
        elif kind == "para":
            lead = f"{_num(inst, item[1])}\t" if item[1] else ""
            body.append(para(lead, *_docx_runs(item[2], ids)))
        elif kind in ("sub", "subsub"):
            body.append(para(f"{_sub_marker(inst, item[1])}\t", *_docx_runs(item[2], ids)))
    notes = {fid: inst.notes[marker] for marker, fid in ids.items()}
    return make_docx(path, body, footnotes=notes)


# ----------------------------------------------------------------------------- HTML
CHROME_TOP = """<a class="skip" href="#main">Skip to main content</a>
<div class="topbar"><span>Welcome to the United Nations</span><a href="#">English</a><a href="#">Français</a></div>
<header class="site-header"><a class="logo" href="#">Human Rights Treaties<span>Library</span></a>
<form class="search" role="search"><input type="search" placeholder="Search"></form></header>
<nav class="main-nav"><ul><li><a href="#">Home</a></li><li><a href="#">Instruments</a></li></ul></nav>
<nav class="breadcrumb"><a href="#">Home</a> › <a href="#">Instruments</a> › {title}</nav>"""
CHROME_BOTTOM = """<aside class="sidebar"><h2>Share</h2><ul><li><a href="#">Email</a></li></ul>
<h2>Related</h2><ul><li><a href="#">Other instruments</a></li></ul></aside>
<footer class="site-footer"><p>Library of instruments · Contact · Privacy</p></footer>"""


def _html_text(text: str, inst: Instrument) -> str:
    out = []
    for word in text.split(" "):
        if "^" in word:
            word, marker = word.split("^", 1)
            out.append(f"{html.escape(word)}<sup>{marker}</sup>")
        else:
            out.append(html.escape(word))
    return " ".join(out)


def render_html(inst: Instrument, path: Path) -> Path:
    parts: list[str] = []
    open_lists: list[str] = []  # "paras" | "subs" | "subsubs"

    def close_to(depth: int) -> None:
        while len(open_lists) > depth:
            open_lists.pop()
            parts.append("</li></ol>")

    for item in inst.items:
        kind = item[0]
        if kind in ("title", "heading", "article", "preamble") or (kind == "para" and not item[1]):
            close_to(0)
        if kind == "title":
            parts.append(f"<h1>{html.escape(item[1])}</h1>")
        elif kind == "heading":
            parts.append(f"<h2>{html.escape(item[1])}</h2>")
        elif kind == "article":
            parts.append(f"<h3>Article {item[1]} <small>{html.escape(item[2])}</small></h3>")
        elif kind == "preamble":
            parts.append(f"<div class='pp'>{_html_text(item[1], inst)}</div>")
        elif kind == "para" and not item[1]:
            parts.append(f"<p>{_html_text(item[2], inst)}</p>")
        elif kind == "para":
            close_to(1)
            if open_lists:
                parts.append(f"</li><li value='{item[1]}'><p>{_html_text(item[2], inst)}</p>")
            else:
                parts.append(f"<ol class='paras' start='{item[1]}'><li><p>{_html_text(item[2], inst)}</p>")
                open_lists.append("paras")
        elif kind in ("sub", "subsub"):
            depth = 1 if kind == "sub" else 2
            base = len([x for x in open_lists if x == "paras"])
            close_to(base + depth)
            list_type = "a" if kind == "sub" else "i"
            if len(open_lists) == base + depth:
                parts.append(f"</li><li>{_html_text(item[2], inst)}")
            else:
                parts.append(f"<ol type='{list_type}'><li>{_html_text(item[2], inst)}")
                open_lists.append("subs" if kind == "sub" else "subsubs")
    close_to(0)
    if inst.notes:
        notes = "".join(f"<li id='fn{m}'>{html.escape(t)}</li>" for m, t in inst.notes.items())
        parts.append(f"<div class='footnotes'><ol>{notes}</ol></div>")
    page = (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(inst.title)}"
            f"</title></head><body>{CHROME_TOP.format(title=html.escape(inst.title))}<main id='main'>"
            f"<article><p class='doc-type'>{html.escape(inst.kind)}</p>{''.join(parts)}</article>"
            f"{CHROME_BOTTOM}</main></body></html>")
    path.write_text(page, encoding="utf-8")
    return path


def write_set(folder: Path, instruments: list[Instrument]) -> None:
    """FOLDER/files/STEM.{pdf,docx,html} and FOLDER/checks.json, the layout check_citations.py reads."""
    (folder / "files").mkdir(parents=True, exist_ok=True)
    docs = []
    for inst in instruments:
        render_pdf(inst, folder / "files" / f"{inst.stem}.pdf")
        render_docx(inst, folder / "files" / f"{inst.stem}.docx")
        render_html(inst, folder / "files" / f"{inst.stem}.html")
        docs.append({"stem": inst.stem, "symbol": inst.symbol, "body": inst.body, "type": inst.kind,
                     "date": "2024", "title": inst.title, "chrome": [inst.symbol.split(",")[0]],
                     "checks": [list(c) for c in inst.checks]})
    (folder / "checks.json").write_text(json.dumps({"docs": docs}, indent=1, ensure_ascii=False), encoding="utf-8")
