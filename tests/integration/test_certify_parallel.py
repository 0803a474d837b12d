"""`exosim certify --jobs N` and `--shard I/N` + `exosim report merge`: the same results.json as a
serial run (less what differs between any two runs: timings, session ids, ports, dates)."""
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from exosim_pytest.server import find_binary

HERE = Path(__file__).parent
SCENARIOS = HERE / "scenarios"
SUITE = SCENARIOS / "suites" / "integration.yaml"
REFERENCE = "{exosim_client} {exosim_client_args}"
COMMON = ["--client", REFERENCE, "--timeout", 30, "--client-timeout", 2]


def exosim(*args, timeout=180):
    return subprocess.run([str(find_binary()), *map(str, args)], capture_output=True, text=True, timeout=timeout)


def certify(*args):
    return exosim("certify", *args)


# What differs between two serial runs too: timings (duration_ms, t_ms, "0.016s" in quotes),
# random ids (session ids, message ids, queue ids), generated host names, ports, dates.
TIMING_KEYS = {"duration_ms", "t_ms", "started_at"}
VOLATILE = [
    (re.compile(r"\b\d+\.\d+s\b"), "<t>"),
    (re.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{12,}(?![0-9A-Fa-f])"), "<hex>"),
    (re.compile(r"\b[A-Z0-9]{4,}(\.[A-Z0-9]+)*\.(PROD\.OUTLOOK\.COM|outlook\.office365\.com)\b"), "<host>"),
    (re.compile(r"\d"), "#"),
]


def normalized(value):
    if isinstance(value, dict):
        return {k: normalized(v) for k, v in value.items() if k not in TIMING_KEYS and k != "session_id"}
    if isinstance(value, list):
        return [normalized(v) for v in value]
    if isinstance(value, str):
        for pattern, replacement in VOLATILE:
            value = pattern.sub(replacement, value)
    return value


def results(out: Path) -> dict:
    return json.loads((out / "results.json").read_text())


def ids(out: Path) -> list:
    return [s["id"] for s in results(out)["scenarios"]]


def verdicts(out: Path) -> list:
    """Everything a reader decides on, exactly (numbers included)."""
    return [(s["id"], s["verdict"], s["actual_outcome"], s["attempts"],
             [(f["rule"], f["verdict"], f["as_expected"]) for f in s["findings"]]) for s in results(out)["scenarios"]]


def junit_cases(out: Path) -> list:
    root = ET.parse(out / "junit.xml").getroot()
    return [(c.get("name"), c.find("failure") is not None, c.find("error") is not None) for c in root.iter("testcase")]


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    out = tmp_path_factory.mktemp("serial") / "report"
    run = certify("--suite", SUITE, *COMMON, "--out", out, "--jobs", 1)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "workers" not in run.stdout  # one server, as before --jobs
    return out


def test_parallel_run_reports_what_a_serial_run_does(serial, tmp_path):
    out = tmp_path / "report"
    run = certify("--suite", SUITE, *COMMON, "--out", out, "--jobs", 4)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "running 9 scenarios (integration) on 4 workers" in run.stdout, run.stdout
    # One whole line per finished scenario, numbered as they finish.
    lines = re.findall(r"^\[(\d+)/9\] (\S+) \.\.\. (\w+) \(\d+ connections?, [\d.]+ s\)$", run.stdout, re.M)
    assert [int(n) for n, _, _ in lines] == list(range(1, 10)), run.stdout
    assert sorted(i for _, i, _ in lines) == sorted(ids(serial))
    assert verdicts(out) == verdicts(serial)  # suite order, exact
    assert normalized(results(out)) == normalized(results(serial))
    assert junit_cases(out) == junit_cases(serial)
    html = lambda o: normalized((o / "report.html").read_text())  # noqa: E731
    assert html(out) == html(serial)


def test_workers_share_nothing_a_scenario_changes(tmp_path):
    """The first scenario disables AUTH for the tenant, puts the sender at its per-minute limit and
    refuses RCPT, and stays armed for 4 s (its greeting waits); the three deliveries run meanwhile
    on the other workers and must not see any of it."""
    out = tmp_path / "report"
    run = certify("--suite", SCENARIOS / "suites" / "isolation.yaml", "--client", REFERENCE, "--client-timeout", 10,
                  "--out", out, "--jobs", 4)
    assert run.returncode == 0, run.stdout + run.stderr
    finished = re.findall(r"^\[\d+/4\] (\S+) \.\.\. pass", run.stdout, re.M)
    # The deliveries really ran while the other scenario was armed: they finished before it.
    assert finished[-1] == "isolation-auth-off-and-throttled", run.stdout
    assert [s["actual_outcome"] for s in results(out)["scenarios"]] == ["rejected", "delivered", "delivered", "delivered"]


@pytest.fixture(scope="module")
def shards(tmp_path_factory):
    base = tmp_path_factory.mktemp("shards")
    outs = []
    for i in (1, 2, 3):
        out = base / f"shard-{i}"
        run = certify("--suite", SUITE, *COMMON, "--out", out, "--shard", f"{i}/3", "--jobs", 2)
        assert run.returncode == 0, run.stdout + run.stderr
        assert f"(integration, shard {i}/3)" in run.stdout, run.stdout
        outs.append(out)
    return outs


def test_shards_cover_the_suite_once(serial, shards):
    per_shard = [ids(o) for o in shards]
    assert sorted(sum(per_shard, [])) == sorted(ids(serial))  # union is the suite, nothing twice
    assert all(per_shard), per_shard  # (this suite splits into three non-empty shards)
    for i, out in enumerate(shards, 1):
        shard = results(out)["shard"]
        assert (shard["index"], shard["count"]) == (i, 3)
        assert shard["suite_ids"] == ids(serial)
        # Each shard keeps the suite order.
        assert per_shard[i - 1] == [x for x in ids(serial) if x in per_shard[i - 1]]


def test_merged_shards_equal_a_single_run(serial, shards, tmp_path):
    out = tmp_path / "merged"
    run = exosim("report", "merge", *reversed(shards), "--out", out)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "9 pass, 0 fail, 0 error, 0 skipped (integration, 3 shards merged)" in run.stdout, run.stdout
    assert "shard" not in results(out)
    assert verdicts(out) == verdicts(serial)
    assert normalized(results(out)) == normalized(results(serial))
    assert junit_cases(out) == junit_cases(serial)
    # A shard's results.json may be named directly too.
    again = exosim("report", "merge", shards[0] / "results.json", shards[1], shards[2], "--out", tmp_path / "again")
    assert again.returncode == 0, again.stderr


def test_merge_refuses_missing_and_duplicated_shards(shards, tmp_path):
    missing = exosim("report", "merge", shards[0], shards[2], "--out", tmp_path / "m")
    assert missing.returncode == 2
    assert "missing shard 2/3" in missing.stderr and "missing scenario(s): " in missing.stderr, missing.stderr
    assert not (tmp_path / "m").exists()
    twice = exosim("report", "merge", shards[0], shards[1], shards[1], shards[2], "--out", tmp_path / "d")
    assert twice.returncode == 2
    assert "given more than once" in twice.stderr and "duplicated scenario(s): " in twice.stderr, twice.stderr
    whole = exosim("report", "merge", tmp_path / "nowhere", "--out", tmp_path / "w")
    assert whole.returncode == 2 and "cannot be read" in whole.stderr, whole.stderr
    assert exosim("report", "merge").returncode == 2


def test_merge_refuses_a_run_that_is_not_a_shard(serial, shards, tmp_path):
    run = exosim("report", "merge", serial, *shards, "--out", tmp_path / "x")
    assert run.returncode == 2
    assert "not a shard" in run.stderr, run.stderr


def test_an_empty_shard_still_reports(tmp_path):
    """A one-scenario selection split in two: one shard runs it, the other runs nothing and says so."""
    scenario = SCENARIOS / "basic-delivery.yaml"
    outs = [tmp_path / f"s{i}" for i in (1, 2)]
    for i, out in enumerate(outs, 1):
        run = certify("--scenario", scenario, *COMMON, "--out", out, "--shard", f"{i}/2")
        assert run.returncode == 0, run.stdout + run.stderr
    assert sorted(len(ids(o)) for o in outs) == [0, 1]
    merged = exosim("report", "merge", *outs, "--out", tmp_path / "m")
    assert merged.returncode == 0, merged.stderr
    assert ids(tmp_path / "m") == ["basic-delivery"]


@pytest.mark.parametrize("args,message", [
    (["--manual", "--jobs", 2], "--jobs 2 is for --client: one device is one device"),
    (["--trigger-url", "http://127.0.0.1:9/", "--jobs", 3], "--jobs 3 is for --client"),
    (["--client", REFERENCE, "--jobs", 0], "--jobs must be 1 to 64, not 0"),
    (["--client", REFERENCE, "--jobs", 65], "--jobs must be 1 to 64, not 65"),
    (["--client", REFERENCE, "--shard", "4/3"], "--shard: I must be 1 to N (3), not 4"),
    (["--client", REFERENCE, "--shard", "2"], "--shard: '2' is not I/N"),
])
def test_parallel_usage_errors_exit_2(args, message):
    run = certify("--scenario", SCENARIOS / "basic-delivery.yaml", *args)
    assert run.returncode == 2, run.stdout + run.stderr
    assert message in run.stderr, run.stderr


def test_jobs_one_is_allowed_for_a_device(tmp_path):
    run = certify("--scenario", SCENARIOS / "basic-delivery.yaml", "--manual", "--jobs", 1, "--timeout", 1,
                  "--out", tmp_path / "r")
    assert run.returncode == 1, run.stdout + run.stderr  # parsed and ran: no device came, so verdict error
    assert "make it send now" in run.stdout
