#!/usr/bin/env bash
# Issue 25's figures, side by side in one run: versions' files as manifests and blobs against the directory layout.
#  1. PUT of 1 GiB into a version: `cat file > same-disk-file && sync` (the floor), this build without a catalog
#     (directory layout: temp file, hashed, forced, renamed), this build with its embedded SQLite catalog (staged,
#     hashed, forced, linked as a blob, manifest row written), and BENCH_BEFORE_JAR (another build's server jar, with
#     the embedded catalog of its day) when given; interleaved over BLOBS_ROUNDS rounds (default 3), medians.
#  2. A version of BLOBS_FILES files (default 10,000, 1 KiB each): listed through MLflow (`mlflow-artifacts/artifacts`,
#     one directory of them) and the Hugging Face tree (`?recursive=true`, every page), the first time and then the
#     median of 5, on this build (the manifest) and on BENCH_BEFORE_JAR (a walk of storage) when given.
# Usage: bench/blobs.sh   (BENCH_BEFORE_JAR=/path/to/old/mlregistry-server.jar bench/blobs.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/registry-server.sh
ROUNDS=${BLOBS_ROUNDS:-3}
FILES=${BLOBS_FILES:-10000}
WORK=bench/work/blobs
JAR=${BLOBS_JAR:-examples/target/mlregistry-server.jar}
BEFORE=${BENCH_BEFORE_JAR:-}
[ -f "$JAR" ] || mvn -B -q package -DskipTests
rm -rf "$WORK"; mkdir -p "$WORK"
TOKEN=$(new_token blobs)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT

# serve NAME JAR PORT CATALOG_JSON: a server over its own root, up once /health answers
serve() {
  mkdir -p "$WORK/$1"
  write_config "$WORK/$1/registry.json" bench private "$TOKEN"
  sed -i "s|\"catalog\": { \"type\": \"none\" },|\"catalog\": $4,|" "$WORK/$1/registry.json"
  java -Xmx512m -Dorg.mlregistry.access.LEVEL=OFF -jar "$2" --config "$WORK/$1/registry.json" --port "$3" > "$WORK/$1/server.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 200); do curl -fs -o /dev/null "http://127.0.0.1:$3/health" && return 0; sleep 0.1; done
  echo "the $1 server did not come up: $WORK/$1/server.log" >&2; exit 1
}
API() { echo "http://127.0.0.1:$1/api/v4/projects/1"; }
# version PORT MODEL: creates the model and a version through the MLflow API; prints the version id
version() {
  curl -fs -H "PRIVATE-TOKEN: $TOKEN" -X POST "$(API "$1")/ml/mlflow/api/2.0/mlflow/registered-models/create" \
    -d "{\"name\": \"$2\"}" > /dev/null
  curl -fs -H "PRIVATE-TOKEN: $TOKEN" -X POST "$(API "$1")/ml/mlflow/api/2.0/mlflow/model-versions/create" \
    -d "{\"name\": \"$2\"}" | python3 -c 'import json, sys; print(json.load(sys.stdin)["model_version"]["version"])'
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
now() { date +%s.%N; }
secs() { echo "$1 $2" | awk '{ printf "%.2f", $2 - $1 }'; }

serve layout "$JAR" 18091 '{ "type": "none" }'
serve blobs "$JAR" 18092 '{ "type": "sqlite" }'
mkdir -p "$WORK/layout/data/1/1"                      # without a catalog a version is its directory
V_BLOBS=$(version 18092 big)
NAMES=(cat layout blobs); PORTS=(0 18091 18092); VERSIONS=(0 1 "$V_BLOBS")
if [ -n "$BEFORE" ]; then
  serve before "$BEFORE" 18093 '{ "type": "h2" }'
  NAMES+=(before); PORTS+=(18093); VERSIONS+=("$(version 18093 big)")
fi
declare -A T
# a new 1 GiB per round, so that every round creates its blob; the order rotates, so that no contender always
# follows the same one into a disk still writing back; each round's files are gone before the next (the blob
# stays: nothing removes a blob but gc)
for r in $(seq 1 "$ROUNDS"); do
  head -c 1G /dev/urandom > "$WORK/source.bin"
  for k in "${!NAMES[@]}"; do
    i=$(( (k + r - 1) % ${#NAMES[@]} )); n=${NAMES[$i]}
    sync; t0=$(now)
    if [ "$n" = cat ]; then
      cat "$WORK/source.bin" > "$WORK/copy.bin" && sync
    else
      code=$(curl -s -o /dev/null -w '%{http_code}' -H "PRIVATE-TOKEN: $TOKEN" -T "$WORK/source.bin" \
        "$(API "${PORTS[$i]}")/packages/ml_models/${VERSIONS[$i]}/files/upload-$r.bin")
      [ "$code" = 201 ] || { echo "$n: upload answered $code" >&2; exit 1; }
    fi
    t1=$(now); T[$n]="${T[$n]:-} $(secs "$t0" "$t1")"
    rm -f "$WORK/copy.bin" "$WORK/layout/data/1/1/upload-$r.bin" "$WORK"/before/data/1/*/"upload-$r.bin"
  done
done
c=$(median ${T[cat]})
echo "mlregistry blobs benchmark: $(nproc) cores, $(java -version 2>&1 | head -1), median of $ROUNDS interleaved rounds"
echo "PUT of 1 GiB (seconds per round; ratio = cat+sync time / PUT time, 1.00 = as fast as the disk):"
for n in "${NAMES[@]}"; do
  m=$(median ${T[$n]})
  printf '  %-7s %s s  median %s s  %s\n' "$n" "$(echo ${T[$n]})" "$m" "$(awk -v c="$c" -v m="$m" 'BEGIN { printf "%.2fx", c / m }')"
done

# a version of FILES small files, uploaded over one keep-alive connection
fill() {
  python3 - "$1" "$2" "$TOKEN" "$FILES" <<'PY'
import http.client, os, sys
port, version, token, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
c = http.client.HTTPConnection("127.0.0.1", int(port))
for i in range(count):
    c.request("PUT", f"/api/v4/projects/1/packages/ml_models/{version}/files/shards/f{i:05d}.bin", body=os.urandom(1024),
              headers={"PRIVATE-TOKEN": token})
    r = c.getresponse(); r.read()
    if r.status != 201:
        sys.exit(f"upload {i} answered {r.status}")
PY
}
# list PORT VERSION KIND: seconds for one full listing, and the entries it counted
list() {
  python3 - "$1" "$2" "$TOKEN" "$3" <<'PY'
import http.client, json, sys, time, urllib.parse
port, version, token, kind = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
c = http.client.HTTPConnection("127.0.0.1", int(port))
h = {"PRIVATE-TOKEN": token}
t = time.monotonic(); n = 0
if kind == "mlflow":
    c.request("GET", f"/api/v4/projects/1/ml/mlflow/api/2.0/mlflow-artifacts/artifacts?path={version}/shards", headers=h)
    r = c.getresponse(); n = len(json.loads(r.read()).get("files", []))
else:
    url = "/api/v4/projects/1/hf/api/models/p1/many/tree/main?recursive=true"
    while url:
        c.request("GET", url, headers=h); r = c.getresponse(); n += len(json.loads(r.read()))
        link = r.getheader("Link") or ""
        url = None
        if 'rel="next"' in link:
            nxt = link.split(";")[0].strip("<> ")
            url = urllib.parse.urlsplit(nxt)._replace(scheme="", netloc="").geturl()
print(f"{time.monotonic() - t:.3f} {n}")
PY
}
LIST_NAMES=(blobs); LIST_PORTS=(18092)
if [ -n "$BEFORE" ]; then LIST_NAMES+=(before); LIST_PORTS+=(18093); fi
[ "$FILES" -gt 0 ] || exit 0
echo "A version of $FILES files of 1 KiB (seconds; first listing, then the median of 5):"
for i in "${!LIST_NAMES[@]}"; do
  n=${LIST_NAMES[$i]}; p=${LIST_PORTS[$i]}
  v=$(version "$p" many)
  t0=$(now); fill "$p" "$v"; t1=$(now)
  for kind in mlflow hub; do
    first=$(list "$p" "$v" "$kind")
    runs=(); for _ in 1 2 3 4 5; do runs+=("$(list "$p" "$v" "$kind" | cut -d' ' -f1)"); done
    printf '  %-7s %-6s first %s s (%s entries), then median %s s\n' "$n" "$kind" "${first% *}" "${first#* }" "$(median "${runs[@]}")"
  done
  printf '  %-7s upload of the %s files over one connection: %s s\n' "$n" "$FILES" "$(secs "$t0" "$t1")"
done
