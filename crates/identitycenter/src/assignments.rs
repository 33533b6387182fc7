//! Account assignments and provisioning (sso-admin).
//!
//! Assigning a permission set to a user or group in an account provisions the set there: the
//! account gets the role `AWSReservedSSO_<set>_<16 hex>` under `/aws-reserved/sso.amazonaws.com/`,
//! created through the kernel's directory port with exactly the set's policies, trusting the
//! instance's SAML provider. AWS runs these as asynchronous requests; localorg completes each within
//! its call and records its status, so the first `Describe…Status` poll sees the outcome. A
//! provisioning that fails (a customer managed policy missing in the account) changes nothing and
//! is reported `FAILED` with the reason. Changing a set makes the accounts provisioned from an older
//! version outdated until `ProvisionPermissionSet` runs again; the last assignment deleted in an
//! account removes the role there.

use std::sync::LazyLock;

use localorg_kernel::directory::{RoleBoundary, RoleProvision};
use localorg_kernel::Ctx;
use localorg_model::generated::sso_admin::*;
use localorg_model::ApiError;
use localorg_store::{Index, Key, ReadTx, Table};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::core::{
    decode_next_token, entry_key, next_token, page_size, shape, timestamp, GROUPS, USERS,
};
use crate::instances::{instance_by_arn, SSO_SERVICE_PRINCIPAL};
use crate::permission_sets::{permission_set, Boundary, PermissionSetRecord, PERMISSION_SETS};
use crate::records::InstanceRecord;

/// Where Identity Center puts the roles it provisions.
pub const RESERVED_ROLE_PATH: &str = "/aws-reserved/sso.amazonaws.com/";

/// The inline policy of a permission set, as the provisioned role carries it.
pub const INLINE_POLICY_NAME: &str = "AwsSSOInlinePolicy";

/// One assignment of a permission set to a principal in an account.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AssignmentRecord {
    /// The instance.
    pub instance_id: String,
    /// The account.
    pub account_id: String,
    /// The permission set (`ps-…`).
    pub permission_set_id: String,
    /// `USER` or `GROUP`.
    pub principal_type: String,
    /// The user's or group's id.
    pub principal_id: String,
}

/// A permission set as provisioned to an account.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProvisionedRecord {
    /// The instance.
    pub instance_id: String,
    /// The permission set.
    pub permission_set_id: String,
    /// The account.
    pub account_id: String,
    /// The role's name in the account.
    pub role_name: String,
    /// The permission set's version the role was made from.
    pub version: u64,
}

/// An asynchronous request's outcome: account assignment creation or deletion, or provisioning.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestRecord {
    /// The instance.
    pub instance_id: String,
    /// `creation`, `deletion` or `provisioning`.
    pub kind: String,
    /// A UUID.
    pub request_id: String,
    /// `SUCCEEDED` or `FAILED`.
    pub status: String,
    /// Why it failed.
    pub failure_reason: Option<String>,
    /// The permission set's ARN.
    pub permission_set_arn: String,
    /// The account (all of them for provisioning to every provisioned account).
    pub target_id: Option<String>,
    /// The principal of an assignment request.
    pub principal: Option<(String, String)>,
    /// When it was made, ms since epoch.
    pub created_ms: i64,
}

/// Assignments by (instance, account, set, principal type, principal id); by principal.
static ASSIGNMENTS: LazyLock<Table<AssignmentRecord>> = LazyLock::new(|| {
    Table::new("sso.assignment").index(Index::multi("principal", |a: &AssignmentRecord| {
        vec![Key::new()
            .str(&a.instance_id)
            .str(&a.principal_type)
            .str(&a.principal_id)]
    }))
});

/// Provisioned sets by (instance, set, account); by (instance, account).
static PROVISIONED: LazyLock<Table<ProvisionedRecord>> = LazyLock::new(|| {
    Table::new("sso.provisioned").index(Index::multi("account", |p: &ProvisionedRecord| {
        vec![Key::new().str(&p.instance_id).str(&p.account_id)]
    }))
});

