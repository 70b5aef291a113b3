"""Starting the service from a script (benchmarks, end-to-end tests): a free loopback port,
and waiting until ``/readyz`` says the service is ready."""

from __future__ import annotations

import socket
import subprocess
import time

import httpx

LOOPBACK = "127.0.0.1"


class NotReadyError(RuntimeError):
    """The service exited, or was not ready in time."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def wait_until_ready(base_url: str, process: subprocess.Popen, deadline_seconds: float = 60.0) -> None:
    """Poll ``base_url/readyz`` until it answers 200; raise :class:`NotReadyError` when the
    process exits first or the deadline passes."""
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None:
            raise NotReadyError(f"the service exited with status {process.returncode}")
        time.sleep(0.2)
    raise NotReadyError(f"the service was not ready within {deadline_seconds:g} s")
