"""exo-submission (smtp.office365.com) on the wire, issue 3: exact reply lines from the replies
catalogue (reference §2-§6, §10) and whether the message was stored."""
import base64
import re
import smtplib
import time

import pytest

from configs import exo_config
from exo_helpers import (FRONTEND, bracket, exosim_token, forged_token, line, login, tls_context, xoauth2)
from wire import Wire

MESSAGE = b"From: printer@contoso.com\r\nTo: alice@contoso.com\r\nSubject: Scan\r\n\r\nhello\r\n"
HELLO = "SY5P282CA0097.outlook.office365.com Hello [192.0.2.1]"
KEYWORDS_BEFORE_TLS = ["SIZE 157286400", "PIPELINING", "DSN", "ENHANCEDSTATUSCODES", "STARTTLS", "8BITMIME",
                       "BINARYMIME", "CHUNKING", "SMTPUTF8"]
KEYWORDS_AFTER_TLS = ["SIZE 157286400", "PIPELINING", "DSN", "ENHANCEDSTATUSCODES", "AUTH LOGIN XOAUTH2",
                      "8BITMIME", "BINARYMIME", "CHUNKING", "SMTPUTF8"]


def ehlo_bytes(lines):
    out = [HELLO] + lines
    return "".join(f"250{'-' if i < len(out) - 1 else ' '}{text}\r\n" for i, text in enumerate(out)).encode()


@pytest.fixture
def server(exosim):
    return exosim(exo_config())


def b64(s: str) -> bytes:
    return base64.b64encode(s.encode())


def tls_wire(server, user=None, password=None) -> Wire:
    w = Wire(server.port("submission"))
    w.read_reply()
    w.cmd(b"EHLO printer.local")
    assert w.cmd(b"STARTTLS") == b"220 2.0.0 SMTP server ready\r\n"
    w.starttls(str(server.ca_file), server_hostname="smtp.office365.com")
    w.cmd(b"EHLO printer.local")
    if user:
        assert w.cmd(b"AUTH LOGIN") == b"334 VXNlcm5hbWU6\r\n"
        assert w.cmd(b64(user)) == b"334 UGFzc3dvcmQ6\r\n"
        w.send(b64(password) + b"\r\n")
    return w


def test_banner_and_ehlo_bytes_before_and_after_tls(server):
    w = Wire(server.port("submission"))
    banner = w.read_reply().decode()
    assert re.fullmatch(r"220 SY5P282CA0097\.outlook\.office365\.com Microsoft ESMTP MAIL Service ready at "
                        r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0000 "
                        r"\[[0-9A-F]{16}\]\r\n", banner), banner
    assert w.cmd(b"EHLO printer.local") == ehlo_bytes(KEYWORDS_BEFORE_TLS)
    assert w.cmd(b"STARTTLS") == b"220 2.0.0 SMTP server ready\r\n"
    w.starttls(str(server.ca_file), server_hostname="smtp.office365.com")
    assert w.cmd(b"EHLO printer.local") == ehlo_bytes(KEYWORDS_AFTER_TLS)
    w.close()


def test_mail_before_tls_is_451_5_7_3_and_auth_before_tls_504_5_7_4(server):
    w = Wire(server.port("submission"))
    session_id = re.search(rb"\[([0-9A-F]{16})\]", w.read_reply()).group(1).decode()
    w.cmd(b"EHLO printer.local")
    reply = w.cmd(b"MAIL FROM:<printer@contoso.com>").decode()
    assert line("451 5.7.3 STARTTLS is required to send mail").match(reply), reply
    assert reply.endswith(f" {session_id}]\r\n")  # the bracket names this session
    reply = w.cmd(b"AUTH LOGIN").decode()
    assert line("504 5.7.4 Unrecognized authentication type").match(reply), reply
    assert server.messages() == []


def test_plain_is_refused_504_5_7_4(server):
    w = tls_wire(server)
    reply = w.cmd(b"AUTH PLAIN " + base64.b64encode(b"\0printer@contoso.com\0Printer-Pass-1")).decode()
    assert line("504 5.7.4 Unrecognized authentication type").match(reply), reply


