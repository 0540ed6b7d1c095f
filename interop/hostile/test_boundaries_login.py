"""Authorization boundaries, rules 10-12 (sign-in and client-authentication throttling,
the master key file), against the built binary.

- A spoofed ``X-Forwarded-For`` does not escape the per-source limit when no proxy is trusted.
- Behind a trusted proxy (``CUSTOS_TRUSTED_PROXIES=127.0.0.1``), failures from one client
  never lock the owner out from another.
- A corrupted or unreadable master key file stops ``custos serve`` with a clear message and
  the file is left as it was.
- Failed client authentication is throttled per client_id and source: 429 with Retry-After.

Throttling tests run on servers of their own, so the session server's per-source budget for
127.0.0.1 is not spent.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

HTTP_TIMEOUT = 10.0
PASSWORD = "Interop-owner-" + secrets.token_urlsafe(12)


def _server_class(root):
    @dataclass
    class ConfiguredServer(root.CustosServer):
        extra_environment: dict | None = None

        def environment(self) -> dict[str, str]:
            env = super().environment()
            env.update(self.extra_environment or {})
            return env

    return ConfiguredServer


@pytest.fixture
def own_server(root, custos_binary, request):
    """Starts a server of its own with extra environment; stops it after the test."""
    started = []

    def start(extra: dict[str, str], sqlite_only: bool = False):
        directory = Path(tempfile.mkdtemp(prefix="custos-boundaries-login-"))
        server = _server_class(root)(
            binary=custos_binary, directory=directory, port=root._free_port(),
            postgres_database=None if sqlite_only else root.fresh_database(), extra_environment=extra,
        )
        started.append(server)
        server.start()
        return server

    yield start
    for server in started:
        server.stop()
        if not request.session.testsfailed:
            shutil.rmtree(server.directory, ignore_errors=True)


def sign_in(server, username: str, password: str, forwarded_for: str | None = None) -> requests.Response:
    """Loads the sign-in page and posts the form with its CSRF token (a browser's cookies)."""
    session = requests.Session()
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    page = session.get(server.api_url + "/login", headers=headers, timeout=HTTP_TIMEOUT)
    assert page.status_code == 200, f"GET /login: {page.status_code}"
    match = re.search(r'name="csrf_token"\s+value="([^"]+)"', page.text) or re.search(
        r'value="([^"]+)"\s+name="csrf_token"', page.text
    )
    assert match, "no csrf_token on the sign-in page"
    return session.post(
        server.api_url + "/login",
        data={"csrf_token": match.group(1), "username": username, "password": password},
        headers=headers,
        allow_redirects=False,
        timeout=HTTP_TIMEOUT,
    )


def test_spoofed_forwarded_for_does_not_escape_the_per_source_limit(own_server):
    server = own_server({})
    server.create_user("spoof-owner", "spoof-owner@example.com", PASSWORD, "Spoof Owner")
    for attempt in range(5):
        answer = sign_in(server, "spoof-owner", f"guess-{attempt}", forwarded_for=f"198.51.100.{attempt + 1}")
        assert answer.status_code == 401, f"attempt {attempt + 1}: {answer.status_code}"
    answer = sign_in(server, "spoof-owner", PASSWORD, forwarded_for="198.51.100.99")
    assert answer.status_code == 429, (
        f"with no trusted proxy every attempt comes from 127.0.0.1, whatever X-Forwarded-For says: {answer.status_code}"
    )
    assert answer.headers.get("Retry-After", "").isdigit()
    assert answer.headers.get("Content-Type", "").startswith("text/html")


def test_failures_from_one_client_do_not_lock_the_owner_out_behind_a_trusted_proxy(own_server):
    server = own_server({"CUSTOS_TRUSTED_PROXIES": "127.0.0.1"})
    server.create_user("proxied-owner", "proxied-owner@example.com", PASSWORD, "Proxied Owner")
    for attempt in range(5):
        # The attacker's own entry at the left is never believed; the proxy appended 198.51.100.66.
        answer = sign_in(server, "proxied-owner", f"guess-{attempt}", forwarded_for=f"192.0.2.{attempt + 1}, 198.51.100.66")
        assert answer.status_code == 401, f"attempt {attempt + 1}: {answer.status_code}"
    throttled = sign_in(server, "proxied-owner", PASSWORD, forwarded_for="192.0.2.200, 198.51.100.66")
    assert throttled.status_code == 429, f"the attacker's source: {throttled.status_code}"
    assert int(throttled.headers["Retry-After"]) > 0
    owner = sign_in(server, "proxied-owner", PASSWORD, forwarded_for="203.0.113.10")
    assert owner.status_code == 303, f"the owner from another address was locked out: {owner.status_code} {owner.text[:300]}"
    assert "custos_session" in owner.headers.get("Set-Cookie", "")


@pytest.mark.parametrize("damage", ["garbage", "short", "directory"])
def test_unusable_master_key_file_stops_the_start_and_is_left_alone(root, custos_binary, damage):
    directory = Path(tempfile.mkdtemp(prefix="custos-boundaries-key-"))
    try:
        key_file = directory / "custos.key"
        if damage == "directory":
            key_file.mkdir()
        else:
            key_file.write_text("this is not a key\n" if damage == "garbage" else "c2hvcnQ=\n")
        before = None if damage == "directory" else key_file.read_bytes()
        env = {name: value for name, value in os.environ.items() if not name.startswith("CUSTOS_")}
        env["CUSTOS_LOG_LEVEL"] = "info"
        result = subprocess.run(
            [str(custos_binary), "serve", "--port", str(root._free_port()), "--database", f"sqlite:{directory / 'custos.db'}"],
            cwd=directory, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=30,
        )
        assert result.returncode != 0, "custos serve started with an unusable master key file"
        output = result.stdout + result.stderr
        assert "master key file" in output and str(key_file) in output, f"no clear message: {output[-800:]}"
        assert "refusing to start" in output, output[-800:]
        if before is None:
            assert key_file.is_dir(), "the directory at the key file's path was replaced"
        else:
            assert key_file.read_bytes() == before, "the master key file was changed"
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def test_failed_client_authentication_is_throttled_per_client_and_source(hostile):
    data = hostile.create_client(
        name="boundaries-login-throttled",
        redirect_uris=["https://throttled.example/cb"],
        grant_types=["client_credentials"],
        scopes=["api.read"],
    )
    client_id, secret = data["client_id"], data["client_secret"]
    statuses = []
    for attempt in range(20):
        answer = requests.post(
            hostile.token_endpoint, data={"grant_type": "client_credentials"},
            auth=(client_id, f"wrong-secret-{attempt}"), timeout=HTTP_TIMEOUT,
        )
        statuses.append(answer.status_code)
    assert statuses == [401] * 20, statuses
    for what, credentials in (("a wrong secret", "wrong-again"), ("the right secret", secret)):
        answer = requests.post(
            hostile.token_endpoint, data={"grant_type": "client_credentials"}, auth=(client_id, credentials), timeout=HTTP_TIMEOUT
        )
        assert answer.status_code == 429, f"{what} after 20 failures: {answer.status_code} {answer.text}"
        assert answer.json()["error"] == "rate_limit_exceeded"
        assert int(answer.headers["Retry-After"]) > 0
        assert "access_token" not in answer.json()
    revoke = requests.post(
        hostile.api_url + "/oauth/revoke", data={"token": "x"}, auth=(client_id, secret), timeout=HTTP_TIMEOUT
    )
    assert revoke.status_code == 429 and revoke.headers.get("Retry-After"), f"revocation: {revoke.status_code}"
