# The two commands of the README: `make run` and `make test`. Everything else is a helper.
VENV ?= .venv
PY := $(VENV)/bin/python
SCALE ?=
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install run test bench demo mutation messages screenshots

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV) 2>/dev/null || \
		(python3 -m pip install --user --quiet virtualenv && python3 -m virtualenv --quiet $(VENV))
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

run: install  ## set up, migrate, seed the starter library and serve on http://127.0.0.1:8000
	$(VENV)/bin/registry migrate
	$(VENV)/bin/registry serve

test: install  ## set up, lint, type-check and run the whole test suite with coverage, one worker per core (SQLite; PostgreSQL when REGISTRY_TEST_DATABASE_URL is set)
	$(VENV)/bin/ruff check --quiet registry exports tests
	$(VENV)/bin/mypy
	$(PY) -m pytest -q -n auto --cov --cov-report=term

bench: install  ## run the benchmarks (not part of the test suite); `make bench SCALE=--quick` checks the scale benchmark's harness quickly
	@command -v wrk >/dev/null 2>&1 || (export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null) \
		|| echo "wrk could not be installed: bench_scale generates its load with httpx instead"
	@for script in tests/benchmarks/bench_*.py; do \
		name=$$(basename $$script .py); args=; [ $$name = bench_scale ] && args="$(SCALE)"; \
		echo "== $$script $$args"; $(PY) -m tests.benchmarks.$$name $$args || exit 1; done

mutation: install  ## mutation testing (mutmut) of the rule modules, each against its own tests, in copies under .mutation/; not part of `make test`
	$(PY) -m tests.mutation $(MODULES)

demo: install  ## build a demonstration database and its exports under ./demo
	$(VENV)/bin/registry demo --output demo

messages: install  ## bring registry/web/locales up to the messages in use and check exports/locales; then translate the empty ones
	$(PY) -m registry.web.messages
	$(PY) -c 'import exports.labels' && echo "exports/locales: every label in all four languages, with the same placeholders"

SHOWN := da-home nb-tender nb-fit sv-files nb-users diff-after-publishing-sv-320
screenshots: install  ## run the browser tests (a screenshot of every page they visit goes to screenshots/) and copy the README's few to tests/web/screenshots/
	$(PY) -m pytest -q -p no:cacheprovider tests/web -k browser
	@mkdir -p tests/web/screenshots && for name in $(SHOWN); do cp screenshots/$$name.png tests/web/screenshots/; done
