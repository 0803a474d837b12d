#!/usr/bin/python3
"""Sends one message with Python's smtplib, the way a careful script would: STARTTLS (or implicit
TLS) with certificate and host name verification against --ca / --servername, the AUTH mechanism it
is told to use, an EmailMessage with Date and Message-ID. Driven by smtplib.cmd under
`exosim certify`; exits 0 when the message was accepted, 1 otherwise (the reason on stderr)."""
import argparse
import base64
import email.utils
import smtplib
import socket
import ssl
import sys
from email.message import EmailMessage
from pathlib import Path


def tls_context(ca, servername, cert="", key=""):
    ctx = ssl.create_default_context(cafile=ca or None)
    ctx.check_hostname = True
    ctx.verify_mode = ssl.CERT_REQUIRED
    if cert:
        ctx.load_cert_chain(cert, key or None)
    return ctx


class VerifyingSMTP(smtplib.SMTP):
    """Connects to host:port but verifies the certificate against `servername` (as a device that
    was pointed at an IP address but told the server's name)."""

    def __init__(self, servername, **kw):
        self._servername = servername
        super().__init__(**kw)

    def starttls(self, *, context=None):
        self._host = self._servername
        return super().starttls(context=context)


class VerifyingSMTP_SSL(smtplib.SMTP_SSL):
    def __init__(self, servername, **kw):
        self._servername = servername
        super().__init__(**kw)

    def _get_socket(self, host, port, timeout):
        raw = socket.create_connection((host, port), timeout, self.source_address)
        return self.context.wrap_socket(raw, server_hostname=self._servername)


def build_message(a):
    msg = EmailMessage()
    msg["From"] = a.sender
    msg["To"] = ", ".join(a.to)
    msg["Subject"] = a.subject
    msg["Date"] = email.utils.formatdate(localtime=False)
    # Stable across the harness's attempts, so a resend can be recognised (RFC 5322 3.6.4).
    msg["Message-ID"] = f"<{a.scenario}@smtplib.adapter.exosim.invalid>"
    msg.set_content(a.body)
    if a.attachment:
        p = Path(a.attachment)
        msg.add_attachment(p.read_bytes(), maintype="application", subtype="pdf", filename=p.name)
    return msg


def authenticate(smtp, a):
    if a.auth == "none":
        return
    smtp.user, smtp.password = a.user, a.password
    if a.auth == "login":
        smtp.auth("LOGIN", smtp.auth_login, initial_response_ok=False)
    elif a.auth == "plain":
        smtp.auth("PLAIN", smtp.auth_plain)
    elif a.auth == "xoauth2":
        sasl = f"user={a.user}\x01auth=Bearer {a.token}\x01\x01"
        smtp.auth("XOAUTH2", lambda challenge=None: sasl)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--host", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--security", choices=["starttls", "implicit", "none"], default="starttls")
    ap.add_argument("--auth", choices=["login", "plain", "xoauth2", "none"], default="none")
    ap.add_argument("--user", default="")
    ap.add_argument("--password", default="")
    ap.add_argument("--token", default="")
    ap.add_argument("--ca", default="")
    ap.add_argument("--servername", default="")
    ap.add_argument("--from", dest="sender", required=True)
    ap.add_argument("--to", action="append", default=[])
    ap.add_argument("--subject", default="")
    ap.add_argument("--body", default="")
    ap.add_argument("--attachment", default="")
    ap.add_argument("--scenario", default="exosim")
    ap.add_argument("--timeout", type=float, default=8.0)
    ap.add_argument("--source", default="")
    ap.add_argument("--client-cert", default="")
    ap.add_argument("--client-key", default="")
    a = ap.parse_args()
    a.to = [t for item in a.to for t in item.split(",") if t]
    servername = a.servername or a.host
    ctx = tls_context(a.ca, servername, a.client_cert, a.client_key)
    source = (a.source, 0) if a.source else None
    try:
        if a.security == "implicit":
            smtp = VerifyingSMTP_SSL(servername, host=a.host, port=a.port, timeout=a.timeout, context=ctx,
                                     source_address=source)
        else:
            smtp = VerifyingSMTP(servername, host=a.host, port=a.port, timeout=a.timeout, source_address=source)
        with smtp:
            smtp.ehlo("adapter.exosim.invalid")
            if a.security == "starttls":
                # smtplib raises SMTPNotSupportedError when STARTTLS is not offered: no plaintext.
                smtp.starttls(context=ctx)
                smtp.ehlo("adapter.exosim.invalid")
            authenticate(smtp, a)
            refused = smtp.send_message(build_message(a), from_addr=a.sender, to_addrs=a.to)
            if refused:
                print(f"refused recipients: {refused}", file=sys.stderr)
    except (smtplib.SMTPException, OSError, ssl.SSLError, ValueError) as e:
        print(f"smtplib: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
