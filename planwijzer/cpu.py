"""The CPU this process may use."""

from __future__ import annotations

import os


def usable_cores() -> int:
    """The cores this process may run on (a container's cpuset, not the host's count)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1
