"""Real third-party clients against the foundation: swaks and curl."""
import subprocess

import pytest

from client_capabilities import require
from configs import rfc_config


@pytest.fixture
def server(exosim):
    return exosim(rfc_config())


def test_swaks_starttls_auth_login(server):
    require("swaks")
    run = subprocess.run(
        ["swaks", "--server", f"127.0.0.1:{server.port('submission')}", "--tls", "--tls-ca-path",
         str(server.ca_file), "--tls-verify", "--tls-sni", "localhost",
         "--auth", "LOGIN", "--auth-user", "printer@contoso.com",
         "--auth-password", "Printer-Pass-1", "--from", "printer@contoso.com", "--to", "alice@contoso.com",
         "--header", "Subject: swaks test", "--timeout", "10"],
        capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    msg = server.wait_for_message(to="alice@contoso.com")
    assert b"Subject: swaks test" in msg.eml
    assert msg.meta["auth_identity"] == "printer@contoso.com"


def test_curl_starttls_auth_plain(server, tmp_path):
    require("curl")
    body = tmp_path / "mail.txt"
    body.write_bytes(b"From: printer@contoso.com\r\nSubject: curl test\r\n\r\n.leading dot\r\nbody\r\n")
    run = subprocess.run(
        ["curl", "-sS", "--ssl-reqd", "--cacert", str(server.ca_file),
         "--resolve", f"localhost:{server.port('submission')}:127.0.0.1",
         f"smtp://localhost:{server.port('submission')}", "--user", "printer@contoso.com:Printer-Pass-1",
         "--login-options", "AUTH=PLAIN",
         "--mail-from", "printer@contoso.com", "--mail-rcpt", "bob@contoso.com", "--upload-file", str(body)],
        capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    msg = server.wait_for_message(to="bob@contoso.com")
    assert b"\r\n.leading dot\r\n" in msg.eml  # curl dot-stuffs, exosim unstuffs
