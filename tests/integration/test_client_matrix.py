"""Third-party clients through the harness (issue 5): every adapter of client_under_test/adapters
runs the printer-certification suite with `exosim certify`, and the verdict of every scenario is
compared with the committed data in tests/expected/<client>.json. A changed verdict, outcome or set
of failed rules fails the test with a readable diff; the HTML report of each run is kept under
$EXOSIM_MATRIX_OUT (default: a pytest temporary directory) for the CI artefact.

A client is skipped only when it lacks a capability its verdicts assume (ci/preflight's table in
client_capabilities.py), and the reason names the package. To accept new verdicts after a
deliberate change, run with EXOSIM_UPDATE_EXPECTED=1 and review the diff of tests/expected/ before
committing it: the harness reports the truth, it does not flatter.

The runs start together (each certify has its own server on ephemeral ports) and are mostly
waiting on client timeouts, so the whole matrix takes about as long as its slowest client.
"""
from __future__ import annotations

import json
import subprocess

import pytest

from client_capabilities import missing, skip_or_fail
from client_matrix import (ADAPTERS, ATTEMPT_TIMEOUT, EXPECTED, ROOT, RUN_TIMEOUT, check_verdicts, diff,
                           start_matrix)
from test_certify_oauth import reference_client_has_oauth
from exosim_pytest.server import find_binary

SUITE = "printer-certification"


# client -> why it cannot do what its committed verdicts assume (None: it can). The reference
# client comes from the build; the capabilities and their packages are in client_capabilities.py.
CLIENTS = {
    "exosim-client": lambda: None,
    "swaks": lambda: missing("swaks"),
    "curl": lambda: missing("curl"),
    "msmtp": lambda: missing("msmtp"),
    "smtplib": lambda: missing("smtplib"),
    "nodemailer": lambda: missing("nodemailer"),
}


@pytest.fixture(scope="module")
def matrix():
    runs = start_matrix(SUITE, CLIENTS, "exosim-matrix-")
    yield runs
    for run in runs.values():
        run.thread.join(RUN_TIMEOUT + 30)


def without_oauth(expected: dict, actual: dict) -> tuple[dict, dict]:
    """The committed verdicts are those of exosim-client with --oauth (branch oauthclient): an older
    binary cannot get its own token, so the OAuth scenarios (group oauth-) are left out."""
    keep = lambda d: {k: v for k, v in d.items() if not k.startswith("oauth-")}  # noqa: E731
    return keep(expected), keep(actual)


@pytest.mark.parametrize("client", list(CLIENTS))
def test_client_verdicts_match_committed(client, matrix):
    skip_or_fail(CLIENTS[client]())
    narrow = without_oauth if client == "exosim-client" and not reference_client_has_oauth() else None
    check_verdicts(matrix[client], EXPECTED / f"{client}.json", narrow)


def test_diff_is_readable():
    expected = {"a": {"verdict": "pass", "outcome": "delivered", "failed_rules": []},
                "b": {"verdict": "fail", "outcome": "aborted", "failed_rules": ["outcome"]}}
    actual = {"a": {"verdict": "fail", "outcome": "delivered", "failed_rules": ["crlf-only"]},
              "c": {"verdict": "pass", "outcome": "delivered", "failed_rules": []}}
    assert diff(expected, actual) == [
        "  ~ a: verdict pass -> fail; now failing crlf-only",
        "  - b: no longer run (was fail)",
        "  + c: new scenario, pass (delivered) []",
    ]


# The library's scenarios catch each deliberate misbehaviour of the reference client (STYLE.md 10):
# quirk -> (scenario, the rule whose finding must be `fail`).
QUIRKS = {
    "accept-bad-cert": ("cert-self-signed", "aborts-on-invalid-certificate"),
    "ignore-stripped-starttls": ("cc01-starttls-stripped", "no-plaintext-credentials"),
    "auth-before-tls": ("cc07-auth-before-starttls-offered", "starttls-before-credentials"),
    "bare-lf": ("cc23-dots-and-long-lines", "crlf-only"),
    "no-dot-stuffing": ("cc23-dots-and-long-lines", "single-end-of-data"),
    "no-ehlo-after-tls": ("cc05-login-hidden-after-tls", "ehlo-after-tls"),
    "pipeline-unadvertised": ("cc18-no-pipelining", "pipelining-only-when-offered"),
    "no-quit": ("submission-login", "quit-at-end"),
    "reuse-pre-tls-buffer": ("cc04-response-injection", "no-response-injection-use"),
    "plain-before-login": ("cc05-login-hidden-after-tls", "post-tls-capabilities-only"),
}


@pytest.mark.parametrize("quirk", sorted(QUIRKS))
def test_reference_client_quirk_is_caught(quirk, tmp_path):
    scenario, rule = QUIRKS[quirk]
    command = (ADAPTERS / "exosim-client.cmd").read_text().strip() + f" --quirk {quirk}"
    args = [str(find_binary("exosim")), "certify", "--scenario", str(ROOT / "scenarios" / f"{scenario}.yaml"),
            "--client", command, "--out", str(tmp_path), "--timeout", str(ATTEMPT_TIMEOUT)]
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, errors="replace", timeout=120)
    assert proc.returncode == 1, f"expected a failed verdict, certify exited {proc.returncode}\n{proc.stdout[-2000:]}"
    run = json.loads((tmp_path / "results.json").read_text())["scenarios"][0]
    assert run["verdict"] == "fail", run["error"]
    verdicts = {f["rule"]: f["verdict"] for f in run["findings"]}
    assert verdicts[rule] == "fail", f"--quirk {quirk} on {scenario}: {rule} was {verdicts[rule]}"
