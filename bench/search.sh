#!/usr/bin/env bash
# `make bench-search` (and part of `make bench`): the vacancy search as a search engine
# (issue 19) on a large bank, SQLite and (when one answers on 127.0.0.1:5432)
# PostgreSQL. Seeds BENCH_SEARCH_VACANCIES vacancies (1 000 000 by default), turns
# remembered searches off so that every request is one nobody asked a moment ago, and
# drives random mixes with wrk at 16 connections; each row is a ratio to
# `GET /health/live` in the same run. Writes bench/SEARCH_RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_DURATION:-10s}
CONNECTIONS=${BENCH_SEARCH_CONNECTIONS:-16}
THREADS=${BENCH_THREADS:-2}
VACANCIES=${BENCH_SEARCH_VACANCIES:-1000000}
PG_SERVER=${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}
BACKENDS=${BENCH_SEARCH_BACKENDS:-sqlite postgres}

if ! command -v wrk >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk
fi
cargo build --release -q -p portal-api
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/portal
WORK=$(mktemp -d)
RESULTS=bench/SEARCH_RESULTS.md
SECRET=$(head -c 48 /dev/urandom | base64 -w0)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

source bench/common.sh

# Walks a few searches far into their results and keeps the cursors of deep pages.
collect_cursors() {
    local base=$1 out=$2 query cursor page
    : >"$out"
    for query in "sort=date" "sort=salary&region=77" "sort=rating&employment_type=full_time" \
        "text=%D0%BF%D0%BE%D0%B2%D0%B0%D1%80" "text=%D0%B2%D0%BE%D0%B4%D0%B8%D1%82%D0%B5%D0%BB%D1%8C&sort=date" \
        "text=%D0%BE%D1%82%D0%BF%D1%83%D1%81%D0%BA&sort=salary"; do
        cursor=""
        for page in $(seq 1 60); do
            local url="$base/api/v1/vacancies?$query&per_page=20"
            [ -n "$cursor" ] && url="$url&cursor=$cursor"
            cursor=$(curl -sf "$url" | json 'd["next_cursor"] or ""')
            [ -z "$cursor" ] && break
            [ "$page" -ge 20 ] && printf '%s&per_page=20\t%s\n' "$query" "$cursor" >>"$out"
        done
    done
}

sizes_sqlite() {
    python3 - "$1" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
try:
    rows = c.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC").fetchall()
except sqlite3.Error as e:
    print(f"(no dbstat: {e})"); sys.exit()
fts = sum(s for n, s in rows if n.startswith("vacancy_fts"))
regional = sum(s for n, s in rows if n.startswith("vacancy_regional_fts"))
keep = [(n, s) for n, s in rows if n.startswith(("vacancies", "sqlite_autoindex_vacancies", "search_suggestions"))]
whole = [("vacancy_fts (FTS5, all shadow tables)", fts), ("vacancy_regional_fts (words by region, all shadow tables)", regional)]
print("; ".join(f"`{n}` {s / 2**20:.0f} MiB" for n, s in whole + keep))
EOF
}

sizes_postgres() {
    psql "$1" -Atc "SELECT string_agg(format('\`%s\` %s MiB', relname, pg_relation_size(oid) / 1048576), '; ' ORDER BY pg_relation_size(oid) DESC) FROM pg_class WHERE relname LIKE 'vacancies%' OR relname LIKE 'search_suggestions%'"
}

