//! IAM: managed policies (customer managed with versions, and the AWS managed catalogue), their
//! attachments to users, groups and roles, and inline policies.
//!
//! Storage (tables in `core.rs`): customer managed policies in [`POLICIES`] (key: account,
//! lower(name) — policy names are unique per account whatever the path); attachments in
//! [`ATTACHED`] (account, kind, lower(entity), policy ARN) → policy name and the reverse
//! [`ATTACHED_TO`] (account, policy ARN, kind, lower(entity)) → entity name; inline policies in
//! [`INLINE_POLICIES`] (account, kind, lower(entity), policy name) → document.
//!
//! Documents are kept as given (JSON text) and returned URL-encoded, as IAM does.

use std::collections::{HashMap, HashSet};

use localorg_model::generated::iam::{
    errors, AttachGroupPolicyRequest, AttachRolePolicyRequest, AttachUserPolicyRequest,
    AttachedPolicy, CreatePolicyRequest, CreatePolicyResponse, CreatePolicyVersionRequest,
    CreatePolicyVersionResponse, DeleteGroupPolicyRequest, DeletePolicyRequest,
    DeletePolicyVersionRequest, DeleteRolePolicyRequest, DeleteUserPolicyRequest,
    DetachGroupPolicyRequest, DetachRolePolicyRequest, DetachUserPolicyRequest, EntityType,
    GetGroupPolicyRequest, GetGroupPolicyResponse, GetPolicyRequest, GetPolicyResponse,
    GetPolicyVersionRequest, GetPolicyVersionResponse, GetRolePolicyRequest, GetRolePolicyResponse,
    GetUserPolicyRequest, GetUserPolicyResponse, ListAttachedGroupPoliciesRequest,
    ListAttachedGroupPoliciesResponse, ListAttachedRolePoliciesRequest,
    ListAttachedRolePoliciesResponse, ListAttachedUserPoliciesRequest,
    ListAttachedUserPoliciesResponse, ListEntitiesForPolicyRequest, ListEntitiesForPolicyResponse,
    ListGroupPoliciesRequest, ListGroupPoliciesResponse, ListPoliciesRequest, ListPoliciesResponse,
    ListPolicyTagsRequest, ListPolicyTagsResponse, ListPolicyVersionsRequest,
    ListPolicyVersionsResponse, ListRolePoliciesRequest, ListRolePoliciesResponse,
    ListUserPoliciesRequest, ListUserPoliciesResponse, Policy, PolicyGroup, PolicyRole,
    PolicyScopeType, PolicyUsageType, PolicyUser, PolicyVersion, PutGroupPolicyRequest,
    PutRolePolicyRequest, PutUserPolicyRequest, SetDefaultPolicyVersionRequest, Tag,
    TagPolicyRequest, UntagPolicyRequest,
};
use localorg_model::ApiError;
use localorg_policy::{validate_document, PolicyType, Severity};
use localorg_store::{Key, KeyPart, ReadTx, StoreError, WriteTx};

use super::aws_managed::{aws_managed_policy, AwsManagedPolicy, AWS_MANAGED_POLICIES};
use super::core::page_of;
use super::core::{
    decode_marker, group, iam_arn, max_items, name_key, new_unique_id, page_marker, path_matches,
    path_or_root, role, tags_shape, ts, url_encode, user, ATTACHED, ATTACHED_TO, INLINE_POLICIES,
    POLICIES, ROLES, USERS, USER_GROUPS,
};
use super::records::{ManagedPolicyRecord, PolicyVersionRecord};
use super::users::merge_tags;
use localorg_kernel::Ctx;

// ---------------------------------------------------------------------------------------------
// Quotas (IAM's defaults)
// ---------------------------------------------------------------------------------------------

/// Managed policies attached to one user, group or role.
const MAX_ATTACHED: u64 = 10;
/// Versions of one customer managed policy.
const MAX_VERSIONS: usize = 5;

// ---------------------------------------------------------------------------------------------
// Entities (users, groups, roles)
// ---------------------------------------------------------------------------------------------

/// The kind of identity a policy is attached to or embedded in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    User,
    Group,
    Role,
}

impl Kind {
    /// The `kind` part of attachment and inline keys.
    fn as_str(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::Group => "group",
            Kind::Role => "role",
        }
    }

    fn from_str(kind: &str) -> Option<Kind> {
        match kind {
            "user" => Some(Kind::User),
            "group" => Some(Kind::Group),
            "role" => Some(Kind::Role),
            _ => None,
        }
    }

    /// The quota name in `LimitExceeded` messages.
    fn quota(self) -> &'static str {
        match self {
            Kind::User => "PoliciesPerUser",
            Kind::Group => "PoliciesPerGroup",
            Kind::Role => "PoliciesPerRole",
        }
    }

    /// The aggregate size of an identity's inline policies (IAM counts without whitespace).
    fn inline_limit(self) -> usize {
        match self {
            Kind::User => 2048,
            Kind::Group => 5120,
            Kind::Role => 10240,
        }
    }
}

/// An existing user, group or role: (name as stored, id, path).
struct Entity {
    name: String,
    id: String,
    path: String,
}

fn entity(tx: &dyn ReadTx, account_id: &str, kind: Kind, name: &str) -> Result<Entity, ApiError> {
    Ok(match kind {
        Kind::User => {
            let u = user(tx, account_id, name)?;
            Entity {
                name: u.name,
                id: u.id,
                path: u.path,
            }
        }
        Kind::Group => {
            let g = group(tx, account_id, name)?;
            Entity {
                name: g.name,
                id: g.id,
                path: g.path,
            }
        }
        Kind::Role => {
            let r = role(tx, account_id, name)?;
            Entity {
                name: r.name,
                id: r.id,
                path: r.path,
            }
        }
    })
}

fn entity_prefix(account_id: &str, kind: Kind, name: &str) -> Key {
    Key::new()
        .str(account_id)
        .str(kind.as_str())
        .str(&name.to_lowercase())
}

fn attached_key(account_id: &str, kind: Kind, entity: &str, arn: &str) -> Key {
    entity_prefix(account_id, kind, entity).str(arn)
}

fn attached_to_key(account_id: &str, arn: &str, kind: Kind, entity: &str) -> Key {
    Key::new()
        .str(account_id)
        .str(arn)
        .str(kind.as_str())
        .str(&entity.to_lowercase())
}

fn key_parts(key: &Key) -> Result<Vec<KeyPart>, ApiError> {
    Ok(key.parts().map_err(StoreError::from)?)
}

fn str_part(parts: &[KeyPart], i: usize) -> Result<String, ApiError> {
    match parts.get(i) {
        Some(KeyPart::Str(s)) => Ok(s.clone()),
        _ => Err(ApiError::internal("malformed IAM policy key")),
    }
}

// ---------------------------------------------------------------------------------------------
// Policy ARNs and lookups
// ---------------------------------------------------------------------------------------------

