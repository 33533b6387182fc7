//! AWS Identity and Access Management: users, groups, roles, managed and inline policies, access
//! keys, login profiles, virtual MFA devices (real TOTP), instance profiles, account settings.
//!
//! `core` holds the tables, ids, ARNs, lookups and API views every operation shares; each other
//! module implements one family of operations. This file only routes the generated trait's methods
//! to them; operations not routed here answer the generated `NotImplementedException`.

mod account;
pub(crate) mod aws_managed;
mod certificates;
mod core;
mod credentials;
mod family;
mod policies;
mod providers;
mod records;
mod roles;
mod simulate;
mod users;

use std::marker::PhantomData;

use localorg_model::generated::iam::*;
use localorg_model::ApiError;

use localorg_kernel::Ctx;

pub use family::IamFamily;

/// The IAM service.
pub struct Iam<'a>(PhantomData<&'a ()>);

impl Iam<'_> {
    /// The service (stateless: all state is in the store).
    pub fn new() -> Self {
        Iam(PhantomData)
    }
}

impl Default for Iam<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> IamApi for Iam<'a> {
    type Ctx = Ctx<'a>;

    fn create_user(
        &self,
        ctx: &mut Self::Ctx,
        input: CreateUserRequest,
    ) -> Result<CreateUserResponse, ApiError> {
        users::create_user(ctx, input)
    }

    fn get_user(
        &self,
        ctx: &mut Self::Ctx,
        input: GetUserRequest,
    ) -> Result<GetUserResponse, ApiError> {
        users::get_user(ctx, input)
    }

    fn update_user(&self, ctx: &mut Self::Ctx, input: UpdateUserRequest) -> Result<(), ApiError> {
        users::update_user(ctx, input)
    }

    fn delete_user(&self, ctx: &mut Self::Ctx, input: DeleteUserRequest) -> Result<(), ApiError> {
        users::delete_user(ctx, input)
    }

    fn list_users(
        &self,
        ctx: &mut Self::Ctx,
        input: ListUsersRequest,
    ) -> Result<ListUsersResponse, ApiError> {
        users::list_users(ctx, input)
    }

    fn tag_user(&self, ctx: &mut Self::Ctx, input: TagUserRequest) -> Result<(), ApiError> {
        users::tag_user(ctx, input)
    }

    fn untag_user(&self, ctx: &mut Self::Ctx, input: UntagUserRequest) -> Result<(), ApiError> {
        users::untag_user(ctx, input)
    }

    fn list_user_tags(
        &self,
        ctx: &mut Self::Ctx,
        input: ListUserTagsRequest,
    ) -> Result<ListUserTagsResponse, ApiError> {
        users::list_user_tags(ctx, input)
    }

    fn put_user_permissions_boundary(
        &self,
        ctx: &mut Self::Ctx,
        input: PutUserPermissionsBoundaryRequest,
    ) -> Result<(), ApiError> {
        users::put_user_permissions_boundary(ctx, input)
    }

    fn delete_user_permissions_boundary(
        &self,
        ctx: &mut Self::Ctx,
        input: DeleteUserPermissionsBoundaryRequest,
    ) -> Result<(), ApiError> {
        users::delete_user_permissions_boundary(ctx, input)
    }

    fn create_group(
        &self,
        ctx: &mut Self::Ctx,
        input: CreateGroupRequest,
    ) -> Result<CreateGroupResponse, ApiError> {
        users::create_group(ctx, input)
    }

    fn get_group(
        &self,
        ctx: &mut Self::Ctx,
        input: GetGroupRequest,
    ) -> Result<GetGroupResponse, ApiError> {
        users::get_group(ctx, input)
    }

    fn update_group(&self, ctx: &mut Self::Ctx, input: UpdateGroupRequest) -> Result<(), ApiError> {
        users::update_group(ctx, input)
    }

    fn delete_group(&self, ctx: &mut Self::Ctx, input: DeleteGroupRequest) -> Result<(), ApiError> {
        users::delete_group(ctx, input)
    }

    fn list_groups(
        &self,
        ctx: &mut Self::Ctx,
        input: ListGroupsRequest,
    ) -> Result<ListGroupsResponse, ApiError> {
        users::list_groups(ctx, input)
    }

    fn add_user_to_group(
        &self,
        ctx: &mut Self::Ctx,
        input: AddUserToGroupRequest,
    ) -> Result<(), ApiError> {
        users::add_user_to_group(ctx, input)
    }

    fn remove_user_from_group(
        &self,
        ctx: &mut Self::Ctx,
        input: RemoveUserFromGroupRequest,
    ) -> Result<(), ApiError> {
        users::remove_user_from_group(ctx, input)
    }

    fn list_groups_for_user(
        &self,
        ctx: &mut Self::Ctx,
        input: ListGroupsForUserRequest,
    ) -> Result<ListGroupsForUserResponse, ApiError> {
        users::list_groups_for_user(ctx, input)
    }

    fn create_access_key(
        &self,
        ctx: &mut Self::Ctx,
        input: CreateAccessKeyRequest,
    ) -> Result<CreateAccessKeyResponse, ApiError> {
        credentials::create_access_key(ctx, input)
    }

    fn delete_access_key(
        &self,
        ctx: &mut Self::Ctx,
        input: DeleteAccessKeyRequest,
    ) -> Result<(), ApiError> {
        credentials::delete_access_key(ctx, input)
    }

    fn update_access_key(
        &self,
        ctx: &mut Self::Ctx,
        input: UpdateAccessKeyRequest,
    ) -> Result<(), ApiError> {
        credentials::update_access_key(ctx, input)
    }

    fn list_access_keys(
        &self,
        ctx: &mut Self::Ctx,
        input: ListAccessKeysRequest,
    ) -> Result<ListAccessKeysResponse, ApiError> {
        credentials::list_access_keys(ctx, input)
    }

    fn get_access_key_last_used(
        &self,
        ctx: &mut Self::Ctx,
        input: GetAccessKeyLastUsedRequest,
    ) -> Result<GetAccessKeyLastUsedResponse, ApiError> {
        credentials::get_access_key_last_used(ctx, input)
    }

    fn create_login_profile(
        &self,
        ctx: &mut Self::Ctx,
        input: CreateLoginProfileRequest,
    ) -> Result<CreateLoginProfileResponse, ApiError> {
        credentials::create_login_profile(ctx, input)
    }

    fn get_login_profile(
        &self,
        ctx: &mut Self::Ctx,
        input: GetLoginProfileRequest,
    ) -> Result<GetLoginProfileResponse, ApiError> {
        credentials::get_login_profile(ctx, input)
    }

    fn update_login_profile(
        &self,
        ctx: &mut Self::Ctx,
        input: UpdateLoginProfileRequest,
    ) -> Result<(), ApiError> {
        credentials::update_login_profile(ctx, input)
    }

    fn delete_login_profile(
        &self,
        ctx: &mut Self::Ctx,
        input: DeleteLoginProfileRequest,
    ) -> Result<(), ApiError> {
        credentials::delete_login_profile(ctx, input)
    }

    fn change_password(
        &self,
        ctx: &mut Self::Ctx,
        input: ChangePasswordRequest,
    ) -> Result<(), ApiError> {
        credentials::change_password(ctx, input)
    }

    fn create_virtual_mfa_device(
        &self,
        ctx: &mut Self::Ctx,
        input: CreateVirtualMFADeviceRequest,
    ) -> Result<CreateVirtualMFADeviceResponse, ApiError> {
        credentials::create_virtual_mfa_device(ctx, input)
    }

    fn enable_mfa_device(
        &self,
        ctx: &mut Self::Ctx,
        input: EnableMFADeviceRequest,
    ) -> Result<(), ApiError> {
        credentials::enable_mfa_device(ctx, input)
    }

    fn deactivate_mfa_device(
        &self,
        ctx: &mut Self::Ctx,
        input: DeactivateMFADeviceRequest,
    ) -> Result<(), ApiError> {
        credentials::deactivate_mfa_device(ctx, input)
    }

    fn delete_virtual_mfa_device(
        &self,
        ctx: &mut Self::Ctx,
        input: DeleteVirtualMFADeviceRequest,
    ) -> Result<(), ApiError> {
        credentials::delete_virtual_mfa_device(ctx, input)
    }

    fn list_mfa_devices(
        &self,
        ctx: &mut Self::Ctx,
        input: ListMFADevicesRequest,
    ) -> Result<ListMFADevicesResponse, ApiError> {
        credentials::list_mfa_devices(ctx, input)
    }

    fn list_virtual_mfa_devices(
        &self,
        ctx: &mut Self::Ctx,
        input: ListVirtualMFADevicesRequest,
    ) -> Result<ListVirtualMFADevicesResponse, ApiError> {
        credentials::list_virtual_mfa_devices(ctx, input)
    }

    fn resync_mfa_device(
        &self,
        ctx: &mut Self::Ctx,
        input: ResyncMFADeviceRequest,
    ) -> Result<(), ApiError> {
        credentials::resync_mfa_device(ctx, input)
    }

    fn get_mfa_device(
        &self,
        ctx: &mut Self::Ctx,
        input: GetMFADeviceRequest,
    ) -> Result<GetMFADeviceResponse, ApiError> {
        credentials::get_mfa_device(ctx, input)
    }

    fn tag_mfa_device(
        &self,
        ctx: &mut Self::Ctx,
        input: TagMFADeviceRequest,
    ) -> Result<(), ApiError> {
        credentials::tag_mfa_device(ctx, input)
    }

    fn untag_mfa_device(
        &self,
        ctx: &mut Self::Ctx,
        input: UntagMFADeviceRequest,
    ) -> Result<(), ApiError> {
        credentials::untag_mfa_device(ctx, input)
    }

    fn list_mfa_device_tags(
        &self,
        ctx: &mut Self::Ctx,
        input: ListMFADeviceTagsRequest,
    ) -> Result<ListMFADeviceTagsResponse, ApiError> {
        credentials::list_mfa_device_tags(ctx, input)
    }

    fn create_account_alias(
        &self,
        ctx: &mut Self::Ctx,
        input: CreateAccountAliasRequest,
    ) -> Result<(), ApiError> {
        account::create_account_alias(ctx, input)
    }

    fn delete_account_alias(
        &self,
        ctx: &mut Self::Ctx,
        input: DeleteAccountAliasRequest,
    ) -> Result<(), ApiError> {
        account::delete_account_alias(ctx, input)
    }

    fn list_account_aliases(
        &self,
        ctx: &mut Self::Ctx,
        input: ListAccountAliasesRequest,
    ) -> Result<ListAccountAliasesResponse, ApiError> {
        account::list_account_aliases(ctx, input)
    }

    fn get_account_password_policy(
        &self,
        ctx: &mut Self::Ctx,
    ) -> Result<GetAccountPasswordPolicyResponse, ApiError> {
        account::get_account_password_policy(ctx)
    }

    fn update_account_password_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: UpdateAccountPasswordPolicyRequest,
    ) -> Result<(), ApiError> {
        account::update_account_password_policy(ctx, input)
    }

    fn delete_account_password_policy(&self, ctx: &mut Self::Ctx) -> Result<(), ApiError> {
        account::delete_account_password_policy(ctx)
    }

    fn get_account_summary(
        &self,
        ctx: &mut Self::Ctx,
    ) -> Result<GetAccountSummaryResponse, ApiError> {
        account::get_account_summary(ctx)
    }

    fn generate_credential_report(
        &self,
        ctx: &mut Self::Ctx,
    ) -> Result<GenerateCredentialReportResponse, ApiError> {
        account::generate_credential_report(ctx)
    }

    fn get_credential_report(
        &self,
        ctx: &mut Self::Ctx,
    ) -> Result<GetCredentialReportResponse, ApiError> {
        account::get_credential_report(ctx)
    }

    fn get_account_authorization_details(
        &self,
        ctx: &mut Self::Ctx,
        input: GetAccountAuthorizationDetailsRequest,
    ) -> Result<GetAccountAuthorizationDetailsResponse, ApiError> {
        account::get_account_authorization_details(ctx, input)
    }

    fn enable_organizations_root_credentials_management(
        &self,
        ctx: &mut Self::Ctx,
        input: EnableOrganizationsRootCredentialsManagementRequest,
    ) -> Result<EnableOrganizationsRootCredentialsManagementResponse, ApiError> {
        account::enable_organizations_root_credentials_management(ctx, input)
    }

    fn disable_organizations_root_credentials_management(
        &self,
        ctx: &mut Self::Ctx,
        input: DisableOrganizationsRootCredentialsManagementRequest,
    ) -> Result<DisableOrganizationsRootCredentialsManagementResponse, ApiError> {
        account::disable_organizations_root_credentials_management(ctx, input)
    }

    fn enable_organizations_root_sessions(
        &self,
        ctx: &mut Self::Ctx,
        input: EnableOrganizationsRootSessionsRequest,
    ) -> Result<EnableOrganizationsRootSessionsResponse, ApiError> {
        account::enable_organizations_root_sessions(ctx, input)
    }

    fn disable_organizations_root_sessions(
        &self,
        ctx: &mut Self::Ctx,
        input: DisableOrganizationsRootSessionsRequest,
    ) -> Result<DisableOrganizationsRootSessionsResponse, ApiError> {
        account::disable_organizations_root_sessions(ctx, input)
    }

    fn list_organizations_features(
        &self,
        ctx: &mut Self::Ctx,
        input: ListOrganizationsFeaturesRequest,
    ) -> Result<ListOrganizationsFeaturesResponse, ApiError> {
        account::list_organizations_features(ctx, input)
    }

    fn create_role(
        &self,
        ctx: &mut Self::Ctx,
        input: CreateRoleRequest,
    ) -> Result<CreateRoleResponse, ApiError> {
        roles::create_role(ctx, input)
    }

    fn get_role(
        &self,
        ctx: &mut Self::Ctx,
        input: GetRoleRequest,
    ) -> Result<GetRoleResponse, ApiError> {
        roles::get_role(ctx, input)
    }

    fn update_role(
        &self,
        ctx: &mut Self::Ctx,
        input: UpdateRoleRequest,
    ) -> Result<UpdateRoleResponse, ApiError> {
        roles::update_role(ctx, input)
    }

    fn update_role_description(
        &self,
        ctx: &mut Self::Ctx,
        input: UpdateRoleDescriptionRequest,
    ) -> Result<UpdateRoleDescriptionResponse, ApiError> {
        roles::update_role_description(ctx, input)
    }

    fn delete_role(&self, ctx: &mut Self::Ctx, input: DeleteRoleRequest) -> Result<(), ApiError> {
        roles::delete_role(ctx, input)
    }

    fn list_roles(
        &self,
        ctx: &mut Self::Ctx,
        input: ListRolesRequest,
    ) -> Result<ListRolesResponse, ApiError> {
        roles::list_roles(ctx, input)
    }

    fn update_assume_role_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: UpdateAssumeRolePolicyRequest,
    ) -> Result<(), ApiError> {
        roles::update_assume_role_policy(ctx, input)
    }

    fn tag_role(&self, ctx: &mut Self::Ctx, input: TagRoleRequest) -> Result<(), ApiError> {
        roles::tag_role(ctx, input)
    }

    fn untag_role(&self, ctx: &mut Self::Ctx, input: UntagRoleRequest) -> Result<(), ApiError> {
        roles::untag_role(ctx, input)
    }

    fn list_role_tags(
        &self,
        ctx: &mut Self::Ctx,
        input: ListRoleTagsRequest,
    ) -> Result<ListRoleTagsResponse, ApiError> {
        roles::list_role_tags(ctx, input)
    }

    fn put_role_permissions_boundary(
        &self,
        ctx: &mut Self::Ctx,
        input: PutRolePermissionsBoundaryRequest,
    ) -> Result<(), ApiError> {
        roles::put_role_permissions_boundary(ctx, input)
    }

    fn delete_role_permissions_boundary(
        &self,
        ctx: &mut Self::Ctx,
        input: DeleteRolePermissionsBoundaryRequest,
    ) -> Result<(), ApiError> {
        roles::delete_role_permissions_boundary(ctx, input)
    }

    fn create_service_linked_role(
        &self,
        ctx: &mut Self::Ctx,
        input: CreateServiceLinkedRoleRequest,
    ) -> Result<CreateServiceLinkedRoleResponse, ApiError> {
        roles::create_service_linked_role(ctx, input)
    }

    fn delete_service_linked_role(
        &self,
        ctx: &mut Self::Ctx,
        input: DeleteServiceLinkedRoleRequest,
    ) -> Result<DeleteServiceLinkedRoleResponse, ApiError> {
        roles::delete_service_linked_role(ctx, input)
    }

    fn get_service_linked_role_deletion_status(
        &self,
        ctx: &mut Self::Ctx,
        input: GetServiceLinkedRoleDeletionStatusRequest,
    ) -> Result<GetServiceLinkedRoleDeletionStatusResponse, ApiError> {
        roles::get_service_linked_role_deletion_status(ctx, input)
    }

    fn create_instance_profile(
        &self,
        ctx: &mut Self::Ctx,
        input: CreateInstanceProfileRequest,
    ) -> Result<CreateInstanceProfileResponse, ApiError> {
        roles::create_instance_profile(ctx, input)
    }

    fn get_instance_profile(
        &self,
        ctx: &mut Self::Ctx,
        input: GetInstanceProfileRequest,
    ) -> Result<GetInstanceProfileResponse, ApiError> {
        roles::get_instance_profile(ctx, input)
    }

    fn delete_instance_profile(
        &self,
        ctx: &mut Self::Ctx,
        input: DeleteInstanceProfileRequest,
    ) -> Result<(), ApiError> {
        roles::delete_instance_profile(ctx, input)
    }

    fn list_instance_profiles(
        &self,
        ctx: &mut Self::Ctx,
        input: ListInstanceProfilesRequest,
    ) -> Result<ListInstanceProfilesResponse, ApiError> {
        roles::list_instance_profiles(ctx, input)
    }

    fn add_role_to_instance_profile(
        &self,
        ctx: &mut Self::Ctx,
        input: AddRoleToInstanceProfileRequest,
    ) -> Result<(), ApiError> {
        roles::add_role_to_instance_profile(ctx, input)
    }

    fn remove_role_from_instance_profile(
        &self,
        ctx: &mut Self::Ctx,
        input: RemoveRoleFromInstanceProfileRequest,
    ) -> Result<(), ApiError> {
        roles::remove_role_from_instance_profile(ctx, input)
    }

    fn list_instance_profiles_for_role(
        &self,
        ctx: &mut Self::Ctx,
        input: ListInstanceProfilesForRoleRequest,
    ) -> Result<ListInstanceProfilesForRoleResponse, ApiError> {
        roles::list_instance_profiles_for_role(ctx, input)
    }

    fn tag_instance_profile(
        &self,
        ctx: &mut Self::Ctx,
        input: TagInstanceProfileRequest,
    ) -> Result<(), ApiError> {
        roles::tag_instance_profile(ctx, input)
    }

    fn untag_instance_profile(
        &self,
        ctx: &mut Self::Ctx,
        input: UntagInstanceProfileRequest,
    ) -> Result<(), ApiError> {
        roles::untag_instance_profile(ctx, input)
    }

    fn list_instance_profile_tags(
        &self,
        ctx: &mut Self::Ctx,
        input: ListInstanceProfileTagsRequest,
    ) -> Result<ListInstanceProfileTagsResponse, ApiError> {
        roles::list_instance_profile_tags(ctx, input)
    }

    fn create_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: CreatePolicyRequest,
    ) -> Result<CreatePolicyResponse, ApiError> {
        policies::create_policy(ctx, input)
    }

    fn get_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: GetPolicyRequest,
    ) -> Result<GetPolicyResponse, ApiError> {
        policies::get_policy(ctx, input)
    }

    fn delete_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: DeletePolicyRequest,
    ) -> Result<(), ApiError> {
        policies::delete_policy(ctx, input)
    }

    fn list_policies(
        &self,
        ctx: &mut Self::Ctx,
        input: ListPoliciesRequest,
    ) -> Result<ListPoliciesResponse, ApiError> {
        policies::list_policies(ctx, input)
    }

    fn create_policy_version(
        &self,
        ctx: &mut Self::Ctx,
        input: CreatePolicyVersionRequest,
    ) -> Result<CreatePolicyVersionResponse, ApiError> {
        policies::create_policy_version(ctx, input)
    }

    fn get_policy_version(
        &self,
        ctx: &mut Self::Ctx,
        input: GetPolicyVersionRequest,
    ) -> Result<GetPolicyVersionResponse, ApiError> {
        policies::get_policy_version(ctx, input)
    }

    fn delete_policy_version(
        &self,
        ctx: &mut Self::Ctx,
        input: DeletePolicyVersionRequest,
    ) -> Result<(), ApiError> {
        policies::delete_policy_version(ctx, input)
    }

    fn list_policy_versions(
        &self,
        ctx: &mut Self::Ctx,
        input: ListPolicyVersionsRequest,
    ) -> Result<ListPolicyVersionsResponse, ApiError> {
        policies::list_policy_versions(ctx, input)
    }

    fn set_default_policy_version(
        &self,
        ctx: &mut Self::Ctx,
        input: SetDefaultPolicyVersionRequest,
    ) -> Result<(), ApiError> {
        policies::set_default_policy_version(ctx, input)
    }

    fn tag_policy(&self, ctx: &mut Self::Ctx, input: TagPolicyRequest) -> Result<(), ApiError> {
        policies::tag_policy(ctx, input)
    }

    fn untag_policy(&self, ctx: &mut Self::Ctx, input: UntagPolicyRequest) -> Result<(), ApiError> {
        policies::untag_policy(ctx, input)
    }

    fn list_policy_tags(
        &self,
        ctx: &mut Self::Ctx,
        input: ListPolicyTagsRequest,
    ) -> Result<ListPolicyTagsResponse, ApiError> {
        policies::list_policy_tags(ctx, input)
    }

    fn attach_user_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: AttachUserPolicyRequest,
    ) -> Result<(), ApiError> {
        policies::attach_user_policy(ctx, input)
    }

    fn detach_user_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: DetachUserPolicyRequest,
    ) -> Result<(), ApiError> {
        policies::detach_user_policy(ctx, input)
    }

    fn attach_group_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: AttachGroupPolicyRequest,
    ) -> Result<(), ApiError> {
        policies::attach_group_policy(ctx, input)
    }

    fn detach_group_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: DetachGroupPolicyRequest,
    ) -> Result<(), ApiError> {
        policies::detach_group_policy(ctx, input)
    }

    fn attach_role_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: AttachRolePolicyRequest,
    ) -> Result<(), ApiError> {
        policies::attach_role_policy(ctx, input)
    }

    fn detach_role_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: DetachRolePolicyRequest,
    ) -> Result<(), ApiError> {
        policies::detach_role_policy(ctx, input)
    }

    fn list_attached_user_policies(
        &self,
        ctx: &mut Self::Ctx,
        input: ListAttachedUserPoliciesRequest,
    ) -> Result<ListAttachedUserPoliciesResponse, ApiError> {
        policies::list_attached_user_policies(ctx, input)
    }

    fn list_attached_group_policies(
        &self,
        ctx: &mut Self::Ctx,
        input: ListAttachedGroupPoliciesRequest,
    ) -> Result<ListAttachedGroupPoliciesResponse, ApiError> {
        policies::list_attached_group_policies(ctx, input)
    }

    fn list_attached_role_policies(
        &self,
        ctx: &mut Self::Ctx,
        input: ListAttachedRolePoliciesRequest,
    ) -> Result<ListAttachedRolePoliciesResponse, ApiError> {
        policies::list_attached_role_policies(ctx, input)
    }

    fn list_entities_for_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: ListEntitiesForPolicyRequest,
    ) -> Result<ListEntitiesForPolicyResponse, ApiError> {
        policies::list_entities_for_policy(ctx, input)
    }

    fn put_user_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: PutUserPolicyRequest,
    ) -> Result<(), ApiError> {
        policies::put_user_policy(ctx, input)
    }

    fn get_user_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: GetUserPolicyRequest,
    ) -> Result<GetUserPolicyResponse, ApiError> {
        policies::get_user_policy(ctx, input)
    }

    fn delete_user_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: DeleteUserPolicyRequest,
    ) -> Result<(), ApiError> {
        policies::delete_user_policy(ctx, input)
    }

    fn list_user_policies(
        &self,
        ctx: &mut Self::Ctx,
        input: ListUserPoliciesRequest,
    ) -> Result<ListUserPoliciesResponse, ApiError> {
        policies::list_user_policies(ctx, input)
    }

    fn put_group_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: PutGroupPolicyRequest,
    ) -> Result<(), ApiError> {
        policies::put_group_policy(ctx, input)
    }

    fn get_group_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: GetGroupPolicyRequest,
    ) -> Result<GetGroupPolicyResponse, ApiError> {
        policies::get_group_policy(ctx, input)
    }

    fn delete_group_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: DeleteGroupPolicyRequest,
    ) -> Result<(), ApiError> {
        policies::delete_group_policy(ctx, input)
    }

    fn list_group_policies(
        &self,
        ctx: &mut Self::Ctx,
        input: ListGroupPoliciesRequest,
    ) -> Result<ListGroupPoliciesResponse, ApiError> {
        policies::list_group_policies(ctx, input)
    }

    fn put_role_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: PutRolePolicyRequest,
    ) -> Result<(), ApiError> {
        policies::put_role_policy(ctx, input)
    }

    fn get_role_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: GetRolePolicyRequest,
    ) -> Result<GetRolePolicyResponse, ApiError> {
        policies::get_role_policy(ctx, input)
    }

    fn delete_role_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: DeleteRolePolicyRequest,
    ) -> Result<(), ApiError> {
        policies::delete_role_policy(ctx, input)
    }

    fn list_role_policies(
        &self,
        ctx: &mut Self::Ctx,
        input: ListRolePoliciesRequest,
    ) -> Result<ListRolePoliciesResponse, ApiError> {
        policies::list_role_policies(ctx, input)
    }

    fn simulate_principal_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: SimulatePrincipalPolicyRequest,
    ) -> Result<SimulatePolicyResponse, ApiError> {
        simulate::simulate_principal_policy(ctx, input)
    }

    fn simulate_custom_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: SimulateCustomPolicyRequest,
    ) -> Result<SimulatePolicyResponse, ApiError> {
        simulate::simulate_custom_policy(ctx, input)
    }

    fn create_open_id_connect_provider(
        &self,
        ctx: &mut Self::Ctx,
        input: CreateOpenIDConnectProviderRequest,
    ) -> Result<CreateOpenIDConnectProviderResponse, ApiError> {
        providers::create_open_id_connect_provider(ctx, input)
    }

    fn get_open_id_connect_provider(
        &self,
        ctx: &mut Self::Ctx,
        input: GetOpenIDConnectProviderRequest,
    ) -> Result<GetOpenIDConnectProviderResponse, ApiError> {
        providers::get_open_id_connect_provider(ctx, input)
    }

    fn list_open_id_connect_providers(
        &self,
        ctx: &mut Self::Ctx,
        input: ListOpenIDConnectProvidersRequest,
    ) -> Result<ListOpenIDConnectProvidersResponse, ApiError> {
        providers::list_open_id_connect_providers(ctx, input)
    }

    fn delete_open_id_connect_provider(
        &self,
        ctx: &mut Self::Ctx,
        input: DeleteOpenIDConnectProviderRequest,
    ) -> Result<(), ApiError> {
        providers::delete_open_id_connect_provider(ctx, input)
    }

    fn add_client_id_to_open_id_connect_provider(
        &self,
        ctx: &mut Self::Ctx,
        input: AddClientIDToOpenIDConnectProviderRequest,
    ) -> Result<(), ApiError> {
        providers::add_client_id_to_open_id_connect_provider(ctx, input)
    }

    fn remove_client_id_from_open_id_connect_provider(
        &self,
        ctx: &mut Self::Ctx,
        input: RemoveClientIDFromOpenIDConnectProviderRequest,
    ) -> Result<(), ApiError> {
        providers::remove_client_id_from_open_id_connect_provider(ctx, input)
    }

    fn update_open_id_connect_provider_thumbprint(
        &self,
        ctx: &mut Self::Ctx,
        input: UpdateOpenIDConnectProviderThumbprintRequest,
    ) -> Result<(), ApiError> {
        providers::update_open_id_connect_provider_thumbprint(ctx, input)
    }

    fn tag_open_id_connect_provider(
        &self,
        ctx: &mut Self::Ctx,
        input: TagOpenIDConnectProviderRequest,
    ) -> Result<(), ApiError> {
        providers::tag_open_id_connect_provider(ctx, input)
    }

    fn untag_open_id_connect_provider(
        &self,
        ctx: &mut Self::Ctx,
        input: UntagOpenIDConnectProviderRequest,
    ) -> Result<(), ApiError> {
        providers::untag_open_id_connect_provider(ctx, input)
    }

    fn list_open_id_connect_provider_tags(
        &self,
        ctx: &mut Self::Ctx,
        input: ListOpenIDConnectProviderTagsRequest,
    ) -> Result<ListOpenIDConnectProviderTagsResponse, ApiError> {
        providers::list_open_id_connect_provider_tags(ctx, input)
    }

    fn create_saml_provider(
        &self,
        ctx: &mut Self::Ctx,
        input: CreateSAMLProviderRequest,
    ) -> Result<CreateSAMLProviderResponse, ApiError> {
        providers::create_saml_provider(ctx, input)
    }

    fn get_saml_provider(
        &self,
        ctx: &mut Self::Ctx,
        input: GetSAMLProviderRequest,
    ) -> Result<GetSAMLProviderResponse, ApiError> {
        providers::get_saml_provider(ctx, input)
    }

    fn list_saml_providers(
        &self,
        ctx: &mut Self::Ctx,
        input: ListSAMLProvidersRequest,
    ) -> Result<ListSAMLProvidersResponse, ApiError> {
        providers::list_saml_providers(ctx, input)
    }

    fn update_saml_provider(
        &self,
        ctx: &mut Self::Ctx,
        input: UpdateSAMLProviderRequest,
    ) -> Result<UpdateSAMLProviderResponse, ApiError> {
        providers::update_saml_provider(ctx, input)
    }

    fn delete_saml_provider(
        &self,
        ctx: &mut Self::Ctx,
        input: DeleteSAMLProviderRequest,
    ) -> Result<(), ApiError> {
        providers::delete_saml_provider(ctx, input)
    }

    fn tag_saml_provider(
        &self,
        ctx: &mut Self::Ctx,
        input: TagSAMLProviderRequest,
    ) -> Result<(), ApiError> {
        providers::tag_saml_provider(ctx, input)
    }

    fn untag_saml_provider(
        &self,
        ctx: &mut Self::Ctx,
        input: UntagSAMLProviderRequest,
    ) -> Result<(), ApiError> {
        providers::untag_saml_provider(ctx, input)
    }

    fn list_saml_provider_tags(
        &self,
        ctx: &mut Self::Ctx,
        input: ListSAMLProviderTagsRequest,
    ) -> Result<ListSAMLProviderTagsResponse, ApiError> {
        providers::list_saml_provider_tags(ctx, input)
    }

    fn upload_ssh_public_key(
        &self,
        ctx: &mut Self::Ctx,
        input: UploadSSHPublicKeyRequest,
    ) -> Result<UploadSSHPublicKeyResponse, ApiError> {
        certificates::upload_ssh_public_key(ctx, input)
    }

    fn get_ssh_public_key(
        &self,
        ctx: &mut Self::Ctx,
        input: GetSSHPublicKeyRequest,
    ) -> Result<GetSSHPublicKeyResponse, ApiError> {
        certificates::get_ssh_public_key(ctx, input)
    }

    fn list_ssh_public_keys(
        &self,
        ctx: &mut Self::Ctx,
        input: ListSSHPublicKeysRequest,
    ) -> Result<ListSSHPublicKeysResponse, ApiError> {
        certificates::list_ssh_public_keys(ctx, input)
    }

    fn update_ssh_public_key(
        &self,
        ctx: &mut Self::Ctx,
        input: UpdateSSHPublicKeyRequest,
    ) -> Result<(), ApiError> {
        certificates::update_ssh_public_key(ctx, input)
    }

    fn delete_ssh_public_key(
        &self,
        ctx: &mut Self::Ctx,
        input: DeleteSSHPublicKeyRequest,
    ) -> Result<(), ApiError> {
        certificates::delete_ssh_public_key(ctx, input)
    }

    fn create_service_specific_credential(
        &self,
        ctx: &mut Self::Ctx,
        input: CreateServiceSpecificCredentialRequest,
    ) -> Result<CreateServiceSpecificCredentialResponse, ApiError> {
        certificates::create_service_specific_credential(ctx, input)
    }

    fn list_service_specific_credentials(
        &self,
        ctx: &mut Self::Ctx,
        input: ListServiceSpecificCredentialsRequest,
    ) -> Result<ListServiceSpecificCredentialsResponse, ApiError> {
        certificates::list_service_specific_credentials(ctx, input)
    }

    fn update_service_specific_credential(
        &self,
        ctx: &mut Self::Ctx,
        input: UpdateServiceSpecificCredentialRequest,
    ) -> Result<(), ApiError> {
        certificates::update_service_specific_credential(ctx, input)
    }

    fn reset_service_specific_credential(
        &self,
        ctx: &mut Self::Ctx,
        input: ResetServiceSpecificCredentialRequest,
    ) -> Result<ResetServiceSpecificCredentialResponse, ApiError> {
        certificates::reset_service_specific_credential(ctx, input)
    }

    fn delete_service_specific_credential(
        &self,
        ctx: &mut Self::Ctx,
        input: DeleteServiceSpecificCredentialRequest,
    ) -> Result<(), ApiError> {
        certificates::delete_service_specific_credential(ctx, input)
    }

    fn upload_signing_certificate(
        &self,
        ctx: &mut Self::Ctx,
        input: UploadSigningCertificateRequest,
    ) -> Result<UploadSigningCertificateResponse, ApiError> {
        certificates::upload_signing_certificate(ctx, input)
    }

    fn list_signing_certificates(
        &self,
        ctx: &mut Self::Ctx,
        input: ListSigningCertificatesRequest,
    ) -> Result<ListSigningCertificatesResponse, ApiError> {
        certificates::list_signing_certificates(ctx, input)
    }

    fn update_signing_certificate(
        &self,
        ctx: &mut Self::Ctx,
        input: UpdateSigningCertificateRequest,
    ) -> Result<(), ApiError> {
        certificates::update_signing_certificate(ctx, input)
    }

    fn delete_signing_certificate(
        &self,
        ctx: &mut Self::Ctx,
        input: DeleteSigningCertificateRequest,
    ) -> Result<(), ApiError> {
        certificates::delete_signing_certificate(ctx, input)
    }

    fn upload_server_certificate(
        &self,
        ctx: &mut Self::Ctx,
        input: UploadServerCertificateRequest,
    ) -> Result<UploadServerCertificateResponse, ApiError> {
        certificates::upload_server_certificate(ctx, input)
    }

    fn get_server_certificate(
        &self,
        ctx: &mut Self::Ctx,
        input: GetServerCertificateRequest,
    ) -> Result<GetServerCertificateResponse, ApiError> {
        certificates::get_server_certificate(ctx, input)
    }

    fn list_server_certificates(
        &self,
        ctx: &mut Self::Ctx,
        input: ListServerCertificatesRequest,
    ) -> Result<ListServerCertificatesResponse, ApiError> {
        certificates::list_server_certificates(ctx, input)
    }

    fn update_server_certificate(
        &self,
        ctx: &mut Self::Ctx,
        input: UpdateServerCertificateRequest,
    ) -> Result<(), ApiError> {
        certificates::update_server_certificate(ctx, input)
    }

    fn delete_server_certificate(
        &self,
        ctx: &mut Self::Ctx,
        input: DeleteServerCertificateRequest,
    ) -> Result<(), ApiError> {
        certificates::delete_server_certificate(ctx, input)
    }

    fn tag_server_certificate(
        &self,
        ctx: &mut Self::Ctx,
        input: TagServerCertificateRequest,
    ) -> Result<(), ApiError> {
        certificates::tag_server_certificate(ctx, input)
    }

    fn untag_server_certificate(
        &self,
        ctx: &mut Self::Ctx,
        input: UntagServerCertificateRequest,
    ) -> Result<(), ApiError> {
        certificates::untag_server_certificate(ctx, input)
    }

    fn list_server_certificate_tags(
        &self,
        ctx: &mut Self::Ctx,
        input: ListServerCertificateTagsRequest,
    ) -> Result<ListServerCertificateTagsResponse, ApiError> {
        certificates::list_server_certificate_tags(ctx, input)
    }
}
