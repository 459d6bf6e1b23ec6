#!/usr/bin/env bash
# Fault tests: the server on its own throwaway PostgreSQL cluster, which is stopped
# mid-run. While the database is down, requests answer 503 problem+json with
# Retry-After (never a hang, never a 500); when it is back, the same server process
# serves again without a restart. Also: a slow client is cut off, and an oversize body
# is refused. Skipped where PostgreSQL's server binaries are not installed.
set -euo pipefail
cd "$(dirname "$0")/.."
# A random signing key: the server refuses a guessable one.
SECRET=$(head -c 48 /dev/urandom | base64 -w0)

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$PGBIN" ] || ! id postgres >/dev/null 2>&1; then
    echo "faults: no PostgreSQL server binaries here; skipped"
    exit 0
fi
cargo build -q -p portal-api --bin portal

work=$(mktemp -d)
chown postgres "$work"
port=$((20000 + RANDOM % 20000))
as_pg() { runuser -u postgres -- "$@"; }
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    as_pg "$PGBIN/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

as_pg "$PGBIN/initdb" -D "$work/pg" -A trust -U postgres >/dev/null
start_pg() { as_pg "$PGBIN/pg_ctl" -D "$work/pg" -o "-p $port -k $work" -l "$work/pg.log" -w start >/dev/null; }
stop_pg() { as_pg "$PGBIN/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null; }
start_pg

source tests/demo_server.sh
start_demo DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres \
    PORTAL_ALLOW_DEMO=1 PORTAL_DB_ACQUIRE_TIMEOUT=1 PORTAL_JWT_SECRET="$SECRET"

passed=0
failed=0
check() {
    local name=$1 expected=$2 actual=$3
    if [ "$expected" = "$actual" ]; then
        passed=$((passed + 1)); echo "ok   $name"
    else
        failed=$((failed + 1)); echo "FAIL $name: expected $expected, got $actual"
    fi
}
status() { curl -s -o "$work/body" -D "$work/headers" -w '%{http_code}' --max-time 10 "$@"; }

token=$(curl -sf -XPOST "$base/api/v1/auth/login" -H 'content-type: application/json' \
    -d '{"login":"demo.citizen","password":"Demo-password-1"}' |
    python3 -c 'import sys, json; print(json.load(sys.stdin)["access_token"])')
# Ready once the database answers and the change feed listens (a moment after start).
for _ in $(seq 1 50); do [ "$(status "$base/health/ready")" = 200 ] && break; sleep 0.1; done
check "ready while the database is up" 200 "$(status "$base/health/ready")"
check "a read while the database is up" 200 "$(status -H "authorization: Bearer $token" "$base/api/v1/appeals")"

stop_pg
check "ready reports the outage" 503 "$(status "$base/health/ready")"
# A citizen's pages are read afresh every time: the read needs the database.
check "a read during the outage" 503 "$(status -H "authorization: Bearer $token" "$base/api/v1/appeals?status=completed")"
check "the outage is problem+json" "application/problem+json" \
    "$(tr -d '\r' <"$work/headers" | awk -F': ' 'tolower($1) == "content-type" {print $2}')"
check "the outage says when to retry" "5" \
    "$(tr -d '\r' <"$work/headers" | awk -F': ' 'tolower($1) == "retry-after" {print $2}')"
check "a write during the outage" 503 "$(status -XPOST -H "authorization: Bearer $token" \
    -H 'content-type: application/json' -d '{"type":"general_inquiry","body":"x"}' "$base/api/v1/appeals")"

start_pg
recovered=000
for _ in $(seq 1 50); do
    recovered=$(status "$base/health/ready")
    [ "$recovered" = 200 ] && break
    sleep 0.2
done
check "ready again without a restart" 200 "$recovered"
check "a write after recovery" 201 "$(status -XPOST -H "authorization: Bearer $token" \
    -H 'content-type: application/json' -d '{"type":"general_inquiry","body":"после сбоя"}' "$base/api/v1/appeals")"
check "the same process served throughout" "$pid" "$(pgrep -f "portal serve --demo" | grep -x "$pid" || echo gone)"

# A client that opens a connection and sends half a request head is dropped.
slow=$(python3 - "$base" <<'PY'
import socket, sys, time
host, port = sys.argv[1].replace("http://", "").split(":")
s = socket.create_connection((host, int(port)))
s.sendall(b"GET /health/live HTTP/1.1\r\nHost: x\r\n")
s.settimeout(30)
started = time.time()
try:
    data = s.recv(1024)
except Exception:
    data = b""
print("closed" if time.time() - started < 25 else "held", end="")
PY
)
check "a slow client is cut off" closed "$slow"
python3 -c 'import json; print(json.dumps({"type": "general_inquiry", "body": "x" * 200000}))' >"$work/big.json"
check "an oversize body is refused" 413 "$(status -XPOST -H "authorization: Bearer $token" \
    -H 'content-type: application/json' --data-binary "@$work/big.json" "$base/api/v1/appeals")"

# A guessable signing key is refused at start, with the reason and a remedy.
weak=$(DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres PORTAL_BIND=127.0.0.1:0 \
    PORTAL_JWT_SECRET=secret-secret-secret-secret-secret-secret timeout 20 target/debug/portal serve 2>&1 >/dev/null &&
    echo started || true)
check "a repetitive JWT secret is refused at start" "too weak" "$(grep -o 'too weak' <<<"$weak" | head -n 1)"

# Without a signing key the server does not start, and does not suggest demo mode
# (whose accounts' password is published) as the way out.
missing=$(env -u PORTAL_JWT_SECRET DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres \
    PORTAL_BIND=127.0.0.1:0 timeout 20 target/debug/portal serve 2>&1 >/dev/null && echo started || true)
check "a missing JWT secret is refused at start" "PORTAL_JWT_SECRET is required" \
    "$(grep -o 'PORTAL_JWT_SECRET is required' <<<"$missing" | head -n 1)"
check "the refusal does not suggest --demo" 0 "$(grep -c -- '--demo' <<<"$missing" || true)"
# Demo mode refuses PostgreSQL, the production engine, unless explicitly allowed, and
# any database holding data it did not make (this one has the demo's and the test's).
demo_pg=$(DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres PORTAL_BIND=127.0.0.1:0 \
    timeout 20 target/debug/portal serve --demo 2>&1 >/dev/null && echo started || true)
check "--demo on PostgreSQL needs PORTAL_ALLOW_DEMO" "PORTAL_ALLOW_DEMO" \
    "$(grep -o 'PORTAL_ALLOW_DEMO' <<<"$demo_pg" | head -n 1)"
sqlite_db="$work/other.db"
DATABASE_URL="sqlite://$sqlite_db" timeout 60 target/debug/portal seed --citizens 1 --appeals 0 \
    --vacancies 0 >/dev/null
not_demo=$(DATABASE_URL="sqlite://$sqlite_db" PORTAL_BIND=127.0.0.1:0 \
    timeout 20 target/debug/portal serve --demo 2>&1 >/dev/null && echo started || true)
check "--demo refuses a database it did not make" "refuses this database" \
    "$(grep -o 'refuses this database' <<<"$not_demo" | head -n 1)"

if grep -q panicked "$work/err"; then failed=$((failed + 1)); echo "FAIL the server panicked"; fi
echo "faults: $passed passed, $failed failed"
[ "$failed" = 0 ]
