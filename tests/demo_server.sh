# Sourced by the scripts that drive a running demo server (spec.sh, faults.sh, s3.sh,
# client/run.sh, swagger/run.sh). Expects the repository root as the working directory,
# a built target/debug/portal and a scratch directory in $work.

# Starts `portal serve --demo` on a free port, with the settings given as NAME=value
# arguments; sets $pid and $base (http://127.0.0.1:PORT). Its output goes to
# $work/out and $work/err.
start_demo() {
    # Created here: the background job opens them only once it runs, and the first look
    # below may come sooner (a `sed` on a missing file ended a run of faults.sh).
    : >"$work/out"
    : >"$work/err"
    env "$@" PORTAL_BIND=127.0.0.1:0 RUST_LOG=warn \
        target/debug/portal serve --demo >"$work/out" 2>"$work/err" &
    pid=$!
    base=
    for _ in $(seq 1 100); do
        base=$(sed -n 's|^Serving the API at \(http://[^/]*\)/api/v1$|\1|p' "$work/out")
        [ -n "$base" ] && break
        sleep 0.1
    done
    [ -n "$base" ] || { cat "$work/err"; echo "the server did not start" >&2; exit 1; }
}

# Fails, showing where, when the server panicked during the run.
no_panic() {
    if grep -q "panicked" "$work/err"; then
        echo "the server panicked:" >&2
        grep -A5 panicked "$work/err" >&2
        return 1
    fi
}
