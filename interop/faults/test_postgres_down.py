"""PostgreSQL stopped while the server runs (PostgreSQL run only, on a private PostgreSQL).

docs/integration.md: "The database being unreachable answers 503 temporarily_unavailable with
Retry-After"; docs/admin-api.md: "503 with Retry-After when the database is unreachable".
Fail closed and fast: never a token, never a revocation taken as done, no request hanging; and
the same process recovers by itself once PostgreSQL is back.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

import faultkit

pytestmark = pytest.mark.skipif(not faultkit.on_postgres(), reason="stops PostgreSQL: PostgreSQL run only")

ANSWER_WITHIN = 10.0   # seconds for an answer while the database is down
RECOVER_WITHIN = 15.0  # seconds after PostgreSQL is back
ENVIRONMENT = {"CUSTOS_RATE_LIMIT_TOKEN_PER_CLIENT": "0"}


def timed(what: str, send) -> requests.Response:
    """Sends a request; fails when it takes longer than ANSWER_WITHIN (or hangs)."""
    started = time.monotonic()
    try:
        response = send(ANSWER_WITHIN + 10)
    except requests.Timeout:
        pytest.fail(f"{what}: no answer within {ANSWER_WITHIN + 10:.0f} s while PostgreSQL is down (the request hangs)")
    except requests.ConnectionError as error:
        pytest.fail(f"{what}: the connection failed while PostgreSQL is down ({error})")
    elapsed = time.monotonic() - started
    print(f"{what}: {response.status_code} after {elapsed:.2f} s")
    assert elapsed <= ANSWER_WITHIN, f"{what}: answered {response.status_code} after {elapsed:.1f} s (limit {ANSWER_WITHIN:.0f} s)"
    return response


def assert_oauth_unavailable(what: str, response: requests.Response) -> None:
    assert response.status_code != 200, f"{what} succeeded while PostgreSQL is down: {response.text[:300]}"
    assert response.status_code == 503, f"{what}: expected 503, got {response.status_code} {response.text[:300]}"
    faultkit.retry_after_seconds(response)
    body = faultkit.json_body(response)
    assert body.get("error") == "temporarily_unavailable", f"{what}: OAuth error body expected, got {body}"
    assert "access_token" not in body


def assert_admin_unavailable(what: str, response: requests.Response) -> None:
    assert response.status_code not in (200, 201, 204), f"{what} succeeded while PostgreSQL is down: {response.text[:300]}"
    assert response.status_code == 503, f"{what}: expected 503, got {response.status_code} {response.text[:300]}"
    faultkit.retry_after_seconds(response)
    body = faultkit.json_body(response)
    assert body.get("code") == 503, f"{what}: admin error body {{code: 503, message}} expected, got {body}"
    assert isinstance(body.get("message"), str) and body["message"], f"{what}: no message in {body}"
    assert "data" not in body


def test_postgres_stopped_fails_closed_and_recovers_without_restart(cluster):
    postgres = cluster.private_postgres()
    node = cluster.node(postgres.url, env=ENVIRONMENT)
    admin = node.admin_token()
    client = node.create_api_client(admin, "pg-down")
    client_id, secret = client["client_id"], client["client_secret"]
    first = node.client_credentials(client_id, secret)
    second = node.client_credentials(client_id, secret)
    assert first.status_code == second.status_code == 200, f"{first.text} / {second.text}"
    revoked_while_down = first.json()["access_token"]
    revoked_after = second.json()["access_token"]
    bearer = {"Authorization": "Bearer " + admin}
    client_url = f"{node.api_url}/admin/oauth/clients/{client_id}"

    postgres.stop_immediate()

    checks = [
        ("token request", assert_oauth_unavailable, lambda t: node.client_credentials(client_id, secret, timeout=t)),
        ("revocation", assert_oauth_unavailable, lambda t: requests.post(
            node.api_url + "/oauth/revoke", data={"token": revoked_while_down}, auth=(client_id, secret), timeout=t)),
        ("admin get client", assert_admin_unavailable, lambda t: requests.get(client_url, headers=bearer, timeout=t)),
        ("admin list clients", assert_admin_unavailable,
         lambda t: requests.get(node.api_url + "/admin/oauth/clients", headers=bearer, timeout=t)),
        ("admin create client", assert_admin_unavailable, lambda t: requests.post(
            node.api_url + "/admin/oauth/clients", headers=bearer, timeout=t,
            json={"name": "while-down", "redirect_uris": ["https://app.example.com/callback"]})),
        ("admin update client", assert_admin_unavailable,
         lambda t: requests.put(client_url, headers=bearer, json={"name": "renamed-while-down"}, timeout=t)),
    ]
    # One at a time (the first meets the pool's dead connections), then all at once: every
    # answer within ANSWER_WITHIN, none queued behind another's connection attempt.
    for what, expectation, send in checks:
        expectation(what + " (alone)", timed(what + " (alone)", send))
    with ThreadPoolExecutor(max_workers=len(checks)) as pool:
        futures = [(what, expectation, pool.submit(timed, what + " (together)", send)) for what, expectation, send in checks]
        for what, expectation, future in futures:
            expectation(what + " (together)", future.result())
    node.server.assert_running()

    postgres.start()   # same data folder, same port
    started = time.monotonic()
    last = None
    while time.monotonic() - started < RECOVER_WITHIN:
        try:
            last = node.client_credentials(client_id, secret, timeout=5)
            if last.status_code == 200:
                break
        except requests.RequestException as error:
            last = error
        time.sleep(0.5)
    else:
        detail = f"{last.status_code} {last.text[:200]}" if isinstance(last, requests.Response) else repr(last)
        pytest.fail(f"no token within {RECOVER_WITHIN:.0f} s of PostgreSQL coming back; last answer: {detail}")
    recovered_after = time.monotonic() - started
    print(f"recovered after {recovered_after:.1f} s")

    # The admin API works again, reads and writes, with the admin token from before the outage.
    response = requests.get(client_url, headers=bearer, timeout=10)
    assert response.status_code == 200, f"admin get after recovery ({recovered_after:.1f} s): {response.status_code} {response.text}"
    assert response.json()["data"]["name"] == "pg-down", "an update answered 503 while down was applied"
    created = node.create_api_client(admin, "after-recovery")
    assert node.client_credentials(created["client_id"], created["client_secret"]).status_code == 200

    # A revocation after recovery works.
    response = requests.post(node.api_url + "/oauth/revoke", data={"token": revoked_after}, auth=(client_id, secret), timeout=10)
    assert response.status_code == 200, f"revocation after recovery: {response.status_code} {response.text}"
    response = requests.post(node.api_url + "/oauth/introspect", data={"token": revoked_after},
                             auth=node.server.admin_credentials, timeout=10)
    assert response.status_code == 200 and response.json() == {"active": False}, (
        f"a token revoked after recovery still introspects: {response.status_code} {response.text}")
