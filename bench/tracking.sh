#!/usr/bin/env bash
# Issue 27's figure: TRACK_POINTS metric points (default 100,000) logged to one run through `runs/log-batch`, 1,000 a
# request (MLflow's limit), over one keep-alive connection to the bundled server with its embedded SQLite catalog, then
# read back through `metrics/get-history` (pages of 25,000). Printed: points per second each way, and the p50 and p99 of
# one log-batch of 1,000 points. The floor, in the same run: the same rows inserted by Python's sqlite3 into a file
# with the catalog's settings (write-ahead log, synchronous=FULL), one transaction per 1,000, as the registry commits.
# The server is warmed up first with 50 batches to a run of its own.
# Usage: bench/tracking.sh   (TRACK_POINTS=20000 bench/tracking.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/registry-server.sh
POINTS=${TRACK_POINTS:-100000}
WORK=bench/work/tracking
JAR=${TRACK_JAR:-examples/target/mlregistry-server.jar}
PORT=18095
[ -f "$JAR" ] || mvn -B -q package -DskipTests
rm -rf "$WORK"; mkdir -p "$WORK"
TOKEN=$(new_token tracking)
write_config "$WORK/registry.json" bench private "$TOKEN"
sed -i 's|"catalog": { "type": "none" },|"catalog": { "type": "sqlite" },|' "$WORK/registry.json"
start_server "$JAR" "$WORK/registry.json" "$PORT" "$WORK/server.log" -Xmx512m -Dorg.mlregistry.access.LEVEL=OFF

python3 - "$PORT" "$TOKEN" "$POINTS" "$WORK/floor.sqlite" <<'PY'
import http.client, json, sqlite3, statistics, sys, time
port, token, points, floor_file = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
api = "/api/v4/projects/1/ml/mlflow/api/2.0/mlflow/"
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
def call(method, op, body=None):
    conn.request(method, api + op, body=None if body is None else json.dumps(body),
                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    r = conn.getresponse()
    data = r.read()
    if r.status != 200:
        raise SystemExit(f"{op}: {r.status} {data[:300]!r}")
    return json.loads(data)
exp = call("POST", "experiments/create", {"name": "bench"})["experiment_id"]
batch = 1000
# warm-up: the JIT compiles the request path on a run of its own before anything is measured
warm = call("POST", "runs/create", {"experiment_id": exp, "start_time": 0})["run"]["info"]["run_id"]
for b in range(0, 50 * batch, batch):
    call("POST", "runs/log-batch", {"run_id": warm, "metrics": [{"key": "w", "value": 1.0, "timestamp": i, "step": i}
                                                              for i in range(b, b + batch)]})
    call("GET", f"metrics/get-history?run_id={warm}&metric_key=w&max_results=25000")
run = call("POST", "runs/create", {"experiment_id": exp, "start_time": 0})["run"]["info"]["run_id"]
latencies = []
start = time.perf_counter()
for b in range(0, points, batch):
    metrics = [{"key": "loss", "value": 1.0 / (i + 1), "timestamp": 1_780_000_000_000 + i, "step": i} for i in range(b, min(points, b + batch))]
    t = time.perf_counter()
    call("POST", "runs/log-batch", {"run_id": run, "metrics": metrics})
    latencies.append(time.perf_counter() - t)
wrote = time.perf_counter() - start
start = time.perf_counter()
read, token_ = 0, None
while True:
    q = f"metrics/get-history?run_id={run}&metric_key=loss&max_results=25000" + (f"&page_token={token_}" if token_ else "")
    page = call("GET", q)
    read += len(page["metrics"])
    token_ = page.get("next_page_token")
    if not token_:
        break
readback = time.perf_counter() - start
if read != points:
    raise SystemExit(f"read back {read} points of {points}")

db = sqlite3.connect(floor_file, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=FULL")
db.execute("CREATE TABLE run_metric (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL, metric_key TEXT NOT NULL, "
           "metric_value REAL, logged_at INTEGER NOT NULL, step INTEGER NOT NULL)")
db.execute("CREATE INDEX ix ON run_metric (run_id, metric_key, id)")
start = time.perf_counter()
for b in range(0, points, batch):
    db.execute("BEGIN IMMEDIATE")
    db.executemany("INSERT INTO run_metric (run_id, metric_key, metric_value, logged_at, step) VALUES (1, 'loss', ?, ?, ?)",
                   [(1.0 / (i + 1), 1_780_000_000_000 + i, i) for i in range(b, min(points, b + batch))])
    db.execute("COMMIT")
floor = time.perf_counter() - start
start = time.perf_counter()
rows = db.execute("SELECT metric_key, metric_value, logged_at, step FROM run_metric WHERE run_id = 1 AND metric_key = 'loss' ORDER BY id").fetchall()
floor_read = time.perf_counter() - start
lat = sorted(latencies)
p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000
print(f"{points} points, {len(latencies)} log-batch requests of {batch}")
print(f"{'':34}{'registry':>14}{'sqlite3 floor':>16}{'ratio':>8}")
print(f"{'write (points/s)':34}{points / wrote:14,.0f}{points / floor:16,.0f}{floor / wrote:8.2f}x")
print(f"{'read back (points/s)':34}{points / readback:14,.0f}{len(rows) / floor_read:16,.0f}{floor_read / readback:8.2f}x")
print(f"one log-batch of {batch}: p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms")
PY
