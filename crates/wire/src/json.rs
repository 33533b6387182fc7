//! awsJson1.0/1.1 bodies (and the JSON body of restJson1): parse, coerce to canonical, render.

use base64::Engine as _;
use localorg_model::botocore::{Operation, Shape};
use localorg_model::Service;
use serde_json::{Map, Value};

use crate::error::{ser, WireError};
use crate::model::{input_shape, target};
use crate::time;

/// Decodes an awsJson request body into the canonical input object.
pub(crate) fn decode_body(
    service: Service,
    op: &Operation,
    body: &[u8],
) -> Result<Value, WireError> {
    let value = parse_body(body)?;
    match input_shape(service, op) {
        Some(shape) => Ok(coerce(service, shape, value)?.unwrap_or_else(empty)),
        None => match value {
            Value::Object(_) => Ok(empty()),
            _ => Err(ser("Start of structure or map expected")),
        },
    }
}

/// `{}`.
pub(crate) fn empty() -> Value {
    Value::Object(Map::new())
}

/// Parses a JSON body; an empty (or all-whitespace) body is `{}` as on AWS.
pub(crate) fn parse_body(body: &[u8]) -> Result<Value, WireError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(empty());
    }
    serde_json::from_slice(body)
        .map_err(|e| ser(format!("Unable to parse request body as JSON: {e}")))
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "NULL_VALUE",
        Value::Bool(_) => "BOOLEAN_VALUE",
        Value::Number(_) => "NUMBER_VALUE",
        Value::String(_) => "STRING_VALUE",
        Value::Array(_) => "START_ARRAY",
        Value::Object(_) => "START_OBJECT",
    }
}

fn mismatch(v: &Value, want: &str) -> WireError {
    match v {
        Value::Object(_) => ser("Start of structure or map found where not expected."),
        Value::Array(_) => ser("Start of list found where not expected"),
        _ => ser(format!("{} can not be converted to {want}", kind_name(v))),
    }
}

/// Coerces one JSON value to the canonical form of `shape`. `null` becomes `None` (absent).
///
/// Lenient where it cannot hurt: numbers and booleans may arrive as strings, integers as whole
/// floats, timestamps as epoch numbers or ISO 8601 / RFC 822 strings. Unknown structure members
/// are dropped. Everything else that does not fit is a `SerializationException`.
pub(crate) fn coerce(
    service: Service,
    shape: &Shape,
    v: Value,
) -> Result<Option<Value>, WireError> {
    if v.is_null() {
        return Ok(None);
    }
    if shape.document {
        return Ok(Some(v));
    }
    let out = match shape.kind.as_str() {
        "structure" => {
            let Value::Object(obj) = v else {
                return Err(mismatch(&v, "a structure"));
            };
            let mut out = Map::new();
            for (k, item) in obj {
                let Some(r) = shape.members.get(&k) else {
                    continue;
                };
                let Some(s) = target(service, r) else {
                    continue;
                };
                if let Some(c) = coerce(service, s, item)? {
                    out.insert(k, c);
                }
            }
            Value::Object(out)
        }
        "list" => {
            let Value::Array(items) = v else {
                return Err(mismatch(&v, "a list"));
            };
            let member = shape.member.as_ref().and_then(|r| target(service, r));
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match member {
                    Some(s) => {
                        if let Some(c) = coerce(service, s, item)? {
                            out.push(c);
                        }
                    }
                    None => out.push(item),
                }
            }
            Value::Array(out)
        }
        "map" => {
            let Value::Object(obj) = v else {
                return Err(mismatch(&v, "a map"));
            };
            let value_shape = shape.value.as_ref().and_then(|r| target(service, r));
            let mut out = Map::new();
            for (k, item) in obj {
                match value_shape {
                    Some(s) => {
                        if let Some(c) = coerce(service, s, item)? {
                            out.insert(k, c);
                        }
                    }
                    None => {
                        out.insert(k, item);
                    }
                }
            }
            Value::Object(out)
        }
        _ => return scalar(shape, v).map(Some),
    };
    Ok(Some(out))
}

