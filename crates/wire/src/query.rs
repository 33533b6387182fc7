//! awsQuery: form-encoded parameters in (`Name.member.N`, `Name.entry.N.key`, `A.B.C`), XML out.

use std::collections::HashMap;

use base64::Engine as _;
use localorg_model::botocore::{Operation, Shape, ShapeRef};
use localorg_model::{ApiError, Service};
use serde_json::{Map, Value};

use crate::error::{malformed, WireError};
use crate::model::{input_shape, is_flattened, output_shape, target, wire_name};
use crate::{time, HttpRequest};

/// Parameters split on `.` into a tree: `Tags.member.1.Key=k` is `Tags -> member -> 1 -> Key = k`.
#[derive(Debug, Default)]
struct Node {
    value: Option<String>,
    children: HashMap<String, Node>,
}

impl Node {
    /// Keys nest at most this deep; deeper ones (never sent by a real client) are ignored so a
    /// hostile `a.a.a...` key cannot build a tree whose drop overflows the stack.
    const MAX_DEPTH: usize = 32;

    fn insert(&mut self, key: &str, value: String) {
        if key.split('.').nth(Self::MAX_DEPTH).is_some() {
            return;
        }
        let mut node = self;
        for part in key.split('.') {
            node = node.children.entry(part.to_owned()).or_default();
        }
        node.value = Some(value);
    }

    fn child(&self, name: &str) -> Option<&Node> {
        self.children.get(name)
    }

    /// Children named by 1-based indexes, in index order (other names are ignored).
    fn indexed(&self) -> Vec<&Node> {
        let mut items: Vec<(u64, &Node)> = self
            .children
            .iter()
            .filter_map(|(k, n)| k.parse::<u64>().ok().map(|i| (i, n)))
            .collect();
        items.sort_by_key(|(i, _)| *i);
        items.into_iter().map(|(_, n)| n).collect()
    }
}

/// All parameters of a query request: the query string, then a form body (which wins on repeats).
pub(crate) fn params<'a>(
    req: &'a HttpRequest<'_>,
) -> impl Iterator<Item = (std::borrow::Cow<'a, str>, std::borrow::Cow<'a, str>)> {
    form_urlencoded::parse(req.query.as_bytes()).chain(form_urlencoded::parse(req.body))
}

