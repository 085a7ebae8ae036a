"""A document's own details, read from the file when the person adding it leaves them empty.

A lawyer cites "A/RES/55/25, annex III, art. 8(2)", not the name the file happened to be saved under.
UN documents print what a citation needs on their first page: the masthead carries the symbol
("United Nations  A/RES/55/25"), often the issuing organ ("General Assembly", "Committee on the
Elimination of Discrimination against Women") and the date ("Distr.: General 20 November 2020");
an annexed instrument says "Annex III" above its title; a PDF repeats the symbol as its running
header; a web page states it in a meta box. This module reads those, in this order of trust:

1. what the file declares outside its text (``LoadNotes.declared``: an HTML page's meta box, and its
   ``<title>`` when the page's own heading says the same);
2. the running header, when it is a symbol;
3. the opening lines, before the first paragraph: masthead, adoption line, annex line, issuing body,
   title, date (``_from_opening``); then a page ``<title>`` no heading confirmed;
4. the file name ("A_RES_55_25_….pdf"), for the symbol only, and only when the text itself names
   the symbol's number ("resolution 55/25").

Nothing is guessed beyond that: a field with no evidence stays empty, and ``tipguide add`` prints
what was read and where, so a wrong reading can be corrected in ``sources.toml`` (or typed at
``add``: a typed field always wins, ``completed``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from assistant.ingest.notes import LoadNotes
from assistant.text import MONTHS, RE_JOB_NUMBER, RE_SERIES_LINE, RE_SYMBOL, iso_date, unshouted

# The Council of Europe's treaty numbers ("CETS No. 197"), which its instruments are cited by.
RE_TREATY_SERIES = re.compile(r"\b(C?ETS|Council of Europe Treaty Series|European Treaty Series)\s*[-–]?\s*"
                              r"(?:No\.?\s*)?(\d{1,3})\b")
SERIES_ABBREVIATIONS = {"council of europe treaty series": "CETS", "european treaty series": "ETS"}
RE_ANNEX_LINE = re.compile(r"^annex(?:\s+([IVXLC]{1,6}|\d{1,2}))?$", re.I)
RE_ANNEX_SUFFIX = re.compile(r",?\s+annex(?:\s+([IVXLC]{1,6}|\d{1,2}))?$", re.I)
# Lines of a UN masthead that are neither title nor body: distribution, language, session, agenda.
RE_MASTHEAD = re.compile(
    r"^(?:united nations|nations unies|distr\.|original:|limited|general$|restricted|"
    r"(?:item|items) [\w ,()]+ of the (?:provisional )?agenda|agenda item|"
    r"\w+(?:-\w+)? (?:session|meeting)\b|(?:resolution )?adopted by|published on|\[?on the report of|"
    r"[A-Z][a-z]+, \d{1,2}(?:[-–]\d{1,2}| and \d{1,2})? \w+ \d{4}$|[A-Z][a-z]+, \d{1,2}\.[IVX]{1,4}\.\d{4}$|[A-Z][a-z]+, (?:19|20)\d\d$)",
    re.I,
)
# Issuing organs as mastheads name them (the first page's own wording, not a list of aliases).
RE_BODY_LINE = re.compile(
    r"^(General Assembly|Security Council|Economic and Social Council|Human Rights Council|"
    r"Council of Europe|Commission on [A-Z][\w ,]+|Committee (?:on|against) (?:the )?[A-Z][\w ,]+|"
    r"Conference of the Parties to the [A-Z][\w ]+|Working Group on (?:the )?[A-Z][\w ]+|"
    r"United Nations Office on Drugs and Crime|Office of the United Nations High Commissioner for [A-Z][\w ]+|"
    r"Group of Experts on [A-Z][\w ]+|International Labour Organization|International Organization for Migration|"
    r"General Conference of the International Labour Organization|"
    r"Inter-Agency Coordination Group against Trafficking in Persons)\b"
)
# The organ a symbol's series belongs to, most specific first (the UN's symbol series).
SYMBOL_BODIES = (
    ("CTOC/COP/WG.4", "Working Group on Trafficking in Persons"),
    ("CTOC/COP/WG.7", "Working Group on the Smuggling of Migrants"),
    ("CTOC/COP", "Conference of the Parties to the United Nations Convention against Transnational Organized Crime"),
    ("CEDAW/", "Committee on the Elimination of Discrimination against Women"),
    ("CRC/", "Committee on the Rights of the Child"),
    ("A/HRC/", "Human Rights Council"),
    ("E/CN.15/", "Commission on Crime Prevention and Criminal Justice"),
    ("E/CN.4/", "Commission on Human Rights"),
    ("A/", "General Assembly"),
    ("E/", "Economic and Social Council"),
    ("S/", "Security Council"),
    ("CETS", "Council of Europe"),
    ("ETS", "Council of Europe"),
)
# What kind of instrument a title or symbol names, first match wins: a resolution by its symbol's
# series or its number heading the title ("79/415. Strengthening …"); the rest by the title's words.
TYPE_RULES = (
    (re.compile(r"^(?:(?:[A-Z][\w-]*|of)\s+){0,4}(?:Protocol|Convention|Treaty|Agreement|Covenant)\b"), "treaty"),
    (re.compile(r"^General (?:recommendation|comment)\b", re.I), "general recommendation"),
    (re.compile(r"^[A-Z]{1,6}(?:/[\w.]+)*/RES/|^\d{1,3}/\d{1,4}\.\s"), "resolution"),
    (re.compile(r"\b(?:Principles|Guidelines)\b"), "soft law"),
    (re.compile(r"\bbackground paper\b", re.I), "background paper"),
    (re.compile(r"\b(?:report|addendum)\b", re.I), "report"),
    (re.compile(r"\b(?:toolkit|guidance|handbook|manual|issue paper|guide)\b", re.I), "guidance/toolkit"),
)
# Where the opening ends: the first paragraph, article, preamble, contents or numbered heading.
RE_BODY_START = re.compile(
    r"^(?:preamble|contents|table of contents|introduction|summary|abstract|"
    r"(?:article|principle|guideline|chapter) (?:1|I|one)\b|"
    r"(?:[IVX]+|[A-H])\.\s|\(\w{1,4}\)\s|the states parties\b|the general assembly,)",
    re.I,
)
# "Tiphanie Crittin, Human Trafficking … Section, UNODC": a presenter's line, not the title.
RE_AUTHOR = re.compile(r"^(?:Dr\.? |Prof\.? )?(?!United )[A-Z][a-z]+(?: [A-Z]\.)? [A-Z][a-zA-Z'’-]+, ")
RE_NUMBERED_LINE = re.compile(r"^\d{1,2}\.\s")
RE_TITLE_SUFFIX = re.compile(r"\s+\|\s.*$")  # a page title's site name: " | OHCHR", " | Council of Europe – Treaty Office"
RE_SPLIT_DATE = re.compile(rf"\b(\d{{1,2}})\b.{{0,12}}?\b({'|'.join(MONTHS)})\b.{{0,20}}?\b((?:19|20)\d\d)\b", re.I)
RE_PLACE_YEAR = re.compile(r"^[A-Z][a-z]+, ((?:19|20)\d\d)$")  # a publication's "Vienna, 2024"
RE_AGENDA = re.compile(r"^(?:items? [\w ,()]+ of the (?:provisional )?agenda|agenda items? \S+)", re.I)
# A line that is only a date or a span of dates ("18 June–12 July 2024"): a session's dates.
RE_DATE_LINE = re.compile(rf"^[\d\s–-]*(?:(?:{'|'.join(MONTHS)})[\d\s–-]*)+(?:19|20)\d\d$", re.I)
RE_SENTENCE_BREAK = re.compile(r"[a-z]{2}\. [A-Z]")  # "… 14 September 2023. © UNHCR": prose, not a title
RE_ADOPTED_BY = re.compile(r"^(?:resolution )?adopted by (?:the )?(.+?)(?:,| at its | on | in its |$)", re.I)
RE_ADOPTION = re.compile(r"^(?:resolution )?adopted\b", re.I)
RE_RESOLUTION_NUMBER = re.compile(r"^\d{1,3}/\d{1,4}\.\s+")
RE_PAREN_YEAR = re.compile(r"\((?:19|20)\d\d\)")
MAX_OPENING_LINES = 25
MAX_TITLE_CHARS = 300
_SMALL_WORDS = frozenset({"of", "the", "and", "in", "on", "for", "against", "to", "a", "an", "by", "with", "or"})


@dataclass
class ReadMetadata:
    """Fields read from a file, each with where it was read (for the report ``add`` prints)."""

    fields: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    subtitle: str = ""  # the opening's other lines ("Background paper prepared by the Secretariat")

    def set(self, name: str, value: str, source: str) -> None:
        """Keep the first reading of a field (readers run in order of trust)."""
        value = " ".join(value.split()).strip(" ,;")
        if value and name not in self.fields:
            self.fields[name] = value
            self.sources[name] = source


def read_metadata(text: str, notes: LoadNotes, path: Path) -> ReadMetadata:
    """Title, symbol, issuing body, type and date of a loaded file, as far as the file states them."""
    meta = ReadMetadata()
    opening = opening_lines(text)
    _from_declared(meta, notes, [line.text for line in opening])
    _from_running_header(meta, notes)
    _from_opening(meta, opening)
    if notes.declared.get("title"):  # a site's own page title ("Full list - Treaty Office"): last resort
        meta.set("title", RE_TITLE_SUFFIX.sub("", notes.declared["title"]), "page title")
    _from_file_name(meta, path, text)
    _annex(meta, [line.text for line in opening])
    _derived(meta)
    return meta


def completed(given: dict[str, str], read: ReadMetadata) -> dict[str, str]:
    """The fields the user typed, and for each one left empty what the file states."""
    return {**read.fields, **{k: v for k, v in given.items() if v}}


class Line(NamedTuple):
    """A line of the opening, and its markdown heading level (0 for body text)."""

    text: str
    level: int


def opening_lines(text: str) -> list[Line]:
    """The document's lines before its first paragraph, without markdown marks; a masthead's
    table cells ("United Nations<TAB>A/RES/55/25") as lines of their own."""
    out: list[Line] = []
    for raw in text.splitlines():
        level = len(raw) - len(raw.lstrip("#"))
        for cell in raw.split("\t"):
            line = re.sub(r"</?sup>", " ", cell)
            line = re.sub(r"^[#>*_\s]+|[*_]+\s*$|[*_]{2}|\\(?=\W)", " ", line).strip()
            line = " ".join(line.split())
            if not line:
                continue
            if _starts_body(line):
                return out
            out.append(Line(line, level))
            if len(out) >= MAX_OPENING_LINES:
                return out
    return out


def _starts_body(line: str) -> bool:
    """The first paragraph, article, preamble, contents or numbered heading — not a breadcrumb's
    "1. Home" (a numbered line counts when it reads as a paragraph)."""
    if RE_NUMBERED_LINE.match(line):
        return len(line) > 60
    opener = line.startswith("The ") and line.endswith(",") and len(line.split()) <= 12  # "The Security Council,"
    return opener or bool(RE_BODY_START.match(line)) or (len(line) > 200 and line.endswith((".", ",", ":", ";")))


def _from_declared(meta: ReadMetadata, notes: LoadNotes, opening: list[str]) -> None:
    """The page's meta box; its ``<title>`` when the page's own heading says the same."""
    declared = notes.declared
    if declared.get("symbol") and RE_SYMBOL.fullmatch(RE_ANNEX_SUFFIX.sub("", declared["symbol"])):
        meta.set("symbol", RE_ANNEX_SUFFIX.sub(lambda m: _annexed("", m.group(1)), declared["symbol"]), "page meta box")
    if declared.get("date") and (date := iso_date(declared["date"])):
        meta.set("date", date, "page meta box")
    if declared.get("body") and _body_line(declared["body"]):
        meta.set("body", _body_line(declared["body"]), "page meta box")
    title = RE_TITLE_SUFFIX.sub("", declared.get("title", ""))
    if title and any(_same_words(title, line) for line in opening):
        meta.set("title", title, "page title")


def _same_words(a: str, b: str) -> bool:
    """Two renderings of one heading: the same words, one perhaps cut short."""
    x, y = (re.findall(r"\w+", t.lower()) for t in (a, b))
    short, long = sorted((x, y), key=len)
    return bool(short) and len(short) >= 0.6 * len(long) and short == long[: len(short)]


def _from_running_header(meta: ReadMetadata, notes: LoadNotes) -> None:
    for line, _count in notes.running_texts.most_common():
        if RE_SYMBOL.fullmatch(line.strip()):
            meta.set("symbol", line.strip(), "running header")
        elif series := _treaty_series(line):
            meta.set("symbol", series, "running header")


def _from_opening(meta: ReadMetadata, lines: list[Line]) -> None:
    """Masthead symbol, date and body, then the title (``_title_runs``, ``_choose_title``)."""
    for opening in lines:  # a resolution is dated by its adoption and issued by its adopter
        if RE_ADOPTION.match(opening.text) and (date := iso_date(opening.text)):
            meta.set("date", date, "adoption line")
        if (by := RE_ADOPTED_BY.match(opening.text)) and (body := _body_line(by.group(1))):
            meta.set("body", body, "adoption line")
    for i, (line, _level) in enumerate(lines):
        if symbol := _masthead_symbol(line):
            meta.set("symbol", symbol, "masthead")
        if date := _masthead_date(line, lines[i - 1].text if i else ""):
            meta.set("date", date, "masthead")
    segments, body = _title_runs(lines)
    if body:
        meta.set("body", body, "masthead")
    if title := _choose_title(segments):
        title = RE_RESOLUTION_NUMBER.sub("", title)[:MAX_TITLE_CHARS]
        # a cover in capitals, as a catalogue writes it
        meta.set("title", _title_case(title) if unshouted(title) != title else title, "opening lines")
    meta.subtitle = " ".join(" ".join(line.text for line in run) for runs in segments for run in runs)


def _choose_title(segments: list[list[list[Line]]]) -> str:
    """The title: from the last stretch of the opening (after the masthead) holding a run that can
    be one (three words or more, not prose or a credit line: "Part 1" and "ISSUE PAPER" are labels
    above a title, a photo credit follows it) — set as a heading, if the file marks headings — the
    most prominent, and of equally prominent ones the first ("Report of the Special Rapporteur …"
    comes after the title)."""
    for headed_only in (True, False):  # a heading, where the file marks any, before body text
        for runs in reversed(segments):
            texts = [" ".join(line.text for line in run) for run in runs]
            fit = [(_prominence(run), i) for i, (run, text) in enumerate(zip(runs, texts, strict=True))
                   if _can_be_title(text) and (_prominence(run) < 99 or not headed_only)]
            if fit:
                return texts[min(fit)[1]]
    every = [" ".join(line.text for line in run) for runs in segments for run in runs]
    return max(every, key=len, default="")


def _can_be_title(text: str) -> bool:
    """Three words or more, and not prose: no credit line, no sentence break, no long full sentence."""
    words = len(text.split())
    prose = bool(RE_SENTENCE_BREAK.search(text)) or (text.endswith(".") and words > 8)
    return words >= 3 and "©" not in text and not prose


def _title_runs(lines: list[Line]) -> tuple[list[list[list[Line]]], str]:
    """The runs of lines that may be the title, in stretches split by the masthead's symbol and
    organ lines (a treaty body's masthead names its Convention above the Committee: the title is in
    a later stretch), and the organ named closest above the last stretch. The run right after
    "Item 3 of the provisional agenda" is the agenda item's title (``_agenda_title``)."""
    segments: list[list[list[Line]]] = [[]]
    agenda: list[list[Line]] = []
    bodies: list[str] = []
    body_at_run, after_agenda = "", False
    broken = False  # a masthead line between two lines: they are not one title
    for line, level in lines:
        body = _body_line(line)
        bodies += [body] if body else []
        runs = segments[-1]
        if _masthead_symbol(line) or body:
            if runs:
                segments.append([])
            body_at_run = bodies[-1] if bodies else ""
        elif RE_AGENDA.match(line):
            after_agenda = True
        elif not (_is_masthead(line) or RE_ANNEX_LINE.match(line)):
            current = Line(line, level)
            if runs and not broken and _continues(runs[-1][-1], current):
                runs[-1].append(current)
            else:
                runs.append([current])
                if after_agenda:
                    agenda.append(runs[-1])
                    after_agenda = False
            broken = False
            continue
        broken = True
    kept = [[run for run in runs if not any(run is a and _agenda_title(run, runs) for a in agenda)] or runs
            for runs in segments]
    return [runs for runs in kept if runs], body_at_run or (bodies[-1] if bodies else "")


