//! Permission sets (sso-admin): their session duration and relay state, AWS managed policies,
//! customer managed policy references, the inline policy, the permissions boundary, and tags of
//! permission sets and instances.
//!
//! Every change to what a permission set grants bumps its `version`; an account whose role was
//! provisioned from an older version is outdated until the set is provisioned again.

use std::sync::LazyLock;

use localorg_kernel::Ctx;
use localorg_model::generated::sso_admin::*;
use localorg_model::ApiError;
use localorg_policy::{validate_document, PolicyType};
use localorg_store::{Index, Key, ReadTx, Table};
use serde::{Deserialize, Serialize};

use crate::core::{list_page, prefix_page, shape, timestamp, INSTANCES};
use crate::instances::instance_by_arn;
use crate::records::InstanceRecord;

/// AWS managed policies one permission set may carry.
const MAX_MANAGED_POLICIES: usize = 20;

/// A customer managed policy, by name and path (resolved in each target account).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyReference {
    /// The policy's name.
    pub name: String,
    /// Its path (`/` by default).
    pub path: String,
}

/// A permission set's permissions boundary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Boundary {
    /// An AWS managed policy.
    Managed(String),
    /// A customer managed policy of each target account.
    Customer(PolicyReference),
}

/// A permission set.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PermissionSetRecord {
    /// The instance (`ssoins-…`).
    pub instance_id: String,
    /// `ps-` + 16 hex.
    pub id: String,
    /// Unique in the instance.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// ISO 8601 duration (`PT1H`).
    pub session_duration: String,
    /// Where the portal sends users after sign-in.
    pub relay_state: Option<String>,
    /// Created, ms since epoch.
    pub created_ms: i64,
    /// Tags, in the order given.
    pub tags: Vec<(String, String)>,
    /// AWS managed policies as (ARN, name).
    pub managed_policies: Vec<(String, String)>,
    /// Customer managed policy references.
    pub customer_policies: Vec<PolicyReference>,
    /// The inline policy document.
    pub inline_policy: Option<String>,
    /// The permissions boundary.
    pub boundary: Option<Boundary>,
    /// Bumped by every change to what the set grants.
    pub version: u64,
}

impl PermissionSetRecord {
    /// `arn:aws:sso:::permissionSet/ssoins-…/ps-…`.
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:sso:::permissionSet/{}/{}",
            self.instance_id, self.id
        )
    }
}

/// Permission sets by (instance, id); unique by (instance, lower-cased name).
pub static PERMISSION_SETS: LazyLock<Table<PermissionSetRecord>> = LazyLock::new(|| {
    Table::new("sso.permission_set").index(Index::unique("name", |p: &PermissionSetRecord| {
        vec![Key::new().str(&p.instance_id).str(&p.name.to_lowercase())]
    }))
});

fn key(instance_id: &str, id: &str) -> Key {
    Key::new().str(instance_id).str(id)
}

fn invalid(message: impl Into<String>) -> ApiError {
    errors::VALIDATION_EXCEPTION.error(message.into())
}

fn not_found(message: impl Into<String>) -> ApiError {
    errors::RESOURCE_NOT_FOUND_EXCEPTION.error(message.into())
}

/// Seconds of an ISO 8601 duration of hours, minutes and seconds (`PT1H`, `PT1H30M`, `PT3600S`).
pub fn duration_seconds(text: &str) -> Option<i64> {
    let rest = text.strip_prefix("PT")?;
    let mut total = 0i64;
    let mut number = String::new();
    for c in rest.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: i64 = number.parse().ok()?;
        number.clear();
        total += match c {
            'H' => n * 3600,
            'M' => n * 60,
            'S' => n,
            _ => return None,
        };
    }
    number.is_empty().then_some(total)
}

/// `SessionDuration` must be 1 to 12 hours.
fn check_duration(text: &str) -> Result<(), ApiError> {
    match duration_seconds(text) {
        Some(s) if (3600..=43_200).contains(&s) => Ok(()),
        _ => Err(invalid(format!(
            "The session duration {text} is not valid: it must be an ISO 8601 duration from PT1H to PT12H."
        ))),
    }
}

/// The permission set a `PermissionSetArn` names in `instance`.
pub fn permission_set(
    tx: &dyn ReadTx,
    instance: &InstanceRecord,
    arn: &str,
) -> Result<PermissionSetRecord, ApiError> {
    let id = crate::core::plain_id(arn);
    PERMISSION_SETS
        .get(tx, &key(&instance.id, id))?
        .filter(|_| arn.contains(&format!("/{}/", instance.id)))
        .ok_or_else(|| not_found(format!("Could not find PermissionSet with ARN {arn}.")))
}

