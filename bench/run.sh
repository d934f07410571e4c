#!/usr/bin/env bash
# Benchmark: mlregistry's example server vs Jetty's own ResourceServlet (same JVM and options) vs nginx
# with sendfile, serving the same files on loopback, and a plain HttpServlet answering 4 KiB from memory (the
# platform's ceiling for small files), also once with the registry's eight download headers and its asynchronous
# write (the ceiling for a servlet bound to the registry's contract). Prints a table with ratios and p99 latencies, then checks that 64
# concurrent 1 GiB downloads complete with our server at -Xmx64m. Our server runs twice, interleaved with
# the others: "mlregistry" with metrics and the access log off, "+ metrics, access log" with Prometheus
# metrics on ("metrics": true) and every request's access log line written to its log file.
#
# Usage: bench/run.sh   (BENCH_DURATION: seconds per wrk run, default 10; BENCH_ROUNDS: rounds, default 3;
#                       BENCH_WARMUP: seconds of small-file load per JVM server before measuring, default 60
#                       (on 2 busy cores the JIT takes about a minute to bring a server to its steady state);
#                       BENCH_CATALOG: none (versions are directories, the default) or sqlite (the embedded catalog:
#                       the data set is hard-linked into a root of its own and adopted by `migrate` before the
#                       measurements, so the registry serves manifests and blobs while nginx and Jetty serve the same
#                       inodes from the directory layout; the before server then runs without a catalog);
#                       BENCH_BEFORE_JAR: another build's server jar, run as one more server in the same rounds, for
#                       an A/B table of this build against it)
# Installs nginx, wrk and curl with apt-get when missing; builds the server jar when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_DURATION:-10}
CATALOG=${BENCH_CATALOG:-none}
case $CATALOG in none|sqlite) ;; *) echo "BENCH_CATALOG is none or sqlite, not $CATALOG" >&2; exit 2;; esac
ROUNDS=${BENCH_ROUNDS:-3}
WARMUP=${BENCH_WARMUP:-60}
WORK=bench/work
DATA=$WORK/data
FILES=$DATA/1/1
JAR=examples/target/mlregistry-server.jar
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xmx1g}
BEFORE_JAR=${BENCH_BEFORE_JAR:-}
OURS_PORT=18080 JETTY_PORT=18081 NGINX_PORT=18082 OBSERVED_PORT=18083 SERVLET_PORT=18084 HEADERS_PORT=18085 BEFORE_PORT=18086
PIDS=()

cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -f "$WORK/nginx/nginx.pid" ]; then kill "$(cat "$WORK/nginx/nginx.pid")" 2>/dev/null || true; fi
  wait 2>/dev/null || true
}
trap cleanup EXIT

missing=()
command -v nginx >/dev/null || missing+=(nginx-light)
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -f "$JAR" ] || mvn -B -q package -DskipTests

# --- data set: 1 GiB, 64 MiB, 1000 x 4 KiB, random content, in the registry's layout ------------------
mkdir -p "$FILES"
[ -f "$FILES/big-1g.bin" ] || head -c 1G /dev/urandom > "$FILES/big-1g.bin"
[ -f "$FILES/mid-64m.bin" ] || head -c 64M /dev/urandom > "$FILES/mid-64m.bin"
if [ ! -f "$FILES/small-0999.bin" ]; then
  head -c $((1000 * 4096)) /dev/urandom | split -b 4096 -d -a 4 --additional-suffix=.bin - "$FILES/small-"
fi
BIG=$(stat -c %s "$FILES/big-1g.bin")

TOKEN="glpat-bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
SETUP_TOKEN="glpat-setup-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
rm -rf "$DATA/.mlregistry/catalog"
# with a catalog, the registry's root is the data set hard-linked (the same inodes, so the same bytes and page cache
# as nginx's and Jetty's); plain and observed share it and its embedded catalog, as two nodes may
REG_ROOT=data
if [ "$CATALOG" != none ]; then
  REG_ROOT=registry-root
  rm -rf "${WORK:?}/$REG_ROOT"; mkdir -p "$WORK/$REG_ROOT/1"; cp -al "$FILES" "$WORK/$REG_ROOT/1/1"
