//! Validation per policy type, with findings in the style of IAM Access
//! Analyzer's `ValidatePolicy`: a severity, a code, a message and a location.
//!
//! `ERROR` findings are the ones AWS rejects with `MalformedPolicyDocument`
//! (their `aws_message` is AWS's wording); [`crate::CompiledPolicy::compile`]
//! refuses a document with any. The other severities are advice.

use crate::ast::{
    ConditionValue, Effect, ListElement, OneOrMany, PolicyDocument, PrincipalKind, PrincipalValue,
    Spanned, Statement,
};
use crate::compile::{account_of, PolicyType};
use crate::condition::{value_parses, Operator, SetOp};
use crate::error::PolicyError;
use crate::json::{line_col, Span};
use crate::pattern::{ArnPattern, Pattern, Syntax};
use std::fmt::Write as _;

/// How serious a finding is (Access Analyzer's finding types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// AWS rejects the policy.
    Error,
    /// The policy grants more than it probably should.
    SecurityWarning,
    /// The policy probably does not do what was meant.
    Warning,
    /// The policy can be simpler.
    Suggestion,
}

impl Severity {
    /// `ERROR`, `SECURITY_WARNING`, `WARNING` or `SUGGESTION`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "ERROR",
            Severity::SecurityWarning => "SECURITY_WARNING",
            Severity::Warning => "WARNING",
            Severity::Suggestion => "SUGGESTION",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Its severity.
    pub severity: Severity,
    /// A stable code (`MISSING_ACTION`, `REDUNDANT_STATEMENT`, …).
    pub code: &'static str,
    /// What is wrong, for people.
    pub message: String,
    /// For errors: AWS's `MalformedPolicyDocument` message.
    pub aws_message: Option<String>,
    /// JSON path of the element (`Statement[0].Action[2]`), empty for the document.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters).
    pub column: usize,
}

/// The result of validating one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validation {
    /// The policy type it was validated as.
    pub kind: PolicyType,
    /// Findings, in document order within each severity.
    pub findings: Vec<Finding>,
    /// The size AWS counts for the size quota.
    pub size: usize,
    /// The size quota applied.
    pub limit: usize,
}

/// Size quota for a kind, and whether whitespace counts.
///
/// IAM does not count whitespace: managed policies (identity, boundary) 6,144
/// characters, role trust policies 2,048 (the default quota), session policies
/// 2,048. Organizations counts every character: SCPs and RCPs 5,120.
/// Resource-based policies: 20,480 (S3's bucket policy limit, the largest common one).
pub fn size_limit(kind: PolicyType) -> (usize, bool) {
    match kind {
        PolicyType::Identity | PolicyType::Boundary => (6144, false),
        PolicyType::Trust | PolicyType::Session => (2048, false),
        PolicyType::Scp | PolicyType::Rcp => (5120, true),
        PolicyType::Resource => (20480, true),
    }
}

