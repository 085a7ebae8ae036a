"""Each loader case from issue 10 as a test: DOCX (numbering, footnotes, hyperlinks, tracked changes,
tables, "1.<tab>"), HTML (divs, <ol start/type>, chrome), PDF (running header, "Page n of N", job
numbers, footnotes by size, page-break joins, hyphenation, two columns, encryption) and text files
(UTF-16, cp1251)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.ingest import parse_file
from assistant.ingest.loaders import IngestError, load_document
from assistant.ingest.parser import ParseResult, parse_text
from assistant.ingest.report import recognition_report
from assistant.models import Document
from assistant.settings import Settings
from tests.docxmaker import deleted, footnote_ref, hyperlink, inserted, make_docx, para, table
from tests.pdfmaker import LayoutPdf, Span, encrypt_pdf, make_pdf


def _parse(path: Path) -> ParseResult:
    text, notes = load_document(path)
    result = parse_text("d", text)
    result.notes = notes
    return result


def _labels(result: ParseResult) -> list[str]:
    return [p.label_text for p in result.passages]


# ----------------------------------------------------------------------------- DOCX
def test_docx_hyperlink_text_is_kept(tmp_path: Path) -> None:
    f = make_docx(tmp_path / "l.docx", [
        para("See the ", hyperlink("Recommended Principles and Guidelines"), " for the definition of trafficking."),
    ])
    text = _parse(f).passages[0].text
    assert text == "See the Recommended Principles and Guidelines for the definition of trafficking."


def test_docx_word_footnotes_are_attached_not_glued(tmp_path: Path) -> None:
    f = make_docx(tmp_path / "f.docx", [
        para("1.\tStates should protect victims.", footnote_ref(2), " They should not be punished."),
        para("2.\tAssistance should be unconditional.", footnote_ref(3)),
        para("3.\tReferral should be prompt."),
    ], footnotes={2: "See A/RES/55/25, annex II.", 3: "Ibid., art. 6."})
    result = _parse(f)
    first, second = result.passages[0], result.passages[1]
    assert [(x.marker, x.text) for x in first.footnotes] == [("1", "See A/RES/55/25, annex II.")]
    assert [(x.marker, x.text) for x in second.footnotes] == [("2", "Ibid., art. 6.")]
    assert "annex II" not in first.text and first.text.endswith("They should not be punished.")


def test_docx_tracked_insertions_accepted_and_deletions_dropped(tmp_path: Path) -> None:
    f = make_docx(tmp_path / "t.docx", [
        para("Victims shall ", deleted("not normally "), inserted("never "), "be detained."),
    ])
    result = _parse(f)
    assert result.passages[0].text == "Victims shall never be detained."
    assert (result.notes.tracked_insertions, result.notes.tracked_deletions) == (1, 1)


def test_docx_automatic_numbering_from_numbering_definitions(tmp_path: Path) -> None:
    f = make_docx(tmp_path / "n.docx", [
        para("I. Introduction", style="Heading1"),
        para("States should take the following measures:", num=(1, 0)),
        para("Identify victims;", num=(1, 1)),
        para("Refer them to assistance:", num=(1, 1)),
        para("shelter;", num=(1, 2)),
        para("medical care;", num=(1, 2)),
        para("Assistance shall not depend on cooperation.", num=(1, 0)),
        para("Data should be collected.", num=(1, 0)),
        para("A paragraph numbered by its style, which starts at five.", style="UNPara"),
    ])
    result = _parse(f)
    assert _labels(result) == ["para. 1", "para. 2", "para. 3", "para. 5"]
    first = result.passages[0]
    assert [s.label for s in first.sub_items] == ["para. 1 (a)", "para. 1 (b)", "para. 1 (b) (i)", "para. 1 (b) (ii)"]
    assert first.sub_items[2].text == "(i) shelter;"


def test_docx_typed_number_and_tab_is_a_numbered_paragraph_and_tables_stay_tables(tmp_path: Path) -> None:
    f = make_docx(tmp_path / "tab.docx", [
        para("1.\tThe first paragraph of the report, typed with a tab."),
        para("2.\tThe second paragraph:"),
        para("(a)\tits first sub-paragraph;"),
        para("3.\tThe third paragraph."),
        table([["Country", "Victims"], ["A", "12"], ["B", "30"]]),
    ])
    result = _parse(f)
    assert _labels(result)[:3] == ["para. 1", "para. 2", "para. 3"]
    assert result.passages[1].sub_items[0].label == "para. 2 (a)"
    assert "(Table)" not in " ".join(_labels(result)[:3])
    assert "Country | Victims\nA | 12\nB | 30" in result.passages[2].text + "\n".join(p.text for p in result.passages)


# ----------------------------------------------------------------------------- HTML
CHROME = """<header class="site-header"><a class="logo">United Nations Human Rights</a>
<form role="search"><input></form></header><nav><ul><li><a>Home</a></li><li><a>Countries</a></li></ul></nav>
<nav class="breadcrumb"><a>Home</a> › Documents</nav>"""
FOOTER = """<aside class="sidebar"><h2>Related</h2><ul><li><a>Migration</a></li></ul></aside>
<footer class="site-footer"><p>Palais des Nations, Geneva</p></footer>"""


def _site_page(tmp_path: Path, name: str, main: str) -> Path:
    """An HTML file with ``main`` between a site's header/navigation and its sidebar/footer."""
    f = tmp_path / name
    f.write_text(f"<html><body>{CHROME}<main>{main}</main>{FOOTER}</body></html>", encoding="utf-8")
    return f


