//! Identity Center instances (sso-admin `CreateInstance`, `DescribeInstance`, `ListInstances`,
//! `UpdateInstance`, `DeleteInstance`) and who may use an instance and its identity store.
//!
//! AWS enables the organization instance in the console; localorg's `CreateInstance` creates it
//! when the management account of an organization with all features calls it, and an account
//! instance for any other account, as AWS's API does. At most one instance per account. The owner
//! account, and for the organization instance the delegated administrator for
//! `sso.amazonaws.com`, may use an instance; to everyone else it does not exist.

use localorg_kernel::Ctx;
use localorg_model::generated::sso_admin::{
    errors, CreateInstanceRequest, CreateInstanceResponse, DeleteInstanceRequest,
    DeleteInstanceResponse, DescribeInstanceRequest, DescribeInstanceResponse, InstanceMetadata,
    ListInstancesRequest, ListInstancesResponse, UpdateInstanceRequest, UpdateInstanceResponse,
};
use localorg_model::ApiError;
use localorg_store::Key;

use crate::core::{
    new_identity_store_id, new_instance_id, plain_id, shape, timestamp, GROUPS, INSTANCES,
    MEMBERSHIPS, USERS,
};
use crate::records::InstanceRecord;

/// The service principal of Identity Center (trusted access, delegated administrators).
pub const SSO_SERVICE_PRINCIPAL: &str = "sso.amazonaws.com";

/// True when the caller may use `instance`: its owner account, or the delegated administrator of
/// the organization instance.
pub fn may_use(ctx: &Ctx<'_>, instance: &InstanceRecord) -> Result<bool, ApiError> {
    if instance.owner_account_id == ctx.caller.account_id {
        return Ok(true);
    }
    let Some(org_id) = &instance.org_id else {
        return Ok(false);
    };
    ctx.organizations().is_delegated_administrator(
        ctx.tx.read(),
        org_id,
        &ctx.caller.account_id,
        SSO_SERVICE_PRINCIPAL,
    )
}

/// The instance an `InstanceArn` names, if the caller may use it; `ResourceNotFoundException`
/// otherwise.
pub fn instance_by_arn(ctx: &Ctx<'_>, arn: &str) -> Result<InstanceRecord, ApiError> {
    let not_found =
        || errors::RESOURCE_NOT_FOUND_EXCEPTION.error(format!("Instance {arn} doesn't exist."));
    let id = plain_id(arn);
    let instance = INSTANCES
        .get(ctx.tx.read(), &Key::new().str(id))?
        .ok_or_else(not_found)?;
    if !may_use(ctx, &instance)? {
        return Err(not_found());
    }
    Ok(instance)
}

/// The instance whose identity store `identity_store_id` (an id or an identity store ARN) names,
/// if the caller may use it.
pub fn instance_by_store(
    ctx: &Ctx<'_>,
    identity_store_id: &str,
) -> Result<Option<InstanceRecord>, ApiError> {
    let id = plain_id(identity_store_id);
    let Some((_, instance)) = INSTANCES.get_by(ctx.tx.read(), "store", &Key::new().str(id))? else {
        return Ok(None);
    };
    Ok(may_use(ctx, &instance)?.then_some(instance))
}

fn metadata(instance: &InstanceRecord) -> serde_json::Value {
    serde_json::json!({
        "InstanceArn": instance.arn(),
        "IdentityStoreId": instance.identity_store_id,
        "IdentityStoreArn": instance.identity_store_arn(),
        "OwnerAccountId": instance.owner_account_id,
        "Name": instance.name,
        "CreatedDate": timestamp(instance.created_ms),
        "Status": "ACTIVE",
        "PrimaryRegion": instance.region,
        "Regions": crate::regions::region_views(instance),
    })
}