fn view(p: &PermissionSetRecord) -> serde_json::Value {
    serde_json::json!({
        "Name": p.name,
        "PermissionSetArn": p.arn(),
        "Description": p.description,
        "CreatedDate": timestamp(p.created_ms),
        "SessionDuration": p.session_duration,
        "RelayState": p.relay_state,
    })
}

/// Loads a permission set, applies `change`, bumps its version when `grants` (what it grants
/// changed), stores it.
fn change(
    ctx: &mut Ctx<'_>,
    instance_arn: &str,
    arn: &str,
    grants: bool,
    change: impl FnOnce(&mut PermissionSetRecord) -> Result<(), ApiError>,
) -> Result<PermissionSetRecord, ApiError> {
    let instance = instance_by_arn(ctx, instance_arn)?;
    let mut record = permission_set(ctx.tx.read(), &instance, arn)?;
    change(&mut record)?;
    if grants {
        record.version += 1;
    }
    PERMISSION_SETS.put(
        ctx.tx.write()?,
        &key(&record.instance_id, &record.id),
        &record,
    )?;
    Ok(record)
}

fn reference(r: &CustomerManagedPolicyReference) -> PolicyReference {
    PolicyReference {
        name: r.name.clone(),
        path: r.path.clone().unwrap_or_else(|| "/".to_owned()),
    }
}

fn reference_view(r: &PolicyReference) -> CustomerManagedPolicyReference {
    CustomerManagedPolicyReference {
        name: r.name.clone(),
        path: Some(r.path.clone()),
    }
}

/// The name of an AWS managed policy the directory knows; `ValidationException` otherwise.
fn known_managed_policy(ctx: &Ctx<'_>, arn: &str) -> Result<String, ApiError> {
    let known = ctx
        .directory()
        .managed_policy_document(ctx.tx.read(), &ctx.caller.account_id, arn)?
        .is_some();
    if !known || !arn.starts_with("arn:aws:iam::aws:policy/") {
        return Err(invalid(format!("The managed policy {arn} does not exist.")));
    }
    Ok(arn.rsplit('/').next().unwrap_or_default().to_owned())
}

// ---------------------------------------------------------------------------------------------
// Permission sets
// ---------------------------------------------------------------------------------------------

/// `CreatePermissionSet`.
pub fn create_permission_set(
    ctx: &mut Ctx<'_>,
    input: CreatePermissionSetRequest,
) -> Result<CreatePermissionSetResponse, ApiError> {
    let instance = instance_by_arn(ctx, &input.instance_arn)?;
    let duration = input.session_duration.unwrap_or_else(|| "PT1H".to_owned());
    check_duration(&duration)?;
    let taken = PERMISSION_SETS
        .get_by(
            ctx.tx.read(),
            "name",
            &Key::new().str(&instance.id).str(&input.name.to_lowercase()),
        )?
        .is_some();
    if taken {
        return Err(errors::CONFLICT_EXCEPTION.error(format!(
            "PermissionSet with name {} already exists.",
            input.name
        )));
    }
    let record = PermissionSetRecord {
        instance_id: instance.id.clone(),
        id: format!(
            "ps-{}",
            ctx.ids.string(localorg_kernel::context::LOWER_HEX, 16)
        ),
        name: input.name,
        description: input.description,
        session_duration: duration,
        relay_state: input.relay_state,
        created_ms: ctx.now_ms(),
        tags: input
            .tags
            .unwrap_or_default()
            .into_iter()
            .map(|t| (t.key, t.value))
            .collect(),
        managed_policies: Vec::new(),
        customer_policies: Vec::new(),
        inline_policy: None,
        boundary: None,
        version: 1,
    };
    PERMISSION_SETS.put(
        ctx.tx.write()?,
        &key(&record.instance_id, &record.id),
        &record,
    )?;
    Ok(CreatePermissionSetResponse {
        permission_set: Some(shape(view(&record))?),
    })
}

/// `DescribePermissionSet`.
pub fn describe_permission_set(
    ctx: &mut Ctx<'_>,
    input: DescribePermissionSetRequest,
) -> Result<DescribePermissionSetResponse, ApiError> {
    let instance = instance_by_arn(ctx, &input.instance_arn)?;
    let record = permission_set(ctx.tx.read(), &instance, &input.permission_set_arn)?;
    Ok(DescribePermissionSetResponse {
        permission_set: Some(shape(view(&record))?),
    })
}

