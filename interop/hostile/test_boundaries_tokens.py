"""Authorization boundaries, the token rules (5, 8, 9 and the refresh half of 3), against the
built server on SQLite and PostgreSQL:

- rule 8: client B introspecting client A's token learns nothing (``{"active": false}``);
  a client the administrator marked ``is_resource_server`` sees it, with the username;
- rule 5: disabling a user makes their refresh token ``invalid_grant`` and their access token inactive;
- rule 9: refreshes racing ``/oauth/revoke`` leave no token of the grant active;
- rule 3: a refresh after the administrator removed a scope from the client yields tokens without it.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from oauth_browser import Browser

TIMEOUT = 10
REDIRECT_URI = "https://boundaries.example/cb"
PASSWORD = "correct horse battery staple"


def _client(server, unique_name, **fields) -> dict:
    body = dict(
        name=unique_name("boundaries-"), redirect_uris=[REDIRECT_URI],
        grant_types=["authorization_code", "refresh_token"], scopes=["openid", "profile", "email", "offline_access"],
    )
    body.update(fields)
    return server.create_client(**body)


def _user_tokens(server, unique_name, client: dict, scope: str = "openid profile") -> tuple[dict, str]:
    """A new user signs in and consents; returns the token response and the user's id."""
    username = unique_name("u")
    user_id = server.create_user(username, f"{username}@example.com", PASSWORD, "Boundary User")
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = urlencode({
        "response_type": "code", "client_id": client["client_id"], "redirect_uri": REDIRECT_URI, "scope": scope,
        "state": "s", "code_challenge": challenge, "code_challenge_method": "S256",
    })
    landed = Browser(server, username, PASSWORD).authorize(server.api_url + "/oauth/authorize?" + query, REDIRECT_URI)
    code = parse_qs(urlsplit(landed).query)["code"][0]
    response = requests.post(
        server.token_endpoint,
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI, "code_verifier": verifier},
        auth=(client["client_id"], client["client_secret"]), timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.text
    tokens = response.json()
    for value in tokens.values():
        if isinstance(value, str):
            server.remember_secret(value)
    return tokens, user_id


