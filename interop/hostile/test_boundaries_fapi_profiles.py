"""FAPI profile hygiene (issue 14, item 6) against the real binary on SQLite and PostgreSQL:
the admin API and dynamic registration refuse a ``fapi_profile`` the server does not keep and
metadata that contradicts the chosen profile, each with a 400 naming the field, and the admin
API shows the rules a profile turns on (``effective_rules``, computed at every read).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
import requests

from test_boundaries_login import _server_class

TIMEOUT = 10

# RFC 7517 Appendix A.1: a public P-256 key, enough for private_key_jwt registration.
JWK = {"kty": "EC", "crv": "P-256", "kid": "fapi-1", "x": "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4",
       "y": "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM"}


def _admin(hostile, method: str, path: str, token: str, **kwargs) -> requests.Response:
    return requests.request(
        method, hostile.api_url + "/admin/oauth" + path, headers={"Authorization": "Bearer " + token}, timeout=TIMEOUT,
        **kwargs)


def _fapi_body(unique_name, profile: str, **extra) -> dict:
    body = {"name": unique_name("fapi-"), "redirect_uris": ["https://rp.example/cb"], "fapi_profile": profile,
            "client_auth_methods": ["private_key_jwt"], "jwks": json.dumps({"keys": [JWK]})}
    body.update(extra)
    return body


def _simple_error(response: requests.Response, field: str) -> None:
    assert response.status_code == 400, f"{response.status_code} {response.text}"
    body = response.json()
    assert set(body) == {"code", "message", "timestamp"} and body["code"] == 400, body
    assert field in body["message"], body


ADMIN_REFUSALS = [
    ("fapi3", {}, "fapi_profile"),
    ("FAPI2", {}, "fapi_profile"),
    ("fapi1", {"dpop_bound_access_tokens": True}, "dpop_bound_access_tokens"),
    ("fapi1", {"request_object_signing_alg": "EdDSA"}, "request_object_signing_alg"),
    ("fapi1", {"request_object_signing_alg": "RS256"}, "request_object_signing_alg"),
    ("fapi1", {"client_auth_methods": ["client_secret_basic"]}, "client_auth_methods"),
    ("fapi1", {"is_confidential": False, "client_auth_methods": ["none"]}, "fapi_profile"),
    ("fapi2", {"require_pushed_authorization_requests": False}, "require_pushed_authorization_requests"),
    ("fapi2", {"request_object_signing_alg": "none"}, "request_object_signing_alg"),
    ("fapi2", {"authorization_signed_response_alg": "RS256"}, "authorization_signed_response_alg"),
    ("fapi2_message_signing", {"require_signed_request_object": False}, "require_signed_request_object"),
    ("fapi2_message_signing", {"introspection_signed_response_alg": "RS256"}, "introspection_signed_response_alg"),
    ("fapi2_message_signing", {"redirect_uris": ["http://127.0.0.1:9000/cb"]}, "redirect_uris[0]"),
]


@pytest.mark.parametrize("profile,extra,field", ADMIN_REFUSALS)
def test_admin_api_refuses_what_the_profile_forbids(hostile, admin_token, unique_name, profile, extra, field):
    _simple_error(_admin(hostile, "POST", "/clients", admin_token, json=_fapi_body(unique_name, profile, **extra)), field)


def test_admin_api_shows_what_the_profile_turns_on(hostile, admin_token, unique_name):
    created = _admin(hostile, "POST", "/clients", admin_token, json=_fapi_body(unique_name, "fapi1", require_pkce=False))
    assert created.status_code == 201, created.text
    client_id = created.json()["data"]["client_id"]
    shown = _admin(hostile, "GET", f"/clients/{client_id}", admin_token).json()["data"]
    assert shown["require_signed_request_object"] is True, shown
    assert shown["tls_client_certificate_bound_access_tokens"] is True, shown
    assert shown["require_pushed_authorization_requests"] is False, shown
    assert shown["require_pkce"] is False, shown
    assert shown["effective_rules"]["sender_constraint"] == "mtls", shown
    assert shown["effective_rules"]["require_pkce_with_pushed_request"] is True, shown
    assert shown["effective_rules"]["signing_alg_values"] == ["ES256", "PS256"], shown

    moved = _admin(hostile, "PUT", f"/clients/{client_id}", admin_token, json={"fapi_profile": "fapi2", "require_pkce": True})
    assert moved.status_code == 200, moved.text
    data = moved.json()["data"]
    # Computed, not stored: fapi1's certificate-only rule does not outlive the profile.
    assert data["require_pushed_authorization_requests"] is True, data
    assert data["tls_client_certificate_bound_access_tokens"] is False, data
    assert data["effective_rules"]["sender_constraint"] == "dpop_or_mtls", data


REGISTRATION_REFUSALS = [
    ({"fapi_profile": "fapi3"}, "fapi_profile"),
    ({"fapi_profile": "fapi1", "dpop_bound_access_tokens": True}, "dpop_bound_access_tokens"),
    ({"fapi_profile": "fapi1", "id_token_signed_response_alg": "EdDSA"}, "id_token_signed_response_alg"),
    ({"fapi_profile": "fapi2", "require_pushed_authorization_requests": False}, "require_pushed_authorization_requests"),
    ({"fapi_profile": "fapi2", "token_endpoint_auth_method": "client_secret_basic"}, "token_endpoint_auth_method"),
    ({"fapi_profile": "fapi2_message_signing", "request_object_signing_alg": "RS256"}, "request_object_signing_alg"),
]


def _registration(unique_name, **extra) -> dict:
    body = {"client_name": unique_name("dcr-fapi-"), "redirect_uris": ["https://rp.example/cb"],
            "grant_types": ["authorization_code"], "response_types": ["code"], "scope": "openid",
            "token_endpoint_auth_method": "private_key_jwt", "jwks": {"keys": [JWK]}}
    body.update(extra)
    return body


@pytest.fixture(scope="module")
def registration_server(root, custos_binary, request):
    """A server of this module's own: every registration, refused ones too, counts against the
    per-address hourly limit (`CUSTOS_REGISTRATIONS_PER_HOUR`, 10 by default), which the other
    hostile modules' registrations on the session server need."""
    server = _server_class(root)(
        binary=custos_binary, directory=Path(tempfile.mkdtemp(prefix="custos-fapi-profiles-")), port=root._free_port(),
        postgres_database=root.fresh_database(), extra_environment={"CUSTOS_REGISTRATIONS_PER_HOUR": "100"},
    )
    server.start()
    yield server
    server.stop()
    if not request.session.testsfailed:
        shutil.rmtree(server.directory, ignore_errors=True)


@pytest.mark.parametrize("extra,field", REGISTRATION_REFUSALS)
def test_dynamic_registration_refuses_what_the_profile_forbids(registration_server, unique_name, extra, field):
    response = requests.post(registration_server.api_url + "/oauth/register", json=_registration(unique_name, **extra),
                             timeout=TIMEOUT)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "invalid_client_metadata", body
    assert body["error_description"].startswith(field + ":"), body


def test_dynamic_registration_keeps_a_valid_profile(registration_server, unique_name):
    response = requests.post(
        registration_server.api_url + "/oauth/register", json=_registration(unique_name, fapi_profile="fapi1"), timeout=TIMEOUT)
    assert response.status_code == 201, response.text
    assert response.json()["fapi_profile"] == "fapi1", response.text
    client_id = response.json()["client_id"]
    shown = _admin(registration_server, "GET", f"/clients/{client_id}", registration_server.admin_token()).json()["data"]
    assert shown["fapi_profile"] == "fapi1" and shown["require_signed_request_object"] is True, shown
