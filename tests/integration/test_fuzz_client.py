"""`exosim fuzz-client` end to end: the planted bugs of clients/planted_client.py (a crash on long
reply lines, a hang on endless multi-line replies, credentials in clear after 454) are each found,
minimised and reproduced by `exosim certify --scenario <reproducer>`; the reference client survives
a slice of the catalogue; listing, replay by id and usage errors. Bounded: short deadlines, small
minimisation budgets, --stages/--anomalies filters."""
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from exosim_pytest.server import find_binary

HERE = Path(__file__).parent
PLANTED = (f"{sys.executable} {HERE / 'clients' / 'planted_client.py'} --host {{host}} --port {{port}} "
           "--user {user} --password {password} --from {from} --to {to} --ca {ca} --servername {servername}")
REFERENCE = "{exosim_client} {exosim_client_args}"


def exosim(*args, timeout=240):
    return subprocess.run([str(find_binary()), *map(str, args)], capture_output=True, text=True, timeout=timeout)


def fuzz(out, *args, timeout=240):
    return exosim("fuzz-client", "--out", out, "--seed", "1", *args, timeout=timeout)


def findings(out: Path) -> dict:
    found = {}
    for d in sorted((out / "findings").iterdir()):
        f = json.loads((d / "finding.json").read_text())
        found[f["signature"]] = (d, f)
    return found


def rule_raw(path: Path, step: str) -> str:
    doc = json.loads("\n".join(l for l in path.read_text().splitlines() if not l.startswith("#")))
    return next(r["do"]["raw"] for r in doc["server"]["rules"] if r["on"] == step)


def replay(tmp_path, reproducer: Path, name: str) -> dict:
    out = tmp_path / name
    r = exosim("certify", "--scenario", reproducer, "--client", PLANTED, "--out", out, "--timeout", "4", "--jobs", "1")
    assert r.returncode in (0, 1), r.stderr
    return json.loads((out / "results.json").read_text())["scenarios"][0]


def test_planted_crash_and_hang_are_found_minimised_and_replayed(tmp_path):
    out = tmp_path / "fuzz"
    r = fuzz(out, "--client", PLANTED, "--stages", "mail", "--anomalies", "len-4096,ml-endless",
             "--deadline", "3", "--minimise-budget", "6")
    assert r.returncode == 1, r.stdout + r.stderr
    found = findings(out)
    crash = "crash:SIGSEGV|mail/len-4096"
    hang = "hang:no exit by the case deadline|mail/ml-endless"
    assert set(found) == {crash, hang}, r.stdout
    for sig in (crash, hang):
        d, f = found[sig]
        assert f["reproduced"] and f["minimise_runs"] > 0
        assert (d / "transcript.txt").read_text().count("S:") > 0
    # Minimised: fewer octets than the case, and still the offending shape.
    d, _ = found[crash]
    small, big = rule_raw(d / "reproducer.yaml", "mail"), rule_raw(d / "case.yaml", "mail")
    assert len(big) == 4096 and 2048 < len(small) < 4096
    d, _ = found[hang]
    small, big = rule_raw(d / "reproducer.yaml", "mail"), rule_raw(d / "case.yaml", "mail")
    assert big.count("\r\n") == 100_001 and small.count("\r\n") < 5_000
    assert not re.search(r"(^|\n)250 ", small)  # still no final line
    # certify replays each reproducer: the crash and the hang show again.
    crashed = replay(tmp_path, found[crash][0] / "reproducer.yaml", "replay-crash")
    # Through `sh -c` the crash is the shell's exit 139 (128 + SIGSEGV), or the signal itself when
    # the shell exec'd the client.
    run = crashed["client_runs"][0]
    assert run["exit_code"] == 139 or (run["exit_code"] is None and "died by signal 11" in run["stderr_tail"])
    assert "killed after" not in run["stderr_tail"]
    hung = replay(tmp_path, found[hang][0] / "reproducer.yaml", "replay-hang")
    assert "killed after the 4 s timeout" in hung["client_runs"][0]["stderr_tail"]
    # Reports: one testcase per case, failures carry the signature; JSON lines per case.
    suite = ET.parse(out / "junit.xml").getroot()
    assert suite.get("tests") == "2" and suite.get("failures") == "2"
    assert {f.get("message") for f in suite.iter("failure")} == {crash, hang}
    lines = [json.loads(l) for l in (out / "cases.jsonl").read_text().splitlines()]
    assert {l["signature"] for l in lines} == {crash, hang}
    html = (out / "report.html").read_text()
    assert crash.split("|")[0] in html and "Coverage" in html and "cases/s" in html