/// `(account, path, name)` of `arn:aws:iam::ACCOUNT:policy{path}NAME`.
fn parse_policy_arn(arn: &str) -> Option<(&str, &str, &str)> {
    let rest = arn.strip_prefix("arn:aws:iam::")?;
    let (account, resource) = rest.split_once(':')?;
    let path_and_name = resource.strip_prefix("policy")?;
    if !path_and_name.starts_with('/') {
        return None;
    }
    let cut = path_and_name.rfind('/')? + 1;
    let (path, name) = path_and_name.split_at(cut);
    (!name.is_empty() && !account.is_empty()).then_some((account, path, name))
}

/// `InvalidInput` for something that is not a policy ARN, as IAM words it.
fn invalid_arn(arn: &str) -> ApiError {
    errors::INVALID_INPUT_EXCEPTION.error(format!("ARN {arn} is not valid."))
}

/// `NoSuchEntity` for an unknown policy (`GetPolicy` and most policy operations).
fn policy_not_found(arn: &str) -> ApiError {
    errors::NO_SUCH_ENTITY_EXCEPTION.error(format!("Policy {arn} was not found."))
}

/// `NoSuchEntity` for attaching an unknown policy.
fn not_attachable(arn: &str) -> ApiError {
    errors::NO_SUCH_ENTITY_EXCEPTION
        .error(format!("Policy {arn} does not exist or is not attachable."))
}

/// A managed policy an ARN names.
enum Managed {
    Aws(&'static AwsManagedPolicy),
    Customer(Box<ManagedPolicyRecord>),
}

impl Managed {
    fn arn(&self) -> String {
        match self {
            Managed::Aws(p) => p.arn.to_owned(),
            Managed::Customer(p) => customer_arn(p),
        }
    }

