"""The control API (/api/v1) against the real binary on free ports: every route, each error class,
the WebSocket event stream, and the virtual clock crossing the 10,000 recipients/day quota."""
import http.client
import json
import smtplib
import ssl
import time

import pytest

from configs import rfc_config
from exosim_pytest import ApiError

ATTACHMENT = b"%PDF-1.4 scanned page\n" * 40
MULTIPART = (
    b"From: printer@contoso.com\r\nTo: alice@contoso.com\r\nSubject: Scan 42\r\nMIME-Version: 1.0\r\n"
    b"Content-Type: multipart/mixed; boundary=\"XYZ\"\r\n\r\n"
    b"--XYZ\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nYour scan is attached.\r\n"
    b"--XYZ\r\nContent-Type: application/pdf; name=\"scan.pdf\"\r\n"
    b"Content-Disposition: attachment; filename=\"scan.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    + __import__("base64").encodebytes(ATTACHMENT).replace(b"\n", b"\r\n")
    + b"--XYZ--\r\n"
)
PLAIN = b"From: printer@contoso.com\r\nTo: bob@contoso.com\r\nSubject: Plain\r\n\r\nhello\r\n"


@pytest.fixture
def rfc(exosim):
    return exosim(rfc_config())


@pytest.fixture
def exo(exosim):
    """The embedded default (Exchange Online tenants) on free ports, with a virtual clock."""
    return exosim({"clock": "virtual", "exchange": {"auth_tarpit": 0}}, extra_args=["--ephemeral-ports"])


def send(server, message=PLAIN, rcpts=("bob@contoso.com",), sender="printer@contoso.com"):
    with smtplib.SMTP("127.0.0.1", server.port("mx"), timeout=10) as smtp:
        smtp.sendmail(sender, list(rcpts), message)


def exo_submit(server, rcpts, message=PLAIN):
    ctx = ssl.create_default_context(cafile=str(server.ca_file))
    ctx.check_hostname = False
    with smtplib.SMTP("127.0.0.1", server.port("submission"), timeout=10) as smtp:
        smtp.starttls(context=ctx)
        smtp.login("printer@contoso.com", "Printer-Pass-1")
        smtp.sendmail("printer@contoso.com", list(rcpts), message)


