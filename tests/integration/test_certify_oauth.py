"""Issue 13: `exosim certify` judges a client's OAuth path. The harness side is exercised now with a
small standard-library device-code client (clients/device_code_smtp.py); the reference client's
own OAuth (`exosim-client --oauth ...`, another branch) runs the whole oauth-readiness suite and its
quirks when the binary has it, and those tests skip cleanly until then."""
import json
import re
import subprocess
from pathlib import Path

import pytest

from exosim_pytest.server import find_binary

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "scenarios"
ADAPTER = (ROOT / "client_under_test" / "adapters" / "exosim-client.cmd").read_text().strip()
REFERENCE = "{exosim_client} {exosim_client_args}"
DEVICE = ("/usr/bin/python3 " + str(Path(__file__).parent / "clients" / "device_code_smtp.py") +
          " --authority {authority} --identity-address {identity_address} --client-id {client_id} --scope {scope}"
          " --ca {ca} --smtp {host}:{port} --servername {servername} --user {user} --from {from} --to {to}")

# exosim-client quirk -> (scenario, the rule that must catch it) (STYLE.md 10).
OAUTH_QUIRKS = {
    "poll-too-fast": ("oauth-device-code", "device-code-polling"),
    "expired-token": ("oauth-access-token-expires-mid-job", "refresh-before-expiry"),
    "loop-invalid-grant": ("oauth-refresh-inactive-90-days", "invalid-grant-stops"),
    # The device-code poll interval (5 s) would hide Retry-After; client credentials have no interval.
    "ignore-retry-after": ("oauth-token-endpoint-outage-app", "outage-backoff"),
    "stale-refresh-token": ("oauth-refresh-rotation-90-days", "newest-refresh-token"),
    "no-offline-access": ("oauth-device-code", "token-scope"),
    "wrong-scope": ("oauth-client-credentials-secret", "token-scope"),
    "password-with-oauth": ("oauth-device-code", "no-password-when-oauth-only"),
}


def certify(*args, timeout=300):
    return subprocess.run([str(find_binary()), "certify", *args], capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT)


def scenarios(*names):
    return [a for n in names for a in ("--scenario", str(LIBRARY / f"{n}.yaml"))]


def results(out: Path) -> dict:
    return {s["id"]: s for s in json.loads((out / "results.json").read_text())["scenarios"]}


def finding(result: dict, rule: str) -> dict:
    return next(f for f in result["findings"] if f["rule"] == rule)


def reference_client_has_oauth() -> bool:
    client = find_binary().parent / "exosim-client"
    if not client.is_file():
        return False
    run = subprocess.run([str(client), "--help"], capture_output=True, text=True, timeout=30)
    return "--oauth" in run.stdout + run.stderr


needs_oauth_client = pytest.mark.skipif(not reference_client_has_oauth(),
                                        reason="exosim-client has no --oauth in this build (branch oauthclient)")


