#!/usr/bin/env bash
# localorg vs moto_server, side by side on the same SigV4-signed workloads, in one run.
#
#   bash bench/compare.sh
#
# Builds localorg and the load generator in release, installs moto[server] (pinned) into a venv,
# starts both servers on free loopback ports, runs every workload against each in alternation over
# several rounds (moto/localorg, then localorg/moto, ...), records cold start and server RSS, and writes
# bench/results/latest.md (workload, moto, localorg, advantage) and bench/results/latest.jsonl (raw).
# Not part of CI's pass/fail: timings on a shared 2-core machine are noisy.
#
# Knobs (env): ROUNDS=3 DURATION=3 CONNECTIONS=4 CREATE_COUNT=1000 BIG_ACCOUNTS=10000
#   SEED_BUDGET=150 (seconds a server may take to grow to BIG_ACCOUNTS; moto will not get there)
#   LIST_BUDGET=10 (seconds per list-accounts run; a pagination still running then is cut off) IC_COUNT=1000 SKIP_BUILD=1 (use existing binaries)
#   SIZE_MB=1024 (the S3 multipart object, uploaded in 8 MB parts, CONNECTIONS in flight, then downloaded)
#   MULTIPART_BUDGET=600 (seconds the multipart upload may take; completing and downloading may take
#     the rest of it, each at least 30 s)
#   ONLY=s3 (run only these sections, comma-separated: cold (cold start), org (Organizations, STS,
#     the big organization), ic (Identity Center), s3; default: all. A partial run writes
#     results/latest-<sections>.md/.jsonl, e.g. latest-s3.md, and leaves latest.md alone)
#   CARGO_TARGET_DIR (default: target/), MOTO_VENV (default: $CARGO_TARGET_DIR/moto-venv)
#
# S3: s3-put-4k and s3-get-4k run against the same servers as everything else (localorg
# `serve --in-memory`, which keeps object bodies in memory). s3-multipart runs once per server against
# a fresh one: localorg `serve --data-dir $WORK/localorg-data` (bodies streamed to files, as by
# default) and a fresh moto_server (bodies as moto keeps them); the server's RSS is sampled every
# 0.5 s meanwhile, and its idle RSS just before, and the peak is reported.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-3}"
CONNECTIONS="${CONNECTIONS:-4}"
CREATE_COUNT="${CREATE_COUNT:-1000}"
BIG_ACCOUNTS="${BIG_ACCOUNTS:-10000}"
SEED_BUDGET="${SEED_BUDGET:-100}"
LIST_BUDGET="${LIST_BUDGET:-10}"
IC_COUNT="${IC_COUNT:-1000}"
SIZE_MB="${SIZE_MB:-1024}"
MULTIPART_BUDGET="${MULTIPART_BUDGET:-600}"
ONLY="${ONLY:-}"
MOTO_VERSION="5.2.5"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
MOTO_VENV="${MOTO_VENV:-$TARGET_DIR/moto-venv}"
RESULTS_DIR="$ROOT/bench/results"
mkdir -p "$RESULTS_DIR"
RESULTS_NAME="latest${ONLY:+-${ONLY//,/-}}"

log() { printf '\n==> %s\n' "$*" >&2; }

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    log "release build: localorg + localorg-loadgen"
    CARGO_TARGET_DIR="$TARGET_DIR" cargo build --release --quiet -p localorg -p loadgen
fi
LOCALORG="$TARGET_DIR/release/localorg"
LOADGEN="$TARGET_DIR/release/localorg-loadgen"

if ! "$MOTO_VENV/bin/python" -c "import moto, sys; sys.exit(moto.__version__ != '$MOTO_VERSION')" 2>/dev/null; then
    log "moto[server]==$MOTO_VERSION into $MOTO_VENV"
    python3 -m venv "$MOTO_VENV"
    "$MOTO_VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
fi
MOTO_SERVER="$MOTO_VENV/bin/moto_server"

WORK="$(mktemp -d)"
RAW="$WORK/results.jsonl"
declare -A PID ENDPOINT
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

server_cmd() { # server port -> the command line
    case "$1" in
        localorg) echo "$LOCALORG serve --in-memory --listen 127.0.0.1:$2" ;;
        # The S3 multipart run: object bodies on disk.
        localorg-mp) echo "$LOCALORG serve --data-dir $WORK/localorg-data --listen 127.0.0.1:$2" ;;
        moto | moto-mp) echo "$MOTO_SERVER -H 127.0.0.1 -p $2" ;;
    esac
}

section() { # name -> whether ONLY selects it
    [[ -z "$ONLY" || ",$ONLY," == *",$1,"* ]]
}

start_server() { # server
    local s="$1" port
    port="$(free_port)"
    # shellcheck disable=SC2046
    $(server_cmd "$s" "$port") >"$WORK/$s.out" 2>"$WORK/$s.err" &
    PID[$s]=$!
    ENDPOINT[$s]="http://127.0.0.1:$port"
    "$LOADGEN" wait-ready --endpoint "${ENDPOINT[$s]}" --timeout 60
}

