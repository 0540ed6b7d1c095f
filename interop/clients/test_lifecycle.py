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


def _environment(**settings: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith("CUSTOS_")}, **settings}


@pytest.mark.parametrize("setting, value", [("CUSTOS_REQUIRE_PAR", "yes"), ("CUSTOS_ALLOW_PRIVATE_FETCH", "on"),
                                            ("CUSTOS_DPOP_NONCE", "sometimes")])
def test_a_malformed_setting_stops_start_up_naming_it(custos_binary, tmp_path, setting, value):
    binary = _snapshot(custos_binary, tmp_path)
    result = subprocess.run([str(binary), "serve", "--port", str(_free_port())], cwd=tmp_path, env=_environment(**{setting: value}),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0, f"{setting}={value} was accepted"
    assert setting in result.stderr + result.stdout
    assert not (tmp_path / "custos.db").exists(), "the database was opened before the settings were read"


@pytest.mark.parametrize("value, expected", [("1", True), ("true", True), ("TRUE", True), ("0", False), ("false", False)])
def test_boolean_settings_take_1_true_0_false(custos_binary, tmp_path, value, expected):
    binary = _snapshot(custos_binary, tmp_path)
    port = _free_port()
    process = subprocess.Popen([str(binary), "serve", "--port", str(port)], cwd=tmp_path,
                               env=_environment(CUSTOS_REQUIRE_PAR=value), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 15
        while True:
            try:
                metadata = requests.get(f"http://127.0.0.1:{port}/.well-known/openid-configuration", timeout=1).json()
                break
            except requests.ConnectionError:
                assert time.time() < deadline, "custos serve did not answer within 15 s"
                time.sleep(0.1)
        assert metadata["require_pushed_authorization_requests"] is expected
    finally:
        process.terminate()
        process.wait(timeout=10)
