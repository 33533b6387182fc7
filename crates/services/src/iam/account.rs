//! IAM: account.

use localorg_model::generated::iam::{
    CreateAccountAliasRequest, DeleteAccountAliasRequest,
    DisableOrganizationsRootCredentialsManagementRequest,
    DisableOrganizationsRootCredentialsManagementResponse, DisableOrganizationsRootSessionsRequest,
    DisableOrganizationsRootSessionsResponse, EnableOrganizationsRootCredentialsManagementRequest,
    EnableOrganizationsRootCredentialsManagementResponse, EnableOrganizationsRootSessionsRequest,
    EnableOrganizationsRootSessionsResponse, GenerateCredentialReportResponse,
    GetAccountAuthorizationDetailsRequest, GetAccountAuthorizationDetailsResponse,
    GetAccountPasswordPolicyResponse, GetAccountSummaryResponse, GetCredentialReportResponse,
    ListAccountAliasesRequest, ListAccountAliasesResponse, ListOrganizationsFeaturesRequest,
    ListOrganizationsFeaturesResponse, UpdateAccountPasswordPolicyRequest,
};
use localorg_model::ApiError;

use crate::tx::Ctx;

/// `CreateAccountAlias`.
pub(super) fn create_account_alias(
    ctx: &mut Ctx<'_>,
    input: CreateAccountAliasRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "CreateAccountAlias"))
}

/// `DeleteAccountAlias`.
pub(super) fn delete_account_alias(
    ctx: &mut Ctx<'_>,
    input: DeleteAccountAliasRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "DeleteAccountAlias"))
}

/// `ListAccountAliases`.
pub(super) fn list_account_aliases(
    ctx: &mut Ctx<'_>,
    input: ListAccountAliasesRequest,
) -> Result<ListAccountAliasesResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ListAccountAliases"))
}

/// `GetAccountPasswordPolicy`.
pub(super) fn get_account_password_policy(
    ctx: &mut Ctx<'_>,
) -> Result<GetAccountPasswordPolicyResponse, ApiError> {
    let _ = ctx;
    Err(ApiError::not_implemented("IAM", "GetAccountPasswordPolicy"))
}

/// `UpdateAccountPasswordPolicy`.
pub(super) fn update_account_password_policy(
    ctx: &mut Ctx<'_>,
    input: UpdateAccountPasswordPolicyRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "IAM",
        "UpdateAccountPasswordPolicy",
    ))
}

/// `DeleteAccountPasswordPolicy`.
pub(super) fn delete_account_password_policy(ctx: &mut Ctx<'_>) -> Result<(), ApiError> {
    let _ = ctx;
    Err(ApiError::not_implemented(
        "IAM",
        "DeleteAccountPasswordPolicy",
    ))
}

/// `GetAccountSummary`.
pub(super) fn get_account_summary(
    ctx: &mut Ctx<'_>,
) -> Result<GetAccountSummaryResponse, ApiError> {
    let _ = ctx;
    Err(ApiError::not_implemented("IAM", "GetAccountSummary"))
}

/// `GenerateCredentialReport`.
pub(super) fn generate_credential_report(
    ctx: &mut Ctx<'_>,
) -> Result<GenerateCredentialReportResponse, ApiError> {
    let _ = ctx;
    Err(ApiError::not_implemented("IAM", "GenerateCredentialReport"))
}

/// `GetCredentialReport`.
pub(super) fn get_credential_report(
    ctx: &mut Ctx<'_>,
) -> Result<GetCredentialReportResponse, ApiError> {
    let _ = ctx;
    Err(ApiError::not_implemented("IAM", "GetCredentialReport"))
}

/// `GetAccountAuthorizationDetails`.
pub(super) fn get_account_authorization_details(
    ctx: &mut Ctx<'_>,
    input: GetAccountAuthorizationDetailsRequest,
) -> Result<GetAccountAuthorizationDetailsResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "IAM",
        "GetAccountAuthorizationDetails",
    ))
}

/// `EnableOrganizationsRootCredentialsManagement`.
pub(super) fn enable_organizations_root_credentials_management(
    ctx: &mut Ctx<'_>,
    input: EnableOrganizationsRootCredentialsManagementRequest,
) -> Result<EnableOrganizationsRootCredentialsManagementResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "IAM",
        "EnableOrganizationsRootCredentialsManagement",
    ))
}

/// `DisableOrganizationsRootCredentialsManagement`.
pub(super) fn disable_organizations_root_credentials_management(
    ctx: &mut Ctx<'_>,
    input: DisableOrganizationsRootCredentialsManagementRequest,
) -> Result<DisableOrganizationsRootCredentialsManagementResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "IAM",
        "DisableOrganizationsRootCredentialsManagement",
    ))
}

/// `EnableOrganizationsRootSessions`.
pub(super) fn enable_organizations_root_sessions(
    ctx: &mut Ctx<'_>,
    input: EnableOrganizationsRootSessionsRequest,
) -> Result<EnableOrganizationsRootSessionsResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "IAM",
        "EnableOrganizationsRootSessions",
    ))
}

/// `DisableOrganizationsRootSessions`.
pub(super) fn disable_organizations_root_sessions(
    ctx: &mut Ctx<'_>,
    input: DisableOrganizationsRootSessionsRequest,
) -> Result<DisableOrganizationsRootSessionsResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "IAM",
        "DisableOrganizationsRootSessions",
    ))
}

/// `ListOrganizationsFeatures`.
pub(super) fn list_organizations_features(
    ctx: &mut Ctx<'_>,
    input: ListOrganizationsFeaturesRequest,
) -> Result<ListOrganizationsFeaturesResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "IAM",
        "ListOrganizationsFeatures",
    ))
}
