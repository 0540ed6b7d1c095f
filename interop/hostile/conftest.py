"""Fixtures of the hostile-input tests (test_oversized.py, test_encoding.py, test_hostile_jwt.py,
test_slow_clients.py). None is autouse: test_schemathesis.py of this folder is not touched.

``hostile`` is the parent's session server (``custos_server``) with a check after the test:
the process still runs, ``/health`` answers promptly, and a client created before any attack
(``sentinel``) still gets a token, so nothing already stored was lost.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hostilekit import Sentinel, assert_still_serving, sentinel_token

ROOT_CONFTEST = Path(__file__).resolve().parent.parent / "conftest.py"


@pytest.fixture(scope="session")
def root(request):
    """The parent ``interop/conftest.py`` module (CustosServer, fresh_database, …): both files
    are named conftest.py, so this one gets it from pytest's plugin manager."""
    module = request.config.pluginmanager.get_plugin(str(ROOT_CONFTEST))
    assert module is not None, f"{ROOT_CONFTEST} is not loaded"
    return module


@pytest.fixture(scope="session")
def sentinel(custos_server) -> Sentinel:
    """A confidential client created before any hostile request; it must keep working."""
    data = custos_server.create_client(
        name="hostile-sentinel",
        redirect_uris=["https://sentinel.example/cb"],
        grant_types=["client_credentials"],
        scopes=["api.read"],
    )
    sentinel = Sentinel(data["client_id"], data["client_secret"])
    response = sentinel_token(custos_server, sentinel)
    assert response.status_code == 200, f"sentinel token before the attacks: {response.status_code} {response.text}"
    return sentinel


@pytest.fixture
def hostile(custos_server, sentinel):
    """The session server; after the test it still runs, answers /health and the sentinel."""
    yield custos_server
    assert_still_serving(custos_server, sentinel)


@pytest.fixture
def admin_token(custos_server) -> str:
    return custos_server.admin_token()


@pytest.fixture(scope="session")
def public_client(custos_server) -> dict:
    """A public client with one redirect URI, for /authorize requests."""
    return custos_server.create_client(
        name="hostile-public",
        redirect_uris=["https://hostile.example/cb"],
        is_confidential=False,
        client_auth_methods=["none"],
        scopes=["openid", "profile"],
    )
