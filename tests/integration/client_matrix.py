"""The client matrix machinery shared by test_client_matrix.py (printer-certification, issue 5) and
test_oauth_matrix.py (oauth-readiness, issue 13): run one `exosim certify --suite` per client in
the background, reduce its results.json to what is committed (tests/expected/...), compare with a
readable diff, or rewrite the committed file under EXOSIM_UPDATE_EXPECTED=1.

The committed files say what the harness found, not what we hoped: review the diff of
tests/expected/ before committing a rewrite.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

import pytest

from exosim_pytest.server import find_binary

ROOT = Path(__file__).resolve().parents[2]
ADAPTERS = ROOT / "client_under_test" / "adapters"
EXPECTED = ROOT / "tests" / "expected"
# One certify run may not exceed this; a suite takes a few minutes per client at most.
RUN_TIMEOUT = 420
# A client that never gives up on a silent server is killed after this many seconds per attempt.
ATTEMPT_TIMEOUT = 20


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
    """One `exosim certify --suite` run of one client in a background thread. With `oauth_state`,
    the run gets a fresh EXOSIM_OAUTH_STATE directory (the OAuth adapters keep their token caches
    there), removed afterwards: a second run must not start signed in from the first."""

    def __init__(self, client: str, suite: str, out_dir: Path, oauth_state: bool = False,
                 attempt_timeout: int = ATTEMPT_TIMEOUT):
        self.client, self.suite, self.out_dir, self.oauth_state = client, suite, out_dir, oauth_state
        self.attempt_timeout = attempt_timeout
        self.proc: subprocess.CompletedProcess | None = None
        self.failure: str | None = None
        self.seconds = 0.0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        command = (ADAPTERS / f"{self.client}.cmd").read_text().strip()
        args = [str(find_binary("exosim")), "certify", "--suite", self.suite, "--scenarios-dir", str(ROOT / "scenarios"),
                "--client", command, "--out", str(self.out_dir), "--timeout", str(self.attempt_timeout),
                # One scenario at a time per client, as the committed verdicts were recorded: the
                # clients already run side by side, and N x `--jobs` workers starting together
                # on a 2-core machine slow cc12's paced EHLO reply past the clients' timeouts.
                "--jobs", "1"]
        env = dict(os.environ)
        state = tempfile.mkdtemp(prefix=f"exosim-oauth-state-{self.client}-") if self.oauth_state else None
        if state:
            env["EXOSIM_OAUTH_STATE"] = state
        start = time.monotonic()
        try:
            # The adapters name their helper scripts relative to the repository root.
            self.proc = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, errors="replace",
                                       timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.failure = f"exosim certify did not finish within {RUN_TIMEOUT} s"
        finally:
            self.seconds = time.monotonic() - start
            if state:
                shutil.rmtree(state, ignore_errors=True)

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


def start_matrix(suite: str, clients: dict[str, Callable[[], str | None]], prefix: str,
                 oauth_state: bool = False, attempt_timeout: int = ATTEMPT_TIMEOUT) -> dict[str, MatrixRun]:
    """Starts every available client's run at once (each certify has its own server on ephemeral
    ports); the reports stay under $EXOSIM_MATRIX_OUT (default: a new temporary directory)."""
    base = Path(os.environ.get("EXOSIM_MATRIX_OUT") or tempfile.mkdtemp(prefix=prefix))
    runs = {}
    for client, unavailable in clients.items():
        if unavailable() is None:
            runs[client] = MatrixRun(client, suite, base / client, oauth_state, attempt_timeout)
            runs[client].thread.start()
    return runs


def check_verdicts(run: MatrixRun, expected_file: Path,
                   narrow: Callable[[dict, dict], tuple[dict, dict]] | None = None) -> None:
    """Compares the run with the committed verdicts, or rewrites them under EXOSIM_UPDATE_EXPECTED=1.
    `narrow` may leave scenarios out of both sides (a build that lacks a feature)."""
    actual = summarise(run.result())
    if os.environ.get("EXOSIM_UPDATE_EXPECTED") == "1":
        expected_file.parent.mkdir(parents=True, exist_ok=True)
        doc = {"client": run.client, "suite": run.suite,
               "note": "Actual verdicts of this client under exosim certify; regenerate with EXOSIM_UPDATE_EXPECTED=1 "
                       "and review the diff.",
               "scenarios": actual}
        expected_file.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
        return
    assert expected_file.is_file(), f"no committed verdicts for {run.client}: run with EXOSIM_UPDATE_EXPECTED=1"
    expected = json.loads(expected_file.read_text())["scenarios"]
    if narrow:
        expected, actual = narrow(expected, actual)
    changes = diff(expected, actual)
    report = run.out_dir / "report.html"
    assert not changes, (f"{run.client}: verdicts changed against {expected_file.relative_to(ROOT)} "
                         f"(report: {report}):\n" + "\n".join(changes))
