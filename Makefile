# Two commands on a fresh machine:  `make demo`  and  `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= reports/demo

COMPAT := .venv-pandas22

.PHONY: setup demo test test-compat browser java lint bench clean

# Create the virtual environment, install retainlib with its dev and spark extras and register its
# Jupyter kernel.
$(BIN)/retain: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11 or run 'make PYTHON=python3 ...'"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	$(BIN)/python -m ipykernel install --sys-prefix --name retainlib --display-name "Python (retainlib)"
	@touch $@

setup: $(BIN)/retain

# Set up (first time only) and render the demo reports into reports/demo/ (with PDF=1 also
# report.pdf beside each report.html, printed by Chromium: `make demo PDF=1`).
demo: setup $(if $(PDF),browser)
	$(BIN)/retain demo --out $(OUT) $(if $(PDF),--pdf)

# Debian's Chromium: the browser tests of the rendered HTML (Playwright's own browser download
# cannot work offline) and `retain report/batch/demo --pdf`, which prints report.pdf with it;
# poppler-utils (pdftoppm) turns PDF pages into images to look at them; fonts-dejavu-core has
# the Hebrew letters of the Hebrew reports (DejaVu Sans, in their font stack after Segoe UI, Arial
# Hebrew and Noto Sans Hebrew, which Debian lacks).
browser:
	@{ command -v chromium && command -v pdftoppm && fc-list :lang=he | grep -q .; } >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium poppler-utils fonts-dejavu-core >/dev/null; }

# Debian's Java runtime for engine: spark (PySpark runs Spark in a JVM); the Spark tests run it in
# local mode.
java:
	@command -v java >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }

# Set up (first time only), install Chromium if missing, run the whole test suite on current pandas,
# then the analysis tests again on the oldest pandas we support (2.2).
test: setup browser java
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n 2 --dist loadfile -q
	$(MAKE) test-compat

$(COMPAT)/bin/pytest: pyproject.toml
	$(PYTHON) -m venv $(COMPAT)
	$(COMPAT)/bin/python -m pip install --quiet --upgrade pip
	$(COMPAT)/bin/python -m pip install --quiet -e '.[dev]' 'pandas==2.2.3' 'numpy<2.3'
	@touch $@

# The library on pandas 2.2 (the notebook, batch, browser, Hebrew end-to-end and engine tests run on
# current pandas only).
test-compat: $(COMPAT)/bin/pytest
	$(COMPAT)/bin/python -m pytest -n 2 --dist loadfile -q -p no:cacheprovider \
	  --ignore=tests/report/test_browser.py --ignore=tests/report/test_notebooks.py \
	  --ignore=tests/report/test_batch.py --ignore=tests/report/test_report_runner.py \
	  --ignore=tests/report/test_report_safety.py --ignore=tests/report/test_hebrew_report.py \
	  --ignore=tests/engines

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(COMPAT) reports/demo .pytest_cache
