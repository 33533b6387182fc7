//! IAM: roles (trust policy, session duration, permissions boundary, tags), service-linked roles
//! and instance profiles.
//!
//! [`create_role_record`] and [`create_organization_access_role`] are also what other services use
//! to set up roles themselves (Organizations' `CreateAccount`); `core` re-exports them.

use std::sync::LazyLock;

use localorg_model::generated::iam::{
    errors, AddRoleToInstanceProfileRequest, CreateInstanceProfileRequest,
    CreateInstanceProfileResponse, CreateRoleRequest, CreateRoleResponse,
    CreateServiceLinkedRoleRequest, CreateServiceLinkedRoleResponse, DeleteInstanceProfileRequest,
    DeleteRolePermissionsBoundaryRequest, DeleteRoleRequest, DeleteServiceLinkedRoleRequest,
    DeleteServiceLinkedRoleResponse, DeletionTaskStatusType, GetInstanceProfileRequest,
    GetInstanceProfileResponse, GetRoleRequest, GetRoleResponse,
    GetServiceLinkedRoleDeletionStatusRequest, GetServiceLinkedRoleDeletionStatusResponse,
    InstanceProfile, ListInstanceProfileTagsRequest, ListInstanceProfileTagsResponse,
    ListInstanceProfilesForRoleRequest, ListInstanceProfilesForRoleResponse,
    ListInstanceProfilesRequest, ListInstanceProfilesResponse, ListRoleTagsRequest,
    ListRoleTagsResponse, ListRolesRequest, ListRolesResponse, PutRolePermissionsBoundaryRequest,
    RemoveRoleFromInstanceProfileRequest, Role, TagInstanceProfileRequest, TagRoleRequest,
    UntagInstanceProfileRequest, UntagRoleRequest, UpdateAssumeRolePolicyRequest,
    UpdateRoleDescriptionRequest, UpdateRoleDescriptionResponse, UpdateRoleRequest,
    UpdateRoleResponse,
};
use localorg_model::ApiError;
use localorg_policy::{validate_document, PolicyType, Severity};
use localorg_store::{Key, ReadTx, Table, WriteTx};

use super::core::{
    already_exists, iam_arn, name_key, path_matches, path_or_root, role, role_shape, ts, ATTACHED,
    ATTACHED_TO, INLINE_POLICIES, INSTANCE_PROFILES, ROLES,
};
use super::core::{check_boundary, last_str, page_of};
use super::records::{InstanceProfileRecord, RoleRecord};
use super::users::{merge_tags, new_tags, remove_tags, tags_page};
use localorg_kernel::context::{IdGen, BASE32_UPPER};
use localorg_kernel::Ctx;

/// The shortest `MaxSessionDuration` (and the default), seconds.
pub(crate) const MIN_SESSION_DURATION: i32 = 3600;
/// The longest `MaxSessionDuration`, seconds.
pub(crate) const MAX_SESSION_DURATION: i32 = 43_200;
/// IAM's default quota of roles per account (`RolesPerAccount`).
const MAX_ROLES: u64 = 1000;
/// IAM's default quota of instance profiles per account (`InstanceProfilesPerAccount`).
const MAX_INSTANCE_PROFILES: u64 = 1000;

/// Deletion tasks of service-linked roles: key (account, task id), value the status.
static SLR_DELETION_TASKS: LazyLock<Table<String>> =
    LazyLock::new(|| Table::new("iam.slr_deletion_task"));

// ---------------------------------------------------------------------------------------------
// Shared with other services
// ---------------------------------------------------------------------------------------------

/// Validates `text` as a role trust policy: `MalformedPolicyDocument` with the engine's AWS
/// wording, or `LimitExceeded` ("Cannot exceed quota for ACLSizePerRole: 2048") when too long.
pub(crate) fn validate_trust_policy(text: &str) -> Result<(), ApiError> {
    let validation = validate_document(text, PolicyType::Trust);
    let Some(finding) = validation
        .findings
        .iter()
        .find(|f| f.severity == Severity::Error)
    else {
        return Ok(());
    };
    let message = finding
        .aws_message
        .clone()
        .unwrap_or_else(|| "Syntax errors in policy.".to_owned());
    if finding.code == "POLICY_SIZE_EXCEEDED" {
        Err(errors::LIMIT_EXCEEDED_EXCEPTION.error(message))
    } else {
        Err(errors::MALFORMED_POLICY_DOCUMENT_EXCEPTION.error(message))
    }
}