stop_server() { # server
    local s="$1"
    kill "${PID[$s]}" 2>/dev/null || true
    wait "${PID[$s]}" 2>/dev/null || true
    unset "PID[$s]"
}

rss_kb() { # pid -> VmRSS of the process and its children, in kB
    local total=0 p kb
    for p in "$1" $(cat "/proc/$1/task/"*/children 2>/dev/null); do
        kb="$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)"
        total=$((total + ${kb:-0}))
    done
    echo "$total"
}

record_rss() { # tag moto-accounts localorg-accounts
    local s kb accounts
    for s in moto localorg; do
        kb="$(rss_kb "${PID[$s]}")"
        if [[ "$s" == moto ]]; then accounts="$2"; else accounts="$3"; fi
        printf '{"workload":"rss","label":"%s","tag":"%s","rss_kb":%s,"accounts":%s}\n' \
            "$s" "$1" "$kb" "$accounts" >>"$RAW"
    done
}

seeded() { # server -> accounts in its organization after the last seed-accounts run
    python3 - "$RAW" "$1" <<'PY'
import json, sys
n = "null"
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r.get("workload") == "seed-accounts" and r.get("label") == sys.argv[2]:
        n = (r.get("extra") or {}).get("accounts_before", 0) + r.get("ok", 0)
print(n)
PY
}

run() { # server tag workload [loadgen args...]  (server localorg-mp is labelled localorg)
    local s="$1" tag="$2" workload="$3"
    shift 3
    "$LOADGEN" run --endpoint "${ENDPOINT[$s]}" --label "${s%-mp}" --tag "$tag" --round "$ROUND" \
        --workload "$workload" --out "$RAW" "$@" >/dev/null || true
}

sample_rss() { # pid file: appends the pid's RSS (kB) to file every 0.5 s while it lives
    while kill -0 "$1" 2>/dev/null; do
        rss_kb "$1" >>"$2"
        sleep 0.5
    done
}

multipart() { # server tag: s3-multipart against a fresh server, its RSS sampled meanwhile
    local s="$1" tag="$2" key="$1-mp" idle peak samples disk=null
    start_server "$key"
    sleep 1
    idle="$(rss_kb "${PID[$key]}")"
    : >"$WORK/rss-$s.txt"
    sample_rss "${PID[$key]}" "$WORK/rss-$s.txt" &
    PID[sampler]=$!
    ROUND=0 run "$key" "$tag" s3-multipart --size-mb "$SIZE_MB" --connections "$CONNECTIONS" \
        --duration "$MULTIPART_BUDGET"
    kill "${PID[sampler]}" 2>/dev/null || true
    wait "${PID[sampler]}" 2>/dev/null || true
    unset "PID[sampler]"
    peak="$( (echo "$idle"; cat "$WORK/rss-$s.txt") | sort -n | tail -n1)"
    samples="$(wc -l <"$WORK/rss-$s.txt")"
    if [[ "$s" == localorg ]]; then disk="$(du -sk "$WORK/localorg-data" | cut -f1)"; fi
    stop_server "$key"
    rm -rf "$WORK/localorg-data"
    printf '{"workload":"rss-peak","label":"%s","tag":"%s","idle_kb":%s,"peak_kb":%s,"samples":%s,"interval_s":0.5,"data_dir_kb":%s}\n' \
        "$s" "$tag" "$idle" "$peak" "$samples" "$disk" >>"$RAW"
}

