"""Hostile JWTs: 1 MB tokens in every place a JWT goes (Bearer token, client assertion,
id_token_hint, request object), ``alg: none``, and ``kid`` values that attack a key lookup
(path traversal, SQL, 10 KB).

Expected (security-cases.md L4, E-rows on client authentication; docs/admin-api.md "401 …
alg: none"; RFC 6750 §3.1; RFC 7523 §3.2): 401 ``invalid_token`` / SimpleResponse 401 for
Bearer tokens, 401 ``invalid_client`` for assertions (or 413 when the body is over the limit),
an error page for id_token_hint and request objects (or the redirect-error
``invalid_request_object``); a header the HTTP layer cannot take may be refused with 400/431;
quickly, never a 5xx.
"""

from __future__ import annotations

import json
import secrets
import time
from urllib.parse import quote

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import RSAKey

from hostilekit import (
    QUICK,
    assert_html_page,
    assert_oauth_error,
    assert_refused_by_http_layer,
    assert_simple_response,
    exchange,
    handmade_jwt,
    huge_jwt,
    query_of,
    request_bytes,
)

API = "/api/v1"
FORM = "application/x-www-form-urlencoded"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
REDIRECT = "https://jwt.example/cb"
ONE_MB = 1_000_000  # a 1 MB token; the form around it stays under the 1 MiB body limit
CHALLENGE = "7w_YNF9DSfIdPf_pRjSq646_kPr-2-o9NAl16JGghdM"  # S256 of "v" * 43


@pytest.fixture(scope="module")
def jwt_clients(custos_server):
    """A private_key_jwt client (RSA key in ``jwks``) and a client_secret_jwt client."""
    key = RSAKey.generate_key(2048)
    public = {**key.as_dict(private=False), "kid": "good-key"}
    private_key_jwt = custos_server.create_client(
        name="hostile-pkjwt", redirect_uris=[REDIRECT], client_auth_methods=["private_key_jwt"],
        jwks=json.dumps({"keys": [public]}), grant_types=["client_credentials", "authorization_code"],
        scopes=["openid", "api.read"],
    )
    secret_jwt = custos_server.create_client(
        name="hostile-csjwt", redirect_uris=[REDIRECT], client_auth_methods=["client_secret_jwt"],
        grant_types=["client_credentials"], scopes=["api.read"],
    )
    return {"private_key_jwt": private_key_jwt, "client_secret_jwt": secret_jwt, "key": key}


def _assertion_claims(server, client_id: str) -> dict:
    now = int(time.time())
    return {"iss": client_id, "sub": client_id, "aud": server.issuer, "iat": now, "exp": now + 60, "jti": secrets.token_urlsafe(12)}


def _token_with_assertion(server, client_id: str, assertion: str):
    start = time.monotonic()
    result = exchange(server.port, request_bytes("POST", API + "/oauth/token", {"Content-Type": FORM}, (
        f"grant_type=client_credentials&scope=api.read&client_id={client_id}"
        f"&client_assertion_type={quote(ASSERTION_TYPE, safe='')}&client_assertion={assertion}"
    ).encode()))
    assert time.monotonic() - start < QUICK + 0.5 and result.elapsed < QUICK, result.describe()
    return result.first


def test_control_a_good_assertion_gets_a_token(hostile, jwt_clients):
    """The clients are set up right: a proper private_key_jwt assertion works."""
    client_id = jwt_clients["private_key_jwt"]["client_id"]
    assertion = jwt.encode({"alg": "RS256", "kid": "good-key"}, _assertion_claims(hostile, client_id), jwt_clients["key"])
    response = _token_with_assertion(hostile, client_id, assertion)
    assert response.status == 200, response.describe()
    hostile.remember_secret(response.json()["access_token"])


# -- 1 MB tokens -------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["userinfo", "admin"])
def test_1mb_bearer_token_in_the_header(hostile, where):
    """1 MB is beyond any sane header limit: refused by the HTTP layer (400/431), or 401."""
    path = API + ("/oauth/userinfo" if where == "userinfo" else "/admin/oauth/clients")
    result = exchange(hostile.port, request_bytes("GET", path, {"Authorization": "Bearer " + huge_jwt(ONE_MB)}))
    assert result.elapsed < QUICK, result.describe()
    if result.responses and result.first.status == 401:
        _assert_bearer_401(result.first, where)
    else:
        assert_refused_by_http_layer(result, allowed=(400, 431))


