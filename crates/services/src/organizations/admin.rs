//! Organizations: admin.

use localorg_model::generated::organizations::{
    DeregisterDelegatedAdministratorRequest, DescribeResourcePolicyResponse,
    DisableAWSServiceAccessRequest, EnableAWSServiceAccessRequest,
    ListAWSServiceAccessForOrganizationRequest, ListAWSServiceAccessForOrganizationResponse,
    ListDelegatedAdministratorsRequest, ListDelegatedAdministratorsResponse,
    ListDelegatedServicesForAccountRequest, ListDelegatedServicesForAccountResponse,
    PutResourcePolicyRequest, PutResourcePolicyResponse, RegisterDelegatedAdministratorRequest,
};
use localorg_model::ApiError;

use crate::tx::Ctx;

/// `EnableAWSServiceAccess`.
pub(super) fn enable_aws_service_access(
    ctx: &mut Ctx<'_>,
    input: EnableAWSServiceAccessRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "EnableAWSServiceAccess",
    ))
}

/// `DisableAWSServiceAccess`.
pub(super) fn disable_aws_service_access(
    ctx: &mut Ctx<'_>,
    input: DisableAWSServiceAccessRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "DisableAWSServiceAccess",
    ))
}

/// `ListAWSServiceAccessForOrganization`.
pub(super) fn list_aws_service_access_for_organization(
    ctx: &mut Ctx<'_>,
    input: ListAWSServiceAccessForOrganizationRequest,
) -> Result<ListAWSServiceAccessForOrganizationResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "ListAWSServiceAccessForOrganization",
    ))
}

/// `RegisterDelegatedAdministrator`.
pub(super) fn register_delegated_administrator(
    ctx: &mut Ctx<'_>,
    input: RegisterDelegatedAdministratorRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "RegisterDelegatedAdministrator",
    ))
}

/// `DeregisterDelegatedAdministrator`.
pub(super) fn deregister_delegated_administrator(
    ctx: &mut Ctx<'_>,
    input: DeregisterDelegatedAdministratorRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "DeregisterDelegatedAdministrator",
    ))
}

/// `ListDelegatedAdministrators`.
pub(super) fn list_delegated_administrators(
    ctx: &mut Ctx<'_>,
    input: ListDelegatedAdministratorsRequest,
) -> Result<ListDelegatedAdministratorsResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "ListDelegatedAdministrators",
    ))
}

/// `ListDelegatedServicesForAccount`.
pub(super) fn list_delegated_services_for_account(
    ctx: &mut Ctx<'_>,
    input: ListDelegatedServicesForAccountRequest,
) -> Result<ListDelegatedServicesForAccountResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "ListDelegatedServicesForAccount",
    ))
}

/// `PutResourcePolicy`.
pub(super) fn put_resource_policy(
    ctx: &mut Ctx<'_>,
    input: PutResourcePolicyRequest,
) -> Result<PutResourcePolicyResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "PutResourcePolicy",
    ))
}

/// `DescribeResourcePolicy`.
pub(super) fn describe_resource_policy(
    ctx: &mut Ctx<'_>,
) -> Result<DescribeResourcePolicyResponse, ApiError> {
    let _ = ctx;
    Err(ApiError::not_implemented(
        "Organizations",
        "DescribeResourcePolicy",
    ))
}

/// `DeleteResourcePolicy`.
pub(super) fn delete_resource_policy(ctx: &mut Ctx<'_>) -> Result<(), ApiError> {
    let _ = ctx;
    Err(ApiError::not_implemented(
        "Organizations",
        "DeleteResourcePolicy",
    ))
}
