//! Compiled policies: parsed and validated once, evaluated many times.

use crate::ast::{Effect, PolicyDocument, PrincipalKind, PrincipalValue};
use crate::condition::{CompiledCondition, Operator};
use crate::error::PolicyError;
use crate::pattern::{ArnPattern, Pattern, Syntax};
use crate::request::{PrincipalType, Request};
use std::sync::Arc;

/// The kinds of policies, each with its own grammar rules and place in the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyType {
    /// Identity-based policy attached to a user, group or role (managed or inline).
    Identity,
    /// Resource-based policy (bucket policy, key policy, …).
    Resource,
    /// A role's trust policy (the resource-based policy of `sts:AssumeRole*`).
    Trust,
    /// A permissions boundary.
    Boundary,
    /// A session policy passed to `AssumeRole*` / `GetFederationToken`.
    Session,
    /// A service control policy.
    Scp,
    /// A resource control policy.
    Rcp,
}

impl PolicyType {
    /// Parse the CLI spelling: `identity|resource|trust|boundary|session|scp|rcp`.
    pub fn parse(s: &str) -> Option<PolicyType> {
        Some(match s.to_ascii_lowercase().as_str() {
            "identity" => PolicyType::Identity,
            "resource" => PolicyType::Resource,
            "trust" => PolicyType::Trust,
            "boundary" | "permissions-boundary" => PolicyType::Boundary,
            "session" => PolicyType::Session,
            "scp" => PolicyType::Scp,
            "rcp" => PolicyType::Rcp,
            _ => return None,
        })
    }

