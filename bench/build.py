"""`make bench-build`: how long the index takes to build, from scratch and when nothing changed.

The plan's corpus is copied into a scratch build folder with an empty embedding cache, so
every passage is embedded: the figure a city sees on a new machine or with a new model. A
second build in the same folder finds everything current. Results go to
bench/results/build.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

from rich.console import Console
from run import PLANWIJZER, RESULTS, timed  # bench/ is a folder of scripts, not a package

from planwijzer.settings import Settings

BUILD_RESULTS = RESULTS.with_name("build.json")
# Embedding every passage, keyword passage and lexicon word takes minutes on two cores.
FROM_SCRATCH_TIMEOUT = 1800


def main() -> None:
    settings = Settings()
    with tempfile.TemporaryDirectory() as scratch:
        scratch_build = Path(scratch)
        (scratch_build / "corpus.jsonl").write_bytes(settings.corpus_path.read_bytes())
        env = {**os.environ, "PLANWIJZER_BUILD_DIR": str(scratch_build)}
        try:
            results = {
                "index_build_seconds_from_scratch": round(timed([*PLANWIJZER, "index"], env, FROM_SCRATCH_TIMEOUT), 2),
                "index_build_seconds_unchanged": round(timed([*PLANWIJZER, "index"], env), 2),
            }
        except subprocess.TimeoutExpired as error:
            raise SystemExit(f"index build did not finish within {error.timeout:.0f} s") from None
    BUILD_RESULTS.parent.mkdir(parents=True, exist_ok=True)
    BUILD_RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    Console().print(
        f"index build: {results['index_build_seconds_from_scratch']} s from scratch, "
        f"{results['index_build_seconds_unchanged']} s when nothing changed. Written to {BUILD_RESULTS}"
    )


if __name__ == "__main__":
    main()
