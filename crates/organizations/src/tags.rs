//! Organizations: tags on accounts, the root, OUs, policies and the resource policy.
//!
//! Tags live in [`TAGS`] under (resource id, tag key). `put_tags` is shared with the operations
//! that accept `Tags` on creation (`CreateAccount`, `CreateOrganizationalUnit`, `CreatePolicy`).

use std::collections::BTreeSet;

use localorg_model::generated::organizations::{
    errors, ListTagsForResourceRequest, ListTagsForResourceResponse, Tag, TagResourceRequest,
    UntagResourceRequest,
};
use localorg_model::ApiError;
use localorg_store::{Key, ReadTx, WriteTx};

use super::core::{
    is_aws_managed_policy_id, prefix_page, readable_org, MEMBERS, OUS, POLICIES, RESOURCE_POLICIES,
    TAGS,
};
use super::records::OrganizationRecord;
use localorg_kernel::Ctx;

/// AWS's quota on tags per Organizations resource.
pub const MAX_TAGS_PER_RESOURCE: usize = 50;

/// The tag key of a TAGS primary key (resource id, tag key).
fn tag_key_of(key: &Key) -> Result<String, ApiError> {
    let mut d = key.decoder();
    d.str()
        .and_then(|_| d.str())
        .map_err(|e| ApiError::internal(format!("bad tag key: {e}")))
}

/// Adds (or overwrites) `tags` on `resource_id`, enforcing AWS's rules: no duplicate keys in one
/// request (`InvalidInputException` `DUPLICATE_TAG_KEY`), no `aws:` keys
/// (`INVALID_SYSTEM_TAGS_PARAMETER`), at most 50 tags on the resource afterwards
/// (`ConstraintViolationException` `MAX_TAG_LIMIT_EXCEEDED`). All or nothing.
pub(super) fn put_tags(
    tx: &mut dyn WriteTx,
    resource_id: &str,
    tags: &[Tag],
) -> Result<(), ApiError> {
    let mut seen = BTreeSet::new();
    for tag in tags {
        if !seen.insert(tag.key.as_str()) {
            return Err(errors::INVALID_INPUT_EXCEPTION
                .error("Duplicate tag keys are not allowed in a single request.")
                .with_field("Reason", "DUPLICATE_TAG_KEY"));
        }
        if tag.key.to_lowercase().starts_with("aws:") {
            return Err(errors::INVALID_INPUT_EXCEPTION
                .error("Tag keys with the prefix 'aws:' are reserved for use by AWS.")
                .with_field("Reason", "INVALID_SYSTEM_TAGS_PARAMETER"));
        }
    }
    let prefix = Key::new().str(resource_id);
    let mut keys = BTreeSet::new();
    for (key, _) in TAGS.scan_all(tx.as_read(), &prefix)? {
        keys.insert(tag_key_of(&key)?);
    }
    keys.extend(tags.iter().map(|t| t.key.clone()));
    if keys.len() > MAX_TAGS_PER_RESOURCE {
        return Err(errors::CONSTRAINT_VIOLATION_EXCEPTION
            .error("You have exceeded the maximum number of tags allowed on this resource.")
            .with_field("Reason", "MAX_TAG_LIMIT_EXCEEDED"));
    }
    for tag in tags {
        TAGS.put(tx, &prefix.clone().str(&tag.key), &tag.value)?;
    }
    Ok(())
}

/// `TargetNotFoundException` as AWS words it.
fn target_not_found() -> ApiError {
    errors::TARGET_NOT_FOUND_EXCEPTION.error("You specified a target that doesn't exist.")
}

/// Checks that `resource_id` names a taggable resource of `org`: a member account, the root, an
/// OU, a customer managed policy or the organization's resource policy.
fn check_taggable(
    tx: &dyn ReadTx,
    org: &OrganizationRecord,
    resource_id: &str,
) -> Result<(), ApiError> {
    let key = Key::new().str(resource_id);
    let found = if resource_id == org.root_id {
        true
    } else if resource_id.starts_with("ou-") {
        OUS.get(tx, &key)?.is_some_and(|ou| ou.org_id == org.id)
    } else if resource_id.starts_with("p-") {
        // AWS managed policies (p-FullAWSAccess, ...) belong to no organization: they can't be
        // tagged (we answer TargetNotFoundException, as for any policy outside the organization).
        !is_aws_managed_policy_id(resource_id)
            && POLICIES.get(tx, &key)?.is_some_and(|p| p.org_id == org.id)
    } else if resource_id.starts_with("rp-") {
        RESOURCE_POLICIES
            .get(tx, &Key::new().str(&org.id))?
            .is_some_and(|rp| rp.id == resource_id)
    } else if resource_id.len() == 12 && resource_id.bytes().all(|b| b.is_ascii_digit()) {
        MEMBERS.get(tx, &key)?.is_some_and(|m| m.org_id == org.id)
    } else {
        false
    };
    if found {
        Ok(())
    } else {
        Err(target_not_found())
    }
}

/// `TagResource`: the management account or a delegated administrator.
pub(super) fn tag_resource(ctx: &mut Ctx<'_>, input: TagResourceRequest) -> Result<(), ApiError> {
    let org = readable_org(ctx)?;
    check_taggable(ctx.tx.read(), &org, &input.resource_id)?;
    put_tags(ctx.tx.write()?, &input.resource_id, &input.tags)
}

/// `UntagResource`: removes the named keys (keys that are not there are ignored, as AWS does).
pub(super) fn untag_resource(
    ctx: &mut Ctx<'_>,
    input: UntagResourceRequest,
) -> Result<(), ApiError> {
    let org = readable_org(ctx)?;
    check_taggable(ctx.tx.read(), &org, &input.resource_id)?;
    let tx = ctx.tx.write()?;
    for key in &input.tag_keys {
        TAGS.delete(tx, &Key::new().str(&input.resource_id).str(key))?;
    }
    Ok(())
}

/// `ListTagsForResource`: paginated (AWS pages tags too; default 20 per page).
pub(super) fn list_tags_for_resource(
    ctx: &mut Ctx<'_>,
    input: ListTagsForResourceRequest,
) -> Result<ListTagsForResourceResponse, ApiError> {
    let org = readable_org(ctx)?;
    let tx = ctx.tx.read();
    check_taggable(tx, &org, &input.resource_id)?;
    let (items, next_token) = prefix_page(
        tx,
        &TAGS,
        &Key::new().str(&input.resource_id),
        input.next_token.as_deref(),
        None,
    )?;
    let tags = items
        .into_iter()
        .map(|(key, value)| {
            Ok(Tag {
                key: tag_key_of(&key)?,
                value,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(ListTagsForResourceResponse {
        tags: Some(tags),
        next_token,
    })
}

/// Deletes every tag of `resource_id` (when the resource leaves the organization or is deleted).
pub(super) fn delete_tags(tx: &mut dyn WriteTx, resource_id: &str) -> Result<(), ApiError> {
    TAGS.delete_prefix(tx, &Key::new().str(resource_id))?;
    Ok(())
}