/// Creates the role `name` in `account_id` (trust policy validated, name unique without regard to
/// case, the account's role quota respected) and returns it. Used by `CreateRole` and by services
/// that set up roles themselves (Organizations' `CreateAccount`).
#[expect(
    clippy::too_many_arguments,
    reason = "the role's fields, as other services pass them"
)]
pub(crate) fn create_role_record(
    tx: &mut dyn WriteTx,
    ids: &IdGen,
    now_ms: i64,
    account_id: &str,
    name: &str,
    path: &str,
    trust_policy: &str,
    description: Option<&str>,
    max_session_duration: i32,
) -> Result<RoleRecord, ApiError> {
    validate_trust_policy(trust_policy)?;
    check_session_duration(max_session_duration)?;
    let pk = name_key(account_id, name);
    if ROLES.contains(tx.as_read(), &pk)? {
        return Err(already_exists("Role", name));
    }
    if ROLES.count(tx.as_read(), &Key::new().str(account_id))? >= MAX_ROLES {
        return Err(errors::LIMIT_EXCEEDED_EXCEPTION.error(format!(
            "Cannot exceed quota for RolesPerAccount: {MAX_ROLES}"
        )));
    }
    let record = RoleRecord {
        account_id: account_id.to_owned(),
        name: name.to_owned(),
        id: format!("AROA{}", ids.string(BASE32_UPPER, 17)),
        path: path.to_owned(),
        trust_policy: trust_policy.to_owned(),
        description: description.filter(|d| !d.is_empty()).map(str::to_owned),
        max_session_duration,
        permissions_boundary: None,
        tags: Vec::new(),
        created_ms: now_ms,
        last_used: None,
        service_linked_to: None,
        managed_by: None,
    };
    ROLES.put(tx, &pk, &record)?;
    Ok(record)
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// `MaxSessionDuration` must be 1 to 12 hours (the wire layer checks the model's range too; this
/// guards the internal callers).
fn check_session_duration(seconds: i32) -> Result<(), ApiError> {
    let bound = if seconds < MIN_SESSION_DURATION {
        format!("greater than or equal to {MIN_SESSION_DURATION}")
    } else if seconds > MAX_SESSION_DURATION {
        format!("less than or equal to {MAX_SESSION_DURATION}")
    } else {
        return Ok(());
    };
    Err(ApiError::new(
        "ValidationError",
        400,
        format!(
            "1 validation error detected: Value '{seconds}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value {bound}"
        ),
    ))
}

/// `UnmodifiableEntity` for what only AWS may change on a service-linked or service-managed role.
pub(crate) fn protected_role(name: &str) -> ApiError {
    errors::UNMODIFIABLE_ENTITY_EXCEPTION.error(format!(
        "Cannot perform the operation on the protected role '{name}' - this role is only modifiable by AWS"
    ))
}

/// The `Role` view in listings: `ListRoles` (and roles inside instance profiles) leave out the
/// permissions boundary, tags and last use, as IAM does.
fn listed_role_shape(r: &RoleRecord) -> Role {
    Role {
        permissions_boundary: None,
        tags: None,
        role_last_used: None,
        ..role_shape(r)
    }
}

/// The `Role` view `CreateRole` answers with (no `RoleLastUsed` yet).
fn created_role_shape(r: &RoleRecord) -> Role {
    Role {
        role_last_used: None,
        ..role_shape(r)
    }
}

fn write_role(tx: &mut dyn WriteTx, r: &RoleRecord) -> Result<(), ApiError> {
    ROLES.put(tx, &name_key(&r.account_id, &r.name), r)?;
    Ok(())
}

/// The instance profiles of `account` that hold the role `role_name`.
fn profiles_with_role(
    tx: &dyn ReadTx,
    account: &str,
    role_name: &str,
) -> Result<Vec<InstanceProfileRecord>, ApiError> {
    Ok(INSTANCE_PROFILES
        .scan_all(tx, &Key::new().str(account))?
        .into_iter()
        .map(|(_, p)| p)
        .filter(|p| {
            p.role_name
                .as_deref()
                .is_some_and(|r| r.eq_ignore_ascii_case(role_name))
        })
        .collect())
}

/// The prefix of a role's rows in `ATTACHED` and `INLINE_POLICIES`.
fn role_rows_prefix(account: &str, role_name: &str) -> Key {
    Key::new()
        .str(account)
        .str("role")
        .str(&role_name.to_lowercase())
}

/// Removes a role and everything hanging off it (attachments, inline policies, instance profile
/// membership): for service-linked and service-managed roles, which AWS cleans up itself.
pub(crate) fn purge_role(tx: &mut dyn WriteTx, r: &RoleRecord) -> Result<(), ApiError> {
    clear_role_policies(tx, r)?;
    let account = r.account_id.as_str();
    for mut profile in profiles_with_role(tx.as_read(), account, &r.name)? {
        profile.role_name = None;
        INSTANCE_PROFILES.put(tx, &name_key(account, &profile.name), &profile)?;
    }
    ROLES.delete(tx, &name_key(account, &r.name))?;
    Ok(())
}

/// Detaches every managed policy of a role and deletes its inline policies.
pub(crate) fn clear_role_policies(tx: &mut dyn WriteTx, r: &RoleRecord) -> Result<(), ApiError> {
    let account = r.account_id.as_str();
    let prefix = role_rows_prefix(account, &r.name);
    for (key, _) in ATTACHED.scan_all(tx.as_read(), &prefix)? {
        if let Some(arn) = last_str(&key)? {
            ATTACHED_TO.delete(
                tx,
                &Key::new()
                    .str(account)
                    .str(&arn)
                    .str("role")
                    .str(&r.name.to_lowercase()),
            )?;
        }
    }
    ATTACHED.delete_prefix(tx, &prefix)?;
    INLINE_POLICIES.delete_prefix(tx, &prefix)?;
    Ok(())
}

/// The key of a role's inline policy `policy_name` in `INLINE_POLICIES`.
pub(crate) fn role_inline_key(account: &str, role_name: &str, policy_name: &str) -> Key {
    role_rows_prefix(account, role_name).str(policy_name)
}

// ---------------------------------------------------------------------------------------------
// Roles
// ---------------------------------------------------------------------------------------------

/// `CreateRole`.
pub(super) fn create_role(
    ctx: &mut Ctx<'_>,
    input: CreateRoleRequest,
) -> Result<CreateRoleResponse, ApiError> {
    let account = ctx.caller.account_id.clone();
    let tags = new_tags(input.tags.as_deref().unwrap_or_default())?;
    if let Some(boundary) = input.permissions_boundary.as_deref() {
        check_boundary(ctx.tx.read(), &account, boundary)?;
    }
    let now = ctx.now_ms();
    let ids = ctx.ids;
    let tx = ctx.tx.write()?;
    let mut record = create_role_record(
        tx,
        ids,
        now,
        &account,
        &input.role_name,
        &path_or_root(input.path.as_deref()),
        &input.assume_role_policy_document,
        input.description.as_deref(),
        input.max_session_duration.unwrap_or(MIN_SESSION_DURATION),
    )?;
    if input.permissions_boundary.is_some() || !tags.is_empty() {
        record.permissions_boundary = input.permissions_boundary;
        record.tags = tags;
        write_role(tx, &record)?;
    }
    Ok(CreateRoleResponse {
        role: created_role_shape(&record),
    })
}

/// `GetRole`.
pub(super) fn get_role(
    ctx: &mut Ctx<'_>,
    input: GetRoleRequest,
) -> Result<GetRoleResponse, ApiError> {
    let r = role(ctx.tx.read(), &ctx.caller.account_id, &input.role_name)?;
    Ok(GetRoleResponse {
        role: role_shape(&r),
    })
}

/// `UpdateRole`: description and maximum session duration (only the ones given change).
pub(super) fn update_role(
    ctx: &mut Ctx<'_>,
    input: UpdateRoleRequest,
) -> Result<UpdateRoleResponse, ApiError> {
    let mut r = role(ctx.tx.read(), &ctx.caller.account_id, &input.role_name)?;
    if let Some(seconds) = input.max_session_duration {
        if r.service_linked_to.is_some() {
            return Err(protected_role(&r.name));
        }
        check_session_duration(seconds)?;
        r.max_session_duration = seconds;
    }
    if let Some(description) = input.description {
        // An empty description clears it.
        r.description = Some(description).filter(|d| !d.is_empty());
    }
    write_role(ctx.tx.write()?, &r)?;
    Ok(UpdateRoleResponse {})
}

/// `UpdateRoleDescription` (allowed on service-linked roles too, as in AWS).
pub(super) fn update_role_description(
    ctx: &mut Ctx<'_>,
    input: UpdateRoleDescriptionRequest,
) -> Result<UpdateRoleDescriptionResponse, ApiError> {
    let mut r = role(ctx.tx.read(), &ctx.caller.account_id, &input.role_name)?;
    r.description = Some(input.description).filter(|d| !d.is_empty());
    write_role(ctx.tx.write()?, &r)?;
    Ok(UpdateRoleDescriptionResponse {
        role: Some(role_shape(&r)),
    })
}

/// `DeleteRole`: only once the role is out of every instance profile and has no attached or
/// inline policies; service-linked roles go through `DeleteServiceLinkedRole`.
pub(super) fn delete_role(ctx: &mut Ctx<'_>, input: DeleteRoleRequest) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let tx = ctx.tx.read();
    let r = role(tx, &account, &input.role_name)?;
    if r.service_linked_to.is_some() {
        return Err(protected_role(&r.name));
    }
    let conflict = |m: &str| errors::DELETE_CONFLICT_EXCEPTION.error(m);
    if !profiles_with_role(tx, &account, &r.name)?.is_empty() {
        return Err(conflict(
            "Cannot delete entity, must remove roles from instance profile first.",
        ));
    }
    let prefix = role_rows_prefix(&account, &r.name);
    if ATTACHED.count(tx, &prefix)? > 0 {
        return Err(conflict(
            "Cannot delete entity, must detach all policies first.",
        ));
    }
    if INLINE_POLICIES.count(tx, &prefix)? > 0 {
        return Err(conflict(
            "Cannot delete entity, must delete policies first.",
        ));
    }
    ROLES.delete(ctx.tx.write()?, &name_key(&account, &r.name))?;
    Ok(())
}

/// `ListRoles`: the account's roles under `PathPrefix`, by name.
pub(super) fn list_roles(
    ctx: &mut Ctx<'_>,
    input: ListRolesRequest,
) -> Result<ListRolesResponse, ApiError> {
    let items = ROLES
        .scan_all(ctx.tx.read(), &Key::new().str(&ctx.caller.account_id))?
        .into_iter()
        .map(|(_, r)| r)
        .filter(|r| path_matches(&r.path, input.path_prefix.as_deref()))
        .map(|r| (r.name.to_lowercase(), listed_role_shape(&r)))
        .collect();
    let (roles, truncated, marker) = page_of(items, input.marker.as_deref(), input.max_items)?;
    Ok(ListRolesResponse {
        roles,
        is_truncated: Some(truncated),
        marker,
    })
}

/// `UpdateAssumeRolePolicy`: a new trust policy, validated as one.
pub(super) fn update_assume_role_policy(
    ctx: &mut Ctx<'_>,
    input: UpdateAssumeRolePolicyRequest,
) -> Result<(), ApiError> {
    let mut r = role(ctx.tx.read(), &ctx.caller.account_id, &input.role_name)?;
    if r.service_linked_to.is_some() {
        return Err(protected_role(&r.name));
    }
    validate_trust_policy(&input.policy_document)?;
    r.trust_policy = input.policy_document;
    write_role(ctx.tx.write()?, &r)
}

/// `TagRole`.
pub(super) fn tag_role(ctx: &mut Ctx<'_>, input: TagRoleRequest) -> Result<(), ApiError> {
    let mut r = role(ctx.tx.read(), &ctx.caller.account_id, &input.role_name)?;
    merge_tags(&mut r.tags, &input.tags)?;
    write_role(ctx.tx.write()?, &r)
}

/// `UntagRole`.
pub(super) fn untag_role(ctx: &mut Ctx<'_>, input: UntagRoleRequest) -> Result<(), ApiError> {
    let mut r = role(ctx.tx.read(), &ctx.caller.account_id, &input.role_name)?;
    remove_tags(&mut r.tags, &input.tag_keys);
    write_role(ctx.tx.write()?, &r)
}

/// `ListRoleTags`.
pub(super) fn list_role_tags(
    ctx: &mut Ctx<'_>,
    input: ListRoleTagsRequest,
) -> Result<ListRoleTagsResponse, ApiError> {
    let r = role(ctx.tx.read(), &ctx.caller.account_id, &input.role_name)?;
    let (tags, truncated, marker) = tags_page(&r.tags, input.marker.as_deref(), input.max_items)?;
    Ok(ListRoleTagsResponse {
        tags,
        is_truncated: Some(truncated),
        marker,
    })
}

/// `PutRolePermissionsBoundary`.
pub(super) fn put_role_permissions_boundary(
    ctx: &mut Ctx<'_>,
    input: PutRolePermissionsBoundaryRequest,
) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let mut r = role(ctx.tx.read(), &account, &input.role_name)?;
    if r.service_linked_to.is_some() {
        return Err(protected_role(&r.name));
    }
    check_boundary(ctx.tx.read(), &account, &input.permissions_boundary)?;
    r.permissions_boundary = Some(input.permissions_boundary);
    write_role(ctx.tx.write()?, &r)
}

