#!/usr/bin/env python3
"""The driver of benchmarks/run: starts custos, seeds it, runs wrk once per scenario, prints one table.

Python does the orchestration, the seeding (admin API, dynamic registration, the login and
consent forms), the pre-signing of client assertions and the parsing of results; the load
comes from wrk (benchmarks/wrk.lua), a separate process on loopback.

Run it through benchmarks/run, which builds the release binary and the crypto floor and
creates the virtualenv; `benchmarks/run --help` lists the options.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import json
import multiprocessing
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
WRK_SCRIPT = HERE / "wrk.lua"
ADMIN_ID = "bench-admin"
ADMIN_SECRET = "custos_cs_bench-" + secrets.token_urlsafe(24)
REDIRECT_URI = "https://app.example.com/callback"
API_SCOPES = "api.read api.write"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
HTTP_TIMEOUT = 30


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def fail(message: str) -> None:
    print(f"bench: FAILED: {message}", file=sys.stderr, flush=True)
    raise SystemExit(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def basic(client_id: str, secret: str) -> str:
    # RFC 6749 §2.3.1: form-URL-encode each part before base64.
    raw = urllib.parse.quote(client_id, safe="") + ":" + urllib.parse.quote(secret, safe="")
    return "Basic " + base64.b64encode(raw.encode()).decode()


# --------------------------------------------------------------------------------------------
# HTTP for seeding (never for load)


@dataclass
class Answer:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def cookies(self) -> dict[str, str]:
        jar = {}
        for key, value in self.headers:
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                jar[name.strip()] = rest.split(";", 1)[0]
        return jar

    def json(self):
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


class Client:
    def __init__(self, port: int):
        self.port = port

    def request(self, method: str, path: str, headers: dict | None = None, body: bytes | str | dict | None = None,
                form: dict | None = None) -> Answer:
        headers = dict(headers or {})
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        elif isinstance(body, dict):
            body = json.dumps(body)
            headers.setdefault("Content-Type", "application/json")
        if isinstance(body, str):
            body = body.encode()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=HTTP_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return Answer(response.status, response.getheaders(), response.read())
        finally:
            connection.close()


# --------------------------------------------------------------------------------------------
# The server process and its memory


class Server:
    def __init__(self, binary: Path, directory: Path, port: int, database: str, env: dict[str, str]):
        self.binary = binary
        self.directory = directory
        self.port = port
        self.database = database
        self.env = env
        self.process: subprocess.Popen | None = None
        self.log_path = directory / "custos.log"

    def start(self) -> float:
        """Starts `custos serve`; returns the seconds from the spawn to the first answered request."""
        with open(self.log_path, "ab") as sink:
            started = time.perf_counter()
            self.process = subprocess.Popen(
                [str(self.binary), "serve", "--port", str(self.port), "--database", self.database],
                cwd=self.directory, env=self.env, stdin=subprocess.DEVNULL, stdout=sink, stderr=sink,
            )
        probe = f"GET /health HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nConnection: close\r\n\r\n".encode()
        deadline = started + 60
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                fail(f"custos serve exited with status {self.process.returncode} while starting:\n{self.log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(probe)
                    if sock.recv(64).startswith(b"HTTP/1.1 200"):
                        return time.perf_counter() - started
            except OSError:
                pass
            time.sleep(0.002)
        fail("custos serve did not answer within 60 s:\n" + self.log_tail())
        return 0.0

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                log("custos serve ignored SIGTERM for 15 s; killing it")
                self.process.kill()
                self.process.wait()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def cpu_seconds(self) -> float:
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the server is gone; the report says so
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def cli(self, *arguments: str, stdin: str = "") -> str:
        result = subprocess.run([str(self.binary), *arguments], input=stdin, capture_output=True, text=True,
                                env=self.env, cwd=self.directory, timeout=120)
        if result.returncode != 0:
            fail(f"custos {' '.join(arguments)} exited {result.returncode}: {result.stdout} {result.stderr}")
        return result.stdout


class MemorySampler(threading.Thread):
    """Samples VmRSS and VmHWM of a process every 100 ms."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.samples: list[tuple[float, int, int]] = []  # (time, VmRSS kB, VmHWM kB)
        self.stopped = threading.Event()

    def run(self) -> None:
        path = f"/proc/{self.pid}/status"
        while not self.stopped.is_set():
            try:
                text = open(path).read()
            except OSError:
                return
            rss = int(re.search(r"VmRSS:\s+(\d+)", text).group(1))
            hwm = int(re.search(r"VmHWM:\s+(\d+)", text).group(1))
            self.samples.append((time.monotonic(), rss, hwm))
            self.stopped.wait(0.1)

    def peak_mb(self, since: float, until: float) -> float:
        window = [rss for t, rss, _ in self.samples if since <= t <= until]
        return max(window, default=0) / 1024

    def hwm_mb(self) -> float:
        return max((hwm for _, _, hwm in self.samples), default=0) / 1024


def tree_cpu_seconds(root_pid: int) -> float:
    """CPU seconds of a process and its live children (PostgreSQL's postmaster and backends)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == root_pid or int(fields[1]) == root_pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def machine_busy_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs, from /proc/stat."""
    values = [int(v) for v in open("/proc/stat").readline().split()[1:]]
    idle = values[3] + values[4]
    total = sum(values[:8])
    return total - idle, total


# --------------------------------------------------------------------------------------------
# Client assertions (private_key_jwt), pre-signed: every jti is single-use by design


_SIGNING_KEY = None


