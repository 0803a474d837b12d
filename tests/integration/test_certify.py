"""`exosim certify` end to end: scenarios run in the server, the client under test triggered per
attempt (a command, a person, an HTTP hook), verdicts from the wire, three reports."""
import http.server
import json
import re
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from configs import exo_config
from exosim_pytest.server import find_binary

HERE = Path(__file__).parent
SCENARIOS = HERE / "scenarios"
BAD_CLIENT = HERE / "clients" / "bad_client.py"
REFERENCE = "{exosim_client} {exosim_client_args}"
BAD = (f"{sys.executable} {BAD_CLIENT} --mode {{mode}} --server {{host}}:{{port}} --ca {{ca}} "
       "--servername {servername} --user {user} --password {password} --from {from} --to {to}")


def certify(*args, timeout=120):
    cmd = [str(find_binary()), "certify", *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def results(out: Path) -> dict:
    return json.loads((out / "results.json").read_text())


def scenario_result(out: Path, scenario_id: str) -> dict:
    return next(s for s in results(out)["scenarios"] if s["id"] == scenario_id)


def finding(result: dict, rule: str) -> dict:
    return next(f for f in result["findings"] if f["rule"] == rule)


def check_reports(out: Path) -> None:
    """The three reports exist and parse."""
    ET.parse(out / "junit.xml")
    doc = results(out)
    assert doc["schema"] == "exosim.results/1"
    html = (out / "report.html").read_text()
    HTMLParser().feed(html)
    assert html.lstrip().lower().startswith("<!doctype html")


def test_reference_client_passes_the_integration_suite(tmp_path):
    out = tmp_path / "report"
    run = certify("--suite", "integration", "--scenarios-dir", SCENARIOS, "--client", REFERENCE, "--out", out,
                  "--timeout", 30, "--client-timeout", 2)
    assert run.returncode == 0, run.stdout + run.stderr
    check_reports(out)
    doc = results(out)
    assert doc["suite"] == "integration"
    assert doc["summary"]["total"] == 9 and doc["summary"]["pass"] == 9, run.stdout
    # Progress: one line per scenario with its verdict, numbered as they finish (several workers).
    assert re.search(r"^\[\d/9\] basic-delivery \.\.\. pass", run.stdout, re.M), run.stdout
    retry = scenario_result(out, "retry-after-451")
    assert retry["attempts"] == 2
    assert finding(retry, "retries-after-4xx-bounded")["verdict"] == "pass"
    cert = scenario_result(out, "bad-certificate")
    assert finding(cert, "aborts-on-invalid-certificate")["verdict"] == "pass"
    basic = scenario_result(out, "basic-delivery")
    assert basic["tls_versions"] and basic["tls_versions"][0].startswith("TLSv1.")
    assert basic["client_runs"][0]["exit_code"] == 0
    assert '"result":"delivered"' in basic["client_runs"][0]["stdout_tail"]
    junit = ET.parse(out / "junit.xml").getroot()
    assert len(junit.findall(".//testcase")) == 9
    assert finding(scenario_result(out, "attachment-pdf"), "attachment-intact")["verdict"] == "pass"
    silence = scenario_result(out, "injection-then-silence")
    assert silence["actual_outcome"] == "aborted"
    assert finding(silence, "no-response-injection-use")["verdict"] == "pass"
    assert not junit.findall(".//failure")


@pytest.mark.parametrize("mode,scenario,rule", [
    ("auth-before-tls", "auth-offered-before-tls", "no-plaintext-credentials"),
    ("auth-before-tls", "auth-offered-before-tls", "starttls-before-credentials"),
    ("ignore-stripped-starttls", "strip-starttls", "no-plaintext-credentials"),
    ("accept-bad-cert", "bad-certificate", "aborts-on-invalid-certificate"),
    ("bare-lf", "basic-delivery", "crlf-only"),
])
def test_misbehaving_client_fails_with_the_right_finding(tmp_path, mode, scenario, rule):
    out = tmp_path / "report"
    run = certify("--scenario", SCENARIOS / f"{scenario}.yaml", "--client", BAD.replace("{mode}", mode),
                  "--out", out, "--timeout", 30)
    assert run.returncode == 1, run.stdout + run.stderr
    check_reports(out)
    result = scenario_result(out, scenario)
    assert result["verdict"] == "fail", result
    f = finding(result, rule)
    assert f["verdict"] == "fail" and not f["as_expected"], f
    assert f["quotes"], f  # the transcript lines that prove it
    junit = ET.parse(out / "junit.xml").getroot()
    assert junit.findall(".//failure")


@pytest.mark.parametrize("quirk,scenario,rule", [
    ("reuse-pre-tls-buffer", "injection-then-silence", "no-response-injection-use"),
    ("no-dot-stuffing", "basic-delivery", "dot-stuffing"),
])
def test_reference_client_quirks_fail_with_the_right_finding(tmp_path, quirk, scenario, rule):
    out = tmp_path / "report"
    run = certify("--scenario", SCENARIOS / f"{scenario}.yaml", "--client", f"{REFERENCE} --quirk {quirk}",
                  "--out", out, "--client-timeout", 2)
    assert run.returncode == 1, run.stdout + run.stderr
    f = finding(scenario_result(out, scenario), rule)
    assert f["verdict"] == "fail" and not f["as_expected"], f


def test_the_same_bad_client_passes_where_its_fault_does_not_show(tmp_path):
    out = tmp_path / "report"
    run = certify("--scenario", SCENARIOS / "basic-delivery.yaml", "--client", BAD.replace("{mode}", "accept-bad-cert"),
                  "--out", out)
    assert run.returncode == 0, run.stdout + run.stderr


def test_filter_selects_scenarios(tmp_path):
    out = tmp_path / "report"
    run = certify("--suite", SCENARIOS / "suites" / "integration.yaml", "--filter", "CC-08", "--client", REFERENCE,
                  "--out", out)
    assert run.returncode == 0, run.stdout + run.stderr
    assert [s["id"] for s in results(out)["scenarios"]] == ["bad-certificate"]


def test_client_that_cannot_run_is_a_harness_error(tmp_path):
    out = tmp_path / "report"
    run = certify("--scenario", SCENARIOS / "basic-delivery.yaml", "--client", "/nonexistent/client {host}",
                  "--out", out)
    assert run.returncode == 1
    result = scenario_result(out, "basic-delivery")
    assert result["verdict"] == "error"
    assert "could not run" in result["error"], result["error"]


@pytest.mark.parametrize("args,message", [
    (["--client", "x {hostname}"], "unknown placeholder {hostname}"),
    (["--client", REFERENCE, "--manual"], "exactly one of --client, --manual and --trigger-url"),
    ([], "exactly one of --client, --manual and --trigger-url"),
    (["--trigger-url", "https://device/"], "not an http:// URL"),
])
def test_usage_errors_exit_2(args, message):
    run = certify("--scenario", SCENARIOS / "basic-delivery.yaml", *args)
    assert run.returncode == 2, run.stdout + run.stderr
    assert message in run.stderr


def test_unknown_suite_and_broken_scenario_exit_2(tmp_path):
    run = certify("--suite", "no-such-suite", "--scenarios-dir", SCENARIOS, "--client", REFERENCE)
    assert run.returncode == 2 and "integration" in run.stderr, run.stderr  # lists the suites there are
    bad = tmp_path / "bad.yaml"
    bad.write_text("expect: {outcome: sent}\n")
    run = certify("--scenario", bad, "--client", REFERENCE, "--out", tmp_path / "r")
    assert run.returncode == 2
    assert "bad.yaml:1:" in run.stderr, run.stderr


def start_certify(tmp_path, *args):
    """certify in the background; returns (process, lines list, submission port event/holder)."""
    config = tmp_path / "exosim.yaml"
    config.write_text(yaml.safe_dump(exo_config(), sort_keys=False))
    cmd = [str(find_binary()), "certify", "--config", str(config), *map(str, args)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    port = {}
    ready = threading.Event()
    prompt = threading.Event()

    def read():
        for line in proc.stdout:
            lines.append(line)
            m = re.match(r"^listening submission \S+:(\d+)", line)
            if m:
                port["submission"] = int(m.group(1))
                ready.set()
            if "make it send now" in line:
                prompt.set()

    threading.Thread(target=read, daemon=True).start()
    return proc, lines, port, ready, prompt


def reference_send(port: int, data_dir_ca: str, host: str = "127.0.0.1"):
    return subprocess.run(
        [str(find_binary("exosim-client")), "--server", f"{host}:{port}", "--starttls", "--ca", data_dir_ca,
         "--servername", "smtp.office365.com", "--auth", "login", "--user", "printer@contoso.com",
         "--password", "Printer-Pass-1", "--from", "printer@contoso.com", "--to", "alice@contoso.com",
         "--subject", "manual", "--body", "from the device", "--retries", "0", "--timeout", "5"],
        capture_output=True, text=True, timeout=60)


def run_manual_session(tmp_path, *args, host="127.0.0.1"):
    """certify --manual on basic-delivery: waits for the prompt, sends as the device from `host`,
    checks that the run ends with a pass; returns what certify printed before the send."""
    out = tmp_path / "report"
    data = tmp_path / "data"
    proc, lines, port, ready, prompt = start_certify(
        tmp_path, "--scenario", SCENARIOS / "basic-delivery.yaml", "--manual", *args, "--timeout", 30,
        "--out", out, "--data-dir", data)
    try:
        assert ready.wait(30) and prompt.wait(30), "".join(lines)
        text = "".join(lines)
        sent = reference_send(port["submission"], str(data / "tls" / "ca.pem"), host=host)
        assert sent.returncode == 0, sent.stdout + sent.stderr
        assert proc.wait(60) == 0, "".join(lines)
    finally:
        proc.kill()
    assert scenario_result(out, "basic-delivery")["verdict"] == "pass"
    return text, port["submission"]


def test_manual_mode_prompts_and_judges_the_devices_session(tmp_path):
    text, port = run_manual_session(tmp_path)
    for expected in (f"port:      {port}", "security:  starttls", "user:      printer@contoso.com",
                     "password:  Printer-Pass-1", "to:        alice@contoso.com", "CA:"):
        assert expected in text, text


def test_manual_mode_listens_on_the_bind_address(tmp_path):
    """--bind puts every endpoint on the address a device reaches (here a loopback alias)."""
    text, _ = run_manual_session(tmp_path, "--bind", "127.0.0.7", host="127.0.0.7")
    assert re.search(r"^listening submission 127\.0\.0\.7:\d+", text, re.M), text
    assert re.search(r"^listening mx 127\.0\.0\.7:\d+", text, re.M), text
    assert "server:    127.0.0.7\n" in text, text  # what the person configures on the device


def test_real_ports_are_for_a_device_only(tmp_path):
    run = certify("--scenario", SCENARIOS / "basic-delivery.yaml", "--client", REFERENCE, "--real-ports",
                  "--out", tmp_path / "r")
    assert run.returncode == 2, run.stdout + run.stderr
    assert "--real-ports is for a device (--manual or --trigger-url)" in run.stderr, run.stderr


def test_manual_mode_without_a_session_is_an_error(tmp_path):
    out = tmp_path / "report"
    proc, lines, _, _, _ = start_certify(tmp_path, "--scenario", SCENARIOS / "basic-delivery.yaml", "--manual",
                                         "--timeout", 1, "--out", out)
    try:
        assert proc.wait(60) == 1, "".join(lines)
    finally:
        proc.kill()
    assert scenario_result(out, "basic-delivery")["verdict"] == "error"


def test_trigger_url_makes_the_device_send(tmp_path):
    """A stand-in for a printer's web hook: each GET makes it send once through the reference client."""
    out = tmp_path / "report"
    data = tmp_path / "data"
    state = {"requests": 0}
    port_holder = {}
    port_known = threading.Event()

    class Device(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            state["requests"] += 1
            self.send_response(202)
            self.end_headers()
            def send():
                port_known.wait(30)  # the request may arrive before the test has read the port
                reference_send(port_holder["p"], str(data / "tls" / "ca.pem"))

            threading.Thread(target=send, daemon=True).start()

        def log_message(self, *args):
            pass

    device = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Device)
    threading.Thread(target=device.serve_forever, daemon=True).start()
    try:
        proc, lines, port, ready, _ = start_certify(
            tmp_path, "--scenario", SCENARIOS / "basic-delivery.yaml", "--trigger-url",
            f"http://127.0.0.1:{device.server_address[1]}/scan", "--timeout", 30, "--out", out, "--data-dir", data)
        try:
            assert ready.wait(30), "".join(lines)
            port_holder["p"] = port["submission"]
            port_known.set()
            assert proc.wait(60) == 0, "".join(lines)
        finally:
            proc.kill()
    finally:
        device.shutdown()
    assert state["requests"] == 1
    result = scenario_result(out, "basic-delivery")
    assert result["verdict"] == "pass"
    assert result["client_runs"][0]["stdout_tail"] == "HTTP 202"
