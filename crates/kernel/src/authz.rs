//! Authorization of every signed call: the policy engine decides over the caller's identity policies,
//! permissions boundary, session policies and the service control policies of the caller's account,
//! the way AWS does, before the operation runs (inside the same transaction, so the decision and the
//! operation see one state).
//!
//! What is evaluated per call:
//! - **principal**: the caller (root, IAM user, role session, federated user) with its tags and
//!   session context;
//! - **action**: the generated operation -> IAM action table (`Operation::iam_action`);
//! - **resource**: the ARN the operation acts on, as the service's family derives it
//!   ([`crate::ServiceFamily::resource_arn`]), `*` otherwise, with the tags its owning family knows;
//! - **policies**: identity (a user's own and its groups', or a role's), boundary, session policies,
//!   and the SCP chain root -> OUs -> account when the account is a member of an organization with
//!   SCPs enabled (the management account is exempt, as in AWS);
//! - **context**: the global condition keys (`aws:RequestedRegion`, `aws:SourceIp`,
//!   `aws:CurrentTime`, `aws:EpochTime`, `aws:SecureTransport`, `aws:PrincipalOrgID`,
//!   `aws:PrincipalOrgPaths`, `aws:MultiFactorAuth*`, `aws:SourceIdentity`, principal keys).
//!
//! Compiled policies are cached by (id, content), so a changed policy is recompiled on the very next
//! request and an unchanged one never twice.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, LazyLock, Mutex};

use localorg_model::{ApiError, Service};
use localorg_policy::{CompiledPolicy, PolicySet, PolicyType, Principal, PrincipalType, Request};
use localorg_store::ReadTx;

use crate::context::{Caller, PrincipalKind};
use crate::directory::PrincipalRef;
pub use crate::organization::Placement;
use crate::tx::Ctx;

/// Operations AWS answers whatever the policies say ("no permissions are required").
const NEVER_DENIED: [&str; 2] = ["sts:GetCallerIdentity", "sts:GetSessionToken"];

/// Operations that authorize themselves with the complete policy set, because the decision needs
/// the resource side too: `AssumeRole*` evaluates the caller's policies (this module's
/// [`caller_policies`]) together with the role's trust policy.
const SELF_AUTHORIZED: [&str; 3] = [
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
];

/// Authorizes the call; an `AccessDenied` error (in the service's protocol vocabulary) when the
/// policies do not allow it.
pub fn authorize(
    ctx: &Ctx<'_>,
    service: Service,
    operation: &str,
    input: &serde_json::Value,
) -> Result<(), ApiError> {
    if matches!(ctx.caller.kind, PrincipalKind::Anonymous) {
        return Ok(());
    }
    let Some(action) = iam_action(service, operation) else {
        return Ok(());
    };
    if NEVER_DENIED.contains(&action) || SELF_AUTHORIZED.contains(&action) {
        return Ok(());
    }
    let tx = ctx.tx.read();
    // The caller's place in its organization is read once and serves the resource ARN, the
    // `aws:PrincipalOrg*` keys and the SCP chain.
    let placement = placement(ctx, tx, &ctx.caller.account_id)?;
    let placement = placement.as_ref();
    let resource = match ctx.registry.family(service) {
        Some(family) => family.resource_arn(ctx, tx, placement, service, operation, input)?,
        None => "*".to_owned(),
    };
    let request = request_for(ctx, tx, placement, action, &resource)?;
    let mut request = with_request_keys(request, input);
    let tags = match ctx.registry.family_of_arn(&resource) {
        Some(family) => family.resource_tags(tx, &resource)?,
        None => Vec::new(),
    };
    for (key, value) in tags {
        request = request
            .with_context(&format!("aws:ResourceTag/{key}"), value.clone())
            .with_context(&format!("iam:ResourceTag/{key}"), value);
    }
    let policies = policies_for(ctx, tx, placement)?;
    let decision = policies.evaluate(&request);
    if decision.effect == localorg_policy::Outcome::Allow {
        return Ok(());
    }
    let code = match localorg_wire::protocol_of(service) {
        localorg_wire::Protocol::AwsQuery => "AccessDenied",
        _ => "AccessDeniedException",
    };
    Err(ApiError::new(code, 403, decision.message(&request)))
}

