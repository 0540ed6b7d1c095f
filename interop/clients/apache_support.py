"""Apache httpd with mod_auth_openidc as an OpenID Connect relying party of Custos.

Uses Debian's ``apache2`` and ``libapache2-mod-auth-openidc`` (``scripts/interop`` installs
them). ``ApacheRP`` writes a configuration of its own (ServerRoot, PidFile, ErrorLog and
runtime files in a private folder, only the modules it needs, one loopback port) and runs
``apache2 -DFOREGROUND`` as a child process. Started as root, the workers run as www-data, so
the folder is world-readable (it holds nothing secret but the configuration, which only the
root parent reads: it is 0600).

What it serves:
- ``/protected/`` (``AuthType openid-connect``): a CGI script printing what mod_auth_openidc
  passes on as ``name=value`` lines (``OIDC_CLAIM_*``: the ID token's and UserInfo's
  claims; ``REMOTE_USER``; the ID token and access token);
- ``/protected/redirect_uri``: mod_auth_openidc's redirect URI (also its logout endpoint,
  ``?logout=<url>``);
- ``/loggedout.html``: a public page, the post-logout redirect target.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

APACHE = Path("/usr/sbin/apache2")
MODULES = Path("/usr/lib/apache2/modules")
OPENIDC_MODULE = MODULES / "mod_auth_openidc.so"

STARTUP_TIMEOUT = 20.0
SHUTDOWN_TIMEOUT = 10.0

CREDENTIAL_PATTERNS = [
    re.compile(r"[?&]code=([A-Za-z0-9_.~-]+)"),
    re.compile(r"code_verifier=([A-Za-z0-9_.~-]+)"),
    re.compile(r'"(?:access_token|refresh_token|id_token)":"([^"]+)"'),
]

LOGGED_OUT_TEXT = "You are signed out of the Apache test application."

CLAIMS_CGI = r"""#!/bin/sh
# Prints what mod_auth_openidc handed to the application, one name=value a line.
printf 'Content-Type: text/plain; charset=utf-8\r\nCache-Control: no-store\r\n\r\n'
printf 'page=protected\n'
printf 'remote_user=%s\n' "$REMOTE_USER"
printf 'auth_type=%s\n' "$AUTH_TYPE"
printf 'claim_sub=%s\n' "$OIDC_CLAIM_sub"
printf 'claim_email=%s\n' "$OIDC_CLAIM_email"
printf 'claim_name=%s\n' "$OIDC_CLAIM_name"
printf 'claim_iss=%s\n' "$OIDC_CLAIM_iss"
printf 'claim_aud=%s\n' "$OIDC_CLAIM_aud"
printf 'claim_azp=%s\n' "$OIDC_CLAIM_azp"
printf 'id_token=%s\n' "$OIDC_id_token"
printf 'access_token=%s\n' "$OIDC_access_token"
"""

LOGGED_OUT_HTML = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Signed out</title></head>
<body><h1>Signed out</h1><p id="logged-out">{LOGGED_OUT_TEXT}</p></body></html>
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def missing_packages() -> list[str]:
    missing = []
    if not APACHE.exists():
        missing.append("apache2")
    if not OPENIDC_MODULE.exists():
        missing.append("libapache2-mod-auth-openidc")
    return missing


def _quote(value: str) -> str:
    """An Apache configuration argument in double quotes."""
    if any(character in value for character in '"\\\n\r'):
        raise ValueError(f"refusing to write {value!r} into an Apache configuration")
    return f'"{value}"'


@dataclass
class ApacheRP:
    """One Apache httpd acting as a mod_auth_openidc relying party."""

    port: int
    metadata_url: str
    client_id: str = ""
    client_secret: str = ""
    scope: str = "openid email profile"
    directory: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="custos-apache-")))
    crypto_passphrase: str = field(default_factory=lambda: "pp-" + secrets.token_urlsafe(24))
    process: subprocess.Popen | None = None

    # -- addresses -------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def protected_url(self) -> str:
        return self.base_url + "/protected/"

    @property
    def redirect_uri(self) -> str:
        return self.base_url + "/protected/redirect_uri"

    @property
    def logged_out_url(self) -> str:
        return self.base_url + "/loggedout.html"

    @property
    def error_log_path(self) -> Path:
        return self.directory / "logs" / "error.log"

    @property
    def access_log_path(self) -> Path:
        return self.directory / "logs" / "access.log"

    @property
    def config_path(self) -> Path:
        return self.directory / "conf" / "httpd.conf"

    # -- configuration ---------------------------------------------------------------------

    def configuration(self) -> str:
        d = self.directory
        modules = ["mpm_prefork", "authn_core", "authz_core", "authz_user", "alias", "cgi", "mime", "headers", "auth_openidc"]
        lines = [
            f"ServerRoot {_quote(str(d))}",
            f"Listen 127.0.0.1:{self.port}",
            f"ServerName 127.0.0.1:{self.port}",
            f"PidFile {_quote(str(d / 'run' / 'httpd.pid'))}",
            f"DefaultRuntimeDir {_quote(str(d / 'run'))}",
            f"ErrorLog {_quote(str(self.error_log_path))}",
            "LogLevel warn auth_openidc:debug",
            'LogFormat "%h %u %t \\"%r\\" %>s %b" plain',
            f"CustomLog {_quote(str(self.access_log_path))} plain",
        ]
        lines += [f"LoadModule {name}_module {_quote(str(MODULES / f'mod_{name}.so'))}" for name in modules]
        if os.geteuid() == 0:
            # httpd refuses to serve as root; the workers drop to www-data.
            lines += ["User www-data", "Group www-data"]
        lines += [
            "StartServers 2",
            "MinSpareServers 1",
            "MaxSpareServers 4",
            "MaxRequestWorkers 8",
            "KeepAlive On",
            "TypesConfig /etc/mime.types",
            f"DocumentRoot {_quote(str(d / 'htdocs'))}",
            "<Directory />",
            "    AllowOverride None",
            "    Require all denied",
            "</Directory>",
            f"<Directory {_quote(str(d / 'htdocs'))}>",
            "    Require all granted",
            "</Directory>",
            f"<Directory {_quote(str(d / 'cgi-bin'))}>",
            "    Options +ExecCGI",
            "    Require all granted",
            "</Directory>",
            # Exactly /protected/ is the claims page; /protected/redirect_uri stays mod_auth_openidc's.
            f'ScriptAliasMatch "^/protected/$" {_quote(str(d / "cgi-bin" / "claims.cgi"))}',
            "",
            f"OIDCProviderMetadataURL {_quote(self.metadata_url)}",
            f"OIDCClientID {_quote(self.client_id)}",
            f"OIDCClientSecret {_quote(self.client_secret)}",
            f"OIDCRedirectURI {_quote(self.redirect_uri)}",
            f"OIDCCryptoPassphrase {_quote(self.crypto_passphrase)}",
            f"OIDCScope {_quote(self.scope)}",
            "OIDCResponseType code",
            "OIDCPKCEMethod S256",
            "OIDCProviderTokenEndpointAuth client_secret_basic",
            "OIDCPassClaimsAs environment",
            "OIDCPassIDTokenAs claims serialized",
            "OIDCRemoteUserClaim sub",
            f"OIDCDefaultLoggedOutURL {_quote(self.logged_out_url)}",
            "",
            "<Location /protected/>",
            "    AuthType openid-connect",
            "    Require valid-user",
            "</Location>",
            "",
        ]
        return "\n".join(lines)

    def write_files(self) -> None:
        d = self.directory
        for sub in ("conf", "logs", "run", "htdocs", "cgi-bin"):
            (d / sub).mkdir(exist_ok=True)
        # Workers (www-data when started as root) read the pages and run the script.
        for path in (d, d / "htdocs", d / "cgi-bin"):
            path.chmod(0o755)
        self.config_path.write_text(self.configuration())
        self.config_path.chmod(0o600)
        (d / "htdocs" / "loggedout.html").write_text(LOGGED_OUT_HTML)
        (d / "htdocs" / "loggedout.html").chmod(0o644)
        script = d / "cgi-bin" / "claims.cgi"
        script.write_text(CLAIMS_CGI)
        script.chmod(0o755)

    # -- lifecycle -------------------------------------------------------------------------

    def environment(self) -> dict[str, str]:
        # No proxy may take mod_auth_openidc's back-channel calls to the loopback provider.
        env = {
            name: value for name, value in os.environ.items()
            if name.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
        }
        env["LANG"] = "C"
        return env

    def check_configuration(self) -> None:
        result = subprocess.run(
            [str(APACHE), "-t", "-f", str(self.config_path)],
            capture_output=True, text=True, env=self.environment(), timeout=30,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"apache2 -t refused the generated configuration {self.config_path} "
                f"(exit {result.returncode}):\n{result.stdout}{result.stderr}"
            )

    def start(self) -> None:
        self.write_files()
        self.check_configuration()
        self.stdout_path = self.directory / "logs" / "apache2.stdout.log"
        with open(self.stdout_path, "wb") as output:
            self.process = subprocess.Popen(
                [str(APACHE), "-DFOREGROUND", "-f", str(self.config_path)],
                cwd=self.directory,
                env=self.environment(),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                # httpd's parent signals its whole process group when it stops: a group of
                # its own keeps pytest and scripts/interop out of it.
                start_new_session=True,
            )
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"apache2 exited with status {self.process.returncode} during start-up\n" + self.log_tail()
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"apache2 did not listen on 127.0.0.1:{self.port} within {STARTUP_TIMEOUT:.0f} s\n" + self.log_tail())

    def stop(self) -> None:
        """SIGTERM to the parent (it stops its workers), SIGKILL after SHUTDOWN_TIMEOUT."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=SHUTDOWN_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def cleanup(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)

    # -- diagnostics -----------------------------------------------------------------------

    def logged_credentials(self) -> set[str]:
        """Codes, verifiers and tokens mod_auth_openidc wrote to its debug log."""
        found: set[str] = set()
        for path in (self.error_log_path, self.access_log_path):
            if path.exists():
                text = path.read_text(errors="replace")
                for pattern in CREDENTIAL_PATTERNS:
                    found.update(match.group(1) for match in pattern.finditer(text))
        return found

    def log_tail(self, lines: int = 200) -> str:
        parts = []
        for path in (getattr(self, "stdout_path", None), self.error_log_path, self.access_log_path):
            if path is not None and path.exists():
                text = path.read_text(errors="replace").splitlines()[-lines:]
                parts.append(f"--- apache {path.name} (last {len(text)} lines) ---\n" + "\n".join(text))
        return "\n".join(parts)