    fn name(&self) -> &str {
        match self {
            Managed::Aws(p) => p.name,
            Managed::Customer(p) => &p.name,
        }
    }
}

fn customer_arn(p: &ManagedPolicyRecord) -> String {
    iam_arn(&p.account_id, "policy", &p.path, &p.name)
}

/// The managed policy `arn` names, as seen from `account_id` (AWS managed policies exist in every
/// account; another account's customer managed policies are not visible). `InvalidInput` when
/// `arn` is not a policy ARN.
fn find_policy(tx: &dyn ReadTx, account_id: &str, arn: &str) -> Result<Option<Managed>, ApiError> {
    let (account, path, name) = parse_policy_arn(arn).ok_or_else(|| invalid_arn(arn))?;
    if account == "aws" {
        return Ok(aws_managed_policy(arn).map(Managed::Aws));
    }
    if account != account_id {
        return Ok(None);
    }
    Ok(POLICIES
        .get(tx, &name_key(account_id, name))?
        .filter(|p| p.path == path)
        .map(|p| Managed::Customer(Box::new(p))))
}

/// The caller's customer managed policy `arn`, for operations that change it. AWS managed
/// policies cannot be changed by anyone: IAM denies the call on the policy resource, which is
/// owned by AWS (localorg's choice of wording follows IAM's AccessDenied message).
fn customer_policy(
    ctx: &Ctx<'_>,
    arn: &str,
    action: &str,
) -> Result<ManagedPolicyRecord, ApiError> {
    match find_policy(ctx.tx.read(), &ctx.caller.account_id, arn)? {
        Some(Managed::Customer(p)) => Ok(*p),
        Some(Managed::Aws(p)) => Err(ApiError::new(
            "AccessDenied",
            403,
            format!(
                "User: {} is not authorized to perform: iam:{action} on resource: policy {}",
                ctx.caller.arn, p.arn
            ),
        )),
        None => Err(policy_not_found(arn)),
    }
}

fn save_policy(ctx: &mut Ctx<'_>, p: &ManagedPolicyRecord) -> Result<(), ApiError> {
    let key = name_key(&p.account_id, &p.name);
    POLICIES.put(ctx.tx.write()?, &key, p)?;
    Ok(())
}

/// How many identities of `account_id` have `arn` attached.
fn attachment_count(tx: &dyn ReadTx, account_id: &str, arn: &str) -> Result<i32, ApiError> {
    let n = ATTACHED_TO.count(tx, &Key::new().str(account_id).str(arn))?;
    Ok(i32::try_from(n).unwrap_or(i32::MAX))
}

/// Permissions boundary ARN → how many users and roles of `account_id` use it.
fn boundary_counts(tx: &dyn ReadTx, account_id: &str) -> Result<HashMap<String, i32>, ApiError> {
    let prefix = Key::new().str(account_id);
    let mut counts = HashMap::new();
    for (_, u) in USERS.scan_all(tx, &prefix)? {
        if let Some(b) = u.permissions_boundary {
            *counts.entry(b).or_insert(0) += 1;
        }
    }
    for (_, r) in ROLES.scan_all(tx, &prefix)? {
        if let Some(b) = r.permissions_boundary {
            *counts.entry(b).or_insert(0) += 1;
        }
    }
    Ok(counts)
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

/// The `Policy` view of a customer managed policy. `Description` and `Tags` only where IAM returns
/// them (`GetPolicy`; `CreatePolicy` returns the tags), not in listings.
fn customer_shape(
    p: &ManagedPolicyRecord,
    attachments: i32,
    boundaries: i32,
    full: bool,
) -> Policy {
    Policy {
        arn: Some(customer_arn(p)),
        attachment_count: Some(attachments),
        create_date: Some(ts(p.created_ms)),
        default_version_id: Some(p.default_version_id.clone()),
        description: if full { p.description.clone() } else { None },
        is_attachable: Some(true),
        path: Some(p.path.clone()),
        permissions_boundary_usage_count: Some(boundaries),
        policy_id: Some(p.id.clone()),
        policy_name: Some(p.name.clone()),
        tags: if full { tags_shape(&p.tags) } else { None },
        update_date: Some(ts(p.updated_ms)),
    }
}

fn aws_shape(p: &AwsManagedPolicy, attachments: i32, boundaries: i32, full: bool) -> Policy {
    Policy {
        arn: Some(p.arn.to_owned()),
        attachment_count: Some(attachments),
        create_date: Some(ts(p.created_ms)),
        default_version_id: Some(p.default_version_id.to_owned()),
        description: full.then(|| p.description.to_owned()),
        is_attachable: Some(true),
        path: Some(p.path.to_owned()),
        permissions_boundary_usage_count: Some(boundaries),
        policy_id: Some(p.id.to_owned()),
        policy_name: Some(p.name.to_owned()),
        tags: None,
        update_date: Some(ts(p.updated_ms)),
    }
}

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

/// Validates an identity policy document: `MalformedPolicyDocument` with the engine's AWS wording;
/// a managed policy over its size quota is `LimitExceeded` ("Cannot exceed quota for PolicySize:
/// 6144"), as in IAM. Inline policies (`inline: true`) have their own aggregate quota, checked by
/// the caller, so the managed-policy size finding is skipped for them.
fn validate_identity(text: &str, inline: bool) -> Result<(), ApiError> {
    let v = validate_document(text, PolicyType::Identity);
    let first = v
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .find(|f| !(inline && f.code == "POLICY_SIZE_EXCEEDED"));
    match first {
        None => Ok(()),
        Some(f) => {
            let message = f
                .aws_message
                .clone()
                .unwrap_or_else(|| "Syntax errors in policy.".to_owned());
            if f.code == "POLICY_SIZE_EXCEEDED" {
                Err(errors::LIMIT_EXCEEDED_EXCEPTION.error(message))
            } else {
                Err(errors::MALFORMED_POLICY_DOCUMENT_EXCEPTION.error(message))
            }
        }
    }
}

/// The size IAM counts for policy quotas: characters other than whitespace.
fn policy_size(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// The default version's document (raw JSON text) of the customer managed or AWS managed policy
/// `arn`, as seen from `account_id`; `None` when there is no such policy.
pub(crate) fn policy_document(
    tx: &dyn ReadTx,
    account_id: &str,
    arn: &str,
) -> Result<Option<String>, ApiError> {
    if parse_policy_arn(arn).is_none() {
        return Ok(None);
    }
    Ok(match find_policy(tx, account_id, arn)? {
        Some(Managed::Aws(p)) => Some(p.document.to_owned()),
        Some(Managed::Customer(p)) => p
            .versions
            .iter()
            .find(|v| v.version_id == p.default_version_id)
            .map(|v| v.document.clone()),
        None => None,
    })
}

/// The identity-based policies that apply to a user (`kind` `"user"`: its attached and inline
/// policies and those of all its groups) or a role (`"role"`: its attached and inline policies),
/// as `(id, document)`: the policy ARN for managed policies, `inline:NAME` for inline ones. A
/// managed policy attached more than once (to the user and one of its groups) is listed once.
pub(crate) fn identity_policy_documents(
    tx: &dyn ReadTx,
    account_id: &str,
    kind: &str,
    name: &str,
) -> Result<Vec<(String, String)>, ApiError> {
    let mut out = Vec::new();
    let Some(k) = Kind::from_str(kind) else {
        return Ok(out);
    };
    let mut seen = HashSet::new();
    collect_policies(tx, account_id, k, name, &mut seen, &mut out)?;
    if k == Kind::User {
        let memberships = Key::new().str(account_id).str(&name.to_lowercase());
        for (_, group_name) in USER_GROUPS.scan_all(tx, &memberships)? {
            collect_policies(
                tx,
                account_id,
                Kind::Group,
                &group_name,
                &mut seen,
                &mut out,
            )?;
        }
    }
    Ok(out)
}

fn collect_policies(
    tx: &dyn ReadTx,
    account_id: &str,
    kind: Kind,
    name: &str,
    seen: &mut HashSet<String>,
    out: &mut Vec<(String, String)>,
) -> Result<(), ApiError> {
    let prefix = entity_prefix(account_id, kind, name);
    for (key, _) in ATTACHED.scan_all(tx, &prefix)? {
        let arn = str_part(&key_parts(&key)?, 3)?;
        if seen.insert(arn.clone()) {
            if let Some(doc) = policy_document(tx, account_id, &arn)? {
                out.push((arn, doc));
            }
        }
    }
    for (key, doc) in INLINE_POLICIES.scan_all(tx, &prefix)? {
        let policy_name = str_part(&key_parts(&key)?, 3)?;
        out.push((format!("inline:{policy_name}"), doc));
    }
    Ok(())
}

/// Attaches the managed policy `arn` (named `policy_name`) to an identity: writes both attachment
/// rows. No checks: for code that sets up identities itself (service-linked roles, the
/// `OrganizationAccountAccessRole` of new accounts).
pub(crate) fn attach_rows(
    tx: &mut dyn WriteTx,
    account_id: &str,
    kind: &str,
    entity_name: &str,
    arn: &str,
    policy_name: &str,
) -> Result<(), ApiError> {
    let k = Kind::from_str(kind)
        .ok_or_else(|| ApiError::internal(format!("unknown IAM identity kind {kind}")))?;
    ATTACHED.put(
        tx,
        &attached_key(account_id, k, entity_name, arn),
        &policy_name.to_owned(),
    )?;
    ATTACHED_TO.put(
        tx,
        &attached_to_key(account_id, arn, k, entity_name),
        &entity_name.to_owned(),
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// In-memory pagination (listings merged from several sources, or from inside a record)
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Tags
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Managed policies
// ---------------------------------------------------------------------------------------------

/// `CreatePolicy`.
pub(super) fn create_policy(
    ctx: &mut Ctx<'_>,
    input: CreatePolicyRequest,
) -> Result<CreatePolicyResponse, ApiError> {
    let account_id = ctx.caller.account_id.clone();
    validate_identity(&input.policy_document, false)?;
    let key = name_key(&account_id, &input.policy_name);
    if POLICIES.contains(ctx.tx.read(), &key)? {
        return Err(errors::ENTITY_ALREADY_EXISTS_EXCEPTION.error(format!(
            "A policy called {} already exists. Duplicate names are not allowed.",
            input.policy_name
        )));
    }
    let mut tags = Vec::new();
    merge_tags(&mut tags, input.tags.as_deref().unwrap_or_default())?;
    let now = ctx.now_ms();
    let record = ManagedPolicyRecord {
        account_id,
        name: input.policy_name,
        id: new_unique_id(ctx, "ANPA"),
        path: path_or_root(input.path.as_deref()),
        description: input.description,
        versions: vec![PolicyVersionRecord {
            version_id: "v1".to_owned(),
            document: input.policy_document,
            created_ms: now,
        }],
        default_version_id: "v1".to_owned(),
        next_version: 2,
        tags,
        created_ms: now,
        updated_ms: now,
    };
    save_policy(ctx, &record)?;
    let mut shape = customer_shape(&record, 0, 0, false);
    shape.tags = tags_shape(&record.tags);
    Ok(CreatePolicyResponse {
        policy: Some(shape),
    })
}

/// `GetPolicy`.
pub(super) fn get_policy(
    ctx: &mut Ctx<'_>,
    input: GetPolicyRequest,
) -> Result<GetPolicyResponse, ApiError> {
    let tx = ctx.tx.read();
    let account_id = &ctx.caller.account_id;
    let found = find_policy(tx, account_id, &input.policy_arn)?
        .ok_or_else(|| policy_not_found(&input.policy_arn))?;
    let arn = found.arn();
    let attachments = attachment_count(tx, account_id, &arn)?;
    let boundaries = boundary_counts(tx, account_id)?
        .get(&arn)
        .copied()
        .unwrap_or(0);
    let policy = match &found {
        Managed::Aws(p) => aws_shape(p, attachments, boundaries, true),
        Managed::Customer(p) => customer_shape(p, attachments, boundaries, true),
    };
    Ok(GetPolicyResponse {
        policy: Some(policy),
    })
}

/// `DeletePolicy`.
pub(super) fn delete_policy(ctx: &mut Ctx<'_>, input: DeletePolicyRequest) -> Result<(), ApiError> {
    let p = customer_policy(ctx, &input.policy_arn, "DeletePolicy")?;
    let arn = customer_arn(&p);
    if attachment_count(ctx.tx.read(), &p.account_id, &arn)? > 0 {
        return Err(
            errors::DELETE_CONFLICT_EXCEPTION.error("Cannot delete a policy attached to entities.")
        );
    }
    if p.versions.len() > 1 {
        return Err(errors::DELETE_CONFLICT_EXCEPTION.error(
            "This policy has more than one version. Before you delete a policy, you must delete \
             the policy's versions. The default version is deleted with the policy.",
        ));
    }
    POLICIES.delete(ctx.tx.write()?, &name_key(&p.account_id, &p.name))?;
    Ok(())
}

/// `ListPolicies`.
///
/// `OnlyAttached` keeps policies in use: attached as permissions policies, or used as a
/// permissions boundary; `PolicyUsageFilter` narrows the use to one of the two (without
/// `OnlyAttached`, `PermissionsBoundary` keeps the policies some user or role uses as its
/// boundary, and `PermissionsPolicy` keeps every policy). AWS managed policies come first, by
/// name, then the account's own, by name.
pub(super) fn list_policies(
    ctx: &mut Ctx<'_>,
    input: ListPoliciesRequest,
) -> Result<ListPoliciesResponse, ApiError> {
    let tx = ctx.tx.read();
    let account_id = &ctx.caller.account_id;
    let scope = input.scope.unwrap_or(PolicyScopeType::All);
    let only_attached = input.only_attached.unwrap_or(false);
    let usage = input.policy_usage_filter;
    let boundaries = boundary_counts(tx, account_id)?;
    let keep = |attachments: i32, bounds: i32| -> bool {
        match (only_attached, usage) {
            (false, None | Some(PolicyUsageType::PermissionsPolicy)) => true,
            (_, Some(PolicyUsageType::PermissionsBoundary)) => bounds > 0,
            (true, None) => attachments > 0 || bounds > 0,
            (true, Some(PolicyUsageType::PermissionsPolicy)) => attachments > 0,
        }
    };
    let prefix = input.path_prefix.as_deref();
    let mut items = Vec::new();
    if scope != PolicyScopeType::Local {
        for p in AWS_MANAGED_POLICIES {
            if !path_matches(p.path, prefix) {
                continue;
            }
            let attachments = attachment_count(tx, account_id, p.arn)?;
            let bounds = boundaries.get(p.arn).copied().unwrap_or(0);
            if keep(attachments, bounds) {
                items.push((
                    format!("0{}", p.name.to_lowercase()),
                    aws_shape(p, attachments, bounds, false),
                ));
            }
        }
    }
    if scope != PolicyScopeType::Aws {
        for (_, p) in POLICIES.scan_all(tx, &Key::new().str(account_id))? {
            if !path_matches(&p.path, prefix) {
                continue;
            }
            let arn = customer_arn(&p);
            let attachments = attachment_count(tx, account_id, &arn)?;
            let bounds = boundaries.get(&arn).copied().unwrap_or(0);
            if keep(attachments, bounds) {
                items.push((
                    format!("1{}", p.name.to_lowercase()),
                    customer_shape(&p, attachments, bounds, false),
                ));
            }
        }
    }
    let (policies, truncated, marker) = page_of(items, input.marker.as_deref(), input.max_items)?;
    Ok(ListPoliciesResponse {
        is_truncated: Some(truncated),
        marker,
        policies: Some(policies),
    })
}

// ---------------------------------------------------------------------------------------------
// Versions
// ---------------------------------------------------------------------------------------------

fn version_not_found(arn: &str, version_id: &str) -> ApiError {
    errors::NO_SUCH_ENTITY_EXCEPTION.error(format!(
        "Policy {arn} version {version_id} does not exist or is not attachable."
    ))
}

/// `CreatePolicyVersion`.
pub(super) fn create_policy_version(
    ctx: &mut Ctx<'_>,
    input: CreatePolicyVersionRequest,
) -> Result<CreatePolicyVersionResponse, ApiError> {
    let mut p = customer_policy(ctx, &input.policy_arn, "CreatePolicyVersion")?;
    validate_identity(&input.policy_document, false)?;
    if p.versions.len() >= MAX_VERSIONS {
        return Err(errors::LIMIT_EXCEEDED_EXCEPTION.error(
            "A managed policy can have up to 5 versions. Before you create a new version, you \
             must delete an existing version.",
        ));
    }
    let now = ctx.now_ms();
    let version_id = format!("v{}", p.next_version);
    p.next_version = p.next_version.saturating_add(1);
    p.versions.push(PolicyVersionRecord {
        version_id: version_id.clone(),
        document: input.policy_document,
        created_ms: now,
    });
    let default = input.set_as_default.unwrap_or(false);
    if default {
        p.default_version_id = version_id.clone();
    }
    // IAM's UpdateDate: when the most recent version was created.
    p.updated_ms = now;
    save_policy(ctx, &p)?;
    Ok(CreatePolicyVersionResponse {
        policy_version: Some(PolicyVersion {
            create_date: Some(ts(now)),
            document: None,
            is_default_version: Some(default),
            version_id: Some(version_id),
        }),
    })
}

/// `GetPolicyVersion`.
pub(super) fn get_policy_version(
    ctx: &mut Ctx<'_>,
    input: GetPolicyVersionRequest,
) -> Result<GetPolicyVersionResponse, ApiError> {
    let found = find_policy(ctx.tx.read(), &ctx.caller.account_id, &input.policy_arn)?
        .ok_or_else(|| policy_not_found(&input.policy_arn))?;
    let version = match &found {
        // localorg keeps only the default version of AWS managed policies.
        Managed::Aws(p) if p.default_version_id == input.version_id => PolicyVersion {
            create_date: Some(ts(p.updated_ms)),
            document: Some(url_encode(p.document)),
            is_default_version: Some(true),
            version_id: Some(p.default_version_id.to_owned()),
        },
        Managed::Aws(_) => return Err(version_not_found(&found.arn(), &input.version_id)),
        Managed::Customer(p) => {
            let v = p
                .versions
                .iter()
                .find(|v| v.version_id == input.version_id)
                .ok_or_else(|| version_not_found(&found.arn(), &input.version_id))?;
            PolicyVersion {
                create_date: Some(ts(v.created_ms)),
                document: Some(url_encode(&v.document)),
                is_default_version: Some(v.version_id == p.default_version_id),
                version_id: Some(v.version_id.clone()),
            }
        }
    };
    Ok(GetPolicyVersionResponse {
        policy_version: Some(version),
    })
}

/// `DeletePolicyVersion`.
pub(super) fn delete_policy_version(
    ctx: &mut Ctx<'_>,
    input: DeletePolicyVersionRequest,
) -> Result<(), ApiError> {
    let mut p = customer_policy(ctx, &input.policy_arn, "DeletePolicyVersion")?;
    let Some(i) = p
        .versions
        .iter()
        .position(|v| v.version_id == input.version_id)
    else {
        return Err(version_not_found(&customer_arn(&p), &input.version_id));
    };
    if p.default_version_id == input.version_id {
        return Err(errors::DELETE_CONFLICT_EXCEPTION
            .error("Cannot delete the default version of a policy."));
    }
    p.versions.remove(i);
    save_policy(ctx, &p)
}

/// `ListPolicyVersions` (newest first, as IAM lists them).
pub(super) fn list_policy_versions(
    ctx: &mut Ctx<'_>,
    input: ListPolicyVersionsRequest,
) -> Result<ListPolicyVersionsResponse, ApiError> {
    let found = find_policy(ctx.tx.read(), &ctx.caller.account_id, &input.policy_arn)?
        .ok_or_else(|| policy_not_found(&input.policy_arn))?;
    // Sort key: the version number, descending.
    let order = |version_id: &str| -> String {
        let n: u64 = version_id
            .trim_start_matches('v')
            .parse()
            .unwrap_or_default();
        format!("{:020}", u64::MAX - n)
    };
    let items = match &found {
        Managed::Aws(p) => vec![(
            order(p.default_version_id),
            PolicyVersion {
                create_date: Some(ts(p.updated_ms)),
                document: None,
                is_default_version: Some(true),
                version_id: Some(p.default_version_id.to_owned()),
            },
        )],
        Managed::Customer(p) => p
            .versions
            .iter()
            .map(|v| {
                (
                    order(&v.version_id),
                    PolicyVersion {
                        create_date: Some(ts(v.created_ms)),
                        document: None,
                        is_default_version: Some(v.version_id == p.default_version_id),
                        version_id: Some(v.version_id.clone()),
                    },
                )
            })
            .collect(),
    };
    let (versions, truncated, marker) = page_of(items, input.marker.as_deref(), input.max_items)?;
    Ok(ListPolicyVersionsResponse {
        is_truncated: Some(truncated),
        marker,
        versions: Some(versions),
    })
}

/// `SetDefaultPolicyVersion`.
pub(super) fn set_default_policy_version(
    ctx: &mut Ctx<'_>,
    input: SetDefaultPolicyVersionRequest,
) -> Result<(), ApiError> {
    let mut p = customer_policy(ctx, &input.policy_arn, "SetDefaultPolicyVersion")?;
    if !p.versions.iter().any(|v| v.version_id == input.version_id) {
        return Err(version_not_found(&customer_arn(&p), &input.version_id));
    }
    if p.default_version_id != input.version_id {
        p.default_version_id = input.version_id;
        p.updated_ms = ctx.now_ms();
        save_policy(ctx, &p)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Policy tags
// ---------------------------------------------------------------------------------------------

/// `TagPolicy`.
pub(super) fn tag_policy(ctx: &mut Ctx<'_>, input: TagPolicyRequest) -> Result<(), ApiError> {
    let mut p = customer_policy(ctx, &input.policy_arn, "TagPolicy")?;
    merge_tags(&mut p.tags, &input.tags)?;
    save_policy(ctx, &p)
}

/// `UntagPolicy` (keys match without regard to case; unknown keys are ignored, as in IAM).
pub(super) fn untag_policy(ctx: &mut Ctx<'_>, input: UntagPolicyRequest) -> Result<(), ApiError> {
    let mut p = customer_policy(ctx, &input.policy_arn, "UntagPolicy")?;
    let remove: HashSet<String> = input.tag_keys.iter().map(|k| k.to_lowercase()).collect();
    p.tags.retain(|(k, _)| !remove.contains(&k.to_lowercase()));
    save_policy(ctx, &p)
}

/// `ListPolicyTags` (AWS managed policies have none).
pub(super) fn list_policy_tags(
    ctx: &mut Ctx<'_>,
    input: ListPolicyTagsRequest,
) -> Result<ListPolicyTagsResponse, ApiError> {
    let found = find_policy(ctx.tx.read(), &ctx.caller.account_id, &input.policy_arn)?
        .ok_or_else(|| policy_not_found(&input.policy_arn))?;
    let items = match found {
        Managed::Aws(_) => Vec::new(),
        Managed::Customer(p) => p
            .tags
            .into_iter()
            .enumerate()
            .map(|(i, (key, value))| (format!("{i:04}"), Tag { key, value }))
            .collect(),
    };
    let (tags, truncated, marker) = page_of(items, input.marker.as_deref(), input.max_items)?;
    Ok(ListPolicyTagsResponse {
        is_truncated: Some(truncated),
        marker,
        tags,
    })
}

// ---------------------------------------------------------------------------------------------
// Attachments
// ---------------------------------------------------------------------------------------------

fn attach(ctx: &mut Ctx<'_>, kind: Kind, entity_name: &str, arn: &str) -> Result<(), ApiError> {
    let account_id = ctx.caller.account_id.clone();
    let tx = ctx.tx.read();
    let e = entity(tx, &account_id, kind, entity_name)?;
    let policy = find_policy(tx, &account_id, arn)?.ok_or_else(|| not_attachable(arn))?;
    if let Managed::Aws(p) = &policy {
        if p.is_service_role_policy() {
            return Err(errors::POLICY_NOT_ATTACHABLE_EXCEPTION
                .error("Cannot attach a Service Role Policy to a Customer Role."));
        }
    }
    let arn = policy.arn();
    if ATTACHED.contains(tx, &attached_key(&account_id, kind, &e.name, &arn))? {
        return Ok(()); // attaching again is a no-op in IAM
    }
    if ATTACHED.count(tx, &entity_prefix(&account_id, kind, &e.name))? >= MAX_ATTACHED {
        return Err(errors::LIMIT_EXCEEDED_EXCEPTION.error(format!(
            "Cannot exceed quota for {}: {MAX_ATTACHED}",
            kind.quota()
        )));
    }
    let name = policy.name().to_owned();
    attach_rows(
        ctx.tx.write()?,
        &account_id,
        kind.as_str(),
        &e.name,
        &arn,
        &name,
    )
}

fn detach(ctx: &mut Ctx<'_>, kind: Kind, entity_name: &str, arn: &str) -> Result<(), ApiError> {
    let account_id = ctx.caller.account_id.clone();
    let tx = ctx.tx.read();
    let e = entity(tx, &account_id, kind, entity_name)?;
    let canonical = match find_policy(tx, &account_id, arn)? {
        Some(p) => p.arn(),
        None => arn.to_owned(),
    };
    let key = attached_key(&account_id, kind, &e.name, &canonical);
    if !ATTACHED.contains(tx, &key)? {
        return Err(policy_not_found(arn));
    }
    let tx = ctx.tx.write()?;
    ATTACHED.delete(tx, &key)?;
    ATTACHED_TO.delete(tx, &attached_to_key(&account_id, &canonical, kind, &e.name))?;
    Ok(())
}

/// `AttachUserPolicy`.
pub(super) fn attach_user_policy(
    ctx: &mut Ctx<'_>,
    input: AttachUserPolicyRequest,
) -> Result<(), ApiError> {
    attach(ctx, Kind::User, &input.user_name, &input.policy_arn)
}

/// `DetachUserPolicy`.
pub(super) fn detach_user_policy(
    ctx: &mut Ctx<'_>,
    input: DetachUserPolicyRequest,
) -> Result<(), ApiError> {
    detach(ctx, Kind::User, &input.user_name, &input.policy_arn)
}

/// `AttachGroupPolicy`.
pub(super) fn attach_group_policy(
    ctx: &mut Ctx<'_>,
    input: AttachGroupPolicyRequest,
) -> Result<(), ApiError> {
    attach(ctx, Kind::Group, &input.group_name, &input.policy_arn)
}

/// `DetachGroupPolicy`.
pub(super) fn detach_group_policy(
    ctx: &mut Ctx<'_>,
    input: DetachGroupPolicyRequest,
) -> Result<(), ApiError> {
    detach(ctx, Kind::Group, &input.group_name, &input.policy_arn)
}

/// `AttachRolePolicy`.
pub(super) fn attach_role_policy(
    ctx: &mut Ctx<'_>,
    input: AttachRolePolicyRequest,
) -> Result<(), ApiError> {
    attach(ctx, Kind::Role, &input.role_name, &input.policy_arn)
}

/// `DetachRolePolicy`.
pub(super) fn detach_role_policy(
    ctx: &mut Ctx<'_>,
    input: DetachRolePolicyRequest,
) -> Result<(), ApiError> {
    detach(ctx, Kind::Role, &input.role_name, &input.policy_arn)
}

/// The managed policies attached to an identity, one page, filtered by the policies' path.
fn list_attached(
    ctx: &Ctx<'_>,
    kind: Kind,
    entity_name: &str,
    path_prefix: Option<&str>,
    marker: Option<&str>,
    max: Option<i32>,
) -> Result<(Vec<AttachedPolicy>, bool, Option<String>), ApiError> {
    let tx = ctx.tx.read();
    let account_id = &ctx.caller.account_id;
    let e = entity(tx, account_id, kind, entity_name)?;
    let mut items = Vec::new();
    for (key, name) in ATTACHED.scan_all(tx, &entity_prefix(account_id, kind, &e.name))? {
        let arn = str_part(&key_parts(&key)?, 3)?;
        let path = parse_policy_arn(&arn).map(|(_, p, _)| p).unwrap_or("/");
        if path_matches(path, path_prefix) {
            items.push((
                format!("{}\u{1}{arn}", name.to_lowercase()),
                AttachedPolicy {
                    policy_arn: Some(arn.clone()),
                    policy_name: Some(name),
                },
            ));
        }
    }
    page_of(items, marker, max)
}

/// `ListAttachedUserPolicies`.
pub(super) fn list_attached_user_policies(
    ctx: &mut Ctx<'_>,
    input: ListAttachedUserPoliciesRequest,
) -> Result<ListAttachedUserPoliciesResponse, ApiError> {
    let (attached, truncated, marker) = list_attached(
        ctx,
        Kind::User,
        &input.user_name,
        input.path_prefix.as_deref(),
        input.marker.as_deref(),
        input.max_items,
    )?;
    Ok(ListAttachedUserPoliciesResponse {
        attached_policies: Some(attached),
        is_truncated: Some(truncated),
        marker,
    })
}

/// `ListAttachedGroupPolicies`.
pub(super) fn list_attached_group_policies(
    ctx: &mut Ctx<'_>,
    input: ListAttachedGroupPoliciesRequest,
) -> Result<ListAttachedGroupPoliciesResponse, ApiError> {
    let (attached, truncated, marker) = list_attached(
        ctx,
        Kind::Group,
        &input.group_name,
        input.path_prefix.as_deref(),
        input.marker.as_deref(),
        input.max_items,
    )?;
    Ok(ListAttachedGroupPoliciesResponse {
        attached_policies: Some(attached),
        is_truncated: Some(truncated),
        marker,
    })
}

/// `ListAttachedRolePolicies`.
pub(super) fn list_attached_role_policies(
    ctx: &mut Ctx<'_>,
    input: ListAttachedRolePoliciesRequest,
) -> Result<ListAttachedRolePoliciesResponse, ApiError> {
    let (attached, truncated, marker) = list_attached(
        ctx,
        Kind::Role,
        &input.role_name,
        input.path_prefix.as_deref(),
        input.marker.as_deref(),
        input.max_items,
    )?;
    Ok(ListAttachedRolePoliciesResponse {
        attached_policies: Some(attached),
        is_truncated: Some(truncated),
        marker,
    })
}

/// One entity in a `ListEntitiesForPolicy` listing.
enum Listed {
    Group(PolicyGroup),
    User(PolicyUser),
    Role(PolicyRole),
}

/// `ListEntitiesForPolicy`: identities with the policy attached (`PermissionsPolicy`) and users
/// and roles using it as their permissions boundary (`PermissionsBoundary`); both without a
/// `PolicyUsageFilter`. `EntityFilter` `LocalManagedPolicy` / `AWSManagedPolicy` match no entity.
pub(super) fn list_entities_for_policy(
    ctx: &mut Ctx<'_>,
    input: ListEntitiesForPolicyRequest,
) -> Result<ListEntitiesForPolicyResponse, ApiError> {
    let tx = ctx.tx.read();
    let account_id = &ctx.caller.account_id;
    let found = find_policy(tx, account_id, &input.policy_arn)?
        .ok_or_else(|| policy_not_found(&input.policy_arn))?;
    let arn = found.arn();
    let wanted = |kind: Kind| -> bool {
        match input.entity_filter {
            None => true,
            Some(EntityType::User) => kind == Kind::User,
            Some(EntityType::Group) => kind == Kind::Group,
            Some(EntityType::Role) => kind == Kind::Role,
            Some(EntityType::LocalManagedPolicy | EntityType::AwsManagedPolicy) => false,
        }
    };
    let prefix = input.path_prefix.as_deref();
    // (kind, lower(name)) → entity, so an identity listed for both uses appears once.
    let mut entities: HashMap<(&'static str, String), Entity> = HashMap::new();
    let attachments = !matches!(
        input.policy_usage_filter,
        Some(PolicyUsageType::PermissionsBoundary)
    );
    let boundaries = !matches!(
        input.policy_usage_filter,
        Some(PolicyUsageType::PermissionsPolicy)
    );
    if attachments {
        for (key, name) in ATTACHED_TO.scan_all(tx, &Key::new().str(account_id).str(&arn))? {
            let parts = key_parts(&key)?;
            let Some(kind) = Kind::from_str(&str_part(&parts, 2)?) else {
                continue;
            };
            if wanted(kind) {
                let e = entity(tx, account_id, kind, &name)?;
                entities.insert((kind.as_str(), name.to_lowercase()), e);
            }
        }
    }
    if boundaries {
        let all = Key::new().str(account_id);
        if wanted(Kind::User) {
            for (_, u) in USERS.scan_all(tx, &all)? {
                if u.permissions_boundary.as_deref() == Some(arn.as_str()) {
                    entities.insert(
                        ("user", u.name.to_lowercase()),
                        Entity {
                            name: u.name,
                            id: u.id,
                            path: u.path,
                        },
                    );
                }
            }
        }
        if wanted(Kind::Role) {
            for (_, r) in ROLES.scan_all(tx, &all)? {
                if r.permissions_boundary.as_deref() == Some(arn.as_str()) {
                    entities.insert(
                        ("role", r.name.to_lowercase()),
                        Entity {
                            name: r.name,
                            id: r.id,
                            path: r.path,
                        },
                    );
                }
            }
        }
    }
    let items = entities
        .into_iter()
        .filter(|(_, e)| path_matches(&e.path, prefix))
        .map(|((kind, lower), e)| {
            let listed = match kind {
                "group" => Listed::Group(PolicyGroup {
                    group_id: Some(e.id),
                    group_name: Some(e.name),
                }),
                "user" => Listed::User(PolicyUser {
                    user_id: Some(e.id),
                    user_name: Some(e.name),
                }),
                _ => Listed::Role(PolicyRole {
                    role_id: Some(e.id),
                    role_name: Some(e.name),
                }),
            };
            (format!("{kind}\u{1}{lower}"), listed)
        })
        .collect();
    let (page, truncated, marker) = page_of(items, input.marker.as_deref(), input.max_items)?;
    let (mut groups, mut users, mut roles) = (Vec::new(), Vec::new(), Vec::new());
    for listed in page {
        match listed {
            Listed::Group(g) => groups.push(g),
            Listed::User(u) => users.push(u),
            Listed::Role(r) => roles.push(r),
        }
    }
    Ok(ListEntitiesForPolicyResponse {
        is_truncated: Some(truncated),
        marker,
        policy_groups: Some(groups),
        policy_roles: Some(roles),
        policy_users: Some(users),
    })
}

// ---------------------------------------------------------------------------------------------
// Inline policies
// ---------------------------------------------------------------------------------------------

fn inline_not_found(kind: Kind, policy_name: &str) -> ApiError {
    errors::NO_SUCH_ENTITY_EXCEPTION.error(format!(
        "The {} policy with name {policy_name} cannot be found.",
        kind.as_str()
    ))
}

fn put_inline(
    ctx: &mut Ctx<'_>,
    kind: Kind,
    entity_name: &str,
    policy_name: &str,
    document: String,
) -> Result<(), ApiError> {
    let account_id = ctx.caller.account_id.clone();
    let tx = ctx.tx.read();
    let e = entity(tx, &account_id, kind, entity_name)?;
    validate_identity(&document, true)?;
    // The quota is on the aggregate size of the identity's inline policies.
    let prefix = entity_prefix(&account_id, kind, &e.name);
    let mut total = policy_size(&document);
    for (key, doc) in INLINE_POLICIES.scan_all(tx, &prefix)? {
        if str_part(&key_parts(&key)?, 3)? != policy_name {
            total += policy_size(&doc);
        }
    }
    let limit = kind.inline_limit();
    if total > limit {
        return Err(errors::LIMIT_EXCEEDED_EXCEPTION.error(format!(
            "Maximum policy size of {limit} bytes exceeded for {} {}",
            kind.as_str(),
            e.name
        )));
    }
    INLINE_POLICIES.put(ctx.tx.write()?, &prefix.str(policy_name), &document)?;
    Ok(())
}

/// (entity name as stored, URL-encoded document).
fn get_inline(
    ctx: &Ctx<'_>,
    kind: Kind,
    entity_name: &str,
    policy_name: &str,
) -> Result<(String, String), ApiError> {
    let tx = ctx.tx.read();
    let account_id = &ctx.caller.account_id;
    let e = entity(tx, account_id, kind, entity_name)?;
    let doc = INLINE_POLICIES
        .get(
            tx,
            &entity_prefix(account_id, kind, &e.name).str(policy_name),
        )?
        .ok_or_else(|| inline_not_found(kind, policy_name))?;
    Ok((e.name, url_encode(&doc)))
}

fn delete_inline(
    ctx: &mut Ctx<'_>,
    kind: Kind,
    entity_name: &str,
    policy_name: &str,
) -> Result<(), ApiError> {
    let account_id = ctx.caller.account_id.clone();
    let e = entity(ctx.tx.read(), &account_id, kind, entity_name)?;
    let key = entity_prefix(&account_id, kind, &e.name).str(policy_name);
    INLINE_POLICIES
        .delete(ctx.tx.write()?, &key)?
        .ok_or_else(|| inline_not_found(kind, policy_name))?;
    Ok(())
}

/// One page of an identity's inline policy names (in name order).
fn list_inline(
    ctx: &Ctx<'_>,
    kind: Kind,
    entity_name: &str,
    marker: Option<&str>,
    max: Option<i32>,
) -> Result<(Vec<String>, bool, Option<String>), ApiError> {
    let tx = ctx.tx.read();
    let account_id = &ctx.caller.account_id;
    let e = entity(tx, account_id, kind, entity_name)?;
    let after = decode_marker(marker)?;
    let page = INLINE_POLICIES.scan(
        tx,
        &entity_prefix(account_id, kind, &e.name),
        after.as_deref(),
        max_items(max),
    )?;
    let (truncated, next) = page_marker(&page);
    let names = page
        .items
        .iter()
        .map(|(key, _)| str_part(&key_parts(key)?, 3))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((names, truncated, next))
}

/// `PutUserPolicy`.
pub(super) fn put_user_policy(
    ctx: &mut Ctx<'_>,
    input: PutUserPolicyRequest,
) -> Result<(), ApiError> {
    put_inline(
        ctx,
        Kind::User,
        &input.user_name,
        &input.policy_name,
        input.policy_document,
    )
}

/// `GetUserPolicy`.
pub(super) fn get_user_policy(
    ctx: &mut Ctx<'_>,
    input: GetUserPolicyRequest,
) -> Result<GetUserPolicyResponse, ApiError> {
    let (user_name, policy_document) =
        get_inline(ctx, Kind::User, &input.user_name, &input.policy_name)?;
    Ok(GetUserPolicyResponse {
        policy_document,
        policy_name: input.policy_name,
        user_name,
    })
}

/// `DeleteUserPolicy`.
pub(super) fn delete_user_policy(
    ctx: &mut Ctx<'_>,
    input: DeleteUserPolicyRequest,
) -> Result<(), ApiError> {
    delete_inline(ctx, Kind::User, &input.user_name, &input.policy_name)
}

/// `ListUserPolicies`.
pub(super) fn list_user_policies(
    ctx: &mut Ctx<'_>,
    input: ListUserPoliciesRequest,
) -> Result<ListUserPoliciesResponse, ApiError> {
    let (policy_names, truncated, marker) = list_inline(
        ctx,
        Kind::User,
        &input.user_name,
        input.marker.as_deref(),
        input.max_items,
    )?;
    Ok(ListUserPoliciesResponse {
        is_truncated: Some(truncated),
        marker,
        policy_names,
    })
}

/// `PutGroupPolicy`.
pub(super) fn put_group_policy(
    ctx: &mut Ctx<'_>,
    input: PutGroupPolicyRequest,
) -> Result<(), ApiError> {
    put_inline(
        ctx,
        Kind::Group,
        &input.group_name,
        &input.policy_name,
        input.policy_document,
    )
}

/// `GetGroupPolicy`.
pub(super) fn get_group_policy(
    ctx: &mut Ctx<'_>,
    input: GetGroupPolicyRequest,
) -> Result<GetGroupPolicyResponse, ApiError> {
    let (group_name, policy_document) =
        get_inline(ctx, Kind::Group, &input.group_name, &input.policy_name)?;
    Ok(GetGroupPolicyResponse {
        group_name,
        policy_document,
        policy_name: input.policy_name,
    })
}

/// `DeleteGroupPolicy`.
pub(super) fn delete_group_policy(
    ctx: &mut Ctx<'_>,
    input: DeleteGroupPolicyRequest,
) -> Result<(), ApiError> {
    delete_inline(ctx, Kind::Group, &input.group_name, &input.policy_name)
}

/// `ListGroupPolicies`.
pub(super) fn list_group_policies(
    ctx: &mut Ctx<'_>,
    input: ListGroupPoliciesRequest,
) -> Result<ListGroupPoliciesResponse, ApiError> {
    let (policy_names, truncated, marker) = list_inline(
        ctx,
        Kind::Group,
        &input.group_name,
        input.marker.as_deref(),
        input.max_items,
    )?;
    Ok(ListGroupPoliciesResponse {
        is_truncated: Some(truncated),
        marker,
        policy_names,
    })
}

/// `PutRolePolicy`.
pub(super) fn put_role_policy(
    ctx: &mut Ctx<'_>,
    input: PutRolePolicyRequest,
) -> Result<(), ApiError> {
    put_inline(
        ctx,
        Kind::Role,
        &input.role_name,
        &input.policy_name,
        input.policy_document,
    )
}

/// `GetRolePolicy`.
pub(super) fn get_role_policy(
    ctx: &mut Ctx<'_>,
    input: GetRolePolicyRequest,
) -> Result<GetRolePolicyResponse, ApiError> {
    let (role_name, policy_document) =
        get_inline(ctx, Kind::Role, &input.role_name, &input.policy_name)?;
    Ok(GetRolePolicyResponse {
        policy_document,
        policy_name: input.policy_name,
        role_name,
    })
}

/// `DeleteRolePolicy`.
pub(super) fn delete_role_policy(
    ctx: &mut Ctx<'_>,
    input: DeleteRolePolicyRequest,
) -> Result<(), ApiError> {
    delete_inline(ctx, Kind::Role, &input.role_name, &input.policy_name)
}

/// `ListRolePolicies`.
pub(super) fn list_role_policies(
    ctx: &mut Ctx<'_>,
    input: ListRolePoliciesRequest,
) -> Result<ListRolePoliciesResponse, ApiError> {
    let (policy_names, truncated, marker) = list_inline(
        ctx,
        Kind::Role,
        &input.role_name,
        input.marker.as_deref(),
        input.max_items,
    )?;
    Ok(ListRolePoliciesResponse {
        is_truncated: Some(truncated),
        marker,
        policy_names,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_arns_parse() {
        assert_eq!(
            parse_policy_arn("arn:aws:iam::123456789012:policy/a/b/P"),
            Some(("123456789012", "/a/b/", "P"))
        );
        assert_eq!(
            parse_policy_arn("arn:aws:iam::aws:policy/AdministratorAccess"),
            Some(("aws", "/", "AdministratorAccess"))
        );
        assert_eq!(parse_policy_arn("arn:aws:iam::123456789012:policy/"), None);
        assert_eq!(parse_policy_arn("arn:aws:iam::123456789012:user/P"), None);
        assert_eq!(parse_policy_arn("not-an-arn"), None);
    }

    #[test]
    fn pagination_resumes_after_the_marker() {
        let items: Vec<(String, u32)> = (0..5).map(|i| (format!("{i}"), i)).collect();
        let (page, truncated, marker) = page_of(items.clone(), None, Some(2)).unwrap();
        assert_eq!((page, truncated), (vec![0, 1], true));
        let (page, truncated, marker) = page_of(items.clone(), marker.as_deref(), Some(2)).unwrap();
        assert_eq!((page, truncated), (vec![2, 3], true));
        let (page, truncated, marker) = page_of(items, marker.as_deref(), Some(2)).unwrap();
        assert_eq!((page, truncated, marker), (vec![4], false, None));
    }

    #[test]
    fn inline_validation_skips_the_managed_size_quota() {
        let statement = r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket-name-xxxxxxxxxxxxxxxxxxxxxxxxx/*"}"#;
        let big = format!(
            r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
            vec![statement; 80].join(",")
        );
        assert!(policy_size(&big) > 6144);
        let err = validate_identity(&big, false).unwrap_err();
        assert_eq!(err.code, "LimitExceeded");
        assert!(validate_identity(&big, true).is_ok());
        let err = validate_identity(r#"{"Version":"2012-10-17"}"#, false).unwrap_err();
        assert_eq!(err.code, "MalformedPolicyDocument");
    }

    #[test]
    fn identity_policies_of_a_user_include_its_groups() {
        let store = localorg_store::Store::in_memory().unwrap();
        let acct = "111122223333";
        let admin = "arn:aws:iam::aws:policy/AdministratorAccess";
        let custom = "arn:aws:iam::111122223333:policy/team/Custom";
        let docs = store
            .write(|tx| -> Result<_, ApiError> {
                let record = ManagedPolicyRecord {
                    account_id: acct.into(),
                    name: "Custom".into(),
                    id: "ANPAEXAMPLEEXAMPLE1".into(),
                    path: "/team/".into(),
                    description: None,
                    versions: vec![
                        PolicyVersionRecord {
                            version_id: "v1".into(),
                            document: "old".into(),
                            created_ms: 0,
                        },
                        PolicyVersionRecord {
                            version_id: "v2".into(),
                            document: "new".into(),
                            created_ms: 1,
                        },
                    ],
                    default_version_id: "v2".into(),
                    next_version: 3,
                    tags: vec![],
                    created_ms: 0,
                    updated_ms: 1,
                };
                POLICIES.put(tx, &name_key(acct, "custom"), &record)?;
                attach_rows(tx, acct, "user", "Alice", custom, "Custom")?;
                attach_rows(tx, acct, "group", "Admins", admin, "AdministratorAccess")?;
                attach_rows(tx, acct, "group", "Devs", admin, "AdministratorAccess")?;
                attach_rows(tx, acct, "role", "Ops", custom, "Custom")?;
                INLINE_POLICIES.put(
                    tx,
                    &entity_prefix(acct, Kind::User, "alice").str("Mine"),
                    &"mine".to_owned(),
                )?;
                INLINE_POLICIES.put(
                    tx,
                    &entity_prefix(acct, Kind::Group, "devs").str("DevInline"),
                    &"dev".to_owned(),
                )?;
                USER_GROUPS.put(
                    tx,
                    &Key::new().str(acct).str("alice").str("admins"),
                    &"Admins".to_owned(),
                )?;
                USER_GROUPS.put(
                    tx,
                    &Key::new().str(acct).str("alice").str("devs"),
                    &"Devs".to_owned(),
                )?;
                let tx = tx.as_read();
                Ok((
                    identity_policy_documents(tx, acct, "user", "ALICE")?,
                    identity_policy_documents(tx, acct, "role", "ops")?,
                    identity_policy_documents(tx, acct, "user", "bob")?,
                    policy_document(tx, acct, custom)?,
                    policy_document(tx, "999999999999", custom)?,
                ))
            })
            .unwrap();
        let ids: Vec<&str> = docs.0.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, vec![custom, "inline:Mine", admin, "inline:DevInline"]);
        assert_eq!(docs.0[0].1, "new");
        assert!(docs.0[2].1.contains("\"Action\": \"*\""));
        assert_eq!(docs.1, vec![(custom.to_owned(), "new".to_owned())]);
        assert!(docs.2.is_empty());
        assert_eq!(docs.3.as_deref(), Some("new"));
        assert_eq!(docs.4, None);
    }
}
