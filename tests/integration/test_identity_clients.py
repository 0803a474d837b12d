"""Real OAuth clients nobody here wrote get tokens from exosim's sign-in service and send mail with
them (issue 14, "Tests" and "Done when"): Debian's MSAL for Python (device code completed in headless
Chromium or over the control API, client credentials with a secret and a certificate, username and
password, refresh, authorization code with PKCE in Chromium) and msal-node (device code, client
credentials). Every client uses the real names (https://login.microsoftonline.com/contoso.com) and
trusts only exosim's CA; identity_clients.py maps the names to 127.0.0.1 inside each client. Each
token is then used by smtplib with STARTTLS + AUTH XOAUTH2 on the submission port, as a device does
with smtp.office365.com, and the message is looked up over the control API.

A missing client skips its tests with the package to install; CI sets EXOSIM_REQUIRE_CLIENTS=1 and
fails instead. Screenshots of every sign-in page go to $EXOSIM_ARTIFACTS/<test> (else the test's tmp
dir).
"""
from __future__ import annotations

import hashlib
import json
import smtplib
import subprocess
import threading
from pathlib import Path

import pytest

import identity_clients as ic
from client_capabilities import skip_or_fail
from exosim_pytest.server import ExosimServer

TENANT = "contoso.com"
TENANT_ID = "e5b2c6f0-3a4d-4c1e-9f7a-2d8b1c0e4a11"
AUTHORITY = f"https://login.microsoftonline.com/{TENANT}"
PRINT_FLEET = "0d3c5e7a-1b2f-4c6d-8e9a-3f5b7d9c1e33"  # public client: device code, auth code
SCAN_DAEMON = "6a8c0e2f-4d1b-4f3a-9c5e-7b9d1f3a5c44"  # confidential: secret and certificate
SECRET = "Exosim-Secret-1"
SMTP_SEND = "https://outlook.office.com/SMTP.Send"
APP_ONLY = "https://outlook.office365.com/.default"
PRINTER, PRINTER_PASSWORD = "printer@contoso.com", "Printer-Pass-1"
RCPT = "alice@contoso.com"
# The listener's name in `listening NAME ADDR:PORT`; the first one present is taken.
IDENTITY_LISTENERS = ("login", "identity", "signin", "sign-in", "entra")


need = skip_or_fail


class SignIn:
    """One `exosim serve` (embedded default, free ports) with its sign-in listener."""

    def __init__(self, server: ExosimServer):
        self.server = server
        self.api = server.api
        self.port = next((server.ports[n] for n in IDENTITY_LISTENERS if n in server.ports), None)
        self.submission = server.port("submission")
        self.ca = server.ca_file

    def session(self):
        return ic.mapped_session(self.port, self.ca)

    def public_app(self, client_id: str = PRINT_FLEET):
        import msal
        return msal.PublicClientApplication(client_id, authority=AUTHORITY, http_client=self.session())

    def confidential_app(self, credential, client_id: str = SCAN_DAEMON):
        import msal
        return msal.ConfidentialClientApplication(client_id, client_credential=credential, authority=AUTHORITY,
                                                  http_client=self.session())

    def send(self, token: str, user: str = PRINTER, subject: str = "token") -> dict:
        """Sends with XOAUTH2 and returns the stored message's metadata (control API)."""
        message_id = ic.xoauth2_send(self.submission, self.ca, user, token, user, RCPT, subject)
        msg = self.api.wait_for_message(to=RCPT, timeout=10,
                                        predicate=lambda m: message_id.encode() in self.api.raw(m["id"]))
        assert msg["auth_identity"] == user
        return msg

    def approve(self, user_code: str, user: str = PRINTER) -> None:
        self.api.post(f"identity/device-codes/{user_code}/approve", {"user": user})

    def app_certificate(self) -> tuple[str, str, str]:
        """(private key PEM, SHA-1 thumbprint hex, certificate PEM) of the Scan Daemon's certificate,
        which exosim issues under <data-dir>/tls/apps/."""
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization
        base = self.server.data_dir / "tls" / "apps" / SCAN_DAEMON
        cert_pem = Path(f"{base}.crt.pem").read_text()
        der = x509.load_pem_x509_certificate(cert_pem.encode()).public_bytes(serialization.Encoding.DER)
        return Path(f"{base}.key.pem").read_text(), hashlib.sha1(der).hexdigest(), cert_pem


@pytest.fixture(scope="module")
def signin(tmp_path_factory):
    need(ic.missing_msal())
    server = ExosimServer(tmp_path_factory.mktemp("exosim-identity"))
    try:
        s = SignIn(server)
        if s.port is None:
            reason = ("exosim serve printed no sign-in listener (one of " + ", ".join(IDENTITY_LISTENERS) +
                      "); startup output:\n" + "\n".join(server.output))
            skip_or_fail(reason)
        yield s
    finally:
        server.stop()


