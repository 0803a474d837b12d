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
import os
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest

from client_capabilities import missing
from test_certify_oauth import reference_client_has_oauth
from exosim_pytest.server import find_binary

ROOT = Path(__file__).resolve().parents[2]
ADAPTERS = ROOT / "client_under_test" / "adapters"
EXPECTED = ROOT / "tests" / "expected"
SUITE = "printer-certification"
# One certify run may not exceed this; the suite takes well under a minute per client.
RUN_TIMEOUT = 420
# A client that never gives up on a silent server is killed after this many seconds per attempt.
ATTEMPT_TIMEOUT = 20


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


# Third-party clients do not retry by themselves: the harness re-runs them at once, so the gaps
# between their attempts are scheduling noise, and "a backoff shorter than the one before" comes and
# goes from run to run. That finding says nothing about the client until the runner paces its
# re-runs; it stays in the HTML report but is left out of the committed comparison.
UNSTABLE = ("retries-after-4xx-bounded", "shorter than the one before")


def stable(finding: dict) -> bool:
    return not (finding["rule"] == UNSTABLE[0] and UNSTABLE[1] in finding["message"])


def summarise(results: dict) -> dict:
    """The part of results.json that is committed: per scenario the verdict, the outcome and the
    rules that did not hold as expected (the findings a vendor would read)."""
    out = {}
    for run in results["scenarios"]:
        failed = sorted(f["rule"] for f in run["findings"] if not f["as_expected"] and stable(f))
        verdict = run["verdict"]
        if verdict == "fail" and not failed:
            verdict = "pass"  # failed on the unstable finding alone
        entry = {"verdict": verdict, "outcome": run["actual_outcome"], "failed_rules": failed}
        if run["verdict"] == "error":
            entry["error"] = run["error"]
        out[run["id"]] = entry
    return out


def diff(expected: dict, actual: dict) -> list[str]:
    lines = []
    for sid in sorted(set(expected) | set(actual)):
        e, a = expected.get(sid), actual.get(sid)
        if e is None:
            lines.append(f"  + {sid}: new scenario, {a['verdict']} ({a['outcome']}) {a['failed_rules']}")
            continue
        if a is None:
            lines.append(f"  - {sid}: no longer run (was {e['verdict']})")
            continue
        changes = []
        if e["verdict"] != a["verdict"]:
            changes.append(f"verdict {e['verdict']} -> {a['verdict']}")
        if e["outcome"] != a["outcome"]:
            changes.append(f"outcome {e['outcome']} -> {a['outcome']}")
        gone = sorted(set(e["failed_rules"]) - set(a["failed_rules"]))
        new = sorted(set(a["failed_rules"]) - set(e["failed_rules"]))
        if new:
            changes.append("now failing " + ", ".join(new))
        if gone:
            changes.append("no longer failing " + ", ".join(gone))
        if changes:
            reason = f" [{a['error']}]" if a.get("error") else ""
            lines.append(f"  ~ {sid}: " + "; ".join(changes) + reason)
    return lines


class MatrixRun:
    """One certify run in a background thread."""

    def __init__(self, client: str, out_dir: Path):
        self.client = client
        self.out_dir = out_dir
        self.proc: subprocess.CompletedProcess | None = None
        self.failure: str | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        command = (ADAPTERS / f"{self.client}.cmd").read_text().strip()
        args = [str(find_binary("exosim")), "certify", "--suite", SUITE, "--scenarios-dir", str(ROOT / "scenarios"),
                "--client", command, "--out", str(self.out_dir), "--timeout", str(ATTEMPT_TIMEOUT),
                # One scenario at a time per client, as the committed verdicts were recorded: the
                # six clients already run side by side, and 6 x `--jobs` workers starting together
                # on a 2-core machine slow cc12's paced EHLO reply past the clients' timeouts.
                "--jobs", "1"]
        try:
            # The adapters name their helper scripts relative to the repository root.
            self.proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, errors="replace",
                                       timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.failure = f"exosim certify did not finish within {RUN_TIMEOUT} s"

    def result(self) -> dict:
        self.thread.join(RUN_TIMEOUT + 30)
        if self.failure:
            pytest.fail(f"{self.client}: {self.failure}")
        assert self.proc is not None
        # 0: every verdict as the scenarios expect; 1: some differ (normal for third-party
        # clients); anything else is a usage error or a crash of the harness.
        if self.proc.returncode not in (0, 1):
            pytest.fail(f"{self.client}: exosim certify exited {self.proc.returncode}\n{self.proc.stderr[-3000:]}")
        path = self.out_dir / "results.json"
        assert path.is_file(), f"{self.client}: no results.json\n{self.proc.stderr[-3000:]}"
        for report in ("junit.xml", "report.html"):
            assert (self.out_dir / report).is_file(), f"{self.client}: no {report}"
        return json.loads(path.read_text())


@pytest.fixture(scope="module")
def matrix():
    base = Path(os.environ.get("EXOSIM_MATRIX_OUT") or tempfile.mkdtemp(prefix="exosim-matrix-"))
    runs = {}
    for client, unavailable in CLIENTS.items():
        if unavailable() is None:
            runs[client] = MatrixRun(client, base / client)
            runs[client].thread.start()
    yield runs
    for run in runs.values():
        run.thread.join(RUN_TIMEOUT + 30)


@pytest.mark.parametrize("client", list(CLIENTS))
def test_client_verdicts_match_committed(client, matrix):
    reason = CLIENTS[client]()
    if reason:
        # A user's machine may lack a client; CI (ci/test sets EXOSIM_REQUIRE_CLIENTS) must not.
        if os.environ.get("EXOSIM_REQUIRE_CLIENTS"):
            pytest.fail(reason)
        pytest.skip(reason)
    run = matrix[client]
    actual = summarise(run.result())
    expected_file = EXPECTED / f"{client}.json"
    if os.environ.get("EXOSIM_UPDATE_EXPECTED") == "1":
        expected_file.parent.mkdir(parents=True, exist_ok=True)
        doc = {"client": client, "suite": SUITE,
               "note": "Actual verdicts of this client under exosim certify; regenerate with EXOSIM_UPDATE_EXPECTED=1 "
                       "and review the diff.",
               "scenarios": actual}
        expected_file.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
        return
    assert expected_file.is_file(), f"no committed verdicts for {client}: run with EXOSIM_UPDATE_EXPECTED=1"
    expected = json.loads(expected_file.read_text())["scenarios"]
    if client == "exosim-client" and not reference_client_has_oauth():
        # The committed verdicts are those of exosim-client with --oauth (branch oauthclient): an
        # older binary cannot get its own token, so the OAuth scenarios (group oauth-) are left out.
        expected = {k: v for k, v in expected.items() if not k.startswith("oauth-")}
        actual = {k: v for k, v in actual.items() if not k.startswith("oauth-")}
    changes = diff(expected, actual)
    report = run.out_dir / "report.html"
    assert not changes, (f"{client}: verdicts changed against {expected_file.relative_to(ROOT)} "
                         f"(report: {report}):\n" + "\n".join(changes))


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