/// Decodes an awsQuery request into the canonical input object. `Action` and `Version` (and any
/// parameter the input shape does not name) are ignored.
pub(crate) fn decode(
    service: Service,
    op: &Operation,
    req: &HttpRequest<'_>,
) -> Result<Value, WireError> {
    let Some(shape) = input_shape(service, op) else {
        return Ok(Value::Object(Map::new()));
    };
    let mut root = Node::default();
    for (k, v) in params(req) {
        root.insert(&k, v.into_owned());
    }
    decode_struct(service, shape, &root, "").map(Value::Object)
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// The key a structure member is found under. A flattened list whose member has a `locationName`
/// replaces the member's own name with that one (as botocore serializes it).
fn member_key<'a>(service: Service, name: &'a str, r: &'a ShapeRef) -> &'a str {
    if let Some(s) = target(service, r) {
        if s.kind == "list" && is_flattened(r, s) {
            if let Some(m) = s.member.as_ref().and_then(|m| m.location_name.as_deref()) {
                return m;
            }
        }
    }
    wire_name(name, r)
}

fn decode_struct(
    service: Service,
    shape: &Shape,
    node: &Node,
    prefix: &str,
) -> Result<Map<String, Value>, WireError> {
    let mut out = Map::new();
    for (name, r) in &shape.members {
        let key = member_key(service, name, r);
        let Some(child) = node.child(key) else {
            continue;
        };
        let Some(s) = target(service, r) else {
            continue;
        };
        if let Some(v) = decode_value(service, s, r, child, &join(prefix, key))? {
            out.insert(name.clone(), v);
        }
    }
    Ok(out)
}

fn decode_value(
    service: Service,
    shape: &Shape,
    r: &ShapeRef,
    node: &Node,
    path: &str,
) -> Result<Option<Value>, WireError> {
    match shape.kind.as_str() {
        "structure" => decode_struct(service, shape, node, path).map(|m| Some(Value::Object(m))),
        "list" => {
            let Some(member_ref) = shape.member.as_ref() else {
                return Ok(None);
            };
            let Some(member) = target(service, member_ref) else {
                return Ok(None);
            };
            let container = if is_flattened(r, shape) {
                Some(node)
            } else {
                node.child(member_ref.location_name.as_deref().unwrap_or("member"))
            };
            let mut out = Vec::new();
            if let Some(container) = container {
                for (i, item) in container.indexed().into_iter().enumerate() {
                    let p = format!("{path}.{}", i + 1);
                    if let Some(v) = decode_value(service, member, member_ref, item, &p)? {
                        out.push(v);
                    }
                }
            }
            Ok(Some(Value::Array(out)))
        }
        "map" => {
            let (Some(key_ref), Some(value_ref)) = (shape.key.as_ref(), shape.value.as_ref())
            else {
                return Ok(None);
            };
            let Some(value_shape) = target(service, value_ref) else {
                return Ok(None);
            };
            let key_name = key_ref.location_name.as_deref().unwrap_or("key");
            let value_name = value_ref.location_name.as_deref().unwrap_or("value");
            let container = if is_flattened(r, shape) {
                Some(node)
            } else {
                node.child("entry")
            };
            let mut out = Map::new();
            if let Some(container) = container {
                for entry in container.indexed() {
                    let Some(k) = entry.child(key_name).and_then(|n| n.value.as_ref()) else {
                        continue;
                    };
                    let Some(vn) = entry.child(value_name) else {
                        continue;
                    };
                    let p = format!("{path}.{k}");
                    if let Some(v) = decode_value(service, value_shape, value_ref, vn, &p)? {
                        out.insert(k.clone(), v);
                    }
                }
            }
            Ok(Some(Value::Object(out)))
        }
        _ => match node.value.as_deref() {
            Some(text) => scalar(shape, text, path).map(Some),
            None => Ok(None),
        },
    }
}

/// Converts one query scalar to its canonical form.
pub(crate) fn scalar(shape: &Shape, text: &str, path: &str) -> Result<Value, WireError> {
    let bad = |what: &str| {
        malformed(format!(
            "Invalid value '{text}' for parameter {path}: expected {what}"
        ))
    };
    match shape.kind.as_str() {
        "integer" | "long" => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| bad("an integer")),
        "double" | "float" => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| bad("a number")),
        "boolean" => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(bad("a boolean")),
        },
        "timestamp" => time::parse(text)
            .map(time::number)
            .ok_or_else(|| bad("a timestamp")),
        "blob" => {
            if base64::engine::general_purpose::STANDARD
                .decode(text)
                .is_ok()
            {
                Ok(Value::String(text.to_owned()))
            } else {
                Err(bad("base64 data"))
            }
        }
        _ => Ok(Value::String(text.to_owned())),
    }
}

/// The XML namespace of a query service's responses.
pub(crate) fn namespace(service: Service) -> String {
    let meta = &service.model().metadata;
    meta.xml_namespace.clone().unwrap_or_else(|| {
        format!(
            "https://{}.amazonaws.com/doc/{}/",
            meta.endpoint_prefix, meta.api_version
        )
    })
}

/// Element text / attribute escaping: `<`, `>`, `&` (and `"` via the attribute callers), plus `\r`
/// as `&#xD;` so XML line-end normalisation cannot eat it.
fn esc(text: &str) -> std::borrow::Cow<'_, str> {
    let escaped = quick_xml::escape::partial_escape(text);
    if escaped.contains('\r') {
        std::borrow::Cow::Owned(escaped.replace('\r', "&#xD;"))
    } else {
        escaped
    }
}

fn esc_attr(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}

