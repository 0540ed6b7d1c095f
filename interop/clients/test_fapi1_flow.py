"""A FAPI 1.0 Advanced relying party end to end (FAPI 1.0 Part 2 §5.2.2, §8.5), against the built
binary on its HTTPS listener with mutual TLS (the server and certificates of ``test_mtls``).

The client is written as the profile describes it, joserfc for the JOSE parts and requests for
transport:

1. A fapi1 client authenticating with ``tls_client_auth`` (RFC 8705 §2.1), tokens bound to its
   certificate, and a JWK Set for its request objects.
2. The hybrid flow ``response_type=code id_token`` with a signed request object by value
   (RFC 9101; every parameter inside, ``exp``/``nbf``/``jti``/``iss``/``aud``), through the real
   login and consent pages in headless Chromium, back with ``code``, ``id_token``, ``state`` and
   ``iss`` in the fragment (OpenID Connect Core §3.3.2.5).
3. The front-channel ID token verified with the published JWKS as a detached signature:
   ``c_hash`` over the code, ``s_hash`` over the state, the ``nonce`` (FAPI 1.0 Advanced §5.2.2.1).
4. The code redeemed over mTLS: the access token carries ``cnf.x5t#S256``, the certificate's
   thumbprint (RFC 8705 §3.1).
5. ``response_type=code`` with ``response_mode=query.jwt`` (JARM): one ``response`` JWT in the
   query, verified with the JWKS, carrying ``code``, ``state``, ``iss``, ``aud`` and ``exp``.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
import uuid
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from joserfc import jwk, jwt

from fapi_support import REDIRECT_URI, authorize_in_browser, b64url, b64url_json, pkce_pair
from test_mtls import monkeypatch_module, pki, tls_server  # noqa: F401 - fixtures of this module too

TIMEOUT = 10
SCOPE = "openid profile"
SUBJECT_DN = "CN=fapi1-rp.example.com,O=Example Client"
ALGORITHMS = ["ES256", "PS256", "EdDSA", "RS256"]


def half_hash(value: str) -> str:
    """OpenID Connect Core §3.3.2.11: the left half of the SHA-256 of the ASCII value, base64url."""
    return b64url(hashlib.sha256(value.encode("ascii")).digest()[:16])


@pytest.fixture(scope="module")
def discovery(tls_server) -> dict:
    response = requests.get(tls_server.base_url + "/.well-known/openid-configuration", timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    metadata = response.json()
    assert "code id_token" in metadata["response_types_supported"], metadata["response_types_supported"]
    assert {"jwt", "query.jwt", "fragment.jwt", "form_post.jwt", "fragment"} <= set(metadata["response_modes_supported"])
    assert "ES256" in metadata["authorization_signing_alg_values_supported"]
    assert "none" not in metadata["authorization_signing_alg_values_supported"]
    return metadata


@pytest.fixture(scope="module")
def published_keys(discovery) -> jwk.KeySet:
    response = requests.get(discovery["jwks_uri"], timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    return jwk.KeySet.import_key_set(response.json())


@pytest.fixture(scope="module")
def relying_party(tls_server, pki):
    """The fapi1 client: its mTLS certificate and its request-object key."""
    certificate = pki.issue("fapi1-rp", "fapi1-rp.example.com")
    signing_key = jwk.ECKey.generate_key("P-256", parameters={"kid": "fapi1-ro-1", "use": "sig"}, private=True)
    created = tls_server.create_client(
        name="fapi1-rp-" + secrets.token_hex(4),
        redirect_uris=[REDIRECT_URI],
        fapi_profile="fapi1",
        client_auth_methods=["tls_client_auth"],
        tls_client_auth_subject_dn=SUBJECT_DN,
        tls_client_certificate_bound_access_tokens=True,
        jwks=json.dumps({"keys": [signing_key.as_dict(private=False)]}),
        grant_types=["authorization_code"],
        scopes=SCOPE.split(),
    )
    return {"client_id": created["client_id"], "certificate": certificate, "key": signing_key}


@pytest.fixture
def person(tls_server) -> dict:
    username = "fapi1-" + secrets.token_hex(4)
    password = "pw-" + secrets.token_urlsafe(18)
    tls_server.create_user(username=username, email=f"{username}@example.com", password=password, name="Fay One")
    return {"username": username, "password": password}


def request_object(server, client: dict, **parameters) -> str:
    now = int(time.time())
    claims = {
        "iss": client["client_id"], "aud": server.issuer, "iat": now, "nbf": now, "exp": now + 300, "jti": str(uuid.uuid4()),
        "client_id": client["client_id"], "redirect_uri": REDIRECT_URI, "scope": SCOPE, **parameters,
    }
    header = {"alg": "ES256", "kid": client["key"].kid, "typ": "oauth-authz-req+jwt"}
    return jwt.encode(header, claims, client["key"])


def sign_in_and_allow(browser, discovery: dict, client: dict, request: str, person: dict) -> str:
    # The server's certificate is issued by the test CA, which Chromium does not know.
    browser.execute_cdp_cmd("Security.setIgnoreCertificateErrors", {"ignore": True})
    url = discovery["authorization_endpoint"] + "?" + urlencode({"client_id": client["client_id"], "request": request})
    return authorize_in_browser(browser, url, person)


def redeem_over_mtls(server, pki, client: dict, code: str, verifier: str) -> requests.Response:
    server.remember_secret(code)
    certificate = client["certificate"]
    return requests.post(
        server.token_endpoint,
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI, "code_verifier": verifier,
              "client_id": client["client_id"]},
        cert=(certificate.cert_file, certificate.key_file),
        verify=pki.ca_file,
        timeout=TIMEOUT,
    )


def test_fapi1_hybrid_flow_with_request_object_and_mtls(tls_server, pki, discovery, published_keys, relying_party, person, browser):
    verifier, challenge = pkce_pair()
    state, nonce = "st-" + secrets.token_urlsafe(8), "n-" + secrets.token_urlsafe(8)
    signed_request = request_object(tls_server, relying_party, response_type="code id_token", state=state, nonce=nonce,
                                    code_challenge=challenge, code_challenge_method="S256")

    landed = sign_in_and_allow(browser, discovery, relying_party, signed_request, person)
    parts = urlsplit(landed)
    assert not parts.query, f"nothing of a hybrid response may travel in the query: {landed}"
    response = {name: values[0] for name, values in parse_qs(parts.fragment).items()}
    assert set(response) == {"code", "id_token", "state", "iss"}, response
    assert response["state"] == state
    assert response["iss"] == tls_server.issuer
    code = response["code"]
    tls_server.remember_secret(response["id_token"])

    # The ID token as a detached signature, verified with the published keys.
    token = jwt.decode(response["id_token"], published_keys, algorithms=ALGORITHMS)
    assert token.header["alg"] in ("ES256", "PS256"), "FAPI 1.0 Advanced §8.6: PS256 or ES256"
    claims = token.claims
    assert claims["iss"] == tls_server.issuer
    assert claims["aud"] == relying_party["client_id"]
    assert claims["nonce"] == nonce
    assert claims["c_hash"] == half_hash(code), claims
    assert claims["s_hash"] == half_hash(state), claims
    assert claims["exp"] > time.time() and "auth_time" in claims and "sub" in claims, claims
    assert "email" not in claims and "name" not in claims, "no user claims through the browser"

    # The code redeems over mutual TLS; the access token is bound to the certificate.
    redeemed = redeem_over_mtls(tls_server, pki, relying_party, code, verifier)
    assert redeemed.status_code == 200, redeemed.text
    tokens = redeemed.json()
    for value in (tokens.get("access_token"), tokens.get("id_token")):
        tls_server.remember_secret(value)
    assert tokens["token_type"] == "Bearer", "RFC 8705 §3: certificate-bound tokens keep the Bearer scheme"
    access = b64url_json(tokens["access_token"].split(".")[1])
    assert access["cnf"] == {"x5t#S256": relying_party["certificate"].thumbprint}, access
    back_channel = jwt.decode(tokens["id_token"], published_keys, algorithms=ALGORITHMS).claims
    assert back_channel["sub"] == claims["sub"]

    # The code is single use.
    again = redeem_over_mtls(tls_server, pki, relying_party, code, verifier)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant", again.text


def test_fapi1_code_with_jarm_query_jwt(tls_server, pki, discovery, published_keys, relying_party, person, browser):
    verifier, challenge = pkce_pair()
    state, nonce = "st-" + secrets.token_urlsafe(8), "n-" + secrets.token_urlsafe(8)
    signed_request = request_object(tls_server, relying_party, response_type="code", response_mode="query.jwt", state=state,
                                    nonce=nonce, code_challenge=challenge, code_challenge_method="S256")

    landed = sign_in_and_allow(browser, discovery, relying_party, signed_request, person)
    parts = urlsplit(landed)
    query = parse_qs(parts.query)
    assert set(query) == {"response"}, f"JARM: only the response JWT travels: {landed}"
    assert not parts.fragment
    answer = jwt.decode(query["response"][0], published_keys, algorithms=ALGORITHMS)
    claims = answer.claims
    assert answer.header.get("kid"), answer.header
    assert claims["iss"] == tls_server.issuer
    assert claims["aud"] == relying_party["client_id"]
    assert claims["state"] == state
    assert 0 < claims["exp"] - time.time() <= 600, claims
    assert "error" not in claims, claims

    redeemed = redeem_over_mtls(tls_server, pki, relying_party, claims["code"], verifier)
    assert redeemed.status_code == 200, redeemed.text
    for value in (redeemed.json().get("access_token"), redeemed.json().get("id_token")):
        tls_server.remember_secret(value)


def test_fapi1_code_without_jarm_is_refused(tls_server, discovery, relying_party):
    """FAPI 1.0 Advanced §5.2.2 item 2: plain ``response_type=code`` is not for a fapi1 client."""
    _, challenge = pkce_pair()
    signed_request = request_object(tls_server, relying_party, response_type="code", state="st-plain", nonce="n-plain",
                                    code_challenge=challenge, code_challenge_method="S256")
    response = requests.get(discovery["authorization_endpoint"], allow_redirects=False, timeout=TIMEOUT,
                            params={"client_id": relying_party["client_id"], "request": signed_request})
    location = response.headers.get("Location", "")
    query = parse_qs(urlsplit(location).query)
    assert query.get("error") == ["invalid_request"], (response.status_code, location)
    assert "code" not in query
