//! Organizations: operations for features localorg's partition does not offer — GovCloud account
//! pairing and billing (responsibility) transfers. Each answers the way AWS answers an
//! organization that cannot use the feature, after the usual caller checks.
//!
//! - `CreateGovCloudAccount`: AWS requires the management account to be paired with a GovCloud
//!   (US) account; localorg has no GovCloud partition, so it is never paired:
//!   `ConstraintViolationException` `MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED`.
//! - Billing transfers: no organization here ever has one, so the listings are empty and a transfer
//!   id is `ResponsibilityTransferNotFoundException`. Sending a transfer invitation is refused with
//!   `ConstraintViolationException` `UNMET_BILLING_PREREQUISITE` (AWS's reason for a billing
//!   configuration that can't take part in a transfer).
//!
//! Transfers are an arrangement between management accounts: members get `AccessDeniedException`
//! and standalone accounts `AWSOrganizationsNotInUseException`.

use localorg_model::generated::organizations::{
    errors, CreateGovCloudAccountRequest, CreateGovCloudAccountResponse,
    DescribeResponsibilityTransferRequest, DescribeResponsibilityTransferResponse,
    InviteOrganizationToTransferResponsibilityRequest,
    InviteOrganizationToTransferResponsibilityResponse, ListInboundResponsibilityTransfersRequest,
    ListInboundResponsibilityTransfersResponse, ListOutboundResponsibilityTransfersRequest,
    ListOutboundResponsibilityTransfersResponse, TerminateResponsibilityTransferRequest,
    TerminateResponsibilityTransferResponse, UpdateResponsibilityTransferRequest,
    UpdateResponsibilityTransferResponse,
};
use localorg_model::ApiError;

use super::core::{decode_next_token, managed_org};
use localorg_kernel::Ctx;

fn transfer_not_found() -> ApiError {
    errors::RESPONSIBILITY_TRANSFER_NOT_FOUND_EXCEPTION
        .error("We can't find a transfer that you specified.")
}

/// `CreateGovCloudAccount`: the management account is never paired with a GovCloud account here.
pub(super) fn create_gov_cloud_account(
    ctx: &mut Ctx<'_>,
    input: CreateGovCloudAccountRequest,
) -> Result<CreateGovCloudAccountResponse, ApiError> {
    let _ = input;
    managed_org(ctx)?;
    Err(errors::CONSTRAINT_VIOLATION_EXCEPTION
        .error(
            "To complete this operation, the management account must have an associated account in the AWS GovCloud (US-West) Region. localorg has no GovCloud partition, so no management account is paired with one.",
        )
        .with_field("Reason", "MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED"))
}

/// `DescribeResponsibilityTransfer`: there are no transfers.
pub(super) fn describe_responsibility_transfer(
    ctx: &mut Ctx<'_>,
    input: DescribeResponsibilityTransferRequest,
) -> Result<DescribeResponsibilityTransferResponse, ApiError> {
    let _ = input;
    managed_org(ctx)?;
    Err(transfer_not_found())
}

/// `InviteOrganizationToTransferResponsibility`: billing transfers can't be set up here.
pub(super) fn invite_organization_to_transfer_responsibility(
    ctx: &mut Ctx<'_>,
    input: InviteOrganizationToTransferResponsibilityRequest,
) -> Result<InviteOrganizationToTransferResponsibilityResponse, ApiError> {
    let _ = input;
    managed_org(ctx)?;
    Err(errors::CONSTRAINT_VIOLATION_EXCEPTION
        .error(
            "Your current billing configuration is unsupported: billing transfers are not available in localorg.",
        )
        .with_field("Reason", "UNMET_BILLING_PREREQUISITE"))
}

/// `ListInboundResponsibilityTransfers`: always empty; a transfer id finds nothing.
pub(super) fn list_inbound_responsibility_transfers(
    ctx: &mut Ctx<'_>,
    input: ListInboundResponsibilityTransfersRequest,
) -> Result<ListInboundResponsibilityTransfersResponse, ApiError> {
    managed_org(ctx)?;
    decode_next_token(input.next_token.as_deref())?;
    if input.id.is_some() {
        return Err(transfer_not_found());
    }
    Ok(ListInboundResponsibilityTransfersResponse {
        responsibility_transfers: Some(Vec::new()),
        next_token: None,
    })
}

/// `ListOutboundResponsibilityTransfers`: always empty.
pub(super) fn list_outbound_responsibility_transfers(
    ctx: &mut Ctx<'_>,
    input: ListOutboundResponsibilityTransfersRequest,
) -> Result<ListOutboundResponsibilityTransfersResponse, ApiError> {
    managed_org(ctx)?;
    decode_next_token(input.next_token.as_deref())?;
    Ok(ListOutboundResponsibilityTransfersResponse {
        responsibility_transfers: Some(Vec::new()),
        next_token: None,
    })
}

/// `TerminateResponsibilityTransfer`: there are no transfers.
pub(super) fn terminate_responsibility_transfer(
    ctx: &mut Ctx<'_>,
    input: TerminateResponsibilityTransferRequest,
) -> Result<TerminateResponsibilityTransferResponse, ApiError> {
    let _ = input;
    managed_org(ctx)?;
    Err(transfer_not_found())
}

/// `UpdateResponsibilityTransfer`: there are no transfers.
pub(super) fn update_responsibility_transfer(
    ctx: &mut Ctx<'_>,
    input: UpdateResponsibilityTransferRequest,
) -> Result<UpdateResponsibilityTransferResponse, ApiError> {
    let _ = input;
    managed_org(ctx)?;
    Err(transfer_not_found())
}
