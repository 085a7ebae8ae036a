"""The one home for text rules shared by ingest, index, retrieve, answer, verify, evaluate and UI:
UN-aware sentence splitting, answer citation markers ("[1]", "[1, 3]", "[2-4]"), numbers, the BM25
tokenizer (light stemming, stopwords), domain synonyms taken from the texts themselves, and spelling
correction against the texts' own vocabulary."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

# Abbreviations that end with a period inside UN sentences ("para. 12", "v. the United Kingdom",
# "A/CONF.1/Rev. 2", "E/2002/68/Add. 1").
_ABBREV = {
    "para", "paras", "art", "arts", "no", "nos", "e.g", "i.e", "mr", "ms", "mrs", "dr", "v", "vs",
    "ibid", "sect", "ed", "eds", "p", "pp", "op", "cit", "al", "etc", "cf", "fig", "annex", "vol",
    "res", "doc", "st", "u.s", "u.k", "a.n", "v.c.l", "inc", "ltd", "co", "jan", "feb", "mar", "apr",
    "aug", "sept", "oct", "nov", "dec", "chap", "approx", "resp", "messrs", "mmes", "prof", "rev",
    "add", "corr", "ch", "sub",
}

# ----------------------------------------------------------------------------- citation markers
# [1]  [1][2]  [1, 3]  [1-3]  [Source 2]  — numbers only; "[citation needed]" is left as text.
CITATION_MARKER = re.compile(
    r"\[\s*(?:sources?\s*)?(\d{1,3}(?:\s*(?:[,;]|[-–]|and)\s*\d{1,3})*)\s*\]", re.IGNORECASE
)
_MARKER_WITH_SPACE = re.compile(r"\s*" + CITATION_MARKER.pattern, re.IGNORECASE)


def marker_numbers(body: str) -> list[int]:
    """The source numbers in a marker body such as ``"1, 3"`` or ``"2-4"`` (ranges capped at 20)."""
    numbers: list[int] = []
    for part in re.split(r"\s*(?:[,;]|and)\s*", body):
        bounds = re.split(r"\s*[-–]\s*", part.strip())
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            lo, hi = int(bounds[0]), int(bounds[1])
            numbers.extend(range(lo, min(hi, lo + 20) + 1))
        elif part.strip().isdigit():
            numbers.append(int(part))
    return numbers


def markers_in(text: str) -> list[int]:
    """Every source number the citation markers of ``text`` name, in reading order."""
    return [n for m in CITATION_MARKER.finditer(text) for n in marker_numbers(m.group(1))]


def strip_markers(text: str) -> str:
    """``text`` without its citation markers (and the space before each)."""
    return _MARKER_WITH_SPACE.sub("", text).strip()


# ----------------------------------------------------------------------------- numbers
# A figure in prose; digits inside a symbol ("A/RES/55/25") or a word ("G20") are not figures.
NUMBER = re.compile(r"(?<![\w/])\d[\d,.]*\d|\b\d\b")


# A year of the last two centuries standing alone: "2025", "2019-2020", the year of "2022-06-29" —
# not one inside a symbol ("CTOC/COP/WG.4/2022/2") or a longer number.
RE_YEAR = re.compile(r"(?<![\w/.])(?:19|20)\d\d(?![\w/])")
# A period ("the Strategy (2021–2025)", "2020-30"): its last year is when it ends, not an event.
RE_YEAR_RANGE = re.compile(r"\b(?:19|20)\d\d\s*[–—-]\s*(?:(?:19|20)\d\d|\d\d)\b")


MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
MONTH_ABBREVIATIONS = {"jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june",
                       "jul": "july", "aug": "august", "sep": "september", "sept": "september",
                       "oct": "october", "nov": "november", "dec": "december"}
RE_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s+({'|'.join(MONTHS)})\s+((?:19|20)\d\d)\b", re.I)
RE_ISO_DATE = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
RE_ROMAN_MONTH_DATE = re.compile(r"\b(\d{1,2})\.(XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)\.((?:19|20)\d\d)\b")


def iso_date(text: str, whole: bool = False) -> str:
    """The first "20 November 2020" / "2020-11-20" in ``text`` as YYYY-MM-DD, "" if none (or, with
    ``whole``, if anything but the date stands on the line)."""
    m = RE_DAY_MONTH_YEAR.search(text)
    if m:
        found = f"{m.group(3)}-{MONTHS.index(m.group(2).lower()) + 1:02d}-{int(m.group(1)):02d}"
    elif m := RE_ISO_DATE.search(text):
        found = m.group(0)
    elif m := RE_ROMAN_MONTH_DATE.search(text):  # the Council of Europe's "16.V.2005"
        found = f"{m.group(3)}-{ROMAN_MONTHS.index(m.group(2)) + 1:02d}-{int(m.group(1)):02d}"
    else:
        return ""
    return "" if whole and text.strip(" .,") != m.group(0) else found


def number_tokens(text: str) -> list[str]:
    """The figures of ``text`` as written, without trailing punctuation ("1,000", "2.5", "12")."""
    return [n.rstrip(".,") for n in NUMBER.findall(text)]


# ----------------------------------------------------------------------------- print furniture
# A UN job number printed in a page margin ("V.99-01234 (E)", "GE.20-12345(E)") and a document
# symbol standing alone on a line ("A/RES/55/25", "CEDAW/C/GC/38", "E/CN.15/2024/19"): what a page
# carries about the print run and the document, not text of the document.
RE_JOB_NUMBER = re.compile(r"^[A-Z]{0,3}\.?\d{2}-\d{4,6}\s*\([A-Z]\)(?:\s+\S{0,20})?$")
RE_DOC_SYMBOL = re.compile(r"^[A-Z]{1,6}(?:/[A-Za-z0-9.]+){2,}$")
# A symbol as a token, where a document prints its own ("United Nations  A/RES/55/25"):
# "CTOC/COP/WG.4/2022/2", "E/2002/68/Add.1", the Security Council's "S/RES/2331 (2016)" and the
# Council of Europe's references ("GRETA(2026)11"); the last part holds a digit.
RE_SYMBOL = re.compile(
    r"(?<![\w/])(?:[A-Z]{1,6}(?:/[A-Za-z0-9.]*[A-Za-z0-9])*(?:/[A-Za-z0-9.]*\d[A-Za-z0-9.]*)(?: \((?:19|20)\d\d\))?"
    r"|[A-Z]{2,10}\((?:19|20)\d\d\)\d{1,3})(?![\w/])"
)
# A provision's heading with its title, as the parser writes it ("Article 18 – Return of smuggled
# migrants"); its pattern is in the index fingerprint.
RE_TITLED_PROVISION = re.compile(r"^(?:Article|Principle|Guideline|Rule|Regulation)\s+\S+\s+–\s+\S")
# The same heading as some documents print it ("Guideline 2: Identification of trafficked persons and
# traffickers", "Article 6. Criminalization"): a provision's title only in an instrument — the toolkit
# prints "Guideline 6: Protection and support…" to quote another text's guideline, and taking its
# quotes in moved the seed sets both ways and let one off-topic question past the gate.
RE_PRINTED_PROVISION = re.compile(r"^(?:Article|Principle|Guideline|Rule|Regulation)\s+\d+[A-Za-z]?\s*[:.]\s+[A-Z]")
# The number part of such a heading ("Article 18 – ", "Guideline 2: "), before the title's own words
RE_PROVISION_NUMBER = re.compile(r"^(?:Article|Principle|Guideline|Rule|Regulation)\s+\S+?\s*[–:.]\s+")
# Document types that are instruments (their own provisions are numbered and titled), as users type
# them or ``ingest.metadata`` reads them ("treaty", "soft law", "general recommendation").
RE_INSTRUMENT_TYPE = re.compile(
    r"\b(?:treat(?:y|ies)|protocols?|conventions?|covenants?|charter|principles|guidelines|rules|"
    r"general (?:recommendation|comment)s?|resolutions?|declarations?|directives?|soft law)\b", re.I)
# The publication series a treaty is printed in ("Council of Europe Treaty Series - No. 197"): a
# page heading, not a line of the treaty.
RE_SERIES_LINE = re.compile(r"^[\w ]{0,40}\bTreaty Series\b[\w .–-]{0,20}$")


# ----------------------------------------------------------------------------- acronyms
_SMALL = frozenset({"of", "the", "and", "in", "on", "for", "against", "to", "a", "an"})
_CAPITAL_RUN = re.compile(r"[A-Z][a-z]+(?:\s+(?:(?:of|the|and|in|on|for|against)\s+)*[A-Z][a-z]+)+")


def is_name_line(text: str) -> bool:
    """A line that only names something ("UNITED NATIONS Office on Drugs and Crime", "Human
    Rights Council"): every word capitalised but the small ones, no sentence around it — a masthead
    or heading left in a paragraph, never an answer."""
    words = re.findall(r"[^\W\d_][\w'’-]*", text)
    return 0 < len(words) <= 12 and not re.search(r"[.!?:;]\s*$", text.strip()) and all(
        w[0].isupper() or w.lower() in _SMALL for w in words)


def initialisms(text: str, capitalised_only: bool = True) -> set[str]:
    """Initials (lower case) of every two to five words in a row of ``text``, small words skipped:
    what an acronym may stand for ("National Referral Mechanisms" -> "nrm") — and with the small words
    kept, as mixed-case acronyms write them ("Council of Europe" -> "coe", "Victims of Trafficking" ->
    "vot"). ``capitalised_only`` reads only runs of capitalised words (for a whole corpus, where any
    letters would match)."""
    runs = [m.group(0) for m in _CAPITAL_RUN.finditer(text)] if capitalised_only else [text]
    out: set[str] = set()
    for run in runs:
        words = re.findall(r"[A-Za-z]+", run)
        initials = "".join(w[0].lower() for w in words if w.lower() not in _SMALL)
        for n in range(2, 6):
            out.update(initials[i : i + n] for i in range(len(initials) - n + 1))
        for start in range(len(words)):
            for end in range(start + 3, min(len(words), start + 6) + 1):
                span = words[start:end]  # three to six words, small ones inside: "Council of Europe"
                if span[0].lower() not in _SMALL and span[-1].lower() not in _SMALL:
                    out.add("".join(w[0].lower() for w in span))
    return out


# ----------------------------------------------------------------------------- what a question asks for
# "When is the next session?", "when will the upcoming meeting take place?": the date of an event
# still to come, which a date the texts give for a past one does not answer (``asks_future``).
_ASKS_FUTURE = re.compile(r"\b(?:when|when and where|where and when|(?:what|which) (?:date|day|week|month|year))"
                          r"(?:'s|’s| is| are| will| does| do)\b"
                          r"(?=[^?.]*\b(?:next|upcoming|forthcoming)\b)|"
                          r"\b(?:date|dates) (?:of|for) the (?:next|upcoming|forthcoming)\b|"
                          # a deadline: "by what date do States have to report back?", "by when…?"
                          r"\bby (?:what|which) (?:date|day|month|year)\b|\bby when\b|"
                          # "when is UNODC publishing Part 2?", "when will it be released?"
                          r"\bwhen (?:is|are|will) (?:\w+ ){1,6}?(?:publish|publishing|published|release|releasing|"
                          r"released|launch|launching|launched|coming out|come out)\b|"
                          # something planned: "in what year is the UN planning to adopt…?", "when is it
                          # due to be signed?"
                          r"\b(?:when|(?:what|which) (?:date|day|week|month|year))(?:'s|’s| is| are| will| does| do)\b"
                          r"(?=[^?.]*\b(?:planning|planned|plans|going|expected|scheduled|due|set) to\b)", re.I)


# "Is the consent of the victim relevant once…?", "does consent matter for either?", "the toolkit says
# consent doesn't matter if…"
RE_ASKS_BEARING = re.compile(
    r"\b(?:is|are|does|do|did|was|were|says?|said|that|whether|if)\s+"
    r"(?P<x>(?:(?!(?:is|are|was|were|does|do|did|says?|said|still|really|not|it|this|that|these|those|they|he|"
    r"she)\b)"
    r"[\w'’-]+\s+){1,8}?)(?:(?:is|are|was|were|does|do|did)\s+)?(?:(?:still|really|not|even|actually)\s+)?"
    # ("…get medical care no matter what their status is": "no matter" is "regardless", not a question)
    r"(?:(?:ir)?relevant|(?<!\bno )matters?|(?:doesn'?t|does not|do not|don'?t) matter|makes? (?:a|any) difference|"
    r"immaterial)\b",
    re.I)
# "do you still have to show force or deception", "does anyone need to show the child was forced",
# "require any proof that…", "who carries the burden of proof": what must be shown (up to "or",
# "before", "for", "to" or a stop)
RE_ASKS_PROOF = re.compile(
    r"\b(?:(?:have|has|need|needs|needed|required) to|must|should)\s+(?:\w+\s+)?(?:show|prove|establish|demonstrate)"
    # (not "I need to show which parts of the Protocol touch on technology": a display, not a proof)
    r"(?:\s+that)?\s+(?!(?:which|what|where|who|whom|whose)\b)(?P<x>(?:(?!(?:or|before|for|to|in|so|because|and)\b)[\w'’/-]+\s*){1,8})|"
    r"\brequir\w*\s+(?:any\s+)?proof\s+(?:that|of)\s+(?P<y>(?:(?!(?:or|before|for|to|in|so|and)\b)[\w'’/-]+\s*){1,8})|"
    r"\b(?P<z>(?:burden|standard) of proof|onus|(?:carries|carry|bears|bear|has) the burden)\b|"
    # "does the compulsion still have to be shown", "must the means be proven"
    r"\b(?:does|do|did|must|will|would)\s+(?P<w>(?:(?!(?:still|really|even|actually|have|has|need|needs|be)\b)"
    r"[\w'’/-]+\s+){1,6}?)(?:(?:still|really|even|actually)\s+)?(?:(?:have|has|need|needs)\s+to\s+)?be\s+"
    r"(?:shown|proven|proved|established|demonstrated)\b", re.I)
# "does trafficking require the trafficker to actually profit?": what the offence needs shown
RE_ASKS_REQUIRED = re.compile(
    r"\b(?:does|do|would)\s+(?:(?:human|the)\s+)?(?:offen[cs]e\s+of\s+)?(?:trafficking|smuggling)(?:\s+in\s+persons|"
    r"\s+of\s+migrants)?(?:\s+offen[cs]e)?\s+(?:(?:still|really|even|actually|always)\s+)?(?:require|need)\s+"
    r"(?P<x>(?:(?!(?:or|before|in|so|because|and)\b)[\w'’/-]+\s*){1,8})", re.I)
# "Is an employer keeping someone's passport enough on its own to make it trafficking?", "would a
# debt alone be sufficient for…": whether one circumstance suffices
RE_ASKS_SUFFICIENT = re.compile(
    r"\b(?:is|are|was|were|would|will|does|do|could)\s+(?P<x>(?:(?!(?:it|this|that|these|those|they|he|she)\b)"
    r"[\w'’-]+\s+){1,8}?)(?:(?:alone|by\s+itself|on\s+its\s+own|in\s+itself)\s+)?(?:be\s+)?(?:enough|sufficient)\b"
    r"(?:\s+(?:on\s+its\s+own|by\s+itself|alone|in\s+itself))?\s+(?:to|for)\b", re.I)
# "Is debt bondage actually named in the Protocol's list of forms of exploitation?", "quick q: is
# 'fraud' listed as one of the means?": whether one thing is among those a text lists, asked yes or no
# at the start of a question (``x``); "…, or does it only cover sex and labour?" (``horn``) is the other
# answer the question allows
RE_ASKS_MEMBERSHIP = re.compile(
    # (also after a place put first: "In the UN trafficking definition, is 'receipt' of a person one of the acts?")
    r"(?:^|[.?!:;]\s*|\s-\s+|(?:^|[.?!]\s*)(?:in|under|within|according\s+to)\s+(?:[\w'’-]+\s+){0,7}?[\w'’-]+,\s+)"
    r"(?:so\s+|and\s+|but\s+)?(?:is|are)\s+(?P<x>(?!(?:it|this|that|these|those|they|there)\b)"
    r"(?:[^?.;:]|\.(?!\s))(?:e\.g\.|i\.e\.|[^?.;:]|\.(?!\s)){2,90}?)\s+(?:(?:actually|really|also|even|explicitly|specifically|expressly|still)\s+)?"
    # (not a person's standing: "is the sister who paid counted as a smuggler too?" asks what she is)
    r"(?:(?:listed|named|mentioned|included|counted|recogni[sz]ed)\s+(?:as|among|in|under|by)\b"
    r"(?!\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+)?(?:smugglers?|traffickers?|offenders?|accomplices?|criminals?"
    r"|perpetrators?)\b)|"
    r"one\s+of\s+the\s+(?:[\w-]+\s+)?(?:means|forms|elements|acts|purposes|types|kinds|grounds)\b)"
    r"(?:[^?]*?,?\s+or\s+(?:does|do|is|are|did|would)\s+(?:it|they|the\s+\w+(?:\s+\w+)?)\s+only\s+(?P<horn>[^?]+))?",
    re.I)
# "Which of the five documents actually mention trafficking for the removal of organs?", "do any of
# the documents name agriculture as a sector…?": whether the texts name one thing at all
RE_ASKS_MENTIONED = re.compile(
    r"\b(?:(?:do|does|did)\s+(?:any\s+of\s+)?|which\s+of\s+)(?:the\s+|these\s+|those\s+|its\s+)?(?:[\w'’-]+\s+){0,3}?"
    r"(?:documents?|texts?|toolkit|paper|slides|recommendations|report|contribution|protocol|materials?)\s+"
    r"(?:(?:actually|even|specifically|explicitly|ever)\s+)?(?:mentions?|names?)\s+"
    # (not the user's examples in brackets: "what forms does the toolkit mention (farm work, begging…)?")
    r"(?P<x>(?!(?:it|this|that|these|those|them|anything|any|which|what|who|as)\b|\()[^?.;:,(]{3,80}?)"
    r"(?=\s+(?:as|at\s+all|specifically|anywhere|and\s+what|and\s+how)\b|\s*[?.;:,]|\s*$)", re.I)
# The indexed texts as a question calls them ("these documents", "the toolkit", "any of the texts")
_THE_TEXTS = (r"in\s+(?:the\s+|these\s+|those\s+|any\s+of\s+the\s+)?(?:documents?|texts?|toolkit|paper|slides"
              r"|recommendations|report|materials?|protocol|treaty)\b")
# "Is debt bondage in these documents?", "are older people anywhere in the toolkit?": whether the
# texts name a thing at all, asked as where it is
RE_ASKS_IN_TEXTS = re.compile(
    r"(?:^|[.?!]\s+)(?:is|are)\s+(?P<x>(?!(?:it|this|that|there|these|those|they|he|she|we|you|i)\b)[^?.;:,(]{3,60}?)\s+"
    r"(?:(?:even|actually|really|ever|mentioned|discussed|covered|dealt\s+with|named)\s+){0,2}(?:anywhere\s+)?" + _THE_TEXTS,
    re.I)
# "Is there anything in these texts about trade unions helping people…?": the same, asked as what
# the texts hold on it (the thing ends before what it is said to do)
RE_ANYTHING_IN_TEXTS = re.compile(
    r"\b(?:is|are)\s+there\s+any(?:thing)?\s+(?:at\s+all\s+)?" + _THE_TEXTS + r"\s+(?:about|on)\s+"
    r"(?P<x>(?!(?:it|this|that|them|what|how|who)\b)[^?.;:,(]{3,60}?)"
    r"(?=\s+[a-z]+ing\b|\s+(?:and|or|in|for|when|if)\b|\s*[?.;:,]|\s*$)", re.I)
# A sentence that says what bears on something ("irrelevant", "regardless of", "need not"), what
# must be shown and by whom ("proof", "establish", "required"), or whether one thing suffices
# ("alone", "on its own", "one of several indicators")
WEIGHT_WORDS = {
    "bearing": re.compile(r"\b(?:(?:ir)?relevan\w*|matters?|regardless|irrespective|whether or not|immaterial|"
                          r"no bearing|not required|need not|does not depend|not conditional|no defen[cs]e)\b", re.I),
    "proof": re.compile(r"\b(?:proof|prov(?:e|es|en|ed|ing)|establish\w*|demonstrat\w*|shown|requir\w*|necessar\w*|"
                        r"need not|regardless|irrespective|whether or not|burden|onus)\b", re.I),
    "requirement": re.compile(r"\b(?:requir\w*|necessar\w*|need not|regardless|irrespective|whether or not|"
                              r"element\w*|not conditional|does not depend)\b", re.I),
    "sufficiency": re.compile(r"\b(?:alone|on (?:its|their) own|in (?:itself|themselves)|by (?:itself|themselves)|"
                              r"suffic\w*|enough|necessarily|indicators?|one of|combination|regardless|irrespective|"
                              r"(?:ir)?relevant)\b", re.I),
}


# Words someone in the story said, quoted ("the officer tells me to leave that part out because 'it's
# not relevant to the charge'"): what he said, not what the question asks; a quoted term ("is
# 'consent' relevant?") is not speech
RE_QUOTED_SPEECH = re.compile(r"(?<!\w)['‘\"“](?:.{5,200}?)['’\"”](?!\w)")
# The user's example of what a text might say ("do they say anything about children - for example that
# a child shouldn't have to show any compulsion at all?"): what the question is about is before it
RE_FOR_EXAMPLE = re.compile(r"[-–—,(;:]\s*(?:for\s+example|for\s+instance|e\.g\.|eg)\b[^?]*", re.I)


def asked_weight(question: str) -> tuple[str, str] | None:
    """Whether the question asks if a circumstance matters ("bearing": "is the consent of the victim
    relevant?"), must be shown ("proof": "do you have to show the child was forced?", "who carries
    the burden of proof?"), is required by the offence ("requirement": "does trafficking require the
    trafficker to profit?") or suffices on its own ("sufficiency": "is keeping a passport enough to make
    it trafficking?"), with the circumstance as written; None when it asks neither, or asks why
    something matters (reasons, which a text gives without weighing them)."""
    question = RE_QUOTED_SPEECH.sub(lambda m: " " if len(m.group().split()) >= 3 else m.group(),
                                    RE_FOR_EXAMPLE.sub(" ", question))
    m = RE_ASKS_BEARING.search(question)
    # "…every place that talks about economic or development matters": "matters" a noun, the
    # subject of what is talked about, not a verb of weight
    if m is not None and re.search(r"\b(?:about|regarding|concerning|on|covering|touching|with)\s+(?:[\w'’-]+\s+){0,4}?"
                                   r"(?:or\s+[\w'’-]+\s+)?$", m.group("x"), re.I) and \
            re.match(r"matters\b", question[m.end("x"):], re.I):
        m = None
    # "does what was done to him matter?": what happened in the story, which no text weighs by name
    if m is not None and re.search(r"\bwhat\s*$", question[:m.start()], re.I):
        m = None
    # "is that how the UN texts would see it, or does meaning well not matter?": the other answer to a
    # question asked before it in the same sentence, which a text answering that one answers
    if m is not None and re.search(r"\b(?:is|are|does|do|would|will|can|could|should)\b[^?.!]*,?\s+or\s+$",
                                   question[:m.start()], re.I):
        m = None
    # "why X matters", "…say about why X matters": reasons, wherever "why" stands before the verb;
    # "which principles does UNODC list as relevant" asks for what is listed, not whether it matters
    # "…say anything relevant, like non-refoulement?": something said, not something weighed
    if m is not None and not re.search(r"\bwhy\s*$", question[:m.start()], re.I) and \
            not re.search(r"\bwhy\b", m.group("x"), re.I) and not re.search(r"\bas\s*$", m.group("x"), re.I) and \
            not re.fullmatch(r"(?:say\s+)?(?:anything|something|nothing|everything)", m.group("x").strip(" ,?."), re.I):
        return "bearing", m.group("x").strip(" ,?.")
    if (m := RE_ASKS_PROOF.search(question)) is not None:
        return "proof", next(g for g in m.groupdict().values() if g).strip(" ,?.")
    if (m := RE_ASKS_REQUIRED.search(question)) is not None:
        return "requirement", m.group("x").strip(" ,?.")
    if (m := RE_ASKS_SUFFICIENT.search(question)) is not None:
        return "sufficiency", m.group("x").strip(" ,?.")
    return None


class Membership(NamedTuple):
    """What a question asks is among those a text lists: the ``thing`` as written, the ``horn`` — the
    other answer the question allows ("or does it only cover sex and labour?"; "" when none) — and
    ``at_all``, whether it asks if the texts name it anywhere ("which of the documents mention…?")."""

    thing: str
    horn: str
    at_all: bool


_HOW_NAMED = re.compile(r"(?:expressly|explicitly|specifically|directly|clearly|precisely|formally|literally|"
                        r"in\s+full|by\s+name|in\s+terms|word\s+for\s+word)", re.I)


# A question whose wh-word asks for the things a text names ("what kinds of offences does the paper
# mention…", "which forms does the toolkit name…")
_RE_WH_OBJECT = re.compile(r"^\W*(?:\w+\W+){0,3}?(?:what|which)\b", re.I)


# "Did the Working Group in 2020 recommend that countries consider making it a crime to knowingly use
# the services of…?": whether a text recommends one thing, which texts not naming it do not do
RE_ASKS_RECOMMENDED = re.compile(
    r"(?:^|[.?!:;]\s*)(?:so\s+|and\s+|but\s+)?(?:did|does|do)\s+(?:the\s+|any\s+of\s+the\s+)?(?:[\w'’-]+\s+){1,6}?"
    r"(?:(?:ever|actually|specifically|explicitly|also)\s+)?(?:recommend|call\s+for|urge|propose)\s+(?:that\s+)?"
    r"(?P<x>(?!(?:it|this|that|these|those|them|anything|any|what)\b)[^?.;:]{3,160}?)(?=\s*[?.;:]|\s*$)", re.I)


# The other horn of "does it mention X, or does it only talk about Y?"
# (also "…or does it just talk about Y?", "…or is the closest it gets a general reference to Y?")
_ONLY_HORN = re.compile(r"(?:\s+(?:anywhere|at\s+all|specifically|explicitly))?,?\s+or\s+(?:(?:does|do|is|are|did)\s+"
                        r"(?:it|they|the\s+\w+(?:\s+\w+)?)\s+(?:only|just)\s+(?:(?:talk|speak|refer|deal)\s+(?:about|of|to|with)\s+"
                        r"|mentions?\s+|covers?\s+|names?\s+)?|is\s+the\s+(?:closest|nearest)\s+(?:it|they)\s+(?:gets?|comes?|goes?)"
                        r"(?:\s+to\s+(?:that|it|this|them))?\s+)(?P<horn>[^?]+)", re.I)


# "list every place in the Protocol that mentions children, minors or families": where a text
# mentions something, whose paragraphs holding its words are what is asked
_EVERY_PLACE_MENTIONING = re.compile(
    r"\b(?:every|each|all(?:\s+the)?|any)\s+(?:places?|provisions?|articles?|paragraphs?|parts?|passages?|clauses?)\s+"
    r"(?:(?:in|of)\s+(?:[\w'’-]+\s+){1,8}?)?(?:that|which|where\s+(?:it|they))\s+(?:mentions?|refers?\s+to|"
    r"talks?\s+about|deals?\s+with|speaks?\s+of)\s+(?P<x>[^?.;:(]{3,80}?)"
    r"(?=\s*,?\s+(?:and|with)\s+(?:what|how|which|whether)\b|\s*[?.;:(]|\s*$)", re.I)


def word_forms(text: str) -> set[str]:
    """The words of ``text`` as written, lower-cased, each also in its other number ("crews" ->
    "crew", "crew" -> "crews"): what a text mentioning the word holds, which a stem over-reaches
    ("interpreters" is not "interpreted", "modelling" not "business model")."""
    out: set[str] = set()
    for w in re.findall(r"[a-z]+", text.lower().replace("’", "'")):
        out |= {w, f"{w}s", f"{w}es", _NUMBER_SWAP.get(w, w)}
        if w.endswith("s"):
            out |= {w[:-1], w[:-2] if w.endswith("es") else w}
    return out


def asked_mention(question: str) -> list[list[str]]:
    """The words (lower-cased, as written) of each thing a question asks whether, or where, a text
    mentions ("does the Protocol mention seafarers or ships' crews anywhere?": [["seafarers"],
    ["ships", "crews"]]), each also by its synonyms and other number ("children": "minor", "child",
    …); none when it asks neither. A paragraph holding each word in some form (``word_forms``)
    mentions it."""
    membership = asked_membership(question)
    thing = membership.thing if membership and membership.at_all else ""
    if not thing and (every := _EVERY_PLACE_MENTIONING.search(question)):
        thing = every.group("x")
    out: list[list[str]] = []
    for alternative in re.split(r",\s*(?:or\s+|and\s+)?|\s+(?:or|and|and/or)\s+", thing):
        for variant in synonyms(alternative.strip(" '‘’\"“”")) if alternative.strip() else []:
            words = [w for w in re.findall(r"[a-z]+", variant.lower()) if w not in STOPWORDS and len(w) > 1]
            if words and words not in out:
                out.append(words)
    return out


def asked_membership(question: str) -> Membership | None:
    """Whether the question asks if one thing is among those a text lists ("is 'fraud' listed as one
    of the means?") or whether the texts name it at all ("which of the documents mention…?"); None
    when it asks neither."""
    m = RE_ASKS_MEMBERSHIP.search(question)
    if m is None:
        # (not "What kinds of financial offences does the 2022 paper mention victims being made to
        # commit?": the things it names are what is asked, not whether it names one)
        named = next((n for n in RE_ASKS_MENTIONED.finditer(question) if n.group(0).lower().startswith("which")
                      or not _RE_WH_OBJECT.search(re.split(r"[.?!]\s", question[:n.start()])[-1])), None)
        thing = named.group("x").strip(" '‘’\"“”,") if named else ""
        if not thing and (where := RE_ASKS_IN_TEXTS.search(question) or RE_ANYTHING_IN_TEXTS.search(question)):
            # ("is the phrase 'without delay' actually in the Protocol?": the words quoted)
            thing = re.sub(r"^(?:the\s+)?(?:phrase|words?|term|expression|wording)\s+", "", where.group("x"), flags=re.I)
            thing = thing.strip(" '‘’\"“”,")
        if not thing and (recommended := RE_ASKS_RECOMMENDED.search(question)):
            thing = re.split(r"\s+[-–—]\s+|\s*\(|,?\s+(?:e\.g\.|eg|like|such as)\s", recommended.group("x"))[0]
        # "…mention customs authorities anywhere, or does it only talk about immigration and border
        # officials?": the other answer the question allows, which a quote naming it gives
        # (after the rest of the thing's own list: "mention satellites, radar or any other…, or is…")
        end = question.find("?", named.end()) if named else -1
        horn = _ONLY_HORN.search(question, named.end(), end if end >= 0 else len(question)) if named else None
        # "which rights does the Protocol name expressly?": how it names them, not a thing named
        return Membership(thing, horn.group("horn").strip() if horn else "", True) \
            if thing and not _HOW_NAMED.fullmatch(thing) else None
    # (the thing, not the user's example of it: "is 'fraud' - e.g. a fake promise - listed…")
    thing = re.split(r"\s+[-–—]\s+|\s*\(|,?\s+(?:e\.g\.|eg|like|such as)\s", m.group("x"))[0]
    # (a term quoted inside it loses its quotes: "'receipt' of a person" -> "receipt of a person")
    thing = re.sub(r"(?<!\w)['‘\"“]([^'‘’\"“”]+)['’\"”](?!\w)", r"\1", thing)
    return Membership(thing.strip(" '‘’\"“”,"), (m.group("horn") or "").strip(), False)


def asks_future(question: str) -> bool:
    """Does the question ask when an event still to come will be ("when is the next session")?"""
    return bool(_ASKS_FUTURE.search(question))


# Words for the signs by which something is spotted ("indicators", "red flags", "warning signs").
INDICATOR_WORDS = r"(?:indicators?|red[- ]flags?|warning signs?|tell-?tale signs?|signs)"
# "pls give a checklist": of signs to look for — unless the question says what else it is of ("the
# core principles… a checklist I can adapt", "steps… as a checklist")
_CHECKLIST_OF_SIGNS = (r"^(?![\s\S]*\b(?:principles|steps|measures|rights|safeguards|obligations|elements|actions|"
                       r"standards|questions|recommendations|vulnerabilities|risks|factors|duties|provisions?|articles?|"
                       r"guidelines?|(?:should|must|can|could|need\s+to|ought\s+to)\s+(?:\w+\s+){0,3}?do|what\s+to\s+do)\b)"
                       r"[\s\S]*\bchecklist\b")
# What a measure is of ("the minimum floor space", "what minimum altitude…"): given by a number beside it
RE_MEASURE_NAMED = re.compile(r"\b(?:minimum|maximum) (?:[\w-]+ ){0,2}(?P<measure>space|area|size|distance|altitude|height|"
                              r"depth|speed|weight|length|width|temperature|range)\b", re.I)
# A measure asked in its unit ("in square metres", ``what``) or a cut-off score: given only beside them.
RE_MEASURE_ASKED = re.compile(r"\bin (?:square )?(?P<what>metres|meters|feet|kilometres|kilometers|miles|kilograms|kg)\b"
                              # "how hot does a sealed trailer get?": a temperature, in degrees
                              r"|\bhow (?P<heat>hot|cold|warm)\b(?! (?:a |an )?(?:topic|issue|subject|potato))"
                              r"|\bcut-?off scores?\b", re.I)
# An age asked for ("the minimum age to travel alone"): a number given in years. So is the age at which
# someone stops being a child, when the question asks which one a person of some age is ("is a
# 17-year-old still a child?", "he turned 18 last month, does that make him an adult case?")
RE_AGE_ASKED = re.compile(r"\b(?:(?:minimum|maximum|min|max) age|"
                          # (not an age in doubt: "what should happen when nobody's sure how old a victim is?")
                          r"(?<!sure )(?<!know )(?<!knows )(?<!certain )(?<!clear )(?<!idea )(?<!doubt )(?<!unsure )"
                          r"(?<!tell )(?<!determine )(?<!establish )(?<!check )(?<!verify )(?<!knowing )"
                          r"how old\b(?! (?:is|are|was|were) (?:the|this|that|these|those) "
                          r"(?:texts?|documents?|papers?|slides|toolkit|protocols?|reports?|recommendations|guidance|data|figures?))|"
                          # "at what age are children most often recruited?", "is there a peak age?"
                          r"(?:at |from |by |until |up to )?what age\b(?! (?:group|bracket|range)s? (?:is|are) (?:most )?"
                          r"(?:at risk|affected|targeted))|(?:peak|average|typical|usual|median|mean|youngest|oldest|lowest|highest) age|"
                          r"makes? (?:him|her|them|me) (?:an? )?(?:adult|child|minor)|"
                          r"(?:treat|count|consider|regard)(?:ed)? (?:him|her|them) as (?:an? )?(?:adult|child|minor)|"
                          # "what was the age of the youngest stable hand in the case examples?"
                          r"(?:what|which)(?: is| was| were|'s|’s) the ages? of\b|the ages? of the (?:youngest|oldest)\b|"
                          r"\d+[- ]years?[- ]olds? (?:still )?(?:an? )?['‘\"“]?(?:adult|child|children|minor)s?\b(?! \w+ed\b)|"
                          r"still counts? as (?:an? )?(?:adult|child|minor)|(?:an? )?(?:adult|child) case|"
                          r"(?:legally|officially) (?:an? )?(?:adult|child|minor))\b", re.I)
# An age a text gives, in figures or in words ("under eighteen years of age", "aged 16", "over the age
# of 12", "15-year-olds"): what answers an age asked for, as a number near "year" need not be one
_TEEN = r"(?:thir|four|fif|six|seven|eigh|nine)teen"
_TENS = r"(?:twen|thir|for|fif|six|seven|eigh|nine)t"
# Numbers in words as treaties and reports write them ("the fortieth instrument of ratification",
# "ninety days"; not "one", "first" or "second", which mostly count nothing): what counts something
COUNT_WORDS = (rf"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|{_TEEN}|{_TENS}y(?:-\w+)?|hundred|thousand"
               rf"|million|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|{_TEEN}th|{_TENS}ieth")
_AGE_NUMBER = rf"(?:\d{{1,2}}|ten|eleven|twelve|{_TEEN}|twenty(?:-one)?)"
RE_AGE_GIVEN = re.compile(rf"\b(?:{_AGE_NUMBER}[- ]years?(?:[- ]olds?|\s+of\s+age)|"
                          # "aged between 15 and 32 years": one age range, not a 32-year period
                          rf"aged\s+(?:between\s+)?{_AGE_NUMBER}(?:\s*(?:and|to|-|–)\s*{_AGE_NUMBER})?(?:\s+years?(?:\s+old)?)?|"
                          rf"(?:under|below|over|above)\s+(?:the\s+age\s+of\s+)?{_AGE_NUMBER}|"
                          rf"age\s+of\s+{_AGE_NUMBER})\b", re.I)
# What kind of detail a question asks for ("On what date…", "Which city…", "How many…").
FIGURE_QUESTIONS = {
    "money": re.compile(r"\bhow much (money|funding)|\b(spend|spent|cost|budget|fund(ing|ed)?|fine)\b.*\bhow much\b|"
                        r"\bhow much\b.*\b(spend|spent|cost|budget|fund(ing|ed)?|pay|paid|award(ed)?|fees?|charges?|"
                        r"price|fine[sd]?|compensation|damages|wages?|salary|lose|lost|losses|earn(ed|s)?|earnings|"
                        r"profits?|revenues?|grants?|cash|allowances?|stipends?|subsid(y|ies)|arrears|debts?)\b|"
                        # "what amount of council tax arrears…", "what sum of money"
                        r"\bwhat (?:amount|sum)s? of (?:([\w-]+ ){0,2}?(?:money|cash|compensation|tax|arrears|debts?|fees?|fines?|wages?|pay|rent))\b|"
                        r"\bwhat(?:'?s| is| are| was) the ([\w-]+ ){0,2}(fees?|costs?|price|charges?|budget|fines?)\b|"
                        # "an estimate of the annual profits", "in US dollars": an amount of money
                        r"\bestimate[sd]? (of )?(the )?(\w+ ){0,3}(profits?|revenues?|earnings|turnover|proceeds|"
                        r"losses|costs?)\b|\bin (us )?(dollars|usd|euros?|eur|pounds|gbp)\b|"
                        # ("what fine does the Working Group say a company should get?"; "what fines" may ask
                        # which kinds)
                        r"\b(what|which) (\w+ ){0,2}(budgets?|fee|price|fine)\b(?! line)|"
                        # "what did the marina end up having to pay?" (not "what do they pay for", which costs)
                        r"\bwhat (?:did|does|do|would|will|must|should|had|has|have) (?:[\w'-]+ ){1,6}?(?:pay|paid)"
                        r"(?=\s*(?:[?.,;)]|$|(?:in|as|to|out|back)\b))|"
                        # "what does the certification cost?" (not "what does it cost victims…", a harm)
                        r"\bwhat (does|do|did|would|will) ([\w'-]+ ){1,4}cost(?=\s*(?:[?.,;)]|$|(?:per|a|each|in|to)\b))|"
                        # "minimum monthly wage domestic workers must receive"
                        r"\b(hourly|daily|weekly|monthly|annual|day|going) rates?\b|"
                        # (not one told as the case's measure: "works for way under minimum wage")
                        r"(?<!under )(?<!below )(?<!than )(?<!above )"
                        r"\b(minimum|maximum|max|average|monthly|hourly|annual|daily) (\w+ )?(wages?|salary|pay|fees?|"
                        r"fines?|budget)\b|"
                        # "fine amount for a driver…", "the amount of compensation"
                        r"\b(fines?|fees?|penalty|compensation|damages|budget|funding|salary|wages?) amounts?\b|"
                        r"\bamounts? of (the )?(\w+ )?(fines?|fees?|compensation|damages|funding|money|budget)\b|"
                        # "threshold in USD above which…", "the euro limit for…"
                        r"\b(thresholds?|limits?|ceilings?|caps?) (in|of) (euros?|eur|usd|us dollars|dollars|pounds|gbp)\b|"
                        r"(\b(euros?|eur|usd|dollars?|pounds|gbp)|[€$£]) ?(thresholds?|limits?|ceilings?|caps?)\b|"
                        # "what annual turnover threshold…", "the revenue limit above which a company reports"
                        r"\b(turnover|revenue|sales) (thresholds?|limits?|ceilings?)\b|\b(thresholds?|limits?) (of|for|on) "
                        r"(annual )?(turnover|revenue|sales)\b|"
                        # "how large a security bond…", "how big a deposit": the sum of it (instruments7)
                        r"\bhow (large|big|high) an? ([\w-]+ ){0,2}?(bond|deposit|fine|fee|penalty|payment|grant|sum|"
                        r"guarantee|compensation)\b", re.I),
    "duration": re.compile(r"\b(\d+(, ?\d+)*,? or \d+ (hours|days|weeks|months|years)|"
                           # "What's the average sentence reduction, in months, that…": the unit it is asked in
                           r"\bwhat(?:'s|’s| is| was) (?:[\w-]+,? ){1,4}?\(?in (?:hours|days|weeks|months|years)\b(?=\s*(?:[,?.)]|that\b|$))|"
                           r"deadline|time limit|cut-?off (?:date|point)|limitation period|how long|within how many|(maximum|minimum|max|min) (\w+ )?"
                           r"(penalty|sentence|term)|how many (hours|days|weeks|months|years)|"
                           r"(max|maximum|min|minimum) (number of )?(hours|days|weeks|months|years)|"
                           r"number of ([\w-]+ )?(hours|days|weeks|months|years)|"
                           r"(longest|maximum|max) (\w+ )?(period|time|duration|length)|"
                           # "the average time in months between first contact and identification"
                           r"(average|mean|median|typical|usual|shortest) (\w+ )?(time|duration|length|delay|wait)|"
                           r"(time|duration|length|delay|wait) in (hours|days|weeks|months|years)|what (\w+ )?(sentences?|"
                           r"penalt(y|ies)|terms?) (did|was|were|do|does|is|are))\b", re.I),
    "count": re.compile(r"\bwhat(?:'?s| is| was)?(?: the)? ?(?:%|per ?cent\b)|"  # "what % of victims": "what percentage"
                        # "…UNODC's figure for how many nannies… What's the exact number?"
                        r"\bwhat(?:'?s| is| was) the (?:exact|precise|actual|total|latest|current) (?:number|count)\b(?! of)|"
                        r"\bwhat percentage\b|"  # "what percentage sentence reduction…"
                        # "by how much does it reduce the sentence", "the minimum age to travel alone" (instruments7)
                        r"\bby how much\b|" + RE_AGE_ASKED.pattern + "|"
                        # a measure: "the minimum floor space in square metres", "the clinical cut-off score"
                        + RE_MEASURE_NAMED.pattern + "|" + RE_MEASURE_ASKED.pattern + "|"
                        # "the average number of reports per 1,000 employees"
                        r"\b(?:average|mean|median|typical|expected|estimated) (?:number|rate|percentage|share) of\b|"
                        # "the minimum number of officers in a boarding party"
                        r"\b(?:minimum|maximum|min|max|exact|precise) number of\b|"
                        # "what minimum ratio of female staff to residents…": a ratio, in figures
                        r"\b(?:minimum|maximum|min|max|exact|precise|average) (?:ratio|proportion|percentage|share|quota)\b|"
                        r"\b(how many|what (percentage|share|proportion|number|ratio) of|what(?:'?s| is| was| are| were) "
                        r"the ([\w-]+ ){0,3}(rates?|percentages?|ratio)\b|(?<!sheer )(estimate|figure|total|number) "
                        r"(of|for) (the )?(number of )?(\w+ )?(people|persons|victims|cases|migrants|workers|children|women)"
                        # (not a number weighed as a factor: "treat the number of migrants in a group as an
                        # aggravating circumstance", "the sheer number of victims")
                        r"\b(?! (?:[\w-]+ ){0,4}?as an? ))\b",
                        re.I),
    "date": re.compile(r"\b(on what (exact |specific |precise )?date|(the|an?) (exact|specific|precise) date|"
                       r"when (do|does|will) (\w+ ){0,4}?(open|close|start|begin|end)|(what|which) (date|year|month)|in what year|"
                       r"(?:when|when and where|where and when) (\([^)]*\) )?(did|was|were))\b|" + _ASKS_FUTURE.pattern, re.I),
    # ("who is meant to screen them?", "who is responsible", "who was covered": a role or a class
    # of people, whom the texts name by what they do, not a person's name)
    "person": re.compile(r"(?:^|[.?!;]\s+|,\s+(?=and ))(?:and |so |but )?who (?:(?:is|was|were)\b(?! (?:(?:actually|really|"
                         r"legally|normally|usually|then|now|also|ever) )?(?:meant|supposed|responsible|"
                         r"expected|required|allowed|able|entitled|eligible|liable|obliged|in charge|\w+ed)\b)|won|"
                         r"presided|chaired|wrote|heads|"
                         r"leads|runs|gave|presented|prepared|delivered|authored|"
                         # a work's maker: "…, and who published it?"
                         r"published|edited|translated|compiled|commissioned|illustrated|photographed|filmed)\b|\b(which (judge|person|official|minister|rapporteur|prosecutor)|"
                         r"name of the (?:[\w-]+ ){0,3}?(judge|person|official|agent|trafficker|smuggler|lawyer|prosecutor|"
                         r"officer|defendant|perpetrator|consultant|expert|author|rapporteur|chair(?:person)?|director|minister)\b"
                         r"(?! (?:group|body|network|panel|committee|mechanism|office|unit|team|agency|association|council|"
                         r"meeting|database|programme|program)\b)|"
                         # "what's the title and author of the memoir…?"
                         r"(?:title and|name of the|who is the|who was the) author\b|"
                         # "a quote from a named survivor, with her first name"
                         r"(first|full|last) name|named (survivor|victim|person|woman|man|girl|boy|individual)|"
                         # "the names of survivors quoted in the materials"
                         r"names? of (the )?(survivors?|victims?|individuals))\b", re.I),
    # (``noun``: the kind of body asked for by name, which the answer must name as such)
    "organization": re.compile(r"\b((?:name of the|what'?s the name|what is the name)(?! (?:of the )?(?:[\w-]+ ){0,5}?"
                               r"(?:case|judgment|judgement|ruling)\b(?! (?:law|stud|manage|work|file)))|"
                               # "what was the park called?": a thing of a past case by its name (not "what is
                               # the principle called?", a term the texts use)
                               r"what was (?:the|that|this|its|their) (?!(?:[\w-]+ ){0,2}?(?:case|judgment|judgement|ruling)"
                               r" called)(?:[\w-]+ ){1,3}?called\b|"
                               # (not "which kinds of organizations…": kinds, which the texts list, not names)
                               # ("does it name any galleries…?": whether it names some, for their names)
                               # (not "which ones need staff or programme money": the ones just listed)
                               # ("have any UK water companies been named…? Which ones?": whether some are
                               # named, for their names)
                               r"(?:which|names? any|(?:have|has) any(?= (?:[\w'’-]+ ){1,5}?been (?:named|mentioned|"
                               r"identified|cited|listed|singled out)\b)) (?!ones?\b)(?!(?:[\w'’-]+ ){0,2}?(?:kinds?|types?|sorts?|categories|category) of )"
                               r"([\w'’-]+ ){0,4}?(?P<noun>ngos?|donors?|"
                               r"funders?|organi[sz]ations?|compan(y|ies)|apps?|websites?|platforms?|brands?|firms?|"
                               r"processors?|suppliers?|manufacturers?|producers?|retailers?|contractors?|factories|"
                               r"operators?|airlines?|banks?|hotels?|hotel chains?|(?<!supply )chains?|restaurants?|caf(?:e|é)s?|shops?|stores?|"
                               r"supermarkets?|outlets?|hospitals?|clinics?|schools?|universit(?:y|ies)|"
                               r"associations?|federations?|clubs?|museums?|galler(?:y|ies)|publishers?|"
                               # a work by its title: "which survivor's memoir does UNODC recommend?"
                               r"memoirs?|novels?|films?|documentar(?:y|ies)|podcasts?|languages?|charit(?:y|ies)|foundations?|"
                               # an institution of the UN system: "which UN body was the paper written for?"
                               r"(?<=UN )bod(?:y|ies)|(?<=Nations )bod(?:y|ies)|councils?(?! (?:resolutions?|decisions?|reports?|sessions?|members?|mandates?))|delegation|(?<=which )delegations|standard|certification|"
                               # one project by its name ("which Europol operational project…"); in the plural,
                               # "which initiatives…" often asks for kinds of them, which the texts list
                               r"project|programme|program|operation|initiative|campaign|"
                               r"boards?(?! (?:members?|meetings?|games?|rooms?))|regulators?|"
                               r"agency|database|tribunal|courts?(?! (?:of )?(?:\w+ )?(?:judgments?|judgements?|rulings?|decisions?|cases?)\b)|section(?! of)|unit|office|division|departments?|ministry|ministries)|"
                               # an event by its name: "which shipwreck led to the drafting?"
                               r"(?:which|what) (?:[\w-]+ ){0,2}?(?:shipwreck|disaster|tragedy|incident|massacre)s?)\b", re.I),
    # ("which airport is at the top of it?", "which border crossings")
    "place": re.compile(r"\b((which ((?!(?:our|my|your|their|his|her)\b)[\w-]+ ){0,3}?|what )(city|cities|town|towns|region|ports?|"
                        # (not "which countries it binds": whom a treaty binds, its States parties, not names)
                        r"(?:country|countries|(?<!united )nations?\b(?! (?:body|bodies|agenc(?:y|ies)|entit(?:y|ies)|system)\b))(?! (?:(?:does|do|will) )?(?:it|they|this|that|these|those|each(?: one)?|the [\w-]+) "
                        r"(?:binds?|bound|covers?|applies|apply))|airports?|(?:railway |train |bus |coach )?stations?|terminals?|"
                        r"border crossings?|crossing points?|(?:border )?rivers?|straits?|islands?|municipalit(?:y|ies)|villages?|provinces?|districts?|"
                        r"corridors?|beach(?:es)?|landing (?:sites?|points?|spots?)|harbou?rs?|departure points?)|"
                        # one place of work by its name, asked as the texts would have named it ("which shooting
                        # estate was mentioned in the slides…"; not "which farm workers", "which farms": kinds)
                        r"which (?:(?!(?:our|my|your|their|his|her)\b)[\w-]+ ){0,2}?(?:estate|farm|yard|kennels?|stables?|stud|"
                        r"quarry|mine|factory|plantation|vineyard|ranch|hotel|restaurant|salon|car wash|nail bar)"
                        r"(?= (?:was|is|were|had|has|did|does|in|mentioned|named|featured|described|that|where)\b)|"
                        # "which States have made a reservation": States by name (not "which States must…")
                        r"which (?:\w+ )?states (?:parties )?(?:have|had|has) (?:\w+ )?(?:made|ratified|signed|acceded|lodged|entered|"
                        r"submitted|withdrawn|denounced|notified|declared|objected|opted)|"
                        # "which US states have safe harbor laws": States by name, for a law of their own
                        r"which (?:\w+ )?states (?:have|has|had) (?:[\w-]+ ){0,2}?(?:laws?|legislation|statutes?|schemes?)|"
                        # "which US states does UNODC say have the most…": States by name, as a text ranks them
                        r"which (?:\w+ )?states (?:does|do|did) (?:[\w-]+ ){1,3}?(?:say|list|name|mention|identify|rank)|"
                        # "which US states are named in the slides as…": States by name, as a text names them
                        r"which (?:\w+ )?states (?:are|were) (?:[\w-]+ )?(?:named|listed|mentioned|cited|identified|singled out)|"
                        # "which were the first ten States to ratify it?": States by name
                        r"(?:first|last|earliest|latest)\s+(?:\w+\s+)?states\s+(?:parties\s+)?to\s+(?:ratify|sign|accede|join)|"
                        r"in which (city|town|region|country)|(list|name) (all |every |each |the )?(\w+ )?"
                        r"(country|countries|city|cities))\b", re.I),
    # "which Court of Appeal case set the test": the name of a case ("in which cases", "case law",
    # "case studies" ask for something else; "which judge presided over the case" for a person)
    "case": re.compile(r"(?:(?<!\bin )\bwhich ((?!the\b)\w+ ){0,4}?(case|judgment|judgement|ruling|court decision)|"
                       # "in which ICJ judgment has the Court…" ("in which case" only says "then")
                       r"\bin which ((?!the\b)\w+ ){0,5}?(judgment|judgement|ruling|court decision)|"
                       # "what was the name of the Irish puppy farm case"
                       r"\bname of the ([\w-]+ ){0,5}?(case|judgment|judgement|ruling)|"
                       # "what's the case called?"
                       r"\bwhat(?:'?s|’s| is| was) the ([\w-]+ ){0,3}?(case|judgment|judgement|ruling) called|"
                       r"\bwhat ((?!the\b)\w+ ){0,3}?case|"
                       # "is there a real court case in these papers where a zoo was caught…?": a case, by name
                       r"\b(?:is|was|are|were) there (?:a|any) (?:(?:real|actual|specific|reported|documented|known|"
                       r"decided|court|criminal|legal) ){0,3}?(?:case|judgment|judgement|ruling|prosecution)s?"
                       r"(?= (?:[\w-]+ ){0,4}?(?:where|in which|involving)\b))\b"
                       r"(?!s\b|-| (law|stud|manage|work|file))", re.I),
    # "the number of the UNODC certificate", "the form number": a document's reference (``noun``: what
    # it is the number of, which the reference must stand beside)
    "code": re.compile(r"\bwhat (?:[\w-]+ ){0,3}?codes? (?:does|do|did|is|are|should|must|would)\b|"
                       r"\bwhat(?:'s|’s| is| are)? the (?:[\w-]+ ){0,2}?(?:number|code|reference) (?:of|on) (?:the|a|an|its|"
                       r"their|that) (?:[\w-]+ ){0,3}?(?P<noun>certificates?|certifications?|licen[cs]es?|permits?|forms?|"
                       r"accreditations?|registrations?|standards?)\b|\b(?P<noun2>form|certificate|licen[cs]e|permit|"
                       r"registration|accreditation) (?:number|no\.?|code)\b|"
                       # "the official UN code or template for recording a death on the death certificate"
                       r"\b(?:official|un|standard|icd|statistical) (?:[\w-]+ )?codes?\b(?= (?:or|and|for|to)\b[^?.]{0,80}?"
                       r"\b(?P<noun3>certificates?|forms?|registers?|records?)\b)", re.I),
    # "the phone number of the hotline", "what's their email": a way to reach someone
    "contact": re.compile(r"\b(phone|telephone|hotline|helpline|contact|fax) (number|no\.?)\b|\be-?mail address\b|"
                          # "what's the postal address of the office in Vienna we should write to?"
                          r"\b(postal|mailing|street|postal and e-?mail|office|physical) address(es)?\b|"
                          r"\b(names?|address) (and|&) contacts?\b(?! with)|\b(give|send|need|want|with|and|get) (me )?"
                          r"(their |his |her |its |the )?contact (details|info(rmation)?)\b|"
                          r"\bwhat(?:'?s| is| are) (?:the |their |his |her |its )?(?:\w+ ){0,3}?(e-?mail|website|url|"
                          r"web address|hotline|helpline)\b|"
                          # "a name and email", "the single 24/7 number … victims should call"
                          r"\b(?:name|number|phone) (?:and|&|or) (?:an? |their |his |her )?e-?mail\b|"
                          r"\bwhat(?:'?s| is) the (?:[\w/-]+ ){0,3}?(?:number|line)\b(?! of\b)(?=[^?]{0,100}?\b(?:call|ring|"
                          r"dial|text|phone)\b)", re.I),
    # "which section of the Modern Slavery Act holds the defence?": an article or section named in
    # the quote (a paragraph or recommendation asked for is the cited passage's own label)
    # (``noun`` says which kind: "section", "article", or any for "provision", "clause")
    # ("which article 6 offences…" names the article, asks which of its offences)
    "provision": re.compile(r"\b(?:(?:which (?:\w+ )?|what )(?P<noun>(?:sub)?(?:article|section|provision|clause)s?)"
                            r"(?!\s+\d)|"
                            r"(?P<bare>article|section) (?:number|no))\b", re.I),
    # "which GA resolution was the contribution submitted under?", "pursuant to what mandate?": a
    # resolution or decision by its number, which a text naming none does not give ("with what
    # mandate?" asks what the mandate is)
    "resolution": re.compile(r"\b(?:(?:which|what) (?!(?:does|did|do|is|are|was|were|can|should|would|must)\b)(?:\w+ ){0,3}?"
                             r"resolutions?|(?:under|pursuant to|"
                             r"in response to|by) (?:which|what) (?:\w+ ){0,3}?(?:resolution|decision|mandate))\b", re.I),
    # "what indicators should border officers look for?", "list the red flags…", "pls give a
    # checklist": signs to spot something by, which only a text that lists them gives (a text that
    # discusses what indicators are for, or calls for them to be developed, does not)
    # ("what signs or circumstances…", "what factors or indicators…": circumstances or factors a
    # text describes answer it, listed or not)
    "indicators": re.compile(r"\b(?:list|lists|what|which|give(?: me)?|tell me|enumerate)\W+"
                             r"(?!(?:[\w'-]+\W+){0,3}?(?:factors|circumstances|situations|conditions)\s+or\s)"
                             r"(?:[\w'-]+\W+){0,4}?"
                             + INDICATOR_WORDS + r"\b(?!\s+(?:or|and)\s+(?:other\s+)?(?:circumstances|situations|factors|"
                             r"conditions))|" + _CHECKLIST_OF_SIGNS + r"|^\W*" + INDICATOR_WORDS
                             + r"\b[^?]*\bwhat are they\b"
                             # "Indicators at an airport that … - what does the toolkit list?"
                             + r"|^\W*" + INDICATOR_WORDS + r"\b[^?]*\b(?:what|which)\b[^?]*\b(?:list|lists|give|"
                             r"gives|mention|mentions)\b", re.I),
}
# A second detail asked for in the same question ("list every country, with the year each one was
# set up"): each kind asked for must be in the quotes.
EXTRA_FIGURE_QUESTIONS = {
    "date": re.compile(r"\b(the (year|date) (each|it|they|this|that)|when (was|were) (\w+ ){1,3}"
                       r"(set up|established|founded|created|introduced|adopted))\b", re.I),
    # "who is the contact person, and what's their email?": a way to reach them, besides the name
    "contact": FIGURE_QUESTIONS["contact"],
}

# "…does the text give a deadline or only a standard?", "a fixed number of days, or just 'promptly'?":
# whether there is a figure at all, not the figure
RE_FIGURE_OR_NONE = re.compile(r"\b(?:an?\s+|any\s+)?(?:[\w-]+\s+){0,2}?(?:deadlines?|time[\s-]*limits?|numbers?|figures?|amounts?|dates?"
                               r"|periods?|days|hours|months|years)\s*,?\s+or\s+(?:is\s+it\s+|does\s+it\s+\w+\s+)?"
                               r"(?:only|just|merely|simply)\b", re.I)


def requested_figures(question: str) -> list[str]:
    """Every kind of detail the question asks for, main one first: "money", "duration", "count",
    "date", "person", "organization", "place", "case", "code", "contact", "provision", "resolution" or
    "indicators" (the first of them in that order
    that the question asks for; none for explanations, yes/no and plain lists)."""
    if RE_FIGURE_OR_NONE.search(question):
        return []  # whether the text gives a figure at all is asked, and its wording answers it
    told = _story_end(question)  # once: every kind's pattern skips the same story
    kinds = [kind for kind, rx in FIGURE_QUESTIONS.items() if _asked_not_reported(rx, question, told)][:1]
    if kinds == ["date"] and (opening := _opening_kind(question)):
        kinds = [opening, *kinds]
    kinds += [kind for kind, rx in EXTRA_FIGURE_QUESTIONS.items() if _asked_not_reported(rx, question, told)
              and kind not in kinds]
    return kinds


# What someone in the story was told or asked ("a man telling her which hotel to go to", "they told
# him how much he owed"): the story, not what the question asks for ("tell me which NGO" asks).
_REPORTED = re.compile(r"\b(?:tell|tells|telling|told|ask|asks|asking|asked|show|shows|showed|showing)\s+"
                       r"(?:her|him|them|the\s+\w+)\s+$", re.I)


def _opening_kind(question: str) -> str | None:
    """The kind of name a question opens by asking for ("Which boxing federations has UNODC
    partnered with, and since what year?": the federations), which is what it asks before the year
    asked after it (any passage with a year in it would give that); None when it opens otherwise."""
    for kind in ("organization", "person", "place", "case"):
        m = FIGURE_QUESTIONS[kind].search(question)
        if m and not question[:m.start()].strip(" \"'‘“"):
            return kind
    return None


def _asked_not_reported(rx: re.Pattern[str], question: str, told: int) -> bool:
    """Does ``rx`` match ``question`` anywhere but right after a verb of telling someone, or in the
    story told before ``told`` (``_story_end``: "…giving the same 'uncle' as emergency contact, same
    phone number. … What should I be doing here?" asks for no telephone number)?"""
    # (a match reaching past the story, or a test of the whole question, which matches no text)
    return any((m.end() > told or m.start() == m.end()) and not _REPORTED.search(question[max(0, m.start() - 30):m.start()])
               for m in rx.finditer(question))


def _story_end(question: str) -> int:
    """Where the sentences told before the question's first "?" end: 0 when it opens by asking,
    or asks nothing with a question mark."""
    spans = typed_sentence_spans(question)
    first = next((i for i, (a, b) in enumerate(spans) if question[a:b].rstrip().endswith("?")), 0)
    return spans[first][0] if first else 0


def asked_after_story(message: str) -> str:
    """What a message asks once the story it opens with is told ("…They said no and left the next
    morning. If they'd gone through with it, would they have been smugglers too?": the last
    sentence), or "" when it opens by asking."""
    told = _story_end(message)
    return message[told:].strip() if told else ""


def requested_figure(question: str) -> str | None:
    """The main kind of detail the question asks for (see ``requested_figures``), or None."""
    return next(iter(requested_figures(question)), None)


# A provision a text names: "Article 1F", "art. 33(1)", "section 45", "s.45", "articles 5 and 6".
RE_PROVISION = re.compile(r"\b(articles?|art\.|sections?|sect\.|s\.)\s?(\d+[a-z]?\b(?:(?:\([\w.]+\))*"
                          r"(?:,\s*|\s+and\s+|\s+to\s+)\d+[a-z]?\b)*)", re.I)


def provisions(text: str) -> list[tuple[str, str, str, int]]:
    """The provisions ``text`` names, as (kind, number, as written, offset): kind "article" or
    "section", the number lower-cased without its sub-paragraphs ("Article 33(1)" -> ("article",
    "33", "Article 33(1)"…)); "articles 5 and 6" names two."""
    out = []
    for m in RE_PROVISION.finditer(text):
        kind = "section" if m.group(1).lower().startswith("s") else "article"
        for n in re.finditer(r"(?<![(\w.])\d+[a-z]?\b", m.group(2), re.I):
            out.append((kind, n.group(0).lower(), m.group(0), m.start()))
    return out


# A term of art a question puts in quotes and asks about: "a 'causation' approach", "the 'duress' one",
# "the test for 'particular social group'", "the 'compulsion' test", "what are 'status offences'",
# "'deception' in the trafficking definition".
# Quotes around the people or money of a case ("her 'boyfriend'", "'for safekeeping'") are not terms
# asked about.
_DOCTRINE = r"(?:approach|test|model|standard|doctrine|principle|concept|notion|defen[cs]e|clause|rule|criteri(?:on|a)|one|" \
            r"type|kind|form|variant|provision)"
RE_QUOTED_TERM = re.compile(
    rf"\b{_DOCTRINE}\s+(?:of|for|on|called)?\s*[\"“‘'](?P<a>[^\"“”‘’'\n]{{3,60}}?)[\"”’']"
    rf"|(?<![\w’'])[\"“‘'](?P<b>[^\"“”‘’'\n]{{3,60}}?)[\"”’']\s*(?:/[^?.\n]{{0,30}}?)?\s*{_DOCTRINE}\b"
    rf"|\bwhat(?:'s|’s| is| are)\s+(?:the |a |an )?[\"“‘'](?P<c>[^\"“”‘’'\n]{{3,60}}?)[\"”’']"
    # an element of a definition: "does that count as 'deception' in the trafficking definition?"
    rf"|(?<![\w’'])[\"“‘'](?P<d>[^\"“”‘’'\n]{{3,60}}?)[\"”’']\s+(?:in|under|of)\s+(?:the|its|their)\s+"
    rf"(?:[\w-]+\s+){{0,3}}?definition\b", re.I)


def quoted_terms(question: str) -> list[tuple[str, int]]:
    """The terms of art ``question`` quotes and asks about (``RE_QUOTED_TERM``), with offsets."""
    return [(m.group(g), m.start(g)) for m in RE_QUOTED_TERM.finditer(question) for g in "abcd" if m.group(g)]


# Two things a question contrasts: "the difference between A and B", "A vs B", "(A vs B)",
# "distinguish A from B", "how does that differ from B" (the other side said before). A question
# about how two notions differ is answered only where the texts speak of both.
_SIDE = r"(?:[\w'’/-]+ ){0,3}?[\w'’/-]+"
_SIDE_END = r"(?=\s*(?:[?.!;,:)]|$)|\s+[–—-]\s|\s+(?:in|under|as|according|for|when|if)\b)"
RE_CONTRAST = re.compile(
    rf"\bdifferen(?:ce|ces)\s+between\s+(?P<a>{_SIDE})\s+and\s+(?P<b>{_SIDE}){_SIDE_END}"
    rf"|\b(?P<c>{_SIDE})\s+(?:vs\.?|versus)\s+(?P<d>{_SIDE}){_SIDE_END}"
    rf"|\bdistinguish(?:es|ing)?\s+(?:between\s+)?(?P<e>{_SIDE})\s+(?:and|from)\s+(?P<f>{_SIDE}){_SIDE_END}"
    rf"|\bdiffer(?:s|ent)?\s+from\s+(?P<g>{_SIDE}){_SIDE_END}",
    re.I)


def contrasted(question: str) -> list[tuple[str, int]]:
    """The sides of every contrast the question draws (``RE_CONTRAST``), with their offsets."""
    return [(m.group(g), m.start(g)) for m in RE_CONTRAST.finditer(question) for g in "abcdefg" if m.group(g)]


# A question asking what a term means: "the definition of forced labour", "the trafficking
# definition", "how does the Protocol define 'child'", "what does 'abuse of a position of
# vulnerability' mean", "the elements of the crime of smuggling". Plain "what is X" is not one: it
# asks for an explanation, which any passage about X may give.
# ("the word 'migrant'", "the notion of consent": the word named, not "word")
_TERM = (r"(?:the |a |an )?(?:(?:word|term|expression|phrase|notion|concept) (?:of )?)?"
         r"[\"“‘']?(?P<term>[\w' -]{3,60}?)[\"”’']?")
# A definition mentioned as context ("the means in the trafficking definition", "what did they say
# about the definition of exploitation") is not one asked for.
_CONTEXT_WORDS = ("in", "under", "within", "by", "about", "on", "regarding")
# (and whether someone meets it: "people who meet the full trafficking definition")
_NOT_ASKED = "".join(rf"(?<!\b{w} )" for w in (*_CONTEXT_WORDS, "meet", "meets", "met", "meeting", "satisfy",
                                                 "satisfies", "fit", "fits", "fulfil", "fulfils", "fulfill", "fulfills"))
_TERM_WORDS = r"(?P<term>(?:(?!(?:the|a|an)\b)[\w-]+ ){0,4}?(?!(?:the|a|an)\b)[\w-]+)"
# A definition's standing, which names no term ("the international definition")
_STANDING = ("international", "legal", "official", "un", "protocol", "protocols", "protocol's", "treaty", "accepted")
# (and how much of it: "the full definition", which names none either)
_STANDING_WORDS = frozenset((*_STANDING, "full", "whole", "complete", "same"))
_FIELD_TERM = re.compile(r"\b(?:trafficking|smuggling)\b", re.I)
# a definition by its standing ("the international definition of trafficking")
_DEFINITION_OF = (r"(?:the|its|their)\s+(?:(?:" + "|".join(_STANDING) + r")\s+)?"
                  r"definitions?\s+of\s+" + _TERM + r"(?=\s*(?:[?.,;:()]|$|\b(?:under|in|according|as|and|given|used|set)\b))")
_DEFINITION_QUESTIONS = [
    # what a definition holds: "the forms of exploitation listed in the international definition of
    # trafficking", "what are the 'means' in the definition of trafficking?"
    # (asked for: not "is 'compulsion' confined to the means listed in the definition of trafficking?")
    re.compile(r"\b(?:what|which|list|name)\b[^?]{0,60}?\b(?:covered|included|listed|set out|named|mentioned|found)"
               r"\s+(?:by|in|under)\s+" + _DEFINITION_OF, re.I),
    re.compile(r"\b(?:what (?:are|is)|list|name|explain|give(?: me)?) (?:all )?(?:the )?[\"'‘“]?[\w-]+[\"'’”]?"
               r"(?: of [\w-]+)? in " + _DEFINITION_OF, re.I),
    re.compile(r"\b(?:constituent )?elements\s+of\s+(?:the|its|their)\s+" + _TERM_WORDS + r"\s+definition\b", re.I),
    # what a definition holds: "the forms covered by the trafficking definition", "what are the
    # 'means' in the trafficking definition?"
    re.compile(r"\b(?:covered|included|listed|set out|named|mentioned|found)\s+(?:by|in|under)\s+(?:the|its|their)\s+"
               + _TERM_WORDS + r"\s+definition\b", re.I),
    # a definition's parts by their name in it: "what counts as the 'means' part of trafficking?"
    re.compile(r"\b(?:what|which|list|name)\b[^?]{0,30}?\bthe\s+[\"'‘“]?(?:acts?|actions?|means|purposes?|elements?)"
               r"[\"'’”]?\s+(?:part|element|bit|component|limb)s?\s+of\s+" + _TERM
               + r"(?=\s*(?:[?.,;:()]|$|\s[-–—]\s|\b(?:under|in|according|as|and)\b))", re.I),
    # what a definition lists, said of it: "what are all the actions the UN definition lists?"
    re.compile(r"\b(?:what|which|list|name)\b[^?]{0,60}?\b(?:the|its|their)\s+" + _TERM_WORDS
               + r"\s+definition\s+(?:lists?|includes?|covers?|names?|sets?\s+out|contains?|spells?\s+out|"
               r"enumerates?)\b", re.I),
    # (and "list the 'acts' in the trafficking definition"; not "does X count as 'exploitation' under
    # the trafficking definition?", which texts answer by saying X is a form of exploitation)
    re.compile(r"\b(?:what (?:are|is)|list|name|explain|give(?: me)?) (?:all )?(?:the )?[\"'‘“]?[\w-]+[\"'’”]? in "
               r"(?:the|its|their) " + _TERM_WORDS + r"\s+definition\b", re.I),
    # ("the core elements of a human rights-based approach" asks for its parts, not a definition)
    re.compile(r"(?<!\bin the )(?<!\bunder the )(?<!\babout the )(?<!\bregarding the )(?<!\bon the )"
               r"\b(?:definitions?|meaning|(?:constituent )?(?<!\bcore )(?<!\bkey )(?<!\bmain )(?<!\bessential )"
               r"(?<!\bbasic )(?<!\bcentral )elements)\s+(?:of|for)\s+" + _TERM
               + r"(?=\s*(?:[?.,;:()]|$|\b(?:under|in|according|as|and|given|used|set)\b))", re.I),
    re.compile(_NOT_ASKED + r"\b(?:the|its|their)\s+" + _TERM_WORDS + r"\s+definition\b", re.I),
    # whether something is one of a definition's acts or means ("does abusing someone's trust count as
    # one of the 'means' in the trafficking definition?"): its list, which only the definition gives
    re.compile(r"\b(?:count|counts|qualify|qualifies|fall|falls)\s+(?:as|under|within)\s+(?:one\s+of\s+)?(?:the\s+)?"
               r"[\"'‘“]?(?:acts?|means)[\"'’”]?\s+(?:in|of|under)\s+(?:the|its|their)\s+" + _TERM_WORDS
               + r"\s+definition\b", re.I),
    # "how does the Protocol define 'child'"; "how is X defined in the protocol" is the next rule's
    # (the words after "defined" say where, not what)
    re.compile(r"\bhow (?:does|do) (?:\w+ ){0,4}?define\b\s*" + _TERM + r"(?=\s*(?:[?.,;:]|$))", re.I),
    re.compile(r"\bhow (?:is|are) " + _TERM + r" defined\b", re.I),
    # "what does X (actually) mean", not "what does X mean in practice / for border officers" (what it
    # implies: an explanation, which passages about X give)
    re.compile(r"\bwhat (?:does|do) " + _TERM + r" (?:actually |really |exactly )?(?:mean|stand for)\b"
               r"(?!\s+(?:in practice|in real life|for|to|by)\b)", re.I),
    # "what does UNODC mean by gender mainstreaming (in …)?", "what is meant by X"
    re.compile(r"\bwhat (?:does|do|did) (?:\w+ ){1,3}?mean by\s+" + _TERM
               + r"(?=\s*(?:[?.,;:()]|$|\b(?:in|under|according|as|when|for)\b))", re.I),
    re.compile(r"\bwhat (?:is|are) meant by\s+" + _TERM
               + r"(?=\s*(?:[?.,;:()]|$|\b(?:in|under|according|as|when|for)\b))", re.I),
    re.compile(r"\bdefine\s+" + _TERM + r"(?=\s*(?:[?.,;:]|$|\b(?:under|in|for)\b))", re.I),
    # "what definition of forced labour does the toolkit use?"
    re.compile(r"\b(?:what|which) definition of\s+" + _TERM + r"(?=\s+(?:does|do|did|is|are|was|were)\b)", re.I),
]
# Words that show a match caught a clause, not a term ("does the WG have a definition").
_NOT_TERM_WORDS = frozenset(["have", "has", "had", "is", "are", "was", "were", "give", "gives", "any", "no",
                             "use", "uses", "used", "do", "does"])


# Wording that gives a definition rather than mentions one, right after the term ("'Child' shall
# mean", "trafficking in persons means", "the term … refers to") or around it ("Article 2(b) defines
# 'serious crime' as"). A verb far from the term ("the Resolution refers to … migrant smuggling")
# does not define it, nor does a consequence ("a vulnerability factor to trafficking means that…").
_DEFINING_VERB = (r"(?:shall mean|means(?!\s+that\b)|shall include|is defined as|are defined as|refers? to|"
                  r"(?:is|are) understood (?:as|to mean)|shall be understood|is taken to mean)")
# What a sentence about a term, as its subject, says of it ("Gender mainstreaming … speaks to…").
_DESCRIBING_VERB = r"(?:is|are|involves?|means?|refers?|speaks?|describes?|consists?|covers?|entails?|requires?|aims?)"


# A quoted term followed by defining wording: how treaties and principles define their terms.
_QUOTED_DEFINED = re.compile(r"[\"“‘']([^\"“”‘’\n]{2,60}?)[\"”’']\s*(?:\([^)]{0,40}\)\s*)?" + _DEFINING_VERB + r"\b"
                             r"|\bdefin\w*\s+(?:the term\s+)?[\"“‘']([^\"“”‘’\n]{2,60}?)[\"”’']\s+as\b", re.I)


def defined_terms(text: str) -> list[str]:
    """The quoted terms ``text`` defines ("“Child” shall mean…" -> ["Child"])."""
    return [m.group(1) or m.group(2) for m in _QUOTED_DEFINED.finditer(text)]


# "list the recommendations…", "bullet list pls", "can you enumerate…", "give me all the guidelines",
# "headlines only": the items of a document asked for as a list
RE_LIST_REQUEST = re.compile(r"\b(?:list|bullets?|bullet points?|enumerate|headlines?|one by one)\b", re.I)
_MONTH_NAMES = rf"(?:{'|'.join((*MONTHS, *MONTH_ABBREVIATIONS))})\b"
# What narrows a list to a subject: "…recommendations on non-punishment", "…that deal with children",
# "…directed at national legislation" (not "…at its meeting on 10 September", "…on a slide")
RE_LIST_NARROWED = re.compile(r"\b(?:on|about|regarding|concerning|relating to|related to|relevant to|dealing with|"
                              r"deals? with|addressing|addressed to|directed at|aimed at|that (?:deal|address|concern|relate|cover|"
                              r"mention|refer)\w*"
                              # what they say a State should do ("what do the 2020 recommendations say States
                              # should do to protect children?"), not how to give it ("say? bullet points")
                              r"|(?:say|says|said)(?!\s+(?:in\s+)?(?:bullet|a\s+list|list|points|brief|short)\b))\s+"
                              r"(?!\d|" + _MONTH_NAMES + r"|(?:an?|the|one|my|our) (?:slide|page|"
                              r"sheet|handout)s?\b)", re.I)


def list_of_items_asked(question: str, noun: str, own_words: frozenset[str] = frozenset()) -> bool:
    """Does the question ask for every ``noun`` (an item kind: "recommendation", "guideline") as a
    list ("list the recommendations adopted in Sept 2020", "the 2020 recommendations - bullet list
    pls"), naming no subject that would narrow it ("the recommendations on non-punishment", "which
    of those are addressed to UNODC?")? A subject in the document's own words (``own_words``,
    tokenized: "…the WG on trafficking in persons") narrows nothing."""
    # ("what recommendations were adopted…?" asks for them all as well)
    # ("all the recommendations", "every guideline"; not "…questionnaires every season")
    listed = RE_LIST_REQUEST.search(question) or re.search(rf"\b(?:what|which) (?:\w+ )?{noun}s (?:were|are|did|does|"
                                                            r"do)\b", question, re.I) or \
        re.search(rf"\b(?:all (?:of )?the|every)\s+(?:[\w-]+\s+){{0,3}}?{noun}s?\b", question, re.I)
    narrowed = any(set(tokenize(" ".join(question[n.end():].split()[:4]))) - own_words
                   for n in RE_LIST_NARROWED.finditer(question))
    return bool(re.search(rf"\b{noun}s\b", question, re.I) and listed and not narrowed)


# "Summarise the toolkit", "what is the 2022 paper about", "main points of the slides": a question
# about a whole document rather than a subject in it.
RE_OVERVIEW = re.compile(
    r"\b(summar(?:y|ise|ize|ising|izing)|overview|outline|gist|(?:main|key) (?:points|messages|themes|takeaways)|"
    r"what(?:'s| is| are) (?:the |this |that |these )?[\w ,-]{0,50}? about|what does (?:the |this )?[\w ,-]{0,50}? cover)"
    # "what is the toolkit about?" asks for its gist; "what are the rules about detention" does not
    r"(?:\b(?<!about)(?<!cover)|\s*(?:[?.!,;]|$))",
    re.I)


# A request about the answer's form rather than its subject: "shorter pls", "3 bullets max", "in one
# sentence", "can you give me that in two points?". Each names how many sentences the answer may have
# ("does Recommendation 2 point to…" names a paragraph, not a length).
_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "1": 1, "2": 2, "3": 3, "4": 4,
           "5": 5, "6": 6}
_FORM_COUNT = (r"(?:(?:in|into|as|with|max(?:imum)?(?: of)?|at most|no more than|only|just|give me|keep it to|"
               r"(?:in|to) under)\s+)?(?<!recommendation )(?<!article )(?<!guideline )(?<!principle )(?<!section )"
               r"(?<!para )(?<!no\. )\b(?P<n>one|two|three|four|five|six|[1-6])\s+(?:short\s+)?(?:bullet(?:\s+points?)?s?|"
               r"points?|sentences?|lines?)\b(?:\s*(?:max(?:imum)?|tops|at most|only)\b)?")
_FORM_SHORTER = (r"\b(?:(?:a\s+)?(?:bit\s+|lot\s+|much\s+)?(?:shorter|briefer)(?:\s+(?:version|answer|one))?|"
                 r"(?:more\s+)?briefly|in\s+(?:brief|short)|short\s+(?:version|answer)|tl;?dr)\b")
RE_FORM_REQUEST = re.compile(rf"{_FORM_COUNT}|{_FORM_SHORTER}", re.I)
SHORTER_SENTENCES = 3  # "shorter", with no number
# What is left of a pure form request once the request is taken out: politeness and pointers back.
_FORM_FILLER = frozenset("""pls please plz can could you u give me that this it the answer again just make
    keep summarise summarize put say rewrite redo do as a an in into same thing version thanks ok okay
    and even more bit little further yet now still too long""".split())  # noqa: SIM905


def requested_length(text: str) -> int | None:
    """How many sentences the message asks the answer to have ("3 bullets max" -> 3, "shorter"
    -> ``SHORTER_SENTENCES``), or None when it does not ask."""
    counts = [_COUNTS[m.group("n").lower()] for m in RE_FORM_REQUEST.finditer(text) if m.group("n")]
    if counts:
        return min(counts)
    return SHORTER_SENTENCES if RE_FORM_REQUEST.search(text) else None


def without_form_request(text: str) -> str:
    """``text`` with its requests about the answer's form taken out ("shorter pls, 3 bullets max, and
    which resolution was it?" -> "which resolution was it?"); "" when nothing but the request and
    politeness is left ("can you give me that in 3 bullet points?")."""
    rest = " ".join(RE_FORM_REQUEST.sub(" ", text).split())
    rest = re.sub(r"\s+([,;?.!])", r"\1", rest)
    # politeness and joining words left in front ("pls, and which…") go with the request
    while (m := re.match(r"[\s,;:.!&-]*([A-Za-z']+)\b[\s,;:.!&-]*", rest)) and m.group(1).lower() in _FORM_FILLER \
            and m.end() < len(rest):
        rest = rest[m.end():]
    rest = rest.strip(" ,;:-")
    words = re.findall(r"[a-z0-9']+", rest.lower())
    return "" if all(w in _FORM_FILLER for w in words) else rest


# A message that only greets, thanks or signs off ("hello", "thanks, that was helpful").
_SMALL_TALK = frozenset("""hi hello hey hiya morning afternoon evening good thanks thank thx ty cheers ok okay
    great cool perfect nice helpful useful appreciated much lot bye goodbye see later got noted""".split())  # noqa: SIM905
_COURTESY = frozenset("hi hello hey hiya morning afternoon evening thanks thank thx ty cheers bye goodbye".split())  # noqa: SIM905


# A follow-up searched with the questions it leans on: "…? (context: <earlier question>)"
RE_CONTEXT = re.compile(r"\s\(context: (?P<context>.*)\)$", re.S)
# Words by which a follow-up points back at what was asked before ("does that apply to a franchise
# like mine?", "is it the same for children?")
RE_POINTS_BACK = re.compile(r"\b(?:it|its|they|them|their|this|that|these|those|such|the same)\b", re.I)


# A follow-up that adds a condition to the case told before ("And if the man who brought him in is
# sitting in the waiting room…?", "what if she's 16?"), and the field's own words for a case
RE_ADDS_CONDITION = re.compile(r"^\W*(?:and|but|so|ok(?:ay)?|also)?\W*(?:what\s+)?(?:if|even\s+if|suppose|what\s+about)\b",
                               re.I)
RE_FIELD_WORDS = re.compile(r"\b(?:traffick\w*|smuggl\w*)", re.I)


def adds_condition_to_field_case(topic: str) -> bool:
    """Is ``topic`` (a follow-up with its context, see ``with_context``) a new condition added to a
    case of trafficking or smuggling told before? It stays that case, however its own words sound
    ("he'll be hurt if he walks out of the waiting room with him" is no hospital's duty to a guest)."""
    ctx = RE_CONTEXT.search(topic)
    if ctx is None or not RE_ADDS_CONDITION.search(topic[:ctx.start()]):
        return False
    # (a case of control told before is one: "one of our outworkers is being controlled by the
    # middleman who brings her the work" — a story told fresh needs two signs, a case already under
    # discussion one)
    context = ctx.group("context")
    return bool(RE_FIELD_WORDS.search(context)) or describes_field_notion(context) or bool(control_signs(context))


def with_context(question: str, context: list[str]) -> str:
    """``question`` followed by the earlier questions it leans on, as it is searched."""
    return f"{question} (context: {' '.join(context)})"


def is_small_talk(message: str) -> bool:
    """Does ``message`` only greet, thank or sign off — no question about anything?"""
    words = re.findall(r"[a-z]+", message.lower())
    return bool(words) and bool(_COURTESY & set(words)) and all(w in _SMALL_TALK or w in STOPWORDS for w in words)


# The asker saying their case involves no trafficking or smuggling ("No trafficking involved, just
# DV.", "nothing to do with smuggling"): those words name the texts' subject only to set it aside.
# Someone else's claim ("he says it's not trafficking") is not one: whether it is, is the question.
RE_DOMAIN_SET_ASIDE = re.compile(
    r"\b(?:no|without(?: any)?)\s+(?:human\s+)?(?:trafficking|smuggling)(?:\s+or\s+smuggling)?\s+"
    r"(?:involved|element|angle|aspect|dimension|here|at all|in (?:it|this|that))\b|"
    # ("there is no trafficking or exploitation, just domestic violence")
    r"\b(?:no|without(?: any)?)\s+(?:human\s+)?(?:trafficking|smuggling)(?:\s+or\s+(?:smuggling|exploitation|forced\s+labou?r"
    r"|slavery))?(?=\s*[,;:.–—-]+\s*(?:just|only|simply|purely|it'?s|this\s+is)\b)"
    # (not "is there no trafficking, only smuggling?": the field named again)
    r"(?!\s*[,;:.–—-]+\s*(?:just|only|simply|purely|it'?s|this\s+is)\s+(?:\w+\s+)?(?:smuggl|traffick|exploit|forced))|"
    r"\bnothing to do with (?:human\s+)?(?:trafficking|smuggling)(?:\s+or\s+smuggling)?\b|"
    r"\bnot (?:a |an |about )?(?:human\s+)?(?:trafficking|smuggling)(?:\s+or\s+smuggling)?\s+"
    r"(?:case|question|matter|issue)\b|"
    r"\b(?:trafficking|smuggling)\s+(?:is|was)\s*(?:n't|not)\s+involved\b", re.I)


def without_domain_set_aside(question: str) -> str:
    """``question`` without the words by which the asker sets trafficking and smuggling aside
    ("How do I assess risk for a woman fleeing an abusive husband? No trafficking involved."
    -> "How do I assess risk for a woman fleeing an abusive husband? ."); unchanged otherwise."""
    rest = RE_DOMAIN_SET_ASIDE.sub(" ", question)
    return question if rest == question else " ".join(rest.split())


# The texts' own subject named in their words ("forced labour", "non-punishment", "victims of
# trafficking", "smuggling of migrants"): never a neighbouring subject, however close a line of one
# sits ("what steps does the toolkit expect a small business to take so it isn't profiting from
# forced labor?" is not a question about office cleaning contracts). Bare "trafficking" and
# "smuggling" are not enough: drug trafficking and cigarette smuggling are neighbours.
RE_FIELD_TERMS = re.compile(
    r"\b(?:trafficking\s+in\s+(?:persons|human\s+beings|women|children)|human\s+trafficking|(?:sex|labou?r)\s+trafficking"
    r"|traffick(?:ed|ing)\s+(?:persons?|people|victims?|women|girls|children|men|workers?)|victims?\s+of\s+(?:human\s+)?trafficking"
    r"|trafficking\s+victims?|forced\s+labou?r|non-?punishment|non-?criminali[sz]ation|debt\s+bondage|modern\s+slavery"
    r"|migrant\s+smuggling|smuggling\s+of\s+migrants|smuggled\s+migrants?|people\s+smuggl\w+)\b", re.I)


def names_field_term(text: str) -> bool:
    """Does ``text`` name the texts' own subject in their words (``RE_FIELD_TERMS``), other than to
    set it aside ("no trafficking involved")?"""
    return bool(RE_FIELD_TERMS.search(without_domain_set_aside(text)))


# "…? summarise what each says", "summarise what the toolkit says about gender": what the documents
# say on a subject, not what they are about ("summarise what the toolkit says" still asks its gist)
_SAYS_ON = re.compile(r"\bwhat\s+(?:[\w'’-]+\s+){0,8}?(?:say|says|said)\s+(?:about|on|regarding|concerning)\b"
                      r"|\bwhat\s+(?:each|both|they)(?:\s+of\s+them)?\s+(?:say|says|said)\b", re.I)


def asks_overview(question: str) -> bool:
    """Does the question ask what a document is about, or for its summary?"""
    return bool(RE_OVERVIEW.search(question)) and not _SAYS_ON.search(question)


# Whether what someone did falls under one of the field's terms ("is what he's doing smuggling?",
# "does that count as smuggling?", "would that make me a smuggler?", "is my driver a smuggler even
# if…?"): the term's definition is what decides it.
_CLASSIFIED_AS = re.compile(
    r"\b(?:is|was|would|could|does|did)\s+(?:this|that|it|what\s+(?:he|she|they|i|we|you)(?:['’]s|['’]re|\s+is|\s+are|\s+was)?"
    r"\s*(?:did|do|does|doing|done))\s+(?:(?:be|count\s+as|still|really|actually|legally)\s+)*"
    r"(?:migrant\s+|human\s+)?(?P<term>smuggling|trafficking)\b"
    r"|\b(?:count|counts|counted|qualify|qualifies|qualified|amount|amounts)\s+(?:as|to)\s+(?:\w+\s+){0,2}?"
    r"(?:migrant\s+|human\s+)?(?P<term2>smuggling|trafficking|smugglers?|traffickers?)\b"
    r"|\b(?:make|makes|made|making)\s+(?:me|him|her|us|them|my\s+\w+|the\s+\w+|our\s+\w+)\s+(?:an?\s+|the\s+)?"
    r"(?P<agent>smuggler|trafficker)s?\b"
    r"|\b(?:would|could|am|is|are|was|were)\s+(?:i|we|he|she|they|my\s+\w+|our\s+\w+|the\s+\w+)\s+(?:be\s+)?"
    r"(?:(?:still|really|actually|legally|technically)\s+)?(?:an?\s+)?(?P<agent2>smuggler|trafficker)s?\b"
    # "would the treaty count me as a smuggler?", "…see them as part of the smuggling?"
    r"|\b(?:count|counts|treat|treats|see|sees|regard|regards|consider|considers|class|classes)\s+(?:me|him|her|us|them|my\s+\w+"
    r"|our\s+\w+|the\s+\w+|this|that|it)\s+as\s+(?:an?\s+|part\s+of\s+(?:the\s+)?|involved\s+in\s+(?:the\s+)?)?"
    r"(?P<agent3>smuggler|trafficker|smuggling|trafficking)s?\b"
    # "does smuggling only count under the Protocol when a criminal group is involved?"
    r"|\b(?P<term3>smuggling|trafficking)\s+(?:only\s+)?(?:counts?|appl(?:y|ies))\s+(?:\w+\s+){0,6}?(?:when|if|where)\b", re.I)


# Whether what a question tells is conduct a text requires to be made an offence ("is that something
# the treaty expects to be punished?", "does the UN smuggling treaty expect countries to punish an
# owner like him?", "is that something the UN treaty wants treated as a crime?"): an instrument's
# criminalization provision decides it, in words a story rarely shares
_PUNISH = r"(?:punish|criminali[sz]e|penali[sz]e|prosecute|sanction)"
_PUNISHED = r"(?:punished|criminali[sz]ed|penali[sz]ed|prosecuted|sanctioned|made\s+(?:a\s+)?(?:crime|criminal\s+offen[cs]e|offen[cs]e))"
_ASKS_PUNISHABLE = re.compile(
    r"\b(?:expects?|expected|wants?|wanted|requires?|required|obliges?|obliged|asks?|calls?\s+on)\s+"
    r"(?:(?:countries|states|governments|parties|signatories|us|them|each\s+state)\s+(?:\w+\s+)?)?to\s+"
    r"(?:" + _PUNISH + r"|make\s+(?:that|this|it|\w+)\s+(?:a\s+)?(?:crime|criminal\s+offen[cs]e|offen[cs]e)"
    r"|treat\s+(?:\w+\s+){0,3}?as\s+(?:a\s+)?(?:crime|criminal|offen[cs]e))\b"
    r"|\b(?:expects?|expected|wants?|wanted|requires?|required)\s+(?:\w+\s+){0,3}?(?:to\s+be\s+)?"
    r"(?:" + _PUNISHED + r"|treated\s+as\s+(?:a\s+)?(?:crime|criminal|offen[cs]e))\b", re.I)


# The title of a provision on what States must make an offence ("Article 6 – Criminalization",
# "Article 5 – Criminalization", "Offences", "Penalties")
RE_CRIMINALIZING_TITLE = re.compile(r"\b(?:criminali[sz]ation|offen[cs]es|penalties)\b", re.I)


# The title of a provision on protecting the people a text is about ("Article 16 – Protection and
# assistance measures", "Assistance to and protection of victims…"; not "Training and technical
# assistance")
RE_PROTECTING_TITLE = re.compile(r"\bprotection\b", re.I)
# What rights or protection a text gives the people it is about ("list every right of smuggled
# migrants…", "the rights the Protocol guarantees to migrants", "what does the treaty say about
# someone in her position?")
_ASKS_PROTECTION = re.compile(
    # ("rights", "the right to", "every right of": not "is it all right", "right now")
    r"\b(?:what|which|list|any|every|all)\b[^?.]{0,50}?\b(?:rights|right\s+(?:to|of)|protections?|entitlements?|entitled)\b"
    r"|\b(?:rights?|protections?)\s+(?:[\w-]+\s+){0,4}?(?:guarantee[sd]?|gives?|grants?|owes?|affords?)\b"
    r"|\bsay\s+about\s+(?:him|her|them|someone|people|(?:a|the)\s+(?:migrants?|man|woman|boy|girl|person|"
    r"people|survivors?|passengers?|victims?))\b", re.I)


def asks_protection(question: str) -> bool:
    """Does the question ask what rights or protection a text gives someone?"""
    return _ASKS_PROTECTION.search(question) is not None


def asks_punishable(question: str) -> bool:
    """Does the question ask whether what it tells is conduct a text requires States to punish?"""
    return _ASKS_PUNISHABLE.search(question) is not None


def asked_classification(question: str) -> str | None:
    """The field's term ("smuggling", "trafficking") a question asks whether something falls under,
    or None: "is what he's doing smuggling under the Protocol?" is decided by the Protocol's
    definition of the smuggling of migrants."""
    m = _CLASSIFIED_AS.search(question)
    if m is None:
        return None
    term = next(g for g in m.groups() if g).lower()
    return "smuggling" if term.startswith("smuggl") else "trafficking"


# A definition named as where something is ("In the UN definition of migrant smuggling, does the
# 'material benefit' have to be cash?"): what is asked is about a part of it, not the definition
# (unless it asks about the definition's own list: "is 'fraud' listed as one of the means in the UN
# definition of trafficking?", which only the definition answers)
_DEFINITIONS_LIST = re.compile(r"\b(?:acts?|means|elements?|listed|included|named|enumerated)\b[^.?!]{0,40}$", re.I)
_WITHIN_A_DEFINITION = re.compile(r"\b(?:" + "|".join(_CONTEXT_WORDS) + r")\s+(?:the|its|their|this|that)\s+"
                                  r"(?:[\w'’-]+\s+){0,2}$", re.I)


# Where a definition is, asked for ("Which international treaty actually contains the UN definition of
# trafficking…?"): the text that holds it, by name, not what it says
_HOLDS_A_DEFINITION = re.compile(r"\b(?:which|what)\s+(?:[\w-]+\s+){0,2}?(?:treat(?:y|ies)|instruments?|conventions?|"
                                 r"protocols?|documents?|texts?|laws?|acts?|articles?|provisions?|sources?)\s+"
                                 r"(?:[\w-]+\s+){0,2}?(?:contains?|holds?|sets?\s+out|gives?|has|lays?\s+down|"
                                 r"provides?)\s+(?:(?:the|its|that|a)\s+(?:[\w'’-]+\s+){0,3}?)?$", re.I)


def asked_definition(question: str) -> str | None:
    """The term whose definition (meaning, elements) the question asks for, or None. An acronym
    ("what does NRM stand for") is not one: its spelling out answers it."""
    for rx in _DEFINITION_QUESTIONS:
        m = rx.search(question)
        if m and _HOLDS_A_DEFINITION.search(question, 0, m.start()):
            return None  # "which treaty contains the UN definition of…?" asks for the treaty
        if not m or (_WITHIN_A_DEFINITION.search(question, 0, m.start())
                     and not _DEFINITIONS_LIST.search(question, 0, m.start())):
            continue
        term = m.group("term")
        if m.start("term") and question[m.start("term") - 1] in "'\"“‘":
            # a quoted term ends at its closing quote ("what does UNODC mean by a 'gender-responsive'
            # approach to TIP work?" asks about "gender-responsive")
            term = re.split("['\"”’]", term, maxsplit=1)[0]
        # "how does UNODC define aggravated smuggling - what makes it 'aggravated'?": a dash begins
        # another question about the term, not more of it
        term = re.split(r"\s+[-–—]\s+", term, maxsplit=1)[0].strip(" '\"“”‘’")
        words = [w for w in term.lower().split() if w not in ("actually", "really", "exactly")]
        if len(words) == 1 and words[0] in ("it", "this", "that", "they", "these", "those"):
            # "non punishment principle - what does it actually mean?": the term heads the message
            head = re.match(r"\s*(?P<head>[^?:–—-]{3,60}?)\s+[-–—:]\s+", question)
            if head is None:
                return None
            term, words = head.group("head").strip(), head.group("head").lower().split()
        if words and words[0] in ("in", "under", "within", "by", "for", "at", "on", "of", "from"):
            continue  # "which terms does the Protocol define in its use-of-terms article?": where, not what
        if words and set(words) <= _STANDING_WORDS:
            # "the 'means' listed in the international definition": a definition by its standing
            # alone is the one of the field's term the question names ("…quotes the trafficking
            # definition…")
            field = _FIELD_TERM.search(question)
            if field is None:
                continue
            term, words = field.group(0).lower(), [field.group(0).lower()]
        if tokenize(term) and not _NOT_TERM_WORDS & set(words) and not term.isupper():
            return term
    return None


# A question that is nothing but a term ("What's a reflection period?", "what is vacatur?",
# "Define debt bondage"): the term itself is what the texts must use. Up to three words, none of
# them small ("the role of NGOs", "capital of Australia" are questions about something else).
_TERSE_TERM = re.compile(
    r"^\W*(?:(?:so|ok|okay|and|quick one)\W+)?(?:what(?:'s|’s|\s+is|\s+are)|define|explain)\s+"
    r"(?:an?\s+|the\s+)?[\"“‘']?(?P<term>[\w-]+(?:\s+[\w-]+){0,2}?)[\"”’']?\s*[?.!]*\s*$", re.I)


# The same with the term first: "non-refoulement in the toolkit - what is it, one line", "vacatur:
# what does it mean?"
_HEADED_TERM = re.compile(
    r"^\W*[\"“‘']?(?P<term>[\w-]+(?:\s+[\w-]+){0,2}?)[\"”’']?(?:\s+in\s+the\s+[\w-]+)?\s*[-–—:]\s*"
    r"(?:what(?:'s|’s|\s+is|\s+are)\s+(?:it|this|that|they)|what\s+does\s+it\s+mean|meaning|definition)\b"
    r"[^?]{0,30}\??\s*$", re.I)


def asked_term(question: str) -> str | None:
    """The term of a question that asks only what a term is ("What's a reflection period?",
    "reflection period - what is it?" -> "reflection period"), or None. Acronyms are not terms here
    (their spelling out is looked up elsewhere), nor phrases with small words ("what is the aim of
    the toolkit")."""
    m = _TERSE_TERM.match(question) or _HEADED_TERM.match(question)
    if not m:
        return None
    term = m.group("term")
    words = re.findall(r"[\w-]+", term)
    if any(is_acronym(w) or w.lower() in STOPWORDS or w.isdigit() for w in words):
        return None
    return term


def _any_ending(word: str) -> str:
    """A pattern for ``word`` with any ending: the part it shares with its stem, which the stemmer
    may respell ("entry" -> "entri", "labour" -> "labor"), then any letters."""
    root = stem(word)
    shared = next((i for i, (a, b) in enumerate(zip(word, root, strict=False)) if a != b), min(len(word), len(root)))
    return re.escape(word[:shared] or word) + r"\w*"


def defines(term: str, text: str) -> bool:
    """Does ``text`` (a sentence) define ``term`` ("'Smuggling of migrants' shall mean…"), or explain
    it as its subject ("Gender mainstreaming … speaks to…")? Each word of the term may carry an
    ending ("migrants" for "migrant")."""
    words = re.findall(r"[\w-]+", term.lower())
    if not words:
        return False
    named = r"[\"“‘'‘’]?" + r"\W+(?:\w+\W+){0,2}?".join(_any_ending(w) for w in words) \
        + r"(?:\W+\w+){0,3}?[\"”’']?"  # "trafficking" in "'Trafficking in persons' shall mean"
    after = re.search(r"\b" + named + r"\s*(?:\([^)]{0,40}\)\s*)?" + _DEFINING_VERB + r"\b", text, re.I)
    around = re.search(r"\bdefin\w*\s+(?:the term\s+)?" + named + r"\s+as\b", text, re.I)
    # A sentence about the term as its subject explains it where no text defines it formally
    # ("Gender mainstreaming does not only speak to the need to…", "The principle is premised on…").
    # (only its own phrase and small words may follow: "Trafficking in persons is…", "Gender
    # mainstreaming does not only speak…", not "The Trafficking in Persons Protocol is…", a sentence
    # about something else)
    own = r"[\"“‘'‘’]?" + r"\W+(?:\w+\W+){0,2}?".join(_any_ending(w) for w in words) \
        + r"(?:\s+(?:in|of|for)\s+\w+)?[\"”’']?"
    subject = re.match(r"\W*(?:the\s+)?" + own + r"\W*\s+(?:(?-i:[a-z])\w*\s+){0,3}?" + _DESCRIBING_VERB + r"\b",
                       text, re.I)
    return bool(after or around or subject)



# ----------------------------------------------------------------------------- sentences
# A sentence ends at . ! ? (or ; : before a new line), after closing quotes/brackets and any
# citation markers, before an upper-case start, a digit, a bullet or an opening bracket.
_BOUNDARY = re.compile(
    r"(?<=[.!?;:])[\"”’)\]]*(?:[ \t]*\[[^\[\]\n]{1,30}\])*\s+(?=[\"“‘(\[]?[A-Z0-9•(])|\n+"
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences (and list items) of ``text``; a citation marker after a
    full stop stays with the sentence it follows."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        before = text[start : m.start()].rstrip()
        last_word = re.findall(r"([A-Za-z.]+)\.$", before)
        if m.group(0).strip("\n ") == "" and "\n" not in m.group(0) and last_word and (
            last_word[0].lower().rstrip(".") in _ABBREV or len(last_word[0].rstrip(".")) == 1
        ):
            continue  # "para. 12", "V.C.L. and", "A. General"
        if text[m.start() - 1 : m.start()] in ";:" and "\n" not in m.group(0):
            continue  # keep clauses joined by ; or : together unless a list item follows
        end = m.start() + len(m.group(0).rstrip())
        if before.strip():
            spans.append(_trim(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def last_sentence_end(text: str) -> int | None:
    """Where the last *complete* sentence of ``text`` ends (for cutting text at a budget), or None."""
    spans = sentence_spans(text)
    if len(spans) < 2:
        return None
    return spans[-2][1]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def normalize_space(text: str) -> str:
    """Collapse whitespace and lowercase: for containment checks that ignore line breaks."""
    return re.sub(r"\s+", " ", text).strip().lower()


# A passage's words as a drafter copies them: quotes, dashes and line breaks as typed anywhere.
_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00ad": None})
# Fewest words of a pasted extract: below it, a phrase is a question's wording, not a quote.
PASTED_MIN_WORDS = 8


def for_matching(text: str) -> str:
    """``text`` lower-cased, with whitespace collapsed and quotes and dashes made plain: where a
    pasted extract is looked for verbatim."""
    return normalize_space(text.translate(_TYPOGRAPHY))


def pasted_extract(query: str) -> str | None:
    """The words a query pastes from the texts, for a verbatim look-up: the longest quoted part of
    ``PASTED_MIN_WORDS`` words or more ('Where does it say "States parties should…"?'), else the whole
    query when it is that long and does not ask ("…the principle is premised on the recognition that
    victims."), else None. Its ends are trimmed of punctuation and ellipses."""
    plain = query.translate(_TYPOGRAPHY)
    quoted = [m.group(1) for m in re.finditer(r'"([^"]+)"', plain)]
    candidates = [q for q in quoted if len(q.split()) >= PASTED_MIN_WORDS]
    if candidates:
        extract = max(candidates, key=len)
    elif len(plain.split()) >= PASTED_MIN_WORDS and not plain.rstrip().endswith("?"):
        extract = plain
    else:
        return None
    return for_matching(extract).strip(" .,;:!?…'\"-") or None


# Where one typed sentence asks several questions: "how is X defined, who does it protect, and does
# UNODC think…?" — a comma before a question word or auxiliary starts a new one.
# (after a comma, an enumerator may come first: "a) what is X, b) what is Y, and c) how…")
_NEXT_QUESTION = re.compile(r",\s*(?:and\s+|or\s+|but\s+)?(?:\(?(?:[a-h]|\d{1,2}|[ivx]{1,4})\)\s*)?"
                            r"(?=(?:who|what|which|when|where|why|how|does|do|is|are|"
                            r"can|could|should|must|did|was|were|will|would)\b)", re.I)


# ("when" or "where" asks only before a verb: "When is the session…" does, "When the trafficked
# person is a child, …" sets a condition)
_ASKS = re.compile(r"\b(?:who|what|which|why|how)\b|\b(?:when|where)\s+(?:is|are|was|were|do|does|did|will|would|"
                   r"can|could|should|shall|has|have|had|must|may|might)\b|"
                   r"^\W*(?:\(?(?:[a-h]|\d{1,2}|[ivx]{1,4})\)\s*)?"
                   r"(?:does|do|is|are|can|could|should|must|did|"
                   r"was|were|will|would)\b", re.I)


def question_parts(text: str) -> list[str]:
    """The questions a message asks: its sentences ending in "?", each split where another question
    follows a comma (``_NEXT_QUESTION``). What comes before the first such comma is a question of
    its own only if it asks ("how is X defined, who…"), not when it tells ("He was arrested, is that
    lawful?") or counts ("First, can we…")."""
    out: list[str] = []
    for sentence in typed_sentences(text):
        if not sentence.rstrip().endswith("?"):
            continue
        parts = [p.strip() for p in _NEXT_QUESTION.split(sentence) if p.strip()]
        if len(parts) > 1 and (not _ASKS.search(parts[0]) or _FRONTED_ASK.match(parts[0])):
            parts[:2] = [f"{parts[0]}, {parts[1]}"]
        out += parts
    # "and if the victim is a child? does the compulsion still have to be shown?": a condition typed
    # as a question of its own is the condition of the question after it
    for i in range(len(out) - 2, -1, -1):
        if _CONDITION.match(out[i]) and not _ASKS.search(out[i]) and not _NEXT_QUESTION.search(out[i]):
            out[i:i + 2] = [f"{out[i]} {out[i + 1]}"]
    return out


_CONDITION = re.compile(r"\W*(?:(?:and|but|so|ok|okay)\W+)?(?:if|when|for|in case)\b", re.I)
# What a question asks for put first, with an aside and no verb ("How much compensation, in euros per
# day of wrongful imprisonment, does the paper say…?"): the opening of the question after it, not one
# of its own
_FRONTED_ASK = re.compile(r"^\W*(?:how\s+(?:much|many|long|often)|what|which)\b(?![^,]*\b(?:is|are|was|were|do|does|did"
                          r"|can|could|should|shall|will|would|has|have|had|must|may|might)\b)[^,]*,[^,]*$", re.I)


def typed_sentences(text: str) -> list[str]:
    """The sentences of text a user typed, where a sentence may start in lower case ("…kept her
    real one. can she still be charged??"); a full stop after an abbreviation or an initial is
    not an end ("art. 6", "B.E. 2551")."""
    return [text[a:b] for a, b in typed_sentence_spans(text)]


def typed_sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of ``typed_sentences``, surrounding space trimmed."""
    out, start = [], 0
    for m in re.finditer(r"[.?!]+\s+(?=[A-Za-z])", text):
        last = re.findall(r"([A-Za-z.]+)[.?!]*$", text[start : m.start() + 1])
        word = last[0].rstrip(".").lower() if last else ""
        if m.group(0).startswith(".") and word and (word in _ABBREV or len(word.split(".")[-1]) <= 1):
            continue  # "art. 6", "B.E. 2551" (a number before the stop, "in 2017. When…", does end one)
        out.append(_trim(text, start, m.end()))
        start = m.end()
    if text[start:].strip():
        out.append(_trim(text, start, len(text)))
    return out


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings."""
    return [text[a:b] for a, b in sentence_spans(text)]


STOPWORDS = frozenset(
    """a an and are as at be been being but by can could did do does for from had has have how i if in
    into is it its may might must my no not of on or our shall should so such than that the their them
    then there these they this those to under upon us was we were what when where which while who whom
    why will with would you your about also any all other others each between against within without
    over through during before after above below up down out off again further once here both few more
    most some same own only very s t just don now get got one two me he she his her him""".split()  # noqa: SIM905
)

# The English Snowball stemmer (PyStemmer, the one bm25s supports), not a hand-written suffix list:
# on the practitioners' dev split it lifted hybrid recall@5 from 0.48 to 0.57 (recall@10 unchanged).
# Changing the stemmer changes every stored BM25 token, so its name is part of the index fingerprint.
STEMMER = "snowball-english+us-spelling+acronym-plurals"  # in the index fingerprint: a change rebuilds
# An acronym's plural is the acronym ("NGOs", "NRMs"): the stemmer, reading "ngos" as a word, keeps
# the "s", and a search for "NGO" would miss every paragraph on "NGOs".
_ACRONYM_PLURAL = re.compile(r"\b([A-Z]{2,})s\b")


@lru_cache(maxsize=1)
def _snowball() -> Any:
    import Stemmer  # PyStemmer

    return Stemmer.Stemmer("english")


# British and American spellings of a word share one stem: the UN writes "organized",
# "criminalization" but "labour", "counselling", "offence", "centre"; users write either. Applied to
# the texts and the questions alike, a rule that also rewrites a word with no twin ("otherwise")
# changes nothing a search can see.
US_SPELLING = (
    (re.compile(r"(?<=[a-z]{3})is(e|ed|es|ing|ation|ations|er|ers)$"), r"iz\1"),  # criminalised
    (re.compile(r"(?<=[a-z]{2})ys(e|ed|es|ing)$"), r"yz\1"),  # analysed
    (re.compile(r"(?<=[a-z]{3})our(s|ed|ing|er|ers|able|ably|ful|ite|ites)?$"), r"or\1"),  # labour
    (re.compile(r"^(def|off|lic|pret)ence(s)?$"), r"\1ense\2"),  # offence
    (re.compile(r"(?<=[a-z]{2}[aeiou])ll(ed|ing|er|ers|or|ors)$"), r"l\1"),  # counselling
    (re.compile(r"(?<=[a-z]{3})tre(s)?$"), r"ter\1"),  # centre
    (re.compile(r"^programme(s)?$"), r"program\1"),
    (re.compile(r"^judgement(s)?$"), r"judgment\1"),
)


def us_spelling(word: str) -> str:
    """``word`` (lower case) as American English spells it: "labour" -> "labor"."""
    for pattern, repl in US_SPELLING:
        word = pattern.sub(repl, word)
    return word


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball stem of the word's American spelling: "prosecuted" / "prosecution" / "prosecute" ->
    "prosecut"; "criminalised" / "criminalized" -> "crimin"."""
    return str(_snowball().stemWord(us_spelling(word)))


def tokenize(text: str) -> list[str]:
    """Lowercased, stopword-free, stemmed tokens (hyphenated terms also kept joined)."""
    text = _ACRONYM_PLURAL.sub(r"\1", text).lower().replace("’", "'")
    out = []
    for word in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", text):
        parts = word.split("-")
        if len(parts) > 1:
            out.append(stem(word.replace("-", "")))
        out += [stem(p) for p in parts if p not in STOPWORDS and len(p) > 1]
    return out


def content_words(text: str) -> set[str]:
    """The set of stemmed content tokens of ``text``."""
    return set(tokenize(text))


# A provision named by the words of its title ("the Smuggling Protocol's return article", "its scope
# article", "the saving clause", "the article on border measures", "the sea provisions"): what is
# asked is in it, though a story shares few of its words ("does the protection article cover them?")
_NAMED_PROVISION = re.compile(
    r"(?:\b(?:the|its|their)|'s)\s+(?P<before>(?:[\w-]+\s+)?[\w-]+)\s+(?:article|provision|clause)s?\b"
    r"|\b(?:article|provision|clause)s?\s+(?:on|about|dealing\s+with|covering|concerning)\s+(?:the\s+)?"
    r"(?P<after>[\w-]+(?:\s+[\w-]+){0,2})", re.I)
# Words that name the instrument or qualify the reference, not the provision ("the Protocol's own
# article", "the main return provision", "the relevant clause")
_NOT_PROVISION_WORDS = ("protocol treaty convention instrument un un's smuggling trafficking migrants own only main "
                        "key relevant same first last whole general final exact specific separate particular actual "
                        "that this which")


@lru_cache(maxsize=1)
def _not_provision_stems() -> frozenset[str]:
    """``_NOT_PROVISION_WORDS`` stemmed (once, on first use: not at import)."""
    return frozenset(tokenize(_NOT_PROVISION_WORDS))


def provision_names(question: str) -> list[list[str]]:
    """The words (stemmed) by which a question names provisions after their titles: [["return"]] for
    "what does the Smuggling Protocol's return article require?", [["border", "measur"]] for "the
    article on border measures"; each name's words, hyphenated ones taken apart ("information-sharing")."""
    names = []
    for m in _NAMED_PROVISION.finditer(question):
        phrase = m.group("before") or m.group("after")
        if m.group("before") and re.search(r"\b(?:that|this|which|each|every|an?|its|their)$", phrase, re.I):
            continue  # "the protection that article gives": a determiner of the article, no name
        words = [w for w in tokenize(phrase.replace("-", " ")) if w not in _not_provision_stems()]
        if words:
            names.append(words)
    return names


# Equivalent expressions used by the texts themselves (and the practitioner phrasings that map to
# them). Each group expands a query that mentions one member with the others.
SYNONYM_GROUPS: list[list[str]] = [
    ["trafficked person", "victim of trafficking", "trafficking victim", "survivor"],
    ["non-punishment", "non-criminalization", "non-prosecution", "not punished or prosecuted"],
    ["expunge", "vacate", "vacatur", "expungement", "clear criminal record", "shielding records"],
    ["conviction", "convicted", "criminal record"],
    ["sentence", "penalty", "punishment", "penalized"],
    ["smuggled migrant", "migrant smuggling", "smuggling of migrants"],
    ["forced criminality", "compelled to commit offences", "forced to commit crimes"],
    ["residence permit", "permission to stay", "stay in the country"],
    ["child", "children", "minor", "girl", "boy"],
    ["relatives", "family members", "family"],
    ["labour inspector", "labour inspection", "workplace"],
    ["shelter", "safe accommodation", "housing"],
    ["compensation", "damages", "remedies", "award"],
    ["identification", "identify", "screening", "indicators"],
    ["interpreter", "language they understand", "translation"],
    ["detention", "deprivation of liberty", "detained", "closed shelters"],
    ["joint investigation", "joint investigation teams", "cross-border investigations"],
    ["mutual legal assistance", "international cooperation"],
    ["gender", "women", "gender-sensitive"],
    ["civil society", "non-governmental organizations", "ngo", "ngos"],
    ["return", "repatriation", "reintegration"],
    ["trauma-informed", "victim-centred", "survivor-centred"],
    ["court", "judgment", "case law", "jurisprudence"],
    ["definition", "define", "shall mean"],  # treaties define terms as "'X' shall mean"
    # whether an instrument itself provides for something: "is it written into the Protocol?",
    # "an explicit clause", as the texts put it, whether it "contains provisions" on it
    # (and whether it binds States: "is non-punishment a binding obligation, or a recommendation?")
    ["written into", "explicit clause", "explicit provision", "contain provisions", "explicitly contain",
     "binding", "legal obligation"],
    # technology as the texts speak of it: "digital evidence", information and communication technologies
    ["technology", "technologies", "internet", "digital", "information and communication"],
    # "even serious violent crimes?": the texts' "regardless of the gravity or seriousness of the offence"
    ["violent crimes", "violent crime", "violent offences", "violent offence", "serious violent",
     "gravity or seriousness"],
    # "do they have to help the police first?", "do i have to testify against him before i get any
    # help?": support "not conditional on their cooperation"
    ["help the police", "help police", "cooperate with the police", "cooperate with police",
     "talk to the police", "talk to police", "cooperation with authorities", "conditional on their cooperation",
     "have to testify", "has to testify", "need to testify", "have to give evidence", "has to give evidence"],
    # a treaty's final clauses in their own words: leaving it is "denunciation", its languages the
    # texts that are "equally authentic" (a group for joining it, "ratification … or accession", cost
    # a question on UNODC's help to ratify its first place)
    ["withdraw from", "withdrawal from", "pull out of", "leave the treaty", "denounce", "denunciation"],
    # victims' say in the services meant for them ("should they get a say in how it's run?"): the
    # texts' victims "involved in the development of the services", "engaging victims in the design"
    ["a say in", "have a say", "get a say", "involved in the development", "involved in the design",
     "engaging victims in the design"],
    ["which languages", "what languages", "official languages", "equally authentic"],
    # business as the texts speak of it: "corporations", "companies", legal persons
    ["company", "companies", "corporations", "corporate", "businesses", "legal persons"],
    # "what tricks do recruiters use?": deception, as the texts (and the definition's means) say it
    ["trick", "trickery", "deception", "deceive", "deceptive", "fraudulent", "fraud"],
    # old age as the texts speak of it: "the elderly" ("do the texts mention older people anywhere?")
    ["older people", "older persons", "older adults", "elderly", "the aged", "old age"],
]


def _groups_in(text: str) -> list[list[str]]:
    """The synonym groups a member of which ``text`` mentions."""
    low = text.lower()
    return [group for group in SYNONYM_GROUPS if any(re.search(rf"\b{re.escape(term)}", low) for term in group)]


# Signs that someone is held by another's control, as a story tells them: made to, threatened, owing a
# debt, papers taken, unpaid, a 'boyfriend' selling her, a threat told by what would happen "if she
# stopped". Several notions below are such a story plus what it asks about.
_CONTROL_SIGNS = (
    r"(?:made|make|makes|making|forced|forces|forcing|told|telling|ordered)\s+(?:him|her|them|me|us|the\s+\w+"
    r"|(?:every|each)\s+(?:\w+\s+)?(?:carer|worker|picker|packer|girl|woman|boy|man|one|recruit|employee|cleaner)s?\b"
    r"|(?:several|some|many|all|most|two|three|four|a\s+few)\s+(?:of\s+)?(?:the\s+)?(?:women|girls|men|boys|workers"
    r"|staff|kids|children|people|pickers|packers|them|us)\b)"
    # a threat to have them sent away ("he'll have her sent home as a 'troublemaker'")
    r"|(?:'ll|will|would|'d|going\s+to|threaten\w*\s+to)\s+(?:have|get)\s+(?:her|him|them|me|us)\s+"
    r"(?:sent\s+(?:home|back)|deported|removed)"
    r"|(?:made|forced|pressured|coerced)\s+(?:in)?to|no\s+choice"
    # a threat, but not a customer's against a business ("she's threatening a chargeback",
    # "threatening to sue")
    r"|threat\w*(?!\s+(?:an?\s+(?:chargeback|complaint|claim|lawsuit|bad\s+review|review|refund|strike|court\s+case)s?\b"
    r"|legal\s+action|to\s+(?:sue|complain|cancel|quit|resign|leave\s+a\s+(?:bad\s+)?review|go\s+to\s+(?:the\s+)?"
    r"(?:press|papers|ombudsman|small\s+claims|court))\b))"
    r"|(?:hurt|harm|kill)\s+(?:my|his|her|their)\s+(?:family|mum|mom|mother|father|sister|brother|kids|children)"
    # a debt owed, not a question of who owes whom ("who owes her what, us or the hotel?")
    r"|(?<!\bwho\s)owe[sd]?|(?<!without\s)(?<!not\s)owing(?!\s+to\b)|debts?|unpaid|beat(?:s|en)?|['\"‘“]boyfriend|trafficked|exploited|pimp\w*|brothel"
    r"|rent(?:s|ed|ing)?\s+(?:her|him|them)\s+out|sold['’\"]?\s+(?:(?:her|him|them)(?=\s+(?:to|into|for|off|as|on|again|out)\b|\s*[.,;!?]|\s*$)|into|to)\b"
    r"|(?:got|has|had)\s+(?:her|his|their|my)\s+(?:passports?|ids?|id\s+cards?|papers)"
    r"|(?:took|take|takes|taken|hold|holds|holding|held|keep|kept|keeps|keeping|confiscated)\s+(?:[\w'’]+\s+){0,3}?"
    r"(?:(?:[\w'’]+\s+){1,2}and\s+(?:their\s+|his\s+|her\s+)?)?"
    # ("holds on to their base passes": what lets them in or out)
    r"(?:passports?|papers|ids?|documents|bank\s+cards?|(?:mobile\s+)?phones?|(?:base\s+|site\s+|security\s+|work\s+)?passes"
    r"|(?:work\s+|residence\s+)?permits?)"
    # kept dependent on drugs ("somebody has been keeping her sedated", "keeping someone hooked on drugs")
    r"|hooked\s+on|sedated|drugged|(?:kept|keep|keeps|keeping)\s+(?:her|him|them|someone|people)\s+(?:high|dependent)"
    # living where they work ("a storeroom with a kettle, six sleeping bags"; "they sleep in the back")
    r"|sleeping\s+bags|mattress(?:es)?\s+on\s+the\s+floor|(?:sleep|sleeps|sleeping|slept)\s+(?:in|at|on)\s+(?:the\s+)?"
    r"(?:back|storeroom|store\s+room|workshop|shop|site|premises|kitchen|warehouse|factory|floor)\b"
    # ("like people are living in the units", of a car wash's)
    r"|(?:people|they|workers|staff|men|women|lads|girls)\s+(?:are|were|have\s+been)\s+(?:living|sleeping)\s+(?:in|at|on)\s+"
    r"(?:the\s+)?(?:units?|site|premises|workshop|warehouse|factory|car\s+wash|yard|bays?)\b"
    # or in an outbuilding ("he's been sleeping in the dog shed ever since")
    r"|(?:sleep|sleeps|sleeping|slept|live|lives|living)\s+(?:\w+\s+){0,2}?in\s+(?:a|an|the)\s+(?:[\w-]+\s+)?"
    r"(?:shed|barn|stables?|kennels?|garage|outbuilding|(?:shipping\s+)?container|cowshed|outhouse|boiler\s+room|cellar"
    r"|stock\s*room)\b(?!\s+(?:flat|apartment|conversion|bedroom))"
    # never a day off ("been over here three years and never had a day off")
    r"|never\s+(?:had|has|have|gets?|got|been\s+given)\s+(?:a\s+|one\s+|any\s+)?(?:single\s+)?days?\s+off\b"
    r"|\bno\s+days?\s+off\s+(?:at\s+all|ever|in\s+(?:months|years|\w+\s+(?:months|years)))\b"
    # bank cards handed over ("hand over their new bank card and PIN to its local 'rep'")
    r"|(?:hand|hands|handed|handing|give|gives|gave|giving)\s+over\s+(?:\w+\s+){0,2}?(?:passports?|papers|ids?"
    r"|id\s+cards?|documents|bank\s+cards?|(?:debit|cash|atm)\s+cards?)"
    r"|(?:passports?|papers|documents|ids|id\s+cards?)\s+(?:were\s+|was\s+|are\s+|is\s+)?(?:held|taken|confiscated|kept)"
    # told the other way round: "their passports, which he has kept for two years", "give them back
    # their passports", "won't give the passport back"
    r"|(?:passports?|papers|documents|ids|id\s+cards?),?\s+(?:which|that)\s+(?:he|she|they|the\s+\w+)\s+"
    r"(?:has\s+|had\s+|have\s+|still\s+)?(?:kept|held|taken|confiscated|keeps|holds)"
    r"|(?:give|gives|giving|gave|hand|hands|handing|handed)\s+(?:them|him|her|me|us)\s+back\s+(?:their|his|her|my)\s+"
    r"(?:passports?|papers|ids?|id\s+cards?|documents)"
    r"|(?:won'?t|wouldn'?t|will\s+not|refus\w*\s+to|not)\s+(?:give|hand)\s+(?:\w+\s+)?(?:their|his|her|my|the)\s+"
    r"(?:passports?|papers|ids?|id\s+cards?|documents)\s+back"
    r"|(?:wages?|pay|salar(?:y|ies)|earnings)\s+(?:were\s+|was\s+|are\s+|is\s+|being\s+)?(?:withheld|held\s+back|kept)"
    r"|(?:withh[eo]ld\w*|keeps?|kept|takes?|took)\s+(?:all\s+)?(?:of\s+)?(?:their|his|her|the)\s+(?:wages?|pay|earnings|salar(?:y|ies)"
    r"|takings|tips|money)"
    # a debt worked or paid off to the one in control ("keeps her ID until the fee is paid off", "I
    # must pay for the house"), and what they earn emptied out ("the agent emptied the tips jar")
    r"|(?:fees?|debts?|loans?|trip|journey|tickets?|travel|visas?|flights?)\s+(?:is\s+|are\s+|was\s+|were\s+|has\s+been\s+)?"
    r"(?:paid|worked)\s+off"
    r"|(?:pay|pays|paying|work|works|working)\s+off\s+['‘\"“]?(?:the\s+|his\s+|her\s+|their\s+|my\s+)?(?:travel\s+|recruitment\s+"
    r"|agency\s+|agent['’]?s\s+)?(?:fees?|debts?|loans?"
    r"|trip|journey|tickets?|travel|visas?|flights?|place|room|bed|accommodation|housing|rent)"
    r"|(?:must|have\s+to|has\s+to|had\s+to|got\s+to)\s+pay\s+(?:for|off)\s+(?:the|his|her|their|my)\s+(?:house|room|bed|caravan"
    r"|trip|journey|travel|debt|flight|ticket|visa)"
    r"|(?:empt(?:y|ies|ied|ying)|pocket(?:s|ed|ing)?)\s+(?:the\s+|his\s+|her\s+|their\s+)?(?:tips?(?:\s+(?:jar|box|pot))?"
    r"|takings|earnings|wages|pay)\b"
    # what she is paid taken off her ("he takes the cheque off her before she's out of the door")
    r"|(?:takes?|took|taking|grabs?|grabbed)\s+(?:the\s+|her\s+|his\s+|their\s+)?(?:cheques?|cash|money|pay|wages?|earnings)"
    r"\s+(?:off|away\s+from)\s+(?:her|him|them)\b"  # (not "takes the cash from them at the till")
    r"|(?:not|never|hadn'?t|haven'?t|hasn'?t|weren'?t|wasn'?t|isn'?t|aren'?t)\s+(?:been\s+|being\s+)?paid"
    r"|(?:doesn'?t|don'?t|didn'?t|never|not)\s+(?:get|gets|getting|got)\s+paid"
    # what she earns handed over to another ("hands every day's takings to the owner's husband")
    r"|(?:hands?|handed|handing|gives?|gave|giving|pass(?:es)?|passed|turns?\s+over)\s+(?:over\s+)?(?:all\s+(?:of\s+)?|"
    r"every\s+\w+['’]s\s+|the\s+|her\s+|his\s+|their\s+)?(?:takings|earnings|wages|tips|pay)\s+(?:over\s+)?to\b"
    r"|for\s+nothing|without\s+pay"
    # ("she is being controlled by the middleman who brings her the work")
    r"|(?:she|he|they|who|\w*workers?|girls?|women|woman|men|man|lads?|boys?|kids?|staff|cleaners?|pickers?)\s+"
    r"(?:is|are|was|were)\s+(?:being\s+|been\s+)?(?:\w+\s+)?controlled\s+by\s+(?:a|an|the|his|her|their|some)\s+"
    r"(?:\w+\s+)?(?:man|men|woman|middleman|boss|gang|agent|pimp|boyfriend|husband|uncle|family|people|guy|recruiter"
    r"|employer|landlord|owner|broker|fixer)\b"
    # what she earns goes to another ("she never sees her wages - they're paid to a 'sponsor'"), and a
    # debt for the journey repaid to him ("he paid for her flight and she's still 'paying it back'")
    r"|never\s+(?:sees?|saw|gets?|got|touch(?:es)?|touched)\s+(?:any\s+of\s+|a\s+penny\s+of\s+)?(?:her|his|their)\s+"
    r"(?:own\s+)?(?:wages|pay|earnings|money|salary)"
    r"|never\s+(?:sees?|saw|gets?|got)\s+(?:a\s+(?:penny|cent|dime|single\s+\w+)|a\s+thing|any\s+of\s+it)\b"
    # someone else collecting the worker's pay from the employer ("a bloke … collects his wages off me
    # in cash at the end of the week")
    r"|(?:collects?|collected|collecting|picks?\s+up|picked\s+up)\s+(?:his|her|their|the\s+\w+['’]s)\s+(?:wages|pay"
    r"|money|earnings|salary)\s+(?:\w+\s+)?(?:off|from)\s+(?:me|us|the\s+\w+)\b"
    r"|(?:wages|pay|earnings|salary)\s+(?:\w+\s+){0,2}?(?:paid|sent|handed|transferred|goes|go|went)\s+(?:straight\s+)?to\s+"
    r"(?:a|an|the|his|her|their)\s+['‘\"“]?(?:sponsor|boss|agent|man|owner|handler|manager|boyfriend|uncle|driver|landlord"
    r"|gangmaster|middleman)"
    r"|(?:paying|pays|paid)\s+(?:it|him|them)\s+back\b"
    # marks of violence ("one had bruises on her wrists"), and someone else after their papers ("he
    # came to my desk asking for copies of their registration papers")
    r"|bruis\w*|black\s+eyes?|burn\s+marks"
    r"|(?:ask|asks|asked|asking|want|wants|wanted|demand\w*)\s+(?:for\s+)?(?:\w+\s+){0,3}?(?:their|her|his)\s+"
    r"(?:\w+\s+)?(?:passports?|papers|ids?|id\s+cards?|documents)"
    # someone else speaks for them ("a man always rides along and answers for them", "he does all the talking")
    r"|(?:answers|answered|answering|speaks|spoke|speaking|talks|talked)\s+for\s+(?:her|him|them)\b"
    # ("the man who came with her answered every question", "answers all the questions for them"; not
    # the user's own answers)
    r"|(?<!\bI\s)(?<!\bwe\s)(?:answers|answered|answering)\s+(?:every|each|all\s+(?:of\s+)?(?:the|my|our|your)?)\s*(?:\w+\s+)?questions?\b"
    # not let to be on their own ("wouldn't let her go into the test room on her own")
    r"|(?:won['’]?t|wouldn['’]?t|didn['’]?t|doesn['’]?t|don['’]?t|never)\s+(?:let|allow)\s+(?:her|him|them)\s+(?:\w+\s+){1,6}?"
    r"(?:on\s+(?:her|his|their)\s+own|alone|by\s+(?:her|him|them)sel(?:f|ves))\b"
    r"|(?:does|did|do)\s+(?:all\s+)?(?:of\s+)?the\s+talking"
    # ("he answers whenever I ask them anything"; "she had to look at him before she could tell me")
    r"|(?<!\bI\s)(?<!\bwe\s)(?:answers|answered)\s+(?:whenever|every\s+time|each\s+time)\b"
    r"|(?:look|looks|looked|glance[sd]?)\s+(?:at|to|towards)\s+(?:him|her|them)\s+(?:first\s+)?(?:for\s+permission"
    r"|for\s+approval|before\s+(?:(?:she|he|they|i)\s+(?:could|would|can|will|dared?\s+to)\s+)?(?:answer|speak|reply|say"
    r"|tell|talk)\w*)\b"
    # work for a bed and food only, never a payslip ("works in his takeaway every day 'for rent and food'")
    r"|(?:works?|working|worked)\s+(?:[\w'’]+\s+){0,5}?['‘\"“]?(?:for|in\s+exchange\s+for|in\s+return\s+for)\s+"
    r"(?:(?:her|his|their)\s+)?(?:rent|food|meals|board|a\s+bed|bed|keep|somewhere\s+to\s+(?:live|sleep)|a\s+roof)"
    r"(?:\s+and\s+(?:food|board|rent|a\s+bed|keep))?(?=\s*(?:['’\"”]|[.,;:!?)]|$)|\s+only\b|\s+and\s+nothing\b)"
    r"|(?:never|not\s+once)\s+(?:had|got|been\s+given|received|seen)\s+(?:a\s+|any\s+)?(?:payslips?|pay\s+slips?|wage\s+slips?)"
    # a child's kin claimed by the adult with them, or denied ("a man who said he was her uncle", "the
    # farmer calls them his nephews", "says he's not her uncle")
    r"|(?:said|says|say|claimed|claims|claiming|told\s+(?:me|us))\s+(?:that\s+)?(?:he|she|they)\s*(?:was|is|were|are|['’]s|['’]re)\s+"
    r"(?:her|his|their|the\s+(?:girl|boy|child|kid)['’]s)\s+(?:uncle|aunt|auntie|cousin|father|mother|dad|mum|mom|brother|sister"
    r"|relatives?|guardian|parents?)\b"
    r"|(?:calls|called|calling)\s+(?:her|him|them)\s+(?:his|her|their)\s+(?:nieces?|nephews?|daughters?|sons?|cousins?"
    r"|relatives?)\b"
    r"|(?:he|she)(?:['’]s|\s+is|\s+was)\s+not\s+(?:really\s+)?(?:her|his|their)\s+(?:real\s+)?(?:uncle|aunt|auntie|cousin|father"
    r"|mother|dad|mum|mom|brother|sister|relative|guardian)\b"
    # papers named, then taken ("asked her to keep his ID card for him because 'the boss takes them'")
    # (from "card": "keep his ID" may be a sign of its own, and signs are found one after another)
    r"|(?:passports?|papers|ids|cards?|documents)\b[^.?!]{3,60}?\b(?:takes|took|keeps|kept|holds|held"
    r"|confiscates|confiscated)\s+them\b(?!\s+(?:a|an|one|two|three|several|\d+)\s+(?:\w+\s+)?(?:minutes?|hours?|days?"
    r"|weeks?|months?|years?)\b)"
    # no phone of their own ("she never has her own phone"), someone else answering for them ("the
    # driver is the one who answers when we call"), a visa that ties them to one employer, a fee
    # taken off them each day ("takes a 'pitch fee' off us")
    r"|(?:never|doesn['’]?t|don['’]?t|does\s+not|do\s+not|hasn['’]?t|haven['’]?t|has\s+no|have\s+no|without)\s+"
    r"(?:has\s+|have\s+|got\s+|a\s+)?(?:her|his|their)\s+own\s+(?:mobile\s+|cell\s+)?phones?"
    r"|no\s+(?:mobile\s+|cell\s+)?phones?\s+of\s+(?:her|his|their)\s+own"
    r"|(?:is|was|'s|’s)\s+the\s+one\s+who\s+(?:always\s+)?(?:answers|speaks|talks|does\s+the\s+talking)\b"
    r"|(?:visas?|permits?|status)\s+(?:is\s+|are\s+|was\s+|were\s+)?tied\s+to\s+(?:this|the|that|one|his|her|their|my|our)\s+"
    r"(?:\w+\s+)?(?:employers?|boss|company|firm|sponsors?|owners?|agency)"
    r"|(?:can['’]?t|cannot|couldn['’]?t|not\s+allowed\s+to)\s+(?:just\s+)?(?:go\s+(?:and\s+)?)?(?:work|change\s+jobs?"
    r"|switch\s+(?:jobs?|employers?))\s+(?:for\s+)?(?:anyone|anywhere|somewhere|someone|any\s*(?:one|where)|some\s*where)\s+else"
    # (not an employer asked to deduct a recruiter's fee: "deduct his fee from their wages")
    r"|(?:takes?|took|taking|docks?|docked)\s+(?:an?\s+|the\s+)?['‘\"“]?(?:[\w-]+['’\"”]?\s+)?(?:fee|charge)s?"
    r"['’\"”]?\s+(?:off|from|out\s+of)\s+(?:me|us|her|him|them)\b"
    # someone who never leaves them alone with others ("he stays in the room the whole time")
    r"|(?:stays?|stayed|staying|sits?|sat|sitting)\s+(?:in\s+the\s+room|with\s+them|with\s+her|with\s+him)\s+"
    r"(?:the\s+)?(?:whole|entire)\s+time"
    r"|never\s+(?:leaves?|left|lets?)\s+(?:them|her|him)\s+(?:alone|out\s+of\s+(?:his|her|their)\s+sight)"
    # ("the older woman who brought her wouldn't leave the surgery")
    r"|(?:won['’]?t|wouldn['’]?t|didn['’]?t|refused\s+to|would\s+not|will\s+not)\s+leave\s+(?:the\s+)?(?:room|surgery|consulting\s+room"
    r"|exam\w*\s+room|treatment\s+room|office|cubicle|interview\s+room|(?:her|his|their)\s+side)\b"
    # a child's sex for others told as favours ("says she 'does favours' for his mates")
    r"|(?:do|does|did|doing)\s+['\"‘“]?favou?rs['\"’”]?\s+for\s+(?:his|her|their)\s+(?:mates|friends|pals|clients"
    r"|customers|associates)"
    # or silent while someone is by ("the boys wouldn't say a word to me while he was standing there")
    r"|(?:won['’]?t|wouldn['’]?t|didn['’]?t|don['’]?t|doesn['’]?t|never)\s+(?:say|speak|talk)\s+(?:a\s+word\s+)?"
    r"(?:\w+\s+){0,3}?(?:while|when|in\s+front\s+of)\s+(?:he|she|him|her|they|them|the\s+\w+)\s+(?:was\s+|is\s+|were\s+|are\s+)?"
    r"(?:there|around|present|standing|watching|listening|in\s+the\s+room|nearby)"
    # their phones handed over ("hand their phones to the supervisor at the start of each shift"; taken:
    # with their papers above)
    r"|(?:hand|hands|handed|handing)\s+(?:over\s+)?(?:their|his|her|my|our)\s+(?:mobile\s+)?phones?\s+(?:over\s+)?to\b"
    # pay put off to the end ("each of them will get a bicycle and some money after three harvests")
    r"|(?:get|gets|be\s+paid|get\s+paid|receive|receives)\s+(?:\w+\s+){0,5}?(?:money|wages|pay|paid|cash)\s+(?:only\s+)?"
    r"(?:after|at\s+the\s+end\s+of)\s+(?:\w+\s+){0,2}?(?:harvests?|seasons?|years?|months?|contract)"
    # a threat of being sent home ("were told they'd be sent home owing money if they missed targets")
    r"|(?:told|threatened|warned)\s+(?:\w+\s+){0,3}?(?:they|she|he|i|we)(?:['’]d|\s+would|['’]ll|\s+will)\s+be\s+"
    r"(?:sent\s+(?:home|back)|deported|reported)"
    # kept in: "she never leaves the flat", "they can't leave until the debt is paid"
    r"|(?:never|(?:not|isn['’]?t|aren['’]?t|wasn['’]?t|weren['’]?t)\s+allowed\s+to|can'?t|cannot|couldn'?t)\s+(?:\w+\s+)?"
    r"(?:leave|go\s+out|quit)|locked\s+in"
    r"|locked\s+(?:\w+\s+)?from\s+the\s+outside"
    # locked in where they sleep or work: "locked them in a house", "dormitories are locked at
    # night", "the owner locks the outside door at night", "sleeping in a locked caravan"
    r"|locked\s+(?:him|her|them|me|us|everyone)\s+in(?:side)?\b"
    r"|(?:locks|locked)\s+(?:(?:the|their|our|its|his|her)\s+)?(?:\w+\s+){0,2}?(?:at\s+night|every\s+night|overnight)"
    r"|(?:in|inside)\s+a\s+locked\s+(?:house|flat|room|caravan|garage|container|shed|barn|compound|dormitory|hostel)"
    r"|(?:never|not|isn['’]?t|aren['’]?t|wasn['’]?t|weren['’]?t)\s+allowed\s+(?:to\s+go\s+)?(?:ashore|out(?:side)?|off\s+the\s+\w+)\b"
    # food withheld as the threat ("he has to bring in a set number every night or he doesn't eat")
    r"|or\s+(?:she|he|they|we|i)\s+(?:doesn['’]?t|don['’]?t|won['’]?t|does\s+not|do\s+not|will\s+not)\s+(?:get\s+to\s+)?"
    r"(?:eat|get\s+(?:fed|food|paid))"
    # sleeping where they work ("four young men sleep back there on the floor", "they live in the back
    # room of the salon")
    r"|(?:sleep|sleeps|sleeping|slept|live|lives|living)\s+(?:\w+\s+){0,3}?(?:on\s+the\s+(?:floor|premises)"
    r"|in\s+the\s+back\s+(?:room|of\s+the\s+(?:shop|salon|restaurant|takeaway|kitchen|van|warehouse|unit))"
    r"|(?:above|behind|in)\s+the\s+(?:shop|salon|restaurant|takeaway|car\s+wash|workshop|warehouse|factory)\b)"
    # a plea to be taken away ("asked me for a lift 'anywhere, please'", "begged us to take her with us")
    r"|(?:asked|asks|begged|begs|pleaded\s+with)\s+(?:me|us)\s+(?:for\s+a\s+lift|to\s+take\s+(?:him|her|them|me|us)\s+"
    r"(?:away|with)|to\s+help\s+(?:him|her|them|me|us)\s+(?:get\s+away|escape|leave))"
    # sold, told in the present ("he sells us in every port")
    r"|(?:sells|selling)\s+(?:us|her|him|them)\b"
    # deceived ("tricked into working for no pay", "fooled into coming here"), handed false papers by
    # those who brought them ("fake papers the boss gave them"), made to hand over all they get
    r"|(?:tricked|fooled|deceived|lured|duped)"
    r"|(?:gave|give|gives|given|handed)\s+(?:them|him|her)\s+(?:the\s+)?(?:fake|forged|false)\s+(?:\w+\s+)?(?:papers|id\s+cards?|ids?|passports?|documents|permits?)"
    r"|(?:fake|forged|false)\s+(?:\w+\s+)?(?:papers|id\s+cards?|ids?|passports?|documents|permits?)\s+(?:the\s+\w+|they|he|she)\s+(?:gave|had\s+given|handed)"
    r"|(?:hands|handed|gives|gave)\s+(?:him|her|them)\s+(?:everything|all\s+(?:of\s+)?(?:it|her|his|their|the)\b)"
    # a debt still being worked off ("fees to a recruiter that they're still paying off")
    r"|(?:still\s+)?paying\s+(?:it\s+|them\s+|that\s+)?off"
    # a threat told by what would happen "if she stopped"
    r"|if\s+(?:she|he|they|i|we)\s+(?:ever\s+)?(?:stopped|stops|refused|refuses|left|leaves|tried\s+to\s+leave"
    r"|said\s+no|went\s+to\s+the\s+police|told\s+anyone|complain(?:s|ed)?)"
)

# The texts' words for their presumption that a person who may be a victim is one until screened.
PRESUMPTION_NOTION = "presumption victim identification screening"

# The field's notions as people describe them without its words: "people who paid someone to get
# them over", "paid a driver to hide them in his truck", "paid to be flown in on fake passports" is
# the smuggling of migrants (procuring illegal entry for a financial benefit), which every blind set
# asks about this way and the texts never put in these words.
_IN_A_VEHICLE = (r"(?:in|inside|hidden\s+in)\s+(?:the\s+back\s+of\s+)?(?:(?:a|an|the|his|their)\s+"
                 r"(?:lorry|lorries|truck|van|trailer|container|car\s+boot|boot)|lorries|trucks|vans|trailers|containers)\b")
_TAKING = (r"\b(?:driv(?:e|es|en|ing)|drove|tak(?:e|es|en|ing)|took|bring(?:s|ing)?|brought|walk(?:s|ed|ing)?|"
           r"ferr(?:y|ies|ied|ying)|sneak(?:s|ed|ing)?|snuck|get|gets|got|getting|mov(?:e|es|ed|ing)|"
           r"le[ad]|leads|leading|guid(?:e|es|ed|ing)|run|runs|running|ran)\s+")
_KIN = (r"(?:sons?|daughters?|brothers?|sisters?|cousins?|nephews?|nieces?|husband|wife|kids|children|family|mother"
        r"|father|mum|dad|parents)\b")
_TAKEN_ACROSS = (
                 # whom: people taken, not the teller going ("we drove over the border for a shopping trip");
                 # one's own family taken by someone else ("the people getting my son across")
                 rf"(?:\b(?:people|persons?|man|men|woman|women|someone|somebody|smugglers?|they|he|she|who|agents?"
                 rf"|drivers?|gang)\s+(?:\w+\s+)?{_TAKING}(?:my|our)\s+{_KIN}\s+|{_TAKING}"
                 r"(?:(?!(?:my|our|and)\b)[\w'’-]+\s+){0,3}?(?:guys|people|persons|them|him|her|us|migrants"
                 r"|men|women|folks?|lads|kids|children|famil(?:y|ies)|groups?|passengers|refugees|workers|strangers|cousins?"
                 r"|brothers?|sisters?)\s+)"
                 r"(?:(?!(?:to|at|for)\b)[\w'’-]+\s+){0,4}?(?:(?:over|across|through|past|under)\s+"
                 r"(?:(?:the\s+|a\s+|that\s+|those\s+)?(?:border|frontier|mountains?|hills?|river|sea|channel|checkpoints?|fence"
                 r"|tracks?|immigration|passport\s+control|border\s+control|customs|guards?|checks?)s?\b|"
                 # hidden in a vehicle: "a man drove him over in a lorry", "got them across in his van"
                 rf"{_IN_A_VEHICLE})"
                 # a country's line crossed: "into the next country", or "across" ending what is said
                 # ("the people getting my son across")
                 r"|into\s+(?:the\s+|a\s+)?(?:next|neighbouring|neighboring|other|another)\s+country\b"
                 r"|across(?=\W*(?:[.,;!?)]|$)))"
                 # or kept in one over the border: "he doses people up so they stay quiet in the back of
                 # lorries going over the border"
                 rf"|\b(?:people|them|migrants|passengers|men|women)\b[^.?!]{{0,50}}?{_IN_A_VEHICLE}[^.?!]{{0,30}}?"
                 r"\b(?:going|goes|went|headed|heading|driven|taken)\s+(?:over|across|through)\s+(?:the\s+|a\s+)?border"
                 # or come that way: "he came over in the back of a lorry"
                 rf"|\b(?:he|she|they|i|we|who)\s+(?:\w+\s+)?(?:came|come|comes|coming)\s+(?:over|across|in|here)\s+{_IN_A_VEHICLE}")
_PAID_FOR = (r"(?:\bpa(?:y|ys|id|ying)\b|\bcharg(?:e|es|ed|ing)\b|\b(?:a|per)\s+head\b|\bfees?\b|\bcash\b|\bmoney\b|"
             r"\b(?:bucks|quid)\b|[€$£]\s?\d|\b\d[\d,.]*\s*(?:euros?|dollars?|pounds|usd|eur|gbp)\b)")
LAY_DESCRIPTIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bpa(?:y|ys|id|ying)\s+(?:a\s+|the\s+|their\s+|his\s+|her\s+)?smugglers?\b|"
                r"\b(?:pa(?:y|ys|id|ying)\b(?:\W+\w+){0,4}?|pa(?:y|ys|id|ying)\s+(?:a|the|some)\s+(?:\w+\s+){1,5}?"
                r"\d[\d,.]*\s*(?:euros?|dollars?|pounds|usd|eur|gbp|€|\$|£)?|charg(?:e|es|ed|ing)\s+(?:each\s+of\s+)?(?:them|him|her"
                r"|people)\b(?:\W+\w+){0,4}?)\W+(?:to\s+(?:be\s+|get\s+|have\s+)?|for\s+)"
                # ("charged each of them a lot of money to get visas off the back of our letters")
                r"(?:(?<=get\s)(?:\w+\s+)?visas?\b|"
                r"bring|brought|take|taken|move|moved|carry|carried|fl[yo]wn|fly|drive|driven|hide|hidden|"
                r"cross|smuggle|transport|ship|(?:get|got)\s+(?:them|him|her|us|me|people|the\s+\w+)\s+"
                r"(?:over|in|into|across|out|through|past))|"
                # people taken over a border, and money in the same breath: "he drives guys over the
                # border in his van for a few hundred bucks a head", "she paid a man a great deal of
                # money, he walked her group over the mountains at night"
                rf"{_TAKEN_ACROSS}[^.?!]{{0,80}}?{_PAID_FOR}|{_PAID_FOR}[^?!]{{0,100}}?{_TAKEN_ACROSS}", re.I),
     "smuggled migrants smuggling of migrants"),
    # "if I let them kip in the packing shed, could that be read as me helping them stay in the country
    # illegally?": aid to migrants, which the texts keep out of smuggling when given for no profit
    (re.compile(r"\b(?:help\w*|let|lets|letting|allow\w*|assist\w*|enabl\w*|put(?:ting)?\s+(?:them|him|her)\s+up|hous\w*"
                r"|shelter\w*|hid(?:e|es|ing)?)\b[^.?!]{0,60}?\b(?:stay|stays|staying|remain\w*|liv(?:e|es|ing))\s+"
                r"(?:\w+\s+){0,3}?(?:illegally|unlawfully|irregularly|without\s+(?:papers|status|permission|a\s+visa))\b", re.I),
     "support to migrants for humanitarian reasons non-profit financial or material benefit"),
    # "the gang made her steal from shops", "he makes her carry drugs", "forced into dealing": a
    # victim compelled to commit offences (the texts' words for it; "compelled to commit" is theirs)
    (re.compile(r"\b(?:made|make|makes|making|forced|force|forces|forcing|pushed|pressured|coerced)\s+"
                # (up to four words of whom: "makes one of his lads commit a crime")
                r"(?:(?!to\b|into\b)\w+\s+){0,4}?(?:(?:to|into)\s+)?(?:steal|shoplift|pickpocket|rob|burgle|beg|"
                r"break\s+into|(?:sell|deal|carry|deliver|transport|move|smuggle|grow)\w*\s+(?:\w+\s+)?(?:drugs|"
                r"cannabis|weed|cocaine|heroin|packets|packages|parcels|pills)|commit\w*\s+(?:\w+\s+)?(?:crimes?|"
                r"offen[cs]es?|fraud|theft|thefts|scams?)|run\w*\s+(?:\w+\s+)?scams?|scam"
                # her name lent to another's fraud: "made her open a bank account in her name", "makes
                # them sign loan papers"
                r"|open\w*\s+(?:\w+\s+){0,2}?(?:bank\s+accounts?|accounts?\s+in\s+(?:her|his|their|my)\s+(?:own\s+)?names?)"
                r"|sign\w*\s+(?:\w+\s+){0,2}?(?:loans?|credit|finance)"
                r"(?:\s+(?:agreements?|papers|contracts?|applications?))?)\b"
                # "victims forced into crime", "pushed into criminality"
                r"|\b(?:forced|pushed|coerced|compelled|drawn|groomed)\s+into\s+(?:crime|criminality|criminal\s+activit(?:y|ies)"
                r"|offending)\b"
                # "the nephew had him sitting outside supermarkets begging every day"
                r"|\b(?:had|has|have|having|got|gets|kept|keeps)\s+(?:him|her|them)\s+(?:\w+\s+){0,4}?(?:begging|stealing|"
                r"shoplifting|pickpocketing)\b"
                # someone used by another and charged for it ("…the lender wants him charged with loan
                # fraud. If the guy in the BMW was using him, whose job is it to figure that out?")
                r"|(?s:^(?=.*\b(?:charg(?:e|es|ed|ing)|prosecut\w*|convict\w*)\b)(?=.*\b(?:was|were|is|are|been)\s+"
                r"(?:just\s+)?using\s+(?:him|her|them)\b))", re.I),
     "compelled to commit offences"),
    # A story of someone held by another's control (``_CONTROL_SIGNS``) who now faces a sanction
    # for what they did ("police want to
    # charge the pickers for the fake permits", "she's serving a sentence", "the port wants to fine
    # the crew"): the texts call that a victim compelled to commit offences, and their answer is the
    # non-punishment principle, which such a story never names.
    (re.compile(
        r"(?s)^(?=.*\b(?:" + _CONTROL_SIGNS + r")\b)"
        # the sanction falls on the one the story is about (she, they, the crew), not on the
        # one who exploited them ("the man who exploited her was convicted")
        r"(?=.*\b(?:(?:she|he|they|i|we)\b[^.?!\n]{0,30}?\b(?:charged|prosecuted|arrested|fined|jailed|in\s+trouble"
        r"|convicted|sentenced|punished|accused|locked\s+up)"
        r"|(?:charge|prosecute|fine|arrest|convict|punish|ban|evict|sack|dismiss|(?:charged|prosecuted|fined|arrested|convicted|punished)"
        r"(?=\s+(?:him|her|them)\b)|(?:are|is|were|was)\s+(?:now\s+)?(?:charging|prosecuting"
        r"|fining|arresting|punishing))\s+"
        r"(?!the\s+(?:traffickers?|exploiters?|smugglers?|boss|employers?|owners?|captain|skipper|pimps?|recruiters?"
        r"|agents?|gangmasters?|managers?|supervisors?|ringleaders?|landlords?)\b)"
        r"(?:him|her|them|me|us|the\s+\w+)"
        r"|charged\s+with|(?:facing|faces?|faced)\s+(?:\w+\s+)?(?:charges|prosecution|trial)|press(?:ing)?\s+charges|on\s+the\s+hook"
        # jailed, or sent before a court for young offenders ("she is in jail abroad", "police want to
        # put her through juvenile court")
        r"|in\s+(?:jail|prison)\b|(?:juvenile|youth)\s+court"
        # questioned as a suspect ("interview him under caution as a suspect for the thefts"),
        # reported for what she did ("registration staff want to report her for fraud"), picked up
        # or held for an immigration offence ("picked them up for overstaying, holding them for deportation")
        r"|(?:as|like)\s+an?\s+suspect|under\s+caution"
        r"|(?:end|ends|ended)\s+up\s+(?:being\s+)?(?:charged|prosecuted|convicted|arrested|jailed|fined|punished"
        r"|in\s+(?:jail|prison|court))"
        # blamed in their stead ("would they end up carrying the can for the false declarations?")
        r"|(?:carry|carries|carrying|carried)\s+the\s+can|(?:take|takes|taking|took)\s+the\s+(?:rap|fall)\s+for"
        r"|report\w*\s+(?:her|him|them)\s+(?:\w+\s+){0,3}?for\s+(?:\w+\s+)?(?:fraud|theft|thefts|stealing|shoplifting"
        r"|overstay\w*|illegal\w*|working|identity|fake|false|forged|document\w*|benefits?|immigration|begging"
        r"|soliciting|prostitution|drugs?|possession|trespass\w*)\b"
        r"|(?:pick|picks|picked|picking)\s+(?:her|him|them)\s+up\s+for\b"
        r"|(?:hold|holds|holding|held|detain|detains|detained|detaining)\s+(?:her|him|them)\s+(?:\w+\s+){0,2}?for\s+"
        r"(?:deportation|removal)"
        # a penalty handed to her ("I should issue her a penalty notice", "issuing her a personal fine")
        r"|(?:issue|issues|issued|issuing|give|giving|serve|serving|slap|slapping)\s+(?:her|him|them|the\s+\w+)\s+"
        r"(?:an?\s+)?(?:\w+\s+)?(?:penalty|fines?|tickets?|citations?|summons)"
        # handed to the police for what she did ("I take her details and hand her to police")
        r"|(?:hand|handed|handing|turn|turned|turning)\s+(?:her|him|them)\s+(?:over\s+)?(?:in\s+)?to\s+(?:the\s+)?police"
        r"|serving\s+(?:a|the|her|his|their)\s+(?:\w+\s+)?sentence|serving\s+(?:\w+\s+){0,2}?(?:years?|months?)"
        r"|on\s+an?\s+[\w-]+[- ](?:month|year|week)\s+sentence|criminal\s+record|did\s+(?:jail|prison)\s+time"
        # an immigration sanction: a visa curtailed (not "they'll get deported if I report it", the
        # fear of a consequence, which stories of labour exploitation tell)
        r"|(?:visa|permit|status)\s+(?:\w+\s+){0,3}?(?:curtailed|cancel+ed|revoked|withdrawn))\b)",
        re.I),
     "compelled to commit offences non-punishment"),
    # Someone who may be a victim and how to treat them: "a suspect who appears to be a trafficking
    # victim", "he hasn't been formally identified yet", "only for people confirmed as victims?", or a
    # story of control asking "what's the right way to treat them?", "do we treat her as someone who
    # lied to us?": the texts' presumption that a person who may be a victim is one until screened
    (re.compile(
        r"\b(?:possible|potential|suspected|presumed|apparent)\s+(?:trafficking\s+)?victims?\b"
        r"|\b(?:may|might|could)\s+(?:well\s+|also\s+)?(?:be\s+(?:a\s+)?(?:trafficking\s+)?victims?"
        r"|(?:have\s+been|be(?:ing)?)\s+trafficked)\b"
        r"|\b(?:appears?|seems?)\s+to\s+(?:be\s+(?:a\s+)?(?:trafficking\s+)?victims?|have\s+been\s+trafficked)\b"
        r"|(?:\bnot|n't|\bnever)\s+(?:yet\s+)?(?:been\s+)?(?:formally\s+|officially\s+)?identified\b"
        r"|\b(?:formally|officially)\s+(?:recogni[sz]ed|identified|confirmed)\b"
        r"|\bconfirmed\s+(?:as\s+)?(?:trafficking\s+)?victims?\b"
        # who decides it ("who actually gets to decide someone is a victim?")
        r"|\b(?:decides?|deciding|determines?|determining)\s+(?:that\s+|whether\s+)?(?:someone|somebody|a\s+person|she|he|they"
        r"|the\s+\w+)\s+(?:is|are|was|counts?\s+as)\s+(?:an?\s+|really\s+an?\s+)?(?:trafficking\s+)?victims?\b"
        r"|\b(?:be|being|still)\s+(?:treated|considered|regarded|seen|recogni[sz]ed|counted)\s+as\s+(?:an?\s+)?"
        r"(?:trafficking\s+)?victims?\b"
        r"|(?s:^(?=.*\b(?:" + _CONTROL_SIGNS + r")\b)"
        r"(?=.*\b(?:how\s+(?:should|do|must|would|are)\s+(?:we|i|they|you|police|the\s+\w+)\s+(?:to\s+)?"
        r"(?:treat|see|view|approach|handle|deal\s+with)|how\s+(?:should|must)\s+(?:she|he|they|the\s+\w+)\s+be\s+"
        r"(?:treated|seen|viewed|handled|dealt\s+with)|treat(?:ed|ing)?\s+(?:her|him|them|the\s+\w+)\s+as"
        r"|what\s+(?:\w+\s+)?appl(?:y|ies)\s+to\s+(?:her|him|them|the\s+\w+)|(?:someone|people|anyone)\s+"
        r"(?:in\s+(?:his|her|their)\s+(?:position|situation|shoes)|like\s+(?:him|her|them))"
        r"|right\s+way\s+to\s+treat|(?:is|are)\s+(?:she|he|they)\s+(?:an?\s+)?(?:trafficking\s+)?victims?"
        r"|what\s+should\s+(?:have\s+)?happen\w*|someone\s+who\s+needs\s+help|is\s+(?:that|this|it)\s+trafficking"
        # what frontline staff are to do ("what's supposed to happen to her now?", "what should we be
        # doing with these girls?", "what's expected of us?", "how should people on the frontline respond?")
        r"|what(?:'s|\s+is|\s+are)?\s+(?:\w+\s+){0,3}?(?:supposed|expected|meant)\s+to\s+(?:happen|do)\b|(?:supposed|meant)\s+to\s+happen\s+first"
        r"|what\s+(?:should|must|can|do)\s+(?:i|we|staff|people\s+like\s+(?:me|us))\s+(?:be\s+)?do(?:ing)?"
        r"|(?:expected|required)\s+of\s+(?:us|me)|how\s+(?:should|do|must)\s+(?:\w+\s+){0,4}?respond)\b))",
        re.I),
     PRESUMPTION_NOTION),
    # Someone whose age is in doubt ("says she's 19 but looks about 14", "we don't know how old he
    # is", "his age is disputed"): the texts' presumption that a person who may be a child is treated
    # as a child until an age determination
    (re.compile(r"\blooks?\s+(?:about\s+|like\s+|around\s+|maybe\s+)?(?:\d{1,2}\b|younger|underage|a\s+child|a\s+minor)"
                r"|\b(?:age|ages)\s+(?:is\s+|are\s+|was\s+)?(?:unclear|unknown|uncertain|disputed|in\s+doubt|contested)\b"
                r"|\b(?:not\s+sure|unsure|don'?t\s+know|doesn'?t\s+know|no\s+idea)\s+(?:of\s+|about\s+)?how\s+old\b"
                # ("if nobody knows for sure how old the kid is - could be 15 or could be 19")
                r"|\b(?:nobody|no\s+one|no-one|can'?t|cannot)\s+(?:really\s+)?(?:knows?|tell|be\s+sure)\s+(?:for\s+(?:sure|certain)\s+)?"
                r"how\s+old\b|\bcould\s+be\s+1[0-7]\s+or\s+(?:could\s+be\s+)?(?:1[89]|[2-9]\d)\b(?=\s*(?:[-–—,.;:?!)]|$|years?\s+old\b))"
                r"|\bage\s+(?:assessment|determination)s?\b|\buntil\s+we\s+know\s+(?:her|his|their)\s+age\b"
                # an age under 18 told against the papers' ("she's 16, not 19 like the papers say")
                r"|\b(?:she|he|they|i)(?:'s|’s|'re|\s+is|\s+are|\s+was|\s+am)\s+(?:only\s+|actually\s+|really\s+)?1[0-7]\b,?\s+"
                r"(?:not|rather\s+than|instead\s+of)\s+(?:the\s+)?(?:1[89]|[2-9]\d)\b",
                re.I),
     "presumption child age determination"),
    # A migrant who steered the boat ("the guy at the tiller", "made him drive the dinghy for a free
    # crossing"): the texts' low-level smugglers, drawn in by vulnerability rather than profit
    (re.compile(r"\b(?:dr(?:ive|ives|ove|iving|iven)|pilot\w*|skipper\w*)\b(?:\W+\w+){0,3}?\W+"
                r"(?:boat|dinghy|vessel|raft)s?\b|\bat\s+the\s+(?:tiller|helm)\b"
                r"|(?s:^(?=.*\b(?:boat|dinghy|vessel|raft)s?\b).*\bsteer\w*)", re.I),
     "low-level smugglers vulnerability perpetrating crime involved in smuggling"),
    # A victim who went on to recruit others ("made her bring in new girls", "started recruiting
    # new girls for the same pimp"): the texts' former victims who recruit new victims
    (re.compile(r"(?s)^(?=.*\b(?:trafficked|exploit\w*|forced|controlled|pimp|threat\w*"
                r"|(?:made|held|makes|holds)\s+(?:her|him|them))\b)"
                r"(?=.*\b(?:recruit\w*|bring\w*|brought|lur(?:e|es|ed|ing)|controlling|manag\w*)\s+(?:in\s+)?"
                r"(?:other|new|more|younger|two|three|four|several|\d+)\s+(?:\w+\s+)?(?:girls|women|victims|people|"
                r"kids|children|workers|boys|friends)\b)", re.I),
     "former victims recruit new victims"),
    # Help across a border given for nothing ("drove his cousin over and took no money for it", "I
    # took nothing from them", "for free"): the smuggling of migrants is procured for a financial or
    # other material benefit, which the texts weigh
    (re.compile(r"(?s)^(?=.*\b(?:border|smuggl\w*|cross\w*|across|over\s+the\s+(?:border|sea|mountains?|hills?)|migrants?)\b)"
                r"(?=.*\b(?:(?:took|take|takes|taking|charged?|charging|asked\s+for|got|received)\s+(?:no|nothing)\b"
                r"(?:\s+(?:money|payment|fees?|cash|from\s+them))?|(?:didn'?t|did\s+not|never|won'?t|doesn'?t)\s+"
                r"(?:take|charge|ask\s+for|get|receive|want|make)\s+(?:any\s+|a\s+)?(?:money|payment|fees?|cash|cent|penny|profit)"
                # ("they don't pay me a penny", "hadn't paid their guide a cent")
                r"|(?:hadn'?t|haven'?t|hasn'?t|didn'?t|did\s+not|never|don'?t|doesn'?t|won'?t)\s+(?:paid|pay|pays)\s+"
                r"(?:[\w'’]+\s+){0,3}?(?:a\s+(?:penny|cent|dime|thing|single\s+\w+)|anything)"
                r"|for\s+free|free\s+of\s+charge|without\s+(?:any\s+)?(?:payment|money|charging)|no\s+money\s+(?:changed\s+hands"
                r"|involved)|not\s+for\s+(?:money|profit)|out\s+of\s+kindness"
                # nobody procured it: "got in on their own", "nobody was paid to bring them"
                r"|(?:nobody|no\s+one|no-one)\s+(?:was\s+|got\s+)?paid|(?:got|came|crossed|climbed|went|made\s+it)\s+"
                r"(?:\w+\s+){0,2}?(?:on\s+(?:their|his|her)\s+own|by\s+(?:themselves|himself|herself))"
                r"|without\s+(?:a\s+|any\s+)?(?:smugglers?|anyone'?s\s+help)"
                # or for a little: "what if they give me a few quid for the food?"
                r"|(?:give|gives|gave|giving|pay|pays|paid|paying|slip|slips|slipped)\s+(?:me|us|him|her|them)\s+"
                r"(?:a\s+few|some|a\s+bit|a\s+little|a\s+small|small)\b|a\s+few\s+(?:quid|bucks|euros|dollars|pounds))\b)",
                re.I),
     "financial or other material benefit smuggling of migrants procurement illegal entry"),
    # Whether smuggling by one way of travelling is covered ("does the smuggling protocol cover people
    # smuggled in the back of lorries, or is it just about boats?"): smuggling "by land, sea and air"
    # (the text's coverage asked of a way of travelling, not a story that happens to name one)
    (re.compile(r"(?s)^(?=.*\bsmuggl\w*)(?=.*(?:\b(?:does|do|would|will)\s+(?:[\w'’-]+\s+){0,4}?(?:protocol|treaty|convention"
                r"|definition|law|it)\s+(?:also\s+|even\s+|actually\s+|really\s+)?(?:cover|apply\s+to|include)\b[^?]{0,60}?"
                r"|\bor\s+(?:is\s+it\s+|does\s+it\s+)?(?:just|only)\s+(?:about\s+|for\s+|cover\w*\s+|appl(?:y|ies)\s+to\s+)?(?:\w+\s+)?)"
                r"\b(?:lorr(?:y|ies)|trucks?|vans?|boats?|dinghies|dinghy|ships?|planes?|flights?|aircraft|trains?"
                r"|cars?|buses|coaches|on\s+foot|by\s+(?:sea|air|land|road|rail))\b)", re.I),
     "smuggling of migrants by land sea and air routes"),
    # Trafficking with no border crossed ("nobody crosses any border", "does it have to involve
    # moving someone across a border?", "or only when people are taken abroad?", "within the
    # country"): the texts' victims "trafficked internally", of "domestic trafficking"
    (re.compile(r"\b(?:no|not|never|nobody|without|didn'?t|doesn'?t|don'?t|haven'?t|hasn'?t)\s+(?:\w+\s+){0,3}?"
                r"(?:cross\w*|left|leave|leaving)\s+(?:an?\s+|any\s+|the\s+|their\s+|international\s+)*"
                r"(?:borders?|country|countries)\b"
                r"|\bno\s+(?:\w+\s+)?borders?\s+(?:was\s+|were\s+|is\s+|being\s+)?crossed\b"
                r"|\b(?:have|has|need|needs)\s+to\s+(?:\w+\s+){0,4}?(?:cross\w*|across)\s+"
                r"(?:an?\s+|any\s+|the\s+|international\s+)*borders?\b"
                r"|\bonly\s+(?:\w+\s+){0,2}?(?:when|if)\s+(?:\w+\s+){0,4}?(?:abroad|(?:across|cross\w*)\s+(?:an?\s+|the\s+)?borders?)\b"
                r"|\b(?:within|inside)\s+(?:the\s+same|their\s+own|one|a\s+single)\s+country\b"
                # (not "can she switch to a student visa from inside the country": someone moved or
                # exploited there)
                r"|\b(?:moved|taken|transported|trafficked|brought|recruited|exploited|sold|kept|held)\s+(?:\w+\s+){0,4}?"
                r"(?:within|inside)\s+(?:the|a)\s+country\b", re.I),
     "trafficked internally domestic trafficking"),
]

# Notions the texts share with other fields: a question told in these words is searched by the texts'
# words for them, but is not the texts' subject for that ("hold a drunk driver in a cell", "make the
# sentence heavier for phone use at the wheel", "patients' rights at the centre").
SHARED_NOTIONS: list[tuple[re.Pattern[str], str]] = [
    # What the person wants, against being reported or helped ("she's begged me not to tell anyone",
    # "he doesn't want the police involved", "am I going against what victims want?"): the texts'
    # people identified against their wishes, and the agency of rights holders (a wish every field
    # meets: "she won't press charges against her husband" is not the texts' subject)
    (re.compile(r"\b(?:begged|begging|asked|asking|pleaded\s+with|pleading\s+with|made)\s+(?:me|us)\s+(?:to\s+)?"
                r"(?:not\s+to|never\s+to|promise\s+not\s+to)\s+(?:tell|report|call|say)"
                r"|\b(?:doesn'?t|don'?t|does\s+not|do\s+not|won'?t|didn'?t|refuses?\s+to)\s+want\s+(?:to\s+be\s+"
                r"(?:identified|reported|rescued|helped|referred)|(?:any\s+)?(?:help|police|the\s+police|us\s+to\s+"
                r"(?:report|tell|call))|(?:it|anything|this)\s+reported)"
                r"|\bagainst\s+(?:her|his|their|the\s+victim'?s?|victims'?)\s+(?:wishes|will)\b"
                r"|\b(?:respect\w*|going\s+against|go\s+against|ignor\w+)\s+what\s+(?:she|he|they|victims?|survivors?)\s+"
                r"(?:wants?|wishes)"
                # or sees no victim in herself ("she's adamant she loves him", "if she says she's in a
                # relationship and happy", "he doesn't see himself as a victim")
                r"|\b(?:doesn['’]?t|does\s+not|don['’]?t|do\s+not|won['’]?t)\s+(?:see|consider|think\s+of|regard)\s+"
                r"(?:herself|himself|themselves)\s+(?:as\s+)?(?:an?\s+)?victims?"
                r"|\b(?:adamant|insists?|insisting|says?|said|claims?)\s+(?:that\s+)?(?:she|he|they)(?:['’]s|['’]re|\s+is|\s+are|\s+was)?"
                r"\s+(?:(?:really|perfectly|totally|completely|just)\s+)?(?:happy|fine|okay|in\s+love|in\s+a\s+relationship"
                r"|not\s+a\s+victim|loves?\s+(?:him|her))\b(?!\s+to\b)", re.I),
     "identified against their wishes not wish to be identified respect the agency of rights holders"),
    # The State's duty when private people do the harm ("if it's a private farmer exploiting his workers,
    # not the government, does human rights law still put any duty on the State?"): the texts' States
    # obliged to uphold the rights of those affected by crimes, and to act on a risk they knew of
    (re.compile(r"(?s)^(?=.*\b(?:private|non-state)\b)(?=.*\b(?:(?:the\s+)?(?:state|states|government)(?:'s|s')?\s+"
                r"(?:\w+\s+){0,3}?(?:duty|duties|obligations?|responsib\w*)|(?:duty|duties|obligations?|responsib\w*)\s+"
                r"(?:\w+\s+){0,2}?(?:on|of|for)\s+the\s+(?:state|government)s?)\b)", re.I),
     "States are obliged to uphold the human rights of individuals affected by crimes in their jurisdictions "
     "State authorities aware of a risk failure to take appropriate measures"),
    # Deportation feared for someone without papers ("are they just going to get deported because of
    # me?", "she has no papers and begged us not to bring the police in because she'll be deported"):
    # the texts' raids that end in the detention or deportation of those found working irregularly (a
    # fear every migrant's story may tell: "my undocumented neighbour fears deportation" is not theirs)
    (re.compile(r"(?s)^(?=.*\b(?:undocumented|no\s+(?:valid\s+)?(?:papers|documents|visa|permit|status)|without\s+(?:papers"
                r"|documents|a\s+visa|a\s+permit|status)|irregular\w*|illegal(?:ly)?|overstay\w*|no\s+right\s+to\s+(?:work|stay))\b)"
                r"(?=.*\b(?:(?:get|be|being|been|getting|got)\s+(?:\w+\s+)?deported|deport(?:ing)?\s+(?:them|her|him|the\s+\w+)"
                r"|deportation)\b)", re.I),
     "detention or deportations of persons identified as living and working in the country irregularly"),
    # Rights put first ("put people's rights at the centre rather than just catching the bad guys"):
    # the texts' human rights-based approach
    (re.compile(r"\b(?:rights|people|victims|survivors|migrants)\b[^.?!]{0,30}?\b(?:at|in)\s+the\s+(?:centre|center|heart)\b"
                r"|\b(?:put|putting|puts)\s+(?:\w+\s+){0,2}?rights\s+first\b", re.I),
     "human rights-based approach"),
    # A harsher sentence for how a smuggler treated people ("should it make the sentence heavier that
    # he packed them into a sealed lorry?"): the texts' aggravating circumstances
    (re.compile(r"\b(?:make|makes|made|making|get|gets)\s+(?:the\s+|a\s+|his\s+|her\s+|their\s+)?(?:sentences?|penalt(?:y|ies)"
                r"|punishments?)\s+(?:\w+\s+)?(?:heavier|harsher|longer|tougher|more\s+severe|stiffer)\b"
                r"|\b(?:heavier|harsher|longer|tougher|more\s+severe|stiffer)\s+(?:\w+\s+)?(?:sentences?|penalt(?:y|ies)|punishments?)\b"
                # ("does that make the crime more serious under the UN treaty?", "does cramming them in
                # make things worse for him under the treaty?"; not "did I make it worse for her?")
                r"|\b(?:make|makes|made|making)\s+(?:the\s+|his\s+|her\s+|their\s+)?(?:crimes?|offen[cs]es?|charges?)\s+"
                r"(?:\w+\s+)?(?:more\s+serious|graver|worse)\b"
                r"|\bworse\s+for\s+(?:him|her|them|the\s+\w+)\s+under\s+(?:the|a|this|that)\s+(?:[\w-]+\s+){0,2}?"
                r"(?:treaty|protocol|convention|law)\b"
                # ("would the treaty treat that as worse than the ordinary offence?")
                r"|\b(?:worse|more\s+serious|graver)\s+than\s+(?:the\s+|an?\s+)?(?:ordinary|normal|basic|plain|simple|usual"
                r"|standard|regular)\s+(?:\w+\s+)?(?:offen[cs]es?|crimes?|cases?|smuggling|trafficking)\b",
                re.I),
     "aggravating circumstances aggravated"),
    # People kept in by those who are to protect or process them ("our shelter doesn't let the women
    # go out on their own", "do we lock everyone up while we work out who's a smuggler?"): the texts'
    # deprivation of liberty of victims and of smuggled migrants
    (re.compile(r"\b(?:shelter|centre|center|safe\s+house|facility|hostel|we|police|officers|authorities)\b[^.?!]{0,40}?"
                r"\b(?:doesn'?t|don'?t|do\s+not|does\s+not|won'?t|never)\s+(?:let|allow)\s+(?:\w+\s+){1,3}?(?:go\s+out|leave|out)\b"
                r"|\b(?:do|should|can|must|may|could)\s+(?:we|police|officers|authorities|they)\s+(?:\w+\s+)?"
                r"(?:lock\s+(?:everyone|them|people|all|the\s+\w+)\s+up|detain\s+(?:everyone|them|all|people|the\s+\w+)"
                r"|hold\s+(?:everyone|them|all|people|the\s+\w+)\s+in\s+(?:custody|detention|a\s+cell|cells))\b", re.I),
     "deprivation of liberty detention closed shelters"),
]

# Treaty wording no practitioner types, for what they ask in their words (BM25 only). Unlike a lay
# description of the field's notions, it does not make a question the texts' subject: an arms treaty
# also requires States to criminalise.
TREATY_WORDING: list[tuple[re.Pattern[str], str]] = [
    # Whether a treaty makes States punish something ("does the treaty expect countries to punish an
    # owner like him?", "require States to criminalise attempts?"): measures "to establish as
    # criminal offences"
    (re.compile(r"\b(?:countries|states|governments|parties)\s+to\s+(?:\w+\s+)?(?:punish|criminali[sz]e|prosecute"
                r"|make\s+(?:\w+\s+){0,3}?(?:a\s+)?(?:crime|criminal\s+offen[cs]e))\b"
                r"|\b(?:require|requires|required|oblige|obliges|obliged|expect|expects)\s+(?:\w+\s+){0,3}?to\s+criminali[sz]e\b",
                re.I),
     "establish as criminal offences"),
    # Whether someone is to be treated as a criminal ("he should be treated as an offender", "will
    # she be dealt with as a criminal?"): a treaty says who shall not "become liable to criminal
    # prosecution", the texts that victims are not to be "prosecuted or punished"
    (re.compile(r"\b(?:treated|treat|seen|regarded|dealt\s+with)\s+as\s+(?:an?\s+)?(?:offenders?|criminals?)\b",
                re.I),
     "liable to criminal prosecution punished"),
    # The article a treaty's definitions are in ("does the Protocol define 'migrant' in its definitions
    # article?"): a treaty heads it "Use of terms"
    (re.compile(r"\bdefinitions?\s+(?:article|section|provision|clause)s?\b"
                r"|\b(?:article|provision|section|clause)s?\s+(?:on|of|with|containing|that\s+(?:sets?\s+out|contains?"
                r"|gives?|lists?))\s+(?:the\s+|its\s+)?definitions?\b", re.I),
     "use of terms"),
    # Whether someone who helped is in it too ("would they have been smugglers too?", "would the treaty
    # see me as part of what the haulier is up to?", "does that make him one of the traffickers?"): a
    # treaty makes "participating as an accomplice" and "organizing or directing" offences of their own
    (re.compile(r"\b(?:smugglers?|traffickers?)\s+(?:too|as\s+well|themselves)\b|\bone\s+of\s+the\s+(?:smugglers|traffickers)\b"
                r"|\bcomplicit\b|\baccomplices?\b|\b(?:see|sees|seen|treat|treats|treated|regard|regards|regarded|count|counts"
                r"|counted)\s+(?:me|him|her|them|us|you)\s+as\s+(?:part\s+of|party\s+to|involved\s+in)\b"
                # ("am I going to be seen as part of the smuggling?")
                r"|\b(?:seen|treated|regarded|counted|viewed)\s+as\s+(?:part\s+of|party\s+to|involved\s+in)\s+"
                r"(?:the|their|his|her|this|that)\s+(?:\w+\s+)?(?:smuggling|trafficking|operation|scheme|network|ring|racket)\b"
                r"|\bpart\s+of\s+what\s+(?:he|she|they|the\s+[\w-]+)\s+(?:is|are|was|were)\s+(?:up\s+to|doing)\b", re.I),
     "participating as an accomplice organizing directing"),
    # Whether a treaty leans on another for what it leaves out ("does the Protocol define an organised
    # criminal group, or does it rely on another text for that?"): a protocol "supplements" its
    # Convention, whose provisions apply to it "mutatis mutandis"
    (re.compile(r"\b(?:rel(?:y|ies|ying)\s+on|refers?\s+(?:back\s+)?to|borrows?\s+(?:\w+\s+){0,2}?from|defined\s+in|leaves?\s+"
                r"(?:\w+\s+)?to|take\s+(?:\w+\s+){0,2}?from)\s+(?:another|a\s+different|the\s+parent|the\s+main|some\s+other"
                r"|an?\s+other|a\s+separate|a\s+bigger|a\s+broader)\s+(?:text|treaty|convention|instrument|document)\b",
                re.I),
     "supplements the Convention interpreted together with the Convention mutatis mutandis"),
    # Whether a treaty's duty overrides rights a person has at home ("does return simply override a
    # pending application under this country's own law?"): its savings, "without prejudice to any
    # right afforded … by any domestic law", "nothing in this Protocol shall affect"
    (re.compile(r"\b(?:overrid\w*|trumps?|takes?\s+precedence\s+over|cancels?\s+out|supersed\w*)\s+(?:[\w'’-]+\s+){0,4}?"
                r"(?:laws?|rights?|those|them|that|this|applications?|claims?)\b"
                r"|\b(?:under|in)\s+(?:this\s+country['’]s|our|its|their|the\s+country['’]s)\s+own\s+laws?\b", re.I),
     "without prejudice to any right afforded domestic law nothing in this Protocol shall affect"),
    # What comes first when people are found, and how soon help is due ("they question them for an
    # hour before anyone rings for an ambulance: which comes first?"): a treaty's duty to afford
    # "appropriate assistance to migrants whose lives or safety are endangered"
    (re.compile(r"\bwhich\s+comes\s+first\b|\bbefore\s+(?:anyone|anybody|they|we|the\s+police|officers)\s+(?:\w+\s+){0,3}?"
                r"(?:an\s+)?(?:ambulance|doctor|medical\s+help|water|first\s+aid)\b"
                r"|\bhow\s+(?:quickly|soon|fast)\s+(?:the\s+)?(?:help|aid|assistance|care)\b", re.I),
     "afford appropriate assistance to migrants whose lives or safety are endangered"),
]


# A question asking for the kinds of something ("what kinds of offences…", "what are the ways
# exploiters keep control…") asks about signs, not about the person a story tells of.
_ASKS_KINDS = re.compile(r"\b(?:what|which)\s+(?:\w+\s+){0,2}?(?:kinds?|types?|methods?|ways?|forms?|sorts?|signs?"
                         r"|indicators?)\b", re.I)
# Signs that already name the field's notion: a story using them is searched by its own words.
_NAMED_SIGN = re.compile(r"trafficked|exploited|pimp\w*|brothel")


def lay_notions(text: str) -> list[str]:
    """The texts' words for each of the field's notions ``text`` describes in lay terms
    (``LAY_DESCRIPTIONS``, then ``SHARED_NOTIONS``), in their order there. A story that tells two different signs of control
    in lay words ("boss kept his passport and said he still owed 5000", "I had no choice, they'd
    hurt my family") and fits no other notion is about the person it tells of: whether they may be
    a victim is the texts' identification of victims and its presumption, which the story never
    names (the toolkit's identification paragraphs ranked past 10 for the stories of a vet, an
    occupational physician, a car-wash worker)."""
    found = [words for rx, words in (*LAY_DESCRIPTIONS, *SHARED_NOTIONS) if rx.search(text)]
    if not found and not _ASKS_KINDS.search(text) and \
            len({sign for sign in control_signs(text) if not _NAMED_SIGN.fullmatch(sign)}) >= 2:
        found = [PRESUMPTION_NOTION]
    return found


def describes_field_notion(text: str) -> bool:
    """Does ``text`` describe one of the field's notions in lay terms (``LAY_DESCRIPTIONS``): "paid
    someone to get him across", "the gang made her steal"? Or tell two different signs of control
    (``_CONTROL_SIGNS``: "wages withheld for months and IDs held by the captain"), the texts'
    indicators of trafficking? Such a story is the texts' subject, whatever else in it (a lorry, a
    custody case, a seafood audit) sounds like a neighbouring one. (``SHARED_NOTIONS`` do not count.)"""
    return any(rx.search(text) for rx, _ in LAY_DESCRIPTIONS) or len(control_signs(text)) >= 2


_CONTROL_SIGN = re.compile(r"\b(?:" + _CONTROL_SIGNS + r")\b", re.I)


def control_signs(text: str) -> set[str]:
    """The signs of control ``text`` tells (``_CONTROL_SIGNS``), each as written, lower-cased: two
    different wordings count as two ("owes" and "owed" too)."""
    return {" ".join(m.group(0).lower().split()) for m in _CONTROL_SIGN.finditer(text)}


def expand_query(query: str) -> str:
    """Append the synonyms of every synonym-group member the query mentions, the texts' words for a
    notion it describes in lay terms (``LAY_DESCRIPTIONS``) and a treaty's for what it asks
    (``TREATY_WORDING``) (for BM25)."""
    low = query.lower()
    extra = [t for group in _groups_in(query) for t in group if t not in low]
    extra += lay_notions(query)
    extra += [words for rx, words in TREATY_WORDING if rx.search(query)]
    return query + (" " + " ".join(extra) if extra else "")


# Plurals a stemmer does not bring back to their singular ("women" stays "women").
IRREGULAR_PLURALS = {"woman": "women", "man": "men", "child": "children", "person": "people",
                     "foot": "feet", "tooth": "teeth", "mouse": "mice", "wife": "wives", "life": "lives"}
_NUMBER_SWAP = {**IRREGULAR_PLURALS, **{v: k for k, v in IRREGULAR_PLURALS.items()}}


def equivalents(term: str) -> list[str]:
    """``term`` and, when it is itself a member of a synonym group ("older people"), the group's other
    members ("elderly", …): what naming it by another word of the texts looks like. A term that only
    contains a member ("older people's homes") has none."""
    low = normalize_space(term).lower()
    return list(dict.fromkeys([term, *(t for group in SYNONYM_GROUPS if low in group for t in group)]))


def synonyms(term: str) -> list[str]:
    """``term``, the same with an irregular plural or singular ("trafficked women" for "trafficked
    woman"), and the members of the synonym groups it belongs to ("vacatur": "expungement", …)."""
    other = " ".join(_NUMBER_SWAP.get(w.lower(), w) for w in term.split())
    return list(dict.fromkeys([term, other, *(t for group in _groups_in(term) for t in group)]))


# ----------------------------------------------------------------------------- terminal output
# Stored text (documents, answers) is printed by the CLI; an escape sequence in it would be obeyed
# by the terminal (recolour, retitle, rewrite the screen, hide text). Remove whole sequences first,
# then any lone control character, and the bidirectional overrides that reorder what is displayed.
_ANSI_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"          # CSI: colours, cursor moves, erase
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window title, hyperlinks
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"   # DCS / SOS / PM / APC strings
    r"|\x1b[@-Z\\-_]"                  # other two-byte escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"           # 8-bit CSI
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` with terminal escape sequences and control characters removed (newline and tab kept)."""
    return _CONTROL.sub("", _ANSI_SEQUENCE.sub("", text))


# ----------------------------------------------------------------------------- question language
# The corpus and the embedding model are English. A question in another language still finds
# passages (shared names and numbers), but the user must be told what was searched. Guessed from
# function words, which every sentence has; a non-Latin script is decided by its letters.
_FUNCTION_WORDS = {
    "French": "le la les des du un une est et en que qui pour dans sur au aux ce ces sont être "
              "avec pas quelle quelles quels quel comment pourquoi doit doivent peut victimes",
    "Spanish": "el la los las del un una es y en que qué para por con se son como cómo cuál "
               "cuáles debe deben puede víctimas al",
    "Portuguese": "o a os as do da dos das um uma é e em que para por com são como qual quais "
                  "deve devem pode vítimas não",
    "German": "der die das und ist nicht ein eine zu den mit von für auf sind wie was welche "
              "muss müssen kann opfer",
    "Italian": "il lo la gli le di del della un una è e in che per con sono come quale quali "
               "deve devono può vittime non",
}
_ENGLISH = ("the a an of to in and or is are be was were for on with by as that this what which who how "
            "should can must may do does did not from at it its their they victims")
_ENGLISH_WORDS = frozenset(_ENGLISH.split(" "))
_SCRIPTS = {"Arabic": (0x0600, 0x06FF), "Russian": (0x0400, 0x04FF), "Chinese": (0x4E00, 0x9FFF)}
_WORDS = re.compile(r"[^\W\d_]+", re.UNICODE)


def question_language(text: str) -> str:
    """"English", another language's name when the text is clearly in it, or "" when unsure."""
    letters = [c for c in text if c.isalpha()]
    for name, (lo, hi) in _SCRIPTS.items():
        if letters and sum(lo <= ord(c) <= hi for c in letters) > len(letters) / 2:
            return name
    words = [w.lower() for w in _WORDS.findall(text)]
    if not words:
        return ""
    english = sum(w in _ENGLISH_WORDS for w in words)
    best, best_n = "", 0
    for name, vocab in _FUNCTION_WORDS.items():
        known = frozenset(vocab.split(" "))
        n = sum(w in known for w in words)
        if n > best_n:
            best, best_n = name, n
    if best_n >= 2 and best_n > english:
        return best
    return "English" if english >= 1 else ""


# ----------------------------------------------------------------------------- abbreviations
# Names users abbreviate, in the words the texts use (lower case): read when checking whether the
# texts mention a name the question asks about (``spelled_out``).
ABBREVIATIONS = {
    "ecthr": "european court of human rights", "icc": "international criminal court",
    "eu": "european union", "un": "united nations", "ngo": "non-governmental organization",
    "ngos": "non-governmental organizations", "tip": "trafficking in persons",
    "som": "smuggling of migrants", "unhcr": "high commissioner for refugees",
    "ohchr": "high commissioner for human rights", "gr38": "general recommendation no. 38",
    "sg": "secretary-general", "untoc": "convention against transnational organized crime",
    "cedaw": "elimination of discrimination against women", "coe": "council of europe",
    "ilo": "international labour organization", "iom": "international organization for migration",
    # The Protocols to UNTOC, opened for signature in Palermo: "the Palermo (trafficking) protocol",
    # "the Palermo smuggling protocol" (keys are read as patterns, the longest first)
    "palermo (?:trafficking |tip |human trafficking |trafficking in persons )?protocol": "Trafficking in Persons Protocol",
    "palermo (?:smuggling|migrant smuggling|smuggling of migrants|som) protocol": "Smuggling of Migrants Protocol",
    "palermo": "Protocol",
}
# The field's shorthand, read as words wherever a question uses it and the texts do not ("VoTs",
# "LEAs": a plural "s" too): an embedder and BM25 see "VoT" as noise, and the name check as a name
# the texts never mention. Names of bodies (UNHCR, EU) stay as typed: the embedder knows them, and
# spelling them out moved an off-topic question about UNHCR's flights into scope.
SHORTHAND = {
    "vot": "victim of trafficking", "thb": "trafficking in human beings", "lea": "law enforcement agency",
    "nrm": "national referral mechanism", "cse": "commercial sexual exploitation",
    "csec": "commercial sexual exploitation of children", "uasc": "unaccompanied and separated children",
    "gbv": "gender-based violence", "sgbv": "sexual and gender-based violence",
    "jit": "joint investigation team", "sop": "standard operating procedure",
    "cso": "civil society organization", "mla": "mutual legal assistance", "idp": "internally displaced person",
    "mp": "member of parliament", "mps": "members of parliament",
    # (a US prosecutor: "the cops, the DA, or is it on the kid to prove it?")
    "da": "district attorney", "das": "district attorneys",
}
# Everyday abbreviations for things, not names ("she's got no ID", "his CV", "a SIM card"): a question
# using one is not about a body or a place the texts must name (the texts say "identity documents")
EVERYDAY_ABBREVIATIONS = frozenset({"id", "ids", "cv", "cvs", "sim", "sims", "pin", "pins", "atm", "atms", "dna", "gps",
                                    "tv", "ok", "pc", "sms", "hr", "gp", "ceo", "ceos", "faq", "faqs"})
# The words some of them stand for: a question about "state-issued IDs" is about what the texts call
# identity documents (a "DNA" sample, which they never mention, stays a subject they do not cover)
EVERYDAY_WRITTEN_OUT = {"id": "identity", "hr": "human resources", "ceo": "chief executive",
                        "gp": "general practitioner", "pin": "personal identification number"}


def spelled_out(question: str) -> str:
    """The question with the abbreviations and other names users type replaced by the texts' own
    words ("TIP" -> "trafficking in persons", "Sept" -> "september")."""
    text = question
    for short, full in {**ABBREVIATIONS, **SHORTHAND, **MONTH_ABBREVIATIONS}.items():
        text = re.sub(rf"\b{short}\b\.?", full, text, flags=re.I)
    return text


def is_acronym(word: str) -> bool:
    """"NRM", "NRMs", "CoE", "VoT": two capitals or more make an acronym."""
    return sum(c.isupper() for c in word) >= 2


def unshouted(text: str) -> str:
    """A message typed mostly in capitals ("WHAT DOES THE PROTOCOL SAY ABOUT CONSENT?") in lower
    case: none of its words stands out as a name or an acronym, and read as typed every one would."""
    words = re.findall(r"[A-Za-z]{2,}", text)
    return text.lower() if sum(w.isupper() for w in words) > len(words) / 2 else text


def acronym_key(word: str) -> str:
    """How an acronym is compared: lower case, without a plural "s" written small ("NGOs" -> "ngo";
    the capital S of "CITES" is part of it)."""
    return (word[:-1] if word.endswith("s") and is_acronym(word[:-1]) else word).lower()


def plural(phrase: str) -> str:
    """"victim of trafficking" -> "victims of trafficking", "law enforcement agency" -> "… agencies"."""
    words = phrase.split()
    head = words.index("of") - 1 if "of" in words[1:] else len(words) - 1
    word = words[head]
    words[head] = word[:-1] + "ies" if word.endswith("y") and word[-2:-1] not in "aeiou" else word + "s"
    return " ".join(words)


# ----------------------------------------------------------------------------- spelling
# Whole words of plain letters only: never the tail of "Türkiye" or "Côte" (\w is any letter).
RE_SPELL_WORD = re.compile(r"(?<![\w'’-])[A-Za-z][A-Za-z'’-]*[A-Za-z](?![\w'’-])")
# A capitalised word is corrected only to a name the texts write capitalised, and only one edit away:
# names are where a wrong guess costs most (and places are in the English list, so "Gambia" never
# becomes "Zambia"). Shorter lowercase words have too many neighbours one edit away ("recs" -> "res").
MIN_LOWER, MIN_CAPITAL = 5, 4


# "shouldnt", "doesnt", "cant": a negation typed without its apostrophe. The nearest corpus word drops
# the "not" ("shouldnt" -> "should") and turns the question round, so it is left as typed.
RE_BARE_NEGATION = re.compile(r"^(?:do|does|did|is|are|was|were|have|has|had|should|could|would|must|need|ca|wo|ai)nt$")


@lru_cache(maxsize=1)
def _english_by_frequency() -> tuple[str, ...]:
    """The 82,765 words of the English frequency list symspellpy ships, most frequent first."""
    from importlib.resources import files

    listing = files("symspellpy").joinpath("frequency_dictionary_en_82_765.txt").read_text(encoding="utf-8")
    return tuple(line.split(" ", 1)[0] for line in listing.splitlines() if line)


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Every word of that list: a word in it is spelt right even where the texts never use it
    ("deception", "forged", "boss")."""
    return frozenset(_english_by_frequency())


# Words this high in the list ("gets", "treated", "approach") are everyday English, not the notions a
# question contrasts; "evasion" (22,875th), "causation" (25,986th) are.
COMMON_ENGLISH_RANK = 5000


@lru_cache(maxsize=1)
def common_english_words() -> frozenset[str]:
    """The ``COMMON_ENGLISH_RANK`` most frequent English words."""
    return frozenset(_english_by_frequency()[:COMMON_ENGLISH_RANK])


@dataclass(frozen=True)
class Respelling:
    """A question as searched, and each correction made (as typed, as read)."""

    text: str
    fixes: tuple[tuple[str, str], ...] = ()

    def notice(self) -> str:
        """What the reader is told: "Read “UNDOC” as “UNODC”."."""
        if not self.fixes:
            return ""
        return "Read " + ", ".join(f"“{typed}” as “{read}”" for typed, read in self.fixes) + "."


class Speller:
    """Reads a question as the texts would write it: the field's shorthand the texts do not use
    in words ("VoTs" -> "victims of trafficking"), and misspelt words corrected against the corpus's
    own vocabulary (SymSpell, symspellpy): "traficking" -> "trafficking", "UNDOC" -> "UNODC". A word
    the texts contain (or its stem), or an English word, is never touched; a correction must keep
    the first letter, be the clear favourite among the candidates and occur at least twice in the
    texts — a word the texts simply do not use (a place, a person) stays as typed."""

    def __init__(self, texts: Iterable[str]) -> None:
        from symspellpy import SymSpell

        self.counts: Counter[str] = Counter()
        self.names: dict[str, Counter[str]] = {}  # lowercase -> capitalised forms written mid-sentence
        for text in texts:
            for m in RE_SPELL_WORD.finditer(text):
                word = m.group(0)
                self.counts[word.lower()] += 1
                if word[0].isupper() and not _opens_sentence(text, m.start()):
                    self.names.setdefault(word.lower(), Counter())[word] += 1
        self.stems = {stem(w) for w in self.counts}
        self.english = english_words()  # loaded with the dictionary, not on the first misspelling
        self._sym = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        for word, n in self.counts.items():
            if n >= 2 and len(word) >= MIN_LOWER - 1:
                self._sym.create_dictionary_entry(word, n)

    def respell(self, text: str) -> Respelling:
        """``text`` with its misspelt words corrected, and the corrections made."""
        fixes: list[tuple[str, str]] = []

        def fix(m: re.Match[str]) -> str:
            word = m.group(0)
            better = self.spell_out(word) or self.correct(word)
            if better is None:
                return word
            fixes.append((word, better))
            return better

        fixed = RE_SPELL_WORD.sub(fix, text)
        return Respelling(fixed, tuple(dict.fromkeys(fixes)))

    def spell_out(self, word: str) -> str | None:
        """The field's shorthand the texts never use ("VoT", "NRMs", "LEAs"), in words (``SHORTHAND``)."""
        low = word.lower()
        if not is_acronym(word) or low in self.counts:
            return None
        if low in SHORTHAND:
            return SHORTHAND[low]
        return plural(SHORTHAND[low[:-1]]) if low.endswith("s") and low[:-1] in SHORTHAND else None

    def correct(self, word: str) -> str | None:
        """The corpus word ``word`` misspells, or None (known, too short, or no clear candidate)."""
        from symspellpy import Verbosity

        low = word.lower().replace("’", "'")
        capital = word[0].isupper()
        if len(low) < (MIN_CAPITAL if capital else MIN_LOWER) or low in self.counts or low in STOPWORDS \
                or "'" in low or stem(low) in self.stems or low in self.english or RE_BARE_NEGATION.match(low):
            return None
        distance = 1 if capital or len(low) <= 7 else 2
        found = [s for s in self._sym.lookup(low, Verbosity.CLOSEST, max_edit_distance=distance)
                 if s.term[0] == low[0] and (not capital or s.term in self.names)]
        found.sort(key=lambda s: -s.count)
        if not found or (len(found) > 1 and found[0].count < 2 * found[1].count):
            return None  # nothing close, or no clear favourite
        term = found[0].term
        if not capital:
            return term
        return self.names[term].most_common(1)[0][0] if not word.isupper() else term.upper()


def _opens_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?:;\n•-–—"
