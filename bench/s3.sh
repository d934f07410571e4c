#!/usr/bin/env bash
# Benchmark of the S3 store: one 1 GiB download and 4 concurrent 64 MiB downloads, from the filesystem store,
# from S3 proxied through the registry, and from S3 redirected (curl -L, time to the last byte). The S3 server
# is s3proxy on a local disk (from Maven Central, as the tests use it), so the figures compare the registry's
# paths, not a network. Uses bench/work/ from bench/run.sh's data set (generates it when missing).
#
# Usage: bench/s3.sh
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=bench/work
DATA=$WORK/data
FILES=$DATA/1/1
JAR=examples/target/mlregistry-server.jar
S3_PORT=18083 FS_PORT=18084 PROXIED_PORT=18085 REDIRECT_PORT=18086
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl >/dev/null; }
[ -f "$JAR" ] || mvn -B -q package -DskipTests
mkdir -p "$FILES"
[ -f "$FILES/big-1g.bin" ] || head -c 1G /dev/urandom > "$FILES/big-1g.bin"
[ -f "$FILES/mid-64m.bin" ] || head -c 64M /dev/urandom > "$FILES/mid-64m.bin"
[ -f "$WORK/s3proxy.cp" ] || mvn -B -q -pl registry-storage-s3 dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$PWD/$WORK/s3proxy.cp" >/dev/null

rm -rf "$WORK/s3" && mkdir -p "$WORK/s3"
java -cp "$(cat "$WORK/s3proxy.cp")" bench/S3ProxyServer.java $S3_PORT > "$WORK/s3/s3proxy.log" 2>&1 &
PIDS+=($!)

TOKEN="glpat-s3bench-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"
HASH=$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)
config() { # file storage-json
  cat > "$1" <<JSON
{ "storage": $2, "catalog": { "type": "none" },
  "projects": [ { "id": 1, "path": "bench/models", "visibility": "private", "members": { "bench": "developer" } } ],
  "tokens": [ { "kind": "personal", "user": "bench", "sha256": "$HASH", "scopes": ["api"] } ] }
JSON
}
S3='"type": "s3", "bucket": "models", "endpoint": "http://127.0.0.1:'$S3_PORT'", "pathStyle": true, "accessKeyEnv": "BENCH_S3_KEY", "secretKeyEnv": "BENCH_S3_KEY"'
config "$WORK/s3/fs.json" '{ "type": "filesystem", "root": "../data" }'
config "$WORK/s3/proxied.json" "{ $S3, \"redirect\": false }"
config "$WORK/s3/redirect.json" "{ $S3, \"redirect\": true }"
export BENCH_S3_KEY=unused

for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$S3_PORT/" && break; sleep 0.2; done
curl -s -o /dev/null -X PUT "http://127.0.0.1:$S3_PORT/models"
curl -s -o /dev/null -X PUT --data-binary x "http://127.0.0.1:$S3_PORT/models/1/1/seed.txt" # the version exists once it has a file

start() { # port config
  java -Xmx1g -jar "$JAR" --config "$2" --port "$1" > "$WORK/s3/server-$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do curl -s -o /dev/null -H "PRIVATE-TOKEN: $TOKEN" "http://127.0.0.1:$1/api/v4/projects/1/packages/ml_models/1/files/x" && return; sleep 0.2; done
}
start $FS_PORT "$WORK/s3/fs.json"; start $PROXIED_PORT "$WORK/s3/proxied.json"; start $REDIRECT_PORT "$WORK/s3/redirect.json"

URL=/api/v4/projects/1/packages/ml_models/1/files
echo "uploading the data set through the registry into the bucket..." >&2
for f in big-1g.bin mid-64m.bin; do
  curl -s -o /dev/null -w "upload $f: %{http_code} in %{time_total} s\n" -H "PRIVATE-TOKEN: $TOKEN" -T "$FILES/$f" \
    "http://127.0.0.1:$PROXIED_PORT$URL/$f" >&2
done

one() { # port -> MiB/s of one 1 GiB download (following redirects)
  curl -s -L -o /dev/null -H "PRIVATE-TOKEN: $TOKEN" -w '%{speed_download}' "http://127.0.0.1:$1$URL/big-1g.bin" \
    | awk '{ printf "%.0f", $1 / 1048576 }'
}
four() { # port -> MiB/s aggregate of 4 concurrent 64 MiB downloads
  local t0 t1 pids=()
  t0=$(date +%s%N)
  for i in 1 2 3 4; do curl -s -L -o /dev/null -H "PRIVATE-TOKEN: $TOKEN" "http://127.0.0.1:$1$URL/mid-64m.bin" & pids+=($!); done
  wait "${pids[@]}"
  t1=$(date +%s%N)
  awk -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.0f", 4 * 64 / ((t1 - t0) / 1e9) }'
}
for p in $FS_PORT $PROXIED_PORT $REDIRECT_PORT; do one $p >/dev/null; four $p >/dev/null; done # warm up
printf '%-34s %12s %12s %12s\n' "measure (median of 3)" "filesystem" "s3 proxied" "s3 redirect"
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
printf '%-34s %12s %12s %12s\n' "1 GiB download, MiB/s" \
  "$(median3 "$(one $FS_PORT)" "$(one $FS_PORT)" "$(one $FS_PORT)")" \
  "$(median3 "$(one $PROXIED_PORT)" "$(one $PROXIED_PORT)" "$(one $PROXIED_PORT)")" \
  "$(median3 "$(one $REDIRECT_PORT)" "$(one $REDIRECT_PORT)" "$(one $REDIRECT_PORT)")"
printf '%-34s %12s %12s %12s\n' "4 x 64 MiB concurrent, MiB/s" \
  "$(median3 "$(four $FS_PORT)" "$(four $FS_PORT)" "$(four $FS_PORT)")" \
  "$(median3 "$(four $PROXIED_PORT)" "$(four $PROXIED_PORT)" "$(four $PROXIED_PORT)")" \
  "$(median3 "$(four $REDIRECT_PORT)" "$(four $REDIRECT_PORT)" "$(four $REDIRECT_PORT)")"
