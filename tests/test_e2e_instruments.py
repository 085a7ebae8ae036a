"""End to end with instruments a user adds (real MiniLM, embedded Chroma): the Smuggling of Migrants
Protocol as a PDF and CEDAW general recommendation No. 38 as a DOCX, added with no details typed.
They are cited as a lawyer cites them, found by their articles' titles, and a question naming one
of them is answered from it first."""

from __future__ import annotations

import shutil

import pytest

from assistant.chat import Assistant
from assistant.corpus import add_document
from assistant.index import build_index
from assistant.ingest import parse_file
from assistant.ingest.metadata import completed
from assistant.models import Document
from assistant.retrieve import Retriever
from assistant.settings import REPO_ROOT, Settings

pytestmark = pytest.mark.e2e
FILES = REPO_ROOT / "tests" / "fixtures" / "realdocs" / "files"


@pytest.fixture(scope="module")
def added(tmp_path_factory: pytest.TempPathFactory) -> Assistant:
    root = tmp_path_factory.mktemp("instruments")
    shutil.copytree(REPO_ROOT / "corpus", root / "corpus")
    s = Settings(corpus_dir=root / "corpus", data_dir=root / "data", embedder="minilm")
    for name in ("A_RES_55_25_Annex_III_Smuggling_of_Migrants_Protocol.pdf",
                 "CEDAW_C_GC_38_General_recommendation_38_EXCERPT.docx"):
        path = FILES / name
        result = parse_file(Document(id="upload", file=str(path), title=path.stem), path, s, details=True)
        add_document(s.corpus_dir, path, completed({}, result.metadata))  # as `tipguide add FILE`
    build_index(s)
    return Assistant(s, Retriever.open(s))


def test_a_treaty_paragraph_is_found_by_its_articles_title(added: Assistant) -> None:
    """Art. 18's paragraphs never say "smuggled migrants"; their article's title does."""
    hits = added.retriever.search("return of smuggled migrants to their country", k=5)
    assert any(h.passage.id.startswith("a-res-55-25-annex-iii:art-18") for h in hits), [h.passage.id for h in hits]


def test_a_named_instrument_answers_first_cited_by_its_symbol(added: Assistant) -> None:
    a = added.ask("What does the smuggling protocol say about the return of smuggled migrants?")
    assert not a.refused and a.citations[0].citation.startswith("A/RES/55/25, annex III, art. 18"), \
        [c.citation for c in a.citations]
    a = added.ask("What does general recommendation 38 say about the root causes of trafficking?")
    assert not a.refused and a.citations[0].citation == "CEDAW/C/GC/38, para. 2", [c.citation for c in a.citations]


def test_one_article_does_not_fill_the_first_five(added: Assistant) -> None:
    """Art. 8's seven paragraphs on vessels share a question's words on boarding ships; the
    provision that says which ships may board (art. 9(4)) ranked below five of them."""
    q = ("Under the Smuggling of Migrants Protocol, which ships or aircraft are allowed to carry out "
         "boarding and other measures at sea against a suspected smuggling vessel?")

    def top5(r: Retriever) -> list[str]:
        return [h.passage.id for h in r.search(q, k=5)]

    spread = top5(added.retriever)
    assert "a-res-55-25-annex-iii:art-9-4" in spread, spread
    assert sum(pid.startswith("a-res-55-25-annex-iii:art-8-") for pid in spread) <= 2, spread
    s = added.retriever.settings.model_copy(update={"provision_cap": 0})
    crowded = top5(Retriever.open(s))
    assert sum(pid.startswith("a-res-55-25-annex-iii:art-8-") for pid in crowded) > 2, crowded
