"""Each OAuth quirk of exosim-client (quirks.hpp) does on the wire what it says, seen in the sign-in
service's request log: the misbehaviour the oauth-readiness rules must catch (issue 13 "Verdict
rules"). The rules themselves are the harness's; this proves the client side of the pair."""
from __future__ import annotations

import json
import time
from datetime import datetime

import pytest

from exosim_pytest.server import ExosimServer
from oauth_client_helpers import (DEVICE_GRANT, PRINTER, SCAN_DAEMON, SECRET, Background, client_args,
                                  identity_requests, now_stamp, run, token_cache)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = ExosimServer(tmp_path_factory.mktemp("exosim-oauth-quirks"))
    yield s
    s.stop()


def signed_in_cache(server: ExosimServer, cache, *quirks: str) -> dict:
    extra = [a for q in quirks for a in ("--quirk", q)]
    bg = Background(client_args(server, "device-code", "--token-cache", str(cache), *extra))
    server.api.post(f"identity/device-codes/{bg.user_code()}/approve", {"user": PRINTER})
    r = bg.finish()
    assert r.rc == 0, r
    return token_cache(cache)


def stamp(q: dict) -> datetime:
    return datetime.strptime(q["time"], "%Y-%m-%dT%H:%M:%S.%fZ")


def test_poll_too_fast(server):
    started = now_stamp()
    bg = Background(client_args(server, "device-code", "--quirk", "poll-too-fast"))
    code = bg.user_code()
    time.sleep(3.5)
    server.api.post(f"identity/device-codes/{code}/approve", {"user": PRINTER})
    assert bg.finish().rc == 0
    polls = [stamp(q) for q in identity_requests(server) if q.get("grant") == DEVICE_GRANT and q["time"] > started]
    assert len(polls) >= 3 and min((b - a).total_seconds() for a, b in zip(polls, polls[1:])) < 2, polls


def test_stale_refresh_token_keeps_the_first(server, tmp_path):
    cache = tmp_path / "c.json"
    first = signed_in_cache(server, cache, "stale-refresh-token")
    for _ in range(2):
        cache.write_text(json.dumps(dict(token_cache(cache), expires_at=0)))
        r = run(client_args(server, "device-code", "--token-cache", str(cache), "--quirk", "stale-refresh-token"))
        assert r.result["oauth"]["source"] == "refresh", r
    assert token_cache(cache)["refresh_token"] == first["refresh_token"]


def test_loop_invalid_grant_hammers_the_token_endpoint(server, tmp_path):
    cache = tmp_path / "c.json"
    signed_in_cache(server, cache)
    server.api.post("identity/refresh-tokens/revoke", {"user": PRINTER})
    cache.write_text(json.dumps(dict(token_cache(cache), expires_at=0)))
    r = run(client_args(server, "device-code", "--token-cache", str(cache), "--quirk", "loop-invalid-grant"))
    assert r.rc == 6 and r.result["oauth"]["token_requests"] == 10, r


def test_expired_token_is_presented_as_is(server, tmp_path):
    cache = tmp_path / "c.json"
    signed_in_cache(server, cache)
    cache.write_text(json.dumps(dict(token_cache(cache), expires_at=0)))
    r = run(client_args(server, "device-code", "--token-cache", str(cache), "--quirk", "expired-token"))
    assert r.result["oauth"]["source"] == "cache" and r.result["oauth"]["token_requests"] == 0, r


def test_ignore_retry_after(server):
    server.api.call("PUT", "identity/faults/token", {"status": 503, "retry_after": 5, "count": 1})
    try:
        started = time.monotonic()
        r = run(client_args(server, "client-credentials", "--client-id", SCAN_DAEMON, "--user", PRINTER,
                            "--client-secret", SECRET, "--quirk", "ignore-retry-after"))
        elapsed = time.monotonic() - started
    finally:
        server.api.call("DELETE", "identity/faults/token")
    assert r.rc == 0 and r.result["oauth"]["token_requests"] == 2 and elapsed < 4, (r, elapsed)


@pytest.mark.parametrize("quirk,check", [
    ("no-offline-access", lambda c: c["scope"] == "https://outlook.office.com/SMTP.Send" and c["refresh_token"] == ""),
])
def test_scope_quirks(server, tmp_path, quirk, check):
    cache = tmp_path / "c.json"
    assert check(signed_in_cache(server, cache, quirk)), token_cache(cache)


def test_wrong_scope_asks_for_graph(server):
    r = run(client_args(server, "client-credentials", "--client-id", SCAN_DAEMON, "--user", PRINTER,
                        "--client-secret", SECRET, "--quirk", "wrong-scope"))
    last = identity_requests(server)[-1]
    assert (last["grant"], last["error"], last["aadsts"]) == ("client_credentials", "invalid_scope", 70011), last
    assert (r.rc, r.result["result"]) == (7, "no_token") and "graph.microsoft.com/.default" in r.result["reply"], r
