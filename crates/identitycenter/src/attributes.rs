//! Attributes for access control (ABAC): the instance maps identity store attributes to session
//! tags, so that a portal session carries `aws:PrincipalTag/<Key>` for the policy engine.
//!
//! A source is `${path:<attribute>}` with the attribute as SCIM names it: `userName`,
//! `displayName`, `name.givenName`, `email` (the primary address), `enterprise.costCenter` (the
//! enterprise extension), … A source that resolves to nothing adds no tag.

use localorg_kernel::Ctx;
use localorg_model::generated::sso_admin::*;
use localorg_model::ApiError;
use localorg_store::Key;
use serde_json::{json, Value};

use crate::core::{json, shape, INSTANCES};
use crate::directory::capitalize;
use crate::instances::instance_by_arn;
use crate::records::{EntryRecord, InstanceRecord};

fn save(ctx: &mut Ctx<'_>, instance: &InstanceRecord) -> Result<(), ApiError> {
    INSTANCES.put(ctx.tx.write()?, &Key::new().str(&instance.id), instance)?;
    Ok(())
}

fn not_configured(instance: &InstanceRecord) -> ApiError {
    errors::RESOURCE_NOT_FOUND_EXCEPTION.error(format!(
        "Attributes for access control are not configured for instance {}.",
        instance.arn()
    ))
}

/// `CreateInstanceAccessControlAttributeConfiguration`.
pub fn create_instance_access_control_attribute_configuration(
    ctx: &mut Ctx<'_>,
    input: CreateInstanceAccessControlAttributeConfigurationRequest,
) -> Result<CreateInstanceAccessControlAttributeConfigurationResponse, ApiError> {
    let mut instance = instance_by_arn(ctx, &input.instance_arn)?;
    if instance.access_control_attributes.is_some() {
        return Err(errors::CONFLICT_EXCEPTION
            .error("Attributes for access control are already configured: update them instead."));
    }
    instance.access_control_attributes = Some(json(
        &input.instance_access_control_attribute_configuration,
    )?);
    save(ctx, &instance)?;
    Ok(CreateInstanceAccessControlAttributeConfigurationResponse {})
}

/// `DescribeInstanceAccessControlAttributeConfiguration`.
pub fn describe_instance_access_control_attribute_configuration(
    ctx: &mut Ctx<'_>,
    input: DescribeInstanceAccessControlAttributeConfigurationRequest,
) -> Result<DescribeInstanceAccessControlAttributeConfigurationResponse, ApiError> {
    let instance = instance_by_arn(ctx, &input.instance_arn)?;
    let config = instance
        .access_control_attributes
        .clone()
        .ok_or_else(|| not_configured(&instance))?;
    shape(json!({"InstanceAccessControlAttributeConfiguration": config, "Status": "ENABLED"}))
}

/// `UpdateInstanceAccessControlAttributeConfiguration`.
pub fn update_instance_access_control_attribute_configuration(
    ctx: &mut Ctx<'_>,
    input: UpdateInstanceAccessControlAttributeConfigurationRequest,
) -> Result<UpdateInstanceAccessControlAttributeConfigurationResponse, ApiError> {
    let mut instance = instance_by_arn(ctx, &input.instance_arn)?;
    if instance.access_control_attributes.is_none() {
        return Err(not_configured(&instance));
    }
    instance.access_control_attributes = Some(json(
        &input.instance_access_control_attribute_configuration,
    )?);
    save(ctx, &instance)?;
    Ok(UpdateInstanceAccessControlAttributeConfigurationResponse {})
}

/// `DeleteInstanceAccessControlAttributeConfiguration`.
pub fn delete_instance_access_control_attribute_configuration(
    ctx: &mut Ctx<'_>,
    input: DeleteInstanceAccessControlAttributeConfigurationRequest,
) -> Result<DeleteInstanceAccessControlAttributeConfigurationResponse, ApiError> {
    let mut instance = instance_by_arn(ctx, &input.instance_arn)?;
    if instance.access_control_attributes.take().is_none() {
        return Err(not_configured(&instance));
    }
    save(ctx, &instance)?;
    Ok(DeleteInstanceAccessControlAttributeConfigurationResponse {})
}

/// The value of `${path:…}` for a user, if it has one.
fn resolve(user: &EntryRecord, source: &str) -> Option<String> {
    let path = source.strip_prefix("${path:")?.strip_suffix('}')?;
    let attrs = &user.attributes;
    let text = |v: &Value| v.as_str().map(str::to_owned);
    if path == "email" {
        let emails = attrs.get("Emails")?.as_array()?;
        let primary = emails
            .iter()
            .find(|e| e.get("Primary").and_then(Value::as_bool) == Some(true))
            .or_else(|| emails.first())?;
        return text(primary.get("Value")?);
    }
    if let Some(field) = path.strip_prefix("enterprise.") {
        return text(
            attrs
                .get("Extensions")?
                .get("aws:identitystore:enterprise")?
                .get(field)?,
        );
    }
    let mut node: &Value = attrs.get(&capitalize(path.split('.').next()?))?;
    for segment in path.split('.').skip(1) {
        node = node.get(capitalize(segment))?;
    }
    text(node)
}

/// The session tags a portal session of `user` carries under the instance's configuration.
pub fn session_tags(instance: &InstanceRecord, user: &EntryRecord) -> Vec<(String, String)> {
    let Some(config) = &instance.access_control_attributes else {
        return Vec::new();
    };
    let attributes = config
        .get("AccessControlAttributes")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    attributes
        .iter()
        .filter_map(|a| {
            let key = a.get("Key")?.as_str()?;
            let value = a
                .get("Value")?
                .get("Source")?
                .as_array()?
                .iter()
                .filter_map(Value::as_str)
                .find_map(|source| resolve(user, source))?;
            Some((key.to_owned(), value))
        })
        .collect()
}
