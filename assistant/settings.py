"""All configuration in one pydantic Settings object: ``TIPGUIDE_*`` env vars, overridden by CLI flags.

The whole settings object (prompts included) is hashed (``answer_hash``) and stamped on every answer
and index manifest, so an evaluation run can be reproduced and a stale index noticed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent

# Environment that keeps every library offline; applied before any heavy import.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
    "LANGCHAIN_TRACING_V2": "false",
    "LANGSMITH_TRACING": "false",
}


class Settings(BaseSettings):
    """Every knob of the pipeline, grouped by stage."""

    model_config = SettingsConfigDict(env_prefix="TIPGUIDE_", extra="ignore")

    # --- where things live
    corpus_dir: Path = REPO_ROOT / "corpus"
    data_dir: Path = REPO_ROOT / "data"
    prompts_dir: Path = REPO_ROOT / "prompts"

    # --- ingest
    max_file_mb: float = 50.0
    parse_timeout_s: float = 60.0

    # --- index
    embedder: str = Field(default="minilm", description="minilm | hash (deterministic fake for tests)")
    embed_batch_size: int = 16  # onnxruntime on 2 cores: 700 windows in 8.4 s at 16, 13.9 s at 64 (padding)
    embed_window_words: int = 60  # sentence windows stay well under MiniLM's 256 word pieces
    embed_paragraph_head: bool = False  # dev split: no clear gain, +30 % embedding time
    embed_context_header: bool = False  # dev split: a "title — section:" prefix lowered dense recall@10 0.90 -> 0.82
    # A treaty paragraph ("Each State Party agrees to facilitate … the return of a person …") says
    # what it is about only in its article's title: one more vector, "Article 18 – Return of smuggled
    # migrants: <first window>", for paragraphs under a titled article, principle or guideline.
    embed_provision_titles: bool = True
    chroma_url: str = Field(default="", description="http://host:port of a `chroma run` server; empty = embedded")
    chroma_collection_prefix: str = "tipguide"

    # --- retrieve
    k: int = 10
    # Questions' embeddings pass through the linear adapter learned for the embedder
    # (``assistant/weights``, ``scripts/train_query_adapter.py``) before the dense search.
    query_adapter: bool = True
    # Both retrievers' lists are fused by the model learned on the adapted dense ranking
    # (``retrieve.LearnedFusion``, ``scripts/train_fusion.py``) where one is shipped; else, and with
    # this off, by the reciprocal rank fusion below.
    learned_fusion: bool = True
    # The learned fusion also reads which paragraphs answered the read question sets' questions
    # nearest this one (``retrieve.QuestionMemory``, shipped with the fusion); off: no paragraph gets
    # a vote, and the fusion ranks by the searches alone.
    question_memory: bool = True
    # The memory stays silent for a question when either search puts a paragraph of a document it
    # knows nothing of among its first this many (``Retriever._votes``).
    memory_silent_top: int = 5
    # ... and when both searches put the same paragraph first (``Retriever._votes``).
    memory_silent_agreed: bool = True
    candidates: int = 50
    # Up to this many embedded windows, unfiltered dense search scores every window exactly from the
    # vectors each version keeps in memory rather than asking Chroma's HNSW graph: HNSW is approximate
    # and its graph depends on insertion threads, so near ties ranked differently between runs (a CI
    # run did). The scan costs ~3 ms at 20k windows; at 50k synthetic paragraphs whole searches took
    # 32 / 43 ms p50 / p95 against 21 / 27 ms through HNSW at 100k (`python -m assistant.bench`).
    exact_dense_max_windows: int = 20_000
    # Plain reciprocal rank fusion (k=60, equal weights). On the dev split it beat the alternatives
    # tried once windows were embedded without a context header (see README, Evaluation).
    rrf_k: int = 60
    bm25_weight: float = 1.0
    dense_weight: float = 1.0
    # BM25's first paragraph leads the fusion when its score is at least this many times the
    # second's (0: off): words only it carries ("equally authentic") are plain evidence that
    # reciprocal ranks, blind to scores, drop behind paragraphs both rankers half like. Over every
    # set's 1,814 questions, 1.5 put a gold paragraph in the top 5 six times more (1.3 the same, one
    # wrong refusal; 1.7 two), on the added Protocol's 76 three more.
    bm25_margin_first: float = 1.5
    use_synonyms: bool = True
    # The other paragraphs of the article the first paragraph belongs to follow it when BM25 ranks
    # them within this many (0: off): a treaty's article is one provision, and a question matching
    # "Each State Party shall … establish as criminal offences" (art. 6(1)) often asks about the
    # attempts of art. 6(2). On the added Protocol's 75 single questions, 62 -> 65 with gold in the
    # top 5 (64 -> 66 in the top 10); the seed texts have no articles.
    article_siblings_bm25_rank: int = 20
    # At most this many paragraphs of one article (or guideline) among the first
    # ``provision_cap_window`` (0: off; ``retrieve._provisions_spread``). On the instrument sets'
    # 407 answerable questions (the Protocol added), gold in the first five 344 -> 351 (9 up, 2
    # down; 1: 343, 3: 349); the seed sets' 3,950 questions unchanged (their guidelines never fill
    # the first five).
    provision_cap: int = 2
    provision_cap_window: int = 5
    # A story told in lay words ("he has my passport, I'm not police — what should people like me
    # do?") is also searched by the texts' words for the notion it describes (``text.lay_notions``:
    # "presumption victim identification screening"), and that search's best two paragraphs go in
    # after this many of the story's own (0: off). The story's own words otherwise outweigh the
    # notion's few added BM25 words, and the identification paragraphs ranked past 10. Over every
    # set's 2,354 questions, gold in the top 5 1,164 -> 1,177 (at 3: 1,175; at 4: 1,172; fused by
    # reciprocal rank instead: 1,167, top 10 down 6), top 10 1,290 -> 1,294, no refusal changed.
    notion_search_at: int = 2
    # A story told before the question ("…The cousin has no papers. Would they have been smugglers
    # too?") is also searched by what it asks alone (``text.asked_after_story``), and that search's
    # best two paragraphs go in after this many of the whole message's (0: off): the story's own
    # words (a bar, a footbridge, hostels turning guests away) otherwise outweigh what is asked.
    # After 4 rather than 2: the same gains (instrument questions in the top 10 527 -> 531 of 569),
    # and the four best paragraphs, which the checks of an answer's evidence read, as they were.
    asked_search_at: int = 4
    # A question naming documents by their kind ("the toolkit", "the 2023 slides") gets each named
    # document's best paragraphs first (``Retriever._named_first``).
    route_named_documents: bool = True
    # A question naming an instrument's provision by its title's words ("the return article", "the
    # saving clause", "the article on border measures") gets that provision's best two paragraphs
    # first (``Retriever.named_provisions``).
    named_provisions_first: bool = True
    # A question asking whether or where a text mentions something ("does the Protocol mention
    # customs anywhere?", "list every place in it that mentions children") gets the paragraphs of
    # the named text (of every text, when it names none) that hold its words first, best ranked
    # first, up to three (``Retriever._mentioning_first``).
    mentions_first: bool = True
    # A question asking for a term's definition gets the paragraphs that define it first.
    definitions_first: bool = True
    # A question that names a paragraph by its label ("what does para 12 of the 2022 paper say",
    # "Recommendation 13") gets that paragraph first, in scope, and quoted first; one that asks what a
    # named document is about ("summarise the toolkit"), the paragraphs that best stand for it.
    references_first: bool = True
    # Words a question misspells are read as the corpus word they misspell ("traficking", "UNDOC"),
    # and the answer says so (``text.Speller``); words the texts or English know are left alone.
    spelling: bool = True
    max_query_chars: int = 2000

    # --- answer
    # 240 words / 8 sentences rather than 180 / 6: key points conveyed rose on every question set
    # (practitioners' dev 0.55 -> 0.62, curated dev 0.73 -> 0.77), answers citing gold on most.
    answer_words: int = 240
    max_sentences: int = 8
    # Sentences are chosen from the best 10 paragraphs — all that `k` retrieves (8 before: answers
    # citing gold rose on the practitioners' dev split 0.70 -> 0.74, equal or better on every other set).
    answer_passages: int = 10
    # At most this many sentences of one paragraph (items of a list its sentence introduces aside):
    # without a cap one long paragraph could fill the answer, and the paragraph that answers a second
    # part of the question was left out (answers citing gold, practitioners3 0.76 -> 0.79, practitioners4
    # 0.58 -> 0.64; key points equal on the dev splits).
    paragraph_sentences: int = 3
    # …and every paragraph but the best sentence's at most this many (empty: ``paragraph_sentences``):
    # the answer goes on to the next paragraph sooner. Over practitioners60-79 (`tipguide eval`, blind
    # split) key points 0.331 -> 0.336 and answers citing gold 0.917 -> 0.925 (2 for every paragraph:
    # 0.322, 0.932); over every read set's 5,210 questions citing gold 2,528 -> 2,540 of 2,678
    # answered, the instrument sets' 493 -> 495 of 602; two near misses of 963 answered.
    other_paragraph_sentences: int | None = 2
    # A story told in lay words is answered in the texts' words for the notion it describes
    # (``text.lay_notions``): a sentence using them gains this much, times the share of those words
    # it uses (IDF-weighted), in the choice of sentences (not in its relevance badge). At 0.2, over
    # 14 practitioners' sets, key points 0.251 -> 0.255 and answers citing gold 0.726 -> 0.747; over
    # every set's 2,474 questions citing gold 1,149 -> 1,160 (0.3: 1,162, shorter answers).
    notion_sentence_weight: float = 0.2
    refuse_threshold: float = 0.30
    # Off-topic gate: a question whose best window similarity + similarity to the corpus centroid is
    # below this is declined. Empty = the value calibrated for the configured embedder (DOMAIN_GATE).
    domain_threshold: float | None = None
    # A question closer to a neighbouring subject the texts do not cover (prompts/neighbouring_fields.txt)
    # than to the best passage window, by more than this, is off-topic. Empty = the embedder's value.
    neighbour_margin: float | None = None
    # Relevance badges of extractive sentences ("direct" / "related" / "background"), set on dev.
    relevance_direct: float = 0.45
    relevance_related: float = 0.33
    llm: Literal["", "local"] = Field(default="", description="'local' = the chat model shipped on PyPI, served in-process")
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: SecretStr = SecretStr("")
    llm_timeout_s: float = 30.0  # one wall-clock deadline per answer: connect, first token, stream
    llm_max_tokens: int = 256  # output cap, sent to the server and enforced on the stream
    llm_context_tokens: int = 3000
    llm_source_sentences: int = 12  # numbered source sentences the model picks from
    llm_max_quotes: int = 4
    llm_json_schema: bool = True  # ask for the reply schema (llama.cpp grammar, vLLM guided decoding)
    llm_local_model: str = "qwen2.5-coder-0.5b-instruct"
    llm_local_threads: int = 2
    llm_breaker_failures: int = 3  # failures in a row before the server is skipped
    llm_breaker_cooldown_s: float = 60.0

    # --- verify
    support_threshold: float = 0.55
    weak_threshold: float = 0.35

    # --- serve
    host: str = "127.0.0.1"
    port: int = 7860
    max_question_chars: int = 2000
    concurrency: int = 4
    # The conversation itself lives in the browser (ui.conversation); Gradio still keeps each
    # session's last component values, capped at this many sessions (the oldest go first).
    max_sessions: int = 1000
    # "Add a document" in the browser: off by default; turn it on only where every user of the
    # deployment may change the corpus.
    ui_allow_upload: bool = False

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with the given non-None values replaced (how CLI flags win over env vars)."""
        clean = {k: v for k, v in overrides.items() if v is not None}
        return self.model_copy(update=clean)

    @property
    def index_dir(self) -> Path:
        """Root of the versioned index (``current`` points at the live version)."""
        return self.data_dir / "index"

    @property
    def passages_path(self) -> Path:
        """Where ``tipguide ingest`` writes the passages JSONL."""
        return self.data_dir / "passages.jsonl"

    @property
    def effective_domain_threshold(self) -> float:
        """The off-topic gate's bar: the configured one, else the embedder's calibrated value."""
        if self.domain_threshold is not None:
            return self.domain_threshold
        return DOMAIN_GATE.get(self.embedder, 0.0)

    @property
    def effective_neighbour_margin(self) -> float | None:
        """The neighbouring-subject gate's margin: the configured one, else the embedder's calibrated
        value (None: no such gate)."""
        return self.neighbour_margin if self.neighbour_margin is not None else NEIGHBOUR_GATE.get(self.embedder)

    @property
    def llm_enabled(self) -> bool:
        """LLM answering is on when a server URL is configured or the local model is chosen."""
        return bool(self.llm_base_url) or self.llm == "local"

    def index_fingerprint(self) -> dict[str, Any]:
        """The settings an index depends on (a change means re-embedding or re-building)."""
        from assistant.text import (
            RE_INSTRUMENT_TYPE,
            RE_PRINTED_PROVISION,
            RE_TITLED_PROVISION,
            STEMMER,
        )

        # which headings get a title vector is part of what is embedded: a changed rule re-embeds
        rules = (RE_TITLED_PROVISION, RE_PRINTED_PROVISION, RE_INSTRUMENT_TYPE)
        titles = " | ".join(r.pattern for r in rules) if self.embed_provision_titles else False
        return {"embedder": self.embedder, "embed_window_words": self.embed_window_words,
                "embed_paragraph_head": self.embed_paragraph_head,
                "embed_context_header": self.embed_context_header,
                "embed_provision_titles": titles, "stemmer": STEMMER}

    def answer_hash(self) -> str:
        """Short hash of the *whole* settings object plus the text of every prompt file; stamped on
        every ``Answer`` so a run can be reproduced from it. Only what cannot travel between
        machines is left out: the API key (a secret; whether one is set is hashed) and where
        folders are on this disk (the prompts' *contents* are hashed instead of their folder)."""
        data = self.model_dump(mode="json", exclude=set(HASH_EXCLUDED))
        data["llm_api_key_set"] = bool(self.llm_api_key.get_secret_value())
        data["prompts"] = {f.name: f.read_text(encoding="utf-8", errors="replace")
                           for f in sorted(self.prompts_dir.glob("*.txt"))} if self.prompts_dir.is_dir() else {}
        adapter = self.query_adapter_file()
        data["query_adapter_sha256"] = file_digest(adapter) if adapter else None
        fusion = self.fusion_file()
        data["fusion_sha256"] = file_digest(fusion) if fusion else None
        memory = self.memory_file()
        data["memory_sha256"] = file_digest(memory) if memory else None
        blob = json.dumps(data, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:12]

    def query_adapter_file(self) -> Path | None:
        """The query adapter's weights in use (None when off or none is shipped for the embedder):
        its bytes change rankings, so they are part of the answer hash."""
        return _shipped_weights(f"query_adapter.{self.embedder}.npy") if self.query_adapter else None

    def fusion_file(self) -> Path | None:
        """The learned fusion's weights in use: None when off, or when no query adapter is in use
        (it was learned on the adapted dense ranking), or none is shipped for the embedder."""
        on = self.learned_fusion and self.query_adapter_file() is not None
        return _shipped_weights(f"fusion.{self.embedder}.json") if on else None

    def memory_file(self) -> Path | None:
        """The question memory the learned fusion reads: None when off, or without a learned fusion."""
        on = self.question_memory and self.fusion_file() is not None
        return _shipped_weights(f"memory.{self.embedder}.json") if on else None


