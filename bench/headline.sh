#!/usr/bin/env bash
# The headline: 10 000 distinct signed-in citizens, each request drawn for a random
# one from a single-page app's mix (profile, appeals page, an opened appeal,
# notifications, vacancy search, one new appeal in ten; bench/lua/mix.lua). On SQLite;
# on PostgreSQL with one process and with two behind no balancer (two wrk halves, one
# per process, on one database). Each row beside the trivial endpoint and, on
# PostgreSQL, `pgbench -S` of the same run; p50/p99 and the server's peak anonymous
# RSS. With caches on (the default) and off. Prints Markdown rows.
# Usage: bench/headline.sh [sqlite|postgres]
set -euo pipefail
cd "$(dirname "$0")/.."

BACKEND=${1:-sqlite}
USERS=${BENCH_USERS_COUNT:-10000}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
DURATION=${BENCH_DURATION:-20s}
PG_SERVER=${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}
WORK=$(mktemp -d)
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/portal
cargo build --release -q -p portal-api
cp "$BIN" "$WORK/portal"
SECRET=$(head -c 48 /dev/urandom | base64 -w0)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
source bench/common.sh

fresh_database portal_bench_headline
started=$SECONDS
DATABASE_URL=$URL "$WORK/portal" seed --citizens "$USERS" --appeals $((USERS * 4)) \
    --vacancies 20000 --payments-per-citizen 0 >/dev/null
echo "seeded $USERS citizens in $((SECONDS - started)) s" >&2

# Starts a server on port $1 with cache lifetime $2 seconds; its pid in $WORK/pid-$1.
serve() {
    DATABASE_URL=$URL PORTAL_BIND=127.0.0.1:$1 PORTAL_JWT_SECRET=$SECRET RUST_LOG=warn \
        PORTAL_MAIL_LOG=1 PORTAL_ACCESS_TOKEN_TTL=7200 \
        PORTAL_SESSION_CACHE_SECONDS=$2 PORTAL_CABINET_CACHE_SECONDS=$2 \
        PORTAL_LOGIN_ATTEMPTS_PER_ACCOUNT=1000000 PORTAL_LOGIN_ATTEMPTS_PER_ADDRESS=10000000 \
        PORTAL_FILES="$WORK/files" "$WORK/portal" serve >>"$WORK/$1.log" 2>&1 &
    echo $! >"$WORK/pid-$1"
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$1/health/ready" >/dev/null && break; sleep 0.1; done
}
stop() { kill "$(cat "$WORK/pid-$1")" 2>/dev/null || true; wait "$(cat "$WORK/pid-$1")" 2>/dev/null || true; }

# Samples the anonymous RSS of the server on port $1 until $WORK/sampling goes.
sample_rss() {
    local pid peak=0 a
    pid=$(cat "$WORK/pid-$1")
    while [ -e "$WORK/sampling" ]; do
        a=$(awk '/RssAnon/ {print int($2 / 1024)}' "/proc/$pid/status" 2>/dev/null || echo 0)
        [ "$a" -gt "$peak" ] && peak=$a
        sleep 0.2
    done
    echo "$peak" >"$WORK/rss-$1"
}

