#!/usr/bin/env python3
"""Vendor AWS API models from one pinned botocore release, documentation stripped.

Usage: scripts/vendor-models.py [BOTOCORE_DATA_DIR]
Without an argument the botocore installed in the running Python is used (pin it in
tests/e2e/requirements.txt, so models and test clients come from one release).
Writes crates/model/models/<service>.json and the lock file (version + sha256 of source and output).
"""
import gzip
import hashlib
import json
import os
import sys

SERVICES = [
    "organizations", "iam", "sts", "sso-admin", "identitystore", "sso", "sso-oidc",
    "account", "budgets", "ce", "cloudtrail",
]
# Keys that carry prose only; shapes, constraints, errors and protocol metadata stay.
PROSE = {"documentation", "documentationUrl", "deprecatedMessage", "examples"}

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "crates", "model", "models")


def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in PROSE}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def newest_api_version(data_dir, service):
    versions = sorted(os.listdir(os.path.join(data_dir, service)))
    return versions[-1]


def main():
    import botocore

    data_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(botocore.__file__), "data")
    lock = {"botocore": botocore.__version__, "services": {}}
    for service in SERVICES:
        api = newest_api_version(data_dir, service)
        src = os.path.join(data_dir, service, api, "service-2.json")
        raw = open(src, "rb").read() if os.path.exists(src) else gzip.open(src + ".gz").read()
        model = strip(json.loads(raw))
        text = json.dumps(model, indent=1, sort_keys=True) + "\n"
        with open(os.path.join(OUT, service + ".json"), "w") as f:
            f.write(text)
        lock["services"][service] = {
            "apiVersion": api,
            "sourceSha256": hashlib.sha256(raw).hexdigest(),
            "vendoredSha256": hashlib.sha256(text.encode()).hexdigest(),
        }
    with open(os.path.join(OUT, "models.lock"), "w") as f:
        json.dump(lock, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
