"""Load generator for an Ollama-shaped embedding endpoint (standard library only): `concurrency`
workers, each with its own keep-alive connection, send POST /api/embed until `requests` have been
sent or `duration_s` has passed, whichever comes first. Each request is drawn from the mix by
weight (seeded, so runs send the same sequence). One line per request on stdout:
  BENCH-REQ <op> <status> <t_start> <t_end>      (epoch seconds; status "ok", an HTTP code or an error name)
Usage: loadgen.py HOST PORT MODEL CONCURRENCY REQUESTS DURATION_S SEED MIX_JSON
MIX_JSON: [{"name": "short", "weight": 3, "words": 8, "inputs": 1}, ...]"""

import http.client
import json
import random
import sys
import threading
import time

host, port, model = sys.argv[1], int(sys.argv[2]), sys.argv[3]
concurrency, total, duration = int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
seed, mix = int(sys.argv[7]), json.loads(sys.argv[8])

WORDS = ("cluster node job queue scheduler latency throughput memory core network service model "
         "request batch token vector search index shard replica storage sensor weather river city").split()


def text(rng, words):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


# The whole request sequence up front, so workers only send and the mix is the same every run.
rng = random.Random(seed)
weights = [m["weight"] for m in mix]
plan = []
for _ in range(total):
    m = rng.choices(mix, weights)[0]
    body = {"model": model, "input": [text(rng, m["words"]) for _ in range(m["inputs"])]}
    plan.append((m["name"], json.dumps(body).encode()))

lock = threading.Lock()
next_index = 0
deadline = time.monotonic() + duration
out = []


def worker():
    global next_index
    conn = None
    while True:
        with lock:
            if next_index >= len(plan) or time.monotonic() >= deadline:
                break
            op, body = plan[next_index]
            next_index += 1
        t0 = time.time()
        try:
            if conn is None:
                conn = http.client.HTTPConnection(host, port, timeout=max(1.0, deadline - time.monotonic() + 5))
            conn.request("POST", "/api/embed", body, {"Content-Type": "application/json"})
            resp = conn.getresponse()
            data = resp.read()
            status = "ok" if resp.status == 200 and b'"embeddings"' in data else str(resp.status)
        except Exception as e:  # a failed request is a result, not the end of the run
            status = type(e).__name__
            if conn is not None:
                conn.close()
            conn = None
        t1 = time.time()
        with lock:
            out.append(f"BENCH-REQ {op} {status} {t0:.6f} {t1:.6f}")
    if conn is not None:
        conn.close()


threads = [threading.Thread(target=worker) for _ in range(concurrency)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("\n".join(out), flush=True)
print(f"BENCH-DONE {len(out)}", flush=True)
