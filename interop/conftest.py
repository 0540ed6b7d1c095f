"""Fixtures of the external-client interop suite.

The suite builds nothing: it starts the already built ``custos`` binary (``CUSTOS_BINARY``,
default ``.build/debug/custos``) on a free loopback port with a fresh SQLite database, creates
users with the operator CLI and clients with the admin API, and lets third-party client
software talk to it. Every secret the suite hands to or receives from the server is
remembered; the server's log must never contain any of them.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from joserfc import jwk
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BINARY = REPO_ROOT / ".build" / "debug" / "custos"

ADMIN_CLIENT_ID = "interop-admin"
ADMIN_CLIENT_SECRET = "custos_cs_interop-" + secrets.token_urlsafe(24)
# PostgreSQL has no key file beside the database: every node of one database shares this key.
MASTER_KEY = secrets.token_hex(32)

# Scopes the suite registers for its own API clients (CUSTOS_SCOPES).
API_SCOPES = ("api.read", "api.write")

STARTUP_TIMEOUT = 15.0
HTTP_TIMEOUT = 10.0
SHUTDOWN_TIMEOUT = 10.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class CustosServer:
    """A running ``custos serve`` and helpers to prepare it for a test."""

    binary: Path
    directory: Path
    port: int
    process: subprocess.Popen | None = None
    known_secrets: set[str] = field(default_factory=set)
    # A postgres:// URL of a database of its own when the suite runs on PostgreSQL.
    postgres_database: str | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def issuer(self) -> str:
        return self.base_url

    @property
    def api_url(self) -> str:
        return self.base_url + "/api/v1"

    @property
    def token_endpoint(self) -> str:
        return self.api_url + "/oauth/token"

    @property
    def database_path(self) -> Path:
        return self.directory / "custos.db"

    @property
    def database(self) -> str:
        if self.postgres_database:
            return self.postgres_database
        return f"sqlite:{self.database_path}"

    @property
    def stderr_path(self) -> Path:
        return self.directory / "custos.stderr.log"

    @property
    def stdout_path(self) -> Path:
        return self.directory / "custos.stdout.log"

    @property
    def admin_credentials(self) -> tuple[str, str]:
        return ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET

    def environment(self) -> dict[str, str]:
        env = {name: value for name, value in os.environ.items() if not name.startswith("CUSTOS_")}
        env.update(
            CUSTOS_ISSUER=self.issuer,
            CUSTOS_DATABASE=self.database,
            CUSTOS_BOOTSTRAP_ADMIN_CLIENT_ID=ADMIN_CLIENT_ID,
            CUSTOS_BOOTSTRAP_ADMIN_CLIENT_SECRET=ADMIN_CLIENT_SECRET,
            CUSTOS_SCOPES=" ".join(API_SCOPES),
            CUSTOS_LOG_LEVEL=os.environ.get("CUSTOS_INTEROP_LOG_LEVEL", "debug"),
            # Every relying party of the suite listens on loopback (back-channel logout, jwks_uri).
            CUSTOS_ALLOW_PRIVATE_FETCH="1",
            # ... and the confidential relying parties redirect to http://127.0.0.1:<port>.
            CUSTOS_ALLOW_LOOPBACK_HTTP_REDIRECTS="1",
        )
        if self.postgres_database:
            env["CUSTOS_MASTER_KEY"] = MASTER_KEY
        return env

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        self.known_secrets.add(ADMIN_CLIENT_SECRET)
        self.known_secrets.add(MASTER_KEY)
        with open(self.stdout_path, "wb") as stdout, open(self.stderr_path, "wb") as stderr:
            self.process = subprocess.Popen(
                [str(self.binary), "serve", "--port", str(self.port), "--database", self.database],
                cwd=self.directory,
                env=self.environment(),
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
            )
        deadline = time.monotonic() + STARTUP_TIMEOUT
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(
                    f"custos serve exited with status {self.process.returncode} during start-up\n"
                    + self.log_tail(),
                    pytrace=False,
                )
            try:
                if requests.get(self.base_url + "/health", timeout=1).status_code == 200:
                    break
            except requests.RequestException as error:
                last_error = error
            time.sleep(0.1)
        else:
            self.stop()
            pytest.fail(
                f"custos serve did not answer GET /health within {STARTUP_TIMEOUT:.0f} s "
                f"({last_error})\n" + self.log_tail(),
                pytrace=False,
            )
        key_file = self.database_path.with_suffix(".key")
        if key_file.exists():
            self.known_secrets.add(key_file.read_text().strip())

    def stop(self) -> str | None:
        """SIGTERM, then SIGKILL after SHUTDOWN_TIMEOUT; returns a complaint when it had to kill."""
        if self.process is None or self.process.poll() is not None:
            return None
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=SHUTDOWN_TIMEOUT)
            return None
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
            return (
                f"custos serve did not exit within {SHUTDOWN_TIMEOUT:.0f} s of SIGTERM and was killed "
                "(a graceful shutdown should not wait for background timers)"
            )

    def assert_running(self) -> None:
        """Fails when the server has exited (crashed, or was killed from outside the suite)."""
        if self.process is not None and self.process.poll() is not None:
            status = self.process.returncode
            how = f"was killed by signal {-status}" if status < 0 else f"exited with status {status}"
            if self.stderr_path.exists() and "Signal caught" in self.stderr_path.read_text(errors="replace"):
                how += " after a shutdown signal from outside the suite (SIGTERM/SIGINT)"
            pytest.fail(f"custos serve (pid {self.process.pid}) {how} during the run\n" + self.log_tail(), pytrace=False)

    def log_tail(self, lines: int = 40) -> str:
        parts = []
        for path in (self.stdout_path, self.stderr_path):
            if path.exists():
                text = path.read_text(errors="replace").splitlines()[-lines:]
                parts.append(f"--- {path.name} (last {len(text)} lines) ---\n" + "\n".join(text))
        return "\n".join(parts)

    # -- secrets in the log ----------------------------------------------------------------

    def remember_secret(self, value: str | None) -> None:
        """Adds a value the server must never write to its log (token, password, secret)."""
        if value and len(value) >= 8:
            self.known_secrets.add(value)

    def leaked_secrets(self) -> list[str]:
        """Lines of the server's standard error that contain a known secret."""
        if not self.stderr_path.exists():
            return []
        leaks = []
        for number, line in enumerate(self.stderr_path.read_text(errors="replace").splitlines(), 1):
            for secret in self.known_secrets:
                if secret in line:
                    leaks.append(f"line {number} holds a secret starting {secret[:6]!r}: {line[:300]}")
        return leaks

    # -- helpers for tests -----------------------------------------------------------------

    def admin_token(self, scope: str = "admin") -> str:
        """A fresh admin access token (client_credentials, client_secret_basic)."""
        response = requests.post(
            self.token_endpoint,
            data={"grant_type": "client_credentials", "scope": scope},
            auth=(ADMIN_CLIENT_ID, ADMIN_CLIENT_SECRET),
            timeout=HTTP_TIMEOUT,
        )
        assert response.status_code == 200, f"admin token: {response.status_code} {response.text}"
        token = response.json()["access_token"]
        self.remember_secret(token)
        return token

    def create_user(self, username: str, email: str, password: str, name: str) -> str:
        """Creates a user with ``custos admin user add`` (password on stdin); returns its id."""
        self.remember_secret(password)
        result = subprocess.run(
            [
                str(self.binary), "admin", "user", "add", "--database", self.database,
                "--username", username, "--email", email, "--name", name,
            ],
            input=password + "\n",
            capture_output=True,
            text=True,
            env=self.environment(),
            cwd=self.directory,
            timeout=60,
        )
        for stream in (result.stdout, result.stderr):
            assert password not in stream, "custos admin user add echoed the password"
        assert result.returncode == 0, (
            f"custos admin user add exited {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
        )
        return result.stdout.strip().splitlines()[-1]

    def create_client(self, **fields) -> dict:
        """Creates a client through ``POST /api/v1/admin/oauth/clients``; returns ``data``."""
        response = requests.post(
            self.api_url + "/admin/oauth/clients",
            json=fields,
            headers={"Authorization": "Bearer " + self.admin_token()},
            timeout=HTTP_TIMEOUT,
        )
        assert response.status_code == 201, f"create client: {response.status_code} {response.text}"
        data = response.json()["data"]
        self.remember_secret(data.get("client_secret"))
        return data