/// Requests by (instance, kind, request id).
static REQUESTS: LazyLock<Table<RequestRecord>> = LazyLock::new(|| Table::new("sso.request"));

fn assignment_key(a: &AssignmentRecord) -> Key {
    Key::new()
        .str(&a.instance_id)
        .str(&a.account_id)
        .str(&a.permission_set_id)
        .str(&a.principal_type)
        .str(&a.principal_id)
}

fn provisioned_key(instance_id: &str, ps_id: &str, account_id: &str) -> Key {
    Key::new().str(instance_id).str(ps_id).str(account_id)
}

/// Deletes everything of the instance's permission sets: their roles in every account they are
/// provisioned to, assignments, request statuses and the sets themselves (`DeleteInstance`).
pub fn delete_instance_data(ctx: &mut Ctx<'_>, instance: &InstanceRecord) -> Result<(), ApiError> {
    let prefix = Key::new().str(&instance.id);
    let provisioned = PROVISIONED.scan_all(ctx.tx.read(), &prefix)?;
    let directory = ctx.directory();
    let tx = ctx.tx.write()?;
    for (_, p) in provisioned {
        directory.remove_role(tx, &p.account_id, &p.role_name, SSO_SERVICE_PRINCIPAL)?;
    }
    PROVISIONED.delete_prefix(tx, &prefix)?;
    ASSIGNMENTS.delete_prefix(tx, &prefix)?;
    REQUESTS.delete_prefix(tx, &prefix)?;
    PERMISSION_SETS.delete_prefix(tx, &prefix)?;
    Ok(())
}

/// (account, permission set id) of every assignment of the principal in the instance.
pub fn assignments_of_user(
    tx: &dyn ReadTx,
    instance: &InstanceRecord,
    principal_type: &str,
    principal_id: &str,
) -> Result<Vec<(String, String)>, ApiError> {
    Ok(ASSIGNMENTS
        .scan_index(
            tx,
            "principal",
            &Key::new()
                .str(&instance.id)
                .str(principal_type)
                .str(principal_id),
            None,
            usize::MAX,
        )?
        .items
        .into_iter()
        .map(|(_, a)| (a.account_id, a.permission_set_id))
        .collect())
}

/// The name of the role a permission set is provisioned as in an account.
pub fn provisioned_role(
    tx: &dyn ReadTx,
    instance: &InstanceRecord,
    ps_id: &str,
    account_id: &str,
) -> Result<Option<String>, ApiError> {
    Ok(PROVISIONED
        .get(tx, &provisioned_key(&instance.id, ps_id, account_id))?
        .map(|p| p.role_name))
}

fn invalid(message: impl Into<String>) -> ApiError {
    errors::VALIDATION_EXCEPTION.error(message.into())
}

/// True when the permission set is provisioned to any account.
pub fn provisioned_anywhere(tx: &dyn ReadTx, ps: &PermissionSetRecord) -> Result<bool, ApiError> {
    Ok(!PROVISIONED
        .scan(tx, &Key::new().str(&ps.instance_id).str(&ps.id), None, 1)?
        .items
        .is_empty())
}

/// The accounts an instance may assign to: every member of the organization for the organization
/// instance, the owner account alone for an account instance.
fn check_target(
    ctx: &Ctx<'_>,
    instance: &InstanceRecord,
    account_id: &str,
) -> Result<(), ApiError> {
    let allowed = match &instance.org_id {
        Some(org_id) => ctx
            .organizations()
            .placement(ctx.tx.read(), account_id)?
            .is_some_and(|p| p.org.id == *org_id),
        None => account_id == instance.owner_account_id,
    };
    if allowed {
        Ok(())
    } else {
        Err(invalid(format!(
            "The target {account_id} is not an account this instance can assign to."
        )))
    }
}

