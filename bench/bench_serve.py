#!/usr/bin/env python3
"""The SPARQL endpoint under load, and a runaway query under --timeout.

Usage: python bench/bench_serve.py [--graph graphs/sample.trig] [--clients 50] [--seconds 20]

Starts `policygraph serve` on the graph as its own process, then:

1. baseline: one client alone, sequential simple queries, for a few seconds;
2. load: ``--clients`` concurrent clients (spread over 5 client processes, each
   client a keep-alive connection sending the next query when the last is
   answered) for ``--seconds``; counts errors and reports p50/p99/max latency;
3. runaway: a triple cross product under ``--timeout 3``; measures how long the
   server's processes keep using CPU after the 503 and how far their memory is
   from where it was.

Targets (issue 11): 0 errors and p99 <= 100 ms under load; CPU stopped within
1 s of the 503; memory back within 50 MB. Exits 1 when one is missed.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIMPLE = ("PREFIX pg: <https://w3id.org/policygraph/ont#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
          "SELECT ?label WHERE { ?p a pg:Project ; rdfs:label ?label } ORDER BY ?label")
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _path(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


def _client(port: int, seconds: float, out: list, errors: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t = time.perf_counter()
        try:
            conn.request("GET", _path(SIMPLE), headers={"Accept": "application/sparql-results+json"})
            r = conn.getresponse()
            r.read()
            if r.status != 200:
                errors.append(r.status)
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        out.append(time.perf_counter() - t)


def _client_process(port: int, clients: int, seconds: float, results) -> None:
    lat: list[float] = []
    errors: list = []
    threads = [threading.Thread(target=_client, args=(port, seconds, lat, errors)) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.put((lat, errors))


def load(port: int, clients: int, seconds: float) -> tuple[list[float], list]:
    procs = 5 if clients >= 5 else 1
    results = multiprocessing.Queue()
    per = [clients // procs + (1 if i < clients % procs else 0) for i in range(procs)]
    ps = [multiprocessing.Process(target=_client_process, args=(port, n, seconds, results)) for n in per]
    for p in ps:
        p.start()
    lat, errors = [], []
    for _ in ps:
        a, b = results.get()
        lat += a
        errors += b
    for p in ps:
        p.join()
    return lat, errors


def _tree(pid: int) -> list[int]:
    out = [pid]
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out += _tree(int(p))
    return out


def _cpu_and_rss(pid: int) -> tuple[float, int]:
    """CPU seconds and resident bytes summed over the server's processes."""
    cpu, rss = 0.0, 0
    tick, page = os.sysconf("SC_CLK_TCK"), os.sysconf("SC_PAGE_SIZE")
    for p in _tree(pid):
        try:
            with open(f"/proc/{p}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        cpu += (int(fields[11]) + int(fields[12])) / tick
        rss += int(fields[21]) * page
    return cpu, rss


def _wait_ready(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("serve stopped")
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", _path(SIMPLE))
            if c.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("serve did not start in 120 s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph", default=str(ROOT / "graphs" / "sample.trig"))
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()

    from policygraph.store.virtuoso import free_port

    port = free_port()
    cmd = [sys.executable, "-m", "policygraph.cli", "serve", "--graph", a.graph, "--port", str(port),
           "--timeout", "3", "--workers", str(a.workers)]
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115  (not a pipe: a full one stalls the server)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log, text=True)
    ok = True
    try:
        _wait_ready(port, proc)
        base, base_err = load(port, 1, 3)
        b50 = statistics.median(base) * 1000
        print(f"baseline, 1 client: {len(base)} queries, p50 {b50:.1f} ms, errors {len(base_err)}")
        lat, errors = load(port, a.clients, a.seconds)
        lat.sort()
        p50, p99 = lat[len(lat) // 2] * 1000, lat[int(len(lat) * 0.99)] * 1000
        print(f"load, {a.clients} clients for {a.seconds:g} s: {len(lat)} queries ({len(lat) / a.seconds:.0f}/s), "
              f"errors {len(errors)}, p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {lat[-1] * 1000:.1f} ms "
              f"(p99 / 1-client p50 = {p99 / b50:.1f})")
        if errors:
            print("errors:", sorted(set(map(str, errors))))
        ok &= not errors and p99 <= 100

        time.sleep(1)
        _, rss0 = _cpu_and_rss(proc.pid)
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("GET", _path(RUNAWAY))
        r = c.getresponse()
        r.read()
        t503 = time.perf_counter()
        cpu0, _ = _cpu_and_rss(proc.pid)
        time.sleep(1.0)
        cpu1, _ = _cpu_and_rss(proc.pid)
        # a fresh worker starts (and reads the graph) after the kill: wait for it, then measure
        _wait_ready(port, proc)
        time.sleep(1)
        cpu2, rss1 = _cpu_and_rss(proc.pid)
        time.sleep(1.0)
        cpu3, _ = _cpu_and_rss(proc.pid)
        print(f"runaway under --timeout 3: HTTP {r.status}; CPU in the second after the 503 "
              f"{cpu1 - cpu0:.2f} s (the replacement worker starting included); once it is up, "
              f"{cpu3 - cpu2:.2f} s/s; memory {rss0 / 2**20:.0f} -> {rss1 / 2**20:.0f} MB "
              f"({(rss1 - rss0) / 2**20:+.0f} MB); answered {time.perf_counter() - t503:.1f} s after")
        ok &= r.status == 503 and cpu3 - cpu2 < 0.1 and abs(rss1 - rss0) < 50 * 2**20
    finally:
        proc.terminate()
        proc.wait(10)
        log.seek(0)
        lines = log.read().splitlines()
        if lines:
            print(f"serve's stderr: {len(lines)} lines, last: {lines[-1]}")
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
