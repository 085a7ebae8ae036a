"""What a loader noticed while turning a file into text, for the recognition report of ``add``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class LoadNotes:
    """Counts a loader fills in; every field is reported when non-zero."""

    format: str = ""
    symbol: str = ""  # the document symbol given at ``add``: a top-margin line equal to it is a running header
    encoding: str = ""
    pages: int = 0
    encrypted: bool = False
    running_lines_removed: int = 0
    running_texts: Counter[str] = field(default_factory=Counter)
    page_numbers_removed: int = 0
    footnotes: int = 0
    joined_across_pages: int = 0
    two_column_pages: int = 0
    chrome_removed: int = 0
    tracked_insertions: int = 0
    tracked_deletions: int = 0
    numbered_by_list_markup: int = 0
    chars: int = 0
    # What the file declares about itself outside its text (an HTML page's <title>, its "Symbol" /
    # "Date" meta box): read by ``ingest.metadata`` before the chrome holding it is dropped.
    declared: dict[str, str] = field(default_factory=dict)