/// The principal must be a user or group of the instance's identity store.
fn check_principal(
    tx: &dyn ReadTx,
    instance: &InstanceRecord,
    principal_type: &str,
    principal_id: &str,
) -> Result<(), ApiError> {
    let table = match principal_type {
        "USER" => &USERS,
        "GROUP" => &GROUPS,
        other => return Err(invalid(format!("Unknown principal type {other}."))),
    };
    if table.contains(tx, &entry_key(&instance.identity_store_id, principal_id))? {
        Ok(())
    } else {
        Err(errors::RESOURCE_NOT_FOUND_EXCEPTION.error(format!(
            "The {} {principal_id} does not exist in the identity store.",
            principal_type.to_lowercase()
        )))
    }
}

/// Provisioned roles allow 12-hour sessions; the permission set's session duration is applied
/// when the portal issues credentials (AWS: "configures these roles with a maximum session
/// duration of 12 hours").
const RESERVED_ROLE_MAX_SESSION: i32 = 43_200;

/// The name of the instance's SAML provider in each account it provisions to.
fn saml_provider_name(instance: &InstanceRecord) -> String {
    format!(
        "AWSSSO_{}_DO_NOT_DELETE",
        instance.id.trim_start_matches("ssoins-")
    )
}

/// The SAML metadata of the instance's identity provider (what the provider in each account holds).
fn saml_metadata(instance: &InstanceRecord) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://portal.sso.{region}.amazonaws.com/saml/assertion/{id}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://portal.sso.{region}.amazonaws.com/saml/logon/{id}"/></md:IDPSSODescriptor></md:EntityDescriptor>"#,
        region = instance.region,
        id = instance.id
    )
}

/// The trust policy of a provisioned role: the instance's SAML provider in the account.
fn trust_policy(instance: &InstanceRecord, account_id: &str) -> String {
    let provider = saml_provider_name(instance);
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {
                "Federated": format!("arn:aws:iam::{account_id}:saml-provider/{provider}")
            },
            "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"],
            "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}
        }]
    })
    .to_string()
}

/// Provisions `ps` to `account_id` (creating or replacing its role); `Err` with the failure
/// reason when the account lacks something the set needs (then nothing changed).
fn provision(
    ctx: &mut Ctx<'_>,
    instance: &InstanceRecord,
    ps: &PermissionSetRecord,
    account_id: &str,
) -> Result<Result<(), String>, ApiError> {
    let key = provisioned_key(&instance.id, &ps.id, account_id);
    let existing = PROVISIONED.get(ctx.tx.read(), &key)?;
    let role_name = match &existing {
        Some(p) => p.role_name.clone(),
        None => format!(
            "AWSReservedSSO_{}_{}",
            ps.name,
            ctx.ids.string(localorg_kernel::context::LOWER_HEX, 16)
        ),
    };
    let managed: Vec<(&str, &str)> = ps
        .managed_policies
        .iter()
        .map(|(a, n)| (a.as_str(), n.as_str()))
        .collect();
    let customer: Vec<(&str, &str)> = ps
        .customer_policies
        .iter()
        .map(|r| (r.name.as_str(), r.path.as_str()))
        .collect();
    let inline: Vec<(&str, &str)> = ps
        .inline_policy
        .as_deref()
        .map(|doc| (INLINE_POLICY_NAME, doc))
        .into_iter()
        .collect();
    let boundary = ps.boundary.as_ref().map(|b| match b {
        Boundary::Managed(arn) => RoleBoundary::Managed(arn.as_str()),
        Boundary::Customer(r) => RoleBoundary::Customer(&r.name, &r.path),
    });
    let trust = trust_policy(instance, account_id);
    let provider = saml_provider_name(instance);
    let metadata = saml_metadata(instance);
    let description = "Provisioned by IAM Identity Center. Do not modify.";
    let role = RoleProvision {
        account_id,
        name: &role_name,
        path: RESERVED_ROLE_PATH,
        trust_policy: &trust,
        description: Some(description),
        max_session_duration: RESERVED_ROLE_MAX_SESSION,
        managed_policies: &managed,
        customer_policies: &customer,
        inline_policies: &inline,
        boundary,
        saml_provider: Some((&provider, &metadata)),
        managed_by: Some(SSO_SERVICE_PRINCIPAL),
    };
    let (ids, now, directory) = (ctx.ids, ctx.now_ms(), ctx.directory());
    let tx = ctx.tx.write()?;
    if let Err(e) = directory.provision_role(tx, ids, now, &role) {
        return Ok(Err(e.message));
    }
    PROVISIONED.put(
        tx,
        &key,
        &ProvisionedRecord {
            instance_id: instance.id.clone(),
            permission_set_id: ps.id.clone(),
            account_id: account_id.to_owned(),
            role_name,
            version: ps.version,
        },
    )?;
    Ok(Ok(()))
}