def _assert_bearer_401(response, where: str) -> None:
    if where == "admin":
        assert_simple_response(response, 401)
    else:
        assert_oauth_error(response, 401, "invalid_token")
    assert 'error="invalid_token"' in (response.header("www-authenticate") or ""), response.describe()
    assert (response.header("www-authenticate") or "").startswith("Bearer"), response.describe()


@pytest.mark.parametrize("where", ["userinfo", "admin"])
def test_60kb_bearer_token_in_the_header_is_401(hostile, where):
    """A big token the HTTP layer lets through reaches the token check: 401 quickly."""
    path = API + ("/oauth/userinfo" if where == "userinfo" else "/admin/oauth/clients")
    result = exchange(hostile.port, request_bytes("GET", path, {"Authorization": "Bearer " + huge_jwt(60_000)}))
    assert result.elapsed < QUICK, result.describe()
    _assert_bearer_401(result.first, where)


def test_1mb_access_token_in_the_userinfo_body(hostile):
    """RFC 6750 §2.2 form body: the token is read, found invalid: 401 invalid_token."""
    result = exchange(hostile.port, request_bytes(
        "POST", API + "/oauth/userinfo", {"Content-Type": FORM}, ("access_token=" + huge_jwt(ONE_MB)).encode()))
    assert result.elapsed < QUICK, result.describe()
    _assert_bearer_401(result.first, "userinfo")


@pytest.mark.parametrize("kind", ["private_key_jwt", "client_secret_jwt"])
def test_1mb_client_assertion(hostile, jwt_clients, kind):
    client_id = jwt_clients[kind]["client_id"]
    alg = "RS256" if kind == "private_key_jwt" else "HS256"
    assertion = huge_jwt(ONE_MB, {"alg": alg, "kid": "good-key"}, _assertion_claims(hostile, client_id))
    response = _token_with_assertion(hostile, client_id, assertion)
    if response.status == 413:
        assert_oauth_error(response, 413, "invalid_request")
    else:
        assert_oauth_error(response, 401, "invalid_client")


def test_1mb_id_token_hint_at_end_session(hostile):
    hint = huge_jwt(ONE_MB, {"alg": "RS256", "kid": "k"}, {"iss": hostile.issuer, "aud": "x", "sub": "u"})
    result = exchange(hostile.port, request_bytes(
        "POST", API + "/oauth/logout", {"Content-Type": FORM}, ("id_token_hint=" + hint).encode()))
    assert result.elapsed < QUICK, result.describe()
    assert_html_page(result.first, 400)
    result = exchange(hostile.port, request_bytes("GET", API + "/oauth/logout?id_token_hint=" + hint))
    assert result.elapsed < QUICK, result.describe()
    assert_refused_by_http_layer(result, allowed=(400, 414, 431))


def _assert_request_object_refused(response, state: str | None) -> None:
    if response.status in (302, 303) and (response.header("location") or "").startswith(REDIRECT):
        query = query_of(response.header("location"))
        assert query["error"] == ["invalid_request_object"], response.describe()
        if state:
            assert query["state"] == [state], response.describe()
    else:
        assert_html_page(response, 400)


def test_1mb_request_object_at_authorize(hostile, jwt_clients):
    client_id = jwt_clients["private_key_jwt"]["client_id"]
    request_object = huge_jwt(ONE_MB, {"alg": "RS256", "kid": "good-key"}, {"iss": client_id, "aud": hostile.issuer})
    outer = (
        f"response_type=code&client_id={client_id}&redirect_uri={quote(REDIRECT, safe='')}&scope=openid"
        f"&code_challenge={CHALLENGE}&code_challenge_method=S256&state=s1"
    )
    for body in (f"{outer}&request={request_object}", f"client_id={client_id}&request={request_object}"):
        result = exchange(hostile.port, request_bytes("POST", API + "/oauth/authorize", {"Content-Type": FORM}, body.encode()))
        assert result.elapsed < QUICK, result.describe()
        _assert_request_object_refused(result.first, "s1" if body.startswith(outer) else None)
    result = exchange(hostile.port, request_bytes("GET", API + f"/oauth/authorize?{outer}&request={request_object}"))
    assert result.elapsed < QUICK, result.describe()
    assert_refused_by_http_layer(result, allowed=(400, 414, 431))


