"""Authorization boundaries, the browser-session and consent rules (1, 2, 4, 6, 15), attacked
through the built server's HTTP interface on SQLite and PostgreSQL:

- rule 1 (a browser session is the only session):
  ``test_rule1_third_party_token_cannot_act_for_the_user``: another client's user token, with
  every scope it may hold, gets 403 ``access_denied`` at the JSON variant of
  ``POST /oauth/authorize`` and 403 at ``/oauth/consents``, and stores no consent;
  ``test_rule1_client_credentials_account_token_is_refused``: a first-party client's own
  ``client_credentials`` token, even carrying ``account``, acts for no user (403 on both);
  ``test_rule1_session_cookie_alone_is_refused_by_the_json_api``: a live session cookie without
  a token is 401 ``login_required`` with a Bearer challenge, and stores no consent;
  ``test_rule1_first_party_account_token_acts_on_its_own_session``: the ``account`` token a
  first-party app got by the code flow approves for its user (the code's ID token names that
  user, its ``sid`` and ``auth_time``), lists the consents, and stops working (401) once that
  browser session ends; a foreign ``user_id`` is 403;
  ``test_rule1_account_scope_is_reserved_for_first_party_clients``: the admin API refuses
  ``account`` for a client that is not first-party (create and update, 400), dynamic
  registration never hands it out.
- rule 2 (claims only within consent):
  ``test_rule2_claims_outside_the_clients_scopes_are_never_released``: ``claims`` asking for
  ``email``/``phone_number`` of a client without those scopes are neither listed on the consent
  page nor in the ID token, UserInfo, or UserInfo after a refresh (a claim within the scopes,
  ``name``, is, so the parameter is read at all);
  ``test_rule2_claims_beyond_the_consent_need_a_new_consent``: ``email`` of a client that has
  the scope, when the user consented to ``openid`` only: ``prompt=none`` is
  ``consent_required``, the consent page lists the claim, a denial releases nothing, an
  approval releases it.
- rule 4 (re-authentication state lives on the server):
  ``test_rule4_forged_sign_in_parameters_do_not_skip_prompt_login``,
  ``test_rule4_forged_consent_parameters_do_not_skip_prompt_consent``,
  ``test_rule4_max_age_zero_forces_a_sign_in`` (on a new request and on its resumption) and
  ``test_rule4_request_object_max_age_wins_over_the_query``.
- rule 6: ``test_rule6_foreign_id_token_hint_gets_the_confirmation_page``: a hint of another
  user's or another session's ID token shows the confirmation form (200 HTML), never a silent
  sign-out or a redirect to the client; the session keeps working (``prompt=none`` still gets a
  code); the hint of the browser's own session signs it out at once (control).
- rule 15 (consent reflects the stored request):
  ``test_rule15_consent_page_shows_the_stored_request_not_its_query``,
  ``test_rule15_bad_handles_get_a_clear_error_page``,
  ``test_rule15_edited_approval_fields_grant_only_the_stored_request``,
  ``test_rule15_handle_is_single_use`` and
  ``test_rule15_another_sessions_decision_does_not_answer_for_this_one``.
An expired handle (15 minutes) is not waited for here; the Swift tests advance the clock.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import ECKey

from oauth_browser import Browser, parse_forms

TIMEOUT = 10
REDIRECT_URI = "https://authz-boundaries.example/cb"
POST_LOGOUT_URI = "https://authz-boundaries.example/signed-out"
PASSWORD = "correct horse battery staple"
# Parameters older versions of the flow read from the browser's URL to skip a step.
FORGED_PROGRESS = {
    "custos_signed_in_after": "9999999999", "signed_in": "1", "login": "done", "auth_time": "9999999999",
    "consent": "given", "approved": "true", "decision": "approve", "consented": "1",
}


# -- a browser with finer steps than oauth_browser.Browser -----------------------------------


class Agent(Browser):
    """``oauth_browser.Browser`` plus single steps: open one URL, sign in, read the forms."""

    def url(self, location: str) -> str:
        return urljoin(self.server.base_url, location)

    def open(self, location: str) -> requests.Response:
        return self._get(self.url(location))

    def sign_in(self) -> None:
        page = self.open(self.server.api_url + "/login")
        assert page.status_code == 200, f"{page.status_code} {page.text[:300]}"
        response = self.submit_login(page)
        assert response.status_code in (302, 303), f"sign-in: {response.status_code} {response.text[:300]}"

    def submit_login(self, page: requests.Response) -> requests.Response:
        form = next(form for form in parse_forms(page.text) if form.has_input("password"))
        values = form.fields()
        values["username"] = self.username
        values["password"] = self.password
        return self._submit(page, form, values)

    def submit_consent(self, page: requests.Response, decision: str, **extra: str) -> requests.Response:
        form = next(form for form in parse_forms(page.text) if form.button("decision", decision))
        values = form.fields()
        values.update(extra)
        values["decision"] = decision
        return self._submit(page, form, values)

    def run(self, url: str) -> str:
        """Walks a whole authorization (sign-in and consent as asked); the redirect to the client."""
        self.logins = self.consents = 0
        return self.authorize(url, REDIRECT_URI)

    def authorization_cookie(self) -> str:
        return "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.session.cookies)


def _b64_json(segment: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def _jwt_claims(token: str) -> dict:
    """The payload of a JWT the server issued (read only; the signature is checked elsewhere)."""
    return _b64_json(token.split(".")[1])


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def _query(location: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(location).query, keep_blank_values=True).items()}


def _path(location: str) -> str:
    return urlsplit(location).path


# -- the server's parts ----------------------------------------------------------------------


def _client(server, unique_name, **fields) -> dict:
    body = dict(
        name=unique_name("authz-"), redirect_uris=[REDIRECT_URI], grant_types=["authorization_code", "refresh_token"],
        scopes=["openid", "profile", "email", "offline_access"], post_logout_redirect_uris=[POST_LOGOUT_URI],
    )
    body.update(fields)
    return server.create_client(**body)


def _first_party(server, unique_name) -> dict:
    return _client(server, unique_name, name=unique_name("account-app-"), first_party=True,
                   grant_types=["authorization_code"], scopes=["openid", "account"])


def _agent(server, unique_name, signed_in: bool = True) -> Agent:
    username = unique_name("u")
    server.create_user(username, f"{username}@example.com", PASSWORD, "Authz Boundary " + username)
    agent = Agent(server, username, PASSWORD)
    if signed_in:
        agent.sign_in()
    return agent


def _authorize_url(server, client: dict, scope: str = "openid", **extra) -> tuple[str, str]:
    verifier, challenge = _pkce()
    parameters = {
        "response_type": "code", "client_id": client["client_id"], "redirect_uri": REDIRECT_URI, "scope": scope,
        "state": "st-" + secrets.token_hex(4), "code_challenge": challenge, "code_challenge_method": "S256",
    }
    parameters.update(extra)
    return server.api_url + "/oauth/authorize?" + urlencode(parameters), verifier


def _redeem(server, client: dict, code: str, verifier: str, redirect_uri: str | None = REDIRECT_URI) -> dict:
    data = {"grant_type": "authorization_code", "code": code, "code_verifier": verifier}
    if redirect_uri:
        data["redirect_uri"] = redirect_uri
    response = requests.post(server.token_endpoint, data=data, auth=(client["client_id"], client["client_secret"]), timeout=TIMEOUT)
    assert response.status_code == 200, f"code redemption: {response.status_code} {response.text}"
    tokens = response.json()
    for value in tokens.values():
        if isinstance(value, str):
            server.remember_secret(value)
    return tokens


def _tokens(server, agent: Agent, client: dict, scope: str = "openid", **extra) -> dict:
    url, verifier = _authorize_url(server, client, scope, **extra)
    landed = agent.run(url)
    code = _query(landed).get("code")
    assert code, f"no code in {landed}"
    return _redeem(server, client, code, verifier)


def _userinfo(server, access_token: str) -> dict:
    response = requests.get(server.api_url + "/oauth/userinfo", headers={"Authorization": "Bearer " + access_token}, timeout=TIMEOUT)
    assert response.status_code == 200, f"userinfo: {response.status_code} {response.text}"
    return response.json()


def _json_authorize(server, body: dict, bearer: str | None = None, cookie: str | None = None) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if bearer:
        headers["Authorization"] = "Bearer " + bearer
    if cookie:
        headers["Cookie"] = cookie
    return requests.post(server.api_url + "/oauth/authorize", data=json.dumps(body), headers=headers,
                         allow_redirects=False, timeout=TIMEOUT)


def _json_body(client: dict, approved: bool | None = True) -> tuple[dict, str]:
    verifier, challenge = _pkce()
    body = {"response_type": "code", "client_id": client["client_id"], "scope": "openid", "state": "s-json",
            "code_challenge": challenge, "code_challenge_method": "S256"}
    if approved is not None:
        body["approved"] = approved
    return body, verifier


def _consents(server, bearer: str | None = None, cookie: str | None = None) -> requests.Response:
    headers = {}
    if bearer:
        headers["Authorization"] = "Bearer " + bearer
    if cookie:
        headers["Cookie"] = cookie
    return requests.get(server.api_url + "/oauth/consents", headers=headers, timeout=TIMEOUT)


def _oauth_error(response: requests.Response, status: int, error: str) -> dict:
    assert response.status_code == status, f"expected {status} {error}: {response.status_code} {response.text}"
    assert response.headers.get("Content-Type", "").startswith("application/json"), response.headers
    body = response.json()
    assert body.get("error") == error and body.get("error_description"), body
    return body


def _simple_error(response: requests.Response, status: int) -> dict:
    assert response.status_code == status, f"expected {status}: {response.status_code} {response.text}"
    body = response.json()
    assert set(body) == {"code", "message", "timestamp"} and body["code"] == status, body
    return body


def _html_error(response: requests.Response, status: int = 400) -> str:
    assert response.status_code != 500, f"500 on {response.url}: {response.text[:300]}"
    assert response.status_code == status, f"expected a {status} page: {response.status_code} {response.headers.get('Location')} {response.text[:300]}"
    assert response.headers.get("Content-Type", "").startswith("text/html"), response.headers
    assert "Location" not in response.headers, response.headers
    return response.text


def _silent(server, agent: Agent, client: dict, scope: str = "openid", **extra) -> dict[str, str]:
    """``prompt=none`` in the agent's browser: the redirect's query (a code or an error)."""
    url, _ = _authorize_url(server, client, scope, prompt="none", **extra)
    response = agent.open(url)
    location = response.headers.get("Location", "")
    assert response.status_code in (302, 303) and location.startswith(REDIRECT_URI), (
        f"prompt=none: {response.status_code} {location} {response.text[:300]}")
    return _query(location)


def _to_page(agent: Agent, response: requests.Response, page: str) -> str:
    """A 30x to the server's ``page`` (``login`` or ``consent``); returns its Location."""
    location = response.headers.get("Location", "")
    assert response.status_code in (302, 303), f"expected a redirect to {page}: {response.status_code} {response.text[:300]}"
    assert _path(agent.url(location)) == agent.server.api_url.removeprefix(agent.server.base_url) + "/" + page, (
        f"expected the {page} page, got {location}")
    return location


