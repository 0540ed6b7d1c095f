"""Rule 7 of "Authorization boundaries" (request objects, RFC 9101 / OpenID Connect Core §6)
and the request-object half of rule 4, against the built server: each case sends a signed
(or unsigned) request object to ``/authorize`` without a browser session. A refused object is
a 400 HTML error page, never a redirect to the client; an accepted one continues to the
sign-in page (a 30x that is not to the client's redirect URI).
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import ECKey

REDIRECT = "https://reqobj.example/cb"
CHALLENGE = "7w_YNF9DSfIdPf_pRjSq646_kPr-2-o9NAl16JGghdM"  # S256 of "v" * 43
TIMEOUT = 10


def _b64(value: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def key() -> ECKey:
    return ECKey.generate_key("P-256", parameters={"kid": "reqobj-key"})


def _client(server, key, **extra) -> dict:
    public = key.as_dict(private=False)
    return server.create_client(
        name="reqobj-" + secrets.token_hex(4), redirect_uris=[REDIRECT], scopes=["openid", "profile"],
        jwks=json.dumps({"keys": [public]}), **extra,
    )


def _claims(server, client_id: str, **changes) -> dict:
    now = int(time.time())
    claims = {
        "iss": client_id, "aud": server.issuer, "iat": now, "nbf": now, "exp": now + 300, "jti": secrets.token_urlsafe(12),
        "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT, "scope": "openid",
        "state": "inside", "code_challenge": CHALLENGE, "code_challenge_method": "S256",
    }
    for name, value in changes.items():
        if value is None:
            claims.pop(name, None)
        else:
            claims[name] = value
    return claims


def _sign(claims: dict, key: ECKey, **header) -> str:
    return jwt.encode({"alg": "ES256", "kid": "reqobj-key", "typ": "oauth-authz-req+jwt", **header}, claims, key)


def _authorize(server, **params) -> requests.Response:
    return requests.get(server.api_url + "/oauth/authorize", params=params, allow_redirects=False, timeout=TIMEOUT)


def _refused(response: requests.Response, reason: str) -> None:
    assert response.status_code == 400, f"{response.status_code} {response.headers.get('Location')} {response.text[:300]}"
    assert "Location" not in response.headers
    assert reason in response.text, response.text[:500]


def _accepted(response: requests.Response) -> str:
    location = response.headers.get("Location", "")
    assert response.status_code in (302, 303), f"{response.status_code} {response.text[:300]}"
    return location


def _to_sign_in(response: requests.Response) -> None:
    location = _accepted(response)
    assert not location.startswith(REDIRECT), location
    assert "/login" in location, location


@pytest.fixture(scope="module")
def plain_client(custos_server, key) -> dict:
    return _client(custos_server, key)


def test_control_a_valid_signed_object_continues_to_sign_in(hostile, key, plain_client):
    client_id = plain_client["client_id"]
    _to_sign_in(_authorize(hostile, client_id=client_id, request=_sign(_claims(hostile, client_id), key)))


@pytest.mark.parametrize("changes, reason", [
    ({"aud": None}, "aud must be the issuer"),
    ({"aud": "https://other-server.example"}, "aud must be the issuer"),
    ({"iss": None}, "iss must be the client_id"),
    ({"exp": None}, "must carry exp and nbf"),
    ({"nbf": None}, "must carry exp and nbf"),
    ({"jti": None}, "must carry a jti"),
], ids=["no-aud", "other-aud", "no-iss", "no-exp", "no-nbf", "no-jti"])
def test_signed_object_claims_are_required(hostile, key, plain_client, changes, reason):
    client_id = plain_client["client_id"]
    _refused(_authorize(hostile, client_id=client_id, request=_sign(_claims(hostile, client_id, **changes), key)), reason)


def test_validity_window_is_at_most_60_minutes(hostile, key, plain_client):
    client_id = plain_client["client_id"]
    now = int(time.time())
    _refused(_authorize(hostile, client_id=client_id, request=_sign(_claims(hostile, client_id, nbf=now, exp=now + 3700), key)),
             "valid for more than 60 minutes")
    _refused(_authorize(hostile, client_id=client_id, request=_sign(_claims(hostile, client_id, nbf=now - 3605, exp=now - 5), key)),
             "more than 60 minutes old")
    _to_sign_in(_authorize(hostile, client_id=client_id, request=_sign(_claims(hostile, client_id, nbf=now + 8), key)))


def test_jti_is_single_use(hostile, key, plain_client):
    client_id = plain_client["client_id"]
    obj = _sign(_claims(hostile, client_id), key)
    _to_sign_in(_authorize(hostile, client_id=client_id, request=obj))
    _refused(_authorize(hostile, client_id=client_id, request=obj), "used already")


@pytest.mark.parametrize("typ", ["at+jwt", "logout+jwt", "secevent+jwt"])
def test_typ_of_another_token_kind_is_refused(hostile, key, plain_client, typ):
    client_id = plain_client["client_id"]
    _refused(_authorize(hostile, client_id=client_id, request=_sign(_claims(hostile, client_id), key, typ=typ)),
             "typ must be oauth-authz-req+jwt")


def test_unknown_crit_is_refused(hostile, key, plain_client):
    client_id = plain_client["client_id"]
    claims = _claims(hostile, client_id)
    header = {"alg": "ES256", "kid": "reqobj-key", "crit": ["urn:example:ext"], "urn:example:ext": 1}
    # joserfc refuses to make a token with an unknown crit member, so it is signed by hand.
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
    signing_input = _b64(header) + "." + _b64(claims)
    r, s = decode_dss_signature(key.private_key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    signature = base64.urlsafe_b64encode(r.to_bytes(32, "big") + s.to_bytes(32, "big")).rstrip(b"=").decode()
    token = signing_input + "." + signature
    _refused(_authorize(hostile, client_id=client_id, request=token), "(crit)")


def test_alg_none_only_for_a_client_registered_with_none(hostile, key, plain_client):
    def unsigned(client_id):
        return _b64({"alg": "none"}) + "." + _b64(_claims(hostile, client_id, iss=None, aud=None, jti=None)) + "."
    _refused(_authorize(hostile, client_id=plain_client["client_id"], request=unsigned(plain_client["client_id"])),
             "must sign its request objects")
    none_client = _client(hostile, key, request_object_signing_alg="none")
    _to_sign_in(_authorize(hostile, client_id=none_client["client_id"], request=unsigned(none_client["client_id"])))


def test_fapi_client_cannot_register_alg_none(hostile, key, admin_token):
    response = requests.post(
        hostile.api_url + "/admin/oauth/clients", headers={"Authorization": "Bearer " + admin_token}, timeout=TIMEOUT,
        json={"name": "reqobj-fapi", "redirect_uris": [REDIRECT], "fapi_profile": "fapi2", "client_auth_methods": ["private_key_jwt"],
              "jwks": json.dumps({"keys": [key.as_dict(private=False)]}), "request_object_signing_alg": "none"})
    assert response.status_code == 400, response.text
    assert "request_object_signing_alg" in response.text


def test_merge_carries_the_query_state_into_an_error_redirect(hostile, key, plain_client):
    client_id = plain_client["client_id"]
    obj = _sign(_claims(hostile, client_id, state=None, code_challenge_method="plain"), key)
    location = _accepted(_authorize(hostile, client_id=client_id, request=obj, state="outside"))
    assert location.startswith(REDIRECT) and "error=invalid_request" in location and "state=outside" in location, location


def test_strict_client_uses_only_the_object_and_requires_one(hostile, key):
    strict = _client(hostile, key, require_signed_request_object=True)
    client_id = strict["client_id"]
    _refused(_authorize(hostile, client_id=client_id, response_type="code", redirect_uri=REDIRECT, scope="openid",
                        code_challenge=CHALLENGE, code_challenge_method="S256"), "signed request object")
    obj = _sign(_claims(hostile, client_id, code_challenge=None), key)
    location = _accepted(_authorize(hostile, client_id=client_id, request=obj, code_challenge=CHALLENGE, code_challenge_method="S256"))
    assert location.startswith(REDIRECT) and "error=invalid_request" in location, location


def test_request_uri_must_be_registered(hostile, key, plain_client):
    _refused(_authorize(hostile, client_id=plain_client["client_id"], request_uri="https://reqobj.example/r.jwt"), "not registered")


def test_request_uri_registration_is_validated_and_announced(hostile, admin_token):
    for uris in (["http://reqobj.example/r.jwt"], ["https://reqobj.example/r.jwt#v"], [f"https://reqobj.example/{i}" for i in range(11)]):
        response = requests.post(
            hostile.api_url + "/admin/oauth/clients", headers={"Authorization": "Bearer " + admin_token}, timeout=TIMEOUT,
            json={"name": "reqobj-uris", "redirect_uris": [REDIRECT], "request_uris": uris})
        assert response.status_code == 400 and "request_uris" in response.text, response.text
    metadata = requests.get(hostile.base_url + "/.well-known/openid-configuration", timeout=TIMEOUT).json()
    assert metadata["require_request_uri_registration"] is True
    assert "none" in metadata["request_object_signing_alg_values_supported"]


def test_request_uri_fetch_failure_is_invalid_request_uri(hostile, key):
    # A registered https URL nobody serves: the fetch fails, the page says so.
    client = _client(hostile, key, request_uris=["https://127.0.0.1:9/never.jwt"])
    _refused(_authorize(hostile, client_id=client["client_id"], request_uri="https://127.0.0.1:9/never.jwt"), "could not be fetched")
