"""Oversized and hostile request shapes: bodies over the 1 MiB limit (also chunked and with a
lying Content-Length), 10 000 form fields, JSON nested 10 000 levels deep, duplicate JSON
members, huge headers.

Expected (docs/admin-api.md "Bodies"; security-cases.md A22, L1, L4, F-12; RFC 9126 §2.3 for
413): 413 in the endpoint's own error format before the whole body is read, 400 for nesting
and duplicates, 400/431 or a closed connection for headers the HTTP layer cannot take; never
a 5xx; answered within ~1 s; the server keeps serving and keeps what it stored (the
``hostile`` fixture checks both after every test).
"""

from __future__ import annotations

import json

import pytest
import requests

from hostilekit import (
    FIVE_MB,
    MIB,
    QUICK,
    TWO_MB,
    assert_html_page,
    assert_oauth_error,
    assert_refused_by_http_layer,
    assert_simple_response,
    chunks,
    exchange,
    request_bytes,
)

API = "/api/v1"
FORM = "application/x-www-form-urlencoded"


class Target:
    """An endpoint that takes a body, and how its 413 looks."""

    def __init__(self, name: str, path: str, media_type: str, answer: str, errors=("invalid_request",), admin=False):
        self.name, self.path, self.media_type, self.answer, self.errors, self.admin = name, path, media_type, answer, errors, admin

    def headers(self, token: str | None) -> dict[str, str]:
        headers = {"Content-Type": self.media_type}
        if self.admin:
            headers["Authorization"] = "Bearer " + token
        return headers

    def body(self, size: int) -> bytes:
        """A well-formed body of exactly ``size`` bytes."""
        if self.media_type == FORM:
            return b"name=" + b"x" * (size - 5)
        return b'{"name":"' + b"x" * (size - 11) + b'"}'

    def assert_too_large(self, response) -> None:
        if self.answer == "oauth":
            assert_oauth_error(response, 413, self.errors)
        elif self.answer == "admin":
            assert_simple_response(response, 413)
        else:
            assert_html_page(response, 413)


TARGETS = [
    Target("token", API + "/oauth/token", FORM, "oauth"),
    Target("revoke", API + "/oauth/revoke", FORM, "oauth"),
    Target("introspect", API + "/oauth/introspect", FORM, "oauth"),
    # RFC 7591 §3.2.2 names no code for this; invalid_request (RFC 6749) or invalid_client_metadata.
    Target("registration", API + "/oauth/register", "application/json", "oauth", ("invalid_request", "invalid_client_metadata")),
    Target("admin-create-client", API + "/admin/oauth/clients", "application/json", "admin", admin=True),
    Target("login-form", API + "/login", FORM, "page"),
]
TARGET_IDS = [target.name for target in TARGETS]


def _check_413(result, target: Target) -> None:
    assert result.responses, f"{target.name}: no answer: {result.describe()}"
    target.assert_too_large(result.first)
    assert result.elapsed < QUICK, f"{target.name}: the 413 took {result.elapsed:.2f} s"


# -- 1. bodies over the limit --------------------------------------------------------------------


@pytest.mark.parametrize("size", [TWO_MB, FIVE_MB], ids=["2MB", "5MB"])
@pytest.mark.parametrize("target", TARGETS, ids=TARGET_IDS)
def test_body_over_the_limit_is_413(hostile, admin_token, target, size):
    body = target.body(size)
    result = exchange(hostile.port, request_bytes("POST", target.path, target.headers(admin_token), body))
    _check_413(result, target)


@pytest.mark.parametrize("size", [TWO_MB, FIVE_MB], ids=["2MB", "5MB"])
@pytest.mark.parametrize("target", TARGETS, ids=TARGET_IDS)
def test_chunked_body_over_the_limit_is_413(hostile, admin_token, target, size):
    """No Content-Length to check up front: the server must stop at the limit while reading."""
    head = request_bytes("POST", target.path, target.headers(admin_token), chunked=True)
    result = exchange(hostile.port, head, more=chunks(size))
    _check_413(result, target)


