//! Organizations: policies of every type — create/update/delete, attach/detach, enabling policy
//! types on the root (with the AWS managed `FullAWSAccess` / `RCPFullAWSAccess` attached
//! everywhere), and effective management policies.
//!
//! Callers: changes need the management account; reads also accept a delegated administrator;
//! `DescribeEffectivePolicy` works from any account for itself.

use std::sync::LazyLock;

use localorg_model::generated::organizations::{
    errors, AttachPolicyRequest, CreatePolicyRequest, CreatePolicyResponse, DeletePolicyRequest,
    DescribeEffectivePolicyRequest, DescribeEffectivePolicyResponse, DescribePolicyRequest,
    DescribePolicyResponse, DetachPolicyRequest, DisablePolicyTypeRequest,
    DisablePolicyTypeResponse, EffectivePolicy, EffectivePolicyValidationError,
    EnablePolicyTypeRequest, EnablePolicyTypeResponse,
    ListAccountsWithInvalidEffectivePolicyRequest, ListAccountsWithInvalidEffectivePolicyResponse,
    ListEffectivePolicyValidationErrorsRequest, ListEffectivePolicyValidationErrorsResponse,
    ListPoliciesForTargetRequest, ListPoliciesForTargetResponse, ListPoliciesRequest,
    ListPoliciesResponse, ListTargetsForPolicyRequest, ListTargetsForPolicyResponse, Policy,
    PolicySummary, PolicyTargetSummary, PolicyType, TargetType, UpdatePolicyRequest,
    UpdatePolicyResponse,
};
use localorg_model::ApiError;
use localorg_store::{encode_token, Key, ReadTx, Table, WriteTx};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::core::{
    access_denied, account_arn, account_shape, caller_org, decode_next_token,
    is_aws_managed_policy_id, is_delegated_admin, managed_org, member_account, ou_arn, page_size,
    path_to, policy_arn, readable_org, root_arn, root_shape, ts, ATTACHED_TARGETS, ATTACHMENTS,
    AWS_MANAGED_POLICIES, FULL_AWS_ACCESS_ID, MEMBERS, ORGS, OUS, POLICIES, RCP_FULL_AWS_ACCESS_ID,
    TAGS,
};
use super::effective;
use super::records::{OrganizationRecord, PolicyRecord};
use localorg_kernel::accounts;
use localorg_kernel::Ctx;

const SCP: &str = "SERVICE_CONTROL_POLICY";
const RCP: &str = "RESOURCE_CONTROL_POLICY";

/// When and in which order a policy was attached to a target: key (target id, policy id).
/// Management policies attached to the same target merge in attachment order.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct AttachmentMeta {
    /// Attachment order on the target (1, 2, ...).
    seq: u64,
    /// When it was attached, ms since epoch.
    attached_ms: i64,
}

static ATTACHMENT_META: LazyLock<Table<AttachmentMeta>> =
    LazyLock::new(|| Table::new("org.attachment_meta"));

// ---------------------------------------------------------------------------------------------
// Errors as AWS words them
// ---------------------------------------------------------------------------------------------

fn policy_not_found() -> ApiError {
    errors::POLICY_NOT_FOUND_EXCEPTION
        .error("We can't find a policy with the PolicyId that you specified.")
}

fn target_not_found() -> ApiError {
    errors::TARGET_NOT_FOUND_EXCEPTION.error(
        "We can't find a root, OU, account, or email address with the TargetId that you specified.",
    )
}

fn root_not_found() -> ApiError {
    errors::ROOT_NOT_FOUND_EXCEPTION
        .error("We can't find a root with the RootId that you specified.")
}

fn type_not_enabled() -> ApiError {
    errors::POLICY_TYPE_NOT_ENABLED_EXCEPTION
        .error("The specified policy type isn't currently enabled in this root.")
}

fn type_not_available() -> ApiError {
    errors::POLICY_TYPE_NOT_AVAILABLE_FOR_ORGANIZATION_EXCEPTION.error(
        "You can't use the specified policy type with the feature set currently enabled for this organization.",
    )
}

fn immutable_policy() -> ApiError {
    errors::INVALID_INPUT_EXCEPTION
        .error("You specified a policy that is managed by AWS and can't be modified.")
        .with_field("Reason", "IMMUTABLE_POLICY")
}

fn constraint(reason: &str, message: &str) -> ApiError {
    errors::CONSTRAINT_VIOLATION_EXCEPTION
        .error(message)
        .with_field("Reason", reason)
}

fn effective_not_found() -> ApiError {
    errors::EFFECTIVE_POLICY_NOT_FOUND_EXCEPTION
        .error("We can't find an effective policy of the PolicyType that you specified.")
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::internal(e.to_string())
}

