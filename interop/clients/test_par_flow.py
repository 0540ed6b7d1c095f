"""Pushed authorization requests (RFC 9126) end to end.

A confidential client authenticating with ``private_key_jwt`` (the assertion made with joserfc)
pushes its authorization request with ``requests``; headless Chromium then opens
``/authorize?client_id=…&request_uri=…`` only, signs in on the login page and allows on the
consent page; the code that reaches the client's loopback redirect URI is redeemed. The same
``request_uri`` again is refused (RFC 9126 §4: one-time use) on the error page, without a
redirect.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import ECKey
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

TIMEOUT = 10
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class _Callback(BaseHTTPRequestHandler):
    """The relying party's redirect URI: remembers the query it was called with."""

    received: list[dict[str, list[str]]] = []

    def do_GET(self):  # noqa: N802 (the stdlib's name)
        target = urlsplit(self.path)
        if target.path == "/cb":  # not the browser's /favicon.ico
            type(self).received.append(parse_qs(target.query))
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"received")

    def log_message(self, *args):
        pass


@pytest.fixture
def callback():
    """A loopback HTTP server standing in for the client's redirect URI."""
    handler = type("Callback", (_Callback,), {"received": []})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/cb", handler.received
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def person(custos_server, unique_name):
    username = unique_name("par-user")
    password = "pw-" + secrets.token_urlsafe(18)
    custos_server.create_user(username=username, email=f"{username}@example.com", password=password, name="Par User")
    return {"username": username, "password": password}


def wait(driver, seconds: float = 10) -> WebDriverWait:
    return WebDriverWait(driver, seconds)


def click(driver, text: str) -> None:
    matches = [b for b in driver.find_elements(By.CSS_SELECTOR, "button, input[type=submit]")
               if (b.text or b.get_attribute("value") or "").strip() == text]
    assert len(matches) == 1, f"{len(matches)} buttons {text!r} on {driver.current_url}"
    matches[0].click()


def assertion(custos_server, key: ECKey, kid: str, client_id: str) -> str:
    """An RFC 7523 client assertion; its audience is the issuer (pinned rule 5)."""
    now = int(time.time())
    value = jwt.encode(
        {"alg": "ES256", "kid": kid, "typ": "JWT"},
        {"iss": client_id, "sub": client_id, "aud": custos_server.issuer, "iat": now, "exp": now + 60,
         "jti": secrets.token_urlsafe(16)},
        key,
    )
    custos_server.remember_secret(value)
    return value


def test_pushed_request_signed_in_and_consented_in_chromium(custos_server, browser, callback, person, unique_name):
    redirect_uri, received = callback
    discovery = requests.get(custos_server.base_url + "/.well-known/openid-configuration", timeout=TIMEOUT).json()
    par_endpoint = discovery["pushed_authorization_request_endpoint"]
    assert par_endpoint == custos_server.api_url + "/oauth/pushed-authorization"
    assert discovery["require_pushed_authorization_requests"] is False

    kid = "par-" + secrets.token_hex(4)
    key = ECKey.generate_key("P-256", parameters={"kid": kid, "use": "sig"}, private=True)
    public = key.as_dict(private=False)
    assert "d" not in public
    client = custos_server.create_client(
        name=unique_name("par client "), redirect_uris=[redirect_uri], grant_types=["authorization_code"],
        scopes=["openid", "profile"], client_auth_methods=["private_key_jwt"], jwks=json.dumps({"keys": [public]}),
        require_pushed_authorization_requests=True,
    )
    client_id = client["client_id"]
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    state = secrets.token_urlsafe(12)
    nonce = secrets.token_urlsafe(12)

    # The client requires PAR: the plain request is refused on the error page.
    plain = requests.get(custos_server.api_url + "/oauth/authorize?" + urlencode({
        "client_id": client_id, "response_type": "code", "redirect_uri": redirect_uri, "scope": "openid",
        "code_challenge": challenge, "code_challenge_method": "S256", "state": state,
    }), allow_redirects=False, timeout=TIMEOUT)
    assert plain.status_code == 400 and "Location" not in plain.headers, (plain.status_code, plain.headers)

    pushed = requests.post(par_endpoint, data={
        "client_id": client_id, "response_type": "code", "redirect_uri": redirect_uri, "scope": "openid profile",
        "state": state, "nonce": nonce, "code_challenge": challenge, "code_challenge_method": "S256",
        "client_assertion_type": ASSERTION_TYPE, "client_assertion": assertion(custos_server, key, kid, client_id),
    }, timeout=TIMEOUT)
    assert pushed.status_code == 201, f"push: {pushed.status_code} {pushed.text}"
    assert pushed.headers["Cache-Control"] == "no-store"
    body = pushed.json()
    request_uri = body["request_uri"]
    assert request_uri.startswith("urn:ietf:params:oauth:request_uri:") and 0 < body["expires_in"] < 600, body

    # RFC 9126 §4: the browser carries client_id and request_uri only.
    authorize_url = custos_server.api_url + "/oauth/authorize?" + urlencode({"client_id": client_id, "request_uri": request_uri})
    browser.get(authorize_url)
    wait(browser).until(expected_conditions.presence_of_element_located((By.ID, "password")))
    browser.find_element(By.ID, "username").send_keys(person["username"])
    browser.find_element(By.ID, "password").send_keys(person["password"])
    click(browser, "Sign in")
    wait(browser).until(lambda d: urlsplit(d.current_url).path == "/api/v1/consent")
    for cookie in browser.get_cookies():
        custos_server.remember_secret(cookie.get("value"))
    click(browser, "Allow")
    wait(browser).until(lambda d: d.current_url.startswith(redirect_uri))
    assert len(received) == 1, received
    answer = received[0]
    assert answer["state"] == [state] and answer["iss"] == [custos_server.issuer], answer
    code = answer["code"][0]
    custos_server.remember_secret(code)

    token = requests.post(custos_server.token_endpoint, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri, "code_verifier": verifier,
        "client_assertion_type": ASSERTION_TYPE, "client_assertion": assertion(custos_server, key, kid, client_id),
    }, timeout=TIMEOUT)
    assert token.status_code == 200, f"token: {token.status_code} {token.text}"
    tokens = token.json()
    for name in ("access_token", "id_token", "refresh_token"):
        custos_server.remember_secret(tokens.get(name))
    assert tokens["scope"] == "openid profile"
    id_claims = json.loads(base64.urlsafe_b64decode(tokens["id_token"].split(".")[1] + "=="))
    assert id_claims["nonce"] == nonce and id_claims["aud"] == client_id, id_claims

    # The request_uri again: one-time use, refused on the error page, nothing reaches the client.
    browser.get(authorize_url)
    wait(browser).until(lambda d: "request_uri" in d.find_element(By.TAG_NAME, "body").text)
    assert urlsplit(browser.current_url).path == "/api/v1/oauth/authorize"
    assert len(received) == 1, "the replayed request_uri reached the redirect URI"
    replay = requests.get(authorize_url, allow_redirects=False, timeout=TIMEOUT)
    assert replay.status_code == 400 and "Location" not in replay.headers, (replay.status_code, replay.headers)
