"""Apache httpd + mod_auth_openidc as the relying party, a person in headless Chromium.

A confidential client (client_secret_basic, PKCE S256, authorization_code + refresh_token,
the http loopback redirect URI ``http://127.0.0.1:<apache>/protected/redirect_uri``) protects
``/protected/`` on an Apache of the test's own (``apache_support.ApacheRP``). The person opens
it, is sent to Custos's sign-in page, signs in, allows the client, and lands back on the
protected page, which shows the claims mod_auth_openidc got (sub, email, name). Logging out
through mod_auth_openidc (``<redirect_uri>?logout=<url>``) goes through Custos's
end_session_endpoint (OpenID Connect RP-Initiated Logout 1.0) with the ID token as
``id_token_hint`` and ends at the logout URL, the ``post_logout_redirect_uri``; the protected
page then asks Custos to sign in again.

The client is registered two ways, one test each: through the admin API
(``POST /admin/oauth/clients``), and through dynamic registration (RFC 7591), which is where
OpenID client metadata such as ``post_logout_redirect_uris`` is documented.

Uses Debian's apache2, libapache2-mod-auth-openidc, chromium and chromium-driver
(``scripts/interop`` installs them when missing). On failure the assertion carries Apache's
error log (``LogLevel auth_openidc:debug``), its access log and the browser's page.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
import traceback
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import requests
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from apache_support import LOGGED_OUT_TEXT, ApacheRP, free_port, missing_packages

HTTP_TIMEOUT = 10.0
LOGIN_PATH = "/api/v1/login"
END_SESSION_PATH = "/api/v1/oauth/logout"
SCREENSHOT = Path("/tmp/custos-mod-auth-openidc.png")


# -- fixtures --------------------------------------------------------------------------------


@pytest.fixture
def person(custos_server, unique_name):
    """A fresh user: id, username, email, password and display name."""
    username = unique_name("grace")
    password = "pw-" + secrets.token_urlsafe(18)
    email = f"{username}@example.com"
    name = "Grace Hopper"
    user_id = custos_server.create_user(username=username, email=email, password=password, name=name)
    return {"id": user_id, "username": username, "email": email, "password": password, "name": name}


@pytest.fixture
def apache_rp(custos_server, request):
    """Starts Apache with mod_auth_openidc for a client the test registers; stops it after.

    Yields a function ``start(client_id, client_secret) -> ApacheRP``; the port (and so the
    redirect URI to register) is known beforehand from ``start.rp``."""
    missing = missing_packages()
    if missing:
        pytest.fail(f"missing Debian packages {' '.join(missing)}: scripts/interop installs them", pytrace=False)
    rp = ApacheRP(port=free_port(), metadata_url=custos_server.base_url + "/.well-known/openid-configuration")
    custos_server.remember_secret(rp.crypto_passphrase)

    def start(client_id: str, client_secret: str) -> ApacheRP:
        rp.client_id, rp.client_secret = client_id, client_secret
        custos_server.remember_secret(client_secret)
        problem = None
        try:
            rp.start()
        except RuntimeError as error:
            problem = str(error)
        if problem:
            pytest.fail(redact(problem, custos_server), pytrace=False)
        return rp

    start.rp = rp
    failures_before = request.session.testsfailed
    try:
        yield start
    finally:
        rp.stop()
        if request.session.testsfailed > failures_before or os.environ.get("CUSTOS_INTEROP_KEEP"):
            capture = request.config.pluginmanager.get_plugin("capturemanager")
            with capture.global_and_fixture_disabled():
                print(f"\ninterop: kept Apache's folder {rp.directory}")
        else:
            rp.cleanup()


# -- helpers ---------------------------------------------------------------------------------


def body_text(driver: WebDriver) -> str:
    try:
        return driver.find_element(By.TAG_NAME, "body").text
    except WebDriverException as error:
        return f"(no page body: {error.__class__.__name__})"


def button(driver: WebDriver, text: str):
    matches = [b for b in driver.find_elements(By.CSS_SELECTOR, "button, input[type=submit]")
               if (b.text or b.get_attribute("value") or "").strip() == text]
    assert len(matches) == 1, f"{len(matches)} buttons {text!r} on {driver.current_url}; page says: {body_text(driver)!r}"
    return matches[0]


def wait_for(driver: WebDriver, condition, what: str, seconds: float = 15):
    """Waits for ``condition(driver)``; on time-out fails naming ``what`` and where the browser is."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            result = condition(driver)
        except WebDriverException:
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(
                f"timed out after {seconds:.0f} s waiting for {what}; the browser is at "
                f"{driver.current_url}\npage says: {body_text(driver)[:2000]!r}"
            )
        time.sleep(0.1)


def on_login_page(server):
    def check(driver: WebDriver) -> bool:
        url = urlsplit(driver.current_url)
        return (
            f"{url.scheme}://{url.netloc}" == server.base_url
            and url.path == LOGIN_PATH
            and bool(driver.find_elements(By.ID, "password"))
        )
    return check


