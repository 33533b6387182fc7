#!/usr/bin/env python3
"""The dependency rule between localorg's crates, checked on `cargo metadata`.

Every workspace crate names its layer in `[package.metadata.localorg] layer = "..."`:

- foundation: protocols, signatures, models, the store, the policy engine; depend on nothing above;
- kernel:     the domain kernel (`localorg-kernel`); depends on the foundation only;
- service:    one crate per AWS service family; depends on the kernel and the foundation, and
              NEVER on another service: what a service needs of another family goes through a
              kernel port;
- root:       the composition root (`localorg-server`, the `localorg` binary): may depend on all;
- tool:       generators and benchmarks; may not depend on services.

A crate without a layer, or a dependency (normal, dev or build) that the table below does not
allow, fails the check. Exit status 0 when the rule holds.
"""
import json
import subprocess
import sys

ALLOWED = {
    "foundation": {"foundation"},
    "kernel": {"foundation"},
    "service": {"foundation", "kernel"},
    "root": {"foundation", "kernel", "service", "root"},
    "tool": {"foundation", "kernel", "tool"},
}


def main() -> int:
    meta = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--no-deps"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    layers = {}
    problems = []
    for package in meta["packages"]:
        layer = ((package.get("metadata") or {}).get("localorg") or {}).get("layer")
        if layer not in ALLOWED:
            problems.append(
                f"{package['name']}: no valid [package.metadata.localorg] layer "
                f"(one of {', '.join(sorted(ALLOWED))})"
            )
        layers[package["name"]] = layer
    for package in meta["packages"]:
        layer = layers[package["name"]]
        for dep in package["dependencies"]:
            dep_layer = layers.get(dep["name"])
            if dep_layer is None or layer not in ALLOWED:
                continue  # an external crate, or already reported
            if dep_layer not in ALLOWED[layer]:
                kind = dep.get("kind") or "normal"
                problems.append(
                    f"{package['name']} ({layer}) depends on {dep['name']} ({dep_layer}, {kind}): "
                    f"a {layer} crate may depend on {', '.join(sorted(ALLOWED[layer]))} only"
                )
    for problem in problems:
        print(f"dependency rule: {problem}", file=sys.stderr)
    if not problems:
        print(f"dependency rule holds for {len(layers)} crates")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
