# Planwijzer as a container: corpus, embedding model and search index are built into the
# image, so a container starts ready and never downloads anything.
#
#   docker build -t planwijzer .
#   docker run -p 8000:8000 -v planwijzer-var:/app/var planwijzer
#
# PYTHON_IMAGE is any Debian-based image with Python 3.11 on the PATH as `python` (and its
# venv module); TORCH_INDEX_URL is where the CPU build of torch comes from (a mirror, or
# https://pypi.org/simple with a local +cpu wheel under PIP_FIND_LINKS).

ARG PYTHON_IMAGE=python:3.11-slim

# --- build: install, ingest the plan, embed it -------------------------------------------
FROM ${PYTHON_IMAGE} AS build
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ARG PIP_FIND_LINKS=""

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PLANWIJZER_DATA_DIR=/app/data \
    PLANWIJZER_BUILD_DIR=/app/build

WORKDIR /app
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

# The CPU build of torch first, so that no dependency pulls the much larger GPU build.
RUN pip install torch==2.13.0 --index-url "${TORCH_INDEX_URL}"

COPY pyproject.toml README.md ./
COPY planwijzer planwijzer
COPY ingest ingest
COPY index index
COPY service service
COPY eval eval
COPY data data
# EMBEDDING_CACHE: a folder mounted into the build that holds an earlier build's embedding
# cache (deploy/image.py lends podman the host's), so that unchanged passages and lexicon words
# are not embedded again. Without it the whole plan is embedded here.
ARG EMBEDDING_CACHE=""
# The project's own dependencies are ranges in pyproject.toml; the image is built from them.
# hadolint ignore=DL3013
RUN pip install . \
    && planwijzer ingest \
    && if [ -n "${EMBEDDING_CACHE}" ]; then \
         mkdir -p build/cache && find "${EMBEDDING_CACHE}" -maxdepth 1 -name '*.npz' -exec cp {} build/cache/ \; ; \
       fi \
    && planwijzer index

# --- runtime: the installed environment and the built index, run as a plain user --------
FROM ${PYTHON_IMAGE} AS runtime

# MALLOC_ARENA_MAX: see "Memory" in the README (two arenas keep memory flat under load).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    MALLOC_ARENA_MAX=2 \
    PATH=/opt/venv/bin:$PATH \
    PLANWIJZER_DATA_DIR=/app/data \
    PLANWIJZER_BUILD_DIR=/app/build \
    PLANWIJZER_PROMPTS_DIR=/app/prompts \
    PLANWIJZER_FEEDBACK_PATH=/app/var/feedback.sqlite3

RUN useradd --create-home --uid 10001 planwijzer \
    && mkdir -p /app/var \
    && chown planwijzer /app/var

WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app/data /app/data
COPY --from=build /app/build /app/build
COPY prompts /app/prompts

USER 10001
EXPOSE 8000
VOLUME ["/app/var"]

# Ready means: corpus and index loaded and checked (see /readyz).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=2).status != 200)"]

CMD ["planwijzer", "serve", "--host", "0.0.0.0", "--port", "8000", "--forwarded-allow-ips", "*"]
