"""kill -9 under load (both backends): what the server acknowledged before it died survives,
and nothing half-written appears.

docs/configuration.md: SQLite runs in WAL mode with synchronous=NORMAL, "a killed process loses
no committed transaction"; docs/admin-api.md: "nothing is half-written". A 201 or a 200 reaches
the client only after the server answered, so everything answered before the SIGKILL counts as
committed.
"""

from __future__ import annotations

import threading
import time

import requests

import faultkit

LOAD_SECONDS = 3.0
CREATORS = 2
TOKEN_WORKERS = 2
# Token requests are per client: off here, whatever the default of CUSTOS_RATE_LIMIT_TOKEN_PER_CLIENT.
ENVIRONMENT = {"CUSTOS_RATE_LIMIT_TOKEN_PER_CLIENT": "0"}
SECRET_METHODS = {"client_secret_basic", "client_secret_post", "client_secret_jwt"}


def list_all_clients(node: faultkit.Node, session: requests.Session, admin: str) -> tuple[int, list[dict]]:
    """Every page of GET /admin/oauth/clients: (the total it announces, the items)."""
    items, totals, page = [], set(), 1
    while True:
        response = session.get(node.api_url + "/admin/oauth/clients", params={"page": page, "page_size": 100},
                               headers={"Authorization": "Bearer " + admin}, timeout=faultkit.HTTP_TIMEOUT)
        assert response.status_code == 200, f"list clients page {page}: {response.status_code} {response.text}"
        body = response.json()
        totals.add(body["total"])
        items.extend(body["items"])
        if not body["pagination"]["has_next"]:
            break
        page += 1
    assert len(totals) == 1, f"the total changed between pages: {sorted(totals)}"
    return totals.pop(), items


