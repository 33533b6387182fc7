#!/usr/bin/env bash
# Two localorg builds side by side on the same signed workloads, in one run: did a change make
# localorg slower? (compare.sh measures localorg against moto_server; this measures localorg against
# itself.)
#
#   bash bench/before_after.sh BEFORE_BIN [AFTER_BIN]
#
# BEFORE_BIN is a release `localorg` built from the base revision (for example:
#   git worktree add /tmp/base REV && cargo build --release --manifest-path /tmp/base/Cargo.toml);
# AFTER_BIN defaults to this checkout's target/release/localorg (built unless SKIP_BUILD=1).
# Workloads alternate before/after over ROUNDS rounds (B A, A B, …); the report gives medians and the
# after/before ratio (> 1: after is faster). Writes bench/results/before_after.md and .jsonl.
# Knobs (env): ROUNDS=5 DURATION=3 CONNECTIONS=4 CREATE_COUNT=500 SKIP_BUILD=1
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
BEFORE="${1:?usage: bench/before_after.sh BEFORE_BIN [AFTER_BIN]}"
ROUNDS="${ROUNDS:-5}"
DURATION="${DURATION:-3}"
CONNECTIONS="${CONNECTIONS:-4}"
CREATE_COUNT="${CREATE_COUNT:-500}"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    cargo build --release --quiet -p localorg -p loadgen
fi
AFTER="${2:-$TARGET_DIR/release/localorg}"
LOADGEN="$TARGET_DIR/release/localorg-loadgen"
RESULTS_DIR="$ROOT/bench/results"
WORK="$(mktemp -d)"
RAW="$WORK/raw.jsonl"
declare -A PID ENDPOINT BIN=([before]="$BEFORE" [after]="$AFTER")
cleanup() {
    for s in "${!PID[@]}"; do
        kill "${PID[$s]}" 2>/dev/null || true
        wait "${PID[$s]}" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

for s in before after; do
    port="$(free_port)"
    "${BIN[$s]}" serve --in-memory --listen "127.0.0.1:$port" >"$WORK/$s.out" 2>"$WORK/$s.err" &
    PID[$s]=$!
    ENDPOINT[$s]="http://127.0.0.1:$port"
    "$LOADGEN" wait-ready --endpoint "${ENDPOINT[$s]}" --timeout 60
done

run() { # server tag workload [loadgen args...]
    local s="$1" tag="$2" workload="$3"
    shift 3
    "$LOADGEN" run --endpoint "${ENDPOINT[$s]}" --label "$s" --tag "$tag" --round "$ROUND" \
        --workload "$workload" --out "$RAW" "$@" >/dev/null || true
}
order() { if (($1 % 2)); then echo "after before"; else echo "before after"; fi; }
THROUGHPUT=(--duration "$DURATION" --connections "$CONNECTIONS")

for ((ROUND = 0; ROUND < ROUNDS; ROUND++)); do
    for s in $(order "$ROUND"); do
        "$LOADGEN" reset --endpoint "${ENDPOINT[$s]}"
        run "$s" "empty org" get-caller-identity "${THROUGHPUT[@]}"
        run "$s" "empty org" describe-organization "${THROUGHPUT[@]}"
        run "$s" "fresh org" create-accounts --count "$CREATE_COUNT" --duration 300
        run "$s" "$((CREATE_COUNT + 1)) accounts" describe-account "${THROUGHPUT[@]}"
        run "$s" "$((CREATE_COUNT + 1)) accounts" list-accounts --count 3 --duration 10 --connections 1
        run "$s" "$((CREATE_COUNT + 1)) accounts" ou-move --count 100 --duration "$DURATION" --connections 1
        run "$s" "$((CREATE_COUNT + 1)) accounts" assume-role "${THROUGHPUT[@]}"
        run "$s" "3-level OU chain" scp-denied "${THROUGHPUT[@]}"
    done
done

cp "$RAW" "$RESULTS_DIR/before_after.jsonl"
python3 - "$RAW" "$BEFORE" "$AFTER" "$ROUNDS" >"$RESULTS_DIR/before_after.md" <<'PY'
import json, statistics, sys
from collections import defaultdict
raw, before, after, rounds = sys.argv[1:5]
seen, order = defaultdict(list), []
for line in open(raw):
    r = json.loads(line)
    key = (r["workload"], r.get("tag", ""))
    if key not in order:
        order.append(key)
    if r.get("status") == "ok" and not r.get("errors"):
        per_op = r["workload"] in ("create-accounts", "list-accounts")
        value = r["elapsed_s"] / max(r["ok"], 1) * 1000 if per_op else r["requests_per_s"]
        seen[key + (r["label"],)].append(value)
print("# localorg before and after, same signed workloads, one run\n")
print(f"- before: `{before}`; after: `{after}`; {rounds} rounds alternating, medians over rounds")
print("- ratio = after ÷ before for rates, before ÷ after for times: above 1 means after is faster\n")
print("| Workload | Metric | before | after | ratio |")
print("|---|---|---:|---:|---:|")
for workload, tag in order:
    b, a = seen.get((workload, tag, "before")), seen.get((workload, tag, "after"))
    if not b or not a:
        print(f"| {workload} ({tag}) | | {'failed' if not b else ''} | {'failed' if not a else ''} | |")
        continue
    mb, ma = statistics.median(b), statistics.median(a)
    time = workload in ("create-accounts", "list-accounts")
    metric = "ms per op" if time else "requests/s"
    ratio = mb / ma if time else ma / mb
    fmt = (lambda v: f"{v:.3g}") if time else (lambda v: f"{v:,.0f}")
    print(f"| {workload} ({tag}) | {metric} | {fmt(mb)} | {fmt(ma)} | {ratio:.2f} |")
PY
cat "$RESULTS_DIR/before_after.md"
