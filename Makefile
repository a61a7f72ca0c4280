# Every target bootstraps .venv from nothing with the pinned versions of requirements.lock; `make lock` rewrites the lock
# from pyproject.toml. What the machine needs is checked first (`make prerequisites`): python3 for every target, and
# for `make test` also node with npm and java.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP_FLAGS := --quiet --disable-pip-version-check

.PHONY: help prerequisites python-prerequisite test-prerequisites venv lock generate check-generated unasync \
  spec-lint lint docs check test stamp build demo bench publish clean

help:
	@echo "make demo             the main job: the example program against the embedded sandbox"
	@echo "make test             check-generated + spec-lint + lint + the whole test suite (python3, node/npm, java)"
	@echo "make check            lint + the unit and client tests: the inner loop, under a minute"
	@echo "make prerequisites    say what the machine lacks: python3 >= 3.10 (every target), node >= 20 + npm, java >= 11"
	@echo "make generate         regenerate generated/ from openapi/partner-api.yaml"
	@echo "make check-generated  fail with a diff when generated/ is stale"
	@echo "make spec-lint        Spectral (spectral:oas, pinned in generator/package.json) on the OpenAPI document"
	@echo "make unasync          rewrite the sync twins overlays/**/_sync/ from their asyncio source _async/"
	@echo "make lint             ruff + mypy --strict on overlays/, the sync twins up to date"
	@echo "make docs             the documentation site (docs/mkdocs.yml) into docs/site/, --strict"
	@echo "make stamp            version + CHANGELOG.md entry from the API diff since the last stamp (BUMP=patch: at least)"
	@echo "make build            sdist + wheel in dist/"
	@echo "make bench            benchmarks (bench-results.json)"
	@echo "make publish INDEX_URL=...  upload to a package index (TWINE_USERNAME/TWINE_PASSWORD)"

# What the machine needs. python3 (3.10 or newer, with its venv module) makes .venv and runs everything: `make demo`
# needs nothing else. `make test` also runs Node tools (Spectral, TypeScript's tsc: `npm ci` from generator/'s
# package-lock.json) and openapi-generator (a jar shipped in a wheel, run by java). Each check says what to install.
NODE_MAJOR := 20
JAVA_MAJOR := 11
prerequisites: python-prerequisite test-prerequisites

python-prerequisite:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null || \
	  { echo "make: needs $(PYTHON) 3.10 or newer (Debian: apt-get install python3 python3-venv)" >&2; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || \
	  { echo "make: $(PYTHON) has no venv module with pip (Debian: apt-get install python3-venv)" >&2; exit 1; }

test-prerequisites:
	@node -e 'process.exit(Number(process.versions.node.split(".")[0]) < $(NODE_MAJOR) ? 1 : 0)' 2>/dev/null || \
	  { echo "make test: needs node $(NODE_MAJOR) or newer with npm, for Spectral and tsc (Debian: apt-get install nodejs npm)" >&2; exit 1; }
	@npm --version >/dev/null 2>&1 || \
	  { echo "make test: needs npm, which installs Spectral and tsc (Debian: apt-get install npm)" >&2; exit 1; }
	@java -XshowSettings:properties -version 2>&1 | \
	  awk -F' = ' '/java.specification.version/ { ok = ($$2 + 0 >= $(JAVA_MAJOR)) } END { exit !ok }' || \
	  { echo "make test: needs java $(JAVA_MAJOR) or newer, for openapi-generator (Debian: apt-get install default-jre-headless)" >&2; exit 1; }

$(STAMP): requirements.lock pyproject.toml | python-prerequisite
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_FLAGS) -r requirements.lock
	$(BIN)/python -m pip install $(PIP_FLAGS) --no-deps --no-build-isolation -e .
	touch $@

venv: $(STAMP)

lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --all-extras --group dev --python-version 3.11 --no-header --quiet -o requirements.lock

generate: $(STAMP)
	$(BIN)/python generator/generate.py

# (The bytecode caches that imports leave in generated/ are not generator output.)
check-generated: $(STAMP)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(BIN)/python generator/generate.py --output "$$tmp" >/dev/null && \
	if diff -ru --exclude=__pycache__ generated "$$tmp"; then echo "generated/ is up to date"; \
	else echo "generated/ is stale: run 'make generate' and commit the result" >&2; exit 1; fi

# Spectral with its `spectral:oas` style ruleset (generator/.spectral.yaml); any finding, even a hint, fails.
# The pinned version comes from generator/package-lock.json through `npm ci` (node 20 + npm; the npm registry), and
# so does TypeScript's tsc, with which tests/pipeline compiles the client openapi-generator writes (`make test` runs
# spec-lint first, so it is there).
SPECTRAL := generator/node_modules/.bin/spectral
$(SPECTRAL): generator/package.json generator/package-lock.json | test-prerequisites
	cd generator && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Optic (`optic diff`), the OpenAPI diff behind `make stamp` and `make publish`, comes with the same `npm ci`.
