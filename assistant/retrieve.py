"""Retrieve stage: hybrid search over paragraphs.

BM25 (bm25s, with domain-synonym query expansion) and dense search (MiniLM sentence windows in
Chroma, rolled up to their paragraph by the best window, the question passed through the query
adapter) are fused by the learned fusion (``LearnedFusion``) where one is shipped, else by weighted
reciprocal rank fusion; each hit keeps both retrievers' scores and ranks. Filters (document, issuing body, type,
year range) are applied inside both retrievers — a BM25 weight mask, and an exact scan of the
allowed windows' in-memory vectors for dense search — so a filtered query stays fast and still
returns k hits.
"""

from __future__ import annotations

import base64
import json
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from functools import cached_property
from itertools import zip_longest
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from assistant.embed import CachedEmbedder, Embedder, get_embedder, load_query_adapter
from assistant.errors import (
    BackendUnavailableError,
    BadQueryError,
    IndexCorruptError,
    IndexWriteError,
)
from assistant.index import IndexHandle, open_index, provision_title
from assistant.models import Document, Filters, Hit, Passage
from assistant.settings import Settings
from assistant.text import (
    RE_CRIMINALIZING_TITLE,
    RE_PROTECTING_TITLE,
    RE_PROVISION_NUMBER,
    STOPWORDS,
    acronym_key,
    asked_after_story,
    asked_classification,
    asked_definition,
    asked_mention,
    asks_protection,
    asks_punishable,
    defines,
    expand_query,
    for_matching,
    initialisms,
    lay_notions,
    pasted_extract,
    provision_names,
    provisions,
    requested_figures,
    split_sentences,
    synonyms,
    tokenize,
    word_forms,
)

Method = Literal["hybrid", "bm25", "dense"]
# How many of a named document's best paragraphs go first: when one document is named, and each
# of several (set on the dev splits).
NAMED_FIRST_ONE = 3
NAMED_FIRST_TWO = 2
OVERVIEW_PASSAGES = 3  # paragraphs standing for a document whose gist is asked for
NAMED_PROVISION_PASSAGES = 2  # paragraphs of a provision a question names by its title put first
NAMED_PROVISION_TITLES = 2  # a name matching more provisions' titles than this names none of them
MENTION_PASSAGES = 3  # paragraphs holding what a question asks whether a text mentions, put first
NOTION_PASSAGES = 2  # paragraphs found by the texts' words for a notion a story describes
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class Reranker(Protocol):
    """Optional second stage (e.g. a cross-encoder, where one is available); none ships offline."""

    def rerank(self, query: str, hits: list[Hit]) -> list[Hit]: ...


def clean_query(query: str, limit: int) -> str:
    """Strip control characters and whitespace; reject empty or over-long queries clearly."""
    q = " ".join(_CONTROL.sub(" ", query or "").split())
    if not q:
        raise BadQueryError("the query is empty")
    if len(q) > limit:
        raise BadQueryError(f"the query is {len(q):,} characters long; the limit is {limit:,}")
    return q