// ---------------------------------------------------------------------------------------------
// Policies and targets
// ---------------------------------------------------------------------------------------------

/// A policy as the operations see it: customer managed (stored) or AWS managed (built in).
struct PolicyView {
    id: String,
    policy_type: String,
    name: String,
    description: String,
    content: String,
    aws_managed: bool,
}

impl PolicyView {
    fn summary(&self, org: &OrganizationRecord) -> PolicySummary {
        PolicySummary {
            id: Some(self.id.clone()),
            arn: Some(policy_arn(org, &self.policy_type, &self.id)),
            name: Some(self.name.clone()),
            description: Some(self.description.clone()),
            r#type: PolicyType::from_str_value(&self.policy_type),
            aws_managed: Some(self.aws_managed),
        }
    }

    fn shape(&self, org: &OrganizationRecord) -> Policy {
        Policy {
            content: Some(self.content.clone()),
            policy_summary: Some(self.summary(org)),
        }
    }
}

impl From<PolicyRecord> for PolicyView {
    fn from(p: PolicyRecord) -> Self {
        PolicyView {
            id: p.id,
            policy_type: p.policy_type,
            name: p.name,
            description: p.description,
            content: p.content,
            aws_managed: false,
        }
    }
}

fn aws_managed(policy_id: &str) -> Option<PolicyView> {
    AWS_MANAGED_POLICIES
        .iter()
        .find(|(id, ..)| *id == policy_id)
        .map(|(id, ty, name, description, content)| PolicyView {
            id: (*id).to_owned(),
            policy_type: (*ty).to_owned(),
            name: (*name).to_owned(),
            description: (*description).to_owned(),
            content: (*content).to_owned(),
            aws_managed: true,
        })
}

/// A policy of `org` (or an AWS managed one); `PolicyNotFoundException` otherwise.
fn find_policy(
    tx: &dyn ReadTx,
    org: &OrganizationRecord,
    policy_id: &str,
) -> Result<PolicyView, ApiError> {
    find_policy_of(tx, &org.id, policy_id)
}

/// [`find_policy`] by organization id.
fn find_policy_of(tx: &dyn ReadTx, org_id: &str, policy_id: &str) -> Result<PolicyView, ApiError> {
    if let Some(p) = aws_managed(policy_id) {
        return Ok(p);
    }
    POLICIES
        .get(tx, &Key::new().str(policy_id))?
        .filter(|p| p.org_id == org_id)
        .map(PolicyView::from)
        .ok_or_else(policy_not_found)
}

/// A customer managed policy of `org`: AWS managed ones can't be changed.
fn own_policy(
    tx: &dyn ReadTx,
    org: &OrganizationRecord,
    policy_id: &str,
) -> Result<PolicyRecord, ApiError> {
    if is_aws_managed_policy_id(policy_id) {
        return Err(immutable_policy());
    }
    POLICIES
        .get(tx, &Key::new().str(policy_id))?
        .filter(|p| p.org_id == org.id)
        .ok_or_else(policy_not_found)
}

/// A root, OU or member account of the organization.
struct Target {
    id: String,
    kind: TargetType,
    arn: String,
    name: String,
}

fn find_target(
    tx: &dyn ReadTx,
    org: &OrganizationRecord,
    target_id: &str,
) -> Result<Option<Target>, ApiError> {
    if target_id == org.root_id {
        return Ok(Some(Target {
            id: target_id.to_owned(),
            kind: TargetType::Root,
            arn: root_arn(org),
            name: "Root".to_owned(),
        }));
    }
    if target_id.starts_with("ou-") {
        return Ok(OUS
            .get(tx, &Key::new().str(target_id))?
            .filter(|ou| ou.org_id == org.id)
            .map(|ou| Target {
                id: ou.id.clone(),
                kind: TargetType::OrganizationalUnit,
                arn: ou_arn(org, &ou.id),
                name: ou.name,
            }));
    }
    let Some(member) = MEMBERS.get(tx, &Key::new().str(target_id))? else {
        return Ok(None);
    };
    if member.org_id != org.id {
        return Ok(None);
    }
    let name = accounts::get(tx, target_id)?
        .map(|a| a.name)
        .unwrap_or_default();
    Ok(Some(Target {
        id: target_id.to_owned(),
        kind: TargetType::Account,
        arn: account_arn(org, target_id),
        name,
    }))
}

fn target(tx: &dyn ReadTx, org: &OrganizationRecord, target_id: &str) -> Result<Target, ApiError> {
    find_target(tx, org, target_id)?.ok_or_else(target_not_found)
}