def _init_signer(pem: bytes) -> None:
    global _SIGNING_KEY
    from cryptography.hazmat.primitives import serialization
    _SIGNING_KEY = serialization.load_pem_private_key(pem, password=None)


def _assertion_bodies(job: tuple[str, str, str, int, int, int]) -> list[str]:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    client_id, audience, kid, count, iat, exp = job
    header = b64url(json.dumps({"alg": "ES256", "typ": "JWT", "kid": kid}, separators=(",", ":")).encode())
    prefix = "grant_type=client_credentials&scope=api.read&client_assertion_type=" + urllib.parse.quote(ASSERTION_TYPE, safe="") + "&client_assertion="
    algorithm = ec.ECDSA(hashes.SHA256())
    out = []
    for _ in range(count):
        claims = {"iss": client_id, "sub": client_id, "aud": audience, "iat": iat, "exp": exp, "jti": secrets.token_urlsafe(16)}
        signing_input = header + "." + b64url(json.dumps(claims, separators=(",", ":")).encode())
        r, s = decode_dss_signature(_SIGNING_KEY.sign(signing_input.encode(), algorithm))
        out.append(prefix + signing_input + "." + b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big")))
    return out


def write_assertion_pool(path: Path, pem: bytes, client_id: str, audience: str, kid: str, count: int, lifetime: int) -> float:
    started = time.perf_counter()
    iat = int(time.time())
    chunk = 5000
    jobs = [(client_id, audience, kid, min(chunk, count - i), iat, iat + lifetime) for i in range(0, count, chunk)]
    with multiprocessing.Pool(os.cpu_count() or 1, initializer=_init_signer, initargs=(pem,)) as pool, open(path, "w") as out:
        for bodies in pool.imap(_assertion_bodies, jobs):
            out.write("\n".join(bodies))
            out.write("\n")
    return time.perf_counter() - started


# --------------------------------------------------------------------------------------------
# Seeding


@dataclass
class Seed:
    cc_basic: dict = field(default_factory=dict)
    cc_pkjwt: dict = field(default_factory=dict)
    cc_opaque: dict = field(default_factory=dict)
    web_rs256: dict = field(default_factory=dict)
    web_es256: dict = field(default_factory=dict)
    pkjwt_pem: bytes = b""
    pkjwt_kid: str = "bench-es256"
    session_cookie: str = ""
    jwt_access_token: str = ""
    opaque_access_token: str = ""
    refresh_token: str = ""
    verifier: str = ""
    challenge: str = ""


def admin_token(client: Client) -> str:
    answer = client.request("POST", "/api/v1/oauth/token", headers={"Authorization": basic(ADMIN_ID, ADMIN_SECRET)},
                            form={"grant_type": "client_credentials", "scope": "admin"})
    if answer.status != 200:
        fail(f"admin token: {answer.status} {answer.text}")
    return answer.json()["access_token"]


def create_client(client: Client, token: str, **fields) -> dict:
    answer = client.request("POST", "/api/v1/admin/oauth/clients", headers={"Authorization": "Bearer " + token}, body=fields)
    if answer.status != 201:
        fail(f"create client {fields.get('name')}: {answer.status} {answer.text}")
    return answer.json()["data"]


def hidden_fields(html: str) -> dict[str, str]:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' in tag:
            fields[name.group(1)] = (value.group(1) if value else "").replace("&amp;", "&").replace("&#x2F;", "/").replace("&#47;", "/").replace("&quot;", '"').replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&#x3D;", "=").replace("&#61;", "=").replace("&#x60;", "`")
    return fields


def authorize_path(client_id: str, challenge: str, scope: str = "openid profile") -> str:
    return "/api/v1/oauth/authorize?" + urllib.parse.urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT_URI, "scope": scope,
        "state": "bench-state", "nonce": "bench-nonce", "code_challenge": challenge, "code_challenge_method": "S256",
    })


def code_from(location: str | None) -> str | None:
    if not location or not location.startswith(REDIRECT_URI):
        return None
    return urllib.parse.parse_qs(urllib.parse.urlsplit(location).query).get("code", [None])[0]


