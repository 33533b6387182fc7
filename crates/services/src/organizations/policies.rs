//! Organizations: policies.

use localorg_model::generated::organizations::{
    AttachPolicyRequest, CreatePolicyRequest, CreatePolicyResponse, DeletePolicyRequest,
    DescribeEffectivePolicyRequest, DescribeEffectivePolicyResponse, DescribePolicyRequest,
    DescribePolicyResponse, DetachPolicyRequest, DisablePolicyTypeRequest,
    DisablePolicyTypeResponse, EnablePolicyTypeRequest, EnablePolicyTypeResponse,
    ListAccountsWithInvalidEffectivePolicyRequest, ListAccountsWithInvalidEffectivePolicyResponse,
    ListEffectivePolicyValidationErrorsRequest, ListEffectivePolicyValidationErrorsResponse,
    ListPoliciesForTargetRequest, ListPoliciesForTargetResponse, ListPoliciesRequest,
    ListPoliciesResponse, ListTargetsForPolicyRequest, ListTargetsForPolicyResponse,
    UpdatePolicyRequest, UpdatePolicyResponse,
};
use localorg_model::ApiError;

use crate::tx::Ctx;

/// `CreatePolicy`.
pub(super) fn create_policy(
    ctx: &mut Ctx<'_>,
    input: CreatePolicyRequest,
) -> Result<CreatePolicyResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("Organizations", "CreatePolicy"))
}

/// `UpdatePolicy`.
pub(super) fn update_policy(
    ctx: &mut Ctx<'_>,
    input: UpdatePolicyRequest,
) -> Result<UpdatePolicyResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("Organizations", "UpdatePolicy"))
}

/// `DeletePolicy`.
pub(super) fn delete_policy(ctx: &mut Ctx<'_>, input: DeletePolicyRequest) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("Organizations", "DeletePolicy"))
}

/// `DescribePolicy`.
pub(super) fn describe_policy(
    ctx: &mut Ctx<'_>,
    input: DescribePolicyRequest,
) -> Result<DescribePolicyResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("Organizations", "DescribePolicy"))
}

/// `ListPolicies`.
pub(super) fn list_policies(
    ctx: &mut Ctx<'_>,
    input: ListPoliciesRequest,
) -> Result<ListPoliciesResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("Organizations", "ListPolicies"))
}

/// `AttachPolicy`.
pub(super) fn attach_policy(ctx: &mut Ctx<'_>, input: AttachPolicyRequest) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("Organizations", "AttachPolicy"))
}

/// `DetachPolicy`.
pub(super) fn detach_policy(ctx: &mut Ctx<'_>, input: DetachPolicyRequest) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("Organizations", "DetachPolicy"))
}

/// `ListPoliciesForTarget`.
pub(super) fn list_policies_for_target(
    ctx: &mut Ctx<'_>,
    input: ListPoliciesForTargetRequest,
) -> Result<ListPoliciesForTargetResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "ListPoliciesForTarget",
    ))
}

/// `ListTargetsForPolicy`.
pub(super) fn list_targets_for_policy(
    ctx: &mut Ctx<'_>,
    input: ListTargetsForPolicyRequest,
) -> Result<ListTargetsForPolicyResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "ListTargetsForPolicy",
    ))
}

/// `EnablePolicyType`.
pub(super) fn enable_policy_type(
    ctx: &mut Ctx<'_>,
    input: EnablePolicyTypeRequest,
) -> Result<EnablePolicyTypeResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "EnablePolicyType",
    ))
}

/// `DisablePolicyType`.
pub(super) fn disable_policy_type(
    ctx: &mut Ctx<'_>,
    input: DisablePolicyTypeRequest,
) -> Result<DisablePolicyTypeResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "DisablePolicyType",
    ))
}

/// `DescribeEffectivePolicy`.
pub(super) fn describe_effective_policy(
    ctx: &mut Ctx<'_>,
    input: DescribeEffectivePolicyRequest,
) -> Result<DescribeEffectivePolicyResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "DescribeEffectivePolicy",
    ))
}

/// `ListAccountsWithInvalidEffectivePolicy`.
pub(super) fn list_accounts_with_invalid_effective_policy(
    ctx: &mut Ctx<'_>,
    input: ListAccountsWithInvalidEffectivePolicyRequest,
) -> Result<ListAccountsWithInvalidEffectivePolicyResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "ListAccountsWithInvalidEffectivePolicy",
    ))
}

/// `ListEffectivePolicyValidationErrors`.
pub(super) fn list_effective_policy_validation_errors(
    ctx: &mut Ctx<'_>,
    input: ListEffectivePolicyValidationErrorsRequest,
) -> Result<ListEffectivePolicyValidationErrorsResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented(
        "Organizations",
        "ListEffectivePolicyValidationErrors",
    ))
}