/// `<OpResponse xmlns=..><OpResult>..</OpResult><ResponseMetadata><RequestId>..` for an output.
pub(crate) fn encode_output(
    service: Service,
    op: &Operation,
    output: &Value,
    request_id: &str,
) -> String {
    let mut out = String::with_capacity(256);
    out.push_str(&format!(
        "<{}Response xmlns=\"{}\">",
        op.name,
        esc_attr(&namespace(service))
    ));
    if let (Some(shape), Some(r)) = (output_shape(service, op), op.output.as_ref()) {
        match r.result_wrapper.as_deref() {
            Some(wrapper) => {
                out.push_str(&format!("<{wrapper}>"));
                write_members(service, shape, output, &mut out);
                out.push_str(&format!("</{wrapper}>"));
            }
            None => write_members(service, shape, output, &mut out),
        }
    }
    out.push_str(&format!(
        "<ResponseMetadata><RequestId>{}</RequestId></ResponseMetadata></{}Response>",
        esc(request_id),
        op.name
    ));
    out
}

/// `<ErrorResponse><Error><Type>..<Code>..<Message>..</Error><RequestId>..</ErrorResponse>`.
pub(crate) fn encode_error(service: Service, err: &ApiError, request_id: &str) -> String {
    let mut out = String::with_capacity(256);
    out.push_str(&format!(
        "<ErrorResponse xmlns=\"{}\"><Error><Type>{}</Type><Code>{}</Code><Message>{}</Message>",
        esc_attr(&namespace(service)),
        if err.sender_fault {
            "Sender"
        } else {
            "Receiver"
        },
        esc(&err.code),
        esc(&err.message)
    ));
    let shape = crate::model::error_shape(service, &err.code);
    for (k, v) in &err.fields {
        if k.eq_ignore_ascii_case("message") || k == "Code" || k == "Type" {
            continue;
        }
        match shape
            .and_then(|s| s.members.get(k))
            .and_then(|r| target(service, r).map(|s| (r, s)))
        {
            Some((r, s)) => write_value(service, s, r, wire_name(k, r), v, &mut out),
            None => write_untyped(k, v, &mut out),
        }
    }
    out.push_str(&format!(
        "</Error><RequestId>{}</RequestId></ErrorResponse>",
        esc(request_id)
    ));
    out
}

fn write_members(service: Service, shape: &Shape, v: &Value, out: &mut String) {
    let Value::Object(obj) = v else { return };
    for (name, r) in &shape.members {
        let Some(item) = obj.get(name) else { continue };
        let Some(s) = target(service, r) else {
            continue;
        };
        write_value(service, s, r, wire_name(name, r), item, out);
    }
}

fn write_value(
    service: Service,
    shape: &Shape,
    r: &ShapeRef,
    name: &str,
    v: &Value,
    out: &mut String,
) {
    if v.is_null() {
        return;
    }
    match (shape.kind.as_str(), v) {
        ("structure", Value::Object(_)) => {
            out.push_str(&format!("<{name}>"));
            write_members(service, shape, v, out);
            out.push_str(&format!("</{name}>"));
        }
        ("list", Value::Array(items)) => {
            let Some(member_ref) = shape.member.as_ref() else {
                return;
            };
            let Some(member) = target(service, member_ref) else {
                return;
            };
            if is_flattened(r, shape) {
                let item_name = member_ref.location_name.as_deref().unwrap_or(name);
                for item in items {
                    write_value(service, member, member_ref, item_name, item, out);
                }
            } else {
                let item_name = member_ref.location_name.as_deref().unwrap_or("member");
                out.push_str(&format!("<{name}>"));
                for item in items {
                    write_value(service, member, member_ref, item_name, item, out);
                }
                out.push_str(&format!("</{name}>"));
            }
        }
        ("map", Value::Object(entries)) => {
            let (Some(key_ref), Some(value_ref)) = (shape.key.as_ref(), shape.value.as_ref())
            else {
                return;
            };
            let Some(value_shape) = target(service, value_ref) else {
                return;
            };
            let key_name = key_ref.location_name.as_deref().unwrap_or("key");
            let value_name = value_ref.location_name.as_deref().unwrap_or("value");
            let flat = is_flattened(r, shape);
            if !flat {
                out.push_str(&format!("<{name}>"));
            }
            for (k, item) in entries {
                out.push_str(if flat { "<" } else { "<entry" });
                if flat {
                    out.push_str(name);
                }
                out.push('>');
                out.push_str(&format!("<{key_name}>{}</{key_name}>", esc(k)));
                write_value(service, value_shape, value_ref, value_name, item, out);
                if flat {
                    out.push_str(&format!("</{name}>"));
                } else {
                    out.push_str("</entry>");
                }
            }
            if !flat {
                out.push_str(&format!("</{name}>"));
            }
        }
        ("timestamp", _) => {
            let text = time::seconds(v)
                .and_then(|secs| time::format(secs, shape.timestamp_format.as_deref(), "iso8601"));
            if let Some(text) = text {
                out.push_str(&format!("<{name}>{text}</{name}>"));
            }
        }
        _ => write_untyped(name, v, out),
    }
}

