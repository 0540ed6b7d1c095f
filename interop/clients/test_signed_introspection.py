"""Signed introspection responses (RFC 9701) as a resource server sees them.

A resource server introspects with ``Accept: application/token-introspection+jwt`` and verifies
the answer with joserfc against the JWKS the server publishes: ``typ``, ``iss``, ``aud`` (the
resource server itself), ``iat``, and ``token_introspection`` equal to the plain JSON answer,
``{"active": false}`` included. Its registered ``introspection_signed_response_alg`` (PS256 here)
is the algorithm used; without the Accept header the answer stays RFC 7662 JSON.
"""

from __future__ import annotations

import time

import pytest
import requests
from joserfc import jwt

TIMEOUT = 10
JWT_TYPE = "application/token-introspection+jwt"


@pytest.fixture(scope="module")
def discovery(custos_server) -> dict:
    response = requests.get(custos_server.base_url + "/.well-known/openid-configuration", timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def resource_server(custos_server) -> dict:
    """A confidential client an administrator marked a resource server, asking for PS256 answers."""
    return custos_server.create_client(
        name="Interop signed introspection RS",
        redirect_uris=["https://rs.example.com/cb"],
        grant_types=["client_credentials"],
        client_auth_methods=["client_secret_basic"],
        scopes=["api.read"],
        is_resource_server=True,
        introspection_signed_response_alg="PS256",
    )


@pytest.fixture(scope="module")
def access_token(custos_server) -> tuple[str, str]:
    """An access token of another client (client_credentials), and that client's id."""
    owner = custos_server.create_client(
        name="Interop signed introspection owner",
        redirect_uris=["https://app.example.com/cb"],
        grant_types=["client_credentials"],
        client_auth_methods=["client_secret_basic"],
        scopes=["api.read"],
    )
    response = requests.post(
        custos_server.token_endpoint,
        data={"grant_type": "client_credentials", "scope": "api.read"},
        auth=(owner["client_id"], owner["client_secret"]),
        timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    custos_server.remember_secret(token)
    return token, owner["client_id"]


def introspect(discovery: dict, client: dict, token: str, accept: str | None = None) -> requests.Response:
    headers = {"Accept": accept} if accept else {}
    return requests.post(
        discovery["introspection_endpoint"],
        data={"token": token},
        auth=(client["client_id"], client["client_secret"]),
        headers=headers,
        timeout=TIMEOUT,
    )


def verified_answer(response: requests.Response, key_set, server, audience: str) -> dict:
    """The ``token_introspection`` member of a JWT answer, once joserfc has verified it."""
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == JWT_TYPE
    assert response.headers["Cache-Control"] == "no-store"
    decoded = jwt.decode(response.text, key_set, algorithms=["PS256"])
    header, claims = decoded.header, decoded.claims
    assert header["typ"] == "token-introspection+jwt", header
    assert header["alg"] == "PS256", "the resource server's introspection_signed_response_alg"
    assert header["kid"] in {key.kid for key in key_set.keys}
    assert set(claims) == {"iss", "aud", "iat", "token_introspection"}, claims
    assert claims["iss"] == server.issuer
    assert claims["aud"] == audience
    assert abs(claims["iat"] - int(time.time())) <= 60
    return claims["token_introspection"]


def test_discovery_lists_the_introspection_signing_algorithms(discovery):
    algorithms = discovery["introspection_signing_alg_values_supported"]
    assert {"PS256", "ES256", "EdDSA"} <= set(algorithms), algorithms
    assert "none" not in algorithms


def test_a_resource_server_verifies_a_signed_answer_with_the_published_jwks(
    custos_server, discovery, key_set, resource_server, access_token
):
    token, owner_id = access_token
    plain = introspect(discovery, resource_server, token)
    assert plain.status_code == 200, plain.text
    assert plain.headers["Content-Type"].startswith("application/json"), "JSON without Accept"
    answer = verified_answer(
        introspect(discovery, resource_server, token, accept=JWT_TYPE), key_set, custos_server, resource_server["client_id"]
    )
    assert answer == plain.json()
    assert answer["active"] is True
    assert answer["client_id"] == owner_id


def test_an_inactive_token_is_answered_as_a_signed_active_false(custos_server, discovery, key_set, resource_server):
    response = introspect(discovery, resource_server, "custos_at_not-a-token", accept=JWT_TYPE)
    assert verified_answer(response, key_set, custos_server, resource_server["client_id"]) == {"active": False}


def test_an_accept_header_naming_nothing_the_server_sends_is_406(discovery, resource_server, access_token):
    response = introspect(discovery, resource_server, access_token[0], accept="text/html")
    assert response.status_code == 406, response.text
    assert response.json()["error"] == "invalid_request"
