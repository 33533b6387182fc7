//! IAM Identity Center: instances (sso-admin) and their identity stores (identitystore).
//!
//! `instances` holds the instances and who may use them; `directory` the identity store's users,
//! groups and memberships; `family` plugs both services into the partition. Permission sets,
//! account assignments, the access portal, OIDC and SCIM come next (see `ARCHITECTURE.md`).

mod core;
mod directory;
mod family;
mod instances;
mod records;

use std::marker::PhantomData;

use localorg_kernel::Ctx;
use localorg_model::generated::identitystore::*;
use localorg_model::generated::sso_admin::{
    CreateInstanceRequest, CreateInstanceResponse, DeleteInstanceRequest, DeleteInstanceResponse,
    DescribeInstanceRequest, DescribeInstanceResponse, ListInstancesRequest, ListInstancesResponse,
    SsoAdminApi, UpdateInstanceRequest, UpdateInstanceResponse,
};
use localorg_model::ApiError;

pub use family::IdentityCenterFamily;

/// IAM Identity Center's APIs (stateless: all state is in the store).
pub struct IdentityCenter<'a>(PhantomData<&'a ()>);

impl IdentityCenter<'_> {
    /// The service.
    pub fn new() -> Self {
        IdentityCenter(PhantomData)
    }
}

