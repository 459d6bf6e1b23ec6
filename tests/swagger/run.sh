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
source tests/demo_server.sh
start_demo DATABASE_URL=$work/swagger.db PORTAL_FILES=$work/files \
    PORTAL_JWT_SECRET="$SECRET"

mkdir -p target
rm -f target/swagger-ui.png target/swagger-ui-failure.png
status=0
PORTAL_URL=$base CHROMIUM=$CHROMIUM SCREENSHOT=$root/target/swagger-ui.png \
    node "$here/check.mjs" || status=1
no_panic || status=1
exit $status
