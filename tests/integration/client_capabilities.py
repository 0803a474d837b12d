"""What each third-party tool must be able to do for the suite's expected verdicts to hold, and
which Debian package provides it (issue 10). ci/setup-deps installs with --no-install-recommends,
so a tool can be present and still lack the capability a test assumes (swaks without Net::SSLeay
has no TLS). One table serves two readers:

- ci/preflight checks every row before the suites run and fails at once naming the package;
- the tests ask `require(client)`: a missing capability fails under EXOSIM_REQUIRE_CLIENTS (CI)
  and is skipped otherwise, with the same message.

A row marked `optional` belongs to a feature whose packages are not yet in ci/setup-deps (the OAuth
browser flow): it is checked once its package is named there, and reported as "not yet required"
until then.
"""
from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
ADAPTERS = ROOT / "client_under_test" / "adapters"
IDENTITY_CLIENTS = ROOT / "tests" / "integration" / "clients"  # @azure/msal-node
IDENTITY_BENCH = ROOT / "bench" / "identity"                    # oauth2-mock-server
SETUP_DEPS = ROOT / "ci" / "setup-deps"
PYTHON = "/usr/bin/python3"
# smtp-sink and smtp-source live in /usr/sbin, which a user's PATH may lack (bench/run.sh adds it).
SBIN_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin"])


def _run(args: list[str], cwd: Path | None = None) -> tuple[int, str]:
    try:
        p = subprocess.run(args, capture_output=True, text=True, errors="replace", timeout=30, cwd=cwd)
    except FileNotFoundError:
        return 127, f"{args[0]}: not found"
    except subprocess.TimeoutExpired:
        return 124, f"{' '.join(args)}: timed out"
    return p.returncode, p.stdout + p.stderr


def _which(program: str, path: str | None = None) -> str | None:
    return None if shutil.which(program, path=path) else f"{program} is not on PATH"


def _swaks_support(feature: str) -> str | None:
    """`swaks --support` prints '=== <feature> supported' or '*** <feature> not available: ...'."""
    if shutil.which("swaks") is None:
        return "swaks is not on PATH"
    _, out = _run(["swaks", "--support"])
    if re.search(rf"^=== {re.escape(feature)} supported", out, re.M):
        return None
    said = re.search(rf"^\*\*\* {re.escape(feature)} not available.*$", out, re.M)
    return f"swaks --support: {said.group(0) if said else feature + ' not listed'}"


def _curl_tls() -> str | None:
    rc, out = _run(["curl", "-V"])
    if rc != 0:
        return out.strip() or "curl -V failed"
    protocols = re.search(r"^Protocols:(.*)$", out, re.M)
    features = re.search(r"^Features:(.*)$", out, re.M)
    missing = [p for p in ("smtp", "smtps") if not protocols or p not in protocols.group(1).split()]
    if not features or "SSL" not in features.group(1).split():
        missing.append("SSL")
    return f"curl -V lacks {', '.join(missing)}" if missing else None


def _msmtp_tls() -> str | None:
    rc, out = _run(["msmtp", "--version"])
    if rc != 0:
        return out.strip() or "msmtp --version failed"
    lib = re.search(r"^TLS/SSL library:\s*(\S+)", out, re.M)
    return None if lib and lib.group(1).lower() != "none" else "msmtp --version: no TLS/SSL library"


def _system_trust() -> str | None:
    # msmtp's adapter says --tls-trust-file=system when a scenario gives no CA: GnuTLS then reads
    # the bundle ca-certificates builds.
    bundle = Path("/etc/ssl/certs/ca-certificates.crt")
    return None if bundle.is_file() else f"{bundle} is missing"


def _msmtp_xoauth2() -> str | None:
    rc, out = _run(["msmtp", "--version"])
    methods = re.search(r"^Supported authentication methods:\s*\n?(.*)$", out, re.M | re.S)
    return None if rc == 0 and methods and "xoauth2" in methods.group(1).split() else "msmtp --version: no xoauth2"


def _curl_bearer() -> str | None:
    rc, out = _run(["curl", "--help", "all"])
    return None if rc == 0 and "--oauth2-bearer" in out else "curl --help all: no --oauth2-bearer"


def _python_import(module: str) -> str | None:
    rc, out = _run([PYTHON, "-c", f"import {module}"])
    return None if rc == 0 else (out.strip().splitlines() or [f"import {module} failed"])[-1]


def _node_require(module: str, where: Path = ADAPTERS) -> str | None:
    if shutil.which("node") is None:
        return "node is not on PATH"
    # A dynamic import loads CommonJS and ES modules alike (oauth2-mock-server is ESM only, and
    # Debian 12's node 18 cannot require() an ES module); it resolves from `where`'s node_modules.
    rc, out = _run(["node", "--input-type=module", "-e", f"await import({module!r})"], cwd=where)
    if rc == 0:
        return None
    line = next((l for l in out.splitlines() if "Cannot find module" in l or "Error" in l), out.strip())
    return f"node cannot load {module} from {where.relative_to(ROOT)}: {line.strip()}"


@dataclass(frozen=True)
class Capability:
    tool: str          # the client or tool, as tests name it
    what: str          # the capability, in words
    package: str       # the Debian package (or npm package) that provides it
    probe: Callable[[], str | None]  # None when present, else what was seen
    used_by: str       # which suites depend on it
    optional: bool = False


