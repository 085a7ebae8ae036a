"""The recognition report of ``tipguide add``: what structure was found, what was removed as page
furniture, and how much of the text landed in citable passages — with a loud warning when some
could not be placed."""

from __future__ import annotations

import re
from collections import Counter

from assistant.ingest.parser import ParseResult
from assistant.models import Passage

KIND_NAMES = {
    "article": "Articles", "para": "paragraphs", "operative": "operative paragraphs",
    "preamble": "preamble", "principle": "Principles", "guideline": "Guidelines",
    "recommendation": "Recommendations", "ordinal": "unnumbered paragraphs (cited by section)",
}
PLACED_WARN = 0.97


def _number(label: str) -> int | None:
    m = re.search(r"\d+", label)
    return int(m.group(0)) if m else None


def _range(passages: list[Passage]) -> str:
    numbers = sorted({n for p in passages if (n := _number(p.label)) is not None})
    if not numbers:
        return ""
    return f"{numbers[0]}–{numbers[-1]}" if len(numbers) > 1 else str(numbers[0])


def _units(result: ParseResult) -> list[str]:
    by_kind: dict[str, list[Passage]] = {}
    for p in result.passages:
        by_kind.setdefault(p.label_kind, []).append(p)
    parts = []
    for kind, items in by_kind.items():
        subs = sum(len(p.sub_items) for p in items)
        sub_text = f", {subs} sub-items" if subs else ""
        if kind == "article":
            arts = sorted({p.label.split("(")[0] for p in items}, key=lambda x: _number(x) or 0)
            parts.append(f"Articles {_range(items)} ({len(arts)} articles, {len(items)} paragraphs{sub_text})")
        elif kind == "preamble":
            numbered = [p for p in items if p.label.rstrip().endswith(tuple("0123456789"))]
            n = len(numbered)  # the enacting formula is not one of them
            parts.append(f"preamble {n} paragraph{'' if n == 1 else 's'}")
        elif kind in ("ordinal",):
            parts.append(f"{len(items)} {KIND_NAMES[kind]}{sub_text}")
        elif kind in ("para", "operative"):
            parts.append(f"{KIND_NAMES[kind]} {_range(items)} ({len(items)}{sub_text})")
        else:
            parts.append(f"{KIND_NAMES.get(kind, kind)} {_range(items)} ({len(items)}{sub_text})")
    return parts


def is_prose(text: str) -> bool:
    """A sentence-like block (eight words or more, ending a sentence) rather than a masthead line,
    a date or an entry of the contents."""
    return len(text.split()) >= 8 and text.rstrip().endswith((".", ":", ";", "!", "?", ",", "”", '"'))


def placed_share(result: ParseResult) -> float:
    """Share of the body text that is in a passage: prose left as front matter and footnotes that
    cite no passage count as not placed; masthead and contents lines do not count."""
    placed = sum(len(p.text) for p in result.passages)
    unplaced = sum(len(t) for t in result.front_matter if is_prose(t))
    unplaced += sum(len(t) for t in result.unattached_footnotes)
    return placed / max(placed + unplaced, 1)


def recognition_report(result: ParseResult) -> tuple[str, list[str]]:
    """(one summary line, warnings) for a parsed document."""
    notes = result.notes
    parts = _units(result)
    removed = []
    if notes.running_lines_removed:
        texts = ", ".join(f"“{t}”" for t, _ in Counter(notes.running_texts).most_common(2))
        removed.append(f"running header/footer {texts} ({notes.running_lines_removed} lines)")
    if notes.page_numbers_removed:
        removed.append(f"{notes.page_numbers_removed} page/job numbers")
    if notes.chrome_removed:
        removed.append(f"{notes.chrome_removed} site navigation/chrome elements")
    if removed:
        parts.append("removed " + " and ".join(removed))
    attached = sum(len(p.footnotes) for p in result.passages)
    if attached:
        parts.append(f"{attached} footnotes attached")
    if notes.joined_across_pages:
        parts.append(f"{notes.joined_across_pages} paragraphs joined across page breaks")
    if notes.two_column_pages:
        parts.append(f"{notes.two_column_pages} two-column pages")
    if notes.tracked_insertions or notes.tracked_deletions:
        parts.append(f"tracked changes accepted ({notes.tracked_insertions} insertions, "
                     f"{notes.tracked_deletions} deletions)")
    if notes.encoding and notes.encoding not in ("utf-8", "ascii"):
        parts.append(f"encoding {notes.encoding}")
    share = placed_share(result)
    skipped = [t for t in result.front_matter if not is_prose(t)]
    if skipped:
        parts.append(f"{len(skipped)} masthead/contents lines not cited")
    parts.append(f"{share * 100:.1f} % of the text placed")
    warnings = []
    if result.unattached_footnotes:
        warnings.append(f"{len(result.unattached_footnotes)} footnotes cite no passage: "
                        + "; ".join(result.unattached_footnotes[:3]))
    if share < PLACED_WARN:
        front = " | ".join(t[:60] for t in result.front_matter if is_prose(t))
        warnings.append(f"only {share * 100:.1f} % of the text is in citable passages; not placed "
                        f"(front matter): {front}")
    return ", ".join(parts), warnings
