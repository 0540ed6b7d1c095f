"""Plain helpers of the hostile-input tests: raw HTTP/1.1 over a socket (bodies that lie about
their length, chunked uploads, bytes no HTTP library would send), response parsing, and the
answer formats every test checks.

Nothing here imports the parent ``interop/conftest.py``; ``conftest.py`` of this folder builds
the fixtures.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import select
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

# "Answered within ~1 s": from the first byte sent to the last byte of the answer.
QUICK = 1.0
KIB = 1024
MIB = 1024 * 1024
# The default body limit is 1 MiB; these are the sizes the brief names.
TWO_MB = 2 * 1000 * 1000
FIVE_MB = 5 * 1000 * 1000
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


HTTP_TIMEOUT = 10.0
# /health after an attack: the server keeps serving, promptly.
HEALTH_WITHIN = 2.0


# -- raw HTTP ------------------------------------------------------------------------------


@dataclass
class RawResponse:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    head: bytes  # the status line and header lines exactly as received, without the blank line

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def header_all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]

    def json(self):
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def describe(self) -> str:
        return f"{self.status} {self.reason} {dict(self.headers)!r} {self.body[:400]!r}"


@dataclass
class Exchange:
    """What one raw connection saw."""

    responses: list[RawResponse] = field(default_factory=list)
    # Seconds from the first byte sent to the end of the first response (or to the close).
    elapsed: float = 0.0
    # The server closed (FIN or RST) before we gave up waiting.
    closed: bool = False
    send_error: OSError | None = None
    receive_error: OSError | None = None

    @property
    def first(self) -> RawResponse:
        assert self.responses, f"no response at all (closed={self.closed}, send error={self.send_error!r}, receive error={self.receive_error!r})"
        return self.responses[0]

    def describe(self) -> str:
        answers = "; ".join(response.describe() for response in self.responses) or "no response"
        return (
            f"{answers} (after {self.elapsed:.3f} s, closed={self.closed}, send error={self.send_error!r}, "
            f"receive error={self.receive_error!r})"
        )


class _Reader:
    """Reads HTTP/1.1 responses from a socket, with one overall deadline."""

    def __init__(self, sock: socket.socket, deadline: float):
        self.sock = sock
        self.deadline = deadline
        self.buffer = b""
        self.eof = False

    def _fill(self) -> bool:
        if self.eof:
            return False
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no complete answer before the deadline")
        self.sock.settimeout(remaining)
        try:
            chunk = self.sock.recv(256 * KIB)
        except socket.timeout as error:
            raise TimeoutError("no complete answer before the deadline") from error
        if not chunk:
            self.eof = True
            return False
        self.buffer += chunk
        return True

    def _until(self, marker: bytes) -> bytes | None:
        while marker not in self.buffer:
            if not self._fill():
                return None
        data, _, self.buffer = self.buffer.partition(marker)
        return data

    def _exactly(self, count: int) -> bytes | None:
        while len(self.buffer) < count:
            if not self._fill():
                return None
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def response(self, head_request: bool = False) -> RawResponse | None:
        head = self._until(b"\r\n\r\n")
        if head is None:
            return None
        lines = head.split(b"\r\n")
        parts = lines[0].decode("latin-1").split(" ", 2)
        status, reason = int(parts[1]), (parts[2] if len(parts) > 2 else "")
        headers = []
        for line in lines[1:]:
            name, _, value = line.decode("latin-1").partition(":")
            headers.append((name.strip(), value.strip()))
        response = RawResponse(status, reason, headers, b"", head)
        if head_request or status in (204, 304) or 100 <= status < 200:
            return response
        if (response.header("transfer-encoding") or "").lower() == "chunked":
            body = b""
            while True:
                size_line = self._until(b"\r\n")
                if size_line is None:
                    break
                size = int(size_line.split(b";")[0], 16)
                if size == 0:
                    self._until(b"\r\n")
                    break
                body += self._exactly(size) or b""
                self._exactly(2)
            response.body = body
        elif response.header("content-length") is not None:
            response.body = self._exactly(int(response.header("content-length"))) or b""
        else:
            while self._fill():
                pass
            response.body, self.buffer = self.buffer, b""
        return response


def exchange(
    port: int,
    data: bytes,
    more=(),
    timeout: float = 10.0,
    responses: int = 1,
    pause_after_send: float = 0.0,
) -> Exchange:
    """Sends ``data`` (then each piece of ``more``) from a background thread while reading
    answers, so a server that answers early (413) and closes is seen as it answers, and a
    server that never answers is seen as such. Collects up to ``responses`` answers, and keeps
    reading after them until the server closes or ``pause_after_send`` passes."""
    result = Exchange()
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    done = threading.Event()

    def send():
        try:
            sock.sendall(data)
            for piece in more:
                if done.is_set():
                    return
                sock.sendall(piece)
        except OSError as error:
            result.send_error = error

    start = time.monotonic()
    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    reader = _Reader(sock, start + timeout)
    try:
        while len(result.responses) < responses:
            answer = reader.response()
            if answer is None:
                result.closed = True
                break
            if not result.responses:
                result.elapsed = time.monotonic() - start
            result.responses.append(answer)
        if not result.responses:
            result.elapsed = time.monotonic() - start
        if not result.closed and pause_after_send > 0:
            reader.deadline = time.monotonic() + pause_after_send
            try:
                while reader._fill():
                    pass
                result.closed = True
            except TimeoutError:
                pass
    except TimeoutError:
        result.elapsed = time.monotonic() - start
    except OSError as error:  # ECONNRESET: closed with bytes of ours unread
        result.receive_error = error
        result.closed = True
        if not result.responses:
            result.elapsed = time.monotonic() - start
    finally:
        done.set()
        try:
            sock.close()
        except OSError:
            pass
        sender.join(timeout=5)
    return result


def request_bytes(method: str, path: str, headers: dict[str, str | bytes] | list | None = None, body: bytes = b"",
                  content_length: int | None = None, chunked: bool = False) -> bytes:
    """An HTTP/1.1 request head (and body) exactly as given. ``content_length`` may lie."""
    lines = [f"{method} {path} HTTP/1.1".encode(), b"Host: 127.0.0.1"]
    items = headers.items() if isinstance(headers, dict) else (headers or [])
    for name, value in items:
        lines.append(name.encode() + b": " + (value if isinstance(value, bytes) else value.encode()))
    if chunked:
        lines.append(b"Transfer-Encoding: chunked")
    elif body or content_length is not None or method in ("POST", "PUT"):
        lines.append(b"Content-Length: " + str(len(body) if content_length is None else content_length).encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + (b"" if chunked else body)


def chunks(total: int, size: int = 64 * KIB, filler: bytes = b"x"):
    """A chunked body of ``total`` bytes, then the last chunk."""
    sent = 0
    while sent < total:
        count = min(size, total - sent)
        yield b"%x\r\n" % count + filler * count + b"\r\n"
        sent += count
    yield b"0\r\n\r\n"


# -- answer formats ----------------------------------------------------------------------


def assert_oauth_error(response: RawResponse, status: int, errors: str | tuple[str, ...]) -> dict:
    """A protocol endpoint's error: the status, JSON ``{"error", "error_description"}``."""
    errors = (errors,) if isinstance(errors, str) else errors
    assert response.status == status, f"expected {status} {errors}, got {response.describe()}"
    assert (response.header("content-type") or "").startswith("application/json"), response.describe()
    body = response.json()
    assert set(body) == {"error", "error_description"}, f"not the OAuth error shape: {body}"
    assert body["error"] in errors, f"expected error {errors}, got {body}"
    assert isinstance(body["error_description"], str) and body["error_description"], body
    return body


