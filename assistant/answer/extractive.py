"""Extractive answering (the embedded default: no LLM, no network) and the evidence gate.

The answer is built from sentences (and list items) of the retrieved paragraphs, scored against the
question by dense similarity of their sentence window, IDF-weighted word overlap and the paragraph's
rank; redundant sentences are dropped, a list introduced by a colon brings its items, and the result
is ordered by paragraph rank then text order and kept to ~180 words. Every sentence is a verbatim
extract with its paragraph's citation, so it is faithful by construction.

The gate refuses, each time saying why, when the question is off-topic (it sits far from the
corpus in embedding space: ``domain_threshold``), names something the corpus never mentions (a
country, a case, a year), or the evidence is weak overall; and, once sentences are chosen, when the
question asks for a kind of detail (a name, a date, a place, an amount, a count) that no quoted
sentence gives, or names something (a country, an institution) that no cited paragraph mentions.

Each chosen sentence also gets a *relevance* to the question (not its support by its own paragraph,
which an extract always has): "direct", "related" or "background".
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import dropwhile

import numpy as np

from assistant.corpus import body_names, mentions, mentions_document_kind
from assistant.index import is_window, provision_title
from assistant.models import AnswerSentence, Hit
from assistant.retrieve import Retriever
from assistant.text import (
    ABBREVIATIONS,
    COUNT_WORDS,
    EVERYDAY_ABBREVIATIONS,
    EVERYDAY_WRITTEN_OUT,
    FIGURE_QUESTIONS,
    INDICATOR_WORDS,
    MONTH_ABBREVIATIONS,
    MONTHS,
    RE_AGE_ASKED,
    RE_AGE_GIVEN,
    RE_BARE_NEGATION,
    RE_CONTEXT,
    RE_MEASURE_ASKED,
    RE_MEASURE_NAMED,
    RE_POINTS_BACK,
    RE_SYMBOL,
    RE_YEAR,
    RE_YEAR_RANGE,
    SHORTHAND,
    STOPWORDS,
    WEIGHT_WORDS,
    acronym_key,
    adds_condition_to_field_case,
    asked_definition,
    asked_membership,
    asked_term,
    asked_weight,
    asks_future,
    common_english_words,
    content_words,
    contrasted,
    defines,
    describes_field_notion,
    equivalents,
    for_matching,
    initialisms,
    is_acronym,
    is_name_line,
    lay_notions,
    names_field_term,
    normalize_space,
    provisions,
    question_parts,
    quoted_terms,
    requested_figure,
    requested_figures,
    sentence_spans,
    spelled_out,
    stem,
    synonyms,
    tokenize,
    typed_sentence_spans,
    typed_sentences,
    without_domain_set_aside,
)

# Words for people: a capitalised word right before one describes them ("two Vietnamese teenagers",
# "Nigerian women") — context of the case, not a country or body the question is about.
PEOPLE_NOUNS = frozenset("""teenager teenagers teen teens youth youths woman women man men girl girls boy
    boys child children minor minors victim victims worker workers migrant migrants national nationals
    citizen citizens people person persons family families survivor survivors couple student students
    mother mothers father fathers wife husband daughter son lad lads guy guys bloke blokes kid kids folk
    folks""".split())  # noqa: SIM905
# Capitalised words that name institutions or instruments rather than people or places.
INSTITUTION_WORDS = frozenset("""court courts nations united office committee group working kingdom states union
    rights human protocol protocols convention conventions assembly council commission conference parties
    european general special rapporteur secretary secretariat organization organisation international
    national republic agency programme program fund trust database declaration guidelines principles
    recommendation recommendations article annex law act resolution report paper toolkit tool guide
    model legislative provisions ministry government application applications no nos para paras
    institute association institution bar centre center university foundation network initiative
    strategy handbook mechanism system team unit section division department service services police
    january february march april may june july august september october november december""".split())  # noqa: SIM905
RE_LIST_ITEM = re.compile(r"^\s*(?:[-•*▪■]|\(?[a-z]\)|\(?[ivx]{1,4}\)|\d{1,2}\.)\s")
RE_DATE = re.compile(rf"\b(19|20)\d{{2}}\b|\b\d{{1,2}}\s+({'|'.join(MONTHS)})\b", re.I)
# "on what exact date…", "which day": a day of a month, which a year alone ("released in 2018") is not
RE_DAY_ASKED = re.compile(r"\b(?:exact|specific|precise) date\b|\bon what (?:\w+ )?date\b|\b(?:what|which) day\b", re.I)
RE_DAY_OF_MONTH = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{'|'.join(MONTHS)})\b|"
                             rf"\b(?:{'|'.join(MONTHS)})\s+\d{{1,2}}(?:st|nd|rd|th)?\b", re.I)
RE_HONORIFIC = re.compile(r"(?:Mr|Ms|Mrs|Dr|Judge|Justice|Messrs)\b")
RE_PERSON = re.compile(r"\b(?:Mr|Ms|Mrs|Dr|Judge|Justice|Messrs)\.?\s+[A-Z][\w.]+|"
                       r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,2}\b")
RE_CAPITALISED = re.compile(r"\b[A-Z][\w’'.-]*[A-Za-z]\b")
RE_MONEY = re.compile(r"[€$£]\s?\d|\b(?:USD|EUR|GBP)\s?\d|\b\d[\d,.]*\s?(euros?|dollars?|pounds|USD|EUR|GBP)\b", re.I)
# A currency the question asks the amount in ("in pounds", "in US dollars", "in €"), and how an
# amount in it is written: €25,000 does not give an award "in pounds".
RE_CURRENCY_ASKED = re.compile(r"\bin (?:us |american )?(?P<word>dollars|usd|euros?|eur|pounds|gbp|sterling)\b|"
                               r"\bin (?P<sign>[€$£])", re.I)
_CURRENCIES = {"$": r"\$|\busd\b|\bdollars?\b", "€": r"€|\beur\b|\beuros?\b", "£": r"£|\bgbp\b|\bpounds\b"}
_CURRENCY_OF = {"dollars": "$", "usd": "$", "euro": "€", "euros": "€", "eur": "€", "pounds": "£", "gbp": "£",
                "sterling": "£"}
# (how long, not how often: "published every two years" gives no sentence's length)
RE_DURATION = re.compile(r"(?<!every )(?<!each )(?:\b\d+\s?(days?|weeks?|months?|years?)\b|"
                         r"\b(one|two|three|six|twelve)\s(days?|weeks?|months?|years?)\b)", re.I)
# A span of days ("held from 10 to 11 September 2020") gives the length of what it dates — when that
# length is asked of something past ("How many days did the Working Group meet?", "how long did it
# last?"), not a deadline or a period a text sets ("how many days do the recommendations say logs
# should be kept?").
RE_DAY_SPAN = re.compile(rf"\b\d{{1,2}}\s*(?:-|–|to|and)\s*\d{{1,2}}\s+(?:{'|'.join(MONTHS)})\b", re.I)
RE_DAYS_ASKED = re.compile(r"\bhow many days (?:did|was|were)\b|\bhow long did\b", re.I)
RE_REFERENCE_NUMBER = re.compile(
    r"\b(paras?|paragraphs?|articles?|art|arts|resolutions?|No|Nos|Recommendations?|Guidelines?|Principles?|"
    r"Applications?|chapters?|sections?|items?|annex|pages?|p|pp|Tool|Part|Fig)\.?\s*\d[\d./\-–]*(?:\([\w.]+\))*|"
    r"\S*/\S*|\b(19|20)\d{2}\b|\b\d+\.\d+\b", re.I)
# A resolution or decision by its number: "resolution 64/293", "A/RES/72/179", "decision 10/3".
RE_RESOLUTION_REF = re.compile(r"\b(?:resolutions?|decisions?)\s+(?:[A-Z]{1,3}/RES/)?\d+/\d+|\b[A-Z]{1,3}/RES/\d+/\d+", re.I)
# The name of a case: "The Prosecutor v. Dominic Ongwen", "V.C.L. and A.N. v. the United Kingdom",
# "the case of Rantsev", "Application No. 77587/12".
RE_CASE_NAME = re.compile(r"\b[A-Z][\w.’'-]*\s+v\.?\s+(?:the\s+)?[A-Z]|\b(?:case|judgment) of\s+(?:the\s+)?[A-Z]|"
                          r"\bApplication\s+No")
# A way to reach someone: a telephone number ("+" and digits, or three groups of digits: "020 7946
# 0958" — not a symbol's "WG.4/2020/2" nor a range "2019-2020"), an e-mail address, a web address.
RE_CONTACT = re.compile(r"(?<![\w./])(?:\+\d[\d ().-]{6,}\d|\(?\d{2,4}\)?[ .-]\d{3,4}[ .-]\d{3,4}\b)|"
                        r"\b[\w.+-]+@[\w-]+\.[\w.]+|\bhttps?://\S+|\bwww\.\S+", re.I)
# A count in figures, or in words (``text.COUNT_WORDS``)
RE_COUNT = re.compile(rf"\b\d[\d,]*\b|\b\d+(\.\d+)?\s?(%|per cent|percent)|\b(?:{COUNT_WORDS})\b", re.I)
# Sentences in a document that address an AI system are data, never instructions; they are also never
# an answer a practitioner wants, so extractive answers do not quote them.
RE_INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(instructions?|rules|prompts?)\b|\bsystem prompt\b|"
    r"\byou are (now )?(an? )?(ai|assistant|chatbot|language model)\b|\breveal (your|the) (prompt|instructions)\b",
    re.I,
)
QUESTION_WORDS = {"what", "which", "who", "whom", "how", "when", "where", "why", "does", "do", "is",
                  "are", "can", "could", "should", "would", "may", "must", "tell", "explain", "list",
                  "give", "describe", "i", "my", "we", "our", "please"}


@dataclass
class Evidence:
    """The gate's view of the retrieved evidence."""

    refuse: bool
    reason: str = ""
    unknown_terms: list[str] = field(default_factory=list)
    best_dense: float = 0.0
    coverage: float = 0.0
    kind: str = ""  # Answer.refusal_kind
    closeness: float = 0.0


# Examples the user gives of what they have or mean, listed and left open ("we have gate logs, CCTV,
# payroll etc", "job offers, fake marriages, boyfriends…"): their own context, not names to look up
RE_EXAMPLES_GIVEN = re.compile(r"(?:[\w'’-]+(?:\s+[\w'’-]+){0,2},\s+){2,}(?:and\s+)?[\w'’-]+(?:\s+[\w'’-]+){0,2},?\s*"
                               r"(?:etc\b\.?|and\s+so\s+on\b|\.\.\.|…)")


# A case told as a condition before the question that weighs it ("What if they owe the agency for
# the flights, and one was nicked shoplifting from the Tesco - does that change things?"): the
# condition is the case's context, asked about only through "that"
RE_CONDITION_TOLD = re.compile(r"\b(?:what\s+if|and\s+if|suppose|supposing)\s+(?P<told>[^?]+?)\s*(?:\s[-–—]|,)\s*"
                               r"(?=(?:does|do|would|will|is|are|can|could|should|has|have)\s+(?:that|this|it|any\s+of\s+that)\b)",
                               re.I)


def asking_spans(question: str) -> list[tuple[int, int]]:
    """Where the question asks, as opposed to tells: its sentences ending in "?", else its last
    sentence, less the examples it lists of its own (``RE_EXAMPLES_GIVEN``) and a case told as a
    condition (``RE_CONDITION_TOLD``). "He's from Eritrea. Do we just process him?" asks only the
    second, and so does "CPS want to charge him. what should i argue?" (a sentence typed in lower case
    is one of its own); a name in the first is the case's context, not what the texts must mention."""
    holes = [m.span() for m in RE_EXAMPLES_GIVEN.finditer(question)]
    holes += [m.span("told") for m in RE_CONDITION_TOLD.finditer(question)]
    return _without(_asking_sentences(question), holes)


