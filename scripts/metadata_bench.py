"""Score the details ``tipguide add`` reads from files (``assistant.ingest.metadata``) against a
folder's ``expected.json`` — a list of {"file", "symbol", "title", "body", "date", "type"} as a
catalogue would hold them. A date counts when it is the same, or the expected year alone is read.

    .venv/bin/python scripts/metadata_bench.py tests/fixtures/metadata/set1 [-v]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from assistant.ingest.loaders import load_document
from assistant.ingest.metadata import read_metadata

FIELDS = ("symbol", "title", "body", "type", "date")


def matches(field: str, expected: str, read: str) -> bool:
    """Equal after spacing is normalised; a date read as a year only counts for an expected year."""
    expected, read = " ".join(expected.split()), " ".join(read.split())
    return expected == read or (field == "date" and bool(read) and len(read) == 4 and expected == read)


def score(folder: Path, verbose: bool = False) -> dict[str, tuple[int, int]]:
    """Right / total per field over every file listed in ``folder/expected.json``."""
    right = dict.fromkeys(FIELDS, 0)
    entries = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    for entry in entries:
        path = folder / entry["file"]
        text, notes = load_document(path)
        read = read_metadata(text, notes, path)
        for field in FIELDS:
            ok = matches(field, entry.get(field) or "", read.fields.get(field, ""))
            right[field] += ok
            if verbose and not ok:
                print(f"{entry['file']}: {field} expected {entry.get(field)!r}, read {read.fields.get(field, '')!r}")
    return {field: (right[field], len(entries)) for field in FIELDS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true", help="print each miss")
    args = parser.parse_args()
    result = score(args.folder, args.verbose)
    print(", ".join(f"{field} {ok}/{n}" for field, (ok, n) in result.items()))


if __name__ == "__main__":
    main()
