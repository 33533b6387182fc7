//! Model constraint checks on a canonical input, worded as AWS (Coral) words them.

use std::collections::HashMap;
use std::sync::OnceLock;

use base64::Engine as _;
use localorg_model::botocore::Shape;
use localorg_model::Service;
use regex::Regex;
use serde_json::{Map, Value};

use crate::model::{input_shape, operation, target};

/// One failed constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Member path: lowerCamelCase member names joined with dots, list items as `name.N.member`
    /// (1-based), e.g. `tags.1.member.key`.
    pub path: String,
    /// The value as AWS quotes it: `'x'`, `'[a, b]'`, `null` for a missing member, or empty for a
    /// sensitive member (AWS then writes `Value at 'password' ...`).
    pub value_repr: String,
    /// e.g. `Member must have length less than or equal to 50`.
    pub constraint: String,
}

/// Checks a canonical input against the operation's input shape: required members, length
/// (strings: characters; lists and maps: entries; blobs: bytes), value ranges of numbers, enum value
/// sets and patterns.
///
/// Patterns are read as Java reads them (whole-value match, ASCII `\w`, `\d`, `\s`) and compiled once
/// per service; a pattern the `regex` crate cannot compile (look-around, back-references, POSIX
/// `\p{...}` classes Rust lacks) is skipped. Violations come in model member order; several on one
/// value are reported separately (enum, pattern, maximum, minimum), except for the scalar items of
/// a list or map, which Coral folds into `Member must satisfy constraint: [..]` /
/// `Map keys must satisfy constraint: [..]` / `Map value must satisfy constraint: [..]`.
/// Unions, documents, timestamps and booleans carry no checks.
pub fn validate_input(
    service: Service,
    operation_name: &str,
    input: &Value,
) -> Result<(), Vec<Violation>> {
    let Some(shape) = operation(service, operation_name).and_then(|op| input_shape(service, op))
    else {
        return Ok(());
    };
    let empty = Map::new();
    let obj = input.as_object().unwrap_or(&empty);
    let mut out = Vec::new();
    check_struct(service, shape, obj, "", &mut out);
    if out.is_empty() {
        Ok(())
    } else {
        Err(out)
    }
}

/// AWS's message for a set of violations: `1 validation error detected: Value 'x' at 'accountName'
/// failed to satisfy constraint: Member must have length less than or equal to 50` (several are
/// joined with `; ` after `N validation errors detected: `).
pub fn validation_message(violations: &[Violation]) -> String {
    let n = violations.len();
    let mut out = format!(
        "{n} validation error{} detected: ",
        if n == 1 { "" } else { "s" }
    );
    for (i, v) in violations.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        out.push_str("Value ");
        if !v.value_repr.is_empty() {
            out.push_str(&v.value_repr);
            out.push(' ');
        }
        out.push_str(&format!(
            "at '{}' failed to satisfy constraint: {}",
            v.path, v.constraint
        ));
    }
    out
}