def _consent_page(server, agent: Agent, client: dict, scope: str = "openid", **extra) -> tuple[str, requests.Response]:
    """Starts a request that needs consent; returns the consent URL and its page."""
    url, _ = _authorize_url(server, client, scope, **extra)
    consent_url = _to_page(agent, agent.open(url), "consent")
    page = agent.open(consent_url)
    assert page.status_code == 200 and parse_forms(page.text), f"consent page: {page.status_code} {page.text[:300]}"
    return consent_url, page


# -- rule 1 ----------------------------------------------------------------------------------


def test_rule1_third_party_token_cannot_act_for_the_user(hostile, unique_name):
    third = _client(hostile, unique_name, scopes=["openid", "profile", "email", "offline_access", "api.read", "api.write"])
    target = _client(hostile, unique_name)
    agent = _agent(hostile, unique_name)
    tokens = _tokens(hostile, agent, third, "openid profile email offline_access api.read api.write")
    assert set(tokens["scope"].split()) >= {"openid", "profile", "email", "api.read"}, tokens["scope"]
    body, _ = _json_body(target)
    _oauth_error(_json_authorize(hostile, body, bearer=tokens["access_token"]), 403, "access_denied")
    # With the browser's cookie beside it, the third-party token is still refused.
    _oauth_error(_json_authorize(hostile, body, bearer=tokens["access_token"], cookie=agent.authorization_cookie()), 403,
                 "access_denied")
    _simple_error(_consents(hostile, bearer=tokens["access_token"]), 403)
    assert _silent(hostile, agent, target).get("error") == "consent_required", "the refused call stored a consent"


