//! The decision: AWS's policy evaluation logic over every kind of policy.
//!
//! Order, as in the IAM User Guide's evaluation flow:
//!
//! 1. **Explicit deny** in any applicable policy (identity, resource, boundary,
//!    session, every SCP level, every RCP level) → `ExplicitDeny`.
//! 2. **RCPs** (when given, unless the resource is in the management account or
//!    the caller is a service-linked role): every level must have an `Allow`.
//! 3. **SCPs** (when given, for principals of member accounts; not for the
//!    management account, service-linked roles or service principals): every
//!    level must have an `Allow`.
//! 4. **Resource-based policy**. In the same account, a statement naming the
//!    caller itself (its ARN, its session ARN, or `*`) grants on its own — not
//!    limited by a permissions boundary or session policy. A statement naming
//!    the *issuer* (the role ARN, for a role session; the IAM user, for a
//!    federated user) counts like an identity-based grant: the boundary and
//!    session policies limit it. A statement naming the account delegates to the
//!    account's identity policies. Across accounts the resource side and the
//!    identity side must both allow. A role trust policy ([`PolicyType::Trust`])
//!    must always allow (same account too).
//! 5. **Identity-based policies** (union of user + groups, or the role's).
//!    The account root user is allowed by its account without them.
//! 6. **Permissions boundary** (when set) must allow.
//! 7. **Session policies** (when given; their union) must allow.
//!
//! Service and anonymous principals have no identity side: only a
//! resource-based policy can allow them.
//!
//! Documented AWS quirk reproduced: a resource-policy `Deny` with `NotPrincipal`
//! always applies to an IAM user or role session that has a permissions boundary,
//! whatever the `NotPrincipal` lists.
//!
//! ## Choices where AWS's documentation is ambiguous
//!
//! Each is pinned by a case in `tests/cases/` whose name says so.
//!
//! * The SCP / RCP chains given are the ones that apply: the caller's account's
//!   SCPs and the resource's account's RCPs. Which services RCPs cover is the
//!   caller's business; an empty chain means "not in an organization".
//! * RCPs apply to service principals and anonymous callers (AWS's perimeter
//!   examples exclude service principals with an `aws:PrincipalIsAWSService`
//!   condition, which implies they are otherwise in scope); SCPs do not.
//! * A resource policy naming the account (`123456789012` or `…:root`) in the
//!   same account delegates to the identity side (as KMS key policies document);
//!   for the root user itself it grants directly.
//! * The account root user needs no identity policy in its own account, but
//!   cross-account it still needs the resource side; SCPs apply to member-account
//!   roots.
//! * When several kinds have no `Allow`, the implicit deny names the first in the
//!   order RCP, SCP, resource/trust (cross-account or trust), identity, boundary,
//!   session.

use crate::ast::Effect;
use crate::compile::{CompiledPolicy, CompiledStatement, PolicyType, PrincipalMatch};
use crate::request::{PrincipalType, Request};
use std::sync::Arc;

/// Everything that applies to one request, by kind.
///
/// Policies are shared (`Arc`) so a server can cache compiled sets.
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    /// Identity-based policies: the user's and its groups', or the role's.
    pub identity: Vec<Arc<CompiledPolicy>>,
    /// The permissions boundary, if one is set.
    pub boundary: Option<Arc<CompiledPolicy>>,
    /// Session policies (inline and managed), if the session has any.
    pub session: Vec<Arc<CompiledPolicy>>,
    /// The resource-based policy: a [`PolicyType::Resource`] policy, or the role's
    /// [`PolicyType::Trust`] policy for `sts:AssumeRole*`.
    pub resource: Option<Arc<CompiledPolicy>>,
    /// The SCP chain: one entry per level (root, each OU, the account), each
    /// holding the SCPs attached there. Empty when the account is not in an organization.
    pub scps: Vec<Vec<Arc<CompiledPolicy>>>,
    /// The RCP chain, like `scps`.
    pub rcps: Vec<Vec<Arc<CompiledPolicy>>>,
}

/// The outcome of a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Allowed.
    Allow,
    /// Denied by a `Deny` statement.
    ExplicitDeny,
    /// Denied because some required policy did not allow.
    ImplicitDeny,
}

impl Outcome {
    /// `Allow`, `ExplicitDeny` or `ImplicitDeny`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allow => "Allow",
            Outcome::ExplicitDeny => "ExplicitDeny",
            Outcome::ImplicitDeny => "ImplicitDeny",
        }
    }
}