class Retriever:
    """Hybrid BM25 + dense retrieval over one index version."""

    def __init__(self, handle: IndexHandle, embedder: Embedder, reranker: Reranker | None = None) -> None:
        self.handle = handle
        self.settings = handle.settings
        self.embedder = embedder
        self.adapter: Callable[[np.ndarray], np.ndarray] | None = load_query_adapter(self.settings)
        self.fusion: LearnedFusion | None = load_fusion(self.settings)
        self.memory: QuestionMemory | None = load_memory(self.settings, self.adapter)
        self.reranker = reranker
        self.corpus = handle.corpus
        self._order = list(self.corpus.passages)
        self._doc_of = np.array([p.document_id for p in self.corpus.passages.values()])
        self._qcache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._unit_doc = np.array([self.passages[u.passage_id].document_id for u in handle.units])
        self._rows_cache: dict[frozenset[str], np.ndarray] = {}
        self._central: dict[str, list[str]] = {}
        self._titled: dict[str, list[str]] = {}
        self._provisions: dict[str, tuple[frozenset[str], list[str]]] | None = None
        self._words: dict[str, frozenset[str]] | None = None
        self.units_by_passage: dict[str, list[int]] = {}
        for i, u in enumerate(handle.units):
            self.units_by_passage.setdefault(u.passage_id, []).append(i)

    @classmethod
    def open(cls, settings: Settings) -> Retriever:
        """Open the live index with the configured embedder."""
        return cls(open_index(settings), get_embedder(settings))

    @property
    def documents(self) -> dict[str, Document]:
        """The version's documents (prefer ``corpus``: this is kept for existing callers)."""
        return self.corpus.documents

    @property
    def passages(self) -> dict[str, Passage]:
        """The version's passages by id (prefer ``corpus``: this is kept for existing callers)."""
        return self.corpus.passages

    @cached_property
    def idf(self) -> dict[str, float]:
        """log(1 + N/df) per stemmed token of the corpus. Words of headings and document metadata
        count as known too ("the 2023 UNODC slides"), at the rarest weight."""
        n = max(len(self.passages), 1)
        idf = {t: math.log(1 + n / c) for t, c in self._df.items()}
        meta = [" ".join(p.section_path) for p in self.passages.values()]
        meta += [f"{d.title} {d.short_title} {d.date} {d.body} {d.symbol}" for d in self.documents.values()]
        for tok in set(tokenize(" ".join(meta))):
            idf.setdefault(tok, math.log(1 + n))
        return idf

    @cached_property
    def initialisms(self) -> frozenset[str]:
        """Initials of runs of capitalised words in the texts, footnotes and headings, so an acronym
        a user types is known when the texts spell it out ("NRM": "National Referral Mechanisms")."""
        out: set[str] = set()
        for text in self._texts():
            out |= initialisms(text)
        return frozenset(out)

    @cached_property
    def acronyms(self) -> frozenset[str]:
        """Every word the texts, footnotes, headings and titles write with two capitals or more,
        lower-cased, a plural "s" dropped ("NGOs" -> "ngo"): an acronym a user types is looked up
        as written, not stemmed as an English word ("CITES" is not "cites")."""
        return frozenset(acronym_key(w) for text in self._texts_and_titles()
                         for w in re.findall(r"\b[A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z]*\b", text))

    @cached_property
    def name_text(self) -> str:
        """Every text, footnote, heading and document title, lower-cased, small words dropped and
        whitespace collapsed: where a multi-word name ("modern slavery act") is looked up."""
        words = re.findall(r"[a-z0-9]+", " \n ".join(self._texts_and_titles()).lower())
        return " " + " ".join(w for w in words if w not in STOPWORDS) + " "

    @cached_property
    def cited_provisions(self) -> frozenset[tuple[str, str]]:
        """Every provision the texts, footnotes, headings and paragraph labels name, as (kind,
        number) — ("article", "6") for "art. 6(3)(b)" — so a question about one they never cite is
        known to be about something else."""
        labels = [p.label_text for p in self.passages.values()]
        return frozenset((kind, num) for text in [*self._texts(), *labels] for kind, num, _, _ in provisions(text))

    @cached_property
    def _term_index(self) -> tuple[list[list[str]], dict[str, set[int]]]:
        """Every paragraph, footnote, heading and document title as tokens, and for each token the
        texts holding it (``uses_term``): built once per version, so a look-up reads only the texts
        that hold every word of a term."""
        texts = [tokenize(text) for text in self._texts_and_titles()]
        holding: dict[str, set[int]] = {}
        for i, toks in enumerate(texts):
            for tok in toks:
                holding.setdefault(tok, set()).add(i)
        return texts, holding

    def uses_term(self, term: str) -> bool:
        """Do the texts use ``term``, or a synonym of it: all its words, stemmed, within a few words
        of each other in one paragraph, footnote, heading or title? "Reflection period" is used in
        "a period of reflection"; "debt bondage" is not in a paragraph that has "debt" and, far
        from it, "bondage"."""
        texts, holding = self._term_index
        for form in synonyms(term):
            words = tokenize(form)
            if not words or any(w not in holding for w in words):
                continue
            both = set.intersection(*(holding[w] for w in words))
            if _near(words, [texts[i] for i in sorted(both)]):
                return True
        return False

    def _texts(self) -> Iterator[str]:
        """Every paragraph's text, footnotes and headings: where the texts name things."""
        for p in self.passages.values():
            yield p.text
            yield from (f.text for f in p.footnotes)
            yield from p.section_path

    def _texts_and_titles(self) -> Iterator[str]:
        """``_texts`` and every document's title and short title."""
        yield from self._texts()
        yield from (f"{d.title} {d.short_title}" for d in self.documents.values())

    @cached_property
    def _df(self) -> dict[str, int]:
        df: dict[str, int] = {}
        for p in self.corpus.passages.values():
            for tok in set(tokenize(p.text)):
                df[tok] = df.get(tok, 0) + 1
        return df

    def passage_frequency(self, tokens: list[str]) -> int:
        """In how many paragraphs the rarest of ``tokens`` (tokenized words) occurs."""
        return min((self._df.get(t, 0) for t in tokens), default=0)

    @cached_property
    def centroid(self) -> np.ndarray:
        """Unit mean of every window vector: where the corpus sits in embedding space."""
        vecs = self.handle.unit_vecs
        if len(vecs) == 0:
            return np.zeros(0, dtype=np.float32)
        c = vecs.mean(axis=0)
        return c / (np.linalg.norm(c) or 1.0)

    def neighbourhood(self, query: str, hits: list[Hit]) -> float:
        """How close a query sits to the corpus: its best window similarity among ``hits`` plus
        its similarity to the corpus centroid. Far-off-topic questions score low on both (the
        domain gate's input; calibrated on eval/offtopic.jsonl and the dev split)."""
        best = max((h.dense or 0.0) for h in hits) if hits else 0.0
        if self.centroid.size == 0:
            return best
        return best + float(self.embed_query(query) @ self.centroid)

    @cached_property
    def neighbour_fields(self) -> tuple[list[str], np.ndarray]:
        """The neighbouring subjects the texts do not cover (``prompts/neighbouring_fields.txt``) and
        their embeddings, worked out once per version."""
        from assistant.prompts import load_lines

        fields = load_lines("neighbouring_fields", self.settings.prompts_dir)
        if not fields:
            return fields, np.zeros((0, 0), dtype=np.float32)
        # One batch, kept out of the query cache (it holds what users ask) and read from the
        # documents' vector cache: embedding 150 subjects costs a worker's start most of a second.
        # A data dir that cannot be written only costs that second again.
        try:
            return fields, CachedEmbedder(self.embedder, self.settings.data_dir / "embed_cache.sqlite").embed(fields)
        except IndexWriteError:
            return fields, self.embedder.embed(fields)

    def nearest_neighbour_field(self, query: str, hits: list[Hit]) -> tuple[str, float]:
        """The neighbouring subject closest to ``query``, and by how much it is closer than the best
        passage window among ``hits`` (negative: the texts are closer)."""
        fields, vecs = self.neighbour_fields
        if not fields:
            return "", float("-inf")
        sims = vecs @ self.embed_query(query)
        best = max((h.dense or 0.0) for h in hits) if hits else 0.0
        i = int(np.argmax(sims))
        return fields[i], float(sims[i]) - best

    def closeness(self, text: str) -> float:
        """``neighbourhood`` for a text of its own (one sentence of a longer question): its best
        window similarity plus its similarity to the corpus centroid."""
        best = self.dense_search(text, 1, None)
        return self.neighbourhood(text, []) + (best[0][1] if best else 0.0)

    @property
    def stale(self) -> bool:
        return self.handle.stale

    def citation(self, passage: Passage) -> str:
        """The human citation label of a passage."""
        return self.corpus.citation(passage)

    # ------------------------------------------------------------------ filters
    def _check_filters(self, f: Filters) -> None:
        unknown = [d for d in f.documents if d not in self.documents]
        if unknown:
            raise BadQueryError(f"unknown document {', '.join(map(repr, unknown))}; known: {', '.join(self.documents)}")
        if f.year_from and f.year_to and f.year_from > f.year_to:
            raise BadQueryError(f"year range {f.year_from}-{f.year_to} is empty")

    def allowed_documents(self, f: Filters) -> set[str]:
        """Document ids that pass the filters."""
        out = set()
        for d in self.documents.values():
            year = d.year
            if (
                (not f.documents or d.id in f.documents)
                and (not f.bodies or d.body in f.bodies)
                and (not f.types or d.type in f.types)
                and (not f.year_from or (year is not None and year >= f.year_from))
                and (not f.year_to or (year is not None and year <= f.year_to))
            ):
                out.add(d.id)
        return out

    # ------------------------------------------------------------------ retrievers
    def forget(self) -> None:
        """Drop the remembered query embeddings (a benchmark times unseen queries: strings that
        differ only in whitespace are one query once ``clean_query`` has run)."""
        with self._lock:
            self._qcache.clear()

    def embed_query(self, query: str) -> np.ndarray:
        """Query embedding with a small LRU (the UI and evaluator repeat queries)."""
        with self._lock:
            if query in self._qcache:
                self._qcache.move_to_end(query)
                return self._qcache[query]
        vec = self.embedder.embed([query])[0]
        with self._lock:
            self._qcache[query] = vec
            if len(self._qcache) > 512:
                self._qcache.popitem(last=False)
        return vec

    def bm25_search(self, query: str, n: int, allowed: set[str] | None) -> list[tuple[str, float]]:
        """(passage id, BM25 score) best first, restricted to ``allowed`` documents."""
        q = expand_query(query) if self.settings.use_synonyms else query
        vocab = self.handle.bm25.vocab_dict
        tokens = [t for t in tokenize(q) if t in vocab]
        if not tokens:
            return []
        mask = None if allowed is None else np.isin(self._doc_of, list(allowed)).astype(np.float32)
        n = min(n, len(self._order))
        # n_threads=0 scores in this thread: any other value starts a thread pool per query (about
        # a millisecond a search, for one query that cannot run in parallel anyway)
        docs, scores = self.handle.bm25.retrieve([tokens], k=n, show_progress=False, weight_mask=mask,
                                                 n_threads=0)
        return [(self._order[int(i)], float(s)) for i, s in zip(docs[0], scores[0], strict=True) if s > 0]

    def dense_search(self, query: str, n: int, allowed: set[str] | None) -> list[tuple[str, float]]:
        """(passage id, cosine similarity of its best window), ordered by that similarity — or, when
        a query adapter is shipped for the embedder (``embed.QueryAdapter``), by the similarity of the
        adapted question, while the scores stay the plain ones (the off-topic gate and the evidence
        bars read these scores and were set on plain cosine similarities)."""
        return [(pid, plain) for pid, _, plain in self.dense_ranking(query, n, allowed)]

    def dense_ranking(self, query: str, n: int, allowed: set[str] | None) -> list[tuple[str, float, float]]:
        """(passage id, similarity of the adapted question, plain similarity) of the ``n`` paragraphs
        whose best window the adapted question (the plain one without an adapter) is closest to.

        Windows are scored exactly from the vectors every index version keeps in memory: filtered
        queries always (at 100k paragraphs several times faster than Chroma's filtered scan, ``make
        bench``), unfiltered ones up to ``exact_dense_max_windows`` windows, so a ranking is the same
        on every machine. Beyond that, unfiltered queries go to Chroma's ANN index."""
        raw = self.embed_query(query)
        vec = raw if self.adapter is None else self.adapter(raw)
        n_units = max(min(n * 3, len(self.handle.units)), 1)
        if allowed is None and len(self.handle.units) > self.settings.exact_dense_max_windows:
            res = self._query_vectors(vec, n_units, None)
            scored = [(uid, 1.0 - float(d)) for uid, d in zip(res["ids"][0], res["distances"][0], strict=True)]
        else:
            scored = self._scan(vec, None if allowed is None else self._unit_rows(frozenset(allowed)), n_units)
        best: dict[str, float] = {}
        for unit_id, sim in scored:
            pid = unit_id.rsplit("#", 1)[0]  # window ids are "<passage id>#<n>": no metadata fetch
            best[pid] = max(best.get(pid, -1.0), sim)
        ranked = sorted(best.items(), key=lambda kv: -kv[1])[:n]
        if vec is raw:
            return [(pid, sim, sim) for pid, sim in ranked]
        return [(pid, sim, self._plain_similarity(pid, raw)) for pid, sim in ranked]

    def _plain_similarity(self, pid: str, vec: np.ndarray) -> float:
        """Cosine similarity of ``vec`` with the paragraph's best window."""
        return float(np.max(self.handle.unit_vecs[self.units_by_passage[pid]] @ vec))

    def _scan(self, vec: np.ndarray, rows: np.ndarray | None, n: int) -> list[tuple[str, float]]:
        """Exact top-n windows among ``rows`` of the in-memory window matrix (all of them for
        None: no row selection, which would copy the whole matrix at every search)."""
        sims = self.handle.unit_vecs @ vec if rows is None else self.handle.unit_vecs[rows] @ vec
        if sims.size == 0:
            return []
        top = np.argpartition(-sims, min(n, sims.size) - 1)[:n]
        units = self.handle.units
        return [(units[int(i if rows is None else rows[i])].id, float(sims[i])) for i in top]

    def _unit_rows(self, allowed: frozenset[str]) -> np.ndarray:
        """Window row numbers of the allowed documents (memoised per filter)."""
        with self._lock:
            cached = self._rows_cache.get(allowed)
        if cached is None:
            cached = np.flatnonzero(np.isin(self._unit_doc, list(allowed)))
            with self._lock:
                if len(self._rows_cache) > 256:  # filters are few in practice; stay bounded anyway
                    self._rows_cache.clear()
                self._rows_cache[allowed] = cached
        return cached

    def _query_vectors(self, vec: np.ndarray, n: int, where: dict[str, Any] | None) -> Any:
        """Chroma query; a failure is a named error (a server that went away, a damaged store),
        never a library traceback in the CLI or a generic failure in a long-running UI."""
        try:
            return self.handle.collection.query(query_embeddings=[vec.tolist()], n_results=n,
                                                where=where, include=["distances"])
        except Exception as exc:
            url = self.settings.chroma_url
            if url:
                raise BackendUnavailableError(
                    f"Chroma server at {url} is unreachable or failed ({type(exc).__name__}); "
                    "start it (`chroma run --path DIR --host 127.0.0.1 --port N`) and retry"
                ) from exc
            raise IndexCorruptError(
                f"the Chroma store of index version {self.handle.version} failed a query "
                f"({type(exc).__name__}); run `tipguide index --rebuild`"
            ) from exc

    # ------------------------------------------------------------------ fusion
    def search(self, query: str, k: int | None = None, filters: Filters | None = None,
               method: Method = "hybrid", learned: bool = True) -> list[Hit]:
        """Ranked paragraphs for ``query``; raises ``BadQueryError`` on unusable input. ``learned``
        False fuses by reciprocal rank even where a learned fusion is shipped (what the evidence
        checks read: their bars were set on that ranking)."""
        q = clean_query(query, self.settings.max_query_chars)
        extract = pasted_extract(q)  # before spelling: a pasted extract is looked up as the texts spell it
        if self.settings.spelling:
            q = self.corpus.respell(q).text
        k = k or self.settings.k
        f = filters or Filters()
        self._check_filters(f)
        allowed = None if f.is_empty() else self.allowed_documents(f)
        if allowed is not None and not allowed:
            return []
        n = max(self.settings.candidates, k)
        hits = self._ranked(q, n, allowed, method, learned)
        if method == "hybrid" and self.settings.asked_search_at and (asked_part := asked_after_story(q)):
            hits = self._asked_after(asked_part, hits, n, allowed, learned)
        if method == "hybrid" and self.settings.notion_search_at and self.settings.use_synonyms:
            hits = self._notions_after(q, hits, n, allowed)
        if method == "hybrid" and self.settings.route_named_documents and not f.documents:
            hits = self._named_first(q, hits, n, allowed)
        if method == "hybrid" and self.settings.mentions_first and (mentioned := asked_mention(q)):
            hits = self._mentioning_first(q, mentioned, hits, allowed)
        if self.settings.definitions_first and (term := asked_definition(q)):
            hits = self._definitions_first(term, hits, allowed)
        elif self.settings.definitions_first and (term := asked_classification(q)) \
                and (defining := self.corpus.defining(term)):
            # "would the treaty count me as a smuggler?": the treaty's definition decides it (a text
            # that only describes the crime, where none defines it, is no such answer)
            hits = self._ahead(defining, hits, allowed)
        elif method == "hybrid" and self.settings.notion_search_at and asks_punishable(q):
            # "is that something the treaty expects to be punished?": the instruments' provisions
            # on what States must make an offence, after the story's own first paragraphs
            hits = self._placed_after(self.titled(RE_CRIMINALIZING_TITLE), hits, self.settings.notion_search_at,
                                      allowed)
        elif method == "hybrid" and self.settings.notion_search_at and asks_protection(q):
            # "list every right of smuggled migrants", "what does the treaty say about someone in her
            # position?": the provisions on protecting them, in words a story rarely shares
            hits = self._placed_after(self.titled(RE_PROTECTING_TITLE), hits, self.settings.notion_search_at,
                                      allowed)
        if method == "hybrid" and self.settings.named_provisions_first and (named := self.named_provisions(q)):
            # "does the Smuggling Protocol's protection article cover them?": that provision's
            # paragraphs the search ranks best come first
            hits = self._ahead(_by_rank(named, hits)[:NAMED_PROVISION_PASSAGES], hits, allowed)
        asked = self.asked_passages(q) if self.settings.references_first else []
        if asked:
            hits = _agreed_first(hits, self._ahead(asked, hits, allowed))
        if extract:
            hits = _verbatim_first(extract, hits)
        if self.settings.article_siblings_bm25_rank:
            hits = _article_together(hits, self.settings.article_siblings_bm25_rank)
        if not [kind for kind in requested_figures(q) if kind != "indicators"]:
            # A title page answers questions about the document itself — its date, author,
            # meeting — and shares the title's words with every question on its subject (it
            # never lists indicators).
            # (unless asked for as such: "what does the title page of the 2022 paper say?")
            back = {h.passage.id for h in hits if h.passage.label_kind == "front" and h.passage.id not in asked}
            hits = [h for h in hits if h.passage.id not in back] + [h for h in hits if h.passage.id in back]
        if self.settings.provision_cap:
            hits = _provisions_spread(hits, self.settings.provision_cap, self.settings.provision_cap_window)
        if self.reranker is not None:
            hits = self.reranker.rerank(q, hits)
        return hits[:k]

    def _ranked(self, q: str, n: int, allowed: set[str] | None, method: Method, learned: bool) -> list[Hit]:
        """The ``n`` best paragraphs for ``q`` by ``method``, BM25 and dense fused (learned, where
        a fusion is shipped and ``learned``)."""
        bm = self.bm25_search(q, n, allowed) if method in ("hybrid", "bm25") else []
        ranking = self.dense_ranking(q, n, allowed) if method in ("hybrid", "dense") else []
        de = [(pid, plain) for pid, _, plain in ranking]
        steered = [steered for _, steered, _ in ranking] if method == "hybrid" and learned else None
        return self._fuse(bm, de, steered, self._votes(q, bm, de) if steered is not None else None)

    def _asked_after(self, asked: str, hits: list[Hit], n: int, allowed: set[str] | None,
                     learned: bool) -> list[Hit]:
        """``hits`` with the best ``NOTION_PASSAGES`` paragraphs for what a message asks after its
        story (searched alone, as the whole message is) after the first ``asked_search_at``. Only
        the whole message's own candidates move, scored for it: how close the message sits to the
        texts (the domain gate) is never read off a search for its last sentence alone."""
        found = self._ranked(asked, n, allowed, "hybrid", learned)[:NOTION_PASSAGES]
        own = {h.passage.id: h for h in hits}
        return _best_after(hits, [own[h.passage.id] for h in found if h.passage.id in own], self.settings.asked_search_at)

    def _notions_after(self, q: str, hits: list[Hit], n: int, allowed: set[str] | None) -> list[Hit]:
        """``hits`` with the best ``NOTION_PASSAGES`` paragraphs for the notions a story describes in
        lay terms (searched by the texts' words for them alone) after the story's own first
        ``notion_search_at``: a long story's own words, which say little of what applies, outweigh
        the few words ``expand_query`` adds for the notion."""
        notions = lay_notions(q)
        if not notions:
            return hits
        words = " ".join(notions)
        found = self._fuse(self.bm25_search(words, n, allowed), self.dense_search(words, n, allowed))
        return _best_after(hits, found, self.settings.notion_search_at)

    def titled(self, rx: re.Pattern[str]) -> list[str]:
        """The first paragraph of every instrument provision whose title ``rx`` finds ("Article 6 –
        Criminalization"), in the corpus's order (read once per version and pattern)."""
        with self._lock:
            cached = self._titled.get(rx.pattern)
        if cached is None:
            cached = [pids[0] for key, (_, pids) in self._provisions_by_title().items()
                      if rx.search(key.split("\n", 1)[1])]
            with self._lock:
                self._titled[rx.pattern] = cached
        return cached

    def named_provisions(self, q: str) -> list[str]:
        """The paragraphs of the provisions a question names by their titles' words ("the return
        article" is "Article 18 – Return of smuggled migrants"), in the corpus's order: for each name,
        the titled provisions sharing the most of its words (at least half), unless more than
        ``NAMED_PROVISION_TITLES`` do (a name too general to point at one)."""
        names = provision_names(q)
        if not names:
            return []
        by_title = self._provisions_by_title()
        chosen: list[str] = []
        for words in names:
            shared = {title: sum(w in title_words for w in words) for title, (title_words, _) in by_title.items()}
            best = max(shared.values(), default=0)
            matched = [title for title, n in shared.items() if n == best]
            if 2 * best >= len(words) and best and len(matched) <= NAMED_PROVISION_TITLES:
                chosen += [pid for title in matched for pid in by_title[title][1]]
        return list(dict.fromkeys(chosen))

    def _provisions_by_title(self) -> dict[str, tuple[frozenset[str], list[str]]]:
        """Every titled provision (keyed by document and title, in the corpus's order): its title's
        words (without the number: "Article 18 – ") and its paragraphs in the corpus's order (read once
        per version)."""
        with self._lock:
            cached = self._provisions
        if cached is None:
            docs = self.corpus.documents
            cached = {}
            for p in self.corpus.passages.values():
                title = provision_title(p, docs.get(p.document_id))
                if title:
                    key = f"{p.document_id}\n{title}"
                    words = frozenset(tokenize(RE_PROVISION_NUMBER.sub(" ", title).replace("-", " ")))
                    cached.setdefault(key, (words, []))[1].append(p.id)
            with self._lock:
                self._provisions = cached
        return cached

    def _placed_after(self, pids: list[str], hits: list[Hit], at: int, allowed: set[str] | None) -> list[Hit]:
        """``hits`` with the paragraphs ``pids`` (those within the filters, not already among the
        first ``at``) placed right after the first ``at``."""
        known = {h.passage.id: h for h in self._ahead(pids, hits, allowed)}  # (only allowed ones added)
        top = {h.passage.id for h in hits[:at]}
        return _spliced(hits, [known[pid] for pid in pids if pid in known and pid not in top], at)

    def _definitions_first(self, term: str, hits: list[Hit], allowed: set[str] | None) -> list[Hit]:
        """"What is the definition of X": the paragraph that defines X ("'X' shall mean…") shares
        few words with the question and, in a long article of several definitions, can rank far down
        behind paragraphs that merely use X. The corpus knows which paragraphs define which quoted
        terms; the paragraphs that define X come first."""
        pool = [h.passage.id for h in hits] + self.corpus.defining(term)
        return self._ahead([pid for pid in dict.fromkeys(pool) if _defines_in(term, self.passages[pid].text)],
                           hits, allowed)

    def asked_passages(self, q: str) -> list[str]:
        """Paragraphs a question asks for as such: named by label ("Recommendation 13"), a named
        document's items asked as a list ("list the 2020 recommendations"), or, for "what is the
        toolkit about", the paragraphs that best stand for the named document."""
        return [p.id for p in self.corpus.referenced_in(q)] or [p.id for p in self.corpus.items_listed(q)] or \
            [pid for doc_id in self.corpus.overview_of(q) for pid in self.central_passages(doc_id)]

    def central_passages(self, doc_id: str) -> list[str]:
        """The ``OVERVIEW_PASSAGES`` paragraphs of a document closest to the mean of all its sentence
        windows: what it is mostly about (its own opening may be a URL or the middle of a sentence).
        Worked out once per document and version."""
        if doc_id not in self._central:
            rows = np.flatnonzero(self._unit_doc == doc_id)
            vecs = self.handle.unit_vecs[rows]
            mean = vecs.mean(axis=0) if len(rows) else np.zeros(0)
            order = rows[np.argsort(-(vecs @ mean))] if len(rows) else rows
            best = dict.fromkeys(self.handle.units[i].passage_id for i in order
                                 if self.passages[self.handle.units[i].passage_id].label_kind != "front")
            self._central[doc_id] = list(best)[:OVERVIEW_PASSAGES]
        return self._central[doc_id]

    def _ahead(self, pids: list[str], hits: list[Hit], allowed: set[str] | None) -> list[Hit]:
        """The passages ``pids`` (in that order, within the filters) ahead of ``hits``; those the
        search did not return are added."""
        known = {h.passage.id: h for h in hits}
        extra = [pid for pid in pids if pid not in known]
        known.update({h.passage.id: h for h in self._fuse([(pid, 0.0) for pid in extra], [])})
        first = [known[pid] for pid in pids if allowed is None or self.passages[pid].document_id in allowed]
        ids = {h.passage.id for h in first}
        return first + [h for h in hits if h.passage.id not in ids]

    def _mentioning_first(self, q: str, mentioned: list[list[str]], hits: list[Hit],
                          allowed: set[str] | None) -> list[Hit]:
        """``hits`` with the paragraphs that hold every word of one of the ``mentioned`` things
        (``asked_mention``) first — of the documents the question names, or of all — in the order
        the search ranked them, up to ``MENTION_PASSAGES``. A thing no paragraph holds changes
        nothing: the best answer then is the nearest paragraphs, as ranked."""
        docs = set(self.corpus.documents_named_in(q)) or None
        holding = [pid for pid, held in self._passage_words().items()
                   if (docs is None or self.passages[pid].document_id in docs)
                   and any(all(w in held for w in thing) for thing in mentioned)]
        return self._ahead(_by_rank(holding, hits)[:MENTION_PASSAGES], hits, allowed) if holding else hits

    def _passage_words(self) -> dict[str, frozenset[str]]:
        """Every paragraph's words in both numbers (``word_forms``), in the corpus's order (worked out
        once per version)."""
        with self._lock:
            cached = self._words
        if cached is None:
            cached = {pid: frozenset(word_forms(p.text)) for pid, p in self.corpus.passages.items()}
            with self._lock:
                self._words = cached
        return cached

    def _named_first(self, q: str, hits: list[Hit], n: int, allowed: set[str] | None) -> list[Hit]:
        """A question that names documents ("what does the toolkit say, and the 2023 slides?") gets
        the best paragraphs of each named document first, taken in turn, then the rest as fused:
        without this, the document whose words dominate the question fills every place."""
        named = [d for d in self.corpus.documents_named_in(q) if allowed is None or d in allowed]
        if not named:
            return hits
        per_doc = NAMED_FIRST_TWO if len(named) > 1 else NAMED_FIRST_ONE
        lists = []
        # inside a named document, the words that name it match its title-like lines, not the subject
        # — unless a detail of the document itself is asked (its date, author), which its cover gives
        subject = q if requested_figures(q) else self.corpus.without_naming(q, named)
        meaning = q if requested_figures(q) else self.corpus.without_naming(q, named, every_title_word=True)
        for doc_id in named:
            only = {doc_id}
            lists.append(self._fuse(self.bm25_search(subject, n, only), self.dense_search(meaning, n, only))[:per_doc])
        first = [h for group in zip_longest(*lists) for h in group if h is not None]
        seen = {h.passage.id for h in first}
        return _agreed_first(hits, first + [h for h in hits if h.passage.id not in seen])

    def _votes(self, q: str, bm: list[tuple[str, float]], de: list[tuple[str, float]]) -> dict[str, float]:
        """The question memory's votes for ``q``: none without a memory (or an adapter to read it
        by), and none when either search puts a paragraph of a document the memory knows nothing of
        (one added after it was learned) among its first ``memory_silent_top``. The memory cannot
        vote for such a document's paragraphs, and its votes for the others would push them down:
        with the Smuggling of Migrants Protocol added, its articles fell out of the top five for 17
        of 353 questions on it. Silent too (``memory_silent_agreed``) when both searches put one
        paragraph first: a question in the texts' own terms, whose answer the votes of questions
        near it in topic could only push down (the curated test split: 49 of 61 at 5 with them,
        52 without, 54 before the memory)."""
        if self.memory is None or self.adapter is None:
            return {}
        if self.settings.memory_silent_agreed and bm and de and bm[0][0] == de[0][0]:
            return {}
        top = self.settings.memory_silent_top
        known = self.memory.documents(self.passages)
        if any(self.passages[pid].document_id not in known for pid, _ in (*bm[:top], *de[:top])):
            return {}
        return self.memory.votes(self.adapter(self.embed_query(q)))

    def _fuse(self, bm: list[tuple[str, float]], de: list[tuple[str, float]],
              steered: list[float] | None = None, votes: dict[str, float] | None = None) -> list[Hit]:
        """One ranking of both retrievers' paragraphs: by the learned fusion (``LearnedFusion``)
        when it is shipped and the dense similarities it reads (``steered``: the adapted question's,
        in ``de``'s order) are given, with the question memory's ``votes``, else by weighted
        reciprocal rank fusion."""
        s = self.settings
        fused: dict[str, dict[str, Any]] = {}
        for weight, name, ranked in ((s.bm25_weight, "bm25", bm), (s.dense_weight, "dense", de)):
            for rank, (pid, score) in enumerate(ranked, 1):
                entry = fused.setdefault(pid, {"score": 0.0})
                entry["score"] += weight / (s.rrf_k + rank)
                entry[name], entry[f"{name}_rank"] = score, rank
        learned = False
        if self.fusion is not None and steered is not None and bm and de:
            learned = True
            for pid, score in self.fusion.scores(bm, de, steered, votes).items():
                fused[pid]["score"] = score
        if s.bm25_margin_first and len(bm) > 1 and bm[0][1] >= s.bm25_margin_first * bm[1][1] > 0:
            # scored as if both rankers had put it first: the most a paragraph can score
            lead = (s.bm25_weight + s.dense_weight) / (s.rrf_k + 1)
            fused[bm[0][0]]["score"] = max(e["score"] for e in fused.values()) + 1.0 if learned else lead
        order = sorted(fused.items(), key=lambda kv: -kv[1]["score"])
        return [Hit(passage=self.passages[pid], citation=self.citation(self.passages[pid]), **e)
                for pid, e in order]


