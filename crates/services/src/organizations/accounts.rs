//! Organizations: accounts.

use localorg_model::generated::organizations::{
    CloseAccountRequest, CreateAccountRequest, CreateAccountResponse, DescribeAccountRequest,
    DescribeAccountResponse, DescribeCreateAccountStatusRequest,
    DescribeCreateAccountStatusResponse, ListAccountsForParentRequest,
    ListAccountsForParentResponse, ListAccountsRequest, ListAccountsResponse,
    ListCreateAccountStatusRequest, ListCreateAccountStatusResponse, MoveAccountRequest,
    RemoveAccountFromOrganizationRequest,
};
use localorg_model::ApiError;

use crate::tx::Ctx;

/// `CreateAccount`.
pub(super) fn create_account(
    ctx: &mut Ctx<'_>,
    input: CreateAccountRequest,
) -> Result<CreateAccountResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("Organizations", "CreateAccount"))
}

/// `DescribeCreateAccountStatus`.
pub(super) fn describe_create_account_status(
    ctx: &mut Ctx<'_>,
    input: DescribeCreateAccountStatusRequest,
) -> Result<DescribeCreateAccountStatusResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "DescribeCreateAccountStatus",
    ))
}

/// `ListCreateAccountStatus`.
pub(super) fn list_create_account_status(
    ctx: &mut Ctx<'_>,
    input: ListCreateAccountStatusRequest,
) -> Result<ListCreateAccountStatusResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "ListCreateAccountStatus",
    ))
}

/// `DescribeAccount`.
pub(super) fn describe_account(
    ctx: &mut Ctx<'_>,
    input: DescribeAccountRequest,
) -> Result<DescribeAccountResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "DescribeAccount",
    ))
}

/// `ListAccounts`.
pub(super) fn list_accounts(
    ctx: &mut Ctx<'_>,
    input: ListAccountsRequest,
) -> Result<ListAccountsResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("Organizations", "ListAccounts"))
}

/// `ListAccountsForParent`.
pub(super) fn list_accounts_for_parent(
    ctx: &mut Ctx<'_>,
    input: ListAccountsForParentRequest,
) -> Result<ListAccountsForParentResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "ListAccountsForParent",
    ))
}

/// `MoveAccount`.
pub(super) fn move_account(ctx: &mut Ctx<'_>, input: MoveAccountRequest) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("Organizations", "MoveAccount"))
}

/// `CloseAccount`.
pub(super) fn close_account(ctx: &mut Ctx<'_>, input: CloseAccountRequest) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("Organizations", "CloseAccount"))
}

/// `RemoveAccountFromOrganization`.
pub(super) fn remove_account_from_organization(
    ctx: &mut Ctx<'_>,
    input: RemoveAccountFromOrganizationRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "RemoveAccountFromOrganization",
    ))
}

/// `LeaveOrganization`.
pub(super) fn leave_organization(ctx: &mut Ctx<'_>) -> Result<(), ApiError> {
    let _ = ctx;
    Err(ApiError::not_implemented(
        "Organizations",
        "LeaveOrganization",
    ))
}
