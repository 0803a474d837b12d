"""exosim-client --oauth against exosim serve (issue 13 "Clients"): the golden device gets its own
token by device code, client credentials (secret and certificate) or refresh from its cache, and
sends with XOAUTH2. Approvals go through the control API, as the harness does unattended; the
identity request log shows what the client sent and when."""
from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from datetime import datetime

import pytest

from client_capabilities import skip_or_fail
from exosim_pytest.server import ExosimServer
from oauth_client_helpers import (DEVICE_GRANT, PRINTER, RCPT, SCAN_DAEMON, SECRET, Background, ScriptedSmtp,
                                  client_args, identity_requests, now_stamp, run, token_cache)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = ExosimServer(tmp_path_factory.mktemp("exosim-oauth-client"))
    yield s
    s.stop()


def app_cert(server: ExosimServer) -> list[str]:
    base = server.data_dir / "tls" / "apps" / SCAN_DAEMON
    return ["--client-cert", f"{base}.crt.pem", "--client-key", f"{base}.key.pem"]


def delivered(server: ExosimServer, r, user: str = PRINTER) -> None:
    assert (r.rc, r.result["result"]) == (0, "delivered"), (r.result, r.stderr)
    assert r.result["auth"] == "XOAUTH2"
    msg = server.api.wait_for_message(to=RCPT, timeout=10,
                                      predicate=lambda m: r.result["message_id"].encode() in server.api.raw(m["id"]))
    assert msg["auth_identity"] == user


def device_polls(server: ExosimServer, since: str) -> list[dict]:
    return [q for q in identity_requests(server) if q.get("grant") == DEVICE_GRANT and q["time"] > since]


# --- device code ---------------------------------------------------------------------------------
def test_device_code_approved_then_cache_then_refresh(server, tmp_path):
    cache = tmp_path / "tokens.json"
    started = now_stamp()
    bg = Background(client_args(server, "device-code", "--token-cache", str(cache)))
    code = bg.user_code()
    assert "open:  https://microsoft.com/devicelogin" in "".join(bg.stderr_lines)
    server.api.post(f"identity/device-codes/{code}/approve", {"user": PRINTER})
    r = bg.finish()
    delivered(server, r)
    assert r.result["oauth"]["source"] == "device_code"
    polls = device_polls(server, started)
    assert polls[-1]["ok"] and all(not p["ok"] for p in polls[:-1]), polls  # never polls after success
    times = [datetime.strptime(p["time"], "%Y-%m-%dT%H:%M:%S.%fZ") for p in polls]
    assert all((b - a).total_seconds() >= 4.9 for a, b in zip(times, times[1:])), times  # interval 5
    first = token_cache(cache)
    assert first["account"] == PRINTER and first["refresh_token"] and oct(cache.stat().st_mode & 0o777) == "0o600"

    again = run(client_args(server, "device-code", "--token-cache", str(cache)))
    delivered(server, again)
    assert again.result["oauth"] == {"flow": "device_code", "source": "cache", "token_requests": 0,
                                     "renewed_after_535": False}

    stale = dict(first, expires_at=int(time.time()) + 299)  # inside the 5-minute margin: refresh
    cache.write_text(json.dumps(stale))
    refreshed = run(client_args(server, "device-code", "--token-cache", str(cache)))
    delivered(server, refreshed)
    assert refreshed.result["oauth"]["source"] == "refresh"
    newest = token_cache(cache)["refresh_token"]
    assert newest != first["refresh_token"]  # the newest refresh token is the one kept
    last = identity_requests(server)[-1]
    assert (last["grant"], last["ok"]) == ("refresh_token", True)


@pytest.mark.parametrize("action,failure,rc", [("decline", "declined", 7), ("expire", "expired", 7)])
def test_device_code_declined_or_expired_stops_polling(server, tmp_path, action, failure, rc):
    started = now_stamp()
    bg = Background(client_args(server, "device-code", "--token-cache", str(tmp_path / "c.json")))
    code = bg.user_code()
    server.api.post(f"identity/device-codes/{code}/{action}")
    r = bg.finish()
    assert (r.rc, r.result["result"], r.result["oauth"]["failure"]) == (rc, "no_token", failure), r
    polls = device_polls(server, started)
    assert polls and not any(p["ok"] for p in polls)
    time.sleep(6)  # one interval later: no poll came after the final answer
    assert len(device_polls(server, started)) == len(polls)
    assert not (tmp_path / "c.json").exists()