# What the learned fusion reads of a paragraph (``fusion_features``), in the order of its weights.
FUSION_FEATURES = ("dense_rrf", "bm25_rrf", "dense_gap", "bm25_share", "dense_log_rank", "bm25_log_rank",
                   "vote_share", "voted")
# The reciprocal-rank constant of the features, fixed with the learned weights (``Settings.rrf_k``
# tunes reciprocal rank fusion itself, not what the fusion was learned on).
FEATURE_RRF_K = 60


def fusion_features(bm: list[tuple[str, float]], de: list[tuple[str, float]],
                    steered: list[float], votes: dict[str, float] | None = None) -> tuple[list[str], np.ndarray]:
    """Every paragraph either retriever returned (BM25's first, then the dense search's others),
    and a row of ``FUSION_FEATURES`` for each: both reciprocal ranks (0 when not returned), the
    adapted similarity's distance below the best one, the BM25 score as a share of the best, both
    log ranks (a paragraph a retriever did not return counted one past both lists), and the
    question memory's vote for it as a share of the best vote, and whether it got one (0 without
    ``votes``: the same for every paragraph, so no ranking changes)."""
    votes = votes or {}
    top_vote = max(votes.values(), default=0.0) or 1.0
    missing = len(bm) + len(de) + 1
    bm_rank = {pid: i for i, (pid, _) in enumerate(bm, 1)}
    de_rank = {pid: i for i, (pid, _) in enumerate(de, 1)}
    bm_score = dict(bm)
    sims = {pid: sim for (pid, _), sim in zip(de, steered, strict=True)}
    top_sim, floor_sim = (steered[0], steered[-1]) if steered else (0.0, 0.0)
    top_bm = bm[0][1] if bm and bm[0][1] > 0 else 1.0
    pids = list(dict.fromkeys([pid for pid, _ in bm] + [pid for pid, _ in de]))
    rows = [[1.0 / (FEATURE_RRF_K + de_rank[pid]) if pid in de_rank else 0.0,
             1.0 / (FEATURE_RRF_K + bm_rank[pid]) if pid in bm_rank else 0.0,
             sims.get(pid, floor_sim) - top_sim,  # not returned: at most the last one returned
             bm_score.get(pid, 0.0) / top_bm,
             math.log1p(de_rank.get(pid, missing)),
             math.log1p(bm_rank.get(pid, missing)),
             votes.get(pid, 0.0) / top_vote,
             float(pid in votes)] for pid in pids]
    return pids, np.asarray(rows, dtype=np.float64).reshape(len(pids), len(FUSION_FEATURES))


