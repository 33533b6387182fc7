//! Response-direction oracle driver: reads JSON lines
//! `{"service", "operation", "output" | "error": {"code", "status", "sender_fault"?, "message",
//! "fields"?}, "request_id"}` on stdin and prints each encoded HTTP response as a JSON line
//! `{"status", "headers": {name: value}, "body_b64"}` (or `{"failure": "..."}` for a bad line).
//! `tests/fixtures/check_responses.py` feeds these to botocore's parsers.

use std::io::{BufRead, Write};

use base64::Engine as _;
use localorg_model::{ApiError, Service};
use serde_json::{json, Value};

/// A member of a JSON object, `null` when absent.
fn at<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or(&Value::Null)
}

fn encode(line: &str) -> Result<Value, String> {
    let v: Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let name = at(&v, "service").as_str().ok_or("missing service")?;
    let service =
        Service::from_model_name(name).ok_or_else(|| format!("unknown service {name}"))?;
    let request_id = at(&v, "request_id")
        .as_str()
        .unwrap_or("00000000-0000-0000-0000-000000000000");
    let resp = if let Some(err) = v.get("error") {
        let status = at(err, "status")
            .as_u64()
            .and_then(|s| u16::try_from(s).ok())
            .unwrap_or(400);
        let mut api = ApiError::new(
            at(err, "code")
                .as_str()
                .unwrap_or("InternalFailure")
                .to_owned(),
            status,
            at(err, "message").as_str().unwrap_or_default(),
        );
        if let Some(sender) = err.get("sender_fault").and_then(Value::as_bool) {
            api.sender_fault = sender;
        }
        if let Some(fields) = err.get("fields").and_then(Value::as_object) {
            api.fields = fields.clone();
        }
        localorg_wire::encode_error(service, &api, request_id)
    } else {
        let operation = at(&v, "operation").as_str().ok_or("missing operation")?;
        localorg_wire::encode_output(service, operation, at(&v, "output"), request_id)
    };
    let mut headers = serde_json::Map::new();
    for (k, val) in resp.headers() {
        headers.insert(
            k.as_str().to_owned(),
            Value::String(String::from_utf8_lossy(val.as_bytes()).into_owned()),
        );
    }
    Ok(json!({
        "status": resp.status().as_u16(),
        "headers": headers,
        "body_b64": base64::engine::general_purpose::STANDARD.encode(resp.body()),
    }))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let result = encode(&line).unwrap_or_else(|e| json!({ "failure": e }));
        writeln!(out, "{result}")?;
    }
    out.flush()?;
    Ok(())
}