    /// The CLI / JSON spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyType::Identity => "identity",
            PolicyType::Resource => "resource",
            PolicyType::Trust => "trust",
            PolicyType::Boundary => "boundary",
            PolicyType::Session => "session",
            PolicyType::Scp => "scp",
            PolicyType::Rcp => "rcp",
        }
    }

    /// The phrase AWS uses in denial messages ("an identity-based policy", …).
    pub fn phrase(self) -> &'static str {
        match self {
            PolicyType::Identity => "an identity-based policy",
            PolicyType::Resource => "a resource-based policy",
            PolicyType::Trust => "a role trust policy",
            PolicyType::Boundary => "a permissions boundary",
            PolicyType::Session => "a session policy",
            PolicyType::Scp => "a service control policy",
            PolicyType::Rcp => "a resource control policy",
        }
    }

    /// The phrase used in "because no … allows" messages.
    pub fn no_phrase(self) -> &'static str {
        match self {
            PolicyType::Identity => "identity-based policy",
            PolicyType::Resource => "resource-based policy",
            PolicyType::Trust => "role trust policy",
            PolicyType::Boundary => "permissions boundary",
            PolicyType::Session => "session policy",
            PolicyType::Scp => "service control policy",
            PolicyType::Rcp => "resource control policy",
        }
    }

    /// Does this kind of policy name principals?
    pub fn has_principals(self) -> bool {
        matches!(
            self,
            PolicyType::Resource | PolicyType::Trust | PolicyType::Rcp
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PrincipalPat {
    Any,
    Account(Box<str>),
    Arn(Box<str>),
    Service(Box<str>),
    Other(Box<str>),
}

/// How a resource-based statement's principal matched the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum PrincipalMatch {
    /// Through the caller's account: the account's own policies must also allow.
    Account,
    /// Through the session issuer (role ARN for a role session, IAM user for a
    /// federated user): limited by the boundary and session policies.
    Issuer,
    /// The caller itself (or `*`).
    Direct,
}

/// `123456789012` or `arn:PARTITION:iam::123456789012:root` → the account id.
pub(crate) fn account_of(s: &str) -> Option<&str> {
    let is_acct = |a: &str| a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit());
    if is_acct(s) {
        return Some(s);
    }
    let mut p = s.splitn(6, ':');
    match (p.next(), p.next(), p.next(), p.next(), p.next(), p.next()) {
        (Some("arn"), Some(_), Some("iam"), Some(""), Some(a), Some("root")) if is_acct(a) => {
            Some(a)
        }
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CompiledStatement {
    pub effect: Effect,
    pub index: usize,
    pub sid: Option<Arc<str>>,
    actions: Vec<Pattern>,
    not_action: bool,
    resources: Option<Vec<ArnPattern>>,
    not_resource: bool,
    principals: Option<Vec<PrincipalPat>>,
    not_principal: bool,
    conditions: Vec<CompiledCondition>,
}

impl CompiledStatement {
    /// Does the statement apply to the request? Returns how the principal matched
    /// (`Direct` for policies without principals).
    pub(crate) fn applies(&self, req: &Request) -> Option<PrincipalMatch> {
        self.applies_ext(req, false)
    }

    /// Like [`CompiledStatement::applies`]; `has_boundary` says the caller (an IAM
    /// user or role session) has a permissions boundary, in which case AWS applies a
    /// `Deny` with `NotPrincipal` to it whatever the `NotPrincipal` lists (IAM User
    /// Guide, "Permissions boundaries for IAM entities", the "Important" note).
    pub(crate) fn applies_ext(&self, req: &Request, has_boundary: bool) -> Option<PrincipalMatch> {
        let a = req.action_lower();
        let any_action = self
            .actions
            .iter()
            .any(|p| p.matches(a, &crate::pattern::NoVars) == Some(true));
        if any_action == self.not_action {
            return None;
        }
        if let Some(rs) = &self.resources {
            let mut any = false;
            for p in rs {
                if p.matches(req.resource(), req)? {
                    any = true;
                    break;
                }
            }
            if any == self.not_resource {
                return None;
            }
        }
        let pm = match &self.principals {
            None => PrincipalMatch::Direct,
            Some(ps) if self.not_principal => {
                let boundary_quirk = has_boundary
                    && self.effect == Effect::Deny
                    && matches!(
                        req.principal().kind,
                        PrincipalType::User
                            | PrincipalType::Role
                            | PrincipalType::AssumedRole
                            | PrincipalType::FederatedUser
                    );
                if boundary_quirk || not_principal_applies(ps, req) {
                    PrincipalMatch::Direct
                } else {
                    return None;
                }
            }
            Some(ps) => ps.iter().filter_map(|p| principal_match(p, req)).max()?,
        };
        for c in &self.conditions {
            if c.eval(req) != Some(true) {
                return None;
            }
        }
        Some(pm)
    }
}

fn principal_match(p: &PrincipalPat, req: &Request) -> Option<PrincipalMatch> {
    let pr = req.principal();
    match p {
        PrincipalPat::Any => Some(PrincipalMatch::Direct),
        PrincipalPat::Account(a) => {
            if matches!(pr.kind, PrincipalType::Service | PrincipalType::Anonymous)
                || pr.account != **a
            {
                None
            } else if pr.kind == PrincipalType::Root {
                Some(PrincipalMatch::Direct)
            } else {
                Some(PrincipalMatch::Account)
            }
        }
        PrincipalPat::Arn(x) => {
            if matches!(pr.kind, PrincipalType::Service | PrincipalType::Anonymous) {
                None
            } else if pr.arn == **x {
                Some(PrincipalMatch::Direct)
            } else if req.issuer_arn() == Some(&**x) {
                Some(PrincipalMatch::Issuer)
            } else {
                None
            }
        }
        PrincipalPat::Service(s) => {
            (pr.kind == PrincipalType::Service && pr.arn == **s).then_some(PrincipalMatch::Direct)
        }
        PrincipalPat::Other(s) => (pr.arn == **s).then_some(PrincipalMatch::Direct),
    }
}

/// `NotPrincipal`: the statement applies unless *every* identity the caller
/// carries (its ARN, its session issuer, its account) is listed — which is why
/// AWS asks for both the role and the session ARN, and the account, to exempt a
/// role session from a `Deny` with `NotPrincipal`.
fn not_principal_applies(ps: &[PrincipalPat], req: &Request) -> bool {
    if ps.contains(&PrincipalPat::Any) {
        return false;
    }
    let pr = req.principal();
    let listed_arn = |a: &str| {
        ps.iter().any(|p| matches!(p, PrincipalPat::Arn(x) | PrincipalPat::Other(x) | PrincipalPat::Service(x) if **x == *a))
    };
    let listed_account = |a: &str| {
        ps.iter()
            .any(|p| matches!(p, PrincipalPat::Account(x) if **x == *a))
    };
    match pr.kind {
        PrincipalType::Anonymous => true,
        PrincipalType::Service => !listed_arn(&pr.arn),
        PrincipalType::Root => !listed_account(&pr.account),
        _ => {
            !listed_arn(&pr.arn)
                || req.issuer_arn().is_some_and(|i| !listed_arn(i))
                || !listed_account(&pr.account)
        }
    }
}

/// A policy compiled for evaluation: wildcards pre-analysed, actions lower-cased,
/// variables located, condition values parsed.
#[derive(Debug, Clone)]
pub struct CompiledPolicy {
    id: Arc<str>,
    kind: PolicyType,
    document: PolicyDocument,
    pub(crate) statements: Vec<CompiledStatement>,
}

impl CompiledPolicy {
    /// Parse, validate (errors only; warnings are ignored) and compile a policy.
    ///
    /// `id` names the policy in explanations: its ARN, its id, or a name
    /// (`inline:alice/AllowS3`). The error carries AWS's `MalformedPolicyDocument` wording.
    pub fn compile(text: &str, id: &str, kind: PolicyType) -> Result<CompiledPolicy, PolicyError> {
        let doc = PolicyDocument::parse(text)?;
        let v = crate::validate::validate_parsed(text, &doc, kind);
        if let Some(e) = v.first_error() {
            return Err(e);
        }
        Ok(Self::from_document(doc, id, kind))
    }

    /// Compile an already parsed document without validating it (use
    /// [`crate::validate_document`] first if it came from a user). Elements that do
    /// not validate compile to something that never matches.
    pub fn from_document(document: PolicyDocument, id: &str, kind: PolicyType) -> CompiledPolicy {
        let variables = document
            .version
            .as_ref()
            .is_some_and(|v| v.value == "2012-10-17");
        let statements = document
            .statements()
            .iter()
            .enumerate()
            .map(|(index, st)| {
                let action_syn = Syntax {
                    wildcards: true,
                    variables: false,
                    lowercase: true,
                };
                let res_syn = Syntax {
                    wildcards: true,
                    variables,
                    lowercase: false,
                };
                let (actions, not_action) = match &st.action {
                    Some(a) => (
                        a.values
                            .as_slice()
                            .iter()
                            .map(|s| Pattern::compile(&s.value, action_syn))
                            .collect(),
                        a.negated,
                    ),
                    None => (Vec::new(), false),
                };
                let (resources, not_resource) = match &st.resource {
                    Some(r) => (
                        Some(
                            r.values
                                .as_slice()
                                .iter()
                                .map(|s| ArnPattern::compile(&s.value, res_syn))
                                .collect(),
                        ),
                        r.negated,
                    ),
                    None => (None, false),
                };
                let (principals, not_principal) = match &st.principal {
                    None => (
                        if kind.has_principals() {
                            Some(Vec::new())
                        } else {
                            None
                        },
                        false,
                    ),
                    Some(p) => {
                        let mut out = Vec::new();
                        match &p.value {
                            PrincipalValue::Wildcard => out.push(PrincipalPat::Any),
                            PrincipalValue::Map(m) => {
                                for (k, vals) in m {
                                    for v in vals.as_slice() {
                                        let v = v.value.as_str();
                                        out.push(match k.value {
                                            PrincipalKind::Aws if v == "*" => PrincipalPat::Any,
                                            PrincipalKind::Aws => match account_of(v) {
                                                Some(a) => PrincipalPat::Account(a.into()),
                                                None => PrincipalPat::Arn(v.into()),
                                            },
                                            PrincipalKind::Service => {
                                                PrincipalPat::Service(v.into())
                                            }
                                            PrincipalKind::Federated
                                            | PrincipalKind::CanonicalUser => {
                                                PrincipalPat::Other(v.into())
                                            }
                                        });
                                    }
                                }
                            }
                        }
                        (Some(out), p.negated)
                    }
                };
                let mut conditions = Vec::new();
                if let Some(c) = &st.condition {
                    for b in &c.value {
                        // An unknown operator (only possible without validation) never matches.
                        let op = Operator::parse(&b.operator.value);
                        for e in &b.entries {
                            let values: Vec<String> = e
                                .values
                                .as_slice()
                                .iter()
                                .map(|v| v.value.as_text().into_owned())
                                .collect();
                            match op {
                                Some(op) => conditions.push(CompiledCondition::compile(
                                    op,
                                    &e.key.value,
                                    &values,
                                    variables,
                                )),
                                None => conditions.push(CompiledCondition::compile(
                                    Operator {
                                        base: crate::condition::BaseOp::Null,
                                        set: crate::condition::SetOp::None,
                                        if_exists: false,
                                    },
                                    &e.key.value,
                                    &[],
                                    false,
                                )),
                            }
                        }
                    }
                }
                CompiledStatement {
                    effect: st.effect.as_ref().map_or(Effect::Deny, |e| e.value),
                    index,
                    sid: st.sid.as_ref().map(|s| Arc::from(s.value.as_str())),
                    actions,
                    not_action,
                    resources,
                    not_resource,
                    principals,
                    not_principal,
                    conditions,
                }
            })
            .collect::<Vec<_>>();
        // A statement without Effect (unvalidated input) must never grant.
        let statements = statements
            .into_iter()
            .zip(document.statements())
            .filter(|(_, st)| st.effect.is_some())
            .map(|(c, _)| c)
            .collect();
        CompiledPolicy {
            id: Arc::from(id),
            kind,
            document,
            statements,
        }
    }

    /// The id given at compile time.
    pub fn id(&self) -> &str {
        &self.id
    }
    pub(crate) fn id_arc(&self) -> &Arc<str> {
        &self.id
    }
    /// The policy type.
    pub fn kind(&self) -> PolicyType {
        self.kind
    }
    /// The parsed document.
    pub fn document(&self) -> &PolicyDocument {
        &self.document
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts() {
        assert_eq!(account_of("123456789012"), Some("123456789012"));
        assert_eq!(
            account_of("arn:aws:iam::123456789012:root"),
            Some("123456789012")
        );
        assert_eq!(account_of("arn:aws:iam::123456789012:user/root"), None);
        assert_eq!(account_of("12345"), None);
    }
}