/// `ListPermissionSets`.
pub fn list_permission_sets(
    ctx: &mut Ctx<'_>,
    input: ListPermissionSetsRequest,
) -> Result<ListPermissionSetsResponse, ApiError> {
    let instance = instance_by_arn(ctx, &input.instance_arn)?;
    let (items, next_token) = prefix_page(
        ctx.tx.read(),
        &PERMISSION_SETS,
        &Key::new().str(&instance.id),
        input.next_token.as_deref(),
        input.max_results,
    )?;
    Ok(ListPermissionSetsResponse {
        permission_sets: Some(items.iter().map(PermissionSetRecord::arn).collect()),
        next_token,
    })
}

/// `UpdatePermissionSet`: description, session duration, relay state.
pub fn update_permission_set(
    ctx: &mut Ctx<'_>,
    input: UpdatePermissionSetRequest,
) -> Result<UpdatePermissionSetResponse, ApiError> {
    if let Some(d) = &input.session_duration {
        check_duration(d)?;
    }
    let grants = input.session_duration.is_some();
    change(
        ctx,
        &input.instance_arn,
        &input.permission_set_arn,
        grants,
        |p| {
            if let Some(d) = input.description {
                p.description = Some(d);
            }
            if let Some(d) = input.session_duration {
                p.session_duration = d;
            }
            if let Some(r) = input.relay_state {
                p.relay_state = Some(r);
            }
            Ok(())
        },
    )?;
    Ok(UpdatePermissionSetResponse {})
}

/// `DeletePermissionSet`: refused while the set is provisioned to an account.
pub fn delete_permission_set(
    ctx: &mut Ctx<'_>,
    input: DeletePermissionSetRequest,
) -> Result<DeletePermissionSetResponse, ApiError> {
    let instance = instance_by_arn(ctx, &input.instance_arn)?;
    let record = permission_set(ctx.tx.read(), &instance, &input.permission_set_arn)?;
    if crate::assignments::provisioned_anywhere(ctx.tx.read(), &record)? {
        return Err(errors::CONFLICT_EXCEPTION.error(format!(
            "PermissionSet {} is provisioned to accounts: delete its account assignments first.",
            record.arn()
        )));
    }
    PERMISSION_SETS.delete(ctx.tx.write()?, &key(&record.instance_id, &record.id))?;
    Ok(DeletePermissionSetResponse {})
}

// ---------------------------------------------------------------------------------------------
// Policies
// ---------------------------------------------------------------------------------------------

/// `AttachManagedPolicyToPermissionSet`.
pub fn attach_managed_policy_to_permission_set(
    ctx: &mut Ctx<'_>,
    input: AttachManagedPolicyToPermissionSetRequest,
) -> Result<AttachManagedPolicyToPermissionSetResponse, ApiError> {
    let name = known_managed_policy(ctx, &input.managed_policy_arn)?;
    let arn = input.managed_policy_arn;
    change(
        ctx,
        &input.instance_arn,
        &input.permission_set_arn,
        true,
        |p| {
            if p.managed_policies.iter().any(|(a, _)| *a == arn) {
                return Err(errors::CONFLICT_EXCEPTION.error(format!(
                    "Permission set already has the managed policy {arn} attached."
                )));
            }
            if p.managed_policies.len() >= MAX_MANAGED_POLICIES {
                return Err(errors::SERVICE_QUOTA_EXCEEDED_EXCEPTION.error(format!(
                "A permission set can have at most {MAX_MANAGED_POLICIES} managed policies attached."
            )));
            }
            p.managed_policies.push((arn, name));
            Ok(())
        },
    )?;
    Ok(AttachManagedPolicyToPermissionSetResponse {})
}

/// `DetachManagedPolicyFromPermissionSet`.
pub fn detach_managed_policy_from_permission_set(
    ctx: &mut Ctx<'_>,
    input: DetachManagedPolicyFromPermissionSetRequest,
) -> Result<DetachManagedPolicyFromPermissionSetResponse, ApiError> {
    let arn = input.managed_policy_arn;
    change(
        ctx,
        &input.instance_arn,
        &input.permission_set_arn,
        true,
        |p| {
            let before = p.managed_policies.len();
            p.managed_policies.retain(|(a, _)| *a != arn);
            if p.managed_policies.len() == before {
                return Err(not_found(format!(
                    "The managed policy {arn} is not attached to the permission set."
                )));
            }
            Ok(())
        },
    )?;
    Ok(DetachManagedPolicyFromPermissionSetResponse {})
}