/// The IAM action of an operation (`None` for operations outside IAM authorization: the access
/// portal and OIDC, which use bearer tokens).
pub fn iam_action(service: Service, operation: &str) -> Option<&'static str> {
    use localorg_model::generated as api;
    macro_rules! action {
        ($module:ident) => {
            api::$module::Operation::from_name(operation).and_then(|op| op.iam_action())
        };
    }
    match service {
        Service::Organizations => action!(organizations),
        Service::Iam => action!(iam),
        Service::Sts => action!(sts),
        Service::SsoAdmin => action!(sso_admin),
        Service::IdentityStore => action!(identitystore),
        Service::SsoPortal => action!(sso),
        Service::SsoOidc => action!(sso_oidc),
        Service::Account => action!(account),
        Service::Budgets => action!(budgets),
        Service::CostExplorer => action!(ce),
        Service::CloudTrail => action!(cloudtrail),
    }
}

/// The engine's view of the caller.
pub fn principal_of(
    caller: &Caller,
    tags: Vec<(String, String)>,
    is_management_account: bool,
) -> Principal {
    let kind = match &caller.kind {
        PrincipalKind::Root => PrincipalType::Root,
        PrincipalKind::User { .. } => PrincipalType::User,
        PrincipalKind::AssumedRole { .. } => PrincipalType::AssumedRole,
        PrincipalKind::FederatedUser { .. } => PrincipalType::FederatedUser,
        PrincipalKind::Anonymous => PrincipalType::Anonymous,
    };
    let mut principal = Principal::new(kind, caller.arn.clone(), caller.account_id.clone());
    principal.user_id = Some(caller.user_id.clone());
    principal.is_management_account = is_management_account;
    if let PrincipalKind::AssumedRole {
        role_name,
        role_path,
        ..
    } = &caller.kind
    {
        principal.session_issuer_arn = Some(format!(
            "arn:aws:iam::{}:role{role_path}{role_name}",
            caller.account_id
        ));
    }
    principal.tags = tags;
    principal
}

/// The placement of `account_id` in its organization; `None` outside any organization.
pub fn placement(
    ctx: &Ctx<'_>,
    tx: &dyn ReadTx,
    account_id: &str,
) -> Result<Option<Placement>, ApiError> {
    ctx.organizations().placement(tx, account_id)
}

/// A request for `action` on `resource` by the caller, with the global condition keys filled in.
pub fn base_request(
    ctx: &Ctx<'_>,
    tx: &dyn ReadTx,
    action: &str,
    resource: &str,
) -> Result<Request, ApiError> {
    let placement = placement(ctx, tx, &ctx.caller.account_id)?;
    request_for(ctx, tx, placement.as_ref(), action, resource)
}

/// [`base_request`] for a caller whose placement is already known.
pub fn request_for(
    ctx: &Ctx<'_>,
    tx: &dyn ReadTx,
    placement: Option<&Placement>,
    action: &str,
    resource: &str,
) -> Result<Request, ApiError> {
    let caller = ctx.caller;
    let is_management = placement.is_some_and(|p| p.is_management(&caller.account_id));
    let now = ctx.now;
    let mut request = Request::new(
        principal_of(caller, principal_tags(ctx, tx)?, is_management),
        action,
        resource,
    )
    .with_context("aws:RequestedRegion", ctx.region)
    .with_context("aws:SourceIp", ctx.source_ip)
    .with_context(
        "aws:CurrentTime",
        now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
    )
    .with_context("aws:EpochTime", now.as_second().to_string())
    // localorg listens on plain HTTP; `--secure-transport` pretends otherwise.
    .with_context("aws:SecureTransport", ctx.settings.secure_transport)
    .with_context("aws:ViaAWSService", false);
    if let Some(placement) = placement {
        request = request
            .with_context("aws:PrincipalOrgID", placement.org.id.clone())
            .with_context("aws:PrincipalOrgPaths", vec![placement.org_path()]);
    }
    if let Some(session) = &caller.session {
        request = request.with_context("aws:TokenIssueTime", iso(session.issued_ms));
        if let Some(mfa_ms) = session.mfa_authenticated_ms {
            let age = (now.as_millisecond() - mfa_ms).max(0) / 1000;
            request = request
                .with_context("aws:MultiFactorAuthPresent", true)
                .with_context("aws:MultiFactorAuthAge", age.to_string());
        } else {
            request = request.with_context("aws:MultiFactorAuthPresent", false);
        }
        if let Some(source) = &session.source_identity {
            request = request.with_context("aws:SourceIdentity", source.clone());
        }
    }
    Ok(request)
}

/// Every policy that bounds what the caller may do: identity (a user's own and its groups', or a
/// role's), permissions boundary, session policies, SCP chain.
pub fn caller_policies(ctx: &Ctx<'_>, tx: &dyn ReadTx) -> Result<PolicySet, ApiError> {
    let placement = placement(ctx, tx, &ctx.caller.account_id)?;
    policies_for(ctx, tx, placement.as_ref())
}