/// A statement that decided the outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecidingStatement {
    /// The kind of policy it is in.
    pub kind: PolicyType,
    /// The policy's id (as given when compiled).
    pub policy: Arc<str>,
    /// The statement's `Sid`, if it has one.
    pub sid: Option<Arc<str>>,
    /// The statement's 0-based position in the policy.
    pub index: usize,
    /// `Allow` or `Deny`.
    pub effect: Effect,
    /// For SCPs and RCPs: the 0-based level in the chain (0 is the root).
    pub level: Option<usize>,
}

/// For an implicit deny: the kind of policy that had no applicable `Allow`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// The kind of policy.
    pub kind: PolicyType,
    /// For SCP/RCP chains: the level with no `Allow`.
    pub level: Option<usize>,
    /// For resource and trust policies: the policy's id (if there is a policy).
    pub policy: Option<Arc<str>>,
}

/// A decision and its explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// Allow, explicit deny or implicit deny.
    pub effect: Outcome,
    /// `ExplicitDeny`: every matching `Deny` statement. `Allow`: the `Allow`
    /// statements that made it (one per required policy kind or level).
    /// `ImplicitDeny`: empty.
    pub deciding: Vec<DecidingStatement>,
    /// `ImplicitDeny`: what was missing.
    pub missing: Option<Missing>,
}

impl Default for Decision {
    fn default() -> Self {
        Decision {
            effect: Outcome::ImplicitDeny,
            deciding: Vec::new(),
            missing: None,
        }
    }
}

fn record(
    out: &mut Option<&mut Vec<DecidingStatement>>,
    p: &CompiledPolicy,
    st: &CompiledStatement,
    level: Option<usize>,
) {
    if let Some(v) = out {
        v.push(DecidingStatement {
            kind: p.kind(),
            policy: p.id_arc().clone(),
            sid: st.sid.clone(),
            index: st.index,
            effect: st.effect,
            level,
        });
    }
}

/// Scan one policy: record every applicable Deny; record the first applicable
/// Allow if `want_allow`. Returns whether an Allow applied.
fn scan(
    p: &CompiledPolicy,
    req: &Request,
    out: &mut Option<&mut Vec<DecidingStatement>>,
    denied: &mut bool,
    mut want_allow: bool,
    level: Option<usize>,
) -> bool {
    let mut allowed = false;
    for st in &p.statements {
        if st.effect == Effect::Allow && !want_allow {
            continue;
        }
        if st.applies(req).is_some() {
            match st.effect {
                Effect::Deny => {
                    *denied = true;
                    record(out, p, st, level);
                }
                Effect::Allow => {
                    allowed = true;
                    want_allow = false;
                    record(out, p, st, level);
                }
            }
        }
    }
    allowed
}

fn scan_layer(
    ps: &[Arc<CompiledPolicy>],
    req: &Request,
    out: &mut Option<&mut Vec<DecidingStatement>>,
    denied: &mut bool,
    level: Option<usize>,
) -> bool {
    let mut allowed = false;
    for p in ps {
        allowed |= scan(p, req, out, denied, !allowed, level);
    }
    allowed
}

/// Scan the resource policy: record Denies; return the strongest principal match
/// of an applicable Allow (recording that statement).
fn scan_resource(
    p: &CompiledPolicy,
    req: &Request,
    has_boundary: bool,
    out: &mut Option<&mut Vec<DecidingStatement>>,
    denied: &mut bool,
) -> Option<PrincipalMatch> {
    let mut best: Option<(PrincipalMatch, &CompiledStatement)> = None;
    for st in &p.statements {
        if st.effect == Effect::Allow && best.is_some_and(|(m, _)| m == PrincipalMatch::Direct) {
            continue;
        }
        if let Some(m) = st.applies_ext(req, has_boundary) {
            match st.effect {
                Effect::Deny => {
                    *denied = true;
                    record(out, p, st, None);
                }
                Effect::Allow => {
                    if best.is_none_or(|(b, _)| m > b) {
                        best = Some((m, st));
                    }
                }
            }
        }
    }
    let (m, st) = best?;
    record(out, p, st, None);
    Some(m)
}

impl PolicySet {
    /// An empty set (nothing allows: every request is implicitly denied).
    pub fn new() -> PolicySet {
        PolicySet::default()
    }

    /// Decide `req` and explain the decision.
    pub fn evaluate(&self, req: &Request) -> Decision {
        let mut d = Decision::default();
        self.evaluate_into(req, &mut d);
        d
    }

    /// Like [`PolicySet::evaluate`], reusing `out`'s buffer: after the first call
    /// with a given `out`, this does not allocate.
    pub fn evaluate_into(&self, req: &Request, out: &mut Decision) {
        out.deciding.clear();
        let (effect, missing) = self.run(req, Some(&mut out.deciding));
        out.effect = effect;
        out.missing = missing;
    }

    /// Only the outcome: never allocates.
    pub fn decide(&self, req: &Request) -> Outcome {
        self.run(req, None).0
    }

