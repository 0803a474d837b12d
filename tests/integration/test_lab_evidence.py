"""serve --evidence: per-session TLS key log (NSS format), the ClientHello summary with JA3/JA4 in
the session's events, and (with dumpcap) a pcap of the listeners' ports. The recorded STARTTLS
session is decrypted with tshark and the key log, and the EHLO after TLS is found in it."""
import json
import os
import shutil
import smtplib
import subprocess

import pytest

from exo_helpers import tls_context


@pytest.fixture
def server(exosim):
    return exosim(extra_args=["--evidence"])


def starttls_session(server, port: int) -> None:
    ctx = tls_context(server.ca_file)
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.ehlo("printer.evidence.test")
        smtp.starttls(context=ctx)
        smtp.ehlo("after-tls.evidence.test")
        smtp.login("printer@contoso.com", "Printer-Pass-1")
        smtp.sendmail("printer@contoso.com", ["alice@contoso.com"], b"Subject: evidence\r\n\r\nhi\r\n")


def client_hello_note(server) -> dict:
    notes = []
    for f in (server.data_dir / "sessions").glob("*.jsonl"):
        for line in f.read_text().splitlines():
            event = json.loads(line)
            if event.get("type") == "client-hello":
                notes.append((f.stem, json.loads(event["detail"])))
    assert len(notes) == 1, notes
    return notes[0]


def test_key_log_and_client_hello_summary(server):
    starttls_session(server, server.port("submission"))
    server.wait_for_message(to="alice@contoso.com")
    session_id, hello = client_hello_note(server)
    keylog = server.data_dir / "evidence" / f"{session_id}.keylog"
    assert hello["keylog"] == str(keylog)
    lines = keylog.read_text().splitlines()
    # TLS 1.2 (the Exchange default): one CLIENT_RANDOM line, 32-octet random, 48-octet secret.
    assert len(lines) == 1 and lines[0].startswith("CLIENT_RANDOM "), lines
    _, random, secret = lines[0].split(" ")
    assert len(random) == 64 and len(secret) == 96
    assert hello["highest_version"] == "TLSv1.3" and "TLSv1.2" in hello["versions"]  # what Python offers
    assert "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384" in hello["ciphers"]
    assert len(hello["ja3"]) == 32 and hello["ja4"].startswith("t13")
    assert hello["ja3_text"].startswith("771,")


# Skipped only on a user's machine without Wireshark's tools; CI (EXOSIM_REQUIRE_CLIENTS) has them.
@pytest.mark.skipif(not os.environ.get("EXOSIM_REQUIRE_CLIENTS") and
                    (not shutil.which("tshark") or not shutil.which("dumpcap")),
                    reason="tshark/dumpcap not installed (Debian tshark, ci/setup-deps lab)")
def test_recorded_starttls_session_decrypts_with_the_key_log(server):
    assert any(line.startswith("evidence ") and "(pcap: " in line for line in server.output), server.output
    port = server.port("submission")
    starttls_session(server, port)
    server.wait_for_message(to="alice@contoso.com")
    session_id, hello = client_hello_note(server)
    assert server.stop() == 0  # dumpcap is stopped with the server and closes the file
    pcap = server.data_dir / "evidence" / "capture.pcapng"
    keylog = server.data_dir / "evidence" / f"{session_id}.keylog"
    cmd = ["tshark", "-n", "-r", str(pcap), "-d", f"tcp.port=={port},smtp", "-o", f"tls.keylog_file:{keylog}"]
    out = subprocess.run(cmd + ["-Y", "tls and smtp.req.command", "-T", "fields", "-e", "smtp.req.command",
                                "-e", "smtp.req.parameter"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    decrypted = [line.split("\t") for line in out.stdout.splitlines()]
    # smtplib writes its verbs in lower case.
    assert decrypted[0] == ["ehlo", "after-tls.evidence.test"], decrypted
    assert ["mail", "FROM:<printer@contoso.com> size=25"] in decrypted, decrypted
    # Without the key log the same frames stay opaque.
    plain = subprocess.run(["tshark", "-n", "-r", str(pcap), "-d", f"tcp.port=={port},smtp", "-Y",
                            "tls and smtp.req.command"], capture_output=True, text=True, timeout=60)
    assert plain.stdout.strip() == ""
    # Wireshark's own JA3 of the ClientHello matches the summary's.
    ja3 = subprocess.run(["tshark", "-n", "-r", str(pcap), "-d", f"tcp.port=={port},smtp", "-Y",
                          "tls.handshake.type == 1", "-T", "fields", "-e", "tls.handshake.ja3"],
                         capture_output=True, text=True, timeout=60).stdout.split()
    assert ja3 == [hello["ja3"]]


def test_certify_evidence_puts_the_client_hello_in_the_report(tmp_path):
    """certify --evidence: each transcript shows the ClientHello line; key logs go with the report."""
    from pathlib import Path
    from exosim_pytest.server import find_binary
    root = Path(__file__).resolve().parents[2]
    client = (root / "client_under_test" / "adapters" / "exosim-client.cmd").read_text().strip()
    out = tmp_path / "report"
    proc = subprocess.run([str(find_binary()), "certify", "--scenario", str(root / "scenarios" / "submission-login.yaml"),
                           "--client", client, "--out", str(out), "--evidence"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    html = (out / "report.html").read_text()
    assert "-- ClientHello: versions TLSv1.3 TLSv1.2" in html
    assert "; JA3 " in html and "; JA4 t13d" in html
    keylogs = list((out / "evidence").glob("*.keylog"))
    assert len(keylogs) == 1 and keylogs[0].read_text().startswith("CLIENT_RANDOM ")
