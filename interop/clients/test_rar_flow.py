"""Rich authorization requests (RFC 9396) end to end, as a banking client would run them.

A confidential client registered with ``authorization_details_types`` sends
``authorization_details`` (a JSON array) to ``/authorize``; headless Chromium signs in on the
login page and finds every detail on the consent page in readable form (checked in the page
text and in a screenshot that must be a real PNG); the code is redeemed with ``requests``, and
the details come back in the token response and in the JWT access token (verified with joserfc
against the published JWKS) and in introspection. Then what the RFC forbids: a token request
or a refresh asking for more than was approved (``invalid_authorization_details``), and a type
the client did not register (the error redirected to the client).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import subprocess
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from joserfc import jwt
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

REDIRECT_URI = "https://rar-rp.example/cb"
TIMEOUT = 10
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

DETAILS = [
    {
        "type": "account_information",
        "actions": ["list_accounts", "read_balances"],
        "locations": ["https://bank.example/accounts"],
        "datatypes": ["balance"],
        "identifier": "acc-<42>",
    },
    {
        "type": "payment_initiation",
        "actions": ["initiate"],
        "locations": ["https://bank.example/payments"],
        "instructedAmount": {"currency": "EUR", "amount": "123.50"},
        "creditorName": "Merchant A",
    },
]
NARROWER = [dict(DETAILS[0], actions=["read_balances"])]
WIDER = [dict(DETAILS[0], actions=["list_accounts", "read_balances", "transfer"])]


@pytest.fixture(scope="module")
def discovery(custos_server) -> dict:
    response = requests.get(custos_server.base_url + "/.well-known/openid-configuration", timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    metadata = response.json()
    assert isinstance(metadata.get("authorization_details_types_supported"), list), metadata.keys()
    return metadata


@pytest.fixture
def person(custos_server, unique_name) -> dict:
    username = unique_name("rar")
    password = "pw-" + secrets.token_urlsafe(18)
    custos_server.create_user(username=username, email=f"{username}@example.com", password=password, name="Rich Request")
    return {"username": username, "password": password}


@pytest.fixture
def rar_client(custos_server, unique_name) -> dict:
    return custos_server.create_client(
        name=unique_name("rar-client"),
        redirect_uris=[REDIRECT_URI],
        grant_types=["authorization_code", "refresh_token"],
        scopes=["openid", "offline_access"],
        authorization_details_types=["account_information", "payment_initiation"],
    )


def wait(driver, seconds: float = 15) -> WebDriverWait:
    return WebDriverWait(driver, seconds)


def click(driver, text: str) -> None:
    matches = [b for b in driver.find_elements(By.CSS_SELECTOR, "button") if b.text.strip() == text]
    assert len(matches) == 1, f"{len(matches)} buttons {text!r} on {driver.current_url}"
    matches[0].click()


def token_request(custos_server, client: dict, **fields) -> requests.Response:
    return requests.post(custos_server.token_endpoint, data=fields, auth=(client["client_id"], client["client_secret"]),
                         timeout=TIMEOUT)


def verified_claims(token: str, key_set, discovery: dict) -> dict:
    """The access token's claims, verified with joserfc against the JWKS under its header's alg."""
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    alg = header.get("alg")
    assert alg in discovery["id_token_signing_alg_values_supported"] and alg != "none", header
    assert header.get("typ") == "at+jwt", header
    return jwt.decode(token, key_set, algorithms=[alg]).claims


def test_rar_details_on_the_consent_page_and_in_the_tokens(custos_server, discovery, key_set, rar_client, person, browser,
                                                            tmp_path):
    client = rar_client
    client_id = client["client_id"]
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    state = "st-" + secrets.token_urlsafe(8)
    authorize_url = discovery["authorization_endpoint"] + "?" + urlencode({
        "client_id": client_id, "response_type": "code", "redirect_uri": REDIRECT_URI, "scope": "openid offline_access",
        "state": state, "code_challenge": challenge, "code_challenge_method": "S256",
        "authorization_details": json.dumps(DETAILS),
    })

    browser.get(authorize_url)
    wait(browser).until(expected_conditions.presence_of_element_located((By.ID, "password")))
    browser.find_element(By.ID, "username").send_keys(person["username"])
    browser.find_element(By.ID, "password").send_keys(person["password"])
    click(browser, "Sign in")
    wait(browser).until(lambda d: urlsplit(d.current_url).path == "/api/v1/consent")
    for cookie in browser.get_cookies():
        custos_server.remember_secret(cookie.get("value"))

    # RFC 9396 §3: the user sees what each detail allows before approving it.
    text = browser.find_element(By.TAG_NAME, "body").text
    for expected in (
        "account_information", "Actions: list_accounts, read_balances", "Locations: https://bank.example/accounts",
        "Data types: balance", "Identifier: acc-<42>", "payment_initiation", "Actions: initiate",
        "creditorName: Merchant A", 'instructedAmount: {"amount":"123.50","currency":"EUR"}',
    ):
        assert expected in text, f"{expected!r} is not on the consent page: {text!r}"
    assert "acc-&lt;42&gt;" in browser.page_source, "the identifier must reach the page escaped"
    screenshot = browser.get_screenshot_as_png()
    assert screenshot.startswith(PNG_SIGNATURE) and len(screenshot) > 1000, "the consent page screenshot is not a PNG"
    (tmp_path / "rar-consent.png").write_bytes(screenshot)

    click(browser, "Allow")
    wait(browser).until(lambda d: d.current_url.startswith(REDIRECT_URI))
    answer = parse_qs(urlsplit(browser.current_url).query)
    assert answer.get("state") == [state], browser.current_url
    code = answer["code"][0]
    custos_server.remember_secret(code)
    redemption = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI, "code_verifier": verifier}

    # §6.1: asking for more than was approved is refused, and leaves the code usable.
    wider = token_request(custos_server, client, **redemption, authorization_details=json.dumps(WIDER))
    assert wider.status_code == 400, wider.text
    assert wider.json()["error"] == "invalid_authorization_details", wider.text

    token = token_request(custos_server, client, **redemption)
    assert token.status_code == 200, token.text
    tokens = token.json()
    for name in ("access_token", "refresh_token", "id_token"):
        custos_server.remember_secret(tokens.get(name))
    assert tokens["authorization_details"] == DETAILS, tokens.get("authorization_details")
    claims = verified_claims(tokens["access_token"], key_set, discovery)
    assert claims["authorization_details"] == DETAILS, claims
    assert claims["client_id"] == client_id

    introspection = requests.post(discovery["introspection_endpoint"], data={"token": tokens["access_token"]},
                                  auth=(client_id, client["client_secret"]), timeout=TIMEOUT)
    assert introspection.status_code == 200, introspection.text
    assert introspection.json()["active"] is True
    assert introspection.json()["authorization_details"] == DETAILS, introspection.json()

    # §6: a refresh may narrow the grant's details, never widen them.
    narrowed = token_request(custos_server, client, grant_type="refresh_token", refresh_token=tokens["refresh_token"],
                             authorization_details=json.dumps(NARROWER))
    assert narrowed.status_code == 200, narrowed.text
    custos_server.remember_secret(narrowed.json()["access_token"])
    assert narrowed.json()["authorization_details"] == NARROWER
    assert verified_claims(narrowed.json()["access_token"], key_set, discovery)["authorization_details"] == NARROWER
    widened = token_request(custos_server, client, grant_type="refresh_token", refresh_token=tokens["refresh_token"],
                            authorization_details=json.dumps(WIDER))
    assert widened.status_code == 400, widened.text
    assert widened.json()["error"] == "invalid_authorization_details", widened.text


def test_rar_type_the_client_did_not_register_is_redirected_as_an_error(custos_server, discovery, rar_client):
    unregistered = [{"type": "tax_filing", "actions": ["submit"]}]
    response = requests.get(discovery["authorization_endpoint"], allow_redirects=False, timeout=TIMEOUT, params={
        "client_id": rar_client["client_id"], "response_type": "code", "redirect_uri": REDIRECT_URI, "scope": "openid",
        "state": "st-unregistered", "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        "code_challenge_method": "S256", "authorization_details": json.dumps(unregistered),
    })
    assert response.status_code in (302, 303), (response.status_code, response.text[:300])
    location = response.headers["Location"]
    assert location.startswith(REDIRECT_URI), location
    answer = parse_qs(urlsplit(location).query)
    assert answer.get("error") == ["invalid_authorization_details"], location
    assert answer.get("state") == ["st-unregistered"]
    assert "code" not in answer


def test_operator_types_are_listed_and_a_malformed_one_stops_the_server(custos_server, tmp_path):
    """``CUSTOS_AUTHORIZATION_DETAILS_TYPES`` (comma or space separated) reaches discovery; a
    malformed type stops ``custos serve`` at start-up with a message naming the setting."""
    from conftest import CustosServer, _free_port, fresh_database

    class OperatorTypesServer(CustosServer):
        types = "tax_filing, payment_initiation tax_filing"

        def environment(self) -> dict[str, str]:
            env = super().environment()
            env["CUSTOS_AUTHORIZATION_DETAILS_TYPES"] = self.types
            return env

    directory = tmp_path / "operator-types"
    directory.mkdir()
    server = OperatorTypesServer(binary=custos_server.binary, directory=directory, port=_free_port(),
                                 postgres_database=fresh_database())
    server.start()
    try:
        metadata = requests.get(server.base_url + "/.well-known/openid-configuration", timeout=TIMEOUT).json()
        assert metadata["authorization_details_types_supported"] == ["payment_initiation", "tax_filing"], metadata
    finally:
        server.stop()

    env = server.environment()
    env["CUSTOS_AUTHORIZATION_DETAILS_TYPES"] = "payment_initiation," + "x" * 201
    refused = subprocess.run([str(server.binary), "serve", "--port", str(_free_port()), "--database", server.database],
                             env=env, cwd=directory, capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0, "a malformed operator type must stop the server"
    assert "CUSTOS_AUTHORIZATION_DETAILS_TYPES" in refused.stderr + refused.stdout, refused.stderr[-500:]