def assert_delegated(token: str, upn: str = PRINTER) -> dict:
    claims = ic.jwt_claims(token)
    assert (claims["aud"], claims["tid"], claims["iss"]) == ("https://outlook.office.com", TENANT_ID,
                                                             f"https://sts.windows.net/{TENANT_ID}/")
    assert "SMTP.Send" in claims["scp"].split() and claims["upn"] == upn, claims
    return claims


def assert_app_only(token: str) -> dict:
    claims = ic.jwt_claims(token)
    assert (claims["aud"], claims["tid"], claims["roles"]) == ("https://outlook.office365.com", TENANT_ID,
                                                               ["SMTP.SendAsApp"]), claims
    assert claims["appid"] == SCAN_DAEMON and "scp" not in claims
    return claims


def token_of(result: dict) -> str:
    assert "access_token" in result, json.dumps(result, indent=1)
    assert result["token_type"] == "Bearer"
    return result["access_token"]


# --- device code ---------------------------------------------------------------------------------
def test_device_code_msal_python_completed_in_chromium(signin, tmp_path):
    """Done when #1: a device-code sign-in completed in Chromium on microsoft.com/devicelogin gives
    MSAL Python a token that sends mail through smtp.office365.com."""
    need(ic.missing_browser())
    app = signin.public_app()
    flow = app.initiate_device_flow(scopes=[SMTP_SEND])
    assert "user_code" in flow, flow
    assert flow["verification_uri"] in ("https://microsoft.com/devicelogin", "https://www.microsoft.com/link")
    assert flow["user_code"] in flow["message"] and flow["expires_in"] == 900
    pending = app.acquire_token_by_device_flow(dict(flow), exit_condition=lambda f: True)
    assert (pending["error"], pending["error_codes"]) == ("authorization_pending", [70016]), pending
    with ic.Chromium(signin.port, signin.ca, ic.artifacts_dir(tmp_path, "device-code-chromium")) as browser:
        browser.driver.get(flow["verification_uri"])
        texts = ic.complete_sign_in(browser, code=flow["user_code"], user=PRINTER, password=PRINTER_PASSWORD,
                                    done=lambda b: "You have signed in" in b.text())
    assert "Contoso Print Fleet" in texts[-1]
    assert "You may now close this window." in texts[-1]
    result = app.acquire_token_by_device_flow(flow)
    token = token_of(result)
    assert_delegated(token)
    assert result.get("refresh_token") and result.get("id_token_claims", {}).get("tid") == TENANT_ID
    signin.send(token, subject="device code in Chromium")


def test_device_code_msal_python_approved_over_the_api(signin):
    app = signin.public_app()
    flow = app.initiate_device_flow(scopes=[SMTP_SEND])
    signin.approve(flow["user_code"])
    token = token_of(app.acquire_token_by_device_flow(flow))
    assert_delegated(token)
    signin.send(token, subject="device code over the API")


# --- client credentials --------------------------------------------------------------------------
def test_client_credentials_with_the_secret(signin):
    token = token_of(signin.confidential_app(SECRET).acquire_token_for_client(scopes=[APP_ONLY]))
    assert_app_only(token)
    signin.send(token, subject="client credentials, secret")


@pytest.mark.parametrize("with_x5c", [False, True], ids=["thumbprint", "x5c"])
def test_client_credentials_with_the_certificate(signin, with_x5c):
    key, thumbprint, cert = signin.app_certificate()
    credential = {"private_key": key, "thumbprint": thumbprint}
    if with_x5c:
        credential["public_certificate"] = cert
    token = token_of(signin.confidential_app(credential).acquire_token_for_client(scopes=[APP_ONLY]))
    assert_app_only(token)
    signin.send(token, subject="client credentials, certificate")


def test_client_credentials_wrong_secret_is_aadsts7000215(signin):
    result = signin.confidential_app("not-the-secret").acquire_token_for_client(scopes=[APP_ONLY])
    assert (result["error"], result["error_codes"]) == ("invalid_client", [7000215]), result
    assert result["error_description"].startswith("AADSTS7000215: Invalid client secret provided.")


def test_app_only_token_for_a_mailbox_without_full_access_is_535_5_7_3(signin):
    token = token_of(signin.confidential_app(SECRET).acquire_token_for_client(scopes=[APP_ONLY]))
    with pytest.raises(smtplib.SMTPAuthenticationError) as failure:
        ic.xoauth2_send(signin.submission, signin.ca, "app@contoso.com", token, "app@contoso.com", RCPT, "denied")
    assert failure.value.smtp_code == 535
    assert failure.value.smtp_error.decode().startswith("5.7.3 Authentication unsuccessful")