@pytest.fixture(scope="session")
def custos_binary() -> Path:
    path = Path(os.environ.get("CUSTOS_BINARY") or DEFAULT_BINARY)
    if not path.is_file() or not os.access(path, os.X_OK):
        pytest.fail(
            f"the custos binary {path} does not exist or is not executable: "
            "run `swift build` first or set CUSTOS_BINARY",
            pytrace=False,
        )
    return path


def fresh_database() -> str | None:
    """A new, empty PostgreSQL database when the suite runs on PostgreSQL
    (``CUSTOS_INTEROP_POSTGRES_URL``, a URL of a server where the user may create databases);
    None on SQLite."""
    url = os.environ.get("CUSTOS_INTEROP_POSTGRES_URL")
    if not url:
        return None
    name = "interop_" + secrets.token_hex(6)
    subprocess.run(["psql", url, "-q", "-c", f"CREATE DATABASE {name}"], check=True, capture_output=True, timeout=60)
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


def backend_name() -> str:
    return "postgres" if os.environ.get("CUSTOS_INTEROP_POSTGRES_URL") else "sqlite"


def _snapshot(binary: Path, directory: Path) -> Path:
    """Copies the binary into the run's folder and runs that copy.

    Others build into the same ``.build`` while the suite runs: while the linker writes the
    file, ``exec`` of it fails with ETXTBSY ("Text file busy"), and a binary replaced during a
    run would mix two versions of the server and the CLI. A copy taken while the file did not
    change avoids both.
    """
    copy = directory / "bin" / binary.name
    copy.parent.mkdir()
    for _ in range(60):
        before = binary.stat()
        shutil.copy2(binary, copy)
        after = binary.stat()
        if (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns) == (
            copy.stat().st_size, copy.stat().st_mtime_ns,
        ) and time.time() - after.st_mtime > 2:
            probe = subprocess.run([str(copy), "--help"], capture_output=True, timeout=60)
            if probe.returncode == 0:
                return copy
        time.sleep(1)
    pytest.fail(f"{binary} kept changing or does not run (is a build writing it?)", pytrace=False)


