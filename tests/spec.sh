#!/usr/bin/env bash
# Spec conformance: schemathesis (all checks) against the real server in demo mode, once
# for each role's token, so that every operation is exercised by someone allowed to.
set -euo pipefail
cd "$(dirname "$0")/.."
# A random signing key: the server refuses a guessable one.
SECRET=$(head -c 48 /dev/urandom | base64 -w0)
SCHEMATHESIS=${SCHEMATHESIS:-.venv/bin/schemathesis}
EXAMPLES=${SPEC_EXAMPLES:-25}

cargo build -q -p portal-api --bin portal
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
source tests/demo_server.sh
start_demo DATABASE_URL=$work/spec.db PORTAL_FILES=$work/files \
    PORTAL_JWT_SECRET="$SECRET" PORTAL_LOGIN_ATTEMPTS_PER_ACCOUNT=1000000 \
    PORTAL_LOGIN_ATTEMPTS_PER_ADDRESS=1000000

status=0
for login in demo.citizen demo.employer demo.staff; do
    token=$(curl -sf -XPOST "$base/api/v1/auth/login" -H 'content-type: application/json' \
        -d "{\"login\":\"$login\",\"password\":\"Demo-password-1\"}" |
        python3 -c 'import sys, json; print(json.load(sys.stdin)["access_token"])')
    for attempt in 1 2; do
        echo "== schemathesis as $login"
        if "$SCHEMATHESIS" --config-file schemathesis.toml run "$base/api-docs/openapi.json" \
            --checks all -H "Authorization: Bearer $token" --max-examples "$EXAMPLES" \
            --workers 2 --phases examples,coverage,fuzzing --warnings off | tee "$work/run.log"; then
            break
        fi
        # CPython 3.11 itself sometimes fails inside the tool's generator ("AST constructor
        # recursion depth mismatch", seen once in stop 29); that run says nothing of the
        # API, so it runs once more. Any other failure counts.
        if [ "$attempt" = 1 ] && grep -q "AST constructor recursion depth mismatch" "$work/run.log"; then
            echo "== the tool crashed (CPython SystemError); once more"
            continue
        fi
        status=1
        break
    done
done
no_panic || status=1
exit $status
