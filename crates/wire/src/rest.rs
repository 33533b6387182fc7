//! restJson1: URI templates, members bound to the path, query string, headers and JSON body.

use std::borrow::Cow;

use localorg_model::botocore::{Operation, Shape, ShapeRef};
use localorg_model::Service;
use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use crate::error::{ser, WireError};
use crate::model::{input_shape, output_shape, target, wire_name};
use crate::{json, time, HttpRequest};

/// One segment of a request URI template path.
#[derive(Debug, Clone, PartialEq)]
enum Segment {
    /// Must equal the (raw) path segment.
    Literal(String),
    /// `{Name}` binds one segment; `{Name+}` (greedy) binds the rest of the path.
    Label { name: String, greedy: bool },
}

/// A parsed `requestUri` such as `/v1/things/{ThingId}?mode=x`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Template {
    segments: Vec<Segment>,
    /// Literal query parameters the request must carry (`?aws_iam=t`).
    query: Vec<(String, String)>,
}

impl Template {
    /// Parses a model request URI.
    pub(crate) fn parse(uri: &str) -> Template {
        let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
        let segments = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(
                |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(label) => match label.strip_suffix('+') {
                        Some(name) => Segment::Label {
                            name: name.to_owned(),
                            greedy: true,
                        },
                        None => Segment::Label {
                            name: label.to_owned(),
                            greedy: false,
                        },
                    },
                    None => Segment::Literal(s.to_owned()),
                },
            )
            .collect();
        let query = form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Template { segments, query }
    }

    /// How specific the template is: more literal query keys and literal segments win.
    pub(crate) fn specificity(&self) -> (usize, usize) {
        let literals = self
            .segments
            .iter()
            .filter(|s| matches!(s, Segment::Literal(_)))
            .count();
        (self.query.len(), literals)
    }

    /// Matches a raw path and query string; returns the (percent-decoded) label values.
    pub(crate) fn matches(&self, path: &str, query: &str) -> Option<Vec<(&str, String)>> {
        for (k, v) in &self.query {
            let found = form_urlencoded::parse(query.as_bytes())
                .any(|(qk, qv)| qk == k.as_str() && (v.is_empty() || qv == v.as_str()));
            if !found {
                return None;
            }
        }
        let path = path.strip_prefix('/').unwrap_or(path);
        let path = path.strip_suffix('/').unwrap_or(path);
        let mut rest = path;
        let mut labels = Vec::new();
        let mut segments = self.segments.iter().peekable();
        while let Some(seg) = segments.next() {
            if let Segment::Label { name, greedy: true } = seg {
                if rest.is_empty() || segments.peek().is_some() {
                    return None;
                }
                labels.push((name.as_str(), decode_pct(rest)));
                rest = "";
                continue;
            }
            if rest.is_empty() {
                return None;
            }
            let (head, tail) = rest.split_once('/').unwrap_or((rest, ""));
            match seg {
                Segment::Literal(lit) => {
                    if head != lit.as_str() {
                        return None;
                    }
                }
                Segment::Label { name, .. } => labels.push((name.as_str(), decode_pct(head))),
            }
            rest = tail;
        }
        rest.is_empty().then_some(labels)
    }
}

/// A header value as text: HTTP carries bytes; clients send UTF-8.
fn header_str(v: &http::HeaderValue) -> Cow<'_, str> {
    String::from_utf8_lossy(v.as_bytes())
}

