"""Raw-socket helpers for tests that must control exactly what bytes go out and when."""
from __future__ import annotations

import socket
import ssl
import time


class Wire:
    def __init__(self, port: int, host: str = "127.0.0.1", timeout: float = 5.0, source: str | None = None):
        self.sock = socket.create_connection((host, port), timeout=timeout,
                                             source_address=(source, 0) if source else None)
        self.buf = b""

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def read_reply(self, timeout: float = 5.0) -> bytes:
        """One complete (possibly multi-line) reply, raw."""
        self.sock.settimeout(timeout)
        out = b""
        while True:
            while b"\r\n" not in self.buf:
                chunk = self.sock.recv(65536)
                if not chunk:
                    raise ConnectionError(f"closed; partial={out + self.buf!r}")
                self.buf += chunk
            line, self.buf = self.buf.split(b"\r\n", 1)
            out += line + b"\r\n"
            if len(line) < 4 or line[3:4] != b"-":
                return out

    def read_available(self, wait: float = 0.3) -> bytes:
        """Whatever arrives within `wait` seconds (b"" when nothing)."""
        self.sock.settimeout(wait)
        data = self.buf
        self.buf = b""
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        except (socket.timeout, TimeoutError):
            pass
        return data

    def cmd(self, line: bytes) -> bytes:
        self.send(line + b"\r\n")
        return self.read_reply()

    def starttls(self, ca: str, server_hostname: str = "localhost", minimum=None, maximum=None) -> None:
        ctx = ssl.create_default_context(cafile=ca)
        if minimum is not None:
            ctx.minimum_version = minimum
        if maximum is not None:
            ctx.maximum_version = maximum
        if minimum in (ssl.TLSVersion.TLSv1, ssl.TLSVersion.TLSv1_1):
            ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        assert not self.buf, f"plaintext left before TLS: {self.buf!r}"
        self.sock = ctx.wrap_socket(self.sock, server_hostname=server_hostname)

    def closed(self, wait: float = 3.0) -> bool:
        self.sock.settimeout(wait)
        try:
            end = time.monotonic() + wait
            while time.monotonic() < end:
                if not self.sock.recv(65536):
                    return True
        except (ConnectionResetError, BrokenPipeError, ssl.SSLError):
            return True
        except (socket.timeout, TimeoutError):
            return False
        return False

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass
