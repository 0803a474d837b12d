"""A scenario action added through the closed vocabulary: a fatal TLS alert mid-DATA.

The client (Python's ssl, OpenSSL underneath) must see the alert itself, internal_error (80),
while it is streaming the message, and nothing may be stored.
"""
import smtplib
import ssl
import time

import pytest

from configs import rfc_config

MESSAGE = b"From: printer@contoso.com\r\nTo: bob@contoso.com\r\nSubject: alert\r\n\r\n" + b"line\r\n" * 2000


@pytest.fixture
def rfc(exosim):
    return exosim(rfc_config())


def client_context(server, maximum=ssl.TLSVersion.TLSv1_3):
    ctx = ssl.create_default_context(cafile=str(server.ca_file))
    ctx.check_hostname = False
    ctx.maximum_version = maximum
    return ctx


def test_tls_alert_mid_data_reaches_the_client(rfc):
    rfc.api.arm({"id": "tls-alert-mid-data", "endpoint": "submission",
                 "server": {"rules": [{"on": "data", "do": {"tls_alert": "internal_error"}}]}})
    with smtplib.SMTP("127.0.0.1", rfc.port("submission"), timeout=10) as smtp:
        smtp.starttls(context=client_context(rfc))
        assert smtp.sock.version() == "TLSv1.3"
        smtp.ehlo()  # RFC 3207 4.2: state is discarded after STARTTLS (smtplib's mail() does not re-EHLO)
        smtp.mail("printer@contoso.com")
        smtp.rcpt("bob@contoso.com")
        code, _ = smtp.docmd("DATA")
        assert code == 354
        with pytest.raises(ssl.SSLError) as alert:
            smtp.send(MESSAGE + b".\r\n")
            smtp.sock.recv(4096)  # the socket itself: smtplib's getreply() rewraps the SSLError
        assert alert.value.reason == "TLSV1_ALERT_INTERNAL_ERROR"
    # The client can read the alert before the server's session has recorded it: wait for the
    # session to end (a fresh Debian root lost this race once) instead of reading at once.
    deadline = time.monotonic() + 10
    while (session := rfc.api.sessions()[0])["active"] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not session["active"], "the session did not end after the alert"
    assert rfc.api.messages() == []
    # Transport notes are transcript events: {"dir": "event", "type": note kind, "detail": ...}.
    notes = [(r.get("type"), r.get("detail")) for r in rfc.api.transcript(session["id"]) if r.get("dir") == "event"]
    assert ("tls-alert", "internal_error") in notes