/// Coerces a non-null scalar JSON value.
fn scalar(shape: &Shape, v: Value) -> Result<Value, WireError> {
    match shape.kind.as_str() {
        "string" => match v {
            Value::String(_) => Ok(v),
            _ => Err(mismatch(&v, "a String")),
        },
        "integer" | "long" => match &v {
            Value::Number(n) if n.is_i64() || n.is_u64() => Ok(v),
            Value::Number(n) => match n.as_f64() {
                Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Value::from(f as i64)),
                _ => Err(mismatch(&v, "an Integer")),
            },
            Value::String(s) => s
                .trim()
                .parse::<i64>()
                .map(Value::from)
                .map_err(|_| mismatch(&v, "an Integer")),
            _ => Err(mismatch(&v, "an Integer")),
        },
        "double" | "float" => match &v {
            Value::Number(_) => Ok(v),
            Value::String(s) => s
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .ok_or_else(|| mismatch(&v, "a Double")),
            _ => Err(mismatch(&v, "a Double")),
        },
        "boolean" => match &v {
            Value::Bool(_) => Ok(v),
            Value::String(s) if s == "true" => Ok(Value::Bool(true)),
            Value::String(s) if s == "false" => Ok(Value::Bool(false)),
            _ => Err(mismatch(&v, "a Boolean")),
        },
        "timestamp" => match &v {
            Value::Number(_) => Ok(v),
            Value::String(s) => time::parse(s)
                .map(time::number)
                .ok_or_else(|| ser(format!("Unable to parse timestamp '{s}'"))),
            _ => Err(mismatch(&v, "a Date")),
        },
        "blob" => match &v {
            Value::String(s) => {
                if base64::engine::general_purpose::STANDARD.decode(s).is_ok() {
                    Ok(v)
                } else {
                    Err(ser("Base64 encoded value is invalid"))
                }
            }
            _ => Err(mismatch(&v, "a ByteBuffer")),
        },
        _ => Ok(v),
    }
}

/// Renders a canonical value of `shape` for a JSON body: nulls and unknown members dropped,
/// timestamps as epoch-second numbers. Returns `None` for null.
pub(crate) fn render(service: Service, shape: &Shape, v: &Value) -> Option<Value> {
    if v.is_null() {
        return None;
    }
    if shape.document {
        return Some(v.clone());
    }
    match (shape.kind.as_str(), v) {
        ("structure", Value::Object(obj)) => {
            let mut out = Map::new();
            for (k, item) in obj {
                let Some(r) = shape.members.get(k) else {
                    continue;
                };
                let Some(s) = target(service, r) else {
                    continue;
                };
                if let Some(c) = render(service, s, item) {
                    out.insert(k.clone(), c);
                }
            }
            Some(Value::Object(out))
        }
        ("list", Value::Array(items)) => {
            let member = shape.member.as_ref().and_then(|r| target(service, r));
            Some(Value::Array(
                items
                    .iter()
                    .filter_map(|i| match member {
                        Some(s) => render(service, s, i),
                        None => Some(i.clone()),
                    })
                    .collect(),
            ))
        }
        ("map", Value::Object(obj)) => {
            let value_shape = shape.value.as_ref().and_then(|r| target(service, r));
            let mut out = Map::new();
            for (k, item) in obj {
                let c = match value_shape {
                    Some(s) => render(service, s, item),
                    None => Some(item.clone()),
                };
                if let Some(c) = c {
                    out.insert(k.clone(), c);
                }
            }
            Some(Value::Object(out))
        }
        ("timestamp", _) => time::seconds(v).map(time::number),
        _ => Some(v.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn op(service: Service, name: &str) -> &'static Operation {
        crate::model::operation(service, name).unwrap()
    }

    #[test]
    fn empty_body_is_empty_object() {
        let v = decode_body(
            Service::Organizations,
            op(Service::Organizations, "DescribeOrganization"),
            b"",
        )
        .unwrap();
        assert_eq!(v, json!({}));
    }

    #[test]
    fn coerces_and_drops_unknown() {
        let body = br#"{"Email":"a@b.c","AccountName":"x","Bogus":1,"Tags":[{"Key":"k","Value":"v"}],"IamUserAccessToBilling":null}"#;
        let v = decode_body(
            Service::Organizations,
            op(Service::Organizations, "CreateAccount"),
            body,
        )
        .unwrap();
        assert_eq!(
            v,
            json!({"Email":"a@b.c","AccountName":"x","Tags":[{"Key":"k","Value":"v"}]})
        );
    }

    #[test]
    fn malformed_json_is_serialization_exception() {
        let e = decode_body(
            Service::Organizations,
            op(Service::Organizations, "CreateAccount"),
            b"{",
        )
        .unwrap_err();
        assert_eq!(e.to_api_error().code, "SerializationException");
        let e = decode_body(
            Service::Organizations,
            op(Service::Organizations, "CreateAccount"),
            br#"{"Email":["x"]}"#,
        )
        .unwrap_err();
        assert!(matches!(e, WireError::Serialization { .. }));
    }
}
