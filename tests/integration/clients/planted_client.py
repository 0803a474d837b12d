"""A small SMTP submission client with three bugs planted on purpose, for the fuzz-client test
(tests/integration/test_fuzz_client.py): each must be found, minimised and reproduced.

  1. crash: a reply line longer than 2048 octets "overflows its line buffer" (the process dies by
     SIGSEGV, as a C client with a fixed buffer would);
  2. hang: inside a multi-line reply it never gives up waiting for the final line (a read timeout
     there is retried forever);
  3. credentials in clear: a refused STARTTLS (454) is taken as "go on without TLS".

Otherwise it behaves: STARTTLS with the CA and name given, EHLO again, AUTH LOGIN, one message,
QUIT, a 2 s timeout on each read outside multi-line replies. Exit 0 delivered, 1 refused, 3 error.
"""
import argparse
import base64
import os
import signal
import socket
import ssl
import sys

LINE_BUFFER = 2048  # the planted fixed-size buffer


class Refused(Exception):
    pass


class Conn:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def line(self, in_multiline):
        while b"\n" not in self.buf:
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                if in_multiline:
                    continue  # planted bug 2: waits for the final line forever
                raise
            if not chunk:
                raise ConnectionError("server closed the connection")
            self.buf += chunk
        line, _, self.buf = self.buf.partition(b"\n")
        if len(line) + 1 > LINE_BUFFER:
            os.kill(os.getpid(), signal.SIGSEGV)  # planted bug 1
        return line.rstrip(b"\r")

    def reply(self):
        lines = []
        while True:
            line = self.line(in_multiline=bool(lines))
            lines.append(line)
            if len(line) < 4 or line[3:4] != b"-":
                break
        code = int(lines[-1][:3]) if lines[-1][:3].isdigit() else 0
        return code, lines

    def cmd(self, text, expect=None):
        self.sock.sendall(text.encode() + b"\r\n")
        code, lines = self.reply()
        if expect and code // 100 != expect:
            raise Refused(f"{text.split()[0]}: {code}")
        return code, lines


def send(a):
    sock = socket.create_connection((a.host, a.port), timeout=2)
    c = Conn(sock)
    c.reply()
    c.cmd("EHLO planted.example", 2)
    code, _ = c.cmd("STARTTLS")
    if code == 220:
        ctx = ssl.create_default_context(cafile=a.ca)
        c.sock = ctx.wrap_socket(sock, server_hostname=a.servername)
        c.buf = b""
        c.cmd("EHLO planted.example", 2)
    # planted bug 3: any other answer, and it carries on in plaintext
    c.cmd("AUTH LOGIN", 3)
    c.cmd(base64.b64encode(a.user.encode()).decode(), 3)
    c.cmd(base64.b64encode(a.password.encode()).decode(), 2)
    c.cmd(f"MAIL FROM:<{a.sender}>", 2)
    c.cmd(f"RCPT TO:<{a.to}>", 2)
    c.cmd("DATA", 3)
    c.cmd(f"From: {a.sender}\r\nTo: {a.to}\r\nSubject: planted\r\n\r\nplanted client\r\n.", 2)
    c.cmd("QUIT")


def main():
    p = argparse.ArgumentParser()
    for name in ("host", "port", "user", "password", "to", "ca", "servername"):
        p.add_argument("--" + name, required=True)
    p.add_argument("--from", dest="sender", required=True)
    a = p.parse_args()
    a.port = int(a.port)
    try:
        send(a)
    except Refused as e:
        print(f"refused: {e}", file=sys.stderr)
        return 1
    except (OSError, ValueError, ssl.SSLError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
