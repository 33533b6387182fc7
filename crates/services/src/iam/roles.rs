//! IAM: roles.

use localorg_model::generated::iam::{
    AddRoleToInstanceProfileRequest, CreateInstanceProfileRequest, CreateInstanceProfileResponse,
    CreateRoleRequest, CreateRoleResponse, CreateServiceLinkedRoleRequest,
    CreateServiceLinkedRoleResponse, DeleteInstanceProfileRequest,
    DeleteRolePermissionsBoundaryRequest, DeleteRoleRequest, DeleteServiceLinkedRoleRequest,
    DeleteServiceLinkedRoleResponse, GetInstanceProfileRequest, GetInstanceProfileResponse,
    GetRoleRequest, GetRoleResponse, GetServiceLinkedRoleDeletionStatusRequest,
    GetServiceLinkedRoleDeletionStatusResponse, ListInstanceProfileTagsRequest,
    ListInstanceProfileTagsResponse, ListInstanceProfilesForRoleRequest,
    ListInstanceProfilesForRoleResponse, ListInstanceProfilesRequest, ListInstanceProfilesResponse,
    ListRoleTagsRequest, ListRoleTagsResponse, ListRolesRequest, ListRolesResponse,
    PutRolePermissionsBoundaryRequest, RemoveRoleFromInstanceProfileRequest,
    TagInstanceProfileRequest, TagRoleRequest, UntagInstanceProfileRequest, UntagRoleRequest,
    UpdateAssumeRolePolicyRequest, UpdateRoleDescriptionRequest, UpdateRoleDescriptionResponse,
    UpdateRoleRequest, UpdateRoleResponse,
};
use localorg_model::ApiError;

use crate::tx::Ctx;

/// `CreateRole`.
pub(super) fn create_role(
    ctx: &mut Ctx<'_>,
    input: CreateRoleRequest,
) -> Result<CreateRoleResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "CreateRole"))
}

/// `GetRole`.
pub(super) fn get_role(
    ctx: &mut Ctx<'_>,
    input: GetRoleRequest,
) -> Result<GetRoleResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "GetRole"))
}

/// `UpdateRole`.
pub(super) fn update_role(
    ctx: &mut Ctx<'_>,
    input: UpdateRoleRequest,
) -> Result<UpdateRoleResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "UpdateRole"))
}

/// `UpdateRoleDescription`.
pub(super) fn update_role_description(
    ctx: &mut Ctx<'_>,
    input: UpdateRoleDescriptionRequest,
) -> Result<UpdateRoleDescriptionResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "UpdateRoleDescription"))
}

/// `DeleteRole`.
pub(super) fn delete_role(ctx: &mut Ctx<'_>, input: DeleteRoleRequest) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "DeleteRole"))
}

/// `ListRoles`.
pub(super) fn list_roles(
    ctx: &mut Ctx<'_>,
    input: ListRolesRequest,
) -> Result<ListRolesResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ListRoles"))
}

/// `UpdateAssumeRolePolicy`.
pub(super) fn update_assume_role_policy(
    ctx: &mut Ctx<'_>,
    input: UpdateAssumeRolePolicyRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "UpdateAssumeRolePolicy"))
}

/// `TagRole`.
pub(super) fn tag_role(ctx: &mut Ctx<'_>, input: TagRoleRequest) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "TagRole"))
}

/// `UntagRole`.
pub(super) fn untag_role(ctx: &mut Ctx<'_>, input: UntagRoleRequest) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "UntagRole"))
}

/// `ListRoleTags`.
pub(super) fn list_role_tags(
    ctx: &mut Ctx<'_>,
    input: ListRoleTagsRequest,
) -> Result<ListRoleTagsResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ListRoleTags"))
}

/// `PutRolePermissionsBoundary`.
pub(super) fn put_role_permissions_boundary(
    ctx: &mut Ctx<'_>,
    input: PutRolePermissionsBoundaryRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "IAM",
        "PutRolePermissionsBoundary",
    ))
}

