# Two set-up commands, both from a fresh machine with nothing installed by hand:
#   make demo   creates .venv, installs cleanup, and checks the seed article
#   make test   creates .venv, installs cleanup with every tested extra, runs the whole suite
# `uv` installs in seconds where pip takes half a minute, and installs are paid on every CI run.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
EXTRAS := test,ray,gloss

.PHONY: demo test fuzz bench install install-dev lint clean

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv

install: $(UV)
	$(UV) pip install --quiet --python $(BIN)/python -e '.[gloss]'

install-dev: $(UV)
	$(UV) pip install --quiet --python $(BIN)/python -e '.[$(EXTRAS)]'

demo: install
	@echo "$$ cleanup check fixtures/washington-post-biden-netanyahu.en.txt"
	@$(BIN)/cleanup check fixtures/washington-post-biden-netanyahu.en.txt; \
	  status=$$?; [ $$status -le 1 ] || exit $$status
	@echo
	@echo "$$ cleanup fix --diff --unsafe-fixes --foreign gloss fixtures/washington-post-biden-netanyahu.en.txt"
	@$(BIN)/cleanup fix --diff --unsafe-fixes --foreign gloss fixtures/washington-post-biden-netanyahu.en.txt; \
	  status=$$?; [ $$status -le 1 ] || exit $$status

test: install-dev
	$(BIN)/python -m pytest -q

# The property tests at 100,000 examples of fix on generated text (about an hour); the last
# line says how many examples ran. CLEANUP_FUZZ_EXAMPLES=N runs N instead.
fuzz: install-dev
	CLEANUP_FUZZ=1 $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_properties.py tests/test_edits.py

bench: install-dev
	@for script in benchmarks/bench_*.py; do \
	  echo "== $$script"; $(BIN)/python $$script || exit 1; echo; done

lint: install-dev
	$(BIN)/python -m ruff check cleanup tests benchmarks scripts
	$(BIN)/python -m mypy cleanup

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