/// `CreateInstance`.
pub fn create_instance(
    ctx: &mut Ctx<'_>,
    input: CreateInstanceRequest,
) -> Result<CreateInstanceResponse, ApiError> {
    let account = ctx.caller.account_id.clone();
    let tx = ctx.tx.read();
    if INSTANCES
        .get_by(tx, "owner", &Key::new().str(&account))?
        .is_some()
    {
        return Err(errors::CONFLICT_EXCEPTION
            .error("An instance of IAM Identity Center already exists in this account."));
    }
    // The management account of an organization with all features gets the organization's
    // instance; any other account an account instance.
    let org_id = ctx
        .organizations()
        .placement(tx, &account)?
        .filter(|p| p.is_management(&account) && p.org.feature_set == "ALL")
        .map(|p| p.org.id);
    let instance = InstanceRecord {
        id: new_instance_id(ctx),
        owner_account_id: account,
        org_id,
        identity_store_id: new_identity_store_id(ctx),
        name: input.name,
        region: ctx.region.to_owned(),
        created_ms: ctx.now_ms(),
        tags: input
            .tags
            .unwrap_or_default()
            .into_iter()
            .map(|t| (t.key, t.value))
            .collect(),
        network_configuration: None,
        access_control_attributes: None,
        added_regions: Vec::new(),
    };
    INSTANCES.put(ctx.tx.write()?, &Key::new().str(&instance.id), &instance)?;
    Ok(CreateInstanceResponse {
        instance_arn: Some(instance.arn()),
    })
}

/// `DescribeInstance`.
pub fn describe_instance(
    ctx: &mut Ctx<'_>,
    input: DescribeInstanceRequest,
) -> Result<DescribeInstanceResponse, ApiError> {
    let instance = instance_by_arn(ctx, &input.instance_arn)?;
    let mut out = metadata(&instance);
    if let Some(map) = out.as_object_mut() {
        map.insert("PermissionSetsEnabled".to_owned(), true.into());
    }
    shape(out)
}

/// The instances the caller may use: its account's own, and its organization's when the caller is
/// the delegated administrator for Identity Center.
pub fn visible_instances(ctx: &Ctx<'_>) -> Result<Vec<InstanceRecord>, ApiError> {
    let tx = ctx.tx.read();
    let account = ctx.caller.account_id.as_str();
    let owned_by = |owner: &str| -> Result<Option<InstanceRecord>, ApiError> {
        Ok(INSTANCES
            .get_by(tx, "owner", &Key::new().str(owner))?
            .map(|(_, i)| i))
    };
    let mut instances: Vec<InstanceRecord> = owned_by(account)?.into_iter().collect();
    if let Some(placement) = ctx.organizations().placement(tx, account)? {
        let management = placement.org.management_account_id.as_str();
        if management != account {
            if let Some(org_instance) = owned_by(management)? {
                if may_use(ctx, &org_instance)? {
                    instances.push(org_instance);
                }
            }
        }
    }
    Ok(instances)
}

/// `ListInstances`.
pub fn list_instances(
    ctx: &mut Ctx<'_>,
    input: ListInstancesRequest,
) -> Result<ListInstancesResponse, ApiError> {
    // An account sees at most two instances (its own and its organization's): one page.
    let _ = (input.max_results, input.next_token);
    let metadata: Vec<InstanceMetadata> = visible_instances(ctx)?
        .iter()
        .map(|i| shape(metadata(i)))
        .collect::<Result<_, _>>()?;
    Ok(ListInstancesResponse {
        instances: Some(metadata),
        next_token: None,
    })
}

/// `UpdateInstance`: the name (encryption and network settings are accepted and not kept).
pub fn update_instance(
    ctx: &mut Ctx<'_>,
    input: UpdateInstanceRequest,
) -> Result<UpdateInstanceResponse, ApiError> {
    let mut instance = instance_by_arn(ctx, &input.instance_arn)?;
    if let Some(name) = input.name {
        instance.name = Some(name);
    }
    INSTANCES.put(ctx.tx.write()?, &Key::new().str(&instance.id), &instance)?;
    Ok(UpdateInstanceResponse {})
}

/// `DeleteInstance`: only the owner account; its identity store, permission sets, assignments and
/// the roles they provisioned go with it.
pub fn delete_instance(
    ctx: &mut Ctx<'_>,
    input: DeleteInstanceRequest,
) -> Result<DeleteInstanceResponse, ApiError> {
    let instance = instance_by_arn(ctx, &input.instance_arn)?;
    if instance.owner_account_id != ctx.caller.account_id {
        return Err(errors::ACCESS_DENIED_EXCEPTION
            .error("Only the account that owns the instance can delete it."));
    }
    crate::assignments::delete_instance_data(ctx, &instance)?;
    let tx = ctx.tx.write()?;
    let store = Key::new().str(&instance.identity_store_id);
    USERS.delete_prefix(tx, &store)?;
    GROUPS.delete_prefix(tx, &store)?;
    MEMBERSHIPS.delete_prefix(tx, &store)?;
    INSTANCES.delete(tx, &Key::new().str(&instance.id))?;
    Ok(DeleteInstanceResponse {})
}
