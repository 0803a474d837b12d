#!/usr/bin/python3
"""Memory per idle SMTP connection.

Opens --count connections to a loopback SMTP server, reads the greeting on each, keeps them idle,
and reports the growth of the server process's resident set (VmRSS from /proc/<pid>/status)
divided by the number of connections that got a greeting. Stdlib only.

    idle_conns.py --port 2525 --pid 1234 [--count 5000] [--sources 1] [--json]

--sources N spreads the client side over 127.0.0.1 .. 127.0.0.N, for servers that limit
connections per client address. The server needs `ulimit -n` above --count as well.
"""
import argparse
import errno
import json
import os
import resource
import selectors
import socket
import sys
import time


def status_kib(pid: int) -> dict:
    """VmRSS, RssAnon, VmHWM of pid, in KiB."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "RssAnon", "VmHWM"):
                out[key] = int(rest.split()[0])
    return out


def raise_nofile(need: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= need:
        return
    if hard != resource.RLIM_INFINITY and hard < need:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (need, need))  # root may raise the hard limit
            return
        except (ValueError, OSError):
            sys.exit(f"idle_conns: need {need} descriptors, hard limit is {hard}: raise `ulimit -Hn`")
    resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))


def open_batch(host, port, sources, first_index, n, timeout):
    """Connects n sockets at once and waits for each greeting. Returns (open sockets, failures)."""
    sel = selectors.DefaultSelector()
    pending = {}
    failures = {}

    def fail(kind):
        failures[kind] = failures.get(kind, 0) + 1

    for i in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        if sources > 1:
            s.bind((f"127.0.0.{1 + (first_index + i) % sources}", 0))
        rc = s.connect_ex((host, port))
        if rc not in (0, errno.EINPROGRESS):
            fail(errno.errorcode.get(rc, str(rc)))
            s.close()
            continue
        pending[s] = b""
        sel.register(s, selectors.EVENT_READ)
    ready = []
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline:
        for key, _ in sel.select(max(0.0, deadline - time.monotonic())):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except OSError as e:
                data, kind = None, errno.errorcode.get(e.errno, str(e.errno))
            else:
                kind = "closed"
            if not data:
                fail(kind)
                sel.unregister(s)
                del pending[s]
                s.close()
                continue
            pending[s] += data
            if b"\r\n" in pending[s]:  # first greeting line is enough (220 or 220-)
                sel.unregister(s)
                greeting = pending.pop(s)
                if greeting.startswith(b"220"):
                    ready.append(s)
                else:
                    fail("greeting_" + greeting[:3].decode("ascii", "replace"))
                    s.close()
    for s in pending:
        fail("no_greeting")
        sel.unregister(s)
        s.close()
    sel.close()
    return ready, failures


def still_open(socks) -> int:
    """Sockets the server has not closed (not readable, or readable with data)."""
    sel = selectors.DefaultSelector()
    for s in socks:
        sel.register(s, selectors.EVENT_READ)
    closed = 0
    for key, _ in sel.select(0):
        try:
            if key.fileobj.recv(4096, socket.MSG_PEEK) == b"":
                closed += 1
        except OSError:
            closed += 1
    sel.close()
    return len(socks) - closed


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--pid", type=int, required=True, help="server process to measure")
    p.add_argument("--count", type=int, default=5000)
    p.add_argument("--batch", type=int, default=250, help="connections opened concurrently")
    p.add_argument("--sources", type=int, default=1, help="spread over 127.0.0.1..127.0.0.N")
    p.add_argument("--timeout", type=float, default=10.0, help="greeting wait per batch, seconds")
    p.add_argument("--settle", type=float, default=1.0, help="seconds idle before measuring")
    p.add_argument("--hold", type=float, default=0.0, help="extra seconds to keep them open")
    p.add_argument("--label", default="")
    p.add_argument("--json", action="store_true", help="print one JSON line only")
    a = p.parse_args()
    if not a.host.startswith("127."):
        sys.exit("idle_conns: loopback (127.0.0.0/8) only")
    raise_nofile(a.count + 256)

    time.sleep(0.2)
    before = status_kib(a.pid)
    socks, failures = [], {}
    t0 = time.monotonic()
    while len(socks) + sum(failures.values()) < a.count:
        n = min(a.batch, a.count - len(socks) - sum(failures.values()))
        got, failed = open_batch(a.host, a.port, a.sources, len(socks) + sum(failures.values()), n, a.timeout)
        socks += got
        for k, v in failed.items():
            failures[k] = failures.get(k, 0) + v
        if failures and not got:
            break  # the server stopped accepting; measure what we have
    open_s = time.monotonic() - t0
    time.sleep(a.settle)
    after = status_kib(a.pid)
    alive = still_open(socks)
    time.sleep(a.hold)

    opened = len(socks)
    delta = after["VmRSS"] - before["VmRSS"]
    result = {
        "tool": "idle_conns", "label": a.label, "port": a.port, "pid": a.pid,
        "requested": a.count, "greeted": opened, "still_open": alive, "failures": failures,
        "open_seconds": round(open_s, 3),
        "rss_before_kib": before["VmRSS"], "rss_after_kib": after["VmRSS"],
        "rss_anon_before_kib": before.get("RssAnon"), "rss_anon_after_kib": after.get("RssAnon"),
        "kib_per_conn": round(delta / opened, 2) if opened else None,
    }
    for s in socks:
        s.close()
    if a.json:
        print(json.dumps(result), flush=True)
    else:
        print(f"{opened}/{a.count} idle connections greeted ({alive} still open, failures {failures}); "
              f"VmRSS {before['VmRSS']} -> {after['VmRSS']} KiB: "
              f"{result['kib_per_conn']} KiB per idle connection")
    return 0 if opened == a.count and alive == opened else 1


if __name__ == "__main__":
    sys.exit(main())
