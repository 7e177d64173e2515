# Two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false


.PHONY: setup run test lint eval bench fuzz clean browser

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	# torch first and pinned: this machine has the CPU build on disk; plain `torch` pulls CUDA.
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/knotbot ingest
	$(BIN)/knotbot serve

lint: setup
	$(BIN)/ruff check rag ui tests
	$(BIN)/mypy

# The browser tests drive Debian's chromium: install it where we can (root and apt).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
	      >/dev/null) || echo "warning: could not install chromium; browser tests will be skipped"; \
	  else echo "warning: chromium is missing (install it as root with apt-get); browser tests will be skipped"; fi; }

test: lint browser
	$(BIN)/pytest

eval: setup
	$(BIN)/knotbot ingest
	$(BIN)/knotbot eval

# Speed and memory figures (cold start, warm latency, concurrent users, 1,000 and 10,000
# synthetic chunks); they depend on the machine and its load, so they are printed, not tested.
bench: setup
	$(BIN)/knotbot ingest
	$(BIN)/knotbot bench

# The full fuzz run (1,000 inputs to rag.answer and to ask --jsonl, 200 to the app's API).
fuzz: setup
	$(BIN)/knotbot ingest
	$(BIN)/knotbot fuzz > evals/fuzz.txt; status=$$?; cat evals/fuzz.txt; exit $$status

clean:
	rm -rf $(VENV) .knotbot .pytest_cache .mypy_cache .ruff_cache