fn record_request(ctx: &mut Ctx<'_>, record: &RequestRecord) -> Result<(), ApiError> {
    REQUESTS.put(
        ctx.tx.write()?,
        &Key::new()
            .str(&record.instance_id)
            .str(&record.kind)
            .str(&record.request_id),
        record,
    )?;
    Ok(())
}

/// The status view as the request's answer gives it: `IN_PROGRESS` (AWS's asynchronous answer).
fn assignment_status(r: &RequestRecord, in_progress: bool) -> Value {
    let (principal_type, principal_id) = r.principal.clone().unzip();
    json!({
        "Status": if in_progress { "IN_PROGRESS" } else { r.status.as_str() },
        "RequestId": r.request_id,
        "FailureReason": if in_progress { None } else { r.failure_reason.clone() },
        "TargetId": r.target_id,
        "TargetType": "AWS_ACCOUNT",
        "PermissionSetArn": r.permission_set_arn,
        "PrincipalType": principal_type,
        "PrincipalId": principal_id,
        "CreatedDate": timestamp(r.created_ms),
    })
}

fn provisioning_status(r: &RequestRecord, in_progress: bool) -> Value {
    json!({
        "Status": if in_progress { "IN_PROGRESS" } else { r.status.as_str() },
        "RequestId": r.request_id,
        "FailureReason": if in_progress { None } else { r.failure_reason.clone() },
        "AccountId": r.target_id,
        "PermissionSetArn": r.permission_set_arn,
        "CreatedDate": timestamp(r.created_ms),
    })
}

fn new_request(
    ctx: &Ctx<'_>,
    instance: &InstanceRecord,
    kind: &str,
    ps_arn: &str,
    target_id: Option<&str>,
    principal: Option<(&str, &str)>,
) -> RequestRecord {
    RequestRecord {
        instance_id: instance.id.clone(),
        kind: kind.to_owned(),
        request_id: ctx.ids.uuid(),
        status: "SUCCEEDED".to_owned(),
        failure_reason: None,
        permission_set_arn: ps_arn.to_owned(),
        target_id: target_id.map(str::to_owned),
        principal: principal.map(|(t, i)| (t.to_owned(), i.to_owned())),
        created_ms: ctx.now_ms(),
    }
}

// ---------------------------------------------------------------------------------------------
// Assignments
// ---------------------------------------------------------------------------------------------