def seed(server: Server, client: Client) -> Seed:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    out = Seed()
    token = admin_token(client)
    common = {"redirect_uris": [REDIRECT_URI], "scopes": API_SCOPES.split()}
    # It also introspects the other clients' tokens, as a resource server does: only a client the
    # administrator marked is_resource_server may (authorization boundaries, rule 8).
    out.cc_basic = create_client(client, token, name="bench client_secret_basic", grant_types=["client_credentials"],
                                 client_auth_methods=["client_secret_basic"], is_resource_server=True, **common)
    out.cc_opaque = create_client(client, token, name="bench opaque", grant_types=["client_credentials"],
                                  client_auth_methods=["client_secret_basic"], access_token_format="opaque", **common)
    key = ec.generate_private_key(ec.SECP256R1())
    numbers = key.public_key().public_numbers()
    jwk = {"kty": "EC", "crv": "P-256", "kid": out.pkjwt_kid, "use": "sig", "alg": "ES256",
           "x": b64url(numbers.x.to_bytes(32, "big")), "y": b64url(numbers.y.to_bytes(32, "big"))}
    out.pkjwt_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    out.cc_pkjwt = create_client(client, token, name="bench private_key_jwt", grant_types=["client_credentials"],
                                 client_auth_methods=["private_key_jwt"], jwks=json.dumps({"keys": [jwk]}), **common)
    # The web clients: one through the admin API (ID tokens in RS256, OpenID's default), one
    # through dynamic registration, which can ask for ES256 ID tokens.
    out.web_rs256 = create_client(client, token, name="bench web RS256", redirect_uris=[REDIRECT_URI],
                                  grant_types=["authorization_code", "refresh_token"],
                                  client_auth_methods=["client_secret_basic"], scopes=["openid", "profile", "email"])
    answer = client.request("POST", "/api/v1/oauth/register", body={
        "client_name": "bench web ES256", "redirect_uris": [REDIRECT_URI], "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"], "token_endpoint_auth_method": "client_secret_basic", "scope": "openid profile email",
        "id_token_signed_response_alg": "ES256",
    })
    if answer.status != 201:
        fail(f"dynamic registration: {answer.status} {answer.text}")
    out.web_es256 = answer.json()

    # A user, signed in once through the login form.
    username, password = "bench-user", "pw-" + secrets.token_urlsafe(18)
    server.cli("admin", "user", "add", "--database", server.database, "--username", username,
               "--email", "bench-user@example.com", "--name", "Bench User", stdin=password + "\n")
    page = client.request("GET", "/api/v1/login")
    csrf_cookie = page.cookies().get("custos_csrf")
    csrf = hidden_fields(page.text).get("csrf_token")
    if page.status != 200 or not csrf_cookie or not csrf:
        fail(f"login page: {page.status}, csrf cookie {bool(csrf_cookie)}, csrf field {bool(csrf)}")
    answer = client.request("POST", "/api/v1/login", headers={"Cookie": f"custos_csrf={csrf_cookie}"},
                            form={"username": username, "password": password, "csrf_token": csrf, "return_to": "/api/v1/account"})
    session = answer.cookies().get("custos_session")
    if answer.status not in (302, 303) or not session:
        fail(f"sign-in: {answer.status} {answer.text[:300]}")
    out.session_cookie = session
    cookies = {"Cookie": f"custos_csrf={csrf_cookie}; custos_session={session}"}

    # PKCE: one verifier for every flow of the run (the code is what must be fresh).
    out.verifier = b64url(secrets.token_bytes(32))
    out.challenge = b64url(hashlib.sha256(out.verifier.encode()).digest())

    # Consent, once per web client, through the consent form; then one full flow each.
    for web, alg in ((out.web_rs256, "RS256"), (out.web_es256, "ES256")):
        path = authorize_path(web["client_id"], out.challenge)
        answer = client.request("GET", path, headers=cookies)
        location = answer.header("Location") or ""
        if answer.status not in (302, 303) or "/consent" not in location:
            fail(f"authorize before consent: {answer.status} {location} {answer.text[:300]}")
        page = client.request("GET", location, headers=cookies)
        fields = hidden_fields(page.text)
        if page.status != 200 or "csrf_token" not in fields:
            fail(f"consent page: {page.status} {page.text[:300]}")
        fields["decision"] = "approve"
        answer = client.request("POST", "/api/v1/consent", headers=cookies, form=fields)
        if answer.status not in (302, 303):
            fail(f"consent: {answer.status} {answer.text[:300]}")
        answer = client.request("GET", path, headers={"Cookie": f"custos_session={session}"})
        code = code_from(answer.header("Location"))
        if answer.status not in (302, 303) or not code:
            fail(f"authorize after consent: {answer.status} {answer.header('Location')} {answer.text[:300]}")
        answer = client.request("POST", "/api/v1/oauth/token", headers={"Authorization": basic(web["client_id"], web["client_secret"])},
                                form={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI,
                                      "code_verifier": out.verifier})
        if answer.status != 200:
            fail(f"code exchange ({alg} client): {answer.status} {answer.text}")
        tokens = answer.json()
        id_header = json.loads(base64.urlsafe_b64decode(tokens["id_token"].split(".")[0] + "=="))
        if id_header.get("alg") != alg:
            fail(f"the {alg} client got an ID token signed with {id_header.get('alg')}")
        if alg == "ES256":
            out.refresh_token = tokens.get("refresh_token", "")
            if not out.refresh_token:
                fail(f"the code exchange returned no refresh token: {sorted(tokens)}")

    # Tokens to introspect, and one check of each request the load will send.
    auth = {"Authorization": basic(out.cc_basic["client_id"], out.cc_basic["client_secret"])}
    answer = client.request("POST", "/api/v1/oauth/token", headers=auth, form={"grant_type": "client_credentials", "scope": "api.read"})
    if answer.status != 200:
        fail(f"client_credentials: {answer.status} {answer.text}")
    out.jwt_access_token = answer.json()["access_token"]
    answer = client.request("POST", "/api/v1/oauth/token",
                            headers={"Authorization": basic(out.cc_opaque["client_id"], out.cc_opaque["client_secret"])},
                            form={"grant_type": "client_credentials", "scope": "api.read"})
    if answer.status != 200 or answer.json()["access_token"].count(".") == 2:
        fail(f"opaque client_credentials: {answer.status} {answer.text}")
    out.opaque_access_token = answer.json()["access_token"]
    for kind, value in (("JWT", out.jwt_access_token), ("opaque", out.opaque_access_token)):
        answer = client.request("POST", "/api/v1/oauth/introspect", headers=auth, form={"token": value})
        if answer.status != 200 or answer.json().get("active") is not True:
            fail(f"introspection of the {kind} token: {answer.status} {answer.text}")
    answer = client.request("POST", "/api/v1/oauth/token",
                            headers={"Authorization": basic(out.web_es256["client_id"], out.web_es256["client_secret"])},
                            form={"grant_type": "refresh_token", "refresh_token": out.refresh_token})
    if answer.status != 200:
        fail(f"refresh: {answer.status} {answer.text}")
    return out


# --------------------------------------------------------------------------------------------
# Scenarios