    fn run(
        &self,
        req: &Request,
        mut out: Option<&mut Vec<DecidingStatement>>,
    ) -> (Outcome, Option<Missing>) {
        let p = req.principal();
        let mut denied = false;
        let resource_only = matches!(p.kind, PrincipalType::Service | PrincipalType::Anonymous);

        let rcp_applies = !self.rcps.is_empty()
            && !req.resource_in_management_account()
            && !p.is_service_linked_role;
        let mut rcp_missing = None;
        if rcp_applies {
            for (lvl, level) in self.rcps.iter().enumerate() {
                if !scan_layer(level, req, &mut out, &mut denied, Some(lvl))
                    && rcp_missing.is_none()
                {
                    rcp_missing = Some(lvl);
                }
            }
        }
        let scp_applies = !self.scps.is_empty()
            && !p.is_management_account
            && !p.is_service_linked_role
            && !resource_only;
        let mut scp_missing = None;
        if scp_applies {
            for (lvl, level) in self.scps.iter().enumerate() {
                if !scan_layer(level, req, &mut out, &mut denied, Some(lvl))
                    && scp_missing.is_none()
                {
                    scp_missing = Some(lvl);
                }
            }
        }
        let res_match = match &self.resource {
            Some(rp) => scan_resource(rp, req, self.boundary.is_some(), &mut out, &mut denied),
            None => None,
        };
        let id_allowed = scan_layer(&self.identity, req, &mut out, &mut denied, None);
        let boundary_ok = match &self.boundary {
            Some(b) => scan(b, req, &mut out, &mut denied, true, None),
            None => true,
        };
        let session_ok =
            self.session.is_empty() || scan_layer(&self.session, req, &mut out, &mut denied, None);

        if denied {
            if let Some(v) = out {
                v.retain(|d| d.effect == Effect::Deny);
            }
            return (Outcome::ExplicitDeny, None);
        }
        let deny =
            |out: Option<&mut Vec<DecidingStatement>>, kind, level, policy: Option<Arc<str>>| {
                if let Some(v) = out {
                    v.clear();
                }
                (
                    Outcome::ImplicitDeny,
                    Some(Missing {
                        kind,
                        level,
                        policy,
                    }),
                )
            };
        if let Some(l) = rcp_missing {
            return deny(out, PolicyType::Rcp, Some(l), None);
        }
        if let Some(l) = scp_missing {
            return deny(out, PolicyType::Scp, Some(l), None);
        }
        let res_kind = self
            .resource
            .as_ref()
            .map_or(PolicyType::Resource, |r| r.kind());
        let res_id = || self.resource.as_ref().map(|r| r.id_arc().clone());
        let is_trust = res_kind == PolicyType::Trust;
        let cross = req.is_cross_account();

        // Which kinds contributed to an Allow (to keep the explanation to them).
        let keep = |out: Option<&mut Vec<DecidingStatement>>, kinds: &[PolicyType]| {
            if let Some(v) = out {
                v.retain(|d| {
                    matches!(d.kind, PolicyType::Scp | PolicyType::Rcp) || kinds.contains(&d.kind)
                });
            }
            (Outcome::Allow, None)
        };

        if resource_only {
            return match res_match {
                Some(_) => keep(out, &[res_kind]),
                None => deny(out, res_kind, None, res_id()),
            };
        }
        if !cross && res_match == Some(PrincipalMatch::Direct) {
            return keep(out, &[res_kind]);
        }
        if (cross || is_trust) && res_match.is_none() {
            return deny(out, res_kind, None, res_id());
        }
        // The identity side.
        if p.kind == PrincipalType::Root {
            // A root session (`sts:AssumeRoot`) is scoped by its task policy, a session policy.
            if !session_ok {
                return deny(out, PolicyType::Session, None, None);
            }
            return keep(out, &[res_kind, PolicyType::Session]);
        }
        let issuer_grant = !cross && res_match == Some(PrincipalMatch::Issuer);
        if !(id_allowed || issuer_grant) {
            return deny(out, PolicyType::Identity, None, None);
        }
        if !boundary_ok {
            return deny(out, PolicyType::Boundary, None, None);
        }
        if !session_ok {
            return deny(out, PolicyType::Session, None, None);
        }
        let with_resource = cross || is_trust || issuer_grant;
        if with_resource {
            keep(
                out,
                &[
                    res_kind,
                    PolicyType::Identity,
                    PolicyType::Boundary,
                    PolicyType::Session,
                ],
            )
        } else {
            keep(
                out,
                &[
                    PolicyType::Identity,
                    PolicyType::Boundary,
                    PolicyType::Session,
                ],
            )
        }
    }
}
