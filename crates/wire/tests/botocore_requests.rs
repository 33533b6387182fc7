//! botocore as the oracle, request direction: every fixture in `fixtures/requests.json` was
//! serialized by botocore's own serializer (`make_fixtures.py`); our detector must name the same
//! operation and our decoder must read back exactly the canonical input botocore was given.

use localorg_model::Service;
use localorg_wire::{decode_input, detect, validate_input, HttpRequest};
use serde_json::Value;

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => (x - y).abs() < 1e-6,
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

#[test]
fn decodes_what_botocore_serialized() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/requests.json"
    ))
    .unwrap();
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert!(cases.len() > 1000);
    let mut failures = Vec::new();
    for case in &cases {
        let service = Service::from_model_name(case["service"].as_str().unwrap()).unwrap();
        let operation = case["operation"].as_str().unwrap();
        let r = &case["request"];
        let mut headers = http::HeaderMap::new();
        for (k, v) in r["headers"].as_object().unwrap() {
            headers.insert(
                http::HeaderName::try_from(k.as_str()).unwrap(),
                http::HeaderValue::try_from(v.as_str().unwrap()).unwrap(),
            );
        }
        let body = r["body"].as_str().unwrap().as_bytes();
        let req = HttpRequest {
            method: r["method"].as_str().unwrap(),
            path: r["path"].as_str().unwrap(),
            query: r["query"].as_str().unwrap(),
            headers: &headers,
            body,
        };
        let label = format!("{} {} v{}", case["service"], operation, case["variant"]);
        match detect(&req, Some(case["signing_name"].as_str().unwrap())) {
            Ok(found) if found == (service, operation) => {}
            other => failures.push(format!("{label}: signed detect gave {other:?}")),
        }
        // Unsigned: only the portal and OIDC are unsigned in practice, but every request should still
        // be routable by target, action or path.
        match detect(&req, None) {
            Ok(found) if found == (service, operation) => {}
            other => failures.push(format!("{label}: unsigned detect gave {other:?}")),
        }
        match decode_input(service, operation, &req) {
            Ok(got) => {
                if !same(&got, &case["expected"]) {
                    failures.push(format!(
                        "{label}: decoded\n  {got}\nexpected\n  {}",
                        case["expected"]
                    ));
                }
                // Constraint checks must not panic on arbitrary (mostly invalid) values.
                let _ = validate_input(service, operation, &got);
            }
            Err(e) => failures.push(format!("{label}: decode failed: {e:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
