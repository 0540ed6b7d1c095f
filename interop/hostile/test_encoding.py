"""Invalid UTF-8 and header injection: ``%C3%28``, ``%FF`` and raw 0xFF bytes in form bodies,
JSON bodies, the query of /authorize and header values; CR LF in ``state``.

Expected (security-cases.md L2; OAuth 2.1 §7.12; RFC 6749 §5.2): the endpoint's own 400
(invalid_request on protocol endpoints, invalid_client_metadata on registration, a
SimpleResponse on the admin API, an error page on /authorize) or a byte-exact percent-encoded
echo; undecodable client credentials are 401 invalid_client; never a split header, never a 5xx.
"""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import quote, unquote, urlsplit

import pytest

from hostilekit import (
    QUICK,
    assert_html_page,
    assert_no_split_headers,
    assert_oauth_error,
    assert_refused_by_http_layer,
    assert_simple_response,
    b64url,
    exchange,
    query_of,
    request_bytes,
)

API = "/api/v1"
FORM = "application/x-www-form-urlencoded"
REDIRECT = "https://hostile.example/cb"
CHALLENGE = b64url(hashlib.sha256(b"v" * 43).digest())

BAD_ESCAPES = {"C3-28": b"%C3%28", "FF": b"%FF", "raw-FF": b"\xff", "raw-C3-28": b"\xc3\x28", "lone-surrogate-escape": b"%ED%A0%80"}


def _post(hostile, path: str, body: bytes, headers: dict | list | None = None):
    headers = dict(headers or {})
    headers.setdefault("Content-Type", FORM)
    result = exchange(hostile.port, request_bytes("POST", path, headers, body))
    assert result.elapsed < QUICK, result.describe()
    return result.first


# -- form bodies ----------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", BAD_ESCAPES, ids=list(BAD_ESCAPES))
@pytest.mark.parametrize("field", ["client_id", "scope"])
def test_invalid_utf8_in_token_form(hostile, sentinel, field, bad):
    """Without other client authentication, and with a valid Basic header (the body is then the
    only problem): 400 invalid_request either way."""
    value = BAD_ESCAPES[bad]
    body = b"grant_type=client_credentials&" + field.encode() + b"=" + value
    assert_oauth_error(_post(hostile, API + "/oauth/token", body), 400, "invalid_request")
    basic = base64.b64encode(f"{sentinel.client_id}:{sentinel.client_secret}".encode()).decode()
    assert_oauth_error(_post(hostile, API + "/oauth/token", body, {"Authorization": "Basic " + basic}), 400, "invalid_request")


@pytest.mark.parametrize("bad", ["C3-28", "raw-FF"])
@pytest.mark.parametrize("path", ["/oauth/revoke", "/oauth/introspect"])
def test_invalid_utf8_in_revoke_and_introspect_forms(hostile, sentinel, path, bad):
    basic = base64.b64encode(f"{sentinel.client_id}:{sentinel.client_secret}".encode()).decode()
    body = b"token=" + BAD_ESCAPES[bad]
    assert_oauth_error(_post(hostile, API + path, body, {"Authorization": "Basic " + basic}), 400, "invalid_request")


# -- JSON bodies -------------------------------------------------------------------------------

BAD_JSON = {
    "raw-FF-in-string": b'{"name":"\xff\xfe","redirect_uris":["https://c.example/cb"]}',
    "raw-C3-28-in-string": b'{"name":"a\xc3\x28b","redirect_uris":["https://c.example/cb"]}',
    "lone-surrogate-escape": b'{"name":"\\ud800","redirect_uris":["https://c.example/cb"]}',
    "raw-FF-before-object": b'\xff{"name":"a","redirect_uris":["https://c.example/cb"]}',
    "raw-FF-in-key": b'{"na\xffme":"a","redirect_uris":["https://c.example/cb"]}',
}


@pytest.mark.parametrize("case", BAD_JSON, ids=list(BAD_JSON))
def test_invalid_utf8_in_admin_json(hostile, admin_token, case):
    response = _post(hostile, API + "/admin/oauth/clients", BAD_JSON[case],
                     {"Content-Type": "application/json", "Authorization": "Bearer " + admin_token})
    assert_simple_response(response, 400)


@pytest.mark.parametrize("case", BAD_JSON, ids=list(BAD_JSON))
def test_invalid_utf8_in_registration_json(hostile, case):
    body = BAD_JSON[case].replace(b'"name"', b'"client_name"')
    response = _post(hostile, API + "/oauth/register", body, {"Content-Type": "application/json"})
    assert_oauth_error(response, 400, "invalid_client_metadata")


# -- header values -------------------------------------------------------------------------------

BAD_BASIC = {
    "raw-FF-id": b"\xff\xfe:secret",
    "raw-C3-28-secret": b"client:\xc3\x28",
    "escaped-C3-28-id": b"%C3%28:secret",
    "escaped-FF-secret": b"client:%FF",
}


@pytest.mark.parametrize("case", BAD_BASIC, ids=list(BAD_BASIC))
def test_basic_credentials_not_utf8_after_decoding(hostile, case):
    """RFC 6749 §2.3.1: id and secret are form-encoded UTF-8; anything else is malformed
    credentials: 401 invalid_client with WWW-Authenticate: Basic."""
    header = "Basic " + base64.b64encode(BAD_BASIC[case]).decode()
    response = _post(hostile, API + "/oauth/token", b"grant_type=client_credentials", {"Authorization": header})
    assert_oauth_error(response, 401, "invalid_client")
    assert (response.header("www-authenticate") or "").lower().startswith("basic"), response.describe()


