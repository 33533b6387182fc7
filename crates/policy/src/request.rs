//! The request context: who asks, to do what, on which resource, with which keys.

use crate::pattern::Resolver;

/// The kind of principal making a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrincipalType {
    /// An IAM user (`arn:aws:iam::111122223333:user/alice`).
    User,
    /// An IAM role acting as itself (rare; sessions are [`PrincipalType::AssumedRole`]).
    Role,
    /// A role session (`arn:aws:sts::111122223333:assumed-role/R/session`).
    AssumedRole,
    /// The account root user (`arn:aws:iam::111122223333:root`).
    Root,
    /// A federated user session from `GetFederationToken`.
    FederatedUser,
    /// An AWS service principal (`arn` holds its name, e.g. `ec2.amazonaws.com`).
    Service,
    /// An unauthenticated caller.
    Anonymous,
}

impl PrincipalType {
    /// Parse the names used by the JSONL format (`User`, `Role`, `AssumedRole`, …).
    pub fn parse(s: &str) -> Option<PrincipalType> {
        Some(match s {
            "User" => PrincipalType::User,
            "Role" => PrincipalType::Role,
            "AssumedRole" => PrincipalType::AssumedRole,
            "Root" | "Account" => PrincipalType::Root,
            "FederatedUser" => PrincipalType::FederatedUser,
            "Service" => PrincipalType::Service,
            "Anonymous" => PrincipalType::Anonymous,
            _ => return None,
        })
    }

    /// The value of `aws:PrincipalType` for this kind.
    pub fn context_value(self) -> &'static str {
        match self {
            PrincipalType::User => "User",
            PrincipalType::Role | PrincipalType::AssumedRole => "AssumedRole",
            PrincipalType::Root => "Account",
            PrincipalType::FederatedUser => "FederatedUser",
            PrincipalType::Service => "Service",
            PrincipalType::Anonymous => "Anonymous",
        }
    }
}

/// The caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// What kind of principal this is.
    pub kind: PrincipalType,
    /// Its ARN (the session ARN for sessions; the service name for services).
    pub arn: String,
    /// The 12-digit account it belongs to (empty for services and anonymous callers).
    pub account: String,
    /// `aws:userid` (`AIDA…`, `AROA…:session`, …), when known.
    pub user_id: Option<String>,
    /// For sessions: the ARN of the role (assumed-role) or IAM user (federated user)
    /// the session was issued from. Derived from an assumed-role ARN when absent.
    pub session_issuer_arn: Option<String>,
    /// Principal tags (`aws:PrincipalTag/…`), including session tags.
    pub tags: Vec<(String, String)>,
    /// The principal belongs to the organization's management account (SCPs do not apply).
    pub is_management_account: bool,
    /// The principal is a service-linked role session (SCPs and RCPs do not apply).
    pub is_service_linked_role: bool,
}

impl Principal {
    /// A principal with no tags, no user id, not exempt from SCPs.
    pub fn new(
        kind: PrincipalType,
        arn: impl Into<String>,
        account: impl Into<String>,
    ) -> Principal {
        Principal {
            kind,
            arn: arn.into(),
            account: account.into(),
            user_id: None,
            session_issuer_arn: None,
            tags: Vec::new(),
            is_management_account: false,
            is_service_linked_role: false,
        }
    }

    /// The issuer ARN: the explicit one, or the role ARN derived from an assumed-role session ARN.
    pub fn issuer_arn(&self) -> Option<String> {
        if let Some(a) = &self.session_issuer_arn {
            return Some(a.clone());
        }
        if self.kind != PrincipalType::AssumedRole {
            return None;
        }
        // arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION
        let mut parts = self.arn.splitn(6, ':');
        let (Some("arn"), Some(partition), Some("sts"), Some(_), Some(account), Some(res)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        let role = res.strip_prefix("assumed-role/")?.rsplit_once('/')?.0;
        Some(format!("arn:{partition}:iam::{account}:role/{role}"))
    }
}

/// The order of context keys: by length, then bytewise.
fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| {
        a.bytes()
            .zip(b.bytes())
            .map(|(x, y)| x.cmp(&y))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    })
}

