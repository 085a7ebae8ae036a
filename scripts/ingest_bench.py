"""Ingest speed and memory: the seeds' parse time, and ingest time + peak memory of a 300-page
UN-style PDF (running header, page numbers, footnotes, > 1,000 numbered paragraphs).

    .venv/bin/python scripts/ingest_bench.py [--pages 300]

Each figure is the median of a few runs; the PDF is parsed in a child process so its peak RSS is
its own (ru_maxrss of that child).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def seeds_parse_seconds(runs: int = 3) -> tuple[float, int]:
    from assistant.ingest import ingest_corpus
    from assistant.settings import Settings

    times, count = [], 0
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            report = ingest_corpus(Settings(data_dir=Path(tmp)), write=False)
        times.append(report.seconds)
        count = len(report.passages)
    return statistics.median(times), count


def make_big_pdf(path: Path, pages: int) -> int:
    from tests.pdfmaker import LayoutPdf

    doc = LayoutPdf(header="A/99/999", footer="Page {n} of {total}", job_number="V.99-01234 (E)")
    doc.heading("Report of the Secretary-General on trafficking in persons", 14)
    n = 0
    while len(doc.pages) <= pages:
        n += 1
        if n % 40 == 1:
            doc.heading(f"Section {n // 40 + 1}", 12, centred=False)
        notes = [(str(n), f"Note {n}: source of the data in paragraph {n}.")] if n % 25 == 0 else None
        doc.paragraph(f"{n}. In paragraph {n}, States are encouraged to strengthen the identification of "
                      f"victims{'^' + str(n) if notes else ''} and to provide assistance that does not depend on "
                      "their cooperation with the authorities.", notes=notes, hyphenate=True)
    doc.pages, doc.feet = doc.pages[:pages], doc.feet[:pages]
    doc.save(path)
    return n


CHILD = """
import sys, time, resource
from pathlib import Path
from assistant.ingest.loaders import load_document
from assistant.ingest.parser import parse_text
t = time.perf_counter()
text, notes = load_document(Path(sys.argv[1]), 500)
result = parse_text("big", text)
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(result.passages),
      max(int(p.label) for p in result.passages if p.label_kind == "para"), notes.pages)
"""


def big_pdf(pages: int, runs: int = 3) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.pdf"
        paragraphs = make_big_pdf(path, pages)
        out = []
        for _ in range(runs):
            r = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True,
                               check=True, cwd=ROOT)
            out.append([float(x) for x in r.stdout.split()])
        secs = statistics.median(o[0] for o in out)
        rss = statistics.median(o[1] for o in out) / 1024
        return {"pages": out[0][4], "paragraphs_written": paragraphs, "passages": out[0][2],
                "last_paragraph": out[0][3], "seconds": secs, "peak_rss_mb": rss,
                "mb": path.stat().st_size / 1e6}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=300)
    a = ap.parse_args()
    secs, n = seeds_parse_seconds()
    print(f"seeds: {n} passages parsed in {secs:.3f} s (median of 3)")
    big = big_pdf(a.pages)
    print(f"{big['pages']:.0f}-page PDF ({big['mb']:.1f} MB, {big['passages']:.0f} passages, last paragraph "
          f"{big['last_paragraph']:.0f}): {big['seconds']:.1f} s, peak RSS {big['peak_rss_mb']:.0f} MB (median of 3)")


if __name__ == "__main__":
    main()
