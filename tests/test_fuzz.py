"""Fuzzing the document loaders and the parser: random bytes and mutated real PDF / DOCX / HTML /
Markdown files either parse or fail with ``IngestError`` (a clean, named, one-line error), within a
time bound per file; and one bad file never stops the ingest of the others.
"""

from __future__ import annotations

import io
import shutil
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.cli import cli
from assistant.ingest import IngestError, parse_file
from assistant.ingest.loaders import load_text
from assistant.models import Document
from assistant.settings import REPO_ROOT, Settings

PARSE_TIMEOUT_S = 5.0
SUFFIXES = [".pdf", ".docx", ".html", ".md", ".txt"]
FUZZ = settings(max_examples=80, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _pdf_seed() -> bytes:
    """A small valid one-page PDF with a numbered paragraph (hand-written, offsets computed)."""
    text = b"BT /F1 12 Tf 72 720 Td (1. States shall protect victims of trafficking.) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % off for off in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _docx_seed() -> bytes:
    import docx

    d = docx.Document()
    d.add_heading("Protection of victims", level=1)
    d.add_paragraph("1. States shall protect victims of trafficking in persons.")
    d.add_paragraph("2. Victims should not be punished for offences they were compelled to commit.")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


MD_SEED = (REPO_ROOT / "corpus" / "documents" / "wg-tip-2020-recommendations-adopted.md").read_bytes()[:4000]
HTML_SEED = (b"<html><head><title>T</title><script>alert(1)</script></head><body><h1>Victims</h1>"
             b"<p>1. States shall protect victims<sup>1</sup> of trafficking.</p><ul><li>(a) one</li>"
             b"</ul><table><tr><td>a</td><td>b</td></tr></table><p><sup>1</sup> A footnote.</p>"
             b"</body></html>")
SEEDS = {".pdf": _pdf_seed(), ".docx": _docx_seed(), ".html": HTML_SEED, ".md": MD_SEED, ".txt": MD_SEED}


def _settings(tmp: Path) -> Settings:
    values: dict[str, Any] = {"data_dir": tmp / "data", "embedder": "hash",
                              "parse_timeout_s": PARSE_TIMEOUT_S}
    return Settings(**values)


def _check(tmp: Path, suffix: str, data: bytes) -> None:
    """Parse ``data`` as a ``suffix`` file: success or IngestError, never anything else, bounded."""
    path = tmp / f"fuzz{suffix}"
    path.write_bytes(data)
    doc = Document(id="fuzz", file=path.name, title="fuzz")
    t0 = time.monotonic()
    try:
        result = parse_file(doc, path, _settings(tmp))
        assert result.passages
    except IngestError as exc:
        message = str(exc)
        assert message.startswith(path.name + ":") and "\n" not in message, message
        assert "Traceback" not in message
    elapsed = time.monotonic() - t0
    assert elapsed < PARSE_TIMEOUT_S + 2, f"{suffix} took {elapsed:.1f} s"


def test_seeds_parse(tmp_path: Path) -> None:
    """The unmutated seeds are valid (so the mutations below start from real files)."""
    for suffix, data in SEEDS.items():
        path = tmp_path / f"seed{suffix}"
        path.write_bytes(data)
        assert "victims" in load_text(path).lower(), suffix


@FUZZ
@given(suffix=st.sampled_from(SUFFIXES), data=st.binary(min_size=0, max_size=4096))
def test_random_bytes(tmp_path: Path, suffix: str, data: bytes) -> None:
    _check(tmp_path, suffix, data)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """A seed with a few byte flips, inserted junk, a cut or a duplicated slice."""
    suffix = draw(st.sampled_from(list(SEEDS)))
    data = bytearray(SEEDS[suffix])
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "cut", "dup"]))
        pos = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=64))
        elif op == "cut":
            del data[pos : pos + draw(st.integers(1, 512))]
        else:
            data[pos:pos] = data[pos : pos + draw(st.integers(1, 256))] * draw(st.integers(2, 20))
    return suffix, bytes(data)


@FUZZ
@given(case=mutated())
def test_mutated_seeds(tmp_path: Path, case: tuple[str, bytes]) -> None:
    _check(tmp_path, *case)


def _docx_with(document_xml: bytes) -> bytes:
    """The DOCX seed with its ``word/document.xml`` replaced (a zip that is valid, XML that is not)."""
    src = zipfile.ZipFile(io.BytesIO(SEEDS[".docx"]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, document_xml if item.filename == "word/document.xml" else src.read(item))
    return out.getvalue()


@FUZZ
@given(xml=st.binary(max_size=512) | st.text(max_size=512).map(str.encode))
def test_docx_with_broken_xml(tmp_path: Path, xml: bytes) -> None:
    _check(tmp_path, ".docx", _docx_with(xml))


@pytest.mark.parametrize("suffix,data", [
    (".html", b"<div>" * 20000 + b"deep" + b"</div>" * 20000),
    (".md", b"1. " + b"(" * 50000 + b"a" * 50000),
    (".md", (b"# h\n\n" + b"x" * 30 + b"\n") * 5000),
    (".pdf", b"%PDF-1.4\n" + b"1 0 obj\n<< /Kids [1 0 R] /Type /Pages >>\nendobj\n" * 200),
    (".docx", b"PK\x03\x04" + b"\x00" * 100),
    (".txt", "\u202e\u0000\ufeff".encode() * 1000),
])
def test_pathological_files(tmp_path: Path, suffix: str, data: bytes) -> None:
    _check(tmp_path, suffix, data)


def test_one_bad_file_does_not_stop_the_ingest(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", corpus)
    (corpus / "documents" / "broken.pdf").write_bytes(SEEDS[".pdf"][:200])
    with (corpus / "sources.toml").open("a") as fh:
        fh.write('\n[[document]]\nid = "broken"\nfile = "documents/broken.pdf"\ntitle = "Broken"\n')
    data = tmp_path / "data"
    res = CliRunner().invoke(cli, ["--corpus-dir", str(corpus), "--data-dir", str(data), "ingest"])
    assert res.exit_code == 1
    assert "broken.pdf:" in res.output and "Traceback" not in res.output
    counted = {line.split()[0] for line in res.output.splitlines() if line.endswith(" passages")}
    assert {"wg4-2022-2", "unodc-np-2023"} <= counted and "broken" not in counted
    assert not data.exists()  # a check: what is searchable is only what `tipguide index` built


def test_parse_time_bound_is_enforced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A parser stuck on a file (simulated) is stopped by ``parse_timeout_s`` with a named error."""
    import assistant.ingest as ingest

    def stuck(doc_id: str, text: str, furniture: frozenset[str] = frozenset()) -> Any:
        time.sleep(30)

    monkeypatch.setattr(ingest, "parse_text", stuck)
    path = tmp_path / "slow.md"
    path.write_bytes(MD_SEED)
    values: dict[str, Any] = {"data_dir": tmp_path / "data", "parse_timeout_s": 1.0}
    t0 = time.monotonic()
    with pytest.raises(IngestError, match=r"slow\.md: parsing took longer than 1 s"):
        parse_file(Document(id="slow", file="slow.md", title="slow"), path, Settings(**values))
    assert time.monotonic() - t0 < 10  # the stuck parse sleeps 30 s: cut by the 1 s alarm