fi
for variant in plain observed before; do
cat > "$WORK/registry-$variant.json" <<JSON
{
  "storage": { "type": "filesystem", "root": "$([ $variant = before ] && echo data || echo "$REG_ROOT")" },
  "catalog": { "type": "$([ $variant = before ] && echo none || echo "$CATALOG")" },
  "metrics": $([ $variant = observed ] && echo true || echo false),
  "projects": [ { "id": 1, "path": "bench/models", "visibility": "private", "members": { "bench": "developer" } } ],
  "tokens": [ { "kind": "personal", "user": "bench", "sha256": "$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)", "scopes": ["read_api"] },
              { "kind": "personal", "user": "bench", "sha256": "$(printf %s "$SETUP_TOKEN" | sha256sum | cut -d' ' -f1)", "scopes": ["api"] } ]
}
JSON
done
mkdir -p "$WORK/nginx/logs"
cat > "$WORK/nginx/nginx.conf" <<CONF
user root;
worker_processes auto;
daemon on;
pid $PWD/$WORK/nginx/nginx.pid;
error_log $PWD/$WORK/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
  sendfile on;
  tcp_nopush on;
  access_log off;
  client_body_temp_path $PWD/$WORK/nginx/body;
  proxy_temp_path $PWD/$WORK/nginx/proxy;
  fastcgi_temp_path $PWD/$WORK/nginx/fastcgi;
  uwsgi_temp_path $PWD/$WORK/nginx/uwsgi;
  scgi_temp_path $PWD/$WORK/nginx/scgi;
  server { listen 127.0.0.1:$NGINX_PORT; root $PWD/$DATA; }
}
CONF

wait_for() { # url [header]
  for _ in $(seq 1 200); do
    if curl -fs -o /dev/null ${2:+-H "$2"} "$1"; then return 0; fi
    sleep 0.1
  done
  echo "server at $1 did not come up" >&2; exit 1
}

start_ours() { # heap [variant port]: plain has the access log off, observed has metrics and the access log on;
  # before is plain on BENCH_BEFORE_JAR
  local variant=${2:-plain} port=${3:-$OURS_PORT} log jar=$JAR
  log=$([ "$variant" = observed ] && echo -Dorg.mlregistry.access.LEVEL=INFO || echo -Dorg.mlregistry.access.LEVEL=OFF)
  [ "$variant" = before ] && jar=$BEFORE_JAR
  java "$1" "$log" -jar "$jar" --config "$WORK/registry-$variant.json" --port "$port" > "$WORK/$variant.log" 2>&1 &
  PIDS+=($!)
  wait_for "http://127.0.0.1:$port/api/v4/projects/1/packages/ml_models/1/files/small-0000.bin" "PRIVATE-TOKEN: $TOKEN"
}

# with a catalog: version 1 of model "bench" is created through the API, then `migrate` adopts its files as blobs
if [ "$CATALOG" != none ]; then
  java -jar "$JAR" --config "$WORK/registry-plain.json" --port $OURS_PORT > "$WORK/setup.log" 2>&1 &
  setup=$!
  api="http://127.0.0.1:$OURS_PORT/api/v4/projects/1/ml/mlflow/api/2.0/mlflow"
  wait_for "$api/registered-models/search?max_results=1" "PRIVATE-TOKEN: $TOKEN"
  curl -fs -o /dev/null -H "PRIVATE-TOKEN: $SETUP_TOKEN" -X POST "$api/registered-models/create" -d '{"name": "bench"}'
  curl -fs -o /dev/null -H "PRIVATE-TOKEN: $SETUP_TOKEN" -X POST "$api/model-versions/create" -d '{"name": "bench"}'
  kill $setup; wait $setup 2>/dev/null || true
  java -jar "$JAR" migrate --config "$WORK/registry-plain.json" >> "$WORK/setup.log" 2>&1
  [ ! -e "$WORK/$REG_ROOT/1/1" ] || { echo "migrate left the layout's version directory: $WORK/setup.log" >&2; exit 1; }