/// `CreateAccountAssignment`: provisions the set to the account when it is not there, or is
/// outdated.
pub fn create_account_assignment(
    ctx: &mut Ctx<'_>,
    input: CreateAccountAssignmentRequest,
) -> Result<CreateAccountAssignmentResponse, ApiError> {
    let instance = instance_by_arn(ctx, &input.instance_arn)?;
    let ps = permission_set(ctx.tx.read(), &instance, &input.permission_set_arn)?;
    let principal_type = input.principal_type.as_str();
    check_target(ctx, &instance, &input.target_id)?;
    check_principal(
        ctx.tx.read(),
        &instance,
        principal_type,
        &input.principal_id,
    )?;
    let mut request = new_request(
        ctx,
        &instance,
        "creation",
        &ps.arn(),
        Some(&input.target_id),
        Some((principal_type, &input.principal_id)),
    );
    let current = PROVISIONED
        .get(
            ctx.tx.read(),
            &provisioned_key(&instance.id, &ps.id, &input.target_id),
        )?
        .is_some_and(|p| p.version == ps.version);
    let outcome = if current {
        Ok(())
    } else {
        provision(ctx, &instance, &ps, &input.target_id)?
    };
    match outcome {
        Ok(()) => {
            let assignment = AssignmentRecord {
                instance_id: instance.id.clone(),
                account_id: input.target_id.clone(),
                permission_set_id: ps.id.clone(),
                principal_type: principal_type.to_owned(),
                principal_id: input.principal_id.clone(),
            };
            ASSIGNMENTS.put(ctx.tx.write()?, &assignment_key(&assignment), &assignment)?;
        }
        Err(reason) => {
            request.status = "FAILED".to_owned();
            request.failure_reason = Some(reason);
        }
    }
    record_request(ctx, &request)?;
    Ok(CreateAccountAssignmentResponse {
        account_assignment_creation_status: Some(shape(assignment_status(&request, true))?),
    })
}

/// `DeleteAccountAssignment`: the last assignment of a set in an account removes its role there.
pub fn delete_account_assignment(
    ctx: &mut Ctx<'_>,
    input: DeleteAccountAssignmentRequest,
) -> Result<DeleteAccountAssignmentResponse, ApiError> {
    let instance = instance_by_arn(ctx, &input.instance_arn)?;
    let ps = permission_set(ctx.tx.read(), &instance, &input.permission_set_arn)?;
    let principal_type = input.principal_type.as_str();
    let assignment = AssignmentRecord {
        instance_id: instance.id.clone(),
        account_id: input.target_id.clone(),
        permission_set_id: ps.id.clone(),
        principal_type: principal_type.to_owned(),
        principal_id: input.principal_id.clone(),
    };
    let key = assignment_key(&assignment);
    if !ASSIGNMENTS.contains(ctx.tx.read(), &key)? {
        return Err(
            errors::RESOURCE_NOT_FOUND_EXCEPTION.error("The account assignment does not exist.")
        );
    }
    let request = new_request(
        ctx,
        &instance,
        "deletion",
        &ps.arn(),
        Some(&input.target_id),
        Some((principal_type, &input.principal_id)),
    );
    ASSIGNMENTS.delete(ctx.tx.write()?, &key)?;
    let remaining = ASSIGNMENTS
        .scan(
            ctx.tx.read(),
            &Key::new()
                .str(&instance.id)
                .str(&input.target_id)
                .str(&ps.id),
            None,
            1,
        )?
        .items;
    if remaining.is_empty() {
        let pkey = provisioned_key(&instance.id, &ps.id, &input.target_id);
        if let Some(p) = PROVISIONED.get(ctx.tx.read(), &pkey)? {
            let directory = ctx.directory();
            let tx = ctx.tx.write()?;
            directory.remove_role(tx, &p.account_id, &p.role_name, SSO_SERVICE_PRINCIPAL)?;
            PROVISIONED.delete(tx, &pkey)?;
        }
    }
    record_request(ctx, &request)?;
    Ok(DeleteAccountAssignmentResponse {
        account_assignment_deletion_status: Some(shape(assignment_status(&request, true))?),
    })
}

