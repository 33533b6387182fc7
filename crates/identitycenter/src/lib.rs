//! IAM Identity Center: instances, permission sets and assignments (sso-admin) and the identity
//! stores (identitystore).
//!
//! `instances` holds the instances and who may use them; `directory` the identity store's users,
//! groups and memberships; `permission_sets` the permission sets and their policies and tags;
//! `assignments` account assignments and provisioning (the `AWSReservedSSO_…` roles, through the
//! kernel's directory port); `family` plugs both services into the partition. The access portal,
//! OIDC and SCIM come next (see `ARCHITECTURE.md`).

mod assignments;
mod attributes;
mod core;
mod directory;
mod family;
mod instances;
mod permission_sets;
mod portal;
mod records;
mod regions;
mod scim;

use std::marker::PhantomData;

use localorg_kernel::Ctx;
use localorg_model::generated::identitystore::*;
use localorg_model::generated::sso::{self as portal_api, SsoApi};
use localorg_model::generated::sso_admin::{self as admin, SsoAdminApi};
use localorg_model::generated::sso_oidc::{self as oidc, SsoOidcApi};
use localorg_model::ApiError;

pub use family::IdentityCenterFamily;
pub use portal::{approve_device, register_mfa_device, set_password, SignInError};
pub use scim::{handle as scim, issue_scim_token, ScimRequest, ScimResponse};

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
        input: admin::CreateInstanceRequest,
    ) -> Result<admin::CreateInstanceResponse, ApiError> {
        instances::create_instance(ctx, input)
    }

    fn delete_instance(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::DeleteInstanceRequest,
    ) -> Result<admin::DeleteInstanceResponse, ApiError> {
        instances::delete_instance(ctx, input)
    }

    fn describe_instance(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::DescribeInstanceRequest,
    ) -> Result<admin::DescribeInstanceResponse, ApiError> {
        instances::describe_instance(ctx, input)
    }

    fn list_instances(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::ListInstancesRequest,
    ) -> Result<admin::ListInstancesResponse, ApiError> {
        instances::list_instances(ctx, input)
    }

    fn update_instance(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::UpdateInstanceRequest,
    ) -> Result<admin::UpdateInstanceResponse, ApiError> {
        instances::update_instance(ctx, input)
    }

    fn create_permission_set(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::CreatePermissionSetRequest,
    ) -> Result<admin::CreatePermissionSetResponse, ApiError> {
        permission_sets::create_permission_set(ctx, input)
    }

    fn describe_permission_set(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::DescribePermissionSetRequest,
    ) -> Result<admin::DescribePermissionSetResponse, ApiError> {
        permission_sets::describe_permission_set(ctx, input)
    }

    fn list_permission_sets(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::ListPermissionSetsRequest,
    ) -> Result<admin::ListPermissionSetsResponse, ApiError> {
        permission_sets::list_permission_sets(ctx, input)
    }

    fn update_permission_set(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::UpdatePermissionSetRequest,
    ) -> Result<admin::UpdatePermissionSetResponse, ApiError> {
        permission_sets::update_permission_set(ctx, input)
    }

    fn delete_permission_set(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::DeletePermissionSetRequest,
    ) -> Result<admin::DeletePermissionSetResponse, ApiError> {
        permission_sets::delete_permission_set(ctx, input)
    }

    fn attach_managed_policy_to_permission_set(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::AttachManagedPolicyToPermissionSetRequest,
    ) -> Result<admin::AttachManagedPolicyToPermissionSetResponse, ApiError> {
        permission_sets::attach_managed_policy_to_permission_set(ctx, input)
    }

    fn detach_managed_policy_from_permission_set(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::DetachManagedPolicyFromPermissionSetRequest,
    ) -> Result<admin::DetachManagedPolicyFromPermissionSetResponse, ApiError> {
        permission_sets::detach_managed_policy_from_permission_set(ctx, input)
    }

    fn list_managed_policies_in_permission_set(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::ListManagedPoliciesInPermissionSetRequest,
    ) -> Result<admin::ListManagedPoliciesInPermissionSetResponse, ApiError> {
        permission_sets::list_managed_policies_in_permission_set(ctx, input)
    }

    fn attach_customer_managed_policy_reference_to_permission_set(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::AttachCustomerManagedPolicyReferenceToPermissionSetRequest,
    ) -> Result<admin::AttachCustomerManagedPolicyReferenceToPermissionSetResponse, ApiError> {
        permission_sets::attach_customer_managed_policy_reference_to_permission_set(ctx, input)
    }

    fn list_customer_managed_policy_references_in_permission_set(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::ListCustomerManagedPolicyReferencesInPermissionSetRequest,
    ) -> Result<admin::ListCustomerManagedPolicyReferencesInPermissionSetResponse, ApiError> {
        permission_sets::list_customer_managed_policy_references_in_permission_set(ctx, input)
    }

    fn put_inline_policy_to_permission_set(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::PutInlinePolicyToPermissionSetRequest,
    ) -> Result<admin::PutInlinePolicyToPermissionSetResponse, ApiError> {
        permission_sets::put_inline_policy_to_permission_set(ctx, input)
    }

    fn get_inline_policy_for_permission_set(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::GetInlinePolicyForPermissionSetRequest,
    ) -> Result<admin::GetInlinePolicyForPermissionSetResponse, ApiError> {
        permission_sets::get_inline_policy_for_permission_set(ctx, input)
    }

    fn delete_inline_policy_from_permission_set(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::DeleteInlinePolicyFromPermissionSetRequest,
    ) -> Result<admin::DeleteInlinePolicyFromPermissionSetResponse, ApiError> {
        permission_sets::delete_inline_policy_from_permission_set(ctx, input)
    }

    fn put_permissions_boundary_to_permission_set(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::PutPermissionsBoundaryToPermissionSetRequest,
    ) -> Result<admin::PutPermissionsBoundaryToPermissionSetResponse, ApiError> {
        permission_sets::put_permissions_boundary_to_permission_set(ctx, input)
    }

    fn get_permissions_boundary_for_permission_set(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::GetPermissionsBoundaryForPermissionSetRequest,
    ) -> Result<admin::GetPermissionsBoundaryForPermissionSetResponse, ApiError> {
        permission_sets::get_permissions_boundary_for_permission_set(ctx, input)
    }

    fn delete_permissions_boundary_from_permission_set(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::DeletePermissionsBoundaryFromPermissionSetRequest,
    ) -> Result<admin::DeletePermissionsBoundaryFromPermissionSetResponse, ApiError> {
        permission_sets::delete_permissions_boundary_from_permission_set(ctx, input)
    }

    fn tag_resource(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::TagResourceRequest,
    ) -> Result<admin::TagResourceResponse, ApiError> {
        permission_sets::tag_resource(ctx, input)
    }

    fn untag_resource(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::UntagResourceRequest,
    ) -> Result<admin::UntagResourceResponse, ApiError> {
        permission_sets::untag_resource(ctx, input)
    }

    fn list_tags_for_resource(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::ListTagsForResourceRequest,
    ) -> Result<admin::ListTagsForResourceResponse, ApiError> {
        permission_sets::list_tags_for_resource(ctx, input)
    }

    fn create_account_assignment(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::CreateAccountAssignmentRequest,
    ) -> Result<admin::CreateAccountAssignmentResponse, ApiError> {
        assignments::create_account_assignment(ctx, input)
    }

    fn delete_account_assignment(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::DeleteAccountAssignmentRequest,
    ) -> Result<admin::DeleteAccountAssignmentResponse, ApiError> {
        assignments::delete_account_assignment(ctx, input)
    }

    fn describe_account_assignment_creation_status(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::DescribeAccountAssignmentCreationStatusRequest,
    ) -> Result<admin::DescribeAccountAssignmentCreationStatusResponse, ApiError> {
        assignments::describe_account_assignment_creation_status(ctx, input)
    }

    fn describe_account_assignment_deletion_status(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::DescribeAccountAssignmentDeletionStatusRequest,
    ) -> Result<admin::DescribeAccountAssignmentDeletionStatusResponse, ApiError> {
        assignments::describe_account_assignment_deletion_status(ctx, input)
    }

    fn list_account_assignment_creation_status(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::ListAccountAssignmentCreationStatusRequest,
    ) -> Result<admin::ListAccountAssignmentCreationStatusResponse, ApiError> {
        assignments::list_account_assignment_creation_status(ctx, input)
    }

    fn list_account_assignment_deletion_status(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::ListAccountAssignmentDeletionStatusRequest,
    ) -> Result<admin::ListAccountAssignmentDeletionStatusResponse, ApiError> {
        assignments::list_account_assignment_deletion_status(ctx, input)
    }

    fn list_account_assignments(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::ListAccountAssignmentsRequest,
    ) -> Result<admin::ListAccountAssignmentsResponse, ApiError> {
        assignments::list_account_assignments(ctx, input)
    }

    fn list_account_assignments_for_principal(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::ListAccountAssignmentsForPrincipalRequest,
    ) -> Result<admin::ListAccountAssignmentsForPrincipalResponse, ApiError> {
        assignments::list_account_assignments_for_principal(ctx, input)
    }

    fn provision_permission_set(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::ProvisionPermissionSetRequest,
    ) -> Result<admin::ProvisionPermissionSetResponse, ApiError> {
        assignments::provision_permission_set(ctx, input)
    }

    fn describe_permission_set_provisioning_status(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::DescribePermissionSetProvisioningStatusRequest,
    ) -> Result<admin::DescribePermissionSetProvisioningStatusResponse, ApiError> {
        assignments::describe_permission_set_provisioning_status(ctx, input)
    }

    fn list_permission_set_provisioning_status(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::ListPermissionSetProvisioningStatusRequest,
    ) -> Result<admin::ListPermissionSetProvisioningStatusResponse, ApiError> {
        assignments::list_permission_set_provisioning_status(ctx, input)
    }

    fn list_accounts_for_provisioned_permission_set(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::ListAccountsForProvisionedPermissionSetRequest,
    ) -> Result<admin::ListAccountsForProvisionedPermissionSetResponse, ApiError> {
        assignments::list_accounts_for_provisioned_permission_set(ctx, input)
    }

    fn list_permission_sets_provisioned_to_account(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::ListPermissionSetsProvisionedToAccountRequest,
    ) -> Result<admin::ListPermissionSetsProvisionedToAccountResponse, ApiError> {
        assignments::list_permission_sets_provisioned_to_account(ctx, input)
    }

    fn detach_customer_managed_policy_reference_from_permission_set(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::DetachCustomerManagedPolicyReferenceFromPermissionSetRequest,
    ) -> Result<admin::DetachCustomerManagedPolicyReferenceFromPermissionSetResponse, ApiError>
    {
        permission_sets::detach_customer_managed_policy_reference_from_permission_set(ctx, input)
    }

    fn create_instance_access_control_attribute_configuration(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::CreateInstanceAccessControlAttributeConfigurationRequest,
    ) -> Result<admin::CreateInstanceAccessControlAttributeConfigurationResponse, ApiError> {
        attributes::create_instance_access_control_attribute_configuration(ctx, input)
    }

    fn describe_instance_access_control_attribute_configuration(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::DescribeInstanceAccessControlAttributeConfigurationRequest,
    ) -> Result<admin::DescribeInstanceAccessControlAttributeConfigurationResponse, ApiError> {
        attributes::describe_instance_access_control_attribute_configuration(ctx, input)
    }

    fn update_instance_access_control_attribute_configuration(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::UpdateInstanceAccessControlAttributeConfigurationRequest,
    ) -> Result<admin::UpdateInstanceAccessControlAttributeConfigurationResponse, ApiError> {
        attributes::update_instance_access_control_attribute_configuration(ctx, input)
    }

    fn delete_instance_access_control_attribute_configuration(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::DeleteInstanceAccessControlAttributeConfigurationRequest,
    ) -> Result<admin::DeleteInstanceAccessControlAttributeConfigurationResponse, ApiError> {
        attributes::delete_instance_access_control_attribute_configuration(ctx, input)
    }

    fn add_region(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::AddRegionRequest,
    ) -> Result<admin::AddRegionResponse, ApiError> {
        regions::add_region(ctx, input)
    }

    fn describe_region(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::DescribeRegionRequest,
    ) -> Result<admin::DescribeRegionResponse, ApiError> {
        regions::describe_region(ctx, input)
    }

    fn list_regions(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::ListRegionsRequest,
    ) -> Result<admin::ListRegionsResponse, ApiError> {
        regions::list_regions(ctx, input)
    }

    fn remove_region(
        &self,
        ctx: &mut Self::Ctx,
        input: admin::RemoveRegionRequest,
    ) -> Result<admin::RemoveRegionResponse, ApiError> {
        regions::remove_region(ctx, input)
    }
}

