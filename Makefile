# The two commands of the README: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test fuzz bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the declared dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[local,infra,test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/choju local

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The API fuzzed deeper than in `make test`: schemathesis' coverage and examples phases, 100 examples per operation.
fuzz: $(STAMP)
	CHOJU_FUZZ_DEEP=1 CHOJU_FUZZ_EXAMPLES=$${CHOJU_FUZZ_EXAMPLES:-100} $(BIN)/python -m pytest tests/api/test_fuzz.py $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .choju .pytest_cache
