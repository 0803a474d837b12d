#!/usr/bin/python3
"""Turns bench/run.sh's JSON lines into the Markdown tables and the target checks of issue 2.

    report.py --throughput throughput.jsonl --idle idle.jsonl [--meta k=v ...]
"""
import argparse
import json
import sys
from pathlib import Path

PEERS = ["exosim-off", "exosim-disk", "smtp-sink", "aiosmtpd"]
TITLES = {"exosim-off": "exosim (capture off)", "exosim-disk": "exosim (disk, durable)",
          "smtp-sink": "smtp-sink", "aiosmtpd": "aiosmtpd"}
RATIOS = [("exosim-off", "smtp-sink"), ("exosim-disk", "smtp-sink"),
          ("exosim-off", "aiosmtpd"), ("exosim-disk", "aiosmtpd")]
SHORT = {"exosim-off": "off", "exosim-disk": "disk", "smtp-sink": "sink", "aiosmtpd": "aio"}


def load(path):
    if not path or not Path(path).exists():
        return []
    return [json.loads(l) for l in Path(path).read_text().splitlines() if l.strip().startswith("{")]


def peer_of(r):
    return r.get("label", "").removeprefix("peer=")


def size_label(n):
    return f"{n // 1024} KiB" if n % 1024 == 0 else f"{n} B"


def cell_text(r):
    if r is None:
        return "–"
    text = f"{r['msgs_per_s']:,.0f}"
    if r.get("timed_out"):
        text += "†"
    if r.get("errors") or r.get("messages_failed"):
        text += "!"
    return text


def ratio_text(a, b):
    if not a or not b or not b["msgs_per_s"]:
        return "–"
    return f"{a['msgs_per_s'] / b['msgs_per_s']:.2f}"


