# One way to set up: `make demo` and `make test` on a fresh machine.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test lint bench clean lab lab-deps

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	@# the optional fast matcher for large files, from a wheel only; without it: same results
	@$(BIN)/pip install -q --only-binary=hyperscan -e '.[fast]' 2>/dev/null \
	  || echo "note: no hyperscan wheel here; large files are scanned with re (same results, slower)"
	touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install -q -e '.[test]'
	touch $@

demo: $(STAMP)
	$(BIN)/ipsec-doctor diagnose examples/huawei-fw1-nat.txt
	@# exit status 1 = "a tunnel will fail", which is what this example shows
	$(BIN)/ipsec-doctor check examples/check/hq-ar.cfg examples/check/branch-r1.cfg || test $$? -eq 1

test: $(TEST_STAMP) lab-deps
	$(BIN)/ruff check src tests bench tools
	$(BIN)/python -m pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench tools

# Real strongSwan/Libreswan lab (root, network namespaces): runs every scenario, rewrites
# tests/fixtures/lab/.  lab-deps installs its packages when it can and never fails the build.
lab: $(STAMP) lab-deps
	$(BIN)/python lab/run.py

lab-deps:
	-@sh lab/install.sh

bench: $(STAMP)
	$(BIN)/python bench/huawei_syslog.py

clean:
	rm -rf $(VENV) build src/*.egg-info