def test_refresh_token_revoked_is_sign_in_again(server, tmp_path):
    cache = tmp_path / "tokens.json"
    bg = Background(client_args(server, "device-code", "--token-cache", str(cache)))
    server.api.post(f"identity/device-codes/{bg.user_code()}/approve", {"user": PRINTER})
    delivered(server, bg.finish())
    server.api.post("identity/refresh-tokens/revoke", {"user": PRINTER})
    cache.write_text(json.dumps(dict(token_cache(cache), expires_at=0)))
    r = run(client_args(server, "device-code", "--token-cache", str(cache)))
    assert (r.rc, r.result["result"]) == (6, "sign_in_again"), r
    assert "AADSTS50173" in r.result["reply"] and "sign in again" in r.result["reply"]
    assert r.result["oauth"]["token_requests"] == 1  # one refresh, no loop


def test_corrupt_cache_is_a_clear_error(server, tmp_path):
    cache = tmp_path / "tokens.json"
    for text in ("", "{", "[]", '{"version": 9}', "\x00\xff"):
        cache.write_text(text)
        r = run(client_args(server, "device-code", "--token-cache", str(cache)))
        assert (r.rc, r.result["result"]) == (4, "usage"), r
        assert r.result["reply"].startswith(f"token cache {cache}: corrupt (") and "delete it" in r.result["reply"]


# --- client credentials --------------------------------------------------------------------------
@pytest.mark.parametrize("how", ["secret", "ps256", "rs256"])
def test_client_credentials(server, how):
    cred = ["--client-secret", SECRET] if how == "secret" else app_cert(server) + ["--assertion-alg", how]
    r = run(client_args(server, "client-credentials", "--client-id", SCAN_DAEMON, "--user", PRINTER, *cred))
    delivered(server, r)
    last = identity_requests(server)[-1]
    assert (last["grant"], last["client_id"], last["ok"]) == ("client_credentials", SCAN_DAEMON, True)


def test_client_credentials_wrong_secret_stops_at_once(server):
    r = run(client_args(server, "client-credentials", "--client-id", SCAN_DAEMON, "--user", PRINTER,
                        "--client-secret", "wrong"))
    assert (r.rc, r.result["result"]) == (7, "no_token"), r
    assert "AADSTS7000215" in r.result["reply"] and r.result["oauth"]["token_requests"] == 1


@pytest.mark.parametrize("how", ["secret", "certificate"])
def test_token_endpoint_outage_honours_retry_after(server, how):
    """Each retry carries a new client assertion (a fresh jti), never the same one again."""
    cred = ["--client-secret", SECRET] if how == "secret" else app_cert(server)
    server.api.call("PUT", "identity/faults/token", {"status": 503, "retry_after": 2, "count": 2})
    try:
        started = time.monotonic()
        r = run(client_args(server, "client-credentials", "--client-id", SCAN_DAEMON, "--user", PRINTER, *cred))
        elapsed = time.monotonic() - started
    finally:
        server.api.call("DELETE", "identity/faults/token")
    delivered(server, r)
    assert r.result["oauth"]["token_requests"] == 3
    assert elapsed >= 4.0, elapsed  # two Retry-After: 2 honoured


# --- exact bytes, and the 535 rule, against a scripted SMTP server -------------------------------
def test_xoauth2_bytes_and_one_renewal_after_535(server, tmp_path):
    smtp = ScriptedSmtp([b"535 5.7.3 Authentication unsuccessful\r\n", b"235 2.7.0 Authentication successful\r\n"])
    cache = tmp_path / "tokens.json"
    try:
        r = run(client_args(server, "client-credentials", "--client-id", SCAN_DAEMON, "--user", PRINTER,
                            "--client-secret", SECRET, "--token-cache", str(cache), smtp_port=smtp.port, no_tls=True))
    finally:
        smtp.close()
    assert (r.rc, r.result["result"], r.result["oauth"]["renewed_after_535"]) == (0, "delivered", True), r
    token = token_cache(cache)["access_token"]
    sasl = base64.b64encode(f"user={PRINTER}\x01auth=Bearer {token}\x01\x01".encode())
    assert len(smtp.auth_lines) == 2
    assert smtp.auth_lines[1] == b"AUTH XOAUTH2 " + sasl + b"\r\n"
    assert smtp.auth_lines[0] != smtp.auth_lines[1]  # the retry carried the new token


def test_535_twice_does_not_loop(server, tmp_path):
    smtp = ScriptedSmtp([b"535 5.7.3 Authentication unsuccessful\r\n"])
    try:
        r = run(client_args(server, "client-credentials", "--client-id", SCAN_DAEMON, "--user", PRINTER,
                            "--client-secret", SECRET, smtp_port=smtp.port, no_tls=True))
    finally:
        smtp.close()
    assert (r.rc, r.result["result"], r.result["code"]) == (1, "rejected", 535), r
    assert len(smtp.auth_lines) == 2 and r.result["oauth"]["token_requests"] == 2