@pytest.mark.parametrize("target", TARGETS, ids=TARGET_IDS)
def test_content_length_longer_than_the_body_is_413_at_once(hostile, admin_token, target):
    """Content-Length says 5 MB, 2 MB arrive and then nothing: the header alone decides; the
    server must not wait for bytes that never come."""
    body = target.body(TWO_MB)
    result = exchange(hostile.port, request_bytes("POST", target.path, target.headers(admin_token), body, content_length=FIVE_MB))
    _check_413(result, target)


@pytest.mark.parametrize("target", TARGETS, ids=TARGET_IDS)
def test_content_length_shorter_than_the_body_is_413(hostile, admin_token, target):
    """Content-Length says 2 MB (over the limit), 5 MB are sent."""
    body = target.body(FIVE_MB)
    result = exchange(hostile.port, request_bytes("POST", target.path, target.headers(admin_token), body, content_length=TWO_MB))
    _check_413(result, target)


def test_small_content_length_then_megabytes_is_one_request_and_garbage(hostile):
    """Content-Length covers a small, complete token request; 2 MB follow it. The request is
    answered normally (no client authentication: 401 invalid_client); the rest is not a
    request: 400 and/or a closed connection, never a 5xx."""
    small = b"grant_type=client_credentials"
    body = small + b"x" * TWO_MB
    head = request_bytes("POST", API + "/oauth/token", {"Content-Type": FORM}, body, content_length=len(small))
    result = exchange(hostile.port, head, responses=2, timeout=5)
    assert result.elapsed < QUICK, result.describe()
    assert_oauth_error(result.first, 401, "invalid_client")
    for later in result.responses[1:]:
        assert later.status in (400, 413, 431), result.describe()


def test_small_content_length_then_megabytes_on_the_login_form(hostile):
    """The same on the login form: the small form is answered as a form without a CSRF token
    (403 page), the rest refused."""
    small = b"username=a&password=b"
    head = request_bytes("POST", API + "/login", {"Content-Type": FORM}, small + b"x" * TWO_MB, content_length=len(small))
    result = exchange(hostile.port, head, responses=2, timeout=5)
    assert result.elapsed < QUICK, result.describe()
    assert_html_page(result.first, 403)
    for later in result.responses[1:]:
        assert later.status in (400, 413, 431), result.describe()


# -- 2. many form fields ---------------------------------------------------------------------


def _form_request(hostile, body: bytes, auth: tuple[str, str] | None = None) -> tuple[requests.Response, float]:
    assert len(body) < MIB, len(body)
    response = requests.post(
        hostile.token_endpoint, data=body, headers={"Content-Type": FORM}, auth=auth, timeout=10
    )
    return response, response.elapsed.total_seconds()


def test_token_with_10000_fields_and_no_client(hostile):
    """10 000 distinct fields of 100 bytes (just under 1 MB) and a grant type, no client
    authentication: a token error (401 invalid_client), or 400 invalid_request if the server
    caps the number of parameters."""
    fields = b"&".join(b"f%05d=" % i + b"v" * 93 for i in range(10_000))
    response, took = _form_request(hostile, fields + b"&grant_type=client_credentials")
    assert took < QUICK, f"took {took:.2f} s"
    assert (response.status_code, response.json().get("error")) in {(401, "invalid_client"), (400, "invalid_request")}, (
        response.status_code, response.text)
    assert set(response.json()) == {"error", "error_description"}, response.text


def test_token_with_10000_copies_of_one_field(hostile):
    """A repeated parameter is invalid_request (RFC 6749 §3.1)."""
    response, took = _form_request(hostile, b"&".join([b"scope=api.read"] * 10_000) + b"&grant_type=client_credentials")
    assert took < QUICK, f"took {took:.2f} s"
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "invalid_request", response.text


def test_token_with_10000_unknown_fields_and_a_real_client(hostile, sentinel):
    """Unknown parameters are ignored (RFC 6749 §3.2): a token, or 400 invalid_request if the
    server caps the number of parameters. Never a 5xx, never slow."""
    fields = b"&".join(b"f%05d=v" % i for i in range(10_000))
    response, took = _form_request(
        hostile, fields + b"&grant_type=client_credentials&scope=api.read", auth=(sentinel.client_id, sentinel.client_secret)
    )
    assert took < QUICK, f"took {took:.2f} s"
    if response.status_code == 200:
        hostile.remember_secret(response.json()["access_token"])
    else:
        assert response.status_code == 400 and response.json()["error"] == "invalid_request", response.text