/// `DeleteRolePermissionsBoundary` (a role without one is left as it is).
pub(super) fn delete_role_permissions_boundary(
    ctx: &mut Ctx<'_>,
    input: DeleteRolePermissionsBoundaryRequest,
) -> Result<(), ApiError> {
    let mut r = role(ctx.tx.read(), &ctx.caller.account_id, &input.role_name)?;
    if r.service_linked_to.is_some() {
        return Err(protected_role(&r.name));
    }
    if r.permissions_boundary.take().is_some() {
        write_role(ctx.tx.write()?, &r)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Service-linked roles
// ---------------------------------------------------------------------------------------------

/// A service that has a service-linked role: its principal, the role's name, whether it takes a
/// `CustomSuffix`, and the AWS managed policy AWS attaches to it (when localorg's catalogue has it).
struct LinkedService {
    principal: &'static str,
    role_name: &'static str,
    custom_suffix: bool,
    policy: Option<(&'static str, &'static str)>,
}

const fn linked(principal: &'static str, role_name: &'static str) -> LinkedService {
    LinkedService {
        principal,
        role_name,
        custom_suffix: false,
        policy: None,
    }
}

const fn linked_with_suffix(principal: &'static str, role_name: &'static str) -> LinkedService {
    LinkedService {
        principal,
        role_name,
        custom_suffix: true,
        policy: None,
    }
}

/// The role names AWS gives service-linked roles of the services platform teams meet most.
static LINKED_SERVICES: &[LinkedService] = &[
    LinkedService {
        principal: "organizations.amazonaws.com",
        role_name: "AWSServiceRoleForOrganizations",
        custom_suffix: false,
        policy: Some((
            "arn:aws:iam::aws:policy/aws-service-role/AWSOrganizationsServiceTrustPolicy",
            "AWSOrganizationsServiceTrustPolicy",
        )),
    },
    LinkedService {
        principal: "sso.amazonaws.com",
        role_name: "AWSServiceRoleForSSO",
        custom_suffix: false,
        policy: Some((
            "arn:aws:iam::aws:policy/aws-service-role/AWSSSOServiceRolePolicy",
            "AWSSSOServiceRolePolicy",
        )),
    },
    linked(
        "access-analyzer.amazonaws.com",
        "AWSServiceRoleForAccessAnalyzer",
    ),
    linked_with_suffix("autoscaling.amazonaws.com", "AWSServiceRoleForAutoScaling"),
    linked("backup.amazonaws.com", "AWSServiceRoleForBackup"),
    linked("cloudtrail.amazonaws.com", "AWSServiceRoleForCloudTrail"),
    linked(
        "compute-optimizer.amazonaws.com",
        "AWSServiceRoleForComputeOptimizer",
    ),
    linked("config.amazonaws.com", "AWSServiceRoleForConfig"),
    linked(
        "controltower.amazonaws.com",
        "AWSServiceRoleForAWSControlTower",
    ),
    linked("ecs.amazonaws.com", "AWSServiceRoleForECS"),
    linked("eks.amazonaws.com", "AWSServiceRoleForAmazonEKS"),
    linked(
        "eks-nodegroup.amazonaws.com",
        "AWSServiceRoleForAmazonEKSNodegroup",
    ),
    linked_with_suffix(
        "elasticbeanstalk.amazonaws.com",
        "AWSServiceRoleForElasticBeanstalk",
    ),
    linked("elasticache.amazonaws.com", "AWSServiceRoleForElastiCache"),
    linked(
        "elasticloadbalancing.amazonaws.com",
        "AWSServiceRoleForElasticLoadBalancing",
    ),
    linked(
        "es.amazonaws.com",
        "AWSServiceRoleForAmazonElasticsearchService",
    ),
    linked(
        "guardduty.amazonaws.com",
        "AWSServiceRoleForAmazonGuardDuty",
    ),
    linked(
        "inspector2.amazonaws.com",
        "AWSServiceRoleForAmazonInspector2",
    ),
    linked("ipam.amazonaws.com", "AWSServiceRoleForIPAM"),
    linked("macie.amazonaws.com", "AWSServiceRoleForAmazonMacie"),
    linked(
        "member.org.stacksets.cloudformation.amazonaws.com",
        "AWSServiceRoleForCloudFormationStackSetsOrgMember",
    ),
    linked(
        "opensearchservice.amazonaws.com",
        "AWSServiceRoleForAmazonOpenSearchService",
    ),
    linked(
        "ram.amazonaws.com",
        "AWSServiceRoleForResourceAccessManager",
    ),
    linked("rds.amazonaws.com", "AWSServiceRoleForRDS"),
    linked("securityhub.amazonaws.com", "AWSServiceRoleForSecurityHub"),
    linked("spot.amazonaws.com", "AWSServiceRoleForEC2Spot"),
    linked("spotfleet.amazonaws.com", "AWSServiceRoleForEC2SpotFleet"),
    linked("ssm.amazonaws.com", "AWSServiceRoleForAmazonSSM"),
    linked("support.amazonaws.com", "AWSServiceRoleForSupport"),
    linked(
        "transitgateway.amazonaws.com",
        "AWSServiceRoleForVPCTransitGateway",
    ),
    linked(
        "trustedadvisor.amazonaws.com",
        "AWSServiceRoleForTrustedAdvisor",
    ),
];

/// The role name for a service principal AWS's table above does not list: `AWSServiceRoleFor` +
/// the principal's labels before `.amazonaws.com` in PascalCase (`foo-bar.amazonaws.com` ->
/// `AWSServiceRoleForFooBar`).
fn derived_role_name(principal: &str) -> Option<String> {
    let service = principal.strip_suffix(".amazonaws.com")?;
    let mut name = String::from("AWSServiceRoleFor");
    for word in service.split(['.', '-']).filter(|w| !w.is_empty()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            name.extend(first.to_uppercase());
            name.push_str(chars.as_str());
        }
    }
    (name.len() > "AWSServiceRoleFor".len()).then_some(name)
}

/// `CreateServiceLinkedRole`: the service's role under `/aws-service-role/<service>/`, trusting
/// the service principal.
pub(super) fn create_service_linked_role(
    ctx: &mut Ctx<'_>,
    input: CreateServiceLinkedRoleRequest,
) -> Result<CreateServiceLinkedRoleResponse, ApiError> {
    let account = ctx.caller.account_id.clone();
    let principal = input.aws_service_name.as_str();
    let known = LINKED_SERVICES.iter().find(|s| s.principal == principal);
    // Choice: services localorg's table does not list still get a role (named by AWS's general
    // rule) so tools creating service-linked roles for services localorg does not play keep
    // working; a name that is not a service principal at all is `InvalidInput`.
    let (base, suffix_allowed, policy) = match known {
        Some(s) => (s.role_name.to_owned(), s.custom_suffix, s.policy),
        None => (
            derived_role_name(principal).ok_or_else(|| {
                errors::INVALID_INPUT_EXCEPTION
                    .error(format!("Invalid service principal name: {principal}"))
            })?,
            true,
            None,
        ),
    };
    let name = match input.custom_suffix.as_deref() {
        Some(_) if !suffix_allowed => {
            return Err(errors::INVALID_INPUT_EXCEPTION
                .error(format!("Custom suffix is not allowed for {principal}")));
        }
        Some(suffix) => format!("{base}_{suffix}"),
        None => base,
    };
    if ROLES.contains(ctx.tx.read(), &name_key(&account, &name))? {
        return Err(errors::INVALID_INPUT_EXCEPTION.error(format!(
            "Service role name {name} has been taken in this account, please try a different suffix."
        )));
    }
    let trust = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"{principal}"}},"Action":"sts:AssumeRole"}}]}}"#
    );
    let now = ctx.now_ms();
    let ids = ctx.ids;
    let tx = ctx.tx.write()?;
    let mut record = create_role_record(
        tx,
        ids,
        now,
        &account,
        &name,
        &format!("/aws-service-role/{principal}/"),
        &trust,
        input.description.as_deref(),
        MIN_SESSION_DURATION,
    )?;
    record.service_linked_to = Some(principal.to_owned());
    write_role(tx, &record)?;
    if let Some((arn, policy_name)) = policy {
        super::policies::attach_rows(tx, &account, "role", &record.name, arn, policy_name)?;
    }
    Ok(CreateServiceLinkedRoleResponse {
        role: Some(created_role_shape(&record)),
    })
}