def test_printer_login_and_delivery_with_message_id(server):
    with login(server, server.ca_file, "printer@contoso.com", "Printer-Pass-1") as smtp:
        smtp.mail("printer@contoso.com")
        smtp.rcpt("alice@contoso.com")
        code, text = smtp.data(MESSAGE)
    assert code == 250
    m = re.fullmatch(rb"2\.0\.0 OK (<[0-9A-Z]+@sybp282mb2635\.ausp282\.prod\.outlook\.com>) "
                     rb"\[Hostname=SYBP282MB2635\.AUSP282\.PROD\.OUTLOOK\.COM\]", text)
    assert m, text
    stored = server.wait_for_message(to="alice@contoso.com")
    # The stored copy: the front end's Received field, then the Message-ID the 250 named (the
    # client sent none), then the message as received.
    assert re.match(rb"Received: from printer\.local \(192\.0\.2\.1\) by\r\n SY5P282CA0097\.AUSP282\.PROD\.OUTLOOK\.COM "
                    rb"with Microsoft SMTP Server\r\n \(version=TLS1_[23], cipher=[A-Z0-9_-]+\) via Frontend "
                    rb"Transport;\r\n [A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d \+0000\r\nMessage-ID: ",
                    stored.eml), stored.eml[:400]
    assert stored.eml.endswith(b"\r\nMessage-ID: " + m.group(1) + b"\r\n" + MESSAGE)
    assert stored.meta["annotations"]["deliver_after"] == stored.meta["annotations"]["submitted_at"]
    assert stored.meta["annotations"]["throttled"] is False


def test_scanner_mailbox_disabled_535_5_7_139_exact(server):
    w = tls_wire(server, "scanner@contoso.com", "Scanner-Pass-1")
    reply = w.read_reply().decode()
    assert line("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. "
                "Visit https://aka.ms/smtp_auth_disabled for more information.").match(reply), reply
    # MAIL afterwards: 530 5.7.57 embedding the earlier AUTH error (without its bracket).
    reply = w.cmd(b"MAIL FROM:<scanner@contoso.com>").decode()
    assert line("530 5.7.57 Client not authenticated to send mail. Error: 535 5.7.139 Authentication "
                "unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit "
                "https://aka.ms/smtp_auth_disabled for more information.").match(reply), reply


def test_mail_without_auth_530_5_7_57(server):
    w = tls_wire(server)
    reply = w.cmd(b"MAIL FROM:<printer@contoso.com>").decode()
    assert line("530 5.7.57 Client not authenticated to send mail.").match(reply), reply


def test_fabrikam_tenant_disabled(server):
    w = tls_wire(server, "device@fabrikam.com", "Device-Pass-1")
    reply = w.read_reply().decode()
    assert line("535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. "
                "Visit https://aka.ms/smtp_auth_disabled for more information.").match(reply), reply


def test_wrong_password_535_5_7_139(server):
    w = tls_wire(server, "printer@contoso.com", "wrong")
    reply = w.read_reply().decode()
    assert line("535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.").match(reply), reply


def test_send_as_granted_is_accepted(server):
    msg = b"From: noreply@contoso.com\r\nTo: bob@contoso.com\r\nSubject: x\r\n\r\nhi\r\n"
    with login(server, server.ca_file, "app@contoso.com", "App-Pass-1") as smtp:
        smtp.sendmail("noreply@contoso.com", ["bob@contoso.com"], msg)
    stored = server.wait_for_message(to="bob@contoso.com")
    assert stored.meta["envelope"]["mail_from"] == "noreply@contoso.com"


