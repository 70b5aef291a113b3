# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: install run ingest index test eval bench bench-build bench-search load-generator lint browser container-engine image clean

install: $(INSTALLED)

# torch comes first, pinned, so that nothing later pulls a GPU build of it.
$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

ingest: $(INSTALLED)
	$(BIN)/planwijzer ingest

# A no-op when the index already matches the corpus and the embedding model.
index: ingest
	$(BIN)/planwijzer index

# The service with its API on http://127.0.0.1:8000 (OpenAPI at /docs); PORT=… to move it.
# Two malloc arenas keep memory flat under load (see "Memory" in the README).
PORT ?= 8000
run: index
	MALLOC_ARENA_MAX=2 $(BIN)/planwijzer serve --port $(PORT)

# The gate's floors sit a little under what the dev split measures (see the README). The gate
# leaves out the LangChain baseline: it gates nothing, and its chunks would mean embedding the
# plan a second time (`make eval` compares all four systems).
EVAL_GATES := --systems bm25,dense,hybrid \
	--min-recall5 0.82 --min-recall1 0.90 --min-precision 0.88 --min-abstention 0.85 --max-false-abstention 0.08

# The image test mostly waits on downloads and the disk while the other tests mostly keep the
# CPU busy, so the two run side by side; the image test's report follows the others'.
IMAGE_TESTS := tests/test_container.py
IMAGE_TEST_LOG := tests/artifacts/image-tests.log

test: $(INSTALLED) lint index browser container-engine
	@mkdir -p $(dir $(IMAGE_TEST_LOG))
	@$(BIN)/python -m pytest $(IMAGE_TESTS) > $(IMAGE_TEST_LOG) 2>&1 & image_tests=$$!; \
	$(BIN)/python -m pytest --ignore=$(IMAGE_TESTS); other_tests=$$?; \
	wait $$image_tests; image_status=$$?; \
	echo "--- $(IMAGE_TESTS) (run beside the others) ---"; cat $(IMAGE_TEST_LOG); \
	[ $$other_tests -eq 0 ] && [ $$image_status -eq 0 ]
	$(BIN)/planwijzer eval --split dev $(EVAL_GATES)

eval: index
	$(BIN)/planwijzer eval --split dev

# Ingest and index times, latency and throughput at 1/4/16 clients over loopback, memory, and a
# two-minute soak at 16 clients; stops within 3 minutes.
bench: index load-generator
	$(BIN)/python bench/run.py

# The index built from scratch (every passage embedded) and again with nothing changed.
bench-build: index
	$(BIN)/python bench/build.py

bench-search: index
	$(BIN)/python bench/search.py

load-generator:
	@command -v wrk >/dev/null 2>&1 \
	|| { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && apt-get install -y -qq wrk >/dev/null ; } \
	|| echo "wrk is not installed: the load comes from httpx, which understates throughput."

# The browser tests drive Debian's Chromium. Installed here when missing and we may (root);
# otherwise the tests skip and say why.
browser:
	@command -v chromium >/dev/null 2>&1 \
	|| { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	     && (apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null) ; } \
	|| echo "Chromium is not installed and cannot be installed here: the browser tests will be skipped."

# The container test builds the image with podman (deploy/image.py). Installed here when
# missing and we may (root); otherwise that test skips and says why.
container-engine:
	@{ command -v podman && command -v runc && command -v mmdebstrap ; } >/dev/null 2>&1 \
	|| { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	     && (apt-get update -qq && apt-get install -y -qq podman runc mmdebstrap >/dev/null) ; } \
	|| echo "podman is not installed and cannot be installed here: the container test will be skipped."

# The container image, with docker or podman (see deploy/image.py).
image: $(INSTALLED)
	$(BIN)/python deploy/image.py

lint: $(INSTALLED)
	$(BIN)/ruff check .

clean:
	rm -rf build tests/artifacts bench/results .pytest_cache .ruff_cache .mypy_cache