fn request(
    ctx: &Ctx<'_>,
    instance: &InstanceRecord,
    kind: &str,
    id: &str,
) -> Result<RequestRecord, ApiError> {
    REQUESTS
        .get(
            ctx.tx.read(),
            &Key::new().str(&instance.id).str(kind).str(id),
        )?
        .ok_or_else(|| {
            errors::RESOURCE_NOT_FOUND_EXCEPTION.error(format!("The request {id} does not exist."))
        })
}

/// `DescribeAccountAssignmentCreationStatus`.
pub fn describe_account_assignment_creation_status(
    ctx: &mut Ctx<'_>,
    input: DescribeAccountAssignmentCreationStatusRequest,
) -> Result<DescribeAccountAssignmentCreationStatusResponse, ApiError> {
    let instance = instance_by_arn(ctx, &input.instance_arn)?;
    let r = request(
        ctx,
        &instance,
        "creation",
        &input.account_assignment_creation_request_id,
    )?;
    shape(json!({"AccountAssignmentCreationStatus": assignment_status(&r, false)}))
}

/// `DescribeAccountAssignmentDeletionStatus`.
pub fn describe_account_assignment_deletion_status(
    ctx: &mut Ctx<'_>,
    input: DescribeAccountAssignmentDeletionStatusRequest,
) -> Result<DescribeAccountAssignmentDeletionStatusResponse, ApiError> {
    let instance = instance_by_arn(ctx, &input.instance_arn)?;
    let r = request(
        ctx,
        &instance,
        "deletion",
        &input.account_assignment_deletion_request_id,
    )?;
    shape(json!({"AccountAssignmentDeletionStatus": assignment_status(&r, false)}))
}

/// One page of an instance's requests of `kind` as status metadata under `key`, filtered by
/// status: the answer of the three `List…Status` operations.
fn requests_page(
    ctx: &Ctx<'_>,
    instance_arn: &str,
    kind: &str,
    filter: Option<OperationStatusFilter>,
    token: Option<&str>,
    max_results: Option<i32>,
    key: &str,
) -> Result<Value, ApiError> {
    let instance = instance_by_arn(ctx, instance_arn)?;
    let filter = filter.and_then(|f| f.status).map(|s| s.as_str().to_owned());
    let after = decode_next_token(token)?;
    let page = REQUESTS.scan(
        ctx.tx.read(),
        &Key::new().str(&instance.id).str(kind),
        after.as_deref(),
        page_size(max_results),
    )?;
    let items: Vec<Value> = page
        .items
        .iter()
        .map(|(_, r)| r)
        .filter(|r| filter.as_deref().is_none_or(|f| f == r.status))
        .map(|r| {
            json!({"Status": r.status, "RequestId": r.request_id, "CreatedDate": timestamp(r.created_ms)})
        })
        .collect();
    Ok(json!({key: items, "NextToken": next_token(&page)}))
}

/// `ListAccountAssignmentCreationStatus`.
pub fn list_account_assignment_creation_status(
    ctx: &mut Ctx<'_>,
    input: ListAccountAssignmentCreationStatusRequest,
) -> Result<ListAccountAssignmentCreationStatusResponse, ApiError> {
    shape(requests_page(
        ctx,
        &input.instance_arn,
        "creation",
        input.filter,
        input.next_token.as_deref(),
        input.max_results,
        "AccountAssignmentsCreationStatus",
    )?)
}

/// `ListAccountAssignmentDeletionStatus`.
pub fn list_account_assignment_deletion_status(
    ctx: &mut Ctx<'_>,
    input: ListAccountAssignmentDeletionStatusRequest,
) -> Result<ListAccountAssignmentDeletionStatusResponse, ApiError> {
    shape(requests_page(
        ctx,
        &input.instance_arn,
        "deletion",
        input.filter,
        input.next_token.as_deref(),
        input.max_results,
        "AccountAssignmentsDeletionStatus",
    )?)
}

fn assignment_view(a: &AssignmentRecord) -> Value {
    json!({
        "AccountId": a.account_id,
        "PermissionSetArn": format!("arn:aws:sso:::permissionSet/{}/{}", a.instance_id, a.permission_set_id),
        "PrincipalType": a.principal_type,
        "PrincipalId": a.principal_id,
    })
}