def _agenda_title(run: list[Line], runs: list[list[Line]]) -> bool:
    """The run after an agenda line names the agenda item when a run at least as prominent follows
    it (a heading of a lower or the same level); set larger than all that follows, it is the title."""
    later = runs[runs.index(run) + 1:]
    return bool(later) and _prominence(run) >= min(_prominence(r) for r in later)


def _prominence(run: list[Line]) -> int:
    """A run's heading level: 1 for "#", larger for smaller headings, 99 for body text."""
    return min((line.level for line in run if line.level), default=99)


def _body_line(line: str) -> str:
    """An issuing organ's name filling the line, or followed by more of the masthead ("Distr.:
    General", "Thirty-third session") — not the start of a title ("Council of Europe Convention …")."""
    # "UNITED NATIONS OFFICE ON DRUGS AND CRIME" on a cover is read as the name is written
    text = _title_case(line) if line.isupper() else line
    m = RE_BODY_LINE.match(text)
    if m is None:
        return ""
    words = m.group(1).split()
    for n in range(len(words), 1, -1):  # the longest name the rest of the line lets stand
        name = " ".join(words[:n])
        rest = text[len(name):] if text.startswith(name) else ""
        if RE_BODY_LINE.fullmatch(name) and (not rest.strip() or "distr." in rest.lower()
                                             or RE_MASTHEAD.match(rest.strip())):
            return name
    return ""


