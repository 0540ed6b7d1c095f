"""Slow and idle connections: slowloris (a partial request head, then nothing), a head dribbled
one byte a second, a body dribbled one byte a second, an idle keep-alive connection, and
hundreds of idle sockets.

Expected (security-cases.md F-12, F-13; the server option ``CUSTOS_REQUEST_TIMEOUT``,
seconds, default 10): a connection that has not delivered a complete request head within the timeout after
connecting (or after its previous response) is closed, and so is one whose body is not in by
then; meanwhile other clients are served promptly. The tests start a server of their own with
``CUSTOS_REQUEST_TIMEOUT=2``; the idle-socket flood runs against the session server.
"""

from __future__ import annotations

import select
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests

from hostilekit import QUICK, assert_still_serving, exchange, request_bytes, wait_closed

HEAD_TIMEOUT = 2.0
# The brief: closed within ~2–5 s of connecting. Earlier than 3/4 of the timeout would cut off
# a legitimate slow client; later than timeout + 3 s means the deadline is not enforced.
EARLIEST = HEAD_TIMEOUT * 0.75
LATEST = HEAD_TIMEOUT + 3.0
PARTIAL_HEAD = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris\r\n"


@pytest.fixture(scope="module")
def slow_server(root, custos_server, request):
    """A server of its own with CUSTOS_REQUEST_TIMEOUT=2 (same binary snapshot as the
    session server, a fresh database)."""
    directory = Path(tempfile.mkdtemp(prefix="custos-hostile-slow-"))
    server = root.CustosServer(
        binary=custos_server.binary, directory=directory, port=root._free_port(), postgres_database=root.fresh_database()
    )
    base_environment = root.CustosServer.environment
    # An instance attribute shadows the method: start() and create_user() use this one.
    server.environment = lambda: {**base_environment(server), "CUSTOS_REQUEST_TIMEOUT": str(int(HEAD_TIMEOUT))}
    failed_before = request.session.testsfailed
    try:
        server.start()
        yield server
    finally:
        complaint = server.stop()
        leaks = server.leaked_secrets()
        if leaks or complaint or request.session.testsfailed > failed_before:
            print(f"\nhostile: kept the slow-client server's folder {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)
        assert not leaks, "the server wrote secrets to its log:\n" + "\n".join(leaks)


def _connect(server) -> tuple[socket.socket, float]:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock, time.monotonic()


def _dribble(sock: socket.socket, connected: float, data: bytes, limit: float, received: bytearray | None = None) -> float | None:
    """Sends ``data`` one byte a second; returns seconds from connecting until the server
    closed the connection, None if it was still open after ``limit`` s. Whatever the server
    sends before closing (a 408, say) goes to ``received``."""
    index = 0
    while time.monotonic() - connected < limit:
        readable, _, _ = select.select([sock], [], [], 1.0)
        if readable:
            try:
                chunk = sock.recv(65536)
            except OSError:
                return time.monotonic() - connected
            if not chunk:
                return time.monotonic() - connected
            if received is not None:
                received.extend(chunk)
            continue
        try:
            sock.send(data[index % len(data): index % len(data) + 1])
            index += 1
        except OSError:
            return time.monotonic() - connected
    return None


def _watch(results: dict, name: str, action) -> threading.Thread:
    def run():
        try:
            results[name] = action()
        except Exception as error:  # reported by the test
            results[name] = error
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


class NormalClient:
    """Requests /health (and a token) in a loop while an attack runs; keeps every latency."""

    def __init__(self, server):
        self.server = server
        self.latencies: list[tuple[str, float, int | str]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        round_ = 0
        while not self.stop.is_set():
            round_ += 1
            for name, call in (
                ("health", lambda: requests.get(self.server.base_url + "/health", timeout=5)),
                ("token", lambda: requests.post(
                    self.server.token_endpoint, data={"grant_type": "client_credentials", "scope": "admin"},
                    auth=self.server.admin_credentials, timeout=5)) if round_ % 4 == 0 else (None, None),
            ):
                if name is None:
                    continue
                start = time.monotonic()
                try:
                    response = call()
                    status: int | str = response.status_code
                    if name == "token" and response.status_code == 200:
                        self.server.remember_secret(response.json()["access_token"])
                except requests.RequestException as error:
                    status = repr(error)
                self.latencies.append((name, time.monotonic() - start, status))
            self.stop.wait(0.2)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=10)

    def assert_served(self):
        assert self.latencies, "the normal client sent nothing"
        bad = [entry for entry in self.latencies if entry[2] != 200 or entry[1] >= QUICK]
        assert not bad, f"normal requests failed or were slow during the attack: {bad}"


def _closed_in_window_problem(name: str, result) -> str | None:
    if isinstance(result, Exception):
        return f"{name}: {result!r}"
    if result is None:
        return f"{name}: still open {LATEST:.0f} s after connecting (CUSTOS_REQUEST_TIMEOUT={HEAD_TIMEOUT:.0f})"
    if not EARLIEST <= result <= LATEST:
        return f"{name}: closed after {result:.2f} s, expected {EARLIEST:.1f}–{LATEST:.1f} s"
    return None


# -- 7. slow clients ---------------------------------------------------------------------------


def test_slowloris_and_head_dribbler_are_closed_while_others_are_served(slow_server):
    results: dict = {}
    partial, partial_connected = _connect(slow_server)
    partial.sendall(PARTIAL_HEAD)
    dribbler, dribbler_connected = _connect(slow_server)
    dribbler.sendall(PARTIAL_HEAD + b"X-Slow: ")

    def watch_partial() -> float | None:
        closed = wait_closed(partial, LATEST + 1 - (time.monotonic() - partial_connected))
        return None if closed is None else time.monotonic() - partial_connected

    try:
        with NormalClient(slow_server) as normal:
            threads = [
                _watch(results, "partial head then nothing", watch_partial),
                _watch(results, "one header byte a second",
                       lambda: _dribble(dribbler, dribbler_connected, b"abcdefghijklmnopqrstuvwxyz", LATEST + 1)),
            ]
            for thread in threads:
                thread.join(timeout=LATEST + 5)
        problems = [_closed_in_window_problem(name, results.get(name)) for name in ("partial head then nothing", "one header byte a second")]
        assert not any(problems), "; ".join(problem for problem in problems if problem)
        normal.assert_served()
    finally:
        partial.close()
        dribbler.close()
    assert_still_serving(slow_server, None)


def test_slow_body_is_cut_off(slow_server):
    """Content-Length 1000, one body byte a second: closed within timeout + 3 s of connecting
    (a 408 before the close is fine; never a 5xx, never the request handled)."""
    sock, connected = _connect(slow_server)
    head = request_bytes("POST", "/api/v1/oauth/token", {"Content-Type": "application/x-www-form-urlencoded"}, content_length=1000)
    sock.sendall(head)
    received = bytearray()
    try:
        with NormalClient(slow_server) as normal:
            closed = _dribble(sock, connected, b"a", LATEST + 1, received)
        assert closed is not None, f"a slow body was still being accepted {LATEST:.0f} s after connecting"
        assert closed <= LATEST, f"closed after {closed:.2f} s, expected ≤ {LATEST:.1f} s"
        if received:
            status = int(bytes(received).split(b" ", 2)[1])
            assert status in (400, 408), f"answer before the close: {bytes(received)[:300]!r}"
        normal.assert_served()
    finally:
        sock.close()
    assert_still_serving(slow_server, None)


def test_idle_keep_alive_connection_is_closed_after_its_response(slow_server):
    """The deadline restarts after a response: a kept-alive connection that sends no next
    request head is closed."""
    sock, _ = _connect(slow_server)
    try:
        sock.sendall(request_bytes("GET", "/health"))
        sock.settimeout(5)
        data = b""
        while b"\r\n\r\nok" not in data:
            chunk = sock.recv(4096)
            assert chunk, f"closed before the answer: {data!r}"
            data += chunk
        assert data.startswith(b"HTTP/1.1 200"), data
        closed = wait_closed(sock, LATEST + 1)
        assert closed is not None, f"an idle kept-alive connection was still open {LATEST + 1:.0f} s after its response"
        assert EARLIEST <= closed <= LATEST, f"closed {closed:.2f} s after the response, expected {EARLIEST:.1f}–{LATEST:.1f} s"
    finally:
        sock.close()


def test_a_second_request_on_a_kept_alive_connection_gets_the_full_deadline(slow_server):
    """Control: a client that sends its next request promptly is served on the same connection."""
    sock, _ = _connect(slow_server)
    try:
        for _ in range(3):
            sock.sendall(request_bytes("GET", "/health"))
            sock.settimeout(5)
            data = b""
            while b"\r\n\r\nok" not in data:
                chunk = sock.recv(4096)
                assert chunk, f"the server closed a prompt keep-alive connection: {data!r}"
                data += chunk
            assert data.startswith(b"HTTP/1.1 200"), data
            time.sleep(HEAD_TIMEOUT / 4)
    finally:
        sock.close()


def test_300_slowloris_connections_are_all_closed(slow_server):
    socks = []
    try:
        with NormalClient(slow_server) as normal:
            start = time.monotonic()
            for _ in range(300):
                sock, _ = _connect(slow_server)
                sock.sendall(PARTIAL_HEAD)
                socks.append(sock)
            opened = time.monotonic() - start
            deadline = start + opened + LATEST
            still_open = list(socks)
            while still_open and time.monotonic() < deadline + 1:
                readable, _, _ = select.select(still_open, [], [], 0.5)
                for sock in readable:
                    try:
                        data = sock.recv(4096)
                    except OSError:
                        data = b""
                    if not data:
                        still_open.remove(sock)
            assert not still_open, f"{len(still_open)} of 300 slowloris connections still open {LATEST:.0f} s after the last connected"
        normal.assert_served()
    finally:
        for sock in socks:
            sock.close()
    assert_still_serving(slow_server, None)


# -- 8. many idle connections ---------------------------------------------------------------------


def test_500_idle_connections_do_not_block_a_normal_request(hostile, sentinel):
    """500 sockets open and silent (half of them with a partial request head) on the session
    server (default timeout): a normal client is still served promptly."""
    socks = []
    try:
        for index in range(500):
            sock = socket.create_connection(("127.0.0.1", hostile.port), timeout=5)
            if index % 2:
                sock.sendall(PARTIAL_HEAD)
            socks.append(sock)
        time.sleep(0.5)
        for _ in range(5):
            start = time.monotonic()
            health = requests.get(hostile.base_url + "/health", timeout=5)
            assert health.status_code == 200 and time.monotonic() - start < QUICK, (health.status_code, time.monotonic() - start)
        start = time.monotonic()
        token = requests.post(
            hostile.token_endpoint, data={"grant_type": "client_credentials", "scope": "api.read"},
            auth=(sentinel.client_id, sentinel.client_secret), timeout=5,
        )
        assert token.status_code == 200 and time.monotonic() - start < QUICK, (token.status_code, token.text, time.monotonic() - start)
        hostile.remember_secret(token.json()["access_token"])
        result = exchange(hostile.port, request_bytes("GET", "/health"))
        assert result.first.status == 200 and result.elapsed < QUICK, result.describe()
    finally:
        for sock in socks:
            sock.close()
