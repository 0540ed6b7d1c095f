"""pyoidc (the PyPI package ``oic``) as an OpenID Connect relying party, driven step by step.

Discovery (OpenID Connect Discovery §4.3: the issuer must match), dynamic registration
(OpenID Connect Registration / RFC 7591) and reading the registration back (RFC 7592 §2.1),
an authentication request built by pyoidc with PKCE S256 (RFC 7636, required by OAuth 2.1),
a requests-based user agent that signs in and consents through the server's HTML forms, the
authorization response (RFC 9207 ``iss``), the token request with client_secret_basic and
pyoidc's ID token validation (OpenID Connect Core §3.1.3.7), UserInfo (§5.3, ``sub`` equal to
the ID token's), and pyoidc rejecting an ID token whose nonce is not the one it sent.
"""

from __future__ import annotations

import json
import secrets
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from jwkest import BadSignature
from jwkest.jws import left_hash
from oic.exception import ParameterError, PyoidcError
from oic.oic import Client
from oic.oic.message import (
    AccessTokenResponse,
    AuthorizationRequest,
    AuthorizationResponse,
    IdToken,
    OpenIDSchema,
    ProviderConfigurationResponse,
    RegistrationResponse,
)
from oic.utils.authn.client import CLIENT_AUTHN_METHOD
from oic.utils.settings import OicClientSettings

from oauth_browser import Browser

REDIRECT_URI = "https://rp.example/cb"
SCOPE = "openid profile email"
TIMEOUT = 10


def new_rp(server) -> Client:
    """A pyoidc Client that has read the server's discovery document (keys and endpoints)."""
    rp = Client(client_authn_method=CLIENT_AUTHN_METHOD, settings=OicClientSettings(timeout=TIMEOUT))
    rp.provider_config(server.issuer)
    # Discovery says require_request_uri_registration, so pyoidc registers request_uris made of
    # its base URL: give it an https one (pyoidc's default is empty, a relative URI).
    rp.base_url = "https://rp.example/"
    return rp


def register(rp: Client, server, unique_name, **metadata) -> RegistrationResponse:
    """Registers through pyoidc's ``Client.register`` (OpenID Connect Registration §3)."""
    response = rp.register(
        rp.registration_endpoint,
        redirect_uris=[REDIRECT_URI],
        client_name=unique_name("pyoidc RP "),
        response_types=["code"],
        token_endpoint_auth_method="client_secret_basic",
        **metadata,
    )
    server.remember_secret(response.get("client_secret"))
    server.remember_secret(response.get("registration_access_token"))
    return response


@pytest.fixture
def person(custos_server, unique_name) -> dict:
    username = unique_name("grace")
    person = {
        "username": username,
        "email": f"{username}@example.com",
        "password": "pw-" + secrets.token_urlsafe(18),
        "name": "Grace Hopper",
    }
    person["id"] = custos_server.create_user(
        username=person["username"], email=person["email"], password=person["password"], name=person["name"]
    )
    return person


@pytest.fixture(scope="module")
def registration(custos_server) -> dict:
    """One client registered by pyoidc, shared by the flow tests (registration is rate-limited
    per address); each test builds its own pyoidc Client around it."""
    rp = new_rp(custos_server)
    response = register(rp, custos_server, lambda prefix: f"{prefix}{secrets.token_hex(4)}")
    return response.to_dict()


def registered_rp(server, registration: dict) -> Client:
    rp = new_rp(server)
    rp.store_registration_info(RegistrationResponse(**registration))
    assert rp.client_id == registration["client_id"]
    assert rp.client_secret == registration["client_secret"]
    return rp


def start_flow(rp: Client, server) -> dict:
    """Builds the authentication request with pyoidc, PKCE added with pyoidc's own helper."""
    state = "st-" + secrets.token_urlsafe(16)
    nonce = "nc-" + secrets.token_urlsafe(16)
    pkce, verifier = rp.add_code_challenge()  # S256 unless configured otherwise; pyoidc keeps no verifier
    server.remember_secret(verifier)
    url, _, _, request = rp.request_info(
        AuthorizationRequest,
        method="GET",
        request_args={
            "response_type": "code",
            "scope": SCOPE,
            "state": state,
            "nonce": nonce,
            "redirect_uri": REDIRECT_URI,
            **pkce,
        },
    )
    assert url.startswith(rp.authorization_endpoint + "?"), url
    sent = parse_qs(urlsplit(url).query)
    assert sent["client_id"] == [rp.client_id]
    assert sent["code_challenge_method"] == ["S256"]
    assert sent["nonce"] == [nonce] and sent["state"] == [state]
    assert rp.state2nonce[state] == nonce, "pyoidc did not record the nonce for the state"
    return {"url": url, "state": state, "nonce": nonce, "verifier": verifier, "request": request}