# -- 3. deep nesting and duplicate members ----------------------------------------------------------

DEEP = {
    "arrays": "[" * 10_000 + "]" * 10_000,
    "objects": '{"a":' * 10_000 + "1" + "}" * 10_000,
    "arrays-unclosed": "[" * 10_000,
    "objects-unclosed": '{"a":' * 10_000,
}


def _admin_post(hostile, token: str, body: str | bytes, path: str = "/admin/oauth/clients", method: str = "POST"):
    return requests.request(
        method, hostile.api_url + path, data=body if isinstance(body, bytes) else body.encode(),
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"}, timeout=10,
    )


def _register(hostile, body: str | bytes):
    return requests.post(
        hostile.api_url + "/oauth/register", data=body if isinstance(body, bytes) else body.encode(),
        headers={"Content-Type": "application/json"}, timeout=10,
    )


def _assert_admin_400(response, field: str | None = None) -> None:
    assert response.elapsed.total_seconds() < QUICK, f"took {response.elapsed.total_seconds():.2f} s"
    assert response.status_code == 400, f"{response.status_code} {response.text[:300]}"
    body = response.json()
    assert set(body) == {"code", "message", "timestamp"} and body["code"] == 400, body
    if field:
        assert body["message"].startswith(field), f"the message should name {field}: {body}"


def _assert_registration_400(response) -> None:
    assert response.elapsed.total_seconds() < QUICK, f"took {response.elapsed.total_seconds():.2f} s"
    assert response.status_code == 400, f"{response.status_code} {response.text[:300]}"
    body = response.json()
    assert set(body) == {"error", "error_description"}, body
    assert body["error"] == "invalid_client_metadata", body


def _no_client_named(hostile, token: str, name: str) -> None:
    listed = requests.get(
        hostile.api_url + "/admin/oauth/clients", params={"name": name},
        headers={"Authorization": "Bearer " + token}, timeout=10,
    )
    assert listed.status_code == 200, listed.text
    assert [item for item in listed.json()["items"] if item["name"] == name] == [], f"a rejected client {name} was stored"


@pytest.mark.parametrize("shape", DEEP, ids=list(DEEP))
def test_deeply_nested_json_to_admin_create_client(hostile, admin_token, shape):
    _assert_admin_400(_admin_post(hostile, admin_token, DEEP[shape]))


@pytest.mark.parametrize("shape", DEEP, ids=list(DEEP))
def test_deeply_nested_json_to_registration(hostile, shape):
    _assert_registration_400(_register(hostile, DEEP[shape]))


@pytest.mark.parametrize("shape", ["arrays", "objects"])
def test_deeply_nested_value_inside_a_client(hostile, admin_token, unique_name, shape):
    """The nesting inside a field of an otherwise good client."""
    name = unique_name("deep-")
    body = '{"name":"%s","redirect_uris":["https://c.example/cb"],"website":%s}' % (name, DEEP[shape])
    _assert_admin_400(_admin_post(hostile, admin_token, body))
    _no_client_named(hostile, admin_token, name)
    body = '{"client_name":"%s","redirect_uris":["https://c.example/cb"],"software_statement_x":%s}' % (name, DEEP[shape])
    _assert_registration_400(_register(hostile, body))


@pytest.mark.parametrize("shape", ["arrays", "objects"])
def test_deeply_nested_jwks_in_admin_client(hostile, admin_token, unique_name, shape):
    """``jwks`` is a JSON text inside the admin body: create and update refuse it, naming jwks."""
    name = unique_name("deepjwks-")
    jwks = '{"keys":[{"kty":"EC","crv":"P-256","kid":"k","x":"a","y":"b","ext":%s}]}' % DEEP[shape]
    for text in (jwks, DEEP[shape]):
        body = json.dumps({
            "name": name, "redirect_uris": ["https://c.example/cb"], "client_auth_methods": ["private_key_jwt"], "jwks": text,
        })
        _assert_admin_400(_admin_post(hostile, admin_token, body), field="jwks")
    _no_client_named(hostile, admin_token, name)
    victim = hostile.create_client(name=unique_name("victim-"), redirect_uris=["https://c.example/cb"])
    response = _admin_post(hostile, admin_token, json.dumps({"jwks": jwks}), path="/admin/oauth/clients/" + victim["client_id"], method="PUT")
    _assert_admin_400(response, field="jwks")


