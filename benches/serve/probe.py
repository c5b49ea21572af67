#!/usr/bin/env python3
"""Throughput and p99 latency of `brandscan serve` on loopback, plain and under faults.

    cargo build --release
    python3 benches/serve/probe.py [--secs 10] [--bin target/release/brandscan]

wrk (Debian: apt-get install wrk) drives typical one-listing checks
(benches/serve/listing.lua) while one fault at a time runs beside it:

  slowloris      500 connections that send a header a few bytes a second
  idle-900       900 open connections that never send a byte (limit 1,000)
  idle-1500      1,500 such connections, past the limit (the rest are refused)
  pathological   2 clients looping 65 KB bodies of soft hyphens inside a word
  reloads        a client reloading the lists back to back

Then the resident size of a service holding a 200,000-term list, at start and after ten
reloads. Prints one Markdown table row per run. Needs only the Python standard library.
"""
import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TOKEN = "probe-token"


def start(bin_, extra):
    log = tempfile.NamedTemporaryFile("w+", delete=False)
    proc = subprocess.Popen([bin_, "serve", "--no-config", "--listen", "127.0.0.1:0",
                             "--no-access-log", "--reload-token", TOKEN, *extra],
                            stdout=subprocess.DEVNULL, stderr=log)
    for _ in range(600):
        time.sleep(0.1)
        text = open(log.name).read()
        m = re.search(r"http://([0-9.]+):(\d+)", text)
        if m:
            return proc, (m.group(1), int(m.group(2))), log.name
    proc.kill()
    sys.exit("serve did not start:\n" + open(log.name).read())


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def wrk(addr, conns, secs):
    url = f"http://{addr[0]}:{addr[1]}"
    out = subprocess.run(["wrk", "-t1", f"-c{conns}", f"-d{secs}s", "--latency", "-s",
                          os.path.join(HERE, "listing.lua"), url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:(.*)", out)
    return rps, float(p99.group(1)) * scale, int(non2xx.group(1)) if non2xx else 0, \
        (errors.group(1).strip() if errors else "")


def post(addr, path, body, headers=None, timeout=30):
    req = urllib.request.Request(f"http://{addr[0]}:{addr[1]}{path}", data=body,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            r.read()
            code = r.status
    except urllib.error.HTTPError as e:
        code = e.code
    return code, time.perf_counter() - t0


class Fault:
    """A fault running on background threads until stop() is called."""

    def __init__(self):
        self.done = threading.Event()
        self.threads = []
        self.stats = {}

    def spawn(self, fn, n=1):
        for _ in range(n):
            t = threading.Thread(target=fn, daemon=True)
            t.start()
            self.threads.append(t)

    def stop(self):
        self.done.set()
        for t in self.threads:
            t.join(timeout=35)


def slowloris(addr, n=500):
    f = Fault()
    socks, closed = [], [0]
    for _ in range(n):
        s = socket.create_connection(addr)
        s.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\n")
        socks.append(s)

    def drip():
        i = 0
        while not f.done.is_set() and socks:
            for s in list(socks):
                try:
                    s.sendall(b"X-%d: y\r\n" % i)
                except OSError:
                    socks.remove(s)
                    closed[0] += 1
            i += 1
            f.done.wait(1.0)
        for s in socks:
            s.close()

    f.spawn(drip)
    f.stats = lambda: f"{closed[0]} of {n} closed by the server"
    return f


def idle(addr, n):
    f = Fault()
    socks, refused = [], 0
    for _ in range(n):
        try:
            socks.append(socket.create_connection(addr, timeout=2))
        except OSError:
            refused += 1

    def count():
        held = answered = closed = 0
        for s in socks:
            s.setblocking(False)
            try:
                if s.recv(64):
                    answered += 1
                else:
                    closed += 1
            except BlockingIOError:
                held += 1
            except OSError:
                closed += 1
        return f"{held} held, {closed} closed by the server, {answered + refused} refused"

    def hold():
        f.done.wait()
        f.result = count()
        for s in socks:
            s.close()

    f.result = ""
    f.spawn(hold)
    f.stats = lambda: f.result
    return f


def pathological(addr):
    f = Fault()
    body = json.dumps({"title": "N" + "\u00ad" * 32745 + "ike"}).encode()
    codes, worst = {}, [0.0]
    lock = threading.Lock()

    def loop():
        while not f.done.is_set():
            code, secs = post(addr, "/v1/check", body)
            with lock:
                codes[code] = codes.get(code, 0) + 1
                worst[0] = max(worst[0], secs)

    f.spawn(loop, 2)
    f.stats = lambda: (", ".join(f"{k}: {v}" for k, v in sorted(codes.items()))
                       + f"; slowest {worst[0] * 1000:.0f} ms")
    return f


def reloads(addr):
    f = Fault()
    count = [0]

    def loop():
        while not f.done.is_set():
            post(addr, "/v1/reload", b"{}", {"Authorization": f"Bearer {TOKEN}"}, timeout=60)
            count[0] += 1

    f.spawn(loop)
    f.stats = lambda: f"{count[0]} reloads"
    return f


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--secs", type=int, default=10)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/brandscan"))
    args = ap.parse_args()
    proc, addr, log = start(args.bin, ["--timeout-ms", "200", "--header-timeout", "5s"])
    print(f"# {args.bin}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; "
          f"wrk -t1 -d{args.secs}s, one listing per request; --timeout-ms 200 --header-timeout 5s")
    print("| run | connections | requests/s | p99 ms | non-2xx | fault |")
    print("|---|---:|---:|---:|---:|---|")
    try:
        for conns in (1, 8, 64):
            rps, p99, bad, err = wrk(addr, conns, args.secs)
            print(f"| plain | {conns} | {rps:,.0f} | {p99:.2f} | {bad} | {err} |", flush=True)
        for name, make in [("slowloris", lambda: slowloris(addr)),
                           ("idle-900", lambda: idle(addr, 900)),
                           ("idle-1500", lambda: idle(addr, 1500)),
                           ("pathological", lambda: pathological(addr)),
                           ("reloads", lambda: reloads(addr))]:
            fault = make()
            time.sleep(1)
            rps, p99, bad, err = wrk(addr, 8, args.secs)
            fault.stop()
            print(f"| {name} | 8 | {rps:,.0f} | {p99:.2f} | {bad} | {fault.stats()} {err} |",
                  flush=True)
            time.sleep(1)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    # Memory over reloads of a large list.
    terms = os.path.join(tempfile.gettempdir(), "brandscan-probe-terms200k.txt")
    if not os.path.exists(terms):
        subprocess.run([os.path.join(os.path.dirname(args.bin), "examples/gen_catalog"),
                        "--gen-terms", "200000", "--out", terms], check=True,
                       stderr=subprocess.DEVNULL)
    proc, addr, log = start(args.bin, ["-w", terms])
    try:
        before = rss_mb(proc.pid)
        for _ in range(10):
            post(addr, "/v1/reload", b"{}", {"Authorization": f"Bearer {TOKEN}"}, timeout=120)
            time.sleep(1)
        print(f"\n200,000 terms: resident {before:.0f} MB at start, "
              f"{rss_mb(proc.pid):.0f} MB after 10 reloads")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
