#!/usr/bin/env bash
# Upload throughput: PUT of a 1 GiB file to the bundled server (written to a temp file, hashed, forced to disk,
# renamed into place) against `cat file > same-disk-file && sync`, interleaved over UPLOAD_ROUNDS (default 3)
# rounds; then the first HEAD of a 5 GiB sparse file placed by hand (answered before its digest is known) and
# how long its background hashing takes. Usage: bench/upload.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/registry-server.sh
ROUNDS=${UPLOAD_ROUNDS:-3}
WORK=bench/work/upload
JAR=examples/target/mlregistry-server.jar
PORT=18086
[ -f "$JAR" ] || mvn -B -q package -DskipTests
rm -rf "$WORK"; mkdir -p "$WORK/data/1/1"
head -c 1G /dev/urandom > "$WORK/source.bin"
truncate -s 5G "$WORK/data/1/1/cold-5g.bin"
truncate -s 5G "$WORK/data/1/1/cold-5g-second.bin"
TOKEN=$(new_token upload)
write_config "$WORK/registry.json" up private "$TOKEN"
start_server "$JAR" "$WORK/registry.json" $PORT "$WORK/server.log" -Xmx512m -Dorg.mlregistry.access.LEVEL=OFF
URL="http://127.0.0.1:$PORT/api/v4/projects/1/packages/ml_models/1/files"
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
now() { date +%s.%N; }
CAT=(); PUT=()
for r in $(seq 1 "$ROUNDS"); do
  t0=$(now); cat "$WORK/source.bin" > "$WORK/copy.bin" && sync; t1=$(now)
  CAT+=($(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }')); rm -f "$WORK/copy.bin"
  t0=$(now)
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "PRIVATE-TOKEN: $TOKEN" -T "$WORK/source.bin" "$URL/upload-$r.bin")
  t1=$(now)
  [ "$code" = 201 ] || { echo "upload answered $code" >&2; exit 1; }
  PUT+=($(echo "$t0 $t1" | awk '{ printf "%.2f", $2 - $1 }'))
  rm -f "$WORK/data/1/1/upload-$r.bin"
done
c=$(median "${CAT[@]}"); p=$(median "${PUT[@]}")
echo "1 GiB: cat > same disk && sync ${CAT[*]} s (median $c s), PUT ${PUT[*]} s (median $p s): PUT at $(awk -v c="$c" -v p="$p" 'BEGIN { printf "%.2fx", c / p }') of cat+sync"
# the uploads' deleted gigabytes are still being written back and freed: let the disk settle, so that the
# HEAD below measures the server, not a journal busy with the rounds above
sync; sleep 2
t0=$(now)
# curl's own time for the request (connect to last byte), not the shell's time to start curl
head=$(curl -s -I -w 'took %{time_total}' -H "PRIVATE-TOKEN: $TOKEN" "$URL/cold-5g.bin")
took=$(echo "$head" | sed -n 's/^took //p')
echo "first HEAD of a 5 GiB file placed by hand: $(echo "$took" | awk '{ printf "%.0f ms", $1 * 1000 }'), $(echo "$head" | head -1 | tr -d '\r'), ETag: $(echo "$head" | grep -ci '^etag:' || true) (the server's first read request: its classes load on it)"
# a second cold file, while the first one is being hashed: what a running server takes for a file it never saw
head=$(curl -s -I -w 'took %{time_total}' -H "PRIVATE-TOKEN: $TOKEN" "$URL/cold-5g-second.bin")
echo "first HEAD of a second 5 GiB file placed by hand: $(echo "$head" | sed -n 's/^took //p' | awk '{ printf "%.0f ms", $1 * 1000 }'), $(echo "$head" | head -1 | tr -d '\r'), ETag: $(echo "$head" | grep -ci '^etag:' || true)"
until curl -s -I -H "PRIVATE-TOKEN: $TOKEN" "$URL/cold-5g.bin" | grep -qi '^etag:'; do sleep 0.5; done
t2=$(now)
echo "its ETag appeared $(echo "$t0 $t2" | awk '{ printf "%.1f s", $2 - $1 }') after the first HEAD (background hashing)"