def authorize(rp: Client, server, person, flow: dict) -> AuthorizationResponse:
    """The user agent's part, then pyoidc parses and checks the authorization response."""
    browser = Browser(server, person["username"], person["password"])
    location = browser.authorize(flow["url"], REDIRECT_URI)
    query = parse_qs(urlsplit(location).query)
    assert "error" not in query, f"authorization error: {query}"
    server.remember_secret(query.get("code", [None])[0])
    assert browser.logins == 1 and browser.consents == 1, (browser.logins, browser.consents, browser.pages)

    response = rp.parse_response(AuthorizationResponse, info=location, sformat="urlencoded")
    assert isinstance(response, AuthorizationResponse), response
    assert response["state"] == flow["state"]
    assert response["code"]
    # RFC 9207 §2: the issuer identifier in the response; pyoidc compares it with the discovered one.
    assert response.get("iss") == server.issuer, f"authorization response iss: {response.get('iss')!r}"
    return response


def exchange(rp: Client, server, flow: dict, state: str | None = None) -> AccessTokenResponse:
    token = rp.do_access_token_request(
        state=state or flow["state"],
        request_args={"code_verifier": flow["verifier"]},
        authn_method="client_secret_basic",
    )
    if isinstance(token, AccessTokenResponse):
        for name in ("access_token", "refresh_token", "id_token_jwt"):
            server.remember_secret(token.get(name))
    return token


def test_discovery_issuer_is_checked_by_pyoidc(custos_server):
    rp = Client(client_authn_method=CLIENT_AUTHN_METHOD, settings=OicClientSettings(timeout=TIMEOUT))
    config = rp.provider_config(custos_server.issuer)
    # (config.verify() is not called: pyoidc requires an https issuer there, OpenID Connect
    # Discovery §3, and the suite's server runs on http://127.0.0.1.)
    assert isinstance(config, ProviderConfigurationResponse)
    assert config["issuer"] == custos_server.issuer
    assert rp.issuer == custos_server.issuer
    assert rp.authorization_endpoint == custos_server.api_url + "/oauth/authorize"
    assert rp.token_endpoint == custos_server.api_url + "/oauth/token"
    assert rp.userinfo_endpoint == custos_server.api_url + "/oauth/userinfo"
    assert rp.registration_endpoint == custos_server.api_url + "/oauth/register"
    assert "code" in config["response_types_supported"]
    assert "S256" in config.get("code_challenge_methods_supported", [])
    assert "client_secret_basic" in config.get("token_endpoint_auth_methods_supported", ["client_secret_basic"])
    # pyoidc fetched jwks_uri into its key jar under the issuer: the keys it verifies ID tokens with.
    keys = rp.keyjar.get_issuer_keys(custos_server.issuer)
    assert keys, "pyoidc loaded no key from jwks_uri"
    assert {key.kty for key in keys} >= {"RSA", "EC"}, [key.kty for key in keys]

    # The same document fetched under another name of the same host: pyoidc must refuse it,
    # which shows it compares the issuer (OpenID Connect Discovery §4.3).
    other = Client(client_authn_method=CLIENT_AUTHN_METHOD, settings=OicClientSettings(timeout=TIMEOUT))
    with pytest.raises(PyoidcError, match="issuer mismatch"):
        other.provider_config(f"http://localhost:{custos_server.port}")


