//! Organizations: organizational units and the tree of parents and children.

use localorg_model::generated::organizations::{
    errors, Child, ChildType, CreateOrganizationalUnitRequest, CreateOrganizationalUnitResponse,
    DeleteOrganizationalUnitRequest, DescribeOrganizationalUnitRequest,
    DescribeOrganizationalUnitResponse, ListChildrenRequest, ListChildrenResponse,
    ListOrganizationalUnitsForParentRequest, ListOrganizationalUnitsForParentResponse,
    ListParentsRequest, ListParentsResponse, Parent, ParentType, UpdateOrganizationalUnitRequest,
    UpdateOrganizationalUnitResponse,
};
use localorg_model::ApiError;
use localorg_store::{Key, ReadTx};

use super::accounts::{drop_attachments, first_str};
use super::core::{
    decode_next_token, index_page, managed_org, new_ou_id, next_token, org_ou, ou_shape, page_size,
    parent, path_to, readable_org, MEMBERS, OUS,
};
use super::records::OuRecord;
use super::tags::{delete_tags, put_tags};
use localorg_kernel::Ctx;

/// AWS's limit on OU nesting: five levels of OUs below the root.
pub const MAX_OU_DEPTH: usize = 5;

/// AWS's quota on OUs per organization.
pub const MAX_OUS: usize = 1000;

/// `DuplicateOrganizationalUnitException` as AWS words it.
fn duplicate_ou() -> ApiError {
    errors::DUPLICATE_ORGANIZATIONAL_UNIT_EXCEPTION
        .error("An OU with the same name already exists.")
}

/// True when `parent_id` already has a child OU called `name` (the OUS "name" index is unique,
/// so this is checked before writing to answer with AWS's error rather than a store error).
fn name_taken(tx: &dyn ReadTx, parent_id: &str, name: &str) -> Result<bool, ApiError> {
    Ok(OUS
        .get_by(tx, "name", &Key::new().str(parent_id).str(name))?
        .is_some())
}

/// `CreateOrganizationalUnit`: management account only.
pub(super) fn create_organizational_unit(
    ctx: &mut Ctx<'_>,
    input: CreateOrganizationalUnitRequest,
) -> Result<CreateOrganizationalUnitResponse, ApiError> {
    let org = managed_org(ctx)?;
    let tx = ctx.tx.read();
    parent(tx, &org, &input.parent_id)?;
    if name_taken(tx, &input.parent_id, &input.name)? {
        return Err(duplicate_ou());
    }
    // path_to gives [root, ou1, ...parent]: its length is the new OU's depth below the root.
    if path_to(tx, &org, &input.parent_id)?.len() > MAX_OU_DEPTH {
        return Err(errors::CONSTRAINT_VIOLATION_EXCEPTION
            .error("You attempted to create an OU tree that is too many levels deep.")
            .with_field("Reason", "OU_DEPTH_LIMIT_EXCEEDED"));
    }
    let count = OUS
        .scan_index(
            tx,
            "org",
            &Key::new().str(&org.id),
            None,
            MAX_OUS.saturating_add(1),
        )?
        .items
        .len();
    if count >= MAX_OUS {
        return Err(errors::CONSTRAINT_VIOLATION_EXCEPTION
            .error("You have reached the maximum number of OUs allowed in an organization.")
            .with_field("Reason", "OU_NUMBER_LIMIT_EXCEEDED"));
    }
    let ou = OuRecord {
        id: new_ou_id(ctx, &org.root_id),
        org_id: org.id.clone(),
        name: input.name,
        parent_id: input.parent_id,
    };
    let tx = ctx.tx.write()?;
    OUS.put(tx, &Key::new().str(&ou.id), &ou)?;
    super::policies::attach_default_policies(tx, &org, &ou.id, "ORGANIZATIONAL_UNIT")?;
    put_tags(tx, &ou.id, input.tags.as_deref().unwrap_or_default())?;
    Ok(CreateOrganizationalUnitResponse {
        organizational_unit: Some(ou_shape(&org, &ou)),
    })
}

/// `DeleteOrganizationalUnit`: management account only; the OU must have no accounts or OUs.
pub(super) fn delete_organizational_unit(
    ctx: &mut Ctx<'_>,
    input: DeleteOrganizationalUnitRequest,
) -> Result<(), ApiError> {
    let org = managed_org(ctx)?;
    let tx = ctx.tx.read();
    let ou = org_ou(tx, &org, &input.organizational_unit_id)?;
    let ikey = Key::new().str(&ou.id);
    let has_accounts = !MEMBERS
        .scan_index(tx, "parent", &ikey, None, 1)?
        .items
        .is_empty();
    let has_ous = !OUS
        .scan_index(tx, "parent", &ikey, None, 1)?
        .items
        .is_empty();
    if has_accounts || has_ous {
        return Err(errors::ORGANIZATIONAL_UNIT_NOT_EMPTY_EXCEPTION.error(
            "You can't delete an organizational unit (OU) that contains accounts or child OUs.",
        ));
    }
    let tx = ctx.tx.write()?;
    delete_tags(tx, &ou.id)?;
    drop_attachments(tx, &ou.id)?;
    OUS.delete(tx, &ikey)?;
    Ok(())
}