def median_rows(rows):
    """One row per (transport, driver, sessions, size, peer): the run with the median rate."""
    groups = {}
    for r in rows:
        groups.setdefault((r["tls"], r["tool"], r["sessions"], r["size"], peer_of(r)), []).append(r)
    cells = {}
    for key, runs in groups.items():
        runs.sort(key=lambda r: r["msgs_per_s"])
        cells[key] = dict(runs[(len(runs) - 1) // 2], rounds=len(runs))
    return cells


def throughput_table(rows):
    cells = median_rows(rows)
    keys = sorted({k[:4] for k in cells}, key=lambda k: (k[0] != "none", k[1] != "smtp-source", k[3], k[2]))
    peers = [p for p in PEERS if any(k[4] == p for k in cells)]
    ratios = [(a, b) for a, b in RATIOS if a in peers and b in peers]
    head = ["transport", "driver", "sessions", "size"] + [TITLES[p] for p in peers] + \
           [f"{SHORT[a]}/{SHORT[b]}" for a, b in ratios]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for k in keys:
        tls, tool, sessions, size = k
        got = {p: cells.get(k + (p,)) for p in peers}
        vals = [("n/a" if tls != "none" and p == "smtp-sink" else cell_text(got[p])) for p in peers]
        vals += [ratio_text(got[a], got[b]) for a, b in ratios]
        out.append("| " + " | ".join(["plain" if tls == "none" else "STARTTLS", tool, str(sessions),
                                      size_label(size)] + vals) + " |")
    return "\n".join(out), cells


def cpu_per_message(r):
    """Server CPU µs per accepted message in one run; None when not measured."""
    if r.get("server_cpu_s") is None or not r.get("messages_ok"):
        return None
    return r["server_cpu_s"] * 1e6 / r["messages_ok"]


def cpu_table(rows):
    """Median server CPU per message over the rounds, plain cells: what each server spends, which
    does not depend on how the machine's cores were shared with the driver."""
    groups = {}
    for r in rows:
        v = cpu_per_message(r)
        if r["tls"] == "none" and v is not None:
            groups.setdefault((r["tool"], r["sessions"], r["size"], peer_of(r)), []).append(v)
    if not groups:
        return None, {}
    med = {k: sorted(v)[(len(v) - 1) // 2] for k, v in groups.items()}
    keys = sorted({k[:3] for k in med}, key=lambda k: (k[0] != "smtp-source", k[2], k[1]))
    peers = [p for p in PEERS if any(k[3] == p for k in med)]
    ratios = [(a, b) for a, b in RATIOS if a in peers and b in peers and b == "smtp-sink"]
    head = ["driver", "sessions", "size"] + [TITLES[p] for p in peers] + [f"{SHORT[a]}/{SHORT[b]}" for a, b in ratios]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for k in keys:
        got = {p: med.get(k + (p,)) for p in peers}
        vals = [f"{got[p]:,.0f}" if got[p] is not None else "–" for p in peers]
        vals += [f"{got[a] / got[b]:.2f}" if got[a] and got[b] else "–" for a, b in ratios]
        out.append("| " + " | ".join([k[0], str(k[1]), size_label(k[2])] + vals) + " |")
    return "\n".join(out), med


def idle_table(rows):
    out = ["| server | connections greeted | still open | VmRSS before → after (KiB) | KiB per idle connection |",
           "|---|---|---|---|---|"]
    for r in rows:
        fail = f" (failures: {r['failures']})" if r["failures"] else ""
        out.append(f"| {TITLES.get(peer_of(r), peer_of(r))} | {r['greeted']}/{r['requested']}{fail} | "
                   f"{r['still_open']} | {r['rss_before_kib']:,} → {r['rss_after_kib']:,} | {r['kib_per_conn']} |")
    return "\n".join(out)


def targets(cells, idle, cpu):
    """The issue's targets, checked on the plain cells driven by smtp-source."""
    lines = []

    def check(name, a, b, factor):
        pairs = [(k, cells[k[:4] + (a,)], cells[k[:4] + (b,)]) for k in cells
                 if k[0] == "none" and k[1] == "smtp-source" and k[4] == a and k[:4] + (b,) in cells]
        if not pairs:
            lines.append(f"- {name}: not measured")
            return
        worst = min(pairs, key=lambda p: p[1]["msgs_per_s"] / max(p[2]["msgs_per_s"], 1e-9))
        ok = sum(1 for _, x, y in pairs if x["msgs_per_s"] >= factor * y["msgs_per_s"])
        ratio = worst[1]["msgs_per_s"] / max(worst[2]["msgs_per_s"], 1e-9)
        verdict = "PASS" if ok == len(pairs) else "FAIL"
        lines.append(f"- {name}: {verdict}, met in {ok}/{len(pairs)} cells; worst ratio {ratio:.2f} "
                     f"at {worst[0][2]} sessions, {size_label(worst[0][3])}")

    check("plain throughput, capture off ≥ smtp-sink", "exosim-off", "smtp-sink", 1.0)
    check("plain throughput, durable disk capture ≥ ½ smtp-sink", "exosim-disk", "smtp-sink", 0.5)
    check("plain throughput, capture off ≥ 10× aiosmtpd", "exosim-off", "aiosmtpd", 10.0)
    # What a server that does nothing shows against aiosmtpd with the same drivers: the ceiling
    # any server can reach on this machine.
    ceiling = [cells[k[:4] + ("smtp-sink",)]["msgs_per_s"] / max(cells[k]["msgs_per_s"], 1e-9) for k in cells
               if k[0] == "none" and k[1] == "smtp-source" and k[4] == "aiosmtpd" and k[:4] + ("smtp-sink",) in cells]
    if ceiling:
        lines.append(f"- for scale: smtp-sink (discards, no disk) reaches {min(ceiling):.2f}-{max(ceiling):.2f}× "
                     f"aiosmtpd in the same cells; the drivers and the shared cores cap what any server shows here")
    # Server CPU per message: how much each server costs per message, whatever the scheduler did.
    cheaper = [cpu[k] / cpu[k[:3] + ("smtp-sink",)] for k in cpu
               if k[0] == "smtp-source" and k[3] == "exosim-off" and cpu.get(k[:3] + ("smtp-sink",))]
    if cheaper:
        lines.append(f"- for scale: exosim (capture off) spends {min(cheaper):.2f}-{max(cheaper):.2f}× smtp-sink's "
                     f"server CPU per message in the smtp-source cells")
    for r in idle:
        if peer_of(r).startswith("exosim") and r["kib_per_conn"] is not None:
            verdict = "PASS" if r["kib_per_conn"] < 16 and r["greeted"] == r["requested"] else "FAIL"
            lines.append(f"- idle connection < 16 KiB ({TITLES[peer_of(r)]}): {verdict}, "
                         f"{r['kib_per_conn']} KiB at {r['greeted']}/{r['requested']} connections")
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--throughput")
    p.add_argument("--idle")
    p.add_argument("--meta", nargs="*", default=[])
    a = p.parse_args()
    rows, idle = load(a.throughput), load(a.idle)
    table, cells = throughput_table(rows)
    print("## Throughput (messages/s, loopback)\n")
    if a.meta:
        print("Run: " + ", ".join(a.meta) + "\n")
    print(table)
    print("\nEach figure is the median of the rounds run (peers measured in turn within each round).  "
          "† hit the per-cell time cap: rate from the messages completed.  "
          "! some messages failed (see the JSON lines).  "
          "smtp-sink has no STARTTLS.\n")
    ctable, cpu = cpu_table(rows)
    if ctable:
        print("## Server CPU per message (µs, plain)\n")
        print(ctable)
        print("\nMedian over the rounds of the server's CPU time (all its threads, user + system, from "
              "/proc/PID/task/*/schedstat) during the run, divided by the messages accepted.\n")
    if idle:
        print("## Memory per idle connection\n")
        print(idle_table(idle))
        print()
    print("## Targets (issue 2)\n")
    print(targets(cells, idle, cpu))
    return 0


if __name__ == "__main__":
    sys.exit(main())