def test_rule1_client_credentials_account_token_is_refused(hostile, unique_name):
    app = _client(hostile, unique_name, first_party=True, grant_types=["authorization_code", "client_credentials"],
                  scopes=["openid", "account"])
    target = _client(hostile, unique_name)
    issued = requests.post(hostile.token_endpoint, data={"grant_type": "client_credentials", "scope": "account"},
                           auth=(app["client_id"], app["client_secret"]), timeout=TIMEOUT)
    assert issued.status_code == 200, issued.text
    token = issued.json()["access_token"]
    hostile.remember_secret(token)
    assert issued.json()["scope"] == "account"
    body, _ = _json_body(target)
    _oauth_error(_json_authorize(hostile, body, bearer=token), 403, "access_denied")
    _simple_error(_consents(hostile, bearer=token), 403)
    # The administrator's token is a client token too: it speaks for no user.
    _oauth_error(_json_authorize(hostile, body, bearer=hostile.admin_token()), 403, "access_denied")


def test_rule1_session_cookie_alone_is_refused_by_the_json_api(hostile, unique_name):
    target = _client(hostile, unique_name)
    agent = _agent(hostile, unique_name)
    assert agent.signed_in()
    body, _ = _json_body(target)
    response = _json_authorize(hostile, body, cookie=agent.authorization_cookie())
    _oauth_error(response, 401, "login_required")
    assert response.headers.get("WWW-Authenticate", "").lower().startswith("bearer"), response.headers
    _simple_error(_consents(hostile, cookie=agent.authorization_cookie()), 401)
    # A form POST with the cookie is the browser flow: it asks for consent on the page, it does not approve.
    form = requests.post(hostile.api_url + "/oauth/authorize", data={**body, "approved": "true"},
                         headers={"Cookie": agent.authorization_cookie()}, allow_redirects=False, timeout=TIMEOUT)
    _to_page(agent, form, "consent")
    assert _silent(hostile, agent, target).get("error") == "consent_required", "a cookie-only call stored a consent"


