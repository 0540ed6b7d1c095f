"""Schema-driven fuzzing of every route with schemathesis.

Schemathesis generates requests for each operation of Custos's OpenAPI 3.1 document: the
document's examples, boundary and negative values (coverage phase, which also tries methods a
path does not serve) and a few random ones (fuzzing phase). Every response must be no 5xx and
have a documented status, a documented media type and a body that matches the documented
schema. One pytest test per operation, plus one that checks the running server serves exactly
the document the tests were generated from.

Credentials come from the suite's fixtures, chosen by the operation's first security
requirement the test holds: the bootstrap administrator's token for the admin API, HTTP Basic
of a confidential client for the protocol endpoints, a user's access token (signed in through
the real login and consent pages) for UserInfo and the account API, a registration access
token for RFC 7592, the browser session cookie for the pages.

Random data mostly meets "not found" and "invalid request". So every other request of an
operation is made realistic: generated path ids become ids of real records, and the protocol
and authorization requests get real tokens and a valid client (`_make_realistic`). The records
an operation may destroy are victims made for the purpose, replaced when deleted; never the
test's own credentials. So no operation needs to be skipped: deleting a client, revoking
tokens, ending sessions and rotating signing keys (every call may rotate, which is harmless:
retired keys stay published while their tokens live) all run, against victims.

Generation is deterministic (fixed seed, derandomized Hypothesis, no example database), so a
CI failure reproduces locally with the same command.
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import json
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import schemathesis
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

HTTP_TIMEOUT = 10.0
# Fuzzing examples per operation; the examples and coverage phases add their own fixed cases.
MAX_EXAMPLES = 25
SEED = 20261127

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]

API = "/api/v1"
RP_REDIRECT = "https://rp.example.com/cb"


def _root_conftest():
    """`interop/conftest.py` (CustosServer and friends): this folder's conftest.py shadows the
    name, and no pytest request exists yet at collection time, so it is loaded from its path."""
    path = Path(__file__).resolve().parents[1] / "conftest.py"
    spec = importlib.util.spec_from_file_location("interop_root_conftest", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _document_as_served() -> dict:
    """The document exactly as the built binary serves it: the JSON parts under
    `Sources/CustosHTTP/OpenAPI/Document/` with the prefix and the capability lists filled in at
    start-up. A short-lived server on a fresh SQLite database answers it at collection time."""
    root = _root_conftest()
    directory = Path(tempfile.mkdtemp(prefix="custos-openapi-"))
    binary = Path(os.environ.get("CUSTOS_BINARY") or root.DEFAULT_BINARY)
    server = root.CustosServer(binary=binary, directory=directory, port=root._free_port())
    try:
        server.binary = root._snapshot(binary, directory)
        server.start()
        response = requests.get(server.base_url + API + "/docs/openapi.json", timeout=HTTP_TIMEOUT)
        response.raise_for_status()
        return response.json()
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


# The operations are generated from the served document rather than loaded with
# `schemathesis.pytest.from_fixture`: that loader of schemathesis 4.32 fails under pytest 9 (it
# writes `Node._nodeid`, which pytest 9 removed), and the session's server does not run yet
# when pytest collects. `test_session_server_serves_the_collected_document` makes sure the
# server under test serves exactly this document.
DOCUMENT = _document_as_served()
schema = schemathesis.openapi.from_dict(DOCUMENT, config=schemathesis.Config.from_dict({
    "seed": SEED,
    "suppress-health-check": ["all"],
    "generation": {
        "max-examples": MAX_EXAMPLES,
        "deterministic": True,
        "database": "none",
        # The test supplies real credentials; generated Authorization headers would replace them.
        "with-security-parameters": False,
    },
    "phases": {"stateful": {"enabled": False}},
}))


@dataclass
class Credentials:
    """What the test signs requests with, and the real records requests are pointed at."""

    admin_token: str
    client_id: str
    client_secret: str
    user_token: str
    refresh_token: str
    session_cookie: str
    victim_client: str = ""
    victim_secret_id: str = ""
    victim_user: str = ""
    registered_client: str = ""
    registration_token: str = ""
    calls: dict[str, int] = field(default_factory=dict)

    @property
    def basic(self) -> str:
        pair = f"{urllib.parse.quote(self.client_id, safe='')}:{urllib.parse.quote(self.client_secret, safe='')}"
        return "Basic " + base64.b64encode(pair.encode()).decode()


def _admin(server, method: str, path: str, token: str, **kwargs) -> requests.Response:
    return requests.request(
        method, server.api_url + path, headers={"Authorization": "Bearer " + token}, timeout=HTTP_TIMEOUT, **kwargs
    )


def _hidden_inputs(page: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' in tag:
            fields[html.unescape(name.group(1))] = html.unescape(value.group(1)) if value else ""
    return fields


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def _sign_in_and_consent(server, username: str, password: str, client: dict) -> tuple[dict, str]:
    """The authorization code flow through the real pages; returns (token response, session cookie)."""
    browser = requests.Session()
    verifier, challenge = _pkce()
    query = urllib.parse.urlencode({
        "response_type": "code", "client_id": client["client_id"], "redirect_uri": RP_REDIRECT,
        "scope": "openid profile email", "state": "st", "code_challenge": challenge, "code_challenge_method": "S256",
    })
    url = server.api_url + "/oauth/authorize?" + query
    for _ in range(10):
        response = browser.get(url, allow_redirects=False, timeout=HTTP_TIMEOUT)
        if response.status_code in (302, 303):
            location = urllib.parse.urljoin(url, response.headers["Location"])
            if location.startswith(RP_REDIRECT):
                code = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)["code"][0]
                break
            url = location
            continue
        assert response.status_code == 200, f"{response.status_code} at {url}: {response.text[:300]}"
        form = _hidden_inputs(response.text)
        server.remember_secret(form.get("csrf_token"))
        action = re.search(r'<form method="post" action="([^"]*)"', response.text).group(1)
        if 'name="password"' in response.text:
            form.update(username=username, password=password)
        else:
            form["decision"] = "approve"
        target = urllib.parse.urljoin(url, html.unescape(action))
        posted = browser.post(target, data=form, allow_redirects=False, timeout=HTTP_TIMEOUT)
        if posted.status_code == 429 and posted.headers.get("Retry-After", "").isdigit():
            # Other tests of the session may have used up this address's sign-ins for the minute.
            time.sleep(min(int(posted.headers["Retry-After"]), 65))
            posted = browser.post(target, data=form, allow_redirects=False, timeout=HTTP_TIMEOUT)
        assert posted.status_code == 303, f"{posted.status_code} posting {action}: {posted.text[:300]}"
        url = urllib.parse.urljoin(url, posted.headers["Location"])
    else:
        pytest.fail("the authorization flow did not reach the redirect URI")
    token = requests.post(
        server.token_endpoint,
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": RP_REDIRECT, "code_verifier": verifier},
        auth=(client["client_id"], client["client_secret"]),
        timeout=HTTP_TIMEOUT,
    )
    assert token.status_code == 200, f"token: {token.status_code} {token.text}"
    for name in ("access_token", "refresh_token", "id_token"):
        server.remember_secret(token.json().get(name))
    session_cookie = browser.cookies.get("custos_session")
    assert session_cookie, "signing in set no session cookie"
    server.remember_secret(session_cookie)
    return token.json(), session_cookie


def _new_victim_client(server, credentials: Credentials) -> None:
    response = _admin(server, "POST", "/admin/oauth/clients", credentials.admin_token, json={
        "name": "schemathesis victim", "redirect_uris": ["https://victim.example.com/cb"],
        "grant_types": ["authorization_code", "refresh_token", "client_credentials"], "scopes": ["openid", "api.read"],
    })
    assert response.status_code == 201, f"victim client: {response.status_code} {response.text}"
    data = response.json()["data"]
    server.remember_secret(data["client_secret"])
    credentials.victim_client = data["client_id"]
    listed = _admin(server, "GET", f"/admin/oauth/clients/{data['client_id']}/secrets", credentials.admin_token)
    credentials.victim_secret_id = listed.json()["data"]["secrets"][0]["secret_id"]


def _new_victim_user(server, credentials: Credentials) -> None:
    name = "victim" + secrets.token_hex(4)
    response = _admin(server, "POST", "/admin/users", credentials.admin_token, json={
        "username": name, "email": f"{name}@example.com", "name": "Victim",
    })
    assert response.status_code == 201, f"victim user: {response.status_code} {response.text}"
    credentials.victim_user = response.json()["data"]["id"]


def _new_registration(server, credentials: Credentials) -> None:
    response = requests.post(server.api_url + "/oauth/register", json={
        "client_name": "schemathesis RP", "redirect_uris": ["https://rp.example.com/registered"],
    }, timeout=HTTP_TIMEOUT)
    if response.status_code == 429:
        return  # this address used up its registrations for the hour: keep the last one
    assert response.status_code == 201, f"registration: {response.status_code} {response.text}"
    body = response.json()
    server.remember_secret(body.get("client_secret"))
    server.remember_secret(body["registration_access_token"])
    credentials.registered_client = body["client_id"]
    credentials.registration_token = body["registration_access_token"]


def _throwaway_token(server, credentials: Credentials) -> str:
    """An access token of the protocol client that may be revoked."""
    response = requests.post(
        server.token_endpoint, data={"grant_type": "client_credentials", "scope": "api.read"},
        headers={"Authorization": credentials.basic}, timeout=HTTP_TIMEOUT,
    )
    assert response.status_code == 200, f"throwaway token: {response.status_code} {response.text}"
    server.remember_secret(response.json()["access_token"])
    return response.json()["access_token"]


@pytest.fixture(scope="module")
def credentials(custos_server) -> Credentials:
    server = custos_server
    admin_token = server.admin_token()
    client = server.create_client(
        name="schemathesis RP", redirect_uris=[RP_REDIRECT],
        grant_types=["authorization_code", "refresh_token", "client_credentials"],
        scopes=["openid", "profile", "email", "api.read"],
    )
    username = "fuzz" + secrets.token_hex(4)
    password = "Fuzz-" + secrets.token_urlsafe(18)
    server.create_user(username, f"{username}@example.com", password, "Fuzz User")
    tokens, session_cookie = _sign_in_and_consent(server, username, password, client)
    result = Credentials(
        admin_token=admin_token, client_id=client["client_id"], client_secret=client["client_secret"],
        user_token=tokens["access_token"], refresh_token=tokens["refresh_token"], session_cookie=session_cookie,
    )
    _new_victim_client(server, result)
    _new_victim_user(server, result)
    _new_registration(server, result)
    return result


def test_session_server_serves_the_collected_document(custos_server):
    response = requests.get(custos_server.base_url + API + "/docs/openapi.json", timeout=HTTP_TIMEOUT)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json() == DOCUMENT, (
        "the server under test serves another OpenAPI document than the one the operations were "
        "generated from (a binary rebuilt during the run?)"
    )


def _authenticate(case, credentials: Credentials) -> tuple[dict[str, str], dict[str, str]]:
    """Headers and cookies of the operation's first security requirement the test holds credentials for."""
    by_scheme = {
        "adminBearer": ({"Authorization": "Bearer " + credentials.admin_token}, {}),
        "clientBasic": ({"Authorization": credentials.basic}, {}),
        "userBearer": ({"Authorization": "Bearer " + credentials.user_token}, {}),
        "registrationBearer": ({"Authorization": "Bearer " + credentials.registration_token}, {}),
        "sessionCookie": ({}, {"custos_session": credentials.session_cookie}),
    }
    for requirement in case.operation.definition.raw.get("security", []):
        if not requirement:
            break  # anonymous is the next choice
        for scheme in requirement:
            if scheme in by_scheme:
                return by_scheme[scheme]
    return {}, {}