impl Validation {
    /// `true` when there is no `ERROR` finding.
    pub fn is_valid(&self) -> bool {
        !self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// The first error as a [`PolicyError`].
    pub fn first_error(&self) -> Option<PolicyError> {
        let f = self
            .findings
            .iter()
            .find(|f| f.severity == Severity::Error)?;
        Some(PolicyError {
            code: f.code,
            detail: f.message.clone(),
            aws_message: f
                .aws_message
                .clone()
                .unwrap_or_else(|| "Syntax errors in policy.".to_string()),
            path: f.path.clone(),
            line: f.line,
            column: f.column,
        })
    }

    /// One line per finding, then a summary line.
    pub fn render_human(&self) -> String {
        let mut o = String::new();
        for f in &self.findings {
            let at = if f.path.is_empty() {
                String::new()
            } else {
                format!(" {}", f.path)
            };
            let _ = writeln!(
                o,
                "{} {} at{at} (line {}, column {}): {}",
                f.severity.as_str(),
                f.code,
                f.line,
                f.column,
                f.message
            );
        }
        let count = |s| self.findings.iter().filter(|f| f.severity == s).count();
        let _ = writeln!(
            o,
            "{}: {} policy, {} errors, {} security warnings, {} warnings, {} suggestions (size {}/{})",
            if self.is_valid() { "valid" } else { "invalid" },
            self.kind.as_str(),
            count(Severity::Error),
            count(Severity::SecurityWarning),
            count(Severity::Warning),
            count(Severity::Suggestion),
            self.size,
            self.limit
        );
        o
    }

    /// The JSON rendering: `{"valid", "type", "size", "limit", "findings": [{"severity",
    /// "code", "message", "awsMessage"?, "path", "line", "column"}]}`.
    pub fn to_json(&self) -> serde_json::Value {
        let findings: Vec<serde_json::Value> = self
            .findings
            .iter()
            .map(|f| {
                let mut m = serde_json::Map::new();
                m.insert("severity".into(), f.severity.as_str().into());
                m.insert("code".into(), f.code.into());
                m.insert("message".into(), f.message.clone().into());
                if let Some(a) = &f.aws_message {
                    m.insert("awsMessage".into(), a.clone().into());
                }
                m.insert("path".into(), f.path.clone().into());
                m.insert("line".into(), f.line.into());
                m.insert("column".into(), f.column.into());
                serde_json::Value::Object(m)
            })
            .collect();
        serde_json::json!({
            "valid": self.is_valid(),
            "type": self.kind.as_str(),
            "size": self.size,
            "limit": self.limit,
            "findings": findings,
        })
    }
}

/// Validate a document's text as a policy of type `kind`.
pub fn validate_document(text: &str, kind: PolicyType) -> Validation {
    match PolicyDocument::parse(text) {
        Ok(doc) => validate_parsed(text, &doc, kind),
        Err(e) => {
            let (limit, _) = size_limit(kind);
            Validation {
                kind,
                findings: vec![Finding {
                    severity: Severity::Error,
                    code: e.code,
                    message: e.detail,
                    aws_message: Some(e.aws_message),
                    path: e.path,
                    line: e.line,
                    column: e.column,
                }],
                size: text.chars().count(),
                limit,
            }
        }
    }
}

struct V<'a> {
    text: &'a str,
    kind: PolicyType,
    out: Vec<Finding>,
}

impl V<'_> {
    fn add(
        &mut self,
        severity: Severity,
        code: &'static str,
        span: Span,
        path: &str,
        message: String,
        aws: Option<&str>,
    ) {
        let (line, column) = line_col(self.text, span.start);
        self.out.push(Finding {
            severity,
            code,
            message,
            aws_message: aws.map(str::to_string),
            path: path.to_string(),
            line,
            column,
        });
    }
    fn error(&mut self, code: &'static str, span: Span, path: &str, message: String, aws: &str) {
        self.add(Severity::Error, code, span, path, message, Some(aws));
    }
}

const SINGLE_VALUED: &[&str] = &[
    "aws:principalarn",
    "aws:principalaccount",
    "aws:principalorgid",
    "aws:principaltype",
    "aws:username",
    "aws:userid",
    "aws:sourceip",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceorgid",
    "aws:requestedregion",
    "aws:resourceaccount",
    "aws:resourceorgid",
    "aws:securetransport",
    "aws:multifactorauthpresent",
    "aws:multifactorauthage",
    "aws:currenttime",
    "aws:epochtime",
    "aws:principalisawsservice",
    "aws:viaawsservice",
];
const SINGLE_VALUED_PREFIXES: &[&str] =
    &["aws:principaltag/", "aws:requesttag/", "aws:resourcetag/"];
const MULTI_VALUED: &[&str] = &[
    "aws:tagkeys",
    "aws:principalorgpaths",
    "aws:resourceorgpaths",
    "aws:calledvia",
    "aws:principalservicenameslist",
];

fn valid_prefix(p: &str) -> bool {
    !p.is_empty()
        && p.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
}

