# Two set-up commands, both from a fresh machine with nothing installed by hand:
#   make demo   creates .venv, installs cleanup, checks the seed article, writes its HTML report
#   make test   creates .venv, installs cleanup with every tested extra (and Chromium, as root),
#               runs the whole suite
# `uv` installs in seconds where pip takes half a minute, and installs are paid on every CI run.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
EXTRAS := test,ray,gloss,dev

.PHONY: demo test fuzz bench install install-dev browser lint clean

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
	@echo
	@echo "$$ cleanup check --format html fixtures/washington-post-biden-netanyahu.en.txt > report.html"
	@$(BIN)/cleanup check --format html fixtures/washington-post-biden-netanyahu.en.txt > report.html; \
	  status=$$?; [ $$status -le 1 ] || exit $$status
	@echo "The HTML report: $(CURDIR)/report.html (open it in a browser)"

test: install-dev browser
	$(BIN)/python -m pytest -q

# The property tests at 100,000 examples of fix on generated text (about an hour); the last
# line says how many examples ran. CLEANUP_FUZZ_EXAMPLES=N runs N instead.
fuzz: install-dev
	CLEANUP_FUZZ=1 $(BIN)/python -m pytest -q -p no:cacheprovider tests/test_properties.py tests/test_edits.py

# The browser tests drive Debian's Chromium. As root (CI) install it when missing; elsewhere
# say so, and those tests skip with the reason.
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing chromium and chromium-driver for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium chromium-driver >/dev/null; \
	else echo "chromium or chromedriver missing and not root: the browser tests will skip"; fi

# make bench: every figure of benchmarks/ from one run on committed data (about 10 minutes on
# 2 cores), then the table of goals; BENCH_QUICK=1 runs a subset in a few minutes.
BENCHES := speed linear corpus ftfy_cases pofilter names

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
	rm -rf $(VENV) build dist *.egg-info .pytest_cache report.html