/// `DeleteServiceLinkedRole`: deletes the role at once (localorg has no resources that would
/// still use it) and returns the deletion task, which has `SUCCEEDED`.
pub(super) fn delete_service_linked_role(
    ctx: &mut Ctx<'_>,
    input: DeleteServiceLinkedRoleRequest,
) -> Result<DeleteServiceLinkedRoleResponse, ApiError> {
    let account = ctx.caller.account_id.clone();
    let r = role(ctx.tx.read(), &account, &input.role_name)?;
    let Some(principal) = r.service_linked_to.clone() else {
        return Err(errors::INVALID_INPUT_EXCEPTION
            .error(format!("Role {} is not a service-linked role.", r.name)));
    };
    let uuid = ctx.ids.uuid();
    let task_id = format!("task/aws-service-role/{principal}/{}/{uuid}", r.name);
    let tx = ctx.tx.write()?;
    purge_role(tx, &r)?;
    SLR_DELETION_TASKS.put(
        tx,
        &Key::new().str(&account).str(&task_id),
        &DeletionTaskStatusType::Succeeded.as_str().to_owned(),
    )?;
    Ok(DeleteServiceLinkedRoleResponse {
        deletion_task_id: task_id,
    })
}

/// `GetServiceLinkedRoleDeletionStatus`.
pub(super) fn get_service_linked_role_deletion_status(
    ctx: &mut Ctx<'_>,
    input: GetServiceLinkedRoleDeletionStatusRequest,
) -> Result<GetServiceLinkedRoleDeletionStatusResponse, ApiError> {
    let id = input.deletion_task_id.as_str();
    if !id.starts_with("task/aws-service-role/") {
        return Err(
            errors::INVALID_INPUT_EXCEPTION.error(format!("Invalid deletion task id: {id}"))
        );
    }
    let status = SLR_DELETION_TASKS
        .get(
            ctx.tx.read(),
            &Key::new().str(&ctx.caller.account_id).str(id),
        )?
        .and_then(|s| DeletionTaskStatusType::from_str_value(&s))
        .ok_or_else(|| {
            errors::NO_SUCH_ENTITY_EXCEPTION.error(format!("Deletion task {id} cannot be found."))
        })?;
    Ok(GetServiceLinkedRoleDeletionStatusResponse {
        status,
        reason: None,
    })
}

