"""Helpers for the Exchange Online integration tests: exact reply patterns, TLS contexts,
XOAUTH2 strings, tokens (from `exosim token`, or signed with the sign-in service's own key for
the expired case) and client certificates signed by exosim's local CA."""
from __future__ import annotations

import base64
import json
import re
import smtplib
import ssl
import subprocess
from pathlib import Path

from exosim_pytest.server import find_binary

FRONTEND = "SY5P282CA0097.AUSP282.PROD.OUTLOOK.COM"
MX_FRONTEND = "SG2PEPF000B66CE.apcprd03.prod.outlook.com"
SESSION_ID = r"[0-9A-F]{16}"
ISO_MS = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"


def bracket(node: str = FRONTEND) -> str:
    """The §0 diagnostic trailer: [<node fqdn> <ISO-8601 ms>Z <session id>]."""
    return r" \[" + re.escape(node) + " " + ISO_MS + " " + SESSION_ID + r"\]"


def line(code_and_text: str, node: str = FRONTEND) -> re.Pattern:
    """A full reply line: the catalogue text followed by the bracket and CRLF."""
    return re.compile(re.escape(code_and_text) + bracket(node) + r"\r\n\Z")


def tls_context(ca: Path, version: str | None = None) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(ca))
    ctx.check_hostname = False  # the tests connect to 127.0.0.1
    versions = {"1.0": ssl.TLSVersion.TLSv1, "1.1": ssl.TLSVersion.TLSv1_1,
                "1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}
    if version:
        ctx.minimum_version = ctx.maximum_version = versions[version]
        if version in ("1.0", "1.1"):
            ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    return ctx


def xoauth2(user: str, token: str) -> str:
    return base64.b64encode(f"user={user}\x01auth=Bearer {token}\x01\x01".encode()).decode()


def exosim_token(server, user: str, ttl: int = 3600, audience: str | None = None) -> str:
    args = [str(find_binary()), "token", "--user", user, "--ttl", str(ttl), "--data-dir", str(server.data_dir)]
    if server.config_path:
        args += ["--config", str(server.config_path)]
    if audience:
        args += ["--audience", audience]
    out = subprocess.run(args, capture_output=True, text=True, timeout=30, check=True)
    return out.stdout.strip()


def forged_token(server, claims: dict) -> str:
    """An RS256 token signed with the sign-in service's current key
    (tls/identity-signing/<kid>.key.pem, named by its `state` file), for claims `exosim token`
    refuses to mint (already expired)."""
    keys = server.data_dir / "tls" / "identity-signing"
    kid = next(l.split()[1] for l in (keys / "state").read_text().splitlines() if l.startswith("current "))

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = {"typ": "JWT", "alg": "RS256", "kid": kid}
    signing_input = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
    sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", str(keys / f"{kid}.key.pem")],
                         input=signing_input.encode(), capture_output=True, check=True).stdout
    return signing_input + "." + b64(sig)


def client_certificate(server, tmp_path: Path, name: str) -> Path:
    """leaf (CN and SAN `name`, clientAuth) + intermediate + key, signed by exosim's intermediate CA."""
    tls = server.data_dir / "tls"
    key, csr, leaf, ext = (tmp_path / f"{name}.{s}" for s in ("key", "csr", "crt", "ext"))
    ext.write_text(f"subjectAltName=DNS:{name}\nextendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n")
    subprocess.run(["openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                    "-subj", f"/CN={name}", "-out", str(csr)], check=True, capture_output=True)
    subprocess.run(["openssl", "x509", "-req", "-in", str(csr), "-CA", str(tls / "intermediate.pem"),
                    "-CAkey", str(tls / "intermediate.key"), "-CAcreateserial", "-CAserial", str(tmp_path / "serial"),
                    "-days", "30", "-sha256", "-extfile", str(ext), "-out", str(leaf)], check=True, capture_output=True)
    bundle = tmp_path / f"{name}.bundle.pem"
    bundle.write_bytes(leaf.read_bytes() + (tls / "intermediate.pem").read_bytes() + key.read_bytes())
    return bundle


def login(server, ca: Path, user: str, password: str, listener: str = "submission") -> smtplib.SMTP:
    smtp = smtplib.SMTP("127.0.0.1", server.port(listener), timeout=10)
    smtp.ehlo("printer.local")
    smtp.starttls(context=tls_context(ca))
    smtp.ehlo("printer.local")
    smtp.login(user, password)
    return smtp
