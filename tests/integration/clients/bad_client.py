#!/usr/bin/env python3
"""A deliberately misbehaving SMTP submission client, so the harness can prove its verdicts catch
what real devices get wrong (issue 4 "Done when"). One mode per fault; everything else is done
right, so the finding that fails is the one the mode is about.

  auth-before-tls           AUTH LOGIN (with the password) before STARTTLS (CC-07)
  ignore-stripped-starttls  STARTTLS missing from EHLO: carry on in plaintext (CC-01)
  accept-bad-cert           no certificate or host name verification (CC-08)
  bare-lf                   message lines end in a bare LF (CC-23)

usage: bad_client.py --mode MODE --server HOST:PORT --ca FILE --servername NAME
                     --user U --password P --from A --to B [--to C ...]
Exit 0 when the message was accepted, 1 when not, 2 for usage errors.
"""
import argparse
import base64
import socket
import ssl
import sys

MODES = ("auth-before-tls", "ignore-stripped-starttls", "accept-bad-cert", "bare-lf")


class Smtp:
    def __init__(self, host, port, timeout):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""

    def send(self, line: bytes):
        self.sock.sendall(line)

    def reply(self):
        """(code, lines) of one complete reply; (0, []) when the server closed."""
        lines = []
        while True:
            while b"\r\n" not in self.buf:
                data = self.sock.recv(4096)
                if not data:
                    return 0, lines
                self.buf += data
            line, self.buf = self.buf.split(b"\r\n", 1)
            lines.append(line.decode("latin-1"))
            if len(line) < 4 or line[3:4] != b"-":
                try:
                    return int(line[:3]), lines
                except ValueError:
                    return 0, lines

    def command(self, line: str):
        self.send(line.encode() + b"\r\n")
        return self.reply()

    def starttls(self, context, servername):
        self.sock = context.wrap_socket(self.sock, server_hostname=servername)
        self.buf = b""


def capabilities(lines):
    return {l[4:].split(" ")[0].upper() for l in lines[1:]}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mode", required=True, choices=MODES)
    p.add_argument("--server", required=True)
    p.add_argument("--ca")
    p.add_argument("--servername")
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--from", dest="sender", required=True)
    p.add_argument("--to", action="append", required=True)
    p.add_argument("--timeout", type=float, default=5.0)
    a = p.parse_args()
    host, _, port = a.server.rpartition(":")

    s = Smtp(host, int(port), a.timeout)
    code, _ = s.reply()
    if code != 220:
        return 1
    code, ehlo = s.command("EHLO bad-client.example")
    if code != 250:
        return 1

    def auth():
        code, _ = s.command("AUTH LOGIN")
        if code != 334:
            return code
        code, _ = s.command(base64.b64encode(a.user.encode()).decode())
        if code != 334:
            return code
        code, _ = s.command(base64.b64encode(a.password.encode()).decode())
        return code

    if a.mode == "auth-before-tls":
        auth()  # whatever the answer: the password has crossed the wire in plaintext

    if "STARTTLS" in capabilities(ehlo):
        code, _ = s.command("STARTTLS")
        if code != 220:
            return 1
        if a.mode == "accept-bad-cert":
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        else:
            context = ssl.create_default_context(cafile=a.ca)
        try:
            s.starttls(context, a.servername or host)
        except (ssl.SSLError, OSError) as e:
            print(f"TLS failed: {e}", file=sys.stderr)
            return 1
        code, ehlo = s.command("EHLO bad-client.example")
        if code != 250:
            return 1
    elif a.mode != "ignore-stripped-starttls":
        s.command("QUIT")  # no STARTTLS offered: a correct client stops here
        return 1

    if a.mode != "auth-before-tls" and auth() != 235:
        s.command("QUIT")
        return 1
    if s.command(f"MAIL FROM:<{a.sender}>")[0] != 250:
        return 1
    for to in a.to:
        if s.command(f"RCPT TO:<{to}>")[0] not in (250, 251):
            return 1
    if s.command("DATA")[0] != 354:
        return 1
    eol = b"\n" if a.mode == "bare-lf" else b"\r\n"
    lines = [f"From: <{a.sender}>", f"To: <{a.to[0]}>", "Subject: bad client",
             "Date: Mon, 23 Nov 2026 16:00:00 +0000", "Message-ID: <bad-client@contoso.com>", "",
             "line one", "line two"]
    s.send(eol.join(l.encode() for l in lines) + b"\r\n.\r\n")
    code, _ = s.reply()
    s.command("QUIT")
    return 0 if code == 250 else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, ssl.SSLError) as e:
        print(f"bad_client: {e}", file=sys.stderr)
        sys.exit(1)