@dataclass
class Scenario:
    name: str
    env: dict[str, str]
    # Cryptography per operation that no server can skip: (operation, count) pairs of the floor.
    crypto: list[tuple[str, int]]
    requests_per_op: int = 1
    note: str = ""
    # Load run beside wrk for the whole scenario: "failed-sign-ins" (FailedSignInStorm).
    background: str = ""


def scenarios(seed: Seed, issuer: str, pool_path: Path) -> list[Scenario]:
    form = "application/x-www-form-urlencoded"
    token = "/api/v1/oauth/token"
    basic_auth = basic(seed.cc_basic["client_id"], seed.cc_basic["client_secret"])
    es256_auth = basic(seed.web_es256["client_id"], seed.web_es256["client_secret"])
    rs256_auth = basic(seed.web_rs256["client_id"], seed.web_rs256["client_secret"])
    code_body = "grant_type=authorization_code&redirect_uri=" + urllib.parse.quote(REDIRECT_URI, safe="") + \
        "&code_verifier=" + seed.verifier + "&code="
    has_access_token = '"access_token"'
    return [
        Scenario("client_credentials (client_secret_basic)",
                 {"BENCH_MODE": "static", "BENCH_METHOD": "POST", "BENCH_PATH": token, "BENCH_CTYPE": form, "BENCH_AUTH": basic_auth,
                  "BENCH_BODY": "grant_type=client_credentials&scope=api.read", "BENCH_EXPECT": has_access_token},
                 [("hmac_sha256_us", 1), ("es256_sign_us", 1)]),
        Scenario("client_credentials (private_key_jwt)",
                 {"BENCH_MODE": "pool", "BENCH_METHOD": "POST", "BENCH_PATH": token, "BENCH_CTYPE": form,
                  "BENCH_POOL": str(pool_path), "BENCH_EXPECT": has_access_token},
                 [("es256_verify_us", 1), ("es256_sign_us", 1)]),
        Scenario("introspection (JWT access token)",
                 {"BENCH_MODE": "static", "BENCH_METHOD": "POST", "BENCH_PATH": "/api/v1/oauth/introspect", "BENCH_CTYPE": form,
                  "BENCH_AUTH": basic_auth, "BENCH_BODY": "token=" + seed.jwt_access_token, "BENCH_EXPECT": '"active":true'},
                 [("hmac_sha256_us", 1), ("es256_verify_us", 1)]),
        Scenario("introspection (opaque access token)",
                 {"BENCH_MODE": "static", "BENCH_METHOD": "POST", "BENCH_PATH": "/api/v1/oauth/introspect", "BENCH_CTYPE": form,
                  "BENCH_AUTH": basic_auth, "BENCH_BODY": "token=" + seed.opaque_access_token, "BENCH_EXPECT": '"active":true'},
                 [("hmac_sha256_us", 1), ("sha256_us", 1)]),
        Scenario("authorization code + PKCE, ES256 ID token",
                 {"BENCH_MODE": "flow", "BENCH_PATH": authorize_path(seed.web_es256["client_id"], seed.challenge),
                  "BENCH_COOKIE": "custos_session=" + seed.session_cookie, "BENCH_TOKEN_AUTH": es256_auth, "BENCH_TOKEN_BODY": code_body},
                 [("sha256_us", 5), ("hmac_sha256_us", 1), ("es256_sign_us", 2)], requests_per_op=2,
                 note="one op = authorize (302 with code) + token (access, ID and refresh token)"),
        Scenario("authorization code + PKCE, RS256 ID token",
                 {"BENCH_MODE": "flow", "BENCH_PATH": authorize_path(seed.web_rs256["client_id"], seed.challenge),
                  "BENCH_COOKIE": "custos_session=" + seed.session_cookie, "BENCH_TOKEN_AUTH": rs256_auth, "BENCH_TOKEN_BODY": code_body},
                 [("sha256_us", 5), ("hmac_sha256_us", 1), ("es256_sign_us", 1), ("rs256_sign_us", 1)], requests_per_op=2,
                 note="the same with OpenID's default ID-token algorithm (RSA-2048)"),
        Scenario("refresh (confidential client, stable refresh token)",
                 {"BENCH_MODE": "static", "BENCH_METHOD": "POST", "BENCH_PATH": token, "BENCH_CTYPE": form, "BENCH_AUTH": es256_auth,
                  "BENCH_BODY": "grant_type=refresh_token&refresh_token=" + seed.refresh_token, "BENCH_EXPECT": has_access_token},
                 [("hmac_sha256_us", 1), ("sha256_us", 1), ("es256_sign_us", 1)]),
        Scenario("JWKS", {"BENCH_MODE": "static", "BENCH_PATH": "/.well-known/jwks.json", "BENCH_EXPECT": '"keys"'}, []),
        Scenario("discovery", {"BENCH_MODE": "static", "BENCH_PATH": "/.well-known/openid-configuration", "BENCH_EXPECT": issuer}, []),
        # Rule 10: scrypt runs on its own small pool, so sign-ins under attack do not starve the
        # other endpoints; the p99 of these two should stay under 50 ms.
        Scenario("JWKS while 50 concurrent failed sign-ins run",
                 {"BENCH_MODE": "static", "BENCH_PATH": "/.well-known/jwks.json", "BENCH_EXPECT": '"keys"'}, [],
                 note="50 threads post wrong passwords (scrypt, OWASP cost) from changing addresses the whole time",
                 background="failed-sign-ins"),
        Scenario("client_credentials while 50 concurrent failed sign-ins run",
                 {"BENCH_MODE": "static", "BENCH_METHOD": "POST", "BENCH_PATH": token, "BENCH_CTYPE": form, "BENCH_AUTH": basic_auth,
                  "BENCH_BODY": "grant_type=client_credentials&scope=api.read", "BENCH_EXPECT": has_access_token},
                 [("hmac_sha256_us", 1), ("es256_sign_us", 1)],
                 note="the same background of failed sign-ins", background="failed-sign-ins"),
    ]