fn lower_camel(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// Java-ish `toString` of a value, unquoted.
fn plain(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::String(s) => s.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(plain).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{k}={}", plain(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

fn repr(shape: &Shape, v: &Value) -> String {
    if shape.sensitive {
        String::new()
    } else {
        format!("'{}'", plain(v))
    }
}

fn check_struct(
    service: Service,
    shape: &Shape,
    obj: &Map<String, Value>,
    prefix: &str,
    out: &mut Vec<Violation>,
) {
    for (name, r) in &shape.members {
        let path = join(prefix, &lower_camel(name));
        match obj.get(name) {
            None | Some(Value::Null) => {
                if shape.required.iter().any(|m| m == name) {
                    out.push(Violation {
                        path,
                        value_repr: "null".to_owned(),
                        constraint: "Member must not be null".to_owned(),
                    });
                }
            }
            Some(v) => {
                if let Some(s) = target(service, r) {
                    check_value(service, s, v, &path, out);
                }
            }
        }
    }
}

fn is_scalar(shape: &Shape) -> bool {
    !matches!(shape.kind.as_str(), "structure" | "list" | "map")
}

fn check_value(service: Service, shape: &Shape, v: &Value, path: &str, out: &mut Vec<Violation>) {
    if shape.document {
        return;
    }
    let push = |out: &mut Vec<Violation>, constraint: String| {
        out.push(Violation {
            path: path.to_owned(),
            value_repr: repr(shape, v),
            constraint,
        });
    };
    match (shape.kind.as_str(), v) {
        ("structure", Value::Object(obj)) => {
            if !shape.union {
                check_struct(service, shape, obj, path, out);
            } else {
                // Union members still carry their own constraints.
                let relaxed = Shape {
                    required: Vec::new(),
                    ..shape.clone()
                };
                check_struct(service, &relaxed, obj, path, out);
            }
        }
        ("list", Value::Array(items)) => {
            for c in length(shape, items.len()) {
                push(out, c);
            }
            let Some(member) = shape.member.as_ref().and_then(|r| target(service, r)) else {
                return;
            };
            if is_scalar(member) {
                let folded = fold(service, member, items.iter());
                if !folded.is_empty() {
                    push(
                        out,
                        format!("Member must satisfy constraint: [{}]", folded.join(", ")),
                    );
                }
            } else {
                for (i, item) in items.iter().enumerate() {
                    check_value(
                        service,
                        member,
                        item,
                        &format!("{path}.{}.member", i + 1),
                        out,
                    );
                }
            }
        }
        ("map", Value::Object(entries)) => {
            for c in length(shape, entries.len()) {
                push(out, c);
            }
            if let Some(key) = shape.key.as_ref().and_then(|r| target(service, r)) {
                let keys: Vec<Value> = entries.keys().map(|k| Value::String(k.clone())).collect();
                let folded = fold(service, key, keys.iter());
                if !folded.is_empty() {
                    push(
                        out,
                        format!("Map keys must satisfy constraint: [{}]", folded.join(", ")),
                    );
                }
            }
            if let Some(value) = shape.value.as_ref().and_then(|r| target(service, r)) {
                if is_scalar(value) {
                    let folded = fold(service, value, entries.values());
                    if !folded.is_empty() {
                        push(
                            out,
                            format!("Map value must satisfy constraint: [{}]", folded.join(", ")),
                        );
                    }
                } else {
                    for (k, item) in entries {
                        check_value(service, value, item, &format!("{path}.{k}"), out);
                    }
                }
            }
        }
        _ => {
            for c in scalar(service, shape, v) {
                push(out, c);
            }
        }
    }
}

/// The distinct constraints any of the scalar items fails, in first-seen order.
fn fold<'a>(
    service: Service,
    shape: &Shape,
    items: impl Iterator<Item = &'a Value>,
) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for item in items {
        for c in scalar(service, shape, item) {
            if !all.contains(&c) {
                all.push(c);
            }
        }
    }
    all
}

fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        format!("{}", x as i64)
    } else {
        x.to_string()
    }
}

fn length(shape: &Shape, len: usize) -> Vec<String> {
    let mut out = Vec::new();
    let len = len as f64;
    if let Some(max) = shape.max {
        if len > max {
            out.push(format!(
                "Member must have length less than or equal to {}",
                num(max)
            ));
        }
    }
    if let Some(min) = shape.min {
        if len < min {
            out.push(format!(
                "Member must have length greater than or equal to {}",
                num(min)
            ));
        }
    }
    out
}

fn scalar(service: Service, shape: &Shape, v: &Value) -> Vec<String> {
    let mut out = Vec::new();
    match (shape.kind.as_str(), v) {
        ("string", Value::String(s)) => {
            if let Some(values) = &shape.enum_values {
                if !values.iter().any(|e| e == s) {
                    out.push(format!(
                        "Member must satisfy enum value set: [{}]",
                        values.join(", ")
                    ));
                }
            }
            if let Some(p) = &shape.pattern {
                if let Some(re) = pattern(service, p) {
                    if !re.is_match(s) {
                        out.push(format!(
                            "Member must satisfy regular expression pattern: {p}"
                        ));
                    }
                }
            }
            out.extend(length(shape, s.chars().count()));
        }
        ("blob", Value::String(s)) => {
            if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(s) {
                out.extend(length(shape, bytes.len()));
            }
        }
        ("integer" | "long" | "double" | "float", Value::Number(n)) => {
            let Some(x) = n.as_f64() else { return out };
            if let Some(max) = shape.max {
                if x > max {
                    out.push(format!(
                        "Member must have value less than or equal to {}",
                        num(max)
                    ));
                }
            }
            if let Some(min) = shape.min {
                if x < min {
                    out.push(format!(
                        "Member must have value greater than or equal to {}",
                        num(min)
                    ));
                }
            }
        }
        _ => {}
    }
    out
}