/// `ListManagedPoliciesInPermissionSet`.
pub fn list_managed_policies_in_permission_set(
    ctx: &mut Ctx<'_>,
    input: ListManagedPoliciesInPermissionSetRequest,
) -> Result<ListManagedPoliciesInPermissionSetResponse, ApiError> {
    let instance = instance_by_arn(ctx, &input.instance_arn)?;
    let record = permission_set(ctx.tx.read(), &instance, &input.permission_set_arn)?;
    let (page, next_token) = list_page(
        &record.managed_policies,
        input.next_token.as_deref(),
        input.max_results,
    )?;
    Ok(ListManagedPoliciesInPermissionSetResponse {
        attached_managed_policies: Some(
            page.into_iter()
                .map(|(arn, name)| AttachedManagedPolicy {
                    arn: Some(arn),
                    name: Some(name),
                })
                .collect(),
        ),
        next_token,
    })
}

/// `AttachCustomerManagedPolicyReferenceToPermissionSet`.
pub fn attach_customer_managed_policy_reference_to_permission_set(
    ctx: &mut Ctx<'_>,
    input: AttachCustomerManagedPolicyReferenceToPermissionSetRequest,
) -> Result<AttachCustomerManagedPolicyReferenceToPermissionSetResponse, ApiError> {
    let wanted = reference(&input.customer_managed_policy_reference);
    change(
        ctx,
        &input.instance_arn,
        &input.permission_set_arn,
        true,
        |p| {
            if p.customer_policies.contains(&wanted) {
                return Err(errors::CONFLICT_EXCEPTION.error(format!(
                    "Permission set already references the customer managed policy {}{}.",
                    wanted.path, wanted.name
                )));
            }
            if p.customer_policies.len() >= MAX_MANAGED_POLICIES {
                return Err(errors::SERVICE_QUOTA_EXCEEDED_EXCEPTION.error(format!(
                "A permission set can reference at most {MAX_MANAGED_POLICIES} customer managed policies."
            )));
            }
            p.customer_policies.push(wanted);
            Ok(())
        },
    )?;
    Ok(AttachCustomerManagedPolicyReferenceToPermissionSetResponse {})
}

/// `DetachCustomerManagedPolicyReferenceFromPermissionSet`.
pub fn detach_customer_managed_policy_reference_from_permission_set(
    ctx: &mut Ctx<'_>,
    input: DetachCustomerManagedPolicyReferenceFromPermissionSetRequest,
) -> Result<DetachCustomerManagedPolicyReferenceFromPermissionSetResponse, ApiError> {
    let wanted = reference(&input.customer_managed_policy_reference);
    change(
        ctx,
        &input.instance_arn,
        &input.permission_set_arn,
        true,
        |p| {
            let before = p.customer_policies.len();
            p.customer_policies.retain(|r| *r != wanted);
            if p.customer_policies.len() == before {
                return Err(not_found(format!(
                    "The customer managed policy {}{} is not referenced by the permission set.",
                    wanted.path, wanted.name
                )));
            }
            Ok(())
        },
    )?;
    Ok(DetachCustomerManagedPolicyReferenceFromPermissionSetResponse {})
}

/// `ListCustomerManagedPolicyReferencesInPermissionSet`.
pub fn list_customer_managed_policy_references_in_permission_set(
    ctx: &mut Ctx<'_>,
    input: ListCustomerManagedPolicyReferencesInPermissionSetRequest,
) -> Result<ListCustomerManagedPolicyReferencesInPermissionSetResponse, ApiError> {
    let instance = instance_by_arn(ctx, &input.instance_arn)?;
    let record = permission_set(ctx.tx.read(), &instance, &input.permission_set_arn)?;
    let (page, next_token) = list_page(
        &record.customer_policies,
        input.next_token.as_deref(),
        input.max_results,
    )?;
    Ok(ListCustomerManagedPolicyReferencesInPermissionSetResponse {
        customer_managed_policy_references: Some(page.iter().map(reference_view).collect()),
        next_token,
    })
}