def assert_simple_response(response: RawResponse, status: int) -> dict:
    """An admin API error: ``{"code": <status>, "message", "timestamp"}``."""
    assert response.status == status, f"expected {status}, got {response.describe()}"
    assert (response.header("content-type") or "").startswith("application/json"), response.describe()
    body = response.json()
    assert set(body) == {"code", "message", "timestamp"}, f"not a SimpleResponse: {body}"
    assert body["code"] == status, body
    assert isinstance(body["message"], str) and body["message"], body
    assert RFC3339.match(body["timestamp"]), body
    return body


def assert_html_page(response: RawResponse, status: int) -> None:
    """A browser page's error: HTML with the status."""
    assert response.status == status, f"expected {status} page, got {response.describe()}"
    assert (response.header("content-type") or "").startswith("text/html"), response.describe()
    assert b"<html" in response.body.lower(), response.describe()


def assert_refused_by_http_layer(result: Exchange, allowed=(400, 413, 414, 431)) -> None:
    """What an HTTP server may do with a request it cannot even parse (huge headers, raw
    bytes in the request line): answer one of ``allowed`` and/or close the connection."""
    for response in result.responses:
        assert response.status in allowed, f"expected {allowed} or a closed connection, got {result.describe()}"
    assert result.responses or result.closed, f"neither an answer nor a close: {result.describe()}"


