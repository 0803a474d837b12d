"""ci/preflight catches a tool that is present but lacks a capability (issue 10): the machine's real
tools are run with one capability taken away, and the failure must name the Debian package."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import client_capabilities as caps

PREFLIGHT = caps.ROOT / "ci" / "preflight"


def preflight(env_extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_extra}
    return subprocess.run([str(PREFLIGHT)], capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def swaks_without_ssleay(tmp_path: Path) -> dict[str, str]:
    """A PATH whose swaks is the real one, but Perl cannot load Net::SSLeay (as with
    --no-install-recommends): swaks itself then reports TLS as not available."""
    caps.require("swaks")
    real = shutil.which("swaks")
    (tmp_path / "HideSSLeay.pm").write_text(
        "package HideSSLeay;\n"
        "unshift @INC, sub { die \"hidden by test_preflight\\n\" if $_[1] eq 'Net/SSLeay.pm'; return; };\n1;\n")
    wrapper = tmp_path / "swaks"
    wrapper.write_text(f"#!/bin/sh\nPERL5LIB={tmp_path} PERL5OPT=-MHideSSLeay exec {real} \"$@\"\n")
    wrapper.chmod(0o755)
    return {"PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"}


def test_preflight_fails_naming_libnet_ssleay_perl_when_swaks_lacks_tls(swaks_without_ssleay):
    run = preflight(swaks_without_ssleay)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "  FAIL  swaks: TLS (STARTTLS, implicit TLS, client certificates)\n" in run.stdout
    assert ("swaks: TLS (STARTTLS, implicit TLS, client certificates) is missing (swaks --support: "
            "*** TLS not available: requires Net::SSLeay); install the Debian package libnet-ssleay-perl") in run.stderr
    # Only the hidden capability fails.
    assert run.stdout.count("FAIL") == 1, run.stdout


def test_skip_reason_names_the_same_package(swaks_without_ssleay, monkeypatch):
    monkeypatch.setenv("PATH", swaks_without_ssleay["PATH"])
    reason = caps.missing.__wrapped__("swaks")
    assert reason is not None and "install the Debian package libnet-ssleay-perl" in reason
    monkeypatch.delenv("EXOSIM_REQUIRE_CLIENTS", raising=False)
    caps.missing.cache_clear()
    try:
        with pytest.raises(pytest.skip.Exception, match="libnet-ssleay-perl"):
            caps.require("swaks")
        monkeypatch.setenv("EXOSIM_REQUIRE_CLIENTS", "1")
        with pytest.raises(pytest.fail.Exception, match="libnet-ssleay-perl"):
            caps.require("swaks")
    finally:
        caps.missing.cache_clear()  # the rest of the session sees the real PATH again


def test_preflight_fails_naming_python3_aiosmtpd_when_it_cannot_be_imported(tmp_path):
    caps.require("aiosmtpd")
    shadow = tmp_path / "aiosmtpd"
    shadow.mkdir()
    (shadow / "__init__.py").write_text("raise ImportError('aiosmtpd hidden by test_preflight')\n")
    run = preflight({"PYTHONPATH": str(tmp_path)})
    assert run.returncode == 1, run.stdout + run.stderr
    assert "install the Debian package python3-aiosmtpd" in run.stderr


def test_optional_rows_wait_for_their_package_in_setup_deps():
    chromium = next(c for c in caps.CAPABILITIES if c.package == "chromium-driver")
    named = caps.required(chromium)
    run = preflight({})
    line = "chromedriver: chromedriver (not yet required: chromium-driver is not in ci/setup-deps)"
    assert (line in run.stdout) == (not named), run.stdout
    assert "FAIL  chromedriver" not in run.stdout or named


def test_preflight_passes_on_this_machine_when_ci_requires_clients():
    """Under CI every required capability is present (ci/setup-deps installed it)."""
    if not os.environ.get("EXOSIM_REQUIRE_CLIENTS"):
        pytest.skip("only CI promises a complete machine (EXOSIM_REQUIRE_CLIENTS)")
    run = preflight({})
    assert run.returncode == 0, run.stdout + run.stderr