@pytest.mark.parametrize("shape", ["arrays", "objects"])
def test_deeply_nested_jwks_in_registration(hostile, unique_name, shape):
    body = (
        '{"client_name":"%s","redirect_uris":["https://c.example/cb"],"token_endpoint_auth_method":"private_key_jwt",'
        '"jwks":{"keys":[{"kty":"EC","crv":"P-256","kid":"k","x":"a","y":"b","ext":%s}]}}'
    ) % (unique_name("deepreg-"), DEEP[shape])
    _assert_registration_400(_register(hostile, body))
    _assert_registration_400(_register(hostile, body.replace('"jwks":{"keys":', '"jwks":' + DEEP[shape] + ',"x":{"keys":')))


def test_duplicate_members_in_admin_create_client(hostile, admin_token, unique_name):
    first, second = unique_name("dup-"), unique_name("dup-")
    body = '{"name":"%s","name":"%s","redirect_uris":["https://c.example/cb"]}' % (first, second)
    _assert_admin_400(_admin_post(hostile, admin_token, body))
    body = '{"name":"%s","redirect_uris":["https://c.example/cb"],"redirect_uris":["https://evil.example/cb"]}' % first
    _assert_admin_400(_admin_post(hostile, admin_token, body))
    for name in (first, second):
        _no_client_named(hostile, admin_token, name)


def test_duplicate_members_inside_admin_jwks(hostile, admin_token, unique_name):
    """Two parsers could read two different key sets: the JSON text in ``jwks`` is held to the
    same rule as the body."""
    name = unique_name("dupjwks-")
    jwks = '{"keys":[{"kty":"EC","crv":"P-256","kid":"k","x":"a","y":"b"}],"keys":[]}'
    body = json.dumps({"name": name, "redirect_uris": ["https://c.example/cb"], "client_auth_methods": ["private_key_jwt"], "jwks": jwks})
    _assert_admin_400(_admin_post(hostile, admin_token, body), field="jwks")
    _no_client_named(hostile, admin_token, name)


def test_duplicate_members_in_registration(hostile, unique_name):
    name = unique_name("dupreg-")
    _assert_registration_400(_register(
        hostile, '{"client_name":"%s","redirect_uris":["https://c.example/cb"],"redirect_uris":["https://evil.example/cb"]}' % name))
    _assert_registration_400(_register(
        hostile, '{"client_name":"%s","redirect_uris":["https://c.example/cb"],"jwks":{"keys":[],"keys":[]}}' % name))


# -- 4. headers ------------------------------------------------------------------------------------


HEADER_ATTACKS = {
    "10MB-header-value": [("X-Big", b"a" * (10 * 1000 * 1000))],
    "10000-headers": [(f"X-H{i}", "v") for i in range(10_000)],
    "10000-copies-of-one-header": [("X-Same", "v")] * 10_000,
}


@pytest.mark.parametrize("path", ["/health", API + "/oauth/token", API + "/admin/oauth/clients"])
@pytest.mark.parametrize("attack", HEADER_ATTACKS, ids=list(HEADER_ATTACKS))
def test_huge_headers_are_refused(hostile, attack, path):
    method = "POST" if path.endswith("/token") else "GET"
    headers = list(HEADER_ATTACKS[attack]) + ([("Content-Type", FORM)] if method == "POST" else [])
    body = b"grant_type=client_credentials" if method == "POST" else b""
    result = exchange(hostile.port, request_bytes(method, path, headers, body), timeout=10)
    assert_refused_by_http_layer(result, allowed=(400, 431))
    assert result.elapsed < QUICK, result.describe()


@pytest.mark.parametrize("path", [API + "/login", API + "/oauth/authorize?client_id=x", API + "/account"])
def test_100kb_cookie_is_refused(hostile, path):
    result = exchange(hostile.port, request_bytes("GET", path, [("Cookie", b"custos_session=" + b"c" * (100 * 1024))]))
    assert_refused_by_http_layer(result, allowed=(400, 431))
    assert result.elapsed < QUICK, result.describe()