/// `DeleteRolePermissionsBoundary`.
pub(super) fn delete_role_permissions_boundary(
    ctx: &mut Ctx<'_>,
    input: DeleteRolePermissionsBoundaryRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "IAM",
        "DeleteRolePermissionsBoundary",
    ))
}

/// `CreateServiceLinkedRole`.
pub(super) fn create_service_linked_role(
    ctx: &mut Ctx<'_>,
    input: CreateServiceLinkedRoleRequest,
) -> Result<CreateServiceLinkedRoleResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "CreateServiceLinkedRole"))
}

/// `DeleteServiceLinkedRole`.
pub(super) fn delete_service_linked_role(
    ctx: &mut Ctx<'_>,
    input: DeleteServiceLinkedRoleRequest,
) -> Result<DeleteServiceLinkedRoleResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "DeleteServiceLinkedRole"))
}

/// `GetServiceLinkedRoleDeletionStatus`.
pub(super) fn get_service_linked_role_deletion_status(
    ctx: &mut Ctx<'_>,
    input: GetServiceLinkedRoleDeletionStatusRequest,
) -> Result<GetServiceLinkedRoleDeletionStatusResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "IAM",
        "GetServiceLinkedRoleDeletionStatus",
    ))
}

/// `CreateInstanceProfile`.
pub(super) fn create_instance_profile(
    ctx: &mut Ctx<'_>,
    input: CreateInstanceProfileRequest,
) -> Result<CreateInstanceProfileResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "CreateInstanceProfile"))
}

/// `GetInstanceProfile`.
pub(super) fn get_instance_profile(
    ctx: &mut Ctx<'_>,
    input: GetInstanceProfileRequest,
) -> Result<GetInstanceProfileResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "GetInstanceProfile"))
}

/// `DeleteInstanceProfile`.
pub(super) fn delete_instance_profile(
    ctx: &mut Ctx<'_>,
    input: DeleteInstanceProfileRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "DeleteInstanceProfile"))
}

/// `ListInstanceProfiles`.
pub(super) fn list_instance_profiles(
    ctx: &mut Ctx<'_>,
    input: ListInstanceProfilesRequest,
) -> Result<ListInstanceProfilesResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ListInstanceProfiles"))
}

/// `AddRoleToInstanceProfile`.
pub(super) fn add_role_to_instance_profile(
    ctx: &mut Ctx<'_>,
    input: AddRoleToInstanceProfileRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "AddRoleToInstanceProfile"))
}

/// `RemoveRoleFromInstanceProfile`.
pub(super) fn remove_role_from_instance_profile(
    ctx: &mut Ctx<'_>,
    input: RemoveRoleFromInstanceProfileRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "IAM",
        "RemoveRoleFromInstanceProfile",
    ))
}

/// `ListInstanceProfilesForRole`.
pub(super) fn list_instance_profiles_for_role(
    ctx: &mut Ctx<'_>,
    input: ListInstanceProfilesForRoleRequest,
) -> Result<ListInstanceProfilesForRoleResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "IAM",
        "ListInstanceProfilesForRole",
    ))
}

/// `TagInstanceProfile`.
pub(super) fn tag_instance_profile(
    ctx: &mut Ctx<'_>,
    input: TagInstanceProfileRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "TagInstanceProfile"))
}

/// `UntagInstanceProfile`.
pub(super) fn untag_instance_profile(
    ctx: &mut Ctx<'_>,
    input: UntagInstanceProfileRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "UntagInstanceProfile"))
}

/// `ListInstanceProfileTags`.
pub(super) fn list_instance_profile_tags(
    ctx: &mut Ctx<'_>,
    input: ListInstanceProfileTagsRequest,
) -> Result<ListInstanceProfileTagsResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ListInstanceProfileTags"))
}
