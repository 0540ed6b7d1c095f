"""Mutual TLS (RFC 8705) against the built binary on its HTTPS listener.

The server gets ``CUSTOS_TLS_CERT_FILE``/``CUSTOS_TLS_KEY_FILE`` (a certificate for 127.0.0.1
issued by a test CA) and ``CUSTOS_TLS_CLIENT_CA_FILE`` (the same CA). Certificates are made
here with ``cryptography``; ``requests`` presents them with ``cert=`` and trusts the CA with
``verify=``. Checked: ``tls_client_auth`` client_credentials gives a token bound to the
certificate (``cnf.x5t#S256`` in introspection, RFC 8705 §3.1), ``self_signed_tls_client_auth``
(§2.2), a wrong certificate is 401 ``invalid_client`` (security cases F17, F19), a bound token at
UserInfo with and without its certificate (§3), and a TLS 1.1 handshake is refused (I11).
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import ipaddress
import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT_CONFTEST = Path(__file__).resolve().parent.parent / "conftest.py"
TIMEOUT = 10


def _name(common_name: str, organization: str | None = None) -> x509.Name:
    # Most significant first: the RFC 4514 form is "CN=…,O=…".
    attributes = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization)] if organization else []
    return x509.Name(attributes + [x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


@dataclass
class Issued:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    cert_file: str
    key_file: str

    @property
    def thumbprint(self) -> str:
        der = self.certificate.public_bytes(serialization.Encoding.DER)
        return base64.urlsafe_b64encode(hashlib.sha256(der).digest()).rstrip(b"=").decode()

    def jwks(self) -> str:
        numbers = self.key.public_key().public_numbers()

        def b64(value: int) -> str:
            return base64.urlsafe_b64encode(value.to_bytes(32, "big")).rstrip(b"=").decode()

        return json.dumps({"keys": [{"kty": "EC", "crv": "P-256", "use": "sig", "kid": "k1", "x": b64(numbers.x), "y": b64(numbers.y)}]})


class PKI:
    """A CA and the certificates it (or nobody) issues, written as PEM files into ``directory``."""

    def __init__(self, directory: Path, name: str = "Custos Interop CA"):
        self.directory = directory
        self.key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        self.name = _name(name, "Custos Interop")
        self.certificate = (
            x509.CertificateBuilder()
            .subject_name(self.name)
            .issuer_name(self.name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False, content_commitment=False, key_encipherment=False, data_encipherment=False,
                    key_agreement=False, key_cert_sign=True, crl_sign=True, encipher_only=False, decipher_only=False,
                ),
                critical=True,
            )
            .sign(self.key, hashes.SHA256())
        )
        self.ca_file = str(directory / f"{name.replace(' ', '-')}.pem")
        Path(self.ca_file).write_bytes(self.certificate.public_bytes(serialization.Encoding.PEM))

    def _write(self, label: str, key, certificate) -> Issued:
        cert_file = self.directory / f"{label}.pem"
        key_file = self.directory / f"{label}.key"
        cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        key_file.write_bytes(
            key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        )
        return Issued(key, certificate, str(cert_file), str(key_file))

    def issue(self, label: str, common_name: str, sans: list[x509.GeneralName] | None = None, self_signed: bool = False) -> Issued:
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.timezone.utc)
        subject = _name(common_name, "Example Client")
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject if self_signed else self.name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(hours=1))
        )
        if not self_signed:
            builder = builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        if sans:
            builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
        return self._write(label, key, builder.sign(key if self_signed else self.key, hashes.SHA256()))


@pytest.fixture(scope="module")
def pki():
    directory = Path(tempfile.mkdtemp(prefix="custos-interop-mtls-"))
    yield PKI(directory)
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def tls_server(request, custos_server, pki, monkeypatch_module):
    """A server of its own on the HTTPS listener (same binary snapshot, fresh database)."""
    root = request.config.pluginmanager.get_plugin(str(ROOT_CONFTEST))
    serving = pki.issue("server", "localhost", [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])

    class TLSServer(root.CustosServer):
        @property
        def base_url(self) -> str:
            return f"https://127.0.0.1:{self.port}"

    directory = Path(tempfile.mkdtemp(prefix="custos-interop-mtls-server-"))
    server = TLSServer(
        binary=custos_server.binary, directory=directory, port=root._free_port(), postgres_database=root.fresh_database()
    )
    base_environment = root.CustosServer.environment
    server.environment = lambda: {
        **base_environment(server),
        "CUSTOS_TLS_CERT_FILE": serving.cert_file,
        "CUSTOS_TLS_KEY_FILE": serving.key_file,
        "CUSTOS_TLS_CLIENT_CA_FILE": pki.ca_file,
    }
    # The conftest's helpers (start-up probe, admin token) call requests without verify=.
    monkeypatch_module.setenv("REQUESTS_CA_BUNDLE", pki.ca_file)
    failed_before = request.session.testsfailed
    try:
        server.start()
        yield server
    finally:
        server.stop()
        leaks = server.leaked_secrets()
        if leaks or request.session.testsfailed > failed_before:
            print(f"\nmtls: kept the TLS server's folder {directory}")
        else:
            shutil.rmtree(directory, ignore_errors=True)
        assert not leaks, "the server wrote secrets to its log:\n" + "\n".join(leaks)


@pytest.fixture(scope="module")
def monkeypatch_module():
    patch = pytest.MonkeyPatch()
    yield patch
    patch.undo()


def _token(server, pki, client_id: str, certificate: Issued | None) -> requests.Response:
    return requests.post(
        server.token_endpoint,
        data={"grant_type": "client_credentials", "client_id": client_id},
        cert=(certificate.cert_file, certificate.key_file) if certificate else None,
        verify=pki.ca_file,
        timeout=TIMEOUT,
    )


def test_tls_client_auth_binds_the_token(tls_server, pki, unique_name):
    client = tls_server.create_client(
        name=unique_name("mTLS "),
        redirect_uris=["https://app.example.com/cb"],
        grant_types=["client_credentials"],
        client_auth_methods=["tls_client_auth"],
        scopes=["api.read"],
        tls_client_auth_subject_dn="CN=client.example.com,O=Example Client",
        tls_client_certificate_bound_access_tokens=True,
    )
    leaf = pki.issue("tls-client", "client.example.com")
    response = _token(tls_server, pki, client["client_id"], leaf)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer"
    token = body["access_token"]
    tls_server.remember_secret(token)

    introspection = requests.post(
        tls_server.api_url + "/oauth/introspect",
        data={"token": token, "client_id": client["client_id"]},
        cert=(leaf.cert_file, leaf.key_file),
        verify=pki.ca_file,
        timeout=TIMEOUT,
    )
    assert introspection.status_code == 200, introspection.text
    assert introspection.json()["active"] is True
    assert introspection.json()["cnf"] == {"x5t#S256": leaf.thumbprint}

    # F17: another subject, a certificate of another CA, no certificate at all.
    other_pki = PKI(pki.directory, "Other CA")
    for certificate in (pki.issue("wrong-dn", "other.example.com"), other_pki.issue("other-ca", "client.example.com"), None):
        refused = _token(tls_server, pki, client["client_id"], certificate)
        assert refused.status_code == 401, refused.text
        assert refused.json()["error"] == "invalid_client"

    # RFC 8705 §3: at UserInfo the token's certificate must be the connection's. Without it the
    # token is refused as invalid (401); with it the binding holds and what remains is that a
    # client_credentials token has no user (403 insufficient_scope).
    without = requests.get(tls_server.api_url + "/oauth/userinfo", headers={"Authorization": "Bearer " + token}, verify=pki.ca_file, timeout=TIMEOUT)
    assert without.status_code == 401, without.text
    assert "invalid_token" in without.headers.get("WWW-Authenticate", "")
    other_leaf = pki.issue("other-leaf", "client.example.com")
    for certificate, status in ((other_leaf, 401), (leaf, 403)):
        answer = requests.get(
            tls_server.api_url + "/oauth/userinfo",
            headers={"Authorization": "Bearer " + token},
            cert=(certificate.cert_file, certificate.key_file),
            verify=pki.ca_file,
            timeout=TIMEOUT,
        )
        assert answer.status_code == status, answer.text


def test_self_signed_tls_client_auth(tls_server, pki, unique_name):
    mine = pki.issue("self-signed", "client.example.com", self_signed=True)
    client = tls_server.create_client(
        name=unique_name("self-signed mTLS "),
        redirect_uris=["https://app.example.com/cb"],
        grant_types=["client_credentials"],
        client_auth_methods=["self_signed_tls_client_auth"],
        scopes=["api.read"],
        jwks=mine.jwks(),
    )
    response = _token(tls_server, pki, client["client_id"], mine)
    assert response.status_code == 200, response.text
    tls_server.remember_secret(response.json()["access_token"])
    # F19: a self-signed certificate whose key is not in the client's jwks.
    stranger = pki.issue("stranger", "client.example.com", self_signed=True)
    refused = _token(tls_server, pki, client["client_id"], stranger)
    assert refused.status_code == 401, refused.text
    assert refused.json()["error"] == "invalid_client"


def test_discovery_announces_mtls(tls_server, pki):
    document = requests.get(tls_server.base_url + "/.well-known/openid-configuration", verify=pki.ca_file, timeout=TIMEOUT).json()
    assert document["tls_client_certificate_bound_access_tokens"] is True
    assert "tls_client_auth" in document["token_endpoint_auth_methods_supported"]
    assert document["mtls_endpoint_aliases"]["token_endpoint"] == tls_server.token_endpoint


def test_tls_1_1_is_refused(tls_server, pki):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(pki.ca_file)
    try:
        with warnings.catch_warnings():
            # Deprecated on purpose: this is the probe of an old client.
            warnings.simplefilter("ignore", DeprecationWarning)
            context.minimum_version = ssl.TLSVersion.TLSv1
            context.maximum_version = ssl.TLSVersion.TLSv1_1
        # OpenSSL 3 disables TLS < 1.2 at its default security level.
        context.set_ciphers("DEFAULT:@SECLEVEL=0")
    except (ValueError, ssl.SSLError) as error:
        pytest.skip(f"the local OpenSSL cannot offer TLS 1.1: {error}")
    with socket.create_connection(("127.0.0.1", tls_server.port), timeout=TIMEOUT) as sock:
        try:
            with context.wrap_socket(sock, server_hostname="127.0.0.1") as tls:
                pytest.fail(f"the server accepted {tls.version()}")
        except ssl.SSLError as error:
            if "NO_PROTOCOLS_AVAILABLE" in str(error).upper() or "NO PROTOCOLS AVAILABLE" in str(error).upper():
                pytest.skip(f"the local OpenSSL cannot offer TLS 1.1: {error}")
            # The server's alert: protocol version (or handshake failure).
            assert "VERSION" in str(error).upper() or "HANDSHAKE" in str(error).upper(), str(error)


def test_missing_tls_file_stops_start_up(custos_server, tmp_path):
    """A TLS file that is missing stops `custos serve` before anything opens, naming it."""
    result = subprocess.run(
        [str(custos_server.binary), "serve", "--port", "0", "--database", f"sqlite:{tmp_path / 'custos.db'}"],
        env={
            **{name: value for name, value in os.environ.items() if not name.startswith("CUSTOS_")},
            "CUSTOS_TLS_CERT_FILE": str(tmp_path / "missing.pem"),
            "CUSTOS_TLS_KEY_FILE": str(tmp_path / "missing.key"),
        },
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode != 0
    assert f"CUSTOS_TLS_CERT_FILE {tmp_path / 'missing.pem'}" in result.stderr + result.stdout
    assert not (tmp_path / "custos.db").exists(), "the database was opened before the TLS settings were read"