def test_dynamic_registration_with_pyoidc(custos_server, unique_name):
    rp = new_rp(custos_server)
    response = register(rp, custos_server, unique_name, contacts=["ops@rp.example"])

    assert isinstance(response, RegistrationResponse)
    assert response["client_id"] and rp.client_id == response["client_id"]
    assert response["client_secret"], "a client_secret_basic client gets a secret (RFC 7591 §3.2.1)"
    assert rp.client_secret == response["client_secret"]
    assert response.get("client_secret_expires_at") is not None, (
        "client_secret_expires_at is REQUIRED when a client_secret is issued (RFC 7591 §3.2.1)"
    )
    assert response["redirect_uris"] == [REDIRECT_URI]
    assert response["token_endpoint_auth_method"] == "client_secret_basic"
    assert response["response_types"] == ["code"]
    assert "authorization_code" in response["grant_types"]
    assert response["client_name"].startswith("pyoidc RP ")
    issued_at = response.get("client_id_issued_at")
    assert issued_at is None or abs(issued_at - time.time()) < 120, f"client_id_issued_at {issued_at}"

    # RFC 7592 §2.1: the registration access token reads the client back at its URI.
    assert response.get("registration_access_token"), "no registration_access_token (RFC 7592 §3)"
    client_uri = response.get("registration_client_uri")
    assert client_uri and client_uri.startswith(custos_server.base_url + "/"), client_uri
    # Without the token, or with a wrong one: 401 with a Bearer challenge (RFC 7592 §2.1 →
    # RFC 6750 §3), and nothing about the client.
    for headers in ({}, {"Authorization": "Bearer " + response["registration_access_token"] + "x"}):
        refused = requests.get(client_uri, headers=headers, timeout=TIMEOUT)
        assert refused.status_code == 401, f"{headers and 'wrong token' or 'no token'}: {refused.status_code} {refused.text}"
        assert refused.headers.get("WWW-Authenticate", "").lower().startswith("bearer"), refused.headers
        assert response["client_secret"] not in refused.text

    # The registered client is an OAuth client the token endpoint knows: a made-up code is
    # invalid_grant (RFC 6749 §5.2) with client_secret_basic accepted, not invalid_client.
    probe = requests.post(
        rp.token_endpoint,
        data={"grant_type": "authorization_code", "code": "no-such-code", "redirect_uri": REDIRECT_URI,
              "code_verifier": "v" * 43},
        auth=(response["client_id"], response["client_secret"]),
        timeout=TIMEOUT,
    )
    assert probe.status_code == 400, probe.text
    assert probe.json()["error"] == "invalid_grant", probe.text


def test_registration_read_back_with_pyoidc(custos_server, registration):
    """RFC 7592 §2.1: GET registration_client_uri with the registration access token answers
    200 with a client information response (§3), in which registration_access_token and
    registration_client_uri are both REQUIRED; pyoidc also enforces OpenID Connect
    Registration §3.2 ("either both ... or neither")."""
    rp = registered_rp(custos_server, registration)
    assert rp.registration_access_token == registration["registration_access_token"]

    # The raw answer first, for a clear message; then pyoidc's own read.
    raw = requests.get(
        registration["registration_client_uri"],
        headers={"Authorization": "Bearer " + registration["registration_access_token"]},
        timeout=TIMEOUT,
    )
    assert raw.status_code == 200, raw.text
    assert "no-store" in raw.headers.get("Cache-Control", ""), "RFC 7592 §3 / RFC 7591 §3.2.1: no-store"
    document = raw.json()
    custos_server.remember_secret(document.get("client_secret"))
    custos_server.remember_secret(document.get("registration_access_token"))
    missing = [name for name in ("client_id", "registration_access_token", "registration_client_uri")
               if name not in document]
    assert not missing, (
        f"RFC 7592 §3: the client information response of a read lacks the REQUIRED {missing}; "
        f"pyoidc then refuses it (OpenID Connect Registration §3.2: both or neither). Got {sorted(document)}"
    )

    read = rp.registration_read()
    assert isinstance(read, RegistrationResponse)
    assert read["client_id"] == registration["client_id"]
    assert read["redirect_uris"] == [REDIRECT_URI]
    assert read["token_endpoint_auth_method"] == "client_secret_basic"
    assert read["client_name"] == registration["client_name"]
    custos_server.remember_secret(read.get("client_secret"))
    custos_server.remember_secret(read.get("registration_access_token"))

    assert rp.registration_access_token == read["registration_access_token"]
    assert read["registration_client_uri"] == registration["registration_client_uri"]


