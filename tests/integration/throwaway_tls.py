"""A throwaway PKI and a recording HTTPS server, to prove the client-side name mapping of
identity_clients.py on its own (tests/integration/test_identity_mapping.py).

`Pki(dir)` issues, like exosim's CA layout, a root, an intermediate and leaves; `RecordingServer`
serves HTTPS on 127.0.0.1:0 with one leaf (sent with its intermediate) and records, per request,
the SNI the client sent, the Host header, the method, path and body. Routes are a dict
path -> (status, content type, body) or a callable(request) -> that triple.
"""
from __future__ import annotations

import datetime
import http.server
import json
import ssl
import threading
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


class Pki:
    """Root -> intermediate -> leaves, written under `dir`. `ca_file` is the root to trust."""

    def __init__(self, directory: Path, label: str = "throwaway"):
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        now = datetime.datetime.now(datetime.timezone.utc)
        self._validity = (now - datetime.timedelta(hours=1), now + datetime.timedelta(days=2))
        self.root_key = ec.generate_private_key(ec.SECP256R1())
        self.root = self._issue(_name(f"{label} root CA"), self.root_key.public_key(), _name(f"{label} root CA"),
                                self.root_key, ca=True)
        self.inter_key = ec.generate_private_key(ec.SECP256R1())
        self.inter = self._issue(_name(f"{label} intermediate CA"), self.inter_key.public_key(),
                                 self.root.subject, self.root_key, ca=True)
        self.ca_file = self.dir / "ca.pem"
        self.ca_file.write_bytes(_pem(self.root))

    def _issue(self, subject, public_key, issuer, signing_key, ca: bool, names=()) -> x509.Certificate:
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(self._validity[0]).not_valid_after(self._validity[1])
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if ca:
            builder = builder.add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False),
                                            critical=True)
        else:
            builder = (builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
                       .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False))
        builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        return builder.sign(signing_key, hashes.SHA256())

    def leaf(self, name: str, dns_names) -> tuple[Path, Path]:
        """(chain file: leaf then intermediate, key file) for a server certificate naming dns_names."""
        key = ec.generate_private_key(ec.SECP256R1())
        cert = self._issue(_name(dns_names[0]), key.public_key(), self.inter.subject, self.inter_key, ca=False,
                           names=dns_names)
        chain, key_file = self.dir / f"{name}.chain.pem", self.dir / f"{name}.key.pem"
        chain.write_bytes(_pem(cert) + _pem(self.inter))
        key_file.write_bytes(_key_pem(key))
        return chain, key_file


@dataclass
class Seen:
    sni: str | None
    host: str | None
    method: str
    path: str
    body: bytes = b""
    headers: dict = field(default_factory=dict)


class RecordingServer:
    """HTTPS on 127.0.0.1:<free port>. `seen` lists the requests, `handshake_errors` the TLS
    handshakes that failed (a client refusing the certificate shows up there)."""

    def __init__(self, chain: Path, key: Path, routes: dict):
        self.seen: list[Seen] = []
        self.handshake_errors: list[str] = []
        self.routes = routes
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(chain), str(key))
        sni: dict[int, str | None] = {}

        def on_sni(sock, server_name, _ctx):
            sni[id(sock)] = server_name

        context.sni_callback = on_sni
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                seen = Seen(sni.get(id(self.connection)), self.headers.get("Host"), method, self.path, body,
                            {k.lower(): v for k, v in self.headers.items()})
                owner.seen.append(seen)
                route = owner.routes.get(urllib.parse.urlsplit(self.path).path)
                if route is None:
                    status, ctype, payload = 404, "application/json", json.dumps({"error": "no route"}).encode()
                else:
                    status, ctype, payload = route(seen) if callable(route) else route
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def finish_request(self, request, client_address):
                try:
                    tls = context.wrap_socket(request, server_side=True)
                except (ssl.SSLError, OSError) as e:
                    owner.handshake_errors.append(str(e))
                    return
                try:
                    super().finish_request(tls, client_address)
                finally:
                    tls.close()

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
