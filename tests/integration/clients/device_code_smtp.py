#!/usr/bin/python3
"""A minimal device-code device in Python's standard library, for `exosim certify` tests of the
harness's OAuth side (tests/integration/test_certify_oauth.py) while exosim-client's --oauth is not
in this build: RFC 8628 device authorization, polling at `interval`, then XOAUTH2 over STARTTLS.

It keeps Microsoft's host names (SNI, Host header, certificate check) and only connects to the
mapped addresses. `--poll-every S` overrides the interval, to make the device-code-polling rule
fail on purpose; `--client-secret S` signs in with client credentials instead. Exit 0 when the message was accepted, 2 when sign-in failed, 3 on SMTP refusal."""
import argparse
import base64
import http.client
import json
import smtplib
import socket
import ssl
import sys
import time
import urllib.parse
import email.utils
from email.message import EmailMessage


class MappedHTTPS(http.client.HTTPSConnection):
    """HTTPS to `address` while TLS and Host name `host`."""

    def __init__(self, host, address, context):
        super().__init__(host, context=context, timeout=15)
        self._address = address

    def connect(self):
        h, p = self._address.rsplit(":", 1)
        sock = socket.create_connection((h, int(p)), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(args, ctx, path, form):
    u = urllib.parse.urlsplit(args.authority)
    conn = MappedHTTPS(u.hostname, args.identity_address, ctx)
    conn.request("POST", u.path + path, urllib.parse.urlencode(form),
                 {"Content-Type": "application/x-www-form-urlencoded"})
    r = conn.getresponse()
    body = json.loads(r.read() or b"{}")
    conn.close()
    return r.status, body


def client_credentials(args, ctx):
    status, tok = post(args, ctx, "/oauth2/v2.0/token", {"grant_type": "client_credentials", "client_id": args.client_id,
                                                        "client_secret": args.client_secret, "scope": args.scope})
    if status != 200:
        print("client credentials:", tok.get("error"), tok.get("error_codes"), file=sys.stderr)
        return None
    return tok["access_token"]


def sign_in(args, ctx):
    if args.client_secret:
        return client_credentials(args, ctx)
    status, dc = post(args, ctx, "/oauth2/v2.0/devicecode", {"client_id": args.client_id, "scope": args.scope})
    if status != 200:
        print("devicecode:", dc.get("error"), dc.get("error_codes"), file=sys.stderr)
        return None
    print(dc["message"], flush=True)
    every = args.poll_every if args.poll_every is not None else dc.get("interval", 5)
    deadline = time.monotonic() + dc.get("expires_in", 900)
    while time.monotonic() < deadline:
        time.sleep(every)
        status, tok = post(args, ctx, "/oauth2/v2.0/token",
                           {"grant_type": "urn:ietf:params:oauth:grant-type:device_code", "client_id": args.client_id,
                            "device_code": dc["device_code"]})
        if status == 200:
            return tok["access_token"]
        if tok.get("error") != "authorization_pending":
            print("sign-in failed:", tok.get("error"), tok.get("error_codes"), file=sys.stderr)
            return None
    return None


def main():
    p = argparse.ArgumentParser()
    for name in ("--authority", "--identity-address", "--client-id", "--scope", "--ca", "--smtp", "--servername",
                 "--user", "--from", "--to"):
        p.add_argument(name, required=True)
    p.add_argument("--poll-every", type=float)
    p.add_argument("--client-secret", default="", help="client credentials with this secret instead of the device code")
    args = p.parse_args()
    ctx = ssl.create_default_context(cafile=args.ca)
    token = sign_in(args, ctx)
    if token is None:
        return 2
    host, port = args.smtp.rsplit(":", 1)
    smtp = smtplib.SMTP(host, int(port), timeout=15)
    smtp._host = args.servername  # STARTTLS checks the certificate against this name
    smtp.ehlo()
    smtp.starttls(context=ctx)
    smtp.ehlo()
    sasl = base64.b64encode(f"user={args.user}\x01auth=Bearer {token}\x01\x01".encode()).decode()
    code, _ = smtp.docmd("AUTH", "XOAUTH2 " + sasl)
    if code != 235:
        smtp.quit()
        return 3
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = getattr(args, "from"), args.to, "exosim OAuth test"
    msg["Date"] = email.utils.formatdate()
    msg["Message-ID"] = email.utils.make_msgid(domain="device.exosim.invalid")
    msg.set_content("sent with a device-code token")
    smtp.send_message(msg)
    smtp.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