def test_planted_credentials_after_454_are_found_and_replayed(tmp_path):
    out = tmp_path / "fuzz"
    r = fuzz(out, "--client", PLANTED, "--stages", "starttls", "--anomalies", "starttls-454,starttls-injected")
    assert r.returncode == 1, r.stdout + r.stderr
    found = findings(out)
    sig = "behaviour:no-plaintext-credentials|starttls/starttls-454"
    assert sig in found, r.stdout
    d, f = found[sig]
    assert f["reproduced"]
    result = replay(tmp_path, d / "reproducer.yaml", "replay-454")
    rule = next(x for x in result["findings"] if x["rule"] == "no-plaintext-credentials")
    assert rule["verdict"] == "fail" and result["verdict"] == "fail"


def test_reference_client_survives_a_catalogue_slice(tmp_path):
    out = tmp_path / "fuzz"
    r = fuzz(out, "--client", REFERENCE, "--stages", "greeting,ehlo_tls,rcpt,end_of_data", "--jobs", "2",
             "--anomalies", "reply-code,multiline,length,short,bytes,code-range,enhanced,ehlo,connection",
             timeout=420)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr
    lines = [json.loads(l) for l in (out / "cases.jsonl").read_text().splitlines()]
    assert len(lines) > 250 and all(l["fault"] is None for l in lines)
    assert all(l["connections"] >= 1 for l in lines)


def test_list_and_replay_by_id_give_the_same_bytes(tmp_path):
    args = ("--list", "--mode", "random", "--depth", "3", "--cases", "5", "--seed", "99")
    a, b = exosim("fuzz-client", *args), exosim("fuzz-client", *args)
    assert a.returncode == 0 and a.stdout == b.stdout
    ids = re.findall(r"^(\S+:r3:\d+)$", a.stdout, re.M)
    assert len(ids) == 5
    one = exosim("fuzz-client", "--list", "--case", ids[2])
    assert one.returncode == 0
    block = a.stdout.split(ids[2] + "\n")[1].split("\n0.")[0]
    assert block.strip() in one.stdout


@pytest.mark.parametrize("args, message", [
    (["--client", "true", "--mode", "both"], "--mode"),
    (["--client", "true", "--stages", "helo2"], "not a stage"),
    (["--client", "true", "--anomalies", "nope"], "neither an anomaly class nor a group"),
    (["--client", "true", "--depth", "0"], "--depth"),
    (["--client", "true", "--jobs", "0"], "--jobs"),
    (["--client", "true", "--seed", "-3"], "not a whole number"),
    (["--client", "true", "--case", "0.1.0:zz:1:c:1"], "16 hex"),
    (["--client", "true", "--case", "0.1.0:0000000000000000:1:c:1"], "another fuzz model"),
    (["--client", "{nope}"], "--client"),
    (["--manual", "--jobs", "2"], "one device is one device"),
    (["--client", "true", "--manual"], "one of --client, --manual and --trigger-url"),
    (["--trigger-url", "https://printer/scan"], "not an http:// URL"),
    (["--client", "true", "--probe", "tcp:127.0.0.1:9100"], "is for a device"),
    (["--manual", "--probe", "udp:127.0.0.1:9100"], "not tcp:HOST:PORT"),
    (["--manual", "--probe", "tcp:127.0.0.1:70000"], "not tcp:HOST:PORT"),
    (["--manual", "--confirm", "0"], "--confirm"),
    (["--client", "true", "--real-ports"], "for a device"),
    (["--client", "true", "--endpoint", "implicit"], "--endpoint"),
    (["--client", "true", "--client-timeout", "10", "--deadline", "5"], "--client-timeout"),
    (["--client", "true", "--stages", "auth", "--anomalies", "ehlo"], "select no"),
    ([], "--client"),
])
def test_bad_options_exit_2_with_a_message(args, message):
    r = exosim("fuzz-client", *args)
    assert r.returncode == 2 and message in r.stderr, r.stderr