/// A context key's value: one string or a set of strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextValue {
    /// A single-valued key.
    Single(String),
    /// A multivalued key (`aws:TagKeys`, `aws:PrincipalOrgPaths`, …). An empty set
    /// is treated exactly like an absent key.
    Multi(Vec<String>),
}

impl ContextValue {
    fn as_slice(&self) -> &[String] {
        match self {
            ContextValue::Single(s) => std::slice::from_ref(s),
            ContextValue::Multi(v) => v,
        }
    }
}

impl From<&str> for ContextValue {
    fn from(s: &str) -> Self {
        ContextValue::Single(s.to_string())
    }
}
impl From<String> for ContextValue {
    fn from(s: String) -> Self {
        ContextValue::Single(s)
    }
}
impl From<Vec<String>> for ContextValue {
    fn from(v: Vec<String>) -> Self {
        ContextValue::Multi(v)
    }
}
impl From<Vec<&str>> for ContextValue {
    fn from(v: Vec<&str>) -> Self {
        ContextValue::Multi(v.into_iter().map(str::to_string).collect())
    }
}
impl From<bool> for ContextValue {
    fn from(b: bool) -> Self {
        ContextValue::Single(b.to_string())
    }
}

/// One authorization request: built once (this allocates), evaluated against any
/// number of policy sets without allocating.
///
/// [`Request::new`] fills the principal-derived global keys: `aws:PrincipalArn`
/// (the role ARN for role sessions), `aws:PrincipalAccount`, `aws:PrincipalType`,
/// `aws:PrincipalTag/*`, `aws:username` (IAM users), `aws:userid` (when known),
/// `aws:PrincipalIsAWSService` and `aws:PrincipalServiceName` (services). Keys set
/// with [`Request::with_context`] override them. Key names are case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    principal: Principal,
    issuer_arn: Option<String>,
    action: String,
    action_lower: String,
    resource: String,
    resource_account: Option<String>,
    resource_in_management_account: bool,
    /// Sorted by lower-cased key, shorter keys first ([`key_order`]): most probes of
    /// the binary search are decided by the length alone.
    context: Vec<(String, ContextValue)>,
}

impl Request {
    /// A request by `principal` to perform `action` (`service:Name`) on `resource`
    /// (an ARN, or `*` for actions without resources).
    pub fn new(
        principal: Principal,
        action: impl Into<String>,
        resource: impl Into<String>,
    ) -> Request {
        let action = action.into();
        let issuer_arn = principal.issuer_arn();
        let mut r = Request {
            action_lower: action.to_lowercase(),
            action,
            resource: resource.into(),
            resource_account: None,
            resource_in_management_account: false,
            context: Vec::new(),
            issuer_arn,
            principal,
        };
        r.derive_principal_keys();
        r
    }

    fn derive_principal_keys(&mut self) {
        let p = &self.principal;
        let mut keys: Vec<(String, ContextValue)> = Vec::new();
        let principal_arn = match p.kind {
            PrincipalType::AssumedRole => self.issuer_arn.clone().unwrap_or_else(|| p.arn.clone()),
            _ => p.arn.clone(),
        };
        if !matches!(p.kind, PrincipalType::Anonymous | PrincipalType::Service) {
            keys.push(("aws:principalarn".into(), principal_arn.into()));
            keys.push(("aws:principalaccount".into(), p.account.clone().into()));
        }
        keys.push(("aws:principaltype".into(), p.kind.context_value().into()));
        let is_service = p.kind == PrincipalType::Service;
        keys.push(("aws:principalisawsservice".into(), is_service.into()));
        if is_service {
            keys.push(("aws:principalservicename".into(), p.arn.clone().into()));
        }
        if p.kind == PrincipalType::User {
            if let Some(name) = p.arn.rsplit('/').next() {
                keys.push(("aws:username".into(), name.into()));
            }
        }
        let user_id = match (&p.user_id, p.kind) {
            (Some(id), _) => Some(id.clone()),
            (None, PrincipalType::Root) => Some(p.account.clone()),
            (None, PrincipalType::Anonymous) => Some("anonymous".to_string()),
            _ => None,
        };
        if let Some(id) = user_id {
            keys.push(("aws:userid".into(), id.into()));
        }
        for (k, v) in &p.tags {
            keys.push((
                format!("aws:principaltag/{}", k.to_lowercase()),
                v.clone().into(),
            ));
        }
        for (k, v) in keys {
            self.set(k, v);
        }
    }