/// [`caller_policies`] for a caller whose placement is already known.
pub fn policies_for(
    ctx: &Ctx<'_>,
    tx: &dyn ReadTx,
    placement: Option<&Placement>,
) -> Result<PolicySet, ApiError> {
    let caller = ctx.caller;
    let account = caller.account_id.as_str();
    let mut set = PolicySet::new();
    let directory = ctx.directory();
    if let Some(principal) = identity_of(caller) {
        for (id, document) in directory.identity_policies(tx, account, principal)? {
            set.identity
                .push(compiled(&id, &document, PolicyType::Identity)?);
        }
        if let Some(arn) = directory.permissions_boundary(tx, account, principal)? {
            if let Some(document) = directory.managed_policy_document(tx, account, &arn)? {
                set.boundary = Some(compiled(&arn, &document, PolicyType::Boundary)?);
            }
        }
    }
    if let Some(session) = &caller.session {
        for (i, document) in session.policies.iter().enumerate() {
            set.session.push(compiled(
                &format!("session-policy-{i}"),
                document,
                PolicyType::Session,
            )?);
        }
        for arn in &session.policy_arns {
            if let Some(document) = directory.managed_policy_document(tx, account, arn)? {
                set.session
                    .push(compiled(arn, &document, PolicyType::Session)?);
            }
        }
    }
    set.scps = organization_chain(
        ctx,
        tx,
        account,
        placement,
        "SERVICE_CONTROL_POLICY",
        PolicyType::Scp,
    )?;
    Ok(set)
}

/// The IAM identity whose policies the caller acts with: the user (a federated user's issuing
/// user), or the role of a role session; none for root and anonymous callers.
fn identity_of(caller: &Caller) -> Option<PrincipalRef<'_>> {
    match &caller.kind {
        PrincipalKind::User { name }
        | PrincipalKind::FederatedUser {
            issuer_user: name, ..
        } => Some(PrincipalRef::User(name)),
        PrincipalKind::AssumedRole { role_name, .. } => Some(PrincipalRef::Role(role_name)),
        PrincipalKind::Root | PrincipalKind::Anonymous => None,
    }
}

/// The caller's principal tags: the IAM user's or role's tags, overridden by session tags.
fn principal_tags(ctx: &Ctx<'_>, tx: &dyn ReadTx) -> Result<Vec<(String, String)>, ApiError> {
    let caller = ctx.caller;
    let mut tags = match &caller.kind {
        PrincipalKind::User { name } => {
            ctx.directory()
                .principal_tags(tx, &caller.account_id, PrincipalRef::User(name))?
        }
        PrincipalKind::AssumedRole { role_name, .. } => {
            ctx.directory()
                .principal_tags(tx, &caller.account_id, PrincipalRef::Role(role_name))?
        }
        _ => Vec::new(),
    };
    if let Some(session) = &caller.session {
        for (key, value) in &session.tags {
            tags.retain(|(k, _)| !k.eq_ignore_ascii_case(key));
            tags.push((key.clone(), value.clone()));
        }
    }
    Ok(tags)
}

/// The SCP levels that apply to principals of `account_id`: root, each OU down to the account, the
/// account itself. Empty when the account is in no organization, SCPs are not enabled, or the
/// account is the management account (SCPs never apply to it).
pub fn scp_chain(
    ctx: &Ctx<'_>,
    tx: &dyn ReadTx,
    account_id: &str,
) -> Result<Vec<Vec<Arc<CompiledPolicy>>>, ApiError> {
    let placement = placement(ctx, tx, account_id)?;
    organization_chain(
        ctx,
        tx,
        account_id,
        placement.as_ref(),
        "SERVICE_CONTROL_POLICY",
        PolicyType::Scp,
    )
}

/// The RCP levels that apply to resources of `account_id` (for the services RCPs cover; of
/// localorg's, STS: a role's trust decision). Empty in the same cases as [`scp_chain`].
pub fn rcp_chain(
    ctx: &Ctx<'_>,
    tx: &dyn ReadTx,
    account_id: &str,
) -> Result<Vec<Vec<Arc<CompiledPolicy>>>, ApiError> {
    let placement = placement(ctx, tx, account_id)?;
    rcp_chain_for(ctx, tx, account_id, placement.as_ref())
}