/// Rewrites a Java pattern for the `regex` crate: whole-value match and ASCII `\w`, `\d`, `\s`.
fn translate(java: &str) -> String {
    let mut out = String::with_capacity(java.len() + 16);
    out.push_str(r"\A(?:");
    let mut depth = 0usize;
    let mut chars = java.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('w') => out.push_str(if depth > 0 {
                    "0-9A-Za-z_"
                } else {
                    "[0-9A-Za-z_]"
                }),
                Some('d') => out.push_str(if depth > 0 { "0-9" } else { "[0-9]" }),
                Some('s') => out.push_str(if depth > 0 {
                    r"\t\n\x0B\x0C\r "
                } else {
                    r"[\t\n\x0B\x0C\r ]"
                }),
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push_str(r"\\"),
            },
            '[' => {
                depth += 1;
                out.push(c);
            }
            ']' => {
                depth = depth.saturating_sub(1);
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out.push_str(r")\z");
    out
}

fn compile(java: &str) -> Option<Regex> {
    regex::RegexBuilder::new(&translate(java))
        .size_limit(64 << 20)
        .build()
        .ok()
}

/// The compiled form of a model pattern, compiled once per service on first use.
fn pattern(service: Service, java: &str) -> Option<&'static Regex> {
    type Cache = HashMap<&'static str, Option<Regex>>;
    static CACHES: [OnceLock<Cache>; 11] = [const { OnceLock::new() }; 11];
    let cache = CACHES.get(service as usize)?.get_or_init(|| {
        let mut cache = Cache::new();
        for shape in service.model().shapes.values() {
            if let Some(p) = shape.pattern.as_deref() {
                cache.entry(p).or_insert_with(|| compile(p));
            }
        }
        cache
    });
    cache.get(java).and_then(Option::as_ref)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn messages() {
        let e = validate_input(
            Service::Organizations,
            "CreateAccount",
            &json!({"AccountName": "x".repeat(51)}),
        )
        .unwrap_err();
        assert_eq!(
            validation_message(&e),
            "2 validation errors detected: Value at 'accountName' failed to satisfy constraint: Member must have length less than or equal to 50; Value null at 'email' failed to satisfy constraint: Member must not be null"
        );
    }

    #[test]
    fn nested_lists_patterns_enums() {
        let e = validate_input(
            Service::Organizations,
            "CreateAccount",
            &json!({"AccountName": "a", "Email": "a@b.cd", "Tags": [{"Key": "k", "Value": "v"}, {"Key": ""}], "IamUserAccessToBilling": "MAYBE"}),
        )
        .unwrap_err();
        let paths: Vec<&str> = e.iter().map(|v| v.path.as_str()).collect();
        assert!(paths.contains(&"tags.2.member.key"), "{e:?}");
        assert!(paths.contains(&"tags.2.member.value"), "{e:?}");
        assert!(
            e.iter().any(|v| v.path == "iamUserAccessToBilling"
                && v.constraint == "Member must satisfy enum value set: [ALLOW, DENY]"),
            "{e:?}"
        );
        assert!(validate_input(
            Service::Organizations,
            "CreateAccount",
            &json!({"AccountName": "a", "Email": "a@b.cd"})
        )
        .is_ok());
        let e =
            validate_input(Service::Iam, "CreateUser", &json!({"UserName": "a b"})).unwrap_err();
        assert_eq!(
            validation_message(&e),
            r"1 validation error detected: Value 'a b' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+"
        );
    }

    #[test]
    fn list_of_scalars_folds() {
        let e = validate_input(
            Service::Iam,
            "UntagUser",
            &json!({"UserName": "u", "TagKeys": ["ok", ""]}),
        )
        .unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].path, "tagKeys");
        assert!(
            e[0].constraint
                .starts_with("Member must satisfy constraint: ["),
            "{e:?}"
        );
        assert_eq!(e[0].value_repr, "'[ok, ]'");
    }

    #[test]
    fn every_model_pattern_compiles_or_is_reported() {
        let mut skipped = Vec::new();
        let mut total = 0;
        for s in Service::ALL {
            for shape in s.model().shapes.values() {
                if let Some(p) = &shape.pattern {
                    total += 1;
                    if pattern(s, p).is_none() {
                        skipped.push(format!("{s:?}: {p}"));
                    }
                }
            }
        }
        eprintln!(
            "{} of {total} patterns skipped: {skipped:#?}",
            skipped.len()
        );
        assert!(skipped.len() * 20 < total, "{skipped:#?}");
    }
}