bench_backend() {
    local backend=$1 url=$2 port=$3
    echo "== $backend: seeding $VACANCIES vacancies"
    local started=$SECONDS
    DATABASE_URL=$url "$BIN" seed --citizens 1 --appeals 0 --vacancies "$VACANCIES" >/dev/null
    local seed_time=$((SECONDS - started))
    local sizes
    local server=""
    if [ "$backend" = sqlite ]; then sizes=$(sizes_sqlite "$url"); else
        sizes=$(sizes_postgres "$url")
        # Its own cache holds this much of the bank; the rest is read from the OS's.
        server=" The server's \`shared_buffers\`: $(psql "$url" -Atc 'SHOW shared_buffers')."
    fi
    DATABASE_URL=$url PORTAL_BIND=127.0.0.1:$port PORTAL_JWT_SECRET=$SECRET RUST_LOG=warn \
        PORTAL_MAIL_LOG=1 \
        PORTAL_VACANCY_SEARCH_SECONDS=0 "$BIN" serve >"$WORK/$backend.log" 2>&1 &
    local pid=$!
    for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 0.1; done
    local base=http://127.0.0.1:$port
    collect_cursors "$base" "$WORK/cursors"

    local trivial rows=()
    trivial=$(measure "$base/health/live")
    # name|kind|rps|p50|p99|errors; kind: text (≥ 5 % of trivial), search, suggest.
    rows+=("trivial JSON (\`GET /health/live\`)|base|$trivial")
    rows+=("text + region + salary (random word form, relevance)|text|$(measure -s bench/lua/search/text_region.lua "$base")")
    rows+=("text over the whole bank (random word form, relevance)|text|$(measure -s bench/lua/search/text_only.lua "$base")")
    rows+=("filters + sort (region, type, schedule, salary; by salary/rating/date)|search|$(measure -s bench/lua/search/filters_sort.lua "$base")")
    rows+=("text + region with 4 facets|text|$(measure -s bench/lua/search/facets.lua "$base")")
    rows+=("deep cursor pages (pages 20–60 of 6 searches)|search|$(BENCH_CURSORS=$WORK/cursors measure -s bench/lua/search/deep_cursor.lua "$base")")
    rows+=("suggestions (random 2–4 letter prefix)|suggest|$(measure -s bench/lua/search/suggest.lua "$base")")
    kill "$pid"; wait "$pid" 2>/dev/null || true

    local trivial_rps=${trivial%%|*}
    {
        echo
        echo "### $backend"
        echo
        echo "Seeding $VACANCIES vacancies took ${seed_time}s (\`portal seed\`, including ANALYZE/VACUUM). Sizes: $sizes.$server"
        echo
        echo "| search | requests/s | vs trivial | p50 ms | p99 ms | errors | targets |"
        echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
        for row in "${rows[@]}"; do
            IFS='|' read -r name kind rps p50 p99 bad <<<"$row"
            ratio=$(python3 -c "print(f'{100 * float(\"$rps\") / float(\"$trivial_rps\"):.1f}%')" 2>/dev/null || echo n/a)
            met=$(python3 -c "
r = 100 * float('$rps') / float('$trivial_rps'); p99 = float('$p99'); kind = '$kind'
out = []
if kind == 'suggest':
    out.append('p99 < 5 ms' if p99 < 5 else 'no (p99 ≥ 5 ms)')
else:
    out.append('p99 < 20 ms' if p99 < 20 else 'no (p99 ≥ 20 ms)')
if kind == 'text':
    out.append(f'{r:.1f}% ≥ 5%' if r >= 5 else f'no ({r:.1f}% < 5%)')
print('; '.join(out))" 2>/dev/null || echo n/a)
            [ "$kind" = base ] && met=—
            echo "| $name | $rps | $ratio | $p50 | $p99 | $bad | $met |"
        done
    } >>"$RESULTS.tmp"
}

{
    echo "# Vacancy search benchmark (issue 19)"
    echo
    echo "Generated by \`make bench-search\` on $(date -u +%Y-%m-%d) — $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB;"
    echo "wrk with $THREADS threads and $CONNECTIONS connections for $DURATION per row, over loopback, against the release"
    echo "build, remembered searches off (\`PORTAL_VACANCY_SEARCH_SECONDS=0\`): every request is counted and read."
    echo "Targets: search p99 < 20 ms; suggestions p99 < 5 ms; text searches ≥ 5 % of the trivial throughput."
} >"$RESULTS.tmp"

for backend in $BACKENDS; do
    case $backend in
    sqlite) bench_backend sqlite "$WORK/search.db" 18191 ;;
    postgres)
        if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
            db=portal_search_$$
            psql "$PG_SERVER/postgres" -qc "CREATE DATABASE $db" >/dev/null
            bench_backend postgres "$PG_SERVER/$db" 18192
            psql "$PG_SERVER/postgres" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
        fi
        ;;
    esac
done
mv "$RESULTS.tmp" "$RESULTS"
cat "$RESULTS"
