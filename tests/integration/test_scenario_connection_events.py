"""Connection events added to the closed action vocabulary for fuzz-client: `reset` (RST instead of
an orderly close) and `half_close` (the server's FIN while it keeps reading)."""
import socket

import pytest

from configs import rfc_config


@pytest.fixture
def rfc(exosim):
    return exosim(rfc_config())


def connect(server):
    return socket.create_connection(("127.0.0.1", server.port("submission")), timeout=5)


def test_reset_instead_of_the_greeting(rfc):
    rfc.api.arm({"id": "rst", "endpoint": "submission",
                 "server": {"rules": [{"on": "greeting", "do": {"reset": True, "no_reply": True}}]}})
    # The RST may even beat connect()'s own completion check on loopback.
    with pytest.raises(ConnectionResetError):
        with connect(rfc) as s:
            assert s.recv(100) != b""  # an orderly FIN would end here, and fail


def test_reset_after_the_reply(rfc):
    rfc.api.arm({"id": "rst-after", "endpoint": "submission",
                 "server": {"rules": [{"on": "mail", "do": {"reset": True}}]}})
    with connect(rfc) as s:
        f = s.makefile("rb")
        assert f.readline().startswith(b"220")
        s.sendall(b"EHLO x\r\n")
        while not f.readline().startswith(b"250 "):
            pass
        s.sendall(b"MAIL FROM:<a@contoso.com>\r\n")
        with pytest.raises(ConnectionResetError):
            while f.readline():
                pass


def test_half_close_sends_fin_and_keeps_reading(rfc):
    rfc.api.arm({"id": "half", "endpoint": "submission",
                 "server": {"rules": [{"on": "greeting", "do": {"half_close": True, "raw": "220 half\r\n"}}]}})
    with connect(rfc) as s:
        got = b""
        while True:
            chunk = s.recv(100)
            if not chunk:
                break  # the server's FIN
            got += chunk
        assert got == b"220 half\r\n"
        s.sendall(b"EHLO still-reading\r\n")  # the server still reads: no reset, no reply
    sessions = rfc.api.sessions()
    assert len(sessions) == 1
