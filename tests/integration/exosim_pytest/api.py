"""A client for exosim's control API (stdlib only): JSON over urllib, and the WebSocket event
stream with the handshake and framing done by hand (RFC 6455), so tests need no extra package.

    api = ApiClient("http://127.0.0.1:8025")
    api.advance_clock(86400)
    msg = api.wait_for_message(lambda m: m["envelope"]["rcpt_to"][0]["address"] == "alice@contoso.com")
    eml = api.raw(msg["id"])
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import socket
import struct
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 1.3


class ApiError(Exception):
    """A 4xx/5xx answer: `status`, and the JSON error's `code` and `message`."""

    def __init__(self, status: int, code: str, message: str, headers=None):
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


class ApiClient:
    def __init__(self, base_url: str, timeout: float = 10.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    # --- plumbing --------------------------------------------------------------------------
    def request(self, method: str, path: str, body: Any = None, *, raw_body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, dict, bytes]:
        """One request; returns (status, headers, body bytes) for every status."""
        url = self.base_url + (path if path.startswith("/") else "/api/v1/" + path)
        data = raw_body
        hdrs = dict(headers or {})
        if body is not None:
            data = json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        req = urllib.request.Request(url, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def call(self, method: str, path: str, body: Any = None, **kw) -> Any:
        """JSON in and out; raises ApiError for 4xx/5xx."""
        status, headers, data = self.request(method, path, body, **kw)
        if status >= 400:
            try:
                err = json.loads(data)["error"]
                raise ApiError(status, err["code"], err["message"], headers)
            except (ValueError, KeyError, TypeError):
                raise ApiError(status, "unknown", data.decode(errors="replace"), headers) from None
        ctype = headers.get("Content-Type", "")
        return json.loads(data) if ctype.startswith("application/json") else data

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.call("POST", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.call("PATCH", path, body, **kw)

    def delete(self, path, **kw):
        return self.call("DELETE", path, **kw)

    # --- resources -------------------------------------------------------------------------
    def health(self) -> dict:
        return self.get("health")

    def config(self) -> dict:
        return self.get("config")

    def patch_config(self, patch: dict) -> dict:
        return self.patch("config", patch)

    def tenants(self):
        return self.get("tenants")

    def tenant(self, domain: str) -> dict:
        return self.get("tenants/" + urllib.parse.quote(domain))

    def patch_tenant(self, domain: str, patch: dict) -> dict:
        return self.patch("tenants/" + urllib.parse.quote(domain), patch)

    def clock(self) -> dict:
        return self.get("clock")

    def advance_clock(self, seconds: int) -> dict:
        return self.post("clock/advance", {"seconds": seconds})

    def token(self, user: str, ttl: int = 3600, audience: str | None = None) -> str:
        body = {"user": user, "ttl": ttl}
        if audience:
            body["audience"] = audience
        return self.post("tokens", body)["token"]

    def messages(self, **filters) -> list[dict]:
        query = urllib.parse.urlencode({k: v for k, v in filters.items() if v is not None})
        return self.get("messages" + ("?" + query if query else ""))["messages"]

    def message(self, message_id: str) -> dict:
        return self.get("messages/" + message_id)

    def raw(self, message_id: str) -> bytes:
        return self.get("messages/" + message_id + "/raw")

    def delete_message(self, message_id: str) -> dict:
        return self.delete("messages/" + message_id)

    def delete_messages(self) -> dict:
        return self.delete("messages")

    def sessions(self, **filters) -> list[dict]:
        query = urllib.parse.urlencode(filters)
        return self.get("sessions" + ("?" + query if query else ""))["sessions"]

    def session(self, session_id: str) -> dict:
        return self.get("sessions/" + session_id)

    def transcript(self, session_id: str) -> list[dict]:
        return self.get("sessions/" + session_id + "/transcript")["records"]

    def arm(self, scenario: dict) -> dict:
        return self.post("scenarios", scenario)

    def armed(self) -> dict:
        return self.get("scenarios/armed")

    def disarm(self) -> dict:
        return self.delete("scenarios/armed")

    def reset(self) -> dict:
        return self.post("reset")

    def metrics(self) -> str:
        return self.get("metrics").decode()

    def events(self, wire: bool = False, timeout: float | None = None) -> "EventStream":
        u = urllib.parse.urlsplit(self.base_url)
        return EventStream(u.hostname, u.port or 80, "/api/v1/events" + ("?wire=1" if wire else ""),
                           timeout or self.timeout)

    # --- waiting ---------------------------------------------------------------------------
    def wait_for_message(self, predicate: Callable[[dict], bool] | None = None, timeout: float = 10.0,
                         **filters) -> dict:
        """The newest stored message (metadata, as GET /messages lists it) that passes the server-side
        `filters` (to=, from_=, session=, since=) and `predicate`; polls until `timeout` seconds."""
        if "from_" in filters:
            filters["from"] = filters.pop("from_")
        deadline = time.monotonic() + timeout
        while True:
            for m in self.messages(**filters):
                if predicate is None or predicate(m):
                    return m
            if time.monotonic() > deadline:
                raise TimeoutError(f"no matching message after {timeout}s (filters={filters})")
            time.sleep(0.05)


class EventStream:
    """GET /api/v1/events as a WebSocket: `next()` returns one event (a dict) at a time."""

    def __init__(self, host: str, port: int, path: str, timeout: float = 10.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self._buf = b""
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        while b"\r\n\r\n" not in self._buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("connection closed during the WebSocket handshake")
            self._buf += chunk
        head, self._buf = self._buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {k.strip().lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:] if ":" in l)}
        if self.status != 101:
            raise ConnectionError(f"WebSocket handshake refused: {lines[0]}")
        expected = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        if self.headers.get("sec-websocket-accept") != expected:
            raise ConnectionError("bad Sec-WebSocket-Accept")

    def _read(self, n: int) -> bytes:
        while len(self._buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("event stream closed")
            self._buf += chunk
        out, self._buf = self._buf[:n], self._buf[n:]
        return out

    def _send(self, opcode: int, payload: bytes = b"") -> None:
        mask = os.urandom(4)  # RFC 6455 5.3: client frames are masked
        header = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack("!Q", n)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def recv(self, timeout: float | None = None) -> dict:
        """The next text message as JSON; answers pings; EOFError when the server closes."""
        if timeout is not None:
            self.sock.settimeout(timeout)
        message = b""
        while True:
            b0, b1 = self._read(2)
            opcode, n = b0 & 0x0F, b1 & 0x7F
            if n == 126:
                n = struct.unpack("!H", self._read(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", self._read(8))[0]
            mask = self._read(4) if b1 & 0x80 else None
            payload = self._read(n)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 0x9:
                self._send(0xA, payload)
                continue
            if opcode == 0x8:
                raise EOFError("event stream closed by the server")
            if opcode in (0x1, 0x0, 0x2):
                message += payload
                if b0 & 0x80:
                    return json.loads(message)

    def next(self, predicate: Callable[[dict], bool] | None = None, timeout: float = 10.0) -> dict:
        """The next event passing `predicate`, waiting at most `timeout` seconds in all."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no matching event")
            try:
                event = self.recv(left)
            except socket.timeout:
                raise TimeoutError("no matching event") from None
            if predicate is None or predicate(event):
                return event

    def close(self) -> None:
        try:
            self._send(0x8, struct.pack("!H", 1000))
        except OSError:
            pass
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