def page_values(driver: WebDriver) -> dict[str, str]:
    """The ``name=value`` lines the claims CGI script prints."""
    values = {}
    for line in body_text(driver).splitlines():
        name, sep, value = line.partition("=")
        if sep:
            values[name.strip()] = value.strip()
    return values


def remember_cookies(driver: WebDriver, server) -> None:
    # Custos's and mod_auth_openidc's cookies share the host 127.0.0.1 (cookies ignore the
    # port), so the browser sends each server the other's: none may reach Custos's log.
    for cookie in driver.get_cookies():
        server.remember_secret(cookie.get("value"))


def redact(text: str, server) -> str:
    for secret in sorted(server.known_secrets, key=len, reverse=True):
        text = text.replace(secret, f"<secret {secret[:6]}…>")
    return text


def remember_protocol_values(rp: ApacheRP, server) -> None:
    for value in rp.logged_credentials():
        server.remember_secret(value)


@contextlib.contextmanager
def apache_diagnostics(rp: ApacheRP, driver: WebDriver, server):
    """Turns a failure into one message with Apache's logs and the browser's page attached."""
    failure = None
    try:
        yield
    except (AssertionError, WebDriverException) as error:
        with contextlib.suppress(Exception):
            remember_cookies(driver, server)
        remember_protocol_values(rp, server)
        try:
            where = f"browser at {driver.current_url}\npage says: {body_text(driver)[:2000]!r}"
        except Exception as problem:  # the browser itself may be gone
            where = f"(browser unavailable: {problem})"
        with contextlib.suppress(Exception):
            driver.save_screenshot(str(SCREENSHOT))
        frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename == __file__]
        line = f"{Path(__file__).name}:{frames[-1].lineno}: {frames[-1].line}\n" if frames else ""
        failure = f"{line}{error.__class__.__name__}: {error}\n\n{where}\n\n{rp.log_tail()}"
    else:
        remember_protocol_values(rp, server)
    if failure is not None:
        # Not chained to the original exception: its text is in the message already.
        raise pytest.fail.Exception(redact(failure, server), pytrace=False) from None


def register_with_admin_api(server, rp: ApacheRP, name: str) -> tuple[str, str]:
    data = server.create_client(
        name=name,
        is_confidential=True,
        client_auth_methods=["client_secret_basic"],
        grant_types=["authorization_code", "refresh_token"],
        redirect_uris=[rp.redirect_uri],
        scopes=["openid", "email", "profile"],
        # OpenID client metadata (RP-Initiated Logout 1.0 §3.1); needed for the logout step.
        post_logout_redirect_uris=[rp.logged_out_url],
    )
    assert data["is_confidential"] is True
    assert data["redirect_uris"] == [rp.redirect_uri], (
        f"the admin API changed the http loopback redirect URI of a confidential client: {data['redirect_uris']}"
    )
    assert data["client_secret"], "a client_secret_basic client got no secret"
    return data["client_id"], data["client_secret"]


def register_dynamically(server, rp: ApacheRP, name: str) -> tuple[str, str]:
    response = requests.post(
        server.api_url + "/oauth/register",
        json={
            "client_name": name,
            "redirect_uris": [rp.redirect_uri],
            "post_logout_redirect_uris": [rp.logged_out_url],
            "token_endpoint_auth_method": "client_secret_basic",
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            "scope": "openid email profile",
        },
        timeout=HTTP_TIMEOUT,
    )
    assert response.status_code == 201, f"dynamic registration: {response.status_code} {response.text}"
    data = response.json()
    server.remember_secret(data.get("client_secret"))
    server.remember_secret(data.get("registration_access_token"))
    assert data.get("post_logout_redirect_uris") == [rp.logged_out_url], data
    return data["client_id"], data["client_secret"]


# -- the test --------------------------------------------------------------------------------


