"""LangChain adapters (retrieval side): our embedder as ``Embeddings`` and our hybrid retriever as a
``BaseRetriever``, so tipguide plugs into any LangChain chain. Chat models are wrapped in
``assistant.llm_adapter``."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LcDocument
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.embed import Embedder
from assistant.models import Filters


class LcEmbeddings(Embeddings):
    """LangChain ``Embeddings`` over a tipguide embedder (MiniLM offline, or the hash fake)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [list(map(float, v)) for v in self.embedder.embed(list(texts))]

    def embed_query(self, text: str) -> list[float]:
        return list(map(float, self.embedder.embed([text])[0]))


class TipguideRetriever(BaseRetriever):
    """Hybrid paragraph retrieval as a LangChain retriever; metadata carries the citation."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Any
    k: int = 10
    filters: Filters | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[LcDocument]:
        hits = self.retriever.search(query, k=self.k, filters=self.filters)
        return [
            LcDocument(
                page_content=h.passage.text,
                metadata={"passage_id": h.passage.id, "document_id": h.passage.document_id,
                          "citation": h.citation, "score": h.score, "bm25": h.bm25, "dense": h.dense},
            )
            for h in hits
        ]
