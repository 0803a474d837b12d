#!/usr/bin/python3
"""A token helper of the kind msmtp's `passwordeval` and curl's `--oauth2-bearer $(...)` are paired
with (like mutt's mutt_oauth2.py): prints one access token on stdout, from its cache file, by
refreshing, or after a sign-in (device code for a public client, client credentials with a secret).
Python's standard library only.

The sign-in host keeps its real name (`--authority https://login.microsoftonline.com/<tenant>`):
with `--identity-address HOST:PORT` the TCP connection goes there while SNI, Host and the
certificate check keep the name, as a lab DNS entry would make it. The device panel goes to stderr.
Exit codes: 0 token printed, 6 refresh token dead (sign in again), 7 no token, 4 usage."""
from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import ssl
import sys
import tempfile
import time
import urllib.parse

DELEGATED = "https://outlook.office.com/SMTP.Send offline_access"
APP_ONLY = "https://outlook.office365.com/.default"
MARGIN = 300              # refresh five minutes before expiry
SIGN_IN_AGAIN = {700082, 50173, 70043, 70008}
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


class MappedHTTPS(http.client.HTTPSConnection):
    """HTTPS to `address` while TLS and Host use the URL's name."""

    def __init__(self, host, address, context, timeout):
        super().__init__(host, context=context, timeout=timeout)
        self._address = address

    def connect(self):
        sock = socket.create_connection(self._address or (self.host, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class Helper:
    def __init__(self, a):
        self.a = a
        parsed = urllib.parse.urlsplit(a.authority.rstrip("/"))
        if parsed.scheme != "https" or not parsed.hostname or not parsed.path.strip("/"):
            raise SystemExit(usage("--authority must be https://HOST/TENANT"))
        self.host, self.tenant = parsed.hostname, parsed.path.strip("/").removesuffix("/oauth2/v2.0")
        self.address = None
        if a.identity_address:
            h, _, p = a.identity_address.rpartition(":")
            self.address = (h, int(p))
        self.context = ssl.create_default_context(cafile=a.ca or None)
        self.scope = a.scope or (APP_ONLY if a.client_secret else DELEGATED)

    def post(self, endpoint: str, form: dict) -> tuple[int, dict, str]:
        conn = MappedHTTPS(self.host, self.address, self.context, 30)
        try:
            conn.request("POST", f"/{self.tenant}/oauth2/v2.0/{endpoint}", urllib.parse.urlencode(form),
                         {"Content-Type": "application/x-www-form-urlencoded"})
            r = conn.getresponse()
            body = r.read().decode(errors="replace")
            retry_after = r.getheader("Retry-After", "")
        except OSError as e:
            return 0, {"error": "no_answer", "error_description": str(e)}, ""
        finally:
            conn.close()
        try:
            data = json.loads(body)
        except ValueError:
            data = {"error": f"http_{r.status}"}
        return r.status, data if isinstance(data, dict) else {"error": "invalid_response"}, retry_after

    def token_request(self, form: dict) -> dict:
        """Bounded retries on 5xx and no answer, never before Retry-After."""
        for attempt in range(1, 5):
            status, data, retry_after = self.post("token", form)
            if status == 200 or (0 < status < 500 and status != 429) or attempt == 4:
                return data
            wait = max(int(retry_after) if retry_after.isdigit() else 0, 2 ** (attempt - 1))
            if wait > 120:
                return data
            print(f"token endpoint: {data.get('error')} ({status}); retrying in {wait} s", file=sys.stderr)
            time.sleep(wait)
        return {}

    def device_code(self) -> dict:
        status, d, _ = self.post("devicecode", {"client_id": self.a.client_id, "scope": self.scope})
        if status != 200:
            return d
        print(f"{'-' * 64}\n  {d.get('message') or 'open ' + d['verification_uri'] + ' and enter ' + d['user_code']}\n"
              f"  enter the code:  {d['user_code']}\n{'-' * 64}", file=sys.stderr, flush=True)
        interval, deadline = int(d.get("interval", 5)), time.monotonic() + int(d.get("expires_in", 900))
        while time.monotonic() < deadline:
            time.sleep(interval)
            _, r, _ = self.post("token", {"grant_type": DEVICE_GRANT, "client_id": self.a.client_id,
                                          "device_code": d["device_code"]})
            if r.get("error") == "slow_down":
                interval += 5
            elif r.get("error") != "authorization_pending":
                return r
        return {"error": "expired_token", "error_description": "the device code expired"}

    def sign_in(self) -> dict:
        if self.a.client_secret:
            return self.token_request({"grant_type": "client_credentials", "client_id": self.a.client_id,
                                       "scope": self.scope, "client_secret": self.a.client_secret})
        return self.device_code()

    def refresh(self, refresh_token: str) -> dict:
        form = {"grant_type": "refresh_token", "client_id": self.a.client_id, "scope": self.scope,
                "refresh_token": refresh_token}
        return self.token_request(form)


def load(path: str) -> dict:
    if not path or not os.path.exists(path):
        return {}
    try:
        with open(path) as f:
            cache = json.load(f)
        if not isinstance(cache, dict):
            raise ValueError("not an object")
        return cache
    except ValueError as e:
        raise SystemExit(usage(f"token cache {path} is corrupt ({e}); delete it to sign in again"))


def save(path: str, cache: dict) -> None:
    """Temporary file, fsync, rename: a crash leaves the old cache or the new one."""
    if not path:
        return
    fd, temp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), prefix=".token-")
    with os.fdopen(fd, "w") as f:
        json.dump(cache, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temp, path)


def usage(why: str) -> int:
    print(f"oauth_token_helper: {why}", file=sys.stderr)
    return 4


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Every option also comes from OAUTH_<NAME> in the environment, so that msmtp's passwordeval
    # can run the helper with no arguments to quote.
    for opt in ("authority", "client-id", "client-secret", "scope", "identity-address", "ca", "cache"):
        p.add_argument(f"--{opt}", default=os.environ.get("OAUTH_" + opt.upper().replace("-", "_"), ""))
    a = p.parse_args()
    if not a.authority or not a.client_id:
        return usage("--authority and --client-id are required")
    h = Helper(a)
    key = [a.authority, a.client_id, h.scope]
    cache = load(a.cache)
    if cache.get("key") != key:
        cache = {"key": key}
    if cache.get("access_token") and cache.get("expires_at", 0) > time.time() + MARGIN:
        print(cache["access_token"])
        return 0
    result = h.refresh(cache["refresh_token"]) if cache.get("refresh_token") else h.sign_in()
    if "access_token" not in result:
        print(f"oauth_token_helper: {result.get('error')}: {result.get('error_description', '')}", file=sys.stderr)
        dead = result.get("error") == "invalid_grant" and SIGN_IN_AGAIN & set(result.get("error_codes", []))
        return 6 if dead else 7
    cache.update(access_token=result["access_token"], expires_at=int(time.time()) + int(result.get("expires_in", 0)))
    if result.get("refresh_token"):
        cache["refresh_token"] = result["refresh_token"]  # always keep the newest
    save(a.cache, cache)
    print(result["access_token"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
