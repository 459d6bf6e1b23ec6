# Sourced by the bench scripts: what they need to drive wrk and read it.
# Expects THREADS, CONNECTIONS and DURATION; a row may override the last two with
# MEASURE_CONNECTIONS and MEASURE_DURATION.

json() { python3 -c "import sys, json; d = json.load(sys.stdin); print($1)"; }

# wrk's summary as "rps|p50|p99|errors": latencies in ms, errors = non-2xx + socket errors.
measure() {
    local out rps p50 p99 bad
    # Let the previous row's leftovers (queued Argon2 hashes after the login row) drain.
    sleep "${MEASURE_PAUSE:-2}"
    local connections=${MEASURE_CONNECTIONS:-$CONNECTIONS}
    # wrk needs a connection per thread: one connection, one thread.
    local threads=$((THREADS < connections ? THREADS : connections))
    out=$(wrk -t"$threads" -c"$connections" -d"${MEASURE_DURATION:-$DURATION}" --latency "$@" 2>&1)
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    bad=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}' <<<"$out")
    printf '%s|%s|%s|%s\n' "$rps" "$(ms "$p50")" "$(ms "$p99")" "$bad"
}

# wrk prints 812.00us, 1.20ms or 1.02s; the table wants milliseconds.
ms() {
    python3 -c "
v = '$1'
for unit, f in (('us', 0.001), ('ms', 1), ('s', 1000)):
    if v.endswith(unit):
        print(round(float(v[:-len(unit)]) * f, 2)); break
else:
    print('n/a')"
}

# Sets URL to a fresh database of $BACKEND: a SQLite file in $WORK, or the PostgreSQL
# database $1 on $PG_SERVER, dropped and created anew.
fresh_database() {
    if [ "$BACKEND" = sqlite ]; then
        URL="sqlite://$WORK/portal.db"
    else
        psql -q "$PG_SERVER/postgres" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
        URL="$PG_SERVER/$1"
    fi
}
