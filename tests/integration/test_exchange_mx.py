"""exo-mx (contoso-com.mail.protection.outlook.com) and exo-465 on the wire, issue 3: direct send,
relay by connector (source IP stand-in, client certificate), blocked IPs, SPF stamping, and the
silent port 465."""
import smtplib
import socket
import subprocess
import time

import pytest

from client_capabilities import require
from configs import exo_config
from exo_helpers import MX_FRONTEND, client_certificate, line, tls_context
from wire import Wire

MESSAGE = b"From: sender@contoso.com\r\nTo: alice@contoso.com\r\nSubject: Scan\r\n\r\nhello\r\n"


@pytest.fixture
def server(exosim):
    return exosim(exo_config())


def mx_wire(server, source=None) -> Wire:
    w = Wire(server.port("mx"), source=source)
    assert w.read_reply().startswith(b"220 SG2PEPF000B66CE.mail.protection.outlook.com Microsoft ESMTP MAIL Service")
    assert w.cmd(b"EHLO printer.contoso.com").startswith(b"250-SG2PEPF000B66CE.mail.protection.outlook.com Hello [")
    return w


def test_direct_send_to_accepted_domain_is_stored_with_authentication_results(server):
    with smtplib.SMTP("127.0.0.1", server.port("mx"), timeout=10, source_address=("127.0.0.10", 0)) as smtp:
        smtp.ehlo("printer.contoso.com")
        smtp.mail("sender@contoso.com")
        assert smtp.rcpt("alice@contoso.com") == (250, b"2.1.5 Recipient OK")
        code, text = smtp.data(MESSAGE)
    assert code == 250 and text.startswith(b"2.6.0 <") and text.endswith(b"Queued mail for delivery"), text
    stored = server.wait_for_message(to="alice@contoso.com")
    # 127.0.0.10 is seen as 203.0.113.10, which contoso.com's SPF record permits.
    assert stored.eml.startswith(b"Received: from printer.contoso.com (203.0.113.10) by\r\n"
                                 b" SG2PEPF000B66CE.apcprd03.prod.outlook.com with Microsoft SMTP Server via Frontend "
                                 b"Transport;\r\n "), stored.eml[:300]
    assert b"\r\nAuthentication-Results: spf=pass (sender IP is 203.0.113.10)\r\n smtp.mailfrom=contoso.com;" \
        in stored.eml, stored.eml[:600]
    assert b"\r\nReceived-SPF: Pass (protection.outlook.com: domain of contoso.com designates 203.0.113.10 as " \
           b"permitted sender)" in stored.eml, stored.eml[:600]
    assert stored.eml.endswith(MESSAGE)
    assert stored.meta["seen_address"] == "203.0.113.10"
    assert stored.meta["annotations"]["spf"] == "pass"


def test_spf_fail_for_a_sender_outside_the_record(server):
    with smtplib.SMTP("127.0.0.1", server.port("mx"), timeout=10) as smtp:
        smtp.sendmail("sender@contoso.com", ["bob@contoso.com"], MESSAGE)
    stored = server.wait_for_message(to="bob@contoso.com")
    assert b"\r\nAuthentication-Results: spf=fail (sender IP is 192.0.2.1)\r\n" in stored.eml, stored.eml[:400]


def test_external_recipient_550_5_7_64(server):
    w = mx_wire(server)
    assert w.cmd(b"MAIL FROM:<sender@contoso.com>") == b"250 2.1.0 Sender OK\r\n"
    reply = w.cmd(b"RCPT TO:<x@example.net>").decode()
    assert line("550 5.7.64 TenantAttribution; Relay Access Denied", MX_FRONTEND).match(reply), reply


def test_unknown_mailbox_550_5_4_1(server):
    w = mx_wire(server)
    w.cmd(b"MAIL FROM:<sender@example.org>")
    reply = w.cmd(b"RCPT TO:<nobody@contoso.com>").decode()
    assert line("550 5.4.1 Recipient address rejected: Access denied.", MX_FRONTEND).match(reply), reply