@pytest.fixture(scope="session")
def custos_server(custos_binary: Path, request):
    directory = Path(tempfile.mkdtemp(prefix="custos-interop-"))
    server = CustosServer(
        binary=custos_binary, directory=directory, port=_free_port(), postgres_database=fresh_database()
    )
    try:
        server.binary = _snapshot(custos_binary, directory)
        server.start()
        yield server
    finally:
        slow_shutdown = server.stop()
        if slow_shutdown:
            # Reported, not failed: no document of Custos promises a shutdown time yet.
            warnings.warn(slow_shutdown, UserWarning, stacklevel=1)
        leaks = server.leaked_secrets()
        if os.environ.get("CUSTOS_INTEROP_KEEP") or request.session.testsfailed or leaks:
            # Kept for the post-mortem: the database, the key file and both logs of the server.
            shutil.rmtree(directory / "bin", ignore_errors=True)
            capture = request.config.pluginmanager.get_plugin("capturemanager")
            with capture.global_and_fixture_disabled():
                print(f"\ninterop: kept the server's folder {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)
        if leaks:
            pytest.fail(
                f"the server wrote secrets to its log {server.stderr_path}:\n" + "\n".join(leaks),
                pytrace=False,
            )


@pytest.fixture(autouse=True)
def _server_checks(request):
    """Around every test that uses the server: it is still running, and no known secret is
    in its log so far."""
    server = request.getfixturevalue("custos_server") if "custos_server" in request.fixturenames else None
    if isinstance(server, CustosServer):
        server.assert_running()
    yield
    if not isinstance(server, CustosServer):
        return
    server.assert_running()
    leaks = server.leaked_secrets()
    if leaks:
        pytest.fail("the server wrote secrets to its log:\n" + "\n".join(leaks), pytrace=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Attaches the end of the server's log to a failed test's report."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and "custos_server" in item.fixturenames:
        server = item.funcargs.get("custos_server")
        if isinstance(server, CustosServer):
            report.sections.append(("custos server log", server.log_tail()))


@pytest.fixture
def unique_name():
    """Makes short unique names for users and clients, so tests never depend on each other."""
    return lambda prefix: f"{prefix}{secrets.token_hex(4)}"


# Headless Chromium for the browser tests (Debian's chromium and chromium-driver, installed by
# scripts/interop).
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture
def browser(tmp_path) -> WebDriver:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not path.exists():
            pytest.fail(f"{path} is missing: install the Debian packages chromium and chromium-driver", pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--window-size=1280,900",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--lang=en-US",
        # Relying parties the tests name (`https://rp.example/cb`, …) do not run: their names
        # fail to resolve at once, and the URL the server redirected to stays in the address bar.
        "--host-resolver-rules=MAP *.example ~NOTFOUND",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def key_set(custos_server, discovery) -> jwk.KeySet:
    """The published JWKS (from the module's ``discovery`` fixture), checked for what a key set
    must never hold, as joserfc keys."""
    jwks_uri = discovery.get("jwks_uri") or custos_server.base_url + "/.well-known/jwks.json"
    assert jwks_uri == custos_server.base_url + "/.well-known/jwks.json"
    response = requests.get(jwks_uri, timeout=HTTP_TIMEOUT)
    assert response.status_code == 200, response.text
    document = response.json()
    assert document["keys"], "the JWKS publishes no key"
    for key in document["keys"]:
        assert key.get("kid"), f"a published key has no kid: {key}"
        for private in ("d", "p", "q", "dp", "dq", "qi", "k"):
            assert private not in key, f"the JWKS publishes the private member {private!r}"
    return jwk.KeySet.import_key_set(document)