def test_send_as_denied_554_5_2_252_after_data(server):
    msg = b"From: alice@contoso.com\r\nTo: bob@contoso.com\r\nSubject: x\r\n\r\nhi\r\n"
    with login(server, server.ca_file, "printer@contoso.com", "Printer-Pass-1") as smtp:
        assert smtp.mail("alice@contoso.com")[0] == 250
        assert smtp.rcpt("bob@contoso.com")[0] == 250
        code, text = smtp.data(msg)
    assert code == 554
    assert text == (b"5.2.252 SendAsDenied; printer@contoso.com not allowed to send as alice@contoso.com; "
                    b"STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to "
                    b"process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit "
                    b"message. 1.84300:0A000000, 1.84300:0A000000, 1.84300:0E000000, 1.84300:32000000, "
                    b"1.73948:00000000, 1.108572:00000000, 0.117068:0B000000, 1.79180:0A000000[EndDiagnosticData] "
                    b"[Hostname=SYBP282MB2635.AUSP282.PROD.OUTLOOK.COM]")
    assert server.messages() == []


def test_xoauth2_token_from_exosim_token_is_accepted(server):
    token = exosim_token(server, "printer@contoso.com")
    w = tls_wire(server)
    assert w.cmd(b"AUTH XOAUTH2 " + xoauth2("printer@contoso.com", token).encode()) == \
        b"235 2.7.0 Authentication successful\r\n"
    assert w.cmd(b"MAIL FROM:<printer@contoso.com>") == b"250 2.1.0 Sender OK\r\n"


def test_xoauth2_wrong_user_and_expired_get_535_5_7_3(server):
    token = exosim_token(server, "printer@contoso.com")
    w = tls_wire(server)
    reply = w.cmd(b"AUTH XOAUTH2 " + xoauth2("app@contoso.com", token).encode()).decode()
    assert line("535 5.7.3 Authentication unsuccessful").match(reply), reply
    now = int(time.time())
    contoso = "e5b2c6f0-3a4d-4c1e-9f7a-2d8b1c0e4a11"
    claims = {"aud": "https://outlook.office.com", "iss": f"https://sts.windows.net/{contoso}/", "tid": contoso,
              "upn": "printer@contoso.com", "scp": "SMTP.Send", "ver": "1.0",
              "iat": now - 7200, "nbf": now - 7200, "exp": now - 3600}
    # The same claims inside their lifetime pass: the expired one fails for exp alone.
    fresh = forged_token(server, dict(claims, exp=now + 3600))
    assert w.cmd(b"AUTH XOAUTH2 " + xoauth2("printer@contoso.com", fresh).encode()) == \
        b"235 2.7.0 Authentication successful\r\n"
    w = tls_wire(server)
    expired = forged_token(server, claims)
    reply = w.cmd(b"AUTH XOAUTH2 " + xoauth2("printer@contoso.com", expired).encode()).decode()
    assert line("535 5.7.3 Authentication unsuccessful").match(reply), reply
    reply = w.cmd(b"AUTH XOAUTH2 " + xoauth2("printer@contoso.com", "not.a.token").encode()).decode()
    assert line("535 5.7.3 Authentication unsuccessful").match(reply), reply


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_old_tls_handshake_completes_then_421_4_7_66(server, version):
    with smtplib.SMTP("127.0.0.1", server.port("submission"), timeout=10) as smtp:
        smtp.ehlo("printer.local")
        smtp.starttls(context=tls_context(server.ca_file, version))
        assert smtp.sock.version() == {"1.0": "TLSv1", "1.1": "TLSv1.1"}[version]
        smtp.ehlo("printer.local")
        code, text = smtp.docmd("AUTH", "LOGIN")
    assert code == 421
    assert re.fullmatch(r"4\.7\.66 TLS 1\.0 and 1\.1 are not supported\. Please upgrade/update your client to "
                        r"support TLS 1\.2\. Visit https://aka\.ms/smtp_auth_tls\." + bracket(FRONTEND),
                        text.decode()), text


def test_exosim_token_usage_errors_exit_2(server):
    import subprocess
    from exosim_pytest.server import find_binary
    r = subprocess.run([str(find_binary()), "token", "--ttl", "60"], capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and "--user or --app-only is required" in r.stderr
    r = subprocess.run([str(find_binary()), "token", "--user", "x@y.z", "--ttl", "0"], capture_output=True,
                       text=True, timeout=30)
    assert r.returncode == 2