// ---------------------------------------------------------------------------------------------
// Instance profiles
// ---------------------------------------------------------------------------------------------

fn no_such_profile(name: &str) -> ApiError {
    errors::NO_SUCH_ENTITY_EXCEPTION.error(format!("Instance Profile {name} cannot be found."))
}

fn instance_profile(
    tx: &dyn ReadTx,
    account: &str,
    name: &str,
) -> Result<InstanceProfileRecord, ApiError> {
    INSTANCE_PROFILES
        .get(tx, &name_key(account, name))?
        .ok_or_else(|| no_such_profile(name))
}

fn write_profile(tx: &mut dyn WriteTx, p: &InstanceProfileRecord) -> Result<(), ApiError> {
    INSTANCE_PROFILES.put(tx, &name_key(&p.account_id, &p.name), p)?;
    Ok(())
}

/// The `InstanceProfile` view, with its role (if any); `with_tags` for the single-profile answers.
fn profile_shape(
    tx: &dyn ReadTx,
    p: &InstanceProfileRecord,
    with_tags: bool,
) -> Result<InstanceProfile, ApiError> {
    let mut roles = Vec::new();
    if let Some(role_name) = p.role_name.as_deref() {
        if let Some(r) = ROLES.get(tx, &name_key(&p.account_id, role_name))? {
            roles.push(listed_role_shape(&r));
        }
    }
    Ok(InstanceProfile {
        arn: iam_arn(&p.account_id, "instance-profile", &p.path, &p.name),
        create_date: ts(p.created_ms),
        instance_profile_id: p.id.clone(),
        instance_profile_name: p.name.clone(),
        path: p.path.clone(),
        roles,
        tags: if with_tags {
            super::core::tags_shape(&p.tags)
        } else {
            None
        },
    })
}

