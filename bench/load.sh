#!/usr/bin/env bash
# Load test of the bundled server: LOAD_CLIENTS (default 64) concurrent clients for LOAD_SECONDS (default 60)
# mixing GET, HEAD, ranged and conditional GETs, PUTs and bad requests over LOAD_FILES (default 200) files of
# 4-256 KiB; prints requests, unexpected statuses by kind, p50/p99, and the server's heap, threads and fds
# before and after. Exit code 1 on any unexpected status. Loopback only. Usage: bench/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/registry-server.sh
SECONDS_=${LOAD_SECONDS:-60}
CLIENTS=${LOAD_CLIENTS:-64}
FILES=${LOAD_FILES:-200}
WORK=bench/work/load
JAR=examples/target/mlregistry-server.jar
PORT=18085
[ -f "$JAR" ] || mvn -B -q package -DskipTests
rm -rf "$WORK"; mkdir -p "$WORK/data/1/1/scratch"
for i in $(seq 0 $((FILES - 1))); do
  head -c $(( (RANDOM % 64 + 1) * 4096 )) /dev/urandom > "$WORK/data/1/1/$(printf 'load-%03d.bin' "$i")"
done
TOKEN=$(new_token load)
write_config "$WORK/registry.json" load private "$TOKEN" '
  "metrics": true,'
# shellcheck disable=SC2086 # the options are words
start_server "$JAR" "$WORK/registry.json" $PORT "$WORK/server.log" ${LOAD_JAVA_OPTS:--Xmx512m} -Dorg.mlregistry.access.LEVEL=OFF
java -cp "$JAR" bench/LoadTool.java "http://127.0.0.1:$PORT/api/v4" "$TOKEN" "$SECONDS_" "$CLIENTS" "$FILES"
