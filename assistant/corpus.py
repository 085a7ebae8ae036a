"""The corpus: ``corpus/sources.toml`` (the manifest), the files in ``corpus/documents/``, and
``Corpus`` — the texts of one index version, the one object every stage reads passages from.

The manifest is only ever written through tomlkit (comments and layout kept), under a file lock so
parallel ``tipguide add`` runs serialise, and replaced atomically: no input can make it invalid.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import os
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

from assistant.errors import IndexCorruptError, TipguideError
from assistant.models import ITEM_KINDS, Document, Passage
from assistant.text import (
    Respelling,
    Speller,
    asks_overview,
    defined_terms,
    list_of_items_asked,
    spelled_out,
    tokenize,
)

MANIFEST = "sources.toml"
DOC_FIELDS = ("id", "file", "title", "short_title", "symbol", "body", "type", "date", "language", "url")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class CorpusError(TipguideError):
    """The manifest is unreadable or an ``add`` request is invalid."""


# ----------------------------------------------------------------------------- naming a document
# A word of a document's title that fewer than this share of its paragraphs use names it rather than
# its subject ("Secretary-General", "contribution"; not "migrants" in a report on migrants).
NAMING_SHARE = 0.2
# Words users call a kind of document by, each mapped to one canonical word: what a question
# names a document with ("the slides", "the toolkit"), read from each document's type, short title
# and title. Topic words (trafficking, rights, migrants…) are deliberately absent.
DOCUMENT_NOUNS = {
    "presentation": "presentation", "slides": "presentation", "slide": "presentation", "deck": "presentation",
    "powerpoint": "presentation", "paper": "paper", "toolkit": "toolkit", "tool-kit": "toolkit",
    "recommendations": "recommendations", "recommendation": "recommendations", "contribution": "contribution",
    "report": "report", "handbook": "handbook", "manual": "handbook", "guide": "guide",
    "resolution": "resolution", "convention": "convention", "protocol": "protocol", "treaty": "treaty",
    "principles": "principles", "guidelines": "guidelines", "study": "study", "addendum": "addendum",
}


def _document_words(text: str) -> set[str]:
    # "General recommendation No. 38" is a kind of its own (CEDAW's), not "recommendations".
    low = text.lower()
    # "UNODC's input to the SG report", "its submission for the report": what the document calls a
    # contribution ("input" alone is too common a word to name one)
    low = re.sub(r"\b(?:inputs?|submissions?)(?=\s+(?:to|for|into)\b)", "contribution", low)
    general = "general recommendation" in low
    words = re.findall(r"[a-z][a-z-]*", low.replace("general recommendation", " "))
    return {DOCUMENT_NOUNS[w] for w in words if w in DOCUMENT_NOUNS} | ({"general recommendation"} if general else set())


def document_kinds(documents: list[Document]) -> dict[str, set[str]]:
    """The kind words each document is called by, from its type, short title and title."""
    return {d.id: _document_words(f"{d.type} {d.short_title} {d.title}") | _treaty(d) for d in documents}


def _treaty(doc: Document) -> set[str]:
    """{"treaty"} for a protocol or a convention itself (its title opens with the word, or its type
    says so), which users call "the treaty"; not for a report about one."""
    opens = re.match(r"(?:the\s+)?(?:united nations\s+|un\s+)?(?:optional\s+)?(?:protocol|convention)\b",
                     doc.title.strip().lower())
    return {"treaty"} if opens or "treaty" in _document_words(doc.type) else set()


def mentions_document_kind(text: str) -> bool:
    """Does ``text`` use a word for a kind of document ("the slides", "the 2022 paper", "the
    recommendations")? "UNODC's budget in 2023" does not: its year is not a document's."""
    return bool(_document_words(text))


def named_documents(question: str, documents: list[Document],
                    kinds: dict[str, set[str]] | None = None) -> list[str]:
    """Ids of the documents ``question`` names by their kind — a word for the kind of document
    that only one of them is ("toolkit", "slides", "background paper"), or one several are
    ("report") told apart by the year, symbol or issuing body also named — in the order named."""
    question = without_own_artefacts(question)
    low = question.lower()
    asked = _document_words(question)
    by_body_and_year = _named_by_body_and_year(documents, question)
    kinds = kinds if kinds is not None else document_kinds(documents)
    named: list[tuple[int, str]] = []
    for word in asked:
        holders = [d for d in documents if word in kinds[d.id] and _qualifiers_fit(low, word, d)]
        if len(holders) > 1:  # "report": keep those whose year, symbol or body is named too
            holders = [d for d in holders if _cue_named(d, low)] or []
        if len(holders) == 1:
            at = min((m.start() for w, c in DOCUMENT_NOUNS.items() if c == word
                      for m in re.finditer(rf"\b{re.escape(w)}\b", low)), default=len(low))
            named.append((at, holders[0].id))
    named += [(len(low), doc_id) for doc_id in by_body_and_year]
    by_symbol = ((_symbol_at(low, d, documents), d.id) for d in documents)
    named += [(at, doc_id) for at, doc_id in by_symbol if at is not None]
    return list(dict.fromkeys(doc_id for _, doc_id in sorted(named)))


# The asker's own slides, report or memo ("for my lecture slides", "bullet points for a training
# slide", "in our report"): a kind word after "my", "our" or "your" — or, for slides, after "a" —
# names no indexed document.
_OWN_ARTEFACT = re.compile(r"\b(?:(?:my|our|your)\s+(?:[\w-]+\s+){0,2}?(?:slides?|slide\s+deck|deck|powerpoint|"
                           r"presentations?|reports?|papers?|paper|memo|handouts?|toolkit|guide)|(?:a|an)\s+"
                           r"(?:[\w-]+\s+){0,2}?(?:slides?|slide\s+deck|powerpoint))\b", re.I)


def without_own_artefacts(question: str) -> str:
    """``question`` without the words for what the asker is writing ("for my lecture slides")."""
    return _OWN_ARTEFACT.sub(" ", question)


# Words that join the words of a document's name ("its SG report contribution and the toolkit"):
# taken out with them, where another word with no weight of its own ("not") stays.
_JOINING = frozenset("the its their this these that and of on in to for from by a an both".split())  # noqa: SIM905


def _symbol_at(low: str, doc: Document, documents: list[Document]) -> int | None:
    """Where the lower-cased question names the document by its symbol ("what does
    CTOC/COP/WG.4/2022/2 say…", "A/RES/55/25" for "A/RES/55/25, annex III" — with its annex when
    another document is an annex of the same resolution), or None."""
    base, _, annex = doc.symbol.lower().partition(",")
    base = base.strip()
    if len(base) < 4:
        return None
    m = re.search(rf"(?<![\w/]){re.escape(base)}(?![\w/])", low)
    if m is None:
        return None
    shared = sum(d.symbol.lower().partition(",")[0].strip() == base for d in documents) > 1
    number = annex.replace("annex", "").strip()
    if shared and not re.search(rf"annex\s+{re.escape(number)}\b", low[m.end():m.end() + 20]):
        return None
    return m.start()


# Kinds the texts also use for instruments that are not in the corpus: "the trafficking protocol" must
# not name the one protocol indexed when that is the Smuggling of Migrants Protocol.
INSTRUMENT_KINDS = frozenset({"protocol", "convention", "principles", "guidelines", "resolution", "treaty"})
# Words before or after the kind noun that qualify nothing ("the UN protocol", "this convention").
_GENERIC = frozenset({"the", "this", "that", "these", "its", "their", "same", "new", "optional", "additional",
                      "relevant", "international", "un", "united", "nations", "whole", "said", "above", "a", "an"})


def _qualifiers_fit(low: str, kind: str, doc: Document) -> bool:
    """For an instrument kind, every word qualifying the kind noun in the question ("the
    *trafficking* protocol", "the protocol *on trafficking*", "the *Palermo* protocol") is a word of
    the document's title, short title, symbol, body or type."""
    if kind not in INSTRUMENT_KINDS:
        return True
    own = set(tokenize(" ".join([doc.title, doc.short_title, doc.symbol.replace("/", " "), doc.body, doc.type])))
    initials = "".join(w[0] for w in re.findall(r"[a-z]+", doc.title.lower()))  # "som": Smuggling of Migrants
    nouns = "|".join(re.escape(w) for w, c in DOCUMENT_NOUNS.items() if c == kind)
    for m in re.finditer(rf"(\w+)(?:'s)?\s+(?:{nouns})\b(?:\s+(?:on|against|to|for)\s+(?:the\s+)?(\w+))?|"
                         rf"\b(?:{nouns})\s+(?:on|against|to|for)\s+(?:the\s+)?(\w+)", low):
        words = [w for w in m.groups() if w and w not in _GENERIC and not w.isdigit()]
        if any(not set(tokenize(w)) <= own and not (len(w) >= 3 and w in initials) for w in words):
            return False
    # "resolution 75/158", "Convention No. 29": a number after the kind noun names one instrument,
    # which is this document only if its title or symbol carries that number.
    numbered = f"{doc.title} {doc.short_title} {doc.symbol}".lower()
    for m in re.finditer(rf"\b(?:{nouns})\s+(?:no\.?\s*)?(\d+(?:/\d+)*)\b", low):
        if not re.search(rf"(?<!\d){re.escape(m.group(1))}(?!\d)", numbered):
            return False
    return True


def body_names(body: str) -> set[str]:
    """How users name an issuing body (lower case): in full, without its "on …" tail ("working
    group"), and by the initials of either ("wg"; "ohchr" for the Office of the High Commissioner
    for Human Rights); a one-word body is its own name ("unodc")."""
    if not body:
        return set()
    head = re.split(r"\s+(?:on|for|of|against)\s+", body, maxsplit=1)[0]
    names = {body.lower()}
    if len(head.split()) >= 2:
        names |= {head.lower(), "".join(w[0] for w in head.split()).lower()}
    initials = "".join(w[0] for w in body.split() if w[0].isupper())
    if len(initials) >= 3:
        names.add(initials.lower())
    return names


def mentions(question: str, name: str) -> bool:
    """Does ``question`` name ``name`` (a body name or symbol, lower case) as a whole word? Two-letter
    initials count only in capitals ("WG", not "wg" inside a word)."""
    text, pattern = (question, name.upper()) if len(name) <= 2 else (question.lower(), name)
    return re.search(rf"(?<![\w/]){re.escape(pattern)}(?![\w/])", text) is not None


def _named_by_body_and_year(documents: list[Document], question: str) -> list[str]:
    """The one document whose issuing body and year the question both name ("what did the WG
    recommend in 2020?"), if exactly one does."""
    hits = [d.id for d in documents if d.year and re.search(rf"\b{d.year}\b", question)
            and any(mentions(question, n) for n in body_names(d.body))]
    return hits if len(hits) == 1 else []


def _cue_named(doc: Document, low: str) -> bool:
    """Does the lower-cased question name the document's year, symbol or a distinctive title word?"""
    cues = [str(doc.year)] if doc.year else []
    cues += [doc.symbol.lower()] if doc.symbol else []
    cues += [w for w in re.findall(r"[a-z]+", doc.short_title.lower()) if len(w) > 3]
    return any(re.search(rf"\b{re.escape(c)}\b", low) for c in cues)


# ----------------------------------------------------------------------------- the indexed texts
class Corpus:
    """The documents and passages of one complete index version (or of the corpus parsed now,
    before any index exists: ``version == ""``). Retrieval, answers, the UI, ``show`` and the
    evaluator all read passages, documents and citation labels from here."""

    def __init__(self, version: str, documents: list[Document], passages: list[Passage]) -> None:
        self.version = version
        self.documents: dict[str, Document] = {d.id: d for d in documents}
        self.passages: dict[str, Passage] = {p.id: p for p in passages}

    def document_of(self, passage: Passage) -> Document | None:
        return self.documents.get(passage.document_id)

    def citation(self, passage: Passage) -> str:
        """The label a human reads: "CTOC/COP/WG.4/2022/2, para. 12"."""
        return passage.citation_label(self.document_of(passage))

    def documents_named_in(self, question: str) -> list[str]:
        """The documents a question names by what kind of document they are ("the 2023 slides",
        "the background paper", "the toolkit", "UNODC's input to the SG report"): see
        ``named_documents``."""
        return named_documents(question, list(self.documents.values()), self._kinds)

    def referenced_in(self, question: str) -> list[Passage]:
        """The passages a question refers to by label ("what does para 12 of the 2022 paper say",
        "CTOC/COP/WG.4/2022/2, para. 1", "Recommendation 13"), looked for in the documents it names by
        symbol or kind (``lookup.referenced_in``)."""
        from assistant.lookup import referenced_in

        low = question.lower()
        by_symbol = [d.id for d in self.documents.values() if len(d.symbol) >= 4 and d.symbol.lower() in low]
        named = list(dict.fromkeys(by_symbol + self.documents_named_in(question)))
        return referenced_in(question, list(self.passages.values()), named)

    def items_listed(self, question: str) -> list[Passage]:
        """The numbered items of a named document (its recommendations, guidelines, principles,
        articles), in its order, when the question asks for them as a list and names no subject
        that narrows it ("list the recommendations the Working Group adopted in September 2020";
        "…the recommendations on non-punishment" is a search). The document must be named by more
        than the items' word ("what recommendations do the slides give?" names only the slides) and
        be the one named document that has such items."""
        for kind in ITEM_KINDS:
            if not re.search(rf"\b{kind}s\b", question, re.I):
                continue
            named = self.documents_named_in(re.sub(rf"\b{kind}s?\b", " ", question, flags=re.I))
            having = [(doc_id, items) for doc_id in named if len(items := self._items(doc_id, kind)) >= 3]
            if len(having) != 1:
                continue
            doc_id, items = having[0]
            doc = self.documents[doc_id]
            own = frozenset(tokenize(f"{doc.title} {doc.short_title} {doc.body}"))
            if list_of_items_asked(self._without_names(question, doc), kind, own):
                return items
        return []

    def _items(self, doc_id: str, kind: str) -> list[Passage]:
        """A document's passages of one label kind, in its order."""
        return sorted((p for p in self._by_document.get(doc_id, []) if p.label_kind == kind), key=lambda p: p.span)

    @staticmethod
    def _without_names(question: str, doc: Document) -> str:
        """The question, its abbreviations spelled out ("WG on TIP"), without the document's own
        names, which are no subject of a list ("…adopted by the Working Group on Trafficking in
        Persons meeting")."""
        plain = spelled_out(question)
        for name in sorted(body_names(doc.body) | {doc.title.lower(), doc.short_title.lower()}, key=len, reverse=True):
            if name.strip():
                plain = re.sub(rf"\b{re.escape(name)}\b", "", plain, flags=re.I)
        return plain

    def overview_of(self, question: str) -> list[str]:
        """The documents a question asks the gist of ("summarise the toolkit", "what is the 2022
        paper about"): those it names, when it asks what they are about."""
        return self.documents_named_in(question) if asks_overview(question) else []

    def without_naming(self, question: str, named: list[str], every_title_word: bool = False) -> str:
        """``question`` without the words by which it names the documents ``named``: the kind noun
        ("toolkit", "slides", "SG report contribution") and the naming words around it, for a search
        inside those documents, where such words match every title-like line and nothing of the
        subject ("…across its SG report contribution and the human rights toolkit about immigration
        detention…"). A kind that is also the items' word ("recommendations") stays: it is what is
        asked for. With ``every_title_word``, any word of the title beside the kind noun goes too ("the
        Smuggling of Migrants Protocol"): for the dense search, whose embedding of such a question is
        otherwise about the document's name. The question as it is when fewer than two words would
        be left."""
        naming = set().union(*(self._naming_words(d) for d in named)) - set(tokenize(" ".join(ITEM_KINDS)))
        if every_title_word:
            # beside the kind noun, any word of the title names the document ("the Smuggling of
            # Migrants Protocol"), even one many of its paragraphs use
            naming |= set(tokenize(spelled_out(" ".join(
                f"{d.title} {d.short_title}" for d in map(self.documents.get, named) if d is not None))))
            naming -= set(tokenize(" ".join(ITEM_KINDS)))
        kinds = {k for d in named for k in self._kinds.get(d, set())} - {f"{k}s" for k in ITEM_KINDS}
        spans = list(re.finditer(r"[\w'’/.-]+|\S", question))
        words = [m.group() for m in spans]
        drop = [False] * len(words)

        def names(word: str) -> bool:  # a naming word, or a joining word between two ("and the")
            toks = tokenize(spelled_out(word))
            return set(toks) <= naming if toks else word.lower() in _JOINING

        for i, word in enumerate(words):
            if DOCUMENT_NOUNS.get(re.sub(r"['’]s?$", "", word.lower())) in kinds:
                drop[i] = True
                for step in (-1, 1):
                    j = i + step
                    while 0 <= j < len(words) and names(words[j]):
                        drop[j], j = True, j + step
        left = question
        for m, dropped in reversed(list(zip(spans, drop, strict=True))):
            if dropped:
                left = left[:m.start()] + left[m.end():]
        left = re.sub(r"\s{2,}", " ", left).strip()
        return left if len(tokenize(left)) >= 2 else question

    def _naming_words(self, doc_id: str) -> frozenset[str]:
        """The words that name ``doc_id`` (``_naming_of``), empty for a document not in this version."""
        return self._naming.get(doc_id, frozenset())

    def words_naming(self, doc_ids: list[str]) -> frozenset[str]:
        """The words that name the documents ``doc_ids`` (``_naming_of``): "2022 background paper"."""
        return frozenset().union(*(self._naming_words(d) for d in doc_ids))

    @functools.cached_property
    def _naming(self) -> dict[str, frozenset[str]]:
        """Each document's naming words (``_naming_of``), read once per version."""
        return {doc_id: self._naming_of(doc_id) for doc_id in self.documents}

    def _naming_of(self, doc_id: str) -> frozenset[str]:
        """Words that name a document rather than its subject: its symbol, type and year, and the
        words of its titles and body that few of its paragraphs use ("Secretary-General",
        "contribution"; not "trafficking" in the Working Group's name, which most of them use)."""
        doc = self.documents[doc_id]
        own = set(tokenize(spelled_out(f"{doc.symbol.replace('/', ' ')} {doc.type} {doc.date[:4]}")))
        texts = [set(tokenize(p.text)) for p in self._by_document.get(doc_id, [])]
        for word in set(tokenize(spelled_out(f"{doc.title} {doc.short_title} {doc.body}"))):
            if sum(word in t for t in texts) < NAMING_SHARE * max(len(texts), 1):
                own.add(word)
        return frozenset(own)

    @functools.cached_property
    def _kinds(self) -> dict[str, set[str]]:
        """Each document's kind words (read once per version, not per question)."""
        return document_kinds(list(self.documents.values()))

    @functools.cached_property
    def speller(self) -> Speller:
        """Spelling correction against this version's words: its passages, titles and bodies."""
        heads = [f"{d.title}. {d.short_title}. {d.body}." for d in self.documents.values()]
        return Speller([*heads, *(p.text for p in self.passages.values())])

    def respell(self, text: str) -> Respelling:
        """``text`` with the words it misspells corrected to the corpus's ("traficking", "UNDOC")."""
        return self.speller.respell(text)

    def defining(self, term: str) -> list[str]:
        """Ids of the paragraphs that define a quoted term containing every word of ``term``
        ("fraudulent travel document" -> art. 3 of the Smuggling Protocol, "'Fraudulent travel or
        identity document' shall mean…")."""
        words = set(tokenize(term))
        return [pid for defined, pids in self._defined.items() if words and words <= defined for pid in pids]

    @functools.cached_property
    def _defined(self) -> dict[frozenset[str], list[str]]:
        """The words of each quoted term the texts define -> the paragraphs defining it (read once
        per version)."""
        out: dict[frozenset[str], list[str]] = {}
        for p in self.passages.values():
            for term in defined_terms(p.text):
                out.setdefault(frozenset(tokenize(term)), []).append(p.id)
        return out

    def of_document(self, document_id: str) -> list[Passage]:
        """A document's passages (a new list)."""
        return list(self._by_document.get(document_id, []))

    @functools.cached_property
    def _by_document(self) -> dict[str, list[Passage]]:
        """Each document's passages, grouped once per version: a question's look-ups (its items, the
        words naming it) read one document's, not every passage of the corpus."""
        out: dict[str, list[Passage]] = {}
        for p in self.passages.values():
            out.setdefault(p.document_id, []).append(p)
        return out

    def find(self, ref: str) -> Passage | None:
        """The passage a human reference or passage id names (see ``assistant.lookup``)."""
        from assistant.lookup import find_passage

        return find_passage(list(self.documents.values()), list(self.passages.values()), ref)

    def write(self, folder: Path) -> None:
        """Write ``passages.jsonl`` and ``documents.json`` into a version folder being built."""
        docs = json.dumps([d.model_dump() for d in self.documents.values()], ensure_ascii=False, indent=1)
        (folder / "documents.json").write_text(docs, encoding="utf-8")
        lines = "".join(p.model_dump_json() + "\n" for p in self.passages.values())
        (folder / "passages.jsonl").write_text(lines, encoding="utf-8")

    @classmethod
    def read(cls, folder: Path, version: str) -> Corpus:
        """Read a version's texts; a damaged file is a one-line ``IndexCorruptError``."""
        try:
            docs = [Document(**x) for x in json.loads((folder / "documents.json").read_text("utf-8"))]
            with (folder / "passages.jsonl").open(encoding="utf-8") as fh:
                passages = [Passage.model_validate_json(line) for line in fh if line.strip()]
        except (OSError, ValueError, TypeError) as exc:  # pydantic's ValidationError is a ValueError
            raise IndexCorruptError(f"index files in {folder} are unreadable ({type(exc).__name__}); "
                                    "run `tipguide index --rebuild`") from exc
        return cls(version, docs, passages)


# ----------------------------------------------------------------------------- the manifest
def load_manifest(corpus_dir: Path) -> list[Document]:
    """All documents listed in the manifest, in manifest order."""
    path = corpus_dir / MANIFEST
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CorpusError(f"{path}: invalid TOML ({exc})") from exc
    docs = []
    for entry in data.get("document", []):
        docs.append(Document(**{k: str(entry.get(k, "")) for k in DOC_FIELDS if k in entry}))
    ids = [d.id for d in docs]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise CorpusError(f"{path}: duplicate document id {', '.join(map(repr, dup))}; rename one")
    return docs


def corpus_fingerprint(corpus_dir: Path) -> str:
    """Hash of the manifest and every listed file's bytes: changes whenever the corpus does."""
    h = hashlib.sha256()
    manifest = corpus_dir / MANIFEST
    if manifest.exists():
        h.update(manifest.read_bytes())
    for doc in load_manifest(corpus_dir):
        f = corpus_dir / doc.file
        h.update(doc.id.encode())
        h.update(f.read_bytes() if f.is_file() else b"<missing>")
    return h.hexdigest()[:16]


def slugify(text: str, limit: int = 48) -> str:
    """A file- and id-safe slug."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-") or "document"


def check_field(name: str, value: str) -> str:
    """``value`` unchanged, or a one-line ``CorpusError`` when it holds a control character
    (a title is one line of text; a bell or an escape code in it is a mistake)."""
    bad = _CONTROL.search(value)
    if bad:
        raise CorpusError(f"--{name.replace('_', '-')} contains a control character "
                          f"({bad.group()!r} at position {bad.start() + 1}); remove it and run `tipguide add` again")
    return value


@contextlib.contextmanager
def manifest_lock(corpus_dir: Path) -> Iterator[None]:
    """Serialise writers of the manifest (parallel ``tipguide add`` runs wait their turn). The lock
    is on the corpus directory itself: it is never replaced (the manifest is) and no file is added."""
    corpus_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(corpus_dir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _same_content(corpus_dir: Path, docs: list[Document], digest: str) -> Document | None:
    for d in docs:
        f = corpus_dir / d.file
        if f.is_file() and file_digest(f) == digest:
            return d
    return None


def _free_id(corpus_dir: Path, docs: list[Document], base: str, suffix: str) -> str:
    """``base``, or ``base-2``, ``base-3``…: unused in the manifest and on disk."""
    taken = {d.id for d in docs}
    doc_id, n = base, 2
    while doc_id in taken or (corpus_dir / "documents" / f"{doc_id}{suffix}").exists():
        doc_id, n = f"{base}-{n}", n + 1
    return doc_id


def add_document(corpus_dir: Path, src: Path, meta: dict[str, str]) -> Document:
    """Copy ``src`` into ``corpus/documents`` and add it to the manifest, under the manifest lock.

    The stored name is derived from a slug, never from the user's path, so nothing can be written
    outside the corpus directory. The same bytes added twice are refused. The caller is expected
    to have checked that the file parses.
    """
    from assistant.ingest.loaders import SUPPORTED, IngestError  # lazy: ingest imports this module

    if src.suffix.lower() not in SUPPORTED:
        raise IngestError(src, f"unsupported file type {src.suffix or '(none)'}")
    fields = {k: check_field(k, v) for k, v in meta.items() if v}
    # A control character in a *file name* is not the user's typing: it is dropped from the
    # default title rather than refused.
    title = fields.get("title") or " ".join(_CONTROL.sub(" ", src.stem.replace("_", " ").replace("-", " ")).split())
    digest = file_digest(src)
    suffix = src.suffix.lower()
    with manifest_lock(corpus_dir):
        docs = load_manifest(corpus_dir)
        same = _same_content(corpus_dir, docs, digest)
        if same is not None:
            raise CorpusError(f"{src.name!r} is already in the corpus as {same.id} ({same.file}); nothing added")
        doc_id = _free_id(corpus_dir, docs, slugify(fields.get("id") or fields.get("symbol") or title, 40), suffix)
        doc = Document(id=doc_id, file=f"documents/{doc_id}{suffix}", title=title or doc_id,
                       **{k: fields[k] for k in ("short_title", "symbol", "body", "type", "date", "language", "url")
                          if k in fields})
        _copy_in(src, corpus_dir / doc.file)
        try:
            _append_entry(corpus_dir / MANIFEST, doc)
        except BaseException:
            (corpus_dir / doc.file).unlink(missing_ok=True)  # nothing half-added
            raise
    return doc


def _copy_in(src: Path, dest: Path) -> None:
    """Copy via a temporary name, so a full disk never leaves a truncated document in the corpus."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(src.read_bytes())
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def _append_entry(path: Path, doc: Document) -> None:
    """Add a ``[[document]]`` table with tomlkit (comments and layout kept), check that the result
    parses back to the same entry, and replace the file atomically."""
    import tomlkit

    text = path.read_text(encoding="utf-8") if path.exists() else ""
    data = tomlkit.parse(text)
    tables = data.get("document")
    entry = tomlkit.table()
    for k in DOC_FIELDS:
        entry[k] = str(getattr(doc, k))
    if tables is None:
        tables = tomlkit.aot()
        data["document"] = tables
    tables.append(entry)
    new = tomlkit.dumps(data)
    back = tomllib.loads(new)["document"][-1]
    if any(back.get(k) != str(getattr(doc, k)) for k in DOC_FIELDS):
        raise CorpusError(f"{path}: the new entry for {doc.id} would not read back; nothing added")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(new, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