def test_rule1_first_party_account_token_acts_on_its_own_session(hostile, unique_name):
    app = _first_party(hostile, unique_name)
    target = _client(hostile, unique_name)
    agent = _agent(hostile, unique_name)
    account = _tokens(hostile, agent, app, "openid account")
    assert "account" in account["scope"].split(), account
    own = _jwt_claims(account["id_token"])
    token = account["access_token"]

    undecided, _ = _json_body(target, approved=None)
    _oauth_error(_json_authorize(hostile, undecided, bearer=token), 400, "consent_required")
    foreign_user = dict(undecided, approved=True, user_id="01J00000000000000000000000")
    _oauth_error(_json_authorize(hostile, foreign_user, bearer=token), 403, "access_denied")

    body, verifier = _json_body(target)
    approved = _json_authorize(hostile, body, bearer=token)
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "s-json"
    tokens = _redeem(hostile, target, approved.json()["code"], verifier, redirect_uri=None)
    issued = _jwt_claims(tokens["id_token"])
    assert issued["sub"] == own["sub"], "the code is not for the token's user"
    assert issued["sid"] == own["sid"], "the code is not bound to the token's browser session"
    assert issued["auth_time"] == own["auth_time"], "the code does not carry the session's sign-in time"
    # The approval is the user's consent: the browser now gets a code without a page.
    assert "code" in _silent(hostile, agent, target), "the first-party approval stored no consent"

    listed = _consents(hostile, bearer=token)
    assert listed.status_code == 200, listed.text
    assert target["client_id"] in {item["client_id"] for item in listed.json()["items"]}, listed.text

    # The session ends: the token acts on nothing any more.
    agent.end_session(hostile.api_url + "/oauth/logout")
    assert not agent.signed_in()
    again, _ = _json_body(target)
    _oauth_error(_json_authorize(hostile, again, bearer=token), 401, "login_required")
    _simple_error(_consents(hostile, bearer=token), 401)


def test_rule1_account_scope_is_reserved_for_first_party_clients(hostile, admin_token, unique_name):
    admin = {"Authorization": "Bearer " + admin_token}
    base = {"name": unique_name("not-first-"), "redirect_uris": [REDIRECT_URI], "scopes": ["openid", "account"]}
    created = requests.post(hostile.api_url + "/admin/oauth/clients", json=base, headers=admin, timeout=TIMEOUT)
    assert "scopes" in _simple_error(created, 400)["message"]
    plain = _client(hostile, unique_name)
    updated = requests.put(hostile.api_url + f"/admin/oauth/clients/{plain['client_id']}",
                           json={"scopes": ["openid", "account"]}, headers=admin, timeout=TIMEOUT)
    assert "scopes" in _simple_error(updated, 400)["message"]
    item = requests.get(hostile.api_url + f"/admin/oauth/clients/{plain['client_id']}", headers=admin, timeout=TIMEOUT)
    assert "account" not in item.json()["data"]["scopes"], item.text

    for extra in ({}, {"first_party": True}):
        registered = requests.post(hostile.api_url + "/oauth/register", timeout=TIMEOUT, json={
            "client_name": unique_name("dcr-account-"), "redirect_uris": [REDIRECT_URI], "grant_types": ["authorization_code"],
            "response_types": ["code"], "scope": "openid account", **extra})
        assert registered.status_code != 500, registered.text
        if registered.status_code == 201:
            data = registered.json()
            hostile.remember_secret(data.get("client_secret"))
            hostile.remember_secret(data.get("registration_access_token"))
            assert "account" not in (data.get("scope") or "").split(), f"registration handed out account: {data}"
            assert not data.get("first_party"), data
        else:
            assert registered.status_code == 400, registered.text
            assert registered.json()["error"] in ("invalid_client_metadata", "invalid_scope"), registered.text


