//! IAM: policies.

use localorg_model::generated::iam::{
    AttachGroupPolicyRequest, AttachRolePolicyRequest, AttachUserPolicyRequest,
    CreatePolicyRequest, CreatePolicyResponse, CreatePolicyVersionRequest,
    CreatePolicyVersionResponse, DeleteGroupPolicyRequest, DeletePolicyRequest,
    DeletePolicyVersionRequest, DeleteRolePolicyRequest, DeleteUserPolicyRequest,
    DetachGroupPolicyRequest, DetachRolePolicyRequest, DetachUserPolicyRequest,
    GetGroupPolicyRequest, GetGroupPolicyResponse, GetPolicyRequest, GetPolicyResponse,
    GetPolicyVersionRequest, GetPolicyVersionResponse, GetRolePolicyRequest, GetRolePolicyResponse,
    GetUserPolicyRequest, GetUserPolicyResponse, ListAttachedGroupPoliciesRequest,
    ListAttachedGroupPoliciesResponse, ListAttachedRolePoliciesRequest,
    ListAttachedRolePoliciesResponse, ListAttachedUserPoliciesRequest,
    ListAttachedUserPoliciesResponse, ListEntitiesForPolicyRequest, ListEntitiesForPolicyResponse,
    ListGroupPoliciesRequest, ListGroupPoliciesResponse, ListPoliciesRequest, ListPoliciesResponse,
    ListPolicyTagsRequest, ListPolicyTagsResponse, ListPolicyVersionsRequest,
    ListPolicyVersionsResponse, ListRolePoliciesRequest, ListRolePoliciesResponse,
    ListUserPoliciesRequest, ListUserPoliciesResponse, PutGroupPolicyRequest, PutRolePolicyRequest,
    PutUserPolicyRequest, SetDefaultPolicyVersionRequest, TagPolicyRequest, UntagPolicyRequest,
};
use localorg_model::ApiError;

use crate::tx::Ctx;

/// `CreatePolicy`.
pub(super) fn create_policy(
    ctx: &mut Ctx<'_>,
    input: CreatePolicyRequest,
) -> Result<CreatePolicyResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "CreatePolicy"))
}

/// `GetPolicy`.
pub(super) fn get_policy(
    ctx: &mut Ctx<'_>,
    input: GetPolicyRequest,
) -> Result<GetPolicyResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "GetPolicy"))
}

/// `DeletePolicy`.
pub(super) fn delete_policy(ctx: &mut Ctx<'_>, input: DeletePolicyRequest) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "DeletePolicy"))
}

/// `ListPolicies`.
pub(super) fn list_policies(
    ctx: &mut Ctx<'_>,
    input: ListPoliciesRequest,
) -> Result<ListPoliciesResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ListPolicies"))
}

/// `CreatePolicyVersion`.
pub(super) fn create_policy_version(
    ctx: &mut Ctx<'_>,
    input: CreatePolicyVersionRequest,
) -> Result<CreatePolicyVersionResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "CreatePolicyVersion"))
}

/// `GetPolicyVersion`.
pub(super) fn get_policy_version(
    ctx: &mut Ctx<'_>,
    input: GetPolicyVersionRequest,
) -> Result<GetPolicyVersionResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "GetPolicyVersion"))
}

/// `DeletePolicyVersion`.
pub(super) fn delete_policy_version(
    ctx: &mut Ctx<'_>,
    input: DeletePolicyVersionRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "DeletePolicyVersion"))
}

/// `ListPolicyVersions`.
pub(super) fn list_policy_versions(
    ctx: &mut Ctx<'_>,
    input: ListPolicyVersionsRequest,
) -> Result<ListPolicyVersionsResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ListPolicyVersions"))
}

/// `SetDefaultPolicyVersion`.
pub(super) fn set_default_policy_version(
    ctx: &mut Ctx<'_>,
    input: SetDefaultPolicyVersionRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "SetDefaultPolicyVersion"))
}

/// `TagPolicy`.
pub(super) fn tag_policy(ctx: &mut Ctx<'_>, input: TagPolicyRequest) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "TagPolicy"))
}

/// `UntagPolicy`.
pub(super) fn untag_policy(ctx: &mut Ctx<'_>, input: UntagPolicyRequest) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "UntagPolicy"))
}

/// `ListPolicyTags`.
pub(super) fn list_policy_tags(
    ctx: &mut Ctx<'_>,
    input: ListPolicyTagsRequest,
) -> Result<ListPolicyTagsResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ListPolicyTags"))
}

/// `AttachUserPolicy`.
pub(super) fn attach_user_policy(
    ctx: &mut Ctx<'_>,
    input: AttachUserPolicyRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "AttachUserPolicy"))
}