pub(crate) fn validate_parsed(text: &str, doc: &PolicyDocument, kind: PolicyType) -> Validation {
    let mut v = V {
        text,
        kind,
        out: Vec::new(),
    };
    let (limit, counts_ws) = size_limit(kind);
    let size = if counts_ws {
        text.chars().count()
    } else {
        text.chars().filter(|c| !c.is_whitespace()).count()
    };
    if size > limit {
        let aws = match kind {
            PolicyType::Trust => format!("Cannot exceed quota for ACLSizePerRole: {limit}"),
            PolicyType::Scp | PolicyType::Rcp => {
                format!("Policy exceeds the maximum size of {limit} characters")
            }
            _ => format!("Cannot exceed quota for PolicySize: {limit}"),
        };
        v.error(
            "POLICY_SIZE_EXCEEDED",
            Span::default(),
            "",
            format!("the policy is {size} characters; the quota is {limit}"),
            &aws,
        );
    }
    let variables = match &doc.version {
        None => {
            v.add(
                Severity::Warning,
                "MISSING_VERSION",
                Span::default(),
                "",
                "no Version element: the policy is read as 2008-10-17, which does not process policy variables; add \"Version\": \"2012-10-17\"".into(),
                None,
            );
            false
        }
        Some(ver) => match ver.value.as_str() {
            "2012-10-17" => true,
            "2008-10-17" => {
                if text.contains("${") {
                    v.add(
                        Severity::Warning,
                        "POLICY_VARIABLE_WITH_OLD_VERSION",
                        ver.span,
                        "Version",
                        "Version 2008-10-17 does not process policy variables: `${…}` is matched as literal text".into(),
                        None,
                    );
                }
                false
            }
            other => {
                v.error(
                    "INVALID_VERSION",
                    ver.span,
                    "Version",
                    format!("Version must be \"2012-10-17\" or \"2008-10-17\", found \"{other}\""),
                    "The policy failed legacy parsing",
                );
                false
            }
        },
    };
    let stmts = doc.statements();
    if stmts.is_empty() {
        v.error(
            "EMPTY_STATEMENT",
            doc.statement_span.0,
            "Statement",
            "the Statement array is empty".into(),
            "Syntax errors in policy.",
        );
    }
    let mut sids: Vec<&str> = Vec::new();
    for (i, st) in stmts.iter().enumerate() {
        let path = doc.statement_path(i);
        if let Some(sid) = &st.sid {
            if sid.value.is_empty() {
                // allowed
            } else if sids.contains(&sid.value.as_str()) {
                v.error(
                    "DUPLICATE_SID",
                    sid.span,
                    &format!("{path}.Sid"),
                    format!("Sid \"{}\" is used by an earlier statement", sid.value),
                    "Statement IDs (SID) in a single policy must be unique.",
                );
            } else {
                sids.push(&sid.value);
            }
            if kind != PolicyType::Resource && !sid.value.bytes().all(|b| b.is_ascii_alphanumeric())
            {
                v.error(
                    "INVALID_SID",
                    sid.span,
                    &format!("{path}.Sid"),
                    format!("Sid \"{}\" must contain only letters and digits", sid.value),
                    "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*",
                );
            }
        }
        statement(&mut v, st, &path, variables);
        for (j, prev) in stmts.iter().enumerate().take(i) {
            if same_ignoring_sid(prev, st) {
                v.add(
                    Severity::Suggestion,
                    "REDUNDANT_STATEMENT",
                    st.span.0,
                    &path,
                    format!("this statement repeats {}", doc.statement_path(j)),
                    None,
                );
                break;
            }
        }
    }
    let mut findings = v.out;
    findings.sort_by_key(|f| f.severity);
    Validation {
        kind,
        findings,
        size,
        limit,
    }
}

fn same_ignoring_sid(a: &Statement, b: &Statement) -> bool {
    let mut a = a.clone();
    a.sid = b.sid.clone();
    a == *b
}

