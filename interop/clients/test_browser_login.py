"""A person signs in through the server-rendered login page, in headless Chromium.

Uses Debian's ``chromium`` and ``chromium-driver`` (``scripts/interop`` installs them). Nothing
here needs JavaScript: the pages are plain HTML forms.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait


LOGIN_SCREENSHOT = Path("/tmp/custos-login.png")
ACCOUNT_SCREENSHOT = Path("/tmp/custos-account.png")

WRONG_CREDENTIALS = "The username or password is incorrect."


@pytest.fixture
def person(custos_server, unique_name):
    """A fresh user: username, password and display name."""
    username = unique_name("ada")
    password = "pw-" + secrets.token_urlsafe(18)
    name = "Ada Lovelace"
    custos_server.create_user(username=username, email=f"{username}@example.com", password=password, name=name)
    return {"username": username, "password": password, "name": name}


def wait(driver: WebDriver, seconds: float = 10) -> WebDriverWait:
    return WebDriverWait(driver, seconds)


def path_of(driver: WebDriver) -> str:
    return urlsplit(driver.current_url).path


def body_text(driver: WebDriver) -> str:
    return driver.find_element(By.TAG_NAME, "body").text


def button(driver: WebDriver, text: str):
    matches = [b for b in driver.find_elements(By.CSS_SELECTOR, "button, input[type=submit]")
               if (b.text or b.get_attribute("value") or "").strip() == text]
    assert matches, f"no button {text!r} on {driver.current_url}; page says: {body_text(driver)!r}"
    assert len(matches) == 1, f"{len(matches)} buttons {text!r}"
    assert matches[0].is_displayed() and matches[0].is_enabled(), f"button {text!r} is hidden or disabled"
    return matches[0]


def open_login(driver: WebDriver, server) -> None:
    driver.get(server.api_url + "/login")
    wait(driver).until(expected_conditions.presence_of_element_located((By.ID, "password")))
    assert path_of(driver) == "/api/v1/login"


def fill_and_submit(driver: WebDriver, username: str, password: str, screenshot: Path | None = None) -> None:
    field = driver.find_element(By.ID, "username")
    field.clear()
    field.send_keys(username)
    driver.find_element(By.ID, "password").send_keys(password)
    if screenshot is not None:
        assert driver.save_screenshot(str(screenshot)), f"could not save {screenshot}"
    button(driver, "Sign in").click()


def sign_in(driver: WebDriver, server, person, screenshot: Path | None = None) -> None:
    open_login(driver, server)
    fill_and_submit(driver, person["username"], person["password"], screenshot)
    wait(driver).until(lambda d: path_of(d) == "/api/v1/account")
    _remember_cookies(driver, server)


def _remember_cookies(driver: WebDriver, server) -> None:
    # Session and CSRF cookies are bearer credentials: they must stay out of the server's log too.
    for cookie in driver.get_cookies():
        server.remember_secret(cookie.get("value"))


def test_person_signs_in_with_the_form(custos_server, browser, person):
    open_login(browser, custos_server)
    assert "Sign in" in browser.title

    # Every input a person types into has a visible label tied to it (<label for=…>).
    for input_id in ("username", "password"):
        field = browser.find_element(By.ID, input_id)
        assert field.is_displayed(), f"input #{input_id} is not visible"
        labels = browser.find_elements(By.CSS_SELECTOR, f'label[for="{input_id}"]')
        assert len(labels) == 1, f"expected one <label for={input_id!r}>, found {len(labels)}"
        assert labels[0].is_displayed(), f"the label of #{input_id} is not visible"
        assert labels[0].text.strip(), f"the label of #{input_id} is empty"
    assert browser.find_element(By.ID, "password").get_attribute("type") == "password"
    assert browser.find_elements(By.CSS_SELECTOR, 'form input[type=hidden][name="csrf_token"]'), "no CSRF token"

    before = {cookie["name"] for cookie in browser.get_cookies()}
    fill_and_submit(browser, person["username"], person["password"], screenshot=LOGIN_SCREENSHOT)
    wait(browser).until(lambda d: path_of(d) == "/api/v1/account")
    page_text = body_text(browser)
    assert "You are signed in" in page_text
    assert f"Signed in as {person['name']}" in page_text
    assert browser.save_screenshot(str(ACCOUNT_SCREENSHOT)), f"could not save {ACCOUNT_SCREENSHOT}"
    _remember_cookies(browser, custos_server)
    assert person["password"] not in browser.page_source

    # Issue 3: the session cookie is HttpOnly and SameSite=Lax, and not Secure on an http issuer.
    session_cookies = [cookie for cookie in browser.get_cookies() if cookie["name"] not in before]
    assert len(session_cookies) == 1, f"signing in set {len(session_cookies)} new cookies: {[c['name'] for c in session_cookies]}"
    cookie = session_cookies[0]
    assert cookie.get("httpOnly") is True, f"the session cookie {cookie['name']} is not HttpOnly"
    assert cookie.get("sameSite") == "Lax", f"the session cookie has SameSite={cookie.get('sameSite')}"
    assert cookie.get("secure") is False, "Secure cookie on an http issuer: the browser would never send it back"


def test_wrong_password_keeps_the_login_form(custos_server, browser, person):
    open_login(browser, custos_server)
    wrong_password = "not-the-password-" + secrets.token_hex(4)
    custos_server.remember_secret(wrong_password)  # a mistyped password is a secret as well
    fill_and_submit(browser, person["username"], wrong_password)

    alert = wait(browser).until(
        expected_conditions.visibility_of_element_located((By.XPATH, f'//*[contains(., "{WRONG_CREDENTIALS}")][not(*)]'))
    )
    assert alert.text.strip() == WRONG_CREDENTIALS
    assert path_of(browser) == "/api/v1/login"
    assert browser.find_element(By.ID, "username").is_displayed()
    assert browser.find_element(By.ID, "password").is_displayed()
    assert browser.find_element(By.ID, "password").get_attribute("value") == "", "the wrong password was sent back"
    assert "Signed in as" not in body_text(browser)

    # Not signed in: the account page sends the browser back to the form.
    browser.get(custos_server.api_url + "/account")
    wait(browser).until(lambda d: path_of(d) == "/api/v1/login")


def test_sign_out_returns_to_the_login_page(custos_server, browser, person):
    open_login(browser, custos_server)
    before = {cookie["name"] for cookie in browser.get_cookies()}
    sign_in(browser, custos_server, person)
    assert f"Signed in as {person['name']}" in body_text(browser)
    session_names = {cookie["name"] for cookie in browser.get_cookies()} - before
    assert session_names, "signing in set no cookie"

    button(browser, "Sign out").click()
    wait(browser).until(lambda d: path_of(d) == "/api/v1/login")
    wait(browser).until(expected_conditions.visibility_of_element_located((By.ID, "password")))
    assert "Signed in as" not in body_text(browser)
    left = session_names & {cookie["name"] for cookie in browser.get_cookies()}
    assert not left, f"the session cookie {left} is still set after signing out"

    # The session is gone: the account page is no longer reachable.
    browser.get(custos_server.api_url + "/account")
    wait(browser).until(lambda d: path_of(d) == "/api/v1/login")
    assert browser.find_element(By.ID, "username").is_displayed()
