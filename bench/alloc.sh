#!/usr/bin/env bash
# Bytes the bundled server allocates per authenticated GET of one 4 KiB file, at steady state: the server runs
# with the parallel collector and a fixed 64 MiB young generation (no adaptive sizing), so that what a window
# allocated is exactly its young collections times the eden plus the eden's growth (jstat). ALLOC_WARMUP seconds
# of load (default 30) first, then three 10 s windows of wrk at 64 connections, each printed. Steady where
# requests per second are not: a figure to compare two builds by on a noisy machine. Loopback only.
# Usage: bench/alloc.sh [server jar]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/registry-server.sh
JAR=${1:-examples/target/mlregistry-server.jar}
WORK=bench/work/alloc
PORT=18087
[ -f "$JAR" ] || mvn -B -q package -DskipTests
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 1; }
rm -rf "$WORK"; mkdir -p "$WORK/data/1/1"
head -c 4096 /dev/urandom > "$WORK/data/1/1/small.bin"
TOKEN=$(new_token alloc)
write_config "$WORK/registry.json" alloc private "$TOKEN"
start_server "$JAR" "$WORK/registry.json" $PORT "$WORK/server.log" \
  -Xmx1g -XX:+UseParallelGC -XX:-UseAdaptiveSizePolicy -Xmn64m -Dorg.mlregistry.access.LEVEL=OFF
URL=http://127.0.0.1:$PORT/api/v4/projects/1/packages/ml_models/1/files/small.bin
wrk -t2 -c64 -d"${ALLOC_WARMUP:-30}"s -H "PRIVATE-TOKEN: $TOKEN" "$URL" > /dev/null
# jstat -gc columns: S0C S1C S0U S1U EC EU OC OU MC MU CCSC CCSU YGC ...
for _ in 1 2 3; do
  before=$(jstat -gc $SERVER | tail -1)
  requests=$(wrk -t2 -c64 -d10s -H "PRIVATE-TOKEN: $TOKEN" "$URL" | awk '/requests in/ {print $1}')
  after=$(jstat -gc $SERVER | tail -1)
  echo "$before $after $requests" | awk '{ half = (NF - 1) / 2; n = $NF;
    bytes = (($(half + 13) - $13) * $5 + $(half + 6) - $6) * 1024;
    printf "%d requests in 10 s, %.0f bytes allocated per request\n", n, bytes / n }'
done