/// `CreateInstanceProfile`.
pub(super) fn create_instance_profile(
    ctx: &mut Ctx<'_>,
    input: CreateInstanceProfileRequest,
) -> Result<CreateInstanceProfileResponse, ApiError> {
    let account = ctx.caller.account_id.clone();
    let tags = new_tags(input.tags.as_deref().unwrap_or_default())?;
    let pk = name_key(&account, &input.instance_profile_name);
    if INSTANCE_PROFILES.contains(ctx.tx.read(), &pk)? {
        return Err(errors::ENTITY_ALREADY_EXISTS_EXCEPTION.error(format!(
            "Instance Profile {} already exists.",
            input.instance_profile_name
        )));
    }
    if INSTANCE_PROFILES.count(ctx.tx.read(), &Key::new().str(&account))? >= MAX_INSTANCE_PROFILES {
        return Err(errors::LIMIT_EXCEEDED_EXCEPTION.error(format!(
            "Cannot exceed quota for InstanceProfilesPerAccount: {MAX_INSTANCE_PROFILES}"
        )));
    }
    let record = InstanceProfileRecord {
        account_id: account,
        name: input.instance_profile_name,
        id: format!("AIPA{}", ctx.ids.string(BASE32_UPPER, 17)),
        path: path_or_root(input.path.as_deref()),
        role_name: None,
        tags,
        created_ms: ctx.now_ms(),
    };
    write_profile(ctx.tx.write()?, &record)?;
    Ok(CreateInstanceProfileResponse {
        instance_profile: profile_shape(ctx.tx.read(), &record, true)?,
    })
}

