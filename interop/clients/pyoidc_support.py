"""Helpers for driving pyoidc (the PyPI package ``oic``) as a relying party against Custos.

``Browser`` plays the user agent: a ``requests.Session`` whose cookie jar carries the sign-in
session, following redirects by hand and submitting the server-rendered login and consent
forms (parsed with ``html.parser``, hidden CSRF fields included) until the server redirects to
the relying party's redirect URI, which it never loads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests

TIMEOUT = 10
MAX_STEPS = 12


@dataclass
class Form:
    action: str
    method: str
    inputs: list[dict[str, str]] = field(default_factory=list)
    buttons: list[dict[str, str]] = field(default_factory=list)

    def fields(self) -> dict[str, str]:
        """The values the form submits as it stands (no button, no unchecked box)."""
        values = {}
        for element in self.inputs:
            name = element.get("name")
            kind = element.get("type", "text").lower()
            if not name or kind in {"submit", "button", "image", "reset"}:
                continue
            if kind in {"checkbox", "radio"} and "checked" not in element:
                continue
            values[name] = element.get("value", "")
        return values

    def has_input(self, kind: str) -> bool:
        return any(element.get("type", "text").lower() == kind for element in self.inputs)


class FormParser(HTMLParser):
    """Collects every <form> with its <input>s and <button>s (attributes unescaped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._current: Form | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: (value if value is not None else "") for name, value in attrs}
        if tag == "form":
            self._current = Form(action=attributes.get("action", ""), method=attributes.get("method", "get").lower())
            self.forms.append(self._current)
        elif self._current is not None and tag == "input":
            self._current.inputs.append(attributes)
        elif self._current is not None and tag == "button":
            self._current.buttons.append(attributes)

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def parse_forms(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


class Browser:
    """A user agent that signs in and consents, then stops at the redirect URI."""

    def __init__(self, server, username: str, password: str) -> None:
        self.server = server
        self.username = username
        self.password = password
        self.session = requests.Session()
        self.pages: list[str] = []  # the URLs it loaded, for failure messages
        self.logins = 0
        self.consents = 0

    def _remember_cookies(self) -> None:
        # Session and CSRF cookies are bearer credentials: they must stay out of the server's log.
        for cookie in self.session.cookies:
            self.server.remember_secret(cookie.value)

    def _follow(self, response: requests.Response, redirect_uri: str) -> requests.Response | str:
        """Follows redirects; returns the Location that starts with redirect_uri, or the page."""
        for _ in range(MAX_STEPS):
            self._remember_cookies()
            if response.status_code not in (301, 302, 303, 307, 308):
                return response
            assert response.status_code != 307 or response.request.method == "GET", (
                f"{response.request.method} {response.url} answered 307: a credential POST must be "
                "followed by 302/303 (RFC 9700 §4.12)"
            )
            location = response.headers.get("Location")
            assert location, f"{response.status_code} without Location from {response.url}"
            if location.startswith(redirect_uri):
                return location
            target = urljoin(response.url, location)
            assert urlsplit(target).netloc == urlsplit(self.server.base_url).netloc, (
                f"redirected off the server to {target} before reaching {redirect_uri}"
            )
            self.pages.append(target)
            response = self.session.get(target, allow_redirects=False, timeout=TIMEOUT)
        raise AssertionError(f"more than {MAX_STEPS} redirects: {self.pages}")

    def _submit(self, page: requests.Response, form: Form, values: dict[str, str]) -> requests.Response:
        assert form.method == "post", f"the form on {page.url} uses {form.method}, expected post"
        target = urljoin(page.url, form.action or page.url)
        assert urlsplit(target).netloc == urlsplit(self.server.base_url).netloc, f"form posts off-site: {target}"
        self.pages.append("POST " + target)
        return self.session.post(target, data=values, allow_redirects=False, timeout=TIMEOUT)

    def authorize(self, authorization_url: str, redirect_uri: str) -> str:
        """Loads the authorization URL, signs in and approves; returns the redirect to the RP."""
        self.pages.append(authorization_url)
        result = self._follow(
            self.session.get(authorization_url, allow_redirects=False, timeout=TIMEOUT), redirect_uri
        )
        for _ in range(MAX_STEPS):
            if isinstance(result, str):
                return result
            page = result
            assert page.status_code == 200, f"{page.status_code} on {page.url}: {page.text[:500]}"
            forms = parse_forms(page.text)
            assert forms, f"no form and no redirect on {page.url}: {page.text[:800]}"
            login = [form for form in forms if form.has_input("password")]
            if login:
                assert self.logins == 0, f"the login form came back after signing in: {page.text[:800]}"
                self.logins += 1
                form = login[0]
                values = form.fields()
                assert "csrf_token" in values and values["csrf_token"], "the login form has no CSRF token"
                self.server.remember_secret(values["csrf_token"])
                username_field = next(
                    element["name"] for element in form.inputs
                    if element.get("type", "text").lower() in {"text", "email"} and element.get("name")
                )
                password_field = next(
                    element["name"] for element in form.inputs
                    if element.get("type", "").lower() == "password"
                )
                values[username_field] = self.username
                values[password_field] = self.password
                result = self._follow(self._submit(page, form, values), redirect_uri)
                continue
            consent = [
                (form, button) for form in forms for button in form.buttons
                if button.get("name") and button.get("value") in {"approve", "allow", "accept"}
            ]
            if consent:
                assert self.consents == 0, f"the consent page came back after consenting: {page.text[:800]}"
                self.consents += 1
                form, button = consent[0]
                values = form.fields()
                assert values.get("csrf_token"), "the consent form has no CSRF token"
                self.server.remember_secret(values["csrf_token"])
                values[button["name"]] = button["value"]
                result = self._follow(self._submit(page, form, values), redirect_uri)
                continue
            raise AssertionError(f"neither a login nor a consent form on {page.url}: {page.text[:800]}")
        raise AssertionError(f"did not reach {redirect_uri}: {self.pages}")