/// `ListAccountAssignments`: of one permission set in one account.
pub fn list_account_assignments(
    ctx: &mut Ctx<'_>,
    input: ListAccountAssignmentsRequest,
) -> Result<ListAccountAssignmentsResponse, ApiError> {
    let instance = instance_by_arn(ctx, &input.instance_arn)?;
    let ps = permission_set(ctx.tx.read(), &instance, &input.permission_set_arn)?;
    let after = decode_next_token(input.next_token.as_deref())?;
    let page = ASSIGNMENTS.scan(
        ctx.tx.read(),
        &Key::new()
            .str(&instance.id)
            .str(&input.account_id)
            .str(&ps.id),
        after.as_deref(),
        page_size(input.max_results),
    )?;
    let items: Vec<Value> = page.items.iter().map(|(_, a)| assignment_view(a)).collect();
    shape(json!({"AccountAssignments": items, "NextToken": next_token(&page)}))
}

/// `ListAccountAssignmentsForPrincipal`.
pub fn list_account_assignments_for_principal(
    ctx: &mut Ctx<'_>,
    input: ListAccountAssignmentsForPrincipalRequest,
) -> Result<ListAccountAssignmentsForPrincipalResponse, ApiError> {
    let instance = instance_by_arn(ctx, &input.instance_arn)?;
    let account = input.filter.and_then(|f| f.account_id);
    let after = decode_next_token(input.next_token.as_deref())?;
    let page = ASSIGNMENTS.scan_index(
        ctx.tx.read(),
        "principal",
        &Key::new()
            .str(&instance.id)
            .str(input.principal_type.as_str())
            .str(&input.principal_id),
        after.as_deref(),
        page_size(input.max_results),
    )?;
    let items: Vec<Value> = page
        .items
        .iter()
        .map(|(_, a)| a)
        .filter(|a| account.as_deref().is_none_or(|id| id == a.account_id))
        .map(assignment_view)
        .collect();
    shape(json!({"AccountAssignments": items, "NextToken": next_token(&page)}))
}

// ---------------------------------------------------------------------------------------------
// Provisioning
// ---------------------------------------------------------------------------------------------

fn is_current(p: &ProvisionedRecord, tx: &dyn ReadTx) -> Result<bool, ApiError> {
    Ok(PERMISSION_SETS
        .get(
            tx,
            &Key::new().str(&p.instance_id).str(&p.permission_set_id),
        )?
        .is_some_and(|ps| ps.version == p.version))
}

fn wanted(status: Option<&ProvisioningStatus>, current: bool) -> bool {
    match status.map(ProvisioningStatus::as_str) {
        Some("LATEST_PERMISSION_SET_PROVISIONED") => current,
        Some("LATEST_PERMISSION_SET_NOT_PROVISIONED") => !current,
        _ => true,
    }
}

/// `ProvisionPermissionSet`: to one account, or again to every account it is provisioned to.
pub fn provision_permission_set(
    ctx: &mut Ctx<'_>,
    input: ProvisionPermissionSetRequest,
) -> Result<ProvisionPermissionSetResponse, ApiError> {
    let instance = instance_by_arn(ctx, &input.instance_arn)?;
    let ps = permission_set(ctx.tx.read(), &instance, &input.permission_set_arn)?;
    let targets: Vec<String> = match input.target_type.as_str() {
        "AWS_ACCOUNT" => {
            let target = input
                .target_id
                .clone()
                .ok_or_else(|| invalid("TargetId is required when TargetType is AWS_ACCOUNT."))?;
            check_target(ctx, &instance, &target)?;
            vec![target]
        }
        _ => PROVISIONED
            .scan_all(ctx.tx.read(), &Key::new().str(&instance.id).str(&ps.id))?
            .into_iter()
            .map(|(_, p)| p.account_id)
            .collect(),
    };
    let mut request = new_request(
        ctx,
        &instance,
        "provisioning",
        &ps.arn(),
        input.target_id.as_deref(),
        None,
    );
    for account in &targets {
        if let Err(reason) = provision(ctx, &instance, &ps, account)? {
            request.status = "FAILED".to_owned();
            request.failure_reason = Some(reason);
            break;
        }
    }
    record_request(ctx, &request)?;
    shape(json!({"PermissionSetProvisioningStatus": provisioning_status(&request, true)}))
}

