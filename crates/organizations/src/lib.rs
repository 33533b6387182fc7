//! AWS Organizations: one organization per management account, its roots, OUs, member accounts,
//! invitations (handshakes), policies of every type, trusted access, delegated administrators,
//! the resource policy and tags.
//!
//! `core` holds the tables, ids, ARNs, the caller checks and the API views every operation shares;
//! each other module implements one family of operations; `family` plugs the service into the
//! partition and fills the kernel's organization-tree port. This file only routes the generated
//! trait's methods to them.

mod accounts;
mod admin;
mod core;
mod effective;
mod family;
mod handshakes;
mod org;
mod ous;
mod policies;
pub use family::OrganizationsFamily;
pub(crate) use policies::{attached_documents, policy_type_of};
mod records;
mod tags;
mod unavailable;

use std::marker::PhantomData;

use localorg_model::generated::organizations::*;
use localorg_model::ApiError;

use localorg_kernel::Ctx;

/// The Organizations service.
pub struct Organizations<'a>(PhantomData<&'a ()>);

impl Organizations<'_> {
    /// The service (stateless: all state is in the store).
    pub fn new() -> Self {
        Organizations(PhantomData)
    }
}

impl Default for Organizations<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> OrganizationsApi for Organizations<'a> {
    type Ctx = Ctx<'a>;

    fn create_organization(
        &self,
        ctx: &mut Self::Ctx,
        input: CreateOrganizationRequest,
    ) -> Result<CreateOrganizationResponse, ApiError> {
        org::create_organization(ctx, input)
    }

    fn delete_organization(&self, ctx: &mut Self::Ctx) -> Result<(), ApiError> {
        org::delete_organization(ctx)
    }

    fn describe_organization(
        &self,
        ctx: &mut Self::Ctx,
    ) -> Result<DescribeOrganizationResponse, ApiError> {
        org::describe_organization(ctx)
    }

    fn list_roots(
        &self,
        ctx: &mut Self::Ctx,
        input: ListRootsRequest,
    ) -> Result<ListRootsResponse, ApiError> {
        org::list_roots(ctx, input)
    }

    fn create_account(
        &self,
        ctx: &mut Self::Ctx,
        input: CreateAccountRequest,
    ) -> Result<CreateAccountResponse, ApiError> {
        accounts::create_account(ctx, input)
    }

    fn describe_create_account_status(
        &self,
        ctx: &mut Self::Ctx,
        input: DescribeCreateAccountStatusRequest,
    ) -> Result<DescribeCreateAccountStatusResponse, ApiError> {
        accounts::describe_create_account_status(ctx, input)
    }

    fn list_create_account_status(
        &self,
        ctx: &mut Self::Ctx,
        input: ListCreateAccountStatusRequest,
    ) -> Result<ListCreateAccountStatusResponse, ApiError> {
        accounts::list_create_account_status(ctx, input)
    }

    fn describe_account(
        &self,
        ctx: &mut Self::Ctx,
        input: DescribeAccountRequest,
    ) -> Result<DescribeAccountResponse, ApiError> {
        accounts::describe_account(ctx, input)
    }

    fn list_accounts(
        &self,
        ctx: &mut Self::Ctx,
        input: ListAccountsRequest,
    ) -> Result<ListAccountsResponse, ApiError> {
        accounts::list_accounts(ctx, input)
    }

    fn list_accounts_for_parent(
        &self,
        ctx: &mut Self::Ctx,
        input: ListAccountsForParentRequest,
    ) -> Result<ListAccountsForParentResponse, ApiError> {
        accounts::list_accounts_for_parent(ctx, input)
    }

    fn move_account(&self, ctx: &mut Self::Ctx, input: MoveAccountRequest) -> Result<(), ApiError> {
        accounts::move_account(ctx, input)
    }

    fn close_account(
        &self,
        ctx: &mut Self::Ctx,
        input: CloseAccountRequest,
    ) -> Result<(), ApiError> {
        accounts::close_account(ctx, input)
    }

    fn remove_account_from_organization(
        &self,
        ctx: &mut Self::Ctx,
        input: RemoveAccountFromOrganizationRequest,
    ) -> Result<(), ApiError> {
        accounts::remove_account_from_organization(ctx, input)
    }

    fn leave_organization(&self, ctx: &mut Self::Ctx) -> Result<(), ApiError> {
        accounts::leave_organization(ctx)
    }

    fn create_organizational_unit(
        &self,
        ctx: &mut Self::Ctx,
        input: CreateOrganizationalUnitRequest,
    ) -> Result<CreateOrganizationalUnitResponse, ApiError> {
        ous::create_organizational_unit(ctx, input)
    }

    fn delete_organizational_unit(
        &self,
        ctx: &mut Self::Ctx,
        input: DeleteOrganizationalUnitRequest,
    ) -> Result<(), ApiError> {
        ous::delete_organizational_unit(ctx, input)
    }

    fn describe_organizational_unit(
        &self,
        ctx: &mut Self::Ctx,
        input: DescribeOrganizationalUnitRequest,
    ) -> Result<DescribeOrganizationalUnitResponse, ApiError> {
        ous::describe_organizational_unit(ctx, input)
    }

    fn update_organizational_unit(
        &self,
        ctx: &mut Self::Ctx,
        input: UpdateOrganizationalUnitRequest,
    ) -> Result<UpdateOrganizationalUnitResponse, ApiError> {
        ous::update_organizational_unit(ctx, input)
    }

    fn list_organizational_units_for_parent(
        &self,
        ctx: &mut Self::Ctx,
        input: ListOrganizationalUnitsForParentRequest,
    ) -> Result<ListOrganizationalUnitsForParentResponse, ApiError> {
        ous::list_organizational_units_for_parent(ctx, input)
    }

    fn list_children(
        &self,
        ctx: &mut Self::Ctx,
        input: ListChildrenRequest,
    ) -> Result<ListChildrenResponse, ApiError> {
        ous::list_children(ctx, input)
    }

    fn list_parents(
        &self,
        ctx: &mut Self::Ctx,
        input: ListParentsRequest,
    ) -> Result<ListParentsResponse, ApiError> {
        ous::list_parents(ctx, input)
    }

    fn tag_resource(&self, ctx: &mut Self::Ctx, input: TagResourceRequest) -> Result<(), ApiError> {
        tags::tag_resource(ctx, input)
    }

    fn untag_resource(
        &self,
        ctx: &mut Self::Ctx,
        input: UntagResourceRequest,
    ) -> Result<(), ApiError> {
        tags::untag_resource(ctx, input)
    }

    fn list_tags_for_resource(
        &self,
        ctx: &mut Self::Ctx,
        input: ListTagsForResourceRequest,
    ) -> Result<ListTagsForResourceResponse, ApiError> {
        tags::list_tags_for_resource(ctx, input)
    }

    fn create_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: CreatePolicyRequest,
    ) -> Result<CreatePolicyResponse, ApiError> {
        policies::create_policy(ctx, input)
    }

    fn update_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: UpdatePolicyRequest,
    ) -> Result<UpdatePolicyResponse, ApiError> {
        policies::update_policy(ctx, input)
    }

    fn delete_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: DeletePolicyRequest,
    ) -> Result<(), ApiError> {
        policies::delete_policy(ctx, input)
    }

    fn describe_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: DescribePolicyRequest,
    ) -> Result<DescribePolicyResponse, ApiError> {
        policies::describe_policy(ctx, input)
    }

    fn list_policies(
        &self,
        ctx: &mut Self::Ctx,
        input: ListPoliciesRequest,
    ) -> Result<ListPoliciesResponse, ApiError> {
        policies::list_policies(ctx, input)
    }

    fn attach_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: AttachPolicyRequest,
    ) -> Result<(), ApiError> {
        policies::attach_policy(ctx, input)
    }

    fn detach_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: DetachPolicyRequest,
    ) -> Result<(), ApiError> {
        policies::detach_policy(ctx, input)
    }

    fn list_policies_for_target(
        &self,
        ctx: &mut Self::Ctx,
        input: ListPoliciesForTargetRequest,
    ) -> Result<ListPoliciesForTargetResponse, ApiError> {
        policies::list_policies_for_target(ctx, input)
    }

    fn list_targets_for_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: ListTargetsForPolicyRequest,
    ) -> Result<ListTargetsForPolicyResponse, ApiError> {
        policies::list_targets_for_policy(ctx, input)
    }

    fn enable_policy_type(
        &self,
        ctx: &mut Self::Ctx,
        input: EnablePolicyTypeRequest,
    ) -> Result<EnablePolicyTypeResponse, ApiError> {
        policies::enable_policy_type(ctx, input)
    }

    fn disable_policy_type(
        &self,
        ctx: &mut Self::Ctx,
        input: DisablePolicyTypeRequest,
    ) -> Result<DisablePolicyTypeResponse, ApiError> {
        policies::disable_policy_type(ctx, input)
    }

    fn describe_effective_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: DescribeEffectivePolicyRequest,
    ) -> Result<DescribeEffectivePolicyResponse, ApiError> {
        policies::describe_effective_policy(ctx, input)
    }

    fn list_accounts_with_invalid_effective_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: ListAccountsWithInvalidEffectivePolicyRequest,
    ) -> Result<ListAccountsWithInvalidEffectivePolicyResponse, ApiError> {
        policies::list_accounts_with_invalid_effective_policy(ctx, input)
    }

    fn list_effective_policy_validation_errors(
        &self,
        ctx: &mut Self::Ctx,
        input: ListEffectivePolicyValidationErrorsRequest,
    ) -> Result<ListEffectivePolicyValidationErrorsResponse, ApiError> {
        policies::list_effective_policy_validation_errors(ctx, input)
    }

    fn invite_account_to_organization(
        &self,
        ctx: &mut Self::Ctx,
        input: InviteAccountToOrganizationRequest,
    ) -> Result<InviteAccountToOrganizationResponse, ApiError> {
        handshakes::invite_account_to_organization(ctx, input)
    }

    fn accept_handshake(
        &self,
        ctx: &mut Self::Ctx,
        input: AcceptHandshakeRequest,
    ) -> Result<AcceptHandshakeResponse, ApiError> {
        handshakes::accept_handshake(ctx, input)
    }

    fn decline_handshake(
        &self,
        ctx: &mut Self::Ctx,
        input: DeclineHandshakeRequest,
    ) -> Result<DeclineHandshakeResponse, ApiError> {
        handshakes::decline_handshake(ctx, input)
    }

    fn cancel_handshake(
        &self,
        ctx: &mut Self::Ctx,
        input: CancelHandshakeRequest,
    ) -> Result<CancelHandshakeResponse, ApiError> {
        handshakes::cancel_handshake(ctx, input)
    }

    fn describe_handshake(
        &self,
        ctx: &mut Self::Ctx,
        input: DescribeHandshakeRequest,
    ) -> Result<DescribeHandshakeResponse, ApiError> {
        handshakes::describe_handshake(ctx, input)
    }

    fn list_handshakes_for_account(
        &self,
        ctx: &mut Self::Ctx,
        input: ListHandshakesForAccountRequest,
    ) -> Result<ListHandshakesForAccountResponse, ApiError> {
        handshakes::list_handshakes_for_account(ctx, input)
    }

    fn list_handshakes_for_organization(
        &self,
        ctx: &mut Self::Ctx,
        input: ListHandshakesForOrganizationRequest,
    ) -> Result<ListHandshakesForOrganizationResponse, ApiError> {
        handshakes::list_handshakes_for_organization(ctx, input)
    }

    fn enable_all_features(
        &self,
        ctx: &mut Self::Ctx,
        input: EnableAllFeaturesRequest,
    ) -> Result<EnableAllFeaturesResponse, ApiError> {
        handshakes::enable_all_features(ctx, input)
    }

    fn enable_aws_service_access(
        &self,
        ctx: &mut Self::Ctx,
        input: EnableAWSServiceAccessRequest,
    ) -> Result<(), ApiError> {
        admin::enable_aws_service_access(ctx, input)
    }

    fn disable_aws_service_access(
        &self,
        ctx: &mut Self::Ctx,
        input: DisableAWSServiceAccessRequest,
    ) -> Result<(), ApiError> {
        admin::disable_aws_service_access(ctx, input)
    }

    fn list_aws_service_access_for_organization(
        &self,
        ctx: &mut Self::Ctx,
        input: ListAWSServiceAccessForOrganizationRequest,
    ) -> Result<ListAWSServiceAccessForOrganizationResponse, ApiError> {
        admin::list_aws_service_access_for_organization(ctx, input)
    }

    fn register_delegated_administrator(
        &self,
        ctx: &mut Self::Ctx,
        input: RegisterDelegatedAdministratorRequest,
    ) -> Result<(), ApiError> {
        admin::register_delegated_administrator(ctx, input)
    }

    fn deregister_delegated_administrator(
        &self,
        ctx: &mut Self::Ctx,
        input: DeregisterDelegatedAdministratorRequest,
    ) -> Result<(), ApiError> {
        admin::deregister_delegated_administrator(ctx, input)
    }

    fn list_delegated_administrators(
        &self,
        ctx: &mut Self::Ctx,
        input: ListDelegatedAdministratorsRequest,
    ) -> Result<ListDelegatedAdministratorsResponse, ApiError> {
        admin::list_delegated_administrators(ctx, input)
    }

    fn list_delegated_services_for_account(
        &self,
        ctx: &mut Self::Ctx,
        input: ListDelegatedServicesForAccountRequest,
    ) -> Result<ListDelegatedServicesForAccountResponse, ApiError> {
        admin::list_delegated_services_for_account(ctx, input)
    }

    fn put_resource_policy(
        &self,
        ctx: &mut Self::Ctx,
        input: PutResourcePolicyRequest,
    ) -> Result<PutResourcePolicyResponse, ApiError> {
        admin::put_resource_policy(ctx, input)
    }

    fn describe_resource_policy(
        &self,
        ctx: &mut Self::Ctx,
    ) -> Result<DescribeResourcePolicyResponse, ApiError> {
        admin::describe_resource_policy(ctx)
    }

    fn delete_resource_policy(&self, ctx: &mut Self::Ctx) -> Result<(), ApiError> {
        admin::delete_resource_policy(ctx)
    }

    fn create_gov_cloud_account(
        &self,
        ctx: &mut Self::Ctx,
        input: CreateGovCloudAccountRequest,
    ) -> Result<CreateGovCloudAccountResponse, ApiError> {
        unavailable::create_gov_cloud_account(ctx, input)
    }

    fn describe_responsibility_transfer(
        &self,
        ctx: &mut Self::Ctx,
        input: DescribeResponsibilityTransferRequest,
    ) -> Result<DescribeResponsibilityTransferResponse, ApiError> {
        unavailable::describe_responsibility_transfer(ctx, input)
    }

    fn invite_organization_to_transfer_responsibility(
        &self,
        ctx: &mut Self::Ctx,
        input: InviteOrganizationToTransferResponsibilityRequest,
    ) -> Result<InviteOrganizationToTransferResponsibilityResponse, ApiError> {
        unavailable::invite_organization_to_transfer_responsibility(ctx, input)
    }

    fn list_inbound_responsibility_transfers(
        &self,
        ctx: &mut Self::Ctx,
        input: ListInboundResponsibilityTransfersRequest,
    ) -> Result<ListInboundResponsibilityTransfersResponse, ApiError> {
        unavailable::list_inbound_responsibility_transfers(ctx, input)
    }

    fn list_outbound_responsibility_transfers(
        &self,
        ctx: &mut Self::Ctx,
        input: ListOutboundResponsibilityTransfersRequest,
    ) -> Result<ListOutboundResponsibilityTransfersResponse, ApiError> {
        unavailable::list_outbound_responsibility_transfers(ctx, input)
    }

    fn terminate_responsibility_transfer(
        &self,
        ctx: &mut Self::Ctx,
        input: TerminateResponsibilityTransferRequest,
    ) -> Result<TerminateResponsibilityTransferResponse, ApiError> {
        unavailable::terminate_responsibility_transfer(ctx, input)
    }

    fn update_responsibility_transfer(
        &self,
        ctx: &mut Self::Ctx,
        input: UpdateResponsibilityTransferRequest,
    ) -> Result<UpdateResponsibilityTransferResponse, ApiError> {
        unavailable::update_responsibility_transfer(ctx, input)
    }
}
