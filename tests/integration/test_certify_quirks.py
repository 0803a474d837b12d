"""The harness is itself tested (STYLE 10): every deliberate misbehaviour of the reference client
(`exosim-client --quirk NAME`) run through `exosim certify` fails the scenario with the finding
aimed at it, and nothing else the quirk does not touch."""
import json
import re
import subprocess
from pathlib import Path

import pytest

from exosim_pytest.server import find_binary
from test_certify import SCENARIOS, REFERENCE
from test_certify_oauth import OAUTH_QUIRKS, reference_client_has_oauth

# quirk -> (scenario, the rule that must catch it)
QUIRKS = {
    "auth-before-tls": ("auth-offered-before-tls", "no-plaintext-credentials"),
    "ignore-stripped-starttls": ("strip-starttls", "no-plaintext-credentials"),
    "accept-bad-cert": ("bad-certificate", "aborts-on-invalid-certificate"),
    "bare-lf": ("basic-delivery", "crlf-only"),
    "no-ehlo-after-tls": ("capabilities-reread", "ehlo-after-tls"),
    "no-dot-stuffing": ("basic-delivery", "dot-stuffing"),
    "pipeline-unadvertised": ("no-pipelining", "pipelining-only-when-offered"),
    "no-quit": ("basic-delivery", "quit-at-end"),
    "reuse-pre-tls-buffer": ("injection-then-silence", "no-response-injection-use"),
    "plain-before-login": ("capabilities-reread", "post-tls-capabilities-only"),
    # A client that does not retry by itself is re-run by the harness, which gives every run a
    # new Message-ID: the duplicate the recipient would get is what catches it.
    "no-retry": ("retry-after-451", "same-message-id-on-retry"),
}


def test_every_quirk_of_the_reference_client_has_a_case():
    """A new quirk without a scenario that catches it fails here."""
    header = (Path(__file__).resolve().parents[2] / "client_under_test" / "reference" / "quirks.hpp").read_text()
    declared = set(re.findall(r'\{"([a-z0-9-]+)", &Quirks::', header))
    # The OAuth quirks (exosim-client --oauth, issue 13) have their cases in test_certify_oauth.py.
    assert declared == set(QUIRKS) | (set(OAUTH_QUIRKS) if reference_client_has_oauth() else set())


@pytest.mark.parametrize("quirk", sorted(QUIRKS))
def test_quirk_is_caught_by_its_verdict(tmp_path, quirk):
    scenario, rule = QUIRKS[quirk]
    out = tmp_path / "report"
    run = subprocess.run(
        [str(find_binary()), "certify", "--scenario", str(SCENARIOS / f"{scenario}.yaml"), "--client",
         f"{REFERENCE} --quirk {quirk}", "--out", str(out), "--timeout", "30", "--client-timeout", "2"],
        capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stdout + run.stderr
    result = json.loads((out / "results.json").read_text())["scenarios"][0]
    assert result["verdict"] == "fail", run.stdout
    finding = next(f for f in result["findings"] if f["rule"] == rule)
    assert finding["verdict"] == "fail" and not finding["as_expected"], (finding, run.stdout)