CAPABILITIES = [
    Capability("swaks", "is installed", "swaks", lambda: _which("swaks"), "client matrix, test_peers, test_exchange_mx"),
    Capability("swaks", "TLS (STARTTLS, implicit TLS, client certificates)", "libnet-ssleay-perl",
               lambda: _swaks_support("TLS"), "client matrix, test_peers"),
    # LOGIN, PLAIN and XOAUTH2 are swaks' "Basic AUTH" (MIME::Base64, in perl itself); only
    # DIGEST-MD5 would need libauthen-sasl-perl, and no test uses it.
    Capability("swaks", "AUTH LOGIN/PLAIN/XOAUTH2", "perl", lambda: _swaks_support("Basic AUTH"),
               "client matrix, test_peers"),
    Capability("curl", "is installed", "curl", lambda: _which("curl"), "client matrix, test_peers"),
    Capability("curl", "SMTP over TLS (smtp, smtps, SSL)", "curl", _curl_tls, "client matrix, test_peers"),
    Capability("msmtp", "is installed", "msmtp", lambda: _which("msmtp"), "client matrix"),
    Capability("msmtp", "TLS", "msmtp", _msmtp_tls, "client matrix"),
    Capability("msmtp", "the system trust store (--tls-trust-file=system)", "ca-certificates", _system_trust,
               "client matrix"),
    Capability("nodemailer", "node", "nodejs", lambda: _which("node"), "client matrix"),
    Capability("nodemailer", "nodemailer module (npm install by ci/setup-deps clients)", "npm",
               lambda: _node_require("nodemailer"), "client matrix"),
    # The OAuth adapters (tests/integration/test_oauth_adapters.py): msmtp and curl send a token that
    # client_under_test/adapters/oauth_token_helper.py (python3 only) prints; MSAL and nodemailer
    # use the rows of their own.
    Capability("msmtp", "AUTH XOAUTH2 (passwordeval token helper)", "msmtp", _msmtp_xoauth2, "oauth adapters"),
    Capability("curl", "--oauth2-bearer", "curl", _curl_bearer, "oauth adapters"),
    Capability("smtplib", "python3 with ssl", "python3", lambda: _python_import("ssl, smtplib"), "client matrix"),
    Capability("openssl", "the openssl command (test certificates)", "openssl", lambda: _which("openssl"),
               "integration tests"),
    Capability("aiosmtpd", "import aiosmtpd", "python3-aiosmtpd", lambda: _python_import("aiosmtpd"), "bench"),
    Capability("smtp-sink", "smtp-sink and smtp-source", "postfix",
               lambda: _which("smtp-sink", SBIN_PATH) or _which("smtp-source", SBIN_PATH), "bench"),
    # The OAuth clients and browser (tests/integration/test_identity_*.py, bench/identity): checked
    # once their packages are in ci/setup-deps (blocks identity, identity-bench).
    Capability("msal", "import msal", "python3-msal", lambda: _python_import("msal"), "oauth", optional=True),
    Capability("msal", "import requests (MSAL's HTTP client)", "python3-requests", lambda: _python_import("requests"),
               "oauth", optional=True),
    Capability("certutil", "certutil (a throwaway NSS store that trusts exosim's CA)", "libnss3-tools",
               lambda: _which("certutil"), "oauth", optional=True),
    Capability("oauth2-mock-server", "oauth2-mock-server module (npm install by ci/setup-deps identity-bench)", "npm",
               lambda: _node_require("oauth2-mock-server", IDENTITY_BENCH), "bench/identity", optional=True),
    Capability("selenium", "import selenium", "python3-selenium", lambda: _python_import("selenium"), "oauth",
               optional=True),
    Capability("chromium", "chromium", "chromium", lambda: _which("chromium"), "oauth", optional=True),
    Capability("chromedriver", "chromedriver", "chromium-driver", lambda: _which("chromedriver"), "oauth",
               optional=True),
    Capability("msal-node", "@azure/msal-node module", "@azure/msal-node",
               lambda: _node_require("@azure/msal-node", IDENTITY_CLIENTS), "oauth", optional=True),
]


def required(cap: Capability) -> bool:
    """Optional rows count once ci/setup-deps (or the adapters' package.json) names their package."""
    if not cap.optional:
        return True
    named = SETUP_DEPS.read_text() + (ADAPTERS / "package.json").read_text()
    return re.search(rf"(?<![\w@/.-]){re.escape(cap.package)}(?![\w/.-])", named) is not None


def message(cap: Capability, seen: str) -> str:
    source = "npm registry" if cap.package.startswith("@") else "Debian package"
    return (f"{cap.tool}: {cap.what} is missing ({seen}); install the {source} "
            f"{cap.package} (ci/setup-deps)")


@functools.lru_cache(maxsize=None)
def missing(tool: str) -> str | None:
    """Why `tool` cannot do what its tests assume (every failed capability), or None."""
    reasons = [message(c, seen) for c in CAPABILITIES
               if c.tool == tool and required(c) and (seen := c.probe()) is not None]
    return "; ".join(reasons) or None


def skip_or_fail(reason: str | None) -> None:
    """In a test, when something it needs is missing (`reason`): a user's machine may lack a client
    or tool, so the test is skipped with the reason (naming the Debian package); CI promises every
    one (ci/test sets EXOSIM_REQUIRE_CLIENTS), so there the test fails instead."""
    import pytest

    if reason is None:
        return
    if os.environ.get("EXOSIM_REQUIRE_CLIENTS"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def require(tool: str) -> None:
    """In a test: fail under EXOSIM_REQUIRE_CLIENTS (CI), else skip, when `tool` lacks a capability."""
    skip_or_fail(missing(tool))