def test_relay_by_source_ip_connector(server):
    with smtplib.SMTP("127.0.0.1", server.port("mx"), timeout=10, source_address=("127.0.0.10", 0)) as smtp:
        smtp.ehlo("printer.contoso.com")
        smtp.mail("printer@contoso.com")
        assert smtp.rcpt("x@example.net") == (250, b"2.1.5 Recipient OK")
        code, _ = smtp.data(MESSAGE)
    assert code == 250
    stored = server.wait_for_message(to="x@example.net")
    assert stored.meta["annotations"]["connector_match"] == "source_ip"


def test_blocked_ip_5_7_606_at_rcpt(server):
    w = mx_wire(server, source="127.0.0.66")
    assert w.cmd(b"MAIL FROM:<sender@example.org>") == b"250 2.1.0 Sender OK\r\n"
    reply = w.cmd(b"RCPT TO:<alice@contoso.com>").decode()
    assert line("550 5.7.606 Access denied, banned sending IP [198.51.100.66]. To request removal from this list "
                "please visit https://sender.office.com/ and follow the directions. For more information please go "
                "to  http://go.microsoft.com/fwlink/?LinkID=526655 (AS16012609)", MX_FRONTEND).match(reply), reply


def test_relay_by_client_certificate_connector(server, tmp_path):
    bundle = client_certificate(server, tmp_path, "contoso.com")
    ctx = tls_context(server.ca_file)
    ctx.load_cert_chain(str(bundle))
    with smtplib.SMTP("127.0.0.1", server.port("mx"), timeout=10) as smtp:
        smtp.ehlo("printer.contoso.com")
        smtp.starttls(context=ctx)
        smtp.ehlo("printer.contoso.com")
        smtp.mail("printer@contoso.com")
        assert smtp.rcpt("x@example.net") == (250, b"2.1.5 Recipient OK")
        code, _ = smtp.data(MESSAGE)
    assert code == 250
    stored = server.wait_for_message(to="x@example.net")
    assert stored.meta["annotations"]["connector_match"] == "certificate"


def test_certificate_naming_another_domain_is_no_connector(server, tmp_path):
    bundle = client_certificate(server, tmp_path, "example.org")
    ctx = tls_context(server.ca_file)
    ctx.load_cert_chain(str(bundle))
    with smtplib.SMTP("127.0.0.1", server.port("mx"), timeout=10) as smtp:
        smtp.ehlo("printer.example.org")
        smtp.starttls(context=ctx)
        smtp.ehlo("printer.example.org")
        smtp.mail("printer@contoso.com")
        code, _ = smtp.rcpt("x@example.net")
    assert code == 550


def test_exo_465_is_silent(server):
    sock = socket.create_connection(("127.0.0.1", server.port("implicit")), timeout=5)
    sock.settimeout(1.0)
    start = time.monotonic()
    with pytest.raises(socket.timeout):
        sock.recv(1)  # no banner, no TLS ServerHello: nothing at all within 1 s
    assert time.monotonic() - start >= 0.9
    sock.close()


def test_swaks_from_blocked_and_connector_addresses(server):
    """swaks binds the loopback stand-ins with --local-interface, as a lab user would."""
    require("swaks")  # optional on a user's machine; CI installs it and sets EXOSIM_REQUIRE_CLIENTS
    def swaks(source, to):
        return subprocess.run(["swaks", "--server", "127.0.0.1", "--port", str(server.port("mx")),
                               "--local-interface", source, "--ehlo", "printer.contoso.com",
                               "--from", "printer@contoso.com", "--to", to, "--timeout", "10"],
                              capture_output=True, text=True, timeout=60)
    blocked = swaks("127.0.0.66", "alice@contoso.com")
    assert blocked.returncode != 0
    assert "<** 550 5.7.606 Access denied, banned sending IP [198.51.100.66]." in blocked.stdout, blocked.stdout
    relayed = swaks("127.0.0.10", "x@example.net")
    assert relayed.returncode == 0, relayed.stdout
    assert "<-  250 2.6.0 <" in relayed.stdout
    server.wait_for_message(to="x@example.net")
