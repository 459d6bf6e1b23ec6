#!/usr/bin/env bash
# The Swagger UI check: headless Chromium (Debian's `chromium`, driven by puppeteer-core
# from check.mjs) opens /swagger-ui/ of the demo server, on a free port and a fresh
# SQLite database as tests/client/run.sh starts it, and signs in with «Try it out».
# Saves target/swagger-ui.png. Needs `npm ci` here and a built target/debug/portal
# (`make test-swagger` does both).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
root=$(pwd)

CHROMIUM=${CHROMIUM:-$(command -v chromium || true)}
[ -n "$CHROMIUM" ] || { echo "chromium is not installed (apt-get install chromium)" >&2; exit 1; }

SECRET=$(head -c 48 /dev/urandom | base64 -w0)
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
DATABASE_URL=$work/swagger.db PORTAL_FILES=$work/files PORTAL_BIND=127.0.0.1:0 RUST_LOG=warn \
    PORTAL_JWT_SECRET="$SECRET" \
    target/debug/portal serve --demo >"$work/out" 2>"$work/err" &
pid=$!
base=
for _ in $(seq 1 100); do
    base=$(sed -n 's|^Serving the API at \(http://[^/]*\)/api/v1$|\1|p' "$work/out")
    [ -n "$base" ] && break
    sleep 0.1
done
[ -n "$base" ] || { cat "$work/err"; echo "the server did not start" >&2; exit 1; }

mkdir -p target
rm -f target/swagger-ui.png target/swagger-ui-failure.png
status=0
PORTAL_URL=$base CHROMIUM=$CHROMIUM SCREENSHOT=$root/target/swagger-ui.png \
    node "$here/check.mjs" || status=1
if grep -q "panicked" "$work/err"; then
    echo "the server panicked:" >&2
    grep -A5 panicked "$work/err" >&2
    status=1
fi
exit $status