def _title_case(line: str) -> str:
    """A line in capitals as names and titles are written: "Office on Drugs and Crime"."""
    return " ".join(w if w.lower() in _SMALL_WORDS and i else w.capitalize()
                    for i, w in enumerate(line.lower().split()))


def _continues(previous: Line, line: Line) -> bool:
    """A title broken over lines: one heading set on two lines, a next line in lower case or
    opening with "(", a line before that ends with a comma or a small word ("… against")."""
    before, text = previous.text.rstrip(), line.text
    return (previous.level == line.level > 0) or text[:1].islower() or text[:1] in "(“\"" \
        or before.endswith((",", ":", "–", "-")) or before.rsplit(" ", 1)[-1].lower() in _SMALL_WORDS


def _masthead_symbol(line: str) -> str:
    """A symbol standing alone or ending a masthead line ("United Nations A/RES/55/25")."""
    m = RE_SYMBOL.search(line)
    if m and m.end() == len(line.rstrip()) and (m.start() == 0 or re.match(r"(?i)united nations|nations unies", line)):
        return m.group(0)
    return _treaty_series(line) if len(line) < 60 else ""


def _treaty_series(line: str) -> str:
    """"CETS No. 197" from "CETS 197 – Trafficking …" or "Council of Europe Treaty Series - No. 197"."""
    m = RE_TREATY_SERIES.search(line)
    return f"{SERIES_ABBREVIATIONS.get(m.group(1).lower(), m.group(1))} No. {m.group(2)}" if m else ""


