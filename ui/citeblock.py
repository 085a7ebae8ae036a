"""The drafter's "copy cite block": a quotation ready to paste into a draft with its citation.

Format (one block, plain text)::

    “<the whole paragraph, or the selected sentence>”
    <Symbol or short title>, para. N
    <URL, when the document has one>

The browser builds the same block from a user's text selection (see ``ui.app.CITE_JS``); keep the
two in step.
"""

from __future__ import annotations

import re

from assistant.models import Citation, Document, Passage

_WS = re.compile(r"[ \t]+")


def _clean_quote(text: str) -> str:
    """Collapse runs of spaces but keep line breaks, which separate sub-items such as (a), (b)."""
    lines = [_WS.sub(" ", line).strip() for line in text.strip().splitlines()]
    return "\n".join(line for line in lines if line)


def cite_block(quote: str, citation: str, url: str = "") -> str:
    """The block itself, from a quote, the human citation label and an optional URL."""
    parts = [f"“{_clean_quote(quote)}”", citation.strip()]
    if url.strip():
        parts.append(url.strip())
    return "\n".join(parts)


def passage_cite_block(passage: Passage, doc: Document | None, selection: str = "") -> str:
    """Cite block for a passage: the selected sentence if one is given, else the whole paragraph."""
    quote = selection if selection.strip() else passage.text
    return cite_block(quote, passage.citation_label(doc), doc.url if doc else "")


def citation_cite_block(citation: Citation, selection: str = "") -> str:
    """Cite block for a ``Citation`` shown in the chat's source panel."""
    quote = selection if selection.strip() else citation.text
    return cite_block(quote, citation.citation, citation.url)