fn statement(v: &mut V<'_>, st: &Statement, path: &str, variables: bool) {
    let span = st.span.0;
    let kind = v.kind;
    let Some(effect) = &st.effect else {
        v.error(
            "MISSING_EFFECT",
            span,
            path,
            "the statement has no Effect".into(),
            "Missing required field Effect",
        );
        return;
    };
    let effect = effect.value;
    // Principal
    match (&st.principal, kind) {
        (Some(p), PolicyType::Identity | PolicyType::Boundary | PolicyType::Session) => v.error(
            "PROHIBITED_PRINCIPAL",
            p.span.0,
            path,
            format!("{} policies cannot name a principal", kind.as_str()),
            "Policy document should not specify a principal.",
        ),
        (Some(p), PolicyType::Scp) => v.error(
            "PROHIBITED_PRINCIPAL",
            p.span.0,
            path,
            "service control policies cannot name a principal".into(),
            "Has prohibited field Principal",
        ),
        (None, PolicyType::Resource | PolicyType::Trust | PolicyType::Rcp) => v.error(
            "MISSING_PRINCIPAL",
            span,
            path,
            format!("{} policies must name a principal", kind.as_str()),
            "Missing required field Principal",
        ),
        (Some(p), _) => {
            let ppath = format!(
                "{path}.{}",
                if p.negated {
                    "NotPrincipal"
                } else {
                    "Principal"
                }
            );
            if kind == PolicyType::Rcp && (p.negated || p.value != PrincipalValue::Wildcard) {
                v.error(
                    "RCP_PRINCIPAL_NOT_WILDCARD",
                    p.span.0,
                    &ppath,
                    "resource control policies must use \"Principal\": \"*\" (restrict principals with conditions)".into(),
                    "The Principal element of a resource control policy must be \"*\"",
                );
            }
            if p.negated && effect == Effect::Allow {
                v.add(
                    Severity::SecurityWarning,
                    "ALLOW_WITH_NOT_PRINCIPAL",
                    p.span.0,
                    &ppath,
                    "Allow with NotPrincipal grants access to every principal not listed, including anonymous users".into(),
                    None,
                );
            }
            if let PrincipalValue::Map(m) = &p.value {
                for (k, vals) in m {
                    if matches!(vals, OneOrMany::Many(x) if x.is_empty()) {
                        v.add(
                            Severity::Warning,
                            "EMPTY_ARRAY_PRINCIPAL",
                            k.span,
                            &ppath,
                            "empty principal list: matches no one".into(),
                            None,
                        );
                    }
                    for val in vals.as_slice() {
                        principal_value(v, k.value, val, &ppath);
                    }
                }
            }
            let open = matches!(&p.value, PrincipalValue::Wildcard)
                || matches!(&p.value, PrincipalValue::Map(m) if m.iter().any(|(k, vs)| k.value == PrincipalKind::Aws && vs.as_slice().iter().any(|x| x.value == "*")));
            if open
                && !p.negated
                && effect == Effect::Allow
                && st.condition.is_none()
                && kind != PolicyType::Rcp
            {
                v.add(
                    Severity::SecurityWarning,
                    "ALLOW_TO_ANY_PRINCIPAL",
                    p.span.0,
                    &ppath,
                    "this statement allows any principal, including other accounts and anonymous users, without a condition".into(),
                    None,
                );
            }
        }
        (None, _) => {}
    }
    // Action
    match &st.action {
        None => v.error(
            "MISSING_ACTION",
            span,
            path,
            "the statement has no Action or NotAction".into(),
            "Policy statement must contain actions.",
        ),
        Some(a) => actions(v, a, path, effect),
    }
    // Resource
    match (&st.resource, kind) {
        (Some(r), PolicyType::Trust) => v.error(
            "PROHIBITED_RESOURCE",
            r.span.0,
            path,
            "role trust policies cannot contain Resource or NotResource".into(),
            "Has prohibited field Resource",
        ),
        (None, PolicyType::Trust) => {}
        (None, _) => v.error(
            "MISSING_RESOURCE",
            span,
            path,
            "the statement has no Resource or NotResource".into(),
            "Policy statement must contain resources.",
        ),
        (Some(r), _) => resources(v, r, path, variables, st, effect),
    }
    if kind == PolicyType::Rcp && effect == Effect::Allow {
        let full =
            st.principal
                .as_ref()
                .is_some_and(|p| !p.negated && p.value == PrincipalValue::Wildcard)
                && st.action.as_ref().is_some_and(|a| {
                    !a.negated && a.values.as_slice().iter().all(|x| x.value == "*")
                })
                && st.resource.as_ref().is_some_and(|r| {
                    !r.negated && r.values.as_slice().iter().all(|x| x.value == "*")
                })
                && st.condition.is_none();
        if !full {
            v.error(
                "RCP_ALLOW_NOT_SUPPORTED",
                span,
                path,
                "resource control policies only deny; the only Allow is RCPFullAWSAccess's (Principal, Action and Resource \"*\", no Condition)".into(),
                "Resource control policies support only the Deny effect",
            );
        }
    }
    if let Some(c) = &st.condition {
        conditions(v, &c.value, c.span, &format!("{path}.Condition"), effect);
    }
}