def test_device_code_run_is_one_timeline_of_identity_and_smtp(tmp_path):
    out = tmp_path / "r"
    run = certify(*scenarios("oauth-device-code", "oauth-device-code-declined", "oauth-wrong-tenant"),
                  "--client", DEVICE, "--out", str(out), "--jobs", "2")
    assert run.returncode == 0, run.stdout + run.stderr
    r = results(out)
    happy = r["oauth-device-code"]
    assert happy["verdict"] == "pass" and happy["actual_outcome"] == "delivered"
    # The requests in order, typed, with the grant, client, scope and interval.
    reqs = happy["identity_requests"]
    assert [q["endpoint"] for q in reqs[:2]] == ["devicecode", "token"]
    assert reqs[0]["interval"] == 5 and reqs[0]["client_id"] == "0d3c5e7a-1b2f-4c6d-8e9a-3f5b7d9c1e33"
    assert reqs[0]["scope"] == "https://outlook.office.com/SMTP.Send offline_access"
    assert reqs[-2]["grant"] == "urn:ietf:params:oauth:grant-type:device_code" and reqs[-2]["access_token_issued"]
    assert re.fullmatch(r"[0-9a-f]{12}", reqs[-2]["refresh_issued"])
    assert reqs[-1]["endpoint"] == "xoauth2" and reqs[-1]["ok"] and reqs[-1]["user"] == "printer@contoso.com"
    # One timeline: harness, identity, Exchange's token check and the SMTP lines in time order.
    timeline = happy["timeline"]
    assert [l["t_ms"] for l in timeline] == sorted(l["t_ms"] for l in timeline)
    sources = [l["source"] for l in timeline]
    assert sources.index("identity") < sources.index("exchange") < sources.index("#1") or \
        sources.index("identity") < sources.index("#1")
    assert any(l["text"].startswith("AUTH XOAUTH2 user=printer@contoso.com token(upn=printer@contoso.com")
               for l in timeline)
    for rule in ("token-authority", "token-scope", "oauth-flow", "device-code-polling", "refresh-before-expiry",
                 "xoauth2-user-matches-token", "secrets-only-in-tls"):
        assert finding(happy, rule)["verdict"] == "pass", finding(happy, rule)
    declined = r["oauth-device-code-declined"]
    assert declined["verdict"] == "pass" and declined["actual_outcome"] == "not_attempted"
    assert declined["identity_requests"][-1]["error"] == "authorization_declined"
    wrong = r["oauth-wrong-tenant"]
    assert finding(wrong, "token-authority")["verdict"] == "fail"
    assert "AADSTS90002" in " ".join(finding(wrong, "token-authority")["quotes"])
    # No secret reaches a report: no access token (JWTs start eyJ), device code or client secret.
    for name in ("results.json", "junit.xml", "report.html"):
        text = (out / name).read_text()
        assert "eyJ" not in text and "DAQABAAEAAAD" not in text and "Exosim-Secret-1" not in text, name
    assert "== timeline (sign-in requests and SMTP) ==" in (out / "junit.xml").read_text()
    assert "Timeline: " in (out / "report.html").read_text()


def test_polling_faster_than_the_interval_fails_its_rule(tmp_path):
    out = tmp_path / "r"
    run = certify(*scenarios("oauth-device-code"), "--client", DEVICE + " --poll-every 1", "--out", str(out))
    assert run.returncode == 1, run.stdout + run.stderr
    r = results(out)["oauth-device-code"]
    f = finding(r, "device-code-polling")
    assert f["verdict"] == "fail" and not f["as_expected"], f
    assert any("interval=5" in q for q in f["quotes"]), f


def test_a_token_scenario_without_a_sign_in_service_is_an_error_not_a_crash(tmp_path):
    bad = tmp_path / "oauth-bad.yaml"
    bad.write_text("title: t\ndescription: d\ntags: [x]\nidentity: {expect_flow: device_flow}\n"
                   "send: {auth: xoauth2, token: none, user: a@contoso.com, from: a@contoso.com, to: b@contoso.com}\n")
    run = certify("--scenario", str(bad), "--client", DEVICE, "--out", str(tmp_path / "r"))
    assert run.returncode == 2, run.stdout + run.stderr
    assert "identity.expect_flow" in run.stderr and "device_flow" in run.stderr


@needs_oauth_client
def test_oauth_readiness_suite_passes_with_the_reference_client(tmp_path):
    out = tmp_path / "r"
    run = certify("--suite", "oauth-readiness", "--scenarios-dir", str(LIBRARY), "--client", ADAPTER,
                  "--out", str(out), "--jobs", "2", timeout=900)
    failing = {sid: (r["verdict"], [f["rule"] for f in r["findings"] if not f["as_expected"]], r["error"])
               for sid, r in results(out).items() if r["verdict"] != "pass"}
    assert run.returncode == 0 and not failing, json.dumps(failing, indent=1) + run.stderr[-2000:]


@needs_oauth_client
@pytest.mark.parametrize("quirk", sorted(OAUTH_QUIRKS))
def test_oauth_quirk_is_caught_by_its_rule(tmp_path, quirk):
    scenario, rule = OAUTH_QUIRKS[quirk]
    out = tmp_path / "r"
    # password-with-oauth needs a password to send: a device configured with both.
    extra = " --password Printer-Pass-1" if quirk == "password-with-oauth" else ""
    run = certify(*scenarios(scenario), "--client", f"{REFERENCE} --quirk {quirk}{extra}", "--out", str(out), timeout=300)
    assert run.returncode == 1, run.stdout + run.stderr
    f = finding(results(out)[scenario], rule)
    assert f["verdict"] == "fail" and not f["as_expected"], (f, run.stdout)
