"""`make image`: build the container image from the Dockerfile, with docker or podman.

The Dockerfile's base is `python:3.11-slim` from a registry. Where no registry can be reached,
an equivalent base is made from Debian's own archive with mmdebstrap (Debian 12's Python is
3.11), trusting the certificate authorities this host trusts, and the image is built on it.
With podman, a local CPU wheel of the pinned torch under PIP_FIND_LINKS is used when present,
as `make install` does; otherwise torch comes from the PyTorch CPU index. Podman builds are
also lent this host's embedding cache, so a plan already embedded here is not embedded again.

Podman runs with deploy/containers.conf: runc, and no raised default limits, so that hosts
which run it inside a virtual machine without cgroup v2 or the right to raise limits build
and run the image alike.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from planwijzer.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
IMAGE = "localhost/planwijzer:latest"
REGISTRY_BASE = "python:3.11-slim"
LOCAL_BASE = "localhost/planwijzer-python:3.11"
DEBIAN_PACKAGES = "python3,python3-venv,python-is-python3,ca-certificates"
HOST_CERTIFICATES = Path("/etc/ssl/certs/ca-certificates.crt")
PODMAN_CONF = Path(__file__).resolve().parent / "containers.conf"
TORCH_WHEEL = "torch-2.13.0+cpu-*.whl"
BUILD_TIMEOUT = 1800
LENT_CACHE = "/embedding-cache"


class ImageError(RuntimeError):
    pass


def engine() -> list[str]:
    """The container command: docker when its daemon answers, else podman."""
    if shutil.which("docker") and succeeds(["docker", "info"]):
        return ["docker"]
    if shutil.which("podman") and shutil.which("runc"):
        return ["podman"]  # with deploy/containers.conf, which names runc
    raise ImageError("neither docker (with a running daemon) nor podman with runc is installed")


def engine_env() -> dict[str, str]:
    return {**os.environ, "CONTAINERS_CONF": str(PODMAN_CONF)}


def base_image(command: list[str]) -> str:
    """The registry's base when it can be pulled, else one made from Debian's archive."""
    if succeeds([*command, "pull", "--quiet", REGISTRY_BASE], timeout=300):
        return REGISTRY_BASE
    if succeeds([*command, "image", "inspect", LOCAL_BASE]):
        return LOCAL_BASE
    if not shutil.which("mmdebstrap"):
        raise ImageError(f"{REGISTRY_BASE} cannot be pulled and mmdebstrap is not installed to make a base")
    with tempfile.TemporaryDirectory() as scratch:
        rootfs = Path(scratch) / "rootfs.tar"
        run(["mmdebstrap", "--quiet", "--variant=minbase", f"--include={DEBIAN_PACKAGES}", "bookworm", str(rootfs)])
        run([*command, "import", str(rootfs), f"{LOCAL_BASE}-rootfs"])
        # pip inside the build checks certificates against the same authorities as this host.
        shutil.copy(HOST_CERTIFICATES, Path(scratch) / "ca-certificates.crt")
        (Path(scratch) / "Dockerfile").write_text(  # the name both engines look for
            f"FROM {LOCAL_BASE}-rootfs\n"
            "COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt\n"
            "ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt\n"
        )
        run([*command, "build", "--quiet", "-t", LOCAL_BASE, scratch])
    return LOCAL_BASE


def build_arguments(command: list[str], base: str, cache_dir: Path) -> list[str]:
    """The engine's build options: the base and, with podman, the folders it may lend the build."""
    arguments = ["--build-arg", f"PYTHON_IMAGE={base}"]
    if command != ["podman"]:
        return arguments
    arguments += ["--format", "docker"]  # keeps the HEALTHCHECK, which OCI images lack
    wheels = os.environ.get("PIP_FIND_LINKS", "")
    if wheels and list(Path(wheels).glob(TORCH_WHEEL)):
        # The local +cpu wheel outranks PyPI's torch of the same version; PyPI serves the rest.
        arguments += ["--volume", f"{wheels}:{wheels}:ro", "--build-arg", f"PIP_FIND_LINKS={wheels}"]
        arguments += ["--build-arg", "TORCH_INDEX_URL=https://pypi.org/simple"]
    if list(cache_dir.glob("*.npz")):
        # Vectors are keyed by model and text, so a lent cache can only spare work, never change it.
        arguments += ["--volume", f"{cache_dir}:{LENT_CACHE}:ro", "--build-arg", f"EMBEDDING_CACHE={LENT_CACHE}"]
    return arguments


def build(command: list[str], base: str, tag: str = IMAGE) -> str:
    """Builds the image on ``base`` and returns its tag; raises :class:`ImageError` when it cannot."""
    replaced = image_id(command, tag)
    arguments = build_arguments(command, base, Settings().cache_dir.resolve())
    run([*command, "build", "--network", "host", *arguments, "-t", tag, str(ROOT)], timeout=BUILD_TIMEOUT)
    if replaced is not None and replaced != image_id(command, tag):
        # The tag has moved on: the image it named would stay behind untagged, about 2 GB a
        # build. One a container still uses cannot be removed, and stays.
        succeeds([*command, "rmi", replaced])
    return tag


def image_id(command: list[str], reference: str) -> str | None:
    """The id of the image ``reference`` names, or None when there is none."""
    try:
        return run([*command, "image", "inspect", "--format", "{{.Id}}", reference]).strip() or None
    except ImageError:
        return None


def run(command: list[str], timeout: float = 600) -> str:
    """The command's output; raises :class:`ImageError` with its last words when it fails."""
    result = subprocess.run(command, env=engine_env(), capture_output=True, text=True, timeout=timeout, check=False)
    if result.returncode != 0:
        raise ImageError(f"{' '.join(command[:3])} … failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return result.stdout


def succeeds(command: list[str], timeout: float = 60) -> bool:
    try:
        run(command, timeout)
    except (ImageError, subprocess.TimeoutExpired):
        return False
    return True


if __name__ == "__main__":
    try:
        container = engine()
        sys.stdout.write(f"Built {build(container, base_image(container))}\n")
    except ImageError as error:
        sys.exit(f"The image was not built: {error}")