class FailedSignInStorm:
    """`workers` threads, each signing in over and over with a wrong password, as a password
    guessing attack would. Every attempt claims its own address through X-Forwarded-For (the
    server trusts 127.0.0.1 as a proxy in this run), so no attempt is throttled and each costs
    a real scrypt verification: the worst case for the hashing pool."""

    def __init__(self, port: int, workers: int = 50):
        self.client = Client(port)
        self.workers = workers
        self.stopping = threading.Event()
        self.statuses: dict[int, int] = {}
        self.lock = threading.Lock()
        self.threads: list[threading.Thread] = []

    def _attempt(self, worker: int, attempt: int) -> int:
        forwarded = {"X-Forwarded-For": f"198.18.{worker}.{attempt % 250 + 1}"}
        page = self.client.request("GET", "/api/v1/login", headers=forwarded)
        fields = hidden_fields(page.text)
        cookie = "; ".join(f"{name}={value}" for name, value in page.cookies().items())
        fields.update(username=f"storm-{worker}-{attempt}", password="wrong-password-" + secrets.token_hex(4))
        answer = self.client.request("POST", "/api/v1/login", headers=dict(forwarded, Cookie=cookie), form=fields)
        return answer.status

    def _run(self, worker: int) -> None:
        attempt = 0
        while not self.stopping.is_set():
            attempt += 1
            try:
                status = self._attempt(worker, attempt)
            except (OSError, http.client.HTTPException):
                status = 0
            with self.lock:
                self.statuses[status] = self.statuses.get(status, 0) + 1

    def start(self) -> "FailedSignInStorm":
        for worker in range(self.workers):
            thread = threading.Thread(target=self._run, args=(worker,), daemon=True)
            thread.start()
            self.threads.append(thread)
        time.sleep(1.0)  # every worker is in its first sign-in before wrk starts
        return self

    def stop(self) -> dict[int, int]:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=HTTP_TIMEOUT + 5)
        return dict(self.statuses)


@dataclass
class Result:
    scenario: Scenario
    ops_per_s: float
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    error_detail: str
    peak_rss_mb: float
    server_cores: float
    wrk_cores: float
    db_cores: float
    other_cores: float
    floor_us: float | None
    floor_fraction: float | None
    raw: dict
    log_problems: list[str]