# -- alg none and hostile kid values ---------------------------------------------------------------

HOSTILE_HEADERS = {
    "alg-none": ({"alg": "none"}, None),
    "alg-None": ({"alg": "None"}, None),
    "alg-none-with-kid": ({"alg": "none", "kid": "good-key"}, None),
    "kid-path-traversal-hs256-empty-key": ({"alg": "HS256", "kid": "../../../../dev/null"}, b""),
    "kid-path-traversal-rs256": ({"alg": "RS256", "kid": "../../../../dev/null"}, None),
    "kid-sql-injection-hs256": ({"alg": "HS256", "kid": "' OR '1'='1"}, b"1"),
    "kid-sql-injection-rs256": ({"alg": "RS256", "kid": "' OR '1'='1"}, None),
    "kid-10kb": ({"alg": "RS256", "kid": "k" * 10_240}, None),
    "kid-10kb-hs256": ({"alg": "HS256", "kid": "k" * 10_240}, b""),
    "kid-not-a-string": ({"alg": "RS256", "kid": {"$ne": None}}, None),
    "jku-elsewhere": ({"alg": "RS256", "kid": "good-key", "jku": "https://attacker.example/jwks"}, None),
}


def _signature(header: dict) -> bytes:
    """``alg: none`` tokens have an empty signature; the others get 256 bytes of junk."""
    return b"" if str(header.get("alg")).lower() == "none" else b"x" * 256


@pytest.mark.parametrize("case", HOSTILE_HEADERS, ids=list(HOSTILE_HEADERS))
@pytest.mark.parametrize("kind", ["private_key_jwt", "client_secret_jwt"])
def test_hostile_assertion_header_is_invalid_client(hostile, jwt_clients, kind, case):
    header, hmac_key = HOSTILE_HEADERS[case]
    client_id = jwt_clients[kind]["client_id"]
    assertion = handmade_jwt(header, _assertion_claims(hostile, client_id), hmac_key=hmac_key, signature=_signature(header))
    assert_oauth_error(_token_with_assertion(hostile, client_id, assertion), 401, "invalid_client")


def _forged_admin_token(server, header: dict, hmac_key: bytes | None) -> str:
    now = int(time.time())
    claims = {
        "iss": server.issuer, "aud": server.issuer, "sub": "interop-admin", "client_id": "interop-admin",
        "scope": "admin", "iat": now, "exp": now + 600, "jti": secrets.token_urlsafe(8),
    }
    return handmade_jwt({**header, "typ": "at+jwt"}, claims, hmac_key=hmac_key, signature=_signature(header))


@pytest.mark.parametrize("case", HOSTILE_HEADERS, ids=list(HOSTILE_HEADERS))
@pytest.mark.parametrize("where", ["userinfo", "admin"])
def test_forged_bearer_token_is_401(hostile, where, case):
    """An access token with ``alg: none`` or a hostile ``kid``, claiming the admin scope."""
    header, hmac_key = HOSTILE_HEADERS[case]
    path = API + ("/oauth/userinfo" if where == "userinfo" else "/admin/oauth/clients")
    result = exchange(hostile.port, request_bytes("GET", path, {"Authorization": "Bearer " + _forged_admin_token(hostile, header, hmac_key)}))
    assert result.elapsed < QUICK, result.describe()
    _assert_bearer_401(result.first, where)


@pytest.mark.parametrize("case", ["alg-none", "kid-path-traversal-hs256-empty-key", "kid-10kb"])
def test_hostile_id_token_hint_at_end_session(hostile, case):
    header, hmac_key = HOSTILE_HEADERS[case]
    now = int(time.time())
    hint = handmade_jwt(header, {"iss": hostile.issuer, "aud": "x", "sub": "u", "iat": now, "exp": now + 60}, hmac_key=hmac_key)
    response = requests.get(hostile.api_url + "/oauth/logout", params={"id_token_hint": hint}, timeout=10, allow_redirects=False)
    assert response.elapsed.total_seconds() < QUICK
    assert response.status_code == 400 and response.headers["content-type"].startswith("text/html"), (response.status_code, response.text[:300])