def test_html_text_in_divs_is_kept(tmp_path: Path) -> None:
    f = _site_page(tmp_path, "d.html", "<p>A short introduction in a paragraph element.</p>"
                   "<div>The first paragraph of the body sits directly in a div, as many sites do.</div>"
                   "<div><span>The second paragraph is in a span inside a div.</span></div>"
                   "<div>The third paragraph closes the page.</div>")
    texts = [p.text for p in _parse(f).passages]
    assert len(texts) == 4 and texts[2] == "The second paragraph is in a span inside a div."
    joined = " ".join(texts)
    for chrome in ("Home", "Countries", "Related", "Palais", "United Nations Human Rights"):
        assert chrome not in joined


def test_html_list_numbering_from_ol_start_and_type(tmp_path: Path) -> None:
    f = _site_page(tmp_path, "ol.html", "<h2>III. Legal framework</h2>"
                   '<ol start="5"><li><p>States parties should:</p><ol type="a"><li>Ratify the Protocol;</li>'
                   '<li>Adopt legislation:<ol type="i"><li>criminalizing trafficking;</li>'
                   "<li>protecting victims;</li></ol></li></ol></li>"
                   "<li><p>States parties should collect data.</p></li>"
                   "<li value='9'><p>States parties should report.</p></li></ol>")
    result = _parse(f)
    assert _labels(result) == ["para. 5", "para. 6", "para. 9"]
    assert [s.label for s in result.passages[0].sub_items] == [
        "para. 5 (a)", "para. 5 (b)", "para. 5 (b) (i)", "para. 5 (b) (ii)"]


def test_html_list_item_text_wrapped_in_blocks_keeps_its_number(tmp_path: Path) -> None:
    # Item text may sit in <p>, in <div><p>, in <section><div><p>, or bare in a <div>: each item keeps
    # its own number instead of running into the item before it.
    f = _site_page(tmp_path, "wrapped.html", "<h2>Article 7 – Assistance</h2><ol>"
                   "<li><p>Each Party shall provide shelter.</p></li>"
                   "<li><div><p>Each Party shall provide counselling.</p></div></li>"
                   "<li><section><div><p>Each Party shall provide legal aid.</p>"
                   "<p>It shall be free of charge.</p></div></section></li>"
                   "<li><div>Each Party shall provide interpretation.</div></li>"
                   "<li><div><p></p></div><p>Each Party shall review these measures.</p></li></ol>")
    result = _parse(f)
    by_label = {p.label_text: p.text for p in result.passages}
    assert list(by_label) == ["para. 1", "para. 2", "para. 3", "para. 4", "para. 5"]
    assert by_label["para. 2"] == "Each Party shall provide counselling."
    assert by_label["para. 3"] == "Each Party shall provide legal aid.\nIt shall be free of charge."
    assert by_label["para. 5"] == "Each Party shall review these measures."