# -- rule 2 ----------------------------------------------------------------------------------

OUT_OF_SCOPE_CLAIMS = json.dumps({
    "id_token": {"email": {"essential": True}, "email_verified": None, "phone_number": None, "name": None},
    "userinfo": {"email": {"essential": True}, "email_verified": None, "phone_number": None, "name": None},
})


def test_rule2_claims_outside_the_clients_scopes_are_never_released(hostile, unique_name):
    client = _client(hostile, unique_name, scopes=["openid", "profile", "offline_access"])
    agent = _agent(hostile, unique_name)
    url, verifier = _authorize_url(hostile, client, "openid offline_access", claims=OUT_OF_SCOPE_CLAIMS)
    consent_url = _to_page(agent, agent.open(url), "consent")
    page = agent.open(consent_url)
    assert page.status_code == 200, page.text[:300]
    assert "Your full name" in page.text, "the consent page does not list the claim asked for within the scopes"
    for claim in ("Your email address", "Your phone number", "email address is verified"):
        assert claim not in page.text, f"the consent page offers {claim!r}, outside the client's scopes"
    decided = agent.submit_consent(page, "approve")
    landed = agent._follow(decided, REDIRECT_URI)
    assert isinstance(landed, str) and "code" in _query(landed), landed
    tokens = _redeem(hostile, client, _query(landed)["code"], verifier)

    leaked = {"email", "email_verified", "phone_number", "phone_number_verified"}
    id_token = _jwt_claims(tokens["id_token"])
    assert not leaked & set(id_token), f"the ID token released {leaked & set(id_token)}"
    assert id_token.get("name"), "the claim within the scopes and consent is missing: the claims parameter was not read"
    info = _userinfo(hostile, tokens["access_token"])
    assert not leaked & set(info), f"UserInfo released {leaked & set(info)}"
    assert info.get("name"), info

    refreshed = requests.post(hostile.token_endpoint, data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
                              auth=(client["client_id"], client["client_secret"]), timeout=TIMEOUT)
    assert refreshed.status_code == 200, refreshed.text
    for value in refreshed.json().values():
        if isinstance(value, str):
            hostile.remember_secret(value)
    if refreshed.json().get("id_token"):
        assert not leaked & set(_jwt_claims(refreshed.json()["id_token"])), refreshed.json()
    info = _userinfo(hostile, refreshed.json()["access_token"])
    assert not leaked & set(info), f"UserInfo after a refresh released {leaked & set(info)}"


def test_rule2_claims_beyond_the_consent_need_a_new_consent(hostile, unique_name):
    client = _client(hostile, unique_name, scopes=["openid", "email"])
    agent = _agent(hostile, unique_name)
    first = _tokens(hostile, agent, client, "openid")
    assert "email" not in _userinfo(hostile, first["access_token"]), "openid alone released the email"
    assert "code" in _silent(hostile, agent, client), "control: the openid consent covers a plain request"

    email = json.dumps({"userinfo": {"email": None}, "id_token": {"email": None}})
    assert _silent(hostile, agent, client, claims=email).get("error") == "consent_required", (
        "a claim the user never approved was covered by the openid consent")

    url, _ = _authorize_url(hostile, client, "openid", claims=email)
    page = agent.open(_to_page(agent, agent.open(url), "consent"))
    assert "Your email address" in page.text, "the consent page does not name the claim asked for"
    denied = agent._follow(agent.submit_consent(page, "deny"), REDIRECT_URI)
    assert isinstance(denied, str) and _query(denied).get("error") == "access_denied", denied
    assert _silent(hostile, agent, client, claims=email).get("error") == "consent_required"

    approved = _tokens(hostile, agent, client, "openid", claims=email)
    assert agent.consents == 1, "the approval went through the consent page"
    assert _jwt_claims(approved["id_token"]).get("email", "").endswith("@example.com"), "control: an approved claim is released"
    assert _userinfo(hostile, approved["access_token"]).get("email", "").endswith("@example.com")


