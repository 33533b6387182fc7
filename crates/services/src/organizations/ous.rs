//! Organizations: ous.

use localorg_model::generated::organizations::{
    CreateOrganizationalUnitRequest, CreateOrganizationalUnitResponse,
    DeleteOrganizationalUnitRequest, DescribeOrganizationalUnitRequest,
    DescribeOrganizationalUnitResponse, ListChildrenRequest, ListChildrenResponse,
    ListOrganizationalUnitsForParentRequest, ListOrganizationalUnitsForParentResponse,
    ListParentsRequest, ListParentsResponse, UpdateOrganizationalUnitRequest,
    UpdateOrganizationalUnitResponse,
};
use localorg_model::ApiError;

use crate::tx::Ctx;

/// `CreateOrganizationalUnit`.
pub(super) fn create_organizational_unit(
    ctx: &mut Ctx<'_>,
    input: CreateOrganizationalUnitRequest,
) -> Result<CreateOrganizationalUnitResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "CreateOrganizationalUnit",
    ))
}

/// `DeleteOrganizationalUnit`.
pub(super) fn delete_organizational_unit(
    ctx: &mut Ctx<'_>,
    input: DeleteOrganizationalUnitRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "DeleteOrganizationalUnit",
    ))
}

/// `DescribeOrganizationalUnit`.
pub(super) fn describe_organizational_unit(
    ctx: &mut Ctx<'_>,
    input: DescribeOrganizationalUnitRequest,
) -> Result<DescribeOrganizationalUnitResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "DescribeOrganizationalUnit",
    ))
}

/// `UpdateOrganizationalUnit`.
pub(super) fn update_organizational_unit(
    ctx: &mut Ctx<'_>,
    input: UpdateOrganizationalUnitRequest,
) -> Result<UpdateOrganizationalUnitResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "UpdateOrganizationalUnit",
    ))
}

/// `ListOrganizationalUnitsForParent`.
pub(super) fn list_organizational_units_for_parent(
    ctx: &mut Ctx<'_>,
    input: ListOrganizationalUnitsForParentRequest,
) -> Result<ListOrganizationalUnitsForParentResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "ListOrganizationalUnitsForParent",
    ))
}

/// `ListChildren`.
pub(super) fn list_children(
    ctx: &mut Ctx<'_>,
    input: ListChildrenRequest,
) -> Result<ListChildrenResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("Organizations", "ListChildren"))
}

/// `ListParents`.
pub(super) fn list_parents(
    ctx: &mut Ctx<'_>,
    input: ListParentsRequest,
) -> Result<ListParentsResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("Organizations", "ListParents"))
}
