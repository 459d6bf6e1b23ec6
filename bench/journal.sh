#!/usr/bin/env bash
# `make bench-journal`: what the audit journal costs staff reads, in a few minutes. The
# release server and a build with the `unjournaled-reads` feature serve the same
# database; wrk opens distinct citizens' cards through each in turn, ROUNDS times. With
# PERF=1 it also profiles the journaled server (perf report in $WORK/perf.txt).
# Prints the pairs; nothing is written to bench/RESULTS.md.
# Usage: bench/journal.sh [sqlite|postgres] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."

BACKEND=${1:-sqlite}
ROUNDS=${2:-3}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
DURATION=${BENCH_DURATION:-6s}
PG_SERVER=${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}
export BENCH_THREADS=$THREADS
WORK=$(mktemp -d)
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/portal
cargo build --release -q -p portal-api --features unjournaled-reads
cp "$BIN" "$WORK/portal-unjournaled"
cargo build --release -q -p portal-api
cp "$BIN" "$WORK/portal"
SECRET=$(head -c 48 /dev/urandom | base64 -w0)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
source bench/common.sh

fresh_database portal_bench_journal
DATABASE_URL=$URL "$WORK/portal" seed --citizens 10000 --appeals 20000 --vacancies 1000 \
    --payments-per-citizen 0 >/dev/null

# Starts `$1 serve` on port $2.
serve() {
    DATABASE_URL=$URL PORTAL_BIND=127.0.0.1:$2 PORTAL_JWT_SECRET=$SECRET RUST_LOG=warn \
        PORTAL_MAIL_LOG=1 PORTAL_LOGIN_ATTEMPTS_PER_ACCOUNT=100000000 \
        PORTAL_FILES="$WORK/files" "$1" serve >"$WORK/$2.log" 2>&1 &
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$2/health/ready" >/dev/null && break; sleep 0.1; done
}
serve "$WORK/portal" 9301
journaled=$!
serve "$WORK/portal-unjournaled" 9302
base=http://127.0.0.1:9301
staff=$(curl -sf -XPOST "$base/api/v1/auth/login" -H 'content-type: application/json' \
    -d '{"login":"bench.staff","password":"Bench-password-1"}' | json 'd["access_token"]')
: >"$WORK/citizens"
for page in $(seq 1 40); do
    curl -sf "$base/api/v1/staff/appeals?status=registered&per_page=100&page=$page&date_from=2000-01-01" \
        -H "authorization: Bearer $staff" | json '"\n".join(i["applicant"]["id"] for i in d["items"])' >>"$WORK/citizens"
done
sort -u -o "$WORK/citizens" "$WORK/citizens"
sed -i '/^$/d' "$WORK/citizens"
card() { BENCH_TOKEN=$staff BENCH_IDS=$WORK/citizens measure -s bench/lua/card.lua "http://127.0.0.1:$1"; }
echo "$BACKEND, $(wc -l <"$WORK/citizens") citizens; rps|p50 ms|p99 ms|errors"
for round in $(seq 1 "$ROUNDS"); do
    with=$(card 9301)
    without=$(card 9302)
    cost=$(python3 -c "print(f'{100 * (1 - float(\"${with%%|*}\") / float(\"${without%%|*}\")):.0f} %')")
    echo "round $round: journaled $with; unjournaled $without; cost $cost"
done
if [ -n "${PERF:-}" ]; then
    MEASURE_DURATION=12s card 9301 >/dev/null &
    load=$!
    sleep 3
    perf record -F 999 -g -p "$journaled" -o "$WORK/perf.data" -- sleep 6 >/dev/null 2>&1
    wait "$load"
    perf report -i "$WORK/perf.data" --no-children --sort comm,sym --stdio -g none \
        --percent-limit 0.5 2>/dev/null | grep -v '^#' | grep -v '^$' | head -60
fi