order() { # round -> server order for that round
    if (($1 % 2)); then echo "localorg moto"; else echo "moto localorg"; fi
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

started_at="$(date +%s)"
printf '{"workload":"meta","date":"%s","cpus":%s,"cpu":"%s","loadavg_start":"%s","localorg_rev":"%s","moto_version":"%s","rounds":%s,"duration":%s,"connections":%s,"size_mb":%s,"only":"%s"}\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(nproc)" \
    "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)" "$(loadavg)" \
    "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo +dirty)" \
    "$MOTO_VERSION" "$ROUNDS" "$DURATION" "$CONNECTIONS" "$SIZE_MB" "$ONLY" >"$WORK/meta.json"

if section cold; then
    log "cold start ($ROUNDS rounds each)"
    for ((ROUND = 0; ROUND < ROUNDS; ROUND++)); do
        for s in $(order "$ROUND"); do
            port="$(free_port)"
            # shellcheck disable=SC2046
            "$LOADGEN" cold-start --endpoint "http://127.0.0.1:$port" --label "$s" --out "$RAW" --timeout 60 \
                -- $(server_cmd "$s" "$port") >/dev/null || true
        done
    done
fi

log "start both servers"
start_server moto
start_server localorg
record_rss "idle, just started" null null

THROUGHPUT=(--duration "$DURATION" --connections "$CONNECTIONS")

if section org; then
    log "point calls on an empty organization"
    for ((ROUND = 0; ROUND < ROUNDS; ROUND++)); do
        for s in $(order "$ROUND"); do
            run "$s" "empty org" get-caller-identity "${THROUGHPUT[@]}"
            run "$s" "empty org" describe-organization "${THROUGHPUT[@]}"
        done
    done

    log "CreateAccount x$CREATE_COUNT, sequential, from a reset server each round"
    for ((ROUND = 0; ROUND < ROUNDS; ROUND++)); do
        for s in $(order "$ROUND"); do
            "$LOADGEN" reset --endpoint "${ENDPOINT[$s]}"
            run "$s" "fresh org" create-accounts --count "$CREATE_COUNT" --duration 300
        done
    done
    record_rss "after CreateAccount x$CREATE_COUNT" $((CREATE_COUNT + 1)) $((CREATE_COUNT + 1))

    log "point calls and ListAccounts with $((CREATE_COUNT + 1)) accounts"
    for ((ROUND = 0; ROUND < ROUNDS; ROUND++)); do
        for s in $(order "$ROUND"); do
            run "$s" "$((CREATE_COUNT + 1)) accounts" get-caller-identity "${THROUGHPUT[@]}"
            run "$s" "$((CREATE_COUNT + 1)) accounts" describe-organization "${THROUGHPUT[@]}"
            run "$s" "$((CREATE_COUNT + 1)) accounts" describe-account "${THROUGHPUT[@]}"
            run "$s" "$((CREATE_COUNT + 1)) accounts" list-accounts --count 3 --duration "$LIST_BUDGET" --connections 1
        done
    done

    log "OU + MoveAccount mix, AssumeRole, SCP-denied call"
    for ((ROUND = 0; ROUND < ROUNDS; ROUND++)); do
        for s in $(order "$ROUND"); do
            run "$s" "$((CREATE_COUNT + 1)) accounts" ou-move --count 100 --duration "$DURATION" --connections 1
            run "$s" "$((CREATE_COUNT + 1)) accounts" assume-role "${THROUGHPUT[@]}"
            run "$s" "3-level OU chain" scp-denied "${THROUGHPUT[@]}"
        done
    done

    log "grow to $BIG_ACCOUNTS accounts (at most ${SEED_BUDGET}s per server)"
    for s in localorg moto; do
        ROUND=0 run "$s" "grow to $BIG_ACCOUNTS" seed-accounts --accounts "$BIG_ACCOUNTS" \
            --duration "$SEED_BUDGET" --connections "$CONNECTIONS"
    done
    record_rss "after growing toward $BIG_ACCOUNTS accounts" "$(seeded moto)" "$(seeded localorg)"

    BIG="grown for ${SEED_BUDGET}s: moto $(seeded moto), localorg $(seeded localorg) accounts"
    log "point calls and ListAccounts with the big organization ($BIG)"
    for ((ROUND = 0; ROUND < ROUNDS; ROUND++)); do
        for s in $(order "$ROUND"); do
            run "$s" "$BIG" get-caller-identity "${THROUGHPUT[@]}"
            run "$s" "$BIG" describe-organization "${THROUGHPUT[@]}"
            run "$s" "$BIG" describe-account "${THROUGHPUT[@]}"
            run "$s" "$BIG" list-accounts --count 3 --duration "$LIST_BUDGET" --connections 1
        done
    done

fi

if section ic; then
    log "Identity Center: users, users x assignments"
    for ((ROUND = 0; ROUND < ROUNDS; ROUND++)); do
        for s in $(order "$ROUND"); do
            run "$s" "identity store" ic-users --count "$IC_COUNT" --duration "$DURATION" --connections 1
        done
    done
    for s in $(order 0); do
        ROUND=0 run "$s" "$IC_COUNT users" ic-assignments --count "$IC_COUNT" --duration 30 --connections 1
    done
fi

if section s3; then
    log "S3: PutObject and GetObject of 4 KB objects"
    for ((ROUND = 0; ROUND < ROUNDS; ROUND++)); do
        for s in $(order "$ROUND"); do
            run "$s" "4 KB objects" s3-put-4k "${THROUGHPUT[@]}"
            run "$s" "4 KB objects" s3-get-4k "${THROUGHPUT[@]}"
        done
    done
    record_rss "after the 4 KB S3 runs" null null

    if ((SIZE_MB % 1024 == 0)); then SIZE="$((SIZE_MB / 1024)) GB"; else SIZE="$SIZE_MB MB"; fi
    log "S3: one $SIZE multipart upload + download per server (fresh servers; localorg on disk)"
    for s in $(order 0); do
        multipart "$s" "$SIZE object, 8 MB parts"
    done
fi

record_rss "end of run" "$(seeded moto)" "$(seeded localorg)"

sed -i "s/}\$/,\"loadavg_end\":\"$(loadavg)\",\"wall_s\":$(($(date +%s) - started_at))}/" "$WORK/meta.json"
cat "$WORK/meta.json" "$RAW" >"$RESULTS_DIR/$RESULTS_NAME.jsonl"
python3 "$ROOT/bench/report.py" "$RESULTS_DIR/$RESULTS_NAME.jsonl" >"$RESULTS_DIR/$RESULTS_NAME.md"
log "wrote $RESULTS_DIR/$RESULTS_NAME.md and $RESULTS_NAME.jsonl in $(($(date +%s) - started_at)) s"
cat "$RESULTS_DIR/$RESULTS_NAME.md"