fn principal_value(v: &mut V<'_>, k: PrincipalKind, val: &Spanned<String>, path: &str) {
    let s = val.value.as_str();
    let ok = match k {
        PrincipalKind::Aws => {
            s == "*"
                || account_of(s).is_some()
                || (!s.contains('*')
                    && !s.contains('?')
                    && {
                        let parts: Vec<&str> = s.splitn(6, ':').collect();
                        matches!(parts.as_slice(), ["arn", _, "iam", "", acct, res]
                        if account_of(acct).is_some() && (res.starts_with("user/") || res.starts_with("role/") || res.starts_with("federated-user/")))
                            || matches!(parts.as_slice(), ["arn", _, "sts", "", acct, res]
                        if account_of(acct).is_some() && (res.starts_with("assumed-role/") || res.starts_with("federated-user/")))
                    })
        }
        PrincipalKind::Service => {
            s == "*" || (s.contains('.') && !s.contains('*') && !s.contains(' '))
        }
        PrincipalKind::Federated => !s.is_empty() && !s.contains('*'),
        PrincipalKind::CanonicalUser => s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()),
    };
    if !ok {
        v.error(
            "INVALID_PRINCIPAL",
            val.span,
            path,
            format!("\"{s}\" is not a valid {} principal (wildcards are only allowed as the whole value \"*\")", k.as_str()),
            &format!("Invalid principal in policy: \"{}\":\"{s}\"", k.as_str()),
        );
    }
}

