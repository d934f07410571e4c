#!/usr/bin/env bash
# Issue 28's figure: the web interface's heaviest pages, timed through the bundled server with its embedded SQLite
# catalog: the page of a model with WEB_VERSIONS versions (default 1,000; each with a file), one of its versions, and
# a run with WEB_POINTS metric points (default 100,000) drawn as a chart; the experiment's run table too. Each is asked
# 50 times after 20 warm-up requests, over one keep-alive connection on loopback, signed in as a browser is (session
# cookie). Printed: p50 and p99 in ms; the run page also with a point logged before each request, so that the chart
# is made anew each time (the catalog keeps a run's charts while its history does not change). The reference, in the same run: the API calls that return the same data as
# JSON (the model and its versions through MLflow's registered-models/get and model-versions/search, the run's
# history through metrics/get-history, 25,000 points a page), and the ratio page / API.
# Usage: bench/web.sh   (WEB_VERSIONS=200 WEB_POINTS=20000 bench/web.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/registry-server.sh
VERSIONS=${WEB_VERSIONS:-1000}
POINTS=${WEB_POINTS:-100000}
WORK=bench/work/web
JAR=${WEB_JAR:-examples/target/mlregistry-server.jar}
PORT=18096
[ -f "$JAR" ] || mvn -B -q package -DskipTests
rm -rf "$WORK"; mkdir -p "$WORK"
TOKEN=$(new_token web)
write_config "$WORK/registry.json" bench private "$TOKEN"
sed -i 's|"catalog": { "type": "none" },|"catalog": { "type": "sqlite" },|' "$WORK/registry.json"
start_server "$JAR" "$WORK/registry.json" "$PORT" "$WORK/server.log" -Xmx512m -Dorg.mlregistry.access.LEVEL=OFF

python3 - "$PORT" "$TOKEN" "$VERSIONS" "$POINTS" <<'PY'
import http.client, json, re, statistics, sys, time, urllib.parse
port, token, versions, points = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
api = "/api/v4/projects/1/ml/mlflow/api/2.0/mlflow/"
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
auth = {"Authorization": "Bearer " + token}
def call(method, path, body=None, headers=None, raw=None):
    h = dict(headers or {})
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    if body is not None:
        h["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=h)
    r = conn.getresponse()
    payload = r.read()
    return r.status, r.getheaders(), payload
def mlflow(method, op, body=None):
    status, _, data = call(method, api + op, body, auth)
    if status != 200:
        raise SystemExit(f"{op}: {status} {data[:300]!r}")
    return json.loads(data)

print(f"populating: a model with {versions} versions (a file each), a run with {points} metric points ...", flush=True)
mlflow("POST", "registered-models/create", {"name": "big", "description": "A model with many versions."})
for v in range(versions):
    mlflow("POST", "model-versions/create", {"name": "big", "tags": [{"key": "gitlab.version", "value": f"1.{v // 100}.{v % 100}"}]})
status, _, data = call("GET", "/api/v4/projects/1/packages?package_name=big&per_page=100&page=1", headers=auth)
ids = []
page = 1
while True:
    status, headers, data = call("GET", f"/api/v4/projects/1/packages?package_name=big&per_page=100&page={page}", headers=auth)
    batch = json.loads(data)
    ids += [p["id"] for p in batch]
    if len(batch) < 100:
        break
    page += 1
for i in ids:
    status, _, data = call("PUT", f"/api/v4/projects/1/packages/ml_models/{i}/files/model.bin", headers=auth, raw=b"w" * 1000)
    if status != 201:
        raise SystemExit(f"upload: {status} {data[:200]!r}")
model_id = mlflow("GET", "registered-models/get?name=big")["registered_model"].get("id")
exp = mlflow("POST", "experiments/create", {"name": "bench"})["experiment_id"]
run = mlflow("POST", "runs/create", {"experiment_id": exp, "run_name": "long", "start_time": 0})["run"]
run_id, run_iid = run["info"]["run_id"], None
for b in range(0, points, 1000):
    mlflow("POST", "runs/log-batch", {"run_id": run_id, "metrics": [{"key": "loss", "value": 1.0 / (i + 1), "timestamp": i, "step": i}
                                                                  for i in range(b, min(points, b + 1000))]})
mlflow("POST", "runs/log-batch", {"run_id": run_id, "params": [{"key": "lr", "value": "0.01"}]})

# sign in as a browser does: the form's cookie and CSRF token, then the token for a session cookie
status, headers, data = call("GET", "/-/sign_in")
form_cookie = [v.split(";")[0] for k, v in headers if k.lower() == "set-cookie"][0]
csrf = re.search(rb'name="csrf" value="([A-Za-z0-9_-]+)"', data).group(1).decode()
status, headers, _ = call("POST", "/-/sign_in", raw=urllib.parse.urlencode({"csrf": csrf, "token": token, "next": "/"}).encode(),
                          headers={"Cookie": form_cookie, "Content-Type": "application/x-www-form-urlencoded"})
session = [v.split(";")[0] for k, v in headers if k.lower() == "set-cookie" and v.startswith("mlr_session=")][0]
browser = {"Cookie": session}
status, _, data = call("GET", "/bench/models/-/ml/models", headers=browser)
model_path = re.search(rb'href="(/bench/models/-/ml/models/\d+)" class="model-link"', data).group(1).decode()
status, _, data = call("GET", model_path, headers=browser)
version_path = re.search(rb'href="(' + model_path.encode() + rb'/versions/\d+)" class="version-link"', data).group(1).decode()
status, _, data = call("GET", "/bench/models/-/ml/experiments", headers=browser)
experiment_path = re.search(rb'href="(/bench/models/-/ml/experiments/\d+)" class="experiment-link"', data).group(1).decode()
status, _, data = call("GET", experiment_path, headers=browser)
run_path = re.search(rb'href="(/bench/models/-/ml/candidates/\d+)" class="run-link"', data).group(1).decode()

def timed(label, fetch, before=None):
    for _ in range(20):
        if before:
            before()
        fetch()
    samples = []
    for _ in range(50):
        if before:
            before()
        t = time.perf_counter()
        fetch()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]
