"""Real OAuth clients pointed at exosim's sign-in service without touching /etc/hosts.

Every client keeps Microsoft's real host names (`https://login.microsoftonline.com/contoso.com`) and
verifies TLS against a given CA, exactly as a device does; only the TCP connection goes to
127.0.0.1:<port>. The name mapping lives inside each client:

- MSAL Python and any `requests` user: `mapped_session(port, ca)` is a `requests.Session` whose
  transport opens its sockets to the mapped address while SNI, the Host header and the certificate
  name check still use the URL's host. A host that is not mapped is refused before any socket is
  opened, so a test can never reach the real Microsoft.
- Chromium: `Chromium(...)` starts it headless under Selenium with `--host-resolver-rules` mapping
  the names (every other name fails to resolve) and the CA added to a throwaway NSS store in a
  temporary HOME (Chromium on Linux trusts user-added roots there); no certificate errors are
  ignored.
- msal-node: `clients/exosim_network.mjs` is an `INetworkModule` doing the same with node's https.
- smtplib: `MappedSMTP` connects to 127.0.0.1 while TLS checks `smtp.office365.com`.

Missing clients are reported by `missing_*()` with the Debian or npm package that provides them.
"""
from __future__ import annotations

import base64
import contextlib
import http.server
import os
import shutil
import smtplib
import socket
import ssl
import subprocess
import tempfile
import threading
import urllib.parse
from pathlib import Path

# The names exosim's sign-in certificate carries (issue 14, "Listener and certificate").
SIGN_IN_HOSTS = ("login.microsoftonline.com", "login.microsoft.com", "login.windows.net", "sts.windows.net",
                 "microsoft.com", "www.microsoft.com")
CLIENTS_DIR = Path(__file__).parent / "clients"
LOOPBACK = "127.0.0.1"


# --- what is installed ----------------------------------------------------------------------------
# One table (client_capabilities.py, also read by ci/preflight) names the package of each client.
def _missing(*tools: str) -> str | None:
    import client_capabilities as caps
    return "; ".join(r for r in (caps.missing(t) for t in tools) if r) or None


def missing_msal() -> str | None:
    return _missing("msal")


def missing_browser() -> str | None:
    return _missing("selenium", "chromium", "chromedriver", "certutil")


def missing_msal_node() -> str | None:
    return _missing("msal-node")


# --- requests / MSAL Python ----------------------------------------------------------------------
def mapped_session(port: int, ca_file: str | os.PathLike, hosts=SIGN_IN_HOSTS, address: str = LOOPBACK):
    """A `requests.Session` that sends https://<host>/... for each of `hosts` to address:port,
    verifying the server against `ca_file` under the URL's host name. Pass it to MSAL as
    `http_client=`."""
    import requests

    session = requests.Session()
    session.trust_env = False  # no proxy from the environment, no .netrc
    session.verify = str(ca_file)
    session.mount("https://", _mapped_adapter({h.lower(): (address, port) for h in hosts}))
    session.mount("http://", _mapped_adapter({}))  # plain http goes nowhere
    return session


