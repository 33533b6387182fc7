//! IAM: users.

use localorg_model::generated::iam::{
    AddUserToGroupRequest, CreateGroupRequest, CreateGroupResponse, CreateUserRequest,
    CreateUserResponse, DeleteGroupRequest, DeleteUserPermissionsBoundaryRequest,
    DeleteUserRequest, GetGroupRequest, GetGroupResponse, GetUserRequest, GetUserResponse,
    ListGroupsForUserRequest, ListGroupsForUserResponse, ListGroupsRequest, ListGroupsResponse,
    ListUserTagsRequest, ListUserTagsResponse, ListUsersRequest, ListUsersResponse,
    PutUserPermissionsBoundaryRequest, RemoveUserFromGroupRequest, TagUserRequest,
    UntagUserRequest, UpdateGroupRequest, UpdateUserRequest,
};
use localorg_model::ApiError;

use crate::tx::Ctx;

/// `CreateUser`.
pub(super) fn create_user(
    ctx: &mut Ctx<'_>,
    input: CreateUserRequest,
) -> Result<CreateUserResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "CreateUser"))
}

/// `GetUser`.
pub(super) fn get_user(
    ctx: &mut Ctx<'_>,
    input: GetUserRequest,
) -> Result<GetUserResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "GetUser"))
}

/// `UpdateUser`.
pub(super) fn update_user(ctx: &mut Ctx<'_>, input: UpdateUserRequest) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "UpdateUser"))
}

/// `DeleteUser`.
pub(super) fn delete_user(ctx: &mut Ctx<'_>, input: DeleteUserRequest) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "DeleteUser"))
}

/// `ListUsers`.
pub(super) fn list_users(
    ctx: &mut Ctx<'_>,
    input: ListUsersRequest,
) -> Result<ListUsersResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ListUsers"))
}

/// `TagUser`.
pub(super) fn tag_user(ctx: &mut Ctx<'_>, input: TagUserRequest) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "TagUser"))
}

/// `UntagUser`.
pub(super) fn untag_user(ctx: &mut Ctx<'_>, input: UntagUserRequest) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "UntagUser"))
}

/// `ListUserTags`.
pub(super) fn list_user_tags(
    ctx: &mut Ctx<'_>,
    input: ListUserTagsRequest,
) -> Result<ListUserTagsResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ListUserTags"))
}

/// `PutUserPermissionsBoundary`.
pub(super) fn put_user_permissions_boundary(
    ctx: &mut Ctx<'_>,
    input: PutUserPermissionsBoundaryRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "IAM",
        "PutUserPermissionsBoundary",
    ))
}

/// `DeleteUserPermissionsBoundary`.
pub(super) fn delete_user_permissions_boundary(
    ctx: &mut Ctx<'_>,
    input: DeleteUserPermissionsBoundaryRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "IAM",
        "DeleteUserPermissionsBoundary",
    ))
}

/// `CreateGroup`.
pub(super) fn create_group(
    ctx: &mut Ctx<'_>,
    input: CreateGroupRequest,
) -> Result<CreateGroupResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "CreateGroup"))
}

/// `GetGroup`.
pub(super) fn get_group(
    ctx: &mut Ctx<'_>,
    input: GetGroupRequest,
) -> Result<GetGroupResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "GetGroup"))
}

/// `UpdateGroup`.
pub(super) fn update_group(ctx: &mut Ctx<'_>, input: UpdateGroupRequest) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "UpdateGroup"))
}

/// `DeleteGroup`.
pub(super) fn delete_group(ctx: &mut Ctx<'_>, input: DeleteGroupRequest) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "DeleteGroup"))
}

/// `ListGroups`.
pub(super) fn list_groups(
    ctx: &mut Ctx<'_>,
    input: ListGroupsRequest,
) -> Result<ListGroupsResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ListGroups"))
}

/// `AddUserToGroup`.
pub(super) fn add_user_to_group(
    ctx: &mut Ctx<'_>,
    input: AddUserToGroupRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "AddUserToGroup"))
}

/// `RemoveUserFromGroup`.
pub(super) fn remove_user_from_group(
    ctx: &mut Ctx<'_>,
    input: RemoveUserFromGroupRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "RemoveUserFromGroup"))
}

/// `ListGroupsForUser`.
pub(super) fn list_groups_for_user(
    ctx: &mut Ctx<'_>,
    input: ListGroupsForUserRequest,
) -> Result<ListGroupsForUserResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ListGroupsForUser"))
}