# -- rule 4 ----------------------------------------------------------------------------------


def test_rule4_forged_sign_in_parameters_do_not_skip_prompt_login(hostile, unique_name):
    client = _client(hostile, unique_name)
    agent = _agent(hostile, unique_name)
    _tokens(hostile, agent, client, "openid")
    before = int(time.time())
    url, verifier = _authorize_url(hostile, client, "openid", prompt="login", **FORGED_PROGRESS)
    login_url = _to_page(agent, agent.open(url), "login")
    page = agent.open(login_url)
    assert page.status_code == 200 and any(form.has_input("password") for form in parse_forms(page.text)), (
        f"prompt=login did not show the login form again: {page.status_code} {page.text[:300]}")
    # The way back, with the old progress parameters added, still asks for the sign-in.
    return_to = _query(login_url)["return_to"]
    assert set(_query(return_to)) == {"authorization_request"}, return_to
    forged = agent.open(return_to + "&" + urlencode({**FORGED_PROGRESS, "prompt": "none"}))
    _to_page(agent, forged, "login")
    # Signing in for it completes the request, with a new auth_time.
    time.sleep(1.1)
    landed = agent._follow(agent.submit_login(page), REDIRECT_URI)
    assert isinstance(landed, str) and "code" in _query(landed), landed
    assert _jwt_claims(_redeem(hostile, client, _query(landed)["code"], verifier)["id_token"])["auth_time"] > before


def test_rule4_forged_consent_parameters_do_not_skip_prompt_consent(hostile, unique_name):
    client = _client(hostile, unique_name)
    agent = _agent(hostile, unique_name)
    _tokens(hostile, agent, client, "openid")
    url, _ = _authorize_url(hostile, client, "openid", prompt="consent", **FORGED_PROGRESS)
    consent_url = _to_page(agent, agent.open(url), "consent")
    handle = _query(consent_url)["authorization_request"]
    resumed = agent.open(hostile.api_url + "/oauth/authorize?" + urlencode({"authorization_request": handle, **FORGED_PROGRESS}))
    _to_page(agent, resumed, "consent")
    page = agent.open(consent_url)
    assert page.status_code == 200 and any(form.button("decision", "approve") for form in parse_forms(page.text)), page.text[:300]


def test_rule4_max_age_zero_forces_a_sign_in(hostile, unique_name):
    client = _client(hostile, unique_name)
    agent = _agent(hostile, unique_name)
    _tokens(hostile, agent, client, "openid")
    assert _silent(hostile, agent, client, max_age="0", **FORGED_PROGRESS).get("error") == "login_required"
    url, _ = _authorize_url(hostile, client, "openid", max_age="0", **FORGED_PROGRESS)
    login_url = _to_page(agent, agent.open(url), "login")
    assert any(form.has_input("password") for form in parse_forms(agent.open(login_url).text)), "no login form for max_age=0"
    _to_page(agent, agent.open(_query(login_url)["return_to"] + "&custos_signed_in_after=9999999999"), "login")
    assert "code" in _silent(hostile, agent, client, max_age="3600"), "control: a recent sign-in satisfies max_age=3600"


@pytest.fixture(scope="module")
def request_key() -> ECKey:
    return ECKey.generate_key("P-256", parameters={"kid": "authz-boundaries-key"})


def _request_object(server, client_id: str, key: ECKey, challenge: str, **claims) -> str:
    now = int(time.time())
    payload = {
        "iss": client_id, "aud": server.issuer, "iat": now, "nbf": now, "exp": now + 300, "jti": secrets.token_urlsafe(12),
        "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT_URI, "scope": "openid",
        "state": "signed", "code_challenge": challenge, "code_challenge_method": "S256", **claims,
    }
    header = {"alg": "ES256", "kid": "authz-boundaries-key", "typ": "oauth-authz-req+jwt"}
    return jwt.encode(header, payload, key)


