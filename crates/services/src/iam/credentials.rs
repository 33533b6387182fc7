//! IAM: credentials.

use localorg_model::generated::iam::{
    ChangePasswordRequest, CreateAccessKeyRequest, CreateAccessKeyResponse,
    CreateLoginProfileRequest, CreateLoginProfileResponse, CreateVirtualMFADeviceRequest,
    CreateVirtualMFADeviceResponse, DeactivateMFADeviceRequest, DeleteAccessKeyRequest,
    DeleteLoginProfileRequest, DeleteVirtualMFADeviceRequest, EnableMFADeviceRequest,
    GetAccessKeyLastUsedRequest, GetAccessKeyLastUsedResponse, GetLoginProfileRequest,
    GetLoginProfileResponse, GetMFADeviceRequest, GetMFADeviceResponse, ListAccessKeysRequest,
    ListAccessKeysResponse, ListMFADeviceTagsRequest, ListMFADeviceTagsResponse,
    ListMFADevicesRequest, ListMFADevicesResponse, ListVirtualMFADevicesRequest,
    ListVirtualMFADevicesResponse, ResyncMFADeviceRequest, TagMFADeviceRequest,
    UntagMFADeviceRequest, UpdateAccessKeyRequest, UpdateLoginProfileRequest,
};
use localorg_model::ApiError;

use crate::tx::Ctx;

/// `CreateAccessKey`.
pub(super) fn create_access_key(
    ctx: &mut Ctx<'_>,
    input: CreateAccessKeyRequest,
) -> Result<CreateAccessKeyResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "CreateAccessKey"))
}

/// `DeleteAccessKey`.
pub(super) fn delete_access_key(
    ctx: &mut Ctx<'_>,
    input: DeleteAccessKeyRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "DeleteAccessKey"))
}

/// `UpdateAccessKey`.
pub(super) fn update_access_key(
    ctx: &mut Ctx<'_>,
    input: UpdateAccessKeyRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "UpdateAccessKey"))
}

/// `ListAccessKeys`.
pub(super) fn list_access_keys(
    ctx: &mut Ctx<'_>,
    input: ListAccessKeysRequest,
) -> Result<ListAccessKeysResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ListAccessKeys"))
}

/// `GetAccessKeyLastUsed`.
pub(super) fn get_access_key_last_used(
    ctx: &mut Ctx<'_>,
    input: GetAccessKeyLastUsedRequest,
) -> Result<GetAccessKeyLastUsedResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "GetAccessKeyLastUsed"))
}

/// `CreateLoginProfile`.
pub(super) fn create_login_profile(
    ctx: &mut Ctx<'_>,
    input: CreateLoginProfileRequest,
) -> Result<CreateLoginProfileResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "CreateLoginProfile"))
}

/// `GetLoginProfile`.
pub(super) fn get_login_profile(
    ctx: &mut Ctx<'_>,
    input: GetLoginProfileRequest,
) -> Result<GetLoginProfileResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "GetLoginProfile"))
}

/// `UpdateLoginProfile`.
pub(super) fn update_login_profile(
    ctx: &mut Ctx<'_>,
    input: UpdateLoginProfileRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "UpdateLoginProfile"))
}

/// `DeleteLoginProfile`.
pub(super) fn delete_login_profile(
    ctx: &mut Ctx<'_>,
    input: DeleteLoginProfileRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "DeleteLoginProfile"))
}

/// `ChangePassword`.
pub(super) fn change_password(
    ctx: &mut Ctx<'_>,
    input: ChangePasswordRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ChangePassword"))
}

/// `CreateVirtualMFADevice`.
pub(super) fn create_virtual_mfa_device(
    ctx: &mut Ctx<'_>,
    input: CreateVirtualMFADeviceRequest,
) -> Result<CreateVirtualMFADeviceResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "CreateVirtualMFADevice"))
}

/// `EnableMFADevice`.
pub(super) fn enable_mfa_device(
    ctx: &mut Ctx<'_>,
    input: EnableMFADeviceRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "EnableMFADevice"))
}

/// `DeactivateMFADevice`.
pub(super) fn deactivate_mfa_device(
    ctx: &mut Ctx<'_>,
    input: DeactivateMFADeviceRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "DeactivateMFADevice"))
}

/// `DeleteVirtualMFADevice`.
pub(super) fn delete_virtual_mfa_device(
    ctx: &mut Ctx<'_>,
    input: DeleteVirtualMFADeviceRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "DeleteVirtualMFADevice"))
}

/// `ListMFADevices`.
pub(super) fn list_mfa_devices(
    ctx: &mut Ctx<'_>,
    input: ListMFADevicesRequest,
) -> Result<ListMFADevicesResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ListMFADevices"))
}

/// `ListVirtualMFADevices`.
pub(super) fn list_virtual_mfa_devices(
    ctx: &mut Ctx<'_>,
    input: ListVirtualMFADevicesRequest,
) -> Result<ListVirtualMFADevicesResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ListVirtualMFADevices"))
}

/// `ResyncMFADevice`.
pub(super) fn resync_mfa_device(
    ctx: &mut Ctx<'_>,
    input: ResyncMFADeviceRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ResyncMFADevice"))
}

/// `GetMFADevice`.
pub(super) fn get_mfa_device(
    ctx: &mut Ctx<'_>,
    input: GetMFADeviceRequest,
) -> Result<GetMFADeviceResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "GetMFADevice"))
}

/// `TagMFADevice`.
pub(super) fn tag_mfa_device(
    ctx: &mut Ctx<'_>,
    input: TagMFADeviceRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "TagMFADevice"))
}

/// `UntagMFADevice`.
pub(super) fn untag_mfa_device(
    ctx: &mut Ctx<'_>,
    input: UntagMFADeviceRequest,
) -> Result<(), ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "UntagMFADevice"))
}

/// `ListMFADeviceTags`.
pub(super) fn list_mfa_device_tags(
    ctx: &mut Ctx<'_>,
    input: ListMFADeviceTagsRequest,
) -> Result<ListMFADeviceTagsResponse, ApiError> {
    let _ = (ctx, input);
    Err(ApiError::not_implemented("IAM", "ListMFADeviceTags"))
}
