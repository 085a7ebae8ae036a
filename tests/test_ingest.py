"""Paragraph-exact ingestion of the seeds, footnotes, stable ids, nothing lost, and clean errors."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from assistant.corpus import load_manifest
from assistant.ingest import ingest_corpus, parse_file
from assistant.ingest.blocks import split_blocks
from assistant.ingest.loaders import IngestError, load_text
from assistant.ingest.parser import parse_text
from assistant.lookup import find_passage
from assistant.models import Document
from assistant.settings import REPO_ROOT, Settings
from tests.pdfmaker import encrypt_pdf, make_pdf

CORPUS = REPO_ROOT / "corpus"


def _parse(doc_id: str):  # type: ignore[no-untyped-def]
    doc = next(d for d in load_manifest(CORPUS) if d.id == doc_id)
    return parse_text(doc.id, (CORPUS / doc.file).read_text(encoding="utf-8"))


def _by_label(doc_id: str) -> dict[str, str]:
    return {p.label: p.text for p in _parse(doc_id).passages}


def test_background_paper_has_paragraphs_1_to_36_with_native_labels() -> None:
    paras = [p for p in _parse("wg4-2022-2").passages if p.label_kind == "para"]
    assert [p.label for p in paras] == [str(n) for n in range(1, 37)]


def test_paragraph_split_by_page_break_is_one_passage_without_footnotes() -> None:
    labels = _by_label("wg4-2022-2")
    assert "as States gained more experience in implementing" in labels["9"]
    assert "the vacating or expunging of criminal records is a critical step" in labels["12"]
    for text in (labels["9"], labels["12"]):
        assert "<sup>" not in text and "Legislative Guide for the Implementation" not in text
        assert "OSCE, *Policy" not in text and "Ibid., para. 77" not in text


def test_footnotes_are_attached_to_the_paragraph_citing_them() -> None:
    passages = {p.label: p for p in _parse("wg4-2022-2").passages}
    assert [(f.marker, f.text) for f in passages["12"].footnotes] == [("10", "Ibid., para. 77.")]
    assert [f.marker for f in passages["22"].footnotes] == ["13", "14", "15", "16"]
    assert "Female Victims of Trafficking" in passages["9"].footnotes[0].text


def test_sub_items_belong_to_their_paragraph_and_are_recorded() -> None:
    passages = {p.label: p for p in _parse("wg4-2022-2").passages}
    assert [s.marker for s in passages["16"].sub_items] == ["a", "b", "c", "d"]
    assert passages["16"].sub_items[1].label == "para. 16 (b)"
    assert passages["16"].sub_items[1].text.startswith("(b)")
    assert "Applying the principle of non-punishment as soon as there are reasonable grounds" in passages["16"].text
    assert [s.marker for s in passages["2"].sub_items] == list("abcdefg")


def test_quoted_block_belongs_to_the_paragraph_before_it() -> None:
    labels = _by_label("wg4-2022-2")
    assert "Trafficked persons shall not be detained, charged or prosecuted" in labels["5"]
    assert "intensify our efforts, subject to our national laws" in labels["13"]


def test_recommendations_1_to_26_and_numbered_paragraphs() -> None:
    passages = _parse("wg4-2020-recs").passages
    recs = [p.label for p in passages if p.label_kind == "recommendation"]
    assert recs == [f"Recommendation {n}" for n in range(1, 27)]
    assert [p.label for p in passages if p.label_kind == "para"] == [str(n) for n in range(1, 7)]
    rec5 = next(p for p in passages if p.label == "Recommendation 5")
    assert "build knowledge among vulnerable populations" in rec5.text  # joined across the page gap
    rec12 = next(p for p in passages if p.label == "Recommendation 12")
    assert rec12.section_path[-1].startswith("B. Recommendations on the issue")


def test_unnumbered_documents_are_labelled_by_section_and_ordinal() -> None:
    passages = _parse("unodc-toolkit-1").passages
    labels = [p.label for p in passages]
    assert "§1.4 Protection and assistance, ¶1" in labels
    assert [f"Guideline 6.{n}" for n in range(1, 10)] == [x for x in labels if x.startswith("Guideline 6.")]
    table = next(p for p in passages if "Gender stereotypes in the criminal justice" in p.label)
    assert table.text.startswith("Table: Gender stereotypes")
    assert "Aspect of Criminal Justice system | Gender dimension" in table.text  # header kept
    assert "<b>" not in table.text and "<p>" not in table.text


def test_no_passage_is_a_bare_heading_or_a_bare_footnote() -> None:
    for doc in load_manifest(CORPUS):
        source = (CORPUS / doc.file).read_text(encoding="utf-8")
        blocks = split_blocks(source)
        headings = {b.text for b in blocks if b.kind == "heading"}
        footnotes = {b.text for b in blocks if b.kind == "footnote"}
        for p in _parse(doc.id).passages:
            assert p.text not in headings and p.text not in footnotes, p
            assert "<sup>" not in p.text, p


@pytest.mark.parametrize("doc", load_manifest(CORPUS), ids=lambda d: d.id)
def test_every_body_character_lands_in_exactly_one_passage(doc: Document) -> None:
    source = (CORPUS / doc.file).read_text(encoding="utf-8")
    result = parse_text(doc.id, source)
    texts = [" ".join(p.text.split()) for p in result.passages]  # a cover joins a broken parenthesis
    front = set(result.front_matter)
    for block in split_blocks(source):
        if block.kind in ("heading", "rule", "footnote", "label", "page", "article") or block.text in front:
            continue
        body = re.sub(r"^\s*\d{1,3}\.\s+", "", block.text) if block.kind == "numbered" else block.text
        body = " ".join(body.lstrip("-•■ ").split())
        owners = sum(body in t for t in texts)
        if len(body) > 40:
            assert owners == 1, (doc.id, body[:80], owners)
        else:
            assert owners >= 1, (doc.id, body[:80])
    markers = {m for p in result.passages for m in (f.marker for f in p.footnotes)}
    defs = [b for b in split_blocks(source) if b.kind == "footnote"]
    assert len(defs) == sum(len(p.footnotes) for p in result.passages) + len(result.unattached_footnotes)
    assert markers <= {b.label for b in defs}


def test_ids_are_stable_across_reingest(settings: Settings) -> None:
    first = [p.id for p in ingest_corpus(settings).passages]
    second = [p.id for p in ingest_corpus(settings).passages]
    assert first == second and len(first) == len(set(first))


def test_parsing_the_seeds_is_fast(settings: Settings) -> None:
    report = ingest_corpus(settings, write=False)
    assert report.ok and len(report.passages) > 200
    # The figure itself is reported by `make bench`; this only guards against pathological slowness.
    assert report.seconds < 5


def test_show_reference_lookup(settings: Settings) -> None:
    report = ingest_corpus(settings, write=False)
    p = find_passage(report.documents, report.passages, "CTOC/COP/WG.4/2022/2 para 12")
    assert p is not None and p.id == "wg4-2022-2:para-12"
    p = find_passage(report.documents, report.passages, "WG TIP 2020 recommendations, Recommendation 13")
    assert p is not None and p.label == "Recommendation 13"
    assert find_passage(report.documents, report.passages, "para 99") is None
    cover = find_passage(report.documents, report.passages, "CTOC/COP/WG.4/2022/2, title page")
    assert cover is not None and cover.id == "wg4-2022-2:title-page"


# ----------------------------------------------------------------------------- formats and errors
def test_pdf_keeps_page_numbers_and_joins_wrapped_lines(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "doc.pdf", [
        ["1. States should protect victims of trafficking and ensure that", "they are not punished."],
        ["2. Victims should receive assistance without conditions.",
         "3. Assistance should not depend on cooperation with the authorities."],
    ])
    result = parse_text("d", load_text(pdf))
    assert [(p.label, p.page) for p in result.passages] == [("1", 1), ("2", 2), ("3", 2)]
    assert "ensure that they are not punished." in result.passages[0].text


def _doc(path: Path) -> Document:
    return Document(id="x", file=str(path), title="x")


@pytest.mark.parametrize("name,content,reason", [
    ("empty.md", b"", "empty"),
    ("garbage.md", bytes(range(256)) * 10, "binary"),
    ("corrupt.pdf", b"%PDF-1.4\n1 0 obj <<>> garbage", "PDF"),
    ("notpdf.pdf", b"hello, I am not a PDF", "not a PDF"),
    ("fake.docx", b"PK\x03\x04 not really a zip", "not a DOCX"),
    ("headings.md", b"# Title\n\n## Section\n", "no paragraphs"),
    ("unknown.xyz", b"text", "unsupported"),
])
def test_bad_files_give_one_line_errors(tmp_path: Path, settings: Settings, name: str,
                                        content: bytes, reason: str) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(IngestError) as err:
        parse_file(_doc(f), f, settings)
    assert name in str(err.value) and reason.lower() in str(err.value).lower()
    assert "\n" not in str(err.value)


def test_docx_zip_of_something_else(tmp_path: Path, settings: Settings) -> None:
    f = tmp_path / "other.docx"
    with zipfile.ZipFile(f, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(IngestError, match=r"word/document\.xml"):
        parse_file(_doc(f), f, settings)


def test_encrypted_and_scanned_pdfs(tmp_path: Path, settings: Settings) -> None:
    plain = make_pdf(tmp_path / "p.pdf", [["1. Some text here for the test."]])
    enc = encrypt_pdf(plain, tmp_path / "enc.pdf")
    with pytest.raises(IngestError, match="encrypted"):
        parse_file(_doc(enc), enc, settings)
    scanned = make_pdf(tmp_path / "scan.pdf", [[], []])
    with pytest.raises(IngestError, match="no text"):
        parse_file(_doc(scanned), scanned, settings)


def test_docx_and_html_are_parsed(tmp_path: Path, settings: Settings) -> None:
    import docx

    d = docx.Document()
    d.add_heading("Guideline 2: Identification", level=2)
    d.add_paragraph("States should consider developing guidelines and procedures for identification.")
    d.save(str(tmp_path / "g.docx"))
    result = parse_file(_doc(tmp_path / "g.docx"), tmp_path / "g.docx", settings)
    assert result.passages[0].section_path == ["Guideline 2: Identification"]
    html = tmp_path / "p.html"
    html.write_text("<html><script>alert(1)</script><h2>Principle 7</h2><p>Trafficked persons shall not"
                    " be detained.<sup>4</sup></p><p><sup>4</sup> A footnote.</p></html>")
    result = parse_file(_doc(html), html, settings)
    assert "alert" not in " ".join(p.text for p in result.passages)
    assert result.passages[0].footnotes[0].text == "A footnote."


def _cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"TIPGUIDE_DATA_DIR": str(settings.data_dir), "TIPGUIDE_CORPUS_DIR": str(settings.corpus_dir),
           "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)


def test_add_then_ingest_and_bad_file_does_not_stop_the_rest(tmp_path: Path) -> None:
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    s = Settings(corpus_dir=corpus, data_dir=tmp_path / "data", embedder="hash")
    pdf = make_pdf(tmp_path / "Principles.pdf", [["Principle 1", "The human rights of trafficked persons shall be at the centre."]])
    r = _cli(s, "add", str(pdf), "--symbol", "E/2002/68/Add.1", "--body", "OHCHR", "--type", "soft law", "--date", "2002")
    assert r.returncode == 0, r.stderr
    assert "e-2002-68-add-1" in (corpus / "sources.toml").read_text()
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 nonsense")
    r = _cli(s, "add", str(bad))
    assert r.returncode != 0 and "bad.pdf" in r.stderr and "Traceback" not in r.stderr
    (corpus / "documents" / "broken.md").write_bytes(b"")
    with (corpus / "sources.toml").open("a") as fh:
        fh.write('\n[[document]]\nid = "broken"\nfile = "documents/broken.md"\ntitle = "Broken"\n')
    start = time.perf_counter()
    r = _cli(s, "ingest")
    assert r.returncode == 1 and "broken.md: file is empty" in r.stderr
    assert "e-2002-68-add-1" in r.stdout and "wg4-2022-2" in r.stdout
    assert time.perf_counter() - start < 60
    r = _cli(s, "show", "E/2002/68/Add.1, Principle 1")
    assert r.returncode == 0 and "centre" in r.stdout, r.stdout + r.stderr


def test_add_without_details_cites_the_instrument_by_what_it_prints(tmp_path: Path) -> None:
    """Nothing typed but the file: the symbol in its running header, "Annex III" above its title,
    the organ in its masthead make the citation a lawyer writes; what was typed wins."""
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    s = Settings(corpus_dir=corpus, data_dir=tmp_path / "data", embedder="hash")
    files = REPO_ROOT / "tests" / "fixtures" / "realdocs" / "files"
    r = _cli(s, "add", str(files / "A_RES_55_25_Annex_III_Smuggling_of_Migrants_Protocol.pdf"))
    assert r.returncode == 0, r.stderr
    assert "read from the file: symbol = A/RES/55/25, annex III (running header)" in r.stdout
    r = _cli(s, "add", str(files / "CEDAW_C_GC_38_General_recommendation_38_EXCERPT.docx"), "--title", "GR 38 (typed)")
    assert r.returncode == 0, r.stderr
    docs = {d.symbol: d for d in load_manifest(corpus)}
    som, gr38 = docs["A/RES/55/25, annex III"], docs["CEDAW/C/GC/38"]
    assert som.title.startswith("Protocol against the Smuggling of Migrants by Land, Sea and Air")
    assert (som.body, som.type, som.id) == ("General Assembly", "treaty", "a-res-55-25-annex-iii")
    assert gr38.title == "GR 38 (typed)" and gr38.type == "general recommendation"
    r = _cli(s, "show", "A/RES/55/25, annex III, art. 18(1)")
    assert r.returncode == 0 and r.stdout.startswith("A/RES/55/25, annex III, art. 18(1)"), r.stdout + r.stderr


# ----------------------------------------------------------------------------- shared instruments
REALDOCS = REPO_ROOT / "tests" / "fixtures" / "realdocs"
INSTRUMENTS = {
    "som_protocol.txt": "A_RES_55_25_Annex_III_Smuggling_of_Migrants_Protocol",
    "cedaw_gr38_fragments.txt": "CEDAW_C_GC_38_General_recommendation_38_EXCERPT",
}


def _norm(text: str) -> str:
    text = re.sub(r"[“”\"]", '"', re.sub(r"[‘’']", "'", text)).replace("\u00ad", "")
    return " ".join(text.split())


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
@pytest.mark.parametrize("source", sorted(INSTRUMENTS))
def test_every_body_paragraph_of_the_shared_instruments_lands_in_exactly_one_passage(
    source: str, fmt: str, settings: Settings
) -> None:
    """Each body paragraph of the reference text is whole inside exactly one passage of the PDF,
    DOCX and HTML renderings (headings, masthead and the "[…]" gap marks are not body text)."""
    path = REALDOCS / "files" / f"{INSTRUMENTS[source]}.{fmt}"
    result = parse_file(Document(id="x", file=str(path), title="x"), path, settings)
    texts = [_norm(p.text) for p in result.passages]
    checked = 0
    reference = (REALDOCS / source).read_text(encoding="utf-8")
    ref = parse_text("ref", reference)
    # masthead and contents of the text itself (the masthead is the "title page" passage, if any)
    front = set(ref.front_matter)
    cover = " ".join(_norm(p.text) for p in ref.passages if p.label_kind == "front")
    for block in split_blocks(reference):
        if block.kind not in ("text", "numbered", "subitem") or block.text.strip() in ("[…]", "") \
                or block.text in front:
            continue
        body = re.sub(r"^\s*\d{1,4}\.\s+", "", block.text) if block.kind == "numbered" else block.text
        body = _norm(body.replace("[…]", ""))
        if len(body.split()) < 3 or body in cover:
            continue  # masthead fragments ("Original: English")
        owners = sum(body in t for t in texts)
        assert owners == 1, (fmt, body[:80], owners)
        checked += 1
    assert checked >= (60 if source.startswith("som") else 3)


def test_a_title_qualifier_is_the_covers_and_an_address_alone_is_no_paragraph() -> None:
    """"(pursuant to resolution …)" under the title is the cover's, read with the title it
    qualifies, not paragraph 1 of the first section; a line of nothing but web addresses cites
    nothing; a parenthesis after the first paragraph, or one ending a sentence, is still text."""
    source = ("UNODC\n\nUnited Nations Office on Drugs and Crime\n\nContribution to the Report on Migrants\n\n"
              "*(pursuant to General Assembly resolution 72/179 of 19 December 2017\nentitled \"Protection\")*\n\n"
              "The following brief outlines what the Office did for migrants this year.\n\n"
              "https://www.unodc.org/unodc/en/humantrafficking/index.html www.unodc.org\n\n"
              "(A note on sources follows in the annex.)\n\n(Source: UNODC, 2018)\n\nThe second paragraph ends it.\n")
    result = parse_text("d", source)
    cover, *body = result.passages
    assert cover.label_kind == "front"
    assert cover.text.splitlines()[-2:] == [
        "Contribution to the Report on Migrants",
        '(pursuant to General Assembly resolution 72/179 of 19 December 2017 entitled "Protection")']
    assert [p.text for p in body] == [
        "The following brief outlines what the Office did for migrants this year.",
        "(A note on sources follows in the annex.)", "(Source: UNODC, 2018)", "The second paragraph ends it."]
    assert body[0].label.endswith("¶1")
    assert "https://www.unodc.org/unodc/en/humantrafficking/index.html www.unodc.org" in result.front_matter
    # the symbol above a qualifier is still the print run's, not the cover's
    symbol = parse_text("d", "A/RES/99/1\n\n(Annex to the resolution of the Assembly)\n\n"
                             "The first paragraph says something useful here.\n\nThe second one too.\n")
    assert all("A/RES/99/1" not in p.text for p in symbol.passages)
    # an address line is the foot of the cover (a slide's): the slides after it are not the cover's
    deck = parse_text("d", "25 April 2023\n\nThe speaker, the Section\n\nHow to work\n\nhttps://www.unodc.org\n\n"
                           "The Protocol\n\nArticle 2 sets out the purposes of the Protocol in full.\n")
    assert deck.passages[0].text.splitlines() == ["25 April 2023", "The speaker, the Section", "How to work"]
    assert [p.text for p in deck.passages[1:]] == ["Article 2 sets out the purposes of the Protocol in full."]


def test_the_cover_is_a_citable_title_page_without_print_furniture() -> None:
    """What only a cover states (date, author, meeting) is kept as one "title page" passage; the
    symbol, job number, publication series and running headers stay out; a bare title does not
    make one, and headings alone are still not a document."""
    source = ("A/RES/99/1\n\nV.24-01234 (E)\n\nCouncil of Europe Treaty Series - No. 1\n\n"
              "# Working Group on Trafficking in Persons\n\nVienna, 29 and 30 June 2022\n\nOriginal: English\n\n"
              "## Guidance on victims\n\n1. The first paragraph says something useful here.\n\n"
              "2. The second paragraph says more.\n\n3. The third paragraph ends it.\n")
    result = parse_text("d", source, frozenset({"council of europe treaty series - no. 1"}))
    cover = result.passages[0]
    assert (cover.id, cover.label, cover.label_kind) == ("d:title-page", "title page", "front")
    # the section heading of the first paragraph is its own, not the cover's
    assert cover.text.splitlines() == ["Vienna, 29 and 30 June 2022", "Original: English"]
    assert cover.citation_label(None) == "d, title page"
    assert parse_text("d", "# Title\n\n1. Only a paragraph here, nothing before it.\n").passages[0].label_kind != "front"
    seeds = {d.id: parse_text(d.id, (CORPUS / d.file).read_text(encoding="utf-8")) for d in load_manifest(CORPUS)}
    assert "25 April 2023" in seeds["unodc-np-2023"].passages[0].text
    assert "Vienna, 29 and 30 June 2022" in seeds["wg4-2022-2"].passages[0].text