# --- username/password and refresh ---------------------------------------------------------------
def test_username_password_then_refresh(signin):
    app = signin.public_app()
    result = app.acquire_token_by_username_password(PRINTER, PRINTER_PASSWORD, scopes=[SMTP_SEND])
    first = token_of(result)
    assert_delegated(first)
    signin.send(first, subject="ROPC")
    [account] = app.get_accounts(username=PRINTER)
    # force_refresh: MSAL skips its cache and redeems the cached refresh token.
    refreshed = token_of(app.acquire_token_silent([SMTP_SEND], account=account, force_refresh=True))
    assert_delegated(refreshed)
    # Entra keeps earlier refresh tokens valid after a rotation (reference §3).
    again = token_of(app.acquire_token_by_refresh_token(result["refresh_token"], scopes=[SMTP_SEND]))
    assert_delegated(again)
    signin.send(again, subject="refreshed")


@pytest.mark.parametrize("user,password,code", [("mfa@contoso.com", "Mfa-Pass-1", 50076),
                                                ("blocked@contoso.com", "Blocked-Pass-1", 53003),
                                                (PRINTER, "wrong", 50126)])
def test_username_password_refusals(signin, user, password, code):
    result = signin.public_app().acquire_token_by_username_password(user, password, scopes=[SMTP_SEND])
    assert result.get("error_codes") == [code], result
    assert result["error_description"].startswith(f"AADSTS{code}: ")


# --- authorization code with PKCE ----------------------------------------------------------------
def test_authorization_code_with_pkce_in_chromium(signin, tmp_path):
    """Done when #3: authorization code with PKCE (MSAL's S256), the sign-in pages in Chromium, the
    code caught on http://localhost:<port>, then mail."""
    need(ic.missing_browser())
    app = signin.public_app()
    with ic.RedirectCatcher() as catcher, \
            ic.Chromium(signin.port, signin.ca, ic.artifacts_dir(tmp_path, "auth-code-chromium")) as browser:
        flow = app.initiate_auth_code_flow([SMTP_SEND], redirect_uri=catcher.redirect_uri)
        assert "code_challenge=" in flow["auth_uri"] and "code_challenge_method=S256" in flow["auth_uri"]
        browser.driver.get(flow["auth_uri"])
        ic.complete_sign_in(browser, user=PRINTER, password=PRINTER_PASSWORD)
        params = catcher.wait()
        browser.shot("redirected")
    assert params["state"] == flow["state"] and "code" in params, params
    token = token_of(app.acquire_token_by_auth_code_flow(flow, params))
    assert_delegated(token)
    signin.send(token, subject="authorization code")


# --- msal-node -----------------------------------------------------------------------------------
def run_node(signin, script: str, *args: str, on_line=None, timeout: float = 90) -> list[dict]:
    """Runs tests/integration/clients/<script> with the sign-in port and CA; each stdout line is
    JSON; `on_line(obj)` sees them as they come (the device code is approved while node polls)."""
    need(ic.missing_msal_node())
    proc = subprocess.Popen(["node", str(ic.CLIENTS_DIR / script), str(signin.port), str(signin.ca), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    lines = []
    try:
        for line in proc.stdout:
            obj = json.loads(line)
            lines.append(obj)
            if on_line:
                on_line(obj)
        stderr = proc.stderr.read()
        assert proc.wait() == 0, f"{script} exited {proc.returncode}:\n{stderr}\n{lines}"
    finally:
        timer.cancel()
        proc.kill()
    return lines


def test_msal_node_device_code(signin):
    lines = run_node(signin, "msal_node_device_code.mjs", PRINT_FLEET,
                     on_line=lambda o: signin.approve(o["userCode"]) if "userCode" in o else None)
    assert lines[0]["verificationUri"] in ("https://microsoft.com/devicelogin", "https://www.microsoft.com/link")
    token = lines[-1]["accessToken"]
    assert_delegated(token)
    signin.send(token, subject="msal-node device code")


@pytest.mark.parametrize("mode", ["secret", "certificate-sha1", "certificate-sha256"])
def test_msal_node_client_credentials(signin, mode):
    """msal-node's current default for a certificate is PS256 with x5t#S256; its older `thumbprint`
    option is RS256 with x5t. Entra takes both."""
    lines = run_node(signin, "msal_node_client_credentials.mjs", SCAN_DAEMON, mode,
                     str(signin.server.data_dir / "tls" / "apps" / SCAN_DAEMON))
    token = lines[-1]["accessToken"]
    assert_app_only(token)
    signin.send(token, subject=f"msal-node client credentials, {mode}")