OPTIC := generator/node_modules/.bin/optic
$(OPTIC): $(SPECTRAL)
	test -x $@ && touch $@

spec-lint: $(SPECTRAL)
	$(SPECTRAL) lint --ruleset generator/.spectral.yaml --fail-severity=hint openapi/partner-api.yaml

# The sync code of the client core is generated from its asyncio source (generator/sync_twins.py, unasync + ruff);
# lint fails when a committed twin differs from what its source gives.
unasync: $(STAMP)
	$(BIN)/python generator/sync_twins.py

lint: $(STAMP)
	$(BIN)/python generator/sync_twins.py --check
	$(BIN)/ruff check overlays tests generator release
	$(BIN)/ruff format --check overlays tests generator release
	$(BIN)/mypy

# The suite runs without make's recursion variables, the release settings (release/environment.py RELEASE_SETTINGS,
# TWINE_*) and any variable given on this make's command line: a test that runs make gets only what it passes.
# It also runs with Python's bytecode cache on (__pycache__/, git-ignored; a machine may set PYTHONDONTWRITEBYTECODE):
# the suite starts hundreds of Python processes (the partner-api executable, fleets, sandboxes), and each would
# otherwise compile overlays/ and generated/ again, 0.2 s of CPU apiece (tests/cli: 3m00 of CPU without the cache,
# 2m03 with it).
TEST_ENV = env -u MAKEFLAGS -u MAKEOVERRIDES -u MFLAGS -u MAKELEVEL -u INDEX_URL -u INDEX_SIMPLE_URL -u DIST \
  -u PYTHONDONTWRITEBYTECODE \
  $(strip $(foreach v,$(.VARIABLES),$(if $(filter TWINE_%,$(v))$(filter command line,$(origin $(v))),-u $(v))))

# The documentation site: the pages of docs/pages/ and the API reference read from the docstrings (mkdocstrings,
# griffe), into docs/site/ (git-ignored; open docs/site/index.html). --strict: a broken link, anchor or reference
# fails (not with --quiet, which hides the warnings --strict counts). Offline: no web fonts, no plugin that downloads
# (tests/pipeline/test_doc_examples.py checks both).
DOCS_CONFIG ?= docs/mkdocs.yml
DOCS_SITE ?= docs/site
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --config-file $(DOCS_CONFIG) --site-dir $(abspath $(DOCS_SITE))

# The suite runs in parallel (pytest-xdist; tests/conftest.py says what keeps a test xdist-safe), in `make test` and
# in the gate of `make publish` alike, on one worker more than the cores it may use: many tests wait (for processes
# they started, a timeout, a server's pause), and the spare worker fills those gaps (the gate's suite on 2 cores:
# 277 s with 2 workers, 247 s with 3, 257 s with 4). PYTEST_WORKERS=N sets the number: on the command line for that
# make's own pytest, in the environment for the gate of the `make publish` inside `make test` too (a suite gets no
# variable of its make's command line). Tests go out one at a time (a worker held by a long test keeps one more queued
# at most), the tests of an xdist_group mark all to the same worker (tests/conftest.py).
PYTEST_WORKERS ?= $(shell $(PYTHON) -c 'import os; print(len(os.sched_getaffinity(0)) + 1 if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1) + 1)')
PYTEST_PARALLEL = -n $(PYTEST_WORKERS) --dist loadgroup --maxschedchunk 1

# The whole suite, each test once: the publish end-to-end test types `make publish`, whose gate runs every test not
# marked release_e2e; beside it only the release_e2e tests run (leave_to_publish_gate, tests/conftest.py). The four
# checks before it are independent of each other and each mostly one process: they run side by side (each one's
# output in one piece), and the suite starts when all have passed.
CHECKS := check-generated spec-lint lint docs
test: test-prerequisites
	@$(MAKE) --no-print-directory --jobs --output-sync=target $(CHECKS)
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_PARALLEL) -o leave_to_publish_gate=true

# The inner loop: lint, then the unit tests and the client's tests against the in-process sandbox (no node, no java).
check: lint
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_PARALLEL) tests/unit tests/client

# ---- Release. The tooling lives in release/ (`python -m release`); docs/pages/maintainers/release.md.
DIST ?= dist
INDEX_URL ?=
# The index's PEP 503 simple root, read before uploading to refuse a version that is already there. The default fits
# pypiserver; devpi: <INDEX_URL>/+simple/; Artifactory/Nexus: the repository's .../simple/ URL.
INDEX_SIMPLE_URL ?= $(patsubst %/,%,$(INDEX_URL))/simple/
# Same inputs, same bytes: archive timestamps are the last commit's time (a fixed date outside a git clone).
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null | grep . || echo 1580601600)
RELEASE := $(BIN)/python -m release
# The gate's suite: the whole suite once, as `make test` runs it (TEST_ENV) but whatever PYTEST_ADDOPTS says and
# without the tests marked release_e2e (they run `make publish` themselves). It is told which checkout is being
# published: preflight refuses to publish that checkout again from inside it.
RELEASE_GATE = PARTNER_API_PUBLISH_GATE="$(CURDIR)"
REFUSE := echo "make publish: REFUSED:" >&2