fi
start_ours "$JAVA_OPTS"
start_ours "$JAVA_OPTS" observed $OBSERVED_PORT
[ -n "$BEFORE_JAR" ] && start_ours "$JAVA_OPTS" before $BEFORE_PORT
java $JAVA_OPTS -cp "$JAR" bench/JettyResourceServer.java "$DATA" $JETTY_PORT > "$WORK/jetty.log" 2>&1 &
PIDS+=($!)
java $JAVA_OPTS -cp "$JAR" bench/PlainServletServer.java $SERVLET_PORT > "$WORK/servlet.log" 2>&1 &
PIDS+=($!)
java $JAVA_OPTS -cp "$JAR" bench/PlainServletServer.java $HEADERS_PORT same-headers > "$WORK/headers.log" 2>&1 &
PIDS+=($!)
"$NGINX" -c "$PWD/$WORK/nginx/nginx.conf" -p "$PWD/$WORK/nginx"
wait_for "http://127.0.0.1:$JETTY_PORT/1/1/small-0000.bin"
wait_for "http://127.0.0.1:$NGINX_PORT/1/1/small-0000.bin"
wait_for "http://127.0.0.1:$SERVLET_PORT/1/1/small-0000.bin"
wait_for "http://127.0.0.1:$HEADERS_PORT/1/1/small-0000.bin"

# servlet: the platform ceiling, a plain HttpServlet answering 4 KiB from memory; headers: the same with the
# registry's download headers and asynchronous write (both small-file rows only)
SERVERS="ours $([ -n "$BEFORE_JAR" ] && echo before || true) observed jetty servlet headers nginx"
declare -A PREFIX=([ours]="/api/v4/projects/1/packages/ml_models/1/files/" [observed]="/api/v4/projects/1/packages/ml_models/1/files/"
  [before]="/api/v4/projects/1/packages/ml_models/1/files/" [jetty]="/1/1/" [servlet]="/1/1/" [headers]="/1/1/" [nginx]="/1/1/")
declare -A PORT=([ours]=$OURS_PORT [observed]=$OBSERVED_PORT [before]=$BEFORE_PORT [jetty]=$JETTY_PORT [servlet]=$SERVLET_PORT
  [headers]=$HEADERS_PORT [nginx]=$NGINX_PORT)
declare -A AUTH=([ours]="PRIVATE-TOKEN: $TOKEN" [observed]="PRIVATE-TOKEN: $TOKEN" [before]="PRIVATE-TOKEN: $TOKEN" [jetty]="X-None: 1"
  [servlet]="X-None: 1" [headers]="X-None: 1" [nginx]="X-None: 1")

wrk_run() { # server connections file-or-empty duration -> "RESULT ..." line
  local s=$1
  PREFIX=${PREFIX[$s]} COUNT=1000 FILE=$3 TOKEN=$([ "$s" = ours ] || [ "$s" = observed ] || [ "$s" = before ] && echo "$TOKEN" || true) \
    wrk -t2 -c"$2" -d"$4"s -s bench/wrk-files.lua "http://127.0.0.1:${PORT[$s]}" | grep '^RESULT'
}
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

single_download() { # server -> bytes/s
  curl -s -o /dev/null -H "${AUTH[$1]}" -w '%{speed_download}' "http://127.0.0.1:${PORT[$1]}${PREFIX[$1]}big-1g.bin"
}

ranged_download() { # server -> bytes/s for an 8-way ranged download of the 1 GiB file
  local part=$(( (BIG + 7) / 8 )) start end t0 t1 pids=()
  t0=$(date +%s%N)
  for i in 0 1 2 3 4 5 6 7; do
    start=$(( i * part )); end=$(( start + part - 1 )); [ $end -ge $BIG ] && end=$(( BIG - 1 ))
    curl -s -o /dev/null -H "${AUTH[$1]}" -r "$start-$end" "http://127.0.0.1:${PORT[$1]}${PREFIX[$1]}big-1g.bin" &
    pids+=($!)
  done
  wait "${pids[@]}"
  t1=$(date +%s%N)
  echo "$BIG $t0 $t1" | awk '{ printf "%.1f", $1 / (($3 - $2) / 1e9) }'
}

