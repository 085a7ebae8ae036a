"""The corpus: ``corpus/sources.toml`` (the manifest) and the files in ``corpus/documents/``.

Reading the manifest, fingerprinting the corpus (so a stale index is noticed) and ``tipguide add``.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tomllib
from pathlib import Path

from assistant.errors import TipguideError
from assistant.models import Document

MANIFEST = "sources.toml"
DOC_FIELDS = ("id", "file", "title", "short_title", "symbol", "body", "type", "date", "language", "url")


class CorpusError(TipguideError):
    """The manifest is unreadable or an ``add`` request is invalid."""


def load_manifest(corpus_dir: Path) -> list[Document]:
    """All documents listed in the manifest, in manifest order."""
    path = corpus_dir / MANIFEST
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{path}: invalid TOML ({exc})") from exc
    docs = []
    for entry in data.get("document", []):
        docs.append(Document(**{k: str(entry.get(k, "")) for k in DOC_FIELDS if k in entry}))
    ids = [d.id for d in docs]
    if len(ids) != len(set(ids)):
        raise CorpusError(f"{path}: duplicate document ids")
    return docs


def corpus_fingerprint(corpus_dir: Path) -> str:
    """Hash of the manifest and every listed file's bytes: changes whenever the corpus does."""
    h = hashlib.sha256()
    manifest = corpus_dir / MANIFEST
    if manifest.exists():
        h.update(manifest.read_bytes())
    for doc in load_manifest(corpus_dir):
        f = corpus_dir / doc.file
        h.update(doc.id.encode())
        h.update(f.read_bytes() if f.exists() else b"<missing>")
    return h.hexdigest()[:16]


def _toml_str(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def slugify(text: str, limit: int = 48) -> str:
    """A file- and id-safe slug."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-") or "document"


def add_document(corpus_dir: Path, src: Path, meta: dict[str, str]) -> Document:
    """Copy ``src`` into ``corpus/documents`` and append it to the manifest.

    The stored name is derived from a slug, never from the user's path, so nothing can be written
    outside the corpus directory. The caller is expected to have checked that the file parses.
    """
    from assistant.ingest.loaders import SUPPORTED, IngestError  # lazy: ingest imports this module

    if src.suffix.lower() not in SUPPORTED:
        raise IngestError(src, f"unsupported file type {src.suffix or '(none)'}")
    docs = load_manifest(corpus_dir)
    title = meta.get("title") or src.stem.replace("_", " ").replace("-", " ")
    doc_id = slugify(meta.get("id") or meta.get("symbol") or title, 40)
    base, n = doc_id, 2
    while any(d.id == doc_id for d in docs):
        doc_id, n = f"{base}-{n}", n + 1
    dest_dir = corpus_dir / "documents"
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / f"{doc_id}{src.suffix.lower()}"
    if dest.resolve().parent != dest_dir.resolve():
        raise CorpusError(f"refusing to write outside {dest_dir}")
    shutil.copyfile(src, dest)
    doc = Document(
        id=doc_id, file=f"documents/{dest.name}", title=title,
        **{k: meta[k] for k in ("short_title", "symbol", "body", "type", "date", "language", "url")
           if meta.get(k)},
    )
    entry = "\n[[document]]\n" + "".join(
        f"{k} = {_toml_str(str(getattr(doc, k)))}\n" for k in DOC_FIELDS
    )
    with (corpus_dir / MANIFEST).open("a", encoding="utf-8") as fh:
        fh.write(entry)
    return doc