impl<'a> SsoOidcApi for IdentityCenter<'a> {
    type Ctx = Ctx<'a>;

    fn register_client(
        &self,
        ctx: &mut Self::Ctx,
        input: oidc::RegisterClientRequest,
    ) -> Result<oidc::RegisterClientResponse, ApiError> {
        portal::register_client(ctx, input)
    }

    fn start_device_authorization(
        &self,
        ctx: &mut Self::Ctx,
        input: oidc::StartDeviceAuthorizationRequest,
    ) -> Result<oidc::StartDeviceAuthorizationResponse, ApiError> {
        portal::start_device_authorization(ctx, input)
    }

    fn create_token(
        &self,
        ctx: &mut Self::Ctx,
        input: oidc::CreateTokenRequest,
    ) -> Result<oidc::CreateTokenResponse, ApiError> {
        portal::create_token(ctx, input)
    }
}

impl<'a> SsoApi for IdentityCenter<'a> {
    type Ctx = Ctx<'a>;

    fn list_accounts(
        &self,
        ctx: &mut Self::Ctx,
        input: portal_api::ListAccountsRequest,
    ) -> Result<portal_api::ListAccountsResponse, ApiError> {
        portal::list_accounts(ctx, input)
    }

    fn list_account_roles(
        &self,
        ctx: &mut Self::Ctx,
        input: portal_api::ListAccountRolesRequest,
    ) -> Result<portal_api::ListAccountRolesResponse, ApiError> {
        portal::list_account_roles(ctx, input)
    }

    fn get_role_credentials(
        &self,
        ctx: &mut Self::Ctx,
        input: portal_api::GetRoleCredentialsRequest,
    ) -> Result<portal_api::GetRoleCredentialsResponse, ApiError> {
        portal::get_role_credentials(ctx, input)
    }

    fn logout(
        &self,
        ctx: &mut Self::Ctx,
        input: portal_api::LogoutRequest,
    ) -> Result<(), ApiError> {
        portal::logout(ctx, input)
    }
}
