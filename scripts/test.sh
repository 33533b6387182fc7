#!/usr/bin/env bash
# The one command that runs every localorg test: Rust unit/property/golden tests, lint and generator
# freshness checks, then the end-to-end suite (boto3 + aws CLI against a real `localorg serve`).
# It installs what it needs: a Python venv with the pinned clients under .venv/.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "Python venv with pinned AWS clients (tests/e2e/requirements.txt)"
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r tests/e2e/requirements.txt

step "AWS CLI v2 from Debian's awscli package (for the aws sso login e2e test)"
if ! /usr/bin/aws --version 2>/dev/null | grep -q '^aws-cli/2\.'; then
    export DEBIAN_FRONTEND=noninteractive
    sudo=""; [[ "$(id -u)" != 0 ]] && sudo="sudo"
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq awscli >/dev/null
fi
/usr/bin/aws --version

step "cargo fmt --check"
cargo fmt --all -- --check

step "generated code is fresh (cargo run -p codegen -- --check)"
cargo run --quiet -p codegen -- --check

step "dependency rule: services never depend on each other (scripts/check-deps.py)"
python3 scripts/check-deps.py

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "cargo test (unit, property, golden wire fixtures, SigV4 oracle)"
cargo test --workspace --quiet

step "build the localorg binary (and the wire oracle) for the end-to-end suite"
cargo build --quiet -p localorg
cargo build --quiet -p localorg-wire --example wire_oracle
export LOCALORG_BIN="$PWD/target/debug/localorg"
export WIRE_ORACLE_BIN="$PWD/target/debug/examples/wire_oracle"

step "load generator smoke (~10 s of signed load against localorg; timings are not asserted)"
cargo build --quiet -p loadgen
bash bench/smoke.sh "$LOCALORG_BIN" "$PWD/target/debug/localorg-loadgen"

step "end-to-end suite (pytest: boto3 + aws CLI against localorg serve)"
.venv/bin/python -m pytest tests/e2e -q -p no:cacheprovider "$@"
