"""A FAPI 2.0 Security Profile client end to end, as an ecosystem's client would run it.

authlib has neither PAR nor DPoP, so the client is written as the profile describes it:
joserfc signs the private_key_jwt assertions (RFC 7523 §2.2, ``aud`` the issuer: FAPI 2.0
§5.3.2.1 item 8) and the DPoP proofs (RFC 9449 §4, Ed25519), requests carries them. The flow:

1. PAR (RFC 9126 §2) with client authentication and a DPoP proof; the server asks for its
   nonce first (RFC 9449 §8, required for FAPI clients) and the client retries with it.
2. ``/authorize`` with only ``client_id`` and ``request_uri`` (RFC 9126 §4), through the login
   and consent pages in headless Chromium, back to the relying party's https redirect URI
   with ``code``, ``state`` and ``iss`` (RFC 9207).
3. The code redeemed with PKCE and a proof: ``token_type`` ``DPoP``, ``cnf.jkt`` the proof
   key's RFC 7638 thumbprint in the access token and in introspection, an ES256 ID token.
4. UserInfo with ``Authorization: DPoP`` and a proof carrying ``ath`` (RFC 9449 §7); the same
   token as a bearer token is refused.
5. What the profile forbids: the pushed request replayed, an authorization request that did
   not come through PAR, a token request without a proof, a client secret for this client.
"""

from __future__ import annotations

import json
import secrets
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from joserfc import jwk, jwt

from fapi_support import (ASSERTION_TYPE, REDIRECT_URI, SCOPE, TIMEOUT, FAPIClient, authorize_in_browser,
                          b64url_json, pkce_pair)