def _masthead_date(line: str, before: str) -> str:
    """A date on a line of its own, on or after a "Distr." line, or on a masthead line ("Resolution
    adopted by the General Assembly on 17 December 2024") — not one inside a sentence."""
    if "distr." in line.lower() and not iso_date(line):
        # two masthead columns read across: "Distr.: 12 February General 2024", "20 Distr.: November …"
        return iso_date(RE_SPLIT_DATE.sub(r"\1 \2 \3", line))
    if "distr." in line.lower() or "distr." in before.lower() or RE_MASTHEAD.match(line):
        return iso_date(line) or (m.group(1) if (m := RE_PLACE_YEAR.match(line)) else "")
    return iso_date(line, whole=True)


def _is_masthead(line: str) -> bool:
    """Distribution, session, agenda, place and date, print-run and author lines."""
    return bool(RE_MASTHEAD.match(line) or RE_AUTHOR.match(line) or RE_SERIES_LINE.match(line)
                or RE_DATE_LINE.match(line) or (line.startswith("[") and line.endswith("]")) or RE_JOB_NUMBER.match(line) or iso_date(line, whole=True)
                or RE_SYMBOL.fullmatch(line) or line.isdigit())


def _from_file_name(meta: ReadMetadata, path: Path, text: str) -> None:
    """"A_RES_55_25_Annex_III…" -> A/RES/55/25, kept only if the text names "55/25" itself."""
    if "symbol" in meta.fields:
        return
    parts: list[str] = []
    for part in re.split(r"[_\s]+", path.stem):
        if not re.fullmatch(r"[A-Z]{1,6}\d*|\d+|Add\d+|Rev\d+|Corr\d+", part):
            break
        parts.append(re.sub(r"(?<=[A-Za-z])(?=\d)", ".", part) if not part.isdigit() and parts else part)
    if len(parts) >= 3 and any(p.isdigit() for p in parts):
        symbol = "/".join(parts)
        tail = "/".join(p for p in parts[-2:])
        if tail in text or symbol in text:
            meta.set("symbol", symbol, "file name, named in the text")


