"""Authorization boundaries, rules 13 and 16: outbound fetches.

Rule 13: a request Custos makes on a client's behalf (jwks_uri, request_uri,
sector_identifier_uri, back-channel logout) never goes to a special-use address: such literals
(in any form a resolver reads: decimal ``2130706433``, octal ``0177.0.0.1``, hex ``0x7f.1``,
IPv4-mapped IPv6) are refused at registration, and a name that resolves to one is refused at
fetch time, unless the operator sets ``CUSTOS_ALLOW_PRIVATE_FETCH=1``. The session server
runs with it (its relying parties listen on loopback), so the refusals are checked on a server
of this module's own, started without it.

Rule 16: a jwks_uri or sector_identifier_uri that hangs or answers garbage is the client's
error in the endpoint's format (401 ``invalid_client`` at the token endpoint, 400
``invalid_client_metadata`` at registration), within the fetch timeout (5 s), never a 500.
The listeners are plain TCP sockets on loopback behind https URLs: one never answers (the TLS
handshake hangs), one answers bytes that are not TLS.
"""

from __future__ import annotations

import json
import secrets
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests
from joserfc import jwk, jwt

FETCH_TIMEOUT = 5.0
# The fetch timeout plus slack for the request itself.
PROMPTLY = FETCH_TIMEOUT + 3.0
REDIRECT_URI = "https://outbound.example/cb"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class RawListener:
    """A TCP listener on 127.0.0.1 that speaks neither HTTP nor TLS: ``hang`` accepts and
    never writes, ``garbage`` writes bytes that are not a TLS record and closes. Counts
    connections."""

    def __init__(self, behaviour: str):
        self.behaviour = behaviour
        self.connections = 0
        self.held: list[socket.socket] = []
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                connection, _ = self.sock.accept()
            except (socket.timeout, OSError):
                continue
            self.connections += 1
            if self.behaviour == "garbage":
                try:
                    connection.sendall(b"\x01\x02garbage: neither HTTP nor TLS\r\n\r\n")
                except OSError:
                    pass
                connection.close()
            else:
                self.held.append(connection)

    def close(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=2)
        for connection in self.held:
            connection.close()
        self.sock.close()


@pytest.fixture(params=["hang", "garbage"])
def listener(request):
    server = RawListener(request.param)
    yield server
    server.close()


def _key_client(server, unique_name, jwks_uri: str) -> tuple[dict, jwk.ECKey]:
    key = jwk.ECKey.generate_key("P-256", parameters={"kid": "outbound-" + secrets.token_hex(4), "use": "sig"}, private=True)
    client = server.create_client(
        name=unique_name("outbound "), redirect_uris=[REDIRECT_URI], grant_types=["client_credentials"],
        client_auth_methods=["private_key_jwt"], scopes=["api.read"], jwks_uri=jwks_uri,
    )
    return client, key


def _assertion(server, client: dict, key: jwk.ECKey) -> str:
    now = int(time.time())
    assertion = jwt.encode(
        {"alg": "ES256", "kid": key.kid, "typ": "JWT"},
        {"iss": client["client_id"], "sub": client["client_id"], "aud": server.issuer,
         "iat": now, "exp": now + 120, "jti": secrets.token_urlsafe(16)},
        key,
    )
    server.remember_secret(assertion)
    return assertion


def _token_with_assertion(server, client: dict, key: jwk.ECKey) -> tuple[requests.Response, float]:
    form = {
        "grant_type": "client_credentials", "scope": "api.read", "client_id": client["client_id"],
        "client_assertion_type": ASSERTION_TYPE, "client_assertion": _assertion(server, client, key),
    }
    started = time.monotonic()
    response = requests.post(server.token_endpoint, data=form, timeout=PROMPTLY + 5)
    return response, time.monotonic() - started


def _expect_invalid_client(response: requests.Response, elapsed: float, what: str) -> None:
    assert response.status_code == 401, f"{what}: {response.status_code} {response.text[:300]}"
    assert response.json().get("error") == "invalid_client", response.text
    assert "access_token" not in response.json()
    assert elapsed < PROMPTLY, f"{what}: answered after {elapsed:.1f} s (fetch timeout {FETCH_TIMEOUT:.0f} s)"


# -- rule 16: outbound failures are the client's error --------------------------------------


def test_jwks_uri_that_hangs_or_answers_garbage_is_401_invalid_client_promptly(hostile, listener, unique_name):
    client, key = _key_client(hostile, unique_name, f"https://127.0.0.1:{listener.port}/jwks.json")
    response, elapsed = _token_with_assertion(hostile, client, key)
    _expect_invalid_client(response, elapsed, f"jwks_uri that {listener.behaviour}s")
    assert listener.connections >= 1, "the jwks_uri was never contacted"


