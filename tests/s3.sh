#!/usr/bin/env bash
# Object storage on S3: the portal built with `--features aws` keeps uploads in an
# S3-compatible store named by `PORTAL_FILES=s3://bucket/prefix` and the usual AWS_*
# variables. A local moto server (Python, `pip install 'moto[server]'`) stands in for
# S3; the script uploads a document, finds the object in the bucket under the prefix,
# and downloads the same bytes back. Skipped when moto is not installed: set
# MOTO_SERVER to its `moto_server` executable (default: on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
# A random signing key: the server refuses a guessable one.
SECRET=$(head -c 48 /dev/urandom | base64 -w0)

MOTO=${MOTO_SERVER:-$(command -v moto_server || true)}
if [ -z "$MOTO" ] || [ ! -x "$MOTO" ]; then
    echo "s3: no moto_server here (pip install 'moto[server]', or set MOTO_SERVER); skipped"
    exit 0
fi
cargo build -q -p portal-api --features aws --bin portal

work=$(mktemp -d)
s3_port=$((20000 + RANDOM % 20000))
moto_pid=
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    [ -n "$moto_pid" ] && kill "$moto_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

"$MOTO" -H 127.0.0.1 -p "$s3_port" >"$work/moto.log" 2>&1 &
moto_pid=$!
s3="http://127.0.0.1:$s3_port"
for _ in $(seq 1 100); do
    curl -s -o /dev/null "$s3/" && break
    sleep 0.1
done
curl -sf -XPUT "$s3/portal-files" >/dev/null

source tests/demo_server.sh
start_demo DATABASE_URL="$work/portal.db" PORTAL_JWT_SECRET="$SECRET" \
    PORTAL_FILES=s3://portal-files/uploads AWS_ENDPOINT="$s3" AWS_ALLOW_HTTP=true \
    AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1

passed=0
failed=0
check() {
    local name=$1 expected=$2 actual=$3
    if [ "$expected" = "$actual" ]; then
        passed=$((passed + 1)); echo "ok   $name"
    else
        failed=$((failed + 1)); echo "FAIL $name: expected $expected, got $actual"
    fi
}

token=$(curl -sf -XPOST "$base/api/v1/auth/login" -H 'content-type: application/json' \
    -d '{"login":"demo.citizen","password":"Demo-password-1"}' |
    python3 -c 'import sys, json; print(json.load(sys.stdin)["access_token"])')
# A small but real PDF, a little over one multipart part of a local store.
python3 - "$work/scan.pdf" <<'PY'
import sys
body = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b"% padding\n" * 20000
open(sys.argv[1], "wb").write(body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
PY
status=$(curl -s -o "$work/created" -w '%{http_code}' -H "authorization: Bearer $token" \
    -F kind=passport -F "file=@$work/scan.pdf;filename=паспорт.pdf;type=application/pdf" \
    "$base/api/v1/citizen/documents")
check "an upload to S3 is accepted" 201 "$status"
id=$(python3 -c 'import sys, json; print(json.load(open(sys.argv[1])).get("id", ""))' "$work/created")
objects=$(curl -s "$s3/portal-files?list-type=2&prefix=uploads/" | grep -o '<Key>[^<]*</Key>' | wc -l)
check "the object is in the bucket under the prefix" 1 "$objects"
status=$(curl -s -o "$work/back.pdf" -w '%{http_code}' -H "authorization: Bearer $token" \
    "$base/api/v1/citizen/documents/$id/content")
check "the download answers" 200 "$status"
check "the same bytes come back" "$(sha256sum <"$work/scan.pdf")" "$(sha256sum <"$work/back.pdf")"

if grep -q panicked "$work/err"; then failed=$((failed + 1)); echo "FAIL the server panicked"; fi
echo "s3: $passed passed, $failed failed"
[ "$failed" = 0 ]