def _shipped_weights(name: str) -> Path | None:
    """``assistant/weights/<name>`` when the package ships it (learned for one embedder only)."""
    path = Path(__file__).parent / "weights" / name
    return path if path.exists() else None


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes, worked out again only when its size or modification time changes
    (the answer hash is stamped on every answer; the query adapter's weights are 590 kB)."""
    stat = path.stat()
    return _digest(str(path), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _digest(path: str, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# Off-topic gate bar per embedder. MiniLM: set on eval/offtopic.jsonl (36 off-topic questions written
# for it: 34 fall below) and the dev splits (every answerable dev question scored >= 0.60). The hash
# embedder used by unit tests carries no meaning, so it has no gate.
DOMAIN_GATE = {"minilm": 0.55}
# Neighbouring-subject margin per embedder. MiniLM, with the 156 subjects shipped: over every question
# set the largest margin of an answerable question is 0.047 (a story of a forged passport); 0.06 keeps
# 0.013 above it (README, "When it declines"); none for the hash embedder.
NEIGHBOUR_GATE = {"minilm": 0.06}

# Fields the answer hash leaves out (see ``Settings.answer_hash``).
HASH_EXCLUDED = ("llm_api_key", "data_dir", "corpus_dir", "prompts_dir")


def apply_offline_env() -> None:
    """Set the offline environment variables unless the user set them explicitly."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
