"""Plain helpers of the fault suite: server nodes that can be killed and restarted, a private
PostgreSQL that can be stopped, and the HTTP steps the tests repeat.

Nothing here imports the parent ``interop/conftest.py`` (both are named ``conftest`` and
cannot import each other): ``conftest.py`` of this folder hands its classes and constants in.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from oauth_browser import Browser

HTTP_TIMEOUT = 10.0


def on_postgres() -> bool:
    return bool(os.environ.get("CUSTOS_INTEROP_POSTGRES_URL"))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# -- server nodes ----------------------------------------------------------------------------


class Node:
    """One ``custos serve`` process (the parent conftest's ``CustosServer``) with a fixed issuer,
    extra environment variables, a secret set shared with the other nodes of its cluster, and a
    kill -9 / restart that keeps every log."""

    def __init__(self, server_class, binary: Path, directory: Path, port: int, database: str | None,
                 issuer: str | None, env: dict[str, str], known_secrets: set[str], name: str):
        self.name = name
        self.server = server_class(binary=binary, directory=directory, port=port, postgres_database=database)
        self.server.known_secrets = known_secrets
        self.issuer = issuer or self.server.base_url
        self.extra_env = dict(env)
        self.runs = 0
        self.killed = False
        # An instance attribute shadows the method: start() and create_user() use this one.
        base_environment = server_class.environment
        self.server.environment = lambda: {**base_environment(self.server), "CUSTOS_ISSUER": self.issuer, **self.extra_env}

    # URLs of this node (the issuer may be another node's).
    @property
    def base_url(self) -> str:
        return self.server.base_url

    @property
    def api_url(self) -> str:
        return self.server.api_url

    @property
    def token_endpoint(self) -> str:
        return self.server.token_endpoint

    @property
    def directory(self) -> Path:
        return self.server.directory

    def remember(self, *values) -> None:
        for value in values:
            self.server.remember_secret(value)

    def start(self) -> None:
        if self.runs:
            # CustosServer.start truncates its logs: keep the earlier run's for the leak check.
            for path in (self.server.stdout_path, self.server.stderr_path):
                if path.exists():
                    path.rename(path.with_name(path.name.replace(".log", f".run{self.runs}.log")))
        self.runs += 1
        self.killed = False
        self.server.start()

    def kill9(self) -> None:
        process = self.server.process
        assert process is not None and process.poll() is None, f"{self.name} is not running"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        self.killed = True

    def stop(self) -> str | None:
        return self.server.stop()

    def exited_unexpectedly(self) -> str | None:
        process = self.server.process
        if process is None or self.killed or process.poll() is None:
            return None
        return f"{self.name} (pid {process.pid}) exited with status {process.returncode} during the test"

    def stderr_logs(self) -> list[Path]:
        return sorted(self.directory.glob("custos.stderr*.log"))

    def leaked_secrets(self) -> list[str]:
        leaks = []
        for path in self.stderr_logs():
            for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                for secret in list(self.server.known_secrets):
                    if secret in line:
                        leaks.append(f"{self.name} {path.name} line {number} holds a secret starting {secret[:6]!r}: {line[:300]}")
        return leaks

    def log_tail(self, lines: int = 30) -> str:
        parts = []
        for path in sorted(self.directory.glob("custos.*.log")):
            text = path.read_text(errors="replace").splitlines()[-lines:]
            parts.append(f"--- {self.name}: {path.name} (last {len(text)} lines) ---\n" + "\n".join(text))
        return "\n".join(parts)

    # -- requests --------------------------------------------------------------------------

    def admin_token(self) -> str:
        return self.server.admin_token()

    def create_client(self, admin_token: str, **fields) -> dict:
        response = requests.post(
            self.api_url + "/admin/oauth/clients", json=fields,
            headers={"Authorization": "Bearer " + admin_token}, timeout=HTTP_TIMEOUT,
        )
        assert response.status_code == 201, f"create client on {self.name}: {response.status_code} {response.text}"
        data = response.json()["data"]
        self.remember(data.get("client_secret"))
        return data

    def create_api_client(self, admin_token: str, name: str, **fields) -> dict:
        """A confidential client_credentials client with a secret (client_secret_basic)."""
        fields = {
            "name": name, "redirect_uris": ["https://app.example.com/callback"],
            "grant_types": ["client_credentials"], "client_auth_methods": ["client_secret_basic"],
            "scopes": ["api.read"], **fields,
        }
        return self.create_client(admin_token, **fields)

    def client_credentials(self, client_id: str, secret: str, scope: str = "api.read",
                           session: requests.Session | None = None, timeout: float = HTTP_TIMEOUT) -> requests.Response:
        response = (session or requests).post(
            self.token_endpoint, data={"grant_type": "client_credentials", "scope": scope},
            auth=(client_id, secret), timeout=timeout,
        )
        if response.status_code == 200:
            self.remember(response.json().get("access_token"))
        return response


class Cluster:
    """The nodes and private PostgreSQL servers of one test (or module): started on demand,
    stopped at the end, their logs checked for secrets."""

    def __init__(self, server_class, binary: Path, master_key: str, label: str):
        self.server_class = server_class
        self.binary = binary
        self.master_key = master_key
        self.label = label
        self.nodes: list[Node] = []
        self.postgres: list[PrivatePostgres] = []
        self.known_secrets: set[str] = set()
        self.directories: list[Path] = []
        self.databases: list[str] = []

    def node(self, database: str | None, *, port: int | None = None, issuer: str | None = None,
             env: dict[str, str] | None = None, start: bool = True) -> Node:
        directory = Path(tempfile.mkdtemp(prefix="custos-faults-"))
        self.directories.append(directory)
        name = "node " + "ABCDEFGH"[len(self.nodes)]
        node = Node(self.server_class, self.binary, directory, port or free_port(), database, issuer,
                    env or {}, self.known_secrets, name)
        self.nodes.append(node)
        if start:
            node.start()
        return node

    def shared_database(self, fresh_database) -> str | None:
        """A new database on the shared PostgreSQL server (the parent's ``fresh_database``),
        dropped when the cluster closes; None on SQLite."""
        url = fresh_database()
        if url:
            self.databases.append(url)
        return url

    def private_postgres(self) -> PrivatePostgres:
        server = PrivatePostgres()
        self.postgres.append(server)
        self.directories.append(server.directory)
        server.initialise()
        server.start()
        return server

    def problems(self) -> list[str]:
        problems = [p for p in (node.exited_unexpectedly() for node in self.nodes) if p]
        for node in self.nodes:
            problems.extend(node.leaked_secrets())
        return problems

    def log_tail(self) -> str:
        return "\n".join(node.log_tail() for node in self.nodes)

    def close(self, keep: bool) -> list[str]:
        """Stops everything; returns problems (crashes, leaks, slow shutdowns)."""
        problems = [p for p in (node.exited_unexpectedly() for node in self.nodes) if p]
        for node in self.nodes:
            slow = node.stop()
            if slow:
                problems.append(f"{node.name}: {slow}")
        for server in self.postgres:
            server.stop_immediate(check=False)
        for node in self.nodes:
            problems.extend(node.leaked_secrets())
        if keep or problems:
            for directory in self.directories:
                shutil.rmtree(directory / "bin", ignore_errors=True)
            print(f"\nfaults: kept {', '.join(map(str, self.directories))}")
        else:
            for directory in self.directories:
                shutil.rmtree(directory, ignore_errors=True)
            server = os.environ.get("CUSTOS_INTEROP_POSTGRES_URL")
            for url in self.databases if server else []:
                name = url.rpartition("/")[2]
                subprocess.run(["psql", server, "-q", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                               capture_output=True, timeout=60)
        return problems


# -- a PostgreSQL server of the test's own -----------------------------------------------------


class PrivatePostgres:
    """A throwaway PostgreSQL (initdb in a temporary folder, a free loopback port), run as the
    ``postgres`` user when the suite runs as root, as scripts/test does."""

    def __init__(self) -> None:
        if not shutil.which("initdb") or not shutil.which("pg_ctl"):
            pytest.fail("initdb and pg_ctl must be on the PATH for the PostgreSQL fault tests", pytrace=False)
        self.directory = Path(tempfile.mkdtemp(prefix="custos-faults-pg-"))
        self.directory.chmod(0o755)
        if os.geteuid() == 0:
            shutil.chown(self.directory, user="postgres")
        self.port = free_port()
        self.data = self.directory / "data"

    @property
    def url(self) -> str:
        return f"postgres://custos@127.0.0.1:{self.port}/postgres"

    def _run(self, *arguments: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess:
        command = list(arguments)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=self.directory)
        if check and result.returncode != 0:
            pytest.fail(f"{' '.join(arguments)} exited {result.returncode}\n{result.stdout}\n{result.stderr}", pytrace=False)
        return result

    def initialise(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "custos", "--auth=trust", "-E", "UTF8")

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.directory} -c max_connections=200 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.directory / "server.log"), "-w", "-t", "30",
                  "-o", options, "start")

    def stop_immediate(self, check: bool = True) -> None:
        if (self.data / "postmaster.pid").exists() or check:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=check)


# -- the browser part of the code flow, without a browser (interop/oauth_browser.py) -------------


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorization_code(node: Node, client_id: str, redirect_uri: str, username: str, password: str,
                       code_challenge: str, scope: str = "openid") -> str:
    """Drives the authorization code flow on ``node`` like a browser: the authorization request,
    the login form, the consent form; returns the code sent to ``redirect_uri``."""
    state = secrets.token_urlsafe(16)
    query = urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri, "scope": scope,
        "state": state, "nonce": secrets.token_urlsafe(16), "code_challenge": code_challenge,
        "code_challenge_method": "S256",
    })
    location = Browser(node.server, username, password).authorize(node.api_url + "/oauth/authorize?" + query, redirect_uri)
    parameters = parse_qs(urlsplit(location).query)
    assert parameters.get("state") == [state], f"state came back as {parameters.get('state')}"
    assert "code" in parameters, f"no code in the redirect: {parameters}"
    code = parameters["code"][0]
    node.remember(code)
    return code


# -- expectations ---------------------------------------------------------------------------------


def retry_after_seconds(response: requests.Response) -> int:
    value = response.headers.get("Retry-After")
    assert value is not None, f"{response.status_code} without a Retry-After header: {dict(response.headers)}"
    assert value.strip().isdigit() and int(value) > 0, f"Retry-After is not a positive number of seconds: {value!r}"
    return int(value)


def json_body(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        pytest.fail(f"{response.status_code} with a body that is not JSON: {response.text[:300]!r}", pytrace=False)
    assert isinstance(body, dict), f"the body is not a JSON object: {body!r}"
    return body
