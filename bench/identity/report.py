#!/usr/bin/env python3
"""The Markdown report of bench/identity/run.sh: per grant and client count, the median tokens/s of
exosim's sign-in service and of oauth2-mock-server, their ratio, each server's CPU per token, and
the driver's CPU per token; then issue 14's targets (>= 5x the mock's tokens/s, at no more CPU per
token), checked on every cell.

    bench/identity/report.py RESULTS.jsonl [--meta k=v ...]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import defaultdict

TARGET_RATIO = 5.0  # issue 14, "Performance"


def load(path: str) -> list[dict]:
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def cells(rows: list[dict]) -> dict:
    """(grant, clients) -> peer -> {tokens_per_s, server_us, driver_us, rounds, failed, capped}:
    medians over the rounds."""
    runs = defaultdict(lambda: defaultdict(list))
    for r in rows:
        runs[(r["grant"], r["clients"])][r["label"].removeprefix("peer=")].append(r)
    out = {}
    for key, peers in runs.items():
        out[key] = {}
        for peer, rs in peers.items():
            good = [r for r in rs if r["ok"]]
            out[key][peer] = {
                "tokens_per_s": statistics.median(r["tokens_per_s"] for r in good) if good else 0.0,
                "server_us": statistics.median(r["server_cpu_s"] * 1e6 / r["ok"] for r in good) if good else None,
                "driver_us": statistics.median(r["driver_cpu_s"] * 1e6 / r["ok"] for r in good) if good else None,
                "rounds": len(rs), "failed": sum(r["failed"] for r in rs), "capped": any(r["timed_out"] for r in rs),
            }
    return out


def fmt(v, spec: str = ".0f", mark: str = "") -> str:
    return "—" if v is None else format(v, spec) + mark


def table(by_cell: dict) -> list[str]:
    lines = ["| grant | clients | exosim tokens/s | mock tokens/s | ratio | exosim CPU µs/token | mock CPU µs/token "
             "| CPU ratio | driver CPU µs/token (exosim / mock) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for (grant, clients) in sorted(by_cell, key=lambda k: (k[0], k[1])):
        e, m = by_cell[(grant, clients)].get("exosim"), by_cell[(grant, clients)].get("mock")
        ratio = e["tokens_per_s"] / m["tokens_per_s"] if e and m and m["tokens_per_s"] else None
        cpu_ratio = e["server_us"] / m["server_us"] if e and m and e["server_us"] and m["server_us"] else None
        lines.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} / {} |".format(
            grant, clients,
            fmt(e and e["tokens_per_s"], ".1f", "†" if e and e["capped"] else ""),
            fmt(m and m["tokens_per_s"], ".1f", "†" if m and m["capped"] else ""),
            fmt(ratio, ".2f", "×"), fmt(e and e["server_us"]), fmt(m and m["server_us"]), fmt(cpu_ratio, ".2f", "×"),
            fmt(e and e["driver_us"]), fmt(m and m["driver_us"])))
    return lines


def targets(by_cell: dict) -> list[str]:
    lines = []
    for (grant, clients), peers in sorted(by_cell.items()):
        e, m = peers.get("exosim"), peers.get("mock")
        if not (e and m and m["tokens_per_s"] and e["server_us"] and m["server_us"]):
            lines.append(f"- {grant} c={clients}: not measured for both peers")
            continue
        ratio = e["tokens_per_s"] / m["tokens_per_s"]
        ok = ratio >= TARGET_RATIO and e["server_us"] <= m["server_us"]
        lines.append(f"- {grant} c={clients}: {'PASS' if ok else 'FAIL'} — {ratio:.2f}× the mock's tokens/s "
                     f"(target ≥ {TARGET_RATIO:g}×), CPU/token {e['server_us']:.0f} µs vs {m['server_us']:.0f} µs "
                     f"(target ≤)")
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--meta", nargs="*", default=[])
    args = ap.parse_args(argv)
    rows = load(args.results)
    if not rows:
        print("no results", file=sys.stderr)
        return 1
    by_cell = cells(rows)
    failed = sum(p["failed"] for peers in by_cell.values() for p in peers.values())
    out = ["## Token endpoint: exosim's sign-in service vs oauth2-mock-server", "",
           "Medians over the rounds; † a round hit the time cap (rate of what completed). CPU is the "
           "server process's (every thread, user + system) per token; the driver's own CPU per token shows "
           "whether the driver could have been the limit.", ""]
    out += table(by_cell)
    out += ["", "### Targets (issue 14)", ""] + targets(by_cell)
    if failed:
        out += ["", f"**{failed} token requests failed** (see first_error in the JSON lines)."]
    if args.meta:
        out += ["", "Run: " + ", ".join(args.meta)]
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
