"""The client-side name mapping of identity_clients.py, proved against a throwaway HTTPS server:
each client (requests/MSAL Python, Chromium, msal-node's network module, smtplib) sends Microsoft's
real host name as SNI and Host, reaches 127.0.0.1:<port>, accepts only a certificate from the CA it
was given for that name, and reaches nothing that is not mapped. These run without the sign-in
service; test_identity_clients.py uses the same helpers against exosim.
"""
from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest

import identity_clients as ic
from client_capabilities import skip_or_fail
from throwaway_tls import Pki, RecordingServer

MSFT = "login.microsoftonline.com"


need = skip_or_fail


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return Pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def rogue_pki(tmp_path_factory):
    return Pki(tmp_path_factory.mktemp("rogue"), label="rogue")


def json_route(doc: dict):
    return 200, "application/json", json.dumps(doc).encode()


def echo(seen):
    return json_route({"sni": seen.sni, "host": seen.host, "method": seen.method, "path": seen.path,
                       "body": seen.body.decode()})


@pytest.fixture
def good(pki):
    chain, key = pki.leaf("signin", ic.SIGN_IN_HOSTS)
    with RecordingServer(chain, key, {"/echo": echo}) as server:
        yield server


@pytest.fixture
def rogue(rogue_pki):
    chain, key = rogue_pki.leaf("signin", ic.SIGN_IN_HOSTS)
    with RecordingServer(chain, key, {"/echo": echo}) as server:
        yield server


@pytest.fixture
def misnamed(pki):
    chain, key = pki.leaf("other", ["other.example"])
    with RecordingServer(chain, key, {"/echo": echo}) as server:
        yield server


# --- requests (MSAL Python's transport) ---------------------------------------------------------
@pytest.mark.parametrize("host", ic.SIGN_IN_HOSTS)
def test_session_sends_the_real_name_to_loopback(host, good, pki):
    need(ic.missing_msal())
    session = ic.mapped_session(good.port, pki.ca_file)
    answer = session.get(f"https://{host}/echo?x=1", timeout=10).json()
    assert answer == {"sni": host, "host": host, "method": "GET", "path": "/echo?x=1", "body": ""}


def test_session_posts_forms(good, pki):
    need(ic.missing_msal())
    session = ic.mapped_session(good.port, pki.ca_file)
    answer = session.post(f"https://{MSFT}/echo", data={"grant_type": "client_credentials"}, timeout=10).json()
    assert (answer["method"], answer["body"], answer["sni"]) == ("POST", "grant_type=client_credentials", MSFT)


def test_session_refuses_a_name_it_does_not_map(good, pki):
    need(ic.missing_msal())
    import requests
    session = ic.mapped_session(good.port, pki.ca_file)
    for url in ("https://example.com/echo", f"http://{MSFT}/echo"):
        with pytest.raises(requests.ConnectionError, match="is not mapped to a local server"):
            session.get(url, timeout=10)
    assert good.seen == [] and good.handshake_errors == []


def test_session_rejects_a_certificate_from_another_ca(rogue, pki):
    need(ic.missing_msal())
    import requests
    with pytest.raises(requests.exceptions.SSLError, match="CERTIFICATE_VERIFY_FAILED"):
        ic.mapped_session(rogue.port, pki.ca_file).get(f"https://{MSFT}/echo", timeout=10)
    assert rogue.seen == []


def test_session_rejects_a_certificate_for_another_name(misnamed, pki):
    need(ic.missing_msal())
    import requests
    with pytest.raises(requests.exceptions.SSLError, match="match"):
        ic.mapped_session(misnamed.port, pki.ca_file).get(f"https://{MSFT}/echo", timeout=10)
    assert misnamed.seen == []


