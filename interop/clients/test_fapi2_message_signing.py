"""A FAPI 2.0 Message Signing client end to end (FAPI 2.0 Message Signing, Final), as an
ecosystem's client would run it: joserfc for every JOSE part, requests for transport, the real
login and consent pages in headless Chromium.

Beyond the FAPI 2.0 Security Profile flow of ``test_fapi2_flow.py``:

1. The authorization request is a signed request object (RFC 9101; ES256, ``exp - nbf`` at
   most 60 minutes, ``aud`` the issuer) pushed through PAR (FAPI 2.0 Message Signing §5.3.1).
2. The authorization response comes back as a JARM JWT (``response``; JARM §2.1), verified
   with the published JWKS: ``iss``, ``aud`` = client_id, ``exp`` at most ten minutes away.
3. The access token is introspected with ``Accept: application/token-introspection+jwt``
   (RFC 9701): a JWT of ``typ`` ``token-introspection+jwt`` for this caller.
4. What the profile forbids: a plain pushed request without a request object, a request
   object valid for 61 minutes, and an explicit ``response_mode=query``.
"""

from __future__ import annotations

import json
import secrets
import time
import uuid
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from joserfc import jwk, jwt

from fapi_support import REDIRECT_URI, SCOPE, TIMEOUT, FAPIClient, authorize_in_browser, pkce_pair

REQUEST_OBJECT_TYPE = "oauth-authz-req+jwt"