def _annex(meta: ReadMetadata, lines: list[str]) -> None:
    """"Annex III" above the title of an instrument annexed to a resolution: part of its symbol."""
    symbol = meta.fields.get("symbol", "")
    if not symbol or "annex" in symbol.lower():
        return
    annexes = [m.group(1) for line in lines if (m := RE_ANNEX_LINE.match(line))]
    if len(annexes) == 1:
        meta.fields["symbol"] = _annexed(symbol, annexes[0])


def _annexed(symbol: str, number: str | None) -> str:
    """"A/RES/55/25, annex III" — or ", annex" for a resolution's only annex."""
    return f"{symbol}, annex {number}" if number else f"{symbol}, annex"


def _derived(meta: ReadMetadata) -> None:
    """Body from the symbol's series, type from the title or symbol, year from "(2020)" in the title."""
    symbol, title = meta.fields.get("symbol", ""), meta.fields.get("title", "")
    for prefix, body in SYMBOL_BODIES:
        if symbol.startswith(prefix):
            meta.set("body", body, "symbol series")
            break
    # an annex is the instrument its title names, not the resolution that adopted it
    series = "" if "annex" in symbol.lower() else symbol
    for rule, kind in TYPE_RULES:
        # (what a title starts with, a treaty's name or a resolution's number, is read in the title only)
        texts = (("title", title), ("symbol", series), ("opening lines", "" if rule.pattern[0] == "^" else meta.subtitle))
        where = next((name for name, text in texts if rule.search(text)), "")
        if where:
            meta.set("type", kind, where)
            break
    if (year := RE_PAREN_YEAR.search(title)) and "date" not in meta.fields:
        meta.set("date", year.group(0).strip("()"), "title")