def assert_no_split_headers(response: RawResponse) -> None:
    """Every header line is one header: no injected line, no bare CR or LF in a value."""
    for line in response.head.split(b"\r\n")[1:]:
        assert b"\n" not in line and b"\r" not in line, f"bare CR/LF in the header line {line!r}"
        assert b":" in line, f"a header line without a name: {line!r}"
        name = line.split(b":", 1)[0]
        assert re.fullmatch(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+", name), f"not a header name: {line!r}"
    for value in response.header_all("set-cookie"):
        assert not value.replace(" ", "").lower().startswith("x=1"), f"injected cookie: {value}"
    assert not any(name.lower() == "set-cookie" and value.startswith("x=") for name, value in response.headers)


def query_of(location: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(location).query, keep_blank_values=True)


# -- JOSE by hand (hostile tokens no library would make) ------------------------------------


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def handmade_jwt(header: dict, claims: dict, hmac_key: bytes | None = None, signature: bytes = b"") -> str:
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    if hmac_key is not None:
        signature = hmac.new(hmac_key, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64url(signature)


def huge_jwt(size: int, header: dict | None = None, claims: dict | None = None) -> str:
    """A syntactically well-formed JWT of about ``size`` characters."""
    header = header or {"alg": "ES256", "typ": "at+jwt", "kid": "k"}
    claims = dict(claims or {})
    token = handmade_jwt(header, {**claims, "pad": ""}, signature=b"s" * 64)
    padding = max(0, (size - len(token)) * 3 // 4)
    return handmade_jwt(header, {**claims, "pad": "A" * padding}, signature=b"s" * 64)


# -- slow connections ------------------------------------------------------------------------


def wait_closed(sock: socket.socket, limit: float) -> float | None:
    """Seconds until the peer closes (FIN or RST), or None if still open after ``limit``.
    Any bytes the server sends (a 408, say) are read and ignored."""
    start = time.monotonic()
    while True:
        remaining = limit - (time.monotonic() - start)
        if remaining <= 0:
            return None
        readable, _, _ = select.select([sock], [], [], remaining)
        if not readable:
            continue
        try:
            if not sock.recv(64 * KIB):
                return time.monotonic() - start
        except OSError:
            return time.monotonic() - start


# -- the server keeps serving and keeps what it stored ---------------------------------------


@dataclass
class Sentinel:
    client_id: str
    client_secret: str


def sentinel_token(server, sentinel: Sentinel) -> requests.Response:
    response = requests.post(
        server.token_endpoint,
        data={"grant_type": "client_credentials", "scope": "api.read"},
        auth=(sentinel.client_id, sentinel.client_secret),
        timeout=HTTP_TIMEOUT,
    )
    if response.status_code == 200:
        server.remember_secret(response.json().get("access_token"))
    return response


def assert_still_serving(server, sentinel: Sentinel | None) -> None:
    server.assert_running()
    start = time.monotonic()
    try:
        health = requests.get(server.base_url + "/health", timeout=HEALTH_WITHIN + 3)
    except requests.RequestException as error:
        pytest.fail(f"GET /health failed after the attack: {error!r}", pytrace=False)
    took = time.monotonic() - start
    assert health.status_code == 200 and health.text == "ok", f"GET /health after the attack: {health.status_code} {health.text!r}"
    assert took < HEALTH_WITHIN, f"GET /health took {took:.2f} s after the attack"
    if sentinel is not None:
        response = sentinel_token(server, sentinel)
        assert response.status_code == 200, (
            f"the client created before the attacks no longer gets a token: {response.status_code} {response.text}"
        )