fn actions(v: &mut V<'_>, a: &ListElement, path: &str, effect: Effect) {
    let apath = format!("{path}.{}", if a.negated { "NotAction" } else { "Action" });
    let vals = a.values.as_slice();
    if vals.is_empty() {
        v.add(
            Severity::Warning,
            "EMPTY_ARRAY_ACTION",
            a.span.0,
            &apath,
            "empty action list: the statement matches no action".into(),
            None,
        );
    }
    let syn = Syntax {
        wildcards: true,
        variables: false,
        lowercase: true,
    };
    let pats: Vec<Pattern> = vals
        .iter()
        .map(|x| Pattern::compile(&x.value, syn))
        .collect();
    for (i, x) in vals.iter().enumerate() {
        let ipath = format!("{apath}[{i}]");
        let s = x.value.as_str();
        if s == "*" {
            continue;
        }
        let Some((prefix, name)) = s.split_once(':') else {
            v.error(
                "INVALID_ACTION",
                x.span,
                &ipath,
                format!("action \"{s}\" has no service prefix (service:Action)"),
                "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
            );
            continue;
        };
        if !valid_prefix(prefix.trim_end_matches('*')) && prefix != "*" {
            v.error(
                "INVALID_ACTION",
                x.span,
                &ipath,
                format!("\"{prefix}\" is not a valid service prefix"),
                "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
            );
            continue;
        }
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'*' | b'?' | b'-' | b'_'))
        {
            v.add(
                Severity::Warning,
                "UNMATCHABLE_ACTION",
                x.span,
                &ipath,
                format!("action \"{s}\" cannot match any action: action names contain only letters, digits, '-' and '_'"),
                None,
            );
        }
        if v.kind == PolicyType::Trust && !prefix.eq_ignore_ascii_case("sts") {
            v.error(
                "TRUST_POLICY_NON_STS_ACTION",
                x.span,
                &ipath,
                format!("role trust policies can only contain sts actions, found \"{s}\""),
                "AssumeRolepolicy contained an invalid action",
            );
        }
        if v.kind == PolicyType::Rcp && a.negated {
            v.error(
                "RCP_NOT_ACTION",
                a.span.0,
                &apath,
                "resource control policies do not support NotAction".into(),
                "NotAction is not supported in resource control policies",
            );
        }
        if let Some(pi) = pats.get(i) {
            if pats
                .iter()
                .enumerate()
                .any(|(j, q)| j != i && q.covers(pi) && (!pi.covers(q) || j < i))
            {
                v.add(
                    Severity::Suggestion,
                    "REDUNDANT_ACTION",
                    x.span,
                    &ipath,
                    format!("\"{s}\" is already covered by another action in this statement"),
                    None,
                );
            }
        }
    }
    let _ = effect;
}

fn resources(
    v: &mut V<'_>,
    r: &ListElement,
    path: &str,
    variables: bool,
    st: &Statement,
    effect: Effect,
) {
    let rpath = format!(
        "{path}.{}",
        if r.negated { "NotResource" } else { "Resource" }
    );
    let vals = r.values.as_slice();
    if vals.is_empty() {
        v.add(
            Severity::Warning,
            "EMPTY_ARRAY_RESOURCE",
            r.span.0,
            &rpath,
            "empty resource list: the statement matches no resource".into(),
            None,
        );
    }
    let syn = Syntax {
        wildcards: true,
        variables,
        lowercase: false,
    };
    let pats: Vec<ArnPattern> = vals
        .iter()
        .map(|x| ArnPattern::compile(&x.value, syn))
        .collect();
    for (i, x) in vals.iter().enumerate() {
        let ipath = format!("{rpath}[{i}]");
        let s = x.value.as_str();
        if s != "*" && !(s.starts_with("arn:") && s.splitn(6, ':').count() == 6) {
            v.error(
                "INVALID_ARN_RESOURCE",
                x.span,
                &ipath,
                format!("resource \"{s}\" is neither \"*\" nor an ARN (arn:partition:service:region:account:resource)"),
                &format!("Resource {s} must be in ARN format or \"*\"."),
            );
        }
        if let Some(pi) = pats.get(i) {
            if pats
                .iter()
                .enumerate()
                .any(|(j, q)| j != i && q.covers(pi) && (!pi.covers(q) || j < i))
            {
                v.add(
                    Severity::Suggestion,
                    "REDUNDANT_RESOURCE",
                    x.span,
                    &ipath,
                    format!("\"{s}\" is already covered by another resource in this statement"),
                    None,
                );
            }
        }
    }
    // iam:PassRole on every role
    if effect == Effect::Allow {
        let passrole = st.action.as_ref().is_some_and(|a| {
            let syn = Syntax {
                wildcards: true,
                variables: false,
                lowercase: true,
            };
            let any = a.values.as_slice().iter().any(|x| {
                Pattern::compile(&x.value, syn).matches("iam:passrole", &crate::pattern::NoVars)
                    == Some(true)
            });
            any != a.negated
        });
        let all_resources = r.negated || vals.iter().any(|x| x.value == "*");
        if passrole && all_resources {
            v.add(
                Severity::SecurityWarning,
                "PASS_ROLE_WITH_STAR_IN_RESOURCE",
                r.span.0,
                &rpath,
                "iam:PassRole on every resource lets the principal pass any role to a service; list the roles".into(),
                None,
            );
        }
    }
}

