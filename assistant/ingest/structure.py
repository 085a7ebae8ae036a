"""The structural model of legal and UN documents: which unit a paragraph is, and how it is cited.

Units and their labels (UN editorial practice; the document name comes from the manifest symbol):
- numbered paragraphs of reports, general recommendations and resolutions: "para. 12";
- articles of treaties: "art. 6" (unnumbered paragraph), "art. 6(3)" (numbered paragraph);
- preambular paragraphs: "preamble, para. 3";
- Principle N, Recommendation N, Guideline N and its numbered measures "Guideline 9.3";
- unnumbered prose: "§Section title, ¶n" (section and ordinal);
- sub-paragraphs "(a)" / "a)" and items "(i)" inside any of these: "art. 6(1)(b)(ii)",
  "para. 16 (b)", "Guideline 9.3 (a)".
A label is built whole and never truncated.
"""

from __future__ import annotations

import re

ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}
RE_PLURAL_PRINCIPLES = re.compile(r"\bprinciples\b", re.I)
RE_PREAMBLE_OPENING = re.compile(
    r"^(?:The|We,?)\s+\w[^.;:]{2,240}(?:hereto|Protocol|Convention|Covenant|Charter|Agreement|Parties|"
    r"Council|Assembly|Committee|Commission|States),$|^(?:The\s+)?(?:General Assembly|Human Rights Council|"
    r"Security Council|Economic and Social Council|Conference of the Parties)\b[^.;:]{0,120},$"
)
# "Have agreed as follows:" / "Hereby agree as follows:" — the line that closes a treaty's preamble.
RE_PREAMBLE_CLOSING = re.compile(r"^(?:(?:Have|Hereby|Do hereby)\s+)?(?:agreed?|resolved?|decided?)\s+as\s+follows\s*:$",
                                 re.I)


def roman_value(text: str) -> int:
    """The value of a lower-case Roman numeral, or 0 if ``text`` is not one."""
    if not text or any(c not in ROMAN for c in text):
        return 0
    total = 0
    for i, c in enumerate(text):
        v = ROMAN[c]
        total += -v if i + 1 < len(text) and ROMAN[text[i + 1]] > v else v
    return total if 0 < total < 40 else 0


def letter_value(text: str) -> int:
    """1 for "a", 26 for "z", 27 for "aa" (the UN doubles letters after z); 0 otherwise."""
    if len(text) == 1 and text.isalpha():
        return ord(text) - ord("a") + 1
    if len(text) == 2 and text[0] == text[1] and text.isalpha():
        return 26 + ord(text[0]) - ord("a") + 1
    return 0


class SubItemLevels:
    """Decides whether "(i)" is the ninth letter or the first Roman item, and tracks nesting."""

    def __init__(self) -> None:
        self.letter = 0
        self.roman = 0
        self.top_roman = False
        self.path: list[str] = []

    def place(self, marker: str) -> list[str]:
        """The path of ``marker`` given the markers seen before it in the same paragraph."""
        lv, rv = letter_value(marker), roman_value(marker)
        if self.top_roman or (not self.path and rv == 1):
            self.top_roman = True  # "(i), (ii) …" directly under the paragraph
            self.path = [marker] if rv or not self.path else [self.path[0], marker]
            return list(self.path)
        as_roman = bool(rv) and (
            (self.roman > 0 and rv == self.roman + 1)
            or (rv == 1 and not (lv == self.letter + 1 and self.roman == 0))
            or not lv
        )
        if as_roman and self.letter:
            self.roman = rv
            self.path = [self.path[0], marker]
        else:
            self.letter = lv or rv
            self.roman = 0
            self.path = [marker]
        return list(self.path)


def sub_item_label(parent_label: str, kind: str, path: list[str]) -> str:
    """ "art. 6(1)" + ["b", "ii"] -> "art. 6(1)(b)(ii)"; "para. 16" + ["b"] -> "para. 16 (b)"."""
    if kind == "article":
        return parent_label + "".join(f"({p})" for p in path)
    return parent_label + " " + " ".join(f"({p})" for p in path)


def article_label(number: str, paragraph: str = "") -> str:
    """ "art. 6" or "art. 6(3)"."""
    return f"art. {number}" + (f"({paragraph})" if paragraph else "")


def is_preamble_opening(text: str) -> bool:
    """ "The States Parties to this Protocol," / "The General Assembly," — the line a preamble opens with."""
    return bool(RE_PREAMBLE_OPENING.match(" ".join(text.split())))


def is_preamble_closing(text: str) -> bool:
    """ "Have agreed as follows:" — the enacting formula that ends a treaty's preamble."""
    return bool(RE_PREAMBLE_CLOSING.match(" ".join(text.split())))


def slug(text: str) -> str:
    """A stable id fragment."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "x"
