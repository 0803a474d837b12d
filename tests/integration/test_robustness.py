"""Server-side robustness cases (SR-*) of docs/reference/security-tests.md, on real sockets."""
import signal
import time

import pytest

from configs import rfc_config, with_timeouts
from wire import Wire


@pytest.fixture
def server(exosim):
    return exosim(with_timeouts(rfc_config(), command=1.5, data=1.5, tls=1.5))


def open_session(server, listener="mx"):
    w = Wire(server.port(listener))
    assert w.read_reply().startswith(b"220 ")
    assert w.cmd(b"EHLO t").startswith(b"250-")
    return w


@pytest.mark.parametrize("tail", [b"RSET\r\n", b"EHLO commandinjectiontester\r\n"])
def test_sr01_starttls_injection_discarded(server, tail):
    w = open_session(server)
    w.send(b"STARTTLS\r\n" + tail)
    assert w.read_reply().startswith(b"220 ")
    assert w.read_available(0.3) == b"", "no plaintext after the 220"
    w.starttls(str(server.ca_file))
    assert w.read_available(0.5) == b"", "the injected command must not be answered inside TLS"
    assert w.cmd(b"FAKE x")[:3] == b"500"
    # SR-03: state was reset: MAIL without a new EHLO is refused.
    assert w.cmd(b"MAIL FROM:<a@contoso.com>")[:3] == b"503"
    ehlo = w.cmd(b"EHLO t")
    assert b"STARTTLS" not in ehlo
    assert w.cmd(b"STARTTLS")[:3] in (b"503", b"554")


def test_sr02_plaintext_after_220_kills_connection(server):
    w = open_session(server)
    assert w.cmd(b"STARTTLS").startswith(b"220 ")
    w.send(b"MAIL FROM:<a@b>\r\n")
    data = w.read_available(1.0)
    assert b"250" not in data
    assert w.closed()


def test_sr04_starttls_with_argument(server):
    w = open_session(server)
    assert w.cmd(b"STARTTLS now")[:3] == b"501"


SMUGGLE = [b"\n.\n", b"\n.\r", b"\r.\n", b"\r.\r", b"\n.\r\n", b"\r.\r\n", b"\r\n\x00.\r\n",
           b"\r\n.\x00\r\n", b"\r\n.\r\r\n", b"\r\r\n.\r\r\n", b"\r\n. \r\n"]


@pytest.mark.parametrize("eod", SMUGGLE, ids=[repr(s) for s in SMUGGLE])
def test_sr08_smuggling_never_two_messages(server, eod):
    w = open_session(server)
    w.send(b"MAIL FROM:<a@contoso.com>\r\nRCPT TO:<alice@contoso.com>\r\nDATA\r\n")
    assert w.read_reply()[:3] == b"250"
    assert w.read_reply()[:3] == b"250"
    assert w.read_reply()[:3] == b"354"
    w.send(b"Subject: a\r\n\r\nbody" + eod +
           b"MAIL FROM:<x@contoso.com>\r\nRCPT TO:<bob@contoso.com>\r\nDATA\r\n"
           b"Subject: smuggled\r\n\r\nx\r\n.\r\n")
    time.sleep(0.5)
    assert len(server.messages()) <= 1
    assert not any(b"Subject: smuggled\r\n\r\nx" in m.eml and b"Subject: a" not in m.eml
                   for m in server.messages())


def test_sr20_slowloris_whole_command_deadline(server):
    w = Wire(server.port("mx"))
    w.read_reply()
    start = time.monotonic()
    with pytest.raises((ConnectionError, OSError)):
        for byte in b"EHLO slow.example.with.a.long.name.that.trickles\r\n":
            w.send(bytes([byte]))
            time.sleep(0.1)
    # the 421 came at the 1.5 s deadline even though a byte arrived every 100 ms
    assert time.monotonic() - start < 4.5


def test_sr22_idle_connection_gets_421(server):
    w = Wire(server.port("mx"))
    w.read_reply()
    reply = w.read_reply(timeout=5)
    assert reply[:4] == b"421 "
    assert w.closed()


def test_sr36_tls_hello_on_plaintext_port(server):
    w = Wire(server.port("mx"))
    w.read_reply()
    w.send(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64)
    assert w.closed()


def test_sr25_kill9_after_250_keeps_message(exosim, tmp_path):
    data_dir = tmp_path / "durable"
    server = exosim(rfc_config(), data_dir=data_dir)
    w = open_session(server)
    w.send(b"MAIL FROM:<a@contoso.com>\r\nRCPT TO:<alice@contoso.com>\r\nDATA\r\n")
    for _ in range(3):
        w.read_reply()
    w.send(b"Subject: durable\r\n\r\nkept\r\n.\r\n")
    reply = w.read_reply()
    assert reply[:3] == b"250"
    server.kill9()
    restarted = exosim(rfc_config(), data_dir=data_dir)
    msgs = restarted.messages()
    assert len(msgs) == 1 and msgs[0].eml == b"Subject: durable\r\n\r\nkept\r\n"
    assert msgs[0].meta["size"] == len(msgs[0].eml)


def test_sr25_kill9_mid_data_leaves_nothing_half_present(exosim, tmp_path):
    data_dir = tmp_path / "partial"
    server = exosim(rfc_config(), data_dir=data_dir)
    w = open_session(server)
    w.send(b"MAIL FROM:<a@contoso.com>\r\nRCPT TO:<alice@contoso.com>\r\nDATA\r\n")
    for _ in range(3):
        w.read_reply()
    w.send(b"Subject: partial\r\n\r\n" + b"x" * 100000)
    time.sleep(0.2)
    server.kill9()
    restarted = exosim(rfc_config(), data_dir=data_dir)
    assert restarted.messages() == []
    leftovers = [p.name for p in (data_dir / "messages").iterdir() if not p.name.startswith(".")] if (data_dir / "messages").exists() else []
    assert leftovers == []


def test_sigterm_exits_cleanly(exosim):
    server = exosim(rfc_config())
    assert server.stop(signal.SIGTERM) == 0
