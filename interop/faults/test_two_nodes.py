"""Two ``custos serve`` nodes on one PostgreSQL database (PostgreSQL run only).

Same database URL, same CUSTOS_MASTER_KEY, same CUSTOS_ISSUER, different ports: README.md
"the same binary runs as many stateless nodes on PostgreSQL". What one node decides, the other
must honour: single-use codes and client assertions, the signing keys, the rate limits.
"""

from __future__ import annotations

import json
import secrets
import threading
import time

import pytest
import requests
from joserfc import jwk, jws, jwt

import faultkit
from conftest import close_cluster, open_cluster

pytestmark = pytest.mark.skipif(not faultkit.on_postgres(), reason="two nodes share one database: PostgreSQL run only")

KEY_REFRESH_INTERVAL = 2     # CUSTOS_KEY_REFRESH_INTERVAL, seconds
KEY_PICKUP_ALLOWANCE = 3     # seconds beyond the interval
RATE_LIMIT = 10              # CUSTOS_RATE_LIMIT_TOKEN_PER_CLIENT
RATE_WINDOW = 60             # CUSTOS_RATE_LIMIT_WINDOW, seconds
ENVIRONMENT = {
    "CUSTOS_KEY_REFRESH_INTERVAL": str(KEY_REFRESH_INTERVAL),
    "CUSTOS_RATE_LIMIT_TOKEN_PER_CLIENT": str(RATE_LIMIT),
    "CUSTOS_RATE_LIMIT_WINDOW": str(RATE_WINDOW),
}
REDIRECT_URI = "https://app.example.com/callback"


class Pair:
    def __init__(self, a: faultkit.Node, b: faultkit.Node):
        self.a, self.b = a, b
        # One admin token per node for the whole module: the admin client is rate limited too.
        self.admin = {a.name: a.admin_token(), b.name: b.admin_token()}

    def client(self, name: str, **fields) -> dict:
        return self.a.create_api_client(self.admin[self.a.name], name + secrets.token_hex(3), **fields)


@pytest.fixture(scope="module")
def pair(root, faults_binary, request):
    cluster = open_cluster(root, faults_binary, "two nodes")
    try:
        database = cluster.shared_database(root.fresh_database)
        port_a = faultkit.free_port()
        issuer = f"http://127.0.0.1:{port_a}"
        a = cluster.node(database, port=port_a, issuer=issuer, env=ENVIRONMENT)
        b = cluster.node(database, issuer=issuer, env=ENVIRONMENT)
        yield Pair(a, b)
    finally:
        close_cluster(cluster, request)