def page(path):
    def fetch():
        status, _, data = call("GET", path, headers=browser)
        if status != 200:
            raise SystemExit(f"{path}: {status}")
    return fetch
def history():
    token_ = None
    while True:
        q = f"metrics/get-history?run_id={run_id}&metric_key=loss&max_results=25000" + (f"&page_token={token_}" if token_ else "")
        token_ = mlflow("GET", q).get("next_page_token")
        if not token_:
            return
def model_api():
    mlflow("GET", "registered-models/get?name=big")
    mlflow("GET", "model-versions/search?filter=" + urllib.parse.quote("name='big'") + "&max_results=1000")

extra = [points]
def log_one():
    extra[0] += 1
    mlflow("POST", "runs/log-batch", {"run_id": run_id, "metrics": [{"key": "loss", "value": 0.5, "timestamp": extra[0], "step": extra[0]}]})
rows = [
    (f"model page ({versions} versions, 50 shown)", page(model_path), "registered-models/get + model-versions/search", model_api),
    ("version page (files, card, snippets)", page(version_path), "registered-models/get + model-versions/search", model_api),
    (f"run page ({points} points charted)", page(run_path), f"metrics/get-history ({points} points)", history),
    ("run page, a point logged before each", page(run_path), None, None, log_one),
    ("experiment page (run table)", page(experiment_path), None, None),
]
print(f"{'page':44} {'p50 ms':>8} {'p99 ms':>8}   {'API reference':46} {'p50 ms':>8} {'ratio':>6}")
for label, fetch, ref_label, ref, *before in rows:
    p50, p99 = timed(label, fetch, before[0] if before else None)
    if ref:
        r50, _ = timed(ref_label, ref)
        print(f"{label:44} {p50:8.1f} {p99:8.1f}   {ref_label:46} {r50:8.1f} {p50 / r50:6.2f}")
    else:
        print(f"{label:44} {p50:8.1f} {p99:8.1f}")
PY