# ----------------------------------------------------------------------------- PDF
def _report_pdf(path: Path, paragraphs: int = 14, **layout: object) -> Path:
    doc = LayoutPdf(**layout)  # type: ignore[arg-type]
    doc.heading("Report of the Special Rapporteur on trafficking in persons", 14)
    doc.heading("I. Introduction", 12, centred=False)
    for n in range(1, paragraphs + 1):
        notes = [(str(n // 4), f"Footnote {n // 4}: see the annual report for {2000 + n}.")] if n % 4 == 0 else None
        marker = f"^{n // 4}" if notes else ""
        doc.paragraph(f"{n}. States should ensure that victims of trafficking{marker} are identified promptly "
                      "and referred to assistance without conditions, and that identification procedures "
                      "take account of the particular vulnerabilities of women and children who have been "
                      "exploited in domestic servitude, forced labour and commercial sexual exploitation in "
                      f"countries of transit and destination (paragraph {n}).", notes=notes, hyphenate=True)
    return doc.save(path)


def test_pdf_running_header_page_numbers_and_job_number_removed(tmp_path: Path) -> None:
    f = _report_pdf(tmp_path / "r.pdf", header="A/HRC/99/1", footer="Page {n} of {total}",
                    job_number="V.99-01234 (E)")
    result = _parse(f)
    joined = "\n".join(p.text + " ".join(x.text for x in p.footnotes) for p in result.passages)
    for chrome in ("A/HRC/99/1", "Page 1 of", "Page 2 of", "V.99-01234"):
        assert chrome not in joined
    assert _labels(result) == [f"para. {n}" for n in range(1, 15)]
    assert result.notes.running_lines_removed >= 2 and result.notes.page_numbers_removed >= 3
    summary, warnings = recognition_report(result)
    assert "A/HRC/99/1" in summary and "page/job numbers" in summary and not warnings


def test_pdf_footnotes_found_by_size_and_attached(tmp_path: Path) -> None:
    result = _parse(_report_pdf(tmp_path / "f.pdf", header="A/HRC/99/1"))
    owners = {p.label: [x.marker for x in p.footnotes] for p in result.passages if p.footnotes}
    assert owners == {"4": ["1"], "8": ["2"], "12": ["3"]}
    p4 = next(p for p in result.passages if p.label == "4")
    assert "Footnote 1" not in p4.text and p4.footnotes[0].text.startswith("Footnote 1: see the annual")
    assert not result.unattached_footnotes


def test_pdf_paragraph_across_page_break_is_one_passage_with_its_page(tmp_path: Path) -> None:
    import pypdfium2

    f = _report_pdf(tmp_path / "p.pdf", header="A/HRC/99/1", paragraphs=20, bottom=750.0)
    pdf = pypdfium2.PdfDocument(str(f))  # the layout really cuts a paragraph: page 2 starts mid-sentence
    lines = pdf[1].get_textpage().get_text_range().splitlines()
    assert lines[1][:1].islower(), lines[1]
    pdf.close()
    result = _parse(f)
    assert not any(p.text[:1].islower() for p in result.passages)
    for n, p in enumerate(result.passages, 1):
        assert p.text.startswith("States should ensure") and p.text.endswith(f"(paragraph {n}).")
    assert result.passages[0].page == 1 and result.passages[-1].page == 2
    assert result.notes.joined_across_pages >= 1


def test_pdf_footnote_continued_on_the_next_page_is_one_footnote(tmp_path: Path) -> None:
    doc = LayoutPdf(header="A/HRC/99/2")
    for n in range(1, 25):
        marker = "^1" if n == 2 else ""
        doc.paragraph(f"{n}. States should protect victims{marker} of trafficking and ensure their access to "
                      "remedies, including compensation, in the country of destination and on return, and "
                      f"should report on the measures taken (paragraph {n}).")
    assert len(doc.pages) >= 2
    foot = doc.bottom - doc.foot_room() + 14
    doc.pages[0].append(Span("1 The first half of this footnote is set at the foot of the first", 72.0, foot, 8.0))
    doc.pages[0].append(Span("page, and its sentence goes on", 72.0, foot + 10, 8.0))
    doc.pages[1].append(Span("at the foot of the second page, where it ends.", 72.0, foot, 8.0))
    result = _parse(doc.save(tmp_path / "fn.pdf"))
    p2 = next(p for p in result.passages if p.label == "2")
    assert [x.text for x in p2.footnotes] == [
        "The first half of this footnote is set at the foot of the first page, and its sentence goes on "
        "at the foot of the second page, where it ends."]
    assert not any("second page, where" in p.text for p in result.passages)
    assert _labels(result) == [f"para. {n}" for n in range(1, 25)]


def test_pdf_one_page_running_header_equal_to_the_symbol_is_removed(tmp_path: Path, settings: Settings) -> None:
    doc = LayoutPdf(header="A/HRC/99/3", footer="")
    for n in range(1, 4):
        doc.paragraph(f"{n}. States should ensure that victims are identified promptly (paragraph {n}).")
    f = doc.save(tmp_path / "one.pdf")
    assert "A/HRC/99/3" in load_document(f)[0]  # one page: repetition cannot tell it is a header
    text, notes = load_document(f, symbol="a/hrc/99/3 ")
    assert "A/HRC/99/3" not in text and notes.running_lines_removed == 1
    result = parse_file(Document(id="x", file=str(f), title="x", symbol="A/HRC/99/3"), f, settings)
    assert [p.label for p in result.passages] == ["1", "2", "3"]
    assert not any("A/HRC/99/3" in " ".join(p.section_path) for p in result.passages)


def test_pdf_hyphenation_at_line_ends_is_undone(tmp_path: Path) -> None:
    result = _parse(_report_pdf(tmp_path / "h.pdf"))
    text = " ".join(p.text for p in result.passages)
    assert "identification procedures" in text and "commercial sexual exploitation" in text
    assert "- " not in text.replace(" - ", "")


def test_pdf_two_columns_are_read_column_by_column(tmp_path: Path) -> None:
    doc = LayoutPdf(header="E/CN.15/2099/3", columns=2)
    doc.heading("Two-column report on the smuggling of migrants", 14, full_width=True)
    for n in range(1, 16):
        doc.paragraph(f"{n}. Paragraph {n} says that smuggled migrants must not be prosecuted for the fact "
                      "of having been smuggled, and that States parties should cooperate in preventing the "
                      f"smuggling of migrants by land, sea and air (end of paragraph {n}).")
    result = _parse(doc.save(tmp_path / "c.pdf"))
    assert result.notes.two_column_pages >= 1
    assert _labels(result) == [f"para. {n}" for n in range(1, 16)]
    for n, p in enumerate(result.passages, 1):
        assert p.text.endswith(f"(end of paragraph {n}).") and "E/CN.15" not in p.text


def _hanging_two_column_report(path: Path, paragraphs: int) -> tuple[Path, list[str]]:
    """Two columns with hanging numbers ("12." at the column edge, text indented), ragged right, a
    paragraph running from the right-hand column onto the next page — the layout of many UN reports."""
    doc = LayoutPdf(header="E/CN.15/2099/4", columns=2, bottom=560.0)
    doc.heading("Cooperation in the two-column part of a report", 12, full_width=True)
    subjects = ["joint investigation teams", "mutual legal assistance", "exchange of information",
                "policy briefs on non-punishment", "the voluntary trust fund for victims"]
    bodies = []
    for n in range(1, paragraphs + 1):
        words = " and ".join(f"{subjects[(n + k) % 5]} clause{n}w{k}" for k in range(3 + (n * 7) % 9))
        body = f"Member States reported on {words} during period P{n}. The Group issued briefs on item I{n}."
        first = (len(doc.pages), len(doc.pages[-1]))
        doc.paragraph(body, indent=30.0)
        page = doc.pages[first[0] - 1]
        if len(page) == first[1]:
            page, first = doc.pages[first[0]], (first[0] + 1, 0)  # it began on a new page
        line = page[first[1]]  # the paragraph's first word: its number hangs at the column edge
        page.append(Span(f"{n}.", line.x - 30.0, line.y, 10.0))
        bodies.append(body)
    return doc.save(path), bodies


@pytest.mark.parametrize("paragraphs", [10, 14, 16, 18])  # each ends the text at another place in the page
def test_pdf_two_column_hanging_numbers_paragraph_onto_next_page_loses_nothing(tmp_path: Path,
                                                                               paragraphs: int) -> None:
    f, bodies = _hanging_two_column_report(tmp_path / "hang.pdf", paragraphs=paragraphs)
    result = _parse(f)
    assert result.notes.two_column_pages >= 2 and max(p.page or 0 for p in result.passages) >= 2
    # No wrapped line taken as a heading, no paragraph started mid-sentence, nothing dropped.
    assert _labels(result) == [f"para. {n}" for n in range(1, paragraphs + 1)]
    for body, passage in zip(bodies, result.passages, strict=True):
        assert " ".join(passage.text.split()) == body  # every body character in its own paragraph


def test_aes_pdf_with_empty_user_password_is_read(tmp_path: Path, settings: Settings) -> None:
    plain = make_pdf(tmp_path / "p.pdf", [["1. Some text here for the test.", "2. And a second paragraph.",
                                           "3. And a third one."]])
    enc = encrypt_pdf(plain, tmp_path / "aes.pdf", password="", algorithm="AES-256")
    result = parse_file(Document(id="x", file=str(enc), title="x"), enc, settings)
    assert [p.label for p in result.passages] == ["1", "2", "3"]
    locked = encrypt_pdf(plain, tmp_path / "locked.pdf", password="secret", algorithm="AES-128")
    with pytest.raises(IngestError) as err:
        parse_file(Document(id="x", file=str(locked), title="x"), locked, settings)
    assert "password" in str(err.value) and "\n" not in str(err.value) and "locked.pdf" in str(err.value)


# ----------------------------------------------------------------------------- text
RUSSIAN = ("1. Государства должны обеспечить защиту жертв торговли людьми.\n\n"
           "2. Жертвы не должны подвергаться наказанию за правонарушения.\n\n"
           "3. Помощь не должна зависеть от сотрудничества с властями.\n")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "cp1251"])
def test_text_in_utf16_and_cp1251_is_decoded(tmp_path: Path, encoding: str) -> None:
    f = tmp_path / f"{encoding}.txt"
    data = RUSSIAN.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    f.write_bytes(data)
    result = _parse(f)
    assert [p.text for p in result.passages][1] == "Жертвы не должны подвергаться наказанию за правонарушения."
    assert result.notes.encoding.replace("_", "-").startswith(encoding[:6])


def test_binary_is_still_refused(tmp_path: Path) -> None:
    f = tmp_path / "b.txt"
    f.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(IngestError, match=r"binary|encoding"):
        load_document(f)


def test_more_than_a_thousand_numbered_paragraphs_keep_their_numbers() -> None:
    text = "\n\n".join(f"{n}. Paragraph {n} of a long report on trafficking in persons." for n in range(1, 1201))
    result = parse_text("long", text)
    assert [p.label for p in result.passages] == [str(n) for n in range(1, 1201)]
    assert all(p.text == f"Paragraph {p.label} of a long report on trafficking in persons." for p in result.passages)


# ----------------------------------------------------------------------------- other layouts
@pytest.mark.parametrize("subset", ["DEV", "BLIND"])
def test_native_citations_on_other_layouts(tmp_path: Path, subset: str) -> None:
    """Our own layouts (tests/fixture_instruments.py) rendered as PDF, DOCX and HTML and checked as
    ``check_citations.py`` does: each check sentence whole in one passage, cited natively. DEV: a GA
    resolution (preambular + operative paragraphs), a report with footnotes and "Page n of N" footers,
    a Council of Europe convention ("1 Text", "a)"). BLIND (built once, run at the end): principles
    and guidelines, a two-column report, a protocol with chapters and items."""
    import tests.fixture_instruments as fixtures
    from tests.instruments import write_set

    write_set(tmp_path, [f() for f in getattr(fixtures, subset)])
    misses = []
    for doc in __import__("json").loads((tmp_path / "checks.json").read_text())["docs"]:
        for fmt in ("pdf", "docx", "html"):
            result = _parse(tmp_path / "files" / f"{doc['stem']}.{fmt}")
            for unit, sentence in doc["checks"]:
                found = [p for p in result.passages if " ".join(sentence.split()) in " ".join(p.text.split())]
                cites = [p.label_text, *[s.label for s in p.sub_items]] if (p := found[0] if found else None) else []
                if not _cited_as(unit, cites):
                    misses.append((doc["stem"], fmt, unit, cites[:1]))
            assert not any(p.text[:1].islower() for p in result.passages), (doc["stem"], fmt)
    assert not misses


def _cited_as(unit: str, labels: list[str]) -> bool:
    kind, *nums = unit.split(":")
    if kind == "para":
        return bool(labels) and labels[0] == f"para. {nums[0]}"
    if kind == "principle":
        return bool(labels) and labels[0] == f"Principle {nums[0]}"
    if kind == "guideline":
        return bool(labels) and labels[0] == "Guideline " + ".".join(nums)
    number, paragraph, *subs = [*nums, "", ""][:4]
    label = f"art. {number}" + (f"({paragraph})" if paragraph else "") + "".join(f"({s})" for s in subs if s)
    return label in labels


def test_docx_council_of_europe_bare_letters_and_numbers_with_tabs(tmp_path: Path) -> None:
    f = make_docx(tmp_path / "coe.docx", [
        para("The member States of the Council of Europe and the other Signatories hereto,"),
        para("Considering that trafficking in human beings constitutes a violation of human rights;"),
        para("Have agreed as follows:"),
        *[x for n, title in ((1, "Purposes"), (2, "Scope"), (3, "Non-discrimination")) for x in (
            para(f"Article {n} – {title}", style="Heading2"), para(f"Text of article {n} on {title.lower()}."))],
        para("Article 4 – Definitions", style="Heading2"),
        para("For the purposes of this Convention:"),
        para("a\t“Trafficking in human beings” shall mean the recruitment of persons;"),
        para("b\tthe consent of a victim shall be irrelevant;"),
        para("Article 5 – Prevention", style="Heading2"),
        para("1\tEach Party shall take measures to establish national co-ordination."),
        para("2\tEach Party shall promote a human rights-based approach."),
    ])
    result = _parse(f)
    labels = _labels(result)
    assert labels[:3] == ["preamble", "preamble, para. 1", "preamble"]  # enacting formulas are not numbered
    assert labels[3:] == ["art. 1", "art. 2", "art. 3", "art. 4", "art. 5(1)", "art. 5(2)"]
    art4 = result.passages[6]
    assert [s.label for s in art4.sub_items] == ["art. 4(a)", "art. 4(b)"]