/// `DetachUserPolicy`.
pub(super) fn detach_user_policy(
    ctx: &mut Ctx<'_>,
    input: DetachUserPolicyRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "DetachUserPolicy"))
}

/// `AttachGroupPolicy`.
pub(super) fn attach_group_policy(
    ctx: &mut Ctx<'_>,
    input: AttachGroupPolicyRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "AttachGroupPolicy"))
}

/// `DetachGroupPolicy`.
pub(super) fn detach_group_policy(
    ctx: &mut Ctx<'_>,
    input: DetachGroupPolicyRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "DetachGroupPolicy"))
}

/// `AttachRolePolicy`.
pub(super) fn attach_role_policy(
    ctx: &mut Ctx<'_>,
    input: AttachRolePolicyRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "AttachRolePolicy"))
}

/// `DetachRolePolicy`.
pub(super) fn detach_role_policy(
    ctx: &mut Ctx<'_>,
    input: DetachRolePolicyRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "DetachRolePolicy"))
}

/// `ListAttachedUserPolicies`.
pub(super) fn list_attached_user_policies(
    ctx: &mut Ctx<'_>,
    input: ListAttachedUserPoliciesRequest,
) -> Result<ListAttachedUserPoliciesResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ListAttachedUserPolicies"))
}

/// `ListAttachedGroupPolicies`.
pub(super) fn list_attached_group_policies(
    ctx: &mut Ctx<'_>,
    input: ListAttachedGroupPoliciesRequest,
) -> Result<ListAttachedGroupPoliciesResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "IAM",
        "ListAttachedGroupPolicies",
    ))
}

/// `ListAttachedRolePolicies`.
pub(super) fn list_attached_role_policies(
    ctx: &mut Ctx<'_>,
    input: ListAttachedRolePoliciesRequest,
) -> Result<ListAttachedRolePoliciesResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ListAttachedRolePolicies"))
}

/// `ListEntitiesForPolicy`.
pub(super) fn list_entities_for_policy(
    ctx: &mut Ctx<'_>,
    input: ListEntitiesForPolicyRequest,
) -> Result<ListEntitiesForPolicyResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ListEntitiesForPolicy"))
}

/// `PutUserPolicy`.
pub(super) fn put_user_policy(
    ctx: &mut Ctx<'_>,
    input: PutUserPolicyRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "PutUserPolicy"))
}

/// `GetUserPolicy`.
pub(super) fn get_user_policy(
    ctx: &mut Ctx<'_>,
    input: GetUserPolicyRequest,
) -> Result<GetUserPolicyResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "GetUserPolicy"))
}

/// `DeleteUserPolicy`.
pub(super) fn delete_user_policy(
    ctx: &mut Ctx<'_>,
    input: DeleteUserPolicyRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "DeleteUserPolicy"))
}

/// `ListUserPolicies`.
pub(super) fn list_user_policies(
    ctx: &mut Ctx<'_>,
    input: ListUserPoliciesRequest,
) -> Result<ListUserPoliciesResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ListUserPolicies"))
}

/// `PutGroupPolicy`.
pub(super) fn put_group_policy(
    ctx: &mut Ctx<'_>,
    input: PutGroupPolicyRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "PutGroupPolicy"))
}

/// `GetGroupPolicy`.
pub(super) fn get_group_policy(
    ctx: &mut Ctx<'_>,
    input: GetGroupPolicyRequest,
) -> Result<GetGroupPolicyResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "GetGroupPolicy"))
}

/// `DeleteGroupPolicy`.
pub(super) fn delete_group_policy(
    ctx: &mut Ctx<'_>,
    input: DeleteGroupPolicyRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "DeleteGroupPolicy"))
}

/// `ListGroupPolicies`.
pub(super) fn list_group_policies(
    ctx: &mut Ctx<'_>,
    input: ListGroupPoliciesRequest,
) -> Result<ListGroupPoliciesResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ListGroupPolicies"))
}

/// `PutRolePolicy`.
pub(super) fn put_role_policy(
    ctx: &mut Ctx<'_>,
    input: PutRolePolicyRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "PutRolePolicy"))
}

/// `GetRolePolicy`.
pub(super) fn get_role_policy(
    ctx: &mut Ctx<'_>,
    input: GetRolePolicyRequest,
) -> Result<GetRolePolicyResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "GetRolePolicy"))
}

/// `DeleteRolePolicy`.
pub(super) fn delete_role_policy(
    ctx: &mut Ctx<'_>,
    input: DeleteRolePolicyRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "DeleteRolePolicy"))
}

/// `ListRolePolicies`.
pub(super) fn list_role_policies(
    ctx: &mut Ctx<'_>,
    input: ListRolePoliciesRequest,
) -> Result<ListRolePoliciesResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ListRolePolicies"))
}
