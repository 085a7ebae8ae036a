"""End to end with the real parts: MiniLM from its PyPI package, embedded Chroma, the CLI in a
fresh process. Paraphrased questions must find their paragraph; answers come out cited as JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.chat import Assistant
from assistant.index import build_index
from assistant.models import Turn
from assistant.retrieve import Retriever
from assistant.settings import REPO_ROOT, Settings
from assistant.text import split_sentences

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    s = Settings(corpus_dir=REPO_ROOT / "corpus", data_dir=tmp_path_factory.mktemp("e2e"), embedder="minilm")
    summary = build_index(s)
    # From scratch every distinct window is embedded; the few identical windows (a repeated table
    # header) are embedded once and reused.
    assert summary.passages > 200 and summary.embedded + summary.cached == summary.units
    assert summary.cached <= 0.02 * summary.units
    return s


@pytest.mark.parametrize("query,gold", [
    ("my client got a conviction but no sentence", "wg4-2022-2:para-12"),
    ("can relatives of a trafficked person get permission to stay", "wg4-2020-recs:recommendation-3"),
    ("money the Strasbourg court gave the two Vietnamese men", "wg4-2022-2:para-23"),
    ("prosecutors teaming up across borders in joint teams", "wg4-2020-recs:recommendation-24"),
])
def test_paraphrased_questions_find_their_paragraph(real: Settings, query: str, gold: str) -> None:
    hits = Retriever.open(real).search(query, k=5)
    assert gold in [h.passage.id for h in hits], [h.citation for h in hits]


# Stories of control told by someone who is not police, asking what to do: the toolkit's answer is
# its presumption that a person who may be a victim is one until screened.
PRESUMPTION = "unodc-toolkit-1:1-3-identification-and-referral:4"
WAREHOUSE = ("Our warehouse temp told the first-aider that the agency took his passport and he owes them for the "
             "flight, and he was crying. We're a logistics firm, not social services - what's expected of us?")
MARKET = ("A boy selling flowers at our market stall every night says the man who brought him keeps all the money "
          "and threatens his mother back home. I run the market. What should we be doing?")
HOUSEKEEPING = ("A woman cleaning rooms for our subcontractor told me her boss keeps her passport and she hasn't "
                "been paid since she arrived in March. I only supervise housekeeping. What is supposed to happen "
                "to her now?")


@pytest.mark.parametrize("story", [WAREHOUSE, MARKET])
def test_a_story_asking_what_to_do_finds_the_presumption_among_the_first_three(real: Settings, story: str) -> None:
    """The story's own words put the presumption past the first three; the search by the notion's
    words brings it up. Measured with the question memory off in both runs, so that only the notion
    search differs: the memory moves these stories on its own (it brings the presumption into the
    warehouse story's first three, and, retrained with practitioners59-61, puts the market story's
    fifth, behind paragraphs earlier stories of children were answered by)."""
    without_memory = real.model_copy(update={"question_memory": False})
    first = [h.passage.id for h in Retriever.open(without_memory).search(story, k=3)]
    assert PRESUMPTION in first, first
    alone = Retriever.open(without_memory.model_copy(update={"notion_search_at": 0})).search(story, k=3)
    assert PRESUMPTION not in [h.passage.id for h in alone]


@pytest.mark.parametrize("source", ["wg4-2022-2:para-27", "unodc-np-2023:2022-working-group-on-trafficking-in-persons:2"])
def test_a_pasted_sentence_naming_another_document_finds_its_source_first(real: Settings, source: str) -> None:
    """A drafter pastes a sentence to find where it comes from. These sentences cite another
    document ("(CTOC/COP/2020/CRP.2, para. 1)", "Recommendation 2: …" of the 2020 recommendations),
    which a question would be routed to; the paragraph both rankers put first still comes first."""
    r = Retriever.open(real)
    sentence = next(s for s in split_sentences(r.passages[source].text)
                    if "CRP.2" in s or s.startswith("Recommendation 2"))
    hits = r.search(sentence, k=5)
    assert hits[0].passage.id == source, [h.citation for h in hits]
    assert len({h.passage.id for h in hits}) == 5


def _cli(real: Settings, *args: str, seed: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TIPGUIDE_DATA_DIR": str(real.data_dir)}
    if seed is not None:
        env["PYTHONHASHSEED"] = seed
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True,
                          env=env, timeout=300, check=False)


def test_cli_ask_json_from_a_cold_process(real: Settings) -> None:
    r = _cli(real, "ask", "Should trafficking victims be prosecuted for crimes their traffickers forced on them?", "--json")
    assert r.returncode == 0, r.stderr
    a = json.loads(r.stdout)
    assert not a["refused"] and a["sentences"] and a["mode"] == "extractive"
    assert all(s["citations"] and s["support"] == "supported" for s in a["sentences"])
    assert {"passage_id", "document_id", "citation", "text", "url"} <= set(a["citations"][0])


def test_an_answer_is_the_same_in_every_process(real: Settings) -> None:
    """Two sentences of one paragraph tie in the choice (one window, the same question words); the
    answer opening with either depended on the order a set was summed in, which Python's hash seed
    changes from process to process (seed 6 opened this answer differently from seed 1)."""
    asked = ("Do these documents treat trafficking and migrant smuggling as separate issues, or do they "
             "discuss where the two overlap? Please compare.")
    texts = []
    for seed in ("1", "6"):
        r = _cli(real, "ask", asked, "--json", seed=seed)
        assert r.returncode == 0, r.stderr
        texts.append([s["text"] for s in json.loads(r.stdout)["sentences"]])
    assert texts[0] == texts[1]


def test_cli_batch_search(real: Settings, tmp_path: Path) -> None:
    inp, out = tmp_path / "q.jsonl", tmp_path / "o.jsonl"
    inp.write_text('{"id": "a", "query": "non-punishment principle"}\n{"id": "b", "query": ""}\n')
    r = _cli(real, "search", "--queries", str(inp), "--out", str(out), "--k", "3")
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert rows[0]["id"] == "a" and len(rows[0]["hits"]) == 3 and rows[1]["error"].startswith("the query is empty")


@pytest.fixture(scope="module")
def real_assistant(real: Settings) -> Assistant:
    return Assistant.from_settings(real)


@pytest.mark.parametrize("question", [
    "What is the capital of Australia?", "What is the population of Brazil?",
    "What's the dollar to yen exchange rate?", "How does photosynthesis work?",
    "Which programming language should I learn first?",
    # practitioners82, read: "who owes her" and "threatening a chargeback" are no signs of control
    "customer's hotel (booked through us, non-refundable) was overbooked and they walked her to a worse hotel "
    "across town. who owes her what, us or the hotel? she's threatening a chargeback",
])
def test_off_topic_questions_are_declined_with_the_reason(real_assistant: Assistant, question: str) -> None:
    a = real_assistant.ask(question)
    assert a.refused and not a.sentences and a.refusal_reason
    assert a.refusal_kind in ("off_topic", "unknown_terms", "weak_match", "missing_detail")


@pytest.mark.parametrize(("question", "field"), [
    ("How do I get a suspect in a burglary case extradited from a country with no treaty with us?",
     "extradition"),
    ("what are the usual red flags of trade-based money laundering a bank compliance team looks for?",
     "money-laundering"),
    # a narrow subject of its own line: the grouped lines sat too far from it to decline it
    ("What aggravating factors raise the sentence for a night-time burglary of an occupied home?",
     "residential burglary"),
    # the users' own work next door (practitioners44: a harbourmaster's unpaid dues)
    ("A foreign trawler owes us three months of port dues and the owner has gone silent. What's the "
     "procedure to detain the vessel until they pay?", "arresting a ship"),
    # instruments24, read: "detention" charges are the texts' word
    ("A container we booked has been sitting at the port past its free time because the importer hasn't paid the "
     "duty. How are demurrage and detention charges normally split, and can we pass both on to the consignee?",
     "container shipping charges"),
    # practitioners82, read: a permit to survey shoppers
    ("Do I need a pedlar's certificate or any sort of council permit to stop people on the high street with "
     "a tablet survey, or is it only inside the shopping centre that I need management's permission?",
     "street trading and canvassing permits"),
])
def test_a_neighbouring_subject_is_declined_naming_it(real_assistant: Assistant, question: str, field: str) -> None:
    # the texts mention these subjects in passing, so a passage is close enough for the distance gate;
    # a neighbouring subject they do not cover is closer still
    a = real_assistant.ask(question)
    assert a.refused and a.refusal_kind == "off_topic"
    assert field in a.refusal_reason and "subject next to what the indexed texts cover" in a.refusal_reason


def test_a_case_the_asker_says_involves_no_trafficking_is_judged_without_those_words(
        real_assistant: Assistant) -> None:
    # "No trafficking involved" puts the texts' subject into the question only to set it aside: with
    # those words the question sat nearer the texts than the gate's margin, and was answered
    a = real_assistant.ask("How do I do a risk assessment for a woman fleeing an abusive husband? "
                           "No trafficking involved, just DV.")
    assert a.refused and a.refusal_kind == "off_topic" and "domestic violence" in a.refusal_reason
    # the same words about someone else's claim leave a question of the field in scope
    b = real_assistant.ask("Her employer says it's not trafficking because she agreed to the job. "
                           "Does her consent matter?")
    assert b.refusal_kind != "off_topic"


def test_questions_of_the_field_near_a_neighbouring_subject_are_answered(real_assistant: Assistant) -> None:
    for question in ("Should prosecutors drop charges against a teenager forced by a gang to sell drugs?",
                     "Can we work with police in another country to protect a trafficking victim who testifies?",
                     # ordinary offences on their face, the texts' own ground in fact
                     "A 15-year-old was caught stealing in shops for adults who brought him from abroad and "
                     "take his money. Should he be prosecuted?",
                     "Two women found in a cannabis grow house say they owe the gang for their travel. Can "
                     "they rely on a defence?"):
        a = real_assistant.ask(question)
        assert not a.refused, (question, a.refusal_reason)
    field, margin = real_assistant.retriever.nearest_neighbour_field(
        "Should prosecutors drop charges against a teenager forced by a gang to sell drugs?", [])
    assert field and margin > 0  # without passages to compare, any subject is "closer": the hits decide


@pytest.mark.parametrize("story", [WAREHOUSE, HOUSEKEEPING])
def test_a_story_asking_what_to_do_is_answered_with_the_presumption(real: Settings, story: str) -> None:
    """The answer quotes the presumption: its sentence uses the texts' words for the notion the story
    tells, which the choice of sentences weighs (``notion_sentence_weight``); without that weight it
    is left out — on MiniLM's own embedding of the story (the query adapter, which learned where such
    stories are answered, brings it for one of them by itself)."""
    cited = {c.passage_id for c in Assistant(real, Retriever.open(real)).ask(story).citations}
    assert PRESUMPTION in cited, cited
    plain = real.model_copy(update={"notion_sentence_weight": 0.0, "query_adapter": False})
    assert PRESUMPTION not in {c.passage_id for c in Assistant(plain, Retriever.open(plain)).ask(story).citations}


def test_on_topic_answer_opens_with_a_direct_answer(real_assistant: Assistant) -> None:
    a = real_assistant.ask("Can a trafficking victim be kept in a shelter against her will?")
    assert not a.refused and a.sentences
    assert all(s.relevance_level in ("direct", "related", "background") for s in a.sentences)
    assert a.sentences[0].relevance_level == "direct"


def test_a_case_told_in_several_sentences_is_in_scope_when_one_sentence_is(real_assistant: Assistant) -> None:
    """The story sentence sits near the texts, the short question after it does not, and the
    question as a whole falls below a bar set just above it: one close sentence keeps it in scope."""
    from assistant.answer.extractive import assess_evidence

    r = real_assistant.retriever
    q = ("My client got stopped at the airport with a fake passport, but she only had it because the guys "
         "who brought her over gave it to her and kept her real one. can she still be charged for that??")
    hits = r.search(q, k=10)
    bar = r.neighbourhood(q, hits) + 0.01
    assert assess_evidence(q, hits, r, 0.0, domain_threshold=bar).kind != "off_topic"
    one = "What is the capital of Australia?"
    assert assess_evidence(one, r.search(one, k=10), r, 0.0, domain_threshold=0.55).kind == "off_topic"


def test_a_followup_on_a_named_document_answers_from_it_first(real_assistant: Assistant) -> None:
    """"Did they say anything about training?" after a question on the 2020 recommendations is
    answered from them first (before: from the UNODC contribution, whose words matched best)."""
    history = [Turn(role="user", content="What did the Working Group recommend in 2020 on national legislation?")]
    a = real_assistant.ask("did they say anything about training?", history)
    assert not a.refused
    assert a.citations[0].passage_id.startswith("wg4-2020-recs:")


def test_a_followup_pointing_back_is_in_scope_when_what_it_leans_on_is(real_assistant: Assistant) -> None:
    """"ok but does that expectation apply to a tiny franchise like mine?" after a question on forced
    labour through a labour provider is about that question's subject (practitioners36: it was
    declined as off-topic); a follow-up that changes the subject is still declined."""
    history = [Turn(role="user", content="If I found out one of my cleaners was in forced labour through a labour "
                    "provider I used, would I as the business owner be in trouble?"),
               Turn(role="assistant", content="The documents expect businesses to exercise due diligence.")]
    a = real_assistant.ask("ok but does that expectation apply to a tiny franchise like mine with 12 staff, or is "
                           "it really aimed at big companies?", history)
    assert a.refusal_kind != "off_topic"
    away = real_assistant.ask("and what is the capital of Australia?", history)
    assert away.refused and away.refusal_kind in ("off_topic", "missing_detail", "weak_match")
