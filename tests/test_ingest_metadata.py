"""A document's own details read from the file (``assistant.ingest.metadata``): the real instruments
in three formats, and the layouts that mislead a reader — a symbol inside a sentence, a presenter's
line, a treaty-body masthead naming its Convention, two masthead columns read across."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.ingest.loaders import load_document
from assistant.ingest.metadata import ReadMetadata, completed, read_metadata
from assistant.ingest.notes import LoadNotes
from assistant.settings import REPO_ROOT

REALDOCS = REPO_ROOT / "tests" / "fixtures" / "realdocs" / "files"
SOM = "Protocol against the Smuggling of Migrants by Land, Sea and Air, supplementing the United Nations " \
      "Convention against Transnational Organized Crime"
GR38 = "General recommendation No. 38 (2020) on trafficking in women and girls in the context of global migration"


def _read(text: str, name: str = "upload.md", notes: LoadNotes | None = None) -> dict[str, str]:
    return read_metadata(text, notes or LoadNotes(), Path(name)).fields


@pytest.mark.parametrize("suffix", ["pdf", "docx", "html"])
def test_the_smuggling_protocol_reads_as_its_annex_in_every_format(suffix: str) -> None:
    path = REALDOCS / f"A_RES_55_25_Annex_III_Smuggling_of_Migrants_Protocol.{suffix}"
    text, notes = load_document(path)
    read = read_metadata(text, notes, path).fields
    assert read["symbol"] == "A/RES/55/25, annex III"
    assert read["title"] == SOM and read["type"] == "treaty" and read["body"] == "General Assembly"


@pytest.mark.parametrize("suffix", ["pdf", "docx", "html"])
def test_general_recommendation_38_reads_as_the_committees(suffix: str) -> None:
    path = REALDOCS / f"CEDAW_C_GC_38_General_recommendation_38_EXCERPT.{suffix}"
    text, notes = load_document(path)
    read = read_metadata(text, notes, path).fields
    assert read["symbol"] == "CEDAW/C/GC/38" and read["title"] == GR38
    assert read["body"] == "Committee on the Elimination of Discrimination against Women"
    assert read["type"] == "general recommendation" and read["date"].startswith("2020")


def test_a_page_meta_box_and_title_are_read_before_the_chrome_is_dropped() -> None:
    text, notes = load_document(REALDOCS / "A_RES_55_25_Annex_III_Smuggling_of_Migrants_Protocol.html")
    assert notes.declared["symbol"] == "A/RES/55/25" and notes.declared["date"] == "15 November 2000"
    assert "UN symbol" not in text  # the meta box itself is still chrome, not a passage


def test_a_masthead_in_table_cells_with_distribution_date() -> None:
    text = ("United Nations\tE/CN.15/2031/7\nEconomic and Social Council\tDistr.: General\n3 March 2031\n"
            "Original: English\nCommission on Crime Prevention and Criminal Justice\nThirty-ninth session\n"
            "Vienna, 12–16 May 2031\nItem 5 of the provisional agenda\nWorld crime trends and emerging issues\n"
            "Trafficking in persons in supply chains\nReport of the Secretary-General\n\nI. Introduction\n\n"
            "1. The present report …\n")
    read = _read(text)
    assert read["symbol"] == "E/CN.15/2031/7" and read["date"] == "2031-03-03"
    assert read["body"] == "Commission on Crime Prevention and Criminal Justice"  # closest above the title
    # the agenda item's title under "Item 5 of the provisional agenda" is not the document's
    assert read["title"] == "Trafficking in persons in supply chains" and read["type"] == "report"


def test_two_masthead_columns_read_across_still_give_the_date() -> None:
    text = "United Nations A/HRC/61/4\nGeneral Assembly 7 Distr.: June General 2031\nTitle of a report\n\n1. Text.\n"
    assert _read(text)["date"] == "2031-06-07"


def test_a_symbol_or_date_inside_a_sentence_is_not_the_documents_own() -> None:
    text = ("UNODC contribution on the rights of migrants\n(pursuant to resolution A/RES/72/179 of 19 December 2017)\n"
            "\n1. This brief outlines …\n")
    read = _read(text)
    assert "symbol" not in read and "date" not in read
    assert read["title"].startswith("UNODC contribution on the rights of migrants (pursuant to")


def test_a_presenters_line_and_a_cover_in_capitals() -> None:
    read = _read("25 April 2031\nAmara Osei, Human Trafficking Section, UNODC\n"
                 "Non-punishment in practice: what prosecutors ask us\nNormative work\n")
    assert read["title"] == "Non-punishment in practice: what prosecutors ask us" and read["date"] == "2031-04-25"
    assert _read("# Part 2\n## TOOLS FOR LABOUR INSPECTORS\n### 2.1 Inspections\n")["title"] == "Tools for Labour Inspectors"


def test_a_resolutions_number_heads_its_title_but_is_not_part_of_it() -> None:
    text = ("United Nations A/RES/86/12\nResolution adopted by the General Assembly on 9 December 2031\n"
            "86/12. Protecting victims of trafficking at sea\nThe General Assembly,\nRecalling …\n")
    read = _read(text)
    assert read["title"] == "Protecting victims of trafficking at sea" and read["type"] == "resolution"
    assert read["date"] == "2031-12-09" and read["body"] == "General Assembly"


def test_a_convention_named_after_its_organisation_is_a_title_not_a_body() -> None:
    text = "Council of Europe Treaty Series - No. 321\n# Council of Europe Convention on Safe Harbours\nOslo, 3.IV.2031\n## Preamble\n"
    read = _read(text)
    assert read["title"] == "Council of Europe Convention on Safe Harbours" and read["type"] == "treaty"
    assert read["symbol"] == "CETS No. 321" and read["body"] == "Council of Europe"


def test_a_file_names_symbol_only_when_the_text_names_it_too() -> None:
    body = "Title of the instrument\n\n1. Adopted by resolution {n}.\n"
    assert _read(body.format(n="88/21"), "A_RES_88_21_final.pdf")["symbol"] == "A/RES/88/21"
    assert "symbol" not in _read(body.format(n="12/3"), "A_RES_88_21_final.pdf")
    assert "symbol" not in _read(body.format(n="88/21"), "notes_2031_v2.pdf")  # not a symbol's shape


def test_what_the_user_typed_wins_over_what_the_file_says() -> None:
    read = ReadMetadata()
    read.set("title", "From the file", "opening lines")
    read.set("symbol", "A/RES/1/2", "masthead")
    read.set("title", "A later, less trusted reading", "file name")  # the first reading stays
    assert completed({"title": "Typed", "symbol": ""}, read) == {"title": "Typed", "symbol": "A/RES/1/2"}
    assert read.sources == {"title": "opening lines", "symbol": "masthead"}  # where each was read


def test_security_council_and_council_of_europe_references() -> None:
    read = _read("United Nations S/RES/2999 (2031)\nSecurity Council 4 Distr.: March General 2031\n# Resolution 2999 (2031)\n"
                 "Adopted by the Security Council at its 9999th meeting, on 3 March 2031\nThe Security Council,\n")
    assert read["symbol"] == "S/RES/2999 (2031)" and read["date"] == "2031-03-03"
    assert read["body"] == "Security Council" and read["type"] == "resolution"
    assert _read("#### GRETA(2031)04\n# Evaluation Report Freedonia\nPublished on 2 May 2031\n")["symbol"] == "GRETA(2031)04"


def test_an_annex_alone_is_the_instrument_its_title_names() -> None:
    read = _read("United Nations A/RES/88/9\nAnnex\n# Principles on safe return of trafficked persons\n\n1. Text.\n")
    assert read["symbol"] == "A/RES/88/9, annex" and read["type"] == "soft law"


def test_a_publishers_cover_keeps_its_heading_before_the_prose_after_it() -> None:
    text = ("###### UNHCR\n# Guidelines on Referral of Victims Rescued at Sea\n###### OFFICE OF THE UNITED NATIONS "
            "HIGH COMMISSIONER FOR REFUGEES\nGeneva, 2031\nCover photo: a port. © UNHCR/B. Doe\n"
            "These guidelines replace the interim note circulated to field operations on 2 May 2030.\n")
    read = _read(text)
    assert read["title"] == "Guidelines on Referral of Victims Rescued at Sea" and read["date"] == "2031"
    assert read["body"] == "Office of the United Nations High Commissioner for Refugees"


@pytest.mark.parametrize("folder,floor", [
    ("set1", {"symbol": 8, "title": 8, "body": 8, "type": 8, "date": 8}),
    ("set2", {"symbol": 10, "title": 9, "body": 9, "type": 6, "date": 8}),
])
def test_fixture_sets_read_no_worse_than_measured(folder: str, floor: dict[str, int]) -> None:
    """Fictional UN-style files with their catalogue entries (tests/fixtures/metadata/README.md)."""
    from scripts.metadata_bench import score

    result = score(REPO_ROOT / "tests" / "fixtures" / "metadata" / folder)
    read = {field: ok for field, (ok, _n) in result.items()}
    assert all(read[field] >= n for field, n in floor.items()), read


@given(st.lists(st.text(alphabet=st.sampled_from(list("A/RES 1234567890.()#*\t|:,–-ancexIVGeneralDistr©")), max_size=90),
                max_size=30),
       st.dictionaries(st.sampled_from(["title", "symbol", "date", "body"]), st.text(max_size=60)))
@settings(max_examples=150, deadline=None)
def test_reading_details_never_fails_on_any_opening(lines: list[str], declared: dict[str, str]) -> None:
    """Masthead-like noise and any meta box: a reading or nothing, never an exception (``add`` must
    not fail on a file that parses), and every field it sets is a non-empty line of text."""
    read = read_metadata("\n".join(lines), LoadNotes(declared=declared), Path("A_RES_1_2_x.pdf"))
    assert all(v and "\n" not in v for v in read.fields.values())
