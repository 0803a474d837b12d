"""Helpers for driving `exosim-client --oauth` against `exosim serve` (test_client_oauth.py): the
command line a device would be configured with, a run in the background whose device-code panel
is read from stderr, and a scripted SMTP server that records the exact AUTH bytes."""
from __future__ import annotations

import json
import re
import socket
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from exosim_pytest.server import ExosimServer, find_binary

TENANT = "contoso.com"
AUTHORITY = f"https://login.microsoftonline.com/{TENANT}"
PRINT_FLEET = "0d3c5e7a-1b2f-4c6d-8e9a-3f5b7d9c1e33"
SCAN_DAEMON = "6a8c0e2f-4d1b-4f3a-9c5e-7b9d1f3a5c44"
SECRET = "Exosim-Secret-1"
PRINTER = "printer@contoso.com"
RCPT = "alice@contoso.com"
USER_CODE = re.compile(r"enter the code:\s+(\S+)")
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def now_stamp() -> str:
    """Now, in the request log's time format (UTC, milliseconds), for filtering it."""
    from datetime import datetime, timezone
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def identity_port(server: ExosimServer) -> int:
    return server.port("identity")


def client_args(server: ExosimServer, flow: str, *extra: str, smtp_port: int | None = None,
                no_tls: bool = False) -> list[str]:
    """exosim-client with the real names: the authority as a device is configured, TCP to the
    listener (--identity-address), the submission endpoint checked as smtp.office365.com."""
    args = [str(find_binary("exosim-client")), "--server", f"127.0.0.1:{smtp_port or server.port('submission')}",
            "--ca", str(server.ca_file), "--servername", "smtp.office365.com", "--from", PRINTER, "--to", RCPT,
            "--subject", f"oauth {flow}", "--body", "hello", "--timeout", "10", "--retries", "0",
            "--authority", AUTHORITY, "--identity-address", f"127.0.0.1:{identity_port(server)}", "--oauth", flow]
    if no_tls:
        args.append("--no-tls")
    if flow == "device-code" or flow == "auth-code":
        args += ["--client-id", PRINT_FLEET]
    return args + list(extra)


@dataclass
class Run:
    rc: int
    result: dict
    stderr: str


def run(args: list[str], timeout: float = 60) -> Run:
    p = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    lines = [l for l in p.stdout.splitlines() if l.strip()]
    assert len(lines) == 1, f"stdout must be one JSON line:\n{p.stdout}\nstderr:\n{p.stderr}"
    return Run(p.returncode, json.loads(lines[0]), p.stderr)


class Background:
    """A run whose stderr (the device panel) is read while it polls."""

    def __init__(self, args: list[str]):
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.stderr_lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.stderr_lines.append(line)

    def user_code(self, timeout: float = 10) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.stderr_lines):
                if m := USER_CODE.search(line):
                    return m.group(1)
            time.sleep(0.05)
        raise AssertionError("no user code shown:\n" + "".join(self.stderr_lines))

    def finish(self, timeout: float = 60) -> Run:
        # stderr belongs to the reader thread; stdout is one JSON line, read after the exit.
        self.proc.wait(timeout=timeout)
        out = self.proc.stdout.read()
        self._reader.join(5)
        lines = [l for l in out.splitlines() if l.strip()]
        assert len(lines) == 1, out + "".join(self.stderr_lines)
        return Run(self.proc.returncode, json.loads(lines[0]), "".join(self.stderr_lines))


@dataclass
class ScriptedSmtp:
    """A plaintext SMTP server that offers only the given AUTH mechanisms, answers AUTH with the
    next reply of `auth_replies` (the last one repeats) and records every AUTH line as sent."""
    auth_replies: list[bytes]
    mechanisms: str = "XOAUTH2"
    auth_lines: list[bytes] = field(default_factory=list)

    def __post_init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _reply_to(self, line: bytes, data: list[bool]) -> bytes | None:
        verb = line.split(b" ", 1)[0].upper()
        if data[0]:
            if line == b".":
                data[0] = False
                return b"250 2.0.0 OK queued\r\n"
            return None
        if verb == b"EHLO":
            return f"250-scripted\r\n250-AUTH {self.mechanisms}\r\n250 8BITMIME\r\n".encode()
        if verb == b"AUTH":
            self.auth_lines.append(line + b"\r\n")
            n = len(self.auth_lines) - 1
            return self.auth_replies[min(n, len(self.auth_replies) - 1)]
        if verb == b"DATA":
            data[0] = True
            return b"354 go ahead\r\n"
        if verb == b"QUIT":
            return b"221 2.0.0 bye\r\n"
        if verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
            return b"250 2.1.0 OK\r\n"
        # A LOGIN exchange (--quirk password-with-oauth): take the two lines, then refuse.
        return b"334 UGFzc3dvcmQ6\r\n" if len(line) and not line.startswith(b"*") else b"501 5.5.4 ?\r\n"

    def _session(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rb") as f:
            conn.sendall(b"220 scripted ESMTP\r\n")
            data = [False]
            for raw in f:
                reply = self._reply_to(raw.rstrip(b"\r\n"), data)
                if reply:
                    conn.sendall(reply)
                if reply and reply.startswith(b"221"):
                    return

    def close(self) -> None:
        self.sock.close()


def identity_requests(server: ExosimServer, limit: int = 50) -> list[dict]:
    """The sign-in service's request log, oldest first."""
    return list(reversed(server.api.get(f"identity/requests?limit={limit}")["requests"]))


def token_cache(path: Path) -> dict:
    return json.loads(path.read_text())
