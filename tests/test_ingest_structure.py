"""The structural model: units of treaties, resolutions, principles and guidelines, reports, and
their citations in UN editorial practice; references that ``show`` resolves; answer pinpoints."""

from __future__ import annotations

from assistant.answer.extractive import _Candidate, _pinpoint
from assistant.corpus import load_manifest
from assistant.ingest.parser import parse_text
from assistant.ingest.report import recognition_report
from assistant.ingest.structure import SubItemLevels
from assistant.lookup import find_reference, referenced_in
from assistant.models import Document, Hit
from assistant.settings import REPO_ROOT

RESOLUTION = """# Resolution adopted by the General Assembly

The General Assembly,

Recalling its resolution 55/25 of 15 November 2000, by which it adopted the Protocol,

Deeply concerned that trafficking in persons remains a serious crime,

Recognizing that victims should be treated as victims of crime,

1. Urges Member States to ratify the Protocol;

2. Calls upon States:

(a) To criminalize trafficking in persons;

(b) To protect victims, including by:

(i) Providing shelter;

(ii) Providing legal assistance;

3. Decides to remain seized of the matter.
"""

COE = """# Council of Europe Convention on Action against Trafficking in Human Beings

Preamble

The member States of the Council of Europe and the other Signatories hereto,

Considering that the aim of the Council of Europe is to achieve a greater unity between its members;

Have agreed as follows:

Chapter I – Purposes, scope, non-discrimination principle and definitions

Article 1 – Purposes of the Convention

1 The purposes of this Convention are:

a) to prevent and combat trafficking in human beings;

b) to protect the human rights of the victims of trafficking;

2 In order to ensure effective implementation, this Convention sets up a specific monitoring mechanism.

Article 2 – Scope

This Convention shall apply to all forms of trafficking in human beings.

Article 3 – Non-discrimination principle

The implementation of the provisions of this Convention shall be secured without discrimination.

Article 4 – Definitions

For the purposes of this Convention:

a) "Trafficking in human beings" shall mean the recruitment of persons for exploitation;

b) The consent of a victim shall be irrelevant;

c) The recruitment of a child shall be considered trafficking;

d) "Child" shall mean any person under eighteen years of age;

e) "Victim" shall mean any natural person who is subject to trafficking in human beings.
"""

PRINCIPLES = """# Recommended Principles and Guidelines on Human Rights and Human Trafficking

## Recommended Principles on Human Rights and Human Trafficking

### The primacy of human rights

1. The human rights of trafficked persons shall be at the centre of all efforts.

2. States have a responsibility under international law to act with due diligence.

### Protection and assistance

3. Trafficked persons shall not be detained, charged or prosecuted for the illegality of their entry.

4. States shall ensure that trafficked persons are protected from further exploitation.

## Recommended Guidelines on Human Rights and Human Trafficking

### Guideline 9: Access to remedies

Trafficked persons, as victims of human rights violations, have an international legal right to adequate and appropriate remedies. States should consider:

1. Ensuring that victims of trafficking have an enforceable right to fair and adequate remedies.

2. Providing information as well as legal and other assistance to enable victims to access remedies.

3. Making provisions for trafficked persons to remain safely in the country in which the remedy is being sought.
"""


def _p(text: str, doc_id: str = "d"):  # type: ignore[no-untyped-def]
    return parse_text(doc_id, text)


def test_resolution_preambular_and_operative_paragraphs() -> None:
    result = _p(RESOLUTION)
    labels = [p.label_text for p in result.passages]
    # The enacting formula opens the preamble but is not one of its numbered paragraphs.
    assert labels == ["preamble", "preamble, para. 1", "preamble, para. 2", "preamble, para. 3",
                      "para. 1", "para. 2", "para. 3"]
    assert result.passages[0].text == "The General Assembly,"
    assert result.passages[1].text.startswith("Recalling its resolution 55/25")
    assert [p.label_kind for p in result.passages[4:]] == ["operative"] * 3
    assert [s.label for s in result.passages[5].sub_items] == [
        "para. 2 (a)", "para. 2 (b)", "para. 2 (b) (i)", "para. 2 (b) (ii)"]
    assert result.passages[5].sub_items[1].text.startswith("(b) To protect victims")
    assert "(ii) Providing legal assistance;" in result.passages[5].sub_items[1].text  # (b) holds its items


