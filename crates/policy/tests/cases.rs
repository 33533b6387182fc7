//! Data-driven cases: `tests/cases/*.json` (decisions) and `tests/validate/*.json`
//! (validation findings). See `tests/cases/README.md` for the format.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // test code: failing loudly is the point

use localorg_policy::{cli::evaluate_line, validate_document, PolicyType};
use serde_json::{json, Map, Value};
use std::path::Path;

fn load(dir: &str) -> Vec<(String, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let v: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p.file_name().unwrap().to_string_lossy().into_owned(), v)
        })
        .collect()
}

fn policy_of(stmts: &Value) -> Value {
    json!({"Version": "2012-10-17", "Statement": stmts})
}

/// Build the JSONL input object for a case: file defaults, then the case's `input`,
/// then shorthands.
fn build_input(defaults: &Value, case: &Value) -> Value {
    let mut input: Map<String, Value> = defaults.as_object().cloned().unwrap_or_default();
    if let Some(i) = case.get("input").and_then(Value::as_object) {
        for (k, v) in i {
            input.insert(k.clone(), v.clone());
        }
    }
    for key in ["action", "resource", "resourceAccount", "principal"] {
        if let Some(v) = case.get(key) {
            input.insert(key.into(), v.clone());
        }
    }
    if let Some(c) = case.get("context").and_then(Value::as_object) {
        let mut ctx = input
            .get("context")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        for (k, v) in c {
            ctx.insert(k.clone(), v.clone());
        }
        input.insert("context".into(), Value::Object(ctx));
    }
    if let Some(s) = case.get("statements") {
        input.insert("identityPolicies".into(), json!([policy_of(s)]));
    }
    if let Some(c) = case.get("condition") {
        let st = json!([{"Sid": "Cond", "Effect": "Allow", "Action": "*", "Resource": "*", "Condition": c}]);
        input.insert("identityPolicies".into(), json!([policy_of(&st)]));
    }
    if let Some(s) = case.get("resourceStatements") {
        input.insert(
            "resourcePolicy".into(),
            json!({"id": "resource-policy", "document": policy_of(s)}),
        );
    }
    if let Some(s) = case.get("boundaryStatements") {
        input.insert(
            "permissionBoundary".into(),
            json!({"id": "boundary", "document": policy_of(s)}),
        );
    }
    Value::Object(input)
}

fn check_case(file: &str, defaults: &Value, case: &Value) -> Result<(), String> {
    let input = build_input(defaults, case);
    let line = input.to_string();
    let result = evaluate_line(&line);
    if let Some(want) = case.get("expectError").and_then(Value::as_str) {
        return match result {
            Err(e) if e.contains(want) => Ok(()),
            Err(e) => Err(format!("error {e:?} does not contain {want:?}")),
            Ok(v) => Err(format!("expected an error, got {v}")),
        };
    }
    let got = result.map_err(|e| format!("evaluation error: {e}"))?;
    let expect = case
        .get("expect")
        .ok_or_else(|| format!("{file}: case without expect"))?;
    let (decision, rest) = match expect {
        Value::String(s) => (s.as_str(), None),
        Value::Object(o) => (
            o.get("decision").and_then(Value::as_str).unwrap_or(""),
            Some(o),
        ),
        _ => return Err("bad expect".into()),
    };
    let got_decision = got["decision"].as_str().unwrap_or("");
    if got_decision != decision {
        return Err(format!(
            "decision {got_decision}, expected {decision}; message: {}",
            got["message"]
        ));
    }
    if let Some(o) = rest {
        if let Some(want) = o.get("deciding").and_then(Value::as_array) {
            let got_d = got["deciding"].as_array().cloned().unwrap_or_default();
            let proj: Vec<Value> = got_d
                .iter()
                .map(|d| {
                    let mut m = Map::new();
                    for k in ["kind", "policy", "sid", "index", "level"] {
                        if let Some(v) = d.get(k) {
                            m.insert(k.into(), v.clone());
                        }
                    }
                    Value::Object(m)
                })
                .collect();
            // Each expected entry lists a subset of fields; compare in order.
            if proj.len() != want.len() {
                return Err(format!("deciding {proj:?}, expected {want:?}"));
            }
            for (g, w) in proj.iter().zip(want) {
                for (k, wv) in w.as_object().unwrap() {
                    if g.get(k) != Some(wv) && !(wv.is_null() && g.get(k).is_none()) {
                        return Err(format!("deciding {proj:?}, expected {want:?}"));
                    }
                }
            }
        }
        if let Some(m) = o.get("message").and_then(Value::as_str) {
            if got["message"].as_str() != Some(m) {
                return Err(format!("message {}, expected {m:?}", got["message"]));
            }
        }
        if let Some(m) = o.get("messageContains").and_then(Value::as_str) {
            if !got["message"].as_str().unwrap_or("").contains(m) {
                return Err(format!("message {} does not contain {m:?}", got["message"]));
            }
        }
        if let Some(m) = o.get("missing") {
            for (k, v) in m.as_object().unwrap() {
                if got["missing"].get(k) != Some(v) {
                    return Err(format!("missing {}, expected {m}", got["missing"]));
                }
            }
        }
    }
    Ok(())
}

