# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

AXE := node_modules/axe-core/axe.min.js

.PHONY: run test install demo lint format benchmark clean accessibility-tools

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) accessibility-tools

# axe-core, pinned in package-lock.json, for the accessibility browser test (tests/test_browser_accessibility.py);
# without npm that test skips and says why (CI installs npm, and PCC_REQUIRE_BROWSER=1 makes it mandatory).
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $(AXE)

accessibility-tools:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(AXE); \
	else echo "npm not found: the accessibility browser test will skip (install Node.js and npm to run it)"; fi

demo: $(STAMP)
	$(BIN)/pcc-dashboard demo --if-empty

run: demo
	$(BIN)/streamlit run dashboard/app.py --server.port $(PORT) --server.headless true

test: $(STAMP) accessibility-tools
	$(BIN)/ruff check .
	$(BIN)/pytest -n 2

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

benchmark: $(STAMP)
	$(BIN)/python benchmarks/load_national.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache screenshots node_modules