    fn set(&mut self, key_lower: String, value: ContextValue) {
        match self
            .context
            .binary_search_by(|(k, _)| key_order(k, &key_lower))
        {
            Ok(i) => {
                if let Some(slot) = self.context.get_mut(i) {
                    slot.1 = value;
                }
            }
            Err(i) => self.context.insert(i, (key_lower, value)),
        }
    }

    /// Set the account that owns the resource (also sets `aws:ResourceAccount`).
    /// Without it the resource is taken to be in the principal's account.
    pub fn with_resource_account(mut self, account: impl Into<String>) -> Request {
        let a = account.into();
        self.set("aws:resourceaccount".into(), a.clone().into());
        self.resource_account = Some(a);
        self
    }

    /// Mark the resource as owned by the organization's management account (RCPs do not apply).
    pub fn with_resource_in_management_account(mut self, yes: bool) -> Request {
        self.resource_in_management_account = yes;
        self
    }

    /// Set a context key (case-insensitive name), replacing any previous value.
    pub fn with_context(mut self, key: &str, value: impl Into<ContextValue>) -> Request {
        self.set(key.to_lowercase(), value.into());
        self
    }

    /// The principal.
    pub fn principal(&self) -> &Principal {
        &self.principal
    }
    /// The session issuer (role or user ARN) for sessions.
    pub fn issuer_arn(&self) -> Option<&str> {
        self.issuer_arn.as_deref()
    }
    /// The action as given.
    pub fn action(&self) -> &str {
        &self.action
    }
    /// The action lower-cased (what action patterns are matched against).
    pub fn action_lower(&self) -> &str {
        &self.action_lower
    }
    /// The resource ARN.
    pub fn resource(&self) -> &str {
        &self.resource
    }
    /// The account owning the resource (the principal's when not set).
    pub fn resource_account(&self) -> &str {
        self.resource_account
            .as_deref()
            .unwrap_or(&self.principal.account)
    }
    /// Is the resource in the management account?
    pub fn resource_in_management_account(&self) -> bool {
        self.resource_in_management_account
    }
    /// Is this a cross-account request (principal and resource in different accounts)?
    pub fn is_cross_account(&self) -> bool {
        self.resource_account() != self.principal.account
    }

    /// The values of a context key (by lower-cased name); `None` when absent or an empty set.
    pub fn values(&self, key_lower: &str) -> Option<&[String]> {
        let i = self
            .context
            .binary_search_by(|(k, _)| key_order(k, key_lower))
            .ok()?;
        let v = self.context.get(i)?.1.as_slice();
        if v.is_empty() {
            None
        } else {
            Some(v)
        }
    }

    /// All context keys (lower-cased) and values.
    pub fn context(&self) -> &[(String, ContextValue)] {
        &self.context
    }
}

impl Resolver for Request {
    fn var(&self, key_lower: &str) -> Option<&str> {
        let i = self
            .context
            .binary_search_by(|(k, _)| key_order(k, key_lower))
            .ok()?;
        match &self.context.get(i)?.1 {
            ContextValue::Single(s) => Some(s),
            ContextValue::Multi(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_keys() {
        let mut p = Principal::new(
            PrincipalType::AssumedRole,
            "arn:aws:sts::111122223333:assumed-role/Dev/s1",
            "111122223333",
        );
        p.tags.push(("Team".into(), "red".into()));
        let r = Request::new(p, "S3:GetObject", "arn:aws:s3:::b/k")
            .with_resource_account("444455556666")
            .with_context("aws:TagKeys", vec!["a", "b"]);
        assert_eq!(r.issuer_arn(), Some("arn:aws:iam::111122223333:role/Dev"));
        assert_eq!(
            r.var("aws:principalarn"),
            Some("arn:aws:iam::111122223333:role/Dev")
        );
        assert_eq!(r.var("aws:principaltag/team"), Some("red"));
        assert_eq!(r.var("aws:principaltype"), Some("AssumedRole"));
        assert_eq!(r.var("aws:tagkeys"), None);
        assert_eq!(r.values("aws:tagkeys").map(<[String]>::len), Some(2));
        assert_eq!(r.action_lower(), "s3:getobject");
        assert!(r.is_cross_account());
    }
}