/// `GetInstanceProfile`.
pub(super) fn get_instance_profile(
    ctx: &mut Ctx<'_>,
    input: GetInstanceProfileRequest,
) -> Result<GetInstanceProfileResponse, ApiError> {
    let tx = ctx.tx.read();
    let p = instance_profile(tx, &ctx.caller.account_id, &input.instance_profile_name)?;
    Ok(GetInstanceProfileResponse {
        instance_profile: profile_shape(tx, &p, true)?,
    })
}

/// `DeleteInstanceProfile`: only once its role is removed.
pub(super) fn delete_instance_profile(
    ctx: &mut Ctx<'_>,
    input: DeleteInstanceProfileRequest,
) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let p = instance_profile(ctx.tx.read(), &account, &input.instance_profile_name)?;
    if p.role_name.is_some() {
        return Err(errors::DELETE_CONFLICT_EXCEPTION
            .error("Cannot delete entity, must remove roles from instance profile first."));
    }
    INSTANCE_PROFILES.delete(ctx.tx.write()?, &name_key(&account, &p.name))?;
    Ok(())
}

/// `ListInstanceProfiles`: the account's instance profiles under `PathPrefix`, by name.
pub(super) fn list_instance_profiles(
    ctx: &mut Ctx<'_>,
    input: ListInstanceProfilesRequest,
) -> Result<ListInstanceProfilesResponse, ApiError> {
    let tx = ctx.tx.read();
    let mut items = Vec::new();
    for (_, p) in INSTANCE_PROFILES.scan_all(tx, &Key::new().str(&ctx.caller.account_id))? {
        if path_matches(&p.path, input.path_prefix.as_deref()) {
            items.push((p.name.to_lowercase(), profile_shape(tx, &p, false)?));
        }
    }
    let (instance_profiles, truncated, marker) =
        page_of(items, input.marker.as_deref(), input.max_items)?;
    Ok(ListInstanceProfilesResponse {
        instance_profiles,
        is_truncated: Some(truncated),
        marker,
    })
}