serve 9401 5
started=$SECONDS
python3 bench/signin.py http://127.0.0.1:9401 "$USERS" 8 >"$WORK/users"
echo "signed in $(wc -l <"$WORK/users") citizens in $((SECONDS - started)) s" >&2
# Every row starts from a server that has served only the mix, on a database with the
# sign-ins' rows vacuumed: the first row measured no longer carries the sign-ins'
# allocations or PostgreSQL's autovacuum catching up with them.
[ "$BACKEND" = postgres ] && psql -q "$URL" -c "VACUUM ANALYZE" >/dev/null
stop 9401
serve 9401 5
trivial=$(measure http://127.0.0.1:9401/health/live)
baseline="trivial JSON (\`GET /health/live\`)|$trivial|"
if [ "$BACKEND" = postgres ]; then
    scratch=pgbench_headline_$$
    psql -q "$PG_SERVER/postgres" -c "CREATE DATABASE $scratch" >/dev/null
    pgbench -q -i -s 10 "$PG_SERVER/$scratch" >/dev/null 2>&1
    pg_tps=$(pgbench -S -c "$CONNECTIONS" -j "$THREADS" -T "${DURATION%s}" "$PG_SERVER/$scratch" 2>/dev/null | awk '/^tps/ {print $3}')
    psql -q "$PG_SERVER/postgres" -c "DROP DATABASE $scratch" >/dev/null
fi

# One row: the mix through the servers on the given ports (one wrk per server, the
# connections split), requests/s summed, the worst p50/p99, the largest RSS peak.
mix_row() {
    local label=$1; shift
    local ports=("$@") n=$# port
    rm -f "$WORK"/out-* "$WORK"/rss-*
    touch "$WORK/sampling"
    for port in "${ports[@]}"; do sample_rss "$port" & done
    for port in "${ports[@]}"; do
        (BENCH_USERS=$WORK/users MEASURE_CONNECTIONS=$((CONNECTIONS / n)) MEASURE_PAUSE=0 \
            measure -s bench/lua/mix.lua "http://127.0.0.1:$port" >"$WORK/out-$port") &
    done
    for port in "${ports[@]}"; do while [ ! -s "$WORK/out-$port" ]; do sleep 0.2; done; done
    rm -f "$WORK/sampling"
    for port in "${ports[@]}"; do while [ ! -s "$WORK/rss-$port" ]; do sleep 0.1; done; done
    python3 - "$label" "${ports[@]}" <<PY
import sys
label, ports = sys.argv[1], sys.argv[2:]
rows = [open(f"$WORK/out-{p}").read().strip().split("|") for p in ports]
rss = max(int(open(f"$WORK/rss-{p}").read().strip() or 0) for p in ports)
rps = sum(float(r[0]) for r in rows)
p50 = max(float(r[1]) for r in rows)
p99 = max(float(r[2]) for r in rows)
bad = sum(int(r[3]) for r in rows)
print(f"{label}|{rps:.0f}|{p50}|{p99}|{bad}|{rss}")
PY
}

rows=()
rows+=("$(mix_row "10 000 citizens, SPA mix, caches on (5 s)" 9401)")
stop 9401
serve 9401 0
rows+=("$(mix_row "10 000 citizens, SPA mix, caches off" 9401)")
if [ "$BACKEND" = postgres ]; then
    serve 9402 0
    rows+=("$(mix_row "10 000 citizens, SPA mix, caches off, two processes" 9401 9402)")
    stop 9402
    stop 9401
    serve 9401 5
    serve 9402 5
    rows+=("$(mix_row "10 000 citizens, SPA mix, caches on (5 s), two processes" 9401 9402)")
fi

echo
echo "$BACKEND, $(wc -l <"$WORK/users") distinct signed-in citizens, $CONNECTIONS connections, $DURATION per row"
[ -n "${pg_tps:-}" ] && echo "pgbench -S (scale 10, $CONNECTIONS clients, same run): $pg_tps tps"
echo "| row | requests/s | vs trivial | vs pgbench -S | p50 ms | p99 ms | errors | peak anon RSS MiB |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
IFS='|' read -r t_rps t_p50 t_p99 t_bad <<<"$trivial"
echo "| trivial JSON (\`GET /health/live\`) | ${t_rps%.*} | 100 % | | $t_p50 | $t_p99 | $t_bad | |"
for row in "${rows[@]}"; do
    IFS='|' read -r name rps p50 p99 bad rss <<<"$row"
    vs_trivial=$(python3 -c "print(f'{100 * $rps / float(\"$t_rps\"):.0f} %')")
    vs_pg=""
    [ -n "${pg_tps:-}" ] && vs_pg=$(python3 -c "print(f'{100 * $rps / float(\"$pg_tps\"):.0f} %')")
    echo "| $name | $rps | $vs_trivial | $vs_pg | $p50 | $p99 | $bad | $rss |"
done