/// Every root, OU and member account of the organization, with its target type.
fn org_targets(
    tx: &dyn ReadTx,
    org: &OrganizationRecord,
) -> Result<Vec<(String, &'static str)>, ApiError> {
    let org_key = Key::new().str(&org.id);
    let mut out = vec![(org.root_id.clone(), "ROOT")];
    for (_, ou) in OUS.scan_index(tx, "org", &org_key, None, usize::MAX)?.items {
        out.push((ou.id, "ORGANIZATIONAL_UNIT"));
    }
    for (key, _) in MEMBERS
        .scan_index(tx, "org", &org_key, None, usize::MAX)?
        .items
    {
        out.push((key_str(&key, 0)?, "ACCOUNT"));
    }
    Ok(out)
}

/// The `index`th string part of a key.
fn key_str(key: &Key, index: usize) -> Result<String, ApiError> {
    let mut d = key.decoder();
    for _ in 0..index {
        d.str().map_err(internal)?;
    }
    d.str().map_err(internal)
}

// ---------------------------------------------------------------------------------------------
// Attachments
// ---------------------------------------------------------------------------------------------

/// The policies of `policy_type` attached to `target_id`, in attachment order, with when.
fn attached(
    tx: &dyn ReadTx,
    target_id: &str,
    policy_type: &str,
) -> Result<Vec<(String, i64)>, ApiError> {
    let mut out = Vec::new();
    for (key, ty) in ATTACHMENTS.scan_all(tx, &Key::new().str(target_id))? {
        if ty != policy_type {
            continue;
        }
        let policy_id = key_str(&key, 1)?;
        let meta = ATTACHMENT_META.get(tx, &key)?;
        let (seq, at) = meta.map_or((0, 0), |m| (m.seq, m.attached_ms));
        out.push((seq, policy_id, at));
    }
    out.sort();
    Ok(out.into_iter().map(|(_, id, at)| (id, at)).collect())
}

/// The type of a policy (`SERVICE_CONTROL_POLICY`, ...), for its ARN; `*`-free fallback
/// `service_control_policy` when the id names no policy (the operation then answers not-found).
pub(crate) fn policy_type_of(tx: &dyn ReadTx, policy_id: &str) -> Result<String, ApiError> {
    if let Some(p) = aws_managed(policy_id) {
        return Ok(p.policy_type);
    }
    Ok(POLICIES
        .get(tx, &Key::new().str(policy_id))?
        .map_or_else(|| "SERVICE_CONTROL_POLICY".to_owned(), |p| p.policy_type))
}

/// The documents of the `policy_type` policies attached directly to `target_id`, in attachment
/// order, as (policy id, content): what authorization evaluates for one level of the SCP/RCP chain.
pub(crate) fn attached_documents(
    tx: &dyn ReadTx,
    org_id: &str,
    target_id: &str,
    policy_type: &str,
) -> Result<Vec<(String, String)>, ApiError> {
    let mut out = Vec::new();
    for (policy_id, _) in attached(tx, target_id, policy_type)? {
        let policy = find_policy_of(tx, org_id, &policy_id)?;
        out.push((policy.id, policy.content));
    }
    Ok(out)
}

fn attach(
    tx: &mut dyn WriteTx,
    target_id: &str,
    target_type: &str,
    policy_id: &str,
    policy_type: &str,
    now_ms: i64,
) -> Result<(), ApiError> {
    let seq = ATTACHMENT_META
        .scan_all(tx.as_read(), &Key::new().str(target_id))?
        .iter()
        .map(|(_, m)| m.seq)
        .max()
        .unwrap_or(0)
        + 1;
    let key = Key::new().str(target_id).str(policy_id);
    ATTACHMENTS.put(tx, &key, &policy_type.to_owned())?;
    ATTACHED_TARGETS.put(
        tx,
        &Key::new().str(policy_id).str(target_id),
        &target_type.to_owned(),
    )?;
    ATTACHMENT_META.put(
        tx,
        &key,
        &AttachmentMeta {
            seq,
            attached_ms: now_ms,
        },
    )?;
    Ok(())
}

fn detach(tx: &mut dyn WriteTx, target_id: &str, policy_id: &str) -> Result<(), ApiError> {
    let key = Key::new().str(target_id).str(policy_id);
    ATTACHMENTS.delete(tx, &key)?;
    ATTACHMENT_META.delete(tx, &key)?;
    ATTACHED_TARGETS.delete(tx, &Key::new().str(policy_id).str(target_id))?;
    Ok(())
}

