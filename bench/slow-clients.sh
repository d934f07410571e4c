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
source bench/registry-server.sh
CLIENTS=${SLOW_CLIENTS:-250}
SECONDS_=${SLOW_SECONDS:-15}
WORK=bench/work/slow
JAR=examples/target/mlregistry-server.jar
PORT=18088
[ -f "$JAR" ] || mvn -B -q package -DskipTests
rm -rf "$WORK"; mkdir -p "$WORK/data/1/1"
head -c 60000 /dev/urandom > "$WORK/data/1/1/page.bin"
TOKEN=$(new_token slow)
write_config "$WORK/registry.json" slow public "$TOKEN"
# shellcheck disable=SC2086 # the options are words
start_server "$JAR" "$WORK/registry.json" $PORT "$WORK/server.log" ${SLOW_JAVA_OPTS:--Xmx512m}
# the client is compiled before the server serves anything, so that the server starts cold and the client does not
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
