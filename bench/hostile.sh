#!/usr/bin/env bash
# The high findings of issue 22 against the bundled server, a fresh one per scenario (HostileClients.java says what
# each does): like (pathological LIKE filters), trickle (230 trickling MLflow bodies), pipeline (230 non-reading
# pipelining JSON clients), stall (2 of those beside a reading pipelining client), tags (60 models with big tags,
# 6 concurrent searches, the server at -Xmx512m). For each: a normal GET's time
# meanwhile, then the server's busy threads and CPU once the hostile clients are gone, and the log's growth.
# Usage: bench/hostile.sh [JAR] (default: the built server); HOSTILE_SCENARIOS, HOSTILE_SECONDS (default 20).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/registry-server.sh
JAR=${1:-examples/target/mlregistry-server.jar}
SCENARIOS=${HOSTILE_SCENARIOS:-like trickle pipeline stall tags}
SECONDS_=${HOSTILE_SECONDS:-20}
WORK=bench/work/hostile
PORT=18089
[ -f "$JAR" ] || mvn -B -q package -DskipTests
mkdir -p "$WORK/client" && javac -d "$WORK/client" bench/HostileClients.java
API=http://127.0.0.1:$PORT/api/v4/projects/1
for scenario in $SCENARIOS; do
  rm -rf "$WORK/run"; mkdir -p "$WORK/run/data"
  TOKEN=$(new_token hostile)
  cat > "$WORK/run/registry.json" <<JSON
{
  "storage": { "type": "filesystem", "root": "data" },
  "projects": [ { "id": 1, "path": "hostile/models", "visibility": "public", "members": { "dev": "developer" } } ],
  "tokens": [ { "kind": "personal", "user": "dev", "sha256": "$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)", "scopes": ["api"] } ]
}
JSON
  start_server "$JAR" "$WORK/run/registry.json" $PORT "$WORK/run/server.log" -Xmx512m
  auth=(-H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json")
  curl -fs "${auth[@]}" -X POST -d '{"name":"m"}' "$API/ml/mlflow/api/2.0/mlflow/registered-models/create" > /dev/null
  curl -fs "${auth[@]}" -X POST -d '{"name":"m"}' "$API/ml/mlflow/api/2.0/mlflow/model-versions/create" > /dev/null
  head -c 60000 /dev/urandom | curl -fs -H "Authorization: Bearer $TOKEN" -T - "$API/packages/ml_models/1/files/page.bin" > /dev/null
  for i in 1 2 3 4 5; do
    curl -fs "${auth[@]}" -X POST -d "{\"name\":\"$(printf 'a%.0s' $(seq 1 40))$i\"}" \
      "$API/ml/mlflow/api/2.0/mlflow/registered-models/create" > /dev/null
  done
  before=$(stat -c %s "$WORK/run/server.log")
  java -cp "$WORK/client" HostileClients "http://127.0.0.1:$PORT" "$SERVER" 1 "$scenario" "$SECONDS_" "$TOKEN"
  echo "$scenario: the server log grew by $(( $(stat -c %s "$WORK/run/server.log") - before )) bytes"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
done
