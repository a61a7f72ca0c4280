# Every target bootstraps .venv from nothing (a fresh machine has only python3) with the pinned versions
# of requirements.lock; `make lock` rewrites the lock from pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP_FLAGS := --quiet --disable-pip-version-check

.PHONY: help venv lock generate check-generated lint test build demo bench publish clean

help:
	@echo "make demo             the main job: the example program against the embedded sandbox"
	@echo "make test             check-generated + lint + the test suite"
	@echo "make generate         regenerate generated/ from openapi/partner-api.yaml"
	@echo "make check-generated  fail with a diff when generated/ is stale"
	@echo "make lint             ruff + mypy --strict on overlays/"
	@echo "make build            sdist + wheel in dist/"
	@echo "make bench            benchmarks (bench-results.json)"
	@echo "make publish INDEX_URL=...  upload to a package index (TWINE_USERNAME/TWINE_PASSWORD)"

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_FLAGS) -r requirements.lock
	$(BIN)/python -m pip install $(PIP_FLAGS) --no-deps --no-build-isolation -e .
	touch $@

venv: $(STAMP)

lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --all-extras --group dev --python-version 3.11 --no-header --quiet -o requirements.lock

generate: $(STAMP)
	$(BIN)/python generator/generate.py

check-generated: $(STAMP)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(BIN)/python generator/generate.py --output "$$tmp" >/dev/null && \
	if diff -ru generated "$$tmp"; then echo "generated/ is up to date"; \
	else echo "generated/ is stale: run 'make generate' and commit the result" >&2; exit 1; fi

lint: $(STAMP)
	$(BIN)/ruff check overlays tests generator
	$(BIN)/ruff format --check overlays tests generator
	$(BIN)/mypy

test: check-generated lint
	$(BIN)/python -m pytest

build: $(STAMP)
	@echo "make build: see issue 5 (release); not done yet" >&2; exit 1

demo: $(STAMP)
	@echo "make demo: see issue 4 (sandbox); not done yet" >&2; exit 1

bench: $(STAMP)
	@echo "make bench: see issue 6 (benchmarks); not done yet" >&2; exit 1

publish: $(STAMP)
	@echo "make publish: see issue 5 (release); not done yet" >&2; exit 1

clean:
	rm -rf $(VENV) dist build bench-results.json