def test_code_flow_with_pkce_id_token_and_userinfo(custos_server, registration, person):
    rp = registered_rp(custos_server, registration)
    flow = start_flow(rp, custos_server)
    authorize(rp, custos_server, person, flow)

    token = exchange(rp, custos_server, flow)
    assert isinstance(token, AccessTokenResponse), f"token request failed: {token.to_dict()}"
    assert token["token_type"].lower() == "bearer"
    assert token["access_token"]
    assert isinstance(token.get("expires_in"), int) and token["expires_in"] > 0
    scope = token.get("scope", SCOPE)  # pyoidc parses scope into a list
    assert sorted(scope.split() if isinstance(scope, str) else scope) == sorted(SCOPE.split())

    # pyoidc verified the signature against the JWKS, iss, aud (or azp), exp and iat, and
    # compared the nonce with the one it stored for the state; the claims as it returns them:
    id_token = token["id_token"]
    assert isinstance(id_token, IdToken), type(id_token)
    header = id_token.jws_header
    assert header["alg"] == "RS256", f"registered without id_token_signed_response_alg: RS256, got {header}"
    assert header.get("kid") in {key.kid for key in rp.keyjar.get_issuer_keys(custos_server.issuer)}
    now = int(time.time())
    assert id_token["iss"] == custos_server.issuer
    assert id_token["sub"] == person["id"], "public subject: the user id"
    assert id_token["aud"] == [rp.client_id]
    assert id_token.get("azp", rp.client_id) == rp.client_id
    assert id_token["nonce"] == flow["nonce"], "OpenID Connect Core §3.1.3.7 step 11"
    assert abs(id_token["iat"] - now) <= 60
    assert id_token["exp"] > now
    auth_time = id_token.get("auth_time")
    assert auth_time is None or auth_time <= id_token["iat"] + 1
    # pyoidc 1.7.0 checks at_hash only for ID tokens from the authorization endpoint
    # (verify_id_token(check_hash=False) for token responses): checked here, §3.1.3.8 / §3.2.2.9.
    assert id_token["at_hash"] == left_hash(token["access_token"], "HS256")

    # The grant pyoidc keeps for the state holds the token and the ID token.
    assert rp.get_grant(flow["state"]).get_id_token()["sub"] == person["id"]

    # UserInfo with the Authorization header (GET), then pyoidc's default (POST with the token
    # in the form body, RFC 6750 §2.2): pyoidc checks sub against the ID token's for the state.
    for method in ("GET", "POST"):
        info = rp.do_user_info_request(method=method, state=flow["state"])
        assert isinstance(info, OpenIDSchema) and "error" not in info, f"UserInfo {method}: {info.to_dict()}"
        assert info["sub"] == id_token["sub"]
        assert info.get("email") == person["email"], f"UserInfo {method} with scope email: {info.to_dict()}"
        assert info.get("name") == person["name"], f"UserInfo {method} with scope profile: {info.to_dict()}"
        assert "address" not in info and "phone_number" not in info, "claims of scopes not asked for"

    # The code is single-use (RFC 6749 §4.1.2, OAuth 2.1 §4.1.3): pyoidc sending it again gets
    # an error response, not tokens.
    again = requests.post(
        rp.token_endpoint,
        data={"grant_type": "authorization_code", "code": rp.get_grant(flow["state"]).code,
              "redirect_uri": REDIRECT_URI, "code_verifier": flow["verifier"]},
        auth=(rp.client_id, rp.client_secret),
        timeout=TIMEOUT,
    )
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant", again.text


def test_tampered_id_token_signature_is_rejected_by_pyoidc(custos_server, registration, person):
    rp = registered_rp(custos_server, registration)
    flow = start_flow(rp, custos_server)
    authorize(rp, custos_server, person, flow)
    token = exchange(rp, custos_server, flow)
    assert isinstance(token, AccessTokenResponse), f"token request failed: {token.to_dict()}"

    # The same response with one signature byte changed: pyoidc must not accept the ID token.
    header, payload, signature = token["id_token_jwt"].split(".")
    flipped = ("A" if signature[10] != "A" else "B")
    forged = ".".join((header, payload, signature[:10] + flipped + signature[11:]))
    body = {"access_token": token["access_token"], "token_type": "Bearer", "id_token": forged}
    with pytest.raises(BadSignature):
        rp.parse_response(AccessTokenResponse, info=json.dumps(body), sformat="json", state="forged-" + flow["state"])


def test_id_token_with_another_nonce_is_rejected_by_pyoidc(custos_server, registration, person):
    rp = registered_rp(custos_server, registration)
    flow = start_flow(rp, custos_server)
    authorize(rp, custos_server, person, flow)

    # The RP's stored nonce for this state no longer matches what the server put in the ID token.
    rp.state2nonce[flow["state"]] = "nc-" + secrets.token_urlsafe(16)
    with pytest.raises(ParameterError, match="nonce"):
        exchange(rp, custos_server, flow)

    # pyoidc had stored the (signature-checked) response in the grant before comparing nonces:
    # the server did send the nonce of the request, so the refusal is pyoidc's nonce check.
    grant = rp.get_grant(flow["state"])
    for issued in grant.tokens:
        custos_server.remember_secret(issued.access_token)
        custos_server.remember_secret(issued.refresh_token)
    id_token = grant.get_id_token()
    assert id_token is not None, "the token response had no ID token"
    custos_server.remember_secret(id_token.jwt)
    assert id_token["nonce"] == flow["nonce"]
