//! Organizations policy documents without the store: the structural validators for every policy
//! type, and the effective-policy merge for management policy types (`@@assign`, `@@append`,
//! `@@remove`, `@@operators_allowed_for_child_policies`).
//!
//! The validators are deliberately minimal (the grammar's structure, not every service's schema);
//! the policy engine crate may replace them later.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

// ---------------------------------------------------------------------------------------------
// Per-type facts (AWS Organizations quotas, "Maximum and minimum values")
// ---------------------------------------------------------------------------------------------

/// Maximum size of a policy document, in characters: SCPs and RCPs 5,120, AI services opt-out
/// 2,500, every other (management) type 10,000.
pub(super) fn max_content_chars(policy_type: &str) -> usize {
    match policy_type {
        "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY" => 5_120,
        "AISERVICES_OPT_OUT_POLICY" => 2_500,
        _ => 10_000,
    }
}

/// How many policies of a type can be attached to one root, OU or account: SCPs, RCPs, AI services
/// opt-out and chat applications policies 5, the other management types 10.
pub(super) fn max_attachments(policy_type: &str) -> usize {
    match policy_type {
        "SERVICE_CONTROL_POLICY"
        | "RESOURCE_CONTROL_POLICY"
        | "AISERVICES_OPT_OUT_POLICY"
        | "CHATBOT_POLICY" => 5,
        _ => 10,
    }
}

/// How many policies of a type an organization can hold: 10,000 SCPs, 1,000 of every other type.
pub(super) fn max_policies(policy_type: &str) -> usize {
    match policy_type {
        "SERVICE_CONTROL_POLICY" => 10_000,
        _ => 1_000,
    }
}

// ---------------------------------------------------------------------------------------------
// Document validation
// ---------------------------------------------------------------------------------------------

const ASSIGN: &str = "@@assign";
const APPEND: &str = "@@append";
const REMOVE: &str = "@@remove";
const CHILD_OPS: &str = "@@operators_allowed_for_child_policies";

