# Two commands on a fresh machine:  `make demo`  and  `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= reports/demo

.PHONY: setup demo test browser lint bench clean

# Create the virtual environment, install retainlib with its dev extras and register its Jupyter kernel.
$(BIN)/retain: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11 or run 'make PYTHON=python3 ...'"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name retainlib --display-name "Python (retainlib)"
	@touch $@

setup: $(BIN)/retain

# Set up (first time only) and render the demo reports into reports/demo/.
demo: setup
	$(BIN)/retain demo --out $(OUT)

# Debian's Chromium for the browser tests of the rendered HTML (Playwright's own browser download cannot work offline).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Set up (first time only), install Chromium if missing, run the whole test suite.
test: setup browser
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) reports/demo .pytest_cache
