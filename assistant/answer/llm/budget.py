"""The token budget: what fits in the model's context going in, and how much may come out.

Counts use tiktoken, which only estimates the server's own tokenizer, so a tenth of the input
budget is held in reserve. The output cap is enforced on our side too: a server that ignores
``max_tokens`` (or rambles through a proxy that drops it) is cut when the streamed text reaches it.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant import tokens

# tiktoken counts only estimate the server's tokenizer (Gemma splits digits one by one, ...).
BUDGET_MARGIN = 0.9
# Output counted here may differ from the server's count: allow a little over before cutting.
OUTPUT_SLACK = 1.25


class TokenBudget:
    """Input room within ``context_tokens`` and the streamed-output cap of ``max_tokens``."""

    def __init__(self, context_tokens: int, max_tokens: int,
                 encoding_name: str = tokens.DEFAULT_ENCODING) -> None:
        self.context_tokens = context_tokens
        self.max_tokens = max_tokens
        self.encoding_name = encoding_name

    def count(self, text: str) -> int:
        """Tokens of ``text`` in the budget's encoding."""
        return tokens.count_tokens(text, self.encoding_name)

    def room(self, *fixed: str) -> int:
        """Tokens left for sources once the fixed parts of the prompt are counted."""
        used = sum(self.count(t) for t in fixed)
        return int(self.context_tokens * BUDGET_MARGIN) - used

    def fit(self, blocks: Sequence[str], room: int) -> int:
        """How many leading ``blocks`` fit in ``room`` tokens (whole blocks only)."""
        return tokens.fit_count(blocks, room, self.encoding_name)

    def trim(self, text: str, room: int) -> str:
        """``text`` cut visibly at a sentence end to fit ``room``; "" if nothing fits."""
        return tokens.trim_to_budget(text, room, self.encoding_name)

    def meter(self) -> OutputMeter:
        """A fresh counter for one streamed reply."""
        return OutputMeter(self)


class OutputMeter:
    """Counts streamed output; ``add`` says when the cap is passed."""

    def __init__(self, budget: TokenBudget) -> None:
        self.budget = budget
        self.used = 0

    def add(self, delta: str) -> bool:
        """Count ``delta``; True once the reply has gone past the cap (plus slack)."""
        self.used += self.budget.count(delta)
        return self.used > self.budget.max_tokens * OUTPUT_SLACK