def test_sector_identifier_uri_that_hangs_or_answers_garbage_is_400_invalid_client_metadata_promptly(hostile, listener):
    metadata = {
        "client_name": "outbound sector", "redirect_uris": [REDIRECT_URI], "grant_types": ["authorization_code"],
        "response_types": ["code"], "subject_type": "pairwise",
        "sector_identifier_uri": f"https://127.0.0.1:{listener.port}/sector.json",
    }
    started = time.monotonic()
    response = requests.post(hostile.api_url + "/oauth/register", json=metadata, timeout=PROMPTLY + 5)
    elapsed = time.monotonic() - started
    assert response.status_code == 400, f"{listener.behaviour}: {response.status_code} {response.text[:300]}"
    assert response.json().get("error") == "invalid_client_metadata", response.text
    assert "client_id" not in response.json()
    assert elapsed < PROMPTLY, f"sector_identifier_uri that {listener.behaviour}s: answered after {elapsed:.1f} s"


# -- rule 13: no special-use destinations without CUSTOS_ALLOW_PRIVATE_FETCH ---------------


@pytest.fixture(scope="module")
def strict_server(root, custos_server, request):
    """A server of its own without CUSTOS_ALLOW_PRIVATE_FETCH (same binary snapshot as the
    session server, a fresh database)."""
    directory = Path(tempfile.mkdtemp(prefix="custos-hostile-outbound-"))
    server = root.CustosServer(
        binary=custos_server.binary, directory=directory, port=root._free_port(), postgres_database=root.fresh_database()
    )
    base_environment = root.CustosServer.environment

    def environment() -> dict[str, str]:
        env = base_environment(server)
        env.pop("CUSTOS_ALLOW_PRIVATE_FETCH", None)
        return env

    # An instance attribute shadows the method: start() and create_user() use this one.
    server.environment = environment
    failed_before = request.session.testsfailed
    try:
        server.start()
        yield server
    finally:
        complaint = server.stop()
        leaks = server.leaked_secrets()
        if leaks or complaint or request.session.testsfailed > failed_before:
            print(f"\nhostile: kept the outbound server's folder {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)
        assert not leaks, "the server wrote secrets to its log:\n" + "\n".join(leaks)


LITERALS = [
    "127.0.0.1", "2130706433", "0177.0.0.1", "0x7f.1", "127.1", "[::1]", "[::ffff:127.0.0.1]",
    "169.254.169.254", "[::ffff:a9fe:a9fe]", "10.1", "localhost",
]


@pytest.mark.parametrize("host", LITERALS)
def test_special_use_jwks_uri_literal_is_refused_by_the_admin_api(strict_server, host, unique_name):
    response = requests.post(
        strict_server.api_url + "/admin/oauth/clients",
        json={"name": unique_name("literal "), "redirect_uris": [REDIRECT_URI], "client_auth_methods": ["private_key_jwt"],
              "grant_types": ["client_credentials"], "jwks_uri": f"https://{host}/jwks.json"},
        headers={"Authorization": "Bearer " + strict_server.admin_token()},
        timeout=10,
    )
    assert response.status_code == 400, f"jwks_uri on {host}: {response.status_code} {response.text[:300]}"
    body = response.json()
    assert body.get("code") == 400 and "jwks_uri" in body.get("message", ""), response.text
    assert "timestamp" in body


@pytest.mark.parametrize("field", ["jwks_uri", "sector_identifier_uri", "backchannel_logout_uri"])
def test_special_use_literal_is_refused_at_dynamic_registration(strict_server, field):
    metadata = {
        "client_name": "outbound literal", "redirect_uris": [REDIRECT_URI], "grant_types": ["authorization_code"],
        "response_types": ["code"], field: "https://0x7f.1/" + field,
    }
    if field == "sector_identifier_uri":
        metadata["subject_type"] = "pairwise"
    if field == "jwks_uri":
        metadata["token_endpoint_auth_method"] = "private_key_jwt"
    response = requests.post(strict_server.api_url + "/oauth/register", json=metadata, timeout=10)
    assert response.status_code == 400, f"{field}: {response.status_code} {response.text[:300]}"
    assert response.json().get("error") == "invalid_client_metadata", response.text
    assert field in response.json().get("error_description", ""), response.text


def _loopback_name() -> str | None:
    """A host name of this machine (not ``localhost``) that resolves to loopback only."""
    for name in {socket.gethostname(), socket.getfqdn()}:
        if not name or name.lower().rstrip(".") == "localhost" or name.lower().endswith(".localhost"):
            continue
        try:
            addresses = {info[4][0] for info in socket.getaddrinfo(name, 443, proto=socket.IPPROTO_TCP)}
        except OSError:
            continue
        if addresses and all(a.startswith("127.") or a == "::1" for a in addresses):
            return name
    return None


def test_jwks_uri_name_resolving_to_loopback_is_not_contacted(strict_server, unique_name):
    """A name is accepted at registration (it is not a literal); at fetch time it resolves to
    127.0.0.1, so nothing is sent and the client gets 401 invalid_client."""
    name = _loopback_name()
    if name is None:
        pytest.skip("no host name of this machine resolves to loopback only")
    listener = RawListener("garbage")
    try:
        client, key = _key_client(strict_server, unique_name, f"https://{name}:{listener.port}/jwks.json")
        response, elapsed = _token_with_assertion(strict_server, client, key)
        _expect_invalid_client(response, elapsed, f"jwks_uri on {name}")
        assert listener.connections == 0, f"{name} resolves to loopback and was contacted anyway"
    finally:
        listener.close()
