"""The sign-in service's HTTPS listener (issue 14): TLS 1.2 and 1.3 only, the CA's certificate for
login.microsoftonline.com and its aliases, the shared HTTP layer's limits, and an Entra-shaped JSON
404 for a path it does not serve. The protocol (exosim::identity) is tested on its own."""
import http.client
import json
import socket
import ssl
import subprocess

import pytest

from exosim_pytest import find_binary

NAMES = ["login.microsoftonline.com", "login.microsoft.com", "login.windows.net", "sts.windows.net",
         "microsoft.com", "www.microsoft.com"]


@pytest.fixture
def server(exosim):
    return exosim()


def context(server, version=None):
    ctx = ssl.create_default_context(cafile=str(server.ca_file))
    if version:
        ctx.minimum_version = ctx.maximum_version = version
    return ctx


def https(server, name, version=None):
    """An HTTPS connection to the sign-in port that sends `name` as SNI and checks the certificate
    against it, as a client mapping the real host name to 127.0.0.1 does."""
    conn = http.client.HTTPSConnection(name, server.port("identity"), context=context(server, version), timeout=10)
    sock = socket.create_connection(("127.0.0.1", server.port("identity")), timeout=10)
    conn.sock = conn._context.wrap_socket(sock, server_hostname=name)
    return conn


def test_startup_line_names_the_endpoint_and_hosts(server):
    line = next(l for l in server.output if l.startswith("listening identity "))
    assert line == (f"listening identity 127.0.0.1:{server.port('identity')} protocol=https tls=1.2-1.3 "
                    "hosts=" + ",".join(NAMES))
    assert server.output.index(line) < server.output.index("ready")


@pytest.mark.parametrize("name", NAMES)
def test_certificate_names_every_login_host(server, name):
    out = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{server.port('identity')}",
                          "-servername", name, "-CAfile", str(server.ca_file), "-verify_hostname", name,
                          "-verify_return_error"],
                         input="", capture_output=True, text=True, timeout=20)
    assert "Verify return code: 0 (ok)" in out.stdout, out.stdout + out.stderr
    assert "CN = login.microsoftonline.com" in out.stdout


def test_a_host_the_certificate_does_not_name_fails_verification(server):
    with pytest.raises(ssl.SSLCertVerificationError):
        https(server, "outlook.office365.com").request("GET", "/")


@pytest.mark.parametrize("version", [ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3])
def test_tls_1_2_and_1_3_serve_the_sign_in_service(server, version):
    conn = https(server, "login.microsoftonline.com", version)
    conn.request("GET", "/contoso.com/no-such-endpoint?client_id=x")
    resp = conn.getresponse()
    body = resp.read()
    assert conn.sock.version() == {ssl.TLSVersion.TLSv1_2: "TLSv1.2", ssl.TLSVersion.TLSv1_3: "TLSv1.3"}[version]
    # An unknown path on the sign-in host: the service's HTML 404 page (Entra answers pages there).
    assert resp.status == 404
    assert resp.getheader("Content-Type") == "text/html; charset=utf-8"
    assert body == b"<!DOCTYPE html><html><body><p>404 Not Found</p></body></html>"
    # Keep-alive: a second request on the same connection reaches the token endpoint, which
    # answers Entra's error envelope (AADSTS900144: client_id is missing).
    conn.request("POST", "/common/oauth2/v2.0/token", body="grant_type=x",
                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    second = conn.getresponse()
    assert second.status == 400
    error = json.loads(second.read())
    assert error["error"] == "invalid_request" and error["error_codes"] == [900144]
    assert error["error_description"].startswith(
        "AADSTS900144: The request body must contain the following parameter: 'client_id'.\r\nTrace ID: ")


@pytest.mark.parametrize("flag", ["-tls1", "-tls1_1"])
def test_tls_1_0_and_1_1_are_refused(server, flag):
    out = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{server.port('identity')}", flag,
                          "-cipher", "DEFAULT:@SECLEVEL=0"],
                         input="", capture_output=True, text=True, timeout=20)
    assert "Cipher is (NONE)" in out.stdout or "alert protocol version" in out.stderr, out.stdout + out.stderr


def test_oversized_body_gets_413_json(server):
    conn = https(server, "login.microsoftonline.com")
    conn.request("POST", "/common/oauth2/v2.0/token", body=b"a" * (64 * 1024 + 1),
                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    resp = conn.getresponse()
    assert resp.status == 413
    assert json.loads(resp.read())["error"] == "invalid_request"


def test_print_config_and_port_overrides(tmp_path):
    exe = str(find_binary())

    def printed(*args):
        out = subprocess.run([exe, "serve", "--print-config", "--data-dir", str(tmp_path), *args],
                             capture_output=True, text=True, timeout=30)
        assert out.returncode == 0, out.stderr
        return out.stdout

    assert "identity: {enabled: true, address: 127.0.0.1, port: 1443, verification_uri:" in printed()
    assert "identity: {enabled: true, address: 192.0.2.7, port: 443, verification_uri:" in printed("--real-ports", "--bind", "192.0.2.7")
    assert "identity: {enabled: false, address: 127.0.0.1, port: 1443, verification_uri:" in printed("--no-identity")
    assert "identity: {enabled: true, address: 127.0.0.1, port: 0, verification_uri:" in printed("--ephemeral-ports")


def test_no_identity_starts_without_the_listener(exosim):
    server = exosim(extra_args=["--no-identity"])
    assert "identity" not in server.ports
    assert not any(l.startswith("listening identity") for l in server.output)


def test_signing_key_app_certificate_and_journal_persist_across_restarts(exosim, tmp_path):
    data = tmp_path / "persist"
    first = exosim(data_dir=data)
    app = "6a8c0e2f-4d1b-4f3a-9c5e-7b9d1f3a5c44"
    cert, key = data / "tls" / "apps" / f"{app}.crt.pem", data / "tls" / "apps" / f"{app}.key.pem"
    line = next(l for l in first.output if l.startswith("identity app certificate: "))
    assert line == f"identity app certificate: {cert} key {key} (Contoso Scan Daemon {app})"
    subject = subprocess.run(["openssl", "x509", "-noout", "-subject", "-in", str(cert)], capture_output=True, text=True)
    assert "CN = Contoso Scan Daemon" in subject.stdout
    state = (data / "tls" / "identity-signing" / "state").read_text()
    assert state.startswith("current ") and state.count("\n") == 1
    assert (data / "identity" / "refresh-tokens.log").exists()
    pem = cert.read_text()
    first.stop()
    exosim(data_dir=data)
    assert (data / "tls" / "identity-signing" / "state").read_text() == state
    assert cert.read_text() == pem
