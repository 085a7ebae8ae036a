"""The one module that wraps LangChain chat models (``langchain_openai`` is imported only here).

Builds a ``ChatOpenAI`` client for any OpenAI-compatible server (vLLM, Ollama, llama.cpp, a hosted
API) from ``Settings``, and checks that the server answers. Retries are off: a server that is down
should fall back to the extractive answer at once, not after several back-offs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.settings import Settings

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

# A placeholder key: llama.cpp and Ollama accept any key, but the OpenAI client refuses none at all.
NO_KEY = "none"


def build_chat_model(settings: Settings) -> BaseChatModel:
    """A streaming ``ChatOpenAI`` for ``settings.llm_base_url``; raises ``ValueError`` if unset."""
    if not settings.llm_base_url:
        raise ValueError("no LLM server configured (TIPGUIDE_LLM_BASE_URL is empty)")
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        base_url=settings.llm_base_url,
        api_key=settings.llm_api_key.get_secret_value() or NO_KEY,  # type: ignore[arg-type]
        model=settings.llm_model or "default",
        timeout=settings.llm_timeout_s,
        max_retries=0,
        streaming=True,
        temperature=0.0,
        # langchain-openai sends max_completion_tokens, which llama.cpp servers ignore (OFFLINE.md);
        # the classic field in the body is honoured by every OpenAI-compatible server we target.
        extra_body={"max_tokens": settings.llm_max_tokens},
    )


def _models_url(base_url: str) -> str:
    return base_url.rstrip("/") + "/models"


def check_health(settings: Settings, timeout_s: float = 5.0) -> bool:
    """True when ``GET <base_url>/models`` answers 200 with JSON within the timeout."""
    if not settings.llm_base_url:
        return False
    import httpx

    key = settings.llm_api_key.get_secret_value() or NO_KEY
    try:
        response = httpx.get(
            _models_url(settings.llm_base_url),
            headers={"Authorization": f"Bearer {key}"},
            timeout=min(timeout_s, settings.llm_timeout_s),
        )
        response.raise_for_status()
        response.json()
    except (httpx.HTTPError, ValueError):
        return False
    return True
