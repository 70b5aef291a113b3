import subprocess
import sys

import pytest

from planwijzer.service.probe import NotReadyError, free_port, wait_until_ready


def test_a_service_that_exits_is_reported_not_waited_for() -> None:
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    process.wait()
    with pytest.raises(NotReadyError, match="exited with status 3"):
        wait_until_ready(f"http://127.0.0.1:{free_port()}", process, deadline_seconds=5)


def test_a_service_that_never_gets_ready_times_out() -> None:
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        with pytest.raises(NotReadyError, match="not ready within 0.5 s"):
            wait_until_ready(f"http://127.0.0.1:{free_port()}", process, deadline_seconds=0.5)
    finally:
        process.kill()
        process.wait()