def _authorization_request(credentials: Credentials) -> dict[str, str]:
    _, challenge = _pkce()
    return {
        "response_type": "code", "client_id": credentials.client_id, "redirect_uri": RP_REDIRECT, "scope": "openid",
        "state": "fuzz", "code_challenge": challenge, "code_challenge_method": "S256",
    }


def _make_realistic(case, server, credentials: Credentials) -> None:
    """Every other call of an operation: real ids, tokens and a valid client instead of random data.

    Never the test's own credentials: not the bootstrap administrator client, the protocol
    client or the signed-in user (whose tokens and consent the other operations need), only
    victims made for the purpose. Consent ids stay generated: withdrawing the user's one
    consent would revoke the user token UserInfo and the account API are fuzzed with.
    """
    label = case.operation.label
    count = credentials.calls.get(label, 0)
    credentials.calls[label] = count + 1
    if count % 2 == 0:
        return
    path, method = case.operation.path, case.method.upper()
    parameters = case.path_parameters or {}
    if "client_id" in parameters:
        if path.startswith(API + "/oauth/register/"):
            real = credentials.registered_client  # "" when this address may not register any more
        elif path.startswith(API + "/oauth/client/"):
            real = credentials.client_id  # read-only public facts
        else:
            real = credentials.victim_client
        parameters["client_id"] = real or parameters["client_id"]
    if "secret_id" in parameters:
        parameters["secret_id"] = credentials.victim_secret_id or parameters["secret_id"]
    if "user_id" in parameters:
        parameters["user_id"] = credentials.victim_user

    body = case.body if isinstance(case.body, dict) else None
    if body is not None and path in (API + "/oauth/introspect", API + "/internal/oauth/introspect"):
        body.clear()
        body["token"] = credentials.user_token
    elif body is not None and path == API + "/oauth/refresh":
        body.clear()
        body["refresh_token"] = credentials.refresh_token
    elif body is not None and path == API + "/oauth/revoke":
        body.clear()
        body["token"] = _throwaway_token(server, credentials)
    elif path == API + "/oauth/authorize" and method == "GET":
        case.query = _authorization_request(credentials)
    elif body is not None and path == API + "/oauth/authorize":
        body.clear()
        body.update(_authorization_request(credentials))
        if case.media_type == "application/json":
            del body["redirect_uri"]  # the JSON variant then answers the code as JSON
            body["approved"] = True
    elif path == API + "/consent" and method == "GET":
        case.query = {"client_id": credentials.client_id, "scope": "openid", "return_to": API + "/account"}


