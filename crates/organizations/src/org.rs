//! Organizations: the organization's lifecycle and its root.

use localorg_model::generated::organizations::{
    errors, CreateOrganizationRequest, CreateOrganizationResponse, DescribeOrganizationResponse,
    ListRootsRequest, ListRootsResponse, OrganizationFeatureSet,
};
use localorg_model::ApiError;
use localorg_store::Key;

use super::core::{
    caller_org, managed_org, membership_of, new_org_id, new_root_id, organization_shape,
    readable_org, root_shape, ATTACHED_TARGETS, ATTACHMENTS, CREATE_ACCOUNT_STATUS, DELEGATIONS,
    HANDSHAKES, MEMBERS, ORGS, OUS, POLICIES, RESOURCE_POLICIES, TAGS,
};
use super::records::{MembershipRecord, OrganizationRecord};
use localorg_kernel::accounts;
use localorg_kernel::Ctx;

/// The management account's email, for the `Organization` view.
fn management_email(ctx: &Ctx<'_>, org: &OrganizationRecord) -> Result<String, ApiError> {
    Ok(accounts::get(ctx.tx.read(), &org.management_account_id)?
        .map(|a| a.email)
        .unwrap_or_default())
}

/// `CreateOrganization`: the caller's account becomes the management account of a new organization
/// with one root. `ALL` (the default) enables every feature; `CONSOLIDATED_BILLING` only billing.
pub(super) fn create_organization(
    ctx: &mut Ctx<'_>,
    input: CreateOrganizationRequest,
) -> Result<CreateOrganizationResponse, ApiError> {
    let account_id = ctx.caller.account_id.clone();
    if membership_of(ctx.tx.read(), &account_id)?.is_some() {
        return Err(errors::ALREADY_IN_ORGANIZATION_EXCEPTION
            .error("The AWS account is already a member of an organization."));
    }
    let feature_set = input.feature_set.unwrap_or(OrganizationFeatureSet::All);
    let org = OrganizationRecord {
        id: new_org_id(ctx),
        feature_set: feature_set.as_str().to_owned(),
        management_account_id: account_id.clone(),
        root_id: new_root_id(ctx),
        enabled_policy_types: Vec::new(),
        service_access: Vec::new(),
        all_features_handshake: None,
        created_ms: ctx.now_ms(),
    };
    let member = MembershipRecord {
        org_id: org.id.clone(),
        parent_id: org.root_id.clone(),
        joined_method: "CREATED".to_owned(),
        joined_ms: ctx.now_ms(),
    };
    let email = management_email(ctx, &org)?;
    let tx = ctx.tx.write()?;
    ORGS.put(tx, &Key::new().str(&org.id), &org)?;
    MEMBERS.put(tx, &Key::new().str(&account_id), &member)?;
    Ok(CreateOrganizationResponse {
        organization: Some(organization_shape(&org, &email)),
    })
}

/// `DescribeOrganization`: any member account may call it.
pub(super) fn describe_organization(
    ctx: &mut Ctx<'_>,
) -> Result<DescribeOrganizationResponse, ApiError> {
    let org = caller_org(ctx)?;
    let email = management_email(ctx, &org)?;
    Ok(DescribeOrganizationResponse {
        organization: Some(organization_shape(&org, &email)),
    })
}

/// `DeleteOrganization`: only the management account, and only once no member accounts remain.
pub(super) fn delete_organization(ctx: &mut Ctx<'_>) -> Result<(), ApiError> {
    let org = managed_org(ctx)?;
    let org_key = Key::new().str(&org.id);
    let members = MEMBERS.scan_index(ctx.tx.read(), "org", &org_key, None, 2)?;
    if members
        .items
        .iter()
        .any(|(k, _)| k != &Key::new().str(&org.management_account_id))
    {
        return Err(errors::ORGANIZATION_NOT_EMPTY_EXCEPTION.error(
            "To delete an organization you must first remove all member accounts (except the management account).",
        ));
    }
    let tx = ctx.tx.write()?;
    // Everything the organization owns goes with it.
    for (key, ou) in OUS
        .scan_index(tx.as_read(), "org", &org_key, None, usize::MAX)?
        .items
    {
        TAGS.delete_prefix(tx, &Key::new().str(&ou.id))?;
        OUS.delete(tx, &key)?;
    }
    for (key, policy) in POLICIES
        .scan_index(tx.as_read(), "org_type", &org_key, None, usize::MAX)?
        .items
    {
        TAGS.delete_prefix(tx, &Key::new().str(&policy.id))?;
        ATTACHED_TARGETS.delete_prefix(tx, &Key::new().str(&policy.id))?;
        POLICIES.delete(tx, &key)?;
    }
    for target in [org.root_id.as_str(), org.management_account_id.as_str()] {
        for (key, _) in ATTACHMENTS.scan_all(tx.as_read(), &Key::new().str(target))? {
            ATTACHMENTS.delete(tx, &key)?;
        }
    }
    for policy_id in [
        super::core::FULL_AWS_ACCESS_ID,
        super::core::RCP_FULL_AWS_ACCESS_ID,
    ] {
        for target in [org.root_id.as_str(), org.management_account_id.as_str()] {
            ATTACHED_TARGETS.delete(tx, &Key::new().str(policy_id).str(target))?;
        }
    }
    for (key, _) in HANDSHAKES
        .scan_index(tx.as_read(), "org", &org_key, None, usize::MAX)?
        .items
    {
        HANDSHAKES.delete(tx, &key)?;
    }
    for (key, _) in CREATE_ACCOUNT_STATUS
        .scan_index(tx.as_read(), "org", &org_key, None, usize::MAX)?
        .items
    {
        CREATE_ACCOUNT_STATUS.delete(tx, &key)?;
    }
    DELEGATIONS.delete_prefix(tx, &org_key)?;
    RESOURCE_POLICIES.delete(tx, &org_key)?;
    TAGS.delete_prefix(tx, &Key::new().str(&org.root_id))?;
    MEMBERS.delete(tx, &Key::new().str(&org.management_account_id))?;
    ORGS.delete(tx, &org_key)?;
    Ok(())
}

/// `ListRoots`: the management account and delegated administrators. An organization has one root.
pub(super) fn list_roots(
    ctx: &mut Ctx<'_>,
    input: ListRootsRequest,
) -> Result<ListRootsResponse, ApiError> {
    let org = readable_org(ctx)?;
    super::core::decode_next_token(input.next_token.as_deref())?;
    Ok(ListRootsResponse {
        roots: Some(vec![root_shape(&org)]),
        next_token: None,
    })
}