/// `DescribeOrganizationalUnit`: management account or delegated administrator.
pub(super) fn describe_organizational_unit(
    ctx: &mut Ctx<'_>,
    input: DescribeOrganizationalUnitRequest,
) -> Result<DescribeOrganizationalUnitResponse, ApiError> {
    let org = readable_org(ctx)?;
    let ou = org_ou(ctx.tx.read(), &org, &input.organizational_unit_id)?;
    Ok(DescribeOrganizationalUnitResponse {
        organizational_unit: Some(ou_shape(&org, &ou)),
    })
}

/// `UpdateOrganizationalUnit`: renames an OU (management account only). Without `Name` the OU
/// is returned unchanged.
pub(super) fn update_organizational_unit(
    ctx: &mut Ctx<'_>,
    input: UpdateOrganizationalUnitRequest,
) -> Result<UpdateOrganizationalUnitResponse, ApiError> {
    let org = managed_org(ctx)?;
    let tx = ctx.tx.read();
    let mut ou = org_ou(tx, &org, &input.organizational_unit_id)?;
    if let Some(name) = input.name {
        if name != ou.name {
            if name_taken(tx, &ou.parent_id, &name)? {
                return Err(duplicate_ou());
            }
            ou.name = name;
            OUS.put(ctx.tx.write()?, &Key::new().str(&ou.id), &ou)?;
        }
    }
    Ok(UpdateOrganizationalUnitResponse {
        organizational_unit: Some(ou_shape(&org, &ou)),
    })
}

/// `ListOrganizationalUnitsForParent`: the OUs directly under a root or OU.
pub(super) fn list_organizational_units_for_parent(
    ctx: &mut Ctx<'_>,
    input: ListOrganizationalUnitsForParentRequest,
) -> Result<ListOrganizationalUnitsForParentResponse, ApiError> {
    let org = readable_org(ctx)?;
    let tx = ctx.tx.read();
    parent(tx, &org, &input.parent_id)?;
    let (ous, next_token) = index_page(
        tx,
        &OUS,
        "parent",
        &Key::new().str(&input.parent_id),
        input.next_token.as_deref(),
        input.max_results,
    )?;
    Ok(ListOrganizationalUnitsForParentResponse {
        organizational_units: Some(ous.iter().map(|ou| ou_shape(&org, ou)).collect()),
        next_token,
    })
}

/// `ListChildren`: the accounts or the OUs directly under a root or OU.
pub(super) fn list_children(
    ctx: &mut Ctx<'_>,
    input: ListChildrenRequest,
) -> Result<ListChildrenResponse, ApiError> {
    let org = readable_org(ctx)?;
    let tx = ctx.tx.read();
    parent(tx, &org, &input.parent_id)?;
    let ikey = Key::new().str(&input.parent_id);
    let after = decode_next_token(input.next_token.as_deref())?;
    let limit = page_size(input.max_results);
    let (children, next_token) = match input.child_type {
        ChildType::Account => {
            let page = MEMBERS.scan_index(tx, "parent", &ikey, after.as_deref(), limit)?;
            let token = next_token(&page);
            let children = page
                .items
                .iter()
                .map(|(key, _)| {
                    Ok(Child {
                        id: Some(first_str(key)?),
                        r#type: Some(ChildType::Account),
                    })
                })
                .collect::<Result<Vec<_>, ApiError>>()?;
            (children, token)
        }
        ChildType::OrganizationalUnit => {
            let page = OUS.scan_index(tx, "parent", &ikey, after.as_deref(), limit)?;
            let token = next_token(&page);
            let children = page
                .items
                .into_iter()
                .map(|(_, ou)| Child {
                    id: Some(ou.id),
                    r#type: Some(ChildType::OrganizationalUnit),
                })
                .collect();
            (children, token)
        }
    };
    Ok(ListChildrenResponse {
        children: Some(children),
        next_token,
    })
}

/// `ListParents`: the one parent (root or OU) of an account or OU.
pub(super) fn list_parents(
    ctx: &mut Ctx<'_>,
    input: ListParentsRequest,
) -> Result<ListParentsResponse, ApiError> {
    let org = readable_org(ctx)?;
    let tx = ctx.tx.read();
    decode_next_token(input.next_token.as_deref())?;
    let key = Key::new().str(&input.child_id);
    let parent_id = if input.child_id.starts_with("ou-") {
        OUS.get(tx, &key)?
            .filter(|ou| ou.org_id == org.id)
            .map(|ou| ou.parent_id)
    } else {
        MEMBERS
            .get(tx, &key)?
            .filter(|m| m.org_id == org.id)
            .map(|m| m.parent_id)
    };
    let parent_id = parent_id.ok_or_else(|| {
        errors::CHILD_NOT_FOUND_EXCEPTION
            .error("We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.")
    })?;
    let kind = if parent_id == org.root_id {
        ParentType::Root
    } else {
        ParentType::OrganizationalUnit
    };
    Ok(ListParentsResponse {
        parents: Some(vec![Parent {
            id: Some(parent_id),
            r#type: Some(kind),
        }]),
        next_token: None,
    })
}