echo "warming up (first requests also compute the registry's SHA-256 of each file)..." >&2
memory_only() { [ "$1" = servlet ] || [ "$1" = headers ]; }
for s in $SERVERS; do
  memory_only $s || single_download $s >/dev/null
  curl -s -o /dev/null -H "${AUTH[$s]}" "http://127.0.0.1:${PORT[$s]}${PREFIX[$s]}mid-64m.bin"
  for i in $(seq 0 999); do printf 'url = "http://127.0.0.1:%s%ssmall-%04d.bin"\noutput = "/dev/null"\n' "${PORT[$s]}" "${PREFIX[$s]}" "$i"; done \
    | curl -s -H "${AUTH[$s]}" -K -
  # the JIT needs about a minute of small requests on 2 busy cores before a JVM server reaches its steady
  # state (measured: a 5 s round every 5 s, our server went from 1.6k to 17k req/s over the first 55 s);
  # nginx needs none
  wrk_run $s 64 "" "$([ $s = nginx ] && echo 5 || echo "$WARMUP")" >/dev/null
  memory_only $s || wrk_run $s 4 mid-64m.bin 3 >/dev/null
done

# Rounds interleave the servers (ours, observed, jetty, nginx, ours, ...) so that drift in the machine's
# speed affects all alike; each figure is the median of its rounds.
declare -A SMALL ONEFILE P99 P99ONE MID ONE EIGHT ERR
for s in $SERVERS; do SMALL[$s]=""; ONEFILE[$s]=""; P99[$s]=""; P99ONE[$s]=""; MID[$s]=""; ONE[$s]=""; EIGHT[$s]=""; ERR[$s]=0; done
for round in $(seq 1 "$ROUNDS"); do
  for s in $SERVERS; do
    echo "round $round/$ROUNDS: measuring $s..." >&2
    r=$(wrk_run $s 64 small-0000.bin "$DURATION"); ONEFILE[$s]+=" $(echo "$r" | field requests_per_s)"
    P99ONE[$s]+=" $(echo "$r" | field p99_ms)"; e0=$(echo "$r" | field errors)
    r=$(wrk_run $s 64 "" "$DURATION"); SMALL[$s]+=" $(echo "$r" | field requests_per_s)"; e1=$(echo "$r" | field errors)
    P99[$s]+=" $(echo "$r" | field p99_ms)"
    ERR[$s]=$(( ERR[$s] + e0 + e1 ))
    memory_only $s && continue
    r=$(wrk_run $s 4 mid-64m.bin "$DURATION"); MID[$s]+=" $(echo "$r" | field bytes_per_s)"; e2=$(echo "$r" | field errors)
    ERR[$s]=$(( ERR[$s] + e2 ))
    # a 1 GiB transfer takes well under a second here: three of them make one round's figure
    ONE[$s]+=" $(median "$(single_download $s)" "$(single_download $s)" "$(single_download $s)")"
    EIGHT[$s]+=" $(median "$(ranged_download $s)" "$(ranged_download $s)" "$(ranged_download $s)")"
  done
done
for s in $SERVERS; do
  SMALL[$s]=$(median ${SMALL[$s]}); ONEFILE[$s]=$(median ${ONEFILE[$s]}); P99[$s]=$(median ${P99[$s]}); P99ONE[$s]=$(median ${P99ONE[$s]})
  memory_only $s && continue
  MID[$s]=$(median ${MID[$s]}); ONE[$s]=$(median ${ONE[$s]}); EIGHT[$s]=$(median ${EIGHT[$s]})
done

