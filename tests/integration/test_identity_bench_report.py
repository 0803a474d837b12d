"""bench/identity/report.py: medians over rounds, the exosim/mock ratio, CPU per token, and the
issue 14 targets (>= 5x the mock's tokens/s at no more CPU per token)."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("identity_report", ROOT / "bench" / "identity" / "report.py")
report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(report)


def run(peer, tps, ok, server_cpu, driver_cpu=0.01, grant="client_credentials", clients=1, failed=0, capped=False):
    return {"label": f"peer={peer}", "grant": grant, "clients": clients, "tokens_per_s": tps, "ok": ok,
            "failed": failed, "timed_out": capped, "server_cpu_s": server_cpu, "driver_cpu_s": driver_cpu}


def test_medians_ratio_and_targets(tmp_path):
    rows = [run("exosim", 1000, 1000, 0.2), run("exosim", 1200, 1000, 0.3), run("exosim", 900, 1000, 0.1),
            run("mock", 150, 1000, 1.5), run("mock", 100, 1000, 1.7), run("mock", 200, 1000, 1.6),
            run("exosim", 400, 1000, 0.5, grant="refresh_token"), run("mock", 100, 1000, 0.4, grant="refresh_token")]
    cells = report.cells(rows)
    exo, mock = cells[("client_credentials", 1)]["exosim"], cells[("client_credentials", 1)]["mock"]
    assert (exo["tokens_per_s"], mock["tokens_per_s"]) == (1000, 150)
    assert (round(exo["server_us"]), round(mock["server_us"])) == (200, 1600)
    assert report.targets(cells) == [
        "- client_credentials c=1: PASS — 6.67× the mock's tokens/s (target ≥ 5×), CPU/token 200 µs vs 1600 µs (target ≤)",
        "- refresh_token c=1: FAIL — 4.00× the mock's tokens/s (target ≥ 5×), CPU/token 500 µs vs 400 µs (target ≤)",
    ]
    row = [l for l in report.table(cells) if l.startswith("| client_credentials | 1 |")]
    assert row == ["| client_credentials | 1 | 1000.0 | 150.0 | 6.67× | 200 | 1600 | 0.12× | 10 / 10 |"]
    path = tmp_path / "r.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert report.main([str(path), "--meta", "rounds=3"]) == 0


def test_a_missing_peer_is_reported_not_compared():
    cells = report.cells([run("mock", 150, 1000, 1.5, capped=True)])
    assert report.targets(cells) == ["- client_credentials c=1: not measured for both peers"]
    assert report.table(cells)[-1] == "| client_credentials | 1 | — | 150.0† | — | — | 1500 | — | — / 10 |"
