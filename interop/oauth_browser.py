"""A user agent for the authlib interop tests: a ``requests.Session`` that behaves as a browser.

It follows redirects by hand with its cookie jar, parses the server-rendered HTML forms with
the standard library's ``html.parser`` (hidden fields, CSRF token included) and submits the
login, consent and sign-out confirmation forms. It stops as soon as the server redirects to
the relying party's redirect URI, which it never loads, and hands that URL back.

Every cookie and CSRF token it sees is given to ``server.remember_secret``: they are bearer
credentials the server must never write to its log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests

TIMEOUT = 10
MAX_STEPS = 12
REDIRECTS = (301, 302, 303, 307, 308)


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

    def button(self, name: str, value: str) -> dict[str, str] | None:
        return next((b for b in self.buttons if b.get("name") == name and b.get("value") == value), None)


class _FormParser(HTMLParser):
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
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


class Browser:
    """Signs a person in and consents; stops at the relying party's redirect URI."""

    def __init__(self, server, username: str, password: str) -> None:
        self.server = server
        self.username = username
        self.password = password
        self.session = requests.Session()
        self.pages: list[str] = []  # what it loaded, for failure messages
        self.logins = 0
        self.consents = 0
        self.logout_confirmations = 0

    # -- plumbing --------------------------------------------------------------------------

    def _remember_cookies(self) -> None:
        for cookie in self.session.cookies:
            self.server.remember_secret(cookie.value)

    def _same_site(self, url: str) -> bool:
        return urlsplit(url).netloc == urlsplit(self.server.base_url).netloc

    def _get(self, url: str) -> requests.Response:
        self.pages.append(url)
        response = self.session.get(url, allow_redirects=False, timeout=TIMEOUT)
        self._remember_cookies()
        return response

    def _follow(self, response: requests.Response, stop_at: str | None) -> requests.Response | str:
        """Follows redirects on the server; returns the Location starting with ``stop_at``, or
        the first response that is not a redirect."""
        for _ in range(MAX_STEPS):
            self._remember_cookies()
            if response.status_code not in REDIRECTS:
                return response
            # RFC 9700 §4.12: a 307 after a credential POST would re-post the password elsewhere.
            assert response.status_code != 307 or response.request.method == "GET", (
                f"{response.request.method} {response.url} answered 307: a credential POST must be "
                "followed by 302 or 303"
            )
            location = response.headers.get("Location")
            assert location, f"{response.status_code} without Location from {response.url}"
            if stop_at and location.startswith(stop_at):
                return location
            target = urljoin(response.url, location)
            assert self._same_site(target), f"redirected off the server to {target} (expected {stop_at})"
            response = self._get(target)
        raise AssertionError(f"more than {MAX_STEPS} redirects: {self.pages}")

    def _submit(self, page: requests.Response, form: Form, values: dict[str, str]) -> requests.Response:
        assert form.method == "post", f"the form on {page.url} uses {form.method}, expected post"
        target = urljoin(page.url, form.action or page.url)
        assert self._same_site(target), f"the form posts off-site: {target}"
        self.pages.append("POST " + target)
        csrf = values.get("csrf_token")
        assert csrf, f"the form on {page.url} has no CSRF token"
        self.server.remember_secret(csrf)
        response = self.session.post(target, data=values, allow_redirects=False, timeout=TIMEOUT)
        self._remember_cookies()
        return response

    # -- what a person does ----------------------------------------------------------------

    def authorize(self, authorization_url: str, redirect_uri: str) -> str:
        """Opens the authorization URL, signs in and approves when asked; returns the URL the
        server redirects to (which starts with ``redirect_uri``)."""
        result = self._follow(self._get(authorization_url), redirect_uri)
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
                username_field = next(
                    element["name"] for element in form.inputs
                    if element.get("type", "text").lower() in {"text", "email"} and element.get("name")
                )
                password_field = next(
                    element["name"] for element in form.inputs if element.get("type", "").lower() == "password"
                )
                values[username_field] = self.username
                values[password_field] = self.password
                result = self._follow(self._submit(page, form, values), redirect_uri)
                continue
            consent = [(form, form.button("decision", "approve")) for form in forms if form.button("decision", "approve")]
            if consent:
                assert self.consents == 0, f"the consent page came back after consenting: {page.text[:800]}"
                self.consents += 1
                form, button = consent[0]
                values = form.fields()
                values[button["name"]] = button["value"]
                result = self._follow(self._submit(page, form, values), redirect_uri)
                continue
            raise AssertionError(f"neither a login nor a consent form on {page.url}: {page.text[:800]}")
        raise AssertionError(f"did not reach {redirect_uri}: {self.pages}")

    def end_session(self, logout_url: str, post_logout_redirect_uri: str | None = None) -> requests.Response | str:
        """Opens an end-session URL (RP-Initiated Logout 1.0 §2) and confirms the sign-out if the
        server asks; returns the redirect to ``post_logout_redirect_uri`` or the final page."""
        result = self._follow(self._get(logout_url), post_logout_redirect_uri)
        if isinstance(result, str):
            return result
        forms = parse_forms(result.text) if result.status_code == 200 else []
        confirm = [(form, form.button("confirm", "yes")) for form in forms if form.button("confirm", "yes")]
        if not confirm:
            return result
        self.logout_confirmations += 1
        form, button = confirm[0]
        values = form.fields()
        values[button["name"]] = button["value"]
        return self._follow(self._submit(result, form, values), post_logout_redirect_uri)

    def signed_in(self) -> bool:
        """Whether the server still knows this browser's session (its account page answers)."""
        response = self._get(self.server.api_url + "/account")
        return response.status_code == 200 and "Signed in as" in response.text
