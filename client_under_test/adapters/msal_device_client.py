#!/usr/bin/python3
"""A device built on Microsoft's MSAL for Python (Debian python3-msal) and smtplib: device-code
sign-in the first time (the panel text on stderr), then MSAL's own token cache kept in a file
(acquire_token_silent refreshes from it), XOAUTH2 over STARTTLS. A confidential client with
--client-secret uses client credentials instead. After `535 5.7.3` it asks MSAL for a fresh token
once and retries once, as MSAL's documentation advises. Driven by msal.cmd; exits 0 when the message
was accepted, 1 when SMTP refused it, 6 when the cached sign-in is dead, 7 without a token."""
from __future__ import annotations

import argparse
import email.utils
import os
import smtplib
import ssl
import sys
import tempfile
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from oauth_mapping import NamedSMTP, mapped_session, xoauth2  # noqa: E402

SIGN_IN_AGAIN = {700082, 50173, 70043, 70008}


def args():
    p = argparse.ArgumentParser()
    for opt in ("host", "port", "servername", "ca", "user", "from", "to", "subject", "body", "scenario", "authority",
                "identity-address", "client-id", "client-secret", "scope", "ca-file", "cache"):
        p.add_argument(f"--{opt}", default="")
    return p.parse_args()


def scopes(a) -> list[str]:
    # MSAL adds openid/profile/offline_access itself and refuses them in the list.
    s = a.scope or ("https://outlook.office365.com/.default" if a.client_secret else "https://outlook.office.com/SMTP.Send")
    return [x for x in s.split() if x not in ("offline_access", "openid", "profile")]


def load_cache(path: str):
    import msal
    cache = msal.SerializableTokenCache()
    if path and os.path.exists(path):
        cache.deserialize(Path(path).read_text())  # a corrupt file raises: a clear stop, exit 1
    return cache


def save_cache(path: str, cache) -> None:
    if not path or not cache.has_state_changed:
        return
    fd, temp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)), prefix=".msal-")
    with os.fdopen(fd, "w") as f:
        f.write(cache.serialize())
        f.flush()
        os.fsync(f.fileno())
    os.replace(temp, path)


class Device:
    def __init__(self, a):
        import msal
        self.a, self.cache = a, load_cache(a.cache)
        http = mapped_session(a.identity_address, a.ca_file or a.ca)
        common = dict(authority=a.authority, http_client=http, token_cache=self.cache)
        if a.client_secret:
            self.app = msal.ConfidentialClientApplication(a.client_id, client_credential=a.client_secret, **common)
        else:
            self.app = msal.PublicClientApplication(a.client_id, **common)

    def token(self, force_refresh: bool = False) -> dict:
        if self.a.client_secret:
            return self.app.acquire_token_for_client(scopes=scopes(self.a))
        accounts = self.app.get_accounts(username=self.a.user or None) or self.app.get_accounts()
        if accounts:
            result = self.app.acquire_token_silent_with_error(scopes(self.a), accounts[0], force_refresh=force_refresh)
            if result:
                return result
        flow = self.app.initiate_device_flow(scopes=scopes(self.a))
        if "user_code" not in flow:
            return flow
        print(f"{'-' * 64}\n  {flow['message']}\n  enter the code:  {flow['user_code']}\n{'-' * 64}", file=sys.stderr,
              flush=True)
        return self.app.acquire_token_by_device_flow(flow)


def message(a) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = a.__dict__["from"], a.to, a.subject
    msg["Date"] = email.utils.formatdate()
    msg["Message-ID"] = f"<{a.scenario}@msal.adapter.exosim.invalid>"
    msg.set_content(a.body)
    return msg


def send(a, token: str) -> None:
    context = ssl.create_default_context(cafile=a.ca or None)
    with NamedSMTP(a.servername or a.host, host=a.host, port=int(a.port), timeout=15) as smtp:
        smtp.set_debuglevel(int(os.environ.get("EXOSIM_ADAPTER_DEBUG", "0")))
        smtp.starttls(context=context)
        # smtplib's auth() does not EHLO again after STARTTLS, and takes the 503 that follows for
        # "already authenticated": say EHLO here.
        smtp.ehlo()
        smtp.auth("XOAUTH2", lambda challenge=None: "" if challenge else xoauth2(a.user, token))
        smtp.send_message(message(a), to_addrs=[t for t in a.to.split(",") if t])


def no_token(result: dict) -> int:
    print(f"msal: {result.get('error')}: {result.get('error_description', '')}", file=sys.stderr)
    dead = result.get("error") == "invalid_grant" and SIGN_IN_AGAIN & set(result.get("error_codes", []))
    return 6 if dead else 7


def token(device: Device, force_refresh: bool = False) -> dict:
    """MSAL raises requests' HTTPError for a 5xx from the token endpoint (it does not retry; its
    ThrottledHttpClient only replays the error to identical requests for Retry-After seconds)."""
    import requests
    try:
        return device.token(force_refresh)
    except requests.RequestException as e:
        return {"error": "no_answer", "error_description": str(e)}


def main() -> int:
    a = args()
    device = Device(a)
    result = token(device)
    save_cache(a.cache, device.cache)
    if "access_token" not in result:
        return no_token(result)
    try:
        send(a, result["access_token"])
    except smtplib.SMTPAuthenticationError as e:
        if e.smtp_code != 535 or not e.smtp_error.startswith(b"5.7.3"):
            raise
        result = token(device, force_refresh=True)  # once
        save_cache(a.cache, device.cache)
        if "access_token" not in result:
            return no_token(result)
        send(a, result["access_token"])
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (smtplib.SMTPException, OSError, ValueError) as e:
        print(f"msal device: {e}", file=sys.stderr)
        sys.exit(1)