#[test]
fn decision_cases() {
    let mut failures = Vec::new();
    let mut count = 0;
    let mut names = std::collections::HashSet::new();
    for (file, v) in load("cases") {
        let defaults = v.get("defaults").cloned().unwrap_or(Value::Null);
        for case in v["cases"]
            .as_array()
            .unwrap_or_else(|| panic!("{file}: no cases"))
        {
            count += 1;
            let name = case["name"].as_str().unwrap_or("(unnamed)");
            assert!(
                names.insert(format!("{file}/{name}")),
                "duplicate case name {file}/{name}"
            );
            if let Err(e) = check_case(&file, &defaults, case) {
                failures.push(format!("{file} :: {name}: {e}"));
            }
        }
    }
    eprintln!("{count} decision cases");
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn validation_cases() {
    let mut failures = Vec::new();
    let mut count = 0;
    for (file, v) in load("validate") {
        for case in v["cases"].as_array().unwrap() {
            count += 1;
            let name = case["name"].as_str().unwrap_or("(unnamed)");
            let kind = PolicyType::parse(case["type"].as_str().unwrap()).unwrap();
            let text = match &case["policy"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let val = validate_document(&text, kind);
            let codes: Vec<&str> = val.findings.iter().map(|f| f.code).collect();
            let mut errs = Vec::new();
            if let Some(valid) = case.get("valid").and_then(Value::as_bool) {
                if val.is_valid() != valid {
                    errs.push(format!("valid={} expected {valid}", val.is_valid()));
                }
            }
            for c in case
                .get("codes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if !codes.contains(&c.as_str().unwrap()) {
                    errs.push(format!("missing finding {c}"));
                }
            }
            for c in case
                .get("absent")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if codes.contains(&c.as_str().unwrap()) {
                    errs.push(format!("unexpected finding {c}"));
                }
            }
            if let Some(line) = case.get("line").and_then(Value::as_u64) {
                let got = val.findings.first().map(|f| f.line as u64);
                if got != Some(line) {
                    errs.push(format!("first finding on line {got:?}, expected {line}"));
                }
            }
            if let Some(m) = case.get("awsMessage").and_then(Value::as_str) {
                let got = val.first_error().map(|e| e.aws_message);
                if got.as_deref() != Some(m) {
                    errs.push(format!("aws message {got:?}, expected {m:?}"));
                }
            }
            if !errs.is_empty() {
                failures.push(format!(
                    "{file} :: {name}: {} (findings: {codes:?})",
                    errs.join("; ")
                ));
            }
        }
    }
    eprintln!("{count} validation cases");
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
