"""Tenant switches and limits of issue 3 on the wire, each with its exact reply line: basic auth
retirement (550 5.7.30, XOAUTH2 still works), RejectDirectSend (550 5.7.68), the legacy endpoint's
opt-in, the older send-as wording (550 5.7.60), the 4th concurrent session (432 4.3.2), the
recipients-per-message limit (452 4.5.3) and SIZE, and exo-465's refuse and serve modes."""
import base64
import smtplib
import socket
import ssl

import pytest

from configs import exo_config, exo_tenants
from exo_helpers import MX_FRONTEND, exosim_token, line, login, tls_context, xoauth2
from wire import Wire


def b64(s: str) -> bytes:
    return base64.b64encode(s.encode())


def auth_login(w: Wire, user: str, password: str) -> str:
    assert w.cmd(b"AUTH LOGIN") == b"334 VXNlcm5hbWU6\r\n"
    assert w.cmd(b64(user)) == b"334 UGFzc3dvcmQ6\r\n"
    return w.cmd(b64(password)).decode()


def tls_wire(server, listener="submission", version=None) -> Wire:
    w = Wire(server.port(listener))
    w.read_reply()
    w.cmd(b"EHLO printer.local")
    assert w.cmd(b"STARTTLS") == b"220 2.0.0 SMTP server ready\r\n"
    versions = {"1.0": ssl.TLSVersion.TLSv1, "1.2": ssl.TLSVersion.TLSv1_2}
    v = versions.get(version)
    w.starttls(str(server.ca_file), server_hostname="localhost", minimum=v, maximum=v)
    w.cmd(b"EHLO printer.local")
    return w


def test_basic_auth_retired_550_5_7_30_and_xoauth2_still_works(exosim):
    server = exosim(exo_config(tenants=exo_tenants({"basic_auth_retired": True})))
    w = tls_wire(server)
    reply = auth_login(w, "printer@contoso.com", "Printer-Pass-1")
    assert line("550 5.7.30 Basic authentication is not supported for Client Submission.").match(reply), reply
    token = exosim_token(server, "printer@contoso.com")
    assert w.cmd(b"AUTH XOAUTH2 " + xoauth2("printer@contoso.com", token).encode()) == \
        b"235 2.7.0 Authentication successful\r\n"


def test_reject_direct_send_550_5_7_68_but_connector_still_relays(exosim):
    server = exosim(exo_config(tenants=exo_tenants({"reject_direct_send": True})))
    w = Wire(server.port("mx"))
    w.read_reply()
    w.cmd(b"EHLO printer.local")
    w.cmd(b"MAIL FROM:<printer@contoso.com>")
    reply = w.cmd(b"RCPT TO:<alice@contoso.com>").decode()
    assert line("550 5.7.68 TenantInboundAttribution; Direct Send not allowed for this organization from "
                "unauthorized sources", MX_FRONTEND).match(reply), reply
    # The device behind the connector (127.0.0.10 -> 203.0.113.10) is attributed to the tenant.
    with smtplib.SMTP("127.0.0.1", server.port("mx"), timeout=10, source_address=("127.0.0.10", 0)) as smtp:
        smtp.ehlo("printer.contoso.com")
        smtp.mail("printer@contoso.com")
        assert smtp.rcpt("alice@contoso.com")[0] == 250


@pytest.mark.parametrize("opted_in", [False, True])
def test_legacy_endpoint_tls_1_0_needs_the_tenant_opt_in(exosim, opted_in):
    server = exosim(exo_config(tenants=exo_tenants({"allow_legacy_tls": opted_in})))
    w = tls_wire(server, "legacy", "1.0")
    reply = auth_login(w, "printer@contoso.com", "Printer-Pass-1")
    if opted_in:
        assert reply == "235 2.7.0 Authentication successful\r\n"
    else:
        assert line("421 4.7.66 TLS 1.0 and 1.1 are not supported. Please upgrade/update your client to support "
                    "TLS 1.2. Visit https://aka.ms/smtp_auth_tls.").match(reply), reply
        assert w.closed()


def test_older_send_as_wording_550_5_7_60(exosim):
    server = exosim(exo_config(tenants=exo_tenants({"reply_style": "legacy"})))
    with login(server, server.ca_file, "printer@contoso.com", "Printer-Pass-1") as smtp:
        smtp.mail("alice@contoso.com")
        smtp.rcpt("bob@contoso.com")
        code, text = smtp.data(b"From: alice@contoso.com\r\n\r\nhi\r\n")
    assert code == 550
    assert line("550 5.7.60 SMTP; Client does not have permissions to send as this sender").match(
        f"{code} {text.decode()}\r\n"), text
    assert server.messages() == []


