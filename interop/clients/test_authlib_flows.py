"""authlib as an OAuth 2.1 / OpenID Connect client, and joserfc checking every JWT it gets.

- The authorization code flow with PKCE S256 (RFC 7636; required by OAuth 2.1 §4.1.1) driven
  by authlib's ``OAuth2Session``, for a confidential client (client_secret_basic, RFC 6749
  §2.3.1) and a public native client on a loopback redirect URI with any port (RFC 8252 §7.3),
  with ``state`` and ``iss`` (RFC 9207 §2) checked in the authorization response.
- Refresh (RFC 6749 §6): a confidential client keeps its refresh token, a public client's is
  rotated and a spent one is refused and revokes the grant (OAuth 2.1 §4.3.1, RFC 9700 §4.14.2).
- Introspection (RFC 7662) and revocation (RFC 7009) with authlib's ``introspect_token`` and
  ``revoke_token``; an inactive token's answer is exactly ``{"active": false}`` (§2.2).
- private_key_jwt (RFC 7523 §2.2, OpenID Connect Core §9) with authlib's ``PrivateKeyJWT`` and
  a key authlib generated; a replayed assertion ``jti`` is refused (RFC 7523 §3 item 7).
- joserfc verifying the JWTs against ``jwks_uri`` with the ``alg`` of their header: RFC 9068
  access tokens, ID tokens (OpenID Connect Core §2, §3.1.3.7, ``at_hash`` §3.1.3.8,
  ``auth_time`` with ``max_age`` §3.1.2.1).
- Back-channel logout (OpenID Connect Back-Channel Logout 1.0): ``sid`` in the ID token (§2.1),
  RP-initiated logout (RP-Initiated Logout 1.0 §2, §3), then the logout token POSTed (§2.5) to
  a plain-HTTP ``backchannel_logout_uri`` on 127.0.0.1, which Custos accepts only on loopback
  hosts and with ``CUSTOS_ALLOW_PRIVATE_FETCH=1`` (§2.2 lets an OP allow http; an http URI on
  another host is refused). joserfc verifies the token and its claims are checked (§2.4, §2.6).
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import secrets
import socket
import threading
import time
import warnings
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session, OAuthError
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.discovery import OpenIDProviderMetadata
from joserfc import jwk, jwt
from joserfc.errors import BadSignatureError
from joserfc.jwt import JWTClaimsRegistry

from oauth_browser import Browser

SCOPE = "openid profile email offline_access"
CONFIDENTIAL_REDIRECT_URI = "https://rp.example/cb"
# Registered without a port: a public native client may use any port on the loopback literal.
LOOPBACK_REDIRECT_URI = "http://127.0.0.1/cb"
POST_LOGOUT_REDIRECT_URI = "https://rp.example/signed-out"
BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"
TIMEOUT = 10
LEEWAY = 60
# docs/integration.md: access tokens ES256 by default, ID tokens RS256 unless the client asks.
ACCESS_TOKEN_ALG = "ES256"
ID_TOKEN_ALG = "RS256"


# -- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def discovery(custos_server) -> dict:
    """The OpenID Provider metadata, as an RP reads it (OpenID Connect Discovery §4)."""
    response = requests.get(custos_server.base_url + "/.well-known/openid-configuration", timeout=TIMEOUT)
    assert response.status_code == 200, response.text
    metadata = OpenIDProviderMetadata(response.json())
    metadata.validate()  # authlib's checks of OpenID Connect Discovery §3 / RFC 8414 §2
    assert metadata["issuer"] == custos_server.issuer, "OpenID Connect Discovery §4.3: issuer must match"
    for endpoint in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri",
                     "introspection_endpoint", "revocation_endpoint", "end_session_endpoint", "registration_endpoint"):
        assert metadata.get(endpoint, "").startswith(custos_server.issuer + "/"), f"{endpoint}: {metadata.get(endpoint)!r}"
    assert set(SCOPE.split()) <= set(metadata["scopes_supported"]), metadata["scopes_supported"]
    assert "S256" in metadata["code_challenge_methods_supported"]
    assert metadata.get("authorization_response_iss_parameter_supported") is True, "RFC 9207 §3"
    return dict(metadata)


@pytest.fixture
def person(custos_server, unique_name) -> dict:
    username = unique_name("ada")
    person = {
        "username": username,
        "email": f"{username}@example.com",
        "password": "pw-" + secrets.token_urlsafe(18),
        "name": "Ada Lovelace",
    }
    person["id"] = custos_server.create_user(
        username=person["username"], email=person["email"], password=person["password"], name=person["name"]
    )
    return person


# -- helpers -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def jose_header(token: str) -> dict:
    return json.loads(b64url_decode(token.split(".")[0]))


def remember_tokens(server, token: dict) -> None:
    for name in ("access_token", "refresh_token", "id_token"):
        server.remember_secret(token.get(name))


def responses_of(session: OAuth2Session) -> list[requests.Response]:
    """Records the raw token-endpoint responses authlib parses (its compliance hooks)."""
    seen: list[requests.Response] = []

    def keep(response):
        seen.append(response)
        return response

    session.register_compliance_hook("access_token_response", keep)
    session.register_compliance_hook("refresh_token_response", keep)
    return seen


def confidential_client(server, unique_name, **fields) -> dict:
    return server.create_client(
        name=unique_name("authlib confidential "),
        redirect_uris=[CONFIDENTIAL_REDIRECT_URI],
        grant_types=["authorization_code", "refresh_token"],
        scopes=SCOPE.split(),
        is_confidential=True,
        client_auth_methods=["client_secret_basic"],
        **fields,
    )


def public_client(server, unique_name) -> dict:
    client = server.create_client(
        name=unique_name("authlib public "),
        redirect_uris=[LOOPBACK_REDIRECT_URI],
        grant_types=["authorization_code", "refresh_token"],
        scopes=SCOPE.split(),
        is_confidential=False,
        client_auth_methods=["none"],
    )
    assert client["client_secret"] == "", "a public client gets no secret"
    return client


def session_for(client: dict, redirect_uri: str, scope: str = SCOPE) -> OAuth2Session:
    if client.get("client_secret"):
        return OAuth2Session(
            client["client_id"], client["client_secret"], scope=scope, redirect_uri=redirect_uri,
            code_challenge_method="S256", token_endpoint_auth_method="client_secret_basic",
            revocation_endpoint_auth_method="client_secret_basic",
        )
    return OAuth2Session(
        client["client_id"], None, scope=scope, redirect_uri=redirect_uri, code_challenge_method="S256",
        token_endpoint_auth_method="none", revocation_endpoint_auth_method="none",
    )


def code_flow(server, discovery, session: OAuth2Session, person: dict, redirect_uri: str, **parameters) -> dict:
    """Authorization request built by authlib (PKCE S256 with an authlib-made verifier), the
    person signs in and consents, the response is checked (state, RFC 9207 iss) and authlib
    redeems the code. Returns the token response and what the flow sent."""
    verifier = generate_token(64)  # RFC 7636 §4.1: 43-128 characters of the unreserved set
    nonce = "nc-" + secrets.token_urlsafe(16)
    server.remember_secret(verifier)
    url, state = session.create_authorization_url(
        discovery["authorization_endpoint"], code_verifier=verifier, nonce=nonce, **parameters
    )
    sent = parse_qs(urlsplit(url).query)
    assert sent["code_challenge_method"] == ["S256"], url
    assert sent["code_challenge"] == [create_s256_code_challenge(verifier)], url
    assert sent["state"] == [state] and sent["nonce"] == [nonce] and sent["redirect_uri"] == [redirect_uri]

    browser = Browser(server, person["username"], person["password"])
    location = browser.authorize(url, redirect_uri)
    assert browser.logins == 1 and browser.consents == 1, (browser.logins, browser.consents, browser.pages)
    assert location.startswith(redirect_uri + "?"), location
    answer = parse_qs(urlsplit(location).query)
    assert "error" not in answer, f"authorization error: {answer}"
    assert answer.get("state") == [state], f"RFC 6749 §4.1.2: state must come back exactly, got {answer.get('state')}"
    # RFC 9207 §2.4: the client compares iss with the issuer before it uses the code.
    assert answer.get("iss") == [discovery["issuer"]], f"RFC 9207 §2: iss in the authorization response: {answer.get('iss')}"
    assert len(answer.get("code", [])) == 1 and answer["code"][0], location
    server.remember_secret(answer["code"][0])

    raw = responses_of(session)
    token = session.fetch_token(
        discovery["token_endpoint"], authorization_response=location, state=state, code_verifier=verifier
    )
    remember_tokens(server, token)
    assert raw and raw[-1].status_code == 200, raw and raw[-1].text
    assert "no-store" in raw[-1].headers.get("Cache-Control", ""), "RFC 6749 §5.1: Cache-Control: no-store"
    return {"token": token, "state": state, "nonce": nonce, "verifier": verifier, "location": location,
            "browser": browser, "request": raw[-1].request}


def check_token_response(token: dict, scope: str = SCOPE) -> None:
    assert token["token_type"].lower() == "bearer", token["token_type"]
    assert isinstance(token.get("expires_in"), int) and token["expires_in"] > 0, token.get("expires_in")
    assert sorted(token.get("scope", scope).split()) == sorted(scope.split()), token.get("scope")
    assert token.get("access_token")


def verified(token: str, key_set: jwk.KeySet, allowed: set[str]) -> tuple[dict, dict]:
    """Verifies a JWS with joserfc against the JWKS, using the alg named in its header (which
    must be one the server announces, never ``none``, and that of the key with that kid)."""
    header = jose_header(token)
    alg = header.get("alg")
    assert alg and alg != "none" and alg in allowed, f"header alg {alg!r} is not one of {sorted(allowed)}"
    kid = header.get("kid")
    keys = [key for key in key_set.keys if key.kid == kid]
    assert len(keys) == 1, f"the header kid {kid!r} names {len(keys)} keys of the JWKS"
    assert keys[0].get("alg") in (None, alg), f"the key {kid} is for {keys[0].get('alg')}, the header says {alg}"
    try:
        decoded = jwt.decode(token, key_set, algorithms=[alg])
    except BadSignatureError as error:  # pragma: no cover - the message is the point
        pytest.fail(f"the {header.get('typ', 'JWT')} does not verify against jwks_uri with {alg}: {error}")
    return decoded.header, decoded.claims


def verify_access_token(token: str, key_set, server, client_id: str, subject: str, scope: str) -> dict:
    """RFC 9068 §2 (header and claims) and §4 (validation)."""
    header, claims = verified(token, key_set, {"ES256", "RS256", "PS256", "EdDSA"})
    assert header["alg"] == ACCESS_TOKEN_ALG, header
    assert header.get("typ", "").lower() in ("at+jwt", "application/at+jwt"), f"RFC 9068 §2.1: typ {header.get('typ')!r}"
    JWTClaimsRegistry(
        leeway=LEEWAY,
        iss={"essential": True, "value": server.issuer},
        aud={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        jti={"essential": True},
        sub={"essential": True, "value": subject},
        client_id={"essential": True, "value": client_id},
    ).validate(claims)
    audience = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    assert all(isinstance(value, str) and value for value in audience), claims["aud"]
    assert sorted(claims["scope"].split()) == sorted(scope.split()), f"RFC 9068 §2.2.3: scope {claims['scope']!r}"
    now = int(time.time())
    assert isinstance(claims["iat"], int) and abs(claims["iat"] - now) <= LEEWAY, claims["iat"]
    assert isinstance(claims["exp"], int) and claims["exp"] > now, claims["exp"]
    assert isinstance(claims["jti"], str) and len(claims["jti"]) >= 16, claims["jti"]
    return claims


def left_hash(value: str, alg: str) -> str:
    """OpenID Connect Core §3.1.3.6 at_hash: the left half of the hash of the ASCII value, with
    the hash of the JWS alg (SHA-512 for EdDSA with Ed25519)."""
    digest = {"256": hashlib.sha256, "384": hashlib.sha384, "512": hashlib.sha512}.get(alg[-3:], hashlib.sha512)
    full = digest(value.encode("ascii")).digest()
    return base64.urlsafe_b64encode(full[: len(full) // 2]).rstrip(b"=").decode("ascii")


def verify_id_token(id_token: str, key_set, discovery, server, client_id: str, nonce: str | None,
                    access_token: str | None, alg: str = ID_TOKEN_ALG, max_age: int | None = None) -> dict:
    """OpenID Connect Core §2 (claims) and §3.1.3.7 (validation), §3.1.3.8 (at_hash)."""
    server.remember_secret(id_token)
    header, claims = verified(id_token, key_set, set(discovery["id_token_signing_alg_values_supported"]))
    assert header["alg"] == alg, f"§3.1.3.7 step 7: expected {alg}, header {header}"
    JWTClaimsRegistry(
        leeway=LEEWAY,
        iss={"essential": True, "value": discovery["issuer"]},
        sub={"essential": True},
        aud={"essential": True, "value": client_id},
        exp={"essential": True},
        iat={"essential": True},
    ).validate(claims)
    audience = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    assert client_id in audience, f"§3.1.3.7 step 3: aud {claims['aud']!r} lacks {client_id}"
    if len(audience) > 1 or "azp" in claims:
        assert claims.get("azp") == client_id, f"§3.1.3.7 steps 4-5: azp {claims.get('azp')!r}"
    now = int(time.time())
    assert isinstance(claims["exp"], int) and claims["exp"] > now, "§3.1.3.7 step 9"
    assert isinstance(claims["iat"], int) and abs(claims["iat"] - now) <= LEEWAY, "§3.1.3.7 step 10"
    assert len(claims["sub"]) <= 255, "§2: sub is at most 255 ASCII characters"
    if nonce is None:
        assert "nonce" not in claims, f"an ID token for a request without nonce carries one: {claims['nonce']!r}"
    else:
        assert claims.get("nonce") == nonce, f"§3.1.3.7 step 11: nonce {claims.get('nonce')!r}, sent {nonce!r}"
    if access_token is not None:
        assert claims.get("at_hash") == left_hash(access_token, header["alg"]), (
            f"§3.1.3.8: at_hash {claims.get('at_hash')!r} does not match the access token"
        )
    if max_age is not None:
        auth_time = claims.get("auth_time")
        assert isinstance(auth_time, int), f"§3.1.2.1: max_age was sent, so auth_time is REQUIRED; got {auth_time!r}"
        assert auth_time <= now + LEEWAY and now - auth_time <= max_age + LEEWAY, (
            f"§3.1.3.7 step 13: auth_time {auth_time} is older than max_age {max_age} (now {now})"
        )
    return claims


def token_error(error: OAuthError) -> str:
    return getattr(error, "error", None) or str(error)


# -- 1. the authorization code flow --------------------------------------------------------


def test_code_flow_with_pkce_for_a_confidential_client(custos_server, unique_name, discovery, key_set, person):
    client = confidential_client(custos_server, unique_name)
    assert client["client_secret"].startswith("custos_cs_")
    session = session_for(client, CONFIDENTIAL_REDIRECT_URI)
    flow = code_flow(custos_server, discovery, session, person, CONFIDENTIAL_REDIRECT_URI)
    token = flow["token"]
    check_token_response(token)
    assert token.get("refresh_token"), "a client with the refresh_token grant asked offline_access: a refresh token"
    assert token.get("id_token"), "scope openid: the token response has an ID token (OpenID Connect Core §3.1.3.3)"

    # authlib authenticated with client_secret_basic (RFC 6749 §2.3.1), and sent the verifier.
    request = flow["request"]
    assert request.headers.get("Authorization", "").startswith("Basic "), request.headers
    body = parse_qs(request.body)
    assert "client_secret" not in body
    assert body["grant_type"] == ["authorization_code"] and body["code_verifier"] == [flow["verifier"]]
    assert body["redirect_uri"] == [CONFIDENTIAL_REDIRECT_URI]

    verify_access_token(token["access_token"], key_set, custos_server, client["client_id"], person["id"], SCOPE)
    claims = verify_id_token(token["id_token"], key_set, discovery, custos_server, client["client_id"],
                             flow["nonce"], token["access_token"])
    assert claims["sub"] == person["id"]

    # UserInfo with the token authlib holds (OpenID Connect Core §5.3).
    info = session.get(discovery["userinfo_endpoint"], timeout=TIMEOUT)
    assert info.status_code == 200, info.text
    assert info.json()["sub"] == claims["sub"], "§5.3.2: UserInfo sub must equal the ID token's"
    assert info.json().get("email") == person["email"] and info.json().get("name") == person["name"], info.json()

    # The code is single-use (RFC 6749 §4.1.2): authlib presenting it again gets invalid_grant,
    # and the tokens issued for it are revoked (§4.1.2 and §10.5 SHOULD; docs/integration.md).
    with pytest.raises(OAuthError) as refused:
        session.fetch_token(discovery["token_endpoint"], authorization_response=flow["location"],
                            state=flow["state"], code_verifier=flow["verifier"])
    assert token_error(refused.value) == "invalid_grant", refused.value
    after = requests.get(discovery["userinfo_endpoint"], timeout=TIMEOUT,
                         headers={"Authorization": "Bearer " + token["access_token"]})
    assert after.status_code == 401, f"the access token of a replayed code still works: {after.text}"


def test_code_flow_with_pkce_for_a_public_client_on_a_loopback_port(
    custos_server, unique_name, discovery, key_set, person
):
    client = public_client(custos_server, unique_name)
    # RFC 8252 §7.3: the registered loopback URI has no port; the app listens on any free one.
    redirect_uri = f"http://127.0.0.1:{free_port()}/cb"
    session = session_for(client, redirect_uri)
    flow = code_flow(custos_server, discovery, session, person, redirect_uri)
    token = flow["token"]
    check_token_response(token)
    assert token.get("refresh_token") and token.get("id_token"), sorted(token)

    # token_endpoint_auth_method none: client_id in the body, no credentials (RFC 6749 §2.1, §4.1.3).
    request = flow["request"]
    assert "Authorization" not in request.headers, request.headers
    body = parse_qs(request.body)
    assert body["client_id"] == [client["client_id"]] and "client_secret" not in body
    assert body["code_verifier"] == [flow["verifier"]] and body["redirect_uri"] == [redirect_uri]

    verify_access_token(token["access_token"], key_set, custos_server, client["client_id"], person["id"], SCOPE)
    verify_id_token(token["id_token"], key_set, discovery, custos_server, client["client_id"], flow["nonce"],
                    token["access_token"])
    info = session.get(discovery["userinfo_endpoint"], timeout=TIMEOUT)
    assert info.status_code == 200 and info.json()["sub"] == person["id"], info.text

    # PKCE binds the code to the verifier (RFC 7636 §4.6): a second flow redeemed with another
    # verifier gets invalid_grant and no token.
    other = session_for(client, redirect_uri)
    verifier = generate_token(64)
    custos_server.remember_secret(verifier)
    url, state = other.create_authorization_url(discovery["authorization_endpoint"], code_verifier=verifier)
    browser = flow["browser"]  # signed in and consented already: straight back with a code
    location = browser.authorize(url, redirect_uri)
    custos_server.remember_secret(parse_qs(urlsplit(location).query).get("code", [None])[0])
    wrong_verifier = generate_token(64)
    custos_server.remember_secret(wrong_verifier)
    with pytest.raises(OAuthError) as refused:
        other.fetch_token(discovery["token_endpoint"], authorization_response=location, state=state,
                          code_verifier=wrong_verifier)
    assert token_error(refused.value) == "invalid_grant", refused.value


# -- 2. refresh ----------------------------------------------------------------------------


def test_refresh_for_a_confidential_client_keeps_its_refresh_token(
    custos_server, unique_name, discovery, key_set, person
):
    client = confidential_client(custos_server, unique_name)
    session = session_for(client, CONFIDENTIAL_REDIRECT_URI)
    flow = code_flow(custos_server, discovery, session, person, CONFIDENTIAL_REDIRECT_URI)
    first = flow["token"]
    original = verify_id_token(first["id_token"], key_set, discovery, custos_server, client["client_id"],
                               flow["nonce"], first["access_token"])

    raw = responses_of(session)
    refreshed = session.refresh_token(discovery["token_endpoint"])
    remember_tokens(custos_server, raw[-1].json())
    assert raw[-1].status_code == 200 and "no-store" in raw[-1].headers.get("Cache-Control", ""), raw[-1].text
    check_token_response(refreshed)
    assert refreshed["access_token"] != first["access_token"]
    # docs/integration.md: a confidential client keeps one stable refresh token (the response
    # then has none, RFC 6749 §6 "MAY issue a new refresh token"); authlib keeps the old one.
    assert raw[-1].json().get("refresh_token") in (None, first["refresh_token"]), "a confidential client's refresh token changed"
    assert refreshed["refresh_token"] == first["refresh_token"]
    verify_access_token(refreshed["access_token"], key_set, custos_server, client["client_id"], person["id"], SCOPE)
    if raw[-1].json().get("id_token"):
        # OpenID Connect Core §12.2: same iss, sub, aud; auth_time of the original authentication.
        # nonce: SHOULD be absent; if present, the original one.
        renewed = raw[-1].json()["id_token"]
        carries_nonce = "nonce" in json.loads(b64url_decode(renewed.split(".")[1]))
        again = verify_id_token(renewed, key_set, discovery, custos_server, client["client_id"],
                                original["nonce"] if carries_nonce else None, None)
        assert again["sub"] == original["sub"] and again.get("auth_time") == original.get("auth_time")

    info = session.get(discovery["userinfo_endpoint"], timeout=TIMEOUT)  # the new access token
    assert info.status_code == 200 and info.json()["sub"] == person["id"], info.text

    # The stable refresh token works again, here for fewer scopes (RFC 6749 §6: not wider).
    narrower = session.refresh_token(discovery["token_endpoint"], refresh_token=first["refresh_token"], scope="openid email")
    remember_tokens(custos_server, raw[-1].json())
    assert sorted(narrower["scope"].split()) == ["email", "openid"], narrower["scope"]
    verify_access_token(narrower["access_token"], key_set, custos_server, client["client_id"], person["id"], "openid email")
    with pytest.raises(OAuthError) as wider:
        session.refresh_token(discovery["token_endpoint"], refresh_token=first["refresh_token"], scope=SCOPE + " phone")
    assert token_error(wider.value) == "invalid_scope", f"RFC 6749 §6 / §5.2: {wider.value}"


def test_refresh_for_a_public_client_rotates_and_refuses_the_spent_token(
    custos_server, unique_name, discovery, key_set, person
):
    client = public_client(custos_server, unique_name)
    redirect_uri = f"http://127.0.0.1:{free_port()}/cb"
    session = session_for(client, redirect_uri)
    first = code_flow(custos_server, discovery, session, person, redirect_uri)["token"]
    spent = first["refresh_token"]

    raw = responses_of(session)
    refreshed = session.refresh_token(discovery["token_endpoint"])
    remember_tokens(custos_server, raw[-1].json())
    assert raw[-1].status_code == 200, raw[-1].text
    check_token_response(refreshed)
    assert raw[-1].json().get("refresh_token"), "OAuth 2.1 §4.3.1: a public client's refresh token is rotated"
    assert refreshed["refresh_token"] != spent and refreshed["access_token"] != first["access_token"]
    assert "Authorization" not in raw[-1].request.headers and parse_qs(raw[-1].request.body)["client_id"] == [client["client_id"]]
    verify_access_token(refreshed["access_token"], key_set, custos_server, client["client_id"], person["id"], SCOPE)

    info = session.get(discovery["userinfo_endpoint"], timeout=TIMEOUT)  # authlib now sends the new token
    assert info.status_code == 200 and info.json()["sub"] == person["id"], info.text

    # The spent refresh token: invalid_grant (RFC 6749 §5.2), status 400.
    with pytest.raises(OAuthError) as refused:
        session.refresh_token(discovery["token_endpoint"], refresh_token=spent)
    assert token_error(refused.value) == "invalid_grant", refused.value
    assert raw[-1].status_code == 400, raw[-1].text
    assert "access_token" not in raw[-1].json()

    # Reuse detection (RFC 9700 §4.14.2, docs/integration.md): the whole grant is revoked, the
    # current refresh token and the access token issued with it included.
    with pytest.raises(OAuthError) as family:
        session.refresh_token(discovery["token_endpoint"], refresh_token=refreshed["refresh_token"])
    assert token_error(family.value) == "invalid_grant", (
        f"after the spent refresh token was presented, its successor still works: {family.value}"
    )
    revoked = requests.get(discovery["userinfo_endpoint"], timeout=TIMEOUT,
                           headers={"Authorization": "Bearer " + refreshed["access_token"]})
    assert revoked.status_code == 401, f"the access token of the revoked grant still works: {revoked.text}"
    assert revoked.headers.get("WWW-Authenticate", "").startswith("Bearer"), revoked.headers


# -- 3. introspection and revocation -------------------------------------------------------


def test_introspection_and_revocation_with_authlib(custos_server, unique_name, discovery, key_set, person):
    client = confidential_client(custos_server, unique_name)
    session = session_for(client, CONFIDENTIAL_REDIRECT_URI)
    token = code_flow(custos_server, discovery, session, person, CONFIDENTIAL_REDIRECT_URI)["token"]
    claims = verify_access_token(token["access_token"], key_set, custos_server, client["client_id"], person["id"], SCOPE)
    endpoint = discovery["introspection_endpoint"]

    # RFC 7662 §2.2, authenticated as the client (client_secret_basic, §2.1).
    response = session.introspect_token(endpoint, token=token["access_token"], token_type_hint="access_token")
    assert response.status_code == 200, response.text
    assert response.request.headers.get("Authorization", "").startswith("Basic ")
    active = response.json()
    assert active["active"] is True, active
    assert active["client_id"] == client["client_id"]
    assert sorted(active["scope"].split()) == sorted(SCOPE.split())
    assert active["sub"] == person["id"]
    assert active["exp"] == claims["exp"] and active["iat"] == claims["iat"], (active, claims)
    assert active["token_type"].lower() == "bearer", active["token_type"]
    assert active.get("iss", custos_server.issuer) == custos_server.issuer
    assert active.get("jti", claims["jti"]) == claims["jti"]
    assert active.get("username") in (None, person["username"])

    response = session.introspect_token(endpoint, token=token["refresh_token"], token_type_hint="refresh_token")
    assert response.status_code == 200, response.text
    refresh = response.json()
    assert refresh["active"] is True and refresh["client_id"] == client["client_id"], refresh
    assert refresh["sub"] == person["id"] and sorted(refresh["scope"].split()) == sorted(SCOPE.split()), refresh
    assert isinstance(refresh.get("exp"), int) and refresh["exp"] > time.time(), refresh

    # RFC 7009 §2.1-2.2: revoke the access token; 200, and it is inactive from then on.
    revoked = session.revoke_token(discovery["revocation_endpoint"], token=token["access_token"],
                                   token_type_hint="access_token")
    assert revoked.status_code == 200, revoked.text
    assert revoked.request.headers.get("Authorization", "").startswith("Basic ")
    inactive = session.introspect_token(endpoint, token=token["access_token"])
    assert inactive.status_code == 200 and inactive.json() == {"active": False}, f"RFC 7662 §2.2: {inactive.text}"
    rejected = requests.get(discovery["userinfo_endpoint"], timeout=TIMEOUT,
                            headers={"Authorization": "Bearer " + token["access_token"]})
    assert rejected.status_code == 401, f"a revoked access token still works at UserInfo: {rejected.text}"

    # A new access token from the refresh token, then the refresh token is revoked: RFC 7009
    # §2.1 says the access tokens of the same grant SHOULD go with it.
    raw = responses_of(session)
    fresh = session.refresh_token(discovery["token_endpoint"], refresh_token=token["refresh_token"])
    remember_tokens(custos_server, raw[-1].json())
    assert session.introspect_token(endpoint, token=fresh["access_token"]).json()["active"] is True
    revoked = session.revoke_token(discovery["revocation_endpoint"], token=token["refresh_token"],
                                   token_type_hint="refresh_token")
    assert revoked.status_code == 200, revoked.text
    for name, value in (("refresh token", token["refresh_token"]), ("access token of the grant", fresh["access_token"])):
        answer = session.introspect_token(endpoint, token=value)
        assert answer.status_code == 200 and answer.json() == {"active": False}, f"revoked {name}: {answer.text}"
    with pytest.raises(OAuthError) as refused:
        session.refresh_token(discovery["token_endpoint"], refresh_token=token["refresh_token"])
    assert token_error(refused.value) == "invalid_grant", refused.value

    # RFC 7009 §2.2: an already revoked (invalid) token is answered 200 as well.
    again = session.revoke_token(discovery["revocation_endpoint"], token=token["refresh_token"])
    assert again.status_code == 200, again.text
    # An unknown token is inactive, and nothing more (RFC 7662 §2.2).
    unknown = session.introspect_token(endpoint, token="not-a-token-" + secrets.token_urlsafe(16))
    assert unknown.status_code == 200 and unknown.json() == {"active": False}, unknown.text


# -- 4. private_key_jwt --------------------------------------------------------------------


def generate_client_key():
    """An RSA key made by authlib (``authlib.jose`` is deprecated in favour of joserfc, which
    authlib's own PrivateKeyJWT uses; the warning says so and is not the point here)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from authlib.jose import JsonWebKey

        return JsonWebKey.generate_key("RSA", 2048, is_private=True)


def test_private_key_jwt_client_credentials_and_assertion_replay(custos_server, unique_name, discovery, key_set):
    assert "private_key_jwt" in discovery["token_endpoint_auth_methods_supported"]
    assert "RS256" in discovery["token_endpoint_auth_signing_alg_values_supported"]
    key = generate_client_key()
    public = key.as_dict(is_private=False)
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(public)
    public.update(use="sig", alg="RS256")
    private = key.as_dict(is_private=True)
    custos_server.remember_secret(private["d"])
    client = custos_server.create_client(
        name=unique_name("authlib private_key_jwt "),
        redirect_uris=[CONFIDENTIAL_REDIRECT_URI],
        grant_types=["client_credentials"],
        scopes=["api.read"],
        is_confidential=True,
        client_auth_methods=["private_key_jwt"],
        jwks=json.dumps({"keys": [public]}),
    )
    assert client["client_secret"] == "", "private_key_jwt uses no shared secret"
    token_endpoint = discovery["token_endpoint"]

    def session(claims: dict | None = None) -> tuple[OAuth2Session, list]:
        rp = OAuth2Session(client["client_id"], private, token_endpoint_auth_method="private_key_jwt", scope="api.read")
        rp.register_client_auth_method(PrivateKeyJWT(token_endpoint, claims=claims))
        return rp, responses_of(rp)

    rp, raw = session()
    token = rp.fetch_token(token_endpoint, grant_type="client_credentials")
    remember_tokens(custos_server, token)
    check_token_response(token, "api.read")
    assert "refresh_token" not in token, "RFC 6749 §4.4.3: no refresh token for client_credentials"
    verify_access_token(token["access_token"], key_set, custos_server, client["client_id"], client["client_id"], "api.read")

    # What authlib sent: RFC 7523 §2.2 / OpenID Connect Core §9.
    body = {name: values[0] for name, values in parse_qs(raw[-1].request.body).items()}
    assertion = body["client_assertion"]
    custos_server.remember_secret(assertion)
    assert body["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    assert "Authorization" not in raw[-1].request.headers and "client_secret" not in body
    sent = json.loads(b64url_decode(assertion.split(".")[1]))
    assert sent["iss"] == sent["sub"] == client["client_id"] and sent["aud"] == token_endpoint and sent["jti"], sent

    # The same assertion again: refused (RFC 7523 §3 item 7, OpenID Connect Core §9: a jti
    # used once), 401 invalid_client (RFC 6749 §5.2), no token.
    replay = requests.post(token_endpoint, data=body, timeout=TIMEOUT)
    assert replay.status_code == 401, f"a replayed client assertion: {replay.status_code} {replay.text}"
    assert replay.json()["error"] == "invalid_client", replay.text
    assert "access_token" not in replay.json()

    # A new assertion, freshly signed by authlib, that reuses the jti: refused as well.
    again, raw_again = session(claims={"jti": sent["jti"]})
    with pytest.raises(OAuthError) as refused:
        again.fetch_token(token_endpoint, grant_type="client_credentials")
    reused = raw_again[-1]
    custos_server.remember_secret(parse_qs(reused.request.body)["client_assertion"][0])
    assert token_error(refused.value) == "invalid_client", refused.value
    assert reused.status_code == 401, reused.text
    assert json.loads(b64url_decode(parse_qs(reused.request.body)["client_assertion"][0].split(".")[1]))["jti"] == sent["jti"]

    # The client itself is not locked out: a new jti works.
    fresh, _ = session()
    token = fresh.fetch_token(token_endpoint, grant_type="client_credentials")
    remember_tokens(custos_server, token)
    verify_access_token(token["access_token"], key_set, custos_server, client["client_id"], client["client_id"], "api.read")


# -- 5. JWTs verified with joserfc ---------------------------------------------------------


def test_id_token_with_max_age_and_access_token_verify_with_joserfc(
    custos_server, unique_name, discovery, key_set, person
):
    client = confidential_client(custos_server, unique_name)
    session = session_for(client, CONFIDENTIAL_REDIRECT_URI, scope="openid profile")
    flow = code_flow(custos_server, discovery, session, person, CONFIDENTIAL_REDIRECT_URI, max_age=600)
    token = flow["token"]
    check_token_response(token, "openid profile")

    access = verify_access_token(token["access_token"], key_set, custos_server, client["client_id"], person["id"],
                                 "openid profile")
    assert abs(access["exp"] - access["iat"] - token["expires_in"]) <= 1, (access, token["expires_in"])
    claims = verify_id_token(token["id_token"], key_set, discovery, custos_server, client["client_id"],
                             flow["nonce"], token["access_token"], max_age=600)
    assert claims["sub"] == access["sub"] == person["id"]
    assert claims["iat"] - claims["auth_time"] <= LEEWAY, "the person signed in during this flow"

    # A signature that does not verify must be refused by joserfc (proves the check is real).
    header, payload, signature = token["id_token"].split(".")
    forged = ".".join((header, payload, signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")))
    with pytest.raises(BadSignatureError):
        jwt.decode(forged, key_set, algorithms=[jose_header(token["id_token"])["alg"]])


class LogoutReceiver:
    """A plain-HTTP RP back-channel endpoint on 127.0.0.1 (http.server in a thread). It records
    every POST (path, headers, body) and answers 200 (Back-Channel Logout 1.0 §2.8)."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        received = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server name
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                received.append({"path": self.path, "headers": dict(self.headers.items()), "body": body})
                self.send_response(200)
                self.send_header("Cache-Control", "no-store")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format, *args) -> None:  # keep the test output quiet
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="backchannel-receiver", daemon=True)
        self._thread.start()

    def wait_for_request(self, timeout: float) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self.requests:
            time.sleep(0.1)
        return list(self.requests)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=10)


def verify_logout_token(logout_token: str, key_set, discovery, client_id: str, id_claims: dict) -> tuple[dict, dict]:
    """Back-Channel Logout 1.0 §2.4 (the logout token) and §2.6 (its validation by the RP)."""
    allowed = set(discovery["id_token_signing_alg_values_supported"])
    header, claims = verified(logout_token, key_set, allowed)
    # §2.4: "it is RECOMMENDED that Logout Tokens be explicitly typed", with typ logout+jwt.
    assert header.get("typ", "").lower() in ("logout+jwt", "application/logout+jwt"), (
        f"§2.4: the logout token header typ is {header.get('typ')!r}, not logout+jwt (header {header})"
    )
    JWTClaimsRegistry(
        leeway=LEEWAY,
        iss={"essential": True, "value": discovery["issuer"]},
        aud={"essential": True, "value": client_id},
        iat={"essential": True},
        jti={"essential": True},
    ).validate(claims)  # also checks exp when present
    audience = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    assert client_id in audience, f"§2.6 step 3: aud {claims['aud']!r} lacks {client_id}"
    now = int(time.time())
    assert isinstance(claims["iat"], int) and abs(claims["iat"] - now) <= LEEWAY, f"§2.4 iat {claims['iat']!r} (now {now})"
    assert isinstance(claims["jti"], str) and claims["jti"], f"§2.4 jti {claims['jti']!r}"
    if "exp" in claims:
        assert isinstance(claims["exp"], int) and claims["exp"] > now, f"§2.4 exp {claims['exp']!r} (now {now})"
    events = claims.get("events")
    assert isinstance(events, dict) and BACKCHANNEL_EVENT in events, f"§2.4 events {events!r}"
    assert events[BACKCHANNEL_EVENT] == {}, f"§2.4: the {BACKCHANNEL_EVENT} member is an empty JSON object: {events!r}"
    assert "nonce" not in claims, f"§2.4: a logout token MUST NOT contain a nonce claim: {claims['nonce']!r}"
    assert "sub" in claims or "sid" in claims, "§2.4: a logout token contains sub, sid or both"
    # backchannel_logout_session_required: the sid of the session, the one the ID token carried.
    assert claims.get("sid") == id_claims["sid"], f"§2.4: sid {claims.get('sid')!r}, the ID token's {id_claims['sid']!r}"
    if "sub" in claims:
        assert claims["sub"] == id_claims["sub"], f"§2.4: sub {claims['sub']!r}, the ID token's {id_claims['sub']!r}"
    return header, claims


def test_backchannel_logout_after_rp_initiated_logout(custos_server, discovery, key_set, person):
    assert discovery.get("backchannel_logout_supported") is True
    assert discovery.get("backchannel_logout_session_supported") is True
    registration_endpoint = discovery["registration_endpoint"]
    metadata = {
        "client_name": "authlib back-channel RP " + secrets.token_hex(4),
        "redirect_uris": [CONFIDENTIAL_REDIRECT_URI],
        "post_logout_redirect_uris": [POST_LOGOUT_REDIRECT_URI],
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "client_secret_basic",
        "scope": "openid profile",
        "id_token_signed_response_alg": "ES256",
        "backchannel_logout_session_required": True,
    }

    # Back-Channel Logout 1.0 §2.2: the URI SHOULD be https; http only "provided the OP allows"
    # it. Custos allows it only on loopback hosts, and only with CUSTOS_ALLOW_PRIVATE_FETCH=1
    # (which interop/conftest.py sets): an http URI on any other host is still refused.
    refused = requests.post(registration_endpoint,
                            json={**metadata, "backchannel_logout_uri": "http://rp.example/backchannel-logout"},
                            timeout=TIMEOUT)
    assert refused.status_code == 400, f"a non-loopback http backchannel_logout_uri: {refused.status_code} {refused.text}"
    assert refused.json()["error"] == "invalid_client_metadata", refused.text  # RFC 7591 §3.2.2
    assert "backchannel_logout_uri" in refused.json().get("error_description", ""), refused.text

    receiver = LogoutReceiver()
    try:
        backchannel_uri = f"http://127.0.0.1:{receiver.port}/backchannel-logout"
        response = requests.post(registration_endpoint, json={**metadata, "backchannel_logout_uri": backchannel_uri},
                                 timeout=TIMEOUT)
        assert response.status_code == 201, f"a loopback http backchannel_logout_uri: {response.status_code} {response.text}"
        client = response.json()
        custos_server.remember_secret(client.get("client_secret"))
        custos_server.remember_secret(client.get("registration_access_token"))
        assert client["backchannel_logout_uri"] == backchannel_uri
        assert client.get("backchannel_logout_session_required") is True
        assert client["post_logout_redirect_uris"] == [POST_LOGOUT_REDIRECT_URI]

        session = session_for(client, CONFIDENTIAL_REDIRECT_URI, scope="openid profile")
        flow = code_flow(custos_server, discovery, session, person, CONFIDENTIAL_REDIRECT_URI)
        token = flow["token"]
        claims = verify_id_token(token["id_token"], key_set, discovery, custos_server, client["client_id"],
                                 flow["nonce"], token["access_token"], alg="ES256")
        assert claims.get("sid"), "Back-Channel Logout 1.0 §2.1: with backchannel_logout_session_supported, ID tokens carry sid"
        assert not receiver.requests, f"a back-channel request before any logout: {receiver.requests}"

        # RP-Initiated Logout 1.0 §2: with a valid id_token_hint the user is signed out at
        # once (docs/integration.md) and sent to the registered post_logout_redirect_uri with
        # the exact state (§3).
        browser = flow["browser"]
        assert browser.signed_in()
        state = "lo-" + secrets.token_urlsafe(12)
        logout_url = discovery["end_session_endpoint"] + "?" + urlencode({
            "id_token_hint": token["id_token"], "post_logout_redirect_uri": POST_LOGOUT_REDIRECT_URI, "state": state,
        })
        result = browser.end_session(logout_url, POST_LOGOUT_REDIRECT_URI)
        assert isinstance(result, str), f"no redirect to the post_logout_redirect_uri: {result.status_code} {result.text[:500]}"
        assert result == POST_LOGOUT_REDIRECT_URI + "?" + urlencode({"state": state}), result
        assert browser.logout_confirmations == 0, "a valid id_token_hint needs no confirmation"
        assert not browser.signed_in(), "the session survived RP-initiated logout"

        # §2.5: the OP POSTs the logout token to the registered URI, as a form parameter
        # logout_token (application/x-www-form-urlencoded).
        received = receiver.wait_for_request(timeout=TIMEOUT)
        assert received, (
            f"no back-channel logout request reached {backchannel_uri} within {TIMEOUT} s of the logout "
            "(Back-Channel Logout 1.0 §2.5)"
        )
        time.sleep(0.5)  # a duplicate delivery, if any, shows up now
        received = list(receiver.requests)
        forms = [parse_qs(request["body"].decode("ascii", errors="replace")) for request in received]
        for form in forms:
            for value in form.get("logout_token", []):
                custos_server.remember_secret(value)
        assert len(received) == 1, f"one logout, one session, one RP: {len(received)} back-channel requests"
        request, form = received[0], forms[0]
        assert request["path"] == "/backchannel-logout", request["path"]
        content_type = {name.lower(): value for name, value in request["headers"].items()}.get("content-type", "")
        assert content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded", (
            f"§2.5: the logout token is POSTed as a form, Content-Type {content_type!r}"
        )
        assert list(form) == ["logout_token"] and len(form["logout_token"]) == 1, f"§2.5: the form is {form!r}"
        logout_token = form["logout_token"][0]
        verify_logout_token(logout_token, key_set, discovery, client["client_id"], claims)
    finally:
        receiver.close()