@pytest.fixture(scope="module")
def discovery(custos_server) -> dict:
    response = requests.get(custos_server.base_url + "/.well-known/openid-configuration", timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    metadata = response.json()
    assert metadata["pushed_authorization_request_endpoint"] == custos_server.api_url + "/oauth/pushed-authorization"
    assert "EdDSA" in metadata["dpop_signing_alg_values_supported"], metadata.get("dpop_signing_alg_values_supported")
    assert "none" not in metadata["dpop_signing_alg_values_supported"]
    assert metadata["authorization_response_iss_parameter_supported"] is True
    assert "require_pushed_authorization_requests" in metadata
    return metadata


@pytest.fixture
def person(custos_server, unique_name) -> dict:
    username = unique_name("fapi")
    password = "pw-" + secrets.token_urlsafe(18)
    custos_server.create_user(username=username, email=f"{username}@example.com", password=password, name="Fay Api")
    return {"username": username, "password": password}


@pytest.fixture
def fapi_client(custos_server, discovery, unique_name) -> FAPIClient:
    signing_key = jwk.ECKey.generate_key("P-256", parameters={"kid": "fapi-signing-1"}, private=True)
    created = custos_server.create_client(
        name=unique_name("fapi2-client"),
        redirect_uris=[REDIRECT_URI],
        fapi_profile="fapi2",
        client_auth_methods=["private_key_jwt"],
        jwks=json.dumps({"keys": [signing_key.as_dict(private=False)]}),
        grant_types=["authorization_code", "refresh_token"],
        scopes=SCOPE.split(),
    )
    assert "client_secret" not in created or not created["client_secret"], "a private_key_jwt client has no secret"
    dpop_key = jwk.OKPKey.generate_key("Ed25519", private=True)
    return FAPIClient(custos_server, discovery, created["client_id"], signing_key, dpop_key)


def push(client: FAPIClient, challenge: str, state: str, nonce: str) -> requests.Response:
    return client.send("POST", client.discovery["pushed_authorization_request_endpoint"], data={
        "response_type": "code", "redirect_uri": REDIRECT_URI, "scope": SCOPE, "state": state, "nonce": nonce,
        "code_challenge": challenge, "code_challenge_method": "S256",
    })


def test_fapi2_code_flow_with_par_dpop_and_private_key_jwt(custos_server, discovery, fapi_client, person, browser):
    client = fapi_client
    verifier, challenge = pkce_pair()
    state, nonce = "st-" + secrets.token_urlsafe(8), "n-" + secrets.token_urlsafe(8)

    pushed = push(client, challenge, state, nonce)
    assert pushed.status_code == 201, pushed.text
    assert "no-store" in pushed.headers.get("Cache-Control", "")
    answer = pushed.json()
    request_uri = answer["request_uri"]
    assert request_uri.startswith("urn:ietf:params:oauth:request_uri:")
    assert 0 < answer["expires_in"] < 600, answer
    assert client.nonce, "the server never handed out a DPoP nonce, although FAPI clients need one"

    authorize_url = discovery["authorization_endpoint"] + "?" + urlencode({"client_id": client.client_id, "request_uri": request_uri})
    landed = authorize_in_browser(browser, authorize_url, person)
    response = parse_qs(urlsplit(landed).query)
    assert response.get("state") == [state], landed
    assert response.get("iss") == [custos_server.issuer], "RFC 9207: iss in every authorization response"
    code = response["code"][0]
    custos_server.remember_secret(code)

    # The pushed request is single use (RFC 9126 §4): the same URL now gets an error page.
    try:
        browser.get(authorize_url)
    except Exception:  # noqa: BLE001
        pass
    assert not browser.current_url.startswith(REDIRECT_URI), "a spent request_uri sent the browser to the client again"

    token = client.send("POST", discovery["token_endpoint"], data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI, "code_verifier": verifier})
    assert token.status_code == 200, token.text
    tokens = token.json()
    for value in (tokens.get("access_token"), tokens.get("refresh_token"), tokens.get("id_token")):
        custos_server.remember_secret(value)
    assert tokens["token_type"] == "DPoP"
    access = tokens["access_token"]
    claims = b64url_json(access.split(".")[1])
    assert claims["cnf"] == {"jkt": client.thumbprint}, claims
    assert b64url_json(tokens["id_token"].split(".")[0])["alg"] == "ES256", "FAPI 2.0 §5.4.1: no RS256 ID token"
    assert b64url_json(tokens["id_token"].split(".")[1])["nonce"] == nonce

    userinfo = client.send("GET", discovery["userinfo_endpoint"], access_token=access, authenticate=False)
    assert userinfo.status_code == 200, userinfo.text
    assert userinfo.json()["sub"] == claims["sub"]
    as_bearer = requests.get(discovery["userinfo_endpoint"], headers={"Authorization": "Bearer " + access}, timeout=TIMEOUT)
    assert as_bearer.status_code == 401, "a DPoP-bound token presented as a bearer token must be refused"

    # Refresh with the same key keeps the binding; without a proof the profile gives nothing.
    refreshed = client.send("POST", discovery["token_endpoint"], data={
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    custos_server.remember_secret(refreshed.json()["access_token"])
    assert refreshed.json()["token_type"] == "DPoP"
    unproven = requests.post(discovery["token_endpoint"], timeout=TIMEOUT, data={
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": client.client_id,
        "client_assertion_type": ASSERTION_TYPE, "client_assertion": client.assertion()})
    assert unproven.status_code == 400, unproven.text


def test_fapi2_client_must_push_and_prove(custos_server, discovery, fapi_client, browser):
    client = fapi_client
    verifier, challenge = pkce_pair()
    # An authorization request that did not come through PAR is refused (FAPI 2.0 §5.3.2.2).
    direct = requests.get(discovery["authorization_endpoint"], allow_redirects=False, timeout=TIMEOUT, params={
        "client_id": client.client_id, "response_type": "code", "redirect_uri": REDIRECT_URI, "scope": SCOPE,
        "code_challenge": challenge, "code_challenge_method": "S256"})
    location = direct.headers.get("Location", "")
    assert direct.status_code == 400 or "error=invalid_request" in location, (direct.status_code, location, direct.text[:300])
    assert "code=" not in location

    # PAR without client authentication: 401 (RFC 9126 §2.1).
    anonymous = requests.post(discovery["pushed_authorization_request_endpoint"], timeout=TIMEOUT, data={
        "client_id": client.client_id, "response_type": "code", "redirect_uri": REDIRECT_URI, "scope": SCOPE,
        "code_challenge": challenge, "code_challenge_method": "S256"})
    assert anonymous.status_code == 401, anonymous.text
    assert anonymous.json()["error"] == "invalid_client"

    # A client secret is not a way in for a FAPI client (FAPI 2.0 §5.3.2.1 item 3): it cannot
    # register one, and Basic credentials for this private_key_jwt client are refused.
    refused_registration = requests.post(
        custos_server.api_url + "/admin/oauth/clients", timeout=TIMEOUT,
        headers={"Authorization": "Bearer " + custos_server.admin_token()},
        json={"name": "fapi2-with-secret", "redirect_uris": [REDIRECT_URI], "fapi_profile": "fapi2",
              "client_auth_methods": ["client_secret_basic"]})
    assert refused_registration.status_code == 400, refused_registration.text
    assert "client_auth_methods" in refused_registration.text
    with_secret = requests.post(discovery["token_endpoint"], timeout=TIMEOUT, auth=(client.client_id, "not-a-secret"),
                                data={"grant_type": "authorization_code", "code": "x", "code_verifier": verifier})
    assert with_secret.status_code == 401, with_secret.text

    # A proof whose jwk holds the private key is refused (RFC 9449 §4.3 item 7).
    now = int(time.time())
    leaky = jwt.encode({"typ": "dpop+jwt", "alg": "EdDSA", "jwk": client.dpop_key.as_dict(private=True)},
                       {"jti": secrets.token_urlsafe(8), "htm": "POST", "htu": discovery["token_endpoint"], "iat": now},
                       client.dpop_key, algorithms=["EdDSA"])
    refused = requests.post(discovery["token_endpoint"], timeout=TIMEOUT, headers={"DPoP": leaky}, data={
        "grant_type": "authorization_code", "code": "x", "code_verifier": verifier, "client_id": client.client_id,
        "client_assertion_type": ASSERTION_TYPE, "client_assertion": client.assertion()})
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"] == "invalid_dpop_proof"