/// `PutInlinePolicyToPermissionSet`: validated as an identity-based policy.
pub fn put_inline_policy_to_permission_set(
    ctx: &mut Ctx<'_>,
    input: PutInlinePolicyToPermissionSetRequest,
) -> Result<PutInlinePolicyToPermissionSetResponse, ApiError> {
    if let Some(e) = validate_document(&input.inline_policy, PolicyType::Identity).first_error() {
        return Err(invalid(format!(
            "The inline policy is not valid: {}",
            e.aws_message
        )));
    }
    let document = input.inline_policy;
    change(
        ctx,
        &input.instance_arn,
        &input.permission_set_arn,
        true,
        |p| {
            p.inline_policy = Some(document);
            Ok(())
        },
    )?;
    Ok(PutInlinePolicyToPermissionSetResponse {})
}

/// `GetInlinePolicyForPermissionSet` (an empty document when there is none, as AWS answers).
pub fn get_inline_policy_for_permission_set(
    ctx: &mut Ctx<'_>,
    input: GetInlinePolicyForPermissionSetRequest,
) -> Result<GetInlinePolicyForPermissionSetResponse, ApiError> {
    let instance = instance_by_arn(ctx, &input.instance_arn)?;
    let record = permission_set(ctx.tx.read(), &instance, &input.permission_set_arn)?;
    Ok(GetInlinePolicyForPermissionSetResponse {
        inline_policy: Some(record.inline_policy.unwrap_or_default()),
    })
}

/// `DeleteInlinePolicyFromPermissionSet`.
pub fn delete_inline_policy_from_permission_set(
    ctx: &mut Ctx<'_>,
    input: DeleteInlinePolicyFromPermissionSetRequest,
) -> Result<DeleteInlinePolicyFromPermissionSetResponse, ApiError> {
    change(
        ctx,
        &input.instance_arn,
        &input.permission_set_arn,
        true,
        |p| {
            p.inline_policy = None;
            Ok(())
        },
    )?;
    Ok(DeleteInlinePolicyFromPermissionSetResponse {})
}

/// `PutPermissionsBoundaryToPermissionSet`: an AWS managed policy or a customer managed reference.
pub fn put_permissions_boundary_to_permission_set(
    ctx: &mut Ctx<'_>,
    input: PutPermissionsBoundaryToPermissionSetRequest,
) -> Result<PutPermissionsBoundaryToPermissionSetResponse, ApiError> {
    let given = &input.permissions_boundary;
    let boundary = match (&given.managed_policy_arn, &given.customer_managed_policy_reference) {
        (Some(arn), None) => {
            known_managed_policy(ctx, arn)?;
            Boundary::Managed(arn.clone())
        }
        (None, Some(r)) => Boundary::Customer(reference(r)),
        _ => {
            return Err(invalid(
                "A permissions boundary names either ManagedPolicyArn or CustomerManagedPolicyReference.",
            ))
        }
    };
    change(
        ctx,
        &input.instance_arn,
        &input.permission_set_arn,
        true,
        |p| {
            p.boundary = Some(boundary);
            Ok(())
        },
    )?;
    Ok(PutPermissionsBoundaryToPermissionSetResponse {})
}

/// `GetPermissionsBoundaryForPermissionSet`.
pub fn get_permissions_boundary_for_permission_set(
    ctx: &mut Ctx<'_>,
    input: GetPermissionsBoundaryForPermissionSetRequest,
) -> Result<GetPermissionsBoundaryForPermissionSetResponse, ApiError> {
    let instance = instance_by_arn(ctx, &input.instance_arn)?;
    let record = permission_set(ctx.tx.read(), &instance, &input.permission_set_arn)?;
    let boundary = record
        .boundary
        .ok_or_else(|| not_found("The permission set has no permissions boundary."))?;
    Ok(GetPermissionsBoundaryForPermissionSetResponse {
        permissions_boundary: Some(match boundary {
            Boundary::Managed(arn) => PermissionsBoundary {
                managed_policy_arn: Some(arn),
                customer_managed_policy_reference: None,
            },
            Boundary::Customer(r) => PermissionsBoundary {
                managed_policy_arn: None,
                customer_managed_policy_reference: Some(reference_view(&r)),
            },
        }),
    })
}