def _introspect(server, token: str, client: dict) -> dict:
    response = requests.post(
        server.api_url + "/oauth/introspect", data={"token": token},
        auth=(client["client_id"], client["client_secret"]), timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.text
    return response.json()


def _admin_active(server, token: str) -> bool:
    response = requests.post(
        server.api_url + "/oauth/introspect", data={"token": token},
        headers={"Authorization": "Bearer " + server.admin_token()}, timeout=TIMEOUT,
    )
    assert response.status_code == 200, response.text
    return response.json()["active"]


def _refresh(server, client: dict, refresh_token: str, scope: str | None = None) -> requests.Response:
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    if scope:
        data["scope"] = scope
    return requests.post(server.token_endpoint, data=data, auth=(client["client_id"], client["client_secret"]), timeout=TIMEOUT)


def test_rule8_other_clients_token_is_inactive_unless_resource_server(hostile, unique_name):
    owner = _client(hostile, unique_name)
    other = _client(hostile, unique_name, grant_types=["client_credentials"], scopes=["api.read"])
    resource_server = _client(
        hostile, unique_name, grant_types=["client_credentials"], scopes=["api.read"], is_resource_server=True)
    item = requests.get(
        hostile.api_url + f"/admin/oauth/clients/{resource_server['client_id']}",
        headers={"Authorization": "Bearer " + hostile.admin_token()}, timeout=TIMEOUT,
    )
    assert item.json()["data"]["is_resource_server"] is True, item.text
    tokens, _ = _user_tokens(hostile, unique_name, owner)
    for kind in ("access_token", "refresh_token"):
        assert _introspect(hostile, tokens[kind], other) == {"active": False}, kind
    seen = _introspect(hostile, tokens["access_token"], resource_server)
    assert seen["active"] is True and seen["client_id"] == owner["client_id"] and seen.get("username"), seen
    own = _introspect(hostile, tokens["access_token"], owner)
    assert own["active"] is True and "username" not in own, own


def test_rule8_registration_cannot_make_a_resource_server(hostile, unique_name):
    owner = _client(hostile, unique_name)
    tokens, _ = _user_tokens(hostile, unique_name, owner)
    response = requests.post(
        hostile.api_url + "/oauth/register",
        json={"client_name": "self-made RS", "redirect_uris": [REDIRECT_URI], "grant_types": ["authorization_code"],
              "response_types": ["code"], "is_resource_server": True},
        timeout=TIMEOUT,
    )
    if response.status_code in (401, 403):
        return  # registration closed on this server: nothing to prove
    assert response.status_code == 201, response.text
    registered = response.json()
    hostile.remember_secret(registered.get("client_secret"))
    hostile.remember_secret(registered.get("registration_access_token"))
    assert _introspect(hostile, tokens["access_token"], registered) == {"active": False}


def test_rule5_disabled_user_refresh_is_invalid_grant_and_access_token_inactive(hostile, unique_name):
    client = _client(hostile, unique_name)
    tokens, user_id = _user_tokens(hostile, unique_name, client)
    admin = {"Authorization": "Bearer " + hostile.admin_token()}
    disabled = requests.post(hostile.api_url + f"/admin/users/{user_id}/disable", headers=admin, timeout=TIMEOUT)
    assert disabled.status_code == 200, disabled.text
    refreshed = _refresh(hostile, client, tokens["refresh_token"])
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant", refreshed.text
    assert not _admin_active(hostile, tokens["access_token"])
    # Re-enabling does not bring the revoked tokens back.
    enabled = requests.post(hostile.api_url + f"/admin/users/{user_id}/enable", headers=admin, timeout=TIMEOUT)
    assert enabled.status_code == 200, enabled.text
    assert not _admin_active(hostile, tokens["access_token"])
    assert _refresh(hostile, client, tokens["refresh_token"]).status_code == 400


def test_rule9_refreshes_racing_a_revocation_leave_nothing_active(hostile, unique_name):
    client = _client(hostile, unique_name)
    tokens, _ = _user_tokens(hostile, unique_name, client)
    refresh_token = tokens["refresh_token"]

    def refresh(_):
        response = _refresh(hostile, client, refresh_token)
        if response.status_code == 200:
            value = response.json()["access_token"]
            hostile.remember_secret(value)
            return value
        assert response.status_code == 400 and response.json()["error"] == "invalid_grant", response.text
        return None

    def revoke():
        response = requests.post(
            hostile.api_url + "/oauth/revoke", data={"token": refresh_token},
            auth=(client["client_id"], client["client_secret"]), timeout=TIMEOUT,
        )
        assert response.status_code == 200, response.text

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(refresh, index) for index in range(24)]
        revoked = pool.submit(revoke)
        issued = [future.result() for future in futures]
        revoked.result()
    for token in [value for value in issued if value] + [tokens["access_token"], refresh_token]:
        assert not _admin_active(hostile, token), "a token of the revoked grant is still active"


def test_rule3_refresh_narrows_to_the_clients_scopes_today(hostile, unique_name):
    client = _client(hostile, unique_name)
    tokens, _ = _user_tokens(hostile, unique_name, client, scope="openid profile email")
    updated = requests.put(
        hostile.api_url + f"/admin/oauth/clients/{client['client_id']}",
        json={"scopes": ["openid", "email", "offline_access"]},
        headers={"Authorization": "Bearer " + hostile.admin_token()}, timeout=TIMEOUT,
    )
    assert updated.status_code == 200, updated.text
    asked = _refresh(hostile, client, tokens["refresh_token"], scope="openid profile")
    assert asked.status_code == 400 and asked.json()["error"] == "invalid_scope", asked.text
    narrowed = _refresh(hostile, client, tokens["refresh_token"])
    assert narrowed.status_code == 200, narrowed.text
    hostile.remember_secret(narrowed.json()["access_token"])
    assert narrowed.json()["scope"] == "openid email"