def test_council_of_europe_convention_articles_and_letters() -> None:
    result = _p(COE)
    by_label = {p.label_text: p for p in result.passages}
    assert [label for label in by_label if label.startswith("art.")] == [
        "art. 1(1)", "art. 1(2)", "art. 2", "art. 3", "art. 4"]
    assert [s.label for s in by_label["art. 4"].sub_items] == [f"art. 4({c})" for c in "abcde"]
    assert by_label["art. 4"].sub_items[4].text.startswith('e) "Victim" shall mean')
    assert [s.label for s in by_label["art. 1(1)"].sub_items] == ["art. 1(1)(a)", "art. 1(1)(b)"]
    assert [(p.label_text, p.text[:12]) for p in result.passages if p.label_kind == "preamble"] == [
        ("preamble", "The member S"), ("preamble, para. 1", "Considering "), ("preamble", "Have agreed ")]
    assert by_label["art. 2"].section_path[-1] == "Article 2 – Scope"


def test_principles_and_guideline_measures() -> None:
    result = _p(PRINCIPLES)
    assert [p.label_text for p in result.passages] == [
        "Principle 1", "Principle 2", "Principle 3", "Principle 4",
        "Guideline 9", "Guideline 9.1", "Guideline 9.2", "Guideline 9.3"]
    assert result.passages[4].text.endswith("States should consider:")


def test_guideline_label_on_its_own_line_with_title_and_measures() -> None:
    text = ("Recommended Guidelines\n\nGuideline 2\n\nIdentification of trafficked persons\n\n"
            "A failure to identify a trafficked person correctly is likely to result in a further denial "
            "of rights. States should consider:\n\n1. Developing guidelines for identification.\n\n"
            "2. Providing training.\n\n3. Ensuring cooperation between authorities.\n\n"
            "Guideline 3\n\nResearch, analysis and evaluation\n\nStates should consider:\n\n"
            "1. Adopting a definition of trafficking.\n")
    result = _p(text)
    assert [p.label_text for p in result.passages] == [
        "Guideline 2", "Guideline 2.1", "Guideline 2.2", "Guideline 2.3", "Guideline 3", "Guideline 3.1"]
    assert "A failure to identify" in result.passages[0].text


def test_guideline_heading_then_title_heading_then_measures() -> None:
    text = ("## Recommended Guidelines\n\n### Guideline 1\n\n#### Promotion and protection of human rights\n\n"
            "States should consider:\n\n1. Taking steps to ensure that measures do not harm victims.\n\n"
            "2. Developing standard minimum rules.\n")
    assert [p.label_text for p in _p(text).passages] == ["Guideline 1", "Guideline 1.1", "Guideline 1.2"]


def test_report_paragraphs_keep_para_labels_under_a_recommendations_heading() -> None:
    text = ("I. Introduction\n\n1. First paragraph of the general recommendation.\n\n"
            "2. Second paragraph of it.\n\nVII. Recommendations\n\n3. The Committee recommends that "
            "States parties act.\n\n4. The Committee further recommends data collection.\n")
    assert [p.label_text for p in _p(text).passages] == ["para. 1", "para. 2", "para. 3", "para. 4"]


def test_roman_items_and_the_letter_i_are_told_apart() -> None:
    levels = SubItemLevels()
    assert [levels.place(m) for m in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]][8] == ["i"]
    levels = SubItemLevels()
    assert [levels.place(m) for m in ["a", "b", "i", "ii", "iii", "c"]] == [
        ["a"], ["b"], ["b", "i"], ["b", "ii"], ["b", "iii"], ["c"]]


def test_a_label_is_never_truncated() -> None:
    heading = ("Promoting assistance to and protection of smuggled migrants and victims of human "
               "trafficking with reference to the Resolution's OPs 1, 3, 4, 5, 7 and 9")
    result = _p(f"{heading}\n\nUNODC is guided by a rights-based approach.\n\nIt supports States.\n")
    assert result.passages[0].label == f"§{heading}, ¶1" and "…" not in result.passages[0].label