def test_msal_python_talks_through_the_session(pki):
    """MSAL itself (not just requests) goes through the mapping: its tenant discovery and device
    code request arrive with the real names."""
    need(ic.missing_msal())
    import msal
    base = f"https://{MSFT}/contoso.com"
    config = {"issuer": f"{base}/v2.0", "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
              "token_endpoint": f"{base}/oauth2/v2.0/token",
              "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode"}
    device = {"user_code": "EXOSIM42", "device_code": "dc-1", "verification_uri": "https://microsoft.com/devicelogin",
              "expires_in": 900, "interval": 5, "message": "To sign in, ..."}
    chain, key = pki.leaf("msal", ic.SIGN_IN_HOSTS)
    routes = {"/contoso.com/v2.0/.well-known/openid-configuration": json_route(config),
              "/common/discovery/instance": json_route({"tenant_discovery_endpoint":
                                                        f"{base}/v2.0/.well-known/openid-configuration"}),
              "/contoso.com/oauth2/v2.0/devicecode": json_route(device)}
    with RecordingServer(chain, key, routes) as server:
        app = msal.PublicClientApplication("0d3c5e7a-1b2f-4c6d-8e9a-3f5b7d9c1e33", authority=base,
                                           http_client=ic.mapped_session(server.port, pki.ca_file))
        flow = app.initiate_device_flow(scopes=["https://outlook.office.com/SMTP.Send"])
    assert flow["user_code"] == "EXOSIM42"
    assert {(s.sni, s.host) for s in server.seen} == {(MSFT, MSFT)}
    posted = [s for s in server.seen if s.method == "POST"]
    assert [s.path for s in posted] == ["/contoso.com/oauth2/v2.0/devicecode"]
    assert "client_id=0d3c5e7a-1b2f-4c6d-8e9a-3f5b7d9c1e33" in posted[0].body.decode()


# --- Chromium ------------------------------------------------------------------------------------
def test_host_resolver_rules_map_only_the_sign_in_names():
    assert ic.host_resolver_rules(1443, ("login.microsoftonline.com", "microsoft.com")) == (
        "MAP login.microsoftonline.com 127.0.0.1:1443, MAP microsoft.com 127.0.0.1:1443, "
        "MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1")


def form_page(seen):
    return 200, "text/html", (b"<html><head><title>Enter code</title></head><body><form method='post' "
                              b"action='/devicelogin'><input name='otc'><input type='submit' value='Next'>"
                              b"</form></body></html>")


def form_echo(seen):
    text = f"sni={seen.sni} host={seen.host} body={seen.body.decode()}"
    return 200, "text/html", f"<html><body><p id='echo'>{text}</p></body></html>".encode()


def test_chromium_fills_a_form_on_the_mapped_name(pki, tmp_path):
    need(ic.missing_browser())
    chain, key = pki.leaf("browser", ic.SIGN_IN_HOSTS)
    routes = {"/devicelogin": lambda s: form_page(s) if s.method == "GET" else form_echo(s)}
    with RecordingServer(chain, key, routes) as server, \
            ic.Chromium(server.port, pki.ca_file, tmp_path / "shots") as browser:
        browser.driver.get("https://microsoft.com/devicelogin")
        assert browser.driver.title == "Enter code"
        browser.shot("form")
        browser.fill_and_submit({"otc": "EXOSIM42"}, submit_text="Next")
        assert browser.text() == "sni=microsoft.com host=microsoft.com body=otc=EXOSIM42"
        browser.shot("posted")
        # Any other name stays unresolved: the browser cannot leave the machine.
        from selenium.common.exceptions import WebDriverException
        with pytest.raises(WebDriverException, match="ERR_NAME_NOT_RESOLVED"):
            browser.driver.get("https://example.com/")
    assert [p.read_bytes()[:8] for p in browser.shots] == [b"\x89PNG\r\n\x1a\n"] * 2
    assert [(s.method, s.path) for s in server.seen if s.path == "/devicelogin"] == [("GET", "/devicelogin"),
                                                                                     ("POST", "/devicelogin")]


def test_chromium_refuses_a_certificate_from_another_ca(rogue, pki, tmp_path):
    need(ic.missing_browser())
    with ic.Chromium(rogue.port, pki.ca_file, tmp_path / "shots") as browser:
        browser.driver.get(f"https://{MSFT}/echo")
        assert "ERR_CERT_AUTHORITY_INVALID" in browser.driver.page_source
    assert rogue.seen == []


