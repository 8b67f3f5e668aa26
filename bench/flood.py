"""Flood behaviour: one client hammers `/v1/chat` with its key while two in-quota clients keep asking.

Starts `qa serve` on loopback (fake embeddings, sample corpus) with `QA_RATE_LIMIT_PER_MINUTE=120`
and `QA_API_KEYS=flood:chat,ok1:chat,ok2:chat`. The flooder (its own process, many concurrent
connections) should mostly get 429s quickly; the in-quota clients (one request a second each, half
their quota) should keep getting 200s at a normal latency. Records status codes per client, p50/p95
latency, and the server's peak RSS (VmHWM). Not part of `make test`:

    .venv/bin/python bench/flood.py [--seconds 20] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
QA = Path(sys.executable).parent / "qa"
QUESTIONS = [
    "Chỉ thị 12-CT/TW ban hành ngày nào?",
    "Ai có trách nhiệm xây dựng Chương trình hành động?",
    "Liên hiệp các tổ chức hữu nghị thành phố Hải Phòng có nhiệm vụ gì?",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def _rss_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


async def _flood(url: str, seconds: float, concurrency: int) -> dict[str, Any]:
    statuses: Counter[str] = Counter()
    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=15.0, limits=limits, headers={"X-API-Key": "flood"}) as c:

        async def worker(i: int) -> None:
            n = 0
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    r = await c.post("/v1/chat", json={"message": QUESTIONS[(i + n) % len(QUESTIONS)]})
                    statuses[str(r.status_code)] += 1
                except httpx.HTTPError as exc:
                    statuses[type(exc).__name__] += 1
                latencies.append((time.perf_counter() - started) * 1000)
                n += 1

        await asyncio.gather(*(worker(i) for i in range(concurrency)))
    return {"statuses": dict(statuses), "requests": sum(statuses.values()),
            "p50_ms": percentile(latencies, 0.5), "p95_ms": percentile(latencies, 0.95)}


def flood_process(url: str, seconds: float, concurrency: int, out: Any) -> None:
    out.put(asyncio.run(_flood(url, seconds, concurrency)))


async def _in_quota(url: str, key: str, seconds: float, interval: float) -> dict[str, Any]:
    statuses: Counter[str] = Counter()
    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=url, timeout=15.0, headers={"X-API-Key": key}) as c:
        n = 0
        while time.monotonic() < deadline:
            tick = time.monotonic()
            started = time.perf_counter()
            try:
                r = await c.post("/v1/chat", json={"message": QUESTIONS[n % len(QUESTIONS)]})
                statuses[str(r.status_code)] += 1
            except httpx.HTTPError as exc:
                statuses[type(exc).__name__] += 1
            latencies.append((time.perf_counter() - started) * 1000)
            n += 1
            await asyncio.sleep(max(0.0, interval - (time.monotonic() - tick)))
    return {"statuses": dict(statuses), "requests": n, "latencies": latencies}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--interval", type=float, default=1.0, help="seconds between an in-quota client's requests")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "flood.json")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="qa-flood-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "QA_EMBEDDINGS": "fake", "QA_DATA_DIR": str(work / "index"), "HF_HUB_OFFLINE": "1",
           "QA_RATE_LIMIT_PER_MINUTE": "120", "QA_API_KEYS": "flood:chat,ok1:chat,ok2:chat",
           "QA_LOG_LEVEL": "WARNING", "QA_LOG_JSON": "false"}
    subprocess.run([str(QA), "ingest", str(ROOT / "data" / "sample")], env=env, cwd=work, check=True,
                   capture_output=True)
    server = subprocess.Popen([str(QA), "serve", "--port", str(port)], env=env, cwd=work,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        else:
            raise SystemExit("server did not become ready")
        rss_start = _rss_kb(server.pid, "VmRSS")
        samples: list[int] = []
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(0.2):
                try:
                    samples.append(_rss_kb(server.pid, "VmRSS"))
                except OSError:
                    return

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        queue: Any = mp.Queue()
        flooder = mp.Process(target=flood_process, args=(url, args.seconds, args.concurrency, queue))
        started = time.monotonic()
        flooder.start()

        async def clients() -> list[dict[str, Any]]:
            await asyncio.sleep(1.0)  # let the flood reach full speed first
            return list(await asyncio.gather(*(_in_quota(url, k, args.seconds - 1.0, args.interval)
                                               for k in ("ok1", "ok2"))))

        ok = asyncio.run(clients())
        flood = queue.get(timeout=args.seconds + 60)
        flooder.join()
        elapsed = time.monotonic() - started
        stop.set()
        sampler.join()
        healthy = httpx.get(f"{url}/readyz", timeout=5).status_code
        peak_hwm = _rss_kb(server.pid, "VmHWM")
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    in_quota_latencies = [ms for c in ok for ms in c["latencies"]]
    in_quota_statuses: Counter[str] = Counter()
    for c in ok:
        in_quota_statuses.update(c["statuses"])
    result = {
        "seconds": round(elapsed, 1), "rate_limit_per_minute": 120, "flood_concurrency": args.concurrency,
        "flood": {**flood, "rps": round(flood["requests"] / args.seconds, 1)},
        "in_quota": {
            "clients": 2, "interval_s": args.interval, "statuses": dict(in_quota_statuses),
            "requests": sum(c["requests"] for c in ok),
            "p50_ms": percentile(in_quota_latencies, 0.5), "p95_ms": percentile(in_quota_latencies, 0.95),
            "max_ms": round(max(in_quota_latencies), 1) if in_quota_latencies else None,
        },
        "server": {"rss_start_mb": round(rss_start / 1024, 1),
                   "rss_peak_sampled_mb": round(max(samples or [rss_start]) / 1024, 1),
                   "vm_hwm_mb": round(peak_hwm / 1024, 1), "readyz_after": healthy},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    f, q, s = result["flood"], result["in_quota"], result["server"]
    print(f"flood ({args.concurrency} connections, key 'flood'): {f['requests']} requests, {f['rps']}/s, "
          f"statuses {f['statuses']}, p95 {f['p95_ms']} ms")
    print(f"in quota (ok1, ok2 at 1/{args.interval:g}s): {q['requests']} requests, statuses {q['statuses']}, "
          f"p50 {q['p50_ms']} ms, p95 {q['p95_ms']} ms, max {q['max_ms']} ms")
    print(f"server RSS: start {s['rss_start_mb']} MB, peak {s['vm_hwm_mb']} MB (VmHWM); /readyz after: {s['readyz_after']}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
