"""DPoP (RFC 9449) with proofs made by joserfc and requests as the transport.

authlib has no DPoP client support, so the proofs are built the way §4.2 describes: a JWT with
``typ: dpop+jwt``, an asymmetric ``alg``, the public ``jwk``, and ``jti``/``htm``/``htu``/``iat``
(plus ``ath`` at a resource, §4.2, and ``nonce`` when the server gave one, §8), signed by an EC
P-256 (ES256) or Ed25519 (EdDSA) key that joserfc generated. Checked:

- client_credentials with a proof gives ``token_type: DPoP`` (§5), the JWT access token carries
  ``cnf.jkt`` = joserfc's RFC 7638 thumbprint of the key (§6.1), and so does introspection
  (§6.2);
- a user's code flow through the login and consent pages with ``dpop_jkt`` (§10) and a proof at
  the token endpoint, then UserInfo with ``Authorization: DPoP`` and a proof with ``ath`` (§7.1);
  the same token as Bearer is refused;
- a nonce the server did not issue is ``use_dpop_nonce`` with a fresh ``DPoP-Nonce``, and the
  retry with that nonce succeeds (§8); the nonce endpoint hands one out.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
import uuid
import warnings
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from joserfc import jwk, jwt

from oauth_browser import Browser

TIMEOUT = 10
REDIRECT_URI = "https://rp.example/dpop-cb"


class ProofKey:
    """A client's DPoP key and the proofs it signs (RFC 9449 §4.2)."""

    def __init__(self, kind: str) -> None:
        if kind == "EC":
            self.key, self.alg = jwk.ECKey.generate_key("P-256"), "ES256"
        else:
            self.key, self.alg = jwk.OKPKey.generate_key("Ed25519"), "EdDSA"
        self.public = self.key.as_dict(private=False)
        assert "d" not in self.public

    @property
    def thumbprint(self) -> str:
        return self.key.thumbprint()  # RFC 7638, SHA-256

    def proof(self, method: str, url: str, access_token: str | None = None, nonce: str | None = None) -> str:
        claims = {"jti": str(uuid.uuid4()), "htm": method, "htu": url, "iat": int(time.time())}
        if access_token:
            digest = hashlib.sha256(access_token.encode("ascii")).digest()
            claims["ath"] = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
        if nonce:
            claims["nonce"] = nonce
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # joserfc flags the "EdDSA" name (RFC 9864); Custos announces it
            return jwt.encode({"typ": "dpop+jwt", "alg": self.alg, "jwk": self.public}, claims, self.key, algorithms=[self.alg])