@pytest.mark.parametrize("registration", ["admin_api", "dynamic_registration"])
def test_mod_auth_openidc_sign_in_claims_and_logout(custos_server, apache_rp, browser, person, unique_name, registration):
    rp = apache_rp.rp
    register = register_with_admin_api if registration == "admin_api" else register_dynamically
    client_id, client_secret = register(custos_server, rp, unique_name("apache-openidc-"))
    rp = apache_rp(client_id, client_secret)

    with apache_diagnostics(rp, browser, custos_server):
        # 1. The protected page sends the browser to Custos: authorization request with PKCE S256.
        browser.get(rp.protected_url)
        wait_for(browser, on_login_page(custos_server), "Custos's sign-in page after opening /protected/")
        remember_cookies(browser, custos_server)

        # 2. Sign in.
        field = browser.find_element(By.ID, "username")
        field.clear()
        field.send_keys(person["username"])
        browser.find_element(By.ID, "password").send_keys(person["password"])
        button(browser, "Sign in").click()
        remember_cookies(browser, custos_server)

        # 3. Consent (a client the user has not allowed yet), then back to Apache.
        def consent_or_back(driver):
            if urlsplit(driver.current_url).netloc == f"127.0.0.1:{rp.port}":
                return "back"
            if [b for b in driver.find_elements(By.CSS_SELECTOR, "button") if b.text.strip() == "Allow"]:
                return "consent"
            return None

        if wait_for(browser, consent_or_back, "the consent page or the return to Apache") == "consent":
            page = body_text(browser)
            assert "email" in page.lower() or "profile" in page.lower(), f"the consent page names no scope: {page!r}"
            remember_cookies(browser, custos_server)
            button(browser, "Allow").click()

        # 4. Back on /protected/, with the claims.
        wait_for(
            browser,
            lambda d: d.current_url == rp.protected_url and "page=protected" in body_text(d),
            "the protected page after signing in",
        )
        remember_cookies(browser, custos_server)
        values = page_values(browser)
        custos_server.remember_secret(values.get("id_token"))
        custos_server.remember_secret(values.get("access_token"))
        assert values.get("claim_sub") == person["id"], f"sub {values.get('claim_sub')!r}, user id {person['id']!r}"
        assert values.get("remote_user") == person["id"], values.get("remote_user")
        assert values.get("claim_email") == person["email"], f"email claim {values.get('claim_email')!r}"
        assert values.get("claim_name") == person["name"], f"name claim {values.get('claim_name')!r}"
        assert values.get("claim_iss") == custos_server.issuer, values.get("claim_iss")
        assert values.get("claim_aud") == client_id, values.get("claim_aud")
        assert values.get("claim_azp") == client_id, values.get("claim_azp")
        assert values.get("auth_type") == "openid-connect", values.get("auth_type")
        assert values.get("id_token", "").count(".") == 2, "mod_auth_openidc passed no ID token"
        assert values.get("access_token"), "mod_auth_openidc passed no access token"
        assert person["password"] not in browser.page_source

        # 5. Logout through mod_auth_openidc: it ends its session and sends the browser to
        #    Custos's end_session_endpoint with id_token_hint and post_logout_redirect_uri.
        logout_url = rp.redirect_uri + "?logout=" + quote(rp.logged_out_url, safe="")

        def at_logged_out(driver):
            parts = urlsplit(driver.current_url)
            if parts.netloc == f"127.0.0.1:{rp.port}" and parts.path == "/loggedout.html":
                return "done"
            # A confirmation page: the server asks before signing out without a valid hint.
            if [b for b in driver.find_elements(By.CSS_SELECTOR, "button[name=confirm][value=yes]")]:
                return "confirm"
            # The end-session endpoint refused the request with an error page of its own.
            if f"{parts.scheme}://{parts.netloc}" == custos_server.base_url and parts.path == END_SESSION_PATH:
                if driver.find_elements(By.TAG_NAME, "body") and "cannot be completed" in body_text(driver):
                    return "refused"
            return None

        browser.get(logout_url)
        outcome = wait_for(browser, at_logged_out, f"the logout URL {rp.logged_out_url}")
        assert outcome != "refused", (
            f"Custos's end_session_endpoint refused mod_auth_openidc's logout request "
            f"(RP-Initiated Logout 1.0 §2, post_logout_redirect_uri={rp.logged_out_url}, registered with the "
            f"client through {registration})"
        )
        if outcome == "confirm":
            remember_cookies(browser, custos_server)
            button(browser, "Sign out").click()
            wait_for(browser, lambda d: at_logged_out(d) == "done", f"the logout URL {rp.logged_out_url} after confirming")
        assert LOGGED_OUT_TEXT in body_text(browser)
        assert "mod_auth_openidc_session" not in {c["name"] for c in browser.get_cookies() if c.get("value")}, (
            "mod_auth_openidc's session cookie is still set after logout"
        )
        # Custos redirected to the post-logout URI without a state (mod_auth_openidc sent none).
        query = parse_qs(urlsplit(browser.current_url).query)
        assert set(query) <= {"state"}, f"unexpected parameters on the post-logout redirect: {query}"

        # 6. Both sessions are gone: /protected/ asks Custos to sign in again.
        browser.get(rp.protected_url)
        wait_for(browser, on_login_page(custos_server), "Custos's sign-in page after logging out")
        remember_cookies(browser, custos_server)
        assert "page=protected" not in body_text(browser)

        # mod_auth_openidc's debug log: PKCE S256 on the authorization request, the verifier
        # and client_secret_basic on the token request.
        log = rp.error_log_path.read_text(errors="replace")
        assert "code_challenge_method=S256" in log, "no code_challenge_method=S256 in the authorization request"
        assert "code_verifier=" in log, "no PKCE code_verifier on the token request"
        assert "token_endpoint_auth=client_secret_basic" in log, "mod_auth_openidc did not use client_secret_basic"