def run_wrk(scenario: Scenario, server: Server, sampler: MemorySampler, args, workdir: Path, duration: float,
            floor: dict[str, float], profile: Path | None = None) -> Result:
    result_path = workdir / f"wrk-{abs(hash(scenario.name + str(time.time())))}.json"
    env = dict(os.environ, **scenario.env, BENCH_RESULT=str(result_path), BENCH_THREADS=str(args.threads))
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{duration:g}s", "--timeout", "5s",
               "-s", str(WRK_SCRIPT), f"http://127.0.0.1:{server.port}"]
    log_offset = server.log_path.stat().st_size
    server_cpu = server.cpu_seconds()
    db_cpu = tree_cpu_seconds(args.postgres_pid) if args.postgres_pid else 0.0
    busy0, total0 = machine_busy_jiffies()
    start = time.monotonic()
    profiler = None
    if profile is not None:
        # perf samples the server only, with call graphs, for the whole scenario.
        profiler = subprocess.Popen(
            ["perf", "record", "-e", "cpu-clock", "-F", "999", "--call-graph", "dwarf,16384", "-p", str(server.process.pid),
             "-o", str(profile), "--", "sleep", f"{max(duration - 0.5, 0.5):g}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    storm = FailedSignInStorm(server.port).start() if scenario.background == "failed-sign-ins" else None
    with open(workdir / "wrk.stdout", "ab") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=sink)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    end = time.monotonic()
    if storm is not None:
        statuses = storm.stop()
        # 401: a wrong password, verified; 503: the hashing pool's queue was full (by design).
        log(f"  failed sign-ins beside it: {sum(statuses.values()):,} ({', '.join(f'{k}: {v:,}' for k, v in sorted(statuses.items()))})")
    if profiler is not None:
        profiler.wait()
    busy1, total1 = machine_busy_jiffies()
    elapsed = end - start
    server_cores = (server.cpu_seconds() - server_cpu) / elapsed if server.alive() else float("nan")
    wrk_cores = (usage.ru_utime + usage.ru_stime) / elapsed
    # Backends that ended during the run are missed: a lower bound (Custos keeps its pool open).
    db_cores = (tree_cpu_seconds(args.postgres_pid) - db_cpu) / elapsed if args.postgres_pid else 0.0
    ncpu = os.cpu_count() or 1
    machine_cores = (busy1 - busy0) / max(total1 - total0, 1) * ncpu
    if process.returncode != 0 or not result_path.exists():
        fail(f"wrk failed for {scenario.name} (exit {process.returncode}); see {workdir / 'wrk.stdout'}")
    raw = json.loads(result_path.read_text())
    seconds = raw["duration_us"] / 1e6
    e = raw["errors"]
    socket_errors = e["connect"] + e["read"] + e["write"] + e["timeout"]
    errors = socket_errors + e["status"] + raw["bad"]
    if scenario.env["BENCH_MODE"] == "flow":
        ops = raw["completed"] / seconds
    else:
        ops = (raw["requests"] - e["status"] - raw["bad"]) / seconds
    detail = []
    if socket_errors:
        detail.append(f"socket connect {e['connect']} read {e['read']} write {e['write']} timeout {e['timeout']}")
    if e["status"]:
        statuses = {k: v for k, v in raw["statuses"].items() if int(k) >= 400}
        detail.append(f"status>=400 {e['status']} {statuses}")
    if raw["bad"]:
        detail.append(f"bad answers {raw['bad']}")
    if raw.get("reused"):
        detail.append(f"pool exhausted: {raw['reused']} assertions reused")
    if raw.get("bad_sample"):
        detail.append(f"first: {raw['bad_sample'][:240]}")
    known = scenario.crypto and all(name in floor for name, _ in scenario.crypto)
    floor_us = sum(floor[name] * count for name, count in scenario.crypto) if known else None
    floor_fraction = ops / (ncpu * 1e6 / floor_us) if floor_us else None
    problems = []
    with open(server.log_path, "rb") as handle:
        handle.seek(log_offset)
        for line in handle.read().decode(errors="replace").splitlines():
            level = line.split(" ", 2)[1] if line.count(" ") >= 2 else ""
            status = re.search(r"http\.status=(\d+)", line)
            if level in ("warning", "error", "critical") or (status and int(status.group(1)) >= 500):
                problems.append(line[:300])
    if not server.alive():
        problems.append(f"custos serve exited with status {server.process.returncode} during this scenario")
    return Result(
        scenario=scenario, ops_per_s=ops, requests_per_s=raw["requests"] / seconds,
        p50_ms=raw["latency_us"]["p50"] / 1000, p99_ms=raw["latency_us"]["p99"] / 1000, errors=errors,
        error_detail="; ".join(detail), peak_rss_mb=sampler.peak_mb(start, end), server_cores=server_cores,
        wrk_cores=wrk_cores, db_cores=db_cores, other_cores=max(machine_cores - server_cores - wrk_cores - db_cores, 0.0),
        floor_us=floor_us,
        floor_fraction=floor_fraction, raw=raw, log_problems=problems,
    )


# --------------------------------------------------------------------------------------------
# Output


def format_table(results: list[Result], postgres: bool) -> list[list[str]]:
    header = ["scenario", "ops/s", "req/s", "p50 ms", "p99 ms", "errors", "peak RSS MB", "server CPU", "wrk CPU"] + \
        (["PG CPU"] if postgres else []) + ["other CPU", "server CPU µs/op", "crypto floor µs/op", "% of floor"]
    rows = []
    for r in results:
        rows.append([
            r.scenario.name, f"{r.ops_per_s:,.0f}", f"{r.requests_per_s:,.0f}", f"{r.p50_ms:.2f}", f"{r.p99_ms:.2f}",
            f"{r.errors}", f"{r.peak_rss_mb:.1f}", f"{r.server_cores:.2f}", f"{r.wrk_cores:.2f}"]
            + ([f"{r.db_cores:.2f}"] if postgres else []) + [f"{r.other_cores:.2f}",
            f"{r.server_cores * 1e6 / r.ops_per_s:,.0f}" if r.ops_per_s > 0 else "—",
            "—" if r.floor_us is None else f"{r.floor_us:.1f}",
            "—" if r.floor_fraction is None else f"{100 * r.floor_fraction:.1f} %",
        ])
    return [header] + rows


def print_table(table: list[list[str]], stream=sys.stdout) -> None:
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for index, row in enumerate(table):
        cells = [cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)]
        print("  ".join(cells), file=stream)
        if index == 0:
            print("  ".join("-" * w for w in widths), file=stream)


def markdown_table(table: list[list[str]]) -> str:
    lines = ["| " + " | ".join(table[0]) + " |", "|" + "|".join("---" if i == 0 else "---:" for i in range(len(table[0]))) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in table[1:]]
    return "\n".join(lines)


