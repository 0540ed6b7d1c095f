"""Authorization boundaries, the client-policy rules, against the real binary on SQLite and
PostgreSQL: one case per rule.

- Rule 1 (the flag): ``account`` is reserved; only a client the administrator marks
  ``first_party`` may hold it.
- Rule 3: the admin API accepts any non-reserved RFC 6749 §3.3 scope (``read:orders`` then
  works with client_credentials); an anonymous registrant gets neither client_credentials nor
  an API scope; an administrator's registration token (shown once, never listed) allows
  them, up to ``max_uses``.
- Rule 14: ``http://localhost`` is refused as a redirect URI (OAuth 2.1 §8.4.2). The suite's
  server sets ``CUSTOS_ALLOW_LOOPBACK_HTTP_REDIRECTS=1``, so confidential loopback http is
  accepted here; the refusal without it is covered by the Swift tests.
- Rule 17: ``require_pkce: false`` is refused for a public client, accepted for a
  confidential one.
"""

from __future__ import annotations

import requests

TIMEOUT = 10


def _admin(hostile, method: str, path: str, token: str, **kwargs) -> requests.Response:
    return requests.request(
        method, hostile.api_url + "/admin/oauth" + path, headers={"Authorization": "Bearer " + token}, timeout=TIMEOUT,
        **kwargs)


def _simple_error(response: requests.Response, status: int, field: str) -> None:
    assert response.status_code == status, f"expected {status}: {response.status_code} {response.text}"
    body = response.json()
    assert set(body) == {"code", "message", "timestamp"} and body["code"] == status, body
    assert field in body["message"], body


def _register(hostile, metadata: dict, token: str | None = None) -> requests.Response:
    headers = {"Authorization": "Bearer " + token} if token else {}
    return requests.post(hostile.api_url + "/oauth/register", json=metadata, headers=headers, timeout=TIMEOUT)


def _client_token(hostile, client_id: str, secret: str, scope: str) -> requests.Response:
    hostile.remember_secret(secret)
    return requests.post(
        hostile.token_endpoint, data={"grant_type": "client_credentials", "scope": scope}, auth=(client_id, secret),
        timeout=TIMEOUT)


def test_rule1_account_scope_needs_first_party(hostile, admin_token, unique_name):
    body = {"name": unique_name("account-"), "redirect_uris": ["https://rp.example/cb"], "scopes": ["openid", "account"]}
    _simple_error(_admin(hostile, "POST", "/clients", admin_token, json=body), 400, "scopes")
    created = _admin(hostile, "POST", "/clients", admin_token, json={**body, "first_party": True})
    assert created.status_code == 201, created.text
    client_id = created.json()["data"]["client_id"]
    hostile.remember_secret(created.json()["data"]["client_secret"])
    assert _admin(hostile, "GET", f"/clients/{client_id}", admin_token).json()["data"]["first_party"] is True


def test_rule3_api_scopes_and_registration_tokens(hostile, admin_token, unique_name):
    # The admin API: any well-formed scope that is not reserved.
    created = _admin(hostile, "POST", "/clients", admin_token, json={
        "name": unique_name("orders-"), "redirect_uris": ["https://rp.example/cb"], "grant_types": ["client_credentials"],
        "scopes": ["read:orders"]})
    assert created.status_code == 201, created.text
    data = created.json()["data"]
    issued = _client_token(hostile, data["client_id"], data["client_secret"], "read:orders")
    assert issued.status_code == 200 and issued.json()["scope"] == "read:orders", issued.text
    _simple_error(_admin(hostile, "POST", "/clients", admin_token, json={
        "name": unique_name("admin-"), "redirect_uris": ["https://rp.example/cb"], "scopes": ["admin"]}), 400, "scopes")

    machine = {"client_name": unique_name("dcr-"), "redirect_uris": ["https://rp.example/cb"],
               "grant_types": ["client_credentials"], "response_types": [], "scope": "read:orders"}
    # Anonymous: neither client_credentials nor the API scope.
    anonymous = _register(hostile, machine)
    assert anonymous.status_code == 400 and anonymous.json()["error"] == "invalid_client_metadata", anonymous.text

    made = _admin(hostile, "POST", "/registration-tokens", admin_token, json={
        "scopes": ["read:orders"], "grant_types": ["client_credentials"], "expires_in": 600, "max_uses": 1})
    assert made.status_code == 201, made.text
    assert made.headers.get("Cache-Control") == "no-store"
    token = made.json()["data"]["token"]
    hostile.remember_secret(token)
    listed = _admin(hostile, "GET", "/registration-tokens", admin_token)
    assert listed.status_code == 200 and token not in listed.text, listed.text

    registered = _register(hostile, machine, token)
    assert registered.status_code == 201, registered.text
    client = registered.json()
    hostile.remember_secret(client.get("registration_access_token"))
    issued = _client_token(hostile, client["client_id"], client["client_secret"], "read:orders")
    assert issued.status_code == 200, issued.text
    again = _register(hostile, machine, token)
    assert again.status_code == 401 and again.json()["error"] == "invalid_token", f"max_uses 1: {again.text}"


def test_rule14_localhost_redirect_refused(hostile, admin_token, unique_name):
    for confidential in (True, False):
        response = _admin(hostile, "POST", "/clients", admin_token, json={
            "name": unique_name("localhost-"), "redirect_uris": ["http://localhost:8080/cb"],
            "is_confidential": confidential})
        _simple_error(response, 400, "redirect_uris[0]")
    loopback = _admin(hostile, "POST", "/clients", admin_token, json={
        "name": unique_name("loopback-"), "redirect_uris": ["http://127.0.0.1:8080/cb"], "is_confidential": False})
    assert loopback.status_code == 201, loopback.text


def test_rule17_require_pkce_false_only_for_confidential(hostile, admin_token, unique_name):
    base = {"redirect_uris": ["https://rp.example/cb"], "require_pkce": False}
    public = _admin(hostile, "POST", "/clients", admin_token, json={
        **base, "name": unique_name("pkce-public-"), "is_confidential": False})
    _simple_error(public, 400, "require_pkce")
    legacy = _admin(hostile, "POST", "/clients", admin_token, json={**base, "name": unique_name("pkce-legacy-")})
    assert legacy.status_code == 201, legacy.text
    data = legacy.json()["data"]
    hostile.remember_secret(data["client_secret"])
    assert _admin(hostile, "GET", f"/clients/{data['client_id']}", admin_token).json()["data"]["require_pkce"] is False
