#!/usr/bin/env bash
# The TypeScript client test: types generated from openapi.yaml (openapi-typescript),
# a strict type-check of src/flows.ts (every role's main flows through openapi-fetch,
# no casts), then the flows run against the demo server on a free port and a fresh
# SQLite database, as tests/spec.sh starts it. Needs `npm ci` here and a built
# target/debug/portal (`make test-client` does both).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

# Generated at each run, never committed: the committed openapi.yaml is the contract
# (and a Rust test keeps it fresh), so the types are derived from it, not kept beside it.
rm -rf build
npx --no-install openapi-typescript ../../openapi.yaml --output src/schema.d.ts
npx --no-install tsc -p tsconfig.json

cd ../..
SECRET=$(head -c 48 /dev/urandom | base64 -w0)
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
source tests/demo_server.sh
start_demo DATABASE_URL=$work/client.db PORTAL_FILES=$work/files \
    PORTAL_JWT_SECRET="$SECRET"

status=0
PORTAL_URL=$base node "$here/build/flows.js" || status=1
no_panic || status=1
exit $status