def openssl_speed(seconds: int) -> dict[str, float]:
    """OpenSSL's figures for the same primitives, as a cross-check of the Swift floor."""
    out = {}
    try:
        text = subprocess.run(["openssl", "speed", "-mr", "-seconds", str(seconds), "ecdsap256", "rsa2048"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120).stdout
        for line in text.splitlines():
            if line.startswith("+F4:"):  # +F4:n:bits:sign/s:verify/s (ECDSA)
                parts = line.split(":")
                out["es256_sign_us"], out["es256_verify_us"] = 1e6 / float(parts[3]), 1e6 / float(parts[4])
            elif line.startswith("+F2:"):  # +F2:n:bits:sign/s:verify/s (RSA)
                parts = line.split(":")
                out["rs256_sign_us"], out["rs256_verify_us"] = 1e6 / float(parts[3]), 1e6 / float(parts[4])
        for key, selection in (("hmac_sha256_us", ["-hmac", "sha256"]), ("sha256_us", ["-evp", "sha256"])):
            text = subprocess.run(["openssl", "speed", "-mr", "-seconds", str(seconds), *selection, "-bytes", "64"],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60).stdout
            for line in text.splitlines():
                if line.startswith("+R:"):  # +R:count:name:seconds
                    parts = line.split(":")
                    out[key] = float(parts[3]) * 1e6 / int(parts[1])
    except (OSError, subprocess.SubprocessError, ValueError, IndexError) as error:
        log(f"openssl speed failed: {error}")
    return out


def machine_description() -> dict[str, str]:
    model = "?"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = "?"
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return {"nproc": str(os.cpu_count()), "cpu": model, "memory": memory, "kernel": os.uname().release}


def wait_for_quiet(limit: float, threshold: float = 0.35) -> float:
    """Waits (at most `limit` seconds) until the machine has been nearly idle for 3 s; returns the busy cores seen last."""
    deadline = time.monotonic() + limit
    quiet_since = None
    busy = 0.0
    ncpu = os.cpu_count() or 1
    while True:
        b0, t0 = machine_busy_jiffies()
        time.sleep(1)
        b1, t1 = machine_busy_jiffies()
        busy = (b1 - b0) / max(t1 - t0, 1) * ncpu
        now = time.monotonic()
        if busy < threshold:
            quiet_since = quiet_since or now
            if now - quiet_since >= 3:
                return busy
        else:
            quiet_since = None
        if now > deadline:
            log(f"the machine is still busy ({busy:.2f} cores used by other processes); measuring anyway")
            return busy
        if quiet_since is None and int(now) % 15 == 0:
            log(f"waiting for the machine to be idle: {busy:.2f} cores busy")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, type=Path)
    parser.add_argument("--floor", type=Path, help="the crypto-floor executable")
    parser.add_argument("--database", default="sqlite", help="sqlite, or a postgres:// URL (then CUSTOS_MASTER_KEY must be set)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per scenario (default 10)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--postgres-pid", type=int, help="PID of the PostgreSQL postmaster, to account for its CPU")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2, help="wrk threads (default: nproc)")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of client_credentials load before measuring")
    parser.add_argument("--wait-idle", type=float, default=60, metavar="SECONDS",
                        help="before each scenario, wait up to this long for other processes to leave the CPUs idle "
                             "(default 60; 0: never wait). The table's 'other CPU' column shows what ran anyway")
    parser.add_argument("--only", help="run only the scenarios whose name contains this text")
    parser.add_argument("--log-level", default="info", help="custos --log-level (default info, as in production)")
    parser.add_argument("--keep", action="store_true", help="keep the run folder (database, logs, raw results)")
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="record a perf profile of the server during each scenario into DIR (perf.data files and "
                             "a text report of the hottest symbols); profiling costs throughput, so never with a run you quote")
    parser.add_argument("--json", type=Path, help="also write all results to this file")
    parser.add_argument("--markdown", type=Path, help="also write the table as Markdown to this file")
    args = parser.parse_args()

    if shutil.which("wrk") is None:
        fail("wrk is not installed (Debian: apt-get install wrk)")
    workdir = Path(tempfile.mkdtemp(prefix="custos-bench-"))
    log(f"run folder {workdir}")
    machine = machine_description()

    # 1. The floor: cryptography every server must do, measured before the server starts.
    floor: dict[str, float] = {}
    if args.wait_idle > 0:
        wait_for_quiet(args.wait_idle)
    if args.floor:
        log("measuring the crypto floor (swift-crypto, one core)")
        text = subprocess.run([str(args.floor), "1.5"], capture_output=True, text=True, check=True, timeout=120).stdout
        floor = json.loads(text)
    log("measuring OpenSSL's figures for the same primitives (cross-check)")
    openssl = openssl_speed(2)
    if not floor:
        floor = openssl

    # 2. The server: a fresh database, time to first answer, seeding, a restart on the seeded database.
    binary = workdir / "bin" / "custos"
    binary.parent.mkdir()
    shutil.copy2(args.binary, binary)
    port = free_port()
    database = f"sqlite:{workdir / 'custos.db'}" if args.database == "sqlite" else args.database
    env = {name: value for name, value in os.environ.items() if not name.startswith("CUSTOS_") or name == "CUSTOS_MASTER_KEY"}
    env.update(CUSTOS_BOOTSTRAP_ADMIN_CLIENT_ID=ADMIN_ID, CUSTOS_BOOTSTRAP_ADMIN_CLIENT_SECRET=ADMIN_SECRET,
               CUSTOS_SCOPES=API_SCOPES, CUSTOS_LOG_LEVEL=args.log_level, CUSTOS_ISSUER=f"http://127.0.0.1:{port}")
    # The scenarios drive one client (and one address) far past the default per-client and
    # per-address limits on purpose: measured is the work of a request, not the limiter's 429.
    env.update(CUSTOS_RATE_LIMIT_TOKEN_PER_CLIENT="0", CUSTOS_RATE_LIMIT_LOGIN_PER_IP="0")
    # The failed-sign-in scenarios claim a new address per attempt through X-Forwarded-For.
    env.update(CUSTOS_TRUSTED_PROXIES="127.0.0.1")
    server = Server(binary, workdir, port, database, env)
    client = Client(port)
    results: list[Result] = []
    startup: dict[str, float] = {}
    try:
        startup["fresh database"] = server.start()
        log(f"first answer after {startup['fresh database'] * 1000:.0f} ms (fresh database)")
        seed_data = seed(server, client)
        log("seeded: 5 clients, 1 user, a session, consents, tokens")
        server.stop()
        startup["seeded database"] = server.start()
        log(f"first answer after {startup['seeded database'] * 1000:.0f} ms (restart on the seeded database)")
        sampler = MemorySampler(server.process.pid)
        sampler.start()

        issuer = f"http://127.0.0.1:{port}"
        pool_path = workdir / "assertions.txt"
        plan = scenarios(seed_data, issuer, pool_path)
        if args.only:
            plan = [s for s in plan if args.only.lower() in s.name.lower()]
        if args.warmup > 0:
            log(f"warm-up: {args.warmup:g} s of client_credentials")
            run_wrk(scenarios(seed_data, issuer, pool_path)[0], server, sampler, args, workdir, args.warmup, floor)
        basic_rate = None
        for scenario in plan:
            if scenario.env["BENCH_MODE"] == "pool":
                # Each assertion's jti is single-use: sign enough for the fastest rate seen so far.
                rate = basic_rate or 15000
                count = int(rate * args.duration * 1.3) + 5000
                log(f"pre-signing {count:,} client assertions (ES256, Python cryptography, {os.cpu_count()} processes)")
                spent = write_assertion_pool(pool_path, seed_data.pkjwt_pem, seed_data.cc_pkjwt["client_id"], issuer,
                                             seed_data.pkjwt_kid, count, lifetime=int(args.duration) + 900)
                log(f"  signed in {spent:.1f} s")
            if args.wait_idle > 0:
                wait_for_quiet(args.wait_idle)
            log(f"{scenario.name}: {args.duration:g} s, {args.connections} connections, {args.threads} wrk threads")
            profile = None
            if args.profile:
                args.profile.mkdir(parents=True, exist_ok=True)
                profile = args.profile / (re.sub(r"[^a-z0-9]+", "-", scenario.name.lower()).strip("-") + ".perf.data")
            result = run_wrk(scenario, server, sampler, args, workdir, args.duration, floor, profile)
            results.append(result)
            if profile is not None and profile.exists():
                report = subprocess.run(
                    ["perf", "report", "-i", str(profile), "--stdio", "--no-children", "--percent-limit", "0.7",
                     "--sort", "dso,symbol", "-g", "none"], capture_output=True, text=True).stdout
                profile.with_suffix(".txt").write_text(report)
                log(f"  profile: {profile.with_suffix('.txt')}")
            log(f"  {result.ops_per_s:,.0f} ops/s, p99 {result.p99_ms:.2f} ms, errors {result.errors}"
                + (f" ({result.error_detail})" if result.error_detail else ""))
            for line in result.log_problems[:5]:
                log(f"  server log: {line}")
            if scenario.name.startswith("client_credentials (client_secret_basic)"):
                basic_rate = result.ops_per_s
            if not server.alive():
                log(f"custos serve died (status {server.process.returncode}):\n{server.log_tail()}")
                break
        time.sleep(0.2)
        overall_hwm = sampler.hwm_mb()
        sampler.stopped.set()
    finally:
        server.stop()

    # 3. The table.
    table = format_table(results, postgres=args.database != "sqlite")
    print()
    print(f"Custos benchmark — {machine['nproc']} × {machine['cpu']}, {machine['memory']}; "
          f"database {args.database if args.database == 'sqlite' else 'postgresql'}; "
          f"{args.connections} connections, {args.duration:g} s per scenario, wrk {args.threads} threads on the same machine")
    print()
    print_table(table)
    print()
    print("ops/s: completed operations per second (authorization code: authorize + token = 1 op, 2 requests);")
    print("p50/p99: wrk's per-request latency; errors: socket errors + status >= 400 + wrong answers;")
    print("CPU: cores used on average by the server, by wrk" + (", by PostgreSQL" if args.postgres_pid else "")
          + " and by anything else on the machine (other sessions, the kernel's own threads);")
    print("server CPU µs/op: the server's CPU time per completed op (server CPU ÷ ops/s), whatever else ran;")
    print("crypto floor: µs of one core for the signatures/MACs/hashes one op needs; % of floor = ops/s ÷ (nproc × 10⁶ ÷ floor).")
    print(f"time to first answer: {startup.get('fresh database', 0) * 1000:.0f} ms on a fresh database, "
          f"{startup.get('seeded database', 0) * 1000:.0f} ms on the seeded one; server VmHWM over the run {overall_hwm:.1f} MB")
    print("crypto floor, one core, µs/op: " + ", ".join(f"{k.removesuffix('_us')} {v:.2f}" for k, v in sorted(floor.items()))
          + (" (swift-crypto 4.5.2)" if args.floor else " (openssl speed)"))
    if openssl:
        print("openssl speed, one core, µs/op: " + ", ".join(f"{k.removesuffix('_us')} {v:.2f}" for k, v in sorted(openssl.items())))
    for r in results:
        if r.error_detail:
            print(f"errors in {r.scenario.name}: {r.error_detail}")
        for line in r.log_problems[:10]:
            print(f"server log during {r.scenario.name}: {line}")

    if args.json:
        args.json.write_text(json.dumps({
            "machine": machine, "database": "sqlite" if args.database == "sqlite" else "postgresql",
            "connections": args.connections, "duration": args.duration, "threads": args.threads,
            "startup_ms": {k: v * 1000 for k, v in startup.items()}, "vmhwm_mb": overall_hwm, "floor_us": floor,
            "openssl_us": openssl,
            "results": [{
                "scenario": r.scenario.name, "ops_per_s": r.ops_per_s, "requests_per_s": r.requests_per_s, "p50_ms": r.p50_ms,
                "p99_ms": r.p99_ms, "errors": r.errors, "error_detail": r.error_detail, "peak_rss_mb": r.peak_rss_mb,
                "server_cores": r.server_cores, "wrk_cores": r.wrk_cores, "db_cores": r.db_cores, "other_cores": r.other_cores, "floor_us": r.floor_us,
                "floor_fraction": r.floor_fraction, "wrk": r.raw, "server_log_problems": r.log_problems[:50],
            } for r in results],
        }, indent=2))
    if args.markdown:
        args.markdown.write_text(markdown_table(table) + "\n")
    if args.keep:
        log(f"kept {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    if any(r.errors for r in results):
        raise SystemExit(2)


if __name__ == "__main__":
    main()