fn conditions(
    v: &mut V<'_>,
    blocks: &[crate::ast::ConditionBlock],
    span: Span,
    path: &str,
    effect: Effect,
) {
    if blocks.is_empty() {
        v.add(
            Severity::Suggestion,
            "EMPTY_OBJECT_CONDITION",
            span,
            path,
            "empty Condition: remove it".into(),
            None,
        );
    }
    for b in blocks {
        let bpath = format!("{path}.{}", b.operator.value);
        let Some(op) = Operator::parse(&b.operator.value) else {
            v.error(
                "INVALID_OPERATOR",
                b.operator.span,
                &bpath,
                format!("\"{}\" is not a condition operator", b.operator.value),
                &format!("Invalid Condition type : {}", b.operator.value),
            );
            continue;
        };
        if op.canonical() != b.operator.value {
            v.add(
                Severity::Suggestion,
                "OPERATOR_SPELLING",
                b.operator.span,
                &bpath,
                format!("write the operator as \"{}\"", op.canonical()),
                None,
            );
        }
        for e in &b.entries {
            let kpath = format!("{bpath}.{}", e.key.value);
            let key = e.key.value.to_lowercase();
            match key.split_once(':') {
                Some((p, rest)) if valid_prefix(p) && !rest.is_empty() => {}
                _ => v.error(
                    "INVALID_CONDITION_KEY",
                    e.key.span,
                    &kpath,
                    format!("condition key \"{}\" has no service prefix", e.key.value),
                    "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
                ),
            }
            let vals = e.values.as_slice();
            if vals.is_empty() {
                v.add(
                    Severity::Warning,
                    "EMPTY_ARRAY_CONDITION",
                    e.key.span,
                    &kpath,
                    "no values: a positive operator never matches".into(),
                    None,
                );
            }
            let t = op.base.value_type();
            for (i, val) in vals.iter().enumerate() {
                let text = val.value.as_text();
                let bad_type = matches!(val.value, ConditionValue::Bool(_))
                    && !matches!(
                        t,
                        crate::condition::ValueType::Bool | crate::condition::ValueType::String
                    );
                if bad_type || !value_parses(t, &text) {
                    v.error(
                        "DATA_TYPE_MISMATCH",
                        val.span,
                        &format!("{kpath}[{i}]"),
                        format!("\"{text}\" is not a valid value for {}", op.base.name()),
                        "Syntax errors in policy.",
                    );
                }
            }
            let single = SINGLE_VALUED.contains(&key.as_str())
                || SINGLE_VALUED_PREFIXES.iter().any(|p| key.starts_with(p));
            if op.set != SetOp::None && single {
                v.add(
                    Severity::Warning,
                    "SET_OPERATOR_ON_SINGLE_VALUED_KEY",
                    e.key.span,
                    &kpath,
                    format!(
                        "{} is single-valued: drop the ForAllValues/ForAnyValue qualifier",
                        e.key.value
                    ),
                    None,
                );
            }
            if op.set == SetOp::None && MULTI_VALUED.contains(&key.as_str()) {
                v.add(
                    Severity::Warning,
                    "MISSING_SET_OPERATOR",
                    e.key.span,
                    &kpath,
                    format!("{} is multivalued: qualify the operator with ForAllValues: or ForAnyValue:", e.key.value),
                    None,
                );
            }
            if op.set == SetOp::ForAllValues && effect == Effect::Allow && !op.base.is_negated() {
                v.add(
                    Severity::SecurityWarning,
                    "FOR_ALL_VALUES_WITH_ALLOW",
                    b.operator.span,
                    &bpath,
                    "ForAllValues is true when the key is absent: with Allow, add a Null condition so the key must be present".into(),
                    None,
                );
            }
        }
    }
}