/// [`rcp_chain`] for an account whose placement is already known.
pub fn rcp_chain_for(
    ctx: &Ctx<'_>,
    tx: &dyn ReadTx,
    account_id: &str,
    placement: Option<&Placement>,
) -> Result<Vec<Vec<Arc<CompiledPolicy>>>, ApiError> {
    organization_chain(
        ctx,
        tx,
        account_id,
        placement,
        "RESOURCE_CONTROL_POLICY",
        PolicyType::Rcp,
    )
}

/// One organization policy chain (root, OUs, account) of `policy_type` for a member account.
fn organization_chain(
    ctx: &Ctx<'_>,
    tx: &dyn ReadTx,
    account_id: &str,
    placement: Option<&Placement>,
    policy_type: &str,
    kind: PolicyType,
) -> Result<Vec<Vec<Arc<CompiledPolicy>>>, ApiError> {
    let Some(Placement { org, path }) = placement else {
        return Ok(Vec::new());
    };
    if org.management_account_id == account_id || !org.policy_type_enabled(policy_type) {
        return Ok(Vec::new());
    }
    path.iter()
        .map(String::as_str)
        .chain(std::iter::once(account_id))
        .map(|target| {
            ctx.organizations()
                .attached_policies(tx, &org.id, target, policy_type)?
                .iter()
                .map(|(id, content)| compiled(id, content, kind))
                .collect()
        })
        .collect()
}

/// Compiled policies by (id, hash of kind and content).
type PolicyCache = HashMap<(String, u64), Arc<CompiledPolicy>>;

/// A compiled policy from the cache, compiling it on first sight of this (id, content). For
/// stored documents only: what a caller hands in is validated where it is accepted.
pub fn compiled(
    id: &str,
    document: &str,
    kind: PolicyType,
) -> Result<Arc<CompiledPolicy>, ApiError> {
    static CACHE: LazyLock<Mutex<PolicyCache>> = LazyLock::new(|| Mutex::new(HashMap::new()));
    /// Beyond this many entries the cache starts over (policies that changed leave stale entries).
    const MAX_ENTRIES: usize = 20_000;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    document.hash(&mut hasher);
    kind.as_str().hash(&mut hasher);
    let key = (id.to_owned(), hasher.finish());
    let mut cache = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(hit) = cache.get(&key) {
        return Ok(hit.clone());
    }
    // Stored policies were validated when they were stored (AWS managed ones are AWS's own, and
    // may exceed the size quota customer policies have): parse, do not validate again.
    let parsed = localorg_policy::PolicyDocument::parse(document).map_err(|e| {
        ApiError::internal(format!(
            "stored policy {id} does not parse: {}",
            e.aws_message
        ))
    })?;
    let policy = CompiledPolicy::from_document(parsed, id, kind);
    if cache.len() >= MAX_ENTRIES {
        cache.clear();
    }
    let policy = Arc::new(policy);
    cache.insert(key, policy.clone());
    Ok(policy)
}

/// Adds the request-derived condition keys: `aws:RequestTag/*` and `aws:TagKeys` from a `Tags`
/// input, and the service keys localorg knows from the input (`iam:PolicyARN`,
/// `iam:PermissionsBoundary`, `organizations:PolicyType`, `organizations:ServicePrincipal`).
fn with_request_keys(mut request: Request, input: &serde_json::Value) -> Request {
    let field = |name: &str| input.get(name).and_then(serde_json::Value::as_str);
    if let Some(tags) = input.get("Tags").and_then(serde_json::Value::as_array) {
        let mut keys = Vec::new();
        for tag in tags {
            let (Some(key), value) = (
                tag.get("Key").and_then(serde_json::Value::as_str),
                tag.get("Value")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or(""),
            ) else {
                continue;
            };
            request = request.with_context(&format!("aws:RequestTag/{key}"), value);
            keys.push(key.to_owned());
        }
        request = request.with_context("aws:TagKeys", keys);
    }
    if let Some(keys) = input.get("TagKeys").and_then(serde_json::Value::as_array) {
        let keys: Vec<String> = keys
            .iter()
            .filter_map(|k| k.as_str().map(str::to_owned))
            .collect();
        request = request.with_context("aws:TagKeys", keys);
    }
    for (member, key) in [
        ("PolicyArn", "iam:PolicyARN"),
        ("PermissionsBoundary", "iam:PermissionsBoundary"),
        ("PolicyType", "organizations:PolicyType"),
        ("Type", "organizations:PolicyType"),
        ("ServicePrincipal", "organizations:ServicePrincipal"),
    ] {
        if let Some(value) = field(member) {
            request = request.with_context(key, value);
        }
    }
    request
}

/// ISO 8601 of ms since the epoch.
fn iso(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}
