"""`exosim-client --source ADDR` binds the local address before connecting: loopback sources stand
in for public IPs in connector and blocklist scenarios (scenario key send.source_address)."""
from __future__ import annotations

import json
import socket
import subprocess
import threading

from exosim_pytest.server import find_binary


def _one_connection_server() -> tuple[socket.socket, dict]:
    """Accepts one connection, refuses service, and records the peer address and what came."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    seen: dict = {}

    def serve() -> None:
        conn, peer = listener.accept()
        with conn:
            seen["peer"] = peer[0]
            conn.sendall(b"554 5.7.1 no service\r\n")
            conn.settimeout(5)
            seen["bytes"] = conn.recv(1000)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    seen["thread"] = thread
    return listener, seen


def _client(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(find_binary("exosim-client")), "--no-tls", "--from", "a@contoso.com", "--to",
                           "b@contoso.com", "--retries", "0", "--timeout", "5", *args],
                          capture_output=True, text=True, timeout=30)


def test_source_address_is_the_peer_address() -> None:
    listener, seen = _one_connection_server()
    with listener:
        port = listener.getsockname()[1]
        run = _client("--server", f"127.0.0.1:{port}", "--source", "127.0.0.10")
        seen["thread"].join(10)
    assert seen["peer"] == "127.0.0.10"
    assert seen["bytes"] == b"QUIT\r\n"
    assert json.loads(run.stdout.splitlines()[0])["result"] == "rejected"


def test_bad_source_is_a_usage_error() -> None:
    run = _client("--server", "127.0.0.1:1", "--source", "not-an-address")
    assert run.returncode == 4
    assert json.loads(run.stdout)["reply"] == '--source must be an IP address, not "not-an-address"'