def test_rule4_request_object_max_age_wins_over_the_query(hostile, unique_name, request_key):
    client = _client(hostile, unique_name, jwks=json.dumps({"keys": [request_key.as_dict(private=False)]}))
    agent = _agent(hostile, unique_name)
    _tokens(hostile, agent, client, "openid")
    _, challenge = _pkce()

    def authorize(query_max_age: str, **claims) -> requests.Response:
        obj = _request_object(hostile, client["client_id"], request_key, challenge, **claims)
        return agent.open(hostile.api_url + "/oauth/authorize?" + urlencode(
            {"client_id": client["client_id"], "request": obj, "max_age": query_max_age, "custos_signed_in_after": "9999999999"}))

    _to_page(agent, authorize("86400", max_age=0), "login")
    control = authorize("0", max_age=86400)
    location = control.headers.get("Location", "")
    assert location.startswith(REDIRECT_URI) and "code" in _query(location), (
        f"control: the signed max_age=86400 is satisfied by a fresh session: {control.status_code} {location}")


# -- rule 6 ----------------------------------------------------------------------------------


def _logout(agent: Agent, hint: str, with_redirect: bool = True) -> requests.Response:
    parameters = {"id_token_hint": hint}
    if with_redirect:
        parameters.update(post_logout_redirect_uri=POST_LOGOUT_URI, state="bye")
    return agent.open(agent.server.api_url + "/oauth/logout?" + urlencode(parameters))


def _confirmation(response: requests.Response) -> None:
    assert response.status_code == 200, f"{response.status_code} {response.headers.get('Location')} {response.text[:300]}"
    assert response.headers.get("Content-Type", "").startswith("text/html"), response.headers
    assert any(form.button("confirm", "yes") for form in parse_forms(response.text)), "no confirmation form"
    for cookie in response.headers.get("Set-Cookie", "").split(","):
        assert "max-age=0" not in cookie.lower() and "expires=thu, 01 jan 1970" not in cookie.lower(), (
            f"the confirmation page removed a cookie: {cookie}")


def test_rule6_foreign_id_token_hint_gets_the_confirmation_page(hostile, unique_name):
    client = _client(hostile, unique_name)
    alice = _agent(hostile, unique_name)
    hint = _tokens(hostile, alice, client, "openid")["id_token"]
    bob = _agent(hostile, unique_name)
    _tokens(hostile, bob, client, "openid")

    _confirmation(_logout(bob, hint))
    assert bob.signed_in(), "another user's hint signed bob out"
    assert "code" in _silent(hostile, bob, client), "bob's session no longer yields a code"

    # The same user in another browser: another session, the hint does not speak for it.
    alice_elsewhere = Agent(hostile, alice.username, PASSWORD)
    alice_elsewhere.sign_in()
    _confirmation(_logout(alice_elsewhere, hint, with_redirect=False))
    assert alice_elsewhere.signed_in()
    assert "code" in _silent(hostile, alice_elsewhere, client)

    # Control: the hint of the browser's own session signs it out at once, to the client.
    own = _logout(alice, hint)
    assert own.status_code in (302, 303) and own.headers.get("Location", "").startswith(POST_LOGOUT_URI), (
        f"the own-session hint did not sign out at once: {own.status_code} {own.text[:300]}")
    assert not alice.signed_in()
    assert _silent(hostile, alice, client).get("error") == "login_required"
    assert bob.signed_in() and alice_elsewhere.signed_in()


# -- rule 15 ---------------------------------------------------------------------------------


def test_rule15_consent_page_shows_the_stored_request_not_its_query(hostile, unique_name):
    client = _client(hostile, unique_name, name=unique_name("Stored Client "))
    other = _client(hostile, unique_name, name=unique_name("Forged Client "))
    agent = _agent(hostile, unique_name)
    consent_url, page = _consent_page(hostile, agent, client, "openid")
    assert client["name"] in page.text and "Know who you are" in page.text, page.text[:800]
    forged = agent.open(consent_url + "&" + urlencode({
        "client_id": other["client_id"], "scope": "openid profile email offline_access", "claims": OUT_OF_SCOPE_CLAIMS,
        "client_name": other["name"]}))
    assert forged.status_code != 500, forged.text[:300]
    if forged.status_code == 200:
        assert client["name"] in forged.text, "the page does not show the stored request's client"
        assert other["name"] not in forged.text, "the page shows the client_id edited into its URL"
        for scope in ("See your profile", "See your email address", "Stay connected", "Your email address"):
            assert scope not in forged.text, f"the page shows {scope!r} edited into its URL"
    else:
        _html_error(forged)


