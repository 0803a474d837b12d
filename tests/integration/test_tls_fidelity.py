"""Exchange profiles offer what Microsoft publishes (reference exchange-online-smtp.md §8), probed as
a new user would: `openssl s_client -starttls smtp` with one suite at a time.

- TLS 1.2 is the highest version by default (TLS 1.3 is refused unless a listener sets max "1.3");
- on TLS 1.2 exactly the 8 published suites, chosen in the published order (server preference);
- on TLS 1.0/1.1 (handshakes that then end in 421 4.7.66) the suites the reference lists for them.
"""
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from client_capabilities import skip_or_fail
from configs import exo_config

MICROSOFT_TLS12 = ["ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-SHA384",
                   "ECDHE-RSA-AES128-SHA256", "ECDHE-RSA-AES256-SHA", "ECDHE-RSA-AES128-SHA",
                   "AES256-GCM-SHA384", "AES128-GCM-SHA256"]
# §8: usable with TLS 1.0/1.1 (the SHA-256 CBC suites it also names exist only in TLS 1.2).
MICROSOFT_LEGACY = ["ECDHE-RSA-AES256-SHA", "ECDHE-RSA-AES128-SHA", "AES256-SHA", "AES128-SHA"]

VERSION_FLAG = {"1.0": "-tls1", "1.1": "-tls1_1", "1.2": "-tls1_2", "1.3": "-tls1_3"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not shutil.which("openssl"):
        skip_or_fail("openssl is not installed (Debian openssl, ci/setup-deps tests)")
    from exosim_pytest.server import ExosimServer
    s = ExosimServer(tmp_path_factory.mktemp("tls"), extra_args=["--no-control"])  # the embedded default
    yield s
    s.stop()


def handshake(port: int, version: str, ciphers: str | None = None) -> tuple[str, str] | None:
    """(protocol, cipher) the server chose, or None when the handshake failed."""
    args = ["openssl", "s_client", "-starttls", "smtp", "-connect", f"127.0.0.1:{port}", VERSION_FLAG[version],
            "-servername", "smtp.office365.com"]
    if ciphers:
        args += ["-cipher", ciphers + ":@SECLEVEL=0"]
    elif version in ("1.0", "1.1"):
        args += ["-cipher", "DEFAULT:@SECLEVEL=0"]
    out = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=20).stdout
    for line in out.splitlines():
        if line.startswith("New, ") and "Cipher is" in line:
            proto, cipher = line[5:].split(", Cipher is ")
            return (proto, cipher.strip()) if cipher.strip() != "(NONE)" else None
    return None


def client_suites(version: str) -> list[str]:
    """Every TLS <= 1.2 suite this openssl can offer at `version` (TLS 1.3 suites are not -cipher's)."""
    out = subprocess.run(["openssl", "ciphers", "-s", VERSION_FLAG[version], "ALL:COMPLEMENTOFALL:@SECLEVEL=0"],
                         capture_output=True, text=True, check=True).stdout.strip()
    return [c for c in out.split(":") if c and not c.startswith("TLS_")]


def accepted(port: int, version: str) -> set[str]:
    suites = client_suites(version)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda c: handshake(port, version, c), suites))
    return {c for c, r in zip(suites, results) if r is not None and r[1] == c}


def server_order(port: int, version: str, suites: list[str]) -> list[str]:
    """Offer every suite in reverse order and remove the server's pick, until none is left."""
    left, order = list(reversed(suites)), []
    while left:
        r = handshake(port, version, ":".join(left))
        assert r is not None, left
        order.append(r[1])
        left.remove(r[1])
    return order


def test_tls12_offers_exactly_microsofts_suites_in_its_order(server):
    port = server.port("submission")
    assert accepted(port, "1.2") == set(MICROSOFT_TLS12)
    assert server_order(port, "1.2", MICROSOFT_TLS12) == MICROSOFT_TLS12


@pytest.mark.parametrize("listener", ["legacy", "mx"])
def test_other_exchange_endpoints_serve_the_same_tls12_list(server, listener):
    port = server.port(listener)
    for extra in ["AES128-SHA", "ECDHE-RSA-CHACHA20-POLY1305", "AES256-SHA256", "DHE-RSA-AES256-GCM-SHA384"]:
        assert handshake(port, "1.2", extra) is None, (listener, extra)
    assert server_order(port, "1.2", MICROSOFT_TLS12) == MICROSOFT_TLS12


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_legacy_versions_offer_the_reference_suites(server, version):
    port = server.port("submission")
    assert accepted(port, version) == set(MICROSOFT_LEGACY)
    assert server_order(port, version, MICROSOFT_LEGACY) == MICROSOFT_LEGACY


@pytest.mark.parametrize("listener", ["submission", "legacy", "mx"])
def test_tls13_is_not_offered_by_default(server, listener):
    assert handshake(server.port(listener), "1.3") is None
    assert handshake(server.port(listener), "1.2")[0] == "TLSv1.2"


def test_tls13_is_a_setting(exosim):
    cfg = exo_config()
    for listener in cfg["listeners"]:
        listener["tls"]["max"] = "1.3"
    s = exosim(cfg)
    assert handshake(s.port("submission"), "1.3")[0] == "TLSv1.3"
    assert handshake(s.port("submission"), "1.2", "AES128-SHA") is None  # the suites stay Microsoft's


def test_explicit_ciphers_replace_microsofts_list(exosim):
    cfg = exo_config()
    cfg["listeners"][0]["tls"]["ciphers"] = "ECDHE-RSA-CHACHA20-POLY1305"
    s = exosim(cfg)
    assert handshake(s.port("submission"), "1.2", "ECDHE-RSA-CHACHA20-POLY1305") == \
        ("TLSv1.2", "ECDHE-RSA-CHACHA20-POLY1305")
    assert handshake(s.port("submission"), "1.2", "ECDHE-RSA-AES256-GCM-SHA384") is None