/// Checks a policy document's structure for its type. `Err` carries a short reason (for logs and
/// tests; AWS's own message is generic).
pub(super) fn validate_content(policy_type: &str, content: &str) -> Result<(), String> {
    let doc: Value = serde_json::from_str(content).map_err(|e| format!("not valid JSON: {e}"))?;
    let Value::Object(doc) = doc else {
        return Err("the document must be a JSON object".into());
    };
    match policy_type {
        "SERVICE_CONTROL_POLICY" => validate_iam(&doc, IamFlavor::Scp),
        "RESOURCE_CONTROL_POLICY" => validate_iam(&doc, IamFlavor::Rcp),
        _ => validate_management(&doc, ""),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum IamFlavor {
    Scp,
    Rcp,
}

fn string_or_strings(v: &Value) -> bool {
    match v {
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => {
            !items.is_empty()
                && items
                    .iter()
                    .all(|i| matches!(i, Value::String(s) if !s.is_empty()))
        }
        _ => false,
    }
}

fn valid_action(v: &Value) -> bool {
    let ok = |s: &str| {
        s == "*"
            || s.split_once(':')
                .is_some_and(|(svc, act)| !svc.is_empty() && !act.is_empty())
    };
    string_or_strings(v)
        && match v {
            Value::String(s) => ok(s),
            Value::Array(items) => items.iter().filter_map(Value::as_str).all(ok),
            _ => false,
        }
}

/// The IAM policy grammar as Organizations accepts it for SCPs (no `Principal`/`NotPrincipal`)
/// and RCPs (`Version` required, `Principal` must be `"*"`, only `Deny` statements, no
/// `NotAction`: the `Allow` effect is reserved to the AWS managed `RCPFullAWSAccess`).
fn validate_iam(doc: &Map<String, Value>, flavor: IamFlavor) -> Result<(), String> {
    for key in doc.keys() {
        if !matches!(key.as_str(), "Version" | "Id" | "Statement") {
            return Err(format!("unknown top-level element {key}"));
        }
    }
    match doc.get("Version") {
        Some(Value::String(v)) if v == "2012-10-17" || v == "2008-10-17" => {}
        Some(_) => return Err("Version must be 2012-10-17".into()),
        None if flavor == IamFlavor::Rcp => return Err("Version is required".into()),
        None => {}
    }
    if let Some(id) = doc.get("Id") {
        if !id.is_string() {
            return Err("Id must be a string".into());
        }
    }
    let statements: Vec<&Value> = match doc.get("Statement") {
        Some(Value::Array(items)) if !items.is_empty() => items.iter().collect(),
        Some(s @ Value::Object(_)) => vec![s],
        _ => return Err("Statement must be an object or a non-empty array".into()),
    };
    for statement in statements {
        let Value::Object(st) = statement else {
            return Err("each Statement must be an object".into());
        };
        validate_statement(st, flavor)?;
    }
    Ok(())
}

fn validate_statement(st: &Map<String, Value>, flavor: IamFlavor) -> Result<(), String> {
    for key in st.keys() {
        match key.as_str() {
            "Sid" | "Effect" | "Action" | "NotAction" | "Resource" | "NotResource"
            | "Condition" => {}
            "Principal" if flavor == IamFlavor::Rcp => {}
            "Principal" | "NotPrincipal" => {
                return Err(format!("{key} is not supported in this policy type"))
            }
            other => return Err(format!("unknown statement element {other}")),
        }
    }
    if let Some(sid) = st.get("Sid") {
        if !sid.is_string() {
            return Err("Sid must be a string".into());
        }
    }
    match st.get("Effect").and_then(Value::as_str) {
        Some("Deny") => {}
        Some("Allow") if flavor == IamFlavor::Scp => {}
        Some("Allow") => return Err("RCPs support only the Deny effect".into()),
        _ => return Err("Effect must be Allow or Deny".into()),
    }
    match (st.get("Action"), st.get("NotAction")) {
        (Some(a), None) if valid_action(a) => {}
        (None, Some(_)) if flavor == IamFlavor::Rcp => {
            return Err("NotAction is not supported in RCPs".into())
        }
        (None, Some(a)) if valid_action(a) => {}
        _ => return Err("a statement needs exactly one valid Action or NotAction".into()),
    }
    match (st.get("Resource"), st.get("NotResource")) {
        (Some(r), None) | (None, Some(r)) if string_or_strings(r) => {}
        (None, None) if flavor == IamFlavor::Scp => {}
        _ => return Err("a statement needs exactly one valid Resource or NotResource".into()),
    }
    if let Some(cond) = st.get("Condition") {
        let Value::Object(ops) = cond else {
            return Err("Condition must be an object".into());
        };
        if ops.values().any(|v| !v.is_object()) {
            return Err("each Condition operator must map to an object".into());
        }
    }
    if flavor == IamFlavor::Rcp {
        match st.get("Principal") {
            Some(Value::String(p)) if p == "*" => {}
            _ => return Err("RCPs require \"Principal\": \"*\"".into()),
        }
    }
    Ok(())
}

/// Parses an `@@operators_allowed_for_child_policies` value into an operator set.
fn parse_child_ops(v: &Value) -> Result<u8, String> {
    let Value::Array(items) = v else {
        return Err(format!("{CHILD_OPS} must be an array"));
    };
    if items.is_empty() {
        return Err(format!("{CHILD_OPS} must not be empty"));
    }
    let mut set = 0u8;
    for item in items {
        let op = item.as_str().unwrap_or_default();
        let bits = match op {
            "@@all" => OP_ALL,
            "@@none" => 0,
            ASSIGN => OP_ASSIGN,
            APPEND => OP_APPEND,
            REMOVE => OP_REMOVE,
            _ => return Err(format!("unknown operator {item} in {CHILD_OPS}")),
        };
        // `@@all` and `@@none` stand alone.
        if (op == "@@all" || op == "@@none") && items.len() > 1 {
            return Err(format!("{op} can't be combined with other operators"));
        }
        set |= bits;
    }
    Ok(set)
}

/// Management policy types: JSON objects whose leaves are set through the inheritance operators.
fn validate_management(node: &Map<String, Value>, path: &str) -> Result<(), String> {
    for (key, value) in node {
        let here = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        match key.as_str() {
            ASSIGN => {
                if value.is_null() {
                    return Err(format!("{here} needs a value"));
                }
            }
            APPEND | REMOVE => {
                if !value.is_array() {
                    return Err(format!(
                        "{here} applies only to multi-valued (array) settings"
                    ));
                }
            }
            CHILD_OPS => {
                parse_child_ops(value).map_err(|e| format!("{here}: {e}"))?;
            }
            k if k.starts_with("@@") => return Err(format!("unknown operator {here}")),
            _ => match value {
                Value::Object(child) => validate_management(child, &here)?,
                _ => {
                    return Err(format!(
                        "{here} must be an object that sets its value with an inheritance operator"
                    ))
                }
            },
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Effective policy merge
// ---------------------------------------------------------------------------------------------

const OP_ASSIGN: u8 = 1;
const OP_APPEND: u8 = 2;
const OP_REMOVE: u8 = 4;
const OP_ALL: u8 = OP_ASSIGN | OP_APPEND | OP_REMOVE;

/// One setting (or group of settings) of the effective policy being built.
#[derive(Debug, Default)]
struct Node {
    /// The value set by the operators, when this is a leaf setting.
    value: Option<Value>,
    /// The level at which the value was last set with `@@assign`.
    assigned_at: Option<usize>,
    /// Sub-settings.
    children: BTreeMap<String, Node>,
    /// `@@operators_allowed_for_child_policies` declared here: (level, operator set).
    restrictions: Vec<(usize, u8)>,
    /// Policies that set or changed this node, in order.
    contributors: Vec<String>,
}

impl Node {
    /// The operators a policy at `level` may use here, given what levels above declared.
    fn allowed_at(&self, level: usize) -> u8 {
        self.restrictions
            .iter()
            .filter(|(at, _)| *at < level)
            .fold(OP_ALL, |acc, (_, ops)| acc & ops)
    }

    fn contributed(&mut self, policy_id: &str) {
        if !self.contributors.iter().any(|p| p == policy_id) {
            self.contributors.push(policy_id.to_owned());
        }
    }

    fn apply(&mut self, doc: &Map<String, Value>, level: usize, policy_id: &str, above: u8) {
        let allowed = above & self.allowed_at(level);
        if let Some(ops) = doc.get(CHILD_OPS).and_then(|v| parse_child_ops(v).ok()) {
            // Restricts policies attached lower in the tree; policies at the same level combine
            // by intersection (AWS inheritance example 5).
            self.restrictions.push((level, ops));
        }
        if let Some(v) = doc.get(ASSIGN) {
            // Forbidden operators are ignored (example 4). At one level the policy attached
            // first wins a conflict (example 6).
            if allowed & OP_ASSIGN != 0 && self.assigned_at != Some(level) {
                self.value = Some(v.clone());
                self.assigned_at = Some(level);
                self.contributed(policy_id);
            }
        }
        if let Some(Value::Array(add)) = doc.get(APPEND) {
            if allowed & OP_APPEND != 0 {
                match &mut self.value {
                    Some(Value::Array(items)) => {
                        for v in add {
                            if !items.contains(v) {
                                items.push(v.clone());
                            }
                        }
                    }
                    None => self.value = Some(Value::Array(dedup(add))),
                    // A single-valued setting can't be appended to: ignored.
                    Some(_) => {}
                }
                self.contributed(policy_id);
            }
        }
        if let Some(Value::Array(remove)) = doc.get(REMOVE) {
            if allowed & OP_REMOVE != 0 {
                if let Some(Value::Array(items)) = &mut self.value {
                    items.retain(|v| !remove.contains(v));
                    self.contributed(policy_id);
                }
            }
        }
        for (key, value) in doc {
            if key.starts_with("@@") {
                continue;
            }
            if let Value::Object(child) = value {
                self.children
                    .entry(key.clone())
                    .or_default()
                    .apply(child, level, policy_id, allowed);
            }
        }
    }

    fn render(&self) -> Option<Value> {
        if let Some(v) = &self.value {
            return Some(v.clone());
        }
        let map: Map<String, Value> = self
            .children
            .iter()
            .filter_map(|(k, c)| c.render().map(|v| (k.clone(), v)))
            .collect();
        (!map.is_empty()).then_some(Value::Object(map))
    }
}

fn dedup(items: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::with_capacity(items.len());
    for v in items {
        if !out.contains(v) {
            out.push(v.clone());
        }
    }
    out
}

/// A merged effective policy.
#[derive(Debug)]
pub(super) struct Merged {
    root: Node,
}

impl Merged {
    /// The effective policy as AWS renders it: the settings' values, operators stripped.
    pub(super) fn render(&self) -> Value {
        self.root
            .render()
            .unwrap_or_else(|| Value::Object(Map::new()))
    }

    /// The policies that contributed to the setting at `path` (dotted), nearest node known.
    fn contributors(&self, path: &[&str]) -> Vec<String> {
        let mut node = &self.root;
        let mut found = node.contributors.clone();
        for key in path {
            match node.children.get(*key) {
                Some(child) => {
                    node = child;
                    if !child.contributors.is_empty() {
                        found = child.contributors.clone();
                    }
                }
                None => break,
            }
        }
        if found.is_empty() {
            found = all_contributors(node);
        }
        found
    }
}

fn all_contributors(node: &Node) -> Vec<String> {
    let mut out = node.contributors.clone();
    for child in node.children.values() {
        for p in all_contributors(child) {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// Merges the policies that apply to an account. `levels` runs from the root down through the
/// OUs to the account; each level lists (policy id, document) in the order they were attached.
/// Documents that aren't JSON objects are skipped.
pub(super) fn merge(levels: &[Vec<(String, Value)>]) -> Merged {
    let mut root = Node::default();
    for (level, policies) in levels.iter().enumerate() {
        for (policy_id, doc) in policies {
            if let Value::Object(doc) = doc {
                root.apply(doc, level, policy_id, OP_ALL);
            }
        }
    }
    Merged { root }
}

/// One problem found in an effective policy.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Issue {
    /// Error code.
    pub code: String,
    /// Message.
    pub message: String,
    /// Where in the effective policy (dotted path).
    pub path: String,
    /// The policies behind the setting.
    pub contributing: Vec<String>,
}

/// Validates a merged effective policy. AWS validates each management type against its service's
/// schema; this checks the documented structural requirements of tag policies (the tag key must
/// match its policy key ignoring case; values and `enforced_for` are lists of strings) and backup
/// policies (every plan needs `regions`, `rules` and `selections`), and that no setting ended up
/// an empty list after `@@remove` where a value is required (tag keys).
pub(super) fn validate_effective(policy_type: &str, merged: &Merged) -> Vec<Issue> {
    let effective = merged.render();
    let mut issues = Vec::new();
    let mut issue = |code: &str, message: String, path: Vec<&str>| {
        issues.push(Issue {
            code: code.to_owned(),
            message,
            path: path.join("."),
            contributing: merged.contributors(&path),
        });
    };
    match policy_type {
        "TAG_POLICY" => {
            if let Some(Value::Object(tags)) = effective.get("tags") {
                for (policy_key, rule) in tags {
                    match rule.get("tag_key") {
                        Some(Value::String(k)) if k.to_lowercase() == policy_key.to_lowercase() => {}
                        None => {}
                        Some(_) => issue(
                            "TAG_KEY_MISMATCH",
                            format!("The tag_key must match the policy key {policy_key} (ignoring case)."),
                            vec!["tags", policy_key.as_str(), "tag_key"],
                        ),
                    }
                    for list in ["tag_value", "enforced_for"] {
                        if let Some(v) = rule.get(list) {
                            let ok = v
                                .as_array()
                                .is_some_and(|items| items.iter().all(Value::is_string));
                            if !ok {
                                issue(
                                    "INVALID_VALUE_TYPE",
                                    format!("{list} must be a list of strings."),
                                    vec!["tags", policy_key.as_str(), list],
                                );
                            }
                        }
                    }
                }
            }
        }
        "BACKUP_POLICY" => {
            if let Some(Value::Object(plans)) = effective.get("plans") {
                for (name, plan) in plans {
                    for required in ["regions", "rules", "selections"] {
                        if plan.get(required).is_none() {
                            issue(
                                "ELEMENTS_MISSING",
                                format!("The backup plan {name} has no {required} element."),
                                vec!["plans", name.as_str()],
                            );
                        }
                    }
                }
            }
        }
        _ => {}
    }
    issues
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn level(policies: &[(&str, Value)]) -> Vec<(String, Value)> {
        policies
            .iter()
            .map(|(id, v)| ((*id).to_owned(), v.clone()))
            .collect()
    }

    fn policy_a() -> Value {
        json!({"tags": {"costcenter": {
            "tag_key": {"@@assign": "CostCenter"},
            "tag_value": {"@@assign": ["Development", "Support"]}
        }}})
    }

    #[test]
    fn example_1_assign_overwrites() {
        let b = json!({"tags": {"costcenter": {
            "tag_key": {"@@assign": "CostCenter"},
            "tag_value": {"@@assign": ["Sandbox"]},
            "enforced_for": {"@@assign": ["redshift:*", "dynamodb:table"]}
        }}});
        let merged = merge(&[level(&[("p-a", policy_a())]), level(&[("p-b", b)])]);
        assert_eq!(
            merged.render(),
            json!({"tags": {"costcenter": {
                "tag_key": "CostCenter",
                "tag_value": ["Sandbox"],
                "enforced_for": ["redshift:*", "dynamodb:table"]
            }}})
        );
    }

    #[test]
    fn example_2_append_adds() {
        let c = json!({"tags": {"costcenter": {
            "tag_key": {"@@assign": "CostCenter"},
            "tag_value": {"@@append": ["Marketing"]},
            "enforced_for": {"@@append": ["redshift:*", "dynamodb:table"]}
        }}});
        let merged = merge(&[level(&[("p-a", policy_a())]), level(&[("p-c", c)])]);
        assert_eq!(
            merged.render(),
            json!({"tags": {"costcenter": {
                "tag_key": "CostCenter",
                "tag_value": ["Development", "Support", "Marketing"],
                "enforced_for": ["redshift:*", "dynamodb:table"]
            }}})
        );
    }

    #[test]
    fn example_3_remove_takes_values_out() {
        let d = json!({"tags": {"costcenter": {
            "tag_key": {"@@assign": "CostCenter"},
            "tag_value": {"@@remove": ["Development", "Marketing"]}
        }}});
        let merged = merge(&[
            level(&[("p-a", policy_a())]),
            level(&[]),
            level(&[("p-d", d)]),
        ]);
        assert_eq!(
            merged.render(),
            json!({"tags": {"costcenter": {"tag_key": "CostCenter", "tag_value": ["Support"]}}})
        );
    }

    #[test]
    fn example_4_child_control_operators_restrict_children() {
        let e = json!({"tags": {"project": {
            "tag_key": {"@@operators_allowed_for_child_policies": ["@@none"], "@@assign": "Project"},
            "tag_value": {
                "@@operators_allowed_for_child_policies": ["@@append"],
                "@@assign": ["Maintenance", "Escalations"]
            }
        }}});
        let f = json!({"tags": {"project": {
            "tag_key": {"@@assign": "PROJECT"},
            "tag_value": {"@@append": ["Escalations - research"]}
        }}});
        let merged = merge(&[level(&[("p-e", e)]), level(&[("p-f", f)])]);
        assert_eq!(
            merged.render(),
            json!({"tags": {"project": {
                "tag_key": "Project",
                "tag_value": ["Maintenance", "Escalations", "Escalations - research"]
            }}})
        );
    }

    #[test]
    fn example_5_same_level_child_controls_intersect() {
        let g = json!({"tags": {"project": {"tag_value": {
            "@@operators_allowed_for_child_policies": ["@@append"],
            "@@assign": ["Maintenance"]
        }}}});
        let h = json!({"tags": {"project": {"tag_value": {
            "@@operators_allowed_for_child_policies": ["@@append", "@@remove"]
        }}}});
        let child = json!({"tags": {"project": {"tag_value": {
            "@@append": ["Research"], "@@remove": ["Maintenance"]
        }}}});
        let merged = merge(&[level(&[("p-g", g), ("p-h", h)]), level(&[("p-c", child)])]);
        assert_eq!(
            merged.render(),
            json!({"tags": {"project": {"tag_value": ["Maintenance", "Research"]}}})
        );
    }

    #[test]
    fn example_6_first_attached_wins_at_same_level() {
        let j = json!({"tags": {"project": {
            "tag_key": {"@@assign": "PROJECT"},
            "tag_value": {"@@append": ["Maintenance"]}
        }}});
        let k = json!({"tags": {"project": {"tag_key": {"@@assign": "project"}}}});
        let merged = merge(&[level(&[("p-j", j), ("p-k", k)])]);
        assert_eq!(
            merged.render(),
            json!({"tags": {"project": {"tag_key": "PROJECT", "tag_value": ["Maintenance"]}}})
        );
        // A lower level still overrides.
        let k2 = json!({"tags": {"project": {"tag_key": {"@@assign": "Project"}}}});
        let j2 = json!({"tags": {"project": {"tag_key": {"@@assign": "PROJECT"}}}});
        let merged = merge(&[level(&[("p-j", j2)]), level(&[("p-k", k2)])]);
        assert_eq!(
            merged.render(),
            json!({"tags": {"project": {"tag_key": "Project"}}})
        );
    }

    #[test]
    fn none_on_a_parent_node_locks_the_whole_subtree() {
        let root = json!({"plans": {"pii": {
            "@@operators_allowed_for_child_policies": ["@@none"],
            "regions": {"@@assign": ["us-east-1"]}
        }}});
        let child = json!({"plans": {"pii": {
            "regions": {"@@append": ["eu-west-1"]},
            "rules": {"daily": {"schedule_expression": {"@@assign": "cron(0 5 ? * * *)"}}}
        }, "other": {"regions": {"@@assign": ["us-west-2"]}}}});
        let merged = merge(&[level(&[("p-r", root)]), level(&[("p-c", child)])]);
        assert_eq!(
            merged.render(),
            json!({"plans": {
                "pii": {"regions": ["us-east-1"]},
                "other": {"regions": ["us-west-2"]}
            }})
        );
        // ... and the backup plans are missing required elements.
        let issues = validate_effective("BACKUP_POLICY", &merged);
        assert!(issues
            .iter()
            .any(|i| i.path == "plans.pii" && i.code == "ELEMENTS_MISSING"));
        assert!(issues.iter().all(|i| !i.contributing.is_empty()));
    }

    #[test]
    fn tag_key_mismatch_is_a_validation_error() {
        let root = json!({"tags": {"project": {"tag_key": {"@@assign": "Project"}}}});
        let child = json!({"tags": {"project": {"tag_key": {"@@assign": "Owner"}}}});
        let merged = merge(&[level(&[("p-root", root)]), level(&[("p-child", child)])]);
        let issues = validate_effective("TAG_POLICY", &merged);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].code, "TAG_KEY_MISMATCH");
        assert_eq!(issues[0].path, "tags.project.tag_key");
        assert_eq!(issues[0].contributing, vec!["p-root", "p-child"]);
        assert!(
            validate_effective("TAG_POLICY", &merge(&[level(&[("p-a", policy_a())])])).is_empty()
        );
    }

    #[test]
    fn validators() {
        let scp = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["s3:*"],"Resource":"*","Condition":{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}}]}"#;
        assert!(validate_content("SERVICE_CONTROL_POLICY", scp).is_ok());
        assert!(validate_content(
            "SERVICE_CONTROL_POLICY",
            r#"{"Statement":{"Effect":"Allow","NotAction":"iam:*"}}"#
        )
        .is_ok());
        for bad in [
            "not json",
            "[]",
            r#"{"Version":"2012-10-17"}"#,
            r#"{"Statement":[]}"#,
            r#"{"Statement":[{"Effect":"Maybe","Action":"*","Resource":"*"}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Resource":"*"}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Action":"*","NotAction":"s3:*"}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Principal":"*"}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Action":"nonsense"}]}"#,
            r#"{"Version":"2020-01-01","Statement":[{"Effect":"Allow","Action":"*"}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Bogus":1}]}"#,
        ] {
            assert!(
                validate_content("SERVICE_CONTROL_POLICY", bad).is_err(),
                "{bad}"
            );
        }
        let rcp = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}"#;
        assert!(validate_content("RESOURCE_CONTROL_POLICY", rcp).is_ok());
        for bad in [
            r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","NotAction":"s3:*","Resource":"*"}]}"#,
        ] {
            assert!(
                validate_content("RESOURCE_CONTROL_POLICY", bad).is_err(),
                "{bad}"
            );
        }
        assert!(validate_content("TAG_POLICY", &policy_a().to_string()).is_ok());
        for bad in [
            r#"{"tags":{"costcenter":{"tag_key":"CostCenter"}}}"#,
            r#"{"tags":{"costcenter":{"tag_key":{"@@set":"CostCenter"}}}}"#,
            r#"{"tags":{"costcenter":{"tag_value":{"@@append":"x"}}}}"#,
            r#"{"tags":{"x":{"@@operators_allowed_for_child_policies":["@@none","@@assign"]}}}"#,
            r#"{"tags":{"x":{"@@operators_allowed_for_child_policies":["@@sometimes"]}}}"#,
            r#""tags""#,
        ] {
            assert!(validate_content("TAG_POLICY", bad).is_err(), "{bad}");
        }
    }
}