def test_quirk_password_with_oauth_sends_login(server):
    smtp = ScriptedSmtp([b"334 VXNlcm5hbWU6\r\n"])
    try:
        run(client_args(server, "client-credentials", "--client-id", SCAN_DAEMON, "--user", PRINTER,
                        "--client-secret", SECRET, "--password", "Printer-Pass-1", "--quirk", "password-with-oauth",
                        smtp_port=smtp.port, no_tls=True))
    finally:
        smtp.close()
    assert smtp.auth_lines[0] == b"AUTH LOGIN\r\n"


def test_usage_errors(server):
    base = client_args(server, "client-credentials", "--client-id", SCAN_DAEMON)
    for extra, text in [(["--client-secret", "s"], "--user"), (["--user", PRINTER], "--client-secret or --client-cert"),
                        (["--user", PRINTER, "--client-secret", "s", "--token", "t"], "choose one of --token, --oauth")]:
        r = run(base + extra)
        assert (r.rc, r.result["result"]) == (4, "usage") and text in r.result["reply"], r
    bad = [a if a != "https://login.microsoftonline.com/contoso.com" else "http://x/y" for a in base]
    r = run(bad + ["--user", PRINTER, "--client-secret", "s"])
    assert r.rc == 4 and "https://" in r.result["reply"]


# --- authorization code with PKCE ----------------------------------------------------------------
def test_auth_code_with_pkce_through_the_loopback_redirect(server, monkeypatch, tmp_path):
    """The pages are walked by clients/form_signin.py (plain forms, names mapped inside it); the
    browser's redirect lands on exosim-client's 127.0.0.1 listener."""
    walker = Path(__file__).parent / "clients" / "form_signin.py"
    monkeypatch.setenv("EXOSIM_IDENTITY_PORT", str(server.port("identity")))
    monkeypatch.setenv("EXOSIM_CA", str(server.ca_file))
    monkeypatch.setenv("SIGNIN_USER", PRINTER)
    monkeypatch.setenv("SIGNIN_PASSWORD", "Printer-Pass-1")
    cache = tmp_path / "tokens.json"
    r = run(client_args(server, "auth-code", "--auth-code-browser", f"/usr/bin/python3 {walker}",
                        "--auth-code-wait", "30", "--token-cache", str(cache)))
    delivered(server, r)
    assert r.result["oauth"]["source"] == "auth_code"
    assert "code_challenge_method=S256" in r.stderr and "redirect_uri=http%3A%2F%2Flocalhost%3A" in r.stderr
    last = identity_requests(server)[-1]
    assert (last["grant"], last["ok"]) == ("authorization_code", True)
    assert token_cache(cache)["refresh_token"]


def test_auth_code_completed_in_chromium(server, monkeypatch, tmp_path):
    """The optional browser path of issue 13: headless Chromium (Selenium) walks the pages and lands
    on the loopback redirect; screenshots under $EXOSIM_ARTIFACTS (else tmp)."""
    import identity_clients as ic
    # Chromium and chromium-driver are in ci/setup-deps: CI fails without them, a user's machine skips.
    skip_or_fail(ic.missing_browser())
    browser = Path(__file__).parent / "clients" / "chromium_signin.py"
    for name, value in {"EXOSIM_IDENTITY_PORT": str(server.port("identity")), "EXOSIM_CA": str(server.ca_file),
                        "SIGNIN_USER": PRINTER, "SIGNIN_PASSWORD": "Printer-Pass-1",
                        "SIGNIN_ARTIFACTS": str(ic.artifacts_dir(tmp_path, "exosim-client-auth-code"))}.items():
        monkeypatch.setenv(name, value)
    r = run(client_args(server, "auth-code", "--auth-code-browser", f"/usr/bin/python3 {browser}",
                        "--auth-code-wait", "90"), timeout=120)
    delivered(server, r)
    assert r.result["oauth"]["source"] == "auth_code"


def test_auth_code_without_a_sign_in_gives_up(server):
    r = run(client_args(server, "auth-code", "--auth-code-wait", "1"))
    assert (r.rc, r.result["result"], r.result["oauth"]["failure"]) == (7, "no_token", "expired"), r


def test_token_expired_on_the_server_clock_is_renewed_once(tmp_path):
    """A long job (virtual clock): the cached token looks fresh to the device but has expired for
    Exchange; 535 5.7.3, one new token, one retry, delivered."""
    virtual = ExosimServer(tmp_path / "data", config={"clock": "virtual"}, extra_args=["--ephemeral-ports"])
    try:
        cache = tmp_path / "tokens.json"
        args = client_args(virtual, "client-credentials", "--client-id", SCAN_DAEMON, "--user", PRINTER,
                           "--client-secret", SECRET, "--token-cache", str(cache))
        delivered(virtual, run(args))
        virtual.api.advance_clock(3 * 3600)
        r = run(args)
        delivered(virtual, r)
        assert r.result["oauth"] == {"flow": "client_credentials", "source": "client_credentials", "token_requests": 1,
                                     "renewed_after_535": True}, r.result
        assert r.result["attempts"] == 2
    finally:
        virtual.stop()