def test_plain_line_heading_in_the_unodc_contribution_starts_its_own_section() -> None:
    doc = next(d for d in load_manifest(REPO_ROOT / "corpus") if d.id == "unodc-ares-72-179")
    passages = parse_text(doc.id, (REPO_ROOT / "corpus" / doc.file).read_text(encoding="utf-8")).passages
    greece = next(p for p in passages if "in Greece, UNODC supported a training" in p.text)
    assert greece.section_path[-1].startswith("Promoting assistance to and protection of smuggled migrants")
    assert not any(p.text.startswith("Promoting assistance to and protection") for p in passages)


def _docs() -> list[Document]:
    return [Document(id="som", file="x", title="Smuggling of Migrants Protocol", symbol="A/RES/55/25, annex III"),
            Document(id="coe", file="x", title="CoE Convention", symbol="CETS No. 197"),
            Document(id="ohchr", file="x", title="Principles", symbol="E/2002/68/Add.1"),
            Document(id="res", file="x", title="Resolution", symbol="A/RES/72/179")]


def test_show_resolves_references_as_lawyers_write_them() -> None:
    som = parse_text("som", "Article 1\nUse\n\nText one.\n\nArticle 2\nScope\n\nText two.\n\n"
                     "Article 6\nCriminalization\n\n1. Each State Party shall adopt:\n\n(a) The smuggling;\n\n"
                     "(b) When committed:\n\n(i) Producing a document;\n\n(ii) Procuring a document;\n\n"
                     "3. Aggravating circumstances:\n\n(a) That endanger lives;\n\n(b) That entail inhuman treatment.\n")
    passages = som.passages + _p(COE, "coe").passages + _p(PRINCIPLES, "ohchr").passages + _p(RESOLUTION, "res").passages
    docs = _docs()

    def show(ref: str) -> str:
        found = find_reference(docs, passages, ref)
        assert found is not None, ref
        return found.sub_item.text if found.sub_item else found.passage.label_text

    assert show("A/RES/55/25, annex III, art. 6(3)(b)") == "(b) That entail inhuman treatment."
    assert show("A/RES/55/25, article 6, paragraph 1 (b) (ii)") == "(ii) Procuring a document;"
    assert show("A/RES/55/25, art. 2") == "art. 2"
    assert show("E/2002/68/Add.1, Guideline 9.3") == "Guideline 9.3"
    assert show("E/2002/68/Add.1, Guideline 9, para. 2") == "Guideline 9.2"
    assert show("E/2002/68/Add.1, Principle 4") == "Principle 4"
    assert show("CETS No. 197, art. 4(e)").startswith('e) "Victim"')
    assert show("CETS No. 197, Art. 4 e)").startswith('e) "Victim"')
    assert show("A/RES/72/179, para. 2 (b)").startswith("(b) To protect victims")
    assert show("A/RES/72/179, preamble, para. 3").startswith("preamble, para. 3")
    assert find_reference(docs, passages, "A/RES/55/25, art. 6(3)(z)") is None


def test_a_question_names_paragraphs_by_their_labels() -> None:
    som = parse_text("som", "Article 1\nUse\n\nText one.\n\nArticle 2\nScope\n\nText two.\n\n"
                     "Article 6\nCriminalization\n\nText six.\n")
    passages = som.passages + _p(PRINCIPLES, "ohchr").passages + _p(RESOLUTION, "res").passages

    def ids(question: str, named: list[str]) -> list[str]:
        return [p.id for p in referenced_in(question, passages, named)]

    assert ids("what does guideline 9.3 say about shelters?", []) == [
        next(p.id for p in passages if p.label == "Guideline 9.3")]
    assert ids("Is art. 6 of the Protocol about criminalization?", ["som"]) == [
        next(p.id for p in passages if p.document_id == "som" and p.label == "art. 6")]
    # a label of the named document only; "para. 2" of no named document, where two have one, is none
    assert ids("What does para. 2 of the resolution say?", ["res"]) == [
        next(p.id for p in passages if p.document_id == "res" and p.label_kind == "operative" and p.label == "2")]
    assert ids("Principle 4 and Guideline 9.3, please", []) == [
        next(p.id for p in passages if p.label == lab) for lab in ("Principle 4", "Guideline 9.3")]
    assert ids("article 99 of the Protocol", ["som"]) == [] and ids("a 2.5 million figure", []) == []