# --- msal-node's network module -------------------------------------------------------------------
def probe(port: int, ca_file, method: str, *urls: str) -> list[dict]:
    proc = subprocess.run(["node", str(ic.CLIENTS_DIR / "mapped_probe.mjs"), str(port), str(ca_file), method, *urls],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_node_network_module_maps_names(good, pki):
    need(ic.missing_msal_node())
    results = probe(good.port, pki.ca_file, "POST", f"https://{MSFT}/echo", "https://sts.windows.net/echo",
                    "https://example.com/echo")
    assert [r.get("status") for r in results] == [200, 200, None]
    assert results[0]["body"] == {"sni": MSFT, "host": MSFT, "method": "POST", "path": "/echo",
                                  "body": "grant_type=probe&x=1"}
    assert results[1]["body"]["sni"] == "sts.windows.net"
    assert results[2]["error"] == "https://example.com is not mapped to a local server"


def test_node_network_module_checks_ca_and_name(rogue, misnamed, pki):
    need(ic.missing_msal_node())
    assert probe(rogue.port, pki.ca_file, "GET", f"https://{MSFT}/echo")[0]["code"] == "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"
    assert probe(misnamed.port, pki.ca_file, "GET", f"https://{MSFT}/echo")[0]["code"] == "ERR_TLS_CERT_ALTNAME_INVALID"
    assert rogue.seen == [] and misnamed.seen == []


# --- smtplib (the mail that follows every token) ---------------------------------------------------
def test_smtp_xoauth2_through_the_mapped_name(exosim):
    """xoauth2_send talks to exosim's submission port as smtp.office365.com, with a token from the
    control API, and the message is stored."""
    server = exosim()
    token = server.api.token("printer@contoso.com", ttl=600)
    message_id = ic.xoauth2_send(server.port("submission"), server.ca_file, "printer@contoso.com", token,
                                 "printer@contoso.com", "alice@contoso.com", "mapping")
    stored = server.wait_for_message(to="alice@contoso.com")
    assert f"Message-ID: {message_id}".encode() in stored.eml
    assert (stored.meta["auth_identity"], stored.meta["listener"]) == ("printer@contoso.com", "submission")
    assert stored.meta["tls"]["version"].startswith("TLSv1.")


# --- the sign-in page walker ---------------------------------------------------------------------
def page(title: str, inner: str, action: str) -> tuple[int, str, bytes]:
    return 200, "text/html", (f"<html><head><title>{title}</title></head><body><form method='post' action='{action}'>"
                              f"<input type='hidden' name='ctx' value='anti-forgery'>{inner}</form></body></html>").encode()


DEVICE_PAGES = {
    "/devicelogin": lambda s: page("Enter code", "<p>Enter code</p><input name='otc' type='text'>"
                                   "<input type='submit' value='Next'>", "/code"),
    "/code": lambda s: page("Sign in", "<input name='login' type='email'><input type='submit' value='Next'>", "/account"),
    "/account": lambda s: page("Enter password", "<input name='passwd' type='password'>"
                               "<input type='submit' value='Sign in'>", "/password"),
    "/password": lambda s: page("Consent", "<p>Are you trying to sign in to Contoso Print Fleet?</p>"
                                "<button type='submit' name='action' value='continue'>Continue</button>"
                                "<button type='submit' name='action' value='cancel'>Cancel</button>", "/consent"),
    "/consent": lambda s: (200, "text/html", b"<html><body><p>You have signed in to the Contoso Print Fleet application "
                                             b"on your device. You may now close this window.</p></body></html>"),
}


def test_sign_in_walker_follows_code_account_password_consent(pki, tmp_path):
    need(ic.missing_browser())
    chain, key = pki.leaf("pages", ic.SIGN_IN_HOSTS)
    with RecordingServer(chain, key, DEVICE_PAGES) as server, \
            ic.Chromium(server.port, pki.ca_file, tmp_path / "shots") as browser:
        browser.driver.get("https://microsoft.com/devicelogin")
        texts = ic.complete_sign_in(browser, code="EXOSIM42", user="printer@contoso.com", password="Printer-Pass-1",
                                    done=lambda b: "You have signed in" in b.text())
    posted = [(s.path, s.body.decode()) for s in server.seen if s.method == "POST"]
    assert posted == [("/code", "ctx=anti-forgery&otc=EXOSIM42"), ("/account", "ctx=anti-forgery&login=printer%40contoso.com"),
                      ("/password", "ctx=anti-forgery&passwd=Printer-Pass-1"),
                      ("/consent", "ctx=anti-forgery&action=continue")]
    assert len(texts) == 5 and texts[-1].startswith("You have signed in to the Contoso Print Fleet application")
    assert len(browser.shots) == 5


def test_sign_in_walker_stops_on_a_page_with_nothing_to_do(pki, tmp_path):
    need(ic.missing_browser())
    chain, key = pki.leaf("stuck", ic.SIGN_IN_HOSTS)
    routes = {"/devicelogin": (200, "text/html", b"<html><body><p>AADSTS50011: redirect mismatch</p></body></html>")}
    with RecordingServer(chain, key, routes) as server, \
            ic.Chromium(server.port, pki.ca_file, tmp_path / "shots") as browser:
        browser.driver.get("https://microsoft.com/devicelogin")
        with pytest.raises(AssertionError, match="(?s)sign-in stuck at https://microsoft.com/devicelogin .*AADSTS50011"):
            ic.complete_sign_in(browser, code="X", user="u", password="p")


# --- msal-node and MSAL Python end to end against a canned token endpoint ---------------------------
TID = "e5b2c6f0-3a4d-4c1e-9f7a-2d8b1c0e4a11"


def canned_entra() -> dict:
    """Just enough of Entra (reference §3) for the clients to run a grant: discovery, device code,
    and a token endpoint that answers every grant with the same access token."""
    base = f"https://{MSFT}/contoso.com"
    config = {"issuer": f"https://{MSFT}/{TID}/v2.0", "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
              "token_endpoint": f"{base}/oauth2/v2.0/token", "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
              "jwks_uri": f"https://{MSFT}/contoso.com/discovery/v2.0/keys", "response_modes_supported": ["query", "fragment", "form_post"],
              "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
              "tenant_region_scope": "WW", "cloud_instance_name": "microsoftonline.com"}
    instance = {"tenant_discovery_endpoint": f"{base}/v2.0/.well-known/openid-configuration", "api-version": "1.1",
                "metadata": [{"preferred_network": MSFT, "preferred_cache": "login.windows.net",
                              "aliases": [MSFT, "login.windows.net", "login.microsoft.com", "sts.windows.net"]}]}
    device = {"user_code": "EXOSIM42", "device_code": "dc-1", "verification_uri": "https://microsoft.com/devicelogin",
              "expires_in": 900, "interval": 1, "message": "To sign in, ..."}
    token = {"token_type": "Bearer", "scope": "https://outlook.office365.com/.default", "expires_in": 3599,
             "ext_expires_in": 3599, "access_token": "canned.access.token"}
    return {"/common/discovery/instance": json_route(instance),
            "/contoso.com/v2.0/.well-known/openid-configuration": json_route(config),
            "/contoso.com/oauth2/v2.0/devicecode": json_route(device),
            "/contoso.com/oauth2/v2.0/token": json_route(token)}


def jose_header(assertion: str) -> dict:
    part = assertion.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


@pytest.fixture(scope="module")
def app_cert(tmp_path_factory):
    """An RSA certificate and key as exosim issues an app's under tls/apps/<id>.{crt,key}.pem."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    import datetime
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "Contoso Scan Daemon")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
            .sign(key, hashes.SHA256()))
    base = tmp_path_factory.mktemp("apps") / "6a8c0e2f-4d1b-4f3a-9c5e-7b9d1f3a5c44"
    Path(f"{base}.crt.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    Path(f"{base}.key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))
    return base, cert.public_bytes(serialization.Encoding.DER)


def run_script(script: str, port: int, ca_file, *args: str) -> list[dict]:
    proc = subprocess.run(["node", str(ic.CLIENTS_DIR / script), str(port), str(ca_file), *args],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def token_posts(server) -> list[dict]:
    return [dict(urllib.parse.parse_qsl(s.body.decode())) for s in server.seen
            if s.method == "POST" and urllib.parse.urlsplit(s.path).path == "/contoso.com/oauth2/v2.0/token"]


@pytest.mark.parametrize("mode", ["secret", "certificate-sha1", "certificate-sha256"])
def test_msal_node_client_credentials_script(mode, pki, app_cert):
    need(ic.missing_msal_node())
    base, der = app_cert
    chain, key = pki.leaf("node-cc", ic.SIGN_IN_HOSTS)
    with RecordingServer(chain, key, canned_entra()) as server:
        lines = run_script("msal_node_client_credentials.mjs", server.port, pki.ca_file,
                           "6a8c0e2f-4d1b-4f3a-9c5e-7b9d1f3a5c44", mode, str(base))
    assert lines[-1]["accessToken"] == "canned.access.token"
    assert {(s.sni, s.host) for s in server.seen} == {(MSFT, MSFT)}
    [form] = token_posts(server)
    assert (form["grant_type"], form["scope"]) == ("client_credentials", "https://outlook.office365.com/.default")
    if mode == "secret":
        assert form["client_secret"] == "Exosim-Secret-1" and "client_assertion" not in form
        return
    header = jose_header(form["client_assertion"])
    b64 = lambda digest: base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    if mode == "certificate-sha1":
        assert (header["alg"], header["x5t"]) == ("RS256", b64(hashlib.sha1(der).digest()))
    else:
        assert (header["alg"], header["x5t#S256"]) == ("PS256", b64(hashlib.sha256(der).digest()))
    assert form["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def test_msal_node_device_code_script(pki):
    need(ic.missing_msal_node())
    chain, key = pki.leaf("node-dc", ic.SIGN_IN_HOSTS)
    with RecordingServer(chain, key, canned_entra()) as server:
        lines = run_script("msal_node_device_code.mjs", server.port, pki.ca_file, "0d3c5e7a-1b2f-4c6d-8e9a-3f5b7d9c1e33")
    assert lines[0]["userCode"] == "EXOSIM42" and lines[0]["verificationUri"] == "https://microsoft.com/devicelogin"
    assert lines[-1]["accessToken"] == "canned.access.token"
    [form] = token_posts(server)
    # msal-node sends the short grant name, not RFC 8628's URN (MSAL Python sends the URN): Entra
    # takes both, so the sign-in service must.
    assert (form["grant_type"], form["device_code"]) == ("device_code", "dc-1")


def test_msal_python_certificate_assertion(pki, app_cert):
    """MSAL Python's client assertion carries the SHA-1 thumbprint (x5t), and with
    public_certificate the certificate (x5c)."""
    need(ic.missing_msal())
    import msal
    base, der = app_cert
    chain, key = pki.leaf("py-cc", ic.SIGN_IN_HOSTS)
    credential = {"private_key": Path(f"{base}.key.pem").read_text(), "thumbprint": hashlib.sha1(der).hexdigest(),
                  "public_certificate": Path(f"{base}.crt.pem").read_text()}
    with RecordingServer(chain, key, canned_entra()) as server:
        app = msal.ConfidentialClientApplication("6a8c0e2f-4d1b-4f3a-9c5e-7b9d1f3a5c44", client_credential=credential,
                                                 authority=f"https://{MSFT}/contoso.com",
                                                 http_client=ic.mapped_session(server.port, pki.ca_file))
        result = app.acquire_token_for_client(scopes=["https://outlook.office365.com/.default"])
    assert result["access_token"] == "canned.access.token", result
    [form] = token_posts(server)
    header = jose_header(form["client_assertion"])
    assert header["alg"] == "RS256"
    # MSAL Python 1.21 keeps the base64url padding in x5t (RFC 7515 says without): a sign-in
    # service must take both.
    assert header["x5t"] == base64.urlsafe_b64encode(hashlib.sha1(der).digest()).decode()
    # ... and x5c is the PEM body with its line breaks, as one string in a list.
    [x5c] = header["x5c"]
    assert "\n" in x5c and base64.b64decode(x5c) == der


def test_msal_python_device_flow_form(pki):
    """What MSAL Python 1.21 posts for the device flow, which the sign-in service must take: the
    scope with the three it adds, then polls with RFC 8628's grant URN."""
    need(ic.missing_msal())
    import msal
    chain, key = pki.leaf("py-dc", ic.SIGN_IN_HOSTS)
    with RecordingServer(chain, key, canned_entra()) as server:
        app = msal.PublicClientApplication("0d3c5e7a-1b2f-4c6d-8e9a-3f5b7d9c1e33", authority=f"https://{MSFT}/contoso.com",
                                           http_client=ic.mapped_session(server.port, pki.ca_file))
        flow = app.initiate_device_flow(scopes=["https://outlook.office.com/SMTP.Send"])
        result = app.acquire_token_by_device_flow(flow)
    assert result["access_token"] == "canned.access.token", result
    # The poll carries no scope, and the device code twice (`code` too), plus client_info=1.
    assert token_posts(server) == [{"client_id": "0d3c5e7a-1b2f-4c6d-8e9a-3f5b7d9c1e33", "client_info": "1",
                                    "grant_type": "urn:ietf:params:oauth:grant-type:device_code", "code": "dc-1",
                                    "device_code": "dc-1"}]
    [asked] = [dict(urllib.parse.parse_qsl(s.body.decode())) for s in server.seen if s.path.endswith("/devicecode")]
    assert sorted(asked["scope"].split()) == ["https://outlook.office.com/SMTP.Send", "offline_access", "openid", "profile"]


@pytest.mark.parametrize("echo_nonce", [True, False])
def test_msal_python_auth_code_needs_the_nonce_echoed(pki, echo_nonce):
    """MSAL Python asks for openid with a `nonce` on /authorize and refuses the answer unless the
    id_token carries that nonce verbatim: the sign-in service must copy it from the authorize
    request into the id_token of the code's redemption."""
    need(ic.missing_msal())
    import msal
    asked = {}

    def unsigned(claims: dict) -> str:
        enc = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()
        return f"{enc({'alg': 'RS256', 'typ': 'JWT'})}.{enc(claims)}.sig"

    def token(seen):
        now = int(time.time())
        claims = {"aud": "0d3c5e7a-1b2f-4c6d-8e9a-3f5b7d9c1e33", "iss": f"https://{MSFT}/{TID}/v2.0", "iat": now, "nbf": now,
                  "exp": now + 3600, "oid": "o-1", "sub": "s-1", "tid": TID, "preferred_username": "printer@contoso.com",
                  "ver": "2.0"}
        if echo_nonce:
            claims["nonce"] = asked["nonce"]
        return json_route({"token_type": "Bearer", "scope": "https://outlook.office.com/SMTP.Send", "expires_in": 3599,
                           "access_token": "canned.access.token", "refresh_token": "rt-1", "id_token": unsigned(claims)})

    chain, key = pki.leaf("py-ac", ic.SIGN_IN_HOSTS)
    routes = canned_entra() | {"/contoso.com/oauth2/v2.0/token": token}
    with RecordingServer(chain, key, routes) as server:
        app = msal.PublicClientApplication("0d3c5e7a-1b2f-4c6d-8e9a-3f5b7d9c1e33", authority=f"https://{MSFT}/contoso.com",
                                           http_client=ic.mapped_session(server.port, pki.ca_file))
        flow = app.initiate_auth_code_flow(["https://outlook.office.com/SMTP.Send"], redirect_uri="http://localhost:8400")
        asked.update(urllib.parse.parse_qsl(urllib.parse.urlsplit(flow["auth_uri"]).query))
        assert (asked["code_challenge_method"], asked["response_type"]) == ("S256", "code")
        if not echo_nonce:
            with pytest.raises(RuntimeError, match="The nonce in id token"):
                app.acquire_token_by_auth_code_flow(flow, {"code": "c-1", "state": flow["state"]})
            return
        result = app.acquire_token_by_auth_code_flow(flow, {"code": "c-1", "state": flow["state"]})
    assert result["access_token"] == "canned.access.token"
    [form] = token_posts(server)
    assert (form["grant_type"], form["code"], form["redirect_uri"]) == ("authorization_code", "c-1", "http://localhost:8400")
    assert form["code_verifier"] and app.get_accounts()[0]["username"] == "printer@contoso.com"
