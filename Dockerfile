# Planwijzer: the corpus and the search index are built into the image, so a container
# starts with them ready and never downloads a model.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PLANWIJZER_DATA_DIR=/app/data \
    PLANWIJZER_BUILD_DIR=/app/build \
    PLANWIJZER_PROMPTS_DIR=/app/prompts

WORKDIR /app

# The CPU build of torch first, so that no dependency pulls the much larger GPU build.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu

COPY pyproject.toml README.md ./
COPY planwijzer planwijzer
COPY ingest ingest
COPY index index
COPY service service
COPY eval eval
COPY prompts prompts
COPY data data
RUN pip install . \
    && planwijzer ingest \
    && planwijzer index \
    && useradd --create-home planwijzer \
    && chown -R planwijzer /app/build

USER planwijzer
EXPOSE 8000
CMD ["planwijzer", "serve", "--host", "0.0.0.0", "--port", "8000"]