/// `AddRoleToInstanceProfile`: an instance profile holds at most one role.
pub(super) fn add_role_to_instance_profile(
    ctx: &mut Ctx<'_>,
    input: AddRoleToInstanceProfileRequest,
) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let tx = ctx.tx.read();
    let mut p = instance_profile(tx, &account, &input.instance_profile_name)?;
    let r = role(tx, &account, &input.role_name)?;
    if p.role_name.is_some() {
        return Err(errors::LIMIT_EXCEEDED_EXCEPTION
            .error("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1"));
    }
    p.role_name = Some(r.name);
    write_profile(ctx.tx.write()?, &p)
}

/// `RemoveRoleFromInstanceProfile`.
pub(super) fn remove_role_from_instance_profile(
    ctx: &mut Ctx<'_>,
    input: RemoveRoleFromInstanceProfileRequest,
) -> Result<(), ApiError> {
    let account = ctx.caller.account_id.clone();
    let tx = ctx.tx.read();
    let mut p = instance_profile(tx, &account, &input.instance_profile_name)?;
    let r = role(tx, &account, &input.role_name)?;
    let holds = p
        .role_name
        .as_deref()
        .is_some_and(|n| n.eq_ignore_ascii_case(&r.name));
    if !holds {
        // Choice: the role exists but is not in this profile; IAM answers NoSuchEntity.
        return Err(errors::NO_SUCH_ENTITY_EXCEPTION.error(format!(
            "The role with name {} cannot be found in instance profile {}.",
            r.name, p.name
        )));
    }
    p.role_name = None;
    write_profile(ctx.tx.write()?, &p)
}

/// `ListInstanceProfilesForRole`.
pub(super) fn list_instance_profiles_for_role(
    ctx: &mut Ctx<'_>,
    input: ListInstanceProfilesForRoleRequest,
) -> Result<ListInstanceProfilesForRoleResponse, ApiError> {
    let account = ctx.caller.account_id.clone();
    let tx = ctx.tx.read();
    let r = role(tx, &account, &input.role_name)?;
    let mut items = Vec::new();
    for p in profiles_with_role(tx, &account, &r.name)? {
        items.push((p.name.to_lowercase(), profile_shape(tx, &p, false)?));
    }
    let (instance_profiles, truncated, marker) =
        page_of(items, input.marker.as_deref(), input.max_items)?;
    Ok(ListInstanceProfilesForRoleResponse {
        instance_profiles,
        is_truncated: Some(truncated),
        marker,
    })
}

/// `TagInstanceProfile`.
pub(super) fn tag_instance_profile(
    ctx: &mut Ctx<'_>,
    input: TagInstanceProfileRequest,
) -> Result<(), ApiError> {
    let mut p = instance_profile(
        ctx.tx.read(),
        &ctx.caller.account_id,
        &input.instance_profile_name,
    )?;
    merge_tags(&mut p.tags, &input.tags)?;
    write_profile(ctx.tx.write()?, &p)
}

/// `UntagInstanceProfile`.
pub(super) fn untag_instance_profile(
    ctx: &mut Ctx<'_>,
    input: UntagInstanceProfileRequest,
) -> Result<(), ApiError> {
    let mut p = instance_profile(
        ctx.tx.read(),
        &ctx.caller.account_id,
        &input.instance_profile_name,
    )?;
    remove_tags(&mut p.tags, &input.tag_keys);
    write_profile(ctx.tx.write()?, &p)
}

/// `ListInstanceProfileTags`.
pub(super) fn list_instance_profile_tags(
    ctx: &mut Ctx<'_>,
    input: ListInstanceProfileTagsRequest,
) -> Result<ListInstanceProfileTagsResponse, ApiError> {
    let p = instance_profile(
        ctx.tx.read(),
        &ctx.caller.account_id,
        &input.instance_profile_name,
    )?;
    let (tags, truncated, marker) = tags_page(&p.tags, input.marker.as_deref(), input.max_items)?;
    Ok(ListInstanceProfileTagsResponse {
        tags,
        is_truncated: Some(truncated),
        marker,
    })
}