@pytest.mark.parametrize("path", ["/oauth/token", "/oauth/introspect", "/oauth/revoke"])
def test_raw_ff_bytes_in_authorization_header(hostile, path):
    """Bytes 0x80–0xFF are obs-text (RFC 9110 §5.5): the HTTP layer may refuse them (400), or
    the endpoint sees malformed credentials (401 invalid_client)."""
    result = exchange(hostile.port, request_bytes(
        "POST", API + path, [("Content-Type", FORM), ("Authorization", b"Basic \xff\xfe\xc3\x28")], b"token=x&grant_type=client_credentials"))
    assert result.elapsed < QUICK, result.describe()
    if result.responses and result.first.status == 401:
        assert_oauth_error(result.first, 401, "invalid_client")
    else:
        assert_refused_by_http_layer(result, allowed=(400,))


@pytest.mark.parametrize("where", ["userinfo", "admin"])
def test_raw_ff_bytes_in_bearer_token(hostile, where):
    path = API + ("/oauth/userinfo" if where == "userinfo" else "/admin/oauth/clients")
    result = exchange(hostile.port, request_bytes("GET", path, [("Authorization", b"Bearer \xff\xfe.\xc3\x28.\xff")]))
    assert result.elapsed < QUICK, result.describe()
    if result.responses and result.first.status == 401:
        if where == "admin":
            assert_simple_response(result.first, 401)
        else:
            assert_oauth_error(result.first, 401, "invalid_token")
    else:
        assert_refused_by_http_layer(result, allowed=(400,))


# -- /authorize ----------------------------------------------------------------------------------


def _authorize_query(client_id: str, state: str, scope: str = "openid") -> str:
    return (
        f"response_type=code&client_id={client_id}&redirect_uri={quote(REDIRECT, safe='')}&scope={quote(scope)}"
        f"&code_challenge={CHALLENGE}&code_challenge_method=S256&state={state}"
    )


@pytest.mark.parametrize("scope", ["openid", "openid not_a_scope"], ids=["valid-request", "error-redirect"])
@pytest.mark.parametrize("state", ["%C3%28", "%FF", "%ED%A0%80"])
def test_invalid_utf8_state_at_authorize(hostile, public_client, state, scope):
    """Either an error page (400), or the state carried on byte-exact (percent-encoded)."""
    path = API + "/oauth/authorize?" + _authorize_query(public_client["client_id"], state, scope)
    result = exchange(hostile.port, request_bytes("GET", path))
    assert result.elapsed < QUICK, result.describe()
    response = result.first
    assert_no_split_headers(response)
    if response.status == 400:
        assert_html_page(response, 400)
        return
    assert response.status in (302, 303), response.describe()
    location = response.header("location")
    if location.startswith(REDIRECT):
        assert f"state={state}".lower() in urlsplit(location).query.lower(), f"state not echoed byte-exact: {location}"
    else:  # on to the login page: the original request travels in return_to
        assert quote(state, safe="").lower() in location.lower() or state.lower() in location.lower(), location


def test_raw_ff_bytes_in_authorize_query(hostile, public_client):
    path = (API + "/oauth/authorize?" + _authorize_query(public_client["client_id"], "")).encode() + b"\xff\xfe"
    result = exchange(hostile.port, b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert result.elapsed < QUICK, result.describe()
    if result.responses and result.first.status == 400 and (result.first.header("content-type") or "").startswith("text/html"):
        assert_html_page(result.first, 400)
    else:
        assert_refused_by_http_layer(result, allowed=(400,))


CRLF_STATES = [
    "%0d%0aSet-Cookie:x=1",
    "%0D%0ASet-Cookie:%20x=1%0D%0A%0D%0A%3Chtml%3E",
    "%0aSet-Cookie:x=1",
    "%0dSet-Cookie:x=1",
]


@pytest.mark.parametrize("state", CRLF_STATES)
@pytest.mark.parametrize("scope", ["openid", "openid not_a_scope"], ids=["to-login", "error-redirect"])
def test_crlf_in_state_never_splits_headers(hostile, public_client, state, scope):
    path = API + "/oauth/authorize?" + _authorize_query(public_client["client_id"], state, scope)
    result = exchange(hostile.port, request_bytes("GET", path))
    assert result.elapsed < QUICK, result.describe()
    response = result.first
    assert_no_split_headers(response)
    assert response.status in (302, 303, 400), response.describe()
    if response.status == 400:
        assert_html_page(response, 400)
        return
    location = response.header("location")
    assert "\r" not in location and "\n" not in location, location
    if scope != "openid":
        # RFC 6749 §4.1.2.1: the error goes to the registered URI with the exact state and iss.
        assert location.startswith(REDIRECT + "?"), location
        query = query_of(location)
        assert query["error"] == ["invalid_scope"], location
        assert query["state"] == [unquote(state)], f"state not echoed exactly: {location}"
        assert query["iss"] == [hostile.issuer], location


def test_crlf_in_form_post_state_is_escaped(hostile, public_client):
    """response_mode=form_post puts state in an HTML form: escaped, never markup."""
    state = "%22%3E%3Cscript%3Ealert(1)%3C/script%3E%0d%0aSet-Cookie:x=1"
    path = API + "/oauth/authorize?" + _authorize_query(public_client["client_id"], state, "openid not_a_scope") + "&response_mode=form_post"
    result = exchange(hostile.port, request_bytes("GET", path))
    response = result.first
    assert_no_split_headers(response)
    assert response.status in (200, 302, 303, 400), response.describe()
    assert b"<script>alert(1)" not in response.body.lower(), response.describe()