def raw_http(port, request: bytes) -> tuple[int, dict, bytes]:
    """Bytes the urllib client would never send (bad targets, oversized bodies)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.connect()
    conn.sock.sendall(request)
    resp = http.client.HTTPResponse(conn.sock)
    resp.begin()
    body = resp.read()
    conn.close()
    return resp.status, dict(resp.getheaders()), body


# --- basics and error classes ----------------------------------------------------------------

def test_control_line_health_version(rfc):
    assert rfc.control_port and rfc.control_port != 8025
    assert any(line.startswith("control 127.0.0.1:") for line in rfc.output)
    assert rfc.output.index(next(l for l in rfc.output if l.startswith("control "))) < rfc.output.index("ready")
    assert rfc.api.health() == {"status": "ok", "sessions_active": 0}
    version = rfc.api.get("version")
    assert version["name"] == "exosim" and version["api"] == "v1"


def test_error_classes(rfc):
    api = rfc.api
    status, headers, body = api.request("GET", "/api/v1/nowhere")
    assert status == 404 and headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"error": {"code": "not_found", "message": "no such resource: /api/v1/nowhere"}}
    status, headers, body = api.request("PUT", "/api/v1/messages")
    assert status == 405 and headers["Allow"] == "GET, DELETE"
    assert json.loads(body)["error"]["code"] == "method_not_allowed"
    with pytest.raises(ApiError) as e:
        api.call("POST", "/api/v1/tokens", raw_body=b"{not json", headers={"Content-Type": "application/json"})
    assert (e.value.status, e.value.code) == (400, "bad_json")
    with pytest.raises(ApiError) as e:
        api.get("messages?colour=red")
    assert (e.value.status, e.value.code) == (400, "bad_query")
    with pytest.raises(ApiError) as e:
        api.get("events")  # plain HTTP, no upgrade
    assert e.value.status == 426


def test_cross_site_browser_requests_are_refused(rfc):
    status, _, body = rfc.api.request("POST", "/api/v1/reset", headers={"Origin": "http://evil.example"})
    assert status == 403 and json.loads(body)["error"]["code"] == "forbidden_origin"
    assert rfc.api.request("GET", "/api/v1/health", headers={"Origin": "http://localhost:3000"})[0] == 200


def test_body_limit_and_bad_target(rfc):
    # The limit is checked at the header: the 413 comes before the body is sent...
    status, _, body = raw_http(rfc.control_port, b"POST /api/v1/scenarios HTTP/1.1\r\nHost: x\r\n"
                               b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (1024 * 1024 + 1))
    assert status == 413 and json.loads(body)["error"]["code"] == "body_too_large"
    # ...and a client that sends it anyway still reads the answer (lingering close, no reset).
    big = b"x" * (2 * 1024 * 1024)
    status, _, _ = raw_http(rfc.control_port, b"POST /api/v1/scenarios HTTP/1.1\r\nHost: x\r\n"
                            b"Content-Length: %d\r\n\r\n" % len(big) + big)
    assert status == 413
    status, _, body = raw_http(rfc.control_port, b"GET /api/v1/messages/%zz HTTP/1.1\r\nHost: x\r\n\r\n")
    assert status == 400 and json.loads(body)["error"]["code"] == "bad_target"
    status, _, _ = raw_http(rfc.control_port, b"GARBAGE\r\n\r\n")
    assert status == 400


def test_config_get_and_patch(rfc):
    cfg = rfc.api.config()
    assert cfg["capture"] == "disk"
    assert [l["name"] for l in cfg["listeners"]] == ["submission", "mx", "implicit"]
    assert cfg["control"]["address"] == "127.0.0.1" and cfg["control"]["port"] == rfc.control_port
    with pytest.raises(ApiError) as e:
        rfc.api.patch_config({"listeners": []})
    assert (e.value.status, e.value.code) == (409, "immutable")
    with pytest.raises(ApiError) as e:
        rfc.api.patch_config({"no_such_section": 1})
    assert (e.value.status, e.value.code) == (400, "unknown_field")


# --- messages --------------------------------------------------------------------------------

def test_messages_list_filter_parts_raw_delete(rfc):
    api = rfc.api
    send(rfc, MULTIPART, ["alice@contoso.com"])
    send(rfc, PLAIN, ["bob@contoso.com"], sender="app@contoso.com")
    first = api.wait_for_message(lambda m: m["envelope"]["rcpt_to"][0]["address"] == "alice@contoso.com")
    api.wait_for_message(to="bob@contoso.com")
    listed = api.messages()
    assert [m["envelope"]["rcpt_to"][0]["address"] for m in listed] == ["bob@contoso.com", "alice@contoso.com"]
    assert [m["id"] for m in api.messages(to="alice@contoso.com")] == [first["id"]]
    assert [m["id"] for m in api.messages(**{"from": "printer@contoso.com"})] == [first["id"]]
    assert len(api.messages(since=first["id"])) == 1
    assert api.messages(session=first["session_id"])[0]["id"] == first["id"]

    detail = api.message(first["id"])
    assert detail["id"] == first["id"]
    mime = detail["mime"]
    assert {"name": "Subject", "value": "Scan 42"} in mime["headers"]
    assert mime["text"] == "Your scan is attached."  # RFC 2046 5.1.1: the last CRLF belongs to the boundary
    assert mime["attachments"] == [{"name": "scan.pdf", "content_type": "application/pdf",
                                    "size": len(ATTACHMENT),
                                    "sha256": __import__("hashlib").sha256(ATTACHMENT).hexdigest()}]
    status, headers, body = api.request("GET", f"/api/v1/messages/{first['id']}/raw")
    assert status == 200 and headers["Content-Type"] == "message/rfc822"
    assert body == MULTIPART == (rfc.data_dir / "messages" / f"{first['id']}.eml").read_bytes()

    with pytest.raises(ApiError) as e:
        api.message("20990101T000000000Z-000001-deadbeef")
    assert e.value.status == 404
    assert api.delete_message(first["id"]) == {"deleted": first["id"]}
    with pytest.raises(ApiError):
        api.delete_message(first["id"])
    assert api.delete_messages() == {"deleted": 1}
    assert api.messages() == []


# --- sessions, transcripts, reset ------------------------------------------------------------

def test_sessions_and_transcript_redacts_auth(rfc):
    ctx = ssl.create_default_context(cafile=str(rfc.ca_file))
    with smtplib.SMTP("127.0.0.1", rfc.port("submission"), timeout=10) as smtp:
        smtp.starttls(context=ctx)
        smtp.login("printer@contoso.com", "Printer-Pass-1")
        smtp.sendmail("printer@contoso.com", ["alice@contoso.com"], PLAIN)
    msg = rfc.api.wait_for_message(to="alice@contoso.com")
    sid = msg["session_id"]
    deadline = time.monotonic() + 10
    while rfc.api.session(sid)["active"] and time.monotonic() < deadline:
        time.sleep(0.05)
    session = rfc.api.session(sid)
    assert session["listener"] == "submission" and session["tls_version"].startswith("TLSv1.")
    assert session["auth_identity"] == "printer@contoso.com"
    assert session["message_ids"] == [msg["id"]] and session["close_reason"]
    assert sid in [s["id"] for s in rfc.api.sessions(listener="submission")]
    records = rfc.api.transcript(sid)
    wire = b"".join(r.get("bytes", "").encode() for r in records if r.get("dir") == "in")
    assert b"ehlo" in wire.lower() and b"AUTH PLAIN [redacted]" in wire
    assert b"Printer-Pass-1" not in wire and b"UHJpbnRlci1QYXNzLTE" not in wire  # base64 of the password
    status, headers, body = rfc.api.request("GET", f"/api/v1/sessions/{sid}/transcript?format=jsonl")
    assert headers["Content-Type"] == "application/x-ndjson"
    assert [json.loads(l) for l in body.decode().splitlines()] == records
    with pytest.raises(ApiError) as e:
        rfc.api.session("0000000000000000")
    assert e.value.status == 404

    assert rfc.api.reset()["reset"][:2] == ["messages", "sessions"]
    assert rfc.api.messages() == [] and rfc.api.sessions() == []


def test_memory_capture_keeps_transcripts_in_memory(exosim):
    server = exosim(rfc_config(capture="memory"))
    send(server)
    msg = server.api.wait_for_message()
    deadline = time.monotonic() + 10
    while server.api.session(msg["session_id"])["active"] and time.monotonic() < deadline:
        time.sleep(0.05)
    records = server.api.transcript(msg["session_id"])
    assert records[0]["type"] == "session" and records[-1]["type"] == "close"
    assert any(r.get("type") == "command" and r.get("line", "").upper().startswith("MAIL FROM") for r in records)
    assert server.api.raw(msg["id"]) == PLAIN


# --- scenarios -------------------------------------------------------------------------------

def test_scenarios_arm_read_clear(rfc):
    api = rfc.api
    with pytest.raises(ApiError) as e:
        api.armed()
    assert e.value.status == 404
    with pytest.raises(ApiError) as e:
        api.arm({"title": "no id"})
    assert (e.value.status, e.value.code) == (400, "invalid_scenario")
    assert e.value.message == "request body: id: required key is missing"
    with pytest.raises(ApiError) as e:
        api.arm({"id": "x", "server": {"rules": [{"on": "rcpt", "do": {"reply": "45 x"}}]}})
    assert "does not start with a 3-digit code" in e.value.message

    armed = api.arm({"id": "rcpt-451-once", "endpoint": "mx",
                     "server": {"rules": [{"on": "rcpt", "when": {"times": 1}, "do": {"reply": "451 4.3.0 try later"}}]}})
    assert armed["armed"] == "rcpt-451-once"
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        send(rfc)
    assert refused.value.recipients["bob@contoso.com"] == (451, b"4.3.0 try later")
    send(rfc)  # the rule fired once: the retry is delivered
    state = api.armed()
    assert state["id"] == "rcpt-451-once" and state["connections"] == 2
    assert state["findings"]["attempts"] == 2
    assert api.disarm() == {"cleared": "rcpt-451-once"}
    with pytest.raises(ApiError):
        api.disarm()


# --- Exchange Online runtime: tenants, tokens, clock ------------------------------------------

def test_tenants_get_and_patch(exo):
    api = exo.api
    tenants = api.tenants()["tenants"]
    assert {t["name"] for t in tenants} >= {"contoso.com", "fabrikam.com"}
    assert "Printer-Pass-1" not in json.dumps(tenants)  # passwords are never served
    assert api.tenant("contoso.com")["name"] == "contoso.com"
    with pytest.raises(ApiError) as e:
        api.tenant("nowhere.example")
    assert e.value.status == 404
    with pytest.raises(ApiError) as e:
        api.patch_tenant("contoso.com", {"colour": "blue"})
    assert e.value.status == 400 and "unknown tenant patch key" in e.value.message
    patched = api.patch_tenant("contoso.com", {"settings": {"reject_direct_send": True}})
    assert patched["name"] == "contoso.com"
    # Direct send (the tenant's own domain, from outside any connector) is now refused.
    with smtplib.SMTP("127.0.0.1", exo.port("mx"), timeout=10) as smtp:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            smtp.sendmail("printer@contoso.com", ["alice@contoso.com"], PLAIN)
    code, text = refused.value.recipients["alice@contoso.com"]
    assert code == 550 and b"5.7.68" in text


def test_tokens_authenticate_xoauth2(exo):
    token = exo.api.token("printer@contoso.com", ttl=600)
    assert token.count(".") >= 1
    ctx = ssl.create_default_context(cafile=str(exo.ca_file))
    ctx.check_hostname = False
    sasl = __import__("base64").b64encode(f"user=printer@contoso.com\x01auth=Bearer {token}\x01\x01".encode()).decode()
    with smtplib.SMTP("127.0.0.1", exo.port("submission"), timeout=10) as smtp:
        smtp.starttls(context=ctx)
        smtp.ehlo("printer.local")
        assert smtp.docmd("AUTH", "XOAUTH2 " + sasl)[0] == 235
    with pytest.raises(ApiError) as e:
        exo.api.post("tokens", {"user": "printer@contoso.com", "ttl": 0})
    assert e.value.status == 400
    with pytest.raises(ApiError) as e:
        exo.api.post("tokens", {"ttl": 60})
    assert e.value.code == "missing_field"


def test_clock_advance_crosses_the_daily_quota(exo):
    api = exo.api
    before = api.clock()
    assert before["virtual"] is True
    # 9,999 recipients already sent today: two more cross 10,000 (554 5.2.0 at end of data).
    api.arm({"id": "quota", "endpoint": "submission",
             "tenant": {"recipients_sent_today.printer@contoso.com": "9999"}})
    with pytest.raises(smtplib.SMTPDataError) as e:
        exo_submit(exo, ["alice@contoso.com", "bob@contoso.com"])
    assert e.value.smtp_code == 554 and b"5.2.0" in e.value.smtp_error
    assert b"SubmissionQuotaExceeded" in e.value.smtp_error
    after = api.advance_clock(86400 + 1)
    assert after["now"] > before["now"]
    exo_submit(exo, ["alice@contoso.com", "bob@contoso.com"])
    assert api.wait_for_message(to="bob@contoso.com")
    with pytest.raises(ApiError) as e:
        api.advance_clock(0)
    assert e.value.status == 400


def test_real_clock_refuses_to_advance(exosim):
    server = exosim(extra_args=["--capture", "memory"])
    assert server.api.clock()["virtual"] is False
    with pytest.raises(ApiError) as e:
        server.api.advance_clock(60)
    assert (e.value.status, e.value.code) == (409, "real_clock")


# --- events and metrics ----------------------------------------------------------------------

def test_websocket_streams_session_events(rfc):
    with rfc.api.events(wire=True) as stream:
        assert stream.next()["type"] == "hello"
        send(rfc)
        started = stream.next(lambda e: e["type"] == "session_started")
        sid = started["session"]
        command = stream.next(lambda e: e["type"] == "command" and e["verb"] == "MAIL")
        assert command["session"] == sid and command["line"].upper().startswith("MAIL FROM:<PRINTER@CONTOSO.COM>")
        reply = stream.next(lambda e: e["type"] == "reply")
        assert reply["code"] == 250
        wire = stream.next(lambda e: e["type"] == "wire" and e["dir"] == "in")
        assert wire["session"] == sid
        ended = stream.next(lambda e: e["type"] == "session_ended")
        assert ended["session"] == sid and ended["record"]["message_ids"]


def test_slow_websocket_consumer_does_not_block_smtp(rfc):
    stream = rfc.api.events(wire=True)  # never read: its queue fills and events are dropped
    try:
        for _ in range(40):
            send(rfc)
        assert len(rfc.api.messages()) == 40
    finally:
        stream.close()


def test_metrics(rfc):
    send(rfc)
    rfc.api.wait_for_message()
    deadline = time.monotonic() + 10
    while 'exosim_sessions_active{listener="mx"} 0' not in rfc.api.metrics() and time.monotonic() < deadline:
        time.sleep(0.05)
    text = rfc.api.metrics()
    assert 'exosim_sessions_total{listener="mx"} 1' in text
    assert 'exosim_messages_accepted_total{listener="mx"} 1' in text
    assert 'exosim_replies_total{class="2xx"}' in text
    assert "# TYPE exosim_bytes_total counter" in text
    status, headers, body = rfc.api.request("GET", "/metrics")
    assert status == 200 and headers["Content-Type"].startswith("text/plain; version=0.0.4")


def test_no_control_flag(exosim):
    server = exosim(rfc_config(), extra_args=["--no-control"])
    assert server.control_port is None
    with pytest.raises(RuntimeError):
        server.api


def test_control_cli_options(tmp_path):
    from exosim_pytest import find_binary
    import subprocess
    exe = str(find_binary())
    bad = subprocess.run([exe, "serve", "--control", "nonsense:port"], capture_output=True, text=True, timeout=30)
    assert bad.returncode == 2 and "--control: 'nonsense:port' is not ADDR:PORT" in bad.stderr
    both = subprocess.run([exe, "serve", "--control", "9999", "--no-control"], capture_output=True, text=True, timeout=30)
    assert both.returncode == 2
    printed = subprocess.run([exe, "serve", "--print-config", "--control", "127.0.0.2:9999", "--data-dir", str(tmp_path)],
                             capture_output=True, text=True, timeout=30)
    assert printed.returncode == 0
    assert "control: {enabled: true, address: 127.0.0.2, port: 9999}" in printed.stdout
    off = subprocess.run([exe, "serve", "--print-config", "--no-control", "--data-dir", str(tmp_path)],
                         capture_output=True, text=True, timeout=30)
    assert "control: {enabled: false, address: 127.0.0.1, port: 8025}" in off.stdout


def test_patch_exchange_settings_applies_to_new_sessions(exo):
    api = exo.api
    cfg = api.patch_config({"exchange": {"max_message_size": 1048576}})
    assert cfg["exchange"]["max_message_size"] == 1048576
    assert api.config()["exchange"]["max_message_size"] == 1048576
    ctx = ssl.create_default_context(cafile=str(exo.ca_file))
    ctx.check_hostname = False
    with smtplib.SMTP("127.0.0.1", exo.port("submission"), timeout=10) as smtp:
        smtp.starttls(context=ctx)
        code, text = smtp.ehlo("client.example")
        assert code == 250 and b"SIZE 1048576" in text.split(b"\n")
    for bad, code in (({"exchange": {"no_such_key": 1}}, "invalid"),
                      ({"exchange": {"max_message_size": "big"}}, "invalid"),
                      ({"exchange": {"limits": {"messages_per_minute": 1}}}, "invalid")):
        with pytest.raises(ApiError) as e:
            api.patch_config(bad)
        assert (e.value.status, e.value.code) == (400, code), bad
    assert api.config()["exchange"]["max_message_size"] == 1048576   # a failed patch changes nothing