def _replace_destroyed_victims(case, response, server, credentials: Credentials) -> None:
    if case.method.upper() != "DELETE" or response.status_code != 204:
        return
    path, parameters = case.operation.path, case.path_parameters or {}
    if path == API + "/admin/oauth/clients/{client_id}" and parameters.get("client_id") == credentials.victim_client:
        _new_victim_client(server, credentials)
    elif path == API + "/admin/oauth/clients/{client_id}/secrets/{secret_id}":
        listed = _admin(server, "GET", f"/admin/oauth/clients/{credentials.victim_client}/secrets", credentials.admin_token)
        if listed.status_code == 200 and listed.json()["data"]["secrets"]:
            credentials.victim_secret_id = listed.json()["data"]["secrets"][0]["secret_id"]
    elif path == API + "/admin/users/{user_id}" and parameters.get("user_id") == credentials.victim_user:
        _new_victim_user(server, credentials)
    elif path == API + "/oauth/register/{client_id}" and parameters.get("client_id") == credentials.registered_client:
        _new_registration(server, credentials)


@schema.parametrize()
def test_schemathesis(case, custos_server, credentials):
    _make_realistic(case, custos_server, credentials)
    headers, cookies = _authenticate(case, credentials)
    # Redirects are answers to check, not to follow (they lead to the relying party's URIs).
    response = case.call(
        base_url=custos_server.base_url, headers=headers, cookies=cookies, timeout=HTTP_TIMEOUT, allow_redirects=False
    )
    _replace_destroyed_victims(case, response, custos_server, credentials)
    case.validate_response(response, checks=CHECKS, headers=headers)