def at_once(*calls):
    """Runs the calls in threads released together by a barrier; returns their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        barrier.wait(timeout=10)
        try:
            results[index] = call()
        except Exception as error:  # reported by the caller
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def token_header(token: str) -> dict:
    return jws.extract_compact(token.encode()).headers()


def jwks_kids(node: faultkit.Node) -> set[str]:
    response = requests.get(node.base_url + "/.well-known/jwks.json", timeout=10)
    assert response.status_code == 200, response.text
    return {key["kid"] for key in response.json()["keys"]}


def test_nodes_share_the_issuer(pair):
    for node in (pair.a, pair.b):
        document = requests.get(node.base_url + "/.well-known/openid-configuration", timeout=10).json()
        assert document["issuer"] == pair.a.issuer


def test_code_redeemed_on_both_nodes_at_once_succeeds_once(pair, unique_name):
    client = pair.a.create_client(
        pair.admin[pair.a.name], name=unique_name("code-race "), redirect_uris=[REDIRECT_URI],
        grant_types=["authorization_code"], client_auth_methods=["client_secret_basic"], scopes=["openid", "profile"],
    )
    username, password = unique_name("grace"), "pw-" + secrets.token_urlsafe(18)
    pair.a.remember(password)
    pair.a.server.create_user(username=username, email=f"{username}@example.com", password=password, name="Grace Hopper")
    verifier, challenge = faultkit.pkce_pair()
    pair.a.remember(verifier)
    code = faultkit.authorization_code(pair.a, client["client_id"], REDIRECT_URI, username, password, challenge)

    def redeem(node):
        return lambda: requests.post(
            node.token_endpoint, timeout=15, auth=(client["client_id"], client["client_secret"]),
            data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI, "code_verifier": verifier},
        )

    results = at_once(redeem(pair.a), redeem(pair.b))
    for node, result in zip((pair.a, pair.b), results):
        assert isinstance(result, requests.Response), f"{node.name}: {result!r}"
        if result.status_code == 200:
            node.remember(result.json().get("access_token"), result.json().get("id_token"), result.json().get("refresh_token"))
    statuses = [result.status_code for result in results]
    assert sorted(statuses) == [200, 400], (
        f"one code redeemed at once on node A and node B: statuses {statuses} (exactly one 200 expected): "
        + " / ".join(r.text[:200] for r in results))
    refused = results[statuses.index(400)]
    assert refused.json().get("error") == "invalid_grant", refused.text


def test_private_key_jwt_assertion_replayed_on_the_other_node_is_refused(pair, unique_name):
    key = jwk.ECKey.generate_key("P-256", parameters={"kid": "faults-" + secrets.token_hex(4), "use": "sig"}, private=True)
    public = key.as_dict(private=False)
    assert "d" not in public
    client = pair.a.create_client(
        pair.admin[pair.a.name], name=unique_name("pkjwt "), redirect_uris=[REDIRECT_URI],
        grant_types=["client_credentials"], client_auth_methods=["private_key_jwt"], scopes=["api.read"],
        jwks=json.dumps({"keys": [public]}),
    )
    now = int(time.time())
    assertion = jwt.encode(
        {"alg": "ES256", "kid": public["kid"], "typ": "JWT"},
        {"iss": client["client_id"], "sub": client["client_id"], "aud": pair.a.issuer,
         "iat": now, "exp": now + 120, "jti": secrets.token_urlsafe(16)},
        key,
    )
    pair.a.remember(assertion)
    form = {
        "grant_type": "client_credentials", "scope": "api.read", "client_id": client["client_id"],
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", "client_assertion": assertion,
    }
    first = requests.post(pair.a.token_endpoint, data=form, timeout=10)
    assert first.status_code == 200, f"the assertion on node A: {first.status_code} {first.text}"
    pair.a.remember(first.json()["access_token"])

    replay = requests.post(pair.b.token_endpoint, data=form, timeout=10)
    if replay.status_code == 200:
        pair.b.remember(replay.json().get("access_token"))
    assert replay.status_code == 401, f"the assertion replayed on node B: {replay.status_code} {replay.text}"
    assert replay.json().get("error") == "invalid_client", replay.text
    assert "access_token" not in replay.json()


def test_key_rotated_on_one_node_signs_on_the_other_within_the_refresh_interval(pair):
    client_a, client_b = pair.client("keys-a "), pair.client("keys-b ")
    before = pair.b.client_credentials(client_b["client_id"], client_b["client_secret"])
    assert before.status_code == 200, before.text
    old_kid = token_header(before.json()["access_token"])["kid"]

    response = requests.post(
        pair.a.api_url + "/admin/keys/rotate", json={"algorithm": "ES256", "immediately": True},
        headers={"Authorization": "Bearer " + pair.admin[pair.a.name]}, timeout=10,
    )
    rotated_at = time.monotonic()
    assert response.status_code == 201, f"rotate on node A: {response.status_code} {response.text}"
    new_kid = response.json()["data"]["kid"]
    assert new_kid != old_kid

    # Node A, where it happened, publishes and signs with it at once.
    assert new_kid in jwks_kids(pair.a), "node A does not publish the key it just rotated in"
    on_a = pair.a.client_credentials(client_a["client_id"], client_a["client_secret"])
    assert on_a.status_code == 200, on_a.text
    assert token_header(on_a.json()["access_token"])["kid"] == new_kid, "node A does not sign with the key it rotated in"

    deadline = rotated_at + KEY_REFRESH_INTERVAL + KEY_PICKUP_ALLOWANCE
    published_after = signed_after = None
    last_kid = old_kid
    while time.monotonic() < deadline and signed_after is None:
        if published_after is None and new_kid in jwks_kids(pair.b):
            published_after = time.monotonic() - rotated_at
        if published_after is not None:
            # Token requests count against the client's rate limit: only once the key is published.
            response = pair.b.client_credentials(client_b["client_id"], client_b["client_secret"])
            assert response.status_code == 200, response.text
            token = response.json()["access_token"]
            last_kid = token_header(token)["kid"]
            if last_kid == new_kid:
                signed_after = time.monotonic() - rotated_at
                key_set = jwk.KeySet.import_key_set(requests.get(pair.b.base_url + "/.well-known/jwks.json", timeout=10).json())
                jwt.decode(token, key_set, algorithms=["ES256"])   # verifies against node B's JWKS
                break
        time.sleep(0.7 if published_after else 0.25)
    if signed_after is not None:
        return

    # Failed: keep watching node B's JWKS (no token requests) to say when it did pick the key up.
    allowance = KEY_REFRESH_INTERVAL + KEY_PICKUP_ALLOWANCE
    while published_after is None and time.monotonic() - rotated_at < 65:
        if new_kid in jwks_kids(pair.b):
            published_after = time.monotonic() - rotated_at
            break
        time.sleep(1)
    if published_after is None:
        pytest.fail(f"node B did not publish the key rotated on node A within {allowance} s, nor within 65 s "
                    f"(CUSTOS_KEY_REFRESH_INTERVAL={KEY_REFRESH_INTERVAL})")
    if published_after > allowance:
        pytest.fail(f"node B published the key rotated on node A only after {published_after:.1f} s, "
                    f"not within CUSTOS_KEY_REFRESH_INTERVAL={KEY_REFRESH_INTERVAL} s + {KEY_PICKUP_ALLOWANCE} s")
    pytest.fail(f"node B published the new key after {published_after:.1f} s but still signed with {last_kid!r} "
                f"at {allowance} s (expected {new_kid!r})")


def test_token_rate_limit_is_shared_between_the_nodes(pair):
    client = pair.client("limited ")
    # A fixed window aligned to the epoch (the simplest shared counter) would split a burst that
    # straddles a boundary over two windows: keep the burst clear of one; harmless otherwise.
    to_boundary = RATE_WINDOW - time.time() % RATE_WINDOW
    if to_boundary < 5:
        time.sleep(to_boundary + 0.5)

    def six_on(node):
        def run():
            answers = []
            for _ in range(6):
                answers.append(node.client_credentials(client["client_id"], client["client_secret"]))
            return answers
        return run

    on_a, on_b = at_once(six_on(pair.a), six_on(pair.b))
    for result in (on_a, on_b):
        assert isinstance(result, list), repr(result)
    answers = on_a + on_b
    statuses = [response.status_code for response in answers]
    successes = statuses.count(200)
    limited = [response for response in answers if response.status_code == 429]
    assert successes == RATE_LIMIT and len(limited) == 2, (
        f"{RATE_LIMIT} token requests per client per {RATE_WINDOW} s, 6 on node A + 6 on node B: "
        f"{successes} answered 200 and {len(limited)} answered 429 (expected {RATE_LIMIT} and 2); "
        f"node A {[r.status_code for r in on_a]}, node B {[r.status_code for r in on_b]}")
    for response in limited:
        body = faultkit.json_body(response)
        assert body.get("error") == "rate_limit_exceeded", f"429 body: {body}"
        assert "access_token" not in body
        seconds = faultkit.retry_after_seconds(response)
        assert seconds <= RATE_WINDOW, f"Retry-After {seconds} s is longer than the window of {RATE_WINDOW} s"