def test_device_fault_is_found_by_probe_back_searched_and_confirmed(tmp_path):
    """A stand-in for a printer: an HTTP hook makes it send (through the planted client); when its
    mail stack crashes, its "web UI" (the probe port) is down for a second, as a rebooting device's."""
    import http.server
    import socket
    import threading

    import yaml
    from configs import exo_config

    class Probe:  # the device's "web UI": a listening port, closed (connection refused) while rebooting
        def __init__(self):
            self.sock = self.open(0)
            self.port = self.sock.getsockname()[1]

        def open(self, port):
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", port))
            s.listen(16)
            return s

        def reboot(self, seconds):
            self.sock.close()
            threading.Timer(seconds, lambda: setattr(self, "sock", self.open(self.port))).start()

    probe = Probe()
    probe_port = probe.port
    state = {"port": None, "sends": 0}
    port_known = threading.Event()

    class Device(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            port_known.wait(30)
            self.send_response(202)
            self.end_headers()
            state["sends"] += 1
            cmd = PLANTED.format(host="127.0.0.1", port=state["port"], user="printer@contoso.com",
                                 password="Printer-Pass-1", to="alice@contoso.com", ca=str(data / "tls" / "ca.pem"),
                                 servername="smtp.office365.com", **{"from": "printer@contoso.com"})
            done = subprocess.run(cmd, shell=True, capture_output=True, timeout=30)
            if done.returncode in (-11, 139):
                probe.reboot(1.0)

        def log_message(self, *args):
            pass

    data = tmp_path / "data"
    config = tmp_path / "exosim.yaml"
    config.write_text(yaml.safe_dump(exo_config(), sort_keys=False))
    device = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Device)
    threading.Thread(target=device.serve_forever, daemon=True).start()
    out = tmp_path / "fuzz"
    cmd = [str(find_binary()), "fuzz-client", "--config", str(config), "--data-dir", str(data), "--seed", "1",
           "--trigger-url", f"http://127.0.0.1:{device.server_address[1]}/scan", "--stages", "mail",
           "--anomalies", "code-250,len-4096", "--probe", f"tcp:127.0.0.1:{probe_port}", "--reconnect-within", "10",
           "--deadline", "8", "--confirm", "2", "--out", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line)
            m = re.match(r"^listening submission \S+:(\d+)", line)
            if m:
                state["port"] = int(m.group(1))
                port_known.set()
        assert proc.wait(120) == 1, "".join(lines)
    finally:
        proc.kill()
        device.shutdown()
        probe.sock.close()
    text = "".join(lines)
    found = findings(out)
    sig = "probe:the device's liveness probe failed after the case|mail/len-4096"
    assert set(found) == {sig}, text
    d, f = found[sig]
    assert f["window"] == [f["first_case"]] and f["confirmed"] == 2 and f["confirm_runs"] == 2, f
    assert "back-search: replaying the last 1 case" in text
    assert (d / "cases_before.txt").read_text().split() == [f["first_case"]]
    assert state["sends"] == 2 + 1 + 2  # two cases, one back-search replay, two confirmations