def test_fourth_concurrent_session_432_4_3_2_at_end_of_data(exosim):
    server = exosim(exo_config())
    sessions = [login(server, server.ca_file, "printer@contoso.com", "Printer-Pass-1") for _ in range(4)]
    try:
        for i, smtp in enumerate(sessions):
            smtp.mail("printer@contoso.com")
            smtp.rcpt("alice@contoso.com")
            code, text = smtp.data(b"From: printer@contoso.com\r\n\r\nhi\r\n")
            if i < 3:
                assert code == 250, (i, text)
            else:
                assert line("432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded").match(
                    f"{code} {text.decode()}\r\n"), text
    finally:
        for smtp in sessions:
            smtp.close()
    assert len(server.messages()) == 3


def test_recipients_per_message_limit_n_and_n_plus_1(exosim):
    server = exosim(exo_config(tenants=exo_tenants({"recipients_per_message": 2})))
    with login(server, server.ca_file, "printer@contoso.com", "Printer-Pass-1") as smtp:
        smtp.mail("printer@contoso.com")
        assert smtp.rcpt("alice@contoso.com")[0] == 250
        assert smtp.rcpt("bob@contoso.com")[0] == 250  # n
        code, text = smtp.rcpt("noreply@contoso.com")  # n + 1
    assert line("452 4.5.3 Too many recipients").match(f"{code} {text.decode()}\r\n"), text


def test_size_advertised_and_enforced(exosim):
    server = exosim(exo_config(exchange={"auth_tarpit": 0, "max_message_size": 1000}))
    with login(server, server.ca_file, "printer@contoso.com", "Printer-Pass-1") as smtp:
        assert smtp.esmtp_features["size"] == "1000"
        smtp.mail("printer@contoso.com")
        smtp.rcpt("alice@contoso.com")
        code, text = smtp.data(b"From: printer@contoso.com\r\n\r\n" + b"x" * 2000 + b"\r\n")
    assert line("552 5.3.4 Message size exceeds fixed maximum message size").match(f"{code} {text.decode()}\r\n"), text
    assert server.messages() == []


def test_exo_465_refuse_closes_at_once(exosim):
    server = exosim(exo_config(exchange={"auth_tarpit": 0, "implicit_tls": "refuse"}))
    sock = socket.create_connection(("127.0.0.1", server.port("implicit")), timeout=5)
    sock.settimeout(5)
    try:
        assert sock.recv(1) == b""
    except ConnectionResetError:
        pass
    sock.close()


def test_exo_465_serve_runs_submission_over_implicit_tls(exosim):
    server = exosim(exo_config(exchange={"auth_tarpit": 0, "implicit_tls": "serve"}))
    with smtplib.SMTP_SSL("127.0.0.1", server.port("implicit"), timeout=10,
                          context=tls_context(server.ca_file)) as smtp:
        code, _ = smtp.ehlo("printer.local")
        assert code == 250 and "auth" in smtp.esmtp_features and "starttls" not in smtp.esmtp_features
        smtp.login("printer@contoso.com", "Printer-Pass-1")
        smtp.sendmail("printer@contoso.com", ["alice@contoso.com"], b"From: printer@contoso.com\r\n\r\nhi\r\n")
    assert server.wait_for_message(to="alice@contoso.com").meta["tls"]["version"] in ("TLSv1.2", "TLSv1.3")


@pytest.mark.parametrize("settings, mailbox, text", [
    ({"security_defaults": True}, {},
     "user is locked by your organization's security defaults policy. Contact your administrator."),
    ({}, {"conditional_access_blocked": True},
     "the request did not meet the criteria to be authenticated successfully. Contact your administrator."),
    ({"basic_auth_allowed": False}, {}, "basic authentication is disabled."),
    ({}, {"locked": True}, "account locked. Contact your administrator."),
    ({"smtp_auth_disabled": True}, {"smtp_auth": "inherit"},
     "SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more "
     "information."),
], ids=["security_defaults", "conditional_access", "basic_auth_policy", "locked", "tenant_disabled"])
def test_each_535_5_7_139_by_its_cause(exosim, settings, mailbox, text):
    server = exosim(exo_config(tenants=exo_tenants(settings, printer=mailbox)))
    w = tls_wire(server)
    reply = auth_login(w, "printer@contoso.com", "Printer-Pass-1")
    assert line("535 5.7.139 Authentication unsuccessful, " + text).match(reply), reply


def test_smart_lockout_after_threshold_failures(exosim):
    server = exosim(exo_config(exchange={"auth_tarpit": 0, "limits": {"lockout_threshold": 2,
                                                                        "lockout_duration": 600}}))
    w = tls_wire(server)
    for _ in range(2):
        reply = auth_login(w, "printer@contoso.com", "wrong")
        assert line("535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.").match(reply)
    reply = auth_login(w, "printer@contoso.com", "Printer-Pass-1")  # right password, but locked now
    assert line("535 5.7.139 Authentication unsuccessful, account locked. Contact your administrator.").match(reply), \
        reply
