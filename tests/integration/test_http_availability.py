"""The HTTP layer the control API and the sign-in service share stays available under slow-loris
(issue 14, "Availability"): 300 connections trickling header lines must not keep a prompt client
from its answer. Before the fix the control API closed every connection past 64 at once, so
`GET /api/v1/health` failed for up to 30 s."""
import http.client
import json
import socket
import time

SLOW = 300


def open_trickling(port: int, count: int) -> list[socket.socket]:
    socks = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        socks.append(s)
    return socks


def trickle(socks: list[socket.socket], line: bytes) -> None:
    for s in socks:
        try:
            s.sendall(line)
        except OSError:
            pass  # shed by the server: expected for most of them


def closed_by_server(s: socket.socket) -> bool:
    s.setblocking(False)
    try:
        return s.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True  # reset


def test_health_answers_while_300_connections_trickle_headers(exosim):
    server = exosim()
    port = server.control_port
    socks = open_trickling(port, SLOW)
    try:
        trickle(socks, b"X-Trickle-1: a\r\n")
        start = time.monotonic()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", "/api/v1/health")
        resp = conn.getresponse()
        body = resp.read()
        elapsed = time.monotonic() - start
        assert resp.status == 200, body
        assert json.loads(body)["status"] == "ok"
        assert elapsed < 2.0, f"health took {elapsed:.2f} s"
        conn.close()
        # The server made room by closing the oldest slow connections, not the newest ones.
        trickle(socks, b"X-Trickle-2: b\r\n")
        time.sleep(0.3)
        closed = [closed_by_server(s) for s in socks]
        assert sum(closed) >= SLOW - 64, f"only {sum(closed)} of {SLOW} were shed"
        assert not closed[-1], "the newest slow connection keeps its slot"
        assert all(closed[: SLOW - 64 - 1]), "the oldest go first"
    finally:
        for s in socks:
            s.close()


def test_every_one_of_several_prompt_clients_gets_through(exosim):
    server = exosim()
    port = server.control_port
    socks = open_trickling(port, SLOW)
    try:
        for i in range(5):
            trickle(socks, f"X-Round: {i}\r\n".encode())
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/version")
            assert conn.getresponse().status == 200
            conn.close()
    finally:
        for s in socks:
            s.close()


def test_sign_in_service_answers_while_300_connections_stall_the_tls_handshake(exosim):
    import ssl
    server = exosim()
    port = server.port("identity")
    socks = []
    try:
        for _ in range(SLOW):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"\x16\x03\x01")  # the start of a ClientHello, never finished
            socks.append(s)
        ctx = ssl.create_default_context(cafile=str(server.ca_file))
        start = time.monotonic()
        raw = socket.create_connection(("127.0.0.1", port), timeout=5)
        tls = ctx.wrap_socket(raw, server_hostname="login.microsoftonline.com")
        tls.sendall(b"GET /nowhere HTTP/1.1\r\nHost: login.microsoftonline.com\r\nConnection: close\r\n\r\n")
        reply = b""
        while chunk := tls.recv(4096):
            reply += chunk
        tls.close()
        assert reply.startswith(b"HTTP/1.1 404 Not Found\r\n"), reply
        assert time.monotonic() - start < 2.0
        time.sleep(0.3)
        assert sum(closed_by_server(s) for s in socks) >= SLOW - 256
    finally:
        for s in socks:
            s.close()
