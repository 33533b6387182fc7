//! Organizations: unavailable.

use localorg_model::generated::organizations::{
    CreateGovCloudAccountRequest, CreateGovCloudAccountResponse,
    DescribeResponsibilityTransferRequest, DescribeResponsibilityTransferResponse,
    InviteOrganizationToTransferResponsibilityRequest,
    InviteOrganizationToTransferResponsibilityResponse, ListInboundResponsibilityTransfersRequest,
    ListInboundResponsibilityTransfersResponse, ListOutboundResponsibilityTransfersRequest,
    ListOutboundResponsibilityTransfersResponse, TerminateResponsibilityTransferRequest,
    TerminateResponsibilityTransferResponse, UpdateResponsibilityTransferRequest,
    UpdateResponsibilityTransferResponse,
};
use localorg_model::ApiError;

use crate::tx::Ctx;

/// `CreateGovCloudAccount`.
pub(super) fn create_gov_cloud_account(
    ctx: &mut Ctx<'_>,
    input: CreateGovCloudAccountRequest,
) -> Result<CreateGovCloudAccountResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "CreateGovCloudAccount",
    ))
}

/// `DescribeResponsibilityTransfer`.
pub(super) fn describe_responsibility_transfer(
    ctx: &mut Ctx<'_>,
    input: DescribeResponsibilityTransferRequest,
) -> Result<DescribeResponsibilityTransferResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "DescribeResponsibilityTransfer",
    ))
}

/// `InviteOrganizationToTransferResponsibility`.
pub(super) fn invite_organization_to_transfer_responsibility(
    ctx: &mut Ctx<'_>,
    input: InviteOrganizationToTransferResponsibilityRequest,
) -> Result<InviteOrganizationToTransferResponsibilityResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "InviteOrganizationToTransferResponsibility",
    ))
}

/// `ListInboundResponsibilityTransfers`.
pub(super) fn list_inbound_responsibility_transfers(
    ctx: &mut Ctx<'_>,
    input: ListInboundResponsibilityTransfersRequest,
) -> Result<ListInboundResponsibilityTransfersResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "ListInboundResponsibilityTransfers",
    ))
}

/// `ListOutboundResponsibilityTransfers`.
pub(super) fn list_outbound_responsibility_transfers(
    ctx: &mut Ctx<'_>,
    input: ListOutboundResponsibilityTransfersRequest,
) -> Result<ListOutboundResponsibilityTransfersResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "ListOutboundResponsibilityTransfers",
    ))
}

/// `TerminateResponsibilityTransfer`.
pub(super) fn terminate_responsibility_transfer(
    ctx: &mut Ctx<'_>,
    input: TerminateResponsibilityTransferRequest,
) -> Result<TerminateResponsibilityTransferResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "TerminateResponsibilityTransfer",
    ))
}

/// `UpdateResponsibilityTransfer`.
pub(super) fn update_responsibility_transfer(
    ctx: &mut Ctx<'_>,
    input: UpdateResponsibilityTransferRequest,
) -> Result<UpdateResponsibilityTransferResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "UpdateResponsibilityTransfer",
    ))
}