/// `DescribePermissionSetProvisioningStatus`.
pub fn describe_permission_set_provisioning_status(
    ctx: &mut Ctx<'_>,
    input: DescribePermissionSetProvisioningStatusRequest,
) -> Result<DescribePermissionSetProvisioningStatusResponse, ApiError> {
    let instance = instance_by_arn(ctx, &input.instance_arn)?;
    let r = request(
        ctx,
        &instance,
        "provisioning",
        &input.provision_permission_set_request_id,
    )?;
    shape(json!({"PermissionSetProvisioningStatus": provisioning_status(&r, false)}))
}

/// `ListPermissionSetProvisioningStatus`.
pub fn list_permission_set_provisioning_status(
    ctx: &mut Ctx<'_>,
    input: ListPermissionSetProvisioningStatusRequest,
) -> Result<ListPermissionSetProvisioningStatusResponse, ApiError> {
    shape(requests_page(
        ctx,
        &input.instance_arn,
        "provisioning",
        input.filter,
        input.next_token.as_deref(),
        input.max_results,
        "PermissionSetsProvisioningStatus",
    )?)
}

/// `ListAccountsForProvisionedPermissionSet`.
pub fn list_accounts_for_provisioned_permission_set(
    ctx: &mut Ctx<'_>,
    input: ListAccountsForProvisionedPermissionSetRequest,
) -> Result<ListAccountsForProvisionedPermissionSetResponse, ApiError> {
    let instance = instance_by_arn(ctx, &input.instance_arn)?;
    let ps = permission_set(ctx.tx.read(), &instance, &input.permission_set_arn)?;
    let after = decode_next_token(input.next_token.as_deref())?;
    let page = PROVISIONED.scan(
        ctx.tx.read(),
        &Key::new().str(&instance.id).str(&ps.id),
        after.as_deref(),
        page_size(input.max_results),
    )?;
    let mut accounts = Vec::new();
    for (_, p) in &page.items {
        if wanted(input.provisioning_status.as_ref(), p.version == ps.version) {
            accounts.push(p.account_id.clone());
        }
    }
    shape(json!({"AccountIds": accounts, "NextToken": next_token(&page)}))
}

/// `ListPermissionSetsProvisionedToAccount`.
pub fn list_permission_sets_provisioned_to_account(
    ctx: &mut Ctx<'_>,
    input: ListPermissionSetsProvisionedToAccountRequest,
) -> Result<ListPermissionSetsProvisionedToAccountResponse, ApiError> {
    let instance = instance_by_arn(ctx, &input.instance_arn)?;
    let tx = ctx.tx.read();
    let after = decode_next_token(input.next_token.as_deref())?;
    let page = PROVISIONED.scan_index(
        tx,
        "account",
        &Key::new().str(&instance.id).str(&input.account_id),
        after.as_deref(),
        page_size(input.max_results),
    )?;
    let mut sets = Vec::new();
    for (_, p) in &page.items {
        if wanted(input.provisioning_status.as_ref(), is_current(p, tx)?) {
            sets.push(format!(
                "arn:aws:sso:::permissionSet/{}/{}",
                p.instance_id, p.permission_set_id
            ));
        }
    }
    shape(json!({"PermissionSets": sets, "NextToken": next_token(&page)}))
}