def _mapped_adapter(targets: dict[str, tuple[str, int]]):
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
    from urllib3.exceptions import NewConnectionError
    from urllib3.util import connection

    def new_conn(conn):
        """The socket for `conn`: to the mapped address, never to the name's real address. The
        connection keeps `conn.host`, which urllib3 uses for SNI and the certificate check."""
        target = targets.get(conn.host.lower().rstrip("."))
        if target is None:
            raise NewConnectionError(conn, f"{conn.host} is not mapped to a local server (mapped: "
                                           f"{', '.join(sorted(targets))})")
        try:
            return connection.create_connection(target, conn.timeout, socket_options=conn.socket_options)
        except OSError as e:
            raise NewConnectionError(conn, f"connecting to {target[0]}:{target[1]} for {conn.host}: {e}") from e

    class MappedHTTPS(HTTPSConnection):
        _new_conn = new_conn

    class MappedHTTP(HTTPConnection):
        _new_conn = new_conn

    class MappedHTTPSPool(HTTPSConnectionPool):
        ConnectionCls = MappedHTTPS

    class MappedHTTPPool(HTTPConnectionPool):
        ConnectionCls = MappedHTTP

    class MappedAdapter(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = {"http": MappedHTTPPool, "https": MappedHTTPSPool}

    return MappedAdapter()


# --- SMTP with XOAUTH2 ---------------------------------------------------------------------------
class MappedSMTP(smtplib.SMTP):
    """smtplib.SMTP that connects to 127.0.0.1 whatever host it is given, so that STARTTLS sends
    SNI and checks the certificate for that host (`smtp.office365.com`)."""

    def _get_socket(self, host, port, timeout):
        return socket.create_connection((LOOPBACK, port), timeout, self.source_address)


def xoauth2_send(port: int, ca_file, user: str, token: str, mail_from: str, rcpt: str, subject: str,
                 host: str = "smtp.office365.com") -> str:
    """Sends one message with STARTTLS and AUTH XOAUTH2 (smtplib's own AUTH path; the SASL string
    is reference §5's). Returns the Message-ID header it put in the message. Raises
    smtplib.SMTPAuthenticationError with the server's code and text when AUTH fails."""
    message_id = f"<{base64.b32encode(os.urandom(10)).decode().lower()}@idclients.test>"
    body = (f"From: {mail_from}\r\nTo: {rcpt}\r\nSubject: {subject}\r\nMessage-ID: {message_id}\r\n\r\n"
            "Sent with an access token from exosim's sign-in service.\r\n")
    context = ssl.create_default_context(cafile=str(ca_file))
    with MappedSMTP(host, port, timeout=20) as smtp:
        smtp.ehlo("printer.contoso.test")
        smtp.starttls(context=context)
        smtp.ehlo("printer.contoso.test")
        smtp.auth("XOAUTH2", lambda challenge=None: "" if challenge else f"user={user}\x01auth=Bearer {token}\x01\x01")
        smtp.sendmail(mail_from, [rcpt], body.encode())
    return message_id


# --- Chromium ------------------------------------------------------------------------------------
def host_resolver_rules(port: int, hosts=SIGN_IN_HOSTS, address: str = LOOPBACK) -> str:
    """Chromium's --host-resolver-rules: each sign-in name to address:port, every other name (but
    localhost, where redirects land) unresolvable, so the browser never leaves the machine."""
    rules = [f"MAP {h} {address}:{port}" for h in hosts]
    return ", ".join(rules + ["MAP * ~NOTFOUND", "EXCLUDE localhost", f"EXCLUDE {address}"])


class Chromium:
    """Headless Chromium under Selenium that resolves the sign-in names to 127.0.0.1:`port` and trusts
    `ca_file` as a root, as a lab browser with exosim's CA installed does. `shot(name)` keeps a
    screenshot (and the page source) in `artifacts`."""

    def __init__(self, port: int, ca_file, artifacts: Path, hosts=SIGN_IN_HOSTS):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.artifacts = Path(artifacts)
        self.artifacts.mkdir(parents=True, exist_ok=True)
        self.shots: list[Path] = []
        self.home = Path(tempfile.mkdtemp(prefix="exosim-chromium-"))
        nssdb = self.home / ".pki" / "nssdb"
        nssdb.mkdir(parents=True)
        subprocess.run(["certutil", "-N", "-d", f"sql:{nssdb}", "--empty-password"], check=True,
                       capture_output=True)
        subprocess.run(["certutil", "-A", "-d", f"sql:{nssdb}", "-n", "exosim test CA", "-t", "C,,",
                        "-i", str(ca_file)], check=True, capture_output=True)
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--disable-extensions",
                    "--window-size=1024,900", f"--user-data-dir={self.home / 'profile'}",
                    f"--host-resolver-rules={host_resolver_rules(port, hosts)}"):
            options.add_argument(arg)
        env = dict(os.environ, HOME=str(self.home))
        service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver", env=env,
                          log_path=str(self.artifacts / "chromedriver.log"))
        try:
            self.driver = webdriver.Chrome(service=service, options=options)
        except Exception:
            shutil.rmtree(self.home, ignore_errors=True)
            raise
        self.driver.set_page_load_timeout(30)

    def shot(self, name: str) -> Path:
        path = self.artifacts / f"{len(self.shots) + 1:02d}-{name}.png"
        self.driver.save_screenshot(str(path))
        path.with_suffix(".html").write_text(self.driver.page_source)
        self.shots.append(path)
        return path

    def text(self) -> str:
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.TAG_NAME, "body").text

    def fill_and_submit(self, fields: dict[str, str], submit_text: str | None = None) -> None:
        """Types each value into the visible input whose `name` is the key, then submits the form:
        the button whose value or text is `submit_text`, else the form's first submit button."""
        from selenium.webdriver.common.by import By

        element = None
        for name, value in fields.items():
            element = self.driver.find_element(By.NAME, name)
            element.clear()
            element.send_keys(value)
        buttons = self.driver.find_elements(By.CSS_SELECTOR, "input[type=submit], button[type=submit], button:not([type])")
        if submit_text is not None:
            buttons = [b for b in buttons if submit_text in ((b.get_attribute("value") or "") + b.text)]
        if buttons:
            self.click_and_wait(buttons[0])
        elif element is not None:
            self.click_and_wait(element, submit=True)
        else:
            raise AssertionError(f"no submit button {submit_text!r} on {self.driver.current_url}")

    def click_and_wait(self, element, submit: bool = False, timeout: float = 20) -> None:
        """Clicks (or submits) and waits until the browser has left the page: click() returns as soon
        as the event is dispatched, before the next page replaces this one."""
        from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait

        old = self.driver.find_element(By.TAG_NAME, "html")
        element.submit() if submit else element.click()

        # staleness_of() knows only StaleElementReferenceException; mid-navigation chromedriver
        # can instead answer "Node with given id does not belong to the document" (seen under
        # ASan, where the server answers slowly), which means the same: the page was replaced.
        def left(_driver) -> bool:
            try:
                old.is_enabled()
                return False
            except StaleElementReferenceException:
                return True
            except WebDriverException as e:
                if "does not belong to the document" in str(e) or "No node with given id" in str(e):
                    return True
                raise

        WebDriverWait(self.driver, timeout).until(left)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.driver.quit()
        shutil.rmtree(self.home, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# --- a loopback redirect target ------------------------------------------------------------------
class RedirectCatcher:
    """An HTTP server on 127.0.0.1:<free port> that takes the first authorization response (query
    string of a GET, or a form_post body) and answers with a plain page; `wait()` returns the
    parameters as a dict. `redirect_uri` is http://localhost:<port>, which Entra accepts for any port
    when `http://localhost` is registered."""

    def __init__(self, path: str = "/"):
        self.params: dict[str, str] | None = None
        self._got = threading.Event()
        catcher = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _take(self, query: str) -> None:
                if catcher.params is None:
                    catcher.params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
                    catcher._got.set()
                body = b"<html><body><h1>Authentication complete</h1></body></html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                self._take(urllib.parse.urlsplit(self.path).query)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                self._take(self.rfile.read(length).decode("latin-1"))

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer((LOOPBACK, 0), Handler)
        self.port = self.server.server_address[1]
        self.redirect_uri = f"http://localhost:{self.port}{path}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def wait(self, timeout: float = 30.0) -> dict[str, str]:
        if not self._got.wait(timeout):
            raise TimeoutError(f"no authorization response at {self.redirect_uri} after {timeout}s")
        assert self.params is not None
        return self.params

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def artifacts_dir(tmp_path: Path, test_name: str) -> Path:
    """Where a test keeps its screenshots: $EXOSIM_ARTIFACTS/<test> when set (CI keeps it), else
    the test's pytest temporary directory."""
    base = os.environ.get("EXOSIM_ARTIFACTS")
    path = Path(base) / test_name if base else tmp_path / "artifacts"
    path.mkdir(parents=True, exist_ok=True)
    return path


# --- the sign-in pages ---------------------------------------------------------------------------
def complete_sign_in(browser: Chromium, *, user: str, password: str, code: str | None = None,
                     done=lambda browser: False, max_steps: int = 8) -> list[str]:
    """Walks the sign-in pages as a person would: enters the device code (when given) in the first
    text field it is asked for, then the account, then the password, then accepts ("Continue",
    "Yes", ...), until `done(browser)` or the browser leaves the sign-in names (a redirect to
    localhost). Fields are found by type and visibility, not by id. Screenshots every page; returns
    the pages' texts in order. Fails with the page's text when a page offers nothing to do."""
    from selenium.webdriver.common.by import By

    texts: list[str] = []
    entered_code = code is None
    for step in range(max_steps):
        url = browser.driver.current_url
        if urllib.parse.urlsplit(url).hostname in ("localhost", LOOPBACK):
            return texts
        text = browser.text()
        texts.append(text)
        browser.shot(f"step{step + 1}")
        if done(browser):
            return texts
        inputs = [e for e in browser.driver.find_elements(By.CSS_SELECTOR, "input")
                  if e.is_displayed() and (e.get_attribute("type") or "text") in ("text", "email", "password", "tel")]
        passwords = [e for e in inputs if e.get_attribute("type") == "password"]
        if passwords:
            browser.fill_and_submit({passwords[0].get_attribute("name"): password})
        elif inputs and not entered_code:
            browser.fill_and_submit({inputs[0].get_attribute("name"): code})
            entered_code = True
        elif inputs:
            browser.fill_and_submit({inputs[0].get_attribute("name"): user})
        else:
            buttons = [b for b in browser.driver.find_elements(By.CSS_SELECTOR, "input[type=submit], button")
                       if b.is_displayed()]
            accept = [b for b in buttons if {b.text.strip(), (b.get_attribute("value") or "").strip()}
                      & {"Continue", "Yes", "Accept", "Next", "Sign in", "Allow"}]
            if not accept:
                raise AssertionError(f"sign-in stuck at {url} (step {step + 1}):\n{text}")
            browser.click_and_wait(accept[0])
    raise AssertionError(f"sign-in did not finish in {max_steps} pages; last at {browser.driver.current_url}:\n"
                         + (texts[-1] if texts else ""))


def jwt_claims(token: str) -> dict:
    """The payload of a JWS compact token, not verified (the SMTP endpoint verifies it)."""
    import json
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
