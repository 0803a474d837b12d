"""The OAuth adapters of client_under_test/adapters/ (issue 13 "Third-party OAuth clients"), each
run by hand against `exosim serve` the way `exosim certify` runs a command template: the template's
placeholders filled and shell-quoted, /bin/sh -c from the repository root. Device codes are approved
over the control API by a background approver, as the harness does unattended. A client that is
not installed skips with its Debian or npm package (client_capabilities.py); CI fails instead."""
from __future__ import annotations

import json
import re
import subprocess
import threading
from pathlib import Path

import pytest

import client_capabilities as caps
from exosim_pytest.server import ExosimServer, find_binary
from oauth_client_helpers import AUTHORITY, PRINT_FLEET, PRINTER, RCPT, SCAN_DAEMON, SECRET, identity_requests

ROOT = Path(__file__).resolve().parents[2]
ADAPTERS = ROOT / "client_under_test" / "adapters"
SAFE = re.compile(r"^[A-Za-z0-9_@%+=:,./-]+$")
DELEGATED = "https://outlook.office.com/SMTP.Send offline_access"
APP_ONLY = "https://outlook.office365.com/.default"
# adapter -> (tool in client_capabilities, flows it supports)
ADAPTER_TOOLS = {"exosim-client-oauth": (None, ("device", "secret", "cert")), "msal": ("msal", ("device", "secret")),
                 "nodemailer-oauth": ("nodemailer", ("device",)), "msmtp-oauth": ("msmtp", ("device", "secret")),
                 "curl-oauth": ("curl", ("device", "secret"))}


def shell_quote(value: str) -> str:
    """As the harness quotes placeholder values (command_template.cpp)."""
    if value == "":
        return "''"
    return value if SAFE.match(value) else "'" + value.replace("'", "'\\''") + "'"


def fill(template: str, values: dict[str, str]) -> str:
    return re.sub(r"\{([a-z_]+)\}", lambda m: shell_quote(values.get(m.group(1), "")), template)


class Approver:
    """Approves every pending device code as the printer (the harness's unattended approval)."""

    def __init__(self, server: ExosimServer):
        self.server, self.approved, self._stop = server, [], threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            for code in self.server.api.get("identity/device-codes")["device_codes"]:
                try:
                    self.server.api.post(f"identity/device-codes/{code['user_code']}/approve", {"user": PRINTER})
                    self.approved.append(code["user_code"])
                except Exception:  # approved or gone meanwhile
                    pass

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = ExosimServer(tmp_path_factory.mktemp("exosim-oauth-adapters"))
    yield s
    s.stop()


def values(server: ExosimServer, flow: str, scenario: str) -> dict[str, str]:
    base = server.data_dir / "tls" / "apps" / SCAN_DAEMON
    v = {"host": "127.0.0.1", "port": str(server.port("submission")), "security": "starttls", "auth": "xoauth2",
         "user": PRINTER, "ca": str(server.ca_file), "ca_file": str(server.ca_file), "servername": "smtp.office365.com",
         "from": PRINTER, "to_all": RCPT, "subject": f"adapter {scenario}", "body": "hello from an OAuth adapter",
         "scenario": scenario, "authority": AUTHORITY, "identity_address": f"127.0.0.1:{server.port('identity')}",
         "tenant_id": "e5b2c6f0-3a4d-4c1e-9f7a-2d8b1c0e4a11", "exosim_client": str(find_binary("exosim-client")),
         "client_id": PRINT_FLEET, "scope": DELEGATED}
    if flow == "secret":
        v.update(client_id=SCAN_DAEMON, client_secret=SECRET, scope=APP_ONLY)
    elif flow == "cert":
        v.update(client_id=SCAN_DAEMON, app_cert=f"{base}.crt.pem", app_key=f"{base}.key.pem", scope=APP_ONLY)
    return v


def run_adapter(name: str, v: dict[str, str], state: Path) -> subprocess.CompletedProcess:
    command = fill((ADAPTERS / f"{name}.cmd").read_text().strip(), v)
    return subprocess.run(["/bin/sh", "-c", command], cwd=ROOT, capture_output=True, text=True, timeout=90,
                          env={"PATH": "/usr/bin:/bin:/usr/local/bin", "EXOSIM_OAUTH_STATE": str(state), "HOME": str(state)})


def delivered(server: ExosimServer, scenario: str) -> dict:
    return server.api.wait_for_message(to=RCPT, timeout=10,
                                       predicate=lambda m: f"adapter {scenario}".encode() in server.api.raw(m["id"]))


CASES = [(name, flow) for name, (_, flows) in ADAPTER_TOOLS.items() for flow in flows]


@pytest.mark.parametrize("name,flow", CASES, ids=[f"{n}-{f}" for n, f in CASES])
def test_adapter_gets_its_token_and_sends(server, tmp_path, name, flow):
    tool = ADAPTER_TOOLS[name][0]
    if tool:
        caps.require(tool)
    if name == "msal":
        caps.require("msal")
    scenario = f"{name}-{flow}"
    approver = Approver(server)
    try:
        first = run_adapter(name, values(server, flow, scenario), tmp_path)
    finally:
        approver.stop()
    assert first.returncode == 0, first.stdout + first.stderr
    msg = delivered(server, scenario)
    assert msg["auth_identity"] == PRINTER
    assert bool(approver.approved) == (flow == "device"), approver.approved

    # A second run signs in no more: the cache (or a refresh from it) gives the token.
    before = len(identity_requests(server, 200))
    second = run_adapter(name, values(server, flow, scenario), tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    if flow == "device":
        new = identity_requests(server, 200)[before:]
        assert not any(q.get("grant") in ("device_code", "urn:ietf:params:oauth:grant-type:device_code") for q in new), new


def test_token_helper_corrupt_cache_is_a_clear_error(server, tmp_path):
    cache = tmp_path / "c.json"
    cache.write_text("{")
    p = subprocess.run(["/usr/bin/python3", str(ADAPTERS / "oauth_token_helper.py"), "--authority", AUTHORITY,
                        "--client-id", PRINT_FLEET, "--cache", str(cache)], capture_output=True, text=True, timeout=30)
    assert p.returncode == 4 and "is corrupt" in p.stderr and p.stdout == "", p


def test_token_helper_keeps_the_newest_refresh_token(server, tmp_path):
    cache = tmp_path / "c.json"
    env_args = ["/usr/bin/python3", str(ADAPTERS / "oauth_token_helper.py"), "--authority", AUTHORITY, "--client-id",
                PRINT_FLEET, "--identity-address", f"127.0.0.1:{server.port('identity')}", "--ca", str(server.ca_file),
                "--cache", str(cache)]
    approver = Approver(server)
    try:
        assert subprocess.run(env_args, capture_output=True, timeout=60).returncode == 0
    finally:
        approver.stop()
    first = json.loads(cache.read_text())
    cache.write_text(json.dumps(dict(first, expires_at=0)))
    p = subprocess.run(env_args, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert json.loads(cache.read_text())["refresh_token"] != first["refresh_token"]
    assert identity_requests(server)[-1]["grant"] == "refresh_token"