class LearnedFusion:
    """A linear score over ``fusion_features``, learned (``scripts/train_fusion.py``) from read
    question sets as a logistic model of "this paragraph answers the question".

    Reciprocal rank fusion is blind to scores and weighs both lists alike: once the query adapter
    made the dense ranking the stronger one for a practitioner's story, a gold paragraph the dense
    search put in its top five was often pushed out of the fused top five by paragraphs BM25 liked
    for a story's incidental words. The learned weights read how far each list trusts a paragraph
    (its rank, and how close its score is to the best) and the question memory's votes (below),
    nothing of the corpus itself, so a document added later is fused the same way.

    Two sets of weights: one read with the memory's votes, one learned without them (``alone``),
    for questions the memory is silent on (``Retriever._votes``). Weights learned with votes trust
    the searches less than ones learned without: used without votes, they lost 3 of the Protocol's
    353 questions at 5 and 5 at 10."""

    def __init__(self, path: Path) -> None:
        spec = json.loads(path.read_text(encoding="utf-8"))
        if tuple(spec["features"]) != FUSION_FEATURES:
            raise ValueError(f"{path.name} was learned on other features: retrain it")
        self.voted = self._linear(spec)
        self.alone = self._linear(spec.get("alone", spec))

    @staticmethod
    def _linear(spec: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(mean, scale, weights) of one linear score."""
        mean, scale, weights = (np.asarray(spec[key], dtype=np.float64) for key in ("mean", "scale", "weights"))
        return mean, scale, weights

    def scores(self, bm: list[tuple[str, float]], de: list[tuple[str, float]],
               steered: list[float], votes: dict[str, float] | None = None) -> dict[str, float]:
        """Each returned paragraph's fused score (higher first)."""
        pids, rows = fusion_features(bm, de, steered, votes)
        mean, scale, weights = self.voted if votes else self.alone
        return dict(zip(pids, (((rows - mean) / scale) @ weights).tolist(), strict=True))


class QuestionMemory:
    """The read question sets' answerable questions, as embeddings, each with the paragraphs that
    answer it; a new question's nearest ``k`` (by the adapted embedding) vote for their paragraphs,
    each vote its cosine similarity, for the learned fusion to read.

    Practitioners ask about the same paragraphs in ever new words: a story of papers kept by a
    boss is near earlier stories whose answers were found, though far from the paragraph's own
    words. Only paragraphs the searches returned are scored, so the memory reorders, never adds; a
    paragraph no read question was answered by (a document added later) gets no vote, and its
    place comes from the searches as before. Nothing of a question's text is kept."""

    def __init__(self, vectors: np.ndarray, gold: list[list[str]], k: int) -> None:
        self.vectors = vectors.astype(np.float32)
        self.gold = gold
        self.k = min(k, len(gold))
        self._documents: frozenset[str] | None = None

    def documents(self, passages: dict[str, Passage]) -> frozenset[str]:
        """The documents among ``passages`` (an index version's, the one this memory serves) whose
        paragraphs the memory holds as answers; worked out once."""
        if self._documents is None:
            gold = {pid for pids in self.gold for pid in pids}
            self._documents = frozenset(passages[pid].document_id for pid in gold if pid in passages)
        return self._documents

    @classmethod
    def load(cls, path: Path, adapt: Callable[[np.ndarray], np.ndarray]) -> QuestionMemory:
        """The memory a weights file holds (plain embeddings), read through the query adapter."""
        spec = json.loads(path.read_text(encoding="utf-8"))
        plain = np.frombuffer(base64.b64decode(spec["vectors"]), dtype=np.float16).reshape(-1, spec["dim"])
        return cls(np.vstack([adapt(v) for v in plain.astype(np.float32)]), spec["gold"], spec["k"])

    def votes(self, vec: np.ndarray) -> dict[str, float]:
        """Paragraph id -> the summed similarity of the nearest questions it answered."""
        if not self.k:
            return {}
        # (einsum, not ``@``: a matrix this tall goes to BLAS's thread pool, whose threads wake
        # slowly after the ONNX embedder's run — 3 ms a search, against 0.1 ms in this thread)
        sims = np.einsum("ij,j->i", self.vectors, vec)
        out: dict[str, float] = {}
        for j in np.argsort(-sims, kind="stable")[:self.k]:
            for pid in self.gold[j]:
                out[pid] = out.get(pid, 0.0) + max(0.0, float(sims[j]))
        return out


def load_memory(settings: Settings, adapt: Callable[[np.ndarray], np.ndarray] | None) -> QuestionMemory | None:
    """The question memory when enabled and shipped with the learned fusion (read by ``adapt``)."""
    path = settings.memory_file()
    return QuestionMemory.load(path, adapt) if path and adapt is not None else None


def load_fusion(settings: Settings) -> LearnedFusion | None:
    """The learned fusion when enabled and shipped for the embedder with its query adapter."""
    path = settings.fusion_file()
    return LearnedFusion(path) if path else None


def _by_rank(pids: list[str], hits: list[Hit]) -> list[str]:
    """``pids`` in the order ``hits`` ranks them, those it does not rank after in their own order."""
    rank = {h.passage.id: i for i, h in enumerate(hits)}
    return sorted(pids, key=lambda pid: rank.get(pid, len(hits)))


def _best_after(hits: list[Hit], found: list[Hit], at: int) -> list[Hit]:
    """``hits`` with the best ``NOTION_PASSAGES`` of ``found`` — a second search's, for a story's
    notion or for what it asks — right after the first ``at``, unless already among the first
    ``at + NOTION_PASSAGES``."""
    placed = {h.passage.id for h in hits[:at + NOTION_PASSAGES]}
    return _spliced(hits, [h for h in found[:NOTION_PASSAGES] if h.passage.id not in placed], at)


def _spliced(hits: list[Hit], extra: list[Hit], at: int) -> list[Hit]:
    """``hits`` with ``extra`` moved (or added) right after the first ``at`` of the others."""
    ids = {h.passage.id for h in extra}
    rest = [h for h in hits if h.passage.id not in ids]
    return rest[:at] + extra + rest[at:]


def _agreed_first(fused: list[Hit], reordered: list[Hit]) -> list[Hit]:
    """``reordered`` (a named document's or a referenced paragraph's hits put first), but with the
    paragraph both rankers put first still first: that is what the question is about, whichever
    document it is in. A sentence pasted to find its source may name another document ("the
    Working Group was unable to…", "(CTOC/COP/2020/CRP.2, para. 1)")."""
    if not fused or fused[0].bm25_rank != 1 or fused[0].dense_rank != 1:
        return reordered
    top = fused[0]
    return [top, *(h for h in reordered if h.passage.id != top.passage.id)]


def _article_together(hits: list[Hit], bm25_rank: int) -> list[Hit]:
    """``hits`` with the other paragraphs of the first hit's article (same document, same article
    heading) right after it, when BM25 ranks them within ``bm25_rank``: the article is the provision
    a lawyer reads, and its paragraphs the question's words reach belong with the one ranked first."""
    if not hits or hits[0].passage.label_kind != "article":
        return hits
    top = hits[0].passage
    siblings = [h for h in hits[1:] if h.passage.label_kind == "article" and h.passage.document_id == top.document_id
                and h.passage.section_path == top.section_path and (h.bm25_rank or bm25_rank + 1) <= bm25_rank]
    ids = {h.passage.id for h in siblings}
    return [hits[0], *siblings, *(h for h in hits[1:] if h.passage.id not in ids)]


# Numbered provisions whose paragraphs share one heading ("Article 8 – Measures against the
# smuggling of migrants by sea", "Guideline 6: Protection and support…"): one provision each.
PROVISION_KINDS = ("article", "guideline")


def _provisions_spread(hits: list[Hit], cap: int, window: int) -> list[Hit]:
    """``hits`` with at most ``cap`` paragraphs of one provision among the first ``window``; the
    others follow right after them, in their order. A treaty's article on one subject (seven
    paragraphs of article 8 on vessels) shares its words with every question on that subject and
    would fill the first five, where the provision that answers ("may the boarding State endanger
    the cargo?", art. 9) ranked sixth to tenth."""
    first: list[Hit] = []
    later: list[Hit] = []
    taken: dict[tuple[str, ...], int] = {}
    for h in hits:
        p = h.passage
        # (a paragraph with no heading over it is a provision of its own, not one of a document-wide group)
        key = (p.document_id, *p.section_path) if p.label_kind in PROVISION_KINDS and p.section_path else (p.id,)
        if len(first) < window and taken.get(key, 0) < cap:
            taken[key] = taken.get(key, 0) + 1
            first.append(h)
        else:
            later.append(h)
    return first + later


def _verbatim_first(extract: str, hits: list[Hit]) -> list[Hit]:
    """The candidates whose text holds a pasted extract word for word come first: a drafter who
    pastes a sentence, or its first words, wants its paragraph, which ranks first for it only most of
    the time (a sentence naming another document, a list item the slides quote too)."""
    # its longest plain word first, in the raw text: cheap, and few candidates pass it
    probe = max(re.findall(r"[a-z0-9]+", extract) or [""], key=len)
    exact = [h for h in hits if probe in h.passage.text.lower() and extract in for_matching(h.passage.text)]
    if not exact:
        return hits
    ids = {h.passage.id for h in exact}
    return exact + [h for h in hits if h.passage.id not in ids]


def fuse_hits(lists: list[list[Hit]], k: int, rrf_k: int = 60) -> list[Hit]:
    """Reciprocal-rank fusion of ranked hit lists (e.g. a follow-up searched with and without its
    context); each passage keeps the hit object of its first list."""
    score: dict[str, float] = {}
    first: dict[str, Hit] = {}
    for ranked in lists:
        for rank, h in enumerate(ranked, 1):
            pid = h.passage.id
            score[pid] = score.get(pid, 0.0) + 1.0 / (rrf_k + rank)
            first.setdefault(pid, h)
    order = sorted(score, key=lambda pid: -score[pid])[:k]
    return [first[pid].model_copy(update={"score": score[pid]}) for pid in order]


# How many other words may come between the words of a term the texts use ("period of reflection").
TERM_SLACK = 3


def _near(words: list[str], texts: list[list[str]]) -> bool:
    """Does one of ``texts`` (token lists, each holding every word) have all ``words`` within
    ``TERM_SLACK`` extra tokens of each other?"""
    need = set(words)
    span = len(words) + TERM_SLACK
    return any(need <= set(toks[i:i + span]) for toks in texts for i, t in enumerate(toks) if t in need)


def _defines_in(term: str, text: str) -> bool:
    """Does one sentence of ``text`` define ``term``?"""
    return any(defines(term, sentence) for sentence in split_sentences(text))