@pytest.fixture(scope="module")
def discovery(custos_server) -> dict:
    response = requests.get(custos_server.base_url + "/.well-known/openid-configuration", timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    metadata = response.json()
    for mode in ("jwt", "query.jwt", "form_post.jwt"):
        assert mode in metadata["response_modes_supported"], metadata["response_modes_supported"]
    assert "ES256" in metadata["authorization_signing_alg_values_supported"]
    assert "ES256" in metadata["introspection_signing_alg_values_supported"]
    return metadata


@pytest.fixture
def person(custos_server, unique_name) -> dict:
    username = unique_name("fapims")
    password = "pw-" + secrets.token_urlsafe(18)
    custos_server.create_user(username=username, email=f"{username}@example.com", password=password, name="Mes Sage")
    return {"username": username, "password": password}


@pytest.fixture
def signing_client(custos_server, discovery, unique_name) -> FAPIClient:
    signing_key = jwk.ECKey.generate_key("P-256", parameters={"kid": "fapi-ms-1"}, private=True)
    created = custos_server.create_client(
        name=unique_name("fapi2-ms-client"),
        redirect_uris=[REDIRECT_URI],
        fapi_profile="fapi2_message_signing",
        client_auth_methods=["private_key_jwt"],
        jwks=json.dumps({"keys": [signing_key.as_dict(private=False)]}),
        grant_types=["authorization_code", "refresh_token"],
        scopes=SCOPE.split(),
    )
    # The administrator sees what the profile turned on (issue 14, item 6).
    shown = requests.get(custos_server.api_url + "/admin/oauth/clients/" + created["client_id"], timeout=TIMEOUT,
                         headers={"Authorization": "Bearer " + custos_server.admin_token()})
    assert shown.status_code == 200, shown.text
    effective = shown.json()["data"]
    assert effective.get("require_pushed_authorization_requests") is True, effective
    assert effective.get("require_signed_request_object") is True, effective
    return FAPIClient(custos_server, discovery, created["client_id"], signing_key,
                      jwk.OKPKey.generate_key("Ed25519", private=True))


def request_object(client: FAPIClient, lifetime: int = 300, **parameters) -> str:
    now = int(time.time())
    claims = {"iss": client.client_id, "aud": client.server.issuer, "nbf": now, "exp": now + lifetime,
              "jti": str(uuid.uuid4()), "client_id": client.client_id, **parameters}
    header = {"alg": "ES256", "kid": client.signing_key.kid, "typ": REQUEST_OBJECT_TYPE}
    return jwt.encode(header, claims, client.signing_key)


def authorization_parameters(challenge: str, state: str, nonce: str, **extra) -> dict:
    return {"response_type": "code", "redirect_uri": REDIRECT_URI, "scope": SCOPE, "state": state, "nonce": nonce,
            "code_challenge": challenge, "code_challenge_method": "S256", **extra}


def test_fapi2_message_signing_flow(custos_server, discovery, key_set, signing_client, person, browser):
    client = signing_client
    verifier, challenge = pkce_pair()
    state, nonce = "st-" + secrets.token_urlsafe(8), "n-" + secrets.token_urlsafe(8)
    signed = request_object(client, **authorization_parameters(challenge, state, nonce, response_mode="jwt"))
    pushed = client.send("POST", discovery["pushed_authorization_request_endpoint"], data={"request": signed})
    assert pushed.status_code == 201, pushed.text

    authorize_url = discovery["authorization_endpoint"] + "?" + urlencode(
        {"client_id": client.client_id, "request_uri": pushed.json()["request_uri"]})
    landed = authorize_in_browser(browser, authorize_url, person)
    query = parse_qs(urlsplit(landed).query)
    assert set(query) == {"response"}, f"JARM puts the whole response in one JWT: {landed}"
    response_jwt = query["response"][0]
    token = jwt.decode(response_jwt, key_set)  # raises unless a published key verifies it
    assert token.header["alg"] == "ES256" and token.header.get("kid"), token.header
    claims = token.claims
    now = time.time()
    assert claims["iss"] == custos_server.issuer, claims
    assert claims["aud"] == client.client_id, claims
    assert now < claims["exp"] <= now + 600 + 5, "JARM §2.1: a short-lived response"
    assert claims["state"] == state, claims
    code = claims["code"]
    custos_server.remember_secret(code)

    tokens_response = client.send("POST", discovery["token_endpoint"], data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI, "code_verifier": verifier})
    assert tokens_response.status_code == 200, tokens_response.text
    tokens = tokens_response.json()
    for value in tokens.values():
        custos_server.remember_secret(value if isinstance(value, str) else None)
    assert tokens["token_type"] == "DPoP"

    introspected = requests.post(
        discovery["introspection_endpoint"], timeout=TIMEOUT,
        headers={"Accept": "application/token-introspection+jwt"},
        data={"token": tokens["access_token"], "client_id": client.client_id,
              "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
              "client_assertion": client.assertion()})
    assert introspected.status_code == 200, introspected.text
    assert introspected.headers["Content-Type"].startswith("application/token-introspection+jwt")
    answer = jwt.decode(introspected.text, key_set)
    assert answer.header["typ"] == "token-introspection+jwt", answer.header
    assert answer.claims["iss"] == custos_server.issuer
    assert answer.claims["aud"] == client.client_id
    assert abs(answer.claims["iat"] - time.time()) < 60
    inner = answer.claims["token_introspection"]
    assert inner["active"] is True and inner["client_id"] == client.client_id, inner
    assert inner["cnf"] == {"jkt": client.thumbprint}, inner


def test_fapi2_message_signing_refuses_unsigned_and_long_lived_requests(discovery, signing_client):
    client = signing_client
    _, challenge = pkce_pair()
    endpoint = discovery["pushed_authorization_request_endpoint"]

    plain = client.send("POST", endpoint, data=authorization_parameters(challenge, "s1", "n1"))
    assert plain.status_code == 400, plain.text
    assert plain.json()["error"] == "invalid_request", plain.text

    long_lived = request_object(client, lifetime=61 * 60, **authorization_parameters(challenge, "s2", "n2"))
    refused = client.send("POST", endpoint, data={"request": long_lived})
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"] == "invalid_request_object", refused.text

    in_query = request_object(client, **authorization_parameters(challenge, "s3", "n3", response_mode="query"))
    refused = client.send("POST", endpoint, data={"request": in_query})
    assert refused.status_code == 400, refused.text
    assert "response_mode" in refused.json().get("error_description", ""), refused.text
