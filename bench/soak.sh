#!/usr/bin/env bash
# `make soak`: mixed traffic for SOAK_SECONDS (default 120) against the release server
# on SQLite and, when one answers, PostgreSQL; then checks nothing acknowledged was lost.
# Appends the outcome and the server's peak RSS to bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# A random signing key: the server refuses a guessable one.
SECRET=$(head -c 48 /dev/urandom | base64 -w0)
SECONDS_TO_RUN=${SOAK_SECONDS:-120}
THREADS=${SOAK_THREADS:-16}
PG_SERVER=${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}
cargo build --release -q -p portal-api
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

soak() {
    local backend=$1 url=$2
    DATABASE_URL=$url PORTAL_BIND=127.0.0.1:0 RUST_LOG=warn PORTAL_JWT_SECRET="$SECRET" \
        PORTAL_LOGIN_ATTEMPTS_PER_ACCOUNT=1000000 PORTAL_LOGIN_ATTEMPTS_PER_ADDRESS=1000000 \
        target/release/portal serve --demo >"$work/$backend.out" 2>"$work/$backend.err" &
    local pid=$! base=
    for _ in $(seq 1 100); do
        base=$(sed -n 's|^Serving the API at \(http://[^/]*\)/api/v1$|\1|p' "$work/$backend.out")
        [ -n "$base" ] && break
        sleep 0.1
    done
    local result
    result=$(python3 bench/soak.py "$base" "$SECONDS_TO_RUN" "$THREADS" | tee /dev/stderr | head -n 1)
    local rss locked
    rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status")
    locked=$(grep -c "database is locked" "$work/$backend.err" || true)
    kill "$pid"
    {
        echo
        echo "Soak on $backend ($SECONDS_TO_RUN s, $THREADS client threads): \`$result\`; peak RSS $rss MiB;"
        echo "\"database is locked\" in the log: $locked."
    } >>bench/RESULTS.md
}

echo >>bench/RESULTS.md
echo "## Soak ($(date -u +%Y-%m-%d))" >>bench/RESULTS.md
soak sqlite "$work/soak.db"
if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
    db=portal_soak_$$
    psql "$PG_SERVER/postgres" -qc "CREATE DATABASE $db" >/dev/null
    soak postgres "$PG_SERVER/$db"
    psql "$PG_SERVER/postgres" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
fi
