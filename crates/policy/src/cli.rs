//! Library side of `localorg policy validate` and `localorg policy evaluate`.
//!
//! The CLI crate only opens files and calls these. The JSONL schema is
//! documented in the crate README.

use crate::compile::{CompiledPolicy, PolicyType};
use crate::eval::{Decision, PolicySet};
use crate::request::{ContextValue, Principal, PrincipalType, Request};
use crate::validate::validate_document;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::sync::Arc;

/// Counts from one `evaluate_jsonl` run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EvalStats {
    /// Non-blank input lines read.
    pub lines: usize,
    /// Lines decided `Allow`.
    pub allowed: usize,
    /// Lines decided `ExplicitDeny`.
    pub explicit_denies: usize,
    /// Lines decided `ImplicitDeny`.
    pub implicit_denies: usize,
    /// Lines that could not be evaluated (an error object was written).
    pub errors: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct LineIn {
    principal: PrincipalIn,
    action: String,
    resource: String,
    #[serde(default)]
    resource_account: Option<String>,
    #[serde(default)]
    resource_in_management_account: bool,
    #[serde(default)]
    context: serde_json::Map<String, Value>,
    #[serde(default)]
    identity_policies: Vec<Value>,
    #[serde(default)]
    permission_boundary: Option<Value>,
    #[serde(default)]
    session_policies: Vec<Value>,
    #[serde(default)]
    resource_policy: Option<Value>,
    #[serde(default)]
    resource_policy_type: Option<String>,
    #[serde(default)]
    scps: Vec<Vec<Value>>,
    #[serde(default)]
    rcps: Vec<Vec<Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct PrincipalIn {
    arn: String,
    #[serde(default)]
    account: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    tags: BTreeMap<String, String>,
    #[serde(default)]
    is_management_account: bool,
    #[serde(default)]
    is_service_linked_role: bool,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    session_issuer_arn: Option<String>,
}

fn policy(v: &Value, default_id: String, kind: PolicyType) -> Result<Arc<CompiledPolicy>, String> {
    let (id, doc) = match v {
        Value::Object(m) if m.contains_key("document") => {
            if let Some(extra) = m.keys().find(|k| *k != "id" && *k != "document") {
                return Err(format!(
                    "{default_id}: unknown field \"{extra}\" (expected \"id\" and \"document\")"
                ));
            }
            let id = match m.get("id") {
                None => default_id.clone(),
                Some(Value::String(s)) => s.clone(),
                Some(_) => return Err(format!("{default_id}: \"id\" must be a string")),
            };
            (id, m.get("document").cloned().unwrap_or(Value::Null))
        }
        Value::Object(_) => (default_id.clone(), v.clone()),
        _ => return Err(format!("{default_id}: a policy must be a JSON object")),
    };
    let text = match doc {
        Value::String(s) => s,
        Value::Object(_) => doc.to_string(),
        _ => return Err(format!("{id}: \"document\" must be an object or a string")),
    };
    CompiledPolicy::compile(&text, &id, kind)
        .map(Arc::new)
        .map_err(|e| {
            format!(
                "{id} ({} policy): {} [{}: {}]",
                kind.as_str(),
                e.aws_message,
                e.code,
                e.detail
            )
        })
}

fn context_value(k: &str, v: &Value) -> Result<ContextValue, String> {
    let scalar = |x: &Value| match x {
        Value::String(s) => Ok(s.clone()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err(format!(
            "context key {k}: values must be strings, numbers or booleans"
        )),
    };
    match v {
        Value::Array(items) => Ok(ContextValue::Multi(
            items.iter().map(scalar).collect::<Result<_, _>>()?,
        )),
        other => Ok(ContextValue::Single(scalar(other)?)),
    }
}

/// Build the request and policy set described by one JSONL line.
pub fn parse_line(line: &str) -> Result<(Request, PolicySet), String> {
    let l: LineIn = serde_json::from_str(line).map_err(|e| format!("invalid input line: {e}"))?;
    let kind = PrincipalType::parse(&l.principal.kind).ok_or_else(|| {
        format!(
            "unknown principal type \"{}\" (User, Role, AssumedRole, Root, FederatedUser, Service, Anonymous)",
            l.principal.kind
        )
    })?;
    let mut p = Principal::new(kind, l.principal.arn, l.principal.account);
    p.tags = l.principal.tags.into_iter().collect();
    p.is_management_account = l.principal.is_management_account;
    p.is_service_linked_role = l.principal.is_service_linked_role;
    p.user_id = l.principal.user_id;
    p.session_issuer_arn = l.principal.session_issuer_arn;
    let mut req = Request::new(p, l.action.clone(), l.resource);
    if let Some(a) = l.resource_account {
        req = req.with_resource_account(a);
    }
    req = req.with_resource_in_management_account(l.resource_in_management_account);
    for (k, v) in &l.context {
        req = req.with_context(k, context_value(k, v)?);
    }
    let res_kind = match l.resource_policy_type.as_deref() {
        None if l.action.to_ascii_lowercase().starts_with("sts:assumerole") => PolicyType::Trust,
        None | Some("resource") => PolicyType::Resource,
        Some("trust") => PolicyType::Trust,
        Some(other) => {
            return Err(format!(
                "resourcePolicyType must be \"resource\" or \"trust\", found \"{other}\""
            ))
        }
    };
    let mut set = PolicySet::new();
    for (i, v) in l.identity_policies.iter().enumerate() {
        set.identity.push(policy(
            v,
            format!("identityPolicies[{i}]"),
            PolicyType::Identity,
        )?);
    }
    if let Some(v) = l.permission_boundary.as_ref().filter(|v| !v.is_null()) {
        set.boundary = Some(policy(
            v,
            "permissionBoundary".into(),
            PolicyType::Boundary,
        )?);
    }
    for (i, v) in l.session_policies.iter().enumerate() {
        set.session.push(policy(
            v,
            format!("sessionPolicies[{i}]"),
            PolicyType::Session,
        )?);
    }
    if let Some(v) = l.resource_policy.as_ref().filter(|v| !v.is_null()) {
        set.resource = Some(policy(v, "resourcePolicy".into(), res_kind)?);
    }
    for (lvl, level) in l.scps.iter().enumerate() {
        let mut out = Vec::with_capacity(level.len());
        for (i, v) in level.iter().enumerate() {
            out.push(policy(v, format!("scps[{lvl}][{i}]"), PolicyType::Scp)?);
        }
        set.scps.push(out);
    }
    for (lvl, level) in l.rcps.iter().enumerate() {
        let mut out = Vec::with_capacity(level.len());
        for (i, v) in level.iter().enumerate() {
            out.push(policy(v, format!("rcps[{lvl}][{i}]"), PolicyType::Rcp)?);
        }
        set.rcps.push(out);
    }
    Ok((req, set))
}

/// The JSON result object for a decision.
pub fn decision_json(d: &Decision, req: &Request) -> Value {
    let deciding: Vec<Value> = d
        .deciding
        .iter()
        .map(|s| {
            let mut o = json!({
                "kind": s.kind.as_str(),
                "policy": &*s.policy,
                "sid": s.sid.as_deref(),
                "index": s.index,
                "effect": s.effect.as_str(),
            });
            if let (Some(l), Some(m)) = (s.level, o.as_object_mut()) {
                m.insert("level".into(), l.into());
            }
            o
        })
        .collect();
    let mut o =
        json!({ "decision": d.effect.as_str(), "deciding": deciding, "message": d.message(req) });
    if let (Some(miss), Some(m)) = (&d.missing, o.as_object_mut()) {
        let mut mm = json!({ "kind": miss.kind.as_str() });
        if let Some(mo) = mm.as_object_mut() {
            if let Some(l) = miss.level {
                mo.insert("level".into(), l.into());
            }
            if let Some(p) = &miss.policy {
                mo.insert("policy".into(), p.to_string().into());
            }
        }
        m.insert("missing".into(), mm);
    }
    o
}

/// Evaluate one JSONL line: the result object, or `{"error": …}`.
pub fn evaluate_line(line: &str) -> Result<Value, String> {
    let (req, set) = parse_line(line)?;
    Ok(decision_json(&set.evaluate(&req), &req))
}

/// Read one JSON request per line and write one JSON result per line.
///
/// Blank lines are skipped. A line that cannot be evaluated produces
/// `{"error": {"line": N, "message": "…"}}` and the run goes on.
pub fn evaluate_jsonl(mut input: impl BufRead, mut output: impl Write) -> io::Result<EvalStats> {
    let mut stats = EvalStats::default();
    let mut buf = Vec::new();
    let mut n = 0;
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        n += 1;
        let v = match std::str::from_utf8(&buf) {
            Ok(line) if line.trim().is_empty() => continue,
            Ok(line) => {
                stats.lines += 1;
                match evaluate_line(line) {
                    Ok(v) => {
                        match v.get("decision").and_then(Value::as_str) {
                            Some("Allow") => stats.allowed += 1,
                            Some("ExplicitDeny") => stats.explicit_denies += 1,
                            _ => stats.implicit_denies += 1,
                        }
                        v
                    }
                    Err(e) => {
                        stats.errors += 1;
                        json!({ "error": { "line": n, "message": e } })
                    }
                }
            }
            Err(e) => {
                stats.lines += 1;
                stats.errors += 1;
                json!({ "error": { "line": n, "message": format!("the line is not UTF-8: {e}") } })
            }
        };
        writeln!(output, "{v}")?;
    }
    output.flush()?;
    Ok(stats)
}

/// Validate `text` as a `kind` policy and write the human or JSON rendering.
/// Returns whether the policy is valid (no `ERROR` finding).
pub fn validate(
    text: &str,
    kind: PolicyType,
    as_json: bool,
    mut output: impl Write,
) -> io::Result<bool> {
    let v = validate_document(text, kind);
    if as_json {
        writeln!(output, "{}", v.to_json())?;
    } else {
        output.write_all(v.render_human().as_bytes())?;
    }
    Ok(v.is_valid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_lines_errors_and_stats() {
        let ok = r#"{"principal":{"arn":"arn:aws:iam::111122223333:user/a","account":"111122223333","type":"User"},"action":"s3:GetObject","resource":"*","identityPolicies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}]}"#;
        let mut input = Vec::new();
        input.extend_from_slice(ok.as_bytes());
        input.extend_from_slice(b"\n\n{\"bogus\": 1}\n\xff\xfe\n");
        input.extend_from_slice(ok.replace("s3:*", "ec2:*").as_bytes());
        let mut out = Vec::new();
        let stats = evaluate_jsonl(&input[..], &mut out).unwrap_or_default();
        assert_eq!(
            stats,
            EvalStats {
                lines: 4,
                allowed: 1,
                explicit_denies: 0,
                implicit_denies: 1,
                errors: 2
            }
        );
        let text = String::from_utf8(out).unwrap_or_default();
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or(Value::Null))
            .collect();
        assert_eq!(lines.len(), 4);
        assert_eq!(
            lines.first().and_then(|v| v.get("decision")),
            Some(&json!("Allow"))
        );
        assert_eq!(
            lines.get(1).and_then(|v| v.pointer("/error/line")),
            Some(&json!(3))
        );
        assert_eq!(
            lines.get(2).and_then(|v| v.pointer("/error/line")),
            Some(&json!(4))
        );
        assert_eq!(
            lines.get(3).and_then(|v| v.get("decision")),
            Some(&json!("ImplicitDeny"))
        );
    }

    #[test]
    fn validate_renders_human_and_json() {
        let bad =
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject"}}"#;
        let mut out = Vec::new();
        assert!(!validate(bad, PolicyType::Identity, true, &mut out).unwrap_or(true));
        let v: Value = serde_json::from_slice(&out).unwrap_or(Value::Null);
        assert_eq!(v["valid"], json!(false));
        assert_eq!(v["findings"][0]["code"], json!("MISSING_RESOURCE"));
        assert_eq!(
            v["findings"][0]["awsMessage"],
            json!("Policy statement must contain resources.")
        );
        let mut out = Vec::new();
        let trust = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}}"#;
        assert!(validate(trust, PolicyType::Trust, false, &mut out).unwrap_or(false));
        let text = String::from_utf8(out).unwrap_or_default();
        assert!(text.starts_with("valid: trust policy"), "{text}");
    }
}
