#!/usr/bin/env bash
# CI smoke of the load generator (~15 s): starts `localorg serve --in-memory` on a free loopback port
# and runs GetCallerIdentity and DescribeOrganization for ~5 s each, S3 PutObject and GetObject of
# 4 KB objects for ~2 s each, and one 16 MB S3 multipart upload + download. Fails when a run has any
# error or no successful request. Builds nothing: pass the binaries.
#
#   bench/smoke.sh [LOCALORG_BIN] [LOADGEN_BIN]     (or env LOCALORG_BIN / LOADGEN_BIN)
#   SMOKE_SECONDS=5 SMOKE_S3_SECONDS=2 SMOKE_CONNECTIONS=4   (optional)
set -euo pipefail

LOCALORG_BIN="${1:-${LOCALORG_BIN:-}}"
LOADGEN_BIN="${2:-${LOADGEN_BIN:-}}"
SECONDS_EACH="${SMOKE_SECONDS:-5}"
S3_SECONDS="${SMOKE_S3_SECONDS:-2}"
CONNECTIONS="${SMOKE_CONNECTIONS:-4}"
if [[ -z "$LOCALORG_BIN" || -z "$LOADGEN_BIN" ]]; then
    echo "usage: $0 LOCALORG_BIN LOADGEN_BIN   (or set LOCALORG_BIN / LOADGEN_BIN)" >&2
    exit 2
fi
for bin in "$LOCALORG_BIN" "$LOADGEN_BIN"; do
    [[ -x "$bin" ]] || { echo "smoke: $bin is not an executable" >&2; exit 2; }
done

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

mkfifo "$work/out"
"$LOCALORG_BIN" serve --in-memory --listen 127.0.0.1:0 >"$work/out" 2>"$work/server.log" &
server_pid=$!
exec 3<"$work/out"
line=""
if ! IFS= read -r -t 30 line <&3; then
    echo "smoke: localorg printed no listening line within 30 s" >&2
    cat "$work/server.log" >&2 || true
    exit 1
fi
# Keep draining the server's stdout so it never blocks on a full pipe.
cat <&3 >/dev/null &
endpoint="$(grep -o 'http://127\.0\.0\.1:[0-9]*' <<<"$line" | head -n1)"
if [[ -z "$endpoint" ]]; then
    echo "smoke: cannot find the endpoint in: $line" >&2
    exit 1
fi
echo "smoke: localorg at $endpoint"

status=0
check() { # workload [loadgen args...]: one run, which must succeed without errors
    local workload="$1" result
    shift
    if ! result="$("$LOADGEN_BIN" run --endpoint "$endpoint" --label localorg --workload "$workload" \
        --connections "$CONNECTIONS" "$@")"; then
        echo "smoke: $workload: the load generator failed: $result" >&2
        status=1
        return
    fi
    if ! grep -q '"status":"ok"' <<<"$result" || ! grep -q '"errors":0,' <<<"$result"; then
        echo "smoke: $workload: errors or no successful request: $result" >&2
        status=1
    fi
}
check get-caller-identity --duration "$SECONDS_EACH"
check describe-organization --duration "$SECONDS_EACH"
check s3-put-4k --duration "$S3_SECONDS"
check s3-get-4k --duration "$S3_SECONDS"
# The whole upload, CompleteMultipartUpload and the streamed download must succeed within 60 s.
check s3-multipart --size-mb 16 --duration 60
exit "$status"