impl Default for IdentityCenter<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> IdentitystoreApi for IdentityCenter<'a> {
    type Ctx = Ctx<'a>;

    fn create_group(
        &self,
        ctx: &mut Self::Ctx,
        input: CreateGroupRequest,
    ) -> Result<CreateGroupResponse, ApiError> {
        directory::create_group(ctx, input)
    }

    fn create_group_membership(
        &self,
        ctx: &mut Self::Ctx,
        input: CreateGroupMembershipRequest,
    ) -> Result<CreateGroupMembershipResponse, ApiError> {
        directory::create_group_membership(ctx, input)
    }

    fn create_user(
        &self,
        ctx: &mut Self::Ctx,
        input: CreateUserRequest,
    ) -> Result<CreateUserResponse, ApiError> {
        directory::create_user(ctx, input)
    }

    fn delete_group(
        &self,
        ctx: &mut Self::Ctx,
        input: DeleteGroupRequest,
    ) -> Result<DeleteGroupResponse, ApiError> {
        directory::delete_group(ctx, input)
    }

    fn delete_group_membership(
        &self,
        ctx: &mut Self::Ctx,
        input: DeleteGroupMembershipRequest,
    ) -> Result<DeleteGroupMembershipResponse, ApiError> {
        directory::delete_group_membership(ctx, input)
    }

    fn delete_user(
        &self,
        ctx: &mut Self::Ctx,
        input: DeleteUserRequest,
    ) -> Result<DeleteUserResponse, ApiError> {
        directory::delete_user(ctx, input)
    }

    fn describe_group(
        &self,
        ctx: &mut Self::Ctx,
        input: DescribeGroupRequest,
    ) -> Result<DescribeGroupResponse, ApiError> {
        directory::describe_group(ctx, input)
    }

    fn describe_group_membership(
        &self,
        ctx: &mut Self::Ctx,
        input: DescribeGroupMembershipRequest,
    ) -> Result<DescribeGroupMembershipResponse, ApiError> {
        directory::describe_group_membership(ctx, input)
    }

    fn describe_identity_store(
        &self,
        ctx: &mut Self::Ctx,
        input: DescribeIdentityStoreRequest,
    ) -> Result<DescribeIdentityStoreResponse, ApiError> {
        directory::describe_identity_store(ctx, input)
    }

    fn describe_user(
        &self,
        ctx: &mut Self::Ctx,
        input: DescribeUserRequest,
    ) -> Result<DescribeUserResponse, ApiError> {
        directory::describe_user(ctx, input)
    }

    fn get_group_id(
        &self,
        ctx: &mut Self::Ctx,
        input: GetGroupIdRequest,
    ) -> Result<GetGroupIdResponse, ApiError> {
        directory::get_group_id(ctx, input)
    }

    fn get_group_membership_id(
        &self,
        ctx: &mut Self::Ctx,
        input: GetGroupMembershipIdRequest,
    ) -> Result<GetGroupMembershipIdResponse, ApiError> {
        directory::get_group_membership_id(ctx, input)
    }

    fn get_user_id(
        &self,
        ctx: &mut Self::Ctx,
        input: GetUserIdRequest,
    ) -> Result<GetUserIdResponse, ApiError> {
        directory::get_user_id(ctx, input)
    }

    fn is_member_in_groups(
        &self,
        ctx: &mut Self::Ctx,
        input: IsMemberInGroupsRequest,
    ) -> Result<IsMemberInGroupsResponse, ApiError> {
        directory::is_member_in_groups(ctx, input)
    }

    fn list_group_memberships(
        &self,
        ctx: &mut Self::Ctx,
        input: ListGroupMembershipsRequest,
    ) -> Result<ListGroupMembershipsResponse, ApiError> {
        directory::list_group_memberships(ctx, input)
    }

    fn list_group_memberships_for_member(
        &self,
        ctx: &mut Self::Ctx,
        input: ListGroupMembershipsForMemberRequest,
    ) -> Result<ListGroupMembershipsForMemberResponse, ApiError> {
        directory::list_group_memberships_for_member(ctx, input)
    }

    fn list_groups(
        &self,
        ctx: &mut Self::Ctx,
        input: ListGroupsRequest,
    ) -> Result<ListGroupsResponse, ApiError> {
        directory::list_groups(ctx, input)
    }

    fn list_identity_stores(
        &self,
        ctx: &mut Self::Ctx,
        input: ListIdentityStoresRequest,
    ) -> Result<ListIdentityStoresResponse, ApiError> {
        directory::list_identity_stores(ctx, input)
    }

    fn list_users(
        &self,
        ctx: &mut Self::Ctx,
        input: ListUsersRequest,
    ) -> Result<ListUsersResponse, ApiError> {
        directory::list_users(ctx, input)
    }

    fn update_group(
        &self,
        ctx: &mut Self::Ctx,
        input: UpdateGroupRequest,
    ) -> Result<UpdateGroupResponse, ApiError> {
        directory::update_group(ctx, input)
    }

    fn update_identity_store(
        &self,
        ctx: &mut Self::Ctx,
        input: UpdateIdentityStoreRequest,
    ) -> Result<UpdateIdentityStoreResponse, ApiError> {
        directory::update_identity_store(ctx, input)
    }

    fn update_user(
        &self,
        ctx: &mut Self::Ctx,
        input: UpdateUserRequest,
    ) -> Result<UpdateUserResponse, ApiError> {
        directory::update_user(ctx, input)
    }
}

impl<'a> SsoAdminApi for IdentityCenter<'a> {
    type Ctx = Ctx<'a>;

    fn create_instance(
        &self,
        ctx: &mut Self::Ctx,
        input: CreateInstanceRequest,
    ) -> Result<CreateInstanceResponse, ApiError> {
        instances::create_instance(ctx, input)
    }

    fn delete_instance(
        &self,
        ctx: &mut Self::Ctx,
        input: DeleteInstanceRequest,
    ) -> Result<DeleteInstanceResponse, ApiError> {
        instances::delete_instance(ctx, input)
    }

    fn describe_instance(
        &self,
        ctx: &mut Self::Ctx,
        input: DescribeInstanceRequest,
    ) -> Result<DescribeInstanceResponse, ApiError> {
        instances::describe_instance(ctx, input)
    }

    fn list_instances(
        &self,
        ctx: &mut Self::Ctx,
        input: ListInstancesRequest,
    ) -> Result<ListInstancesResponse, ApiError> {
        instances::list_instances(ctx, input)
    }

    fn update_instance(
        &self,
        ctx: &mut Self::Ctx,
        input: UpdateInstanceRequest,
    ) -> Result<UpdateInstanceResponse, ApiError> {
        instances::update_instance(ctx, input)
    }
}