/// Attaches the AWS managed default policies of the enabled authorization policy types
/// (`FullAWSAccess` for SCPs, `RCPFullAWSAccess` for RCPs) to a new OU or a new or joining
/// account. `target_type` is `ORGANIZATIONAL_UNIT` or `ACCOUNT` (or `ROOT`). Idempotent.
pub(super) fn attach_default_policies(
    tx: &mut dyn WriteTx,
    org: &OrganizationRecord,
    target_id: &str,
    target_type: &str,
) -> Result<(), ApiError> {
    for (policy_type, policy_id) in [(SCP, FULL_AWS_ACCESS_ID), (RCP, RCP_FULL_AWS_ACCESS_ID)] {
        if !org.enabled_policy_types.iter().any(|t| t == policy_type) {
            continue;
        }
        let key = Key::new().str(target_id).str(policy_id);
        if !ATTACHMENTS.contains(tx.as_read(), &key)? {
            attach(
                tx,
                target_id,
                target_type,
                policy_id,
                policy_type,
                org.created_ms,
            )?;
        }
    }
    Ok(())
}

/// Detaches every policy (of every type) from a target that is leaving the organization or being
/// deleted (an OU, a removed or closed account).
#[allow(dead_code)] // For the OU and account engineers; not every build calls it yet.
pub(super) fn detach_all_policies(tx: &mut dyn WriteTx, target_id: &str) -> Result<(), ApiError> {
    for (key, _) in ATTACHMENTS.scan_all(tx.as_read(), &Key::new().str(target_id))? {
        let policy_id = key_str(&key, 1)?;
        detach(tx, target_id, &policy_id)?;
    }
    ATTACHMENT_META.delete_prefix(tx, &Key::new().str(target_id))?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Pagination over computed listings
// ---------------------------------------------------------------------------------------------

/// One page of `items` (sorted by their string key), continuing after the token's key.
fn paginate<T>(
    items: Vec<(String, T)>,
    next_token: Option<&str>,
    max_results: Option<i32>,
) -> Result<(Vec<T>, Option<String>), ApiError> {
    let after = decode_next_token(next_token)?;
    let size = page_size(max_results);
    let mut rest = items
        .into_iter()
        .filter(|(k, _)| after.as_deref().is_none_or(|a| k.as_bytes() > a));
    let page: Vec<(String, T)> = rest.by_ref().take(size).collect();
    let token = if rest.next().is_some() {
        page.last().map(|(k, _)| encode_token(k.as_bytes()))
    } else {
        None
    };
    Ok((page.into_iter().map(|(_, v)| v).collect(), token))
}

// ---------------------------------------------------------------------------------------------
// Content checks
// ---------------------------------------------------------------------------------------------

/// Size first (`ConstraintViolationException`), then the type's grammar
/// (`MalformedPolicyDocumentException`).
fn check_content(policy_type: &str, content: &str) -> Result<(), ApiError> {
    if content.chars().count() > effective::max_content_chars(policy_type) {
        return Err(constraint(
            "POLICY_CONTENT_LIMIT_EXCEEDED",
            "You have exceeded the maximum policy size.",
        ));
    }
    effective::validate_content(policy_type, content).map_err(|why| {
        tracing::debug!(policy_type, why, "malformed policy document");
        errors::MALFORMED_POLICY_DOCUMENT_EXCEPTION
            .error("The provided policy document does not meet the requirements of the specified policy type.")
    })
}

fn name_taken(
    tx: &dyn ReadTx,
    org: &OrganizationRecord,
    policy_type: &str,
    name: &str,
    except_id: Option<&str>,
) -> Result<bool, ApiError> {
    if AWS_MANAGED_POLICIES
        .iter()
        .any(|(_, ty, n, ..)| *ty == policy_type && *n == name)
    {
        return Ok(true);
    }
    Ok(POLICIES
        .scan_index(
            tx,
            "org_type",
            &Key::new().str(&org.id).str(policy_type),
            None,
            usize::MAX,
        )?
        .items
        .iter()
        .any(|(_, p)| p.name == name && Some(p.id.as_str()) != except_id))
}

fn duplicate_policy() -> ApiError {
    errors::DUPLICATE_POLICY_EXCEPTION.error("A policy with the same name already exists.")
}

// ---------------------------------------------------------------------------------------------
// Policy CRUD
// ---------------------------------------------------------------------------------------------

/// `CreatePolicy`: any policy type, in an organization with all features (the type needn't be
/// enabled to create policies, only to attach them).
pub(super) fn create_policy(
    ctx: &mut Ctx<'_>,
    input: CreatePolicyRequest,
) -> Result<CreatePolicyResponse, ApiError> {
    let org = managed_org(ctx)?;
    if org.feature_set != "ALL" {
        return Err(type_not_available());
    }
    let policy_type = input.r#type.as_str();
    check_content(policy_type, &input.content)?;
    let tags = input.tags.unwrap_or_default();
    let tx = ctx.tx.read();
    if name_taken(tx, &org, policy_type, &input.name, None)? {
        return Err(duplicate_policy());
    }
    let of_type = POLICIES
        .scan_index(
            tx,
            "org_type",
            &Key::new().str(&org.id).str(policy_type),
            None,
            usize::MAX,
        )?
        .items
        .len();
    if of_type >= effective::max_policies(policy_type) {
        return Err(constraint(
            "POLICY_NUMBER_LIMIT_EXCEEDED",
            "You have attached the maximum number of policies of this type to your organization.",
        ));
    }
    let record = PolicyRecord {
        id: super::core::new_policy_id(ctx),
        org_id: org.id.clone(),
        policy_type: policy_type.to_owned(),
        name: input.name,
        description: input.description,
        content: input.content,
        updated_ms: ctx.now_ms(),
    };
    let tx = ctx.tx.write()?;
    super::tags::put_tags(tx, &record.id, &tags)?;
    POLICIES.put(tx, &Key::new().str(&record.id), &record)?;
    Ok(CreatePolicyResponse {
        policy: Some(PolicyView::from(record).shape(&org)),
    })
}

/// `UpdatePolicy`: name, description and/or content of a customer managed policy.
pub(super) fn update_policy(
    ctx: &mut Ctx<'_>,
    input: UpdatePolicyRequest,
) -> Result<UpdatePolicyResponse, ApiError> {
    let org = managed_org(ctx)?;
    let tx = ctx.tx.read();
    let mut policy = own_policy(tx, &org, &input.policy_id)?;
    if let Some(name) = input.name {
        if name != policy.name
            && name_taken(tx, &org, &policy.policy_type, &name, Some(&policy.id))?
        {
            return Err(duplicate_policy());
        }
        policy.name = name;
    }
    if let Some(description) = input.description {
        policy.description = description;
    }
    if let Some(content) = input.content {
        check_content(&policy.policy_type, &content)?;
        policy.content = content;
    }
    policy.updated_ms = ctx.now_ms();
    let tx = ctx.tx.write()?;
    POLICIES.put(tx, &Key::new().str(&policy.id), &policy)?;
    Ok(UpdatePolicyResponse {
        policy: Some(PolicyView::from(policy).shape(&org)),
    })
}

/// `DeletePolicy`: only once it is attached nowhere.
pub(super) fn delete_policy(ctx: &mut Ctx<'_>, input: DeletePolicyRequest) -> Result<(), ApiError> {
    let org = managed_org(ctx)?;
    let tx = ctx.tx.read();
    let policy = own_policy(tx, &org, &input.policy_id)?;
    if ATTACHED_TARGETS.count(tx, &Key::new().str(&policy.id))? > 0 {
        return Err(errors::POLICY_IN_USE_EXCEPTION.error(
            "The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.",
        ));
    }
    let tx = ctx.tx.write()?;
    POLICIES.delete(tx, &Key::new().str(&policy.id))?;
    TAGS.delete_prefix(tx, &Key::new().str(&policy.id))?;
    Ok(())
}

/// `DescribePolicy`.
pub(super) fn describe_policy(
    ctx: &mut Ctx<'_>,
    input: DescribePolicyRequest,
) -> Result<DescribePolicyResponse, ApiError> {
    let org = readable_org(ctx)?;
    let policy = find_policy(ctx.tx.read(), &org, &input.policy_id)?;
    Ok(DescribePolicyResponse {
        policy: Some(policy.shape(&org)),
    })
}

/// `ListPolicies`: the organization's policies of one type plus the AWS managed one of that type
/// (`FullAWSAccess`, `RCPFullAWSAccess`), ordered by id.
pub(super) fn list_policies(
    ctx: &mut Ctx<'_>,
    input: ListPoliciesRequest,
) -> Result<ListPoliciesResponse, ApiError> {
    let org = readable_org(ctx)?;
    let policy_type = input.filter.as_str();
    let tx = ctx.tx.read();
    let mut items: Vec<(String, PolicySummary)> = AWS_MANAGED_POLICIES
        .iter()
        .filter(|(_, ty, ..)| *ty == policy_type && org.feature_set == "ALL")
        .filter_map(|(id, ..)| aws_managed(id))
        .map(|p| (p.id.clone(), p.summary(&org)))
        .collect();
    for (_, p) in POLICIES
        .scan_index(
            tx,
            "org_type",
            &Key::new().str(&org.id).str(policy_type),
            None,
            usize::MAX,
        )?
        .items
    {
        let view = PolicyView::from(p);
        items.push((view.id.clone(), view.summary(&org)));
    }
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let (policies, next_token) = paginate(items, input.next_token.as_deref(), input.max_results)?;
    Ok(ListPoliciesResponse {
        policies: Some(policies),
        next_token,
    })
}

// ---------------------------------------------------------------------------------------------
// Attach / detach
// ---------------------------------------------------------------------------------------------

/// `AttachPolicy`: to the root, an OU or a member account, once the policy's type is enabled.
pub(super) fn attach_policy(ctx: &mut Ctx<'_>, input: AttachPolicyRequest) -> Result<(), ApiError> {
    let org = managed_org(ctx)?;
    let tx = ctx.tx.read();
    let policy = find_policy(tx, &org, &input.policy_id)?;
    let target = target(tx, &org, &input.target_id)?;
    if !org.enabled_policy_types.contains(&policy.policy_type) {
        return Err(type_not_enabled());
    }
    if ATTACHMENTS.contains(tx, &Key::new().str(&target.id).str(&policy.id))? {
        return Err(errors::DUPLICATE_POLICY_ATTACHMENT_EXCEPTION
            .error("The selected policy is already attached to the specified target."));
    }
    if attached(tx, &target.id, &policy.policy_type)?.len()
        >= effective::max_attachments(&policy.policy_type)
    {
        return Err(constraint(
            "MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
            "You have attached the maximum number of policies of this type to the specified target.",
        ));
    }
    let now = ctx.now_ms();
    let tx = ctx.tx.write()?;
    attach(
        tx,
        &target.id,
        target.kind.as_str(),
        &policy.id,
        &policy.policy_type,
        now,
    )
}

/// `DetachPolicy`. Every target keeps at least one SCP; `RCPFullAWSAccess` can't be detached.
pub(super) fn detach_policy(ctx: &mut Ctx<'_>, input: DetachPolicyRequest) -> Result<(), ApiError> {
    let org = managed_org(ctx)?;
    let tx = ctx.tx.read();
    let policy = find_policy(tx, &org, &input.policy_id)?;
    let target = target(tx, &org, &input.target_id)?;
    if !ATTACHMENTS.contains(tx, &Key::new().str(&target.id).str(&policy.id))? {
        return Err(errors::POLICY_NOT_ATTACHED_EXCEPTION
            .error("The policy isn't attached to the specified target in the specified root."));
    }
    if policy.id == RCP_FULL_AWS_ACCESS_ID {
        return Err(errors::INVALID_INPUT_EXCEPTION
            .error("You can't detach this AWS Managed Policy.")
            .with_field("Reason", "NON_DETACHABLE_POLICY"));
    }
    if policy.policy_type == SCP && attached(tx, &target.id, SCP)?.len() <= 1 {
        return Err(constraint(
            "MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED",
            "You can't detach the last service control policy from the specified target. Attach another SCP first.",
        ));
    }
    let tx = ctx.tx.write()?;
    detach(tx, &target.id, &policy.id)
}

/// `ListPoliciesForTarget`: the policies of one type attached directly to a target.
pub(super) fn list_policies_for_target(
    ctx: &mut Ctx<'_>,
    input: ListPoliciesForTargetRequest,
) -> Result<ListPoliciesForTargetResponse, ApiError> {
    let org = readable_org(ctx)?;
    let tx = ctx.tx.read();
    let target = target(tx, &org, &input.target_id)?;
    let mut items = Vec::new();
    for (policy_id, _) in attached(tx, &target.id, input.filter.as_str())? {
        if let Ok(p) = find_policy(tx, &org, &policy_id) {
            items.push((policy_id, p.summary(&org)));
        }
    }
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let (policies, next_token) = paginate(items, input.next_token.as_deref(), input.max_results)?;
    Ok(ListPoliciesForTargetResponse {
        policies: Some(policies),
        next_token,
    })
}

/// `ListTargetsForPolicy`: the roots, OUs and accounts a policy is attached to.
pub(super) fn list_targets_for_policy(
    ctx: &mut Ctx<'_>,
    input: ListTargetsForPolicyRequest,
) -> Result<ListTargetsForPolicyResponse, ApiError> {
    let org = readable_org(ctx)?;
    let tx = ctx.tx.read();
    let policy = find_policy(tx, &org, &input.policy_id)?;
    let mut items = Vec::new();
    // AWS managed policies are attached across organizations: keep this organization's targets.
    for (key, _) in ATTACHED_TARGETS.scan_all(tx, &Key::new().str(&policy.id))? {
        let target_id = key_str(&key, 1)?;
        if let Some(t) = find_target(tx, &org, &target_id)? {
            items.push((
                t.id.clone(),
                PolicyTargetSummary {
                    target_id: Some(t.id),
                    arn: Some(t.arn),
                    name: Some(t.name),
                    r#type: Some(t.kind),
                },
            ));
        }
    }
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let (targets, next_token) = paginate(items, input.next_token.as_deref(), input.max_results)?;
    Ok(ListTargetsForPolicyResponse {
        targets: Some(targets),
        next_token,
    })
}

// ---------------------------------------------------------------------------------------------
// Policy types on the root
// ---------------------------------------------------------------------------------------------

fn check_root(org: &OrganizationRecord, root_id: &str) -> Result<(), ApiError> {
    if root_id != org.root_id {
        return Err(root_not_found());
    }
    Ok(())
}

/// `EnablePolicyType`: every type needs all features. Enabling SCPs (RCPs) attaches
/// `FullAWSAccess` (`RCPFullAWSAccess`) to the root, every OU and every account.
pub(super) fn enable_policy_type(
    ctx: &mut Ctx<'_>,
    input: EnablePolicyTypeRequest,
) -> Result<EnablePolicyTypeResponse, ApiError> {
    let mut org = managed_org(ctx)?;
    check_root(&org, &input.root_id)?;
    if org.feature_set != "ALL" {
        return Err(type_not_available());
    }
    let policy_type = input.policy_type.as_str();
    if org.enabled_policy_types.iter().any(|t| t == policy_type) {
        return Err(errors::POLICY_TYPE_ALREADY_ENABLED_EXCEPTION
            .error("The specified policy type is already enabled."));
    }
    org.enabled_policy_types.push(policy_type.to_owned());
    let tx = ctx.tx.write()?;
    ORGS.put(tx, &Key::new().str(&org.id), &org)?;
    if policy_type == SCP || policy_type == RCP {
        for (target_id, target_type) in org_targets(tx.as_read(), &org)? {
            attach_default_policies(tx, &org, &target_id, target_type)?;
        }
    }
    Ok(EnablePolicyTypeResponse {
        root: Some(root_shape(&org)),
    })
}

/// `DisablePolicyType`: detaches every policy of the type from every target first.
pub(super) fn disable_policy_type(
    ctx: &mut Ctx<'_>,
    input: DisablePolicyTypeRequest,
) -> Result<DisablePolicyTypeResponse, ApiError> {
    let mut org = managed_org(ctx)?;
    check_root(&org, &input.root_id)?;
    let policy_type = input.policy_type.as_str();
    if !org.enabled_policy_types.iter().any(|t| t == policy_type) {
        return Err(type_not_enabled());
    }
    org.enabled_policy_types.retain(|t| t != policy_type);
    let tx = ctx.tx.write()?;
    ORGS.put(tx, &Key::new().str(&org.id), &org)?;
    for (target_id, _) in org_targets(tx.as_read(), &org)? {
        for (policy_id, _) in attached(tx.as_read(), &target_id, policy_type)? {
            detach(tx, &target_id, &policy_id)?;
        }
    }
    Ok(DisablePolicyTypeResponse {
        root: Some(root_shape(&org)),
    })
}

// ---------------------------------------------------------------------------------------------
// Effective policies
// ---------------------------------------------------------------------------------------------

/// The policies of one type that apply to an account, level by level.
struct Applicable {
    /// Root, OUs, account: (policy id, document) in attachment order.
    levels: Vec<Vec<(String, Value)>>,
    /// The targets from the root down to the account.
    chain: Vec<String>,
    /// The latest attachment or policy change, ms since epoch.
    last_updated_ms: i64,
}

impl Applicable {
    fn is_empty(&self) -> bool {
        self.levels.iter().all(Vec::is_empty)
    }
}

fn applicable(
    tx: &dyn ReadTx,
    org: &OrganizationRecord,
    account_id: &str,
    parent_id: &str,
    policy_type: &str,
) -> Result<Applicable, ApiError> {
    let mut chain = path_to(tx, org, parent_id)?;
    chain.push(account_id.to_owned());
    let mut levels = Vec::with_capacity(chain.len());
    let mut last_updated_ms = 0;
    for target_id in &chain {
        let mut level = Vec::new();
        for (policy_id, attached_ms) in attached(tx, target_id, policy_type)? {
            let Some(p) = POLICIES.get(tx, &Key::new().str(&policy_id))? else {
                continue;
            };
            last_updated_ms = last_updated_ms.max(attached_ms).max(p.updated_ms);
            let doc = serde_json::from_str(&p.content).unwrap_or(Value::Null);
            level.push((policy_id, doc));
        }
        levels.push(level);
    }
    Ok(Applicable {
        levels,
        chain,
        last_updated_ms,
    })
}

/// `DescribeEffectivePolicy`: management policy types only (the model's enum excludes SCPs and
/// RCPs); any account for itself, the management account (or a delegated administrator) for any
/// member account. Roots and OUs aren't supported targets.
pub(super) fn describe_effective_policy(
    ctx: &mut Ctx<'_>,
    input: DescribeEffectivePolicyRequest,
) -> Result<DescribeEffectivePolicyResponse, ApiError> {
    let org = caller_org(ctx)?;
    let caller = ctx.caller.account_id.clone();
    let tx = ctx.tx.read();
    let target_id = input.target_id.clone().unwrap_or_else(|| caller.clone());
    if target_id != caller
        && org.management_account_id != caller
        && !is_delegated_admin(tx, &org.id, &caller)?
    {
        return Err(access_denied());
    }
    if target_id == org.root_id
        || (target_id.starts_with("ou-") && find_target(tx, &org, &target_id)?.is_some())
    {
        return Err(errors::INVALID_INPUT_EXCEPTION
            .error("You can't perform the specified operation on that target entity.")
            .with_field("Reason", "TARGET_NOT_SUPPORTED"));
    }
    let (_, member) = member_account(tx, &org, &target_id).map_err(|_| target_not_found())?;
    let policy_type = input.policy_type.as_str();
    let applicable = applicable(tx, &org, &target_id, &member.parent_id, policy_type)?;
    if applicable.is_empty() {
        return Err(effective_not_found());
    }
    let merged = effective::merge(&applicable.levels);
    let content = serde_json::to_string(&merged.render()).map_err(internal)?;
    Ok(DescribeEffectivePolicyResponse {
        effective_policy: Some(EffectivePolicy {
            policy_content: Some(content),
            last_updated_timestamp: Some(ts(applicable.last_updated_ms)),
            target_id: Some(target_id),
            policy_type: Some(input.policy_type),
        }),
    })
}

/// `ListAccountsWithInvalidEffectivePolicy`: the member accounts whose merged policy of the type
/// fails validation (see `effective::validate_effective` for what is checked), ordered by id.
pub(super) fn list_accounts_with_invalid_effective_policy(
    ctx: &mut Ctx<'_>,
    input: ListAccountsWithInvalidEffectivePolicyRequest,
) -> Result<ListAccountsWithInvalidEffectivePolicyResponse, ApiError> {
    let org = readable_org(ctx)?;
    let tx = ctx.tx.read();
    let policy_type = input.policy_type.as_str();
    let mut items = Vec::new();
    let members = MEMBERS
        .scan_index(tx, "org", &Key::new().str(&org.id), None, usize::MAX)?
        .items;
    for (key, member) in members {
        let account_id = key_str(&key, 0)?;
        let applicable = applicable(tx, &org, &account_id, &member.parent_id, policy_type)?;
        if applicable.is_empty() {
            continue;
        }
        let merged = effective::merge(&applicable.levels);
        if effective::validate_effective(policy_type, &merged).is_empty() {
            continue;
        }
        if let Some(account) = accounts::get(tx, &account_id)? {
            items.push((account_id, account_shape(&org, &account, &member)));
        }
    }
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let (accounts, next_token) = paginate(items, input.next_token.as_deref(), input.max_results)?;
    Ok(ListAccountsWithInvalidEffectivePolicyResponse {
        accounts: Some(accounts),
        next_token,
        policy_type: Some(input.policy_type),
    })
}

/// `ListEffectivePolicyValidationErrors`: what is wrong with one account's effective policy.
/// `Path` is the account's place in the organization (`o-.../r-.../ou-.../ACCOUNT/`).
pub(super) fn list_effective_policy_validation_errors(
    ctx: &mut Ctx<'_>,
    input: ListEffectivePolicyValidationErrorsRequest,
) -> Result<ListEffectivePolicyValidationErrorsResponse, ApiError> {
    let org = readable_org(ctx)?;
    let tx = ctx.tx.read();
    let (_, member) = member_account(tx, &org, &input.account_id)?;
    let policy_type = input.policy_type.as_str();
    let applicable = applicable(tx, &org, &input.account_id, &member.parent_id, policy_type)?;
    if applicable.is_empty() {
        return Err(effective_not_found());
    }
    let merged = effective::merge(&applicable.levels);
    let items = effective::validate_effective(policy_type, &merged)
        .into_iter()
        .enumerate()
        .map(|(i, issue)| {
            (
                format!("{i:08}"),
                EffectivePolicyValidationError {
                    error_code: Some(issue.code),
                    error_message: Some(issue.message),
                    path_to_error: Some(issue.path),
                    contributing_policies: Some(issue.contributing),
                },
            )
        })
        .collect();
    let (found, next_token) = paginate(items, input.next_token.as_deref(), input.max_results)?;
    let path = format!("{}/{}/", org.id, applicable.chain.join("/"));
    Ok(ListEffectivePolicyValidationErrorsResponse {
        account_id: Some(input.account_id),
        policy_type: Some(input.policy_type),
        path: Some(path),
        evaluation_timestamp: Some(ts(applicable.last_updated_ms)),
        effective_policy_validation_errors: Some(found),
        next_token,
    })
}
