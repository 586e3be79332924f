# Two set-up commands, both from a fresh machine with nothing installed by hand:
#   make demo   creates .venv, installs cleanup, and checks the seed article
#   make test   creates .venv, installs cleanup with every tested extra, runs the whole suite
# `uv` installs in seconds where pip takes half a minute, and installs are paid on every CI run.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
EXTRAS := test,ray,gloss

.PHONY: demo test bench install install-dev lint clean

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

# make bench: every figure of benchmarks/ from one run on committed data (about 10 minutes on
# 2 cores), then the table of goals; BENCH_QUICK=1 runs a subset in a few minutes.
BENCHES := speed linear corpus ftfy_cases names

bench: install-dev
	@goals=$$(mktemp); export CLEANUP_BENCH_GOALS=$$goals; \
	for name in $(BENCHES); do \
	  echo "== benchmarks/bench_$$name.py"; started=$$(date +%s); \
	  $(BIN)/python benchmarks/bench_$$name.py || { rm -f $$goals; exit 1; }; \
	  echo "($$(( $$(date +%s) - started )) s; load average $$(cut -d' ' -f1-3 /proc/loadavg))"; \
	  echo; \
	done; \
	$(BIN)/python benchmarks/goals.py $$goals; rm -f $$goals

lint: install-dev
	$(BIN)/python -m ruff check cleanup tests benchmarks scripts
	$(BIN)/python -m mypy cleanup

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
