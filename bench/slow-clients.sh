#!/usr/bin/env bash
# Slow clients against a freshly started bundled server (issue 12, item 2): SLOW_CLIENTS (default 250) uploads that
# trickle a byte every 1.5 s and as many connections that pipeline 200 GETs of a 60 KB public file each and never
# read, opened as fast as one client can; a normal client on its own connection GETs the file every 300 ms from the
# first slow connection on, for SLOW_SECONDS (default 15). Prints the probes (median, maximum, each one while the
# slow clients open), then what the server holds: its threads, CPU time, resident memory, connections and the
# bytes waiting in their socket buffers. The clients run in their own JVM, as they would. Exit code 1 when a probe
# fails. Loopback only. Usage: bench/slow-clients.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=${SLOW_CLIENTS:-250}
SECONDS_=${SLOW_SECONDS:-15}
WORK=bench/work/slow
JAR=examples/target/mlregistry-server.jar
PORT=18086
[ -f "$JAR" ] || mvn -B -q package -DskipTests
rm -rf "$WORK"; mkdir -p "$WORK/data/1/1"
head -c 60000 /dev/urandom > "$WORK/data/1/1/page.bin"
TOKEN="glpat-slow-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
cat > "$WORK/registry.json" <<JSON
{
  "storage": { "type": "filesystem", "root": "data" },
  "catalog": { "type": "none" },
  "projects": [ { "id": 1, "path": "slow/models", "visibility": "public", "members": { "slow": "developer" } } ],
  "tokens": [ { "kind": "personal", "user": "slow", "sha256": "$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)", "scopes": ["api"] } ]
}
JSON
java ${SLOW_JAVA_OPTS:--Xmx512m} -jar "$JAR" --config "$WORK/registry.json" --port $PORT > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/health" && break; sleep 0.1; done
# the client is compiled before the server sees a request, so that the server starts cold and the client does not
CLIENT_JAR=$WORK/client
mkdir -p "$CLIENT_JAR" && javac -d "$CLIENT_JAR" bench/SlowClients.java
server_facts() {
  echo "server: $(ls /proc/$SERVER/task | wc -l) threads, $(awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' /proc/$SERVER/stat) s of CPU," \
    "$(awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' /proc/$SERVER/status) resident," \
    "$(ss -tnH state established "( sport = :$PORT )" | awk '{n++; q += $2} END {printf "%d connections with %.0f MB waiting in socket buffers", n, q / 1e6}')"
}
echo "before: $(server_facts)"
HOLD=$WORK/hold; rm -f "$HOLD"
SLOW_HOLD_FILE=$HOLD java -cp "$CLIENT_JAR" SlowClients "http://127.0.0.1:$PORT" "$TOKEN" \
  /api/v4/projects/1/packages/ml_models/1/files/page.bin 60000 "$CLIENTS" "$SECONDS_" &
CLIENT=$!
while kill -0 $CLIENT 2>/dev/null && [ ! -f "$HOLD" ]; do sleep 0.2; done
[ -f "$HOLD" ] && echo "at the end, slow clients still connected: $(server_facts)"
wait $CLIENT
