"""The Debian package's contents in use (issue 10), run by ci/package against the package extracted
into a scratch root ($EXOSIM_PACKAGE_ROOT): its pytest plugin loaded with `-p exosim_pytest.plugin`
from the package's dist-packages, its binary found on PATH with no build dir, its configuration
serving, a message sent through it, and its scenario library certifying the reference client."""
from __future__ import annotations

import json
import os
import smtplib
import ssl
import subprocess
from pathlib import Path

import pytest

ROOT = Path(os.environ.get("EXOSIM_PACKAGE_ROOT", "/nonexistent"))
pytestmark = pytest.mark.skipif("EXOSIM_PACKAGE_ROOT" not in os.environ,
                                reason="ci/package runs these against the extracted .deb")


def test_plugin_and_binary_come_from_the_package():
    import exosim_pytest
    from exosim_pytest import find_binary

    assert Path(exosim_pytest.__file__).is_relative_to(ROOT / "usr/lib/python3/dist-packages")
    assert "EXOSIM_BUILD_DIR" not in os.environ
    assert find_binary() == ROOT / "usr/bin/exosim"
    assert find_binary("exosim-client") == ROOT / "usr/bin/exosim-client"


def test_installed_config_serves_and_accepts_a_message(exosim):
    server = exosim(extra_args=["--config", str(ROOT / "etc/exosim/exosim.yaml")])
    # The chain is verified against the CA the server wrote; the name is smtp.office365.com, which
    # smtplib cannot ask for when connecting to 127.0.0.1.
    context = ssl.create_default_context(cafile=str(server.ca_file))
    context.check_hostname = False
    with smtplib.SMTP("127.0.0.1", server.port("submission"), timeout=30) as smtp:
        smtp.ehlo("printer.contoso.com")
        smtp.starttls(context=context)
        smtp.ehlo("printer.contoso.com")
        smtp.login("printer@contoso.com", "Printer-Pass-1")
        refused = smtp.sendmail("printer@contoso.com", ["alice@contoso.com"],
                                b"From: printer@contoso.com\r\nTo: alice@contoso.com\r\n"
                                b"Subject: from the package\r\n\r\nscan attached\r\n")
    assert refused == {}
    msg = server.wait_for_message(to="alice@contoso.com")
    assert b"Subject: from the package" in msg.eml
    assert msg.meta["auth_identity"] == "printer@contoso.com"


def test_scenario_library_certifies_the_reference_client(tmp_path):
    out = tmp_path / "report"
    run = subprocess.run(
        [str(ROOT / "usr/bin/exosim"), "certify", "--scenarios-dir", str(ROOT / "usr/share/exosim/scenarios"),
         "--suite", "printer-certification", "--filter", "cc11-greeting-554",
         "--client", "{exosim_client} {exosim_client_args}", "--out", str(out)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    results = json.loads((out / "results.json").read_text())
    assert [s["id"] for s in results["scenarios"]] == ["cc11-greeting-554"]
    assert results["scenarios"][0]["verdict"] == "pass"