def claims_of(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def introspect(server, token: str) -> dict:
    response = requests.post(
        server.api_url + "/oauth/introspect", data={"token": token}, auth=server.admin_credentials, timeout=TIMEOUT
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def discovery(custos_server) -> dict:
    response = requests.get(custos_server.base_url + "/.well-known/openid-configuration", timeout=TIMEOUT)
    assert response.status_code == 200
    metadata = response.json()
    assert metadata["dpop_signing_alg_values_supported"] == ["ES256", "PS256", "EdDSA"], metadata
    return metadata


@pytest.mark.parametrize("kind", ["EC", "OKP"])
def test_client_credentials_with_dpop_gives_a_bound_token(custos_server, unique_name, discovery, kind):
    client = custos_server.create_client(
        name=unique_name("dpop service "), redirect_uris=[REDIRECT_URI], grant_types=["client_credentials"],
        scopes=["openid"], is_confidential=True, client_auth_methods=["client_secret_basic"],
    )
    key = ProofKey(kind)
    response = requests.post(
        discovery["token_endpoint"],
        data={"grant_type": "client_credentials"},
        auth=(client["client_id"], client["client_secret"]),
        headers={"DPoP": key.proof("POST", discovery["token_endpoint"])},
        timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.text
    token = response.json()
    custos_server.remember_secret(token["access_token"])
    assert token["token_type"] == "DPoP", token
    assert claims_of(token["access_token"])["cnf"] == {"jkt": key.thumbprint}
    answer = introspect(custos_server, token["access_token"])
    assert answer["active"] is True and answer["cnf"] == {"jkt": key.thumbprint}, answer
    assert answer["token_type"] == "DPoP"


def test_user_token_bound_by_dpop_jkt_and_used_at_userinfo(custos_server, unique_name, discovery):
    username = unique_name("dpop")
    password = "pw-" + secrets.token_urlsafe(18)
    custos_server.create_user(username=username, email=f"{username}@example.com", password=password, name="Dee Pop")
    client = custos_server.create_client(
        name=unique_name("dpop web "), redirect_uris=[REDIRECT_URI], grant_types=["authorization_code"],
        scopes=["openid", "profile"], is_confidential=True, client_auth_methods=["client_secret_basic"],
    )
    key = ProofKey("EC")
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    custos_server.remember_secret(verifier)
    url = discovery["authorization_endpoint"] + "?" + urlencode({
        "response_type": "code", "client_id": client["client_id"], "redirect_uri": REDIRECT_URI,
        "scope": "openid profile", "state": "st-" + secrets.token_hex(4), "code_challenge": challenge,
        "code_challenge_method": "S256", "dpop_jkt": key.thumbprint,
    })
    location = Browser(custos_server, username, password).authorize(url, REDIRECT_URI)
    code = parse_qs(urlsplit(location).query)["code"][0]
    custos_server.remember_secret(code)
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI, "code_verifier": verifier}
    auth = (client["client_id"], client["client_secret"])

    # §10: the code is bound to the key of dpop_jkt; another key's proof is refused.
    other = ProofKey("OKP")
    refused = requests.post(
        discovery["token_endpoint"], data=form, auth=auth,
        headers={"DPoP": other.proof("POST", discovery["token_endpoint"])}, timeout=TIMEOUT,
    )
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant", refused.text

    response = requests.post(
        discovery["token_endpoint"], data=form, auth=auth,
        headers={"DPoP": key.proof("POST", discovery["token_endpoint"])}, timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.text
    token = response.json()
    custos_server.remember_secret(token["access_token"])
    custos_server.remember_secret(token.get("id_token"))
    assert token["token_type"] == "DPoP"
    access = token["access_token"]

    userinfo = discovery["userinfo_endpoint"]
    answer = requests.get(
        userinfo,
        headers={"Authorization": "DPoP " + access, "DPoP": key.proof("GET", userinfo, access_token=access)},
        timeout=TIMEOUT,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["sub"]

    as_bearer = requests.get(userinfo, headers={"Authorization": "Bearer " + access}, timeout=TIMEOUT)
    assert as_bearer.status_code == 401, as_bearer.text

    without_ath = requests.get(
        userinfo, headers={"Authorization": "DPoP " + access, "DPoP": key.proof("GET", userinfo)}, timeout=TIMEOUT
    )
    assert without_ath.status_code == 401
    challenge_header = without_ath.headers["WWW-Authenticate"]
    assert challenge_header.startswith("DPoP ") and 'error="invalid_dpop_proof"' in challenge_header, challenge_header


def test_a_foreign_nonce_is_answered_with_a_fresh_one_and_the_retry_succeeds(custos_server, unique_name, discovery):
    client = custos_server.create_client(
        name=unique_name("dpop nonce "), redirect_uris=[REDIRECT_URI], grant_types=["client_credentials"],
        scopes=["openid"], is_confidential=True, client_auth_methods=["client_secret_basic"],
    )
    key = ProofKey("EC")
    auth = (client["client_id"], client["client_secret"])
    token_endpoint = discovery["token_endpoint"]
    first = requests.post(
        token_endpoint, data={"grant_type": "client_credentials"}, auth=auth,
        headers={"DPoP": key.proof("POST", token_endpoint, nonce="not-issued-by-custos")}, timeout=TIMEOUT,
    )
    assert first.status_code == 400, first.text
    assert first.json()["error"] == "use_dpop_nonce"
    nonce = first.headers["DPoP-Nonce"]
    retry = requests.post(
        token_endpoint, data={"grant_type": "client_credentials"}, auth=auth,
        headers={"DPoP": key.proof("POST", token_endpoint, nonce=nonce)}, timeout=TIMEOUT,
    )
    assert retry.status_code == 200, retry.text
    custos_server.remember_secret(retry.json()["access_token"])
    assert retry.json()["token_type"] == "DPoP"

    # The swagger's nonce endpoint hands out a nonce the token endpoint accepts.
    handed = requests.get(custos_server.api_url + "/oauth/dpop/nonce", timeout=TIMEOUT)
    assert handed.status_code == 200 and handed.headers.get("DPoP-Nonce"), handed.headers
    third = requests.post(
        token_endpoint, data={"grant_type": "client_credentials"}, auth=auth,
        headers={"DPoP": key.proof("POST", token_endpoint, nonce=handed.headers["DPoP-Nonce"])}, timeout=TIMEOUT,
    )
    assert third.status_code == 200, third.text
    custos_server.remember_secret(third.json()["access_token"])
