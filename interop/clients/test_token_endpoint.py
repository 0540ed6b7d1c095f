"""The token endpoint as authlib sees it, and the access tokens as joserfc sees them.

client_credentials with client_secret_basic and client_secret_post (RFC 6749 §2.3.1, §4.4),
RFC 9068 JWT access tokens verified against the published JWKS, and the discovery document
(RFC 8414 / OpenID Connect Discovery) pointing at a token endpoint that works.
"""

from __future__ import annotations

import time

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwk, jwt
from joserfc.errors import BadSignatureError
from joserfc.jwt import JWTClaimsRegistry

ACCESS_TOKEN_LIFETIME = 900
TIMEOUT = 10


def make_client(server, unique_name, method: str) -> dict:
    client = server.create_client(
        name=unique_name(f"Interop {method} "),
        redirect_uris=["https://app.example.com/callback"],
        grant_types=["client_credentials"],
        client_auth_methods=[method],
        scopes=["api.read", "api.write"],
    )
    assert client["client_id"], client
    assert client["client_secret"].startswith("custos_cs_"), "a secret-based client gets a custos_cs_ secret"
    return client


@pytest.fixture(scope="module")
def discovery(custos_server) -> dict:
    response = requests.get(custos_server.base_url + "/.well-known/openid-configuration", timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    return response.json()


def verify_access_token(token: str, key_set: jwk.KeySet, server, client_id: str, scope: str) -> dict:
    """Verifies an RFC 9068 access token with joserfc; returns its claims."""
    server.remember_secret(token)
    try:
        decoded = jwt.decode(token, key_set, algorithms=["ES256"])
    except BadSignatureError as error:  # pragma: no cover - the failure message is the point
        pytest.fail(f"the access token does not verify against the JWKS: {error}")
    header, claims = decoded.header, decoded.claims

    assert header["alg"] == "ES256"
    assert header["typ"] == "at+jwt", f"RFC 9068 §2.1: typ must be at+jwt, got {header.get('typ')!r}"
    assert header.get("kid") in {key.kid for key in key_set.keys}

    now = int(time.time())
    JWTClaimsRegistry(
        now=now,
        leeway=60,
        iss={"essential": True, "value": server.issuer},
        aud={"essential": True, "value": server.issuer},
        exp={"essential": True},
        iat={"essential": True},
        jti={"essential": True},
        sub={"essential": True},
        client_id={"essential": True, "value": client_id},
    ).validate(claims)

    assert claims["iss"] == server.issuer
    audience = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    assert server.issuer in audience
    assert claims["client_id"] == client_id
    assert sorted(claims["scope"].split()) == sorted(scope.split())
    assert isinstance(claims["jti"], str) and len(claims["jti"]) >= 16
    assert isinstance(claims["iat"], int) and isinstance(claims["exp"], int)
    assert abs(claims["iat"] - now) <= 60, "iat is not now"
    assert claims["exp"] - claims["iat"] == ACCESS_TOKEN_LIFETIME
    return claims


def check_token_response(token: dict, scope: str) -> None:
    assert token["token_type"].lower() == "bearer"
    assert token["expires_in"] == ACCESS_TOKEN_LIFETIME
    assert sorted(token.get("scope", scope).split()) == sorted(scope.split())
    assert "refresh_token" not in token, "client_credentials must not issue a refresh token (RFC 6749 §4.4.3)"


def test_client_credentials_with_client_secret_basic(custos_server, unique_name, key_set):
    client = make_client(custos_server, unique_name, "client_secret_basic")
    session = OAuth2Session(
        client["client_id"], client["client_secret"], token_endpoint_auth_method="client_secret_basic", scope="api.read"
    )
    token = session.fetch_token(custos_server.token_endpoint, grant_type="client_credentials")
    check_token_response(token, "api.read")
    claims = verify_access_token(token["access_token"], key_set, custos_server, client["client_id"], "api.read")
    assert claims["sub"] == client["client_id"]


def test_client_credentials_with_client_secret_post(custos_server, unique_name, key_set):
    client = make_client(custos_server, unique_name, "client_secret_post")
    session = OAuth2Session(
        client["client_id"], client["client_secret"], token_endpoint_auth_method="client_secret_post",
        scope="api.read api.write",
    )
    token = session.fetch_token(custos_server.token_endpoint, grant_type="client_credentials")
    check_token_response(token, "api.read api.write")
    verify_access_token(token["access_token"], key_set, custos_server, client["client_id"], "api.read api.write")


def test_token_response_is_not_cached_and_tokens_are_unique(custos_server, unique_name, key_set):
    client = make_client(custos_server, unique_name, "client_secret_basic")
    jtis = set()
    for _ in range(2):
        response = requests.post(
            custos_server.token_endpoint,
            data={"grant_type": "client_credentials", "scope": "api.write"},
            auth=(client["client_id"], client["client_secret"]),
            timeout=TIMEOUT,
        )
        assert response.status_code == 200, response.text
        assert "no-store" in response.headers.get("Cache-Control", ""), "RFC 6749 §5.1: Cache-Control: no-store"
        claims = verify_access_token(
            response.json()["access_token"], key_set, custos_server, client["client_id"], "api.write"
        )
        jtis.add(claims["jti"])
    assert len(jtis) == 2, "two tokens share a jti"


def test_wrong_secret_is_invalid_client(custos_server, unique_name):
    client = make_client(custos_server, unique_name, "client_secret_basic")
    response = requests.post(
        custos_server.token_endpoint,
        data={"grant_type": "client_credentials", "scope": "api.read"},
        auth=(client["client_id"], client["client_secret"] + "x"),
        timeout=TIMEOUT,
    )
    assert response.status_code == 401, response.text
    assert response.json()["error"] == "invalid_client"
    assert "access_token" not in response.json()


def test_discovery_names_the_issuer_and_a_working_token_endpoint(custos_server, unique_name, discovery, key_set):
    assert discovery["issuer"] == custos_server.issuer
    token_endpoint = discovery["token_endpoint"]
    assert token_endpoint.startswith(custos_server.issuer + "/")
    assert "client_credentials" in discovery.get("grant_types_supported", [])
    methods = discovery.get("token_endpoint_auth_methods_supported", [])
    assert {"client_secret_basic", "client_secret_post"} <= set(methods)

    # The same document at the RFC 8414 location.
    metadata = requests.get(custos_server.base_url + "/.well-known/oauth-authorization-server", timeout=TIMEOUT)
    assert metadata.status_code == 200
    assert metadata.json()["issuer"] == discovery["issuer"]
    assert metadata.json()["token_endpoint"] == token_endpoint

    client = make_client(custos_server, unique_name, "client_secret_basic")
    session = OAuth2Session(client["client_id"], client["client_secret"], scope="api.read")
    token = session.fetch_token(token_endpoint, grant_type="client_credentials")
    verify_access_token(token["access_token"], key_set, custos_server, client["client_id"], "api.read")