def test_rule15_bad_handles_get_a_clear_error_page(hostile, unique_name):
    client = _client(hostile, unique_name)
    agent = _agent(hostile, unique_name)
    consent = hostile.api_url + "/consent"
    _html_error(agent.open(consent + "?" + urlencode({"client_id": client["client_id"], "scope": "openid"})))
    for handle in ("x", secrets.token_urlsafe(32), "A" * 65, "A" * 4000, "%00%ff", "../../admin"):
        for url in (consent + "?authorization_request=" + handle,
                    hostile.api_url + "/oauth/authorize?authorization_request=" + handle):
            _html_error(agent.open(url))
        page = agent.open(hostile.api_url + "/account")
        csrf = next(form.fields()["csrf_token"] for form in parse_forms(page.text) if "csrf_token" in form.fields())
        posted = agent.session.post(consent, data={"csrf_token": csrf, "authorization_request": handle, "decision": "approve"},
                                    allow_redirects=False, timeout=TIMEOUT)
        _html_error(posted)
    assert _silent(hostile, agent, client).get("error") == "consent_required"


def test_rule15_edited_approval_fields_grant_only_the_stored_request(hostile, unique_name):
    client = _client(hostile, unique_name, scopes=["openid", "profile", "email", "offline_access"])
    other = _client(hostile, unique_name)
    agent = _agent(hostile, unique_name)
    url, verifier = _authorize_url(hostile, client, "openid")
    page = agent.open(_to_page(agent, agent.open(url), "consent"))
    decided = agent.submit_consent(
        page, "approve", scope="openid profile email offline_access api.read", scopes="openid profile email",
        client_id=other["client_id"], claims=json.dumps({"userinfo": {"email": None}}), redirect_uri="https://evil.example/cb")
    landed = agent._follow(decided, REDIRECT_URI)
    assert isinstance(landed, str) and "code" in _query(landed), landed
    tokens = _redeem(hostile, client, _query(landed)["code"], verifier)
    assert tokens["scope"] == "openid", f"the edited approval widened the grant: {tokens['scope']}"
    assert "email" not in _userinfo(hostile, tokens["access_token"])
    assert "code" in _silent(hostile, agent, client, "openid"), "control: the stored request's scopes were approved"
    for scope in ("openid profile", "openid email"):
        assert _silent(hostile, agent, client, scope).get("error") == "consent_required", f"{scope} was consented by an edited field"
    assert _silent(hostile, agent, client, "openid", claims=json.dumps({"userinfo": {"email": None}})).get("error") == "consent_required"
    assert _silent(hostile, agent, other).get("error") == "consent_required", "the edited client_id got a consent"


def test_rule15_handle_is_single_use(hostile, unique_name):
    client = _client(hostile, unique_name)
    agent = _agent(hostile, unique_name)
    consent_url, page = _consent_page(hostile, agent, client, "openid")
    handle = _query(consent_url)["authorization_request"]
    decided = agent.submit_consent(page, "approve")
    resume = agent.url(decided.headers["Location"])
    assert _query(resume) == {"authorization_request": handle}, resume
    first = agent.open(resume)
    assert first.headers.get("Location", "").startswith(REDIRECT_URI) and "code" in _query(first.headers["Location"]), first.text[:300]
    assert "expired or was already answered" in _html_error(agent.open(resume))
    _html_error(agent.open(consent_url))
    _html_error(agent.submit_consent(page, "approve"))
    _html_error(agent.submit_consent(page, "deny"))


def test_rule15_another_sessions_decision_does_not_answer_for_this_one(hostile, unique_name):
    client = _client(hostile, unique_name, name=unique_name("Pending Client "))
    alice = _agent(hostile, unique_name)
    mallory = _agent(hostile, unique_name)
    consent_url, _ = _consent_page(hostile, alice, client, "openid")
    handle = _query(consent_url)["authorization_request"]
    seen = mallory.open(consent_url + "&scope=openid+email")
    assert seen.status_code != 500, seen.text[:300]
    if seen.status_code == 200:
        assert client["name"] in seen.text and "See your email address" not in seen.text, seen.text[:800]
        approved = mallory.submit_consent(seen, "approve")
        assert approved.status_code != 500 and approved.status_code < 500, approved.text[:300]
    else:
        _html_error(seen)
    # Alice's request is not answered by mallory's decision: she is asked herself.
    resumed = alice.open(hostile.api_url + "/oauth/authorize?" + urlencode({"authorization_request": handle}))
    assert not resumed.headers.get("Location", "").startswith(REDIRECT_URI), (
        f"another session's approval answered alice's request: {resumed.headers.get('Location')}")
    assert resumed.status_code != 500
    assert _silent(hostile, alice, client).get("error") == "consent_required", "mallory's approval became alice's consent"