mib() { awk -v b="$1" 'BEGIN { printf "%.0f MiB/s", b / 1048576 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
echo
echo "mlregistry benchmark: $(nproc) cores, $(java -version 2>&1 | head -1), JVM options $JAVA_OPTS, catalog $CATALOG, wrk runs ${DURATION}s, median of $ROUNDS interleaved rounds"
row() { printf '%-40s %14s %14s %14s %14s %9s %9s\n' "$@"; }
row "measure" "mlregistry" "jetty-resource" "plain-servlet" "nginx" "vs nginx" "vs jetty"
row "4 KiB one file, 64 conns (req/s)" "${ONEFILE[ours]}" "${ONEFILE[jetty]}" "${ONEFILE[servlet]}" "${ONEFILE[nginx]}" \
  "$(ratio ${ONEFILE[ours]} ${ONEFILE[nginx]})" "$(ratio ${ONEFILE[ours]} ${ONEFILE[jetty]})"
row "  p99 latency (ms)" "${P99ONE[ours]}" "${P99ONE[jetty]}" "${P99ONE[servlet]}" "${P99ONE[nginx]}" \
  "$(ratio ${P99ONE[ours]} ${P99ONE[nginx]})" "$(ratio ${P99ONE[ours]} ${P99ONE[jetty]})"
row "4 KiB over 1,000 files, 64 conns" "${SMALL[ours]}" "${SMALL[jetty]}" "${SMALL[servlet]}" "${SMALL[nginx]}" \
  "$(ratio ${SMALL[ours]} ${SMALL[nginx]})" "$(ratio ${SMALL[ours]} ${SMALL[jetty]})"
row "  p99 latency (ms)" "${P99[ours]}" "${P99[jetty]}" "${P99[servlet]}" "${P99[nginx]}" \
  "$(ratio ${P99[ours]} ${P99[nginx]})" "$(ratio ${P99[ours]} ${P99[jetty]})"
row "64 MiB x 4 conns" "$(mib ${MID[ours]})" "$(mib ${MID[jetty]})" "-" "$(mib ${MID[nginx]})" \
  "$(ratio ${MID[ours]} ${MID[nginx]})" "$(ratio ${MID[ours]} ${MID[jetty]})"
row "1 GiB, one curl" "$(mib ${ONE[ours]})" "$(mib ${ONE[jetty]})" "-" "$(mib ${ONE[nginx]})" \
  "$(ratio ${ONE[ours]} ${ONE[nginx]})" "$(ratio ${ONE[ours]} ${ONE[jetty]})"
row "1 GiB, 8-way ranged" "$(mib ${EIGHT[ours]})" "$(mib ${EIGHT[jetty]})" "-" "$(mib ${EIGHT[nginx]})" \
  "$(ratio ${EIGHT[ours]} ${EIGHT[nginx]})" "$(ratio ${EIGHT[ours]} ${EIGHT[jetty]})"
row "non-2xx or socket errors" "${ERR[ours]}" "${ERR[jetty]}" "${ERR[servlet]}" "${ERR[nginx]}" "" ""
echo "ceiling: the plain servlet does $(ratio ${ONEFILE[servlet]} ${ONEFILE[nginx]}) of nginx on one 4 KiB file; mlregistry $(ratio ${ONEFILE[ours]} ${ONEFILE[servlet]}) of the plain servlet"
echo "ceiling with the registry's contract: the plain servlet sending the eight download headers and writing asynchronously"
echo "  does ${ONEFILE[headers]} req/s on one 4 KiB file, $(ratio ${ONEFILE[headers]} ${ONEFILE[nginx]}) of nginx ($(ratio ${SMALL[headers]} ${SMALL[nginx]}) over 1,000 files, ${ERR[headers]} errors); mlregistry $(ratio ${ONEFILE[ours]} ${ONEFILE[headers]}) of it"
echo
printf '%-38s %16s %16s %10s\n' "metrics and access log" "both off" "both on" "on vs off"
printf '%-38s %16s %16s %10s\n' "4 KiB one file, 64 conns" "${ONEFILE[ours]}" "${ONEFILE[observed]}" "$(ratio ${ONEFILE[observed]} ${ONEFILE[ours]})"
printf '%-38s %16s %16s %10s\n' "4 KiB over 1,000 files, 64 conns" "${SMALL[ours]}" "${SMALL[observed]}" "$(ratio ${SMALL[observed]} ${SMALL[ours]})"
printf '%-38s %16s %16s %10s\n' "64 MiB GETs, 4 conns" "$(mib ${MID[ours]})" "$(mib ${MID[observed]})" "$(ratio ${MID[observed]} ${MID[ours]})"
printf '%-38s %16s %16s\n' "non-2xx or socket errors" "${ERR[ours]}" "${ERR[observed]}"
if [ -n "$BEFORE_JAR" ]; then
  echo
  echo "A/B: this build against $BEFORE_JAR, the same rounds"
  printf '%-38s %16s %16s %10s\n' "measure" "this build" "before" "this/before"
  printf '%-38s %16s %16s %10s\n' "4 KiB one file, 64 conns (req/s)" "${ONEFILE[ours]}" "${ONEFILE[before]}" "$(ratio ${ONEFILE[ours]} ${ONEFILE[before]})"
  printf '%-38s %16s %16s %10s\n' "  p99 latency (ms)" "${P99ONE[ours]}" "${P99ONE[before]}" "$(ratio ${P99ONE[ours]} ${P99ONE[before]})"
  printf '%-38s %16s %16s %10s\n' "4 KiB over 1,000 files, 64 conns" "${SMALL[ours]}" "${SMALL[before]}" "$(ratio ${SMALL[ours]} ${SMALL[before]})"
  printf '%-38s %16s %16s %10s\n' "  p99 latency (ms)" "${P99[ours]}" "${P99[before]}" "$(ratio ${P99[ours]} ${P99[before]})"
  printf '%-38s %16s %16s %10s\n' "64 MiB x 4 conns" "$(mib ${MID[ours]})" "$(mib ${MID[before]})" "$(ratio ${MID[ours]} ${MID[before]})"
  printf '%-38s %16s %16s %10s\n' "1 GiB, one curl" "$(mib ${ONE[ours]})" "$(mib ${ONE[before]})" "$(ratio ${ONE[ours]} ${ONE[before]})"
  printf '%-38s %16s %16s %10s\n' "1 GiB, 8-way ranged" "$(mib ${EIGHT[ours]})" "$(mib ${EIGHT[before]})" "$(ratio ${EIGHT[ours]} ${EIGHT[before]})"
  printf '%-38s %16s %16s\n' "non-2xx or socket errors" "${ERR[ours]}" "${ERR[before]}"
fi
lines=$(grep -c 'method=GET' "$WORK/observed.log" || true)
scraped=$(curl -s "http://127.0.0.1:$OBSERVED_PORT/metrics" | awk -F'[ ]' '/^mlregistry_requests_seconds_count\{method="GET".*status="200"/ { n += $NF } END { printf "%d", n }')
echo "observed server: $lines access log lines, $scraped GET 200s counted in /metrics"

# --- 64 concurrent 1 GiB downloads with the server at -Xmx64m ----------------------------------------
for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
wait "${PIDS[@]}" 2>/dev/null || true
PIDS=()
start_ours -Xmx64m
echo >&2; echo "64 concurrent 1 GiB downloads, server at -Xmx64m..." >&2
t0=$(date +%s%N)
pids=()
for i in $(seq 1 64); do
  curl -s -o /dev/null -H "PRIVATE-TOKEN: $TOKEN" -w '%{http_code} %{size_download}\n' \
    "http://127.0.0.1:$OURS_PORT/api/v4/projects/1/packages/ml_models/1/files/big-1g.bin" > "$WORK/concurrent-$i.out" &
  pids+=($!)
done
wait "${pids[@]}"
t1=$(date +%s%N)
ok=$(cat "$WORK"/concurrent-*.out | grep -c "^200 $BIG\$" || true)
rm -f "$WORK"/concurrent-*.out
alive=$(kill -0 "${PIDS[0]}" 2>/dev/null && echo yes || echo no)
grep -q OutOfMemoryError "$WORK/plain.log" && oom=yes || oom=no
awk -v ok="$ok" -v t0="$t0" -v t1="$t1" -v big="$BIG" -v alive="$alive" -v oom="$oom" 'BEGIN {
  s = (t1 - t0) / 1e9
  printf "64 x 1 GiB at -Xmx64m: %d/64 complete and intact in %.1f s (%.0f MiB/s aggregate), server alive: %s, OutOfMemoryError: %s\n",
    ok, s, ok * big / s / 1048576, alive, oom }'
[ "$ok" -eq 64 ] && [ "$oom" = no ]