fn decode_pct(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Converts a scalar bound to the URI, query string or a header. Header lists are comma-separated.
fn scalar(service: Service, shape: &Shape, text: &str, what: &str) -> Result<Value, WireError> {
    match shape.kind.as_str() {
        "list" => {
            let member = shape.member.as_ref().and_then(|r| target(service, r));
            let mut out = Vec::new();
            for part in text.split(',') {
                let part = part.trim();
                out.push(match member {
                    Some(m) => scalar(service, m, part, what)?,
                    None => Value::String(part.to_owned()),
                });
            }
            Ok(Value::Array(out))
        }
        "string" | "blob" => Ok(Value::String(text.to_owned())),
        _ => crate::query::scalar(shape, text, what).map_err(|_| {
            ser(format!(
                "Invalid value '{text}' for {what}: expected {}",
                shape.kind
            ))
        }),
    }
}

/// Decodes a restJson1 request into the canonical input object.
pub(crate) fn decode(
    service: Service,
    op: &Operation,
    req: &HttpRequest<'_>,
) -> Result<Value, WireError> {
    let Some(shape) = input_shape(service, op) else {
        return Ok(json::empty());
    };
    // Every restJson1 operation has a route; no template means no labels.
    let labels = crate::detect::template(service, &op.name)
        .and_then(|t| t.matches(req.path, req.query))
        .unwrap_or_default();
    let query: Vec<(Cow<'_, str>, Cow<'_, str>)> =
        form_urlencoded::parse(req.query.as_bytes()).collect();
    let mut out = Map::new();
    let mut has_body_members = false;
    for (name, r) in &shape.members {
        let Some(s) = target(service, r) else {
            continue;
        };
        let wire = wire_name(name, r);
        let value = match r.location.as_deref() {
            Some("uri") => match labels.iter().find(|(l, _)| *l == wire) {
                Some((_, text)) => Some(scalar(service, s, text, &format!("path label {wire}"))?),
                None => None,
            },
            Some("querystring") => querystring(service, shape, s, wire, &query)?,
            Some("header") => match req.headers.get(wire) {
                Some(h) => Some(scalar(
                    service,
                    s,
                    &header_str(h),
                    &format!("header {wire}"),
                )?),
                None => None,
            },
            Some("headers") => {
                let prefix = wire.to_ascii_lowercase();
                let mut map = Map::new();
                for (h, v) in req.headers {
                    if let Some(key) = h.as_str().strip_prefix(prefix.as_str()) {
                        map.insert(key.to_owned(), Value::String(header_str(v).into_owned()));
                    }
                }
                (!map.is_empty()).then_some(Value::Object(map))
            }
            Some(_) => None,
            None => {
                has_body_members = true;
                None
            }
        };
        if let Some(v) = value {
            out.insert(name.clone(), v);
        }
    }
    if has_body_members {
        let body = json::parse_body(req.body)?;
        let Value::Object(obj) = body else {
            return Err(ser("Start of structure or map expected"));
        };
        for (k, item) in obj {
            let Some(r) = shape.members.get(&k) else {
                continue;
            };
            if r.location.is_some() {
                continue;
            }
            let Some(s) = target(service, r) else {
                continue;
            };
            if let Some(v) = json::coerce(service, s, item)? {
                out.insert(k, v);
            }
        }
    }
    Ok(Value::Object(out))
}

fn querystring(
    service: Service,
    parent: &Shape,
    shape: &Shape,
    wire: &str,
    query: &[(Cow<'_, str>, Cow<'_, str>)],
) -> Result<Option<Value>, WireError> {
    match shape.kind.as_str() {
        "list" => {
            let member = shape.member.as_ref().and_then(|r| target(service, r));
            let mut out = Vec::new();
            for (_, v) in query.iter().filter(|(k, _)| k == wire) {
                out.push(match member {
                    Some(m) => scalar(service, m, v, &format!("query parameter {wire}"))?,
                    None => Value::String(v.clone().into_owned()),
                });
            }
            Ok((!out.is_empty()).then_some(Value::Array(out)))
        }
        "map" => {
            // All query parameters not bound to another member.
            let bound = |k: &str| {
                parent.members.iter().any(|(n, r)| {
                    r.location.as_deref() == Some("querystring")
                        && wire_name(n, r) == k
                        && r.location_name.is_some()
                })
            };
            let value_shape = shape.value.as_ref().and_then(|r| target(service, r));
            let mut map = Map::new();
            for (k, v) in query.iter().filter(|(k, _)| !bound(k)) {
                let item = Value::String(v.clone().into_owned());
                match (
                    value_shape.map(|s| s.kind.as_str()),
                    map.get_mut(k.as_ref()),
                ) {
                    (Some("list"), Some(Value::Array(items))) => items.push(item),
                    (Some("list"), _) => {
                        map.insert(k.clone().into_owned(), Value::Array(vec![item]));
                    }
                    _ => {
                        map.entry(k.clone().into_owned()).or_insert(item);
                    }
                }
            }
            Ok((!map.is_empty()).then_some(Value::Object(map)))
        }
        _ => match query.iter().find(|(k, _)| k == wire) {
            Some((_, v)) => Some(scalar(
                service,
                shape,
                v,
                &format!("query parameter {wire}"),
            ))
            .transpose(),
            None => Ok(None),
        },
    }
}

/// A restJson1 success response: status, headers and the JSON body.
pub(crate) struct Rendered {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Value,
}

fn header_text(service: Service, shape: &Shape, v: &Value) -> Option<String> {
    match (shape.kind.as_str(), v) {
        ("timestamp", _) => time::seconds(v)
            .and_then(|s| time::format(s, shape.timestamp_format.as_deref(), "rfc822")),
        ("list", Value::Array(items)) => {
            let member = shape.member.as_ref().and_then(|r| target(service, r))?;
            let parts: Vec<String> = items
                .iter()
                .filter_map(|i| header_text(service, member, i))
                .collect();
            Some(parts.join(", "))
        }
        (_, Value::String(s)) => Some(s.clone()),
        (_, Value::Bool(b)) => Some(b.to_string()),
        (_, Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// Splits a canonical output into status, header-bound members and the JSON body.
pub(crate) fn encode_output(service: Service, op: &Operation, output: &Value) -> Rendered {
    let mut rendered = Rendered {
        status: op.http.response_code.unwrap_or(200),
        headers: Vec::new(),
        body: json::empty(),
    };
    let Some(shape) = output_shape(service, op) else {
        return rendered;
    };
    let Value::Object(obj) = output else {
        return rendered;
    };
    let mut body = Map::new();
    for (name, r) in &shape.members {
        let Some(v) = obj.get(name) else { continue };
        let Some(s) = target(service, r) else {
            continue;
        };
        bind_output(service, name, r, s, v, &mut rendered, &mut body);
    }
    rendered.body = Value::Object(body);
    rendered
}

fn bind_output(
    service: Service,
    name: &str,
    r: &ShapeRef,
    s: &Shape,
    v: &Value,
    rendered: &mut Rendered,
    body: &mut Map<String, Value>,
) {
    let wire = wire_name(name, r);
    match r.location.as_deref() {
        Some("header") => {
            if let Some(text) = header_text(service, s, v) {
                rendered.headers.push((wire.to_owned(), text));
            }
        }
        Some("headers") => {
            if let Value::Object(map) = v {
                for (k, item) in map {
                    if let Value::String(text) = item {
                        rendered.headers.push((format!("{wire}{k}"), text.clone()));
                    }
                }
            }
        }
        Some("statusCode") => {
            if let Some(code) = v.as_u64().and_then(|c| u16::try_from(c).ok()) {
                rendered.status = code;
            }
        }
        Some(_) => {}
        None => {
            if let Some(item) = json::render(service, s, v) {
                body.insert(name.to_owned(), item);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates() {
        let t = Template::parse("/v1/things/{ThingId}/{Key+}");
        assert_eq!(
            t.matches("/v1/things/a%20b/x/y%2Fz", ""),
            Some(vec![
                ("ThingId", "a b".to_owned()),
                ("Key", "x/y/z".to_owned())
            ])
        );
        assert_eq!(t.matches("/v1/things/a", ""), None);
        let t = Template::parse("/token?aws_iam=t");
        assert!(t.matches("/token", "aws_iam=t").is_some());
        assert!(t.matches("/token", "").is_none());
        assert!(Template::parse("/token").matches("/token", "").is_some());
        assert!(Template::parse("/token").matches("/token/x", "").is_none());
    }
}