def test_kill_9_under_load_keeps_every_acknowledged_write(cluster, root):
    node = cluster.node(cluster.shared_database(root.fresh_database), env=ENVIRONMENT)
    admin = node.admin_token()
    load_clients = [node.create_api_client(admin, f"load-{n}") for n in range(TOKEN_WORKERS)]

    created: list[dict] = []   # create answered 201: {client_id, client_secret}
    tokens: list[tuple[str, str]] = []   # token answered 200: (access_token, client_id)
    unexpected: list[str] = []
    stop = threading.Event()

    def creator(worker: int) -> None:
        session = requests.Session()
        number = 0
        while not stop.is_set():
            number += 1
            try:
                response = session.post(
                    node.api_url + "/admin/oauth/clients",
                    json={"name": f"kill9-{worker}-{number}", "redirect_uris": ["https://app.example.com/callback"],
                          "grant_types": ["client_credentials"], "client_auth_methods": ["client_secret_basic"],
                          "scopes": ["api.read"]},
                    headers={"Authorization": "Bearer " + admin}, timeout=5,
                )
            except requests.RequestException:
                session = requests.Session()
                continue
            if response.status_code == 201:
                data = response.json()["data"]
                node.remember(data["client_secret"])
                created.append({"client_id": data["client_id"], "client_secret": data["client_secret"]})
            else:
                unexpected.append(f"create: {response.status_code} {response.text[:200]}")

    def token_worker(client: dict) -> None:
        session = requests.Session()
        while not stop.is_set():
            try:
                response = node.client_credentials(client["client_id"], client["client_secret"], session=session, timeout=5)
            except requests.RequestException:
                session = requests.Session()
                continue
            if response.status_code == 200:
                tokens.append((response.json()["access_token"], client["client_id"]))
            else:
                unexpected.append(f"token: {response.status_code} {response.text[:200]}")

    threads = [threading.Thread(target=creator, args=(n,), daemon=True) for n in range(CREATORS)]
    threads += [threading.Thread(target=token_worker, args=(client,), daemon=True) for client in load_clients]
    for thread in threads:
        thread.start()
    time.sleep(LOAD_SECONDS)
    assert all(thread.is_alive() for thread in threads), "a load thread died before the kill"
    acknowledged_before = (len(created), len(tokens))
    node.kill9()   # mid-load: every thread has a request in flight or about to be sent
    stop.set()
    for thread in threads:
        thread.join(timeout=15)
    assert not unexpected, "answers other than 201/200 under load:\n" + "\n".join(unexpected[:10])
    assert created and tokens, f"the load produced {len(created)} clients and {len(tokens)} tokens before the kill"
    assert acknowledged_before[0] > 0 and acknowledged_before[1] > 0

    print(f"kill -9 after {LOAD_SECONDS} s of load: {len(created)} clients created, {len(tokens)} tokens issued")
    node.start()   # same folder (SQLite file and key file) or database URL, same master key, same port
    admin = node.admin_token()
    session = requests.Session()
    headers = {"Authorization": "Bearer " + admin}

    # Every client whose create answered 201 is there and works with the secret it was given.
    missing, unusable = [], []
    for client in created:
        response = session.get(f"{node.api_url}/admin/oauth/clients/{client['client_id']}", headers=headers, timeout=10)
        if response.status_code != 200 or response.json()["data"]["client_id"] != client["client_id"]:
            missing.append(f"{client['client_id']}: {response.status_code} {response.text[:200]}")
            continue
        token = node.client_credentials(client["client_id"], client["client_secret"], session=session)
        if token.status_code != 200:
            unusable.append(f"{client['client_id']}: {token.status_code} {token.text[:200]}")
    assert not missing, f"{len(missing)} of {len(created)} acknowledged clients are gone after kill -9:\n" + "\n".join(missing[:10])
    assert not unusable, f"{len(unusable)} of {len(created)} acknowledged clients get no token with their secret:\n" + "\n".join(unusable[:10])

    # Every access token answered 200 before the kill is still active.
    inactive = []
    for access_token, client_id in tokens:
        response = session.post(node.api_url + "/oauth/introspect", data={"token": access_token},
                                auth=node.server.admin_credentials, timeout=10)
        body = response.json() if response.status_code == 200 else {}
        if response.status_code != 200 or body.get("active") is not True or body.get("client_id") != client_id:
            inactive.append(f"{response.status_code} {response.text[:200]}")
    assert not inactive, f"{len(inactive)} of {len(tokens)} acknowledged access tokens do not introspect active:\n" + "\n".join(inactive[:10])

    # Nothing half-written: the list counts exactly the clients it shows, each readable, each
    # secret-based one with an active secret (also clients whose create was cut by the kill).
    total, items = list_all_clients(node, session, admin)
    listed = {item["client_id"] for item in items}
    assert len(items) == len(listed) == total, f"the list announces total={total} but shows {len(items)} items ({len(listed)} distinct)"
    not_listed = {client["client_id"] for client in created} - listed
    assert not not_listed, f"acknowledged clients missing from the list: {sorted(not_listed)[:10]}"
    broken = []
    for item in items:
        client_id = item["client_id"]
        response = session.get(f"{node.api_url}/admin/oauth/clients/{client_id}", headers=headers, timeout=10)
        if response.status_code != 200:
            broken.append(f"{client_id} is listed but reads {response.status_code} {response.text[:200]}")
            continue
        if not SECRET_METHODS & set(item.get("client_auth_methods") or []):
            continue
        response = session.get(f"{node.api_url}/admin/oauth/clients/{client_id}/secrets", headers=headers, timeout=10)
        data = response.json().get("data", {}) if response.status_code == 200 else {}
        active = [s for s in data.get("secrets", []) if s.get("status") == "active"]
        if response.status_code != 200 or not active or not item.get("secret_last_four"):
            broken.append(f"{client_id} has no active secret: {response.status_code} {response.text[:200]}")
    assert not broken, f"{len(broken)} of {total} listed clients are half-written:\n" + "\n".join(broken[:10])