def _without(spans: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` with the parts inside ``holes`` cut out."""
    for h0, h1 in holes:
        spans = [(a, b) for s0, s1 in spans for a, b in ((s0, min(s1, h0)), (max(s0, h1), s1)) if a < b]
    return spans


def _asking_sentences(question: str) -> list[tuple[int, int]]:
    """The sentences of ``question`` that ask (see ``asking_spans``)."""
    spans = typed_sentence_spans(question)
    asking = [(a, b) for a, b in spans if question[a:b].rstrip().endswith("?")]
    if asking and spans and spans[-1] not in asking and not question[spans[-1][0]:spans[-1][1]].rstrip().endswith("."):
        # "…on the project? names please, is La Strada one of them": a last sentence typed without
        # its question mark still asks (one that ends in a full stop tells)
        asking.append(spans[-1])
    return asking or spans[-1:]


def _asks_at(spans: list[tuple[int, int]], start: int) -> bool:
    return any(a <= start < b for a, b in spans)


# Someone named by what they are in or have ("the guy in the BMW", "the woman with the Gucci bag"):
# the word after it picks out a person of the story
_PERSON_BY_THING = re.compile(r"\b(?:guy|man|men|woman|women|bloke|lad|lads|girl|boy|driver|person|fella|fellow|one|"
                              r"chap|gent|lady|kid|customer|passenger)\s+(?:in|with|from|driving)\s+(?:the|a|an|his|her|"
                              r"their|that)\s+$", re.I)
# A word in capitals that this many paragraphs use is read as stressed, not as an acronym.
EMPHASIS_MIN_PARAGRAPHS = 3

def unknown_terms(question: str, retriever: Retriever) -> list[str]:
    """Names, numbers and rare words in the sentences that ask (see ``asking_spans``) that appear
    nowhere in the corpus — neither as words nor, for an acronym, as the initials of words that
    follow each other in it ("NRM": "national referral mechanism")."""
    idf = retriever.idf
    text = spelled_out(question)
    asking = asking_spans(text)
    out = []
    for m in re.finditer(r"[A-Za-z][A-Za-z'’-]+|\d{2,}", text):
        if not _asks_at(asking, m.start()):
            continue
        word = m.group(0)
        low = word.lower().strip("'’")
        head = re.split(r"['’]", low)[0]
        if low in STOPWORDS or low in QUESTION_WORDS or head in STOPWORDS or head in QUESTION_WORDS \
                or len(low) < 3 or RE_CONTRACTION.search(low):
            continue  # "I'm", "don't", "Isn't": contractions of common words; "WHEN" in capitals
        if _PERSON_BY_THING.search(text, max(0, m.start() - 40), m.start()):
            continue  # "if the guy in the BMW was using him…": who the story is about, not a subject
        if (full := EVERYDAY_WRITTEN_OUT.get(acronym_key(word))) and all(stem(w) in idf for w in full.split()):
            continue  # "state-issued IDs": the texts' "identity documents"
        if is_acronym(word) and not _emphasis(head, retriever):
            if _unknown_acronym(word, retriever) and not _occasion(text, m.start(), m.end()) \
                    and not _RE_POSSESSIVE_BEFORE.search(text, 0, m.start()):
                out.append(word)  # ("for my MSc essay", "our MD": the asker's own, not a subject)
            continue
        if word.isdigit() and not _identifying_number(word, text[: m.start()]):
            continue  # an amount the user states ("owed 5000") is context, not a name to look up
        if describes_people(text, m.end()):
            continue  # "two Laotian teenagers": who the case is about, not a name to look up
        specific = (word[0].isupper() and not _opens_clause(text, m.start())) or word.isdigit()
        if specific and all(stem(part) not in idf for part in re.split(r"[-'’]", low) if part):
            out.append(word)
    found = [*out, *unknown_instruments(text, retriever), *unknown_provisions(text, retriever), *unknown_kinds(text, retriever),
             *unknown_contrasted(text, retriever), *unknown_quoted(text, retriever)]
    return list(dict.fromkeys(found))


# An acronym naming the occasion the user asks for ("a list for a staff INSET day", "for our PSHE
# lesson", "at the next SLT meeting"): what the answer is for, not a subject the texts must mention
_OCCASION_BEFORE = re.compile(r"\b(?:for|at|in|during)\s+(?:an?|the|our|my|their|this|next|a\s+staff|our\s+staff)?\s*"
                              r"(?:[\w-]+\s+)?$", re.I)
_OCCASION_AFTER = re.compile(r"^\s+(?:days?|meetings?|sessions?|training|briefings?|lessons?|class(?:es)?|slides?|reports?"
                             r"|newsletters?|handouts?|workshops?|talks?|presentations?|courses?|modules?|assemblies|assembly"
                             r"|visits?|audits?|inspections?|reviews?|essays?|dissertations?|thes[ie]s|assignments?|coursework|exams?)\b", re.I)


def _occasion(text: str, start: int, end: int) -> bool:
    """Is the acronym at ``start:end`` the name of the occasion the answer is for (``_OCCASION_*``)?"""
    return bool(_OCCASION_AFTER.match(text[end:]) and _OCCASION_BEFORE.search(text[max(0, start - 40):start]))


def _emphasis(word: str, retriever: Retriever) -> bool:
    """Is a word typed in capitals one the texts use often ("are VICTIMS liable?") — stressed, not
    an acronym? ("CITES" is not: "cites" is in one paragraph.)"""
    return retriever.passage_frequency([stem(word)]) >= EMPHASIS_MIN_PARAGRAPHS


def _unknown_acronym(word: str, retriever: Retriever) -> bool:
    """An acronym ("CITES", "ILO-IPEC", "UNODC's") the texts neither write nor spell out ("NRM":
    "National Referral Mechanisms", "CoE" with its "of"). It is looked up as written: "CITES permits"
    is not about the English word "cites"."""
    return any(is_acronym(part) and acronym_key(part) not in retriever.acronyms
               and acronym_key(part) not in retriever.initialisms for part in re.split(r"[-'’]", word))


def unknown_provisions(question: str, retriever: Retriever) -> list[str]:
    """Provisions the asking sentence names ("Article 1F", "s.45") that the texts never cite: a
    question about that provision is not answered by passages citing others."""
    named = provisions(question)
    if not named:  # (most questions: the corpus's provision set is not even looked at)
        return []
    asking = asking_spans(question)
    return [written for kind, num, written, at in named
            if _asks_at(asking, at) and (kind, num) not in retriever.cited_provisions]


# The asker's own label for what they describe, not a term of art ("keeping complaints separate from
# enforcement - some kind of 'firewall'", "what we'd call a 'red line'"): right before the quote
RE_HEDGED_LABEL = re.compile(r"\bsome\s+(?:kind|sort)\s+of\s*(?:an?\s+)?[\"'‘“]?\s*$|"
                             r"\bwhat\s+(?:we|i|people|they)(?:'d|’d|\s+would|\s+might)?\s+call\s*(?:an?\s+)?[\"'‘“]?\s*$",
                             re.I)


def unknown_quoted(question: str, retriever: Retriever) -> list[str]:
    """Terms of art the asking sentence quotes ("the 'causation' approach", "the test for 'particular
    social group'") that the texts never use as such: a question about that test is not answered by
    passages about others."""
    asking = asking_spans(question)
    out = []
    for term, at in quoted_terms(question):
        words = [w for w in re.findall(r"[a-z0-9]+", term.lower()) if w not in STOPWORDS]
        if not words or not _asks_at(asking, at) or RE_HEDGED_LABEL.search(question[:at]):
            continue
        if f" {' '.join(words)} " not in retriever.name_text and not (len(words) == 1 and _texts_use(words[0], retriever)):
            out.append(term)
    return out


# "Which dog breeds does UNODC say…", "what apps are…": the kind of thing whose names are asked for,
# right before the verb that asks
RE_WHICH_KIND = re.compile(r"\b(?:which|what)\s+(?P<kind>(?:[a-z-]+\s+){0,2}?[a-z-]+s)\s+(?=(?:do|does|did|are|is|were|was|"
                           r"have|has|had|can|could|should|would|will|must)\b)", re.I)


_QUALIFIERS = frozenset("""specific particular exact main top other different various several certain
    two three four five six seven eight nine ten few many""".split())  # noqa: SIM905


def unknown_kinds(question: str, retriever: Retriever) -> list[str]:
    """The kind of thing an asking sentence asks which ones of ("which dog breeds does UNODC say
    gangs use?") when the texts never use its word, nor a word of its synonym group: they name none."""
    asking = asking_spans(question)
    out = []
    for m in RE_WHICH_KIND.finditer(question):
        if not re.search(r"(?:^|[.?!;:]|\b(?:and|so|but|ok|okay))\W*$", question[:m.start()], re.I):
            continue  # "…about what businesses like ours should be doing": a clause, not the question
        kind = m.group("kind")
        head = kind.split()[-1].lower()
        if not _asks_at(asking, m.start()) or any(w.lower() in STOPWORDS for w in kind.split()) \
                or head in common_english_words():
            continue
        if not any(_texts_use(w, retriever) for form in synonyms(head) for w in form.split()):
            # named without a count or qualifier before it ("specific dating apps": "dating apps")
            words = kind.split()
            out.append(" ".join([*dropwhile(lambda w: w.lower() in _QUALIFIERS or w.isdigit(), words[:-1]), words[-1]]))
    return out


def _texts_use(word: str, retriever: Retriever) -> bool:
    """Do the texts use ``word`` (lower case) — as a stemmed word of a paragraph, or in a footnote,
    heading or title?"""
    return stem(word) in retriever.idf or f" {word} " in retriever.name_text


def unknown_contrasted(question: str, retriever: Retriever) -> list[str]:
    """Words of a side of a contrast the asking sentence draws ("the difference between tax evasion
    and tax avoidance", "the causation vs the duress approach") that the texts never use: how two
    notions differ is not answered by passages that speak of neither."""
    asking = asking_spans(question)
    out = []
    for side, at in contrasted(question):
        if not _asks_at(asking, at):
            continue
        out += words_never_used(side, retriever)
    return out


def words_never_used(text: str, retriever: Retriever) -> list[str]:
    """The words of ``text``, as typed, that the texts never use (``_texts_use``) and that say
    something: four letters or more, not stopwords, everyday English or contractions ("shouldn't",
    "shouldnt")."""
    common = common_english_words()
    out: dict[str, str] = {}
    for word in re.findall(r"[A-Za-z]+(?:['’][A-Za-z]+)?", text):
        low = word.lower()
        if len(low) < 4 or low in STOPWORDS or low in common or "'" in low or "’" in low \
                or RE_BARE_NEGATION.match(low) or low in out:
            continue
        if not _texts_use(low, retriever):
            out[low] = word
    return list(out.values())


INSTRUMENT_HEADS = frozenset({"act", "law", "code", "directive", "statute", "decree", "ordinance", "bill",
                              "regulation", "convention", "protocol", "charter", "treaty"})
RE_NAME_RUN = re.compile(r"[A-Z][\w’'.-]*(?:\s+(?:(?:of|on|the|and|in|for|against|to)\s+)*[A-Z][\w’'.-]*)+")


def unknown_instruments(question: str, retriever: Retriever) -> list[str]:
    """Laws and instruments the asking sentence names ("the US Trafficking Victims Protection Act")
    that the texts never name: their words may all be common in the corpus, but a question about
    that law is not answered by passages about others."""
    asking = asking_spans(question)
    out = []
    for m in RE_NAME_RUN.finditer(question):
        words = re.findall(r"[A-Za-z]+", m.group(0))
        if _opens_clause(question, m.start()) and words and words[0].lower() in common_english_words():
            # "According to the Protocol itself, …": capitalised because it opens the sentence
            words = list(dropwhile(lambda w: w.lower() in STOPWORDS, words[1:]))
        if not _asks_at(asking, m.start()) or len(words) < 3 \
                or not any(w.lower() in INSTRUMENT_HEADS for w in words[1:]):
            continue
        # the name from its first word the texts know ("US Trafficking … Act" -> "Trafficking … Act")
        phrase = " ".join(w.lower() for w in words[1:] if w.lower() not in STOPWORDS) if words[0].isupper() \
            else " ".join(w.lower() for w in words if w.lower() not in STOPWORDS)
        if phrase and phrase not in retriever.name_text:
            out.append(m.group(0))
    return out


RE_CONTRACTION = re.compile(r"n['’]t$|['’](m|re|ve|ll|d)$")


def _opens_clause(text: str, start: int) -> bool:
    """Is the word at ``start`` capitalised only because it opens the question or a clause
    ("… away? Second, what if …", "(2) Should …", "Q2 do we …")?"""
    before = text[:start].rstrip()
    return not before or bool(re.search(r"([.?!;:—–]|\(\w{1,2}\)|\b[A-Za-z]?\d\)?|\b[a-z]\))$", before))


def _identifying_number(word: str, before: str) -> bool:
    """A year, or a number that names something ("section 45", "Law No. 26364", "resolution 75")."""
    if len(word) == 4 and word[:2] in ("19", "20"):
        return True
    return bool(re.search(r"\b(article|art|section|sect|law|act|no|resolution|decree|case|ley|"
                          r"application)\.?\s*$", before, re.I))


def source_names(retriever: Retriever) -> set[str]:
    """How users name the indexed documents' sources: each document's symbol and the names of its
    issuing body (``corpus.body_names``)."""
    names: set[str] = set()
    for d in retriever.corpus.documents.values():
        if len(d.symbol) >= 4:
            names.add(d.symbol.lower())
        names |= body_names(d.body)
    return names


def names_an_indexed_source(question: str, retriever: Retriever) -> bool:
    """Does the question name a source of the indexed texts ("the Working Group", "the WG",
    "UNODC", a symbol)? A question about the documents themselves — where a meeting was held, who
    presented — is in scope however far its words sit from the texts' subject. Two-letter
    initials count only in capitals ("WG", not "wg" inside a word or "we"). A document named by its
    kind and its year ("the September 2020 recommendations addendum") is named too; by its kind
    alone it is not ("a plumber's toolkit", "slides for a talk on photosynthesis")."""
    if any(mentions(question, name) for name in source_names(retriever)):
        return True
    corpus = retriever.corpus
    return any((d := corpus.documents.get(doc_id)) is not None and d.year and re.search(rf"\b{d.year}\b", question)
               for doc_id in corpus.documents_named_in(question))


def bare_term(question: str, retriever: Retriever) -> tuple[str | None, bool, bool]:
    """The term a question asks about when it asks nothing else ("What's a reflection period?"),
    whether the texts use it, and whether that makes it theirs. A bare term says too little for the
    embedder to place it near the texts or far from them; the texts' using it is what shows it is
    theirs — unless it is one common English word they happen to use ("what is water?")."""
    term = asked_term(question)
    if term is None:
        return None, False, False
    used = retriever.uses_term(term)
    return term, used, used and (len(term.split()) > 1 or term.lower() not in common_english_words())


def assess_evidence(question: str, hits: list[Hit], retriever: Retriever, threshold: float,
                    domain_threshold: float = 0.0, topic_query: str | None = None,
                    neighbour_margin: float | None = None) -> Evidence:
    """Should the assistant refuse? (no hits, off-topic, unknown names, weak overall match).
    ``topic_query`` (default ``question``) is what the off-topic test reads: a follow-up together
    with its context. With ``neighbour_margin``, a question that sits closer to a neighbouring
    subject the texts do not cover than to any of their passages, by more than that, is off-topic."""
    if not hits:
        return Evidence(True, "no indexed passage matches the question", kind="weak_match")
    topic, gate_hits = topic_query or question, hits
    if (rest := without_domain_set_aside(topic)) != topic and re.search(r"\w", rest):
        # "…? No trafficking involved, just DV.": the words that set the texts' subject aside
        # would pull the question towards them; the gate reads what is left, and its passages
        topic, gate_hits = rest, retriever.search(rest, 10) or hits
    closeness = retriever.neighbourhood(topic, gate_hits[:10])
    # a story that tells one of the field's notions in lay terms is their subject, whatever its words:
    # never far from the texts, never a neighbouring subject, never a weak match
    tells_notion = describes_field_notion(topic)
    if closeness < domain_threshold:
        # A case told in several sentences is in scope when one of them is ("…stopped at the
        # airport with a fake passport the men who brought her gave her. Can she be charged?")
        parts = [p for p in typed_sentences(topic) if len(p.split()) >= 4]
        closeness = max([closeness, *(retriever.closeness(p) for p in parts if len(parts) > 1)])
        # a follow-up that points back ("ok but does that expectation apply to a franchise like
        # mine?") is about what it leans on: in scope when that was
        if (ctx := RE_CONTEXT.search(topic)) and RE_POINTS_BACK.search(topic[:ctx.start()]):
            closeness = max(closeness, retriever.closeness(ctx.group("context")))
    # a question that names a paragraph of the texts ("what does para 12 of the 2022 paper say") or
    # asks what one of them is about ("summarise the toolkit") is about the texts, however few words
    # it shares with them
    def asks_for_passages() -> bool:
        return bool(retriever.asked_passages(topic))

    # worked out once, and only if a refusal below would need it
    names_source = functools.cache(lambda: names_an_indexed_source(topic, retriever))
    term, term_used, term_theirs = bare_term(question, retriever)  # a term they never use is named
    # ("the man who 'looks after her' makes her sell pills" sits far from every passage)
    if closeness < domain_threshold and not term_theirs and not tells_notion and not asks_for_passages() \
            and not names_source():
        # The figures stay in ``Evidence.closeness`` (and the evaluator's records): a reader
        # gets the reason in words.
        never = f"the indexed texts never use the term “{term}”, and " if term and not term_used else ""
        return Evidence(True, never + "the question is outside what the indexed texts are about (trafficking "
                        "in persons and the smuggling of migrants): even the closest passage is far from it",
                        kind="off_topic", closeness=closeness)
    if neighbour_margin is not None and not tells_notion and not asks_for_passages() and not names_source() \
            and not adds_condition_to_field_case(topic) and not names_field_term(topic) and not _asks_if_mentioned(topic):
        field, margin = retriever.nearest_neighbour_field(topic, gate_hits[:10])
        if margin > neighbour_margin:
            # "What documents does an extradition request need?": the texts mention extradition in
            # passing, and a passage on cooperation is close enough for the gate above
            # "closest to": a subject line is narrower than many questions it declines
            return Evidence(True, f"the question is closest to {field_name(field)}, a subject next to what "
                            "the indexed texts cover (trafficking in persons and the smuggling of migrants) "
                            "that they do not address", kind="off_topic", closeness=closeness)
    unknown = unknown_terms(question, retriever)
    if term and not term_used and not names_source():
        unknown.append(term)  # "What is a subpoena?" is not answered by passages on criminal procedure
    best_dense = max((h.dense or 0.0) for h in hits[:5])
    q_words = content_words(question) - {stem(w) for w in QUESTION_WORDS}
    top_words: set[str] = set()
    for h in hits[:5]:
        top_words |= content_words(h.passage.text)
    coverage = len(q_words & top_words) / max(len(q_words), 1)
    ev = Evidence(False, "", unknown, best_dense, coverage, closeness=closeness)
    if unknown:
        ev.refuse, ev.reason = True, "the indexed texts never mention " + ", ".join(f"“{t}”" for t in unknown)
        ev.kind = "unknown_terms"
    elif best_dense < threshold and coverage < 0.5 and not tells_notion and not asks_for_passages():
        # (such a story shares few words with the passages found for its notion in the texts' words)
        ev.refuse, ev.reason = True, "the indexed texts do not address this question (weak match)"
        ev.kind = "weak_match"
    return ev


def _title_words(retriever: Retriever, pid: str) -> set[str]:
    """The words of the titled provision paragraph ``pid`` belongs to (see ``index.provision_title``)."""
    p = retriever.corpus.passages[pid]
    return set(tokenize(provision_title(p, retriever.corpus.documents.get(p.document_id))))


def field_name(field: str) -> str:
    """A neighbouring subject as a reader is told it: "Questions about extradition and mutual legal
    assistance formalities, dual criminality, …" -> "extradition and mutual legal assistance formalities"."""
    head = re.sub(r"^questions about\s+", "", field.strip(), flags=re.I).split(",")[0]
    return head.rstrip(". ")


@dataclass
class _Candidate:
    hit_rank: int
    pid: str
    start: int
    end: int
    text: str
    score: float = 0.0
    relevance: float = 0.0


def _window_vec(retriever: Retriever, pid: str, start: int) -> np.ndarray | None:
    handle = retriever.handle
    for i in retriever.units_by_passage.get(pid, []):
        u = handle.units[i]
        if is_window(u) and u.start <= start < max(u.end, u.start + 1):
            return handle.unit_vecs[i]
    return None


def rare_in(retriever: Retriever) -> Callable[[str], bool]:
    """Does a name name something particular (a place, a person, a body)? Rare in the corpus."""
    def specific(name: str) -> bool:
        toks = tokenize(name)
        return bool(toks) and retriever.passage_frequency(toks) <= 5
    return specific


def _candidates(hits: list[Hit], n_passages: int, question: str = "",
                specific: Callable[[str], bool] | None = None) -> list[_Candidate]:
    kinds = requested_figures(question)
    out = []
    for rank, h in enumerate(hits[:n_passages]):
        text = h.passage.text
        for a, b in sentence_spans(text):
            if RE_INSTRUCTION.search(text[a:b]):
                continue
            if h.passage.label_kind != "front" and is_name_line(text[a:b]) and not is_list_item(text[a:b]):
                continue  # a masthead or heading run into the paragraph, not a sentence (a list
                # item in title case is still an item of its list)
            if h.passage.label_kind == "front" and not any(
                    has_figure(k, text[a:b], question, specific, line=True, cover=text) for k in kinds):
                continue  # a cover line ("Working Group on Trafficking in Persons") answers only
                # a question for the date, place or name it gives
            out.append(_Candidate(rank, h.passage.id, a, b, text[a:b]))
    return out


def _score(cands: list[_Candidate], question: str, retriever: Retriever, already_said: str = "",
           notion_weight: float = 0.0, naming: frozenset[str] = frozenset()) -> None:
    """Relevance (dense similarity of the sentence's window + IDF-weighted overlap with the
    question) and the selection score (the same, its dense part through the query adapter, plus a
    prior for the paragraph's rank, plus, for a story told in lay words, ``notion_weight`` times its
    overlap with the texts' words for the notion: "presumption", "screening" answer "what's
    supposed to happen to her now?"). A sentence the previous answer already quoted is demoted, so a
    follow-up gets what is new. ``naming``: the question's words that only name the document it asks
    about, which make no sentence relevant."""
    idf = retriever.idf
    qvec = retriever.embed_query(question)
    # the choice reads the question as the search did (through the query adapter); the relevance a
    # badge shows stays the plain similarity its bars were set on
    chosen_by = retriever.adapter(qvec) if retriever.adapter is not None else qvec
    # (sums over sets, exactly rounded: a plain sum in a set's order, which changes from one process to
    # the next with the hash seed, broke ties between sentences differently from run to run)
    q_tokens = (set(tokenize(question)) - {stem(w) for w in QUESTION_WORDS} - naming) or set(tokenize(question))
    q_weight = math.fsum(idf.get(t, 1.0) for t in q_tokens) or 1.0
    n_tokens = set(tokenize(" ".join(lay_notions(question)))) if notion_weight else set()
    n_weight = math.fsum(idf.get(t, 1.0) for t in n_tokens) or 1.0
    said = normalize_space(already_said)
    titles: dict[str, set[str]] = {}
    for c in cands:
        vec = _window_vec(retriever, c.pid, c.start)
        dense = float(vec @ qvec) if vec is not None else 0.0
        steered = float(vec @ chosen_by) if vec is not None else 0.0
        # a treaty's sentence says what it is about in its article's title ("Return of smuggled migrants")
        if c.pid not in titles:  # once per paragraph, not per sentence
            titles[c.pid] = _title_words(retriever, c.pid)
        words = set(tokenize(c.text)) | titles[c.pid]
        lex = math.fsum(idf.get(t, 1.0) for t in q_tokens & words) / q_weight
        short = 0.6 if len(c.text.split()) < 6 else 1.0
        c.relevance = max(0.0, min(1.0, (0.55 * dense + 0.45 * lex) * short))
        prior = 1.0 / (1.0 + 0.25 * c.hit_rank)
        c.score = (0.45 * steered + 0.4 * lex + 0.15 * prior) * short
        if n_tokens:
            c.score += notion_weight * math.fsum(idf.get(t, 1.0) for t in n_tokens & words) / n_weight
        if said and normalize_space(c.text) in said:
            c.score *= 0.5


def _redundant(text: str, chosen: list[_Candidate]) -> bool:
    words = content_words(text)
    for c in chosen:
        other = content_words(c.text)
        if words and len(words & other) / len(words | other) > 0.55:
            return True
    return False


def _with_list_items(best: _Candidate, cands: list[_Candidate], limit: int = 5) -> list[_Candidate]:
    """A sentence ending in ":" introduces items: bring the ones that follow it in its paragraph."""
    if not best.text.rstrip().endswith(":"):
        return [best]
    same = [c for c in cands if c.pid == best.pid and c.start > best.start]
    return [best, *sorted(same, key=lambda c: c.start)[:limit]]


def is_list_item(text: str) -> bool:
    """"- Protection…", "(b) Ensure…", "3. Ensuring…": an item of a list, shown as one."""
    return bool(RE_LIST_ITEM.match(text))


def _order(chosen: list[_Candidate]) -> list[_Candidate]:
    """Sentences of one paragraph stay together, in text order; paragraphs come in order of their
    best sentence, so the answer opens with the paragraph that answers most directly — and with that
    very sentence, unless it is a list item whose introduction must come first."""
    groups: dict[str, list[_Candidate]] = {}
    for c in chosen:
        groups.setdefault(c.pid, []).append(c)
    ordered = sorted(groups.values(), key=lambda g: -max(c.score for c in g))
    out: list[_Candidate] = []
    for i, group in enumerate(ordered):
        group.sort(key=lambda c: c.start)
        top = max(group, key=lambda c: c.score)
        if i == 0 and not is_list_item(top.text) and group[0] is not top:
            k = group.index(top)
            if group[k - 1].text.rstrip().endswith(":") and group[k - 1].end >= top.start - 2:
                k -= 1  # "Principle 7 … states that:" stays before the words it introduces
            group = group[k:] + group[:k]
        out += group
    return out


def _named_document_first(ordered: list[_Candidate], named: list[str], retriever: Retriever,
                          related_at: float) -> list[_Candidate]:
    """"What does general recommendation No. 38 say about root causes?": the one document the
    question names speaks first, when what it says is at least related; texts that discuss it follow."""
    if len(named) != 1:
        return ordered
    own = [c for c in ordered if retriever.corpus.passages[c.pid].document_id == named[0]]
    if not own or max(c.relevance for c in own) < related_at:
        return ordered
    return own + [c for c in ordered if c not in own]


def relevance_level(score: float, direct_at: float, related_at: float) -> str:
    """The badge a reader sees: does this sentence answer the question?"""
    if score >= direct_at:
        return "direct"
    return "related" if score >= related_at else "background"


def _cover_first(cands: list[_Candidate], named: list[str], retriever: Retriever, direct_at: float) -> None:
    """"When were the April 2023 slides given / which unit gave them?": a line of the named
    document's own title page that gives the asked detail is the answer, and goes first. (A cover
    line is a candidate only when it gives the detail asked for: see ``_candidates``.)"""
    _put_first([c for c in cands if (p := retriever.corpus.passages[c.pid]).label_kind == "front"
                and p.document_id in named], cands, direct_at)


def _definition_first(cands: list[_Candidate], question: str, direct_at: float) -> None:
    """"What is the definition of X": the sentence that defines X ("'X' shall mean…") is the
    answer, and goes first."""
    term = asked_definition(question)
    if term:
        _put_first([c for c in cands if defines(term, c.text)], cands, direct_at)


def _referenced_first(cands: list[_Candidate], asked: list[str], direct_at: float, items: bool = False) -> None:
    """"What does para 12 of the 2022 paper say": that paragraph's sentences, in its own order,
    open the answer and are badged as answering the question. ``items`` asked as a list ("list
    the 2020 recommendations") open it with the first sentence of each, in the document's order."""
    order = {pid: i for i, pid in enumerate(asked)}
    mine = sorted((c for c in cands if c.pid in order), key=lambda c: (order[c.pid], c.start))
    if items:
        mine = list({c.pid: c for c in reversed(mine)}.values())[::-1]  # each item's first sentence
    if not mine:
        return
    top = max(c.score for c in cands)
    for i, c in enumerate(mine):
        c.score = top + 0.01 * (len(mine) - i)
        c.relevance = max(c.relevance, direct_at)


def _put_first(answers: list[_Candidate], cands: list[_Candidate], direct_at: float) -> None:
    """The best of ``answers`` (sentences that give what was asked) outranks every candidate and
    is badged as answering the question."""
    if answers:
        best = max(answers, key=lambda c: c.score)
        best.score = max(c.score for c in cands) + 0.01
        best.relevance = max(best.relevance, direct_at)


def _from_each_named_document(named: list[str], cands: list[_Candidate], chosen: list[_Candidate],
                              retriever: Retriever, related_at: float) -> list[_Candidate]:
    """A question that names documents ("what does general recommendation No. 38 say about root
    causes?", "do the 2023 slides say the same as the background paper?") is answered from each of
    them: the best sentence of a named document the answer does not quote yet is added (other
    texts that discuss it may match the question's words better, but were not what was asked). One
    named document is quoted only where it says something related: a sentence of it that is not
    would read as its answer."""
    if not named:
        return []
    doc_of = {c.pid: retriever.corpus.passages[c.pid].document_id for c in cands}
    quoted = {doc_of[c.pid] for c in chosen}
    extra = []
    for doc_id in named:
        best = max((c for c in cands if doc_of[c.pid] == doc_id), key=lambda c: c.score, default=None)
        if doc_id not in quoted and best is not None and not _redundant(best.text, chosen) \
                and (len(named) > 1 or best.relevance >= related_at):
            extra.append(best)
    return extra


def select_sentences(question: str, hits: list[Hit], retriever: Retriever, max_words: int,
                     max_sentences: int, n_passages: int = 10, already_said: str = "",
                     direct_at: float = 0.45, related_at: float = 0.33,
                     per_paragraph: int = 3, notion_weight: float = 0.0,
                     per_other_paragraph: int | None = None) -> list[AnswerSentence]:
    """The extractive answer: query-focused, non-redundant, ordered, each with its citation and
    its relevance to the question; ``already_said`` is the previous answer in a conversation. One
    paragraph gives at most ``per_paragraph`` sentences (besides the items of a list one of them
    introduces), so the answer draws on the next paragraph rather than a third sentence of one;
    with ``per_other_paragraph``, every paragraph but the best sentence's gives at most that many.
    ``notion_weight``: what a sentence gains in the choice for using the texts' words for a notion
    the question describes in lay terms."""
    cands = _candidates(hits, n_passages, question, rare_in(retriever))
    if not cands:
        return []
    named = retriever.corpus.documents_named_in(question)  # the documents the question names, once
    asked_order = retriever.asked_passages(question)
    # (the words naming a document the question names — "does the 2022 background paper treat…" — say
    # where to look, not what about: "The present background paper has been prepared…" answers
    # nothing; unless the question asks about the document itself, its date or its items)
    naming = frozenset() if requested_figures(question) or asked_order else retriever.corpus.words_naming(named)
    _score(cands, question, retriever, already_said, notion_weight, naming)
    _cover_first(cands, named, retriever, direct_at)
    _definition_first(cands, question, direct_at)
    asked = set(asked_order)
    _referenced_first(cands, asked_order, direct_at, items=len(asked) > 2 and bool(retriever.corpus.items_listed(question)))
    ranked = sorted(cands, key=lambda c: -c.score)
    floor = 0.6 * ranked[0].score
    chosen: list[_Candidate] = []
    words = 0
    taken: Counter[str] = Counter()
    for cand in ranked:
        if cand.score < floor or len(chosen) >= max_sentences or words >= max_words:
            break
        cap = per_paragraph if per_other_paragraph is None or cand.pid == ranked[0].pid else per_other_paragraph
        if taken[cand.pid] >= cap and cand.pid not in asked:
            continue  # (the paragraph the question asks for is quoted as far as the budget goes)
        taken[cand.pid] += 1
        for c in _with_list_items(cand, cands):
            if c in chosen or _redundant(c.text, chosen):
                continue
            n = len(c.text.split())
            if chosen and words + n > max_words * 1.15:
                continue
            chosen.append(c)
            words += n
    chosen += _from_each_named_document(named, cands, chosen, retriever, related_at)
    out, last_pid = [], None
    for c in _named_document_first(_order(chosen), named, retriever, related_at):
        flags = (["list_item"] if is_list_item(c.text) else []) + (["new_paragraph"] if c.pid != last_pid else [])
        last_pid = c.pid
        out.append(AnswerSentence(text=c.text, citations=[c.pid], pinpoints=_pinpoint(c, hits),
                                  relevance=round(c.relevance, 3),
                                  relevance_level=relevance_level(c.relevance, direct_at, related_at),  # type: ignore[arg-type]
                                  flags=flags))
    return out


def _pinpoint(c: _Candidate, hits: list[Hit]) -> dict[str, str]:
    """A sentence taken from a sub-item cites it: "art. 6(3)(b)" rather than "art. 6(3)"."""
    hit = hits[c.hit_rank]
    sub = hit.passage.sub_item_at(c.start, c.end)
    return {c.pid: hit.passage.sub_item_citation(hit.citation, sub)} if sub and sub.label else {}


def describes_people(text: str, end: int) -> bool:
    """Is the word ending at ``end`` an attribute of people named right after it ("Vietnamese
    teenagers", "Nigerian women")? Such a word is context, not the subject of the question."""
    nxt = re.match(r"\s+([a-z]+)", text[end:])
    return nxt is not None and nxt.group(1) in PEOPLE_NOUNS


TITLES = frozenset({"mr", "ms", "mrs", "dr", "judge", "justice", "messrs"})


# A run of capitalised words naming a body or an instrument ("European Union Strategy on Combating
# Trafficking in Human Beings"): its words are not places, however rare.
RE_TITLE_RUN = re.compile(r"\b[A-Z][\w’'.-]*(?:\s+(?:(?:of|on|in|for|the|and|against|to)\s+)*[A-Z][\w’'.-]*)+")
TITLE_HEADS = frozenset("""court committee commission council union strategy convention protocol office agency
    ministry group programme program fund declaration guidelines principles directive report act law
    assembly conference organization organisation institute association network initiative unit
    department service police rapporteur secretariat resolution toolkit handbook plan""".split())  # noqa: SIM905
# Heads of a text's title (a law or treaty's, ``INSTRUMENT_HEADS``, or soft law's and guidance's):
# never a body's or a person's name
TEXT_HEADS = INSTRUMENT_HEADS | frozenset("""conventions protocols declaration guidelines principles resolution
    toolkit handbook plan strategy covenant rules agenda compact module report""".split())  # noqa: SIM905


def title_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names a body or instrument: runs of three or more capitalised words, or of
    two or more with a word such as Court, Commission or Strategy."""
    out = []
    for m in RE_TITLE_RUN.finditer(text):
        words = re.findall(r"[A-Z][\w’'.-]*", m.group(0))
        if len(words) >= 3 or any(w.lower() in TITLE_HEADS for w in words):
            out.append(m.span())
    return out


def _title_around(text: str, name: str) -> str:
    """The run of capitalised words ``name`` stands in (``RE_TITLE_RUN``: "UN Guiding Principles on
    Business and Human Rights" for "Business"), or ``name``."""
    at = text.find(name)
    return next((m.group(0) for m in RE_TITLE_RUN.finditer(text) if m.start() <= at < m.end()), name)


def _names_a_text(title: str) -> bool:
    """Is ``title`` an instrument's, one whose head (the word before its first "on", "of", "for"…, or
    its last) is a kind of text: "the UN Guiding Principles on Business and Human Rights", "the
    California Transparency in Supply Chains Act"? A name standing in it is no body or person."""
    parts = re.split(r"\s+(?:of|on|in|for|against|to)\s+", title)
    return bool({parts[0].split()[-1].lower(), parts[-1].split()[-1].lower()} & TEXT_HEADS)


def _names_no_body(text: str, name: str) -> bool:
    """Is ``name`` no particular body: a word for a kind of body standing alone ("its NGO partners";
    not "the Vienna General Hospital"), or a word of an instrument's title?"""
    title = _title_around(text, name)
    alone = title == name and any(re.fullmatch(words, name, re.I) for words in _BODY_KINDS.values())
    return alone or _names_a_text(title)


def _abbreviates_a_title(text: str, name: str) -> bool:
    """Is ``name`` the abbreviation a text gives a title in brackets ("Organization for Security and
    Cooperation in Europe (OSCE)")? That is a body's name, not a place."""
    return name.isupper() and any(re.match(r"\s*\(\s*" + re.escape(name) + r"\s*\)", text[m.end():])
                                  for m in RE_TITLE_RUN.finditer(text))


def _new_names(text: str, question: str, pattern: re.Pattern[str],
               specific: Callable[[str], bool] | None = None, places: bool = False,
               opening: bool = False) -> list[str]:
    """Capitalised names in ``text`` (not opening it) that the question does not already contain
    and that are not institution words; with ``specific``, only names it accepts; with ``places``,
    none inside the name of a body or instrument; with ``opening``, a name may open the text (a
    line of a title page: "Tiphanie Crittin, Human Trafficking … Section")."""
    asked = set(re.findall(r"[a-z0-9]+", question.lower()))
    titles = title_spans(text) if places else []
    # a document's symbol ("see CTOC/COP/WG.4/2020/2") names no place or person (its letters may
    # stand for the body it was written for: "COP", the Conference of the Parties)
    symbols = [m.span() for m in RE_SYMBOL.finditer(text)] if places or pattern is RE_PERSON else []
    item = RE_LIST_ITEM.match(text)
    first = item.end() if item else 0  # a list item opens after its marker ("- Non-criminalization…")
    out = []
    for m in pattern.finditer(text):
        name = m.group(0)
        # a possessive is no word of the name: "UNODC's" is the UNODC the question names
        words = [w for w in re.findall(r"[a-z0-9]+", re.sub(r"['’]s\b", "", name.lower())) if w not in TITLES]
        if (m.start() <= first and not opening) or not words or all(w in asked for w in words):
            continue
        if any(a <= m.start() < b for a, b in (*titles, *symbols)):
            continue
        if all(w in INSTITUTION_WORDS or w in STOPWORDS for w in words):
            continue
        if pattern is RE_PERSON and any(w in INSTITUTION_WORDS for w in words):
            continue  # "British Institute", "European Court": a body, not a person
        if pattern is RE_PERSON and not RE_HONORIFIC.match(name) and re.match(r"\s+[A-Z][a-z]", text[m.end():]):
            continue  # "the Greek Central Labour Inspection Agency": the start of a longer name, a body's
        if pattern is RE_PERSON and specific is not None and not RE_HONORIFIC.match(name) \
                and not all(specific(w) for w in name.split()):
            continue  # "Southern African Development": every word of a person's name is rare in the texts
        if specific is None or specific(name):
            out.append(name)
    return out


# "Which NGO…", "which dating apps…": the kind of body asked for, and the words a text names one with
# ("the NGO Agar Ethiopia", "apps such as X"). A name answers only beside one of them.
_BODY_KINDS = {
    "ngo": r"ngos?|non-governmental|organi[sz]ations?|foundations?|associations?|charit(?:y|ies)|partners?|"
           r"coalitions?|networks?|alliances?|federations?|societ(?:y|ies)|cent(?:re|er)s?|institutes?|unions?|"
           r"clubs?|international",  # "La Strada International", "Anti-Slavery International"
    "donor": r"donors?|funders?|fund(?:s|ed|ing)?|governments?",
    "company": r"compan(?:y|ies)|corporations?|firms?|brands?|business(?:es)?|ltd|inc|plc|processors?|suppliers?"
               r"|manufacturers?|producers?|retailers?|contractors?|factor(?:y|ies)",
    "app": r"apps?|applications?|platforms?|websites?|sites?|online|social media",
    # "which rail operators / airlines / banks / hotel chains": a name beside its trade (not "air" or
    # "chains": the Protocol's "by Land, Sea and Air", "supply chains")
    "operator": r"operators?|rail\w*|metro|bus(?:es)?|transport\w*|airlines?|airways|banks?|banking|hotels?",
    # "which restaurant chains / shops": a name beside a word for an outlet (not "Supply Chains Act")
    "outlet": r"(?<!supply )chains?|restaurants?|caf(?:e|é)s?|shops?|stores?|supermarkets?|outlets?",
    "school": r"schools?|colleges?|academ\w*|universit\w*|education\w*",
    # "which state veterinary medical board": a name beside a word for a regulator
    "regulator": r"boards?|regulators?|regulatory|licensing|chambers?",
    # "which local councils": a name beside a word for local government
    "council": r"councils?|municipal\w*|boroughs?|local\s+authorit(?:y|ies)|city\s+hall|town\s+hall",
    # "which delegation proposed…": a State named as a delegation or its representative
    "delegation": r"delegations?|delegates?|representatives?|on behalf of",
    # "which certification or standard…": a name beside a word for a standard
    "standard": r"standards?|certifications?|certificates?|certified|norms?|seals?",
    # "which hospital or clinic…": a name beside a word of health care
    "health": r"hospitals?|clinics?|medical|health|cent(?:re|er)s?",
    # "which ministry - interior or justice - must take the lead": a name beside a word for one
    "ministry": r"ministr(?:y|ies)|ministers?|departments?",
    # "which Europol operational project": a name beside a word for a project
    "project": r"projects?|programmes?|programs?|operations?|operational|initiatives?|campaigns?",
    # "which museum", "does it name any galleries": a name beside a word for one (not any body named)
    "venue": r"museums?|galler(?:y|ies)|exhibitions?|studios?",
    # "which survivor's memoir", "which publisher": a title or a name beside a word for a work or its making
    "work": r"memoirs?|novels?|books?|films?|documentar(?:y|ies)|podcasts?|publish\w*|press|authored|written",
    # "which languages…": a language by its name, beside a word for one ("the Arabic, Chinese… texts")
    "language": r"languages?|texts?|versions?|translations?|interpret\w*|spoken|speak\w*",
}
# Kinds a body's own name does not make it: "the Voluntary Trust Fund" receives money, and is a donor
# only where the text says it gave, in words that are not a name's ("funded by…", "Donor States…")
_SAID_OUTSIDE_THE_NAME = frozenset({"donor"})


# "What's the name of the accreditation body…", "the name of the regional hotline scheme": the words
# that say which body is meant, before the word for a body
_NAME_OF_QUALIFIED = re.compile(r"\bname\s+of\s+(?:the|that|this|their|its)\s+(?P<what>(?:[\w-]+\s+){1,3}?)"
                                r"(?:body|bodies|agency|agencies|organi[sz]ations?|authority|authorities|institutions?"
                                r"|networks?|programmes?|programs?|schemes?|funds?|committees?|councils?|commissions?"
                                r"|platforms?|databases?|hotlines?|helplines?|units?|offices?|compan(?:y|ies)|firms?"
                                r"|groups?|projects?|initiatives?)\b", re.I)


def _named_as(text: str, name: str, question: str) -> bool:
    """Is ``name`` named in ``text`` as the kind of body the question asks for ("which NGO…": "the
    NGO Agar Ethiopia"), within a few words of a word for that kind, or of a word the question
    says it by ("the name of the accreditation body": beside "accredited")? True when neither is
    asked ("what's the name of…", "which section")."""
    at = text.find(name)
    if at < 0:
        return True
    # a few words either side, searched in place rather than in a cut-out window: a word cut at its
    # edge ("[S]upply Chains") is no word for the body
    lo, hi = max(0, at - 60), at + len(name) + 60
    asked = FIGURE_QUESTIONS["organization"].search(question)
    noun = asked.group("noun").lower() if asked is not None and asked.group("noun") else ""
    kind = next((k for k, words in _BODY_KINDS.items() if re.fullmatch(words, noun)), "")
    if kind:
        said = re.compile(rf"\b(?:{_BODY_KINDS[kind]})\b", re.I)
        if kind not in _SAID_OUTSIDE_THE_NAME:
            return bool(said.search(text, lo, hi))
        # a capital only where it opens the sentence ("Donor States such as…"), not inside a name
        return any(m.group(0)[0].islower() or not text[:m.start()].strip(" -•*") for m in said.finditer(text, lo, hi))
    qualified = _NAME_OF_QUALIFIED.search(question)
    said_by = {stem(w) for w in re.findall(r"[a-z]+", qualified.group("what").lower()) if w not in STOPWORDS} \
        if qualified else set()
    return not said_by or bool(said_by & {stem(w) for w in re.findall(r"[a-z]+", text[lo:hi].lower())})


def _counted_phrase(words: str) -> list[str]:
    """The words naming what is counted, from what follows "how many" / "percentage of": up to three,
    ending before a stopword or a participle ("victims trafficked for…": victims, not the
    traffickers a "62% of convicted traffickers" counts; "labour inspectors does Brazil have")."""
    out: list[str] = []
    # (a hyphenated word is one: "art-world trafficking cases" counts cases)
    for w in re.findall(r"[a-z]+(?:-[a-z]+)*", words.lower()):
        if not out and w in ("of", "the", "these", "those", "our", "your", "their", "its"):
            continue  # "how many of the victims" ("how many of us": a pronoun, any number may count them)
        if w in STOPWORDS or w == "per" or (out and w.endswith("ed")) or len(out) == 3:
            break  # ("per": what follows is a rate's measure, "inspectors per 10,000 workers")
        out.append(w)
    return out


# Countries as the texts count them ("States parties", "Member States")
_STATE_WORDS = frozenset(stem(w) for w in ("countries", "country", "states", "state", "nations", "parties"))


# A share or rate is what is asked: "what percentage of…", "the conviction rate", "what proportion…"
RE_SHARE_ASKED = re.compile(r"\b(?:percentage|proportion|share|rate|ratio)s?\s+of\b|\b(?:what|which)(?:['’]s)?\s+"
                            r"(?:[\w-]+\s+){0,4}?(?:percentage|proportion|share|rate|ratio)\b", re.I)


def _counted_near(text: str, question: str) -> bool:
    """A count of the thing asked about: a number within four words of a word of the question's
    "how many X Y" (or "number of X")."""
    m = re.search(r"\b(?:how many|number of|percentage of|share of|proportion of)\s+([\w\s-]{2,40})", question, re.I)
    # what is counted is the phrase's head, its last word: "trafficking victims" counts victims, and
    # "62% of convicted traffickers" counts no victim however near "trafficking" it stands
    nouns = {stem(w) for w in _counted_phrase(m.group(1) if m else "")[-1:]}
    if nouns & _STATE_WORDS:
        nouns |= _STATE_WORDS  # "how many countries have ratified": "149 States parties" counts them
    # a measure is given in its unit ("in square metres": a number beside "metres" or "m2"), a
    # score as a score — not by an article number in a list of rights
    unit = RE_MEASURE_ASKED.search(question)
    if unit and unit.group("heat"):
        nouns = {"degre", "°c", "°f", "celsius", "fahrenheit", stem("temperature")}
    elif unit:
        nouns = {stem(unit.group("what") or "score"), "m2", "m²", "sq"}
    elif measure := RE_MEASURE_NAMED.search(question):
        nouns = {stem(measure.group("measure").lower())}  # "what minimum altitude…": a number beside "altitude"
    if RE_AGE_ASKED.search(question):
        return bool(RE_AGE_GIVEN.search(text))  # "under eighteen years of age", not "in 2018"
    # "how many inspectors per 10,000 workers", "what was the conviction rate", "what percentage of
    # victims…": a rate or a share is asked, and a plain count does not give it
    rate = re.search(r"\bper\s+(?:[\d,]+|cent|capita|thousand|million|hundred)\b", question, re.I) \
        or RE_SHARE_ASKED.search(question)
    words = re.findall(r"[\w,.%-]+", RE_REFERENCE_NUMBER.sub(" ", text))
    for i, w in enumerate(words):
        if RE_COUNT.fullmatch(w.rstrip(".,")) or re.fullmatch(r"\d[\d,.]*%?", w.rstrip(".,")):
            if not nouns and not w[0].isdigit():
                continue  # a number in words counts only what the question names ("three objectives")
            # (six words after: "38 per cent of convicted traffickers" names its head sixth)
            window = words[max(0, i - 4): i + 7]
            if rate and not (w.endswith("%") or any(x.lower() in ("per", "percent", "rate", "ratio") for x in window)):
                continue
            if not nouns or any(stem(x.lower().strip(".,")) in nouns for x in window):
                return True
    return False


# "When did UNODC launch its training for hotel staff…?": what is dated, up to the end of the clause
# ("in which year did…", "what date is World Day…": the day of a named occasion)
_WHEN_CLAUSE = re.compile(r"\b(?:when|(?:(?:from|on|by|as of|since)\s+)?(?:what|which)\s+(?:date|day)|"
                          r"(?:in\s+)?(?:what|which)\s+year)\s+"
                          r"(?:did|was|were|is|are|will|does|do|has|have)\s+(?P<what>[^?.,;]+)", re.I)


_EVENT_VERBS = re.compile(r"\b(?:launch\w*|publish\w*|releas\w*|issu\w*|adopt\w*|bring|brought|come|came|out|"
                          r"start\w*|begin|began|set|establish\w*|creat\w*|introduc\w*|hold|held|meet|met|"
                          r"enter\w*|sign\w*|first|become|became|take|took|place)\b", re.I)


def _when_clause(question: str) -> str:
    """What a "when did…" question dates ("UNODC launch its training for hotel staff"), or ""."""
    m = _WHEN_CLAUSE.search(question)
    return m.group("what") if m else ""


def _dated_subject(question: str, specific: Callable[[str], bool]) -> set[str]:
    """The rare common words (stemmed) of what a "when did…" question dates ("hotel", "launch" in
    "when did UNODC launch its training for hotel staff?"): a year answers it only beside one of
    them, not in a sentence about other activities. Names are left to the check that the cited text
    holds them (a text spells out the "WG"); empty when the question dates nothing rare."""
    m = _WHEN_CLAUSE.search(question)
    # the whole clause, up to the next question ("…, and which article covers it?"); the event's
    # verb ("bring out", "launch") may be told in other words ("published by UNODC in 2020")
    what = re.split(r"\s+and\s+(?:which|what|who|how|where|is|are|does|do)\b", m.group("what"))[0] if m else ""
    words = re.findall(r"\b[a-z][a-z-]+\b", _EVENT_VERBS.sub(" ", what))
    return {stem(w) for w in words if w not in STOPWORDS and specific(w)}


def _near_words(text: str, start: int, end: int, words: set[str], span: int = 15) -> bool:
    """Is one of ``words`` (stemmed) among the ``span`` words either side of ``text[start:end]``?"""
    near = text[:start].split()[-span:] + text[end:].split()[:span]
    return bool(words & set(tokenize(" ".join(near))))


# What an amount is an amount of: an amount answers "how much is the fee" only next to a fee.
MONEY_NOUNS = frozenset(stem(w) for w in (
    "fee", "cost", "price", "charge", "budget", "fund", "funding", "spend", "spent", "pay", "paid",
    "award", "compensation", "damages", "fine", "salary", "wage"))


def _amount_near(text: str, question: str) -> bool:
    """An amount within about a dozen words (80 characters) of what the question asks the amount of
    ("the fee", "award"): "€20,000 in respect of costs" does not give an asylum application's fee;
    asked "in pounds", only an amount in pounds gives it."""
    asked = {stem(w) for w in re.findall(r"[a-z]+", question.lower())} & MONEY_NOUNS
    currency = RE_CURRENCY_ASKED.search(question)
    sign = (currency.group("sign") or _CURRENCY_OF[currency.group("word").lower()]) if currency else ""
    for m in RE_MONEY.finditer(text):
        if sign and not re.search(_CURRENCIES[sign], m.group(0), re.I):
            continue
        if not asked:
            return True
        near = re.findall(r"[a-z]+", text[max(0, m.start() - 80): m.end() + 80].lower())
        if asked & {stem(w) for w in near}:
            return True
    return False


# A reference a document carries: letters and digits together ("ISO 9001", "SA8000", "No. 123/2020")
RE_CODE = re.compile(r"\b[A-Z]{2,}[ -]?\d{3,}\b|\b[A-Z]+\d+[A-Z\d]*\b|\bNo\.\s?\d+")


def _code_near(text: str, question: str) -> bool:
    """A reference within eight words of what the question asks the number of ("the certificate"):
    a resolution's symbol elsewhere in the sentence is not the certificate's number."""
    m = FIGURE_QUESTIONS["code"].search(question)
    noun = stem(((m.group("noun") or m.group("noun2") or m.group("noun3") or "") if m else "").lower())
    return any(not noun or noun in {stem(w) for w in re.findall(r"[a-z]+", " ".join(
        text[:c.start()].split()[-8:] + text[c.end():].split()[:8]).lower())} for c in RE_CODE.finditer(text))


def has_figure(kind: str, text: str, question: str = "",
               specific: Callable[[str], bool] | None = None, line: bool = False, cover: str = "") -> bool:
    """Does ``text`` give a detail of ``kind``? Years, paragraph numbers and symbols are not counts;
    ``specific`` says whether a capitalised word names something particular (a place, an NGO);
    ``line``: ``text`` is a line of a title page, ``cover`` that page's whole text."""
    if kind == "money":
        return _amount_near(text, question)
    if kind == "duration":
        return bool(RE_DURATION.search(RE_AGE_GIVEN.sub(" ", text))  # "aged 15 to 32 years" is no period
                    or (RE_DAYS_ASKED.search(question) and RE_DAY_SPAN.search(text)))
    if kind == "date":
        dates = (RE_DAY_OF_MONTH if RE_DAY_ASKED.search(question) else RE_DATE).finditer(text)
        subject = set() if specific is None else _dated_subject(question, specific)
        if line:
            # a title page's date dates its document and the meeting it records: it answers "when
            # were the April slides given?", "when did the Working Group meet?" (half the words of
            # what is dated are on the page), not "what year did the US first write the principle
            # into federal law?"
            dated = not subject or 2 * len(subject & set(tokenize(f"{text} {cover}"))) >= len(subject) \
                or mentions_document_kind(_when_clause(question))
            return dated and any(True for _ in dates)
        return any(not subject or _near_words(text, m.start(), m.end(), subject) for m in dates)
    if kind == "case":
        return bool(RE_CASE_NAME.search(text))
    if kind == "contact":
        return bool(RE_CONTACT.search(text))
    if kind == "code":
        return _code_near(text, question)
    if kind == "provision":
        return _provision_given(text, question)
    if kind == "indicators":
        return enumerates_indicators(text)
    if kind == "resolution":
        return bool(RE_RESOLUTION_REF.search(text))
    if kind == "person":
        if _authored_by_body(text, question):
            return True
        if line and _DUTY_ASKED.search(question):
            return False  # a title page names its author or presenter, never who holds a duty
        names = _new_names(text, question, RE_PERSON, specific, opening=line)
        # a name on a title page is its author or presenter (never a survivor the question asks
        # for); in a sentence, it must be the one in the asked role ("who chaired": not the
        # panellists a sentence lists after "the Chair")
        on_cover = line and _role_asked(question) != "victim"
        # ("the California Transparency in Supply Chains Act": a law's title, no one's name)
        return any((on_cover or _in_role(text, name, question)) and not _names_a_text(_title_around(text, name))
                   for name in names)
    if kind == "organization":
        return any(_named_as(text, name, question) and not _names_no_body(text, name)
                   for name in _new_names(text, question, RE_CAPITALISED, specific, opening=line))
    if kind == "place":
        names = _new_names(text, question, RE_CAPITALISED, specific, places=True, opening=line)
        # a title page's byline ("Tiphanie Crittin, Human Trafficking … Section") opens with a person
        byline = _RE_BYLINE.match(text) if line else None
        person = text[:byline.end("person")] if byline else ""
        return any(name not in person and not _abbreviates_a_title(text, name) for name in names)
    if question:
        return _counted_near(text, question)
    return bool(RE_COUNT.search(RE_REFERENCE_NUMBER.sub(" ", text)))


# A line opening with a person's first and last names, then a comma and the body they work for
_RE_BYLINE = re.compile(r"\s*(?P<person>[A-Z][a-z]+(?:[- ][A-Z][a-z]+)+)\s*,\s*[A-Z][a-z]")


# Indicators named, then listed: "Indicators include: …; …", "red flags such as A, B and C", or a
# lead-in ending in a colon whose list items follow.
# (the words between stay short and outside quotes: "indicators that refer to 'decent work for all,
# including…'" quotes what an indicator measures, not a list of them)
RE_INDICATORS_LISTED = re.compile(INDICATOR_WORDS + r"\b[^.;:!?'‘’\"“”]{0,60}?(?::|\b(?:include|includes|such as|"
                                  r"e\.g\.|for example|are as follows|the following)\b)(?P<rest>.*)", re.I | re.S)


def enumerates_indicators(text: str) -> bool:
    """Does ``text`` list indicators (two separators at least after "include", "such as", a colon…),
    or lead in to a list of them ("Indicators of forced labour are:")?"""
    m = RE_INDICATORS_LISTED.search(text)
    if m is None:
        return False
    rest = m.group("rest")
    return len(re.findall(r"[,;\n•]|\band\b|\bor\b", rest)) >= 2 or (not rest.strip() and text.rstrip().endswith(":"))


def _provision_given(text: str, question: str) -> bool:
    """Does ``text`` name a provision of the kind asked for — a section for "which section of the
    Act", an article for "which article", either for "which provision / clause"?"""
    m = FIGURE_QUESTIONS["provision"].search(question)
    noun = (m.group("noun") or m.group("bare") or "").lower() if m else ""
    asked = next((kind for kind in ("section", "article") if kind in noun), "")
    return any(not asked or kind == asked for kind, _, _, _ in provisions(text))


# "Who chaired / wrote / presented …": the words a text names that role with.
_ROLE_ASKED = re.compile(r"\bwho (chaired|presided|wrote|authored|drafted|presented|gave|delivered|prepared|"
                         r"led|leads|heads|runs)\b|\bnamed (survivor|victim)s?\b|\bnames? of (?:the )?(survivor|victim)s?\b", re.I)
_ROLE_WORDS = {
    "chair": r"chair\w*|presid\w*", "author": r"wr[io]t\w*|author\w*|draft\w*|prepar\w*|by",  # "a report by X"
    "speaker": r"present\w*|speak\w*|deliver\w*|gave|given|panel\w*", "head": r"led|lead\w*|head\w*|chair\w*|direct\w*|run\w*",
    # "a named survivor": a name given as a survivor's or victim's, not a rapporteur's or an author's
    # (in lower case: the "Trust Fund for Victims of Trafficking" is a body's name)
    "victim": r"(?-i:survivors?|victims?|trafficked|exploited)",
}
_ROLE_OF = {"chaired": "chair", "presided": "chair", "wrote": "author", "authored": "author", "drafted": "author",
            "prepared": "author", "presented": "speaker", "gave": "speaker", "delivered": "speaker", "led": "head",
            "leads": "head", "heads": "head", "runs": "head", "survivor": "victim", "victim": "victim"}


# "Background paper prepared by the Secretariat", "a study written by UNODC": a body as the author
RE_AUTHORED_BY = re.compile(r"\b(?:wr[io]tten|authored|drafted|prepared|compiled|submitted|issued)\s+by\s+"
                            r"(?:the\s+)?[A-Z][\w-]*")


# A person asked for by a duty ("the person at UNODC in charge of working with rail companies"): not
# whoever a title page names as its author or presenter
_DUTY_ASKED = re.compile(r"\b(?:in\s+charge\s+of|responsible\s+for|(?:handles|handling|deals\s+with|dealing\s+with)\b"
                         r"|focal\s+point)", re.I)


def _authored_by_body(text: str, question: str) -> bool:
    """Does ``text`` name who authored something, a body as well as a person, when the question asks
    who wrote, drafted or prepared it? A paper's author is often an office, never a person's name."""
    return _role_asked(question) == "author" and bool(RE_AUTHORED_BY.search(text))


def _role_asked(question: str) -> str | None:
    """The role a question asks the person in ("author" for "who wrote…", "victim" for "a named
    survivor"), or None."""
    asked = _ROLE_ASKED.search(question)
    return _ROLE_OF[(asked.group(1) or asked.group(2) or asked.group(3)).lower()] if asked else None


# "Who is the UNODC child protection focal point for Central Europe?", "who's the national
# rapporteur?": a post, whose holder a text names beside one of the post's words
_POST_ASKED = re.compile(r"\bwho(?:'s|’s| is| was| are| were) (?:the|their|its|your|our) (?P<post>(?:[\w-]+ ){0,4}?[\w-]+)"
                         r"(?= (?:for|of|at|in|on|who|that|responsible)\b|\s*[?,.;!]|\s*$)", re.I)


# "What's the name of the young person UNODC appointed as its youth ambassador…?": the post too
_POST_NAMED = re.compile(r"\bname of (?:the|their|its|your|our|an?) (?:[\w-]+ ){0,4}?(?:appointed|named|serving|acting|"
                         r"working|chosen|selected|employed|hired) as (?:the|their|its|your|our|an?) "
                         r"(?P<post>(?:[\w-]+ ){0,3}?[\w-]+)(?= (?:for|of|at|in|on|against|who|that)\b|\s*[?,.;!]|\s*$)", re.I)


def _post_words(question: str) -> set[str]:
    """The stemmed words of the post a "who is the …" question asks about, in lower case (not a
    name: "UNODC" says whose focal point it is), or none."""
    m = _POST_ASKED.search(question) or _POST_NAMED.search(question)
    words = [w for w in (m.group("post").split() if m else []) if w.lower() not in INSTITUTION_WORDS and w.islower()]
    return set(tokenize(" ".join(words)))


def _in_role(text: str, name: str, question: str) -> bool:
    """Is ``name`` the one in the role the question asks about: a word of that role among the six
    words before it or the three after ("chaired by Ms. X", "Ms. X, Chair of …"), or of the post a
    "who is the …" question names ("the focal point, Ms. X")? True when the question asks neither."""
    role = _role_asked(question)
    post = _post_words(question) if role is None else set()
    at = text.find(name)
    if (role is None and not post) or at < 0:
        return True
    before = " ".join(text[:at].split()[-6:])
    after = " ".join(text[at + len(name):].split()[:3])
    if role is None:
        return bool(post & set(tokenize(f"{before} {after}")))
    return bool(re.search(rf"\b(?:{_ROLE_WORDS[role]})\b", f"{before} {after}", re.I))


FIGURE_NAMES = {"money": "an amount", "duration": "a length of time", "count": "a number",
                "date": "a date", "person": "a person's name", "organization": "a name", "place": "a place",
                "case": "the name of a case", "contact": "a telephone number, an e-mail, web or postal address",
                "code": "a reference number",
                "provision": "an article or section number", "indicators": "a list of indicators",
                "resolution": "a resolution or decision by its number", "age": "an age"}


def _detail_asked(kind: str, question: str) -> str:
    """The detail a kind of figure stands for in this question: a count asked as an age ("is a
    17-year-old still a child?", "the minimum age for crew") is an age; any other kind is itself."""
    return "age" if kind == "count" and RE_AGE_ASKED.search(question) else kind


# English as the language the answer is to be in, or whose words are asked for ("in plain English",
# "the English term"): the form of the answer, which the texts are in, not a subject they must
# mention (another language asked for is: the quotes cannot be given in it)
_LANGUAGE_BEFORE = re.compile(r"\bin\s+(?:plain|simple|simpler|easy|basic|everyday|clear)\s+$|\b(?:explain\w*|say|put|write|tell"
                              r"|answer|describe|summari[sz]e|reword|rephrase)\b[^.?!]{0,40}?\bin\s+$", re.I)
_LANGUAGE_AFTER = re.compile(r"^\s+(?:terms?|words?|wording|phrases?|expressions?|translations?|versions?|equivalents?"
                             r"|speakers?|language|text)\b", re.I)


# A language someone in the question speaks ("a local man who speaks perfect English", "doesn't
# speak a word of Polish", "English-speaking"): who they are, not what the texts must mention
_SPOKEN_BEFORE = re.compile(r"\b(?:speaks?|spoke|speaking|talks?|understands?)\s+(?:a\s+word\s+of\s+)?"
                            r"(?:(?:perfect|fluent|good|broken|little|no|only|some|basic|native|decent|much|any)\s+){0,2}$"
                            r"|\bfluent\s+in\s+$", re.I)


def _language_used(question: str, start: int, end: int) -> bool:
    """Is the word at ``start:end`` English named as the answer's medium ("in simple English",
    "the two English terms"), or a language someone in the question speaks ("who speaks perfect
    English", "an Arabic-speaking driver")?"""
    word = question[start:end]
    if _SPOKEN_BEFORE.search(question[:start]) or re.search(r"-speak(?:ing|ers?)$", word, re.I):
        return True
    return word == "English" and \
        bool(_LANGUAGE_BEFORE.search(question[:start]) or _LANGUAGE_AFTER.match(question[end:]))


# A possessive right before a word: what follows belongs to the asker or someone in the story
_RE_POSSESSIVE_BEFORE = re.compile(r"\b(?:our|my|your|his|her|their)\s+$", re.I)


def question_names(question: str) -> list[str]:
    """The words of names the question is about: capitalised words and acronyms other than the
    question's first word, question words, stopwords and institution words ("Council of Europe"
    -> "Europe"; "Brazil's" -> "Brazil")."""
    out = []
    asking = asking_spans(question)
    # (a code of letters and digits is a name too: the E40 road, the G20; not a question's number, Q2)
    for m in re.finditer(r"\b(?!Q\d)[A-Z]{1,3}-?\d{1,4}\b|[A-Za-z][\w’'.-]*[A-Za-z]|[A-Z]{2,}", question):
        if not _asks_at(asking, m.start()):
            continue  # the case's context ("She was brought over from Vietnam."), the user's own examples
        word = re.sub(r"['’]s$", "", m.group(0)).strip(".")
        low = word.lower()
        if (_opens_clause(question, m.start()) and not word.isupper()) or not word[0].isupper() or word == "I":
            continue
        if low in QUESTION_WORDS or low in STOPWORDS or low in INSTITUTION_WORDS or "'" in low or "’" in low:
            continue
        if low in SHORTHAND or low.rstrip("s") in SHORTHAND or low in EVERYDAY_ABBREVIATIONS \
                or re.fullmatch(r"lgb\w*\+?", low):
            # the field's shorthand for a role, a notion or a group of people ("the MP's briefing",
            # "VoTs", "LGBTI"), an everyday thing ("no ID"): no name the cited text must hold
            continue
        if describes_people(question, m.end()) or low in MONTH_ABBREVIATIONS \
                or _PERSON_BY_THING.search(question, max(0, m.start() - 40), m.start()):
            continue  # "two Vietnamese teenagers", "the Sept meeting", "the guy in the BMW": context, not a name
        if _language_used(question, m.start(), m.end()) or _occasion(question, m.start(), m.end()):
            continue  # "explain in simple English", "for a staff INSET day": how, or what for, not what about
        if word.isupper() and _RE_POSSESSIVE_BEFORE.search(question, 0, m.start()):
            continue  # "our MD keeps calling them victims", "my GP": the asker's own people, not a subject
        out.append(word)
    return list(dict.fromkeys(out))


def question_years(question: str) -> list[str]:
    """Years the asking sentence is about ("when does the WG meet in 2025?"); a year inside a
    document symbol ("CTOC/COP/WG.4/2022/2") names the document, not a time."""
    asking = asking_spans(question)
    return list(dict.fromkeys(m.group(0) for m in RE_YEAR.finditer(question) if _asks_at(asking, m.start())))


def _named_parts(name: str) -> str:
    """A hyphenated name's capitalised parts ("NGO-run" -> "NGO", "Bosnia-Herzegovina" -> both)."""
    named = [p for p in name.split("-") if p[:1].isupper()]
    return " ".join(named) if len(named) < name.count("-") + 1 and named else name


def missing_names(question: str, sentences: list[AnswerSentence], retriever: Retriever,
                  rare: int = 3) -> list[str]:
    """Rare names in the question (in at most ``rare`` paragraphs of the corpus: a country, a city,
    an institution the texts mention only in passing) that no cited paragraph — its text, footnotes,
    headings, document title or issuing body — mentions: quotes about another country do not answer
    a question about this one. Names common in the corpus (UNODC, OHCHR…) are its own subject."""
    names, asked_years = question_names(question), question_years(question)
    if not names and not asked_years:
        return []  # most questions: nothing to look for in what is cited
    cited = {pid for s in sentences for pid in s.citations}
    parts = []
    for pid in cited:
        p = retriever.corpus.passages.get(pid)
        if p is None:
            continue
        d = retriever.corpus.document_of(p)
        parts += [p.text, *(f.text for f in p.footnotes), *p.section_path]
        if d:
            parts += [d.title, d.short_title, d.symbol, d.body, d.date]
    joined = " ".join(parts)
    evidence = set(tokenize(joined))
    years = set(RE_YEAR.findall(joined))
    spelled = functools.cache(lambda: initialisms(joined, capitalised_only=False))  # only for an acronym
    missing = [y for y in asked_years if y not in years]  # "the 2025 session": not 2020's
    for name in names:
        if is_acronym(name) and name.lower().rstrip("s") in spelled():
            continue  # an acronym the cited paragraphs spell out ("NRM": "national referral mechanisms")
        # a hyphenated name by its capitalised parts: "NGO-run" is as rare as "NGO", not as "ngorun"
        forms = [[t for t in tokenize(f) if t not in STOPWORDS]
                 for f in (_named_parts(name), ABBREVIATIONS.get(name.lower(), name))]
        forms = [f for f in forms if f]
        if not forms or max(retriever.passage_frequency(f) for f in forms) > rare:
            continue
        if not any(all(t in evidence for t in f) for f in forms):
            missing.append(name)
    return missing


def missing_detail(question: str, sentences: list[AnswerSentence], retriever: Retriever) -> str:
    """Why the chosen sentences do not answer the question ("" when they may): the kind of detail
    asked for is absent from them, or a name the question is about is absent from what they cite
    (said first when both are: "FATF's red flags" are missing for want of FATF, before any list)."""
    names = missing_names(question, sentences, retriever)
    reasons = []
    if names and mentions_document_kind(question):
        # a year by which the question names a document ("per the April 2023 presentation") is that
        # document: what is missing is an answer from it, not the number ("UNODC's budget in 2023"
        # names no document by its year: there the year is what is missing)
        for doc in map(retriever.corpus.documents.get, retriever.corpus.documents_named_in(question)):
            if doc is not None and str(doc.year) in names:
                names.remove(str(doc.year))
                reasons.append(f"the question asks what {doc.short_title or doc.title} says, and none of "
                               "its passages found answers it")
    reasons += [_not_mentioned(names) + ", which the question is about"] if names else []
    why = missing_figure(question, sentences, retriever) or ("" if reasons else _foreign(question, retriever))
    return "; ".join([*reasons, why] if why else reasons)


def _foreign(question: str, retriever: Retriever) -> str:
    """Why a detail asked about something the texts never mention is not answered ("" if it is not)."""
    foreign = foreign_subject(question, retriever)
    return (f"the question asks for a detail about {', '.join(f'“{w}”' for w in foreign)}, which the indexed "
            "texts never mention") if foreign else ""


# How many words the texts never use make what a question asks about foreign to them: one is often a
# verb or an idiom of the asker's ("which provision does the idea hang on?")
FOREIGN_SUBJECT_WORDS = 2


def foreign_subject(question: str, retriever: Retriever) -> list[str]:
    """The words of what the question asks about that the texts never use (``words_never_used``),
    when it asks for a detail (``requested_figures``: a name, a place, a date…) and there are at least
    ``FOREIGN_SUBJECT_WORDS`` of them: "which oyster and shellfish farming areas does UNODC identify
    as hotspots?" asks a place about oyster farms, which no text names, and a region they do name is
    not it. Everyday words (the ``COMMON_ENGLISH_RANK`` most frequent) and contractions are left out:
    they say little of the subject. So is a question whether such a thing exists ("does UNODC publish
    an official list of the padlocks, bolts and door fittings traffickers use?"). Empty otherwise."""
    spans = [question[a:b] for a, b in asking_spans(question)]
    asked = [kind for kind in requested_figures(question) if kind != "indicators"]
    if not asked and not any(_ASKS_EXISTS.search(span) for span in spans):
        return []
    if asked == ["provision"] and retriever.corpus.documents_named_in(question):
        # "which provisions of the Protocol matter to our ferry in port?": a named text's own provisions
        # are asked for; the words the asker's situation is told in are no subject of theirs
        return []
    foreign = [w.lower() for w in words_never_used(retriever.corpus.respell(" ".join(spans)).text, retriever)]
    # who it is about ("the two Vietnamese lads") is not the subject of the detail asked
    foreign = [w for w in foreign if w not in PEOPLE_NOUNS]
    return foreign if len(foreign) >= FOREIGN_SUBJECT_WORDS else []


def _asks_if_mentioned(question: str) -> bool:
    """Does the question ask whether the texts mention a thing at all ("is there anything in these
    texts about trade unions…?")? Such a question is about the texts, never a neighbouring subject:
    a text that does not name it is refused for that (``_membership_gap``), by its own reason."""
    asked = asked_membership(question)
    return asked is not None and asked.at_all


def _not_mentioned(names: list[str]) -> str:
    return "the passages found do not mention " + ", ".join(f"“{n}”" for n in names)


def unanswered_part(question: str, sentences: list[AnswerSentence], retriever: Retriever) -> str:
    """For a message of several questions ("…? …? and which instruments (CoE convention, EU
    directive)?", "how is X defined, who does it protect, and…?") whose gap is a detail only some of
    them ask for, or names only some of them mention: what is not answered, to say beside an answer
    to the rest. "" when that is not the case (refuse as usual)."""
    if foreign_subject(question, retriever):
        return ""  # a message asking details about what the texts never mention is not answered in part
    absent = _absent_figures(question, sentences, retriever)
    if absent and requested_figure(question) not in absent and not missing_names(question, sentences, retriever):
        # "who gave the slides, and what's their email?": the name is quoted, the address is not
        return f"the question also asks for {_figure_name(absent[0], question)}, and none of the passages found gives one"
    parts = question_parts(question)
    if len(parts) < 2:
        return ""
    names = missing_names(question, sentences, retriever)

    def gap(part: str) -> str:  # why this part is not answered, or ""
        absent = [name for name in names if name in part]
        return missing_figure(part, sentences, retriever) or (_not_mentioned(absent) if absent else "")

    gaps = _other_horns(question, parts, _dependent_gaps(parts, [gap(part) for part in parts]))
    if all(gaps) or not any(gaps):
        return ""  # no part answered, or the gap is not one part's
    return "; ".join(dict.fromkeys(g for g in gaps if g))


def _dependent_gaps(parts: list[str], gaps: list[str]) -> list[str]:
    """``gaps`` with the parts that follow an unanswered one, and bring almost nothing of their own,
    counted as unanswered too: in "when is the next session, and what's on the agenda?" the agenda
    is the next session's, which no text written before it gives; in "what section of Moldova's
    code holds it, and what's the wording?" the wording is that section's. Such a part refers back
    ("the", "it"), unless it follows a question about an event still to come."""
    first = next((i for i, why in enumerate(gaps) if why), None)
    if first is None:
        return gaps
    future = asks_future(parts[first])
    before = content_words(" ".join(parts[:first + 1]))
    asking = {stem(w) for w in QUESTION_WORDS}

    def follows_on(part: str) -> bool:
        own = content_words(part) - before - asking
        if future and re.search(r"\bwill\b", part, re.I) and _REFERS_BACK.search(part):
            return True  # "when is Part 2 out, and will it include…?": what it will hold is as unwritten
        if _FIGURE_EXISTS.search(part):
            return True  # "how many…? does UNODC have an estimate?": the same figure, asked again
        mention = _MENTIONS_IT.search(part)
        noun = content_words(mention["noun"]) if mention and mention["noun"] else set()
        if mention and (mention["noun"] is None or (bool(noun) and noun <= before)):
            # "who is the UK's commissioner, and do these papers mention that office?"; "which UK
            # council was it…? does the report name the council?" (by its own word, asked before)
            return True
        if _ASKS_OF_IT.match(part):
            return True  # "what minimum ratio does it set, and does it apply on night shifts too?": that ratio
        if _counts_nothing_named(part):
            return True  # "in which year were the most cases recorded, and how many were there?": those
        if _TAKES_PART.search(part) and (future or _PRONOUN.search(part)):
            # "when is the next meeting, and can officers sign up to attend?": that meeting; "which NGO
            # does it appoint…, and how does a pharmacy apply to become one of its partners?": that NGO
            return True
        return len(own) < 2 and (future or bool(_REFERS_BACK.search(part)))

    about = "that event" if future else "that"
    out = [why or (f"“{parts[i].strip(' ,;')}” asks about {about} too" if i > first and follows_on(parts[i]) else "")
           for i, why in enumerate(gaps)]
    if first > 0 and _ASKS_EXISTS.search(parts[first - 1]) and _PRONOUN.search(parts[first]):
        # "does UNODC publish a ranking of airports? which one is at the top of it?": whether it
        # exists is asked for the detail's sake, and quoting what UNODC publishes answers neither
        out[first - 1] = out[first - 1] or f"“{parts[first].strip(' ,;')}” is what it is asked for"
    return out


_HOW_MANY = re.compile(r"\bhow\s+many\b(?P<rest>.*)", re.I | re.S)


def _counts_nothing_named(part: str) -> bool:
    """A count asked without naming what is counted ("how many were there?", "how many of them?"):
    it counts what the part before it asked about, and any number would seem to answer it alone."""
    m = _HOW_MANY.search(part)
    return m is not None and not _counted_phrase(m.group("rest"))


# A part that asks yes or no ("is…", "does…", "must…")
_YES_NO = re.compile(r"(?:is|are|does|do|can|could|should|must|did|was|were|will|would|has|have)\b", re.I)


def _other_horns(question: str, parts: list[str], gaps: list[str]) -> list[str]:
    """``gaps`` with the two horns of one yes-or-no question sharing a gap: in "do we have to show
    force, or is the exploitation purpose enough?" the second part is the first one's other answer,
    not a question of its own, and quoting something for it answers neither."""
    out = list(gaps)
    for i in range(1, len(parts)):
        if re.search(rf",\s*or\s+{re.escape(parts[i])}", question) and _YES_NO.match(parts[i]) and \
                bool(out[i]) != bool(out[i - 1]):
            out[i] = out[i] or out[i - 1]
            out[i - 1] = out[i - 1] or out[i]
    return out


# Words by which a short question points back at the one before it ("…, and what's the wording?")
_REFERS_BACK = re.compile(r"\b(the|it|its|that|this|those|these|they|their|them|he|him|his|she|her)\b", re.I)
_PRONOUN = re.compile(r"\b(it|its|they|their|them)\b", re.I)
# A part whose subject is what the part before asked for, by a pronoun ("…, and does it apply on night
# shifts too?", "…, and does that law deal with crew changes?")
_ASKS_OF_IT = re.compile(r"\s*(?:and\s+|but\s+|so\s+|also\s+)?(?:does|do|did|is|are|was|were|will|would|can|could|has|have)\s+"
                         r"(?:it|that|this|they|those|these)(?:\s+(?:law|act|statute|rule|ratio|figure|limit|requirement|"
                         r"number|rate|date|deadline|document|section|provision|code|fee|amount))?\s+(?!mention|name|refer)\w+",
                         re.I)
# Whether the texts name what the part before asked about ("…, and do these papers mention that
# office?", "…? does the report name the council?" — by "the" and the thing's own word, which the part
# before must have asked about): a text that does not name it answers neither part
_MENTIONS_IT = re.compile(r"\b(?:mention|mentions|name|names|refer to|refers to|cite|cites|discuss|discusses|identify|identifies)\s+"
                          r"(?:(?:that|this|those|these|the same|it|them|him|her)\b(?:\s+[\w-]+)?|the\s+(?P<noun>[\w-]+))"
                          r"\s*\??\s*$", re.I)
# Taking part in an event ("sign up to attend", "register as an observer"): after a question about an
# event still to come, a part asking this asks about that event, whatever else it names
_TAKES_PART = re.compile(r"\b(?:attend\w*|register\w*|registration|sign(?:\s|-)?up|participat\w+|take\s+part|"
                         r"enrol\w*|apply|observers?|tickets?|invit\w+)\b", re.I)
# A part asking whether something exists: "does UNODC publish a ranking…?", "is there a hotline?"
# ("has UNODC ever reported a case where…? Which museum was it?": whether one was reported)
_ASKS_EXISTS = re.compile(r"^\W*(?:(?:does|do|did|has|have)\s+(?:[\w-]+\s+){1,4}?(?:(?:publish|maintain|produce|compile|"
                          r"issue|report|record|document|describe|mention|cite)(?:e?d)?|keep|kept|run|have|had)"
                          r"|(?:is|are)\s+there)\s+(?:an?|any)\b", re.I)

# A part asking whether a figure exists ("does UNODC have an estimate?", "is there any data?"):
# after a part asking for the figure, it asks for the same one
_FIGURE_EXISTS = re.compile(r"\b(?:have|has|had|is\s+there|are\s+there|any|publish\w*|keep\w*|collect\w*|give|gives"
                            r"|mention|mentions|state|states)\s+(?:an?\s+|any\s+|the\s+)?(?:\w+\s+)?(?:estimates?|figures?"
                            r"|statistics|stats|numbers?|data|count|tariffs?|amounts?|dates?)\b"
                            # "…in pounds? Does UNODC publish that?": the figure just asked, by a pronoun
                            r"|\b(?:publish\w*|keep\w*|collect\w*|record\w*|track\w*)\s+(?:that|this|it|those|these|them)"
                            r"\s*[?.]?\s*$", re.I)


def _absent_figures(question: str, sentences: list[AnswerSentence], retriever: Retriever) -> list[str]:
    """The kinds of detail the question asks for (``requested_figures``, main one first) that none of
    the chosen sentences gives."""
    specific = rare_in(retriever)

    def cover_line(s: AnswerSentence) -> bool:  # a line of a title page may open with a name
        return any((p := retriever.corpus.passages.get(pid)) is not None and p.label_kind == "front"
                   for pid in s.citations)

    def cover_text(s: AnswerSentence) -> str:  # the title pages it cites, whole
        return " ".join(p.text for pid in s.citations
                        if (p := retriever.corpus.passages.get(pid)) is not None and p.label_kind == "front")

    case = _case_asked(question)

    def titles(s: AnswerSentence) -> bool:
        # the opening line of its own document's title ("Protocol against … by Land, Sea and Air,"),
        # not a line that only repeats a part of it ("Vienna, 10-11 September 2020" is the meeting's place)
        line = for_matching(s.text).strip(" ,.;:")
        return len(line.split()) >= 4 and any((p := retriever.corpus.passages.get(pid)) is not None
                                              and (d := retriever.corpus.document_of(p)) is not None
                                              and for_matching(d.title).startswith(line) for pid in s.citations)

    subject = _subject_words(question, retriever)

    def gives(kind: str, s: AnswerSentence) -> bool:
        if kind in ("place", "organization", "person") and titles(s):
            return False  # a title's words name the document, not a place, a body or a person it asks for
        if not has_figure(kind, s.text, question, specific, line=cover_line(s), cover=cover_text(s)):
            return False
        if _detail_asked(kind, question) in SUBJECT_BOUND and subject and not cover_line(s) \
                and len(subject & set(tokenize(s.text))) < (2 if kind == "place" and len(subject) >= 3 else 1):
            # "which municipalities were picked as pilot sites?": not a city named for a workshop;
            # "the minimum age for crew on tourist dive boats": not the age that makes anyone a child.
            # A place, of three subject words or more, beside two: "roadside detections of migrants
            # hidden in goods vehicles" is not answered by a country named for "detecting victims" (a
            # time told for one part of a question shares the words of that part only: "within one
            # month of the designation" answers "…designate an authority…, and is there a deadline?")
            return False
        if case and kind != "case" and not _cited_text_mentions(s, case, retriever):
            return False  # "what did the Court award in Rantsev": not another case's award
        # the next session's date: a year later than the quoting document's own, not a past meeting's
        return kind != "date" or not asks_future(question) or _later_year(s, retriever)

    return [kind for kind in requested_figures(question) if not any(gives(kind, s) for s in sentences)]


# Words of a question that say what kind of detail it asks for, not what about ("which countries",
# "the year each one was set up")
_DETAIL_WORDS = frozenset(tokenize("""country countries city cities town towns region regions place places
    where state states year years date name names list every each one set up take took part mention
    mentioned mentions specifically specific particular named cite cited refer referred example examples"""))
# Details given only in a sentence on what the question is about (a length of time too: "within one
# month of the designation" does not say how long an airline has to appeal a carrier sanction)
SUBJECT_BOUND = ("place", "age", "duration")
SUBJECT_COMMONNESS = 0.05  # a word in more paragraphs than this share says little of the subject


def _subject_words(question: str, retriever: Retriever) -> set[str]:
    """The question's words that the texts use but seldom (in at most ``SUBJECT_COMMONNESS`` of
    their paragraphs) and that say what it is about, not what kind of detail it asks: "pilot" for
    "which border municipalities has UNODC picked as pilot sites?". Empty when it has none — then
    nothing narrows where a detail may be given."""
    limit = SUBJECT_COMMONNESS * len(retriever.passages)
    skip = _DETAIL_WORDS | {stem(w) for w in QUESTION_WORDS}
    # from the sentences that ask: "There's a bet on it in our office." says nothing of the subject
    asking = " ".join(question[a:b] for a, b in asking_spans(question)) or question
    words = {t for t in tokenize(asking) if t not in skip and 0 < retriever.passage_frequency([t]) <= limit}
    # a name in the question says where or whose ("…nail salon workers in Europe"), not what about —
    # unless nothing else does
    names = set(tokenize(" ".join(question_names(question))))
    return (words - names) or words


def _case_asked(question: str) -> str:
    """The first party of a case the question names ("Rantsev" for "…in Rantsev v Cyprus and
    Russia?"), or "": a detail asked about a case is that case's, given where the case is named."""
    m = re.search(r"\b([A-Z][\w.’'-]+)\s+v\.?\s+(?:the\s+)?[A-Z]", question)
    return m.group(1) if m else ""


def _cited_text_mentions(s: AnswerSentence, name: str, retriever: Retriever) -> bool:
    """Does a paragraph ``s`` cites mention ``name``?"""
    return any(name.lower() in p.text.lower() for pid in s.citations
               if (p := retriever.corpus.passages.get(pid)) is not None)


def _figure_name(kind: str, question: str) -> str:
    """How a reader is told the detail asked for: "a date", or "a date still to come" for the next
    session's (the texts' dates of past meetings are not it)."""
    return "a date still to come" if kind == "date" and asks_future(question) \
        else FIGURE_NAMES[_detail_asked(kind, question)]


def _later_year(sentence: AnswerSentence, retriever: Retriever) -> bool:
    """Does ``sentence`` name a year later than that of every document it is cited from (not as the
    end of a period)?"""
    years = [int(y) for y in RE_YEAR.findall(RE_YEAR_RANGE.sub(" ", sentence.text))]
    docs = [retriever.corpus.documents.get(p.document_id) for pid in sentence.citations
            if (p := retriever.corpus.passages.get(pid)) is not None]
    published = [d.year for d in docs if d is not None and d.year is not None]
    return bool(years) and bool(published) and max(years) > max(published)


def missing_figure(question: str, sentences: list[AnswerSentence], retriever: Retriever) -> str:
    """The detail the question asks for (a name, a date, an amount, a definition, whether something
    matters…) that none of the chosen sentences gives, as a reason; "" when they give it or none is
    asked for."""
    absent = _absent_figures(question, sentences, retriever)
    if absent:
        return f"the question asks for {_figure_name(absent[0], question)}, and none of the passages found gives one"
    term = asked_definition(question)
    if term and not any(defines(term, s.text) for s in sentences):
        return f"the question asks for the definition of “{term}”, and none of the passages found gives one"
    weight = weight_asked(question, retriever)
    if weight and not any(_says_weight(s.text, weight) for s in sentences):
        return f"the question asks {_weight_asked_as(weight)}, and none of the passages found says either way"
    return _membership_gap(question, sentences, retriever)


def _membership_gap(question: str, sentences: list[AnswerSentence], retriever: Retriever) -> str:
    """When the question asks whether one thing is among those a text lists ("is debt bondage named
    in the list of forms of exploitation?"): a reason when no sentence names it by its word rarest in
    the texts ("bondage" — a word they never use names nothing), nor gives the other answer the
    question allows ("…or does it only cover sex and labour?"); "" otherwise."""
    asked = asked_membership(question)
    if asked is None:
        return ""
    thing, horn, at_all = asked.thing, asked.horn, asked.at_all
    said = {w for s in sentences for w in tokenize(s.text)}
    # each of "agriculture or food production" would answer; the other answer only in words the texts use
    # (or by another word the texts use for it: "older people" are named as "the elderly")
    sides = [words for side in re.split(r"\s+or\s+", thing) for alike in equivalents(side) if (words := tokenize(alike))]
    known = [w for w in tokenize(horn) if retriever.passage_frequency([w]) > 0]
    if not sides or any(_rarest(words, retriever) in said for words in sides) or \
            (known and _rarest(known, retriever) in said):
        return ""
    first = [words for alike in equivalents(re.split(r"\s+or\s+", thing)[0]) if (words := tokenize(alike))]
    if at_all and any(retriever.passage_frequency([_rarest(words, retriever)]) > 0 for words in first):
        return ""  # whether they name it at all: they do, somewhere the answer did not reach
    if at_all:
        return f"the question asks whether the texts mention “{thing}”, and none of the passages found does"
    return f"the question asks whether “{thing}” is among those listed, and none of the passages found names it"


def _weight_asked_as(weight: Weight) -> str:
    """What the question asks, in the refusal's words: "whether the consent of the victim matters",
    "whether “the child was forced” must be shown", "who carries the burden of proof"."""
    if weight.kind == "bearing":
        return f"whether {weight.phrase} matters"
    if weight.kind == "sufficiency":
        return f"whether {weight.phrase} is enough on its own"
    if weight.kind == "requirement":
        return f"whether the offence requires “{weight.phrase}”"
    if re.search(r"\b(?:burden|onus|standard)\b", weight.phrase, re.I):
        return "who carries the burden of proof, or to what standard"
    return f"whether “{weight.phrase}” must be shown"


@dataclass(frozen=True)
class Weight:
    """What a question asks the weight of: whether a circumstance matters ("bearing": "is the
    victim's consent relevant?"), must be shown ("proof": "do you have to show the child was
    forced?", "who carries the burden of proof?") or is required by the offence ("requirement":
    "does trafficking require the trafficker to profit?"); ``phrase`` as written, ``word`` its word rarest
    in the texts, which a sentence saying so must use ("consent", not "victim")."""

    kind: str
    phrase: str
    word: str


def _says_weight(text: str, weight: Weight) -> bool:
    """Does ``text`` say it: a word of weight within fifteen words of the circumstance's word ("the
    consent of a victim … shall be irrelevant"; "…consent… if relevant" to the courts, thirty words
    on, says nothing of whether consent matters)?"""
    for m in WEIGHT_WORDS[weight.kind].finditer(text):
        near = text[:m.start()].split()[-15:] + text[m.end():].split()[:15]
        if weight.word in tokenize(" ".join(near)):
            return True
    return False


def weight_asked(question: str, retriever: Retriever) -> Weight | None:
    """What the question asks the weight of (``Weight``), or None: when it asks none, asks why
    something matters (reasons, which the texts give), or asks it of a pronoun ("is that irrelevant
    for under 18s?" leans on what came before)."""
    asked = asked_weight(question)
    if asked is None:
        return None
    kind, phrase = asked
    words = tokenize(phrase)
    if not words:
        return None
    # (a circumstance in words the texts never use — "does his agreeing make any difference?" — is
    # one no sentence of theirs weighs: its own word stays, and nothing quoted holds it)
    known = [w for w in words if retriever.passage_frequency([w]) > 0] or words
    return Weight(kind, phrase, _rarest(known, retriever))


def _rarest(words: list[str], retriever: Retriever) -> str:
    """The one of ``words`` (stemmed) that the fewest paragraphs use: the word a sentence about the
    same thing must share."""
    return min(words, key=lambda w: retriever.passage_frequency([w]))