def test_an_answer_sentence_taken_from_a_sub_item_cites_it() -> None:
    result = parse_text("som", "Article 5\nA\n\nText.\n\nArticle 6\nB\n\nText.\n\nArticle 7\nC\n\n"
                        "3. Each State Party shall adopt measures:\n\n(a) That endanger lives;\n\n"
                        "(b) That entail inhuman or degrading treatment of migrants.\n")
    passage = next(p for p in result.passages if p.label == "art. 7(3)")
    hit = Hit(passage=passage, citation="A/RES/55/25, annex III, art. 7(3)", score=1.0)
    start = passage.text.index("(b) That entail")
    cand = _Candidate(0, passage.id, start, len(passage.text), passage.text[start:])
    assert _pinpoint(cand, [hit]) == {passage.id: "A/RES/55/25, annex III, art. 7(3)(b)"}
    intro = _Candidate(0, passage.id, 0, 10, passage.text[:10])
    assert _pinpoint(intro, [hit]) == {}


def test_recognition_report_counts_units_and_warns_about_unplaced_text() -> None:
    summary, warnings = recognition_report(_p(COE))
    assert "Articles 1–4 (4 articles, 5 paragraphs, 7 sub-items)" in summary
    assert "preamble 1 paragraph," in summary and "100.0 % of the text placed" in summary
    assert not warnings
    lost = _p("1. A numbered paragraph.\n\n2. Another one.\n\n3. A third.\n\n<sup>9</sup> A footnote no "
              "paragraph cites, which is therefore not placed anywhere in the passages of the document.\n")
    _summary, warnings = recognition_report(lost)
    assert any("cite no passage" in w for w in warnings)


def test_principles_under_flat_sub_headings_keep_their_numbering() -> None:
    text = ("# Recommended Principles on Human Rights\n\n# The primacy of human rights\n\n"
            "1. The human rights of victims shall be at the centre.\n\n2. States shall act with due diligence.\n\n"
            "# Protection and assistance\n\n3. Victims shall not be detained.\n\n4. Victims shall be protected.\n\n"
            "# Recommended Guidelines\n\n# Guideline 1: Promotion of human rights\n\nStates should consider:\n\n"
            "1. Taking steps.\n")
    assert [p.label_text for p in _p(text).passages] == [
        "Principle 1", "Principle 2", "Principle 3", "Principle 4", "Guideline 1", "Guideline 1.1"]


def test_units_of_a_document_with_several_annexes_are_cited_with_their_annex() -> None:
    protocol = ("Preamble\n\nThe States Parties to this Protocol,\n\nHave agreed as follows:\n\n"
                "Article 1\nScope\n\nText of article 1.\n\nArticle 2\nPurpose\n\nText of article 2.\n\n"
                "Article 3\nTerms\n\nFor the purposes of this Protocol:\n\n(a) First term;\n\n(b) Second term.\n\n")
    text = ("The General Assembly,\n\nRecalling its resolutions,\n\n1. Adopts the Protocols annexed.\n\n"
            "2. Urges States to ratify them.\n\n3. Decides to remain seized.\n\n"
            f"Annex I\n\n{protocol}Annex II\n\n{protocol}")
    result = _p(text, "res")
    labels = [p.label_text for p in result.passages]
    assert labels[2:5] == ["para. 1", "para. 2", "para. 3"]
    assert "annex II, art. 3" in labels and "annex I, art. 3" in labels and "annex II, preamble" in labels
    doc = Document(id="res", file="x", title="Resolution", symbol="A/RES/55/25")
    found = find_reference([doc], result.passages, "A/RES/55/25, annex II, art. 3(b)")
    assert found is not None and found.sub_item is not None and found.sub_item.label == "annex II, art. 3(b)"
    assert found.passage.id == "res:annex-ii-art-3"


def test_council_of_europe_bare_letter_items() -> None:
    text = COE.replace("a) ", "a ").replace("b) ", "b ").replace("c) ", "c ").replace("d) ", "d ").replace("e) ", "e ")
    result = _p(text)
    art4 = next(p for p in result.passages if p.label == "art. 4")
    assert [s.label for s in art4.sub_items] == [f"art. 4({c})" for c in "abcde"]
    assert art4.sub_items[4].text.startswith('e) "Victim" shall mean')
    plain = _p("1. The report notes that:\n\nStates should act.\n\n2. Second.\n\n3. Third.\n")
    assert not plain.passages[0].sub_items
