"""What the FAPI interop tests share: a confidential FAPI client (its private_key_jwt signing
key, its DPoP key and the server's last DPoP nonce) and the browser steps of an authorization
request (sign in, allow, land on the relying party's https redirect URI)."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
import uuid

import requests
from joserfc import jwt
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

REDIRECT_URI = "https://fapi-rp.example/cb"
SCOPE = "openid profile"
TIMEOUT = 10
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_json(segment: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


class FAPIClient:
    """A confidential FAPI 2.0 client: its signing key (private_key_jwt), its DPoP key, and the
    last DPoP nonce the server gave it."""

    def __init__(self, server, discovery: dict, client_id: str, signing_key, dpop_key) -> None:
        self.server = server
        self.discovery = discovery
        self.client_id = client_id
        self.signing_key = signing_key
        self.dpop_key = dpop_key
        self.nonce: str | None = None

    def assertion(self) -> str:
        now = int(time.time())
        claims = {"iss": self.client_id, "sub": self.client_id, "aud": self.server.issuer,
                  "jti": str(uuid.uuid4()), "iat": now, "exp": now + 60}
        value = jwt.encode({"alg": "ES256", "kid": self.signing_key.kid}, claims, self.signing_key)
        self.server.remember_secret(value)
        return value

    def proof(self, method: str, url: str, access_token: str | None = None) -> str:
        claims = {"jti": secrets.token_urlsafe(16), "htm": method, "htu": url, "iat": int(time.time())}
        if self.nonce:
            claims["nonce"] = self.nonce
        if access_token:
            claims["ath"] = b64url(hashlib.sha256(access_token.encode()).digest())
        header = {"typ": "dpop+jwt", "alg": "EdDSA", "jwk": self.dpop_key.as_dict(private=False)}
        return jwt.encode(header, claims, self.dpop_key, algorithms=["EdDSA"])

    @property
    def thumbprint(self) -> str:
        return self.dpop_key.thumbprint()

    def send(self, method: str, url: str, *, data: dict | None = None, access_token: str | None = None,
             authenticate: bool = True, scheme: str = "DPoP") -> requests.Response:
        """One request with a fresh assertion and proof; a ``use_dpop_nonce`` refusal is
        retried once with the nonce it carries (RFC 9449 §8.1), as a client must."""
        for _ in range(2):
            headers = {"DPoP": self.proof(method, url, access_token)}
            if access_token:
                headers["Authorization"] = f"{scheme} {access_token}"
            body = dict(data or {})
            if authenticate:
                body.update(client_id=self.client_id, client_assertion_type=ASSERTION_TYPE, client_assertion=self.assertion())
            response = requests.request(method, url, data=body or None, headers=headers, timeout=TIMEOUT,
                                        allow_redirects=False)
            if "DPoP-Nonce" in response.headers:
                self.nonce = response.headers["DPoP-Nonce"]
            challenge = response.headers.get("WWW-Authenticate", "")
            wants_nonce = 'error="use_dpop_nonce"' in challenge or (
                response.status_code == 400 and response.headers.get("Content-Type", "").startswith("application/json")
                and response.json().get("error") == "use_dpop_nonce")
            if not wants_nonce:
                return response
            assert response.headers.get("DPoP-Nonce"), "a use_dpop_nonce refusal must carry a DPoP-Nonce header"
        return response


def wait(driver: WebDriver, seconds: float = 15) -> WebDriverWait:
    return WebDriverWait(driver, seconds)


def visible_button(driver: WebDriver, text: str):
    matches = [b for b in driver.find_elements(By.CSS_SELECTOR, "button") if b.text.strip() == text]
    assert len(matches) == 1, f"expected one {text!r} button on {driver.current_url}: {driver.find_element(By.TAG_NAME, 'body').text!r}"
    return matches[0]


def authorize_in_browser(driver: WebDriver, url: str, person: dict) -> str:
    """Opens ``url``, signs in, allows the request; returns the URL the browser was sent to."""
    try:
        driver.get(url)
    except Exception:  # noqa: BLE001 - a redirect to the absent relying party ends the load with an error
        pass
    wait(driver).until(expected_conditions.presence_of_element_located((By.ID, "password")))
    driver.find_element(By.ID, "username").send_keys(person["username"])
    driver.find_element(By.ID, "password").send_keys(person["password"])
    visible_button(driver, "Sign in").click()
    wait(driver).until(lambda d: d.current_url.startswith(REDIRECT_URI) or d.find_elements(By.CSS_SELECTOR, "button[value=approve]"))
    if not driver.current_url.startswith(REDIRECT_URI):
        visible_button(driver, "Allow").click()
    wait(driver).until(lambda d: d.current_url.startswith(REDIRECT_URI))
    return driver.current_url


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    return verifier, b64url(hashlib.sha256(verifier.encode()).digest())