# The version and its CHANGELOG.md entry, derived from what changed since the last stamped release: the API diff
# (Optic) and the Python public surface (griffe), by the rules of release/rules.py. BUMP=patch|minor|major: at least.
BUMP ?=
stamp: $(STAMP) $(OPTIC)
	$(RELEASE) stamp $(if $(BUMP),--bump $(BUMP))

# sdist, then the wheel built from that sdist, with the pinned hatchling of the venv (no download, no isolation);
# then twine's metadata check and release/artefacts.py's content check (required files in, tests/caches/secrets out).
build: $(STAMP)
	@mkdir -p $(DIST)
	rm -f $(DIST)/partner_api_client-*.whl $(DIST)/partner_api_client-*.tar.gz
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(BIN)/python -m build --no-isolation --quiet --outdir $(DIST) .
	$(BIN)/twine check --strict $(DIST)/partner_api_client-*.whl $(DIST)/partner_api_client-*.tar.gz
	$(RELEASE) check-dist $(DIST)

# The example program (overlays/examples/demo.py) starts the sandbox in-process on a free loopback port, runs the
# client through every kind of call (login, users, paging, traffic, purchases, report, token renewal, the
# default-value error, the command line and a token file shared by processes), prints a summary and stops the sandbox.
# No credentials, no network.
demo: $(STAMP)
	$(BIN)/python overlays/examples/demo.py

# Benchmarks (docs/pages/maintainers/benchmarks.md): one table on stdout and in bench-results.json, about 2 minutes on 2 cores.
# Starts the sandbox as a child process on a free loopback port. Not part of `make test`; BENCH_ARGS=--quick for a
# rough smoke run, BENCH_ARGS="--sections 1,4" for a subset, BENCH_ARGS="--profile sync" for the hot-path profile.
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python tests/bench/run_bench.py --output bench-results.json $(BENCH_ARGS)

# Refuses (exit 1, a line starting "make publish: REFUSED:") unless every gate passes, cheapest first. Credentials
# come from TWINE_USERNAME/TWINE_PASSWORD in the environment or a keyring, never from the command line.
publish: $(STAMP) $(OPTIC)
	@if [ "$(origin TWINE_PASSWORD)" = "command line" ] || [ "$(origin TWINE_USERNAME)" = "command line" ]; then \
	  $(REFUSE) "credentials on the make command line; export TWINE_USERNAME/TWINE_PASSWORD or use a keyring"; exit 1; fi
	@$(RELEASE) preflight --index-url "$(INDEX_URL)" || \
	  { $(REFUSE) "no usable INDEX_URL, or a publish inside a publish (see above)"; exit 1; }
	@$(MAKE) --no-print-directory check-generated || \
	  { $(REFUSE) "generated/ is stale: run 'make generate' and 'make stamp', then commit"; exit 1; }
	@$(RELEASE) version-check || { $(REFUSE) "the version was not bumped for this spec/generated/ (see above)"; exit 1; }
	@$(RELEASE) check-index --index-url "$(INDEX_URL)" --simple-url "$(INDEX_SIMPLE_URL)"; rc=$$?; \
	if [ $$rc = 3 ]; then $(REFUSE) "version $$($(RELEASE) version) is already on the index; bump it"; exit 1; \
	elif [ $$rc != 0 ]; then $(REFUSE) "cannot tell whether the version is on the index (see above)"; exit 1; fi
	@$(RELEASE) check-bump --index-url "$(INDEX_URL)" --simple-url "$(INDEX_SIMPLE_URL)" || \
	  { $(REFUSE) "version $$($(RELEASE) version) is too small a step after the index's newest for its changes (see above)"; exit 1; }
	@$(MAKE) --no-print-directory lint || { $(REFUSE) "lint failed"; exit 1; }
	@$(TEST_ENV) -u PYTEST_ADDOPTS $(RELEASE_GATE) $(BIN)/python -m pytest $(PYTEST_PARALLEL) -m "not release_e2e" || \
	  { $(REFUSE) "the test suite failed"; exit 1; }
	@$(MAKE) --no-print-directory build || { $(REFUSE) "the build or its checks failed"; exit 1; }
	$(BIN)/twine upload --non-interactive --disable-progress-bar --repository-url "$(INDEX_URL)" \
	  $(DIST)/partner_api_client-*.whl $(DIST)/partner_api_client-*.tar.gz
	@echo "make publish: published partner-api-client $$($(RELEASE) version) to $(INDEX_URL)"

clean:
	rm -rf $(VENV) dist build bench-results.json docs/site
