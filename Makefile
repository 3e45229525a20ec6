# fjudge: `make demo` and `make test` set everything up on a fresh Debian/Ubuntu machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FJUDGE_CACHE ?= $(CURDIR)/.fjudge-cache

.PHONY: setup system venv demo mirror test test-all bench validity lint fmt clean

setup: system venv

# System pieces (Chromium, bubblewrap, fonts): installed only when missing.
system:
	@bash scripts/setup-system.sh

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip >/dev/null
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

demo: setup mirror
	$(BIN)/fjudge score examples/sites/* --out demo-out

# The offline CDN mirror's default set (React, Vue, Tailwind, Bootstrap, Font Awesome, Google
# Fonts, …) from the npm registry into FJUDGE_CACHE/mirror; already-stored packages are skipped.
# A registry that cannot be reached only leaves the store cold (pages then fetch on a miss).
mirror: setup
	-$(BIN)/fjudge mirror defaults

# The whole suite takes about 37 min on 2 cores; `make test` (and CI) leave out the tests marked
# slow (acceptance rankings, ten-run determinism, 50-line eval, Reinecke CV, kill -9, README
# walkthrough: about 17 min of it), `make test-all` runs everything.
test: setup
	$(BIN)/python -m pytest -q -m "not slow" tests

test-all: setup
	$(BIN)/python -m pytest -q tests

bench: setup
	$(BIN)/python -m benchmarks.run

# Validity workbench (issue 11): real apps x defect operators; e.g. make validity ARGS="--limit 8"
validity: setup
	$(BIN)/python -m benchmarks.validity $(ARGS)

lint:
	$(BIN)/ruff format --check . && $(BIN)/ruff check .

fmt:
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .fjudge-cache demo-out
