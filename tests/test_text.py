"""Text rules of assistant/text.py that questions rely on: sentences as users type them, and the
initials an acronym may stand for."""

from __future__ import annotations

from assistant.text import RE_YEAR, initialisms, is_name_line, typed_sentences


def test_typed_sentences_may_start_in_lower_case_but_not_after_abbreviations() -> None:
    assert typed_sentences("She kept her real one. can she still be charged for that??") == \
        ["She kept her real one.", "can she still be charged for that??"]
    assert typed_sentences("What does art. 6 say? and the B.E. 2551 act") == \
        ["What does art. 6 say?", "and the B.E. 2551 act"]
    assert typed_sentences("one sentence, no stop") == ["one sentence, no stop"]


def test_initialisms_of_capitalised_runs_or_of_any_words() -> None:
    text = "See the National Referral Mechanisms handbook and national action plans."
    assert "nrm" in initialisms(text) and "nap" not in initialisms(text)
    assert "nap" in initialisms(text, capitalised_only=False)


def test_a_line_that_only_names_something_is_not_a_sentence() -> None:
    assert is_name_line("UNITED NATIONS Office on Drugs and Crime")
    assert is_name_line("Human Rights Council")
    assert not is_name_line("States should act.")
    assert not is_name_line("Protection of victims")
    assert not is_name_line("The Committee recommends that States Parties Act")  # "recommends"


def test_years_standing_alone() -> None:
    text = "CTOC/COP/WG.4/2022/2, dated 2022-04-07, covers 2019-2020 (not G2020 or 120250) and 2025."
    assert RE_YEAR.findall(text) == ["2022", "2019", "2020", "2025"]