/// `DeletePermissionsBoundaryFromPermissionSet`.
pub fn delete_permissions_boundary_from_permission_set(
    ctx: &mut Ctx<'_>,
    input: DeletePermissionsBoundaryFromPermissionSetRequest,
) -> Result<DeletePermissionsBoundaryFromPermissionSetResponse, ApiError> {
    change(
        ctx,
        &input.instance_arn,
        &input.permission_set_arn,
        true,
        |p| {
            p.boundary = None;
            Ok(())
        },
    )?;
    Ok(DeletePermissionsBoundaryFromPermissionSetResponse {})
}

// ---------------------------------------------------------------------------------------------
// Tags (permission sets and instances)
// ---------------------------------------------------------------------------------------------

/// The tags of a taggable resource, and a way to store them back.
enum Tagged {
    Instance(InstanceRecord),
    PermissionSet(PermissionSetRecord),
}

impl Tagged {
    fn tags(&mut self) -> &mut Vec<(String, String)> {
        match self {
            Tagged::Instance(i) => &mut i.tags,
            Tagged::PermissionSet(p) => &mut p.tags,
        }
    }

    fn store(&self, ctx: &mut Ctx<'_>) -> Result<(), ApiError> {
        let tx = ctx.tx.write()?;
        match self {
            Tagged::Instance(i) => INSTANCES.put(tx, &Key::new().str(&i.id), i)?,
            Tagged::PermissionSet(p) => {
                PERMISSION_SETS.put(tx, &key(&p.instance_id, &p.id), p)?;
            }
        }
        Ok(())
    }
}

fn tagged(
    ctx: &Ctx<'_>,
    instance_arn: Option<&str>,
    resource_arn: &str,
) -> Result<Tagged, ApiError> {
    if resource_arn.contains(":instance/") {
        return Ok(Tagged::Instance(instance_by_arn(ctx, resource_arn)?));
    }
    if resource_arn.contains(":permissionSet/") {
        let instance_arn = instance_arn
            .ok_or_else(|| invalid("InstanceArn is required for a permission set's tags."))?;
        let instance = instance_by_arn(ctx, instance_arn)?;
        return Ok(Tagged::PermissionSet(permission_set(
            ctx.tx.read(),
            &instance,
            resource_arn,
        )?));
    }
    Err(not_found(format!(
        "Resource {resource_arn} does not exist."
    )))
}

/// `TagResource`.
pub fn tag_resource(
    ctx: &mut Ctx<'_>,
    input: TagResourceRequest,
) -> Result<TagResourceResponse, ApiError> {
    let mut resource = tagged(ctx, input.instance_arn.as_deref(), &input.resource_arn)?;
    let tags = resource.tags();
    for tag in input.tags {
        tags.retain(|(k, _)| *k != tag.key);
        tags.push((tag.key, tag.value));
    }
    if tags.len() > 50 {
        return Err(
            errors::SERVICE_QUOTA_EXCEEDED_EXCEPTION.error("A resource can have at most 50 tags.")
        );
    }
    resource.store(ctx)?;
    Ok(TagResourceResponse {})
}

/// `UntagResource`.
pub fn untag_resource(
    ctx: &mut Ctx<'_>,
    input: UntagResourceRequest,
) -> Result<UntagResourceResponse, ApiError> {
    let mut resource = tagged(ctx, input.instance_arn.as_deref(), &input.resource_arn)?;
    resource.tags().retain(|(k, _)| !input.tag_keys.contains(k));
    resource.store(ctx)?;
    Ok(UntagResourceResponse {})
}

/// `ListTagsForResource`.
pub fn list_tags_for_resource(
    ctx: &mut Ctx<'_>,
    input: ListTagsForResourceRequest,
) -> Result<ListTagsForResourceResponse, ApiError> {
    let mut resource = tagged(ctx, input.instance_arn.as_deref(), &input.resource_arn)?;
    let tags: Vec<serde_json::Value> = resource
        .tags()
        .iter()
        .map(|(k, v)| serde_json::json!({"Key": k, "Value": v}))
        .collect();
    shape(serde_json::json!({"Tags": tags}))
}

#[cfg(test)]
mod tests {
    use super::duration_seconds;

    #[test]
    fn iso_durations_in_seconds() {
        assert_eq!(duration_seconds("PT1H"), Some(3600));
        assert_eq!(duration_seconds("PT1H30M"), Some(5400));
        assert_eq!(duration_seconds("PT12H"), Some(43_200));
        assert_eq!(duration_seconds("PT900S"), Some(900));
        assert_eq!(duration_seconds("P1D"), None);
        assert_eq!(duration_seconds("PT1"), None);
        assert_eq!(duration_seconds("1H"), None);
    }
}
