# Sourced by the bench scripts: a registry configuration with one project and a fresh token, and the bundled server
# started on it in the background, stopped when the script exits.

# new_token NAME: a fresh token text, glpat-NAME-<24 hex digits>
new_token() {
  echo "glpat-$1-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
}

# write_config FILE USER VISIBILITY TOKEN [MORE]: project 1 ("USER/models", VISIBILITY) on the file system store in
# data/ beside FILE, USER its developer, TOKEN kept as its SHA-256; MORE is inserted as further top-level fields
write_config() {
  cat > "$1" <<JSON
{
  "storage": { "type": "filesystem", "root": "data", "createRoot": true },
  "catalog": { "type": "none" },${5:-}
  "projects": [ { "id": 1, "path": "$2/models", "visibility": "$3", "members": { "$2": "developer" } } ],
  "tokens": [ { "kind": "personal", "user": "$2", "sha256": "$(printf %s "$4" | sha256sum | cut -d' ' -f1)", "scopes": ["api"] } ]
}
JSON
}

# start_server JAR CONFIG PORT LOG [JAVA OPTIONS...]: the server as $SERVER, up once /health answers
start_server() {
  java "${@:5}" -jar "$1" --config "$2" --port "$3" > "$4" 2>&1 &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$3/health" && return 0; sleep 0.1; done
  echo "the server did not come up; its log: $4" >&2
  exit 1
}
