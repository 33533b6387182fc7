//! AWS's access-denied messages, extended with the deciding policy and statement.

use crate::compile::PolicyType;
use crate::eval::{DecidingStatement, Decision, Outcome};
use crate::request::{PrincipalType, Request};
use std::fmt::Write as _;

fn statement_ref(d: &DecidingStatement) -> String {
    let mut s = String::new();
    if let Some(l) = d.level {
        let _ = write!(s, "level {l}, ");
    }
    match &d.sid {
        Some(sid) if !sid.is_empty() => {
            let _ = write!(s, "statement \"{sid}\" (index {})", d.index);
        }
        _ => {
            let _ = write!(s, "statement index {}", d.index);
        }
    }
    s
}

impl Decision {
    /// The message AWS would return, extended with the deciding policy's id and statement.
    ///
    /// * explicit deny: `User: ARN is not authorized to perform: ACTION on resource:
    ///   RES with an explicit deny in a service control policy: p-123 (statement "DenyAll" (index 0))`
    /// * implicit deny: `User: ARN is not authorized to perform: ACTION on resource:
    ///   RES because no identity-based policy allows the ACTION action`; SCP/RCP
    ///   denials name the level of the chain with no `Allow`; a role trust policy that
    ///   does not allow yields AWS's bare AssumeRole message plus the policy id.
    /// * allow: `User: ARN is authorized to perform: ACTION on resource: RES (allowed by …)`.
    pub fn message(&self, req: &Request) -> String {
        let p = req.principal();
        let who = match p.kind {
            PrincipalType::Anonymous => "anonymous".to_string(),
            _ => p.arn.clone(),
        };
        let head = format!(
            "User: {who} is {{}}authorized to perform: {} on resource: {}",
            req.action(),
            req.resource()
        );
        match self.effect {
            Outcome::Allow => {
                let mut m = head.replace("{}", "");
                let parts: Vec<String> = self
                    .deciding
                    .iter()
                    .map(|d| format!("{} {} {}", d.kind.no_phrase(), d.policy, statement_ref(d)))
                    .collect();
                if !parts.is_empty() {
                    let _ = write!(m, " (allowed by {})", parts.join("; "));
                }
                m
            }
            Outcome::ExplicitDeny => {
                let mut m = head.replace("{}", "not ");
                match self.deciding.first() {
                    Some(d) => {
                        let _ = write!(
                            m,
                            " with an explicit deny in {}: {} ({})",
                            d.kind.phrase(),
                            d.policy,
                            statement_ref(d)
                        );
                    }
                    None => m.push_str(" with an explicit deny"),
                }
                m
            }
            Outcome::ImplicitDeny => {
                let mut m = head.replace("{}", "not ");
                match &self.missing {
                    Some(miss) if miss.kind == PolicyType::Trust => {
                        if let Some(id) = &miss.policy {
                            let _ = write!(m, " (no statement in the role trust policy {id} allows this principal)");
                        }
                    }
                    Some(miss) => {
                        let _ = write!(
                            m,
                            " because no {} allows the {} action",
                            miss.kind.no_phrase(),
                            req.action()
                        );
                        match (miss.level, &miss.policy) {
                            (Some(l), _) => {
                                let _ = write!(
                                    m,
                                    " (no {} at level {l} of the chain allows it)",
                                    miss.kind.no_phrase()
                                );
                            }
                            (None, Some(id)) => {
                                let _ = write!(m, " ({id} does not allow this principal)");
                            }
                            _ => {}
                        }
                    }
                    None => {
                        let _ = write!(
                            m,
                            " because no identity-based policy allows the {} action",
                            req.action()
                        );
                    }
                }
                m
            }
        }
    }
}