/// A scalar (or anything unexpected) as element text.
fn write_untyped(name: &str, v: &Value, out: &mut String) {
    let text = match v {
        Value::Null => return,
        Value::String(s) => esc(s).into_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => esc(&other.to_string()).into_owned(),
    };
    out.push_str(&format!("<{name}>{text}</{name}>"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn decode_q(service: Service, op: &str, query: &str) -> Result<Value, WireError> {
        let headers = http::HeaderMap::new();
        let req = HttpRequest {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body: query.as_bytes(),
        };
        decode(service, crate::model::operation(service, op).unwrap(), &req)
    }

    #[test]
    fn lists_structures_numbers() {
        let v = decode_q(
            Service::Iam,
            "CreateUser",
            "Action=CreateUser&Version=2010-05-08&UserName=bob&Path=%2F&Tags.member.2.Key=b&Tags.member.2.Value=2&Tags.member.1.Key=a&Tags.member.1.Value=1",
        )
        .unwrap();
        assert_eq!(
            v,
            json!({"UserName":"bob","Path":"/","Tags":[{"Key":"a","Value":"1"},{"Key":"b","Value":"2"}]})
        );
        let v = decode_q(Service::Iam, "ListUsers", "MaxItems=10&Marker=m").unwrap();
        assert_eq!(v, json!({"MaxItems":10,"Marker":"m"}));
        let e = decode_q(Service::Iam, "ListUsers", "MaxItems=ten").unwrap_err();
        assert_eq!(e.to_api_error().code, "MalformedInput");
    }

    #[test]
    fn empty_list() {
        let v = decode_q(Service::Iam, "CreateUser", "UserName=a&Tags=").unwrap();
        assert_eq!(v, json!({"UserName":"a","Tags":[]}));
    }

    #[test]
    fn xml_output_and_error() {
        let op = crate::model::operation(Service::Iam, "GetUser").unwrap();
        let xml = encode_output(
            Service::Iam,
            op,
            &json!({"User":{"UserName":"a<b","Path":"/","UserId":"AIDA","Arn":"arn","CreateDate":1704067200,"Tags":[{"Key":"k","Value":"v"}]}}),
            "rid",
        );
        assert!(xml.starts_with("<GetUserResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><GetUserResult><User>"), "{xml}");
        assert!(xml.contains("<UserName>a&lt;b</UserName>"));
        assert!(xml.contains("<CreateDate>2024-01-01T00:00:00Z</CreateDate>"));
        assert!(xml.contains("<Tags><member><Key>k</Key><Value>v</Value></member></Tags>"));
        assert!(xml.ends_with(
            "<ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></GetUserResponse>"
        ));
        let op = crate::model::operation(Service::Iam, "DeleteUser").unwrap();
        assert_eq!(
            encode_output(Service::Iam, op, &json!({}), "r"),
            "<DeleteUserResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DeleteUserResponse>"
        );
        let err = ApiError::new("NoSuchEntity", 404, "nope");
        assert_eq!(
            encode_error(Service::Iam, &err, "r"),
            "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>nope</Message></Error><RequestId>r</RequestId></ErrorResponse>"
        );
    }
}
