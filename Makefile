# The commands everyone uses. Each one makes .venv first if it is missing.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.jazari-installed
# nbgrader's gradebook runs `alembic` from PATH: keep the venv's bin/ first.
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: demo test lint bench clean i18n hub-deps

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Jazari needs Python 3.11 or newer")'
	bash .ci/debian-packages venv
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/jazari demo $(DEMO_ARGS)

# The proxy in front of `jazari hub` (npm's configurable-http-proxy), into node_modules/.
PROXY   = node_modules/.bin/configurable-http-proxy

$(PROXY): package.json package-lock.json
	bash .ci/debian-packages node
	npm ci --no-audit --no-fund --loglevel=error
	touch $(PROXY)

test: $(STAMP) $(PROXY)
	bash .ci/debian-packages browser postgresql sandbox
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# What `jazari hub` needs besides the venv.
hub-deps: $(STAMP) $(PROXY)

lint: $(STAMP)
	$(BIN)/ruff check conftest.py autograder widgets curriculum tests benchmarks deploy

# Extract every English text into curriculum/locales/, update the .po files (a changed text
# becomes fuzzy), compile the child's side catalogs into widgets/locales/.
i18n: $(STAMP)
	$(BIN)/python -m autograder.catalogs

bench: $(STAMP)
	$(BIN)/python benchmarks/grading.py
	$(BIN)/python benchmarks/widgets.py
	$(BIN)/python benchmarks/report.py
	$(BIN)/python benchmarks/notebooks.py
	$(BIN)/python benchmarks/hub_memory.py

clean:
	rm -rf $(VENV) *.egg-info node_modules
