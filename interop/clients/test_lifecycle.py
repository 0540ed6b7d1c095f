"""The server process itself: zero-configuration start, first-start bootstrap output, and a
graceful stop on SIGTERM and SIGINT (issue 2: swift-service-lifecycle)."""

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

from conftest import _free_port, _snapshot


def _start(binary: Path, directory: Path, port: int) -> subprocess.Popen:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CUSTOS_")}
    process = subprocess.Popen(
        [str(binary), "serve", "--port", str(port)], cwd=directory, env=environment,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    deadline = time.time() + 15
    while time.time() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return process
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    pytest.fail("custos serve did not answer within 15 s")


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_zero_configuration_start_and_graceful_stop(custos_binary, stop_signal):
    directory = Path(tempfile.mkdtemp(prefix="custos-lifecycle-"))
    try:
        binary = _snapshot(custos_binary, directory)
        process = _start(binary, directory, _free_port())
        # Zero configuration: the SQLite database and the 0600 key file appear in the working directory.
        assert (directory / "custos.db").is_file()
        key = directory / "custos.key"
        assert key.is_file() and (key.stat().st_mode & 0o777) == 0o600
        process.send_signal(stop_signal)
        try:
            output, _ = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            pytest.fail(f"custos serve did not stop within 10 s of {stop_signal.name}")
        assert process.returncode == 0
        # The first start printed the bootstrap administrator's credentials once.
        assert "client_id:" in output and "client_secret: custos_cs_" in output
    finally:
        shutil.rmtree(directory, ignore_errors=True)
