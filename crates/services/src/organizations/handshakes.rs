//! Organizations: handshakes.

use localorg_model::generated::organizations::{
    AcceptHandshakeRequest, AcceptHandshakeResponse, CancelHandshakeRequest,
    CancelHandshakeResponse, DeclineHandshakeRequest, DeclineHandshakeResponse,
    DescribeHandshakeRequest, DescribeHandshakeResponse, EnableAllFeaturesRequest,
    EnableAllFeaturesResponse, InviteAccountToOrganizationRequest,
    InviteAccountToOrganizationResponse, ListHandshakesForAccountRequest,
    ListHandshakesForAccountResponse, ListHandshakesForOrganizationRequest,
    ListHandshakesForOrganizationResponse,
};
use localorg_model::ApiError;

use crate::tx::Ctx;

/// `InviteAccountToOrganization`.
pub(super) fn invite_account_to_organization(
    ctx: &mut Ctx<'_>,
    input: InviteAccountToOrganizationRequest,
) -> Result<InviteAccountToOrganizationResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "InviteAccountToOrganization",
    ))
}

/// `AcceptHandshake`.
pub(super) fn accept_handshake(
    ctx: &mut Ctx<'_>,
    input: AcceptHandshakeRequest,
) -> Result<AcceptHandshakeResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "AcceptHandshake",
    ))
}

/// `DeclineHandshake`.
pub(super) fn decline_handshake(
    ctx: &mut Ctx<'_>,
    input: DeclineHandshakeRequest,
) -> Result<DeclineHandshakeResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "DeclineHandshake",
    ))
}

/// `CancelHandshake`.
pub(super) fn cancel_handshake(
    ctx: &mut Ctx<'_>,
    input: CancelHandshakeRequest,
) -> Result<CancelHandshakeResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "CancelHandshake",
    ))
}

/// `DescribeHandshake`.
pub(super) fn describe_handshake(
    ctx: &mut Ctx<'_>,
    input: DescribeHandshakeRequest,
) -> Result<DescribeHandshakeResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "DescribeHandshake",
    ))
}

/// `ListHandshakesForAccount`.
pub(super) fn list_handshakes_for_account(
    ctx: &mut Ctx<'_>,
    input: ListHandshakesForAccountRequest,
) -> Result<ListHandshakesForAccountResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "ListHandshakesForAccount",
    ))
}

/// `ListHandshakesForOrganization`.
pub(super) fn list_handshakes_for_organization(
    ctx: &mut Ctx<'_>,
    input: ListHandshakesForOrganizationRequest,
) -> Result<ListHandshakesForOrganizationResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "ListHandshakesForOrganization",
    ))
}

/// `EnableAllFeatures`.
pub(super) fn enable_all_features(
    ctx: &mut Ctx<'_>,
    input: EnableAllFeaturesRequest,
) -> Result<EnableAllFeaturesResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "EnableAllFeatures",
    ))
}
